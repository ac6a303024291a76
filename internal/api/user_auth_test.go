package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Choice-based sign-in (USER_AUTH, issue 17) through aws-sdk-go-v2:
// SELECT_CHALLENGE and PREFERRED_CHALLENGE, the password, SRP and
// one-time-code first factors, the pool and client settings they need,
// GetUserAuthFactors, and every refusal.

// uaFactors are the first factors uaSetup's pool allows.
var uaFactors = []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp, types.AuthFactorTypeSmsOtp}

// uaAll is what uaSetup's user "alice" may choose from.
var uaAll = []types.ChallengeNameType{
	types.ChallengeNameTypePassword, types.ChallengeNameTypePasswordSrp, types.ChallengeNameTypeEmailOtp, types.ChallengeNameTypeSmsOtp,
}

// uaIgnoreSerde lets go-cmp compare the SDK's WebAuthn configuration.
var uaIgnoreSerde = cmpopts.IgnoreUnexported(types.WebAuthnConfigurationType{})

// uaSetup starts a server with an outbox, a pool allowing uaFactors, an
// app client allowing USER_AUTH and refresh, and the CONFIRMED user
// "alice" (tokensPassword) with a verified mfaEmail and mfaPhone.
func uaSetup(t *testing.T) (*lifecycleEnv, string, *types.UserPoolClientType) {
	t.Helper()
	e := newLifecycleEnv(t)
	pool := createTestPool(t, e.env, func(in *cip.CreateUserPoolInput) {
		in.Policies = &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: uaFactors}}
	})
	c := createTestClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	})
	tokensUser(t, e.env, pool, "alice", "email", mfaEmail, "email_verified", "true", "phone_number", mfaPhone, "phone_number_verified", "true")
	return e, pool, c
}

// uaInitiate runs InitiateAuth USER_AUTH for username with the extra
// parameter pairs given.
func uaInitiate(e *env, c *types.UserPoolClientType, username string, pairs ...string) (*cip.InitiateAuthOutput, error) {
	p := map[string]string{"USERNAME": username}
	for i := 0; i+1 < len(pairs); i += 2 {
		p[pairs[i]] = pairs[i+1]
	}
	return e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeUserAuth, AuthParameters: p})
}

// uaSelect runs InitiateAuth USER_AUTH without a preference and requires
// SELECT_CHALLENGE offering want.
func uaSelect(t *testing.T, e *env, c *types.UserPoolClientType, username string, want []types.ChallengeNameType) *cip.InitiateAuthOutput {
	t.Helper()
	out, err := uaInitiate(e, c, username)
	if err != nil {
		t.Fatalf("InitiateAuth USER_AUTH: %v", err)
	}
	if out.ChallengeName != types.ChallengeNameTypeSelectChallenge || out.Session == nil {
		t.Fatalf("InitiateAuth USER_AUTH = %q, want SELECT_CHALLENGE with a session", out.ChallengeName)
	}
	if d := cmp.Diff(want, out.AvailableChallenges); d != "" {
		t.Errorf("AvailableChallenges (-want +got):\n%s", d)
	}
	return out
}

// uaWantChallenge requires a code challenge sent to destination through
// medium.
func uaWantChallenge(t *testing.T, name types.ChallengeNameType, params map[string]string, err error, want types.ChallengeNameType, medium string) {
	t.Helper()
	if err != nil {
		t.Fatalf("want %s: %v", want, err)
	}
	if name != want || params["CODE_DELIVERY_DELIVERY_MEDIUM"] != medium || params["CODE_DELIVERY_DESTINATION"] == "" {
		t.Fatalf("challenge %q %v, want %s by %s", name, params, want, medium)
	}
}

