package auth

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/userpool/userpool/internal/cognito"
)

// A challenge session carries a sign-in from one step to the next. It is
// sealed with the data key rather than stored: any node can continue it,
// nothing needs cleaning up, and it cannot be forged or read. It expires
// after the app client's AuthSessionValidity.
type session struct {
	Pool      string `json:"p"`
	Client    string `json:"c"`
	Sub       string `json:"s"`
	Username  string `json:"u"`
	Challenge string `json:"ch"`
	Expires   int64  `json:"e"` // unix milliseconds
	// Device is the confirmed device the sign-in named (DEVICE_KEY),
	// carried through the steps between the password and the device's
	// proof (devices.go); DeviceProven says it has proven itself already.
	Device       string `json:"d,omitempty"`
	DeviceProven bool   `json:"dp,omitempty"`
	// Settled, in a DEVICE_SRP_AUTH session, says the sign-in's second
	// factor is settled (passed, or none applied): the device's proof
	// then ends the sign-in.
	Settled bool `json:"st,omitempty"`
	// Email, in the EMAIL_OTP session of an e-mail MFA set-up, is the
	// address the code went to (mfa.go).
	Email string `json:"em,omitempty"`
	// ID names an MFA challenge's session that leads on to a device's
	// proof, so that a right answer can be recorded against it
	// (devices.go, deviceSession).
	ID string `json:"id,omitempty"`
	// Custom is a CUSTOM_CHALLENGE's state, the JSON of a customState
	// (custom.go): sealed, so the client never reads it. A string keeps
	// sessions comparable.
	Custom string `json:"cu,omitempty"`
	// Event is the id of the sign-in's auth event (events.go), so that
	// the answer continues its own sign-in's event and no other's.
	Event string `json:"ev,omitempty"`
}

// device is the device a session carries.
func (s *session) device() namedDevice {
	return namedDevice{Key: s.Device, Proven: s.DeviceProven}
}

var sessionAD = []byte("userpool auth session v1")

// Cognito's answers for sessions (the reference marks the wording
// unverified; it is the one emulators and users quote).
const (
	msgSessionInvalid = "Invalid session for the user."
	msgSessionExpired = "Invalid session for the user, session is expired."
)

func (e *Engine) newSession(s session, ttl time.Duration) string {
	s.Expires = e.now().Add(ttl).UnixMilli()
	b, _ := json.Marshal(s)
	return base64.RawURLEncoding.EncodeToString(e.cfg.Sealer.Seal(b, sessionAD))
}

// openSession returns the session for a challenge response to clientID.
func (e *Engine) openSession(raw, clientID, challenge string) (*session, error) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	plain, err := e.cfg.Sealer.Open(b, sessionAD)
	if err != nil {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	var s session
	if json.Unmarshal(plain, &s) != nil || s.Client != clientID || s.Challenge != challenge {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	if !e.now().Before(time.UnixMilli(s.Expires)) {
		return nil, cognito.NotAuthorized(msgSessionExpired)
	}
	return &s, nil
}

// peekSession reads a sealed session without judging it, nil when it
// cannot be read. What it says is the server's own (the seal proves it),
// but not yet checked for its challenge, client or expiry: openSession
// does that.
func peekSession(e *Engine, raw string) *session {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil
	}
	plain, err := e.cfg.Sealer.Open(b, sessionAD)
	if err != nil {
		return nil
	}
	var s session
	if json.Unmarshal(plain, &s) != nil {
		return nil
	}
	return &s
}

// resealSession seals a session again, keeping its expiry: the steps of
// MFA_SETUP each answer a new session, but together they last no longer
// than the sign-in's first one.
func (e *Engine) resealSession(s session) string {
	b, _ := json.Marshal(s)
	return base64.RawURLEncoding.EncodeToString(e.cfg.Sealer.Seal(b, sessionAD))
}
