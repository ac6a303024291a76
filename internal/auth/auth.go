package auth

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/userpool"
)

// Config configures an Engine.
type Config struct {
	Users  *userpool.Service
	Tokens *tokens.Issuer
	Store  store.Store
	// Sealer seals challenge sessions: they are stateless, so any node can
	// continue a sign-in another node started.
	Sealer *seal.Sealer
	Now    func() time.Time
	// ClientNow is the clock SRP's TIMESTAMP is checked against: clients
	// write it from their own clock, which knows nothing of a development
	// server's moved clock (internal/clock). Nil means Now.
	ClientNow func() time.Time
	// SecretKey keys what must look alike on every node without being
	// predictable, such as the SRP challenges of users who do not exist
	// (srp.go); `userpool serve` passes its data key. When empty, a key
	// drawn once per process is used.
	SecretKey []byte
}

// Engine runs the authentication flows.
type Engine struct {
	cfg Config
}

// New returns an Engine.
func New(cfg Config) *Engine {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ClientNow == nil {
		cfg.ClientNow = cfg.Now
	}
	return &Engine{cfg: cfg}
}

func (e *Engine) now() time.Time { return e.cfg.Now().UTC() }

// Result is the outcome of one authentication step: tokens, or the next
// challenge.
type Result struct {
	Tokens              *TokenSet
	ChallengeName       string
	ChallengeParameters map[string]string
	Session             string
}

// TokenSet is what a successful step returns.
type TokenSet struct {
	IDToken      string
	AccessToken  string
	RefreshToken string // "" on refreshes that do not rotate
	ExpiresIn    int64  // the access token's lifetime in seconds
	// NewDevice is the device key a sign-in in a pool that tracks devices
	// was issued (devices.go); nil otherwise.
	NewDevice *cognito.NewDeviceMetadataType
}

// AuthenticationResult renders the tokens in the JSON API's shape.
func (t *TokenSet) AuthenticationResult() *cognito.AuthenticationResultType {
	if t == nil {
		return nil
	}
	n := t.ExpiresIn
	return &cognito.AuthenticationResultType{
		AccessToken:       t.AccessToken,
		IDToken:           t.IDToken,
		RefreshToken:      t.RefreshToken,
		ExpiresIn:         &n,
		TokenType:         "Bearer",
		NewDeviceMetadata: t.NewDevice,
	}
}

// mintFor signs the ID and access tokens of a sign-in or a refresh.
func (e *Engine) mintFor(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, fam store.RefreshFamily, now time.Time) (idToken, accessToken string, err error) {
	ev, err := e.event(ctx, pool, client, u, fam, now)
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
