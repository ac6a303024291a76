package oauth2_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

// The UI customization applies to every hosted page of the client: its
// CSS and logo are linked from the page and served by the server, the
// client's own in place of the pool's.
func TestHostedPagesUICustomization(t *testing.T) {
	e := newHostedEnv(t)
	png := []byte("\x89PNG\r\n\x1a\nnot really the rest of a PNG")
	poolCSS, ownCSS := ".background-customizable { background-color: #eef; }", ".submitButton-customizable { color: #000; }"
	if _, err := e.Svc.SetUICustomization(t.Context(), &cognito.SetUICustomizationInput{UserPoolID: e.PoolID, ClientID: "ALL", CSS: poolCSS, ImageFile: png}); err != nil {
		t.Fatal(err)
	}
	q := e.authorizeQuery()
	for _, path := range []string{"/login", "/signup", "/confirmUser", "/forgotPassword", "/confirmForgotPassword"} {
		r := e.get(path, q)
		css := hostedAttr(t, r.Body, `<link rel="stylesheet" href="/static/ui/`)
		logo := hostedAttr(t, r.Body, `<img class="logo-customizable" src="/static/ui/`)
		if !strings.HasPrefix(css, e.PoolID+"/ALL/style.css?v=") || !strings.HasPrefix(logo, e.PoolID+"/ALL/logo?v=") {
			t.Errorf("%s links %q and %q", path, css, logo)
		}
	}
	page := e.get("/login", q)
	cssURL := "/static/ui/" + strings.ReplaceAll(hostedAttr(t, page.Body, `<link rel="stylesheet" href="/static/ui/`), "&amp;", "&")
	logoURL := "/static/ui/" + hostedAttr(t, page.Body, `<img class="logo-customizable" src="/static/ui/`)
	for url, want := range map[string][2]string{cssURL: {"text/css; charset=utf-8", poolCSS}, logoURL: {"image/png", string(png)}} {
		r := e.get(url, nil)
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != want[0] || r.Body != want[1] ||
			r.Header.Get("Cache-Control") != "public, max-age=86400" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: %d %v %q", url, r.Status, r.Header, r.Body)
		}
	}
	for _, missing := range []string{"/static/ui/" + e.PoolID + "/" + e.ClientID + "/style.css", "/static/ui/" + e.PoolID + "/ALL/other", "/static/ui/us-east-1_nope/ALL/logo"} {
		if r := e.get(missing, nil); r.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", missing, r.Status)
		}
	}

	// The client's own replaces the pool's, logo included.
	if _, err := e.Svc.SetUICustomization(t.Context(), &cognito.SetUICustomizationInput{UserPoolID: e.PoolID, ClientID: e.ClientID, CSS: ownCSS}); err != nil {
		t.Fatal(err)
	}
	page = e.get("/login", q)
	if css := hostedAttr(t, page.Body, `<link rel="stylesheet" href="/static/ui/`); !strings.HasPrefix(css, e.PoolID+"/"+e.ClientID+"/style.css?v=") {
		t.Errorf("the client's page links %q", css)
	}
	if strings.Contains(page.Body, "logo-customizable") {
		t.Error("the client's own customization has no logo, yet the page shows one")
	}
	r := e.get("/static/ui/"+e.PoolID+"/"+e.ClientID+"/style.css", url.Values{"v": {"old"}})
	if r.Body != ownCSS || r.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("an old version's URL: %q, Cache-Control %q", r.Body, r.Header.Get("Cache-Control"))
	}
}