// Choosing each factor from SELECT_CHALLENGE signs in, without MFA after
// a one-time code; each code is good once.
func TestUserAuthSelectChallenge(t *testing.T) {
	e, pool, c := uaSetup(t)

	// E-mail: the code from the outbox, used once.
	sel := uaSelect(t, e.env, c, "alice", uaAll)
	ch, err := mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "alice", "ANSWER", "EMAIL_OTP")
	uaWantChallenge(t, ch.ChallengeName, ch.ChallengeParameters, err, types.ChallengeNameTypeEmailOtp, "EMAIL")
	code := e.code(mfaEmail)
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, ch.Session, "alice", "EMAIL_OTP_CODE", code)
	tok := mfaWantTokens(t, e.env, out, err)
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, ch.Session, "alice", "EMAIL_OTP_CODE", code)
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	// The tokens refresh.
	if _, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeRefreshTokenAuth, AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(tok.RefreshToken)},
	}); err != nil {
		t.Errorf("refresh after EMAIL_OTP: %v", err)
	}

	// SMS: a wrong code first, then the right one.
	sel = uaSelect(t, e.env, c, "alice", uaAll)
	ch, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "alice", "ANSWER", "SMS_OTP")
	uaWantChallenge(t, ch.ChallengeName, ch.ChallengeParameters, err, types.ChallengeNameTypeSmsOtp, "SMS")
	code = e.code(mfaPhone)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSmsOtp, ch.Session, "alice", "SMS_OTP_CODE", wrong)
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	out, err = mfaRespond(e.env, c, types.ChallengeNameTypeSmsOtp, ch.Session, "alice", "SMS_OTP_CODE", code)
	mfaWantTokens(t, e.env, out, err)

	// Password, in one round.
	sel = uaSelect(t, e.env, c, "alice", uaAll)
	out, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "alice", "ANSWER", "PASSWORD", "PASSWORD", tokensPassword)
	mfaWantTokens(t, e.env, out, err)

	// SRP: SRP_A with the answer, then PASSWORD_VERIFIER.
	s := srpNew(t, pool, c, "alice", tokensPassword)
	sel = uaSelect(t, e.env, c, "alice", uaAll)
	ch, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "alice", "ANSWER", "PASSWORD_SRP", "SRP_A", s.GetAuthParams()["SRP_A"])
	if err != nil || ch.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("SELECT_CHALLENGE PASSWORD_SRP = %v, %v; want PASSWORD_VERIFIER", ch, err)
	}
	out, err = srpRespond(e.env, c, types.ChallengeNameTypePasswordVerifier, srpAnswer(t, e.env, s, ch.ChallengeParameters), ch.Session)
	mfaWantTokens(t, e.env, out, err)
}

// The password factors answered under their own names after
// SELECT_CHALLENGE (ChallengeName PASSWORD with PASSWORD, PASSWORD_SRP
// with SRP_A), as some clients send them, on RespondToAuthChallenge and
// its admin form.
func TestUserAuthPasswordChallengeNames(t *testing.T) {
	e, pool, c := uaSetup(t)

	sel := uaSelect(t, e.env, c, "alice", uaAll)
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypePassword, sel.Session, "alice", "PASSWORD", tokensPassword)
	mfaWantTokens(t, e.env, out, err)

	sel = uaSelect(t, e.env, c, "alice", uaAll)
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypePassword, sel.Session, "alice", "PASSWORD", "Wrong-password-1")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypePassword, sel.Session, "alice")
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter PASSWORD")

	s := srpNew(t, pool, c, "alice", tokensPassword)
	sel = uaSelect(t, e.env, c, "alice", uaAll)
	ch, err := mfaRespond(e.env, c, types.ChallengeNameTypePasswordSrp, sel.Session, "alice", "SRP_A", s.GetAuthParams()["SRP_A"])
	if err != nil || ch.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("PASSWORD_SRP = %v, %v; want PASSWORD_VERIFIER", ch, err)
	}
	out, err = srpRespond(e.env, c, types.ChallengeNameTypePasswordVerifier, srpAnswer(t, e.env, s, ch.ChallengeParameters), ch.Session)
	mfaWantTokens(t, e.env, out, err)

	// Only SELECT_CHALLENGE's session answers them.
	r, err := uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "EMAIL_OTP")
	if err != nil {
		t.Fatal(err)
	}
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypePassword, r.Session, "alice", "PASSWORD", tokensPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	admin, err := e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{
		UserPoolId: aws.String(pool), ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "alice"},
	})
	if err != nil || admin.ChallengeName != types.ChallengeNameTypeSelectChallenge {
		t.Fatalf("AdminInitiateAuth USER_AUTH = %v, %v", admin, err)
	}
	aout, err := e.Client.AdminRespondToAuthChallenge(e.ctx(), &cip.AdminRespondToAuthChallengeInput{
		UserPoolId: aws.String(pool), ClientId: c.ClientId, ChallengeName: types.ChallengeNameTypePassword, Session: admin.Session,
		ChallengeResponses: map[string]string{"USERNAME": "alice", "PASSWORD": tokensPassword},
	})
	if err != nil || aout.AuthenticationResult == nil {
		t.Errorf("AdminRespondToAuthChallenge PASSWORD = %v, %v", aout, err)
	}
}

