package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/config"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/postgres"
	"github.com/userpool/userpool/internal/store/postgres/pgtest"
	"github.com/userpool/userpool/internal/store/sqlite"
)

func newDataKey() string {
	k := make([]byte, 32)
	rand.Read(k)
	return base64.StdEncoding.EncodeToString(k)
}

// runRefused runs a command that must be refused: it fails the test if the
// command succeeds, or serves until the deadline.
func runRefused(t *testing.T, env map[string]string, args ...string) (err error, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var out syncBuffer
	err = run(ctx, append([]string{"userpool"}, args...), func(k string) string { return env[k] }, nil, &out, &out)
	if err == nil {
		t.Fatalf("%v was not refused:\n%s", args, out.String())
	}
	return err, out.String()
}

// checkRefusal starts serve on one store as nodes of a deployment would:
// a first node with key A stores the check value; a node with another key,
// given in USERPOOL_DATA_KEY or generated in its own data directory, is
// refused with a message that names the problem and its fix but not the
// keys; a node with key A starts again, so the refusals changed nothing.
func checkRefusal(t *testing.T, storeArg string) {
	keyA, keyB := newDataKey(), newDataKey()
	dirs := t.TempDir()
	data := func(name string) string { return filepath.Join(dirs, name) }

	_, _, log, stop := startServeEnv(t, map[string]string{"USERPOOL_DATA_KEY": keyA}, data("node1"), "--store", storeArg)
	if err := stop(); err != nil {
		t.Fatalf("first start: %v", err)
	}
	if !strings.Contains(log.String(), "stored the data key's check value") {
		t.Errorf("first start did not log that it stored the check value:\n%s", log)
	}

	err, out := runRefused(t, map[string]string{"USERPOOL_DATA_KEY": keyB}, "serve", "--addr", freeAddr(t), "--data", data("node2"), "--store", storeArg)
	if !errors.Is(err, errWrongDataKey) {
		t.Fatalf("start with another USERPOOL_DATA_KEY: err = %v, want the data key refusal", err)
	}
	for _, want := range []string{"this node's key (from USERPOOL_DATA_KEY)", "not the one the database was made with",
		"give every node the same USERPOOL_DATA_KEY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not say %q", err, want)
		}
	}
	for _, k := range []string{keyA, keyB} {
		if strings.Contains(err.Error()+out, k) || strings.Contains(err.Error()+out, strings.TrimRight(k, "=")) {
			t.Errorf("the refusal printed a key: %q\n%s", err, out)
		}
	}

	if _, err := os.Stat(filepath.Join(data("node2"), "admin-keys.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused node generated an admin key pair (stat: %v)", err)
	}

	// A node that was given no key generates its own: refused too.
	err, _ = runRefused(t, nil, "serve", "--addr", freeAddr(t), "--data", data("node3"), "--store", storeArg)
	if !errors.Is(err, errWrongDataKey) || !strings.Contains(err.Error(), filepath.Join(data("node3"), "data.key")+", as USERPOOL_DATA_KEY is not set") {
		t.Errorf("start with a generated key: err = %v, want the refusal naming %s", err, filepath.Join(data("node3"), "data.key"))
	}

	_, _, log, stop = startServeEnv(t, map[string]string{"USERPOOL_DATA_KEY": keyA}, data("node4"), "--store", storeArg)
	if err := stop(); err != nil {
		t.Fatalf("start with the database's key after the refusals: %v", err)
	}
	if strings.Contains(log.String(), "check value") {
		t.Errorf("a later start logged about the check value again:\n%s", log)
	}
}

func TestServeRefusesAnotherDataKey(t *testing.T) {
	checkRefusal(t, filepath.Join(t.TempDir(), "shared.db"))
}

func TestServeRefusesAnotherDataKeyPostgres(t *testing.T) {
	checkRefusal(t, postgresStore(t))
}

