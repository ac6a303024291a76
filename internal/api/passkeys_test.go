package api_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/document"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// Passkeys (issue 17) through aws-sdk-go-v2, with softAuthenticator as
// the browser: registration after a password sign-in, listing, sign-in
// through USER_AUTH's WEB_AUTHN challenge, refresh, deletion, and every
// refusal.

// pkOrigin is the app's origin, on the relying party's host.
const pkOrigin = "http://localhost:3000"

// pkSetup is uaSetup with WEB_AUTHN allowed, the relying party
// "localhost" requiring user verification, and a client that also allows
// USER_PASSWORD_AUTH; it returns alice's access token from a password
// sign-in.
func pkSetup(t *testing.T) (*lifecycleEnv, string, *types.UserPoolClientType, string) {
	t.Helper()
	e := newLifecycleEnv(t)
	pool := createTestPool(t, e.env, func(in *cip.CreateUserPoolInput) {
		in.Policies = &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
			AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeWebAuthn},
		}}
	})
	if _, err := e.Client.SetUserPoolMfaConfig(e.ctx(), &cip.SetUserPoolMfaConfigInput{
		UserPoolId:            aws.String(pool),
		WebAuthnConfiguration: &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("localhost"), UserVerification: types.UserVerificationTypeRequired},
	}); err != nil {
		t.Fatal(err)
	}
	c := createTestClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		}
	})
	tokensUser(t, e.env, pool, "alice", "email", mfaEmail)
	tok := e.signIn(pool, c, "alice", tokensPassword)
	return e, pool, c, aws.ToString(tok.AccessToken)
}

// pkStart runs StartWebAuthnRegistration and decodes its options.
func pkStart(t *testing.T, e *env, access string) map[string]any {
	t.Helper()
	out, err := e.Client.StartWebAuthnRegistration(e.ctx(), &cip.StartWebAuthnRegistrationInput{AccessToken: aws.String(access)})
	if err != nil {
		t.Fatalf("StartWebAuthnRegistration: %v", err)
	}
	var options map[string]any
	if err := out.CredentialCreationOptions.UnmarshalSmithyDocument(&options); err != nil {
		t.Fatalf("CredentialCreationOptions: %v", err)
	}
	return options
}

func pkComplete(e *env, access string, credential map[string]any) error {
	_, err := e.Client.CompleteWebAuthnRegistration(e.ctx(), &cip.CompleteWebAuthnRegistrationInput{
		AccessToken: aws.String(access), Credential: document.NewLazyDocument(credential),
	})
	return err
}

// pkRegister registers a passkey of a for the access token's user.
func pkRegister(t *testing.T, e *env, access string, a *softAuthenticator) {
	t.Helper()
	if err := pkComplete(e, access, a.create(t, pkStart(t, e, access))); err != nil {
		t.Fatalf("CompleteWebAuthnRegistration: %v", err)
	}
}

