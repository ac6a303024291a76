package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/triggers"
	"github.com/userpool/userpool/internal/userpool"
)

// USER_SRP_AUTH: InitiateAuth with SRP_A answers the PASSWORD_VERIFIER
// challenge (SALT, SRP_B, SECRET_BLOCK), and RespondToAuthChallenge with the
// client's PASSWORD_CLAIM_SIGNATURE completes the first factor. The
// server's half of the handshake (SRP_A and the ephemeral b) travels in the
// SECRET_BLOCK, sealed with the data key like a challenge session, so any
// node can finish a handshake another began and nothing is stored.
//
// A sealed block can be replayed, with the signature made for it, until it
// expires (the client's AuthSessionValidity): the signature proves the
// password, not that the request is the first to carry it. Keeping used
// blocks would need a store; the block is only ever sent over TLS to the
// client that asked for it. Clients also count on sending an answer twice:
// amazon-cognito-identity-js answers PASSWORD_VERIFIER again, with the same
// block and signature, when its DEVICE_KEY turns out not to exist.

// Cognito's answers for SRP. The TIMESTAMP message and msgSRPNotEnabled
// are Cognito's (observed); the reference is silent on the others.
const (
	msgTimestampFormat = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."
	msgTimestampSkew   = "TIMESTAMP is too far from the server's clock."
	msgInvalidSRPA     = "SRP_A is not a valid SRP public value."
	msgSRPNotEnabled   = "USER_SRP_AUTH is not enabled for the client."
)

// maxTimestampSkew bounds how far TIMESTAMP may be from the server's clock.
// It is generous on purpose: alexrudd/cognito-srp (v4) writes the hour on
// a 12-hour clock, so in the afternoon its TIMESTAMP reads twelve hours
// early, and real Cognito accepts it. The freshness that matters is the
// SECRET_BLOCK's, which the server dates itself; the timestamp is part of
// the signed message, so it cannot be altered after signing either way.
const maxTimestampSkew = 12*time.Hour + 15*time.Minute

// Kinds of SECRET_BLOCK: a user's password or a device's secret. A block
// of one kind never answers the other challenge.
const (
	blockUser   = "user"
	blockDevice = "device"
)

// srpBlock is the SECRET_BLOCK's sealed content.
type srpBlock struct {
	Kind   string `json:"k"`
	Pool   string `json:"p"`
	Client string `json:"c"`
	// Sub is "" in the block of the fake challenge an unknown user gets
	// when the client prevents user existence errors.
	Sub string `json:"s"`
	// Username is USER_ID_FOR_SRP: the internal username (the typed one
	// in a fake block). For a device block it is the user's internal
	// username; the device's SRP identity comes from the device record.
	Username string `json:"u"`
	SRPA     string `json:"a"`
	B        []byte `json:"b"`
	// Salt is the salt the challenge was computed with: a password or
	// device secret set in between makes the block stale rather than the
	// signature wrong.
	Salt   []byte `json:"sa"`
	Issued int64  `json:"t"` // unix milliseconds
	// Device is the device being proven, and Settled says whether the
	// sign-in's second factor is settled (device blocks only; from the
	// DEVICE_SRP_AUTH session).
	Device  string `json:"d,omitempty"`
	Settled bool   `json:"st,omitempty"`
	// Custom marks the SRP step of a CUSTOM_AUTH sign-in.
	Custom bool `json:"cu,omitempty"`
	// Event is the sign-in's auth event, as a session's Event.
	Event string `json:"ev,omitempty"`
}

var srpBlockAD = []byte("userpool srp secret block v1")

func (e *Engine) sealBlock(b srpBlock) string {
	b.Issued = e.now().UnixMilli()
	raw, _ := json.Marshal(b)
	return base64.StdEncoding.EncodeToString(e.cfg.Sealer.Seal(raw, srpBlockAD))
}

