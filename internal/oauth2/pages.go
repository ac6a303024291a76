package oauth2

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"net/http"

	"github.com/userpool/userpool/internal/managedlogin"
)

// The hosted pages are rendered from templates embedded in the binary, and
// their one stylesheet is served from it too: no page loads anything from
// another origin, which the Content-Security-Policy enforces.

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/hosted.css
var hostedCSS []byte

// cssPath is where the stylesheet is served; the version query changes
// with its content, so browsers may cache it for long.
const cssPath = "/static/hosted.css"

var cssVersion = func() string {
	sum := sha256.Sum256(hostedCSS)
	return hex.EncodeToString(sum[:6])
}()

// pages holds one template set per page, each with the shared layout.
var pages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range []string{"login.html", "new_password.html", "mfa.html", "error.html", "signup.html", "confirm.html", "forgot.html", "reset.html"} {
		out[name] = template.Must(template.ParseFS(templateFS, "templates/layout.html", "templates/fields.html", "templates/"+name))
	}
	return out
}()

// pageHeaders are the security headers of every hosted page: nothing but
// this server's own resources and no inline script (default-src 'self'),
// no framing (clickjacking), no MIME sniffing, no Referer leaking the
// query (it carries state, nonce and PKCE values) and no caching of pages
// that carry a CSRF token or an error about a user.
func pageHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
}

// pageData is what every template sees; the page's own data is in Page.
// CustomCSS and Logo are the URLs of the app client's UI customization
// or managed login style, when it has one.
type pageData struct {
	Title     string
	CSS       string
	CustomCSS string
	Logo      string
	// LogoDark, ColorScheme and Icons come from a managed login style:
	// the logo's dark-mode picture, the page's color-scheme ("light",
	// "dark", "light dark"; empty for both) and its favicons.
	LogoDark    string
	ColorScheme string
	Icons       []managedlogin.Icon
	Page        any
}

// render writes a page. It renders into a buffer first, so a template
// failure becomes a plain 500 instead of half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, title string, page any) {
	data := pageData{Title: title, CSS: cssPath + "?v=" + cssVersion, Page: page}
	h.customize(r, &data)
	var buf bytes.Buffer
	err := pages[name].ExecuteTemplate(&buf, "layout.html", data)
	pageHeaders(w.Header())
	if err != nil {
		h.cfg.Logger.ErrorContext(r.Context(), "render hosted page", "page", name, "err", err)
		http.Error(w, "Internal server error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// PasswordInvalid and PasswordAutofocus place the new-password fields'
// error and focus (templates/fields.html): on the form of a temporary
// password the error is the new password's, and the focus is its field
// unless attributes to fill in come first.
func (p newPasswordPageData) PasswordInvalid() bool   { return p.Error != "" }
func (p newPasswordPageData) PasswordAutofocus() bool { return len(p.Attributes) == 0 }

// errorPageData is the error page's content.
type errorPageData struct {
	Code    string
	Message string
}

// errorPage answers a request that must not be redirected: the client or
// the redirect URI cannot be trusted, so the error stays on this server.
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	h.render(w, r, status, "error.html", "Error", errorPageData{Code: code, Message: message})
}

// HostedCSS serves GET /static/hosted.css, the hosted pages' stylesheet.
func (h *Handler) HostedCSS(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Type", "text/css; charset=utf-8")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "public, max-age=86400")
	hd.Set("ETag", `"`+cssVersion+`"`)
	if r.Header.Get("If-None-Match") == `"`+cssVersion+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(hostedCSS)
}