// TestServeAdoptsDatabaseWithoutCheckValue starts on a database from
// before the check existed: pools but no check value. The first start
// adopts its key and says so once; a node with another key is refused
// from then on.
func TestServeAdoptsDatabaseWithoutCheckValue(t *testing.T) {
	data := t.TempDir()
	path := filepath.Join(data, "userpool.db")
	st, err := sqlite.Open(t.Context(), sqlite.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePool(t.Context(), store.Pool{ID: "us-east-1_old"}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	keyA := newDataKey()
	env := map[string]string{"USERPOOL_DATA_KEY": keyA}
	_, _, log, stop := startServeEnv(t, env, data)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(log.String(), "adopted this node's data key"); n != 1 {
		t.Errorf("first start on a database without a check value logged the adoption %d times, want once:\n%s", n, log)
	}
	_, _, log, stop = startServeEnv(t, env, data)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(log.String(), "adopted") {
		t.Errorf("the second start logged the adoption again:\n%s", log)
	}
	err, _ = runRefused(t, map[string]string{"USERPOOL_DATA_KEY": newDataKey()}, "serve", "--addr", freeAddr(t), "--data", data)
	if !errors.Is(err, errWrongDataKey) {
		t.Errorf("another key after the adoption: err = %v, want the data key refusal", err)
	}
}

// TestKeysCommandsRefuseAnotherDataKey runs the commands that open the
// store with the data key: with another key they must be refused, and
// keys rotate must not have sealed a key with it.
func TestKeysCommandsRefuseAnotherDataKey(t *testing.T) {
	data := t.TempDir()
	keyA := newDataKey()
	_, _, _, stop := startServeEnv(t, map[string]string{"USERPOOL_DATA_KEY": keyA}, data)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(data, "userpool.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.CreatePool(t.Context(), store.Pool{ID: "us-east-1_keys"}); err != nil {
		t.Fatal(err)
	}

	wrong := map[string]string{"USERPOOL_DATA_KEY": newDataKey()}
	for _, args := range [][]string{
		{"keys", "rotate", "--pool", "us-east-1_keys", "--data", data},
		{"keys", "list", "--pool", "us-east-1_keys", "--data", data},
	} {
		if err, _ := runRefused(t, wrong, args...); !errors.Is(err, errWrongDataKey) {
			t.Errorf("%v with another key: err = %v, want the data key refusal", args, err)
		}
	}
	keys, err := st.ListSigningKeys(t.Context(), "us-east-1_keys")
	if err != nil || len(keys) != 0 {
		t.Errorf("after a refused keys rotate: %d keys, %v; want none", len(keys), err)
	}

	var out syncBuffer
	err = run(t.Context(), []string{"userpool", "keys", "rotate", "--pool", "us-east-1_keys", "--data", data},
		func(k string) string { return map[string]string{"USERPOOL_DATA_KEY": keyA}[k] }, nil, &out, &out)
	if err != nil {
		t.Fatalf("keys rotate with the database's key: %v\n%s", err, out.String())
	}
}

// TestDataKeyCheckConcurrentFirstStarts starts several nodes on one new
// database at the same moment, each with its own connection to it. With
// one key they must all start; with a key each, exactly one, whose key
// the database then holds, while the others are refused.
func TestDataKeyCheckConcurrentFirstStarts(t *testing.T) {
	backends := map[string]func(t *testing.T) func() store.Store{
		"sqlite": func(t *testing.T) func() store.Store {
			path := filepath.Join(t.TempDir(), "shared.db")
			return func() store.Store {
				st, err := sqlite.Open(t.Context(), sqlite.Config{Path: path})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st
			}
		},
		"postgres": func(t *testing.T) func() store.Store {
			u := postgresStore(t)
			return func() store.Store {
				st, err := postgres.Open(t.Context(), postgres.Config{URL: u})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st
			}
		},
	}
	const nodes = 6
	for name, backend := range backends {
		for _, sameKey := range []bool{true, false} {
			label := name + "/one key"
			if !sameKey {
				label = name + "/a key each"
			}
			t.Run(label, func(t *testing.T) {
				open := backend(t)
				var stores [nodes]store.Store
				var keys [nodes][]byte
				shared := randomKey()
				for i := range nodes {
					stores[i] = open()
					keys[i] = shared
					if !sameKey {
						keys[i] = randomKey()
					}
				}
				cfg := &config.Config{DataKey: "set"}
				log := slog.New(slog.NewTextHandler(io.Discard, nil))
				var errs [nodes]error
				var wg sync.WaitGroup
				start := make(chan struct{})
				for i := range nodes {
					wg.Go(func() {
						<-start
						errs[i] = checkDataKey(t.Context(), stores[i], cfg, keys[i], log)
					})
				}
				close(start)
				wg.Wait()
				started := 0
				for i, err := range errs {
					switch {
					case err == nil:
						started++
						// The database holds the key of every node that started.
						if err := checkDataKey(t.Context(), stores[0], cfg, keys[i], log); err != nil {
							t.Errorf("node %d started, but its key is not the database's: %v", i, err)
						}
					case !errors.Is(err, errWrongDataKey):
						t.Errorf("node %d: %v", i, err)
					}
				}
				want := 1
				if sameKey {
					want = nodes
				}
				if started != want {
					t.Errorf("%d nodes started, want %d (errors %v)", started, want, errs)
				}
			})
		}
	}
}

func randomKey() []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}

// postgresStore returns a --store URL for a new schema of the test
// database (pgtest.Schema), dropped when the test ends.
func postgresStore(t *testing.T) string {
	t.Helper()
	dsn, schema := pgtest.Schema(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("pool_max_conns", "4")
	u.RawQuery = q.Encode()
	return u.String()
}
