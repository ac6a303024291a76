package api_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/userpool/userpool/internal/store"
)

// Helpers for the tests of the sign-in, token and session actions
// (issue 3).

// tokensPassword is the permanent password of the users these tests sign
// in.
const tokensPassword = "Perm-Passw0rd!"

// tokensWrongPassword satisfies the default policy and is nobody's.
const tokensWrongPassword = "Wrong-Passw0rd!"

// tokensFlows are the flows of tokensSetup's client unless told otherwise:
// both password flows and refresh.
var tokensFlows = []types.ExplicitAuthFlowsType{
	types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
	types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth,
	types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
}

// tokensUUID is the shape of jti, origin_jti and event_id.
var tokensUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// tokensSetup creates a pool (adjusted by poolMut when not nil), an app
// client allowing tokensFlows (adjusted by clientMut when not nil) and a
// CONFIRMED user "alice" whose password is tokensPassword.
func tokensSetup(t *testing.T, e *env, poolMut func(*cip.CreateUserPoolInput), clientMut func(*cip.CreateUserPoolClientInput)) (string, *types.UserPoolClientType) {
	t.Helper()
	pool := createTestPool(t, e, poolMut)
	client := tokensClient(t, e, pool, clientMut)
	tokensUser(t, e, pool, "alice", "email", "alice@example.com", "email_verified", "true")
	return pool, client
}

// tokensClient creates an app client in the pool allowing tokensFlows,
// adjusted by mutate when not nil.
func tokensClient(t *testing.T, e *env, pool string, mutate func(*cip.CreateUserPoolClientInput)) *types.UserPoolClientType {
	t.Helper()
	return createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = tokensFlows
		if mutate != nil {
			mutate(in)
		}
	})
}

// tokensUser creates a CONFIRMED user with the attribute pairs given and
// tokensPassword, through AdminCreateUser and a permanent
// AdminSetUserPassword.
func tokensUser(t *testing.T, e *env, pool, username string, attrs ...string) {
	t.Helper()
	usersCreate(t, e, pool, username, attrs...)
	_, err := e.Client.AdminSetUserPassword(e.ctx(), &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(pool), Username: aws.String(username),
		Password: aws.String(tokensPassword), Permanent: true,
	})
	if err != nil {
		t.Fatalf("AdminSetUserPassword(%s): %v", username, err)
	}
}

// tokensSecretHash is the SECRET_HASH a client with a secret sends for
// username, computed independently of the server's code.
func tokensSecretHash(c *types.UserPoolClientType, username string) string {
	m := hmac.New(sha256.New, []byte(aws.ToString(c.ClientSecret)))
	m.Write([]byte(username + aws.ToString(c.ClientId)))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// tokensInitiate runs InitiateAuth USER_PASSWORD_AUTH, adding SECRET_HASH
// (of the username typed) when the client has a secret.
func tokensInitiate(e *env, c *types.UserPoolClientType, username, password string) (*cip.InitiateAuthOutput, error) {
	params := map[string]string{"USERNAME": username, "PASSWORD": password}
	if c.ClientSecret != nil {
		params["SECRET_HASH"] = tokensSecretHash(c, username)
	}
	return e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: c.ClientId, AuthParameters: params,
	})
}

// signInUser signs a user in with USER_PASSWORD_AUTH and returns the
// tokens, which must be the pool's.
func signInUser(t *testing.T, e *env, pool string, c *types.UserPoolClientType, username, password string) *types.AuthenticationResultType {
	t.Helper()
	out, err := tokensInitiate(e, c, username, password)
	if err != nil {
		t.Fatalf("InitiateAuth(%s): %v", username, err)
	}
	r := out.AuthenticationResult
	if r == nil || out.ChallengeName != "" {
		t.Fatalf("InitiateAuth(%s) = challenge %q, want tokens", username, out.ChallengeName)
	}
	if iss, want := tokensClaims(t, aws.ToString(r.IdToken))["iss"], e.URL+"/"+pool; iss != want {
		t.Fatalf("iss = %v, want %s", iss, want)
	}
	return r
}

