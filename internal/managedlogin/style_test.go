package managedlogin_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/managedlogin"
)

var (
	png = []byte("\x89PNG\r\n\x1a\n-rest-of-a-png")
	svg = []byte(`<?xml version="1.0"?><!-- logo --><svg xmlns="http://www.w3.org/2000/svg"/>`)
	ico = []byte{0, 0, 1, 0, 1, 0}
)

func compile(t *testing.T, settings string, assets ...cognito.AssetType) managedlogin.Page {
	t.Helper()
	var raw json.RawMessage
	if settings != "" {
		raw = json.RawMessage(settings)
	}
	return managedlogin.Compile(raw, assets, func(name string) string { return "/a/" + name })
}

// rootVars returns the custom properties of the stylesheet's first :root
// block and of the dark-mode block (nil when there is none).
func rootVars(t *testing.T, css string) (light, dark map[string]string) {
	t.Helper()
	parse := func(block string) map[string]string {
		block = block[strings.Index(block, ":root {")+len(":root {"):]
		block = block[:strings.Index(block, "}")]
		out := map[string]string{}
		for _, decl := range strings.Split(block, ";") {
			if k, v, ok := strings.Cut(decl, ":"); ok {
				out[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
		return out
	}
	light = parse(css)
	if i := strings.Index(css, "@media (prefers-color-scheme: dark)"); i >= 0 {
		dark = parse(css[i:])
	}
	return light, dark
}

// Without settings a page looks as Cognito's default style: light, the
// default palette, no logo.
func TestCompileDefaults(t *testing.T) {
	for _, settings := range []string{"", `{}`, `"not an object"`, `{"components": 7}`} {
		p := compile(t, settings)
		light, dark := rootVars(t, string(p.CSS))
		if p.ColorScheme != "light" || dark != nil || light["color-scheme"] != "light" {
			t.Errorf("%s: scheme %q, dark block %v", settings, p.ColorScheme, dark)
		}
		for k, want := range map[string]string{"--accent": "#0972d3ff", "--bg": "#ffffffff", "--ml-link": "#0972d3ff", "--border": "#7d8998ff", "--ml-page-image": "none"} {
			if light[k] != want {
				t.Errorf("%s: %s = %q, want %q", settings, k, light[k], want)
			}
		}
		if p.Logo != "" || p.Icons != nil || !strings.Contains(string(p.CSS), "button { border-radius: 8px; }") {
			t.Errorf("%s: %+v", settings, p)
		}
	}
}

// The editor's keys set the colours of their mode; DYNAMIC asks the
// browser, DARK uses the dark ones only.
func TestCompileColoursAndSchemes(t *testing.T) {
	settings := `{
		"categories": {"global": {"colorSchemeMode": "%s"}},
		"components": {
			"pageBackground": {"lightMode": {"color": "f0f0f0ff"}, "darkMode": {"color": "101010ff"}},
			"form": {"lightMode": {"backgroundColor": "fafafaff", "borderColor": "ccccccff"}, "borderRadius": 16},
			"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "AA0000FF", "textColor": "ffffffff"}}, "darkMode": {"defaults": {"backgroundColor": "00aa00ff"}}},
			"pageText": {"lightMode": {"bodyColor": "111111ff", "headingColor": "222222ff"}}
		},
		"componentClasses": {
			"input": {"lightMode": {"defaults": {"borderColor": "333333ff"}}},
			"link": {"lightMode": {"defaults": {"textColor": "444444ff"}}}
		}
	}`
	p := compile(t, strings.Replace(settings, "%s", "DYNAMIC", 1))
	light, dark := rootVars(t, string(p.CSS))
	if p.ColorScheme != "light dark" || dark == nil {
		t.Fatalf("DYNAMIC: scheme %q, dark block %v", p.ColorScheme, dark)
	}
	for k, want := range map[string]string{
		"--bg": "#f0f0f0ff", "--card": "#fafafaff", "--ml-card-border": "#ccccccff", "--accent": "#aa0000ff",
		"--text": "#111111ff", "--ml-heading": "#222222ff", "--border": "#333333ff", "--ml-link": "#444444ff",
	} {
		if light[k] != want {
			t.Errorf("light %s = %q, want %q", k, light[k], want)
		}
	}
	if dark["--bg"] != "#101010ff" || dark["--accent"] != "#00aa00ff" || dark["--ml-link"] != "#539fe5ff" {
		t.Errorf("dark block: %v", dark)
	}
	if !strings.Contains(string(p.CSS), ".card { border: 1px solid var(--ml-card-border); border-radius: 16px; }") {
		t.Errorf("form radius not applied:\n%s", p.CSS)
	}

	p = compile(t, strings.Replace(settings, "%s", "DARK", 1))
	light, dark = rootVars(t, string(p.CSS))
	if p.ColorScheme != "dark" || dark != nil || light["--bg"] != "#101010ff" || light["--accent"] != "#00aa00ff" || light["color-scheme"] != "dark" {
		t.Errorf("DARK: scheme %q, root %v, dark block %v", p.ColorScheme, light, dark)
	}
}

// A value that is not of the editor's form is Cognito's default: nothing
// of the document reaches the stylesheet unchecked.
func TestCompileRefusesOtherValues(t *testing.T) {
	p := compile(t, `{
		"categories": {"global": {"colorSchemeMode": "SEPIA"}},
		"components": {
			"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "red;} body { background: url(//evil) "}}},
			"pageBackground": {"lightMode": {"color": 12}},
			"form": {"borderRadius": 1e9},
			"favicon": {"enabledTypes": "ICO"}
		},
		"componentClasses": {"buttons": {"borderRadius": -3}}
	}`)
	css := string(p.CSS)
	light, _ := rootVars(t, css)
	if p.ColorScheme != "light" || light["--accent"] != "#0972d3ff" || light["--bg"] != "#ffffffff" ||
		strings.Contains(css, "evil") || strings.Contains(css, "1e+09") || strings.Contains(css, "-3px") {
		t.Errorf("unchecked values reached the stylesheet:\n%s", css)
	}
}

// Assets: the form logo when the style enables it (a dark picture of its
// own in DYNAMIC), background images, favicons of the enabled types; an
// asset whose bytes are not of its extension is not shown.
func TestCompileAssets(t *testing.T) {
	assets := []cognito.AssetType{
		{Category: cognito.AssetCategoryFormLogo, ColorMode: "LIGHT", Extension: "PNG", Bytes: png},
		{Category: cognito.AssetCategoryFormLogo, ColorMode: "DARK", Extension: "SVG", Bytes: svg},
		{Category: cognito.AssetCategoryPageBackground, ColorMode: "DYNAMIC", Extension: "PNG", Bytes: png},
		{Category: cognito.AssetCategoryFormBackground, ColorMode: "LIGHT", Extension: "PNG", Bytes: []byte("not a png")},
		{Category: cognito.AssetCategoryFaviconIco, ColorMode: "LIGHT", Extension: "ICO", Bytes: ico},
		{Category: cognito.AssetCategoryFaviconSvg, ColorMode: "DYNAMIC", Extension: "SVG", Bytes: svg},
	}
	on := `{"categories": {"global": {"colorSchemeMode": "DYNAMIC"}}, "components": {"form": {"logo": {"enabled": true}, "backgroundImage": {"enabled": true}}, "favicon": {"enabledTypes": ["SVG", "ICO"]}}}`
	p := compile(t, on, assets...)
	if p.Logo != "/a/form_logo-light" || p.LogoDark != "/a/form_logo-dark" {
		t.Errorf("logo %q, dark %q", p.Logo, p.LogoDark)
	}
	wantIcons := []managedlogin.Icon{{Href: "/a/favicon_svg-dynamic", Type: "image/svg+xml"}, {Href: "/a/favicon_ico-light", Type: "image/x-icon"}}
	if !slices.Equal(p.Icons, wantIcons) {
		t.Errorf("icons %v, want %v", p.Icons, wantIcons)
	}
	light, dark := rootVars(t, string(p.CSS))
	if light["--ml-page-image"] != `url("/a/page_background-dynamic")` || dark["--ml-page-image"] != `url("/a/page_background-dynamic")` {
		t.Errorf("page image: %q / %q", light["--ml-page-image"], dark["--ml-page-image"])
	}
	if light["--ml-form-image"] != "none" || strings.Contains(string(p.CSS), "form_background") {
		t.Errorf("an asset that is not what its extension says is shown:\n%s", p.CSS)
	}

	// Cognito's defaults: no form logo, favicons of both types, the page
	// image on.
	p = compile(t, "", assets...)
	if p.Logo != "" || len(p.Icons) != 2 || !strings.Contains(string(p.CSS), "body { background-image: var(--ml-page-image)") {
		t.Errorf("defaults with assets: %+v\n%s", p, p.CSS)
	}
}

func TestContentType(t *testing.T) {
	webp := []byte("RIFF\x10\x00\x00\x00WEBPVP8 ")
	for _, c := range []struct {
		ext   string
		bytes []byte
		want  string
	}{
		{"PNG", png, "image/png"},
		{"JPEG", []byte{0xff, 0xd8, 0xff, 0xe0}, "image/jpeg"},
		{"WEBP", webp, "image/webp"},
		{"ICO", ico, "image/x-icon"},
		{"SVG", svg, "image/svg+xml"},
		{"SVG", []byte("\ufeff\n<svg>"), "image/svg+xml"},
		{"SVG", []byte("<html><svg/></html>"), ""},
		{"SVG", []byte("<svgx/>"), ""},
		{"PNG", svg, ""},
		{"JPEG", png, ""},
		{"GIF", []byte("GIF89a"), ""},
		{"PNG", append(slices.Clone(png), make([]byte, managedlogin.MaxAssetBytes)...), ""},
	} {
		got, ok := managedlogin.ContentType(&cognito.AssetType{Extension: c.ext, Bytes: c.bytes})
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%s %.20q: %q %v, want %q", c.ext, c.bytes, got, ok, c.want)
		}
	}
}
