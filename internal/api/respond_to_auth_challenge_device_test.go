package api_test

import (
	"testing"
	"time"

	cognitosrp "github.com/alexrudd/cognito-srp/v4"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// devicesChallenge signs alice in with SRP from the device up to the
// DEVICE_SRP_AUTH challenge and returns its session.
func devicesChallenge(t *testing.T, e *env, pool string, c *types.UserPoolClientType, d devicesSecret) *string {
	t.Helper()
	out, err := srpSignIn(t, e, pool, c, "alice", tokensPassword, map[string]string{"DEVICE_KEY": d.Key})
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth {
		t.Fatalf("challenge %q, want DEVICE_SRP_AUTH", out.ChallengeName)
	}
	if out.ChallengeParameters["USERNAME"] != "alice" {
		t.Errorf("DEVICE_SRP_AUTH parameters %v", out.ChallengeParameters)
	}
	return out.Session
}

// devicesVerifierChallenge goes on to DEVICE_PASSWORD_VERIFIER and
// returns the device client and the challenge.
func devicesVerifierChallenge(t *testing.T, e *env, pool string, c *types.UserPoolClientType, d devicesSecret) (*cognitosrp.CognitoSRP, *cip.RespondToAuthChallengeOutput) {
	t.Helper()
	s := devicesProof(t, c, d)
	ch, err := devicesSRPAuth(e, c, s, "alice", d, devicesChallenge(t, e, pool, c, d))
	if err != nil {
		t.Fatalf("DEVICE_SRP_AUTH: %v", err)
	}
	p := ch.ChallengeParameters
	if ch.ChallengeName != types.ChallengeNameTypeDevicePasswordVerifier || !srpHex.MatchString(p["SALT"]) ||
		!srpHex.MatchString(p["SRP_B"]) || p["SECRET_BLOCK"] == "" || p["USERNAME"] != "alice" {
		t.Fatalf("DEVICE_SRP_AUTH answered %q %v", ch.ChallengeName, p)
	}
	return s, ch
}

func TestRespondToAuthChallengeDeviceSRPAuthErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, false, nil)
	tokensUser(t, e, pool, "bob")
	d, _ := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
	bobs, _ := devicesRemembered(t, e, pool, client, "bob", tokensPassword)
	other := srpClientFor(t, e, pool, nil)
	s := devicesProof(t, client, d)

	respond := func(c *types.UserPoolClientType, resp map[string]string, session *string) error {
		_, err := srpRespond(e, c, types.ChallengeNameTypeDeviceSrpAuth, resp, session)
		return err
	}
	full := func() map[string]string {
		return map[string]string{"USERNAME": "alice", "DEVICE_KEY": d.Key, "SRP_A": s.GetAuthParams()["SRP_A"]}
	}
	without := func(name string) map[string]string {
		r := full()
		delete(r, name)
		return r
	}
	with := func(name, value string) map[string]string {
		r := full()
		r[name] = value
		return r
	}
	// A NEW_PASSWORD_REQUIRED session cannot answer DEVICE_SRP_AUTH.
	tokensUser(t, e, pool, "tom")
	tokensSetStatus(t, e, pool, "tom", "FORCE_CHANGE_PASSWORD")
	np, err := srpSignIn(t, e, pool, client, "tom", tokensPassword, nil)
	if err != nil || np.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("tom: %v %q", err, np.ChallengeName)
	}
	for _, tc := range []struct {
		name     string
		c        *types.UserPoolClientType
		resp     map[string]string
		session  *string
		typ, msg string
	}{
		{"no session", client, full(), nil, "NotAuthorizedException", "Invalid session for the user."},
		{"session of another challenge", client, full(), np.Session, "NotAuthorizedException", "Invalid session for the user."},
		{"session of another client", other, full(), devicesChallenge(t, e, pool, client, d), "NotAuthorizedException", "Invalid session for the user."},
		{"no USERNAME", client, without("USERNAME"), devicesChallenge(t, e, pool, client, d), "InvalidParameterException", "Missing required parameter USERNAME"},
		{"no DEVICE_KEY", client, without("DEVICE_KEY"), devicesChallenge(t, e, pool, client, d), "InvalidParameterException", "Missing required parameter DEVICE_KEY"},
		{"no SRP_A", client, without("SRP_A"), devicesChallenge(t, e, pool, client, d), "InvalidParameterException", "Missing required parameter SRP_A"},
		{"SRP_A zero", client, with("SRP_A", "0"), devicesChallenge(t, e, pool, client, d), "InvalidParameterException", "SRP_A is not a valid SRP public value."},
		{"USERNAME of another user", client, with("USERNAME", "bob"), devicesChallenge(t, e, pool, client, d), "NotAuthorizedException", "Invalid session for the user."},
		{"device of another user", client, with("DEVICE_KEY", bobs.Key), devicesChallenge(t, e, pool, client, d), "ResourceNotFoundException", "Device does not exist."},
		{"unknown device", client, with("DEVICE_KEY", "us-east-1_00000000-0000-4000-8000-000000000000"), devicesChallenge(t, e, pool, client, d),
			"ResourceNotFoundException", "Device does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, respond(tc.c, tc.resp, tc.session), tc.typ, tc.msg) })
	}

	t.Run("expired session", func(t *testing.T) {
		session := devicesChallenge(t, e, pool, client, d)
		e.Clock.Advance(3 * time.Minute)
		wantAPIError(t, respond(client, full(), session), "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
	t.Run("disabled since", func(t *testing.T) {
		session := devicesChallenge(t, e, pool, client, d)
		if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("alice")}); err != nil {
			t.Fatal(err)
		}
		defer e.Client.AdminEnableUser(e.ctx(), &cip.AdminEnableUserInput{UserPoolId: aws.String(pool), Username: aws.String("alice")})
		wantAPIError(t, respond(client, full(), session), "NotAuthorizedException", "User is disabled.")
	})
}

func TestRespondToAuthChallengeDeviceSRPAuthSecretHash(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, false, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	d, _ := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
	out, err := devicesSignIn(t, e, pool, client, "alice", tokensPassword, d)
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("device sign-in with a client secret: %v", err)
	}
	s := devicesProof(t, client, d)
	_, err = srpRespond(e, client, types.ChallengeNameTypeDeviceSrpAuth,
		map[string]string{"USERNAME": "alice", "DEVICE_KEY": d.Key, "SRP_A": s.GetAuthParams()["SRP_A"]}, devicesChallenge(t, e, pool, client, d))
	wantAPIError(t, err, "NotAuthorizedException", "Client "+aws.ToString(client.ClientId)+" is configured with secret but SECRET_HASH was not received")
}

