package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/userpool/userpool/internal/config"
	"github.com/userpool/userpool/internal/datadir"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/store"
)

// The check value is keyCheckPlain sealed with the data key under
// keyCheckAD. The plaintext is fixed, so any node can tell whether its key
// opens what the first node's key sealed, which is exactly what a node
// given another key cannot do with the pools' secrets; the additional
// data is the check's own, so the value opens as nothing else and nothing
// else opens as it.
var (
	keyCheckPlain = []byte("userpool data key check")
	keyCheckAD    = []byte("userpool data key check v1")
)

// errWrongDataKey is the refusal of a key that is not the database's.
var errWrongDataKey = errors.New("the data key does not match the database")

// checkDataKey refuses to go on with a data key that is not the one the
// database was made with: such a node would answer /health, fail every
// request that opens a pool's secrets, and seal new ones the other nodes
// cannot read. The first start on a database stores the check value, with
// the key it was given; so does the first start on a database from before
// the check existed, which adopts that key and says so.
func checkDataKey(ctx context.Context, st store.Store, cfg *config.Config, key []byte, log *slog.Logger) error {
	sealer, err := seal.New(key)
	if err != nil {
		return err
	}
	stored, added, err := st.AddMeta(ctx, store.MetaDataKeyCheck, sealer.Seal(keyCheckPlain, keyCheckAD))
	if err != nil {
		return fmt.Errorf("data key check: %w", err)
	}
	if !added {
		plain, err := sealer.Open(stored, keyCheckAD)
		if err != nil || !bytes.Equal(plain, keyCheckPlain) {
			return wrongKeyError(cfg)
		}
		return nil
	}
	// Only the node that stored the value gets here, so this is said once.
	pools, _, err := st.ListPools(ctx, store.Page{Limit: 1})
	if err != nil {
		return fmt.Errorf("data key check: %w", err)
	}
	if len(pools) > 0 {
		log.Warn("the database had pools but no data key check value: adopted this node's data key as the database's; " +
			"from now on a node started with another key is refused")
	} else {
		log.Info("stored the data key's check value: a node started on this database with another key will be refused")
	}
	return nil
}

// wrongKeyError says where this node's key came from, never the key, and
// what to do.
func wrongKeyError(cfg *config.Config) error {
	from := "from USERPOOL_DATA_KEY"
	if cfg.DataKey == "" {
		from = "from " + filepath.Join(cfg.Data, datadir.DataKeyFile) + ", as USERPOOL_DATA_KEY is not set"
	}
	return fmt.Errorf("%w: this node's key (%s) is not the one the database was made with; "+
		"give every node the same USERPOOL_DATA_KEY, the key the database was made with", errWrongDataKey, from)
}
