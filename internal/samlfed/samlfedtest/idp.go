package samlfedtest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/xml"
	"html"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlidp"
	dsig "github.com/russellhaering/goxmldsig"
)

// IdP is a SAML identity provider on a loopback test server.
type IdP struct {
	// URL is its base URL; metadata is at URL+"/metadata".
	URL string
	// Server is crewjam's IdP, for tests that change how it answers
	// (IDP.AssertionMaker, IDP.Clock).
	Server *samlidp.Server
	// Key and Certificate sign its responses.
	Key         *rsa.PrivateKey
	Certificate *x509.Certificate
	// browsers are the users' browsers, signed in at the IdP.
	mu       sync.Mutex
	browsers map[string]*http.Client
}

// New starts an IdP with a freshly made signing key and certificate.
func New(t testing.TB) *IdP {
	t.Helper()
	key, cert := KeyPair(t, "test-idp")
	idp := &IdP{Key: key, Certificate: cert, browsers: map[string]*http.Client{}}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { idp.Server.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	idp.URL = ts.URL
	u, _ := url.Parse(ts.URL)
	srv, err := samlidp.New(samlidp.Options{
		URL: *u, Key: key, Certificate: cert, Store: &samlidp.MemoryStore{},
		Logger: log.New(testLog{t}, "samlidp: ", 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	idp.Server = srv
	return idp
}

// testLog sends the IdP's log to the test's, shown when a test fails.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// SetClock stops the IdP's clock at now, for tests whose server runs on a
// clock of its own.
func (idp *IdP) SetClock(now time.Time) { idp.Server.IDP.Clock = dsig.NewFakeClockAt(now) }

// KeyPair makes an RSA key and a self-signed certificate valid a year
// either side of now, so that servers on test clocks accept it.
func KeyPair(t testing.TB, cn string) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

// Metadata is the IdP's metadata document.
func (idp *IdP) Metadata(t testing.TB) string {
	t.Helper()
	resp, err := http.Get(idp.URL + "/metadata")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("IdP metadata: %d %v", resp.StatusCode, err)
	}
	return string(b)
}

// SP is how the IdP knows a service provider.
type SP struct {
	EntityID string
	ACSURL   string
	// SLOURL, when set, is where the IdP answers LogoutRequests.
	SLOURL string
	// Certificate is the SP's: it verifies signed AuthnRequests (with
	// SignsRequests, the IdP refuses unsigned ones) and, with Encrypt,
	// encrypts the assertions unless EncryptionCertificate is set.
	Certificate *x509.Certificate
	// EncryptionCertificate, when set, is the certificate the assertions
	// are encrypted to (with Encrypt).
	EncryptionCertificate *x509.Certificate
	SignsRequests         bool
	Encrypt               bool
}

// RegisterSP gives the IdP a service provider's metadata.
func (idp *IdP) RegisterSP(t testing.TB, sp SP) {
	t.Helper()
	acs, err := url.Parse(sp.ACSURL)
	if err != nil {
		t.Fatal(err)
	}
	desc := &saml.ServiceProvider{
		EntityID: sp.EntityID, AcsURL: *acs, Certificate: sp.Certificate, EncryptionCertificate: sp.EncryptionCertificate,
		AssertionConsumerServiceBindings: []string{saml.HTTPPostBinding},
	}
	if sp.SLOURL != "" {
		slo, err := url.Parse(sp.SLOURL)
		if err != nil {
			t.Fatal(err)
		}
		desc.SloURL = *slo
		desc.LogoutBindings = []string{saml.HTTPPostBinding}
		desc.LogoutSignatureMethod = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	}
	if sp.SignsRequests {
		desc.SignatureMethod = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	}
	md := desc.Metadata()
	for i := range md.SPSSODescriptors {
		d := &md.SPSSODescriptors[i]
		var keep []saml.KeyDescriptor
		for _, k := range d.KeyDescriptors {
			if k.Use != "encryption" || sp.Encrypt {
				keep = append(keep, k)
			}
		}
		d.KeyDescriptors = keep
	}
	b, err := xml.Marshal(md)
	if err != nil {
		t.Fatal(err)
	}
	idp.put(t, "/services/"+url.PathEscape(sp.EntityID), "application/xml", b)
}

// User is someone the IdP signs in.
type User struct {
	Name, Password, Email, GivenName, Surname string
	Groups                                    []string
}

// AddUser stores a user; the NameID of its assertions is the email.
func (idp *IdP) AddUser(t testing.TB, u User) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{
		"name": u.Name, "password": u.Password, "email": u.Email,
		"given_name": u.GivenName, "surname": u.Surname, "groups": u.Groups,
	})
	idp.put(t, "/users/"+url.PathEscape(u.Name), "application/json", b)
}

func (idp *IdP) put(t testing.TB, path, contentType string, body []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, idp.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT %s at the IdP: %d", path, resp.StatusCode)
	}
}