// PREFERRED_CHALLENGE goes straight to the factor, on InitiateAuth and
// AdminInitiateAuth.
func TestUserAuthPreferredChallenge(t *testing.T) {
	e, pool, c := uaSetup(t)

	r, err := uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", tokensPassword)
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("PREFERRED_CHALLENGE=PASSWORD = %v, %v; want tokens", r, err)
	}
	tokensWantValid(t, e.env, aws.ToString(r.AuthenticationResult.AccessToken))
	_, err = uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", "Wrong-Passw0rd!")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	s := srpNew(t, pool, c, "alice", tokensPassword)
	r, err = uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "PASSWORD_SRP", "SRP_A", s.GetAuthParams()["SRP_A"])
	if err != nil || r.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("PREFERRED_CHALLENGE=PASSWORD_SRP = %v, %v; want PASSWORD_VERIFIER", r, err)
	}
	out, err := srpRespond(e.env, c, types.ChallengeNameTypePasswordVerifier, srpAnswer(t, e.env, s, r.ChallengeParameters), r.Session)
	mfaWantTokens(t, e.env, out, err)

	r, err = uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "SMS_OTP")
	uaWantChallenge(t, r.ChallengeName, r.ChallengeParameters, err, types.ChallengeNameTypeSmsOtp, "SMS")
	// MFA turned on while the code is out: none follows a one-time code.
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOn, "EMAIL_OTP")
	out, err = mfaRespond(e.env, c, types.ChallengeNameTypeSmsOtp, r.Session, "alice", "SMS_OTP_CODE", e.code(mfaPhone))
	mfaWantTokens(t, e.env, out, err)
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOff)

	// The admin forms.
	ar, err := e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{
		UserPoolId: aws.String(pool), ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
	})
	uaWantChallenge(t, ar.ChallengeName, ar.ChallengeParameters, err, types.ChallengeNameTypeEmailOtp, "EMAIL")
	aout, err := e.Client.AdminRespondToAuthChallenge(e.ctx(), &cip.AdminRespondToAuthChallengeInput{
		UserPoolId: aws.String(pool), ClientId: c.ClientId, ChallengeName: types.ChallengeNameTypeEmailOtp, Session: ar.Session,
		ChallengeResponses: map[string]string{"USERNAME": "alice", "EMAIL_OTP_CODE": e.code(mfaEmail)},
	})
	if err != nil || aout.AuthenticationResult == nil {
		t.Fatalf("AdminRespondToAuthChallenge EMAIL_OTP = %v, %v; want tokens", aout, err)
	}
	ar, err = e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{
		UserPoolId: aws.String(pool), ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "alice"},
	})
	if err != nil || ar.ChallengeName != types.ChallengeNameTypeSelectChallenge || !cmp.Equal(uaAll, ar.AvailableChallenges) {
		t.Fatalf("AdminInitiateAuth USER_AUTH = %v, %v; want SELECT_CHALLENGE", ar, err)
	}
}

