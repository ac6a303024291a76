package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/userpool/userpool/internal/config"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/seed"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
	"github.com/userpool/userpool/internal/userpool"
)

// applySeed applies the seed file at path to svc, as `serve --seed` does
// at every start. The file is applied first to a scratch database, where
// the service's own rules (password policies, scopes, domain names, ...)
// refuse what they refuse, so that a bad file changes nothing in the real
// one.
func applySeed(ctx context.Context, path string, cfg *config.Config, svc *userpool.Service, log *slog.Logger) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	f, err := seed.Parse(path, data)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if err := trySeed(ctx, f, cfg); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	changes, err := seed.Apply(ctx, svc, f)
	for _, c := range changes {
		log.Info("seed: "+c, "file", path)
	}
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	log.Info("seed applied", "file", path, "changes", len(changes))
	return nil
}

// trySeed applies f to a scratch SQLite database that is thrown away.
func trySeed(ctx context.Context, f *seed.File, cfg *config.Config) error {
	dir, err := os.MkdirTemp("", "userpool-seed-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(dir, "scratch.db")})
	if err != nil {
		return err
	}
	defer st.Close()
	key := make([]byte, seal.KeySize)
	rand.Read(key)
	sealer, err := seal.New(key)
	if err != nil {
		return err
	}
	_, err = seed.Apply(ctx, userpool.New(userpool.Config{
		Store: st, Sealer: sealer, Now: time.Now, Region: cfg.Region, AccountID: cfg.AccountID,
		// Nothing here is kept: the cheapest hashing will do.
		Passwords: password.Hasher{MemoryKiB: 64, Iterations: 1},
	}), f)
	return err
}

func seedCommand(getenv func(string) string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Work with seed files (see serve --seed)",
	}
	var pool string
	export := &cobra.Command{
		Use:   "export",
		Short: "Write a pool as a seed file",
		Long: "Writes the pool's settings, domain, resource servers, groups, app clients and users (with their\n" +
			"attributes and groups) as a seed file for `serve --seed`, keeping the pool's and clients' ids.\n" +
			"Passwords and client secrets are left out: a client with a secret is written with GenerateSecret: true.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, getenv, func(ctx context.Context, st store.Store, key []byte) error {
				sealer, err := seal.New(key)
				if err != nil {
					return err
				}
				out, err := seed.Export(ctx, userpool.New(userpool.Config{Store: st, Sealer: sealer}), pool)
				if err != nil {
					return err
				}
				_, err = cmd.OutOrStdout().Write(out)
				return err
			})
		},
	}
	export.Flags().StringVar(&pool, "pool", "", "user pool id (required)")
	export.MarkFlagRequired("pool")
	config.RegisterStorage(export.Flags())
	cmd.AddCommand(export)
	return cmd
}
