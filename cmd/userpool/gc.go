package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/userpool"
)

// collectGarbage removes what has expired — refresh tokens and their
// families (kept one token lifetime past their expiry, so an access token
// never outlives the family it is checked against), authorization codes,
// the records of used SAML assertions once they have expired,
// authentication events past their retention, and the files of import
// jobs never started once they have expired — every interval of the wall
// clock until ctx ends, by the server's clock now (which --dev can move).
// Every node may run it: the deletes are idempotent.
func collectGarbage(ctx context.Context, st store.Store, log *slog.Logger, every time.Duration, now func() time.Time, events userpool.AuthEventRetention) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		collectOnce(ctx, st, log, now(), events)
	}
}

// collectOnce is one round of collectGarbage, by the time at.
func collectOnce(ctx context.Context, st store.Store, log *slog.Logger, at time.Time, events userpool.AuthEventRetention) {
	n, err := st.DeleteExpiredRefreshTokens(ctx, at.Add(-tokens.MaxTokenLifetime))
	if err != nil && ctx.Err() == nil {
		log.Warn("garbage collection: refresh tokens", "err", err)
	}
	m, err := st.DeleteExpiredAuthCodes(ctx, at)
	if err != nil && ctx.Err() == nil {
		log.Warn("garbage collection: authorization codes", "err", err)
	}
	a, err := st.DeleteExpiredSAMLAssertions(ctx, at)
	if err != nil && ctx.Err() == nil {
		log.Warn("garbage collection: used SAML assertions", "err", err)
	}
	k, err := st.DeleteOldAuthEvents(ctx, at.Add(-events.Age), events.PerUser)
	if err != nil && ctx.Err() == nil {
		log.Warn("garbage collection: auth events", "err", err)
	}
	f, err := st.DropUnstartedImportCSVs(ctx, at.Add(-userpool.ImportJobExpiry))
	if err != nil && ctx.Err() == nil {
		log.Warn("garbage collection: files of expired import jobs", "err", err)
	}
	if int64(n+m+a)+int64(k)+f > 0 {
		log.Info("garbage collected", "refresh_rows", n, "authorization_codes", m, "saml_assertions", a, "auth_events", k, "import_files", f)
	}
}