// A user is offered only the factors they can use: one-time codes go to
// verified addresses, and a user whom MFA applies to gets the password
// factors only, then MFA. A preferred factor the user cannot use falls
// back to SELECT_CHALLENGE.
func TestUserAuthAvailableChallenges(t *testing.T) {
	e, pool, c := uaSetup(t)
	tokensUser(t, e.env, pool, "bob", "email", "bob@example.com", "phone_number", "+15555550101", "phone_number_verified", "true")
	uaSelect(t, e.env, c, "bob", []types.ChallengeNameType{types.ChallengeNameTypePassword, types.ChallengeNameTypePasswordSrp, types.ChallengeNameTypeSmsOtp})
	r, err := uaInitiate(e.env, c, "bob", "PREFERRED_CHALLENGE", "EMAIL_OTP")
	if err != nil || r.ChallengeName != types.ChallengeNameTypeSelectChallenge {
		t.Fatalf("PREFERRED_CHALLENGE=EMAIL_OTP without a verified e-mail = %v, %v; want SELECT_CHALLENGE", r, err)
	}
	if n := e.messageCount("bob@example.com"); n != 0 {
		t.Errorf("%d messages to an unverified address", n)
	}
	// The pool does not allow passkeys: WEB_AUTHN falls back.
	r, err = uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "WEB_AUTHN")
	if err != nil || r.ChallengeName != types.ChallengeNameTypeSelectChallenge {
		t.Fatalf("PREFERRED_CHALLENGE=WEB_AUTHN = %v, %v; want SELECT_CHALLENGE", r, err)
	}

	// MFA required: password factors only, and MFA after the password.
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOn, "EMAIL_OTP")
	sel := uaSelect(t, e.env, c, "alice", []types.ChallengeNameType{types.ChallengeNameTypePassword, types.ChallengeNameTypePasswordSrp})
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "alice", "ANSWER", "EMAIL_OTP")
	wantAPIError(t, err, "InvalidParameterException", "The ANSWER is not one of the available challenges for the user.")
	ch, err := mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "alice", "ANSWER", "PASSWORD", "PASSWORD", tokensPassword)
	uaWantChallenge(t, ch.ChallengeName, ch.ChallengeParameters, err, types.ChallengeNameTypeEmailOtp, "EMAIL")
	// The MFA code answers the MFA challenge, not a first-factor one.
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, ch.Session, "alice", "EMAIL_OTP_CODE", e.code(mfaEmail))
	mfaWantTokens(t, e.env, out, err)
}

