package managedlogin

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
)

// defaultsJSON holds the values of Cognito's default style for every key
// this package reads, as the API reference's example of
// CreateManagedLoginBranding gives them. A style's settings are read over
// them, so a key a style leaves out (or one with UseCognitoProvidedValues)
// looks as it does on Cognito.
//
//go:embed defaults.json
var defaultsJSON []byte

var defaults = func() map[string]any {
	var m map[string]any
	if err := json.Unmarshal(defaultsJSON, &m); err != nil {
		panic("managedlogin: defaults.json: " + err.Error())
	}
	return m
}()

// Revision changes with the defaults, so that URLs versioned with it are
// not served from caches filled by another release's defaults.
var Revision = func() string {
	sum := sha256.Sum256(defaultsJSON)
	return hex.EncodeToString(sum[:4])
}()

// Colour schemes of categories.global.colorSchemeMode.
const (
	schemeLight   = cognito.ColorSchemeModeLight
	schemeDark    = cognito.ColorSchemeModeDark
	schemeDynamic = cognito.ColorSchemeModeDynamic
)

// Page is what a hosted page shows of a style.
type Page struct {
	// ColorScheme is the page's color-scheme: "light", "dark" or
	// "light dark".
	ColorScheme string
	// CSS is the style's stylesheet, loaded after the pages' own.
	CSS []byte
	// Logo is the form's logo (FORM_LOGO) when the style enables it, and
	// LogoDark its dark-mode picture when the scheme follows the browser
	// and the style has one of its own; both are asset URLs.
	Logo, LogoDark string
	// Icons are the favicons the style enables and has.
	Icons []Icon
}

// Icon is one favicon link.
type Icon struct {
	Href string
	Type string
}

// Compile reads a style's settings (nil for Cognito's own values) and
// assets. assetURL gives the URL an asset is served at, by AssetName.
func Compile(settings json.RawMessage, assets []cognito.AssetType, assetURL func(name string) string) Page {
	s := newReader(settings)
	scheme := s.enum([]string{schemeLight, schemeDark, schemeDynamic}, "categories", "global", "colorSchemeMode")
	// The modes whose colours the page uses: the first always, the
	// second when the browser's preference is asked.
	modes := map[string][]string{schemeLight: {"LIGHT"}, schemeDark: {"DARK"}, schemeDynamic: {"LIGHT", "DARK"}}[scheme]
	p := Page{ColorScheme: map[string]string{schemeLight: "light", schemeDark: "dark", schemeDynamic: "light dark"}[scheme]}

	url := func(category, mode string) string {
		if a := pick(assets, category, mode); a != nil {
			return assetURL(AssetName(a.Category, a.ColorMode))
		}
		return ""
	}
	if s.bool("components", "form", "logo", "enabled") {
		p.Logo = url(cognito.AssetCategoryFormLogo, modes[0])
		if len(modes) > 1 {
			if dark := url(cognito.AssetCategoryFormLogo, modes[1]); dark != p.Logo {
				p.LogoDark = dark
			}
		}
	}
	for _, t := range s.strings("components", "favicon", "enabledTypes") {
		f, ok := favicons[t]
		if !ok {
			continue
		}
		if href := url(f.category, modes[0]); href != "" {
			p.Icons = append(p.Icons, Icon{Href: href, Type: f.typ})
		}
	}

	var css bytes.Buffer
	css.WriteString("/* Managed login branding, applied over the hosted pages' stylesheet. */\n")
	images := map[string]bool{}
	for i, mode := range modes {
		vars := s.colours(mode)
		for _, img := range []struct {
			name, category string
			on             bool
		}{
			{"--ml-page-image", cognito.AssetCategoryPageBackground, s.bool("components", "pageBackground", "image", "enabled")},
			{"--ml-form-image", cognito.AssetCategoryFormBackground, s.bool("components", "form", "backgroundImage", "enabled")},
		} {
			value := "none"
			if u := url(img.category, mode); img.on && u != "" {
				value, images[img.name] = `url("`+u+`")`, true
			}
			vars = append(vars, [2]string{img.name, value})
		}
		if i == 0 {
			fmt.Fprintf(&css, ":root {\n\tcolor-scheme: %s;\n", p.ColorScheme)
		} else {
			css.WriteString("@media (prefers-color-scheme: dark) {\n:root {\n")
		}
		for _, v := range vars {
			fmt.Fprintf(&css, "\t%s: %s;\n", v[0], v[1])
		}
		css.WriteString("}\n")
		if i > 0 {
			css.WriteString("}\n")
		}
	}
	fmt.Fprintf(&css, `.card { border: 1px solid var(--ml-card-border); border-radius: %s; }
h1 { color: var(--ml-heading); }
label { color: var(--ml-label); }
.card :is(input[type="text"], input[type="email"], input[type="tel"], input[type="password"]) { background: var(--ml-input-bg); border-color: var(--border); border-radius: %s; }
.card input::placeholder { color: var(--ml-placeholder); }
.card a { color: var(--ml-link); }
.card a:hover { color: var(--ml-link-hover); }
button { border-radius: %s; }
button:hover { color: var(--ml-button-hover-text); }
button:active { background: var(--ml-button-active); color: var(--ml-button-active-text); }
button.secondary { background: var(--ml-secondary); color: var(--ml-secondary-text); border-color: var(--ml-secondary-border); }
button.secondary:hover { background: var(--ml-secondary-hover); color: var(--ml-secondary-hover-text); border-color: var(--ml-secondary-hover-border); }
button.secondary:active { background: var(--ml-secondary-active); color: var(--ml-secondary-active-text); border-color: var(--ml-secondary-active-border); }
.alert { border-radius: %s; }
@media (max-width: 30rem) { .card { border: 0; border-radius: 0; } }
`, s.radius("components", "form", "borderRadius"), s.radius("componentClasses", "input", "borderRadius"),
		s.radius("componentClasses", "buttons", "borderRadius"), s.radius("components", "alert", "borderRadius"))
	if images["--ml-page-image"] {
		css.WriteString("body { background-image: var(--ml-page-image); background-size: cover; background-position: center; background-attachment: fixed; }\n")
	}
	if images["--ml-form-image"] {
		css.WriteString(".card { background-image: var(--ml-form-image); background-size: cover; background-position: center; }\n")
	}
	p.CSS = css.Bytes()
	return p
}

