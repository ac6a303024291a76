package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// GlobalSignOut ends every sign-in of the caller, on every client; other
// users are untouched and the next sign-in works.
func TestGlobalSignOut(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	other := tokensClient(t, e, pool, nil)
	tokensUser(t, e, pool, "bob")
	one := signInUser(t, e, pool, client, "alice", tokensPassword)
	two := signInUser(t, e, pool, other, "alice", tokensPassword)
	bob := signInUser(t, e, pool, client, "bob", tokensPassword)
	e.Clock.Advance(time.Minute)
	refreshed, err := tokensRefresh(e, client, "alice", aws.ToString(one.RefreshToken))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.GlobalSignOut(e.ctx(), &cip.GlobalSignOutInput{AccessToken: two.AccessToken}); err != nil {
		t.Fatal(err)
	}
	tokensWantRevoked(t, e, client, "alice", one)
	tokensWantRevoked(t, e, other, "alice", two)
	_, err = tokensGetUser(e, aws.ToString(refreshed.AccessToken))
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	_, err = e.Client.GlobalSignOut(e.ctx(), &cip.GlobalSignOutInput{AccessToken: two.AccessToken})
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	tokensWantLive(t, e, client, bob)
	// Signing in again, even within the same second, works.
	tokensWantLive(t, e, client, signInUser(t, e, pool, client, "alice", tokensPassword))
}

// Tokens of a client without token revocation carry no origin_jti; a
// global sign-out still ends them, through the user's sign-out time, even
// when they were issued in the same second.
func TestGlobalSignOutWithoutRevocation(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, func(in *cip.CreateUserPoolClientInput) { in.EnableTokenRevocation = aws.Bool(false) })
	early := signInUser(t, e, pool, client, "alice", tokensPassword)
	e.Clock.Advance(10 * time.Second)
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	if _, err := e.Client.GlobalSignOut(e.ctx(), &cip.GlobalSignOutInput{AccessToken: r.AccessToken}); err != nil {
		t.Fatal(err)
	}
	tokensWantRevoked(t, e, client, "alice", early)
	tokensWantRevoked(t, e, client, "alice", r)
	e.Clock.Advance(time.Second)
	tokensWantLive(t, e, client, signInUser(t, e, pool, client, "alice", tokensPassword))
}

func TestGlobalSignOutErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	for _, tc := range []struct {
		name, token string
	}{
		{"ID token", aws.ToString(r.IdToken)},
		{"altered signature", tokensTamper(aws.ToString(r.AccessToken), 2)},
		{"garbage", "garbage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.GlobalSignOut(e.ctx(), &cip.GlobalSignOutInput{AccessToken: aws.String(tc.token)})
			wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")
		})
	}
	e.Clock.Advance(time.Hour)
	_, err := e.Client.GlobalSignOut(e.ctx(), &cip.GlobalSignOutInput{AccessToken: r.AccessToken})
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has expired")
	// None of the refusals signed anyone out.
	if _, err := tokensGetTokens(e, client, aws.ToString(r.RefreshToken)); err != nil {
		t.Fatal(err)
	}
}
