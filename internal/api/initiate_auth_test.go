package api_test

import (
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

const tokensAdminRole = "arn:aws:iam::123456789012:role/Admin"

// Every claim of both tokens, with its JSON type, verified by go-oidc
// against our discovery document and JWKS.
func TestInitiateAuthUserPasswordAuth(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{
			{Name: aws.String("tier"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
			{Name: aws.String("level"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(true)},
		}
	})
	client := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.IdTokenValidity = aws.Int32(5)
		in.AccessTokenValidity = aws.Int32(2)
		in.TokenValidityUnits = &types.TokenValidityUnitsType{IdToken: types.TimeUnitsTypeMinutes, AccessToken: types.TimeUnitsTypeHours}
	})
	tokensUser(t, e, pool, "alice", "email", "alice@example.com", "email_verified", "true",
		"given_name", "Alice", "custom:tier", "gold", "custom:level", "7")
	sub := usersSub(t, e, pool, "alice")
	for _, g := range []struct {
		name       string
		precedence int32
		role       string
	}{{"readers", 5, ""}, {"admins", 1, tokensAdminRole}} {
		in := &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String(g.name), Precedence: aws.Int32(g.precedence)}
		if g.role != "" {
			in.RoleArn = aws.String(g.role)
		}
		if _, err := e.Client.CreateGroup(e.ctx(), in); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Client.AdminAddUserToGroup(e.ctx(), &cip.AdminAddUserToGroupInput{
			UserPoolId: aws.String(pool), Username: aws.String("alice"), GroupName: aws.String(g.name),
		}); err != nil {
			t.Fatal(err)
		}
	}
	e.Clock.Advance(90 * time.Second)
	now := float64(e.Clock.Now().Unix())

	out, err := tokensInitiate(e, client, "alice", tokensPassword)
	if err != nil {
		t.Fatal(err)
	}
	r := out.AuthenticationResult
	if r == nil || out.ChallengeName != "" || out.Session != nil {
		t.Fatalf("output = %+v, want tokens only", out)
	}
	if r.ExpiresIn != 7200 || aws.ToString(r.TokenType) != "Bearer" || r.RefreshToken == nil || r.NewDeviceMetadata != nil {
		t.Errorf("result = ExpiresIn %d TokenType %v RefreshToken %v", r.ExpiresIn, aws.ToString(r.TokenType), r.RefreshToken != nil)
	}

	idv, accv := tokensVerifiers(t, e, pool, aws.ToString(client.ClientId))
	idTok, err := idv.Verify(e.ctx(), aws.ToString(r.IdToken))
	if err != nil {
		t.Fatalf("go-oidc: ID token: %v", err)
	}
	if _, err := accv.Verify(e.ctx(), aws.ToString(r.AccessToken)); err != nil {
		t.Fatalf("go-oidc: access token: %v", err)
	}
	var idClaims map[string]any
	if err := idTok.Claims(&idClaims); err != nil {
		t.Fatal(err)
	}
	acClaims := tokensClaims(t, aws.ToString(r.AccessToken))

	for _, c := range []map[string]any{idClaims, acClaims} {
		for _, k := range []string{"jti", "origin_jti", "event_id"} {
			if s, _ := c[k].(string); !tokensUUID.MatchString(s) {
				t.Errorf("%s %s = %v, want a UUID", c["token_use"], k, c[k])
			}
		}
	}
	if idClaims["origin_jti"] != acClaims["origin_jti"] || idClaims["event_id"] != acClaims["event_id"] {
		t.Errorf("origin_jti/event_id differ: %v/%v vs %v/%v", idClaims["origin_jti"], idClaims["event_id"], acClaims["origin_jti"], acClaims["event_id"])
	}
	if idClaims["jti"] == acClaims["jti"] || idClaims["jti"] == idClaims["origin_jti"] {
		t.Errorf("jti values are not distinct: id %v access %v origin %v", idClaims["jti"], acClaims["jti"], idClaims["origin_jti"])
	}
	iss := e.URL + "/" + pool
	wantID := map[string]any{
		"sub":                    sub,
		"cognito:groups":         []any{"admins", "readers"},
		"cognito:preferred_role": tokensAdminRole,
		"cognito:roles":          []any{tokensAdminRole},
		"email":                  "alice@example.com",
		"email_verified":         true,
		"given_name":             "Alice",
		"custom:tier":            "gold",
		"custom:level":           "7",
		"iss":                    iss,
		"cognito:username":       "alice",
		"origin_jti":             idClaims["origin_jti"],
		"aud":                    aws.ToString(client.ClientId),
		"event_id":               idClaims["event_id"],
		"token_use":              "id",
		"auth_time":              now,
		"exp":                    now + 5*60,
		"iat":                    now,
		"jti":                    idClaims["jti"],
	}
	if diff := cmp.Diff(wantID, idClaims); diff != "" {
		t.Errorf("ID token claims (-want +got):\n%s", diff)
	}
	wantAccess := map[string]any{
		"sub":            sub,
		"cognito:groups": []any{"admins", "readers"},
		"iss":            iss,
		"version":        float64(2),
		"client_id":      aws.ToString(client.ClientId),
		"origin_jti":     idClaims["origin_jti"],
		"event_id":       idClaims["event_id"],
		"token_use":      "access",
		"scope":          "aws.cognito.signin.user.admin",
		"auth_time":      now,
		"exp":            now + 2*3600,
		"iat":            now,
		"jti":            acClaims["jti"],
		"username":       "alice",
	}
	if diff := cmp.Diff(wantAccess, acClaims); diff != "" {
		t.Errorf("access token claims (-want +got):\n%s", diff)
	}
	if h := tokensHeader(t, aws.ToString(r.IdToken)); len(h) != 2 || h["alg"] != "RS256" || h["kid"] == "" {
		t.Errorf("ID token header = %v, want exactly kid and alg RS256", h)
	}

	// The access token answers GetUser.
	got, err := tokensGetUser(e, aws.ToString(r.AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.Username) != "alice" || usersAttrMap(got.UserAttributes)["custom:level"] != "7" {
		t.Errorf("GetUser = %s %v", aws.ToString(got.Username), usersAttrMap(got.UserAttributes))
	}
}

