package api_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// secretsClient creates a confidential client that signs users in with
// USER_PASSWORD_AUTH and gets client_credentials tokens at /oauth2/token.
func secretsClient(t *testing.T, e *env) (string, *types.UserPoolClientType) {
	t.Helper()
	pool, c := tokensSetup(t, e, nil, nil)
	if _, err := e.Client.CreateResourceServer(e.ctx(), &cip.CreateResourceServerInput{
		UserPoolId: aws.String(pool), Identifier: aws.String("orders"), Name: aws.String("orders"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("write"), ScopeDescription: aws.String("write")}},
	}); err != nil {
		t.Fatalf("CreateResourceServer: %v", err)
	}
	c = tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.GenerateSecret = true
		in.AllowedOAuthFlowsUserPoolClient = true
		in.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}
		in.AllowedOAuthScopes = []string{"orders/write"}
	})
	return pool, c
}

// secretsList lists a client's secrets.
func secretsList(t *testing.T, e *env, pool, client string) []types.ClientSecretDescriptorType {
	t.Helper()
	out, err := e.Client.ListUserPoolClientSecrets(e.ctx(), &cip.ListUserPoolClientSecretsInput{UserPoolId: aws.String(pool), ClientId: aws.String(client)})
	if err != nil {
		t.Fatalf("ListUserPoolClientSecrets: %v", err)
	}
	return out.ClientSecrets
}

// secretsWith is the client as seen by someone holding secret.
func secretsWith(c *types.UserPoolClientType, secret string) *types.UserPoolClientType {
	x := *c
	x.ClientSecret = aws.String(secret)
	return &x
}

// secretsSignIn reports whether USER_PASSWORD_AUTH with a SECRET_HASH
// made from secret succeeds, and the error when it does not.
func secretsSignIn(e *env, c *types.UserPoolClientType, secret string) error {
	_, err := tokensInitiate(e, secretsWith(c, secret), "alice", tokensPassword)
	return err
}

