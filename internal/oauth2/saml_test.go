package oauth2_test

import (
	"crypto/x509"
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crewjam/saml"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/samlfed/samlfedtest"
	"github.com/userpool/userpool/internal/userpool"
)

// SAML sign-in through the server, against crewjam's samlidp: the app
// asks /oauth2/authorize for the provider, the IdP signs the user in and
// posts to /saml2/idpresponse, and the app gets a code for Cognito's
// tokens.

const samlProvider = "Corp"

var samlAlice = samlfedtest.User{
	Name: "alice", Password: "alice-password", Email: "Alice@Example.com",
	GivenName: "Alice", Surname: "Liddell", Groups: []string{"Admins", "Domain Users"},
}

// SAML attribute names samlidp sends.
const (
	samlMail    = "urn:oid:0.9.2342.19200300.100.1.3"
	samlGiven   = "urn:oid:2.5.4.42"
	samlSurname = "urn:oid:2.5.4.4"
	samlGroups  = "urn:oid:1.3.6.1.4.1.5923.1.1.1.1"
)

// samlEnv is a hosted env whose client signs in with the SAML provider
// "Corp" at idp.
type samlEnv struct {
	*hostedEnv
	idp *samlfedtest.IdP
}

// encryptTo is the certificate the test IdP encrypts its assertions to.
type encryptTo int

const (
	plainAssertions encryptTo = iota
	// toProviderCertificate is the provider's ActiveEncryptionCertificate.
	toProviderCertificate
	// toSigningCertificate is the pool's signing certificate, which the
	// IdPs of providers set up before providers had their own encryption
	// key were given.
	toSigningCertificate
)

