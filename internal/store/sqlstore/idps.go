package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/userpool/userpool/internal/store"
)

const idpCols = `pool_id, name, type, settings, identifiers, created_at, updated_at`

// The identifiers are kept twice: as a JSON list in the provider's row, so
// a provider reads in one row and in its order, and one row each in
// idp_identifiers, whose primary key makes them unique in the pool and
// serves GetIdentityProviderByIdentifier.
func scanIDP(r scanner) (store.IdentityProvider, error) {
	var p store.IdentityProvider
	var ids []byte
	var created, updated int64
	if err := r.Scan(&p.PoolID, &p.Name, &p.Type, &p.Settings, &ids, &created, &updated); err != nil {
		return store.IdentityProvider{}, err
	}
	if err := json.Unmarshal(ids, &p.Identifiers); err != nil {
		return store.IdentityProvider{}, fmt.Errorf("decode identifiers: %w", err)
	}
	if len(p.Identifiers) == 0 {
		p.Identifiers = nil
	}
	p.CreatedAt, p.UpdatedAt = fromMillis(created), fromMillis(updated)
	return p, nil
}

func getIDP(ctx context.Context, q Querier, poolID, name string, lock bool) (store.IdentityProvider, error) {
	p, err := scanIDP(q.QueryRow(ctx,
		`SELECT `+idpCols+` FROM identity_providers WHERE pool_id = $1 AND name = $2`+forUpdate(lock), poolID, name))
	if err != nil {
		return store.IdentityProvider{}, notFound("get identity provider", err)
	}
	return p, nil
}

// insertIdentifiers adds the rows of p's identifiers; a taken one is a
// ConflictError naming the identifier field.
func (s *Store) insertIdentifiers(ctx context.Context, q Querier, p store.IdentityProvider) error {
	for _, id := range p.Identifiers {
		_, err := q.Exec(ctx, `INSERT INTO idp_identifiers (pool_id, identifier, provider_name) VALUES ($1, $2, $3)`,
			p.PoolID, id, p.Name)
		if err != nil {
			if s.f.Unique(err) {
				return &store.ConflictError{Field: store.ConflictProviderIdentifier}
			}
			return fmt.Errorf("identifier: %w", err)
		}
	}
	return nil
}

// CreateIdentityProvider implements store.IdentityProviders.
func (s *Store) CreateIdentityProvider(ctx context.Context, p store.IdentityProvider) error {
	ids, err := encodeJSON(p.Identifiers)
	if err != nil {
		return fmt.Errorf("create identity provider: identifiers: %w", err)
	}
	return s.update(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO identity_providers (`+idpCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			p.PoolID, p.Name, p.Type, p.Settings, ids, millis(p.CreatedAt), millis(p.UpdatedAt))
		if err != nil {
			if s.f.Unique(err) {
				return &store.ConflictError{Field: store.ConflictProviderName}
			}
			return s.insertErr("create identity provider", err)
		}
		return s.insertIdentifiers(ctx, q, p)
	})
}

// GetIdentityProvider implements store.IdentityProviders.
func (s *Store) GetIdentityProvider(ctx context.Context, poolID, name string) (store.IdentityProvider, error) {
	return get(ctx, s, func(q Querier) (store.IdentityProvider, error) { return getIDP(ctx, q, poolID, name, false) })
}

// GetIdentityProviderByIdentifier implements store.IdentityProviders.
func (s *Store) GetIdentityProviderByIdentifier(ctx context.Context, poolID, identifier string) (store.IdentityProvider, error) {
	return get(ctx, s, func(q Querier) (store.IdentityProvider, error) {
		p, err := scanIDP(q.QueryRow(ctx, `SELECT p.pool_id, p.name, p.type, p.settings, p.identifiers, p.created_at, p.updated_at
			FROM idp_identifiers i JOIN identity_providers p ON p.pool_id = i.pool_id AND p.name = i.provider_name
			WHERE i.pool_id = $1 AND i.identifier = $2`, poolID, identifier))
		if err != nil {
			return store.IdentityProvider{}, notFound("get identity provider by identifier", err)
		}
		return p, nil
	})
}

// UpdateIdentityProvider implements store.IdentityProviders. The
// identifier rows are replaced with the record's list.
func (s *Store) UpdateIdentityProvider(ctx context.Context, poolID, name string, fn func(*store.IdentityProvider) error) (store.IdentityProvider, error) {
	return change(ctx, s, "update identity provider", fn,
		func(p store.IdentityProvider) [3]string { return [3]string{p.PoolID, p.Name, p.Type} },
		func(q Querier, lock bool) (store.IdentityProvider, error) { return getIDP(ctx, q, poolID, name, lock) },
		func(q Querier, p store.IdentityProvider) (store.IdentityProvider, error) {
			ids, err := encodeJSON(p.Identifiers)
			if err != nil {
				return store.IdentityProvider{}, fmt.Errorf("identifiers: %w", err)
			}
			if _, err := q.Exec(ctx, `DELETE FROM idp_identifiers WHERE pool_id = $1 AND provider_name = $2`, poolID, name); err != nil {
				return store.IdentityProvider{}, fmt.Errorf("identifiers: %w", err)
			}
			if err := s.insertIdentifiers(ctx, q, p); err != nil {
				return store.IdentityProvider{}, err
			}
			return scanIDP(q.QueryRow(ctx, `UPDATE identity_providers SET settings = $1, identifiers = $2,
				created_at = $3, updated_at = $4 WHERE pool_id = $5 AND name = $6 RETURNING `+idpCols,
				p.Settings, ids, millis(p.CreatedAt), millis(p.UpdatedAt), poolID, name))
		})
}

// DeleteIdentityProvider implements store.IdentityProviders. Its
// identifiers go with it by cascade.
func (s *Store) DeleteIdentityProvider(ctx context.Context, poolID, name string) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM identity_providers WHERE pool_id = $1 AND name = $2`, poolID, name)
		return mustAffect("delete identity provider", tag, err)
	})
}