// favicons are the favicon types components.favicon.enabledTypes names.
var favicons = map[string]struct{ category, typ string }{
	"ICO": {cognito.AssetCategoryFaviconIco, "image/x-icon"},
	"SVG": {cognito.AssetCategoryFaviconSvg, "image/svg+xml"},
}

// colourVars are the custom properties a mode sets, by the settings path
// under its mode key ("lightMode", "darkMode") that gives each. The names
// without the ml- prefix are those of the pages' own stylesheet, so that
// everything it colours with them follows the style.
var colourVars = []struct {
	name     string
	top, key string
	path     []string
}{
	{"--bg", "components", "pageBackground", []string{"color"}},
	{"--card", "components", "form", []string{"backgroundColor"}},
	{"--ml-card-border", "components", "form", []string{"borderColor"}},
	{"--ml-heading", "components", "pageText", []string{"headingColor"}},
	{"--text", "components", "pageText", []string{"bodyColor"}},
	{"--error-text", "components", "pageText", []string{"bodyColor"}},
	{"--muted", "components", "pageText", []string{"descriptionColor"}},
	{"--accent", "components", "primaryButton", []string{"defaults", "backgroundColor"}},
	{"--accent-text", "components", "primaryButton", []string{"defaults", "textColor"}},
	{"--accent-hover", "components", "primaryButton", []string{"hover", "backgroundColor"}},
	{"--ml-button-hover-text", "components", "primaryButton", []string{"hover", "textColor"}},
	{"--ml-button-active", "components", "primaryButton", []string{"active", "backgroundColor"}},
	{"--ml-button-active-text", "components", "primaryButton", []string{"active", "textColor"}},
	{"--ml-secondary", "components", "secondaryButton", []string{"defaults", "backgroundColor"}},
	{"--ml-secondary-text", "components", "secondaryButton", []string{"defaults", "textColor"}},
	{"--ml-secondary-border", "components", "secondaryButton", []string{"defaults", "borderColor"}},
	{"--ml-secondary-hover", "components", "secondaryButton", []string{"hover", "backgroundColor"}},
	{"--ml-secondary-hover-text", "components", "secondaryButton", []string{"hover", "textColor"}},
	{"--ml-secondary-hover-border", "components", "secondaryButton", []string{"hover", "borderColor"}},
	{"--ml-secondary-active", "components", "secondaryButton", []string{"active", "backgroundColor"}},
	{"--ml-secondary-active-text", "components", "secondaryButton", []string{"active", "textColor"}},
	{"--ml-secondary-active-border", "components", "secondaryButton", []string{"active", "borderColor"}},
	{"--ml-input-bg", "componentClasses", "input", []string{"defaults", "backgroundColor"}},
	{"--border", "componentClasses", "input", []string{"defaults", "borderColor"}},
	{"--ml-placeholder", "componentClasses", "input", []string{"placeholderColor"}},
	{"--ml-label", "componentClasses", "inputLabel", []string{"textColor"}},
	{"--ml-link", "componentClasses", "link", []string{"defaults", "textColor"}},
	{"--ml-link-hover", "componentClasses", "link", []string{"hover", "textColor"}},
	{"--focus", "componentClasses", "focusState", []string{"borderColor"}},
	{"--error-bg", "components", "alert", []string{"error", "backgroundColor"}},
	{"--error-border", "components", "alert", []string{"error", "borderColor"}},
}

