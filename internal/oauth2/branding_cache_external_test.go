package oauth2_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/oauth2"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/server"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// brandingLogo is a PNG form logo of n bytes, all fill after the
// signature.
func brandingLogo(n int, fill byte) []byte {
	b := bytes.Repeat([]byte{fill}, n)
	copy(b, "\x89PNG\r\n\x1a\n")
	return b
}

// brandingAccent is a style's settings: the primary button's colour and
// the form logo on.
func brandingAccent(colour string) json.RawMessage {
	return json.RawMessage(`{"components": {"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "` + colour + `"}}}, "form": {"logo": {"enabled": true}}}}`)
}

// secondNode starts another node on e's store, with caches of its own, as
// a server sharing the database runs beside e's. The env it returns
// shares e's pool, client, store and clock.
func (e *hostedEnv) secondNode() *hostedEnv {
	e.t.Helper()
	s, log := e.stack, slog.New(slog.DiscardHandler)
	svc := userpool.New(userpool.Config{
		Store: s.Store, Sealer: s.Sealer, Passwords: password.Hasher{MemoryKiB: 64, Iterations: 1},
		Now: e.Clock.Now, HostedURL: e.URL, Logger: log,
	})
	e.t.Cleanup(svc.Close)
	h := oauth2.New(oauth2.Config{Pools: svc, Tokens: s.Issuer, PublicURL: e.URL, Logger: log, Auth: s.Engine, Users: svc, Sealer: s.Sealer, Now: e.Clock.Now})
	ts := httptest.NewServer(server.New(server.Config{API: http.NotFoundHandler(), OAuth2: h, Logger: log}))
	e.t.Cleanup(ts.Close)
	n := *e
	n.URL, n.Svc = ts.URL, svc
	n.Browser = n.newBrowser()
	return &n
}

// styleSeen is what one node's pages show of a client's style: the
// stylesheet's URL and text, and the form logo's URL and bytes ("" when
// the page has none).
type styleSeen struct {
	cssURL, css, logoURL, logo string
}

// String leaves the bytes out of failures.
func (s styleSeen) String() string {
	accent, _, _ := strings.Cut(s.css[strings.Index(s.css, "--accent:")+1:], ";")
	return fmt.Sprintf("{stylesheet %s (-%s) logo %s (%d bytes, sha256 %x)}", s.cssURL, accent, s.logoURL, len(s.logo), sha256.Sum256([]byte(s.logo)))
}

func seeStyle(t *testing.T, e *hostedEnv) styleSeen {
	t.Helper()
	page := e.get("/login", e.authorizeQuery())
	if page.Status != http.StatusOK {
		t.Fatalf("GET /login: %d\n%s", page.Status, page.Body)
	}
	href, css := brandingCSS(t, e, page)
	if css.Status != http.StatusOK {
		t.Fatalf("GET %s: %d", href, css.Status)
	}
	s := styleSeen{cssURL: href, css: css.Body}
	const marker = `<img class="logo-customizable" src="`
	if strings.Contains(page.Body, marker) {
		s.logoURL = hostedAttr(t, page.Body, marker)
		logo := e.get(s.logoURL, nil)
		if logo.Status != http.StatusOK {
			t.Fatalf("GET %s: %d", s.logoURL, logo.Status)
		}
		s.logo = logo.Body
	}
	return s
}

