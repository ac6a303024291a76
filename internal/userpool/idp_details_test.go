package userpool

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
)

const testSAMLMetadata = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/metadata">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso-post"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`

func oidcIn(mod func(map[string]string)) map[string]string {
	d := map[string]string{
		"client_id": "cid", "client_secret": "sec", "attributes_request_method": "GET",
		"oidc_issuer": "https://issuer.example.com", "authorize_scopes": "openid email",
	}
	if mod != nil {
		mod(d)
	}
	return d
}

func socialIn(mod func(map[string]string)) map[string]string {
	d := map[string]string{"client_id": "cid", "client_secret": "sec", "authorize_scopes": "openid email"}
	if mod != nil {
		mod(d)
	}
	return d
}

func appleIn(mod func(map[string]string)) map[string]string {
	d := map[string]string{"client_id": "svc", "team_id": "T", "key_id": "K", "private_key": "PEM", "authorize_scopes": "email name"}
	if mod != nil {
		mod(d)
	}
	return d
}

func samlIn(mod func(map[string]string)) map[string]string {
	d := map[string]string{"MetadataFile": testSAMLMetadata}
	if mod != nil {
		mod(d)
	}
	return d
}

// TestBuildProviderDetailsRefusals covers every rule that refuses
// ProviderDetails, with its message.
func TestBuildProviderDetailsRefusals(t *testing.T) {
	del := func(k string) func(map[string]string) { return func(d map[string]string) { delete(d, k) } }
	set := func(k, v string) func(map[string]string) { return func(d map[string]string) { d[k] = v } }
	tests := []struct {
		name string
		typ  string
		in   map[string]string
		msg  string
	}{
		{"google without client_id", IdPTypeGoogle, socialIn(del("client_id")), msgSocialDetailsRequired},
		{"google without client_secret", IdPTypeGoogle, socialIn(del("client_secret")), msgSocialDetailsRequired},
		{"google without scopes", IdPTypeGoogle, socialIn(del("authorize_scopes")), msgSocialDetailsRequired},
		{"google blank client_id", IdPTypeGoogle, socialIn(set("client_id", " ")), msgSocialDetailsRequired},
		{"facebook without secret", IdPTypeFacebook, socialIn(del("client_secret")), msgSocialDetailsRequired},
		{"amazon without scopes", IdPTypeAmazon, socialIn(del("authorize_scopes")), msgSocialDetailsRequired},
		{"google unknown key", IdPTypeGoogle, socialIn(set("team_id", "x")), "team_id is not a valid idp detail for provider type Google"},
		{"google http override", IdPTypeGoogle, socialIn(set("token_url", "http://tokens.example.com/t")), "token_url must be an https URL"},
		{"google relative override", IdPTypeGoogle, socialIn(set("authorize_url", "/auth")), "authorize_url must be an https URL"},
		{"apple without team_id", IdPTypeApple, appleIn(del("team_id")), msgAppleDetailsRequired},
		{"apple without key_id", IdPTypeApple, appleIn(del("key_id")), msgAppleDetailsRequired},
		{"apple without private_key", IdPTypeApple, appleIn(del("private_key")), msgAppleDetailsRequired},
		{"apple with a client secret", IdPTypeApple, appleIn(set("client_secret", "x")), "client_secret is not a valid idp detail for provider type SignInWithApple"},
		{"oidc without client_id", IdPTypeOIDC, oidcIn(del("client_id")), msgOIDCDetailsRequired},
		{"oidc without client_secret", IdPTypeOIDC, oidcIn(del("client_secret")), msgOIDCDetailsRequired},
		{"oidc without method", IdPTypeOIDC, oidcIn(del("attributes_request_method")), msgOIDCDetailsRequired},
		{"oidc without issuer", IdPTypeOIDC, oidcIn(del("oidc_issuer")), msgOIDCDetailsRequired},
		{"oidc without scopes", IdPTypeOIDC, oidcIn(del("authorize_scopes")), msgOIDCDetailsRequired},
		{"oidc bad method", IdPTypeOIDC, oidcIn(set("attributes_request_method", "PUT")), msgAttributesMethod},
		{"oidc http issuer", IdPTypeOIDC, oidcIn(set("oidc_issuer", "http://issuer.example.com")), "oidc_issuer must be an https URL"},
		{"oidc issuer with credentials", IdPTypeOIDC, oidcIn(set("oidc_issuer", "https://u:p@issuer.example.com")), "oidc_issuer must be an https URL"},
		{"oidc issuer with fragment", IdPTypeOIDC, oidcIn(set("oidc_issuer", "https://issuer.example.com#x")), "oidc_issuer must be an https URL"},
		{"oidc some endpoints", IdPTypeOIDC, oidcIn(set("authorize_url", "https://issuer.example.com/a")), msgOIDCEndpoints},
		{"oidc http endpoint", IdPTypeOIDC, oidcIn(func(d map[string]string) {
			d["authorize_url"], d["token_url"] = "https://i.example.com/a", "http://i.example.com/t"
			d["attributes_url"], d["jwks_uri"] = "https://i.example.com/u", "https://i.example.com/k"
		}), "token_url must be an https URL"},
		{"oidc unknown key", IdPTypeOIDC, oidcIn(set("MetadataURL", "https://x")), "MetadataURL is not a valid idp detail for provider type OIDC"},
		{"saml no metadata", IdPTypeSAML, samlIn(del("MetadataFile")), msgSAMLMetadataNeeded},
		{"saml both metadata", IdPTypeSAML, samlIn(set("MetadataURL", "https://idp.example.com/md")), msgSAMLMetadataBoth},
		{"saml http metadata url", IdPTypeSAML, map[string]string{"MetadataURL": "http://idp.example.com/md"}, "MetadataURL must be an https URL"},
		{"saml not xml", IdPTypeSAML, samlIn(set("MetadataFile", "not xml")), "Unable to parse the SAML metadata: not an XML document"},
		{"saml no idp", IdPTypeSAML, samlIn(set("MetadataFile", `<EntityDescriptor entityID="x"/>`)),
			"Unable to parse the SAML metadata: no IDPSSODescriptor with an HTTP-Redirect SingleSignOnService"},
		{"saml bad IDPSignout", IdPTypeSAML, samlIn(set("IDPSignout", "yes")), "IDPSignout must be true or false"},
		{"saml bad IDPInit", IdPTypeSAML, samlIn(set("IDPInit", "1")), "IDPInit must be true or false"},
		{"saml bad EncryptedResponses", IdPTypeSAML, samlIn(set("EncryptedResponses", "TRUE")), "EncryptedResponses must be true or false"},
		{"saml bad algorithm", IdPTypeSAML, samlIn(set("RequestSigningAlgorithm", "rsa-sha1")), msgSigningAlgorithm},
		{"saml unknown key", IdPTypeSAML, samlIn(set("client_id", "x")), "client_id is not a valid idp detail for provider type SAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := buildProviderDetails(tt.typ, tt.in)
			var ce *cognito.Error
			if !errors.As(err, &ce) || ce.Type != cognito.TypeInvalidParameter || ce.Message != tt.msg {
				t.Fatalf("err = %v, want InvalidParameterException %q", err, tt.msg)
			}
		})
	}
}

// TestBuildProviderDetailsAccepted checks what Cognito adds to accepted
// details.
func TestBuildProviderDetailsAccepted(t *testing.T) {
	tests := []struct {
		name string
		typ  string
		in   map[string]string
		want map[string]string
	}{
		{"google", IdPTypeGoogle, socialIn(nil), map[string]string{
			"client_id": "cid", "client_secret": "sec", "authorize_scopes": "openid email",
			"authorize_url": "https://accounts.google.com/o/oauth2/v2/auth", "token_url": "https://www.googleapis.com/oauth2/v4/token",
			"token_request_method": "POST", "oidc_issuer": "https://accounts.google.com",
			"attributes_url": "https://people.googleapis.com/v1/people/me?personFields=", "attributes_url_add_attributes": "true",
		}},
		{"google with overridden endpoints", IdPTypeGoogle, socialIn(func(d map[string]string) {
			d["oidc_issuer"], d["token_url"] = "http://127.0.0.1:8080", "http://localhost:8080/token"
		}), map[string]string{
			"client_id": "cid", "client_secret": "sec", "authorize_scopes": "openid email",
			"authorize_url": "https://accounts.google.com/o/oauth2/v2/auth", "token_url": "http://localhost:8080/token",
			"token_request_method": "POST", "oidc_issuer": "http://127.0.0.1:8080",
			"attributes_url": "https://people.googleapis.com/v1/people/me?personFields=", "attributes_url_add_attributes": "true",
		}},
		{"facebook default version", IdPTypeFacebook, socialIn(nil), map[string]string{
			"client_id": "cid", "client_secret": "sec", "authorize_scopes": "openid email", "api_version": "v17.0",
			"authorize_url": "https://www.facebook.com/v17.0/dialog/oauth", "token_url": "https://graph.facebook.com/v17.0/oauth/access_token",
			"token_request_method": "GET", "attributes_url": "https://graph.facebook.com/v17.0/me?fields=", "attributes_url_add_attributes": "true",
		}},
		{"facebook version", IdPTypeFacebook, socialIn(func(d map[string]string) { d["api_version"] = "v19.0" }), map[string]string{
			"client_id": "cid", "client_secret": "sec", "authorize_scopes": "openid email", "api_version": "v19.0",
			"authorize_url": "https://www.facebook.com/v19.0/dialog/oauth", "token_url": "https://graph.facebook.com/v19.0/oauth/access_token",
			"token_request_method": "GET", "attributes_url": "https://graph.facebook.com/v19.0/me?fields=", "attributes_url_add_attributes": "true",
		}},
		{"amazon", IdPTypeAmazon, socialIn(nil), map[string]string{
			"client_id": "cid", "client_secret": "sec", "authorize_scopes": "openid email",
			"authorize_url": "https://www.amazon.com/ap/oa", "token_url": "https://api.amazon.com/auth/o2/token",
			"token_request_method": "POST", "attributes_url": "https://api.amazon.com/user/profile", "attributes_url_add_attributes": "false",
		}},
		{"apple", IdPTypeApple, appleIn(nil), map[string]string{
			"client_id": "svc", "team_id": "T", "key_id": "K", "private_key": "PEM", "authorize_scopes": "email name",
			"authorize_url": "https://appleid.apple.com/auth/authorize", "token_url": "https://appleid.apple.com/auth/token",
			"token_request_method": "POST", "oidc_issuer": "https://appleid.apple.com", "attributes_url_add_attributes": "false",
		}},
		{"oidc by discovery", IdPTypeOIDC, oidcIn(nil), map[string]string{
			"client_id": "cid", "client_secret": "sec", "attributes_request_method": "GET",
			"oidc_issuer": "https://issuer.example.com", "authorize_scopes": "openid email", "attributes_url_add_attributes": "false",
		}},
		{"oidc loopback http and explicit endpoints", IdPTypeOIDC, oidcIn(func(d map[string]string) {
			d["oidc_issuer"], d["attributes_request_method"] = "http://[::1]:9000/pool", "POST"
			d["authorize_url"], d["token_url"] = "http://[::1]:9000/a", "http://[::1]:9000/t"
			d["attributes_url"], d["jwks_uri"] = "http://[::1]:9000/u", "http://[::1]:9000/k"
			d["attributes_url_add_attributes"] = "true" // Cognito's own key: recomputed
		}), map[string]string{
			"client_id": "cid", "client_secret": "sec", "attributes_request_method": "POST",
			"oidc_issuer": "http://[::1]:9000/pool", "authorize_scopes": "openid email", "attributes_url_add_attributes": "false",
			"authorize_url": "http://[::1]:9000/a", "token_url": "http://[::1]:9000/t", "attributes_url": "http://[::1]:9000/u", "jwks_uri": "http://[::1]:9000/k",
		}},
		{"saml file", IdPTypeSAML, samlIn(func(d map[string]string) {
			d["IDPSignout"], d["IDPInit"], d["RequestSigningAlgorithm"] = "true", "false", "rsa-sha256"
			d["SSORedirectBindingURI"] = "https://stale.example.com" // Cognito's own key: recomputed
		}), map[string]string{
			"MetadataFile": testSAMLMetadata, "IDPSignout": "true", "IDPInit": "false", "RequestSigningAlgorithm": "rsa-sha256",
			"SSORedirectBindingURI": "https://idp.example.com/sso", "SLORedirectBindingURI": "https://idp.example.com/slo",
		}},
		{"saml url", IdPTypeSAML, map[string]string{"MetadataURL": "https://idp.example.com/md", "MetadataFile": ""},
			map[string]string{"MetadataURL": "https://idp.example.com/md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := buildProviderDetails(tt.typ, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("details (-want +got):\n%s", d)
			}
		})
	}
}

func TestCheckProviderName(t *testing.T) {
	tests := []struct{ name, typ, msg string }{
		{"Google", IdPTypeGoogle, ""},
		{"Corp", IdPTypeOIDC, ""},
		{"OIDC", IdPTypeOIDC, ""},
		{"MyGoogle", IdPTypeGoogle, "Provider MyGoogle cannot be of type Google."},
		{"Facebook", IdPTypeGoogle, "Provider Facebook cannot be of type Google."},
		{"Google", IdPTypeOIDC, "Provider Google cannot be of type OIDC."},
		{"SignInWithApple", IdPTypeSAML, "Provider SignInWithApple cannot be of type SAML."},
		{"COGNITO", IdPTypeOIDC, "COGNITO is a reserved provider name."},
		{"Cognito", IdPTypeSAML, "Cognito is a reserved provider name."},
	}
	for _, tt := range tests {
		err := checkProviderName(tt.name, tt.typ)
		got := ""
		if err != nil {
			got = err.(*cognito.Error).Message
		}
		if got != tt.msg {
			t.Errorf("checkProviderName(%s, %s) = %q, want %q", tt.name, tt.typ, got, tt.msg)
		}
	}
}

func TestCheckAttributeMapping(t *testing.T) {
	pool := &cognito.UserPoolType{SchemaAttributes: []cognito.SchemaAttributeType{{Name: "custom:tenant", AttributeDataType: "String"}}}
	got, err := checkAttributeMapping(pool, IdPTypeFacebook, map[string]string{"email": "email", "custom:tenant": "org"})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"email": "email", "custom:tenant": "org", "username": "id"}, got); d != "" {
		t.Errorf("mapping (-want +got):\n%s", d)
	}
	got, err = checkAttributeMapping(pool, IdPTypeOIDC, map[string]string{"username": "oid"})
	if err != nil || got["username"] != "oid" {
		t.Errorf("explicit username mapping = %v, %v", got, err)
	}
	got, err = checkAttributeMapping(pool, IdPTypeSAML, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("SAML without mapping = %v, %v; want no username claim (NameID is used)", got, err)
	}
	for _, bad := range []string{"custom:missing", "sub", "shoe_size"} {
		_, err := checkAttributeMapping(pool, IdPTypeOIDC, map[string]string{"email": "email", bad: "x"})
		if err == nil || !strings.HasSuffix(err.Error(), "AttributeMapping contains invalid mapping: ["+bad+"]") {
			t.Errorf("mapping %s: err = %v", bad, err)
		}
	}
}