// Without token revocation on the client, tokens carry no jti and no
// origin_jti.
func TestInitiateAuthWithoutRevocation(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, func(in *cip.CreateUserPoolClientInput) {
		in.EnableTokenRevocation = aws.Bool(false)
	})
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	for _, tok := range []string{aws.ToString(r.IdToken), aws.ToString(r.AccessToken)} {
		c := tokensClaims(t, tok)
		if _, ok := c["jti"]; ok {
			t.Errorf("%s token has jti", c["token_use"])
		}
		if _, ok := c["origin_jti"]; ok {
			t.Errorf("%s token has origin_jti", c["token_use"])
		}
		if s, _ := c["event_id"].(string); !tokensUUID.MatchString(s) {
			t.Errorf("%s token event_id = %v", c["token_use"], c["event_id"])
		}
	}
	tokensWantValid(t, e, aws.ToString(r.AccessToken))
	if _, err := tokensRefresh(e, client, "alice", aws.ToString(r.RefreshToken)); err != nil {
		t.Fatalf("refresh: %v", err)
	}
}

func TestInitiateAuthFlowErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	srpOnly := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth}
	})
	initiate := func(clientID string, flow types.AuthFlowType, params map[string]string) error {
		_, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{AuthFlow: flow, ClientId: aws.String(clientID), AuthParameters: params})
		return err
	}
	id, srp := aws.ToString(client.ClientId), aws.ToString(srpOnly.ClientId)
	creds := map[string]string{"USERNAME": "alice", "PASSWORD": tokensPassword}
	for _, tc := range []struct {
		name     string
		err      error
		typ, msg string
	}{
		{"flow not enabled", initiate(srp, types.AuthFlowTypeUserPasswordAuth, creds),
			"InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"},
		{"refresh not enabled", initiate(srp, types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": "x"}),
			"InvalidParameterException", "Refresh Token flow not enabled for this client"},
		{"admin flow", initiate(id, types.AuthFlowTypeAdminUserPasswordAuth, creds),
			"InvalidParameterException", "Initiate Auth method not supported."},
		{"admin alias", initiate(id, types.AuthFlowTypeAdminNoSrpAuth, creds),
			"InvalidParameterException", "Initiate Auth method not supported."},
		{"no username", initiate(id, types.AuthFlowTypeUserPasswordAuth, map[string]string{"PASSWORD": tokensPassword}),
			"InvalidParameterException", "Missing required parameter USERNAME"},
		{"no password", initiate(id, types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice"}),
			"InvalidParameterException", "Missing required parameter PASSWORD"},
		{"no refresh token", initiate(id, types.AuthFlowTypeRefreshTokenAuth, map[string]string{}),
			"InvalidParameterException", "Missing required parameter REFRESH_TOKEN"},
		{"custom auth not enabled", initiate(id, types.AuthFlowTypeCustomAuth, map[string]string{"USERNAME": "alice"}),
			"InvalidParameterException", "Custom auth flow not enabled for this client"},
		{"unknown client", initiate(poolsUnknownClient, types.AuthFlowTypeUserPasswordAuth, creds),
			"ResourceNotFoundException", "User pool client " + poolsUnknownClient + " does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.err, tc.typ, tc.msg) })
	}
}

func TestInitiateAuthUserErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	hiding := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	})
	legacy := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesLegacy
	})
	tokensUser(t, e, pool, "dora")
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("dora")}); err != nil {
		t.Fatal(err)
	}
	tokensUser(t, e, pool, "uma")
	tokensSetStatus(t, e, pool, "uma", "UNCONFIRMED")
	tokensUser(t, e, pool, "rex")
	tokensSetStatus(t, e, pool, "rex", "RESET_REQUIRED")

	signIn := func(c *types.UserPoolClientType, username, password string) error {
		_, err := tokensInitiate(e, c, username, password)
		return err
	}
	for _, tc := range []struct {
		name     string
		err      error
		typ, msg string
	}{
		{"wrong password", signIn(client, "alice", tokensWrongPassword), "NotAuthorizedException", "Incorrect username or password."},
		{"unknown user", signIn(client, "nobody", tokensPassword), "UserNotFoundException", "User does not exist."},
		{"unknown user, LEGACY", signIn(legacy, "nobody", tokensPassword), "UserNotFoundException", "User does not exist."},
		{"unknown user, existence errors prevented", signIn(hiding, "nobody", tokensPassword), "NotAuthorizedException", "Incorrect username or password."},
		{"disabled", signIn(client, "dora", tokensPassword), "NotAuthorizedException", "User is disabled."},
		{"disabled, wrong password", signIn(client, "dora", tokensWrongPassword), "NotAuthorizedException", "Incorrect username or password."},
		{"unconfirmed", signIn(client, "uma", tokensPassword), "UserNotConfirmedException", "User is not confirmed."},
		{"unconfirmed, wrong password", signIn(client, "uma", tokensWrongPassword), "NotAuthorizedException", "Incorrect username or password."},
		{"reset required", signIn(client, "rex", tokensPassword), "PasswordResetRequiredException", "Password reset required for the user"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.err, tc.typ, tc.msg) })
	}
	// A user's username is case-sensitive in this pool; the sub is
	// accepted where a username is.
	wantAPIError(t, signIn(client, "Alice", tokensPassword), "UserNotFoundException", "User does not exist.")
	signInUser(t, e, pool, client, usersSub(t, e, pool, "alice"), tokensPassword)
}

