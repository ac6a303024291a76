package auth

import (
	"errors"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// The pieces of the MFA steps that the SDK and hosted-page tests reach
// only indirectly.

// A SOFTWARE_TOKEN_MFA session is sealed for the user's last TOTP step,
// other challenges for nothing more than their name.
func TestTOTPBinding(t *testing.T) {
	u := store.User{MFA: store.UserMFA{TOTPLastStep: 59_000_001}}
	if got := totpBinding(userpool.MFASoftwareToken, u); got != "#59000001" {
		t.Errorf("TOTP binding = %q", got)
	}
	for _, f := range []string{userpool.MFASMS, userpool.MFAEmail, cognito.ChallengeNameTypeSelectMfaType} {
		if got := totpBinding(f, u); got != "" {
			t.Errorf("%s binding = %q, want none", f, got)
		}
	}
}

// The steps of MFA_SETUP reseal their session without extending it, and
// a session that is not the server's reads as nothing.
func TestResealSession(t *testing.T) {
	now := testT0
	e := New(Config{Sealer: testSealer(t), Now: func() time.Time { return now }})
	raw := e.newSession(session{Pool: "p", Client: "c", Sub: "s", Challenge: cognito.ChallengeNameTypeMfaSetup}, 3*time.Minute)
	now = now.Add(2 * time.Minute)
	s, err := e.openSession(raw, "c", cognito.ChallengeNameTypeMfaSetup)
	if err != nil {
		t.Fatal(err)
	}
	again := e.resealSession(*s)
	if again == raw {
		t.Error("the resealed session is the same string")
	}
	now = now.Add(time.Minute + time.Millisecond)
	if _, err := e.openSession(again, "c", cognito.ChallengeNameTypeMfaSetup); err == nil || err.Error() != cognito.NotAuthorized(msgSessionExpired).Error() {
		t.Errorf("resealed session after the first one's expiry: %v", err)
	}
	for _, bad := range []string{"", "!!!", "QUJD", again[:len(again)-2]} {
		if peekSession(e, bad) != nil {
			t.Errorf("peekSession(%q) read something", bad)
		}
	}
	if c := peekSession(e, again); c == nil || c.Client != "c" || c.Sub != "s" {
		t.Errorf("peekSession = %+v", c)
	}
}

func TestCheckTokenOrSession(t *testing.T) {
	for _, tc := range []struct {
		token, session string
		ok             bool
	}{
		{"t", "", true}, {"", "s", true}, {"", "", false}, {"t", "s", false},
	} {
		err := CheckTokenOrSession(tc.token, tc.session)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, cognito.InvalidParameter(""))) {
			t.Errorf("CheckTokenOrSession(%q, %q) = %v", tc.token, tc.session, err)
		}
	}
}

// The hosted page answers only MFA challenges: a session of another
// hosted step (the new password's) is refused before anything is read.
func TestHostedMFAChallenges(t *testing.T) {
	e := New(Config{Sealer: testSealer(t)})
	for _, ch := range []string{cognito.ChallengeNameTypeNewPasswordRequired, "", "hosted:SMS_MFA", cognito.ChallengeNameTypePasswordVerifier} {
		_, err := e.HostedMFA(t.Context(), "client", "session", ch, "123456")
		if err == nil || err.Error() != cognito.NotAuthorized(msgSessionInvalid).Error() {
			t.Errorf("HostedMFA(%q) = %v, want Invalid session", ch, err)
		}
	}
}