// colours are a mode's ("LIGHT" or "DARK") custom properties.
func (s reader) colours(mode string) [][2]string {
	modeKey := map[string]string{"LIGHT": "lightMode", "DARK": "darkMode"}[mode]
	out := make([][2]string, 0, len(colourVars)+2)
	for _, v := range colourVars {
		path := append([]string{v.top, v.key, modeKey}, v.path...)
		out = append(out, [2]string{v.name, s.colour(path...)})
	}
	return out
}

// reader reads a style's settings over Cognito's defaults: a value that is
// missing or not of the form Cognito's editor writes is the default's, so
// nothing of a settings document reaches the stylesheet unchecked.
type reader struct{ settings map[string]any }

func newReader(settings json.RawMessage) reader {
	var m map[string]any
	if len(settings) > 0 && json.Unmarshal(settings, &m) != nil {
		m = nil
	}
	return reader{settings: m}
}

func lookup(doc map[string]any, path []string) (any, bool) {
	var cur any = doc
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// value is the setting at path if valid accepts it, else the default.
func (s reader) value(valid func(any) bool, path ...string) any {
	if v, ok := lookup(s.settings, path); ok && valid(v) {
		return v
	}
	v, _ := lookup(defaults, path)
	return v
}

// colourRE is the editor's colour: RRGGBBAA in hexadecimal.
var colourRE = regexp.MustCompile(`^[0-9a-fA-F]{8}$`)

func (s reader) colour(path ...string) string {
	v := s.value(func(v any) bool { c, ok := v.(string); return ok && colourRE.MatchString(c) }, path...)
	return "#" + strings.ToLower(v.(string))
}

// maxRadius bounds a border radius, in pixels.
const maxRadius = 64

func (s reader) radius(path ...string) string {
	v := s.value(func(v any) bool { f, ok := v.(float64); return ok && f >= 0 && f <= maxRadius }, path...)
	return strconv.FormatFloat(v.(float64), 'f', -1, 64) + "px"
}

func (s reader) bool(path ...string) bool {
	v := s.value(func(v any) bool { _, ok := v.(bool); return ok }, path...)
	b, _ := v.(bool)
	return b
}

func (s reader) enum(values []string, path ...string) string {
	v := s.value(func(v any) bool {
		e, ok := v.(string)
		for _, want := range values {
			if ok && e == want {
				return true
			}
		}
		return false
	}, path...)
	return v.(string)
}

func (s reader) strings(path ...string) []string {
	v := s.value(func(v any) bool {
		list, ok := v.([]any)
		for _, e := range list {
			if _, isString := e.(string); !isString {
				return false
			}
		}
		return ok
	}, path...)
	var out []string
	for _, e := range v.([]any) {
		out = append(out, e.(string))
	}
	return out
}