// A node keeps the styles it compiled: the pages and files of an
// unchanged style do not read it again. An update or a deletion is on the
// next page of the node that made it, even when the clock has not moved
// (LastModifiedDate is then the same) and the new logo differs from the
// old only past its first bytes.
func TestHostedPagesManagedLoginStyleKept(t *testing.T) {
	e := newHostedEnv(t)
	useManagedLogin(t, e, 2)
	logo := brandingLogo(4000, 'a')
	b, err := e.Svc.CreateManagedLoginBranding(t.Context(), &cognito.CreateManagedLoginBrandingInput{
		UserPoolID: e.PoolID, ClientID: e.ClientID, Settings: brandingAccent("aa0000ff"),
		Assets: []cognito.AssetType{{Category: cognito.AssetCategoryFormLogo, ColorMode: "LIGHT", Extension: "PNG", Bytes: logo}},
	})
	if err != nil {
		t.Fatal(err)
	}
	first := seeStyle(t, e)
	if !strings.Contains(first.css, "--accent: #aa0000ff;") || first.logo != string(logo) {
		t.Fatalf("the style as created: %v", first)
	}
	reads := e.Store.brandingReads.Load()
	for range 3 {
		if again := seeStyle(t, e); again != first {
			t.Fatalf("an unchanged style changed: %v, was %v", again, first)
		}
	}
	if n := e.Store.brandingReads.Load() - reads; n != 0 {
		t.Errorf("three loads of an unchanged style's page, stylesheet and logo read it %d more times", n)
	}

	// The logo alone, in place, with the same length and first bytes.
	newLogo := bytes.Clone(logo)
	newLogo[3000] = 'b'
	if _, err := e.Svc.UpdateManagedLoginBranding(t.Context(), &cognito.UpdateManagedLoginBrandingInput{
		UserPoolID: e.PoolID, ManagedLoginBrandingID: b.ManagedLoginBrandingID,
		Assets: []cognito.AssetType{{Category: cognito.AssetCategoryFormLogo, ColorMode: "LIGHT", Extension: "PNG", Bytes: newLogo}},
	}); err != nil {
		t.Fatal(err)
	}
	relogo := seeStyle(t, e)
	if !strings.Contains(relogo.css, "--accent: #aa0000ff;") || relogo.logo != string(newLogo) || relogo.logoURL == first.logoURL {
		t.Errorf("after the logo's update (its URL must change, as browsers keep it): %v\nwas %v", relogo, first)
	}
	// The settings alone.
	if _, err := e.Svc.UpdateManagedLoginBranding(t.Context(), &cognito.UpdateManagedLoginBrandingInput{
		UserPoolID: e.PoolID, ManagedLoginBrandingID: b.ManagedLoginBrandingID, Settings: brandingAccent("00aa00ff"),
	}); err != nil {
		t.Fatal(err)
	}
	updated := seeStyle(t, e)
	if !strings.Contains(updated.css, "--accent: #00aa00ff;") || updated.logo != string(newLogo) || updated.cssURL == relogo.cssURL {
		t.Errorf("after the settings' update: %v\nwas %v", updated, relogo)
	}

	if err := e.Svc.DeleteManagedLoginBranding(t.Context(), e.PoolID, b.ManagedLoginBrandingID); err != nil {
		t.Fatal(err)
	}
	deleted := seeStyle(t, e)
	if !strings.Contains(deleted.css, "--accent: #0972d3ff;") || deleted.logoURL != "" {
		t.Errorf("after the deletion, not Cognito's style: %v", deleted)
	}
	if r := e.get(strings.SplitN(updated.logoURL, "?", 2)[0], nil); r.Status != http.StatusNotFound {
		t.Errorf("the deleted style's logo: %d, want 404", r.Status)
	}
}

// Another node sharing the store sees a change on its next page: what it
// compiled is used only while the stored revision is the one it compiled,
// so nothing is stale there (within the settings' bound of 5 s, and
// without moving the clock).
func TestHostedPagesManagedLoginStyleOtherNode(t *testing.T) {
	e := newHostedEnv(t)
	useManagedLogin(t, e, 2)
	other := e.secondNode()
	logo := brandingLogo(4000, 'a')
	b, err := e.Svc.CreateManagedLoginBranding(t.Context(), &cognito.CreateManagedLoginBrandingInput{
		UserPoolID: e.PoolID, ClientID: e.ClientID, Settings: brandingAccent("aa0000ff"),
		Assets: []cognito.AssetType{{Category: cognito.AssetCategoryFormLogo, ColorMode: "LIGHT", Extension: "PNG", Bytes: logo}},
	})
	if err != nil {
		t.Fatal(err)
	}
	before := seeStyle(t, other)
	if !strings.Contains(before.css, "--accent: #aa0000ff;") || before.logo != string(logo) {
		t.Fatalf("the other node's style as created: %v", before)
	}
	reads := e.Store.brandingReads.Load()
	if again := seeStyle(t, other); again != before || e.Store.brandingReads.Load() != reads {
		t.Fatalf("the other node read an unchanged style again (%d reads): %v", e.Store.brandingReads.Load()-reads, again)
	}

	newLogo := brandingLogo(4000, 'c')
	if _, err := e.Svc.UpdateManagedLoginBranding(t.Context(), &cognito.UpdateManagedLoginBrandingInput{
		UserPoolID: e.PoolID, ManagedLoginBrandingID: b.ManagedLoginBrandingID, Settings: brandingAccent("00aa00ff"),
		Assets: []cognito.AssetType{{Category: cognito.AssetCategoryFormLogo, ColorMode: "LIGHT", Extension: "PNG", Bytes: newLogo}},
	}); err != nil {
		t.Fatal(err)
	}
	updated := seeStyle(t, other)
	if !strings.Contains(updated.css, "--accent: #00aa00ff;") || updated.logo != string(newLogo) || updated.cssURL == before.cssURL {
		t.Errorf("the other node after the update: %v\nwas %v", updated, before)
	}
	if err := e.Svc.DeleteManagedLoginBranding(t.Context(), e.PoolID, b.ManagedLoginBrandingID); err != nil {
		t.Fatal(err)
	}
	if deleted := seeStyle(t, other); !strings.Contains(deleted.css, "--accent: #0972d3ff;") || deleted.logoURL != "" {
		t.Errorf("the other node after the deletion: %v", deleted)
	}
}

