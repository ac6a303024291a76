package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestUpdateUserPoolClientReplacesSettings checks UpdateUserPoolClient is
// a full replace that keeps the id, the secret and, when no name is given,
// the name.
func TestUpdateUserPoolClientReplacesSettings(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	c := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.GenerateSecret = true
		in.AllowedOAuthFlowsUserPoolClient = true
		in.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeCode}
		in.AllowedOAuthScopes = []string{"openid"}
		in.CallbackURLs = []string{"https://app.example.com/cb"}
		in.AccessTokenValidity = aws.Int32(2)
		in.EnableTokenRevocation = aws.Bool(false)
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth}
		in.ReadAttributes = []string{"email"}
	})
	e.Clock.Advance(time.Hour)
	out, err := e.Client.UpdateUserPoolClient(e.ctx(), &cip.UpdateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientId: c.ClientId, IdTokenValidity: aws.Int32(10),
		TokenValidityUnits: &types.TokenValidityUnitsType{IdToken: types.TimeUnitsTypeMinutes},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := poolsDefaultClient(pool, "test-client")
	want.ClientId, want.ClientSecret = c.ClientId, c.ClientSecret
	want.CreationDate, want.LastModifiedDate = c.CreationDate, aws.Time(e.Clock.Now())
	want.IdTokenValidity = aws.Int32(10)
	if d := poolsDiff(want, out.UserPoolClient); d != "" {
		t.Errorf("UpdateUserPoolClient (-want +got):\n%s", d)
	}
	if d := poolsDiff(out.UserPoolClient, poolsDescribeClient(t, e, pool, aws.ToString(c.ClientId))); d != "" {
		t.Errorf("DescribeUserPoolClient differs from UpdateUserPoolClient (-update +describe):\n%s", d)
	}

	// A name, when given, replaces the old one.
	out, err = e.Client.UpdateUserPoolClient(e.ctx(), &cip.UpdateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientId: c.ClientId, ClientName: aws.String("renamed"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.UserPoolClient.ClientName) != "renamed" {
		t.Errorf("ClientName = %q, want renamed", aws.ToString(out.UserPoolClient.ClientName))
	}
}

func TestUpdateUserPoolClientClientCredentialsNeedsSecret(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	if _, err := e.Client.CreateResourceServer(e.ctx(), &cip.CreateResourceServerInput{
		UserPoolId: aws.String(pool), Identifier: aws.String("orders"), Name: aws.String("orders"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("write"), ScopeDescription: aws.String("write")}},
	}); err != nil {
		t.Fatalf("CreateResourceServer: %v", err)
	}
	m2m := func(id *string) *cip.UpdateUserPoolClientInput {
		return &cip.UpdateUserPoolClientInput{
			UserPoolId: aws.String(pool), ClientId: id, AllowedOAuthFlowsUserPoolClient: true,
			AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthScopes: []string{"orders/write"},
		}
	}
	public := createTestClient(t, e, pool, nil)
	_, err := e.Client.UpdateUserPoolClient(e.ctx(), m2m(public.ClientId))
	wantAPIError(t, err, "InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret.")

	confidential := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	if _, err := e.Client.UpdateUserPoolClient(e.ctx(), m2m(confidential.ClientId)); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateUserPoolClientErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	other := createTestPool(t, e, nil)
	c := createTestClient(t, e, pool, nil)
	foreign := createTestClient(t, e, other, nil)
	tests := []struct {
		name    string
		in      *cip.UpdateUserPoolClientInput
		typ     string
		message string
	}{
		{"no such pool", &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(poolsUnknownPool), ClientId: c.ClientId},
			"ResourceNotFoundException", "User pool us-east-1_NoSuchPool does not exist."},
		{"no such client", &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(poolsUnknownClient)},
			"ResourceNotFoundException", "User pool client " + poolsUnknownClient + " does not exist."},
		{"client of another pool", &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: foreign.ClientId},
			"ResourceNotFoundException", "User pool client " + aws.ToString(foreign.ClientId) + " does not exist."},
		{"unknown write attribute", &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: c.ClientId, WriteAttributes: []string{"custom:x"}},
			"InvalidParameterException", "Invalid write attributes specified while updating a client"},
		{"http callback", &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: c.ClientId, CallbackURLs: []string{"http://example.com"}},
			"InvalidParameterException", "http://example.com cannot use the HTTP protocol."},
		{"token validity", &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: c.ClientId, RefreshTokenValidity: 4000},
			"InvalidParameterException", "Invalid range for token validity."},
	}
	before := poolsDescribeClient(t, e, pool, aws.ToString(c.ClientId))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Client.UpdateUserPoolClient(e.ctx(), tt.in)
			wantAPIError(t, err, tt.typ, tt.message)
		})
	}
	if d := poolsDiff(before, poolsDescribeClient(t, e, pool, aws.ToString(c.ClientId))); d != "" {
		t.Errorf("refused updates changed the client (-before +after):\n%s", d)
	}
}
