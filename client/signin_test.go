package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/userpool/userpool/client"
)

// appFor returns an AppClient of dev's pool through the SDK.
func appFor(d *dev, clientID, secret string) *client.AppClient {
	idp := cip.New(cip.Options{Region: "us-east-1", RetryMaxAttempts: 1}, client.WithEndpoint(d.url))
	return &client.AppClient{API: idp, PoolID: d.poolID, ClientID: clientID, ClientSecret: secret}
}

func wantAPIError(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
}

func TestSignInSRPWrongPassword(t *testing.T) {
	d := startDev(nil)
	t.Cleanup(d.close)
	_, err := appFor(d, d.clientID, "").SignInSRP(t.Context(), "alice", "Wr0ng-Passw0rd!")
	wantAPIError(t, err, "NotAuthorizedException")
}

// TestSignInSRPWithSecret signs in through a confidential client (SECRET_HASH
// on each step) and refreshes through it (ClientSecret).
func TestSignInSRPWithSecret(t *testing.T) {
	d := startDev(func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	t.Cleanup(d.close)
	out, err := d.admin.DescribeUserPoolClient(t.Context(), &cip.DescribeUserPoolClientInput{
		UserPoolId: aws.String(d.poolID), ClientId: aws.String(d.clientID),
	})
	if err != nil {
		t.Fatal(err)
	}
	secret := aws.ToString(out.UserPoolClient.ClientSecret)
	if _, err := appFor(d, d.clientID, "").SignInSRP(t.Context(), "alice", "Passw0rd!"); err == nil {
		t.Fatal("signed in without the client's secret")
	}
	app := appFor(d, d.clientID, secret)
	app.Now = d.clock.Now
	step, err := app.SignInSRP(t.Context(), "alice", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	d.clock.Advance(61 * time.Minute)
	tok, err := app.TokenSource(t.Context(), step.Tokens).Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == step.Tokens.AccessToken || tok.RefreshToken != step.Tokens.RefreshToken {
		t.Fatal("the refresh did not give a new access token with the same refresh token")
	}
}

// TestTokenSourceRevoked checks that a revoked refresh token is reported
// with Cognito's error, not hidden behind the old access token.
func TestTokenSourceRevoked(t *testing.T) {
	d := startDev(nil)
	t.Cleanup(d.close)
	app := appFor(d, d.clientID, "")
	app.Now = d.clock.Now
	step, err := app.SignInSRP(t.Context(), "alice", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.admin.AdminUserGlobalSignOut(t.Context(), &cip.AdminUserGlobalSignOutInput{
		UserPoolId: aws.String(d.poolID), Username: aws.String("alice"),
	}); err != nil {
		t.Fatal(err)
	}
	d.clock.Advance(2 * time.Hour)
	_, err = app.TokenSource(context.Background(), step.Tokens).Token()
	wantAPIError(t, err, "NotAuthorizedException")
}

func TestRespondUnsupported(t *testing.T) {
	app := &client.AppClient{PoolID: "us-east-1_X", ClientID: "c"}
	if _, err := app.Respond(t.Context(), &client.Step{Challenge: types.ChallengeNameTypeCustomChallenge}, "x"); err == nil {
		t.Fatal("answered a challenge Respond does not support")
	}
	if _, err := app.Respond(t.Context(), &client.Step{Tokens: &client.Tokens{}}, "x"); err == nil {
		t.Fatal("answered a finished sign-in")
	}
	bad := &client.AppClient{PoolID: "nounderscore"}
	if _, err := bad.SignInSRP(t.Context(), "a", "b"); err == nil {
		t.Fatal("signed in with a malformed pool id")
	}
}
