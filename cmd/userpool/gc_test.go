package main

import (
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
	"github.com/userpool/userpool/internal/userpool"
)

func TestCollectOnceSAMLAssertions(t *testing.T) {
	// A round of garbage collection removes the records of used SAML
	// assertions that have expired, and keeps those that have not.
	ctx := t.Context()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "userpool.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.CreatePool(ctx, store.Pool{ID: "us-east-1_gc"}); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	early := store.SAMLAssertion{PoolID: "us-east-1_gc", Provider: "Corp", IDHash: "early", ExpiresAt: t0.Add(time.Minute)}
	late := store.SAMLAssertion{PoolID: "us-east-1_gc", Provider: "Corp", IDHash: "late", ExpiresAt: t0.Add(10 * time.Minute)}
	for _, a := range []store.SAMLAssertion{early, late} {
		if err := st.ConsumeSAMLAssertion(ctx, a, t0); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	collectOnce(ctx, st, log, t0.Add(5*time.Minute), userpool.DefaultAuthEventRetention)

	// Consumed again by a clock behind both expiries, which a kept record
	// refuses: the early one was collected, the late one was not.
	if err := st.ConsumeSAMLAssertion(ctx, early, t0); err != nil {
		t.Errorf("the expired record was kept: %v", err)
	}
	if err := st.ConsumeSAMLAssertion(ctx, late, t0); !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("the unexpired record: %v, want it kept (ErrAlreadyExists)", err)
	}
}