func TestInitiateAuthSecretHash(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	plain := tokensClient(t, e, pool, nil)
	id := aws.ToString(client.ClientId)
	signIn := func(c *types.UserPoolClientType, hash string) error {
		params := map[string]string{"USERNAME": "alice", "PASSWORD": tokensPassword}
		if hash != "" {
			params["SECRET_HASH"] = hash
		}
		_, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: c.ClientId, AuthParameters: params})
		return err
	}
	wantAPIError(t, signIn(client, ""), "NotAuthorizedException", "Client "+id+" is configured with secret but SECRET_HASH was not received")
	wantAPIError(t, signIn(client, tokensSecretHash(client, "bob")), "NotAuthorizedException", "Unable to verify secret hash for client "+id)
	wantAPIError(t, signIn(client, tokensSecretHash(plain, "alice")), "NotAuthorizedException", "Unable to verify secret hash for client "+id)
	if err := signIn(client, tokensSecretHash(client, "alice")); err != nil {
		t.Fatalf("right SECRET_HASH: %v", err)
	}
	wantAPIError(t, signIn(plain, tokensSecretHash(client, "alice")), "InvalidParameterException",
		"App client "+aws.ToString(plain.ClientId)+" is not configured for secret but secret hash was received")
	// The hash is checked before the user is looked up, so a wrong one
	// says nothing about who exists.
	_, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: client.ClientId,
		AuthParameters: map[string]string{"USERNAME": "nobody", "PASSWORD": tokensPassword, "SECRET_HASH": tokensSecretHash(client, "alice")}})
	wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+id)
}

