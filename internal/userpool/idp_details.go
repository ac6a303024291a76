package userpool

import (
	"encoding/xml"
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
)

// Identity provider types (cognito IdentityProviderTypeType).
const (
	IdPTypeOIDC     = cognito.IdentityProviderTypeTypeOidc
	IdPTypeSAML     = cognito.IdentityProviderTypeTypeSaml
	IdPTypeGoogle   = cognito.IdentityProviderTypeTypeGoogle
	IdPTypeFacebook = cognito.IdentityProviderTypeTypeFacebook
	IdPTypeAmazon   = cognito.IdentityProviderTypeTypeLoginwithamazon
	IdPTypeApple    = cognito.IdentityProviderTypeTypeSigninwithapple
)

// ProviderDetails keys (reference federation.md §2).
const (
	DetailClientID           = "client_id"
	DetailClientSecret       = "client_secret"
	DetailAuthorizeScopes    = "authorize_scopes"
	DetailAttributesMethod   = "attributes_request_method"
	DetailIssuer             = "oidc_issuer"
	DetailAuthorizeURL       = "authorize_url"
	DetailTokenURL           = "token_url"
	DetailAttributesURL      = "attributes_url"
	DetailJWKSURI            = "jwks_uri"
	DetailAddAttributes      = "attributes_url_add_attributes"
	DetailTokenMethod        = "token_request_method"
	DetailAPIVersion         = "api_version"
	DetailTeamID             = "team_id"
	DetailKeyID              = "key_id"
	DetailPrivateKey         = "private_key"
	DetailMetadataURL        = "MetadataURL"
	DetailMetadataFile       = "MetadataFile"
	DetailIDPSignout         = "IDPSignout"
	DetailIDPInit            = "IDPInit"
	DetailEncryptedResponses = "EncryptedResponses"
	DetailSigningAlgorithm   = "RequestSigningAlgorithm"
	DetailSSORedirectURI     = "SSORedirectBindingURI"
	DetailSLORedirectURI     = "SLORedirectBindingURI"
	DetailEncryptionCert     = "ActiveEncryptionCertificate"
)

// Answers about ProviderDetails. The first three are Cognito's own
// (observed); the others are not documented anywhere we could find, so
// they follow the style of those.
const (
	msgSocialDetailsRequired = "client_id, client_secret and authorize_scopes are all required idp details"
	msgAppleDetailsRequired  = "client_id, team_id, key_id, private_key and authorize_scopes are all required idp details"
	msgOIDCDetailsRequired   = "client_id, client_secret, attributes_request_method, oidc_issuer and authorize_scopes are all required idp details"
	msgProviderTypeName      = "Provider %s cannot be of type %s."
	msgAttributesMethod      = "attributes_request_method must be GET or POST"
	msgOIDCEndpoints         = "authorize_url, token_url, attributes_url and jwks_uri must be given together"
	msgDetailURL             = "%s must be an https URL"
	msgUnknownDetail         = "%s is not a valid idp detail for provider type %s"
	msgSAMLMetadataNeeded    = "Either MetadataURL or MetadataFile must be provided"
	msgSAMLMetadataBoth      = "Only one of MetadataURL or MetadataFile may be provided"
	msgSAMLMetadataInvalid   = "Unable to parse the SAML metadata: %s"
	msgDetailBoolean         = "%s must be true or false"
	msgSigningAlgorithm      = "RequestSigningAlgorithm must be rsa-sha256"
	msgInvalidMapping        = "AttributeMapping contains invalid mapping: [%s]"
	msgReservedProviderName  = "%s is a reserved provider name."
)

