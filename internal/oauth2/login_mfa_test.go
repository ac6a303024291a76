package oauth2_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
)

// After the password, a user with TOTP MFA enters a code from their app;
// a wrong or missing code shows the form again, the right one goes on to
// the client.
func TestLoginMFASoftwareToken(t *testing.T) {
	e := newMFAHostedEnv(t, mfaTOTPConfig(cognito.UserPoolMfaOptional))
	secret := e.enrollTOTP(hostedUser, true)
	q := e.authorizeQuery()
	f := wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), cognito.ChallengeNameTypeSoftwareTokenMfa)
	for _, want := range []string{
		"<h1>Enter your code</h1>", "Enter the code your authenticator app shows.",
		`autocomplete="one-time-code"`, `inputmode="numeric"`,
	} {
		if !strings.Contains(f.page.Body, want) {
			t.Errorf("the MFA form lacks %q", want)
		}
	}
	r := f.post(e.hostedEnv, q)
	wantAlert(t, r, "Enter the code.")
	r = f.post(e.hostedEnv, q, "code", mfaWrongCode(t, e, secret))
	wantAlert(t, r, "Invalid code or auth state for the user.")
	if hostedFormValue(t, r.Body, "mfa_session") != hostedFormValue(t, f.page.Body, "mfa_session") {
		t.Error("the form lost its session after a wrong code")
	}
	// Without the CSRF token nothing happens.
	bad := e.post("/login", q, url.Values{"mfa_session": {hostedFormValue(t, f.page.Body, "mfa_session")}, "challenge": {f.Challenge}, "code": {"123456"}})
	if bad.Status != http.StatusForbidden {
		t.Errorf("MFA without CSRF token: status %d", bad.Status)
	}
	r = f.post(e.hostedEnv, q, "code", mfaTOTP(t, secret, e.Clock.Now()))
	code := wantCode(t, r, hostedCallback, "st-123")
	if setCookie(r, "cognito") == nil {
		t.Error("no session after MFA")
	}
	if _, err := e.exchange(code, hostedCallback, hostedVerifier); err != nil {
		t.Errorf("exchange: %v", err)
	}
	// The session is used up.
	e.Clock.Advance(30 * time.Second)
	r = f.post(e.hostedEnv, q, "code", mfaTOTP(t, secret, e.Clock.Now()))
	wantAlert(t, r, "Invalid session for the user.")
	// A code is good once: a new sign-in cannot use the last one.
	last := mfaTOTP(t, secret, e.Clock.Now().Add(-30*time.Second))
	f = wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), cognito.ChallengeNameTypeSoftwareTokenMfa)
	wantAlert(t, f.post(e.hostedEnv, q, "code", last), "Your software token has already been used once.")
}

// SMS: the page says where the code went, masked; the outbox has it.
func TestLoginMFASMS(t *testing.T) {
	e := newMFAHostedEnv(t, mfaAllConfig(cognito.UserPoolMfaOn))
	q := e.authorizeQuery()
	f := wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), cognito.ChallengeNameTypeSmsMfa)
	if !strings.Contains(f.page.Body, "We sent a code by text message to "+htmlEscape("+*******0100")+".") {
		t.Errorf("the SMS form does not say where the code went:\n%s", f.page.Body)
	}
	wantCode(t, f.post(e.hostedEnv, q, "code", e.lastCode(mfaPhone)), hostedCallback, "st-123")
}