// In a pool with an email alias, a user who signs in with the alias
// computes SECRET_HASH with what they typed; the internal username works
// too.
func TestInitiateAuthSecretHashAlias(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, func(in *cip.CreateUserPoolInput) {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
	}, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	signIn := func(username, hashWith string) error {
		_, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: client.ClientId,
			AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": tokensPassword, "SECRET_HASH": tokensSecretHash(client, hashWith)}})
		return err
	}
	if err := signIn("alice@example.com", "alice@example.com"); err != nil {
		t.Fatalf("alias with its own hash: %v", err)
	}
	if err := signIn("alice@example.com", "alice"); err != nil {
		t.Fatalf("alias with the username's hash: %v", err)
	}
	if err := signIn("alice", "alice"); err != nil {
		t.Fatalf("username: %v", err)
	}
	wantAPIError(t, signIn("alice", "alice@example.com"), "NotAuthorizedException", "Unable to verify secret hash for client "+aws.ToString(client.ClientId))
	r := signInUser(t, e, pool, client, "alice@example.com", tokensPassword)
	if c := tokensClaims(t, aws.ToString(r.IdToken)); c["cognito:username"] != "alice" {
		t.Errorf("cognito:username = %v, want the internal username", c["cognito:username"])
	}
}

// Five wrong passwords lock the user out: even the right password is
// refused until the lockout ends, and the lockout is in the store.
func TestInitiateAuthLockout(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	for i := range 5 {
		_, err := tokensInitiate(e, client, "alice", tokensWrongPassword)
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		if i < 4 {
			e.Clock.Advance(time.Second)
		}
	}
	_, err := tokensInitiate(e, client, "alice", tokensPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	// Attempts during the lockout do not extend it.
	e.Clock.Advance(500 * time.Millisecond)
	_, err = tokensInitiate(e, client, "alice", tokensWrongPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	e.Clock.Advance(500 * time.Millisecond)
	signInUser(t, e, pool, client, "alice", tokensPassword)

	// A success starts the count again: four failures lock nobody out.
	for range 4 {
		_, err := tokensInitiate(e, client, "alice", tokensWrongPassword)
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	}
	signInUser(t, e, pool, client, "alice", tokensPassword)

	// Each failure past the fifth doubles the lockout: 1 s, then 2 s.
	for range 5 {
		tokensInitiate(e, client, "alice", tokensWrongPassword)
	}
	e.Clock.Advance(time.Second)
	_, err = tokensInitiate(e, client, "alice", tokensWrongPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	e.Clock.Advance(1999 * time.Millisecond)
	_, err = tokensInitiate(e, client, "alice", tokensPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	e.Clock.Advance(time.Millisecond)
	signInUser(t, e, pool, client, "alice", tokensPassword)
}

// REFRESH_TOKEN_AUTH (and its alias REFRESH_TOKEN) returns new ID and
// access tokens of the same sign-in, and no refresh token.
func TestInitiateAuthRefreshToken(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	first := signInUser(t, e, pool, client, "alice", tokensPassword)
	rt := aws.ToString(first.RefreshToken)
	idv, accv := tokensVerifiers(t, e, pool, aws.ToString(client.ClientId))
	signedIn := tokensClaims(t, aws.ToString(first.AccessToken))

	for _, flow := range []types.AuthFlowType{types.AuthFlowTypeRefreshTokenAuth, types.AuthFlowTypeRefreshToken} {
		e.Clock.Advance(10 * time.Minute)
		out, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{
			AuthFlow: flow, ClientId: client.ClientId,
			// Old SDKs send USERNAME too; it is ignored.
			AuthParameters: map[string]string{"REFRESH_TOKEN": rt, "USERNAME": "alice"},
		})
		if err != nil {
			t.Fatalf("%s: %v", flow, err)
		}
		r := out.AuthenticationResult
		if r == nil || r.RefreshToken != nil || r.IdToken == nil || r.AccessToken == nil || r.ExpiresIn != 3600 || aws.ToString(r.TokenType) != "Bearer" {
			t.Fatalf("%s: result = %+v", flow, r)
		}
		if _, err := idv.Verify(e.ctx(), aws.ToString(r.IdToken)); err != nil {
			t.Errorf("%s: go-oidc: ID token: %v", flow, err)
		}
		if _, err := accv.Verify(e.ctx(), aws.ToString(r.AccessToken)); err != nil {
			t.Errorf("%s: go-oidc: access token: %v", flow, err)
		}
		now := float64(e.Clock.Now().Unix())
		id, ac := tokensClaims(t, aws.ToString(r.IdToken)), tokensClaims(t, aws.ToString(r.AccessToken))
		for _, c := range []map[string]any{id, ac} {
			if c["auth_time"] != signedIn["auth_time"] || c["iat"] != now || c["origin_jti"] != signedIn["origin_jti"] {
				t.Errorf("%s: %s token auth_time %v iat %v origin_jti %v; want %v %v %v", flow, c["token_use"],
					c["auth_time"], c["iat"], c["origin_jti"], signedIn["auth_time"], now, signedIn["origin_jti"])
			}
			if c["jti"] == signedIn["jti"] || !tokensUUID.MatchString(c["jti"].(string)) {
				t.Errorf("%s: %s token jti %v is not new", flow, c["token_use"], c["jti"])
			}
		}
		if id["event_id"] != ac["event_id"] || id["event_id"] == signedIn["event_id"] {
			t.Errorf("%s: event_id %v / %v, sign-in's %v", flow, id["event_id"], ac["event_id"], signedIn["event_id"])
		}
		tokensWantValid(t, e, aws.ToString(r.AccessToken))
	}
	// The refresh token stays valid, and the first access token too.
	if _, err := tokensRefresh(e, client, "alice", rt); err != nil {
		t.Fatal(err)
	}
	tokensWantValid(t, e, aws.ToString(first.AccessToken))
}

func TestInitiateAuthRefreshTokenErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	other := tokensClient(t, e, pool, nil)
	rotating := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.RefreshTokenRotation = &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled}
	})
	otherPool, otherPoolClient := tokensSetup(t, e, nil, nil)
	rt := aws.ToString(signInUser(t, e, pool, client, "alice", tokensPassword).RefreshToken)
	rotRT := aws.ToString(signInUser(t, e, pool, rotating, "alice", tokensPassword).RefreshToken)
	foreign := aws.ToString(signInUser(t, e, otherPool, otherPoolClient, "alice", tokensPassword).RefreshToken)

	refresh := func(c *types.UserPoolClientType, token string) error {
		_, err := tokensRefresh(e, c, "alice", token)
		return err
	}
	for _, tc := range []struct {
		name     string
		err      error
		typ, msg string
	}{
		{"another client's token", refresh(other, rt), "NotAuthorizedException", "Invalid Refresh Token."},
		{"another pool's token", refresh(client, foreign), "NotAuthorizedException", "Invalid Refresh Token."},
		{"garbage", refresh(client, "garbage"), "NotAuthorizedException", "Invalid Refresh Token."},
		{"a JWT", refresh(client, aws.ToString(signInUser(t, e, pool, client, "alice", tokensPassword).AccessToken)), "NotAuthorizedException", "Invalid Refresh Token."},
		{"tampered", refresh(client, tokensTamper(rt, 2)), "NotAuthorizedException", "Invalid Refresh Token."},
		{"rotating client", refresh(rotating, rotRT), "InvalidParameterException",
			"Refresh token rotation is enabled for this app client: refresh with GetTokensFromRefreshToken."},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.err, tc.typ, tc.msg) })
	}
	// None of that harmed the token.
	if err := refresh(client, rt); err != nil {
		t.Fatal(err)
	}
}