func TestPasskeyRegisterAndSignIn(t *testing.T) {
	e, _, c, access := pkSetup(t)
	options := pkStart(t, e.env, access)
	sel, _ := options["authenticatorSelection"].(map[string]any)
	if sel["residentKey"] != "required" || sel["userVerification"] != "required" || options["challenge"] == "" {
		t.Errorf("CredentialCreationOptions = %v", options)
	}
	a := newSoftAuthenticator(t, pkOrigin)
	if err := pkComplete(e.env, access, a.create(t, options)); err != nil {
		t.Fatalf("CompleteWebAuthnRegistration: %v", err)
	}

	list, err := e.Client.ListWebAuthnCredentials(e.ctx(), &cip.ListWebAuthnCredentialsInput{AccessToken: aws.String(access)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Credentials) != 1 {
		t.Fatalf("ListWebAuthnCredentials = %d credentials", len(list.Credentials))
	}
	got := list.Credentials[0]
	if aws.ToString(got.CredentialId) != b64.EncodeToString(a.id) || aws.ToString(got.RelyingPartyId) != "localhost" ||
		aws.ToString(got.AuthenticatorAttachment) != "platform" || !cmp.Equal(got.AuthenticatorTransports, []string{"internal"}) ||
		got.CreatedAt == nil || aws.ToString(got.FriendlyCredentialName) == "" {
		t.Errorf("credential = %+v", got)
	}
	factors, err := e.Client.GetUserAuthFactors(e.ctx(), &cip.GetUserAuthFactorsInput{AccessToken: aws.String(access)})
	if err != nil || !cmp.Equal(factors.ConfiguredUserAuthFactors, []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeWebAuthn}) {
		t.Errorf("GetUserAuthFactors = %v, %v", factors, err)
	}

	// SELECT_CHALLENGE offers the passkey; choosing it asks for it.
	sel2 := uaSelect(t, e.env, c, "alice", []types.ChallengeNameType{types.ChallengeNameTypePassword, types.ChallengeNameTypePasswordSrp, types.ChallengeNameTypeWebAuthn})
	ch, err := mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel2.Session, "alice", "ANSWER", "WEB_AUTHN")
	if err != nil || ch.ChallengeName != types.ChallengeNameTypeWebAuthn || ch.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"] == "" {
		t.Fatalf("SELECT_CHALLENGE WEB_AUTHN = %v, %v", ch, err)
	}
	credential := a.get(t, ch.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"])
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeWebAuthn, ch.Session, "alice", "CREDENTIAL", credential)
	tok := mfaWantTokens(t, e.env, out, err)
	// The same answer again: its challenge is used up.
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeWebAuthn, ch.Session, "alice", "CREDENTIAL", credential)
	wantAPIError(t, err, "NotAuthorizedException", "The passkey could not be verified.")
	if _, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeRefreshTokenAuth, AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(tok.RefreshToken)},
	}); err != nil {
		t.Errorf("refresh after a passkey sign-in: %v", err)
	}

	// PREFERRED_CHALLENGE=WEB_AUTHN goes straight to it.
	r, err := uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "WEB_AUTHN")
	if err != nil || r.ChallengeName != types.ChallengeNameTypeWebAuthn {
		t.Fatalf("PREFERRED_CHALLENGE=WEB_AUTHN = %v, %v", r, err)
	}
	out, err = mfaRespond(e.env, c, types.ChallengeNameTypeWebAuthn, r.Session, "alice", "CREDENTIAL", a.get(t, r.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]))
	mfaWantTokens(t, e.env, out, err)

	// SELECT_CHALLENGE answered WEB_AUTHN with the passkey's answer to
	// options an earlier WEB_AUTHN challenge gave: one round.
	r, err = uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "WEB_AUTHN")
	if err != nil {
		t.Fatal(err)
	}
	early := a.get(t, r.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"])
	sel3 := uaSelect(t, e.env, c, "alice", []types.ChallengeNameType{types.ChallengeNameTypePassword, types.ChallengeNameTypePasswordSrp, types.ChallengeNameTypeWebAuthn})
	out, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel3.Session, "alice", "ANSWER", "WEB_AUTHN", "CREDENTIAL", early)
	mfaWantTokens(t, e.env, out, err)
	// Its challenge is used up by then.
	sel3 = uaSelect(t, e.env, c, "alice", []types.ChallengeNameType{types.ChallengeNameTypePassword, types.ChallengeNameTypePasswordSrp, types.ChallengeNameTypeWebAuthn})
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectChallenge, sel3.Session, "alice", "ANSWER", "WEB_AUTHN", "CREDENTIAL", early)
	wantAPIError(t, err, "NotAuthorizedException", "The passkey could not be verified.")

	// Another key with the same id does not sign in.
	forged := newSoftAuthenticator(t, pkOrigin)
	forged.id, forged.userHandle = a.id, a.userHandle
	r, err = uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "WEB_AUTHN")
	if err != nil {
		t.Fatal(err)
	}
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeWebAuthn, r.Session, "alice", "CREDENTIAL", forged.get(t, r.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]))
	wantAPIError(t, err, "NotAuthorizedException", "The passkey could not be verified.")
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeWebAuthn, r.Session, "alice")
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter CREDENTIAL")

	// Deleted, it is offered no more.
	if _, err := e.Client.DeleteWebAuthnCredential(e.ctx(), &cip.DeleteWebAuthnCredentialInput{
		AccessToken: aws.String(access), CredentialId: got.CredentialId,
	}); err != nil {
		t.Fatal(err)
	}
	_, err = e.Client.DeleteWebAuthnCredential(e.ctx(), &cip.DeleteWebAuthnCredentialInput{AccessToken: aws.String(access), CredentialId: got.CredentialId})
	wantAPIError(t, err, "ResourceNotFoundException", "The passkey does not exist.")
	uaSelect(t, e.env, c, "alice", []types.ChallengeNameType{types.ChallengeNameTypePassword, types.ChallengeNameTypePasswordSrp})
}