// Several factors: the user chooses, then answers the chosen one.
func TestLoginMFASelect(t *testing.T) {
	e := newMFAHostedEnv(t, mfaAllConfig(cognito.UserPoolMfaOptional))
	e.enrollTOTP(hostedUser, false)
	yes := true
	if err := e.Svc.AdminSetUserMFAPreference(t.Context(), &cognito.AdminSetUserMFAPreferenceInput{
		UserPoolID: e.PoolID, Username: hostedUser,
		SMSMfaSettings:           &cognito.SMSMfaSettingsType{Enabled: &yes},
		SoftwareTokenMfaSettings: &cognito.SoftwareTokenMfaSettingsType{Enabled: &yes},
	}); err != nil {
		t.Fatal(err)
	}
	q := e.authorizeQuery()
	f := wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), cognito.ChallengeNameTypeSelectMfaType)
	for _, want := range []string{
		`<button type="submit" class="submitButton-customizable" name="answer" value="SMS_MFA" autofocus>Text message (SMS)</button>`,
		`<button type="submit" class="submitButton-customizable" name="answer" value="SOFTWARE_TOKEN_MFA">Authenticator app</button>`,
	} {
		if !strings.Contains(f.page.Body, want) {
			t.Errorf("the choice lacks %q:\n%s", want, f.page.Body)
		}
	}
	r := f.post(e.hostedEnv, q, "option", "SMS_MFA")
	wantAlert(t, r, "Choose a way to verify.")
	r = f.post(e.hostedEnv, q, "answer", "EMAIL_OTP")
	wantAlert(t, r, "The ANSWER is not one of the MFA types the user can choose.")
	sms := wantMFAForm(t, f.post(e.hostedEnv, q, "answer", "SMS_MFA"), cognito.ChallengeNameTypeSmsMfa)
	wantCode(t, sms.post(e.hostedEnv, q, "code", e.lastCode(mfaPhone)), hostedCallback, "st-123")
}

// A pool that requires MFA, and a user without any: the page shows a new
// authenticator key, and a code from it signs the user in and makes it
// their MFA.
func TestLoginMFASetup(t *testing.T) {
	e := newMFAHostedEnv(t, mfaTOTPConfig(cognito.UserPoolMfaOn))
	q := e.authorizeQuery()
	f := wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), cognito.ChallengeNameTypeMfaSetup)
	if !strings.Contains(f.page.Body, "<h1>Set up an authenticator app</h1>") {
		t.Errorf("not the set-up form:\n%s", f.page.Body)
	}
	secret := hostedFormValue(t, f.page.Body, "secret_code")
	if len(secret) != 32 || !strings.Contains(f.page.Body, `<code id="secret-code">`+secret+`</code>`) {
		t.Fatalf("secret %q not shown:\n%s", secret, f.page.Body)
	}
	r := f.post(e.hostedEnv, q, "secret_code", secret, "code", mfaWrongCode(t, e, secret))
	wantAlert(t, r, "Code mismatch and fail enable Software Token MFA")
	if !strings.Contains(r.Body, secret) {
		t.Error("the key is gone after a wrong code")
	}
	wantCode(t, f.post(e.hostedEnv, q, "code", mfaTOTP(t, secret, e.Clock.Now())), hostedCallback, "st-123")
	u, err := e.Svc.LookupUser(t.Context(), mustPool(t, e.hostedEnv), hostedUser)
	if err != nil {
		t.Fatal(err)
	}
	if !u.MFA.TOTPEnabled || u.MFA.Preferred != cognito.ChallengeNameTypeSoftwareTokenMfa {
		t.Errorf("after set-up: %+v", u.MFA)
	}
	// Next time the page asks for a code.
	e.Clock.Advance(30 * time.Second)
	wantMFAForm(t, e.newSignIn(q, hostedUser, hostedPassword), cognito.ChallengeNameTypeSoftwareTokenMfa)
}