// newSAMLEnv makes the provider with details (the IdP's metadata URL is
// added) and registers the pool at the IdP, which encrypts its assertions
// to the certificate enc names.
func newSAMLEnv(t *testing.T, details map[string]string, enc encryptTo) *samlEnv {
	t.Helper()
	ctx := t.Context()
	e := &samlEnv{hostedEnv: newHostedEnv(t), idp: samlfedtest.New(t)}
	e.idp.SetClock(e.Clock.Now())
	if err := e.Svc.AddCustomAttributes(ctx, e.PoolID, []cognito.SchemaAttributeType{{Name: "groups", AttributeDataType: "String"}}); err != nil {
		t.Fatal(err)
	}
	cert, err := e.Svc.GetSigningCertificate(ctx, &cognito.GetSigningCertificateInput{UserPoolID: e.PoolID})
	if err != nil {
		t.Fatal(err)
	}
	signing := parseCertificate(t, cert.Certificate)
	d := map[string]string{userpool.DetailMetadataURL: e.idp.URL + "/metadata"}
	for k, v := range details {
		d[k] = v
	}
	created, err := e.Svc.CreateIdentityProvider(ctx, &cognito.CreateIdentityProviderInput{
		UserPoolID: e.PoolID, ProviderName: samlProvider, ProviderType: "SAML", ProviderDetails: d,
		AttributeMapping: map[string]string{
			"email": samlMail, "given_name": samlGiven, "family_name": samlSurname, "custom:groups": samlGroups,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	sp := samlfedtest.SP{
		EntityID: userpool.SAMLEntityID(e.PoolID), ACSURL: e.URL + "/saml2/idpresponse", SLOURL: e.URL + "/saml2/logout", Certificate: signing,
		Encrypt: enc != plainAssertions, SignsRequests: details[userpool.DetailSigningAlgorithm] != "",
	}
	if enc == toProviderCertificate {
		active := created.IdentityProvider.ProviderDetails[userpool.DetailEncryptionCert]
		if active == cert.Certificate {
			t.Fatal("ActiveEncryptionCertificate is the pool's signing certificate, not the provider's own")
		}
		sp.EncryptionCertificate = parseCertificate(t, active)
	}
	e.idp.RegisterSP(t, sp)
	e.idp.AddUser(t, samlAlice)
	// A client of a provider that accepts IdP-initiated sign-in may
	// support SAML providers only.
	providers := []string{"COGNITO", samlProvider}
	if details[userpool.DetailIDPInit] == "true" {
		providers = []string{samlProvider}
	}
	e.ClientID = e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.SupportedIdentityProviders = providers
	})
	return e
}

// parseCertificate decodes a certificate as the API gives it, base64 DER.
func parseCertificate(t *testing.T, b64 string) *x509.Certificate {
	t.Helper()
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	x, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// toIdP asks /oauth2/authorize for the provider and returns where it sends
// the browser: the IdP's SSO URL with the AuthnRequest.
func (e *samlEnv) toIdP(t *testing.T) string {
	t.Helper()
	r := e.get("/oauth2/authorize", e.authorizeQuery("identity_provider", samlProvider))
	if r.Status != http.StatusFound {
		t.Fatalf("authorize: %d %s", r.Status, r.Body)
	}
	loc := r.Location(t).String()
	if !strings.HasPrefix(loc, e.idp.URL+"/sso?") || !strings.Contains(loc, "SAMLRequest=") {
		t.Fatalf("authorize sent the browser to %s, not the IdP", loc)
	}
	return loc
}

// postToACS has the browser post what the IdP answered.
func (e *samlEnv) postToACS(t *testing.T, p samlfedtest.Posted) hostedResponse {
	t.Helper()
	if p.Action != e.URL+"/saml2/idpresponse" {
		t.Fatalf("the IdP posts to %s", p.Action)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, p.Action, strings.NewReader(p.Form().Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(e.Browser, req)
}

func TestSAMLSignIn(t *testing.T) {
	for _, tc := range []struct {
		name    string
		details map[string]string
		encrypt encryptTo
	}{
		{"metadata URL", nil, plainAssertions},
		{"signed requests, encrypted responses", map[string]string{
			userpool.DetailSigningAlgorithm: "rsa-sha256", userpool.DetailEncryptedResponses: "true",
		}, toProviderCertificate},
		// Assertions encrypted to the pool's signing certificate, which
		// was ActiveEncryptionCertificate before providers had their own
		// encryption key, still decrypt.
		{"encrypted to the signing certificate", map[string]string{
			userpool.DetailEncryptedResponses: "true",
		}, toSigningCertificate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newSAMLEnv(t, tc.details, tc.encrypt)
			posted := e.idp.SignIn(t, e.toIdP(t), samlAlice)
			code := wantCode(t, e.postToACS(t, posted), hostedCallback, "st-123")
			ts, err := e.exchange(code, hostedCallback, hostedVerifier)
			if err != nil {
				t.Fatal(err)
			}
			id := tokClaims(t, ts.IDToken)
			username := samlProvider + "_" + samlAlice.Email
			if got, _ := id["cognito:username"].(string); !strings.EqualFold(got, username) {
				t.Errorf("cognito:username = %v, want %s", id["cognito:username"], username)
			}
			if id["email"] != samlAlice.Email || id["given_name"] != "Alice" || id["family_name"] != "Liddell" {
				t.Errorf("mapped attributes: %v", id)
			}
			if id["custom:groups"] != "[Admins, Domain+Users]" {
				t.Errorf("custom:groups = %v", id["custom:groups"])
			}
			ids, _ := id["identities"].([]any)
			if len(ids) != 1 {
				t.Fatalf("identities = %v", id["identities"])
			}
			first, _ := ids[0].(map[string]any)
			if first["providerName"] != samlProvider || first["providerType"] != "SAML" ||
				first["userId"] != samlAlice.Email || first["issuer"] != e.idp.URL+"/metadata" {
				t.Errorf("identities[0] = %v", first)
			}
			groups, _ := id["cognito:groups"].([]any)
			if len(groups) != 1 || groups[0] != e.PoolID+"_"+samlProvider {
				t.Errorf("cognito:groups = %v", id["cognito:groups"])
			}

			// A second sign-in is the same user, with the attributes
			// written again.
			e.Browser = e.newBrowser()
			code = wantCode(t, e.postToACS(t, e.idp.SignIn(t, e.toIdP(t), samlAlice)), hostedCallback, "st-123")
			ts2, err := e.exchange(code, hostedCallback, hostedVerifier)
			if err != nil {
				t.Fatal(err)
			}
			if again := tokClaims(t, ts2.IDToken); again["sub"] != id["sub"] {
				t.Errorf("second sign-in is another user: %v, then %v", id["sub"], again["sub"])
			}
		})
	}
}

func TestSAMLLoginButton(t *testing.T) {
	// Without identity_provider, the login page offers the provider; its
	// button leads through /oauth2/authorize to the IdP.
	e := newSAMLEnv(t, nil, plainAssertions)
	page := e.get("/login", e.authorizeQuery())
	m := regexp.MustCompile(`href="([^"]*)" data-provider="` + samlProvider + `"`).FindStringSubmatch(page.Body)
	if page.Status != http.StatusOK || m == nil {
		t.Fatalf("no %s button on the login page (%d):\n%s", samlProvider, page.Status, page.Body)
	}
	target, err := url.Parse(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	r := e.get(target.Path, target.Query())
	if loc := r.Header.Get("Location"); r.Status != http.StatusFound || !strings.HasPrefix(loc, e.idp.URL+"/sso?") {
		t.Fatalf("the button leads to %d %s", r.Status, loc)
	}
	code := wantCode(t, e.postToACS(t, e.idp.SignIn(t, r.Header.Get("Location"), samlAlice)), hostedCallback, "st-123")
	if _, err := e.exchange(code, hostedCallback, hostedVerifier); err != nil {
		t.Fatal(err)
	}
}

func TestSAMLSignOut(t *testing.T) {
	for _, tc := range []struct {
		name      string
		idpSignal string
	}{{"IDPSignout", "true"}, {"local only", "false"}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newSAMLEnv(t, map[string]string{userpool.DetailIDPSignout: tc.idpSignal}, plainAssertions)
			wantCode(t, e.postToACS(t, e.idp.SignIn(t, e.toIdP(t), samlAlice)), hostedCallback, "st-123")
			r := e.get("/logout", url.Values{"client_id": {e.ClientID}, "logout_uri": {hostedSignedOut}})
			loc := r.Location(t).String()
			if tc.idpSignal != "true" {
				if loc != hostedSignedOut {
					t.Fatalf("a local sign-out went to %s", loc)
				}
				return
			}
			if !strings.HasPrefix(loc, e.idp.URL+"/slo?") || !strings.Contains(loc, "Signature=") {
				t.Fatalf("sign-out went to %s, not the IdP with a signed LogoutRequest", loc)
			}
			answer := e.idp.Logout(t, loc, samlAlice)
			if answer.Action != e.URL+"/saml2/logout" {
				t.Fatalf("the IdP answers at %s", answer.Action)
			}
			back := e.postLogout(t, answer)
			if got := back.Header.Get("Location"); back.Status != http.StatusFound || got != hostedSignedOut {
				t.Fatalf("after the IdP: %d %s\n%s", back.Status, got, back.Body)
			}
			// A LogoutResponse that does not verify, or whose RelayState is
			// not ours, shows an error page.
			forged := answer
			forged.RelayState = "x" + answer.RelayState
			if r := e.postLogout(t, forged); r.Status != http.StatusBadRequest {
				t.Errorf("a forged RelayState: %d", r.Status)
			}
			raw, _ := base64.StdEncoding.DecodeString(answer.SAMLResponse)
			forged = answer
			forged.SAMLResponse = base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(raw), "Success", "Requester", 1)))
			if r := e.postLogout(t, forged); r.Status != http.StatusBadRequest {
				t.Errorf("a tampered LogoutResponse: %d", r.Status)
			}
		})
	}
}