// Every way a registration is refused.
func TestPasskeyRegistrationErrors(t *testing.T) {
	e, pool, _, access := pkSetup(t)
	a := newSoftAuthenticator(t, pkOrigin)

	// Complete without Start.
	options := map[string]any{"challenge": "bm90LXN0YXJ0ZWQ", "rp": map[string]any{"id": "localhost"}, "user": map[string]any{"id": "YWxpY2U"}}
	err := pkComplete(e.env, access, a.create(t, options))
	wantAPIError(t, err, "WebAuthnChallengeNotFoundException", "No passkey registration is under way for the user, or it has expired.")

	// Another challenge than the one given.
	pkStart(t, e.env, access)
	err = pkComplete(e.env, access, a.create(t, options))
	wantAPIError(t, err, "WebAuthnChallengeNotFoundException", "No passkey registration is under way for the user, or it has expired.")

	// From an origin outside the relying party.
	evil := newSoftAuthenticator(t, "https://evil.example")
	err = pkComplete(e.env, access, evil.create(t, pkStart(t, e.env, access)))
	wantAPIError(t, err, "WebAuthnOriginNotAllowedException", "The passkey response comes from an origin the relying party does not allow.")

	// For another relying party.
	options = pkStart(t, e.env, access)
	options["rp"] = map[string]any{"id": "example.com"}
	err = pkComplete(e.env, access, a.create(t, options))
	wantAPIError(t, err, "WebAuthnRelyingPartyMismatchException", "The passkey is bound to another relying party.")

	// Started through one app client, completed through another.
	options = pkStart(t, e.env, access)
	other := createTestClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	})
	otherAccess := aws.ToString(e.signIn(pool, other, "alice", tokensPassword).AccessToken)
	err = pkComplete(e.env, otherAccess, a.create(t, options))
	wantAPIError(t, err, "WebAuthnClientMismatchException", "The passkey registration was started by another app client.")

	// The same passkey twice.
	pkRegister(t, e.env, access, a)
	err = pkComplete(e.env, access, a.create(t, pkStart(t, e.env, access)))
	wantAPIError(t, err, "InvalidParameterException", "The passkey is already registered.")

	_, err = e.Client.ListWebAuthnCredentials(e.ctx(), &cip.ListWebAuthnCredentialsInput{AccessToken: aws.String(access), MaxResults: aws.Int32(21)})
	if err == nil {
		t.Error("ListWebAuthnCredentials accepted MaxResults 21")
	}
	_, err = e.Client.StartWebAuthnRegistration(e.ctx(), &cip.StartWebAuthnRegistrationInput{AccessToken: aws.String("not-a-token")})
	if err == nil {
		t.Error("StartWebAuthnRegistration accepted a made-up token")
	}

	// Pools without passkeys, or without a relying party.
	plain, pc := pkPool(t, e.env, nil)
	plainAccess := aws.ToString(e.signIn(plain, pc, "alice", tokensPassword).AccessToken)
	_, err = e.Client.StartWebAuthnRegistration(e.ctx(), &cip.StartWebAuthnRegistrationInput{AccessToken: aws.String(plainAccess)})
	wantAPIError(t, err, "WebAuthnNotEnabledException", "Passkeys (WEB_AUTHN) are not an allowed first auth factor of this user pool.")
	norp, nc := pkPool(t, e.env, []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeWebAuthn})
	norpAccess := aws.ToString(e.signIn(norp, nc, "alice", tokensPassword).AccessToken)
	_, err = e.Client.StartWebAuthnRegistration(e.ctx(), &cip.StartWebAuthnRegistrationInput{AccessToken: aws.String(norpAccess)})
	wantAPIError(t, err, "WebAuthnConfigurationMissingException", "The user pool has no relying party id for passkeys: set WebAuthnConfiguration.RelyingPartyId or give the user pool a domain.")
}

