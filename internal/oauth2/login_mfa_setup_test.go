package oauth2_test

import (
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
)

// The hosted page's MFA set-up when the pool offers e-mail codes: the
// user chooses between an authenticator app and e-mail, gives an address,
// and the code sent there signs them in and makes it their e-mail and
// their MFA.

const setupAddress = "alice@example.com"

// mfaTOTPEmailConfig turns software tokens and e-mail codes on, in mode.
func mfaTOTPEmailConfig(mode string) *cognito.SetUserPoolMfaConfigInput {
	in := mfaTOTPConfig(mode)
	in.EmailMfaConfiguration = &cognito.EmailMfaConfigType{}
	return in
}

func TestLoginMFASetupEmail(t *testing.T) {
	e := newMFAHostedEnv(t, mfaTOTPEmailConfig(cognito.UserPoolMfaOn))
	q := e.authorizeQuery()
	choice := wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), auth.HostedSetupChoice)
	for _, want := range []string{"<h1>Set up multi-factor authentication</h1>", `value="SOFTWARE_TOKEN_MFA"`, `value="EMAIL_OTP"`, ">Email</button>"} {
		if !strings.Contains(choice.page.Body, want) {
			t.Errorf("the choice page lacks %s:\n%s", want, choice.page.Body)
		}
	}
	wantAlert(t, choice.post(e.hostedEnv, q, "answer", cognito.ChallengeNameTypeSmsMfa), "The ANSWER is not one of the MFA types the user can choose.")
	wantAlert(t, choice.post(e.hostedEnv, q), "Choose a way to verify.")

	form := wantMFAForm(t, choice.post(e.hostedEnv, q, "answer", cognito.ChallengeNameTypeEmailOtp), auth.HostedSetupEmail)
	if !strings.Contains(form.page.Body, `<input class="inputField-customizable" id="email" name="email" type="email"`) {
		t.Errorf("no e-mail input:\n%s", form.page.Body)
	}
	wantAlert(t, form.post(e.hostedEnv, q), "Enter your email address.")
	wantAlert(t, form.post(e.hostedEnv, q, "email", "not-an-email"), "Invalid email address format.")

	code := wantMFAForm(t, form.post(e.hostedEnv, q, "email", setupAddress), cognito.ChallengeNameTypeEmailOtp)
	if !strings.Contains(code.page.Body, "We sent a code by email to a***@e***.") {
		t.Errorf("the code form does not say where the code went:\n%s", code.page.Body)
	}
	u, err := e.Svc.LookupUser(t.Context(), mustPool(t, e.hostedEnv), hostedUser)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := u.Attr("email"); v != "" {
		t.Errorf("email %q before the code came back", v)
	}
	sent := e.lastCode(setupAddress)
	wrong := "000000"
	if sent == wrong {
		wrong = "111111"
	}
	wantAlert(t, code.post(e.hostedEnv, q, "code", wrong), "Invalid code or auth state for the user.")
	wantCode(t, code.post(e.hostedEnv, q, "code", sent), hostedCallback, "st-123")

	u, err = e.Svc.LookupUser(t.Context(), mustPool(t, e.hostedEnv), hostedUser)
	if err != nil {
		t.Fatal(err)
	}
	if !u.MFA.EmailEnabled || u.MFA.Preferred != cognito.ChallengeNameTypeEmailOtp ||
		!hasAttr(u.Attributes, "email", setupAddress) || !hasAttr(u.Attributes, "email_verified", "true") {
		t.Errorf("after the set-up: MFA %+v, attributes %+v", u.MFA, u.Attributes)
	}
	// Next time (in another browser) the page sends a code to the
	// address.
	e.Browser = e.newBrowser()
	next := wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), cognito.ChallengeNameTypeEmailOtp)
	wantCode(t, next.post(e.hostedEnv, q, "code", e.lastCode(setupAddress)), hostedCallback, "st-123")
}

// Choosing the authenticator app leads to its key, as in a pool that
// offers nothing else.
func TestLoginMFASetupChooseTOTP(t *testing.T) {
	e := newMFAHostedEnv(t, mfaTOTPEmailConfig(cognito.UserPoolMfaOn))
	q := e.authorizeQuery()
	choice := wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), auth.HostedSetupChoice)
	f := wantMFAForm(t, choice.post(e.hostedEnv, q, "answer", cognito.ChallengeNameTypeSoftwareTokenMfa), cognito.ChallengeNameTypeMfaSetup)
	secret := hostedFormValue(t, f.page.Body, "secret_code")
	wantCode(t, f.post(e.hostedEnv, q, "code", mfaTOTP(t, secret, e.Clock.Now())), hostedCallback, "st-123")
}

// A pool whose only factor to set up is e-mail goes straight to the
// address; the code session is not the address step's.
func TestLoginMFASetupEmailOnly(t *testing.T) {
	e := newMFAHostedEnv(t, &cognito.SetUserPoolMfaConfigInput{MfaConfiguration: cognito.UserPoolMfaOn, EmailMfaConfiguration: &cognito.EmailMfaConfigType{}})
	q := e.authorizeQuery()
	form := wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), auth.HostedSetupEmail)
	code := wantMFAForm(t, form.post(e.hostedEnv, q, "email", setupAddress), cognito.ChallengeNameTypeEmailOtp)
	// The address step's session cannot answer with a code, nor the
	// code step's with an address: both go back to signing in.
	r := form.post(e.hostedEnv, q, "challenge", cognito.ChallengeNameTypeEmailOtp, "code", e.lastCode(setupAddress))
	wantAlert(t, r, "Invalid session for the user.")
	r = code.post(e.hostedEnv, q, "challenge", auth.HostedSetupEmail, "email", "other@example.com")
	wantAlert(t, r, "Invalid session for the user.")
	wantCode(t, code.post(e.hostedEnv, q, "code", e.lastCode(setupAddress)), hostedCallback, "st-123")
}