// ListIdentityProviders implements store.IdentityProviders.
func (s *Store) ListIdentityProviders(ctx context.Context, poolID string, page store.Page) ([]store.IdentityProvider, string, error) {
	var a args
	pool := a.add(poolID)
	return list(ctx, s, "list identity providers", page, a, func(after, limit Text) Text {
		return `SELECT ` + idpCols + ` FROM identity_providers WHERE pool_id = ` + pool +
			` AND name > ` + after + ` ORDER BY name LIMIT ` + limit
	}, scanIDP, func(p store.IdentityProvider) string { return p.Name })
}

const samlKeyCols = `pool_id, sealed, certificate, created_at`

func scanSAMLKey(r scanner) (store.SAMLSigningKey, error) {
	var k store.SAMLSigningKey
	var created int64
	if err := r.Scan(&k.PoolID, &k.Sealed, &k.Certificate, &created); err != nil {
		return store.SAMLSigningKey{}, err
	}
	k.CreatedAt = fromMillis(created)
	return k, nil
}

func getSAMLKey(ctx context.Context, q Querier, poolID string) (store.SAMLSigningKey, error) {
	k, err := scanSAMLKey(q.QueryRow(ctx, `SELECT `+samlKeyCols+` FROM saml_signing_keys WHERE pool_id = $1`, poolID))
	if err != nil {
		return store.SAMLSigningKey{}, notFound("get SAML signing key", err)
	}
	return k, nil
}

// GetSAMLSigningKey implements store.SAMLSigningKeys.
func (s *Store) GetSAMLSigningKey(ctx context.Context, poolID string) (store.SAMLSigningKey, error) {
	return get(ctx, s, func(q Querier) (store.SAMLSigningKey, error) { return getSAMLKey(ctx, q, poolID) })
}

// AddSAMLSigningKey implements store.SAMLSigningKeys: an insert that does
// nothing on a key already there, then a read of whichever key is.
func (s *Store) AddSAMLSigningKey(ctx context.Context, k store.SAMLSigningKey) (store.SAMLSigningKey, error) {
	var out store.SAMLSigningKey
	err := s.update(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO saml_signing_keys (`+samlKeyCols+`) VALUES ($1, $2, $3, $4)
			ON CONFLICT (pool_id) DO NOTHING`, k.PoolID, k.Sealed, k.Certificate, millis(k.CreatedAt))
		if err != nil {
			return s.insertErr("add SAML signing key", err)
		}
		out, err = getSAMLKey(ctx, q, k.PoolID)
		return err
	})
	return orZero(out, err)
}
