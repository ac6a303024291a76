package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// linkPool is a pool with the user carlos, a Google provider and an OIDC
// provider "Corp" that maps email.
func linkPool(t *testing.T, e *env) string {
	t.Helper()
	pool := createTestPool(t, e, nil)
	usersCreate(t, e, pool, "carlos", "email", "carlos@example.com")
	idpCreate(t, e, &cip.CreateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Google"), ProviderType: types.IdentityProviderTypeTypeGoogle,
		ProviderDetails: map[string]string{"client_id": "g", "client_secret": "s", "authorize_scopes": "openid email"},
	})
	idpCreate(t, e, &cip.CreateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"), ProviderType: types.IdentityProviderTypeTypeOidc,
		ProviderDetails: idpOIDCDetails(), AttributeMapping: map[string]string{"email": "email"},
	})
	return pool
}

func link(e *env, pool string, dst, src types.ProviderUserIdentifierType) error {
	_, err := e.Client.AdminLinkProviderForUser(e.ctx(), &cip.AdminLinkProviderForUserInput{
		UserPoolId: aws.String(pool), DestinationUser: &dst, SourceUser: &src,
	})
	return err
}

func providerUser(name, attr, value string) types.ProviderUserIdentifierType {
	u := types.ProviderUserIdentifierType{ProviderName: aws.String(name), ProviderAttributeValue: aws.String(value)}
	if attr != "" {
		u.ProviderAttributeName = aws.String(attr)
	}
	return u
}

// linkedIdentities is the identities attribute of a user, decoded.
func linkedIdentities(t *testing.T, e *env, pool, username string) []map[string]any {
	t.Helper()
	v, ok := usersAttrMap(usersGet(t, e, pool, username).UserAttributes)["identities"]
	if !ok {
		return nil
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(v), &list); err != nil {
		t.Fatalf("identities %q: %v", v, err)
	}
	return list
}

// TestAdminLinkProviderForUser links Google and OIDC identities to a
// native user and unlinks them.
func TestAdminLinkProviderForUser(t *testing.T) {
	e := newEnv(t)
	pool := linkPool(t, e)
	carlos := providerUser("Cognito", "", "carlos")

	if err := link(e, pool, carlos, providerUser("Google", "Cognito_Subject", "1173002060")); err != nil {
		t.Fatal(err)
	}
	list := linkedIdentities(t, e, pool, "carlos")
	if len(list) != 1 || list[0]["userId"] != "1173002060" || list[0]["providerName"] != "Google" ||
		list[0]["providerType"] != "Google" || list[0]["primary"] != false || list[0]["issuer"] != nil {
		t.Fatalf("identities after link = %v", list)
	}
	// OIDC identities may be named by a mapped attribute; those enter
	// identities at their first sign-in.
	if err := link(e, pool, carlos, providerUser("Corp", "email", "carlos@corp.example")); err != nil {
		t.Fatal(err)
	}
	if n := len(linkedIdentities(t, e, pool, "carlos")); n != 1 {
		t.Errorf("identities has %d entries after an attribute link", n)
	}

	// The same identity cannot be linked twice (Cognito's misleading
	// message, observed).
	err := link(e, pool, carlos, providerUser("Google", "Cognito_Subject", "1173002060"))
	wantAPIError(t, err, "InvalidParameterException", "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser")

	// Unlinking removes the link and its identities entry, once.
	disable := func(u types.ProviderUserIdentifierType) error {
		_, err := e.Client.AdminDisableProviderForUser(e.ctx(), &cip.AdminDisableProviderForUserInput{UserPoolId: aws.String(pool), User: &u})
		return err
	}
	if err := disable(providerUser("Google", "Cognito_Subject", "1173002060")); err != nil {
		t.Fatal(err)
	}
	if list := linkedIdentities(t, e, pool, "carlos"); len(list) != 0 {
		t.Errorf("identities after unlink = %v", list)
	}
	wantAPIError(t, disable(providerUser("Google", "Cognito_Subject", "1173002060")), "UserNotFoundException", "User does not exist.")
	if err := disable(providerUser("Corp", "email", "carlos@corp.example")); err != nil {
		t.Fatal(err)
	}
	// Unlinked, the identity may be linked again.
	if err := link(e, pool, carlos, providerUser("Google", "Cognito_Subject", "1173002060")); err != nil {
		t.Fatal(err)
	}

	// A native user disabled for Cognito loses its password.
	usersConfirm(t, e, pool, "carlos")
	if err := disable(providerUser("Cognito", "Cognito_Subject", "carlos")); err != nil {
		t.Fatal(err)
	}
	client := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	})
	_, err = e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{
		UserPoolId: aws.String(pool), ClientId: client.ClientId, AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "carlos", "PASSWORD": usersTempPassword},
	})
	wantAPIError(t, err, "NotAuthorizedException", "")
}

