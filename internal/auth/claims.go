package auth

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/userpool"
)

// What the tokens of a sign-in or a refresh say: the authentication event
// minted from, its attributes, and the groups and roles of the user.

// mintFor signs the ID and access tokens of a sign-in or a refresh.
func (e *Engine) mintFor(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, fam store.RefreshFamily, now time.Time, m mint) (idToken, accessToken string, err error) {
	ev, err := e.event(ctx, pool, client, u, fam, now, m)
	if err != nil {
		return "", "", err
	}
	return e.cfg.Tokens.Mint(ctx, pool.ID, ev)
}

// groupClaims returns the user's group names for cognito:groups, ordered
// by precedence (lowest first, then name; groups without one last), with
// the distinct roles of the groups that have one and the preferred role:
// the role of the group with the lowest precedence among those with a
// role. Groups that share that precedence take no precedence over each
// other, so then there is no preferred role, unless they have the same
// role (the rule of Cognito's CreateGroup documentation).
func (e *Engine) groupClaims(ctx context.Context, poolID, sub string) (names []string, preferred string, roles []string, err error) {
	var all []store.Group
	page := store.Page{Limit: 60}
	for {
		gs, next, err := e.cfg.Store.ListGroupsForUser(ctx, poolID, sub, page)
		if err != nil {
			return nil, "", nil, err
		}
		all = append(all, gs...)
		if next == "" {
			break
		}
		page.After = next
	}
	sort.SliceStable(all, func(i, j int) bool { return precedence(all[i]) < precedence(all[j]) })
	var best *store.Group
	tie := false
	for i := range all {
		g := &all[i]
		names = append(names, g.Name)
		if g.RoleARN == "" {
			continue
		}
		if !slices.Contains(roles, g.RoleARN) {
			roles = append(roles, g.RoleARN)
		}
		// all is sorted, so the first group with a role has the lowest
		// precedence; only a later one with the same precedence and
		// another role can take the preference away.
		switch {
		case best == nil:
			best = g
		case precedence(*g) == precedence(*best) && g.RoleARN != best.RoleARN:
			tie = true
		}
	}
	if best != nil && !tie {
		preferred = best.RoleARN
	}
	return names, preferred, roles, nil
}

// precedence orders groups without one after every group with one.
func precedence(g store.Group) int64 {
	if g.Precedence == nil {
		return 1 << 62
	}
	return *g.Precedence
}

// event describes an authentication event of a family for minting: the
// claims of its tokens, for the JSON API (mintFor) and the OAuth
// endpoints alike, as the pool's pre token generation trigger changes
// them.
func (e *Engine) event(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, fam store.RefreshFamily, now time.Time, m mint) (*tokens.Event, error) {
	groups, preferred, roles, err := e.groupClaims(ctx, pool.ID, u.Sub)
	if err != nil {
		return nil, err
	}
	readable := userpool.ReadableAttributes(client.Config, u)
	attrs := make([]tokens.Attribute, 0, len(readable))
	for _, a := range readable {
		attrs = append(attrs, tokens.Attribute{Name: a.Name, Value: a.Value})
	}
	scopes := fam.Scopes
	if len(scopes) == 0 {
		scopes = []string{tokens.ScopeAdmin}
	}
	ev := &tokens.Event{
		Issuer:        e.cfg.Tokens.IssuerURL(pool.ID),
		ClientID:      client.Config.ClientID,
		Sub:           u.Sub,
		Username:      u.Username,
		Attributes:    attrs,
		Groups:        groups,
		PreferredRole: preferred,
		Roles:         roles,
		Scopes:        scopes,
		AuthTime:      fam.AuthTime,
		IssuedAt:      now,
		IDTTL:         client.IDTokenTTL(),
		AccessTTL:     client.AccessTokenTTL(),
		OriginJTI:     fam.ID,
		Revocable:     client.Config.EnableTokenRevocation == nil || *client.Config.EnableTokenRevocation,
		DeviceKey:     fam.DeviceKey,
	}
	if err := e.preTokenGeneration(ctx, pool, client, u, ev, m); err != nil {
		return nil, err
	}
	return ev, nil
}
