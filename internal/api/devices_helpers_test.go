package api_test

import (
	"crypto/rand"
	"encoding/base64"
	"regexp"
	"testing"

	cognitosrp "github.com/alexrudd/cognito-srp/v4"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/srp"
)

// Helpers for the remembered-device tests (issue 6).

// devicesKeyRE is the shape of a DeviceKey in the test region.
var devicesKeyRE = regexp.MustCompile(`^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// devicesSetup creates a pool that tracks devices, remembering them only
// on the user's word when onPrompt, an SRP client (adjusted by clientMut)
// and alice.
func devicesSetup(t *testing.T, e *env, onPrompt bool, clientMut func(*cip.CreateUserPoolClientInput)) (string, *types.UserPoolClientType) {
	t.Helper()
	return srpSetup(t, e, func(in *cip.CreateUserPoolInput) {
		in.DeviceConfiguration = &types.DeviceConfigurationType{
			ChallengeRequiredOnNewDevice:     false,
			DeviceOnlyRememberedOnUserPrompt: onPrompt,
		}
	}, clientMut)
}

// devicesSecret is what an app keeps of a confirmed device.
type devicesSecret struct {
	Key, GroupKey, Password string
}

// devicesVerifier is the DeviceSecretVerifierConfig an app uploads for a
// device password: a random 16-byte salt and the verifier, base64, as
// amazon-cognito-identity-js's generateHashDevice makes them (the srp
// package's tests check VerifierWithSalt against that computation).
func devicesVerifier(groupKey, deviceKey, password string) *types.DeviceSecretVerifierConfigType {
	salt := make([]byte, 16)
	rand.Read(salt)
	v := srp.VerifierWithSalt(groupKey, deviceKey, password, salt)
	return &types.DeviceSecretVerifierConfigType{
		Salt:             aws.String(base64.StdEncoding.EncodeToString(salt)),
		PasswordVerifier: aws.String(base64.StdEncoding.EncodeToString(v)),
	}
}

// devicesNew returns the device a sign-in was issued, with a fresh
// random password, failing the test when the sign-in was issued none.
func devicesNew(t *testing.T, r *types.AuthenticationResultType) devicesSecret {
	t.Helper()
	m := r.NewDeviceMetadata
	if m == nil {
		t.Fatal("no NewDeviceMetadata")
	}
	pw := make([]byte, 40)
	rand.Read(pw)
	return devicesSecret{Key: aws.ToString(m.DeviceKey), GroupKey: aws.ToString(m.DeviceGroupKey), Password: base64.StdEncoding.EncodeToString(pw)}
}

// devicesConfirm confirms the device a sign-in was issued, as apps do
// right after signing in.
func devicesConfirm(t *testing.T, e *env, r *types.AuthenticationResultType) (devicesSecret, *cip.ConfirmDeviceOutput) {
	t.Helper()
	d := devicesNew(t, r)
	out, err := e.Client.ConfirmDevice(e.ctx(), &cip.ConfirmDeviceInput{
		AccessToken: r.AccessToken, DeviceKey: aws.String(d.Key), DeviceName: aws.String("Test device"),
		DeviceSecretVerifierConfig: devicesVerifier(d.GroupKey, d.Key, d.Password),
	})
	if err != nil {
		t.Fatalf("ConfirmDevice: %v", err)
	}
	return d, out
}

// devicesRemembered signs alice in with SRP, confirms the device she was
// issued and returns it with the sign-in's tokens.
func devicesRemembered(t *testing.T, e *env, pool string, c *types.UserPoolClientType, username, password string) (devicesSecret, *types.AuthenticationResultType) {
	t.Helper()
	r := srpTokens(t, e, pool, c, username, password)
	d, _ := devicesConfirm(t, e, r)
	return d, r
}

// devicesProof starts the device's side of DEVICE_SRP_AUTH: the
// handshake of DeviceKey with the device password, the DeviceGroupKey in
// the pool name's place.
func devicesProof(t *testing.T, c *types.UserPoolClientType, d devicesSecret) *cognitosrp.CognitoSRP {
	t.Helper()
	s, err := cognitosrp.NewCognitoSRP(d.Key, d.Password, "device_"+d.GroupKey, aws.ToString(c.ClientId), c.ClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	if s.GetUserPoolName() != d.GroupKey {
		t.Fatalf("the device client took %q for the group key %q", s.GetUserPoolName(), d.GroupKey)
	}
	return s
}

// devicesSRPAuth answers DEVICE_SRP_AUTH for the device, with the
// session of the challenge, and returns DEVICE_PASSWORD_VERIFIER.
func devicesSRPAuth(e *env, c *types.UserPoolClientType, s *cognitosrp.CognitoSRP, username string, d devicesSecret, session *string) (*cip.RespondToAuthChallengeOutput, error) {
	resp := map[string]string{"USERNAME": username, "DEVICE_KEY": d.Key, "SRP_A": s.GetAuthParams()["SRP_A"]}
	if c.ClientSecret != nil {
		resp["SECRET_HASH"] = tokensSecretHash(c, username)
	}
	return srpRespond(e, c, types.ChallengeNameTypeDeviceSrpAuth, resp, session)
}

// devicesAnswer is the device's DEVICE_PASSWORD_VERIFIER answer to the
// challenge parameters given.
func devicesAnswer(t *testing.T, e *env, s *cognitosrp.CognitoSRP, d devicesSecret, params map[string]string) map[string]string {
	t.Helper()
	p := map[string]string{}
	for k, v := range params {
		p[k] = v
	}
	p["USER_ID_FOR_SRP"] = d.Key
	resp := srpAnswer(t, e, s, p)
	resp["DEVICE_KEY"] = d.Key
	return resp
}

// devicesSignIn signs username in with SRP from the device: the password,
// then the device's proof. It returns the final answer.
func devicesSignIn(t *testing.T, e *env, pool string, c *types.UserPoolClientType, username, password string, d devicesSecret) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	out, err := srpSignIn(t, e, pool, c, username, password, map[string]string{"DEVICE_KEY": d.Key})
	if err != nil {
		return nil, err
	}
	if out.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth || out.Session == nil {
		t.Fatalf("SRP with a confirmed device answered %q, want DEVICE_SRP_AUTH", out.ChallengeName)
	}
	internal := out.ChallengeParameters["USERNAME"]
	s := devicesProof(t, c, d)
	ch, err := devicesSRPAuth(e, c, s, internal, d, out.Session)
	if err != nil {
		return nil, err
	}
	if ch.ChallengeName != types.ChallengeNameTypeDevicePasswordVerifier {
		t.Fatalf("DEVICE_SRP_AUTH answered %q, want DEVICE_PASSWORD_VERIFIER", ch.ChallengeName)
	}
	return srpRespond(e, c, types.ChallengeNameTypeDevicePasswordVerifier, devicesAnswer(t, e, s, d, ch.ChallengeParameters), ch.Session)
}

// devicesRefresh runs REFRESH_TOKEN_AUTH with DEVICE_KEY (none when "").
func devicesRefresh(e *env, c *types.UserPoolClientType, username, refresh, deviceKey string) (*types.AuthenticationResultType, error) {
	params := map[string]string{"REFRESH_TOKEN": refresh}
	if deviceKey != "" {
		params["DEVICE_KEY"] = deviceKey
	}
	if c.ClientSecret != nil {
		params["SECRET_HASH"] = tokensSecretHash(c, username)
	}
	out, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: c.ClientId, AuthParameters: params,
	})
	if err != nil {
		return nil, err
	}
	return out.AuthenticationResult, nil
}

// devicesAttrs returns a device's attributes by name.
func devicesAttrs(d *types.DeviceType) map[string]string {
	return usersAttrMap(d.DeviceAttributes)
}
