package userpool

import (
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// A pool's settings written through this node are seen at once; written by
// another node (straight to the shared store here), within settingsTTL.
// What callers do to the copy they get does not reach the cache.
func TestSettingsCache(t *testing.T) {
	s, st, clk := resTestService(t)
	ctx := t.Context()
	id := resTestPool(t, s, st, "us-east-1_cache0001")

	p, err := s.Pool(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	p.Domain = "changed-by-caller"
	if p2, _ := s.Pool(ctx, id); p2.Domain != "" {
		t.Fatal("a caller's change to its copy reached the cache")
	}

	// This node's write: seen at once.
	if err := s.UpdatePool(ctx, &cognito.UpdateUserPoolInput{UserPoolID: id, MfaConfiguration: "OFF", DeletionProtection: "ACTIVE"}); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Pool(ctx, id); p.DeletionProtection != "ACTIVE" {
		t.Fatalf("after UpdatePool on this node, DeletionProtection = %q", p.DeletionProtection)
	}

	// Another node's write: stale until settingsTTL has passed, never
	// longer.
	if _, err := st.UpdatePool(ctx, id, func(rec *store.Pool) error {
		p, err := decodePool(*rec)
		if err != nil {
			return err
		}
		p.DeletionProtection = "INACTIVE"
		rec.Settings, err = encodePool(p)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	clk.advance(settingsTTL)
	if p, _ := s.Pool(ctx, id); p.DeletionProtection != "INACTIVE" {
		t.Fatalf("%s after another node's write, DeletionProtection = %q", settingsTTL, p.DeletionProtection)
	}

	// A deleted pool is gone at once on this node.
	if err := s.DeletePool(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool(ctx, id); err == nil {
		t.Fatal("a deleted pool is still served")
	}
}

// A client's settings follow the same rules, and a read that raced with a
// write cannot put the old settings back: an entry of an older generation
// is never served.
func TestSettingsCacheClient(t *testing.T) {
	s, st, clk := resTestService(t)
	ctx := t.Context()
	id := resTestPool(t, s, st, "us-east-1_cache0002")
	c, err := s.CreateClient(ctx, &cognito.CreateUserPoolClientInput{UserPoolID: id, ClientName: "a"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Client(ctx, c.ClientID)
	if err != nil || got.Config.ClientName != "a" {
		t.Fatalf("Client = %+v, %v", got, err)
	}
	if _, err := s.UpdateClient(ctx, &cognito.UpdateUserPoolClientInput{UserPoolID: id, ClientID: c.ClientID, ClientName: "b"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Client(ctx, c.ClientID); got.Config.ClientName != "b" {
		t.Fatalf("after UpdateClient, ClientName = %q", got.Config.ClientName)
	}

	// A stale read remembered after the write's generation bump.
	gen := s.settings.gen.Load()
	old := *got
	old.Config = &cognito.UserPoolClientType{ClientName: "stale"}
	s.settings.changed()
	remember(s.settings.clients, c.ClientID, &old, gen, clk.now())
	if got, _ := s.Client(ctx, c.ClientID); got.Config.ClientName != "b" {
		t.Fatalf("a read older than the last write was served: %q", got.Config.ClientName)
	}

	if err := s.DeleteClient(ctx, id, c.ClientID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Client(ctx, c.ClientID); err == nil {
		t.Fatal("a deleted client is still served")
	}
}
