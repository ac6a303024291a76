package managedlogin

import (
	"bytes"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
)

// MaxAssetBytes is the largest asset served: the service model's bound on
// AssetType.Bytes, which the API enforces on the way in.
const MaxAssetBytes = 1_000_000

// AssetName names an asset in its URL: its category and colour mode, in
// lower case ("form_logo-light"). A style has one asset of each.
func AssetName(category, colorMode string) string {
	return strings.ToLower(category + "-" + colorMode)
}

// Find returns the asset a name from AssetName stands for; nil when the
// style has none.
func Find(assets []cognito.AssetType, name string) *cognito.AssetType {
	for i := range assets {
		if AssetName(assets[i].Category, assets[i].ColorMode) == name {
			return &assets[i]
		}
	}
	return nil
}

// pick is the asset of a category for a mode ("LIGHT" or "DARK"): the
// mode's own, or else the one for both (DYNAMIC); one that cannot be
// served (ContentType) is not shown.
func pick(assets []cognito.AssetType, category, mode string) *cognito.AssetType {
	for _, m := range []string{mode, cognito.ColorSchemeModeDynamic} {
		if a := Find(assets, AssetName(category, m)); a != nil {
			if _, ok := ContentType(a); ok {
				return a
			}
		}
	}
	return nil
}

// signatures are how each raster extension's files begin; an asset that
// does not is not served as an image.
var signatures = map[string]func([]byte) bool{
	cognito.AssetExtensionPng:  func(b []byte) bool { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) },
	cognito.AssetExtensionJpeg: func(b []byte) bool { return bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}) },
	cognito.AssetExtensionWebp: func(b []byte) bool {
		return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP"
	},
	cognito.AssetExtensionIco: func(b []byte) bool { return bytes.HasPrefix(b, []byte{0, 0, 1, 0}) },
	cognito.AssetExtensionSvg: isSVG,
}

var contentTypes = map[string]string{
	cognito.AssetExtensionPng:  "image/png",
	cognito.AssetExtensionJpeg: "image/jpeg",
	cognito.AssetExtensionWebp: "image/webp",
	cognito.AssetExtensionIco:  "image/x-icon",
	cognito.AssetExtensionSvg:  "image/svg+xml",
}

// ContentType is the type an asset is served as, by its Extension; false
// when the bytes are not of that type or larger than MaxAssetBytes.
func ContentType(a *cognito.AssetType) (string, bool) {
	check, ok := signatures[a.Extension]
	if !ok || len(a.Bytes) > MaxAssetBytes || !check(a.Bytes) {
		return "", false
	}
	return contentTypes[a.Extension], true
}

// isSVG accepts an XML document whose root is svg, after an optional byte
// order mark, XML declaration, comments and doctype.
func isSVG(b []byte) bool {
	s := strings.TrimPrefix(string(b), "\ufeff")
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		switch {
		case strings.HasPrefix(s, "<?"):
			_, s, _ = strings.Cut(s, "?>")
		case strings.HasPrefix(s, "<!--"):
			_, s, _ = strings.Cut(s, "-->")
		case strings.HasPrefix(s, "<!"):
			_, s, _ = strings.Cut(s, ">")
		default:
			rest, ok := strings.CutPrefix(s, "<svg")
			return ok && rest != "" && strings.ContainsRune(" \t\r\n>/", rune(rest[0]))
		}
	}
}