// postLogout has the browser post a LogoutResponse to /saml2/logout.
func (e *samlEnv) postLogout(t *testing.T, p samlfedtest.Posted) hostedResponse {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/saml2/logout", strings.NewReader(p.Form().Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(e.Browser, req)
}

func TestSAMLLinkedIdentity(t *testing.T) {
	// A SAML identity linked to a pool user, by its NameID
	// (Cognito_Subject) or by a mapped attribute, signs in as that user.
	for _, src := range []cognito.ProviderUserIdentifierType{
		{ProviderName: samlProvider, ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: samlAlice.Email},
		{ProviderName: samlProvider, ProviderAttributeName: "email", ProviderAttributeValue: samlAlice.Email},
	} {
		t.Run(src.ProviderAttributeName, func(t *testing.T) {
			e := newSAMLEnv(t, nil, plainAssertions)
			if err := e.Svc.AdminLinkProviderForUser(t.Context(), &cognito.AdminLinkProviderForUserInput{
				UserPoolID:      e.PoolID,
				DestinationUser: &cognito.ProviderUserIdentifierType{ProviderName: "Cognito", ProviderAttributeValue: hostedUser},
				SourceUser:      &src,
			}); err != nil {
				t.Fatal(err)
			}
			code := wantCode(t, e.postToACS(t, e.idp.SignIn(t, e.toIdP(t), samlAlice)), hostedCallback, "st-123")
			ts, err := e.exchange(code, hostedCallback, hostedVerifier)
			if err != nil {
				t.Fatal(err)
			}
			id := tokClaims(t, ts.IDToken)
			if id["cognito:username"] != hostedUser {
				t.Errorf("signed in as %v, want the linked %s", id["cognito:username"], hostedUser)
			}
			ids, _ := id["identities"].([]any)
			if len(ids) != 1 || ids[0].(map[string]any)["providerType"] != "SAML" || ids[0].(map[string]any)["primary"] != "false" {
				t.Errorf("identities = %v", id["identities"])
			}
		})
	}
}

