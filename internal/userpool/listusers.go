package userpool

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// ListUsers pages through a pool's users; its filter is in listusers_filter.go.

// maxUsersPage is ListUsers' largest page and its default (a Limit of 0,
// or none).
const maxUsersPage = 60

// userListKind names ListUsers' pages in their PaginationToken; the pool
// is part of it, so one pool's token is refused by another's listing.
func userListKind(poolID string) string { return "users/" + poolID }

// ListUsers lists a pool's users by username, optionally filtered by one
// condition and projected to some attributes (an empty AttributesToGet
// returns users without attributes, as Cognito does).
func (s *Service) ListUsers(ctx context.Context, in *cognito.ListUsersInput) (*cognito.ListUsersOutput, error) {
	pool, err := s.Pool(ctx, in.UserPoolID)
	if err != nil {
		return nil, err
	}
	f, filtered, err := parseFilter(in.Filter)
	if err != nil {
		return nil, err
	}
	if err := poolSchema(pool).checkAttributesToGet(in.AttributesToGet); err != nil {
		return nil, err
	}
	var filter *store.UserFilter
	if filtered {
		filter = f.storeFilter(poolIdentity(pool))
	}
	limit := maxUsersPage
	if in.Limit != nil && *in.Limit > 0 {
		limit = int(*in.Limit)
	}
	after, err := decodeNextToken(userListKind(pool.ID), in.PaginationToken)
	if err != nil {
		return nil, cognito.InvalidParameter(msgBadPaginationToken)
	}
	users, next, err := s.cfg.Store.ListUsers(ctx, pool.ID, filter, store.Page{Limit: limit, After: after})
	if err != nil {
		return nil, err
	}
	out := &cognito.ListUsersOutput{PaginationToken: encodeNextToken(userListKind(pool.ID), next)}
	for _, u := range users {
		out.Users = append(out.Users, userType(u, in.AttributesToGet))
	}
	return out, nil
}

// msgBadPaginationToken answers a PaginationToken this server did not
// issue for the listing (the reference is silent on Cognito's wording).
const msgBadPaginationToken = "The PaginationToken is not valid."
