package e2e

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestBrowserFederatedSignIn signs a user in through an OIDC identity
// provider in headless chromium: the app's pool federates with another
// pool of the same server, a complete OpenID provider. browser/federation.mjs
// clicks the provider's button on the app pool's login page, signs in on
// the upstream pool's login page and lands on the app's callback; this test
// redeems the code and checks the Cognito-shaped tokens: the federated
// username, the identities claim and the provider's group.
func TestBrowserFederatedSignIn(t *testing.T) {
	t.Parallel()
	browserDir := requireBrowser(t)
	s := startServer(t)
	cb := newBrowserCallback(t)
	ctx := clientContext(t, 3*time.Minute)
	c := goClient(s.Endpoint, s.Key)
	suffix := randomSuffix()

	// The upstream: a pool whose confidential client redirects to the
	// app pool's /oauth2/idpresponse, and its user.
	upPool, upClientID := newBrowserPool(ctx, t, c, "e2e-fed-up-"+suffix, cb, nil,
		func(_ *cip.CreateUserPoolInput, in *cip.CreateUserPoolClientInput) {
			in.GenerateSecret = true
			in.CallbackURLs = []string{s.Endpoint + "/oauth2/idpresponse"}
		})
	upClient, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(upPool), ClientId: aws.String(upClientID)})
	if err != nil {
		t.Fatalf("DescribeUserPoolClient: %v", err)
	}
	upSecret := aws.ToString(upClient.UserPoolClient.ClientSecret)
	s.addSecrets(upSecret)
	username, password := "lin-"+suffix, "Up-"+suffix+"-5dD!"
	email := username + "@upstream.example"
	s.addSecrets(password)
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(upPool), Username: aws.String(username), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}, {Name: aws.String("email_verified"), Value: aws.String("true")}},
	}); err != nil {
		t.Fatalf("AdminCreateUser: %v", err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(upPool), Username: aws.String(username), Password: aws.String(password), Permanent: true,
	}); err != nil {
		t.Fatalf("AdminSetUserPassword: %v", err)
	}
	upUser, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(upPool), Username: aws.String(username)})
	if err != nil {
		t.Fatalf("AdminGetUser: %v", err)
	}
	var upSub string
	for _, a := range upUser.UserAttributes {
		if aws.ToString(a.Name) == "sub" {
			upSub = aws.ToString(a.Value)
		}
	}

	// The app's pool, its OIDC provider and a client that supports it.
	poolID, _ := newBrowserPool(ctx, t, c, "e2e-fed-app-"+suffix, cb, nil)
	if _, err := c.CreateIdentityProvider(ctx, &cip.CreateIdentityProviderInput{
		UserPoolId: aws.String(poolID), ProviderName: aws.String("Upstream"), ProviderType: types.IdentityProviderTypeTypeOidc,
		ProviderDetails: map[string]string{
			"client_id": upClientID, "client_secret": upSecret, "attributes_request_method": "GET",
			"oidc_issuer": s.Endpoint + "/" + upPool, "authorize_scopes": "openid email",
		},
		AttributeMapping: map[string]string{"email": "email", "email_verified": "email_verified"},
	}); err != nil {
		t.Fatalf("CreateIdentityProvider: %v", err)
	}
	app, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("Federated App"), AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthScopes: []string{"openid", "email"},
		CallbackURLs: []string{cb.Callback}, SupportedIdentityProviders: []string{"COGNITO", "Upstream"},
	})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	clientID := aws.ToString(app.UserPoolClient.ClientId)

	verifier := browserVerifier()
	result := filepath.Join(t.TempDir(), "result.json")
	s.runBrowser(t, browserDir, "federation.mjs",
		"AUTHORIZE_URL="+browserAuthorizeURL(s, clientID, cb, verifier, "fed-state", "fed-nonce"),
		"CALLBACK_URL="+cb.Callback,
		"PROVIDER_NAME=Upstream",
		"UPSTREAM_USERNAME="+username,
		"UPSTREAM_PASSWORD="+password,
		"RESULT_FILE="+result,
	)
	var got struct{ Callback string }
	readBrowserResult(t, result, &got)
	code := browserCode(t, got.Callback, cb.Callback, "fed-state")
	claims := browserExchange(t, s, clientID, code, cb.Callback, verifier)

	if claims["cognito:username"] != "Upstream_"+upSub || claims["email"] != email || claims["nonce"] != "fed-nonce" {
		t.Errorf("ID token: username %v, email %v, nonce %v", claims["cognito:username"], claims["email"], claims["nonce"])
	}
	if groups, _ := claims["cognito:groups"].([]any); !slices.Contains(groups, any(poolID+"_Upstream")) {
		t.Errorf("cognito:groups = %v, want %s_Upstream", claims["cognito:groups"], poolID)
	}
	ids, _ := claims["identities"].([]any)
	if len(ids) != 1 {
		t.Fatalf("identities = %v", claims["identities"])
	}
	entry, _ := ids[0].(map[string]any)
	if entry["userId"] != upSub || entry["providerName"] != "Upstream" || entry["providerType"] != "OIDC" || entry["primary"] != "true" {
		t.Errorf("identities entry = %v", entry)
	}
	user, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("Upstream_" + upSub)})
	if err != nil {
		t.Fatalf("AdminGetUser: %v", err)
	}
	if user.UserStatus != types.UserStatusTypeExternalProvider || !strings.HasPrefix(aws.ToString(user.Username), "Upstream_") {
		t.Errorf("federated user %s is %s", aws.ToString(user.Username), user.UserStatus)
	}
}
