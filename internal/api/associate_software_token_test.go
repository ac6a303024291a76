package api_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// mfaSecretRE is the shape of SecretCode: 160 bits in base32, unpadded.
var mfaSecretRE = regexp.MustCompile(`^[A-Z2-7]{32}$`)

// With an access token, AssociateSoftwareToken answers a new secret each
// time, without a session.
func TestAssociateSoftwareToken(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	access := aws.ToString(e.signIn(pool, c, "alice", tokensPassword).AccessToken)
	a, err := e.Client.AssociateSoftwareToken(e.ctx(), &cip.AssociateSoftwareTokenInput{AccessToken: aws.String(access)})
	if err != nil {
		t.Fatal(err)
	}
	if !mfaSecretRE.MatchString(aws.ToString(a.SecretCode)) || a.Session != nil {
		t.Errorf("SecretCode %q, Session %v; want 32 base32 characters and no session", aws.ToString(a.SecretCode), a.Session)
	}
	b, err := e.Client.AssociateSoftwareToken(e.ctx(), &cip.AssociateSoftwareTokenInput{AccessToken: aws.String(access)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(a.SecretCode) == aws.ToString(b.SecretCode) {
		t.Error("two associations gave the same secret")
	}
	// Only the newest secret verifies.
	_, err = e.Client.VerifySoftwareToken(e.ctx(), &cip.VerifySoftwareTokenInput{
		AccessToken: aws.String(access), UserCode: aws.String(mfaCode(t, e.env, aws.ToString(a.SecretCode))),
	})
	wantAPIError(t, err, "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
	if _, err := e.Client.VerifySoftwareToken(e.ctx(), &cip.VerifySoftwareTokenInput{
		AccessToken: aws.String(access), UserCode: aws.String(mfaCode(t, e.env, aws.ToString(b.SecretCode))),
	}); err != nil {
		t.Fatal(err)
	}
	// Associating anew does not replace the verified secret until the new
	// one is verified: sign-in still takes the old app's codes.
	if _, err := e.Client.SetUserMFAPreference(e.ctx(), &cip.SetUserMFAPreferenceInput{
		AccessToken: aws.String(access), SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.AssociateSoftwareToken(e.ctx(), &cip.AssociateSoftwareTokenInput{AccessToken: aws.String(access)}); err != nil {
		t.Fatal(err)
	}
	mfaNextStep(e.env)
	ch := mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice",
		"SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, aws.ToString(b.SecretCode)))
	mfaWantTokens(t, e.env, out, err)
}

func TestAssociateSoftwareTokenErrors(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOptional, "SMS_MFA")
	access := aws.ToString(e.signIn(pool, c, "alice", tokensPassword).AccessToken)
	associate := func(access, session string) error {
		in := &cip.AssociateSoftwareTokenInput{}
		if access != "" {
			in.AccessToken = aws.String(access)
		}
		if session != "" {
			in.Session = aws.String(session)
		}
		_, err := e.Client.AssociateSoftwareToken(e.ctx(), in)
		return err
	}
	// The pool does not offer software tokens.
	wantAPIError(t, associate(access, ""), "SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool.")
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	wantAPIError(t, associate("", ""), "InvalidParameterException", "Exactly one of AccessToken and Session must be given.")
	wantAPIError(t, associate(access, strings.Repeat("A", 40)), "InvalidParameterException", "Exactly one of AccessToken and Session must be given.")
	wantAPIError(t, associate(tokensTamper(access, 2), ""), "NotAuthorizedException", "")
	wantAPIError(t, associate("", strings.Repeat("A", 40)), "NotAuthorizedException", "Invalid session for the user.")

	// Only an MFA_SETUP session: not the session of another challenge.
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOn, "SOFTWARE_TOKEN_MFA", "SMS_MFA")
	sms := mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSmsMfa)
	wantAPIError(t, associate("", aws.ToString(sms.Session)), "NotAuthorizedException", "Invalid session for the user.")
}

// With the session of an MFA_SETUP challenge, AssociateSoftwareToken
// answers the secret and the session to verify it with, which lasts no
// longer than the sign-in's.
func TestAssociateSoftwareTokenSession(t *testing.T) {
	e := newLifecycleEnv(t)
	pool := createTestPool(t, e.env, nil)
	c := tokensClient(t, e.env, pool, nil)
	tokensUser(t, e.env, pool, "bob")
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOn, "SOFTWARE_TOKEN_MFA")
	setup := mfaChallenge(t, e.env, c, "bob", types.ChallengeNameTypeMfaSetup)
	out, err := e.Client.AssociateSoftwareToken(e.ctx(), &cip.AssociateSoftwareTokenInput{Session: setup.Session})
	if err != nil {
		t.Fatal(err)
	}
	if !mfaSecretRE.MatchString(aws.ToString(out.SecretCode)) || aws.ToString(out.Session) == "" || aws.ToString(out.Session) == aws.ToString(setup.Session) {
		t.Fatalf("SecretCode %q, Session %q; want a secret and a new session", aws.ToString(out.SecretCode), aws.ToString(out.Session))
	}
	e.Clock.Advance(3*time.Minute + time.Second)
	_, err = e.Client.AssociateSoftwareToken(e.ctx(), &cip.AssociateSoftwareTokenInput{Session: out.Session})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	_, err = e.Client.VerifySoftwareToken(e.ctx(), &cip.VerifySoftwareTokenInput{
		Session: out.Session, UserCode: aws.String(mfaCode(t, e.env, aws.ToString(out.SecretCode))),
	})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
}
