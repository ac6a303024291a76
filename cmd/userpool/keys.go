package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/userpool/userpool/internal/config"
	"github.com/userpool/userpool/internal/datadir"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
)

func keysCommand(getenv func(string) string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage the pools' token signing keys",
	}
	var pool string
	var ahead time.Duration
	rotate := &cobra.Command{
		Use:   "rotate",
		Short: "Publish new signing keys for a pool; they sign after --publish-ahead",
		Long: "Adds a new ID-token key and a new access-token key to the pool. They appear in the JWKS at once and start\n" +
			"signing after --publish-ahead, so verifiers that cache the JWKS learn them first. The keys they replace keep\n" +
			"verifying until every token they signed has expired (one day after the switch).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withPoolIssuer(cmd, getenv, pool, func(ctx context.Context, iss *tokens.Issuer) error {
				ids, err := iss.RotateKeys(ctx, pool, ahead)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "new keys %s (id) and %s (access) sign from %s\n", ids[0], ids[1], time.Now().Add(ahead).UTC().Format(time.RFC3339))
				return nil
			})
		},
	}
	rotate.Flags().StringVar(&pool, "pool", "", "user pool id (required)")
	rotate.Flags().DurationVar(&ahead, "publish-ahead", 15*time.Minute, "how long new keys are published before they sign; longer than any verifier caches the JWKS")
	rotate.MarkFlagRequired("pool")
	config.RegisterStorage(rotate.Flags())

	var listPool string
	list := &cobra.Command{
		Use:   "list",
		Short: "List a pool's signing keys",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, getenv, func(ctx context.Context, st store.Store, _ []byte) error {
				if err := poolExists(ctx, st, listPool); err != nil {
					return err
				}
				keys, err := st.ListSigningKeys(ctx, listPool)
				if err != nil {
					return err
				}
				printKeys(cmd.OutOrStdout(), keys)
				return nil
			})
		},
	}
	list.Flags().StringVar(&listPool, "pool", "", "user pool id (required)")
	list.MarkFlagRequired("pool")
	config.RegisterStorage(list.Flags())
	cmd.AddCommand(rotate, list)
	return cmd
}

func printKeys(w io.Writer, keys []store.SigningKey) {
	fmt.Fprintf(w, "%-46s %-7s %-21s %s\n", "KID", "USE", "SIGNS FROM", "EXPIRES")
	for _, k := range keys {
		from := k.ActiveAt.Format(time.RFC3339)
		if k.ActiveAt.Unix() == 0 {
			from = "creation" // a pool's first keys
		}
		exp := "-"
		if !k.ExpiresAt.IsZero() {
			exp = k.ExpiresAt.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%-46s %-7s %-21s %s\n", k.ID, k.Use, from, exp)
	}
}

// withStore opens the store the serve settings name, for commands that
// work on the data directly, after the same data key check as serve: a
// command given the wrong key would seal keys no node can open.
func withStore(cmd *cobra.Command, getenv func(string) string, fn func(ctx context.Context, st store.Store, dataKey []byte) error) error {
	cfg, err := config.Load(cmd.Flags(), getenv)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	key, err := datadir.DataKey(cfg.Data, cfg.DataKey)
	if err != nil {
		return err
	}
	log := newLogger(cfg, cmd.ErrOrStderr())
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()
	if err := checkDataKey(ctx, st, cfg, key, log); err != nil {
		return err
	}
	return fn(ctx, st, key)
}

// poolExists is the keys commands' answer for a pool id that names no
// pool, the same from each.
func poolExists(ctx context.Context, st store.Store, poolID string) error {
	_, err := st.GetPool(ctx, poolID)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("user pool %s does not exist", poolID)
	}
	return err
}

// withPoolIssuer runs fn with a token issuer once the pool is found.
func withPoolIssuer(cmd *cobra.Command, getenv func(string) string, poolID string, fn func(ctx context.Context, iss *tokens.Issuer) error) error {
	return withStore(cmd, getenv, func(ctx context.Context, st store.Store, key []byte) error {
		if err := poolExists(ctx, st, poolID); err != nil {
			return err
		}
		iss, err := newIssuer(st, key, "", time.Now)
		if err != nil {
			return err
		}
		return fn(ctx, iss)
	})
}

// newIssuer builds the token issuer over a store and the data key.
func newIssuer(st store.Store, dataKey []byte, publicURL string, now func() time.Time) (*tokens.Issuer, error) {
	sealer, err := seal.New(dataKey)
	if err != nil {
		return nil, err
	}
	codec, err := tokens.NewRefreshCodec(dataKey)
	if err != nil {
		return nil, err
	}
	return tokens.New(tokens.Config{Store: st, Sealer: sealer, Refresh: codec, Now: now, PublicURL: publicURL}), nil
}
