package userpool

import (
	"context"
	"errors"
	"fmt"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Resource server quotas (reference §9.1): 25 per pool by default (AWS
// raises it to 300 on request), 100 scopes each.
const (
	maxResourceServers     = 25
	maxResourceScopes      = 100
	maxResourceServersPage = 50 // ListResourceServers' MaxResults range is 1..50
)

// Answers about resource servers; the reference is silent on Cognito's
// wording, so these follow the style of its other messages.
const (
	msgResourceServerExists   = "A resource server with the identifier %s already exists in this user pool."
	msgResourceServerNotFound = "Resource server %s does not exist."
	msgResourceServerLimit    = "The user pool has reached its limit of %d resource servers."
	msgTooManyScopes          = "A resource server can have at most %d scopes."
	msgDuplicateScope         = "The scope name %s is listed more than once."
)

// resourceServerListKind names the listing in its NextTokens; the pool is
// part of it, so a token of one pool's listing is refused by another's.
func resourceServerListKind(poolID string) string { return "resource-servers/" + poolID }

// checkPoolExists answers ResourceNotFoundException when the pool is
// missing, so that "no such resource server" is only said of pools that
// exist.
func checkPoolExists(ctx context.Context, st store.Store, poolID string) error {
	_, err := st.GetPool(ctx, poolID)
	return poolError(poolID, err)
}

// checkScopes enforces what the model cannot: unique scope names (they
// become "identifier/name" strings in tokens and client settings).
func checkScopes(scopes []cognito.ResourceServerScopeType) ([]store.Scope, error) {
	if len(scopes) > maxResourceScopes {
		return nil, cognito.InvalidParameter(fmt.Sprintf(msgTooManyScopes, maxResourceScopes))
	}
	seen := make(map[string]bool, len(scopes))
	var out []store.Scope
	for _, sc := range scopes {
		if seen[sc.ScopeName] {
			return nil, cognito.InvalidParameter(fmt.Sprintf(msgDuplicateScope, sc.ScopeName))
		}
		seen[sc.ScopeName] = true
		out = append(out, store.Scope{Name: sc.ScopeName, Description: sc.ScopeDescription})
	}
	return out, nil
}

func resourceServerType(rs store.ResourceServer) *cognito.ResourceServerType {
	out := &cognito.ResourceServerType{UserPoolID: rs.PoolID, Identifier: rs.Identifier, Name: rs.Name}
	for _, sc := range rs.Scopes {
		out.Scopes = append(out.Scopes, cognito.ResourceServerScopeType{ScopeName: sc.Name, ScopeDescription: sc.Description})
	}
	return out
}

// resourceServerError translates ErrNotFound from a store call about one
// resource server: the pool or the server is missing.
func resourceServerError(ctx context.Context, st store.Store, poolID, identifier string, err error) error {
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if perr := checkPoolExists(ctx, st, poolID); perr != nil {
		return perr
	}
	return cognito.ResourceNotFound(fmt.Sprintf(msgResourceServerNotFound, identifier))
}

// CreateResourceServer adds an OAuth resource server and its custom
// scopes to a pool.
func (s *Service) CreateResourceServer(ctx context.Context, in *cognito.CreateResourceServerInput) (*cognito.CreateResourceServerOutput, error) {
	scopes, err := checkScopes(in.Scopes)
	if err != nil {
		return nil, err
	}
	rs := store.ResourceServer{PoolID: in.UserPoolID, Identifier: in.Identifier, Name: in.Name, Scopes: scopes}
	// One transaction, so two concurrent creates cannot both pass the
	// quota check.
	err = s.cfg.Store.InTx(ctx, func(st store.Store) error {
		if err := checkPoolExists(ctx, st, in.UserPoolID); err != nil {
			return err
		}
		if _, err := st.GetResourceServer(ctx, in.UserPoolID, in.Identifier); err == nil {
			return cognito.InvalidParameter(fmt.Sprintf(msgResourceServerExists, in.Identifier))
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		existing, _, err := st.ListResourceServers(ctx, in.UserPoolID, store.Page{Limit: maxResourceServers})
		if err != nil {
			return err
		}
		if len(existing) >= maxResourceServers {
			return cognito.LimitExceeded(fmt.Sprintf(msgResourceServerLimit, maxResourceServers))
		}
		err = st.CreateResourceServer(ctx, rs)
		if errors.Is(err, store.ErrAlreadyExists) {
			return cognito.InvalidParameter(fmt.Sprintf(msgResourceServerExists, in.Identifier))
		}
		return poolError(in.UserPoolID, err)
	})
	if err != nil {
		return nil, err
	}
	return &cognito.CreateResourceServerOutput{ResourceServer: resourceServerType(rs)}, nil
}

// DescribeResourceServer returns one resource server.
func (s *Service) DescribeResourceServer(ctx context.Context, in *cognito.DescribeResourceServerInput) (*cognito.DescribeResourceServerOutput, error) {
	st := s.cfg.Store
	rs, err := st.GetResourceServer(ctx, in.UserPoolID, in.Identifier)
	if err != nil {
		return nil, resourceServerError(ctx, st, in.UserPoolID, in.Identifier, err)
	}
	return &cognito.DescribeResourceServerOutput{ResourceServer: resourceServerType(rs)}, nil
}

// ListResourceServers lists a pool's resource servers by identifier.
// MaxResults defaults to its largest value, 50.
func (s *Service) ListResourceServers(ctx context.Context, in *cognito.ListResourceServersInput) (*cognito.ListResourceServersOutput, error) {
	limit := maxResourceServersPage
	if in.MaxResults != nil {
		limit = int(*in.MaxResults)
	}
	after, err := decodeNextToken(resourceServerListKind(in.UserPoolID), in.NextToken)
	if err != nil {
		return nil, err
	}
	st := s.cfg.Store
	if err := checkPoolExists(ctx, st, in.UserPoolID); err != nil {
		return nil, err
	}
	servers, next, err := st.ListResourceServers(ctx, in.UserPoolID, store.Page{Limit: limit, After: after})
	if err != nil {
		return nil, err
	}
	out := &cognito.ListResourceServersOutput{NextToken: encodeNextToken(resourceServerListKind(in.UserPoolID), next)}
	for _, rs := range servers {
		out.ResourceServers = append(out.ResourceServers, *resourceServerType(rs))
	}
	return out, nil
}

// UpdateResourceServer replaces a resource server's name and scopes: scopes
// left out of the request are removed, as in Cognito.
func (s *Service) UpdateResourceServer(ctx context.Context, in *cognito.UpdateResourceServerInput) (*cognito.UpdateResourceServerOutput, error) {
	scopes, err := checkScopes(in.Scopes)
	if err != nil {
		return nil, err
	}
	st := s.cfg.Store
	rs, err := st.UpdateResourceServer(ctx, in.UserPoolID, in.Identifier, func(rs *store.ResourceServer) error {
		rs.Name = in.Name
		rs.Scopes = scopes
		return nil
	})
	if err != nil {
		return nil, resourceServerError(ctx, st, in.UserPoolID, in.Identifier, err)
	}
	return &cognito.UpdateResourceServerOutput{ResourceServer: resourceServerType(rs)}, nil
}

// DeleteResourceServer removes a resource server. App clients that list
// its scopes are left as they are: the scopes no longer resolve, and
// token requests for them fail as for any unknown scope.
func (s *Service) DeleteResourceServer(ctx context.Context, in *cognito.DeleteResourceServerInput) error {
	st := s.cfg.Store
	if err := st.DeleteResourceServer(ctx, in.UserPoolID, in.Identifier); err != nil {
		return resourceServerError(ctx, st, in.UserPoolID, in.Identifier, err)
	}
	return nil
}

// CustomScopes returns the custom scopes of a pool as the strings clients
// and tokens carry ("identifier/scope"), for checking an app client's
// AllowedOAuthScopes (ScopeDoesNotExistException) and a token request's
// scope parameter.
func (s *Service) CustomScopes(ctx context.Context, poolID string) ([]string, error) {
	st := s.cfg.Store
	if err := checkPoolExists(ctx, st, poolID); err != nil {
		return nil, err
	}
	var out []string
	page := store.Page{Limit: maxResourceServersPage}
	for {
		servers, next, err := st.ListResourceServers(ctx, poolID, page)
		if err != nil {
			return nil, err
		}
		for _, rs := range servers {
			for _, sc := range rs.Scopes {
				out = append(out, rs.Identifier+"/"+sc.Name)
			}
		}
		if next == "" {
			return out, nil
		}
		page.After = next
	}
}