func TestRespondToAuthChallengeDevicePasswordVerifierErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, false, nil)
	d, _ := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
	verify := func(resp map[string]string) error {
		_, err := srpRespond(e, client, types.ChallengeNameTypeDevicePasswordVerifier, resp, nil)
		return err
	}
	fresh := func() map[string]string {
		s, ch := devicesVerifierChallenge(t, e, pool, client, d)
		return devicesAnswer(t, e, s, d, ch.ChallengeParameters)
	}
	with := func(name, value string) map[string]string {
		r := fresh()
		r[name] = value
		return r
	}
	// A user block (PASSWORD_VERIFIER's) is no device block.
	s := srpNew(t, pool, client, "alice", tokensPassword)
	userAnswer := srpAnswer(t, e, s, srpChallenge(t, e, client, s, nil).ChallengeParameters)
	userAnswer["DEVICE_KEY"] = d.Key
	noKey := fresh()
	delete(noKey, "DEVICE_KEY")
	for _, tc := range []struct {
		name     string
		resp     map[string]string
		typ, msg string
	}{
		{"wrong device password", devicesWrongProof(t, e, pool, client, d), "NotAuthorizedException", "Incorrect username or password."},
		{"no DEVICE_KEY", noKey, "InvalidParameterException", "Missing required parameter DEVICE_KEY"},
		{"DEVICE_KEY of another device", with("DEVICE_KEY", "us-east-1_00000000-0000-4000-8000-000000000000"), "NotAuthorizedException", "Incorrect username or password."},
		{"bad TIMESTAMP", with("TIMESTAMP", "yesterday"), "InvalidParameterException", "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."},
		{"signature garbage", with("PASSWORD_CLAIM_SIGNATURE", "AAAA"), "NotAuthorizedException", "Incorrect username or password."},
		{"a password block", userAnswer, "NotAuthorizedException", "Incorrect username or password."},
		{"USERNAME of nobody", with("USERNAME", "nobody"), "NotAuthorizedException", "Incorrect username or password."},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, verify(tc.resp), tc.typ, tc.msg) })
	}

	// A device block does not answer PASSWORD_VERIFIER either.
	_, err := srpRespond(e, client, types.ChallengeNameTypePasswordVerifier, fresh(), nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// Wrong device proofs are not wrong passwords: no lockout.
	for range 6 {
		wantAPIError(t, verify(devicesWrongProof(t, e, pool, client, d)), "NotAuthorizedException", "Incorrect username or password.")
	}
	if out, err := devicesSignIn(t, e, pool, client, "alice", tokensPassword, d); err != nil || out.AuthenticationResult == nil {
		t.Errorf("sign-in after wrong device proofs: %v", err)
	}

	// Forgotten between the two steps.
	answer := fresh()
	if _, err := e.Client.AdminForgetDevice(e.ctx(), &cip.AdminForgetDeviceInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), DeviceKey: aws.String(d.Key),
	}); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, verify(answer), "NotAuthorizedException", "Incorrect username or password.")
}

// devicesWrongProof is a DEVICE_PASSWORD_VERIFIER answer made with a wrong
// device password.
func devicesWrongProof(t *testing.T, e *env, pool string, c *types.UserPoolClientType, d devicesSecret) map[string]string {
	t.Helper()
	wrong := d
	wrong.Password += "x"
	s := devicesProof(t, c, wrong)
	ch, err := devicesSRPAuth(e, c, s, "alice", wrong, devicesChallenge(t, e, pool, c, d))
	if err != nil {
		t.Fatal(err)
	}
	return devicesAnswer(t, e, s, wrong, ch.ChallengeParameters)
}
