package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/testserver"
)

// Helpers for the tests of multi-factor authentication (issue 6): pools
// with MFA, users with authenticators, and TOTP codes computed here from
// the secret the server hands out, independently of the server's code.

// mfaPhone and mfaEmail are the addresses of mfaSetup's user "alice".
const (
	mfaPhone = "+15555550100"
	mfaEmail = "alice@example.com"
)

// mfaSNS is an SMS configuration Cognito would accept.
var mfaSNS = &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/cognito-sns"), ExternalId: aws.String("userpool-test")}

// mfaConfigInput is a SetUserPoolMfaConfig request for mode with the
// factors named (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP) turned on.
func mfaConfigInput(pool string, mode types.UserPoolMfaType, factors ...string) *cip.SetUserPoolMfaConfigInput {
	in := &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: mode}
	for _, f := range factors {
		switch f {
		case "SOFTWARE_TOKEN_MFA":
			in.SoftwareTokenMfaConfiguration = &types.SoftwareTokenMfaConfigType{Enabled: true}
		case "SMS_MFA":
			in.SmsMfaConfiguration = &types.SmsMfaConfigType{SmsConfiguration: mfaSNS}
		case "EMAIL_OTP":
			in.EmailMfaConfiguration = &types.EmailMfaConfigType{}
		default:
			panic("mfaConfigInput: unknown factor " + f)
		}
	}
	return in
}

// mfaConfigure sets a pool's MFA.
func mfaConfigure(t *testing.T, e *env, pool string, mode types.UserPoolMfaType, factors ...string) {
	t.Helper()
	if _, err := e.Client.SetUserPoolMfaConfig(e.ctx(), mfaConfigInput(pool, mode, factors...)); err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
}

// mfaSetup starts a server with an outbox and creates a pool whose MFA is
// mode with the factors named, an app client allowing the password and
// refresh flows, and the CONFIRMED user "alice" (tokensPassword) with
// mfaPhone and mfaEmail.
func mfaSetup(t *testing.T, mode types.UserPoolMfaType, factors ...string) (*lifecycleEnv, string, *types.UserPoolClientType) {
	t.Helper()
	e := newLifecycleEnv(t)
	pool := createTestPool(t, e.env, nil)
	c := tokensClient(t, e.env, pool, nil)
	tokensUser(t, e.env, pool, "alice", "phone_number", mfaPhone, "email", mfaEmail)
	mfaConfigure(t, e.env, pool, mode, factors...)
	return e, pool, c
}

// mfaTOTP is the code of a base32 secret at time at (RFC 6238).
func mfaTOTP(t *testing.T, secret string, at time.Time) string {
	return testserver.TOTP(t, secret, at)
}

// mfaCode is the code of secret now, by the server's clock.
func mfaCode(t *testing.T, e *env, secret string) string {
	t.Helper()
	return mfaTOTP(t, secret, e.Clock.Now())
}

// mfaWrong is a six-digit code that matches none of the codes of secret
// the server accepts now (this step's and its neighbours').
func mfaWrong(t *testing.T, e *env, secret string) string {
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

// mfaNextStep moves the clock to the next TOTP step, so the next code
// differs from the last one used (a code is good once).
func mfaNextStep(e *env) { e.Clock.Advance(30 * time.Second) }

// mfaEnrollTOTP gives a signed-in user an authenticator through
// AssociateSoftwareToken and VerifySoftwareToken with their access token,
// and, when enable is set, turns TOTP MFA on and prefers it. It returns
// the secret; the clock is on the next step.
func mfaEnrollTOTP(t *testing.T, e *env, access string, enable bool) string {
	t.Helper()
	out, err := e.Client.AssociateSoftwareToken(e.ctx(), &cip.AssociateSoftwareTokenInput{AccessToken: aws.String(access)})
	if err != nil {
		t.Fatalf("AssociateSoftwareToken: %v", err)
	}
	secret := aws.ToString(out.SecretCode)
	v, err := e.Client.VerifySoftwareToken(e.ctx(), &cip.VerifySoftwareTokenInput{
		AccessToken: aws.String(access), UserCode: aws.String(mfaCode(t, e, secret)), FriendlyDeviceName: aws.String("alice's phone"),
	})
	if err != nil || v.Status != types.VerifySoftwareTokenResponseTypeSuccess {
		t.Fatalf("VerifySoftwareToken = %+v, %v", v, err)
	}
	if enable {
		if _, err := e.Client.SetUserMFAPreference(e.ctx(), &cip.SetUserMFAPreferenceInput{
			AccessToken:              aws.String(access),
			SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true},
		}); err != nil {
			t.Fatalf("SetUserMFAPreference: %v", err)
		}
	}
	mfaNextStep(e)
	return secret
}

