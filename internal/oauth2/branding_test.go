package oauth2_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

var (
	brandPNG = []byte("\x89PNG\r\n\x1a\nthe rest of a PNG")
	brandSVG = []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	brandICO = []byte{0, 0, 1, 0, 1, 0, 16, 16}
)

// useManagedLogin sets the pool's domain to ManagedLoginVersion v.
func useManagedLogin(t *testing.T, e *hostedEnv, v int64) {
	t.Helper()
	d, err := e.Store.GetPoolDomain(t.Context(), e.PoolID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Svc.UpdateUserPoolDomain(t.Context(), &cognito.UpdateUserPoolDomainInput{UserPoolID: e.PoolID, Domain: d.Domain, ManagedLoginVersion: &v}); err != nil {
		t.Fatal(err)
	}
}

// brandingCSS returns the style's stylesheet a page links, fetched.
func brandingCSS(t *testing.T, e *hostedEnv, page hostedResponse) (string, hostedResponse) {
	t.Helper()
	href := "/static/branding/" + strings.ReplaceAll(hostedAttr(t, page.Body, `<link rel="stylesheet" href="/static/branding/`), "&amp;", "&")
	return href, e.get(href, nil)
}

// A client's managed login branding styles every hosted page of a
// managed login domain: its stylesheet, logo (with its dark picture),
// page background and favicons are linked and served from this server
// with their content types.
func TestHostedPagesManagedLoginBranding(t *testing.T) {
	e := newHostedEnv(t)
	useManagedLogin(t, e, 2)
	settings := `{
		"categories": {"global": {"colorSchemeMode": "DYNAMIC"}},
		"components": {
			"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "aa0000ff"}}, "darkMode": {"defaults": {"backgroundColor": "00aa00ff"}}},
			"form": {"logo": {"enabled": true}}
		}
	}`
	assets := []cognito.AssetType{
		{Category: cognito.AssetCategoryFormLogo, ColorMode: "LIGHT", Extension: "PNG", Bytes: brandPNG},
		{Category: cognito.AssetCategoryFormLogo, ColorMode: "DARK", Extension: "SVG", Bytes: brandSVG},
		{Category: cognito.AssetCategoryPageBackground, ColorMode: "DYNAMIC", Extension: "PNG", Bytes: brandPNG},
		{Category: cognito.AssetCategoryFaviconIco, ColorMode: "LIGHT", Extension: "ICO", Bytes: brandICO},
	}
	if _, err := e.Svc.CreateManagedLoginBranding(t.Context(), &cognito.CreateManagedLoginBrandingInput{
		UserPoolID: e.PoolID, ClientID: e.ClientID, Settings: json.RawMessage(settings), Assets: assets,
	}); err != nil {
		t.Fatal(err)
	}
	base := "/static/branding/" + e.PoolID + "/" + e.ClientID + "/"
	q := e.authorizeQuery()
	pages := map[string]url.Values{"/login": q, "/signup": q, "/confirmUser": q, "/forgotPassword": q, "/confirmForgotPassword": q,
		// The error page of a request whose client is known.
		"/oauth2/authorize": e.authorizeQuery("redirect_uri", "https://evil.example.com/callback")}
	for path, query := range pages {
		r := e.get(path, query)
		for _, want := range []string{
			`<meta name="color-scheme" content="light dark">`,
			`<link rel="stylesheet" href="` + base + `style.css?v=`,
			`<link rel="icon" href="` + base + `favicon_ico-light?v=`,
			`<source srcset="` + base + `form_logo-dark?v=`,
			`<img class="logo-customizable" src="` + base + `form_logo-light?v=`,
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("%s (%d) lacks %s", path, r.Status, want)
			}
		}
	}

	page := e.get("/login", q)
	href, css := brandingCSS(t, e, page)
	if css.Status != http.StatusOK || css.Header.Get("Content-Type") != "text/css; charset=utf-8" || css.Header.Get("Cache-Control") != "public, max-age=86400" {
		t.Fatalf("GET %s: %d %v", href, css.Status, css.Header)
	}
	light, dark, ok := strings.Cut(css.Body, "@media (prefers-color-scheme: dark)")
	if !ok || !strings.Contains(light, "--accent: #aa0000ff;") || !strings.Contains(dark, "--accent: #00aa00ff;") ||
		!strings.Contains(css.Body, `--ml-page-image: url("`+base+`page_background-dynamic?v=`) {
		t.Errorf("stylesheet:\n%s", css.Body)
	}
	for name, ct := range map[string]string{"form_logo-light": "image/png", "form_logo-dark": "image/svg+xml", "page_background-dynamic": "image/png", "favicon_ico-light": "image/x-icon"} {
		r := e.get(base+name, nil)
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != ct || r.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(r.Header.Get("Content-Security-Policy"), "sandbox") || r.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("GET %s: %d %v", name, r.Status, r.Header)
		}
	}
	other := e.createClient(nil)
	for _, missing := range []string{base + "favicon_svg-light", base + "nope", "/static/branding/" + e.PoolID + "/nope/style.css",
		"/static/branding/us-east-1_other/" + e.ClientID + "/style.css"} {
		if r := e.get(missing, nil); r.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", missing, r.Status)
		}
	}

	// A client without a style wears Cognito's: its defaults, light, no
	// logo.
	r := e.get("/login", e.authorizeQuery("client_id", other))
	_, css = brandingCSS(t, e, r)
	if !strings.Contains(r.Body, `content="light"`) || strings.Contains(r.Body, "logo-customizable") ||
		!strings.Contains(css.Body, "--accent: #0972d3ff;") || strings.Contains(css.Body, "prefers-color-scheme") {
		t.Errorf("a client without a style: page\n%s\nstylesheet\n%s", r.Body, css.Body)
	}
}

