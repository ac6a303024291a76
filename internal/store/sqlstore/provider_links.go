package sqlstore

import (
	"context"
	"fmt"

	"github.com/userpool/userpool/internal/store"
)

const linkCols = `pool_id, provider_name, attribute_name, attribute_value, sub, created_at`

func scanLink(r scanner) (store.ProviderLink, error) {
	var l store.ProviderLink
	var created int64
	if err := r.Scan(&l.PoolID, &l.ProviderName, &l.AttributeName, &l.AttributeValue, &l.Sub, &created); err != nil {
		return store.ProviderLink{}, err
	}
	l.CreatedAt = fromMillis(created)
	return l, nil
}

// CreateProviderLink implements store.ProviderLinks.
func (s *Store) CreateProviderLink(ctx context.Context, l store.ProviderLink) error {
	return s.do(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO provider_links (`+linkCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
			l.PoolID, l.ProviderName, l.AttributeName, l.AttributeValue, l.Sub, millis(l.CreatedAt))
		if err != nil {
			return s.insertErr("create provider link", err)
		}
		return nil
	})
}

// GetProviderLink implements store.ProviderLinks.
func (s *Store) GetProviderLink(ctx context.Context, poolID, provider, attrName, attrValue string) (store.ProviderLink, error) {
	return get(ctx, s, func(q Querier) (store.ProviderLink, error) {
		l, err := scanLink(q.QueryRow(ctx, `SELECT `+linkCols+` FROM provider_links
			WHERE pool_id = $1 AND provider_name = $2 AND attribute_name = $3 AND attribute_value = $4`,
			poolID, provider, attrName, attrValue))
		return l, notFound("get provider link", err)
	})
}

// DeleteProviderLink implements store.ProviderLinks.
func (s *Store) DeleteProviderLink(ctx context.Context, poolID, provider, attrName, attrValue string) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM provider_links
			WHERE pool_id = $1 AND provider_name = $2 AND attribute_name = $3 AND attribute_value = $4`,
			poolID, provider, attrName, attrValue)
		return mustAffect("delete provider link", tag, err)
	})
}

// ListProviderLinks implements store.ProviderLinks.
func (s *Store) ListProviderLinks(ctx context.Context, poolID, sub string) ([]store.ProviderLink, error) {
	return get(ctx, s, func(q Querier) ([]store.ProviderLink, error) {
		rows, err := q.Query(ctx, `SELECT `+linkCols+` FROM provider_links WHERE pool_id = $1 AND sub = $2
			ORDER BY created_at, provider_name, attribute_name, attribute_value`, poolID, sub)
		if err != nil {
			return nil, fmt.Errorf("list provider links: %w", err)
		}
		defer rows.Close()
		var out []store.ProviderLink
		for rows.Next() {
			l, err := scanLink(rows)
			if err != nil {
				return nil, fmt.Errorf("list provider links: %w", err)
			}
			out = append(out, l)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("list provider links: %w", err)
		}
		return out, nil
	})
}
