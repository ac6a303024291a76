package auth

import (
	"sync/atomic"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/triggers"
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
	// Triggers runs the pools' Lambda triggers; nil runs none.
	Triggers *triggers.Triggers
}

// Engine runs the authentication flows.
type Engine struct {
	cfg Config
	// attemptCost is what counting a password attempt costs the store,
	// in nanoseconds, averaged (passwordAttempt): an unknown user's
	// sign-in waits as long, so that the time of its answer does not
	// tell it from a real user's.
	attemptCost atomic.Int64
	// lanes serialise each user's password checks on this node
	// (attempt_lanes.go).
	lanes *attemptLanes
}

// New returns an Engine.
func New(cfg Config) *Engine {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ClientNow == nil {
		cfg.ClientNow = cfg.Now
	}
	return &Engine{cfg: cfg, lanes: newAttemptLanes()}
}

func (e *Engine) now() time.Time { return e.cfg.Now().UTC() }

// Result is the outcome of one authentication step: tokens, or the next
// challenge.
type Result struct {
	Tokens              *TokenSet
	ChallengeName       string
	ChallengeParameters map[string]string
	// AvailableChallenges lists, with SELECT_CHALLENGE, the first factors
	// the user may choose from.
	AvailableChallenges []string
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
