package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/userpool/userpool/internal/store"
)

// testMeta checks that a Meta value is written once: the first AddMeta
// stores it, later ones find it and leave it, and names are independent.
func testMeta(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, err := s.GetMeta(ctx, store.MetaDataKeyCheck)
	wantErr(t, "GetMeta before any AddMeta", err, store.ErrNotFound)

	// Every byte value, so a backend that stores text would mangle it.
	first := make([]byte, 256)
	for i := range first {
		first[i] = byte(i)
	}
	got, added, err := s.AddMeta(ctx, store.MetaDataKeyCheck, first)
	noErr(t, "first AddMeta", err)
	if !added || !bytes.Equal(got, first) {
		t.Errorf("first AddMeta = %x, added %v; want its own value, added", got, added)
	}
	got, added, err = s.AddMeta(ctx, store.MetaDataKeyCheck, []byte("second"))
	noErr(t, "second AddMeta", err)
	if added || !bytes.Equal(got, first) {
		t.Errorf("second AddMeta = %q, added %v; want the first value, not added", got, added)
	}
	got, err = s.GetMeta(ctx, store.MetaDataKeyCheck)
	noErr(t, "GetMeta", err)
	if !bytes.Equal(got, first) {
		t.Errorf("GetMeta after a second AddMeta = %q: the first value was replaced", got)
	}

	got, added, err = s.AddMeta(ctx, "other", []byte("o"))
	noErr(t, "AddMeta of another name", err)
	if !added || string(got) != "o" {
		t.Errorf("AddMeta of another name = %q, added %v; want its own value, added", got, added)
	}
}

// testMetaConcurrentAdd has several nodes add a value under one name at
// once, each its own, as nodes starting together on a new database store
// the data key's check value: exactly one must add, and every one must
// come back with the winner's value.
func testMetaConcurrentAdd(t *testing.T, s store.Store) {
	ctx := t.Context()
	const nodes = 12
	var (
		wg     sync.WaitGroup
		start  = make(chan struct{})
		stored [nodes][]byte
		added  [nodes]bool
	)
	for i := range nodes {
		wg.Go(func() {
			<-start
			var err error
			stored[i], added[i], err = s.AddMeta(ctx, "race", fmt.Appendf(nil, "node %d", i))
			if err != nil {
				t.Errorf("node %d: AddMeta: %v", i, err)
			}
		})
	}
	close(start)
	wg.Wait()
	winner := -1
	for i := range nodes {
		if added[i] {
			if winner >= 0 {
				t.Errorf("nodes %d and %d both added", winner, i)
			}
			winner = i
		}
	}
	if winner < 0 {
		t.Fatal("no node added")
	}
	want := fmt.Appendf(nil, "node %d", winner)
	for i := range nodes {
		if !bytes.Equal(stored[i], want) {
			t.Errorf("node %d came back with %q, want the winner's %q", i, stored[i], want)
		}
	}
	got, err := s.GetMeta(ctx, "race")
	noErr(t, "GetMeta", err)
	if !bytes.Equal(got, want) {
		t.Errorf("GetMeta = %q, want the winner's %q", got, want)
	}
}

// testMetaTx checks that AddMeta belongs to the transaction it runs in:
// a rolled-back one leaves nothing behind.
func testMetaTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	err := s.InTx(ctx, func(tx store.Store) error {
		_, added, err := tx.AddMeta(ctx, "in-tx", []byte("v"))
		noErr(t, "AddMeta in a transaction", err)
		if !added {
			t.Error("AddMeta in a transaction did not add")
		}
		got, err := tx.GetMeta(ctx, "in-tx")
		noErr(t, "GetMeta inside the transaction", err)
		if string(got) != "v" {
			t.Errorf("GetMeta inside the transaction = %q", got)
		}
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("InTx: err = %v, want fn's error", err)
	}
	_, err = s.GetMeta(ctx, "in-tx")
	wantErr(t, "GetMeta after the rollback", err, store.ErrNotFound)
	_, added, err := s.AddMeta(ctx, "in-tx", []byte("w"))
	noErr(t, "AddMeta after the rollback", err)
	if !added {
		t.Error("AddMeta after the rollback found the rolled-back value")
	}
}
