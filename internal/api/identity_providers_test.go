package api_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var idpIgnore = cmp.Options{cmpopts.IgnoreFields(types.IdentityProviderType{}, "CreationDate", "LastModifiedDate"), cmpopts.IgnoreUnexported(types.IdentityProviderType{})}

func idpOIDCDetails() map[string]string {
	return map[string]string{
		"client_id": "upstream-client", "client_secret": "upstream-secret", "attributes_request_method": "GET",
		"oidc_issuer": "https://issuer.example.com", "authorize_scopes": "openid email",
	}
}

func idpCreate(t *testing.T, e *env, in *cip.CreateIdentityProviderInput) *types.IdentityProviderType {
	t.Helper()
	out, err := e.Client.CreateIdentityProvider(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	return out.IdentityProvider
}

// TestIdentityProviderLifecycle creates, reads, lists, updates and deletes
// providers of each kind through the SDK.
func TestIdentityProviderLifecycle(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	corp := idpCreate(t, e, &cip.CreateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"), ProviderType: types.IdentityProviderTypeTypeOidc,
		ProviderDetails: idpOIDCDetails(), AttributeMapping: map[string]string{"email": "email"},
		IdpIdentifiers: []string{"corp.example.com"},
	})
	wantDetails := idpOIDCDetails()
	wantDetails["attributes_url_add_attributes"] = "false"
	want := &types.IdentityProviderType{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"), ProviderType: types.IdentityProviderTypeTypeOidc,
		ProviderDetails: wantDetails, AttributeMapping: map[string]string{"email": "email", "username": "sub"},
		IdpIdentifiers: []string{"corp.example.com"},
	}
	if d := cmp.Diff(want, corp, idpIgnore); d != "" {
		t.Errorf("CreateIdentityProvider (-want +got):\n%s", d)
	}
	if corp.CreationDate == nil || corp.LastModifiedDate == nil {
		t.Error("dates missing")
	}
	desc, err := e.Client.DescribeIdentityProvider(e.ctx(), &cip.DescribeIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Corp")})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, desc.IdentityProvider, idpIgnore); d != "" {
		t.Errorf("DescribeIdentityProvider (-want +got):\n%s", d)
	}
	byID, err := e.Client.GetIdentityProviderByIdentifier(e.ctx(), &cip.GetIdentityProviderByIdentifierInput{UserPoolId: aws.String(pool), IdpIdentifier: aws.String("corp.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, byID.IdentityProvider, idpIgnore); d != "" {
		t.Errorf("GetIdentityProviderByIdentifier (-want +got):\n%s", d)
	}

	apple := idpCreate(t, e, &cip.CreateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("SignInWithApple"), ProviderType: types.IdentityProviderTypeTypeSignInWithApple,
		ProviderDetails: map[string]string{"client_id": "svc", "team_id": "T", "key_id": "K", "private_key": "-----BEGIN PRIVATE KEY-----", "authorize_scopes": "email"},
	})
	if _, ok := apple.ProviderDetails["private_key"]; ok {
		t.Error("the Apple private key was returned")
	}
	idpCreate(t, e, &cip.CreateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Google"), ProviderType: types.IdentityProviderTypeTypeGoogle,
		ProviderDetails: map[string]string{"client_id": "g", "client_secret": "s", "authorize_scopes": "openid"},
	})

	// Listing pages through by name, without details.
	var names []string
	var next *string
	for {
		out, err := e.Client.ListIdentityProviders(e.ctx(), &cip.ListIdentityProvidersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(2), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range out.Providers {
			names = append(names, aws.ToString(p.ProviderName)+"/"+string(p.ProviderType))
		}
		if next = out.NextToken; next == nil {
			break
		}
	}
	if d := cmp.Diff([]string{"Corp/OIDC", "Google/Google", "SignInWithApple/SignInWithApple"}, names); d != "" {
		t.Errorf("ListIdentityProviders (-want +got):\n%s", d)
	}

	// An update changes only what it gives.
	up, err := e.Client.UpdateIdentityProvider(e.ctx(), &cip.UpdateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"), IdpIdentifiers: []string{"corp.example.org"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want.IdpIdentifiers = []string{"corp.example.org"}
	if d := cmp.Diff(want, up.IdentityProvider, idpIgnore); d != "" {
		t.Errorf("UpdateIdentityProvider (-want +got):\n%s", d)
	}
	_, err = e.Client.GetIdentityProviderByIdentifier(e.ctx(), &cip.GetIdentityProviderByIdentifierInput{UserPoolId: aws.String(pool), IdpIdentifier: aws.String("corp.example.com")})
	wantAPIError(t, err, "ResourceNotFoundException", "Identity provider with identifier corp.example.com does not exist.")

	// An app client may now name the providers.
	_, err = e.Client.CreateUserPoolClient(e.ctx(), &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientName: aws.String("web"), SupportedIdentityProviders: []string{"COGNITO", "Corp", "Google"},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Client.CreateUserPoolClient(e.ctx(), &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientName: aws.String("web"), SupportedIdentityProviders: []string{"Facebook"},
	})
	wantAPIError(t, err, "InvalidParameterException", "The provider Facebook does not exist for User Pool "+pool+".")

	if _, err := e.Client.DeleteIdentityProvider(e.ctx(), &cip.DeleteIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Corp")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.Client.DescribeIdentityProvider(e.ctx(), &cip.DescribeIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Corp")})
	wantAPIError(t, err, "ResourceNotFoundException", "Identity provider Corp does not exist.")
	_, err = e.Client.DeleteIdentityProvider(e.ctx(), &cip.DeleteIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Corp")})
	wantAPIError(t, err, "ResourceNotFoundException", "Identity provider Corp does not exist.")
}

// TestIdentityProviderErrors checks the answers to bad requests, each
// with Cognito's exception type.
func TestIdentityProviderErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString}}
	})
	idpCreate(t, e, &cip.CreateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"), ProviderType: types.IdentityProviderTypeTypeOidc,
		ProviderDetails: idpOIDCDetails(), IdpIdentifiers: []string{"corp.example.com"},
		AttributeMapping: map[string]string{"custom:tenant": "tid"},
	})
	create := func(name string, typ types.IdentityProviderTypeType, details map[string]string, mod func(*cip.CreateIdentityProviderInput)) *cip.CreateIdentityProviderInput {
		in := &cip.CreateIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String(name), ProviderType: typ, ProviderDetails: details}
		if mod != nil {
			mod(in)
		}
		return in
	}
	social := map[string]string{"client_id": "c", "client_secret": "s", "authorize_scopes": "openid"}
	for _, tc := range []struct {
		name     string
		in       *cip.CreateIdentityProviderInput
		typ, msg string
	}{
		{"duplicate name", create("Corp", types.IdentityProviderTypeTypeOidc, idpOIDCDetails(), nil),
			"DuplicateProviderException", "Corp already exists in user pool " + pool},
		{"identifier taken", create("Other", types.IdentityProviderTypeTypeOidc, idpOIDCDetails(), func(in *cip.CreateIdentityProviderInput) {
			in.IdpIdentifiers = []string{"corp.example.com"}
		}), "DuplicateProviderException", "The identifier corp.example.com is already used by another identity provider in user pool " + pool + "."},
		{"identifier twice", create("Other", types.IdentityProviderTypeTypeOidc, idpOIDCDetails(), func(in *cip.CreateIdentityProviderInput) {
			in.IdpIdentifiers = []string{"a.example", "a.example"}
		}), "InvalidParameterException", "The identifier a.example is listed more than once."},
		{"social name", create("MyGoogle", types.IdentityProviderTypeTypeGoogle, social, nil),
			"InvalidParameterException", "Provider MyGoogle cannot be of type Google."},
		{"missing social details", create("Google", types.IdentityProviderTypeTypeGoogle, map[string]string{"client_id": "c"}, nil),
			"InvalidParameterException", "client_id, client_secret and authorize_scopes are all required idp details"},
		{"bad mapping", create("Other", types.IdentityProviderTypeTypeOidc, idpOIDCDetails(), func(in *cip.CreateIdentityProviderInput) {
			in.AttributeMapping = map[string]string{"custom:x": "x"}
		}), "InvalidParameterException", "AttributeMapping contains invalid mapping: [custom:x]"},
		{"leading underscore", create("_Corp", types.IdentityProviderTypeTypeOidc, idpOIDCDetails(), nil), "InvalidParameterException", ""},
		{"unknown type", create("X", "LDAP", idpOIDCDetails(), nil), "InvalidParameterException", ""},
		{"missing pool", create("Other", types.IdentityProviderTypeTypeOidc, idpOIDCDetails(), func(in *cip.CreateIdentityProviderInput) {
			in.UserPoolId = aws.String("us-east-1_missing00")
		}), "ResourceNotFoundException", "User pool us-east-1_missing00 does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.CreateIdentityProvider(e.ctx(), tc.in)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}

	// Update checks details whole, against the provider's type.
	_, err := e.Client.UpdateIdentityProvider(e.ctx(), &cip.UpdateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"), ProviderDetails: map[string]string{"client_id": "only"},
	})
	wantAPIError(t, err, "InvalidParameterException",
		"client_id, client_secret, attributes_request_method, oidc_issuer and authorize_scopes are all required idp details")
	idpCreate(t, e, &cip.CreateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Second"), ProviderType: types.IdentityProviderTypeTypeOidc,
		ProviderDetails: idpOIDCDetails(), IdpIdentifiers: []string{"second.example"},
	})
	_, err = e.Client.UpdateIdentityProvider(e.ctx(), &cip.UpdateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"), IdpIdentifiers: []string{"corp.example.com", "second.example"},
	})
	wantAPIError(t, err, "DuplicateProviderException", "The identifier second.example is already used by another identity provider in user pool "+pool+".")
	_, err = e.Client.UpdateIdentityProvider(e.ctx(), &cip.UpdateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"), AttributeMapping: map[string]string{"nickname_x": "n"},
	})
	wantAPIError(t, err, "InvalidParameterException", "AttributeMapping contains invalid mapping: [nickname_x]")
	_, err = e.Client.UpdateIdentityProvider(e.ctx(), &cip.UpdateIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Nope")})
	wantAPIError(t, err, "ResourceNotFoundException", "Identity provider Nope does not exist.")
	_, err = e.Client.ListIdentityProviders(e.ctx(), &cip.ListIdentityProvidersInput{UserPoolId: aws.String(pool), NextToken: aws.String("garbage")})
	wantAPIError(t, err, "InvalidParameterException", "")
	_, err = e.Client.GetIdentityProviderByIdentifier(e.ctx(), &cip.GetIdentityProviderByIdentifierInput{UserPoolId: aws.String("us-east-1_missing00"), IdpIdentifier: aws.String("x")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool us-east-1_missing00 does not exist.")
}

// TestGetSigningCertificate checks the pool's SAML signing certificate:
// a self-signed X.509 certificate for the pool's SP entity, valid ten
// years, the same on every call.
func TestGetSigningCertificate(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	get := func() string {
		t.Helper()
		out, err := e.Client.GetSigningCertificate(e.ctx(), &cip.GetSigningCertificateInput{UserPoolId: aws.String(pool)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.Certificate)
	}
	first := get()
	der, err := base64.StdEncoding.DecodeString(first)
	if err != nil {
		t.Fatalf("certificate is not base64: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if cert.Subject.CommonName != "urn:amazon:cognito:sp:"+pool {
		t.Errorf("subject = %s", cert.Subject)
	}
	if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		t.Errorf("not self-signed: %v", err)
	}
	if years := cert.NotAfter.Sub(cert.NotBefore).Hours() / 24 / 365; years < 9.9 || years > 10.1 {
		t.Errorf("validity = %.1f years, want 10", years)
	}
	if again := get(); again != first {
		t.Error("the certificate changed between calls")
	}
	other, err := e.Client.GetSigningCertificate(e.ctx(), &cip.GetSigningCertificateInput{UserPoolId: aws.String(createTestPool(t, e, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(other.Certificate) == first {
		t.Error("two pools share a certificate")
	}
	_, err = e.Client.GetSigningCertificate(e.ctx(), &cip.GetSigningCertificateInput{UserPoolId: aws.String("us-east-1_missing00")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool us-east-1_missing00 does not exist.")
}

// TestSAMLEncryptionCertificate checks that a SAML provider with
// EncryptedResponses is described with ActiveEncryptionCertificate, the
// certificate of its own encryption key pair (Cognito assigns one to each
// SAML provider), not the pool's signing certificate; one without has
// none. The key stays while encryption is off, and a provider deleted
// and made again gets a new one.
func TestSAMLEncryptionCertificate(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	metadata := `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/metadata">` +
		`<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
		`<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>` +
		`</IDPSSODescriptor></EntityDescriptor>`
	create := func(name string) string {
		t.Helper()
		created := idpCreate(t, e, &cip.CreateIdentityProviderInput{
			UserPoolId: aws.String(pool), ProviderName: aws.String(name), ProviderType: types.IdentityProviderTypeTypeSaml,
			ProviderDetails: map[string]string{"MetadataFile": metadata, "EncryptedResponses": "true"},
		})
		return created.ProviderDetails["ActiveEncryptionCertificate"]
	}
	describe := func(name string) map[string]string {
		t.Helper()
		desc, err := e.Client.DescribeIdentityProvider(e.ctx(), &cip.DescribeIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		return desc.IdentityProvider.ProviderDetails
	}
	active := create("Corp")
	cert, err := e.Client.GetSigningCertificate(e.ctx(), &cip.GetSigningCertificateInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(active)
	if err != nil {
		t.Fatalf("ActiveEncryptionCertificate %q: %v", active, err)
	}
	if x, err := x509.ParseCertificate(der); err != nil {
		t.Fatalf("ActiveEncryptionCertificate: %v", err)
	} else if _, ok := x.PublicKey.(*rsa.PublicKey); !ok {
		t.Errorf("ActiveEncryptionCertificate's key is %T, want RSA", x.PublicKey)
	}
	if active == aws.ToString(cert.Certificate) {
		t.Error("ActiveEncryptionCertificate is the pool's signing certificate, not the provider's own")
	}
	if got := describe("Corp")["ActiveEncryptionCertificate"]; got != active {
		t.Errorf("described ActiveEncryptionCertificate %.40q…, created %.40q…", got, active)
	}
	if other := create("Other"); other == active || other == "" {
		t.Error("two providers share an encryption certificate")
	}

	// Sent back as described, it is accepted and recomputed; turning
	// encryption off removes it, and turning it back on gives the same.
	details := describe("Corp")
	details["EncryptedResponses"] = "false"
	up, err := e.Client.UpdateIdentityProvider(e.ctx(), &cip.UpdateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"), ProviderDetails: details,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := up.IdentityProvider.ProviderDetails["ActiveEncryptionCertificate"]; ok {
		t.Errorf("ActiveEncryptionCertificate without EncryptedResponses: %v", up.IdentityProvider.ProviderDetails)
	}
	details["EncryptedResponses"] = "true"
	up, err = e.Client.UpdateIdentityProvider(e.ctx(), &cip.UpdateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"), ProviderDetails: details,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := up.IdentityProvider.ProviderDetails["ActiveEncryptionCertificate"]; got != active {
		t.Errorf("encryption on again: ActiveEncryptionCertificate %.40q…, want the provider's %.40q…", got, active)
	}

	// Its key goes with the provider: made again, it has a new one.
	if _, err := e.Client.DeleteIdentityProvider(e.ctx(), &cip.DeleteIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Corp")}); err != nil {
		t.Fatal(err)
	}
	if again := create("Corp"); again == active || again == aws.ToString(cert.Certificate) || again == "" {
		t.Error("a provider deleted and made again kept its encryption certificate")
	}

	// A provider made without encryption gets its key when it is turned on.
	plain := idpCreate(t, e, &cip.CreateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Plain"), ProviderType: types.IdentityProviderTypeTypeSaml,
		ProviderDetails: map[string]string{"MetadataFile": metadata},
	})
	if _, ok := plain.ProviderDetails["ActiveEncryptionCertificate"]; ok {
		t.Errorf("ActiveEncryptionCertificate without EncryptedResponses: %v", plain.ProviderDetails)
	}
	up, err = e.Client.UpdateIdentityProvider(e.ctx(), &cip.UpdateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Plain"),
		ProviderDetails: map[string]string{"MetadataFile": metadata, "EncryptedResponses": "true"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := up.IdentityProvider.ProviderDetails["ActiveEncryptionCertificate"]; got == "" || got == aws.ToString(cert.Certificate) {
		t.Errorf("encryption turned on: ActiveEncryptionCertificate %.40q…, want the provider's own", got)
	}
}

// TestIdPInitiatedSAMLClients checks the guide's rule for app clients of
// a SAML provider that accepts IdP-initiated sign-in (IDPInit): "you
// can't add non-SAML IdPs, including the user pool itself, to any app
// client that uses a SAML provider with IdP-initiated sign-in".
// CreateUserPoolClient and UpdateUserPoolClient refuse such a client;
// other SAML providers may sit beside it.
func TestIdPInitiatedSAMLClients(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	metadata := `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/metadata">` +
		`<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
		`<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>` +
		`</IDPSSODescriptor></EntityDescriptor>`
	for name, details := range map[string]map[string]string{
		"Portal": {"MetadataFile": metadata, "IDPInit": "true"},
		"Corp":   {"MetadataFile": metadata, "IDPInit": "false"},
		"Staff":  {"MetadataFile": metadata},
	} {
		idpCreate(t, e, &cip.CreateIdentityProviderInput{
			UserPoolId: aws.String(pool), ProviderName: aws.String(name), ProviderType: types.IdentityProviderTypeTypeSaml, ProviderDetails: details,
		})
	}
	idpCreate(t, e, &cip.CreateIdentityProviderInput{
		UserPoolId: aws.String(pool), ProviderName: aws.String("Partner"), ProviderType: types.IdentityProviderTypeTypeOidc, ProviderDetails: idpOIDCDetails(),
	})
	const mixed = "The identity provider Portal accepts IdP-initiated SAML sign-in, so an app client that supports it can support only SAML providers, not %s."

	for _, tc := range []struct {
		providers []string
		refused   string // the provider named in the refusal, "" when accepted
	}{
		{[]string{"Portal"}, ""},
		{[]string{"Portal", "Corp", "Staff"}, ""},
		{[]string{"COGNITO", "Corp", "Partner"}, ""}, // no IdP-initiated provider
		{[]string{"Portal", "COGNITO"}, "COGNITO"},
		{[]string{"Partner", "Portal"}, "Partner"},
		{[]string{"Corp", "Portal", "Partner", "COGNITO"}, "Partner"},
	} {
		_, err := e.Client.CreateUserPoolClient(e.ctx(), &cip.CreateUserPoolClientInput{
			UserPoolId: aws.String(pool), ClientName: aws.String("portal"), SupportedIdentityProviders: tc.providers,
		})
		if tc.refused == "" {
			if err != nil {
				t.Errorf("CreateUserPoolClient(%v): %v", tc.providers, err)
			}
			continue
		}
		wantAPIError(t, err, "InvalidParameterException", fmt.Sprintf(mixed, tc.refused))
	}

	// Updating a client into the mix is refused too, and leaves it as it
	// was.
	c, err := e.Client.CreateUserPoolClient(e.ctx(), &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientName: aws.String("portal"), SupportedIdentityProviders: []string{"Portal"},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := c.UserPoolClient.ClientId
	_, err = e.Client.UpdateUserPoolClient(e.ctx(), &cip.UpdateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientId: id, SupportedIdentityProviders: []string{"Portal", "COGNITO"},
	})
	wantAPIError(t, err, "InvalidParameterException", fmt.Sprintf(mixed, "COGNITO"))
	desc, err := e.Client.DescribeUserPoolClient(e.ctx(), &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: id})
	if err != nil {
		t.Fatal(err)
	}
	if got := desc.UserPoolClient.SupportedIdentityProviders; !cmp.Equal(got, []string{"Portal"}) {
		t.Errorf("after a refused update, SupportedIdentityProviders = %v", got)
	}
	if _, err := e.Client.UpdateUserPoolClient(e.ctx(), &cip.UpdateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientId: id, SupportedIdentityProviders: []string{"Portal", "Staff"},
	}); err != nil {
		t.Errorf("UpdateUserPoolClient to two SAML providers: %v", err)
	}
}