// openBlock opens a PASSWORD_CLAIM_SECRET_BLOCK of the given kind for the
// client and pool, and returns it with its decoded bytes (which the
// signature covers). A block that is not ours, or not for this client, is
// an incorrect claim; one older than the client's AuthSessionValidity has
// expired.
func (e *Engine) openBlock(raw string, pool *cognito.UserPoolType, client *userpool.AppClient, kind string) (*srpBlock, []byte, error) {
	b, sealed := peekBlock(e, raw)
	if b == nil || b.Kind != kind || b.Pool != pool.ID || b.Client != client.Config.ClientID {
		return nil, nil, cognito.NotAuthorized(msgIncorrect)
	}
	if !e.now().Before(time.UnixMilli(b.Issued).Add(client.AuthSessionTTL())) {
		return nil, nil, cognito.NotAuthorized(msgSessionExpired)
	}
	return b, sealed, nil
}

// peekBlock reads a SECRET_BLOCK without judging it, with its decoded
// bytes; nil when it cannot be read. Like peekSession, what it says is
// the server's own, but not yet checked for its kind, client or expiry.
func peekBlock(e *Engine, raw string) (*srpBlock, []byte) {
	sealed, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return nil, nil
	}
	plain, err := e.cfg.Sealer.Open(sealed, srpBlockAD)
	if err != nil {
		return nil, nil
	}
	var b srpBlock
	if json.Unmarshal(plain, &b) != nil {
		return nil, nil
	}
	return &b, sealed
}

// claim is the common part of PASSWORD_VERIFIER and
// DEVICE_PASSWORD_VERIFIER responses.
type claim struct {
	username  string
	block     string
	signature string
	timestamp string
}

// readClaim checks the presence and format of a password claim's members.
func (e *Engine) readClaim(resp map[string]string) (claim, error) {
	c := claim{
		username:  resp["USERNAME"],
		block:     resp["PASSWORD_CLAIM_SECRET_BLOCK"],
		signature: resp["PASSWORD_CLAIM_SIGNATURE"],
		timestamp: resp["TIMESTAMP"],
	}
	for _, m := range []struct{ name, value string }{
		{"USERNAME", c.username},
		{"PASSWORD_CLAIM_SECRET_BLOCK", c.block},
		{"PASSWORD_CLAIM_SIGNATURE", c.signature},
		{"TIMESTAMP", c.timestamp},
	} {
		if m.value == "" {
			return claim{}, cognito.InvalidParameter("Missing required parameter " + m.name)
		}
	}
	at, err := srp.ParseTimestamp(c.timestamp)
	if err != nil {
		return claim{}, cognito.InvalidParameter(msgTimestampFormat)
	}
	if d := e.cfg.ClientNow().Sub(at); d > maxTimestampSkew || d < -maxTimestampSkew {
		return claim{}, cognito.NotAuthorized(msgTimestampSkew)
	}
	return c, nil
}

