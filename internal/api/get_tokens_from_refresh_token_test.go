package api_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// tokensRotating adjusts a client request for refresh-token rotation with
// the grace period given, and without REFRESH_TOKEN_AUTH, as Cognito
// expects of a rotating client.
func tokensRotating(grace int32) func(*cip.CreateUserPoolClientInput) {
	return func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth}
		in.RefreshTokenRotation = &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(grace)}
	}
}

// Without rotation, GetTokensFromRefreshToken returns new ID and access
// tokens of the same sign-in and no refresh token.
func TestGetTokensFromRefreshToken(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth}
	})
	first := signInUser(t, e, pool, client, "alice", tokensPassword)
	signedIn := tokensClaims(t, aws.ToString(first.IdToken))
	e.Clock.Advance(time.Hour)
	r, err := tokensGetTokens(e, client, aws.ToString(first.RefreshToken))
	if err != nil {
		t.Fatal(err)
	}
	if r.RefreshToken != nil || r.ExpiresIn != 3600 || aws.ToString(r.TokenType) != "Bearer" {
		t.Fatalf("result = %+v", r)
	}
	idv, accv := tokensVerifiers(t, e, pool, aws.ToString(client.ClientId))
	if _, err := idv.Verify(e.ctx(), aws.ToString(r.IdToken)); err != nil {
		t.Fatalf("go-oidc: ID token: %v", err)
	}
	if _, err := accv.Verify(e.ctx(), aws.ToString(r.AccessToken)); err != nil {
		t.Fatalf("go-oidc: access token: %v", err)
	}
	id := tokensClaims(t, aws.ToString(r.IdToken))
	if id["auth_time"] != signedIn["auth_time"] || id["origin_jti"] != signedIn["origin_jti"] || id["jti"] == signedIn["jti"] ||
		id["iat"] != float64(e.Clock.Now().Unix()) {
		t.Errorf("refreshed ID token = %v, signed-in one %v", id, signedIn)
	}
	tokensWantValid(t, e, aws.ToString(r.AccessToken))
	// The first access token has expired by now; the refresh token lives on.
	_, err = tokensGetUser(e, aws.ToString(first.AccessToken))
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has expired")
	if _, err := tokensGetTokens(e, client, aws.ToString(first.RefreshToken)); err != nil {
		t.Fatal(err)
	}
}

// With rotation, each refresh returns a new refresh token; the one it
// replaces keeps working for RetryGracePeriodSeconds and is then refused
// with RefreshTokenReuseException.
func TestGetTokensFromRefreshTokenRotation(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, tokensRotating(10))
	first := signInUser(t, e, pool, client, "alice", tokensPassword)
	origin := tokensClaims(t, aws.ToString(first.AccessToken))["origin_jti"]
	old := aws.ToString(first.RefreshToken)

	r, err := tokensGetTokens(e, client, old)
	if err != nil {
		t.Fatal(err)
	}
	next := aws.ToString(r.RefreshToken)
	if next == "" || next == old {
		t.Fatalf("rotation returned refresh token %q", next)
	}
	if got := tokensClaims(t, aws.ToString(r.AccessToken))["origin_jti"]; got != origin {
		t.Errorf("origin_jti = %v, want the sign-in's %v", got, origin)
	}
	tokensWantValid(t, e, aws.ToString(r.AccessToken))

	// Within the grace period the old token is accepted again (a client
	// retrying a lost response).
	e.Clock.Advance(5 * time.Second)
	retry, err := tokensGetTokens(e, client, old)
	if err != nil {
		t.Fatalf("within the grace period: %v", err)
	}
	if retry.RefreshToken == nil {
		t.Fatal("retry returned no refresh token")
	}

	// The replacement works and rotates in its turn.
	r2, err := tokensGetTokens(e, client, next)
	if err != nil {
		t.Fatal(err)
	}
	if r2.RefreshToken == nil || aws.ToString(r2.RefreshToken) == next {
		t.Fatalf("second rotation = %v", r2.RefreshToken)
	}
	tokensWantValid(t, e, aws.ToString(r2.AccessToken))

	e.Clock.Advance(10 * time.Second)
	_, err = tokensGetTokens(e, client, old)
	wantAPIError(t, err, "RefreshTokenReuseException", "Refresh token has been invalidated by refresh token rotation.")
	wantFamilyRevoked(t, e, client, aws.ToString(r2.RefreshToken), aws.ToString(r2.AccessToken))
}

