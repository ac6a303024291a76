package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
)

// collectGarbage removes what has expired — refresh tokens and their
// families (kept one token lifetime past their expiry, so an access token
// never outlives the family it is checked against) and authorization
// codes — every interval until ctx ends. Every node may run it: the
// deletes are idempotent.
func collectGarbage(ctx context.Context, st store.Store, log *slog.Logger, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := time.Now()
		n, err := st.DeleteExpiredRefreshTokens(ctx, now.Add(-tokens.MaxTokenLifetime))
		if err != nil && ctx.Err() == nil {
			log.Warn("garbage collection: refresh tokens", "err", err)
		}
		m, err := st.DeleteExpiredAuthCodes(ctx, now)
		if err != nil && ctx.Err() == nil {
			log.Warn("garbage collection: authorization codes", "err", err)
		}
		if n+m > 0 {
			log.Info("garbage collected", "refresh_rows", n, "authorization_codes", m)
		}
	}
}