// srpSignIn runs USER_SRP_AUTH's first step for InitiateAuth and
// AdminInitiateAuth.
func (e *Engine) srpSignIn(ctx context.Context, si *signIn, p map[string]string) (*Result, error) {
	pool, client := si.pool, si.client
	username, srpA := p["USERNAME"], p["SRP_A"]
	if username == "" {
		return nil, cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	if srpA == "" {
		return nil, cognito.InvalidParameter("Missing required parameter SRP_A")
	}
	u, err := e.cfg.Users.LookupUser(ctx, pool, username)
	found := err == nil
	if err != nil && !errors.Is(err, cognito.UserNotFound("")) {
		return nil, err
	}
	if err := checkSecretHash(client, p["SECRET_HASH"], username, u.Username); err != nil {
		return nil, err
	}
	switch {
	case found:
		if err := e.preAuthentication(ctx, si, u); err != nil {
			return nil, err
		}
		if err := resetWithoutPassword(u); err != nil {
			return nil, err
		}
	case client.PreventsExistenceErrors():
		// As for a user, told the user is unknown.
		if err := e.preAuthentication(ctx, si, store.User{Username: username}); err != nil {
			return nil, err
		}
	}
	// A DEVICE_KEY here is not used: the one that counts comes with the
	// PASSWORD_VERIFIER answer, where both JS clients send it again and
	// drop it when Cognito says the device does not exist.
	block := srpBlock{Kind: blockUser, Pool: pool.ID, Client: client.Config.ClientID, SRPA: srpA, Custom: si.custom, Event: si.event}
	var salt, verifier []byte
	if found {
		if salt, verifier, err = e.cfg.Users.SRPVerifier(u); err != nil {
			return nil, err
		}
	}
	switch {
	case found && len(verifier) > 0:
		block.Sub, block.Username = u.Sub, u.Username
	case found:
		// A password set before this server computed SRP verifiers:
		// the user exists but cannot prove the password by SRP until
		// they set a new one. They get a challenge no answer satisfies,
		// and the verifier step answers "Incorrect username or password."
		// without counting a failure: the answer a wrong password
		// gets, which reveals nothing, and which points an operator at
		// the password rather than at the flow.
		block.Username = u.Username
		salt, verifier = e.fakeVerifier(pool.ID, u.Username)
	case client.PreventsExistenceErrors():
		// An unknown user gets a challenge like anyone's, and fails at
		// the verifier step as a wrong password does. Its salt is the
		// same on every attempt, as a real user's is, so probing does
		// not tell the two apart.
		block.Username = e.fakeUserID(pool, username)
		salt, verifier = e.fakeVerifier(pool.ID, block.Username)
	default:
		return nil, cognito.UserNotFound(msgUserNotFound)
	}
	srv, err := srp.NewServer(srpA, verifier)
	if errors.Is(err, srp.ErrInvalidA) {
		return nil, cognito.InvalidParameter(msgInvalidSRPA)
	}
	if err != nil {
		return nil, err
	}
	block.B, block.Salt = srv.SecretB(), salt
	return &Result{
		ChallengeName: cognito.ChallengeNameTypePasswordVerifier,
		ChallengeParameters: map[string]string{
			"SALT":            srp.SaltHex(salt),
			"SRP_B":           srv.B(),
			"SECRET_BLOCK":    e.sealBlock(block),
			"USER_ID_FOR_SRP": block.Username,
			"USERNAME":        block.Username,
		},
	}, nil
}

// respondPasswordVerifier answers PASSWORD_VERIFIER: the client's proof
// that it knows the password. A wrong proof counts towards the lockout as
// a wrong password does; a right one leads on as a password sign-in does.
func (e *Engine) respondPasswordVerifier(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	pool, client := si.pool, si.client
	c, err := e.readClaim(r.Responses)
	if err != nil {
		return nil, err
	}
	b, sealed, err := e.openBlock(c.block, pool, client, blockUser)
	if err != nil {
		return nil, err
	}
	if err := checkSecretHash(client, r.Responses["SECRET_HASH"], c.username, b.Username); err != nil {
		return nil, err
	}
	if b.Sub == "" {
		return nil, cognito.NotAuthorized(msgIncorrect)
	}
	u, err := e.cfg.Users.UserBySub(ctx, pool.ID, b.Sub)
	if errors.Is(err, cognito.UserNotFound("")) {
		return nil, cognito.NotAuthorized(msgIncorrect)
	}
	if err != nil {
		return nil, err
	}
	if named, err := e.cfg.Users.LookupUser(ctx, pool, c.username); err != nil || named.Sub != u.Sub {
		return nil, cognito.NotAuthorized(msgIncorrect)
	}
	si.named = u
	if lockedOut(u, e.now()) {
		return nil, cognito.NotAuthorized(msgAttemptsExceeded)
	}
	salt, verifier, err := e.cfg.Users.SRPVerifier(u)
	if err != nil {
		return nil, err
	}
	if len(verifier) == 0 || !hmac.Equal(salt, b.Salt) {
		// The password changed since the challenge: the claim was made
		// against a verifier that is gone, which says nothing about the
		// password the client holds now.
		return nil, cognito.NotAuthorized(msgIncorrect)
	}
	err = e.passwordAttempt(ctx, si, u.Sub, func(u store.User) bool {
		salt, verifier, err := e.cfg.Users.SRPVerifier(u)
		if err != nil || !hmac.Equal(salt, b.Salt) {
			return false
		}
		srv, err := srp.NewServerWithB(b.SRPA, verifier, b.B)
		return err == nil && srv.Verify(userpool.SRPPoolName(pool.ID), b.Username, sealed, c.timestamp, c.signature)
	})
	if err != nil {
		return nil, err
	}
	if err := e.firstFactorPassed(ctx, si); err != nil {
		return nil, err
	}
	if b.Custom {
		return e.customStep(ctx, si, []triggers.Challenge{
			{Name: challengeSRPA, Result: true}, {Name: cognito.ChallengeNameTypePasswordVerifier, Result: true},
		}, nil)
	}
	return e.afterFirstFactor(ctx, si, r.Responses["DEVICE_KEY"])
}

// firstFactorPassed applies what follows a proof of the password (or of
// a device's secret) to the sign-in's user: disabled users are refused
// (only now, so the answer does not reveal the state to someone without
// the password), the failure count starts over, and unconfirmed users
// and users whose password was reset are stopped with their own
// exceptions.
func (e *Engine) firstFactorPassed(ctx context.Context, si *signIn) error {
	u := si.user
	if !u.Enabled {
		return cognito.NotAuthorized(msgDisabled)
	}
	if u.FailedSignIns > 0 {
		var err error
		if u, err = e.cfg.Users.ClearSignInFailures(ctx, u); err != nil {
			return err
		}
	}
	switch u.Status {
	case cognito.UserStatusUnconfirmed:
		return cognito.UserNotConfirmed(msgNotConfirmed)
	case cognito.UserStatusResetRequired:
		return cognito.PasswordResetRequired(msgResetRequired)
	}
	si.user = u
	return nil
}

// fakeKey keys the fake challenges: Config.SecretKey when set (so every
// node and every restart answers alike), else a key drawn once per
// process.
func (e *Engine) fakeKey() []byte {
	if len(e.cfg.SecretKey) > 0 {
		return e.cfg.SecretKey
	}
	return processKey
}

var processKey = func() []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}()