// Posted is the form the IdP has the browser post to the SP.
type Posted struct {
	Action       string
	SAMLResponse string
	RelayState   string
}

// Form is the posted form's body.
func (p Posted) Form() url.Values {
	v := url.Values{"SAMLResponse": {p.SAMLResponse}}
	if p.RelayState != "" {
		v.Set("RelayState", p.RelayState)
	}
	return v
}

// SignIn signs the user in at the IdP, then follows an SP's redirect to
// it (its SSO URL with a SAMLRequest) and returns the response the IdP
// has the browser post to the SP. The user signs in first, as with a
// session at the IdP, because the IdP's login form posts the request back
// without the signature of the redirect binding.
func (idp *IdP) SignIn(t testing.TB, redirect string, u User) Posted {
	t.Helper()
	c := idp.session(t, u)
	resp, err := c.Get(redirect)
	if err != nil {
		t.Fatal(err)
	}
	return posted(t, read(t, resp))
}

// session is u's browser, signed in at the IdP: the same one each time,
// so that the IdP's session knows every SP it signed u in to.
func (idp *IdP) session(t testing.TB, u User) *http.Client {
	t.Helper()
	idp.mu.Lock()
	defer idp.mu.Unlock()
	if c, ok := idp.browsers[u.Name]; ok {
		return c
	}
	c := browser(t)
	idp.browsers[u.Name] = c
	resp, err := c.PostForm(idp.URL+"/login", url.Values{"user": {u.Name}, "password": {u.Password}})
	if err != nil {
		t.Fatal(err)
	}
	read(t, resp)
	return c
}

// Logout follows an SP's redirect to the IdP's single logout URL (a
// LogoutRequest) in u's browser and returns the LogoutResponse the IdP
// then posts to the SP.
func (idp *IdP) Logout(t testing.TB, redirect string, u User) Posted {
	t.Helper()
	resp, err := idp.session(t, u).Get(redirect)
	if err != nil {
		t.Fatal(err)
	}
	return posted(t, read(t, resp))
}

// IdPInitiated signs the user in at the IdP and starts IdP-initiated
// sign-in at the SP spEntityID with relayState, as a portal's link does.
func (idp *IdP) IdPInitiated(t testing.TB, spEntityID, relayState string, u User) Posted {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"service_provider": spEntityID, "relay_state": relayState})
	idp.put(t, "/shortcuts/app", "application/json", b)
	c := idp.session(t, u)
	resp, err := c.Get(idp.URL + "/login/app")
	if err != nil {
		t.Fatal(err)
	}
	return posted(t, read(t, resp))
}

// browser is an HTTP client with cookies that follows no redirects.
func browser(t testing.TB) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: time.Minute}
}

func read(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d\n%s", resp.Request.Method, resp.Request.URL, resp.StatusCode, b)
	}
	return string(b)
}

func posted(t testing.TB, page string) Posted {
	t.Helper()
	p := Posted{Action: formAction(page), SAMLResponse: hidden(page, "SAMLResponse"), RelayState: hidden(page, "RelayState")}
	if p.SAMLResponse == "" {
		t.Fatalf("the IdP posted no SAMLResponse:\n%s", page)
	}
	return p
}

var actionRE = regexp.MustCompile(`<form[^>]*action="([^"]*)"`)

func formAction(page string) string {
	m := actionRE.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// hidden is the value of the form's input named name.
func hidden(page, name string) string {
	re := regexp.MustCompile(`<input[^>]*name="` + regexp.QuoteMeta(name) + `"[^>]*>`)
	tag := re.FindString(page)
	m := regexp.MustCompile(`value="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(html.UnescapeString(m[1]))
}