// A style stored before revisions were recorded (its client's pointer the
// bare id, the style without a revision) is still shown, described and
// deleted; it is read for every page until its next update gives it a
// revision.
func TestHostedPagesManagedLoginStyleWithoutRevision(t *testing.T) {
	e := newHostedEnv(t)
	useManagedLogin(t, e, 2)
	ctx := t.Context()
	b, err := e.Svc.CreateManagedLoginBranding(ctx, &cognito.CreateManagedLoginBrandingInput{
		UserPoolID: e.PoolID, ClientID: e.ClientID, Settings: brandingAccent("aa0000ff"),
	})
	if err != nil {
		t.Fatal(err)
	}
	id := b.ManagedLoginBrandingID
	rec, err := e.Store.GetPoolSetting(ctx, e.PoolID, "branding/"+id)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(rec.Value, &doc); err != nil || doc["Revision"] == nil {
		t.Fatalf("stored style %s (%v): no Revision", rec.Value, err)
	}
	delete(doc, "Revision")
	rec.Value, _ = json.Marshal(doc)
	pointer := store.PoolSetting{PoolID: e.PoolID, Name: "branding-client/" + e.ClientID, Value: []byte(id), UpdatedAt: e.Clock.Now()}
	for _, ps := range []store.PoolSetting{rec, pointer} {
		if err := e.Store.PutPoolSetting(ctx, ps); err != nil {
			t.Fatal(err)
		}
	}

	if got, err := e.Svc.DescribeManagedLoginBrandingByClient(ctx, e.PoolID, e.ClientID); err != nil || got.ManagedLoginBrandingID != id {
		t.Fatalf("DescribeManagedLoginBrandingByClient: %v, %v", got, err)
	}
	reads := e.Store.brandingReads.Load()
	for range 2 {
		if s := seeStyle(t, e); !strings.Contains(s.css, "--accent: #aa0000ff;") {
			t.Fatalf("the style without a revision: %v", s)
		}
	}
	if n := e.Store.brandingReads.Load() - reads; n != 4 {
		t.Errorf("two pages and stylesheets of a style without a revision read it %d times, want 4", n)
	}

	if _, err := e.Svc.UpdateManagedLoginBranding(ctx, &cognito.UpdateManagedLoginBrandingInput{
		UserPoolID: e.PoolID, ManagedLoginBrandingID: id, Settings: brandingAccent("00aa00ff"),
	}); err != nil {
		t.Fatal(err)
	}
	seeStyle(t, e)
	reads = e.Store.brandingReads.Load()
	if s := seeStyle(t, e); !strings.Contains(s.css, "--accent: #00aa00ff;") || e.Store.brandingReads.Load() != reads {
		t.Errorf("after an update, %v read %d times", s, e.Store.brandingReads.Load()-reads)
	}

	// The client's deletion takes its style, found by the old pointer.
	if err := e.Store.PutPoolSetting(ctx, pointer); err != nil {
		t.Fatal(err)
	}
	if err := e.Svc.DeleteClient(ctx, e.PoolID, e.ClientID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.GetPoolSetting(ctx, e.PoolID, "branding/"+id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the deleted client's style: %v, want ErrNotFound", err)
	}
}
