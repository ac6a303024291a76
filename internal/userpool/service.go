package userpool

import (
	"context"
	"crypto/rand"
	"log/slog"
	"sync"
	"time"

	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/triggers"
)

// Config configures a Service.
type Config struct {
	Store  store.Store
	Sealer *seal.Sealer
	// Passwords hashes and checks user passwords.
	Passwords PasswordHasher
	// Now is the clock; nothing in this package reads the wall clock.
	Now func() time.Time
	// Region goes into pool ids (us-east-1_XXXXXXXXX) and ARNs.
	Region string
	// AccountID goes into ARNs.
	AccountID string
	// Messages delivers the messages that carry codes (sign-up,
	// verification, password reset). Nil delivers nothing: codes are
	// still issued and stored, which suits tests and programs that send
	// no mail; `userpool serve` always sets one (see codes.go).
	Messages Messenger
	// HostedURL is where the hosted pages are served (the server's
	// public URL); the UI customization's ImageUrl points there.
	HostedURL string
	// Triggers runs the pools' Lambda triggers; nil runs none.
	Triggers *triggers.Triggers
	// Logs delivers the pools' exported logs (user activity, message
	// delivery failures) where the server maps their ARNs; nil delivers
	// none.
	Logs LogWriter
	// Logger gets what goes wrong on the side of a request without
	// failing it (an auth event not recorded) and what background work
	// (user import jobs) does; nil is slog.Default.
	Logger *slog.Logger
}

// PasswordHasher hashes passwords for storage and checks them.
type PasswordHasher interface {
	Hash(password string) (string, error)
	// Verify reports whether password matches the stored hash, in
	// constant time.
	Verify(hash, password string) (bool, error)
}

// Service applies Cognito's rules to pools, app clients, domains, resource
// servers, groups and users on top of a store.
type Service struct {
	cfg   Config
	decoy struct {
		once sync.Once
		hash string
	}
	settings *settingsCache
	// jobs is the context user import jobs run under and the count of
	// those running, so that Close can stop them.
	jobs struct {
		ctx    context.Context
		cancel context.CancelFunc
		wg     sync.WaitGroup
	}
}

// New returns a Service.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Service{cfg: cfg, settings: newSettingsCache()}
	s.jobs.ctx, s.jobs.cancel = context.WithCancel(context.Background())
	return s
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

// randomString returns n characters drawn uniformly from alphabet with
// crypto/rand, rejecting bytes that would bias the draw.
func randomString(n int, alphabet string) string {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet)
	buf := make([]byte, n*2)
	for len(out) < n {
		rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit {
				out = append(out, alphabet[int(b)%len(alphabet)])
				if len(out) == n {
					break
				}
			}
		}
	}
	return string(out)
}