// mfaChallenge signs alice in with USER_PASSWORD_AUTH and returns the
// challenge, which must be want.
func mfaChallenge(t *testing.T, e *env, c *types.UserPoolClientType, username string, want types.ChallengeNameType) *cip.InitiateAuthOutput {
	t.Helper()
	out, err := tokensInitiate(e, c, username, tokensPassword)
	if err != nil {
		t.Fatalf("InitiateAuth(%s): %v", username, err)
	}
	if out.ChallengeName != want || out.AuthenticationResult != nil {
		t.Fatalf("InitiateAuth(%s) = challenge %q (tokens %v), want %s", username, out.ChallengeName, out.AuthenticationResult != nil, want)
	}
	return out
}

// mfaRespond answers a challenge for username with the response pairs
// given, adding USERNAME.
func mfaRespond(e *env, c *types.UserPoolClientType, name types.ChallengeNameType, session *string, username string, pairs ...string) (*cip.RespondToAuthChallengeOutput, error) {
	r := map[string]string{"USERNAME": username}
	for i := 0; i+1 < len(pairs); i += 2 {
		r[pairs[i]] = pairs[i+1]
	}
	return e.Client.RespondToAuthChallenge(e.ctx(), &cip.RespondToAuthChallengeInput{
		ClientId: c.ClientId, ChallengeName: name, Session: session, ChallengeResponses: r,
	})
}

// mfaWantTokens asserts a challenge answer is tokens that work.
func mfaWantTokens(t *testing.T, e *env, out *cip.RespondToAuthChallengeOutput, err error) *types.AuthenticationResultType {
	t.Helper()
	if err != nil {
		t.Fatalf("RespondToAuthChallenge: %v", err)
	}
	if out.AuthenticationResult == nil || out.ChallengeName != "" {
		t.Fatalf("RespondToAuthChallenge = challenge %q, want tokens", out.ChallengeName)
	}
	tokensWantValid(t, e, aws.ToString(out.AuthenticationResult.AccessToken))
	return out.AuthenticationResult
}

// mfaList decodes a JSON list challenge parameter (MFAS_CAN_SETUP,
// MFAS_CAN_CHOOSE).
func mfaList(t *testing.T, params map[string]string, key string) []string {
	t.Helper()
	var out []string
	if err := json.Unmarshal([]byte(params[key]), &out); err != nil {
		t.Fatalf("%s = %q: %v", key, params[key], err)
	}
	return out
}

// mfaWantSettings asserts what GetUser shows of the access token's user's
// MFA.
func mfaWantSettings(t *testing.T, e *env, access, preferred string, enabled ...string) {
	t.Helper()
	out, err := e.Client.GetUser(e.ctx(), &cip.GetUserInput{AccessToken: aws.String(access)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.PreferredMfaSetting) != preferred {
		t.Errorf("PreferredMfaSetting = %q, want %q", aws.ToString(out.PreferredMfaSetting), preferred)
	}
	if d := cmp.Diff(enabled, out.UserMFASettingList); d != "" {
		t.Errorf("UserMFASettingList (-want +got):\n%s", d)
	}
}

// mfaWantAdminSettings asserts what AdminGetUser shows of a user's MFA.
func mfaWantAdminSettings(t *testing.T, e *env, pool, username, preferred string, enabled ...string) *cip.AdminGetUserOutput {
	t.Helper()
	out := usersGet(t, e, pool, username)
	if aws.ToString(out.PreferredMfaSetting) != preferred {
		t.Errorf("PreferredMfaSetting = %q, want %q", aws.ToString(out.PreferredMfaSetting), preferred)
	}
	if d := cmp.Diff(enabled, out.UserMFASettingList); d != "" {
		t.Errorf("UserMFASettingList (-want +got):\n%s", d)
	}
	return out
}
