package oauth2_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/testserver"
)

// Helpers for the tests of the hosted page's MFA step (issue 6): the
// server of newHostedEnv, whose service also delivers codes into an
// outbox, and TOTP codes computed here from a secret.

// mfaHostedEnv is a hostedEnv with an outbox.
type mfaHostedEnv struct {
	*hostedEnv
	Outbox *delivery.Outbox
}

// mfaPhone is the phone number of the users these tests give one.
const mfaPhone = "+15555550100"

// newMFAHostedEnv starts a server like newHostedEnv's (pool, OAuth client,
// user alice) whose messages land in an outbox, and sets the pool's MFA.
func newMFAHostedEnv(t *testing.T, mfa *cognito.SetUserPoolMfaConfigInput) *mfaHostedEnv {
	t.Helper()
	ctx := t.Context()
	e, svc := newHostedStack(t, "", testserver.WithOutbox(nil))
	pool, err := svc.CreatePool(ctx, &cognito.CreateUserPoolInput{PoolName: "hosted-mfa"})
	if err != nil {
		t.Fatal(err)
	}
	e.PoolID = pool.ID
	addDomain(t, svc, pool.ID)
	e.ClientID = e.createClient(nil)
	e.createUser(hostedUser, hostedPassword, true, cognito.AttributeType{Name: "phone_number", Value: mfaPhone})
	in := *mfa
	in.UserPoolID = pool.ID
	if _, err := svc.SetUserPoolMfaConfig(ctx, &in); err != nil {
		t.Fatal(err)
	}
	return &mfaHostedEnv{hostedEnv: e, Outbox: e.stack.Outbox}
}

// mfaTOTPConfig turns software tokens on, in mode.
func mfaTOTPConfig(mode string) *cognito.SetUserPoolMfaConfigInput {
	yes := true
	return &cognito.SetUserPoolMfaConfigInput{
		MfaConfiguration:              mode,
		SoftwareTokenMfaConfiguration: &cognito.SoftwareTokenMfaConfigType{Enabled: &yes},
	}
}

// mfaAllConfig turns software tokens and SMS on, in mode.
func mfaAllConfig(mode string) *cognito.SetUserPoolMfaConfigInput {
	in := mfaTOTPConfig(mode)
	in.SmsMfaConfiguration = &cognito.SmsMfaConfigType{SmsConfiguration: &cognito.SmsConfigurationType{
		SnsCallerARn: "arn:aws:iam::123456789012:role/sns", ExternalID: "test",
	}}
	return in
}

// mfaTOTP is the code of a base32 secret at time at (RFC 6238).
func mfaTOTP(t *testing.T, secret string, at time.Time) string {
	return testserver.TOTP(t, secret, at)
}

// enrollTOTP gives a user a verified authenticator, turned on and
// preferred when enable is set, through the service, and moves the clock
// to the next step (a code is good once). It returns the secret.
func (e *mfaHostedEnv) enrollTOTP(username string, enable bool) string {
	e.t.Helper()
	ctx := e.t.Context()
	pool := mustPool(e.t, e.hostedEnv)
	u, err := e.Svc.LookupUser(ctx, pool, username)
	if err != nil {
		e.t.Fatal(err)
	}
	secret, err := e.Svc.AssociateSoftwareToken(ctx, pool, u)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.Svc.VerifySoftwareToken(ctx, pool, u, mfaTOTP(e.t, secret, e.Clock.Now()), "phone"); err != nil {
		e.t.Fatal(err)
	}
	if enable {
		yes := true
		if err := e.Svc.AdminSetUserMFAPreference(ctx, &cognito.AdminSetUserMFAPreferenceInput{
			UserPoolID: e.PoolID, Username: username,
			SoftwareTokenMfaSettings: &cognito.SoftwareTokenMfaSettingsType{Enabled: &yes, PreferredMfa: &yes},
		}); err != nil {
			e.t.Fatal(err)
		}
	}
	e.Clock.Advance(30 * time.Second)
	return secret
}

// mfaForm is the MFA form a response shows: its challenge, and a poster
// that sends the form's hidden fields with extra ones.
type mfaForm struct {
	Challenge string
	page      hostedResponse
}

// wantMFAForm asserts a response is the MFA form for challenge, with no
// session cookie yet.
func wantMFAForm(t *testing.T, r hostedResponse, challenge string) mfaForm {
	t.Helper()
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `name="mfa_session"`) {
		t.Fatalf("status %d, want the MFA form:\n%s", r.Status, r.Body)
	}
	if got := hostedFormValue(t, r.Body, "challenge"); got != challenge {
		t.Fatalf("challenge = %q, want %q", got, challenge)
	}
	wantPageHeaders(t, r)
	if setCookie(r, "cognito") != nil {
		t.Fatal("a session was set before MFA")
	}
	return mfaForm{Challenge: challenge, page: r}
}

// post sends the form back with its hidden fields and the values given.
func (f mfaForm) post(e *hostedEnv, q url.Values, pairs ...string) hostedResponse {
	e.t.Helper()
	form := url.Values{}
	for _, name := range []string{"_csrf", "mfa_session", "challenge", "username"} {
		form.Set(name, hostedFormValue(e.t, f.page.Body, name))
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		form.Set(pairs[i], pairs[i+1])
	}
	return e.post("/login", q, form)
}

// lastCode is the newest code sent to destination.
func (e *mfaHostedEnv) lastCode(destination string) string {
	e.t.Helper()
	msgs := e.Outbox.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Destination == destination {
			return msgs[i].Code
		}
	}
	e.t.Fatalf("no message to %s", destination)
	return ""
}