// Every way USER_AUTH and its answers are refused.
func TestUserAuthErrors(t *testing.T) {
	e, pool, c := uaSetup(t)
	noFlow := tokensClient(t, e.env, pool, nil)
	_, err := uaInitiate(e.env, noFlow, "alice")
	wantAPIError(t, err, "InvalidParameterException", "USER_AUTH flow not enabled for this client")

	for _, tc := range []struct {
		name     string
		username string
		pairs    []string
		typ, msg string
	}{
		{"no username", "", nil, "InvalidParameterException", "Missing required parameter USERNAME"},
		{"unknown preference", "alice", []string{"PREFERRED_CHALLENGE", "CUSTOM_CHALLENGE"}, "InvalidParameterException", "Invalid PREFERRED_CHALLENGE: must be one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN."},
		{"password without it", "alice", []string{"PREFERRED_CHALLENGE", "PASSWORD"}, "InvalidParameterException", "Missing required parameter PASSWORD"},
		{"SRP without SRP_A", "alice", []string{"PREFERRED_CHALLENGE", "PASSWORD_SRP"}, "InvalidParameterException", "Missing required parameter SRP_A"},
		{"unknown user", "nobody", nil, "UserNotFoundException", "User does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := uaInitiate(e.env, c, tc.username, tc.pairs...)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}

	sel := uaSelect(t, e.env, c, "alice", uaAll)
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "alice")
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter ANSWER")
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "alice", "ANSWER", "WEB_AUTHN")
	wantAPIError(t, err, "InvalidParameterException", "The ANSWER is not one of the available challenges for the user.")
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "alice", "ANSWER", "PASSWORD")
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter PASSWORD")
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "alice", "ANSWER", "PASSWORD", "PASSWORD", "Wrong-Passw0rd!")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	// A SELECT_CHALLENGE session answers no other challenge.
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, sel.Session, "alice", "EMAIL_OTP_CODE", "123456")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	r, err := uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "EMAIL_OTP")
	uaWantChallenge(t, r.ChallengeName, r.ChallengeParameters, err, types.ChallengeNameTypeEmailOtp, "EMAIL")
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, r.Session, "alice")
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter EMAIL_OTP_CODE")
	// The e-mail code's session is not an SMS one.
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSmsOtp, r.Session, "alice", "SMS_OTP_CODE", e.code(mfaEmail))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	// A disabled user gets no code.
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	sent := e.messageCount(mfaPhone)
	_, err = uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "SMS_OTP")
	wantAPIError(t, err, "NotAuthorizedException", "User is disabled.")
	if e.messageCount(mfaPhone) != sent {
		t.Error("a disabled user was sent a code")
	}
}

// Wrong one-time codes count toward the lockout of wrong passwords.
func TestUserAuthOTPLockout(t *testing.T) {
	e, _, c := uaSetup(t)
	r, err := uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "EMAIL_OTP")
	uaWantChallenge(t, r.ChallengeName, r.ChallengeParameters, err, types.ChallengeNameTypeEmailOtp, "EMAIL")
	code := e.code(mfaEmail)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for range 5 {
		_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, r.Session, "alice", "EMAIL_OTP_CODE", wrong)
		wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	}
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, r.Session, "alice", "EMAIL_OTP_CODE", code)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
}