// With a secret, the SECRET_HASH of a refresh is computed with the
// internal username (a UUID in a pool that signs in with email), not the
// email the user typed.
func TestInitiateAuthRefreshSecretHash(t *testing.T) {
	e := newEnv(t)
	pool := usersEmailPool(t, e)
	client := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	tokensUser(t, e, pool, "erin@example.com")
	r := signInUser(t, e, pool, client, "erin@example.com", tokensPassword)
	internal := tokensClaims(t, aws.ToString(r.AccessToken))["username"].(string)
	if !usersUUID.MatchString(internal) {
		t.Fatalf("username claim = %q, want a UUID", internal)
	}
	rt := aws.ToString(r.RefreshToken)
	id := aws.ToString(client.ClientId)
	refresh := func(params map[string]string) error {
		params["REFRESH_TOKEN"] = rt
		_, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: client.ClientId, AuthParameters: params})
		return err
	}
	if err := refresh(map[string]string{"SECRET_HASH": tokensSecretHash(client, internal)}); err != nil {
		t.Fatalf("hash of the internal username: %v", err)
	}
	wantAPIError(t, refresh(map[string]string{}), "NotAuthorizedException", "Client "+id+" is configured with secret but SECRET_HASH was not received")
	wantAPIError(t, refresh(map[string]string{"SECRET_HASH": tokensSecretHash(client, "erin@example.com")}),
		"NotAuthorizedException", "Unable to verify secret hash for client "+id)
	// Sending the email as USERNAME does not make its hash acceptable:
	// Cognito checks the internal username whatever the request says.
	wantAPIError(t, refresh(map[string]string{"USERNAME": "erin@example.com", "SECRET_HASH": tokensSecretHash(client, "erin@example.com")}),
		"NotAuthorizedException", "Unable to verify secret hash for client "+id)
}

// One refresh token used by 100 concurrent REFRESH_TOKEN_AUTH requests:
// all succeed, each with its own tokens.
func TestInitiateAuthConcurrentRefresh(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	rt := aws.ToString(signInUser(t, e, pool, client, "alice", tokensPassword).RefreshToken)
	const n = 100
	var wg sync.WaitGroup
	errs := make([]error, n)
	jtis := make([]string, n)
	for i := range n {
		wg.Go(func() {
			r, err := tokensRefresh(e, client, "alice", rt)
			errs[i] = err
			if err == nil {
				jtis[i] = tokensJTI(aws.ToString(r.AccessToken))
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("refresh %d: %v", i, err)
		}
		if jtis[i] == "" || seen[jtis[i]] {
			t.Fatalf("refresh %d: access jti %q missing or repeated", i, jtis[i])
		}
		seen[jtis[i]] = true
	}
}