func TestSAMLRefusals(t *testing.T) {
	t.Run("unsigned response", func(t *testing.T) {
		e := newSAMLEnv(t, nil, plainAssertions)
		posted := e.idp.SignIn(t, e.toIdP(t), samlAlice)
		raw, _ := base64.StdEncoding.DecodeString(posted.SAMLResponse)
		posted.SAMLResponse = base64.StdEncoding.EncodeToString(regexp.MustCompile(`(?s)<ds:Signature.*?</ds:Signature>`).ReplaceAll(raw, nil))
		wantSAMLRefused(t, e.postToACS(t, posted))
	})
	t.Run("wrong audience", func(t *testing.T) {
		e := newSAMLEnv(t, nil, plainAssertions)
		e.idp.Server.IDP.AssertionMaker = samlAudience{"urn:amazon:cognito:sp:us-east-1_other"}
		wantSAMLRefused(t, e.postToACS(t, e.idp.SignIn(t, e.toIdP(t), samlAlice)))
	})
	t.Run("expired assertion", func(t *testing.T) {
		e := newSAMLEnv(t, nil, plainAssertions)
		posted := e.idp.SignIn(t, e.toIdP(t), samlAlice)
		e.Clock.Advance(10 * time.Minute)
		wantSAMLRefused(t, e.postToACS(t, posted))
	})
	t.Run("unknown InResponseTo", func(t *testing.T) {
		// The IdP answers one request; the browser posts that answer with
		// the RelayState of another.
		e := newSAMLEnv(t, nil, plainAssertions)
		first := e.idp.SignIn(t, e.toIdP(t), samlAlice)
		second := e.idp.SignIn(t, e.toIdP(t), samlAlice)
		first.RelayState = second.RelayState
		wantSAMLRefused(t, e.postToACS(t, first))
	})
	t.Run("IdP-initiated when not allowed", func(t *testing.T) {
		e := newSAMLEnv(t, nil, plainAssertions)
		posted := e.idp.IdPInitiated(t, userpool.SAMLEntityID(e.PoolID), e.idpInitRelay(), samlAlice)
		r := e.postToACS(t, posted)
		wantRedirectError(t, r, hostedCallback, "invalid_request", "")
		if d := r.Location(t).Query().Get("error_description"); !strings.Contains(d, "IdP-initiated") {
			t.Errorf("error_description = %q", d)
		}
	})
	t.Run("no relay state", func(t *testing.T) {
		e := newSAMLEnv(t, nil, plainAssertions)
		posted := e.idp.SignIn(t, e.toIdP(t), samlAlice)
		posted.RelayState = ""
		r := e.postToACS(t, posted)
		if r.Status != http.StatusBadRequest || r.Header.Get("Location") != "" {
			t.Errorf("a response without RelayState: %d %s", r.Status, r.Header.Get("Location"))
		}
	})
	t.Run("provider the client does not support", func(t *testing.T) {
		e := newSAMLEnv(t, map[string]string{userpool.DetailIDPInit: "true"}, plainAssertions)
		e.ClientID = e.createClient(nil) // COGNITO only
		posted := e.idp.IdPInitiated(t, userpool.SAMLEntityID(e.PoolID), e.idpInitRelay(), samlAlice)
		// As /oauth2/authorize refuses it.
		wantRedirectError(t, e.postToACS(t, posted), hostedCallback, "invalid_request", "")
	})
}

