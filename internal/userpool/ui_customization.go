package userpool

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// UI customization (SetUICustomization, GetUICustomization): the classic
// hosted UI's CSS and logo, for the whole pool (client "ALL") or for one
// app client, which then no longer falls back to the pool's.
//
// It is kept in the pool's domain record (domainSettings), because Cognito
// customizes only pools with a domain and keeps it apart from
// UpdateUserPool and UpdateUserPoolClient, which replace the pool's and
// the client's settings whole: there it survives both, with no change to
// the store. Deleting the domain deletes it.

// UIAllClients is the ClientId of the pool-wide customization.
const UIAllClients = "ALL"

// The answers of SetUICustomization's own checks; Cognito's wording of
// them is not known.
const (
	msgUINoDomain  = "There is no domain for the user pool %s: UI customization needs one (CreateUserPoolDomain)."
	msgUIImageType = "The image file must be a PNG or JPEG image."
	msgUICSS       = "The CSS is invalid: %s"
)

// uiCustomization is one customization as stored.
type uiCustomization struct {
	CSS string `json:",omitempty"`
	// Image is the logo; ImageType its type, "png" or "jpeg".
	Image     []byte `json:",omitempty"`
	ImageType string `json:",omitempty"`
	Created   time.Time
	Modified  time.Time
}

// UICustomization is the customization a hosted page of an app client
// applies: its own, or else the pool's.
type UICustomization struct {
	PoolID string
	// Key is the client ID it was set for, or UIAllClients.
	Key string
	CSS string
	// Image and ImageType are the logo and its type ("png", "jpeg").
	Image     []byte
	ImageType string
	// Version changes whenever the CSS or the logo does, so their URLs
	// can be cached for long.
	Version string
}

// HasCSS and HasLogo say what the customization sets.
func (c *UICustomization) HasCSS() bool  { return c != nil && c.CSS != "" }
func (c *UICustomization) HasLogo() bool { return c != nil && len(c.Image) > 0 }

func (u uiCustomization) public(poolID, key string) *UICustomization {
	h := sha256.New()
	h.Write([]byte(u.CSS))
	h.Write([]byte{0})
	h.Write(u.Image)
	return &UICustomization{
		PoolID: poolID, Key: key, CSS: u.CSS, Image: u.Image, ImageType: u.ImageType,
		Version: hex.EncodeToString(h.Sum(nil)[:6]),
	}
}

// UILogoPath and UICSSPath are where the hosted pages' server serves a
// customization's logo and CSS, relative to the public URL.
func UILogoPath(poolID, key string) string { return "/static/ui/" + poolID + "/" + key + "/logo" }
func UICSSPath(poolID, key string) string  { return "/static/ui/" + poolID + "/" + key + "/style.css" }

