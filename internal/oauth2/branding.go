package oauth2

import (
	"net/http"
	"net/url"

	"github.com/userpool/userpool/internal/managedlogin"
	"github.com/userpool/userpool/internal/userpool"
)

// Managed login branding on the hosted pages: the style's stylesheet
// (made by package managedlogin from its settings) and its assets are
// served from this server, under the pool and the app client, so the
// Content-Security-Policy still allows nothing from elsewhere. Their URLs
// carry the style's version, so browsers may cache them for long.

// brandingCSS is the name the style's stylesheet is served under, beside
// its assets (managedlogin.AssetName).
const brandingCSS = "style.css"

// brandingPath is where a client's style serves name.
func brandingPath(poolID, clientID, name string) string {
	return "/static/branding/" + url.PathEscape(poolID) + "/" + url.PathEscape(clientID) + "/" + name
}

// brandingVersion is the version query of a style's URLs; the defaults'
// revision is in it, as the stylesheet is made with them.
func brandingVersion(style *userpool.ManagedLoginStyle) string {
	return style.Version + managedlogin.Revision
}

// compileBranding reads a style as the pages show it.
func compileBranding(style *userpool.ManagedLoginStyle) managedlogin.Page {
	v := brandingVersion(style)
	return managedlogin.Compile(style.Settings, style.Assets, func(name string) string {
		return brandingPath(style.PoolID, style.ClientID, name) + "?v=" + v
	})
}

// brand adds a client's managed login style to a page.
func brand(data *pageData, style *userpool.ManagedLoginStyle) {
	p := compileBranding(style)
	data.CustomCSS = brandingPath(style.PoolID, style.ClientID, brandingCSS) + "?v=" + brandingVersion(style)
	data.ColorScheme = p.ColorScheme
	data.Logo, data.LogoDark = p.Logo, p.LogoDark
	data.Icons = p.Icons
}

// BrandingAsset serves GET /static/branding/{userPoolId}/{clientId}/{asset}:
// style.css, or one of the style's assets by managedlogin.AssetName. Only
// a client whose pages wear managed login branding has them.
func (h *Handler) BrandingAsset(w http.ResponseWriter, r *http.Request) {
	poolID, clientID := r.PathValue("userPoolId"), r.PathValue("clientId")
	if c, err := h.cfg.Users.Client(r.Context(), clientID); err != nil || c.PoolID != poolID {
		http.NotFound(w, r)
		return
	}
	_, style, err := h.cfg.Users.HostedStyle(r.Context(), poolID, clientID)
	if err != nil {
		h.fileError(w, r, "load managed login branding", err)
		return
	}
	if style == nil {
		http.NotFound(w, r)
		return
	}
	var body []byte
	var contentType string
	if name := r.PathValue("asset"); name == brandingCSS {
		body, contentType = compileBranding(style).CSS, "text/css; charset=utf-8"
	} else if a := managedlogin.Find(style.Assets, name); a != nil {
		if ct, ok := managedlogin.ContentType(a); ok {
			body, contentType = a.Bytes, ct
		}
	}
	serveVersioned(w, r, brandingVersion(style), contentType, body)
}
