package oauth2

import (
	"net/http"

	"github.com/userpool/userpool/internal/userpool"
)

// The UI customization of SetUICustomization: the CSS and the logo of the
// page's app client (or of its pool) are served from this server, as the
// hosted pages' own stylesheet is, so the Content-Security-Policy still
// allows nothing from elsewhere. Their URLs carry the customization's
// version, so browsers may cache them for long.

// customize adds to a page the style of the app client its request names:
// the UI customization on a classic domain, the managed login branding on
// a managed login one (userpool.Service.HostedStyle). A page without a
// known client (an error page about the client) is shown as it is:
// nothing to customize.
func (h *Handler) customize(r *http.Request, data *pageData) {
	clientID := r.URL.Query().Get("client_id")
	if clientID == "" {
		return
	}
	client, err := h.cfg.Users.Client(r.Context(), clientID)
	if err != nil {
		return
	}
	c, ref, err := h.cfg.Users.HostedStyle(r.Context(), client.PoolID, clientID)
	if err != nil {
		// The page still works unstyled; the failure is the store's.
		h.cfg.Logger.ErrorContext(r.Context(), "load hosted page style", "client_id", clientID, "err", err)
		return
	}
	if ref != nil {
		style, err := h.branding(r.Context(), ref)
		if err != nil {
			h.cfg.Logger.ErrorContext(r.Context(), "load hosted page style", "client_id", clientID, "err", err)
			return
		}
		brand(data, style)
		return
	}
	if c.HasCSS() {
		data.CustomCSS = userpool.UICSSPath(c.PoolID, c.Key) + "?v=" + c.Version
	}
	if c.HasLogo() {
		data.Logo = userpool.UILogoPath(c.PoolID, c.Key) + "?v=" + c.Version
	}
}

// UIAsset serves GET /static/ui/{userPoolId}/{key}/{asset}: style.css or
// logo of the customization stored under key (an app client's ID, or ALL).
func (h *Handler) UIAsset(w http.ResponseWriter, r *http.Request) {
	c, err := h.cfg.Users.UICustomizationByKey(r.Context(), r.PathValue("userPoolId"), r.PathValue("key"))
	if err != nil {
		h.fileError(w, r, "load UI customization", err)
		return
	}
	if c == nil {
		http.NotFound(w, r)
		return
	}
	var body []byte
	var contentType string
	switch r.PathValue("asset") {
	case "style.css":
		if c.HasCSS() {
			body, contentType = []byte(c.CSS), "text/css; charset=utf-8"
		}
	case "logo":
		if c.HasLogo() {
			body, contentType = c.Image, "image/"+c.ImageType
		}
	}
	serveVersioned(w, r, c.Version, contentType, body)
}

// fileError answers a customization file's request the store failed.
func (h *Handler) fileError(w http.ResponseWriter, r *http.Request, what string, err error) {
	h.cfg.Logger.ErrorContext(r.Context(), what, "err", err)
	http.Error(w, "Internal server error.", http.StatusInternalServerError)
}

// serveVersioned writes a customization's file of the given version, or
// 404 when there is none (nil body), with its validator and caching.
func serveVersioned(w http.ResponseWriter, r *http.Request, version, contentType string, body []byte) {
	if body == nil {
		http.NotFound(w, r)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("X-Content-Type-Options", "nosniff")
	// An SVG opened on its own is a document of this origin: it may run
	// nothing and load nothing.
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	hd.Set("ETag", `"`+version+`"`)
	// Only the current version's URL may be cached for long: an old URL
	// must not keep showing what was replaced.
	if r.URL.Query().Get("v") == version {
		hd.Set("Cache-Control", "public, max-age=86400")
	} else {
		hd.Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == `"`+version+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(body)
}
