package oauth2

import (
	"context"
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

// compiledBranding is a style as the pages use it.
type compiledBranding struct {
	// version is the query of its URLs (brandingVersion).
	version string
	// cssURL is where its stylesheet, page.CSS, is served.
	cssURL string
	page   managedlogin.Page
	// assets are those that can be served, by managedlogin.AssetName.
	assets map[string]brandingAsset
	// size is what it holds in memory, roughly.
	size int64
}

type brandingAsset struct {
	contentType string
	body        []byte
}

// compileBranding reads a style as the pages show it.
func compileBranding(style *userpool.ManagedLoginStyle) *compiledBranding {
	v := brandingVersion(style)
	c := &compiledBranding{
		version: v,
		cssURL:  brandingPath(style.PoolID, style.ClientID, brandingCSS) + "?v=" + v,
		page: managedlogin.Compile(style.Settings, style.Assets, func(name string) string {
			return brandingPath(style.PoolID, style.ClientID, name) + "?v=" + v
		}),
		assets: map[string]brandingAsset{},
	}
	c.size = brandingEntryOverhead + int64(len(c.page.CSS))
	for i := range style.Assets {
		a := &style.Assets[i]
		name := managedlogin.AssetName(a.Category, a.ColorMode)
		// The first asset of a name is the one served (managedlogin.Find),
		// or none when it cannot be.
		if managedlogin.Find(style.Assets, name) != a {
			continue
		}
		if ct, ok := managedlogin.ContentType(a); ok {
			c.assets[name] = brandingAsset{contentType: ct, body: a.Bytes}
			c.size += int64(len(a.Bytes))
		}
	}
	return c
}

// branding returns the compiled style ref names: the one this node kept,
// when it was compiled from the same revision, or else the style read and
// compiled now.
func (h *Handler) branding(ctx context.Context, ref *userpool.ManagedLoginRef) (*compiledBranding, error) {
	// A style without a revision (last written before they were
	// recorded) cannot be told unchanged without reading it.
	cacheable := func(r userpool.ManagedLoginRef) bool { return r.ID == "" || r.Revision != "" }
	if cacheable(*ref) {
		if c, ok := h.styles.get(*ref); ok {
			return c, nil
		}
	}
	style, err := h.cfg.Users.ManagedLoginStyle(ctx, *ref)
	if err != nil {
		return nil, err
	}
	c := compileBranding(style)
	// Kept under what was read, which may be newer than ref.
	if cacheable(style.ManagedLoginRef) {
		h.styles.put(style.ManagedLoginRef, c)
	}
	return c, nil
}

// brand adds a client's managed login style to a page.
func brand(data *pageData, c *compiledBranding) {
	data.CustomCSS = c.cssURL
	data.ColorScheme = c.page.ColorScheme
	data.Logo, data.LogoDark = c.page.Logo, c.page.LogoDark
	data.Icons = c.page.Icons
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
	_, ref, err := h.cfg.Users.HostedStyle(r.Context(), poolID, clientID)
	if err != nil {
		h.fileError(w, r, "load managed login branding", err)
		return
	}
	if ref == nil {
		http.NotFound(w, r)
		return
	}
	style, err := h.branding(r.Context(), ref)
	if err != nil {
		h.fileError(w, r, "load managed login branding", err)
		return
	}
	var body []byte
	var contentType string
	if name := r.PathValue("asset"); name == brandingCSS {
		body, contentType = style.page.CSS, "text/css; charset=utf-8"
	} else if a, ok := style.assets[name]; ok {
		body, contentType = a.body, a.contentType
	}
	serveVersioned(w, r, style.version, contentType, body)
}