// SetUICustomization sets (or, with neither CSS nor an image, removes) the
// customization of an app client, or of the whole pool for ClientId ALL
// or none. The pool must have a domain. The CSS may only style Cognito's
// customizable classes; the image must be a PNG or a JPEG.
func (s *Service) SetUICustomization(ctx context.Context, in *cognito.SetUICustomizationInput) (*cognito.SetUICustomizationOutput, error) {
	key := in.ClientID
	if key == "" {
		key = UIAllClients
	}
	if err := checkUICSS(in.CSS); err != nil {
		return nil, err
	}
	imageType := ""
	if len(in.ImageFile) > 0 {
		if imageType = imageTypeOf(in.ImageFile); imageType == "" {
			return nil, cognito.InvalidParameter(msgUIImageType)
		}
	}
	var out uiCustomization
	err := s.cfg.Store.InTx(ctx, func(st store.Store) error {
		d, err := s.uiDomain(ctx, st, in.UserPoolID, key)
		if err != nil {
			return err
		}
		_, err = st.UpdateDomain(ctx, d.Domain, func(d *store.Domain) error {
			ds, err := decodeDomain(*d)
			if err != nil {
				return err
			}
			now := s.now()
			if in.CSS == "" && len(in.ImageFile) == 0 {
				delete(ds.UICustomizations, key)
			} else {
				out = uiCustomization{CSS: in.CSS, Image: in.ImageFile, ImageType: imageType, Created: now, Modified: now}
				if prev, ok := ds.UICustomizations[key]; ok {
					out.Created = prev.Created
				}
				if ds.UICustomizations == nil {
					ds.UICustomizations = map[string]uiCustomization{}
				}
				ds.UICustomizations[key] = out
			}
			b, err := json.Marshal(ds)
			if err != nil {
				return err
			}
			d.Settings = b
			return nil
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &cognito.SetUICustomizationOutput{UICustomization: s.uiOutput(in.UserPoolID, key, out)}, nil
}

// GetUICustomization returns the customization of an app client (its own,
// or else the pool's, with ClientId ALL), or of the pool.
func (s *Service) GetUICustomization(ctx context.Context, in *cognito.GetUICustomizationInput) (*cognito.GetUICustomizationOutput, error) {
	key := in.ClientID
	if key == "" {
		key = UIAllClients
	}
	d, err := s.uiDomain(ctx, s.cfg.Store, in.UserPoolID, key)
	if err != nil {
		return nil, err
	}
	ds, err := decodeDomain(d)
	if err != nil {
		return nil, err
	}
	u, ok := ds.UICustomizations[key]
	if !ok {
		if all, ok := ds.UICustomizations[UIAllClients]; ok {
			key, u = UIAllClients, all
		}
	}
	return &cognito.GetUICustomizationOutput{UICustomization: s.uiOutput(in.UserPoolID, key, u)}, nil
}

// uiDomain checks the pool, the client a key names (unless ALL), and
// returns the pool's domain record, which must exist.
func (s *Service) uiDomain(ctx context.Context, st store.Store, poolID, key string) (store.Domain, error) {
	if _, err := st.GetPool(ctx, poolID); err != nil {
		return store.Domain{}, poolError(poolID, err)
	}
	if key != UIAllClients {
		c, err := st.GetClient(ctx, key)
		if errors.Is(err, store.ErrNotFound) || err == nil && c.PoolID != poolID {
			return store.Domain{}, errClientNotFound(key)
		}
		if err != nil {
			return store.Domain{}, err
		}
	}
	d, err := st.GetPoolDomain(ctx, poolID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Domain{}, cognito.InvalidParameter(fmt.Sprintf(msgUINoDomain, poolID))
	}
	return d, err
}

// uiOutput is the model's UICustomizationType for a stored customization
// (the zero one when none is set).
func (s *Service) uiOutput(poolID, key string, u uiCustomization) *cognito.UICustomizationType {
	out := &cognito.UICustomizationType{UserPoolID: poolID, ClientID: key}
	if u.Modified.IsZero() {
		return out
	}
	out.CSS = u.CSS
	out.CreationDate = cognito.Epoch(u.Created)
	out.LastModifiedDate = cognito.Epoch(u.Modified)
	// Cognito's CSSVersion is a time stamp of the change.
	out.CSSVersion = u.Modified.UTC().Format("20060102150405")
	if len(u.Image) > 0 {
		p := u.public(poolID, key)
		out.ImageURL = strings.TrimSuffix(s.cfg.HostedURL, "/") + UILogoPath(poolID, key) + "?v=" + p.Version
	}
	return out
}

// UICustomizationByKey returns the customization stored under a key
// (client ID or ALL) of a pool, to serve its CSS and logo; nil when none.
func (s *Service) UICustomizationByKey(ctx context.Context, poolID, key string) (*UICustomization, error) {
	ds, err := s.poolDomainSettings(ctx, poolID)
	if err != nil || ds == nil {
		return nil, err
	}
	if u, ok := ds.UICustomizations[key]; ok {
		return u.public(poolID, key), nil
	}
	return nil, nil
}

// poolDomainSettings returns a pool's domain settings; nil when the pool
// has no domain.
func (s *Service) poolDomainSettings(ctx context.Context, poolID string) (*domainSettings, error) {
	d, err := s.cfg.Store.GetPoolDomain(ctx, poolID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ds, err := decodeDomain(d)
	return &ds, err
}

// imageTypeOf recognizes PNG and JPEG images by their signatures.
func imageTypeOf(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		return "jpeg"
	}
	return ""
}

// uiClasses are the classes of the classic hosted UI that a customization
// may style, with the pseudo-classes Cognito's CSS template uses.
var uiClasses = map[string][]string{
	"background-customizable":             nil,
	"banner-customizable":                 nil,
	"errorMessage-customizable":           nil,
	"idpButton-customizable":              {"hover"},
	"idpDescription-customizable":         nil,
	"inputField-customizable":             {"focus"},
	"label-customizable":                  nil,
	"legalText-customizable":              nil,
	"logo-customizable":                   nil,
	"passwordCheck-notValid-customizable": nil,
	"passwordCheck-valid-customizable":    nil,
	"redirect-customizable":               nil,
	"socialButton-customizable":           nil,
	"submitButton-customizable":           {"hover"},
	"textDescription-customizable":        nil,
}

var (
	cssCommentRE  = regexp.MustCompile(`(?s)/\*.*?\*/`)
	cssSelectorRE = regexp.MustCompile(`^\.([A-Za-z-]+)(?::([a-z-]+))?$`)
)

// checkUICSS accepts CSS made only of rules whose selectors are the
// customizable classes (as Cognito's hosted UI does), with plain
// declarations: no at-rules (@import would load another stylesheet), no
// nesting, nothing that could end the stylesheet.
func checkUICSS(css string) error {
	rest := cssCommentRE.ReplaceAllString(css, "")
	if strings.Contains(rest, "<") || strings.Contains(rest, "@") || strings.Contains(rest, `\`) {
		return cognito.InvalidParameter(fmt.Sprintf(msgUICSS, "it may contain only rules for the customizable classes"))
	}
	for strings.TrimSpace(rest) != "" {
		selectors, after, ok := strings.Cut(rest, "{")
		if !ok {
			return cognito.InvalidParameter(fmt.Sprintf(msgUICSS, "a rule has no declaration block"))
		}
		body, next, ok := strings.Cut(after, "}")
		if !ok || strings.Contains(body, "{") {
			return cognito.InvalidParameter(fmt.Sprintf(msgUICSS, "a declaration block is not closed"))
		}
		for _, sel := range strings.Split(selectors, ",") {
			sel = strings.TrimSpace(sel)
			if !customizable(sel) {
				return cognito.InvalidParameter(fmt.Sprintf(msgUICSS, fmt.Sprintf("%q is not one of the customizable classes", sel)))
			}
		}
		rest = next
	}
	return nil
}

// customizable reports whether a selector is one of the customizable
// classes, with one of the pseudo-classes it allows.
func customizable(sel string) bool {
	m := cssSelectorRE.FindStringSubmatch(sel)
	if m == nil {
		return false
	}
	pseudo, ok := uiClasses[m[1]]
	return ok && (m[2] == "" || slices.Contains(pseudo, m[2]))
}
