package oauth2

import (
	"fmt"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/userpool"
)

func cacheRef(client, revision string) userpool.ManagedLoginRef {
	return userpool.ManagedLoginRef{PoolID: "us-east-1_pool", ClientID: client, ID: "style-" + client, Revision: revision}
}

// The cache keeps one style per client, the one compiled from the
// revision asked for, within its bounds of styles and bytes, the least
// recently used going first.
func TestBrandingCacheBounds(t *testing.T) {
	c := newBrandingCache(3, 100)
	sized := func(n int64) *compiledBranding { return &compiledBranding{size: n} }
	check := func(want ...string) {
		t.Helper()
		kept := 0
		for _, client := range []string{"a", "b", "c", "d", "e"} {
			_, ok := c.entries[brandingClient{"us-east-1_pool", client}]
			if ok {
				kept++
			}
			wanted := false
			for _, w := range want {
				wanted = wanted || w == client
			}
			if ok != wanted {
				t.Errorf("client %s kept: %v, want %v", client, ok, wanted)
			}
		}
		if n, _ := c.usage(); n != kept {
			t.Errorf("usage says %d styles, %d are kept", n, kept)
		}
	}

	a := sized(10)
	c.put(cacheRef("a", "1"), a)
	if got, ok := c.get(cacheRef("a", "1")); !ok || got != a {
		t.Fatalf("get after put: %v %v", got, ok)
	}
	if _, ok := c.get(cacheRef("a", "2")); ok {
		t.Error("another revision of the style is served")
	}
	if _, ok := c.get(userpool.ManagedLoginRef{PoolID: "us-east-1_other", ClientID: "a", ID: "style-a", Revision: "1"}); ok {
		t.Error("the style of a client of the same name in another pool is served")
	}
	// A new revision replaces the client's old one.
	c.put(cacheRef("a", "2"), sized(20))
	if _, ok := c.get(cacheRef("a", "1")); ok {
		t.Error("the replaced revision is still served")
	}
	if n, b := c.usage(); n != 1 || b != 20 {
		t.Errorf("usage after a replacement: %d styles, %d bytes; want 1, 20", n, b)
	}

	// The bound on styles: b, c, then d evicts the least recently used
	// (a was used after b, so b goes).
	c.put(cacheRef("b", "1"), sized(10))
	c.put(cacheRef("c", "1"), sized(10))
	c.get(cacheRef("a", "2"))
	c.put(cacheRef("d", "1"), sized(10))
	check("a", "c", "d")

	// Both bounds: e takes c's place among three styles, and its 75
	// bytes leave no room for a's 20 beside d's 10.
	c.put(cacheRef("e", "1"), sized(75))
	check("d", "e")
	if _, b := c.usage(); b != 85 {
		t.Errorf("bytes kept %d, want 85", b)
	}
	// A style over the whole budget is not kept, and evicts nothing.
	c.put(cacheRef("a", "3"), sized(101))
	check("d", "e")
}

// compileBranding counts what a style holds, and serves the first asset of
// a name, as managedlogin.Find does, only when it can be served.
func TestCompileBrandingAssets(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
	style := &userpool.ManagedLoginStyle{
		ManagedLoginRef: cacheRef("a", "1"),
		Assets: []cognito.AssetType{
			{Category: cognito.AssetCategoryFormLogo, ColorMode: "LIGHT", Extension: "PNG", Bytes: png},
			{Category: cognito.AssetCategoryFormLogo, ColorMode: "LIGHT", Extension: "PNG", Bytes: append(png, 1)},
			{Category: cognito.AssetCategoryPageBackground, ColorMode: "DARK", Extension: "PNG", Bytes: []byte("not a png")},
			{Category: cognito.AssetCategoryPageBackground, ColorMode: "DARK", Extension: "PNG", Bytes: png},
		},
	}
	c := compileBranding(style)
	if len(c.assets) != 1 || len(c.assets["form_logo-light"].body) != len(png) || c.assets["form_logo-light"].contentType != "image/png" {
		t.Errorf("assets %v", c.assets)
	}
	if want := int64(brandingEntryOverhead + len(c.page.CSS) + len(png)); c.size != want {
		t.Errorf("size %d, want %d", c.size, want)
	}
	if c.cssURL != fmt.Sprintf("/static/branding/us-east-1_pool/a/style.css?v=%s", c.version) {
		t.Errorf("stylesheet URL %s", c.cssURL)
	}
}