// pkPool creates a pool allowing factors (nil: the default) and a
// client allowing the password flows, with the user alice.
func pkPool(t *testing.T, e *env, factors []types.AuthFactorType) (string, *types.UserPoolClientType) {
	t.Helper()
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		if factors != nil {
			in.Policies = &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: factors}}
		}
	})
	c := tokensClient(t, e, pool, nil)
	tokensUser(t, e, pool, "alice")
	return pool, c
}

// Without a RelyingPartyId the pool's domain is the relying party: the
// prefix domain's host, or the custom domain; a passkey registered there
// signs in with the options naming that host.
func TestPasskeyRelyingPartyFromDomain(t *testing.T) {
	e := newLifecycleEnv(t)
	for _, tc := range []struct {
		domain string
		custom bool
		want   func(pool string) string
	}{
		{"pk-prefix", false, func(pool string) string {
			return "pk-prefix.auth." + strings.Split(pool, "_")[0] + ".amazoncognito.com"
		}},
		{"auth.pk.example.com", true, func(string) string { return "auth.pk.example.com" }},
	} {
		pool, c := pkPool(t, e.env, []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeWebAuthn})
		in := &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String(tc.domain)}
		if tc.custom {
			in.CustomDomainConfig = &types.CustomDomainConfigType{CertificateArn: aws.String("arn:aws:acm:us-east-1:123456789012:certificate/pk")}
		}
		if _, err := e.Client.CreateUserPoolDomain(e.ctx(), in); err != nil {
			t.Fatal(err)
		}
		access := aws.ToString(e.signIn(pool, c, "alice", tokensPassword).AccessToken)
		options := pkStart(t, e.env, access)
		rp, _ := options["rp"].(map[string]any)
		want := tc.want(pool)
		if rp["id"] != want {
			t.Errorf("%s: rp.id = %v, want %s", tc.domain, rp["id"], want)
		}
		a := newSoftAuthenticator(t, "https://"+want)
		if err := pkComplete(e.env, access, a.create(t, options)); err != nil {
			t.Fatalf("%s: CompleteWebAuthnRegistration: %v", tc.domain, err)
		}
		list, err := e.Client.ListWebAuthnCredentials(e.ctx(), &cip.ListWebAuthnCredentialsInput{AccessToken: aws.String(access)})
		if err != nil || len(list.Credentials) != 1 || aws.ToString(list.Credentials[0].RelyingPartyId) != want {
			t.Errorf("%s: ListWebAuthnCredentials = %+v, %v", tc.domain, list, err)
		}
	}
}