// secretsToken asks /oauth2/token for client_credentials tokens, with the
// secret in Basic authentication or in the form, and returns the status.
func secretsToken(t *testing.T, e *env, clientID, secret string, basic bool) int {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"orders/write"}}
	if !basic {
		form.Set("client_id", clientID)
		form.Set("client_secret", secret)
	}
	req, err := http.NewRequestWithContext(e.ctx(), http.MethodPost, e.URL+"/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(clientID, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

var secretsID = regexp.MustCompile(`^[a-z0-9]+--[0-9]+$`)

func TestUserPoolClientSecretRotation(t *testing.T) {
	e := newEnv(t)
	pool, c := secretsClient(t, e)
	id := aws.ToString(c.ClientId)
	first := aws.ToString(c.ClientSecret)

	list := secretsList(t, e, pool, id)
	if len(list) != 1 || !secretsID.MatchString(aws.ToString(list[0].ClientSecretId)) || !strings.HasPrefix(aws.ToString(list[0].ClientSecretId), id+"--") {
		t.Fatalf("secrets of a new client = %+v, want one %s--<time>", list, id)
	}
	if list[0].ClientSecretValue != nil || !list[0].ClientSecretCreateDate.Equal(aws.ToTime(c.CreationDate)) {
		t.Errorf("first secret = value %v, created %v; want no value, created with the client at %v",
			list[0].ClientSecretValue, list[0].ClientSecretCreateDate, c.CreationDate)
	}
	firstID := aws.ToString(list[0].ClientSecretId)

	e.Clock.Advance(time.Minute)
	added, err := e.Client.AddUserPoolClientSecret(e.ctx(), &cip.AddUserPoolClientSecretInput{UserPoolId: aws.String(pool), ClientId: aws.String(id)})
	if err != nil {
		t.Fatalf("AddUserPoolClientSecret: %v", err)
	}
	d := added.ClientSecretDescriptor
	second := aws.ToString(d.ClientSecretValue)
	if len(second) != 51 || second == first || aws.ToString(d.ClientSecretId) == firstID || !d.ClientSecretCreateDate.After(aws.ToTime(c.CreationDate)) {
		t.Fatalf("added secret = %+v; want a new generated 51-character secret made later", d)
	}
	list = secretsList(t, e, pool, id)
	if len(list) != 2 || aws.ToString(list[0].ClientSecretId) != firstID || aws.ToString(list[1].ClientSecretId) != aws.ToString(d.ClientSecretId) || list[1].ClientSecretValue != nil {
		t.Fatalf("secrets during rotation = %+v; want the first then the added, without values", list)
	}

	// Both secrets work everywhere a secret is presented.
	for _, secret := range []string{first, second} {
		holder := secretsWith(c, secret)
		out, err := tokensInitiate(e, holder, "alice", tokensPassword)
		if err != nil {
			t.Fatalf("InitiateAuth with the SECRET_HASH of a current secret: %v", err)
		}
		if err := tokensRevoke(e, holder, aws.ToString(out.AuthenticationResult.RefreshToken)); err != nil {
			t.Errorf("RevokeToken with a current secret: %v", err)
		}
		for _, basic := range []bool{true, false} {
			if code := secretsToken(t, e, id, secret, basic); code != http.StatusOK {
				t.Errorf("/oauth2/token (basic %v) with a current secret = %d, want 200", basic, code)
			}
		}
	}

	_, err = e.Client.AddUserPoolClientSecret(e.ctx(), &cip.AddUserPoolClientSecretInput{UserPoolId: aws.String(pool), ClientId: aws.String(id)})
	wantAPIError(t, err, "LimitExceededException", "Client "+id+" already has the maximum of 2 client secrets.")

	// Deleting the first leaves the second as the client's secret.
	if _, err := e.Client.DeleteUserPoolClientSecret(e.ctx(), &cip.DeleteUserPoolClientSecretInput{
		UserPoolId: aws.String(pool), ClientId: aws.String(id), ClientSecretId: aws.String(firstID),
	}); err != nil {
		t.Fatalf("DeleteUserPoolClientSecret(first): %v", err)
	}
	if got := poolsDescribeClient(t, e, pool, id); aws.ToString(got.ClientSecret) != second {
		t.Errorf("DescribeUserPoolClient after deleting the first secret returned another secret than the second")
	}
	if list = secretsList(t, e, pool, id); len(list) != 1 || aws.ToString(list[0].ClientSecretId) != aws.ToString(d.ClientSecretId) {
		t.Errorf("secrets after deleting the first = %+v, want the second alone", list)
	}
	wantAPIError(t, secretsSignIn(e, c, first), "NotAuthorizedException", "Unable to verify secret hash for client "+id)
	if code := secretsToken(t, e, id, first, true); code != http.StatusUnauthorized {
		t.Errorf("/oauth2/token with a deleted secret = %d, want 401", code)
	}
	if err := secretsSignIn(e, c, second); err != nil {
		t.Errorf("InitiateAuth with the remaining secret: %v", err)
	}
	_, err = e.Client.DeleteUserPoolClientSecret(e.ctx(), &cip.DeleteUserPoolClientSecretInput{
		UserPoolId: aws.String(pool), ClientId: aws.String(id), ClientSecretId: d.ClientSecretId,
	})
	wantAPIError(t, err, "InvalidParameterException", "The last client secret of client "+id+" cannot be deleted.")

	// A secret of one's own is accepted but not echoed.
	own := "my_own_rotated_secret_0123456789"
	e.Clock.Advance(time.Minute)
	added, err = e.Client.AddUserPoolClientSecret(e.ctx(), &cip.AddUserPoolClientSecretInput{
		UserPoolId: aws.String(pool), ClientId: aws.String(id), ClientSecret: aws.String(own),
	})
	if err != nil {
		t.Fatalf("AddUserPoolClientSecret(own): %v", err)
	}
	if added.ClientSecretDescriptor.ClientSecretValue != nil {
		t.Error("AddUserPoolClientSecret echoed a secret it was given")
	}
	if err := secretsSignIn(e, c, own); err != nil {
		t.Errorf("InitiateAuth with the SECRET_HASH of a given secret: %v", err)
	}
	// The remaining secret can now go: the given one stays.
	if _, err := e.Client.DeleteUserPoolClientSecret(e.ctx(), &cip.DeleteUserPoolClientSecretInput{
		UserPoolId: aws.String(pool), ClientId: aws.String(id), ClientSecretId: d.ClientSecretId,
	}); err != nil {
		t.Fatalf("DeleteUserPoolClientSecret(second): %v", err)
	}
	if got := poolsDescribeClient(t, e, pool, id); aws.ToString(got.ClientSecret) != own {
		t.Error("DescribeUserPoolClient does not return the given secret once it is the only one")
	}
}

func TestUserPoolClientSecretErrors(t *testing.T) {
	e := newEnv(t)
	pool, c := secretsClient(t, e)
	id := aws.ToString(c.ClientId)
	public := createTestClient(t, e, pool, nil)
	publicID := aws.ToString(public.ClientId)
	other := createTestPool(t, e, nil)
	first := aws.ToString(secretsList(t, e, pool, id)[0].ClientSecretId)

	add := func(pool, client, secret string) error {
		in := &cip.AddUserPoolClientSecretInput{UserPoolId: aws.String(pool), ClientId: aws.String(client)}
		if secret != "" {
			in.ClientSecret = aws.String(secret)
		}
		_, err := e.Client.AddUserPoolClientSecret(e.ctx(), in)
		return err
	}
	del := func(pool, client, secretID string) error {
		_, err := e.Client.DeleteUserPoolClientSecret(e.ctx(), &cip.DeleteUserPoolClientSecretInput{
			UserPoolId: aws.String(pool), ClientId: aws.String(client), ClientSecretId: aws.String(secretID),
		})
		return err
	}
	list := func(pool, client, next string) error {
		in := &cip.ListUserPoolClientSecretsInput{UserPoolId: aws.String(pool), ClientId: aws.String(client)}
		if next != "" {
			in.NextToken = aws.String(next)
		}
		_, err := e.Client.ListUserPoolClientSecrets(e.ctx(), in)
		return err
	}
	notFound := "User pool client " + id + " does not exist."
	tests := []struct {
		name, typ, message string
		err                error
	}{
		{"add to a public client", "InvalidParameterException", "Client " + publicID + " does not have a client secret.", add(pool, publicID, "")},
		{"add the same secret", "InvalidParameterException", "Client " + id + " already has this client secret.", add(pool, id, aws.ToString(c.ClientSecret))},
		{"add a short secret", "InvalidParameterException",
			"1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: Member must have length greater than or equal to 24", add(pool, id, "short")},
		{"add in no such pool", "ResourceNotFoundException", "User pool " + poolsUnknownPool + " does not exist.", add(poolsUnknownPool, id, "")},
		{"add to a client of another pool", "ResourceNotFoundException", notFound, add(other, id, "")},
		{"list of no such client", "ResourceNotFoundException", "User pool client " + poolsUnknownClient + " does not exist.", list(pool, poolsUnknownClient, "")},
		{"list with a NextToken never issued", "InvalidParameterException", "The NextToken is not valid.", list(pool, id, "abc")},
		{"delete an unknown secret", "ResourceNotFoundException", "Client secret " + id + "--1 does not exist.", del(pool, id, id+"--1")},
		{"delete the only secret", "InvalidParameterException", "The last client secret of client " + id + " cannot be deleted.", del(pool, id, first)},
		{"delete from a client of another pool", "ResourceNotFoundException", notFound, del(other, id, first)},
		{"delete a public client's secret", "ResourceNotFoundException", "Client secret " + publicID + "--1 does not exist.", del(pool, publicID, publicID+"--1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantAPIError(t, tt.err, tt.typ, tt.message) })
	}
	if got := secretsList(t, e, pool, publicID); len(got) != 0 {
		t.Errorf("secrets of a public client = %+v, want none", got)
	}
}