// wantFamilyRevoked checks that a reuse revoked the whole sign-in (RFC
// 9700 §4.14.2, beyond Cognito): its newest refresh token and its access
// token are refused.
func wantFamilyRevoked(t *testing.T, e *env, client *types.UserPoolClientType, refresh, access string) {
	t.Helper()
	_, err := tokensGetTokens(e, client, refresh)
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	_, err = tokensGetUser(e, access)
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
}

// With a grace period of 0, a rotated-out token is refused at once.
func TestGetTokensFromRefreshTokenRotationNoGrace(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, tokensRotating(0))
	old := aws.ToString(signInUser(t, e, pool, client, "alice", tokensPassword).RefreshToken)
	r, err := tokensGetTokens(e, client, old)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tokensGetTokens(e, client, old)
	wantAPIError(t, err, "RefreshTokenReuseException", "Refresh token has been invalidated by refresh token rotation.")
	wantFamilyRevoked(t, e, client, aws.ToString(r.RefreshToken), aws.ToString(r.AccessToken))
}

// A rotated-in refresh token expires when the one it replaced would have,
// so rotation never extends a sign-in beyond the client's validity.
func TestGetTokensFromRefreshTokenReplacementExpiry(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, func(in *cip.CreateUserPoolClientInput) {
		tokensRotating(0)(in)
		in.RefreshTokenValidity = 60
		in.TokenValidityUnits = &types.TokenValidityUnitsType{RefreshToken: types.TimeUnitsTypeMinutes}
	})
	rt := aws.ToString(signInUser(t, e, pool, client, "alice", tokensPassword).RefreshToken)
	for range 2 {
		e.Clock.Advance(25 * time.Minute)
		r, err := tokensGetTokens(e, client, rt)
		if err != nil {
			t.Fatal(err)
		}
		rt = aws.ToString(r.RefreshToken)
	}
	e.Clock.Advance(10*time.Minute - time.Second) // 59:59 after the sign-in
	r, err := tokensGetTokens(e, client, rt)
	if err != nil {
		t.Fatalf("a second before the sign-in's expiry: %v", err)
	}
	e.Clock.Advance(time.Second)
	_, err = tokensGetTokens(e, client, aws.ToString(r.RefreshToken))
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has expired")
}

// A refresh token expires after the client's RefreshTokenValidity, in any
// unit, from 60 minutes to 10 years, through both refresh paths.
func TestGetTokensFromRefreshTokenExpiry(t *testing.T) {
	for _, tc := range []struct {
		name  string
		value int32
		unit  types.TimeUnitsType
		ttl   time.Duration
	}{
		{"3600 seconds", 3600, types.TimeUnitsTypeSeconds, time.Hour},
		{"60 minutes", 60, types.TimeUnitsTypeMinutes, time.Hour},
		{"1 hours", 1, types.TimeUnitsTypeHours, time.Hour},
		{"7 days", 7, types.TimeUnitsTypeDays, 7 * 24 * time.Hour},
		{"3650 days", 3650, types.TimeUnitsTypeDays, 3650 * 24 * time.Hour},
		{"87600 hours", 87600, types.TimeUnitsTypeHours, 3650 * 24 * time.Hour},
		// The SDK sends 0 when no validity is given: 30 days.
		{"default", 0, "", 30 * 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			pool, client := tokensSetup(t, e, nil, func(in *cip.CreateUserPoolClientInput) {
				in.RefreshTokenValidity = tc.value
				if tc.unit != "" {
					in.TokenValidityUnits = &types.TokenValidityUnitsType{RefreshToken: tc.unit}
				}
			})
			rt := aws.ToString(signInUser(t, e, pool, client, "alice", tokensPassword).RefreshToken)
			e.Clock.Advance(tc.ttl - time.Second)
			if _, err := tokensGetTokens(e, client, rt); err != nil {
				t.Fatalf("GetTokensFromRefreshToken a second before expiry: %v", err)
			}
			if _, err := tokensRefresh(e, client, "alice", rt); err != nil {
				t.Fatalf("REFRESH_TOKEN_AUTH a second before expiry: %v", err)
			}
			e.Clock.Advance(time.Second)
			_, err := tokensGetTokens(e, client, rt)
			wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has expired")
			_, err = tokensRefresh(e, client, "alice", rt)
			wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has expired")
		})
	}
}

func TestGetTokensFromRefreshTokenErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	other := tokensClient(t, e, pool, nil)
	secret := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	rt := aws.ToString(signInUser(t, e, pool, client, "alice", tokensPassword).RefreshToken)
	secretRT := aws.ToString(signInUser(t, e, pool, secret, "alice", tokensPassword).RefreshToken)
	get := func(clientID string, clientSecret *string, token string) error {
		_, err := e.Client.GetTokensFromRefreshToken(e.ctx(), &cip.GetTokensFromRefreshTokenInput{
			ClientId: aws.String(clientID), ClientSecret: clientSecret, RefreshToken: aws.String(token),
		})
		return err
	}
	id, sid := aws.ToString(client.ClientId), aws.ToString(secret.ClientId)
	for _, tc := range []struct {
		name     string
		err      error
		typ, msg string
	}{
		{"another client's token", get(aws.ToString(other.ClientId), nil, rt), "NotAuthorizedException", "Invalid Refresh Token."},
		{"garbage", get(id, nil, "garbage"), "NotAuthorizedException", "Invalid Refresh Token."},
		{"tampered", get(id, nil, tokensTamper(rt, 2)), "NotAuthorizedException", "Invalid Refresh Token."},
		{"secret missing", get(sid, nil, secretRT), "NotAuthorizedException", "Client " + sid + " is configured with secret but ClientSecret was not received"},
		{"secret wrong", get(sid, aws.String("x"+aws.ToString(secret.ClientSecret)), secretRT), "NotAuthorizedException", "Unable to verify client secret for client " + sid},
		{"secret to a client without one", get(id, aws.String(strings.Repeat("s", 32)), rt), "InvalidParameterException",
			"App client " + id + " is not configured for secret but client secret was received"},
		{"unknown client", get(poolsUnknownClient, nil, rt), "ResourceNotFoundException", "User pool client " + poolsUnknownClient + " does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.err, tc.typ, tc.msg) })
	}
	if err := get(sid, secret.ClientSecret, secretRT); err != nil {
		t.Fatalf("right secret: %v", err)
	}
	if err := get(id, nil, rt); err != nil {
		t.Fatal(err)
	}
}

// The user behind a refresh token must still be allowed to sign in.
func TestGetTokensFromRefreshTokenUserState(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	tokensUser(t, e, pool, "rex")
	rexRT := aws.ToString(signInUser(t, e, pool, client, "rex", tokensPassword).RefreshToken)
	tokensSetStatus(t, e, pool, "rex", "RESET_REQUIRED")
	_, err := tokensGetTokens(e, client, rexRT)
	wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
}

// Of N concurrent rotations of one token with no grace period exactly one
// wins; the others are reuses, which revoke the sign-in, the winner's new
// token included.
func TestGetTokensFromRefreshTokenConcurrentRotation(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, tokensRotating(0))
	rt := aws.ToString(signInUser(t, e, pool, client, "alice", tokensPassword).RefreshToken)
	const n = 16
	var wg sync.WaitGroup
	results := make([]*types.AuthenticationResultType, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			results[i], errs[i] = tokensGetTokens(e, client, rt)
		})
	}
	close(start)
	wg.Wait()
	var winner string
	for i, err := range errs {
		if err == nil {
			if winner != "" {
				t.Fatalf("more than one rotation succeeded")
			}
			winner = aws.ToString(results[i].RefreshToken)
			continue
		}
		// A loser that comes after another loser's revocation finds the
		// sign-in revoked.
		var ae smithy.APIError
		if !errors.As(err, &ae) || (ae.ErrorCode() != "RefreshTokenReuseException" && ae.ErrorMessage() != "Refresh Token has been revoked") {
			t.Errorf("loser: %v", err)
		}
	}
	if winner == "" {
		t.Fatal("no rotation succeeded")
	}
	_, err := tokensGetTokens(e, client, winner)
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
}