// Passkeys as MFA: in a pool whose passkeys are
// MULTI_FACTOR_WITH_USER_VERIFICATION, a user who turned passkey MFA on
// (WebAuthnMfaSettings) and whom MFA applies to is offered the passkey,
// which must verify the user, and signs in with it without another
// factor; without either setting MFA keeps the passkey away.
func TestPasskeyAsMFA(t *testing.T) {
	e, pool, c, access := pkSetup(t)
	a := newSoftAuthenticator(t, pkOrigin)
	pkRegister(t, e.env, access, a)
	withPasskey := []types.ChallengeNameType{types.ChallengeNameTypePassword, types.ChallengeNameTypePasswordSrp, types.ChallengeNameTypeWebAuthn}
	passwordOnly := []types.ChallengeNameType{types.ChallengeNameTypePassword, types.ChallengeNameTypePasswordSrp}

	mfaConfig := func(factor types.WebAuthnFactorConfigurationType) {
		t.Helper()
		if _, err := e.Client.SetUserPoolMfaConfig(e.ctx(), &cip.SetUserPoolMfaConfigInput{
			UserPoolId: aws.String(pool), MfaConfiguration: types.UserPoolMfaTypeOptional,
			EmailMfaConfiguration: &types.EmailMfaConfigType{},
			WebAuthnConfiguration: &types.WebAuthnConfigurationType{
				RelyingPartyId: aws.String("localhost"), UserVerification: types.UserVerificationTypePreferred, FactorConfiguration: factor,
			},
		}); err != nil {
			t.Fatal(err)
		}
	}
	preference := func(username string, email, passkey *bool) error {
		in := &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String(username)}
		if email != nil {
			in.EmailMfaSettings = &types.EmailMfaSettingsType{Enabled: *email}
		}
		if passkey != nil {
			in.WebAuthnMfaSettings = &types.WebAuthnMfaSettingsType{Enabled: *passkey}
		}
		_, err := e.Client.AdminSetUserMFAPreference(e.ctx(), in)
		return err
	}
	on, off := aws.Bool(true), aws.Bool(false)

	mfaConfig(types.WebAuthnFactorConfigurationTypeMultiFactorWithUserVerification)
	if err := preference("alice", on, nil); err != nil {
		t.Fatal(err)
	}
	// MFA applies and passkey MFA is off: the password only.
	uaSelect(t, e.env, c, "alice", passwordOnly)

	if err := preference("alice", nil, on); err != nil {
		t.Fatalf("WebAuthnMfaSettings on: %v", err)
	}
	uaSelect(t, e.env, c, "alice", withPasskey)
	r, err := uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "WEB_AUTHN")
	if err != nil || r.ChallengeName != types.ChallengeNameTypeWebAuthn {
		t.Fatalf("PREFERRED_CHALLENGE=WEB_AUTHN = %v, %v", r, err)
	}
	options := r.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]
	if !strings.Contains(options, `"userVerification":"required"`) {
		t.Errorf("passkey MFA options do not require user verification: %s", options)
	}
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeWebAuthn, r.Session, "alice", "CREDENTIAL", a.get(t, options))
	mfaWantTokens(t, e.env, out, err)

	// Without user verification the passkey does not stand in for MFA.
	a.noUV = true
	r, err = uaInitiate(e.env, c, "alice", "PREFERRED_CHALLENGE", "WEB_AUTHN")
	if err != nil {
		t.Fatal(err)
	}
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeWebAuthn, r.Session, "alice", "CREDENTIAL", a.get(t, r.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]))
	wantAPIError(t, err, "NotAuthorizedException", "The passkey could not be verified.")
	a.noUV = false

	// A pool whose passkeys are a single factor keeps them from a user
	// whom MFA applies to, whatever the user's setting.
	mfaConfig(types.WebAuthnFactorConfigurationTypeSingleFactor)
	uaSelect(t, e.env, c, "alice", passwordOnly)

	// Passkey MFA needs another factor on.
	tokensUser(t, e.env, pool, "bob", "email", "bob@example.com")
	err = preference("bob", nil, on)
	wantAPIError(t, err, "InvalidParameterException", "Passkey MFA requires another MFA factor (SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP) enabled for the user.")
	if err := preference("alice", nil, off); err != nil {
		t.Errorf("WebAuthnMfaSettings off: %v", err)
	}
}