// TestAdminLinkProviderForUserErrors checks every refusal.
func TestAdminLinkProviderForUserErrors(t *testing.T) {
	e := newEnv(t)
	pool := linkPool(t, e)
	carlos := providerUser("Cognito", "", "carlos")
	for _, tc := range []struct {
		name     string
		pool     string
		dst, src types.ProviderUserIdentifierType
		typ, msg string
	}{
		{"Cognito source", pool, carlos, providerUser("Cognito", "Cognito_Subject", "carlos"),
			"InvalidParameterException", "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser"},
		{"social by attribute", pool, carlos, providerUser("Google", "email", "c@gmail.com"),
			"InvalidParameterException", "Invalid SourceUser: ProviderAttributeName must be Cognito_Subject for a provider of type Google"},
		{"unmapped attribute", pool, carlos, providerUser("Corp", "given_name", "Carlos"),
			"InvalidParameterException", "Invalid SourceUser: ProviderAttributeName given_name is not Cognito_Subject nor an attribute the provider Corp maps"},
		{"too long", pool, carlos, providerUser("Google", "Cognito_Subject", strings.Repeat("9", 120)),
			"InvalidParameterException", "Invalid SourceUser: ProviderName, ProviderAttributeName and ProviderAttributeValue together may be at most 128 characters"},
		{"unknown provider", pool, carlos, providerUser("Okta", "Cognito_Subject", "1"),
			"ResourceNotFoundException", "Identity provider Okta does not exist."},
		{"unknown destination", pool, providerUser("Cognito", "", "nobody"), providerUser("Google", "Cognito_Subject", "1"),
			"UserNotFoundException", "User does not exist."},
		{"destination federated user not there", pool, providerUser("Google", "", "42"), providerUser("Corp", "Cognito_Subject", "1"),
			"UserNotFoundException", "User does not exist."},
		{"unknown pool", "us-east-1_nopool", carlos, providerUser("Google", "Cognito_Subject", "1"),
			"ResourceNotFoundException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantAPIError(t, link(e, tc.pool, tc.dst, tc.src), tc.typ, tc.msg)
		})
	}

	// At most five identities per user.
	for i := range 5 {
		if err := link(e, pool, carlos, providerUser("Google", "Cognito_Subject", string(rune('a'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	wantAPIError(t, link(e, pool, carlos, providerUser("Google", "Cognito_Subject", "f")), "LimitExceededException", "The destination user already has 5 linked identities.")

	_, err := e.Client.AdminDisableProviderForUser(e.ctx(), &cip.AdminDisableProviderForUserInput{
		UserPoolId: aws.String(pool), User: &types.ProviderUserIdentifierType{ProviderName: aws.String("Okta"), ProviderAttributeName: aws.String("Cognito_Subject"), ProviderAttributeValue: aws.String("1")},
	})
	wantAPIError(t, err, "ResourceNotFoundException", "Identity provider Okta does not exist.")
	_, err = e.Client.AdminDisableProviderForUser(e.ctx(), &cip.AdminDisableProviderForUserInput{
		UserPoolId: aws.String(pool), User: &types.ProviderUserIdentifierType{ProviderName: aws.String("Cognito"), ProviderAttributeName: aws.String("email"), ProviderAttributeValue: aws.String("carlos")},
	})
	wantAPIError(t, err, "InvalidParameterException", "ProviderAttributeName must be Cognito_Subject for a Cognito user")
}
