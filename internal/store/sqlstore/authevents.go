package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/store"
)

const authEventCols = `e.pool_id, e.sub, e.id, e.type, e.response, e.created_at, e.detail`

func scanAuthEvent(r scanner) (store.AuthEvent, error) {
	var ev store.AuthEvent
	var created int64
	if err := r.Scan(&ev.PoolID, &ev.Sub, &ev.ID, &ev.Type, &ev.Response, &created, &ev.Detail); err != nil {
		return store.AuthEvent{}, err
	}
	ev.CreatedAt = fromMillis(created)
	return ev, nil
}

func getAuthEvent(ctx context.Context, q Querier, poolID, sub, id string, lock bool) (store.AuthEvent, error) {
	ev, err := scanAuthEvent(q.QueryRow(ctx, `SELECT `+authEventCols+` FROM auth_events e
		WHERE e.pool_id = $1 AND e.id = $2 AND e.sub = $3`+forUpdate(lock), poolID, id, sub))
	if err != nil {
		return store.AuthEvent{}, notFound("get auth event", err)
	}
	return ev, nil
}

// PutAuthEvent implements store.AuthEvents, as one upsert. A missing user
// is the foreign key's violation. The replaced row must be the same
// user's: the upsert leaves another user's event of the id untouched and
// reports it as not found.
func (s *Store) PutAuthEvent(ctx context.Context, ev store.AuthEvent) error {
	return s.do(ctx, func(q Querier) error {
		tag, err := q.Exec(ctx, `INSERT INTO auth_events (pool_id, id, sub, type, response, created_at, detail)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (pool_id, id) DO UPDATE SET type = excluded.type, response = excluded.response,
				created_at = excluded.created_at, detail = excluded.detail
			WHERE auth_events.sub = excluded.sub`,
			ev.PoolID, ev.ID, ev.Sub, ev.Type, ev.Response, millis(ev.CreatedAt), emptyBytes(ev.Detail))
		if err != nil {
			return s.insertErr("put auth event", err)
		}
		if tag == 0 {
			return fmt.Errorf("put auth event: the id is another user's: %w", store.ErrNotFound)
		}
		return nil
	})
}

// GetAuthEvent implements store.AuthEvents.
func (s *Store) GetAuthEvent(ctx context.Context, poolID, sub, id string) (store.AuthEvent, error) {
	return get(ctx, s, func(q Querier) (store.AuthEvent, error) {
		return getAuthEvent(ctx, q, poolID, sub, id, false)
	})
}

// UpdateAuthEvent implements store.AuthEvents.
func (s *Store) UpdateAuthEvent(ctx context.Context, poolID, sub, id string, fn func(*store.AuthEvent) error) (store.AuthEvent, error) {
	return change(ctx, s, "update auth event", fn,
		func(ev store.AuthEvent) [3]string { return [3]string{ev.PoolID, ev.Sub, ev.ID} },
		func(q Querier, lock bool) (store.AuthEvent, error) {
			return getAuthEvent(ctx, q, poolID, sub, id, lock)
		},
		func(q Querier, ev store.AuthEvent) (store.AuthEvent, error) {
			return scanAuthEvent(q.QueryRow(ctx, `UPDATE auth_events SET type = $1, response = $2, created_at = $3, detail = $4
				WHERE pool_id = $5 AND id = $6 RETURNING pool_id, sub, id, type, response, created_at, detail`,
				ev.Type, ev.Response, millis(ev.CreatedAt), emptyBytes(ev.Detail), poolID, id))
		})
}

// ListAuthEvents implements store.AuthEvents. The page key is the last
// event's creation time and id, "millis.id", which the next page resumes
// strictly before.
func (s *Store) ListAuthEvents(ctx context.Context, poolID, sub string, page store.Page) ([]store.AuthEvent, string, error) {
	limit := limitOf(page)
	var a args
	where := `e.pool_id = ` + a.add(poolID) + ` AND e.sub = ` + a.add(sub)
	if page.After != "" {
		ms, id, ok := strings.Cut(page.After, ".")
		at, err := strconv.ParseInt(ms, 10, 64)
		if !ok || err != nil {
			return nil, "", fmt.Errorf("list auth events: malformed page key %q", page.After)
		}
		where += ` AND (e.created_at < ` + a.add(at) + ` OR (e.created_at = ` + a.add(at) + ` AND e.id < ` + a.add(id) + `))`
	}
	text := `SELECT ` + authEventCols + ` FROM auth_events e WHERE ` + where +
		` ORDER BY e.created_at DESC, e.id DESC LIMIT ` + a.add(limit+1)
	out, err := get(ctx, s, func(q Querier) ([]store.AuthEvent, error) {
		rows, err := q.Query(ctx, text, a...)
		if err != nil {
			return nil, fmt.Errorf("list auth events: %w", err)
		}
		defer rows.Close()
		var out []store.AuthEvent
		for rows.Next() {
			ev, err := scanAuthEvent(rows)
			if err != nil {
				return nil, fmt.Errorf("list auth events: %w", err)
			}
			out = append(out, ev)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("list auth events: %w", err)
		}
		return out, nil
	})
	if err != nil || len(out) <= limit {
		return out, "", err
	}
	out = out[:limit]
	last := out[limit-1]
	return out, strconv.FormatInt(millis(last.CreatedAt), 10) + "." + last.ID, nil
}

// DeleteOldAuthEvents implements store.AuthEvents, in rounds of at most
// gcBatch rows, each a statement of its own, so no round holds many
// locks. The count bound numbers each user's events newest first.
func (s *Store) DeleteOldAuthEvents(ctx context.Context, before time.Time, keep int) (int, error) {
	bound := int64(keep)
	if keep <= 0 {
		bound = 1 << 62
	}
	return s.deleteInRounds(ctx, "delete old auth events", `DELETE FROM auth_events WHERE (pool_id, id) IN (
		SELECT r.pool_id, r.id FROM (
			SELECT pool_id, id, created_at,
				ROW_NUMBER() OVER (PARTITION BY pool_id, sub ORDER BY created_at DESC, id DESC) AS n
			FROM auth_events) r
		WHERE r.created_at < $1 OR r.n > $2 LIMIT $3)`, millis(before), bound, gcBatch)
}
