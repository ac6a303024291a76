package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// With an access token: SUCCESS without a session; the code may be from
// the step before or after the current one (clock drift), not further.
// Verifying does not turn TOTP MFA on.
func TestVerifySoftwareToken(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	access := aws.ToString(e.signIn(pool, c, "alice", tokensPassword).AccessToken)
	a, err := e.Client.AssociateSoftwareToken(e.ctx(), &cip.AssociateSoftwareTokenInput{AccessToken: aws.String(access)})
	if err != nil {
		t.Fatal(err)
	}
	secret := aws.ToString(a.SecretCode)
	verify := func(code string) (*cip.VerifySoftwareTokenOutput, error) {
		return e.Client.VerifySoftwareToken(e.ctx(), &cip.VerifySoftwareTokenInput{
			AccessToken: aws.String(access), UserCode: aws.String(code), FriendlyDeviceName: aws.String("Work phone"),
		})
	}
	now := e.Clock.Now()
	for _, off := range []time.Duration{-61 * time.Second, 61 * time.Second} {
		_, err := verify(mfaTOTP(t, secret, now.Add(off)))
		wantAPIError(t, err, "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
	}
	out, err := verify(mfaTOTP(t, secret, now.Add(-30*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.VerifySoftwareTokenResponseTypeSuccess || out.Session != nil {
		t.Errorf("Status %s, Session %v; want SUCCESS and no session", out.Status, out.Session)
	}
	mfaWantSettings(t, e.env, access, "")
	// Once verified there is nothing left to verify.
	_, err = verify(mfaCode(t, e.env, secret))
	wantAPIError(t, err, "SoftwareTokenMFANotFoundException", "Software Token MFA has not been associated with the user.")
	// The friendly name comes back in the sign-in challenge.
	if _, err := e.Client.SetUserMFAPreference(e.ctx(), &cip.SetUserMFAPreferenceInput{
		AccessToken: aws.String(access), SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true},
	}); err != nil {
		t.Fatal(err)
	}
	ch := mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	if got := ch.ChallengeParameters["FRIENDLY_DEVICE_NAME"]; got != "Work phone" {
		t.Errorf("FRIENDLY_DEVICE_NAME = %q", got)
	}
}

func TestVerifySoftwareTokenErrors(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	access := aws.ToString(e.signIn(pool, c, "alice", tokensPassword).AccessToken)
	verify := func(access, session, code string) error {
		in := &cip.VerifySoftwareTokenInput{UserCode: aws.String(code)}
		if access != "" {
			in.AccessToken = aws.String(access)
		}
		if session != "" {
			in.Session = aws.String(session)
		}
		_, err := e.Client.VerifySoftwareToken(e.ctx(), in)
		return err
	}
	wantAPIError(t, verify(access, "", "123456"), "SoftwareTokenMFANotFoundException", "Software Token MFA has not been associated with the user.")
	wantAPIError(t, verify("", "", "123456"), "InvalidParameterException", "Exactly one of AccessToken and Session must be given.")
	wantAPIError(t, verify(access, strings.Repeat("A", 40), "123456"), "InvalidParameterException", "Exactly one of AccessToken and Session must be given.")
	wantAPIError(t, verify(tokensTamper(access, 2), "", "123456"), "NotAuthorizedException", "")
	wantAPIError(t, verify("", strings.Repeat("A", 40), "123456"), "NotAuthorizedException", "Invalid session for the user.")
	// UserCode must be six digits (the model's rule).
	wantAPIError(t, verify(access, "", "12345"), "InvalidParameterException", "")
	wantAPIError(t, verify(access, "", "abcdef"), "InvalidParameterException", "")
	// A pool that stopped offering software tokens refuses them.
	if _, err := e.Client.AssociateSoftwareToken(e.ctx(), &cip.AssociateSoftwareTokenInput{AccessToken: aws.String(access)}); err != nil {
		t.Fatal(err)
	}
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOff)
	wantAPIError(t, verify(access, "", "123456"), "SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool.")
}

// The MFA_SETUP path: a user who must set up MFA verifies an authenticator
// with the session, and the session VerifySoftwareToken answers completes
// the challenge; the session before verification does not.
func TestVerifySoftwareTokenSession(t *testing.T) {
	e := newLifecycleEnv(t)
	pool := createTestPool(t, e.env, nil)
	c := tokensClient(t, e.env, pool, nil)
	tokensUser(t, e.env, pool, "bob")
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOn, "SOFTWARE_TOKEN_MFA")
	setup := mfaChallenge(t, e.env, c, "bob", types.ChallengeNameTypeMfaSetup)
	a, err := e.Client.AssociateSoftwareToken(e.ctx(), &cip.AssociateSoftwareTokenInput{Session: setup.Session})
	if err != nil {
		t.Fatal(err)
	}
	secret := aws.ToString(a.SecretCode)
	_, err = e.Client.VerifySoftwareToken(e.ctx(), &cip.VerifySoftwareTokenInput{Session: a.Session, UserCode: aws.String(mfaWrong(t, e.env, secret))})
	wantAPIError(t, err, "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
	// Not yet verified: MFA_SETUP refuses both sessions so far.
	for _, s := range []*string{setup.Session, a.Session} {
		_, err := mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, s, "bob")
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	}
	v, err := e.Client.VerifySoftwareToken(e.ctx(), &cip.VerifySoftwareTokenInput{
		Session: a.Session, UserCode: aws.String(mfaCode(t, e.env, secret)), FriendlyDeviceName: aws.String("Bob's app"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != types.VerifySoftwareTokenResponseTypeSuccess || aws.ToString(v.Session) == "" {
		t.Fatalf("Status %s, Session %q; want SUCCESS and a session", v.Status, aws.ToString(v.Session))
	}
	// The verified session answers MFA_SETUP only for its own user.
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, v.Session, "alice-who-is-not-there")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, v.Session, "")
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter USERNAME")
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, v.Session, "bob")
	r := mfaWantTokens(t, e.env, out, err)
	// MFA_SETUP completes once.
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, v.Session, "bob")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// The authenticator is now bob's MFA, on and preferred.
	mfaWantSettings(t, e.env, aws.ToString(r.AccessToken), "SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA")
	mfaNextStep(e.env)
	ch := mfaChallenge(t, e.env, c, "bob", types.ChallengeNameTypeSoftwareTokenMfa)
	out, err = mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "bob", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, secret))
	mfaWantTokens(t, e.env, out, err)
}