// fakeVerifier is the salt and verifier of a user who cannot pass SRP:
// derived from the pool, the username and a server secret, so the salt
// is stable across attempts and unpredictable to whoever probes, and the
// verifier belongs to a password nobody knows.
func (e *Engine) fakeVerifier(poolID, username string) (salt, verifier []byte) {
	mac := func(label string) []byte {
		m := hmac.New(sha256.New, e.fakeKey())
		m.Write([]byte("userpool fake srp " + label + "\x00" + poolID + "\x00" + username))
		return m.Sum(nil)
	}
	salt = mac("salt")[:16]
	password := base64.StdEncoding.EncodeToString(mac("password"))
	return salt, srp.VerifierWithSalt(userpool.SRPPoolName(poolID), username, password, salt)
}

// fakeUserID is the USER_ID_FOR_SRP an unknown user's challenge gives,
// shaped as a real user's would be: the name typed, where it could be a
// username; otherwise, where real users' ids are their subs (e-mail or
// phone as username) or their usernames look like no alias, a UUID keyed
// like the fake salt, so that it is the same on every attempt and every
// node and tells nothing. Echoing an e-mail address where a real user
// gets a UUID would say who has an account.
func (e *Engine) fakeUserID(pool *cognito.UserPoolType, username string) string {
	if userpool.CouldBeUsername(pool, username) {
		return username
	}
	m := hmac.New(sha256.New, e.fakeKey())
	m.Write([]byte("userpool fake srp user id\x00" + pool.ID + "\x00" + strings.ToLower(username)))
	var id uuid.UUID
	copy(id[:], m.Sum(nil))
	id[6] = id[6]&0x0f | 0x40 // version 4, as the subs of real users
	id[8] = id[8]&0x3f | 0x80 // RFC 9562 variant
	return id.String()
}

// sameKey compares two device keys in constant time.
func sameKey(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