// What only signing in again mends sends the user back to the sign-in
// form: an expired or forged session, one of the JSON API, a lockout.
func TestLoginMFASessionErrors(t *testing.T) {
	e := newMFAHostedEnv(t, mfaTOTPConfig(cognito.UserPoolMfaOptional))
	// A client the JSON API may sign in with too.
	e.ClientID = e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []string{cognito.ExplicitAuthFlowsAllowAdminUserPasswordAuth, cognito.ExplicitAuthFlowsAllowRefreshTokenAuth}
	})
	secret := e.enrollTOTP(hostedUser, true)
	q := e.authorizeQuery()
	f := wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), cognito.ChallengeNameTypeSoftwareTokenMfa)
	backToSignIn := func(r hostedResponse, msg string) {
		t.Helper()
		wantAlert(t, r, msg)
		if !strings.Contains(r.Body, "<h1>Sign in</h1>") {
			t.Errorf("did not go back to the sign-in form:\n%s", r.Body)
		}
	}
	backToSignIn(f.post(e.hostedEnv, q, "mfa_session", "forged", "code", "123456"), "Invalid session for the user.")
	backToSignIn(f.post(e.hostedEnv, q, "challenge", cognito.ChallengeNameTypeNewPasswordRequired, "code", "123456"), "Invalid session for the user.")

	// The JSON API's MFA session does not work on the page, nor the page's
	// in RespondToAuthChallenge.
	api, err := e.Engine.InitiateAuth(t.Context(), auth.InitiateRequest{
		Admin: true, PoolID: e.PoolID, ClientID: e.ClientID, Flow: cognito.AuthFlowAdminUserPasswordAuth,
		Params: map[string]string{"USERNAME": hostedUser, "PASSWORD": hostedPassword},
	})
	if err != nil || api.ChallengeName != cognito.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("AdminInitiateAuth: %+v, %v", api, err)
	}
	backToSignIn(f.post(e.hostedEnv, q, "mfa_session", api.Session, "code", "123456"), "Invalid session for the user.")
	_, err = e.Engine.RespondToAuthChallenge(t.Context(), auth.ChallengeRequest{
		ClientID: e.ClientID, Name: cognito.ChallengeNameTypeSoftwareTokenMfa, Session: hostedFormValue(t, f.page.Body, "mfa_session"),
		Responses: map[string]string{"USERNAME": hostedUser, "SOFTWARE_TOKEN_MFA_CODE": mfaTOTP(t, secret, e.Clock.Now())},
	})
	if err == nil || !strings.Contains(err.Error(), "Invalid session for the user.") {
		t.Errorf("RespondToAuthChallenge with a hosted session: %v", err)
	}

	// Five wrong codes lock the user out.
	for range 5 {
		wantAlert(t, f.post(e.hostedEnv, q, "code", mfaWrongCode(t, e, secret)), "Invalid code or auth state for the user.")
	}
	backToSignIn(f.post(e.hostedEnv, q, "code", mfaTOTP(t, secret, e.Clock.Now())), "Password attempts exceeded")

	// An expired session.
	e.Clock.Advance(20 * time.Minute)
	f = wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), cognito.ChallengeNameTypeSoftwareTokenMfa)
	e.Clock.Advance(3*time.Minute + time.Second)
	backToSignIn(f.post(e.hostedEnv, q, "code", mfaTOTP(t, secret, e.Clock.Now())), "Invalid session for the user, session is expired.")
}

// A temporary password first, then MFA.
func TestLoginNewPasswordThenMFA(t *testing.T) {
	e := newMFAHostedEnv(t, mfaAllConfig(cognito.UserPoolMfaOn))
	e.createUser("carol", "Temporary-Pass-1!", false, cognito.AttributeType{Name: "phone_number", Value: "+15555550199"})
	q := e.authorizeQuery()
	r := e.signIn(q, "carol", "Temporary-Pass-1!")
	token, session := hostedFormValue(t, r.Body, "_csrf"), hostedFormValue(t, r.Body, "session")
	r = e.post("/login", q, url.Values{"_csrf": {token}, "session": {session}, "username": {"carol"},
		"new_password": {"Brand-New-Pass-2!"}, "confirm_password": {"Brand-New-Pass-2!"}})
	f := wantMFAForm(t, r, cognito.ChallengeNameTypeSmsMfa)
	if hostedFormValue(t, f.page.Body, "username") != "carol" {
		t.Error("the MFA form lost the username")
	}
	wantCode(t, f.post(e.hostedEnv, q, "code", e.lastCode("+15555550199")), hostedCallback, "st-123")
}

// mfaWrongCode is a code none of the accepted codes of secret equals.
func mfaWrongCode(t *testing.T, e *mfaHostedEnv, secret string) string {
	t.Helper()
	now := e.Clock.Now()
	good := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		good[mfaTOTP(t, secret, now.Add(d))] = true
	}
	for d := '0'; ; d++ {
		if c := strings.Repeat(string(d), 6); !good[c] {
			return c
		}
	}
}
