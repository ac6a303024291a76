package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// tokensRevoke runs RevokeToken with the client's secret, if any.
func tokensRevoke(e *env, c *types.UserPoolClientType, token string) error {
	_, err := e.Client.RevokeToken(e.ctx(), &cip.RevokeTokenInput{ClientId: c.ClientId, ClientSecret: c.ClientSecret, Token: aws.String(token)})
	return err
}

// tokensWantRevoked asserts a sign-in has ended: its refresh token is
// refused on both refresh paths and its access token by GetUser.
func tokensWantRevoked(t *testing.T, e *env, c *types.UserPoolClientType, username string, r *types.AuthenticationResultType) {
	t.Helper()
	_, err := tokensGetUser(e, aws.ToString(r.AccessToken))
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	_, err = tokensGetTokens(e, c, aws.ToString(r.RefreshToken))
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	_, err = tokensRefresh(e, c, username, aws.ToString(r.RefreshToken))
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
}

// tokensWantLive asserts a sign-in still works: GetUser accepts its access
// token and its refresh token refreshes.
func tokensWantLive(t *testing.T, e *env, c *types.UserPoolClientType, r *types.AuthenticationResultType) {
	t.Helper()
	tokensWantValid(t, e, aws.ToString(r.AccessToken))
	if _, err := tokensGetTokens(e, c, aws.ToString(r.RefreshToken)); err != nil {
		t.Fatalf("refresh: %v", err)
	}
}

// RevokeToken ends one sign-in: its refresh token and every access token
// minted from it, before or after the revocation. The user's other
// sign-ins are untouched.
func TestRevokeToken(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	one := signInUser(t, e, pool, client, "alice", tokensPassword)
	two := signInUser(t, e, pool, client, "alice", tokensPassword)
	refreshed, err := tokensRefresh(e, client, "alice", aws.ToString(one.RefreshToken))
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(time.Minute)
	if err := tokensRevoke(e, client, aws.ToString(one.RefreshToken)); err != nil {
		t.Fatal(err)
	}
	tokensWantRevoked(t, e, client, "alice", one)
	_, err = tokensGetUser(e, aws.ToString(refreshed.AccessToken))
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	tokensWantLive(t, e, client, two)
	// Revoking again, or a token that is not ours, succeeds (RFC 7009).
	if err := tokensRevoke(e, client, aws.ToString(one.RefreshToken)); err != nil {
		t.Errorf("revoking again: %v", err)
	}
	if err := tokensRevoke(e, client, "garbage"); err != nil {
		t.Errorf("revoking garbage: %v", err)
	}
	// A new sign-in works at once.
	tokensWantLive(t, e, client, signInUser(t, e, pool, client, "alice", tokensPassword))
}

// Revoking any refresh token of a rotated chain ends the whole sign-in.
func TestRevokeTokenRotated(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, tokensRotating(0))
	first := signInUser(t, e, pool, client, "alice", tokensPassword)
	r, err := tokensGetTokens(e, client, aws.ToString(first.RefreshToken))
	if err != nil {
		t.Fatal(err)
	}
	if err := tokensRevoke(e, client, aws.ToString(first.RefreshToken)); err != nil {
		t.Fatal(err)
	}
	_, err = tokensGetTokens(e, client, aws.ToString(r.RefreshToken))
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	for _, access := range []string{aws.ToString(first.AccessToken), aws.ToString(r.AccessToken)} {
		_, err = tokensGetUser(e, access)
		wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	}
}

func TestRevokeTokenErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	noRevocation := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.EnableTokenRevocation = aws.Bool(false) })
	other := tokensClient(t, e, pool, nil)
	secret := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	nr := signInUser(t, e, pool, noRevocation, "alice", tokensPassword)
	sr := signInUser(t, e, pool, secret, "alice", tokensPassword)
	revoke := func(clientID string, clientSecret *string, token string) error {
		_, err := e.Client.RevokeToken(e.ctx(), &cip.RevokeTokenInput{ClientId: aws.String(clientID), ClientSecret: clientSecret, Token: aws.String(token)})
		return err
	}
	id, sid := aws.ToString(client.ClientId), aws.ToString(secret.ClientId)
	for _, tc := range []struct {
		name     string
		err      error
		typ, msg string
	}{
		{"revocation disabled", revoke(aws.ToString(noRevocation.ClientId), nil, aws.ToString(nr.RefreshToken)),
			"UnsupportedOperationException", "Token revocation is not enabled for app client " + aws.ToString(noRevocation.ClientId) + "."},
		{"access token", revoke(id, nil, aws.ToString(r.AccessToken)), "UnsupportedTokenTypeException", "Only refresh tokens can be revoked."},
		{"ID token", revoke(id, nil, aws.ToString(r.IdToken)), "UnsupportedTokenTypeException", "Only refresh tokens can be revoked."},
		{"another client's token", revoke(aws.ToString(other.ClientId), nil, aws.ToString(r.RefreshToken)),
			"UnauthorizedException", "The refresh token was not issued to app client " + aws.ToString(other.ClientId) + "."},
		{"secret missing", revoke(sid, nil, aws.ToString(sr.RefreshToken)), "UnauthorizedException", "Client authentication failed for app client " + sid + "."},
		{"secret wrong", revoke(sid, aws.String(strings.Repeat("s", 32)), aws.ToString(sr.RefreshToken)),
			"UnauthorizedException", "Client authentication failed for app client " + sid + "."},
		{"unknown client", revoke(poolsUnknownClient, nil, aws.ToString(r.RefreshToken)),
			"ResourceNotFoundException", "User pool client " + poolsUnknownClient + " does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.err, tc.typ, tc.msg) })
	}
	// Nothing was revoked by the refusals.
	tokensWantLive(t, e, client, r)
	tokensWantLive(t, e, noRevocation, nr)
	tokensWantLive(t, e, secret, sr)
	if err := revoke(sid, secret.ClientSecret, aws.ToString(sr.RefreshToken)); err != nil {
		t.Fatal(err)
	}
	tokensWantRevoked(t, e, secret, "alice", sr)
}