// UseCognitoProvidedValues is Cognito's style; an update changes the
// version in the URLs, so a cached stylesheet is not shown again.
func TestHostedPagesManagedLoginCognitoValues(t *testing.T) {
	e := newHostedEnv(t)
	useManagedLogin(t, e, 2)
	b, err := e.Svc.CreateManagedLoginBranding(t.Context(), &cognito.CreateManagedLoginBrandingInput{
		UserPoolID: e.PoolID, ClientID: e.ClientID,
		Settings: json.RawMessage(`{"components": {"pageBackground": {"lightMode": {"color": "123456ff"}}, "form": {"logo": {"enabled": true}}}}`),
		Assets:   []cognito.AssetType{{Category: cognito.AssetCategoryFormLogo, ColorMode: "LIGHT", Extension: "PNG", Bytes: brandPNG}},
	})
	if err != nil {
		t.Fatal(err)
	}
	q := e.authorizeQuery()
	before, css := brandingCSS(t, e, e.get("/login", q))
	if !strings.Contains(css.Body, "--bg: #123456ff;") {
		t.Fatalf("stylesheet:\n%s", css.Body)
	}
	yes := true
	if _, err := e.Svc.UpdateManagedLoginBranding(t.Context(), &cognito.UpdateManagedLoginBrandingInput{
		UserPoolID: e.PoolID, ManagedLoginBrandingID: b.ManagedLoginBrandingID, UseCognitoProvidedValues: &yes,
	}); err != nil {
		t.Fatal(err)
	}
	page := e.get("/login", q)
	after, css := brandingCSS(t, e, page)
	if after == before || strings.Contains(page.Body, "logo-customizable") || !strings.Contains(css.Body, "--bg: #ffffffff;") {
		t.Errorf("after UseCognitoProvidedValues: %s (was %s)\n%s", after, before, css.Body)
	}
	// The old version's URL is not cached for long.
	if r := e.get(strings.SplitN(before, "?", 2)[0], url.Values{"v": {"old"}}); r.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("an old version's URL: Cache-Control %q", r.Header.Get("Cache-Control"))
	}
}

// The domain's branding version decides, as on Cognito: a classic domain
// shows the UI customization and not the managed login style, a managed
// login domain the reverse.
func TestHostedPagesBrandingVersion(t *testing.T) {
	e := newHostedEnv(t)
	if _, err := e.Svc.SetUICustomization(t.Context(), &cognito.SetUICustomizationInput{UserPoolID: e.PoolID, ClientID: "ALL", CSS: ".label-customizable { color: #333; }", ImageFile: brandPNG}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Svc.CreateManagedLoginBranding(t.Context(), &cognito.CreateManagedLoginBrandingInput{
		UserPoolID: e.PoolID, ClientID: e.ClientID, Settings: json.RawMessage(`{"components": {"form": {"logo": {"enabled": true}}}}`),
		Assets: []cognito.AssetType{{Category: cognito.AssetCategoryFormLogo, ColorMode: "LIGHT", Extension: "PNG", Bytes: brandPNG}},
	}); err != nil {
		t.Fatal(err)
	}
	q := e.authorizeQuery()
	classic := e.get("/login", q)
	if !strings.Contains(classic.Body, `href="/static/ui/`+e.PoolID+`/ALL/style.css`) || strings.Contains(classic.Body, "/static/branding/") {
		t.Errorf("classic domain's page:\n%s", classic.Body)
	}
	if r := e.get("/static/branding/"+e.PoolID+"/"+e.ClientID+"/style.css", nil); r.Status != http.StatusNotFound {
		t.Errorf("a classic domain serves the managed login stylesheet: %d", r.Status)
	}
	useManagedLogin(t, e, 2)
	managed := e.get("/login", q)
	if strings.Contains(managed.Body, "/static/ui/") || !strings.Contains(managed.Body, `src="/static/branding/`+e.PoolID+"/"+e.ClientID+"/form_logo-light") {
		t.Errorf("managed login domain's page:\n%s", managed.Body)
	}
	useManagedLogin(t, e, 1)
	if again := e.get("/login", q); !strings.Contains(again.Body, "/static/ui/") || strings.Contains(again.Body, "/static/branding/") {
		t.Errorf("back on the classic domain:\n%s", again.Body)
	}
}
