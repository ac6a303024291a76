package upgrade

import (
	"context"
	"fmt"

	"github.com/pressly/goose/v3"

	"github.com/userpool/userpool/internal/store"
)

// Run applies p's pending migrations. A schema a newer binary migrated is
// refused with a *store.SchemaTooNewError before p.Up, which would find
// nothing to do and let this binary serve a schema it does not know, and
// again after it, for a newer node that migrated meanwhile. Errors are
// for the backend to prefix with its name.
func Run(ctx context.Context, p *goose.Provider) error {
	if err := refuseNewer(ctx, p); err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return refuseNewer(ctx, p)
}

// refuseNewer returns a *store.SchemaTooNewError when the database records
// a migration newer than the newest this binary embeds.
func refuseNewer(ctx context.Context, p *goose.Provider) error {
	current, latest, err := p.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if current > latest {
		return &store.SchemaTooNewError{Version: current, Latest: latest}
	}
	return nil
}