// idpInitRelay is the RelayState a portal's IdP-initiated link carries:
// the authorization parameters, as Cognito documents.
func (e *samlEnv) idpInitRelay() string {
	return url.Values{
		"client_id": {e.ClientID}, "redirect_uri": {hostedCallback}, "response_type": {"code"},
		"scope": {"openid email"}, "identity_provider": {samlProvider},
	}.Encode()
}

func TestSAMLIdPInitiated(t *testing.T) {
	e := newSAMLEnv(t, map[string]string{userpool.DetailIDPInit: "true"}, plainAssertions)
	posted := e.idp.IdPInitiated(t, userpool.SAMLEntityID(e.PoolID), e.idpInitRelay(), samlAlice)
	code := wantCode(t, e.postToACS(t, posted), hostedCallback, "")
	ts, err := e.exchange(code, hostedCallback, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := tokClaims(t, ts.IDToken)["cognito:username"].(string); !strings.EqualFold(got, samlProvider+"_"+samlAlice.Email) {
		t.Errorf("cognito:username = %q", got)
	}
	// The same assertion posted again is refused, as a response that does
	// not verify is.
	r := e.postToACS(t, posted)
	wantRedirectError(t, r, hostedCallback, "invalid_request", "")
	if d := r.Location(t).Query().Get("error_description"); d != "Invalid samlResponse or relayState from identity provider" {
		t.Errorf("replay: error_description = %q", d)
	}
}

func TestSAMLIdPInitiatedMixedClient(t *testing.T) {
	// A client that supports the pool's directory beside a SAML provider
	// that only later allows IdP-initiated sign-in (CreateUserPoolClient
	// refuses the pair once it does) gets no IdP-initiated sign-in: the
	// guide allows it only to clients of SAML providers alone.
	e := newSAMLEnv(t, nil, plainAssertions)
	prov, err := e.Svc.DescribeIdentityProvider(t.Context(), &cognito.DescribeIdentityProviderInput{UserPoolID: e.PoolID, ProviderName: samlProvider})
	if err != nil {
		t.Fatal(err)
	}
	details := prov.IdentityProvider.ProviderDetails
	details[userpool.DetailIDPInit] = "true"
	if _, err := e.Svc.UpdateIdentityProvider(t.Context(), &cognito.UpdateIdentityProviderInput{
		UserPoolID: e.PoolID, ProviderName: samlProvider, ProviderDetails: details,
	}); err != nil {
		t.Fatal(err)
	}
	posted := e.idp.IdPInitiated(t, userpool.SAMLEntityID(e.PoolID), e.idpInitRelay(), samlAlice)
	r := e.postToACS(t, posted)
	wantRedirectError(t, r, hostedCallback, "invalid_request", "")
	want := "The app client supports COGNITO, which is not a SAML provider, so it does not accept IdP-initiated SAML sign-in."
	if d := r.Location(t).Query().Get("error_description"); d != want {
		t.Errorf("error_description = %q, want %q", d, want)
	}
	// SP-initiated sign-in through the same client goes on as before.
	wantCode(t, e.postToACS(t, e.idp.SignIn(t, e.toIdP(t), samlAlice)), hostedCallback, "st-123")

	// A client of that provider alone accepts the same IdP-initiated
	// answer.
	e.ClientID = e.createClient(func(in *cognito.CreateUserPoolClientInput) { in.SupportedIdentityProviders = []string{samlProvider} })
	posted = e.idp.IdPInitiated(t, userpool.SAMLEntityID(e.PoolID), e.idpInitRelay(), samlAlice)
	wantCode(t, e.postToACS(t, posted), hostedCallback, "")
}

// wantSAMLRefused checks Cognito's answer to a response that does not
// verify: the app's callback with invalid_request and the app's state.
func wantSAMLRefused(t *testing.T, r hostedResponse) {
	t.Helper()
	wantRedirectError(t, r, hostedCallback, "invalid_request", "st-123")
}

// samlAudience makes the IdP address its assertions to another SP.
type samlAudience struct{ to string }

func (a samlAudience) MakeAssertion(req *saml.IdpAuthnRequest, session *saml.Session) error {
	if err := (saml.DefaultAssertionMaker{}).MakeAssertion(req, session); err != nil {
		return err
	}
	for i := range req.Assertion.Conditions.AudienceRestrictions {
		req.Assertion.Conditions.AudienceRestrictions[i].Audience = saml.Audience{Value: a.to}
	}
	return nil
}