// The settings USER_AUTH needs, with Cognito's validation and defaults.
func TestUserAuthSettings(t *testing.T) {
	e := newEnv(t)
	_, err := e.Client.CreateUserPool(e.ctx(), &cip.CreateUserPoolInput{
		PoolName: aws.String("lite"), UserPoolTier: types.UserPoolTierTypeLite,
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: uaFactors}},
	})
	wantAPIError(t, err, "FeatureUnavailableInTierException", "Passwordless first auth factors (EMAIL_OTP, SMS_OTP, WEB_AUTHN) are not available in the LITE tier.")
	_, err = e.Client.CreateUserPool(e.ctx(), &cip.CreateUserPoolInput{
		PoolName: aws.String("no-password"),
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypeEmailOtp}}},
	})
	wantAPIError(t, err, "InvalidParameterException", "Password should be configured as one of the allowed first auth factors.")

	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Policies = &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: uaFactors}}
	})
	d, err := e.Client.DescribeUserPool(e.ctx(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if d.UserPool.UserPoolTier != types.UserPoolTierTypeEssentials || !cmp.Equal(uaFactors, d.UserPool.Policies.SignInPolicy.AllowedFirstAuthFactors) {
		t.Errorf("DescribeUserPool tier %q, factors %v", d.UserPool.UserPoolTier, d.UserPool.Policies.SignInPolicy.AllowedFirstAuthFactors)
	}

	if _, err := e.Client.SetUserPoolMfaConfig(e.ctx(), &cip.SetUserPoolMfaConfigInput{
		UserPoolId: aws.String(pool), WebAuthnConfiguration: &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("localhost")},
	}); err != nil {
		t.Fatal(err)
	}
	g, err := e.Client.GetUserPoolMfaConfig(e.ctx(), &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	want := &types.WebAuthnConfigurationType{
		RelyingPartyId: aws.String("localhost"), UserVerification: types.UserVerificationTypePreferred,
		FactorConfiguration: types.WebAuthnFactorConfigurationTypeSingleFactor,
	}
	if d := cmp.Diff(want, g.WebAuthnConfiguration, uaIgnoreSerde); d != "" {
		t.Errorf("WebAuthnConfiguration (-want +got):\n%s", d)
	}
	// A later call without it keeps it.
	mfaConfigure(t, e, pool, types.UserPoolMfaTypeOff)
	g, err = e.Client.GetUserPoolMfaConfig(e.ctx(), &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, g.WebAuthnConfiguration, uaIgnoreSerde); d != "" {
		t.Errorf("WebAuthnConfiguration after SetUserPoolMfaConfig without it (-want +got):\n%s", d)
	}
	_, err = e.Client.SetUserPoolMfaConfig(e.ctx(), &cip.SetUserPoolMfaConfigInput{
		UserPoolId: aws.String(pool), WebAuthnConfiguration: &types.WebAuthnConfigurationType{UserVerification: "discouraged"},
	})
	wantAPIError(t, err, "InvalidParameterException", "1 validation error detected: Value 'discouraged' at 'webAuthnConfiguration.userVerification' failed to satisfy constraint: Member must satisfy enum value set: [required, preferred]")
}

// GetUserAuthFactors reports the first factors and MFA of the token's user.
func TestGetUserAuthFactors(t *testing.T) {
	e, pool, _ := uaSetup(t)
	tok := e.signIn(pool, tokensClient(t, e.env, pool, nil), "alice", tokensPassword)
	out, err := e.Client.GetUserAuthFactors(e.ctx(), &cip.GetUserAuthFactorsInput{AccessToken: tok.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Username) != "alice" || !cmp.Equal(uaFactors, out.ConfiguredUserAuthFactors) || out.PreferredMfaSetting != nil || len(out.UserMFASettingList) != 0 {
		t.Errorf("GetUserAuthFactors = %+v", out)
	}
	_, err = e.Client.GetUserAuthFactors(e.ctx(), &cip.GetUserAuthFactorsInput{AccessToken: aws.String("not-a-token")})
	if err == nil {
		t.Error("GetUserAuthFactors accepted a made-up token")
	}
}

// With PreventUserExistenceErrors an unknown user is answered as a user
// could be: SELECT_CHALLENGE with what the pool allows, a code
// "sent" to a made-up address, and answers that fail as wrong ones do.
func TestUserAuthUnknownUserPrevented(t *testing.T) {
	e, pool, _ := uaSetup(t)
	c := createTestClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	})
	sent := len(e.Outbox.Messages())
	sel := uaSelect(t, e.env, c, "nobody", uaAll)
	_, err := mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "nobody", "ANSWER", "PASSWORD", "PASSWORD", tokensPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "alice", "ANSWER", "PASSWORD", "PASSWORD", tokensPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	ch, err := mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "nobody", "ANSWER", "EMAIL_OTP")
	uaWantChallenge(t, ch.ChallengeName, ch.ChallengeParameters, err, types.ChallengeNameTypeEmailOtp, "EMAIL")
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, ch.Session, "nobody", "EMAIL_OTP_CODE", "123456")
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	s := srpNew(t, pool, c, "nobody", tokensPassword)
	ch, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel.Session, "nobody", "ANSWER", "PASSWORD_SRP", "SRP_A", s.GetAuthParams()["SRP_A"])
	if err != nil || ch.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("SELECT_CHALLENGE PASSWORD_SRP for an unknown user = %v, %v; want PASSWORD_VERIFIER", ch, err)
	}
	r, err := uaInitiate(e.env, c, "nobody", "PREFERRED_CHALLENGE", "SMS_OTP")
	uaWantChallenge(t, r.ChallengeName, r.ChallengeParameters, err, types.ChallengeNameTypeSmsOtp, "SMS")
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSmsOtp, r.Session, "nobody", "SMS_OTP_CODE", "123456")
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	if n := len(e.Outbox.Messages()); n != sent {
		t.Errorf("%d messages sent for an unknown user", n-sent)
	}
	// A known user's sign-in on the same client is unchanged.
	uaSelect(t, e.env, c, "alice", uaAll)
}