// socialEndpoints are the fixed details Cognito adds to each social type
// (reference §2); a caller may override the URLs, which is how tests point
// a social provider at a local server.
var socialEndpoints = map[string]map[string]string{
	IdPTypeGoogle: {
		DetailAuthorizeURL: "https://accounts.google.com/o/oauth2/v2/auth", DetailTokenURL: "https://www.googleapis.com/oauth2/v4/token",
		DetailTokenMethod: "POST", DetailIssuer: "https://accounts.google.com",
		DetailAttributesURL: "https://people.googleapis.com/v1/people/me?personFields=", DetailAddAttributes: "true",
	},
	IdPTypeFacebook: {
		DetailAuthorizeURL: "https://www.facebook.com/%s/dialog/oauth", DetailTokenURL: "https://graph.facebook.com/%s/oauth/access_token",
		DetailTokenMethod: "GET", DetailAttributesURL: "https://graph.facebook.com/%s/me?fields=", DetailAddAttributes: "true",
	},
	IdPTypeAmazon: {
		DetailAuthorizeURL: "https://www.amazon.com/ap/oa", DetailTokenURL: "https://api.amazon.com/auth/o2/token",
		DetailTokenMethod: "POST", DetailAttributesURL: "https://api.amazon.com/user/profile", DetailAddAttributes: "false",
	},
	IdPTypeApple: {
		DetailAuthorizeURL: "https://appleid.apple.com/auth/authorize", DetailTokenURL: "https://appleid.apple.com/auth/token",
		DetailTokenMethod: "POST", DetailIssuer: "https://appleid.apple.com", DetailAddAttributes: "false",
	},
}

// facebookDefaultAPIVersion is the Graph API version used when the
// provider names none (unverified: Cognito's own default is undocumented).
const facebookDefaultAPIVersion = "v17.0"

// defaultUsernameClaim is the upstream claim Cognito builds a federated
// username from when AttributeMapping does not map "username" (reference
// §3); SAML uses the assertion's NameID, which has no claim name.
var defaultUsernameClaim = map[string]string{
	IdPTypeOIDC: "sub", IdPTypeGoogle: "sub", IdPTypeApple: "sub", IdPTypeFacebook: "id", IdPTypeAmazon: "user_id",
}

// isSocialType reports the types whose provider must be named like the type.
func isSocialType(t string) bool { _, ok := socialEndpoints[t]; return ok }

// checkProviderName applies Cognito's naming rules for a type: a social
// provider is named exactly like its type, and no other provider may take
// a social type's name or the pool directory's.
func checkProviderName(name, typ string) error {
	if (isSocialType(typ) && name != typ) || (!isSocialType(typ) && isSocialType(name)) {
		return cognito.InvalidParameter(fmt.Sprintf(msgProviderTypeName, name, typ))
	}
	if strings.EqualFold(name, identityProviderOwn) {
		return cognito.InvalidParameter(fmt.Sprintf(msgReservedProviderName, name))
	}
	return nil
}

