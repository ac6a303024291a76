package e2e

import (
	"crypto/x509"
	"encoding/base64"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/samlfed/samlfedtest"
)

// TestBrowserSAMLSignIn signs a user in through a SAML identity provider
// in headless chromium: crewjam's samlidp, with a key and certificate made
// here, knows the pool as a service provider (its entity ID, ACS URL and
// GetSigningCertificate's certificate). browser/saml.mjs clicks the
// provider's button, signs in on the IdP's form and lands on the app's
// callback; this test redeems the code and checks the Cognito-shaped
// tokens.
func TestBrowserSAMLSignIn(t *testing.T) {
	t.Parallel()
	browserDir := requireBrowser(t)
	s := startServer(t)
	cb := newBrowserCallback(t)
	ctx := clientContext(t, 3*time.Minute)
	c := goClient(s.Endpoint, s.Key)
	suffix := randomSuffix()

	idp := samlfedtest.New(t)
	user := samlfedtest.User{Name: "ada", Password: "Idp-" + suffix + "-7eE!", Email: "ada-" + suffix + "@corp.example", GivenName: "Ada"}
	s.addSecrets(user.Password)
	idp.AddUser(t, user)

	poolID, _ := newBrowserPool(ctx, t, c, "e2e-saml-"+suffix, cb, nil)
	cert, err := c.GetSigningCertificate(ctx, &cip.GetSigningCertificateInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		t.Fatalf("GetSigningCertificate: %v", err)
	}
	der, err := base64.StdEncoding.DecodeString(aws.ToString(cert.Certificate))
	if err != nil {
		t.Fatal(err)
	}
	x, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	idp.RegisterSP(t, samlfedtest.SP{EntityID: "urn:amazon:cognito:sp:" + poolID, ACSURL: s.Endpoint + "/saml2/idpresponse", Certificate: x})
	if _, err := c.CreateIdentityProvider(ctx, &cip.CreateIdentityProviderInput{
		UserPoolId: aws.String(poolID), ProviderName: aws.String("Corp"), ProviderType: types.IdentityProviderTypeTypeSaml,
		ProviderDetails:  map[string]string{"MetadataURL": idp.URL + "/metadata"},
		AttributeMapping: map[string]string{"email": "urn:oid:0.9.2342.19200300.100.1.3", "given_name": "urn:oid:2.5.4.42"},
	}); err != nil {
		t.Fatalf("CreateIdentityProvider: %v", err)
	}
	app, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("SAML App"), AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthScopes: []string{"openid", "email", "profile"},
		CallbackURLs: []string{cb.Callback}, SupportedIdentityProviders: []string{"COGNITO", "Corp"},
	})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	clientID := aws.ToString(app.UserPoolClient.ClientId)

	verifier := browserVerifier()
	result := filepath.Join(t.TempDir(), "result.json")
	s.runBrowser(t, browserDir, "saml.mjs",
		"AUTHORIZE_URL="+browserAuthorizeURL(s, clientID, cb, verifier, "saml-state", "saml-nonce"),
		"CALLBACK_URL="+cb.Callback,
		"PROVIDER_NAME=Corp",
		"IDP_URL="+idp.URL,
		"IDP_USERNAME="+user.Name,
		"IDP_PASSWORD="+user.Password,
		"RESULT_FILE="+result,
	)
	var got struct{ Callback string }
	readBrowserResult(t, result, &got)
	code := browserCode(t, got.Callback, cb.Callback, "saml-state")
	claims := browserExchange(t, s, clientID, code, cb.Callback, verifier)

	username, _ := claims["cognito:username"].(string)
	if username != "Corp_"+user.Email || claims["email"] != user.Email || claims["given_name"] != "Ada" || claims["nonce"] != "saml-nonce" {
		t.Errorf("ID token: username %v, email %v, given_name %v, nonce %v", username, claims["email"], claims["given_name"], claims["nonce"])
	}
	if groups, _ := claims["cognito:groups"].([]any); !slices.Contains(groups, any(poolID+"_Corp")) {
		t.Errorf("cognito:groups = %v, want %s_Corp", claims["cognito:groups"], poolID)
	}
	ids, _ := claims["identities"].([]any)
	if len(ids) != 1 {
		t.Fatalf("identities = %v", claims["identities"])
	}
	entry, _ := ids[0].(map[string]any)
	if entry["userId"] != user.Email || entry["providerName"] != "Corp" || entry["providerType"] != "SAML" || entry["issuer"] != idp.URL+"/metadata" {
		t.Errorf("identities entry = %v", entry)
	}
	u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	if err != nil {
		t.Fatalf("AdminGetUser: %v", err)
	}
	if u.UserStatus != types.UserStatusTypeExternalProvider {
		t.Errorf("federated user %s is %s", username, u.UserStatus)
	}
}