// tokensRefresh runs InitiateAuth REFRESH_TOKEN_AUTH; with a secret the
// SECRET_HASH is computed with username, which must be the internal one.
func tokensRefresh(e *env, c *types.UserPoolClientType, username, refresh string) (*types.AuthenticationResultType, error) {
	params := map[string]string{"REFRESH_TOKEN": refresh}
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

// tokensGetTokens runs GetTokensFromRefreshToken with the client's secret,
// if it has one.
func tokensGetTokens(e *env, c *types.UserPoolClientType, refresh string) (*types.AuthenticationResultType, error) {
	out, err := e.Client.GetTokensFromRefreshToken(e.ctx(), &cip.GetTokensFromRefreshTokenInput{
		ClientId: c.ClientId, ClientSecret: c.ClientSecret, RefreshToken: aws.String(refresh),
	})
	if err != nil {
		return nil, err
	}
	return out.AuthenticationResult, nil
}

// tokensGetUser runs GetUser with the access token.
func tokensGetUser(e *env, access string) (*cip.GetUserOutput, error) {
	return e.Client.GetUser(e.ctx(), &cip.GetUserInput{AccessToken: aws.String(access)})
}

// tokensWantValid asserts GetUser accepts the access token.
func tokensWantValid(t *testing.T, e *env, access string) {
	t.Helper()
	if _, err := tokensGetUser(e, access); err != nil {
		t.Fatalf("GetUser: %v", err)
	}
}

// tokensClaims decodes a JWT's payload without verifying it, keeping the
// JSON types (numbers are float64, booleans bool).
func tokensClaims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("%q is not a JWS", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// tokensHeader decodes a JWT's protected header.
func tokensHeader(t *testing.T, jwt string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// tokensKid is the kid a JWT was signed with.
func tokensKid(t *testing.T, jwt string) string {
	t.Helper()
	kid, _ := tokensHeader(t, jwt)["kid"].(string)
	return kid
}

// tokensTTL is a token's exp - iat.
func tokensTTL(t *testing.T, jwt string) time.Duration {
	t.Helper()
	c := tokensClaims(t, jwt)
	exp, _ := c["exp"].(float64)
	iat, _ := c["iat"].(float64)
	return time.Duration(exp-iat) * time.Second
}

// tokensVerifiers returns go-oidc verifiers for the pool, built from our
// discovery document: one for ID tokens of the client, one for access
// tokens (which have no aud). They read the test clock.
func tokensVerifiers(t *testing.T, e *env, pool, clientID string) (id, access *oidc.IDTokenVerifier) {
	t.Helper()
	p, err := oidc.NewProvider(e.ctx(), e.URL+"/"+pool)
	if err != nil {
		t.Fatalf("oidc.NewProvider: %v", err)
	}
	id = p.Verifier(&oidc.Config{ClientID: clientID, Now: e.Clock.Now})
	access = p.Verifier(&oidc.Config{SkipClientIDCheck: true, Now: e.Clock.Now})
	return id, access
}

// tokensSetStatus changes a user's status in the store directly, for the
// states no action can make yet (UNCONFIRMED needs SignUp,
// RESET_REQUIRED AdminResetUserPassword).
func tokensSetStatus(t *testing.T, e *env, pool, username, status string) {
	t.Helper()
	sub := usersSub(t, e, pool, username)
	if _, err := e.Svc.UpdateSignInState(e.ctx(), pool, sub, func(u *store.User) { u.Status = status }); err != nil {
		t.Fatal(err)
	}
}

// tokensJTI returns a JWT's jti, "" when it cannot be read. Unlike
// tokensClaims it may run on any goroutine.
func tokensJTI(jwt string) string {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c struct {
		JTI string `json:"jti"`
	}
	if json.Unmarshal(b, &c) != nil {
		return ""
	}
	return c.JTI
}

// tokensTamper changes the first character of the dot-separated part of
// a token, keeping it well-formed base64url. The parts it is used on (a
// JWS signature, a JWE nonce) carry no padding bits in their first
// character, so the bytes change.
func tokensTamper(token string, part int) string {
	parts := strings.Split(token, ".")
	c := byte('A')
	if parts[part][0] == 'A' {
		c = 'B'
	}
	parts[part] = string(c) + parts[part][1:]
	return strings.Join(parts, ".")
}
