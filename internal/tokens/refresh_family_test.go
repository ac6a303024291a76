package tokens

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
)

// A family rotating steadily keeps only the tokens replaced in the last
// RotatedOutRetention; a rotated-out token whose row is gone is still
// recognised as reused, from the family it carries, and revokes the
// family, while another client presenting it learns nothing.
func TestRotatedOutCollectedStillReused(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "rotate.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := st.CreatePool(ctx, store.Pool{ID: "us-east-1_Rotate", Name: "rotate", Settings: []byte(`{}`), CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateUser(ctx, store.User{PoolID: "us-east-1_Rotate", Sub: "sub-1", Username: "alice", UsernameKey: "alice",
		Status: "CONFIRMED", Enabled: true, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	codec, err := NewRefreshCodec(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	iss := New(Config{Store: st, Refresh: codec, Now: func() time.Time { return now }, PublicURL: "http://127.0.0.1:9229"})

	tok, fam, err := iss.StartFamily(ctx, NewFamily{PoolID: "us-east-1_Rotate", ClientID: "client-1", Sub: "sub-1", AuthTime: now, TTL: 30 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	toks := []string{tok}
	for range 12 {
		now = now.Add(time.Minute)
		r, err := iss.Redeem(ctx, toks[len(toks)-1], "client-1", 0)
		if err != nil {
			t.Fatal(err)
		}
		next, err := iss.Rotate(ctx, r, 0)
		if err != nil {
			t.Fatal(err)
		}
		toks = append(toks, next)
	}
	// Replaced two minutes or less before the last rotation: the current
	// token and the three before it keep their rows; the rest are gone.
	for i, tok := range toks {
		id, _, family, err := codec.OpenRefresh(tok)
		if err != nil || family != fam.ID {
			t.Fatalf("token %d opens to family %q, %v; want %q", i, family, err, fam.ID)
		}
		_, _, err = st.GetRefreshToken(ctx, id)
		if kept := i >= len(toks)-4; kept != (err == nil) {
			t.Errorf("token %d of %d: GetRefreshToken = %v, want kept=%v", i, len(toks), err, kept)
		}
	}

	if _, err := iss.Redeem(ctx, toks[0], "client-2", 0); !errors.Is(err, ErrRefreshInvalid) {
		t.Errorf("a collected token from another client: %v, want ErrRefreshInvalid", err)
	}
	if f, err := iss.FamilyOf(ctx, toks[0]); err != nil || f == nil || f.ID != fam.ID {
		t.Errorf("FamilyOf(a collected token) = %v, %v; want family %s", f, err, fam.ID)
	}
	if _, err := iss.Redeem(ctx, toks[0], "client-1", 0); !errors.Is(err, ErrRefreshReused) {
		t.Fatalf("a collected rotated-out token: %v, want ErrRefreshReused", err)
	}
	if _, err := iss.Redeem(ctx, toks[len(toks)-1], "client-1", 0); !errors.Is(err, ErrRefreshRevoked) {
		t.Errorf("the current token after the reuse: %v, want ErrRefreshRevoked", err)
	}
	if _, err := iss.Redeem(ctx, toks[1], "client-1", 0); !errors.Is(err, ErrRefreshRevoked) {
		t.Errorf("another collected token after the reuse: %v, want ErrRefreshRevoked", err)
	}
	// Once the family has expired its collected tokens are expired too.
	now = now.Add(31 * 24 * time.Hour)
	tok2, _, err := iss.StartFamily(ctx, NewFamily{PoolID: "us-east-1_Rotate", ClientID: "client-1", Sub: "sub-1", AuthTime: now, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	cur := tok2
	for _, step := range []time.Duration{time.Minute, 3 * time.Minute} {
		now = now.Add(step)
		r, err := iss.Redeem(ctx, cur, "client-1", 0)
		if err != nil {
			t.Fatal(err)
		}
		if cur, err = iss.Rotate(ctx, r, 0); err != nil {
			t.Fatal(err)
		}
	}
	id2, _, _, _ := codec.OpenRefresh(tok2)
	if _, _, err := st.GetRefreshToken(ctx, id2); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the first token of the second family was not collected: %v", err)
	}
	now = now.Add(2 * time.Hour)
	if _, err := iss.Redeem(ctx, tok2, "client-1", 0); !errors.Is(err, ErrRefreshExpired) {
		t.Errorf("a rotated-out token of an expired family: %v, want ErrRefreshExpired", err)
	}
}

// An access token's sign-in revokes it when it is revoked or gone.
func TestRevoked(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		f    store.FamilyState
		want bool
	}{
		{store.FamilyState{Found: true}, false},
		{store.FamilyState{Found: true, RevokedAt: at}, true},
		{store.FamilyState{}, true},
	} {
		if got := Revoked(tc.f); got != tc.want {
			t.Errorf("Revoked(%+v) = %v, want %v", tc.f, got, tc.want)
		}
	}
}