// buildProviderDetails checks the details a caller sent for a provider
// of type typ and returns them as Cognito stores and describes them: with
// the keys Cognito adds (fixed endpoints, parsed SAML metadata). Keys
// Cognito itself adds are accepted on input, since tools send a
// described provider back as it was returned, and are recomputed.
func buildProviderDetails(typ string, in map[string]string) (map[string]string, error) {
	out := maps.Clone(in)
	if out == nil {
		out = map[string]string{}
	}
	var err error
	switch typ {
	case IdPTypeOIDC:
		err = oidcDetails(out)
	case IdPTypeSAML:
		err = samlDetails(out)
	case IdPTypeApple:
		err = socialDetails(typ, out, msgAppleDetailsRequired, DetailClientID, DetailTeamID, DetailKeyID, DetailPrivateKey, DetailAuthorizeScopes)
	case IdPTypeFacebook:
		err = socialDetails(typ, out, msgSocialDetailsRequired, DetailClientID, DetailClientSecret, DetailAuthorizeScopes, DetailAPIVersion)
	default:
		err = socialDetails(typ, out, msgSocialDetailsRequired, DetailClientID, DetailClientSecret, DetailAuthorizeScopes)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// requireDetails answers msg unless every key has a non-blank value.
func requireDetails(d map[string]string, msg string, keys ...string) error {
	for _, k := range keys {
		if strings.TrimSpace(d[k]) == "" {
			return cognito.InvalidParameter(msg)
		}
	}
	return nil
}

// onlyDetails refuses a key outside allowed.
func onlyDetails(typ string, d map[string]string, allowed ...string) error {
	for _, k := range slices.Sorted(maps.Keys(d)) {
		if !slices.Contains(allowed, k) {
			return cognito.InvalidParameter(fmt.Sprintf(msgUnknownDetail, k, typ))
		}
	}
	return nil
}

// checkDetailURL requires an https URL with a host. Plain http is allowed
// only for loopback hosts, where test upstreams run; Cognito itself
// requires https.
func checkDetailURL(key, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" {
		return cognito.InvalidParameter(fmt.Sprintf(msgDetailURL, key))
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
	}
	return cognito.InvalidParameter(fmt.Sprintf(msgDetailURL, key))
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkDetailURLs checks each of keys that is present.
func checkDetailURLs(d map[string]string, keys ...string) error {
	for _, k := range keys {
		if v, ok := d[k]; ok {
			if err := checkDetailURL(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

var endpointOverrides = []string{DetailAuthorizeURL, DetailTokenURL, DetailAttributesURL, DetailJWKSURI, DetailIssuer}

// socialDetails checks a social provider's details (required keys first,
// in order, as the message lists them) and fills in the fixed endpoints
// the caller did not override.
func socialDetails(typ string, d map[string]string, msg string, keys ...string) error {
	required := keys
	if typ == IdPTypeFacebook {
		required = keys[:3] // api_version is optional
	}
	if err := requireDetails(d, msg, required...); err != nil {
		return err
	}
	allowed := append(slices.Clone(keys), endpointOverrides...)
	allowed = append(allowed, DetailTokenMethod, DetailAddAttributes)
	if err := onlyDetails(typ, d, allowed...); err != nil {
		return err
	}
	if err := checkDetailURLs(d, endpointOverrides...); err != nil {
		return err
	}
	fixed := socialEndpoints[typ]
	version := ""
	if typ == IdPTypeFacebook {
		version = d[DetailAPIVersion]
		if version == "" {
			version = facebookDefaultAPIVersion
			d[DetailAPIVersion] = version
		}
	}
	for k, v := range fixed {
		if slices.Contains(endpointOverrides, k) {
			if _, given := detail(d, k); given {
				continue
			}
		}
		if version != "" && strings.Contains(v, "%s") {
			v = fmt.Sprintf(v, version)
		}
		d[k] = v
	}
	return nil
}

// detail returns d's value for k and whether it is non-empty.
func detail(d map[string]string, k string) (string, bool) {
	v, ok := d[k]
	return v, ok && v != ""
}

// oidcDetails checks a generic OIDC provider's details. The endpoints are
// discovered from oidc_issuer at sign-in unless all four are given.
func oidcDetails(d map[string]string) error {
	if err := requireDetails(d, msgOIDCDetailsRequired,
		DetailClientID, DetailClientSecret, DetailAttributesMethod, DetailIssuer, DetailAuthorizeScopes); err != nil {
		return err
	}
	if err := onlyDetails(IdPTypeOIDC, d, DetailClientID, DetailClientSecret, DetailAttributesMethod, DetailIssuer,
		DetailAuthorizeScopes, DetailAuthorizeURL, DetailTokenURL, DetailAttributesURL, DetailJWKSURI, DetailAddAttributes); err != nil {
		return err
	}
	if m := d[DetailAttributesMethod]; m != "GET" && m != "POST" {
		return cognito.InvalidParameter(msgAttributesMethod)
	}
	explicit := 0
	for _, k := range []string{DetailAuthorizeURL, DetailTokenURL, DetailAttributesURL, DetailJWKSURI} {
		if _, ok := detail(d, k); ok {
			explicit++
		} else {
			delete(d, k)
		}
	}
	if explicit != 0 && explicit != 4 {
		return cognito.InvalidParameter(msgOIDCEndpoints)
	}
	if err := checkDetailURLs(d, DetailIssuer, DetailAuthorizeURL, DetailTokenURL, DetailAttributesURL, DetailJWKSURI); err != nil {
		return err
	}
	d[DetailAddAttributes] = "false"
	return nil
}

// samlDetails checks a SAML provider's details. A metadata document is
// parsed now, and its single sign-on and logout endpoints (redirect
// binding) are added as Cognito adds them; metadata behind a URL is read
// at sign-in.
func samlDetails(d map[string]string) error {
	if err := onlyDetails(IdPTypeSAML, d, DetailMetadataURL, DetailMetadataFile, DetailIDPSignout, DetailIDPInit,
		DetailEncryptedResponses, DetailSigningAlgorithm, DetailSSORedirectURI, DetailSLORedirectURI, DetailEncryptionCert); err != nil {
		return err
	}
	mdURL, hasURL := detail(d, DetailMetadataURL)
	mdFile, hasFile := detail(d, DetailMetadataFile)
	switch {
	case hasURL && hasFile:
		return cognito.InvalidParameter(msgSAMLMetadataBoth)
	case !hasURL && !hasFile:
		return cognito.InvalidParameter(msgSAMLMetadataNeeded)
	}
	for _, k := range []string{DetailIDPSignout, DetailIDPInit, DetailEncryptedResponses} {
		if v, ok := d[k]; ok && v != "true" && v != "false" {
			return cognito.InvalidParameter(fmt.Sprintf(msgDetailBoolean, k))
		}
	}
	if v, ok := d[DetailSigningAlgorithm]; ok && v != "rsa-sha256" {
		return cognito.InvalidParameter(msgSigningAlgorithm)
	}
	delete(d, DetailSSORedirectURI)
	delete(d, DetailSLORedirectURI)
	delete(d, DetailEncryptionCert)
	if hasURL {
		delete(d, DetailMetadataFile)
		return checkDetailURL(DetailMetadataURL, mdURL)
	}
	delete(d, DetailMetadataURL)
	sso, slo, err := samlMetadataEndpoints([]byte(mdFile))
	if err != nil {
		return cognito.InvalidParameter(fmt.Sprintf(msgSAMLMetadataInvalid, err))
	}
	d[DetailSSORedirectURI] = sso
	if slo != "" {
		d[DetailSLORedirectURI] = slo
	}
	return nil
}

const bindingRedirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"

// samlMetadataEndpoints reads an IdP's metadata document (an
// EntityDescriptor, or the first IdP in an EntitiesDescriptor) and returns
// its redirect-binding single sign-on and single logout endpoints.
func samlMetadataEndpoints(doc []byte) (sso, slo string, err error) {
	type endpoint struct {
		Binding  string `xml:"Binding,attr"`
		Location string `xml:"Location,attr"`
	}
	type idp struct {
		SSO []endpoint `xml:"SingleSignOnService"`
		SLO []endpoint `xml:"SingleLogoutService"`
	}
	type entity struct {
		EntityID string `xml:"entityID,attr"`
		IDPs     []idp  `xml:"IDPSSODescriptor"`
	}
	var root struct {
		XMLName xml.Name
		entity
		Entities []entity `xml:"EntityDescriptor"`
	}
	if err := xml.Unmarshal(doc, &root); err != nil {
		return "", "", fmt.Errorf("not an XML document")
	}
	entities := root.Entities
	if root.XMLName.Local == "EntityDescriptor" {
		entities = []entity{root.entity}
	}
	for _, e := range entities {
		for _, d := range e.IDPs {
			for _, ep := range d.SSO {
				if ep.Binding == bindingRedirect && sso == "" {
					sso = ep.Location
				}
			}
			for _, ep := range d.SLO {
				if ep.Binding == bindingRedirect && slo == "" {
					slo = ep.Location
				}
			}
			if sso != "" {
				return sso, slo, nil
			}
		}
	}
	return "", "", fmt.Errorf("no IDPSSODescriptor with an HTTP-Redirect SingleSignOnService")
}

// checkAttributeMapping refuses a mapping to an attribute the pool does
// not have (Cognito's observed message), and adds the username mapping
// Cognito adds when the caller leaves it out.
func checkAttributeMapping(pool *cognito.UserPoolType, typ string, in map[string]string) (map[string]string, error) {
	sch := poolSchema(pool)
	out := make(map[string]string, len(in)+1)
	for _, k := range slices.Sorted(maps.Keys(in)) {
		_, known := sch[k]
		if k != "username" && (!known || k == attrSub) {
			return nil, cognito.InvalidParameter(fmt.Sprintf(msgInvalidMapping, k))
		}
		out[k] = in[k]
	}
	if _, ok := out["username"]; !ok {
		if claim, ok := defaultUsernameClaim[typ]; ok {
			out["username"] = claim
		}
	}
	return out, nil
}