// Sign-in straight after sign-up (Amplify v6 autoSignIn): SignUp's
// Session to ConfirmSignUp, ConfirmSignUp's to InitiateAuth USER_AUTH,
// which signs the user in without a password, once.
func TestUserAuthAfterConfirmSignUp(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, c := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Policies = &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: uaFactors}}
	}, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = append(in.ExplicitAuthFlows, types.ExplicitAuthFlowsTypeAllowUserAuth)
	})
	signUp := func(name, email string) *cip.SignUpOutput {
		out := e.mustSignUp(c, name, "email", email)
		if aws.ToString(out.Session) == "" {
			t.Fatalf("SignUp answered no Session")
		}
		return out
	}
	confirm := func(name, email, session string) (*cip.ConfirmSignUpOutput, error) {
		return e.Client.ConfirmSignUp(e.ctx(), &cip.ConfirmSignUpInput{
			ClientId: c.ClientId, Username: aws.String(name), ConfirmationCode: aws.String(e.code(email)), Session: aws.String(session),
		})
	}
	initiate := func(name, session string) (*cip.InitiateAuthOutput, error) {
		return e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
			ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeUserAuth, Session: aws.String(session),
			AuthParameters: map[string]string{"USERNAME": name},
		})
	}

	bob := signUp("bob", "bob@example.com")
	conf, err := confirm("bob", "bob@example.com", aws.ToString(bob.Session))
	if err != nil || aws.ToString(conf.Session) == "" {
		t.Fatalf("ConfirmSignUp with SignUp's Session = %v, %v; want a Session", conf, err)
	}
	out, err := initiate("bob", aws.ToString(conf.Session))
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth USER_AUTH with ConfirmSignUp's Session = %v, %v", out, err)
	}
	claims := tokensClaims(t, aws.ToString(out.AuthenticationResult.IdToken))
	if claims["sub"] != aws.ToString(bob.UserSub) {
		t.Errorf("ID token sub = %v, want %s", claims["sub"], aws.ToString(bob.UserSub))
	}
	// Once only.
	_, err = initiate("bob", aws.ToString(conf.Session))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	// Another user's session, SignUp's own, a made-up one.
	carol := signUp("carol", "carol@example.com")
	_, err = confirm("carol", "carol@example.com", aws.ToString(bob.Session))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	if u := usersGet(t, e.env, pool, "carol"); u.UserStatus != types.UserStatusTypeUnconfirmed {
		t.Errorf("a refused session confirmed carol: %s", u.UserStatus)
	}
	conf, err = confirm("carol", "carol@example.com", aws.ToString(carol.Session))
	if err != nil {
		t.Fatal(err)
	}
	_, err = initiate("bob", aws.ToString(conf.Session))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	_, err = initiate("carol", aws.ToString(carol.Session))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	_, err = initiate("carol", "bm90LWEtc2Vzc2lvbi1hdC1hbGwtZm9yLWNhcm9s")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	out, err = initiate("carol", aws.ToString(conf.Session))
	if err != nil || out.AuthenticationResult == nil {
		t.Errorf("carol's own session = %v, %v", out, err)
	}

	// Without SignUp's Session, ConfirmSignUp answers none.
	signUp("dave", "dave@example.com")
	plain, err := e.Client.ConfirmSignUp(e.ctx(), &cip.ConfirmSignUpInput{
		ClientId: c.ClientId, Username: aws.String("dave"), ConfirmationCode: aws.String(e.code("dave@example.com")),
	})
	if err != nil || aws.ToString(plain.Session) != "" {
		t.Errorf("ConfirmSignUp without a Session = %v, %v", plain, err)
	}
}
