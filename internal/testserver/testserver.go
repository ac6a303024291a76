package testserver

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/api"
	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/limits"
	"github.com/userpool/userpool/internal/metrics"
	"github.com/userpool/userpool/internal/oauth2"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/server"
	"github.com/userpool/userpool/internal/sigv4"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/triggers"
	"github.com/userpool/userpool/internal/userpool"
)

// The admin key the API's SigV4 verifier accepts; tests sign with it.
const (
	AdminKeyID  = "AKUPTESTTESTTESTTEST"
	AdminSecret = "test-secret-access-key-0123456789abcdef"
)

// Start is where every stack's clock begins, so tests can write expected
// timestamps as constants.
var Start = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// Clock is a settable time source shared by every part of the stack; tests
// move it to expire codes, tokens and sessions without sleeping.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Stack is one running server and the parts it is made of, so tests can
// both call it over HTTP and reach past the wire when they need to.
type Stack struct {
	// URL is the test server's address.
	URL string
	// DB is the SQLite store itself; Store is what the service and the
	// engine were given, DB or the wrapper of WithStore.
	DB      *sqlite.Store
	Store   store.Store
	Sealer  *seal.Sealer
	Service *userpool.Service
	Issuer  *tokens.Issuer
	Engine  *auth.Engine
	// API is nil under WithoutAPI; OAuth2 is nil under WithoutOAuth2.
	API    *api.API
	OAuth2 *oauth2.Handler
	Clock  *Clock
	// Outbox is nil unless WithOutbox was given.
	Outbox *delivery.Outbox
}

type config struct {
	wrapStore func(store.Store) store.Store
	publicURL string
	logOutput io.Writer
	outbox    bool
	outboxTo  delivery.Sender
	devOutbox bool
	noAPI     bool
	noOAuth2  bool
	quotas    *limits.Quotas
	invoker   triggers.Invoker
	logs      userpool.LogWriter
}

// Option changes how New builds the stack.
type Option func(*config)

// WithStore hands the service, issuer and engine wrap(db) instead of the
// SQLite store, for tests that make the database misbehave.
func WithStore(wrap func(store.Store) store.Store) Option {
	return func(c *config) { c.wrapStore = wrap }
}

// WithTriggers runs the pools' Lambda triggers through inv, an
// in-process stand-in for the Lambda Invoke API.
func WithTriggers(inv triggers.Invoker) Option {
	return func(c *config) { c.invoker = inv }
}

// WithPublicURL sets the URL the issuer and the OAuth2 handler announce,
// instead of the test server's own.
func WithPublicURL(u string) Option {
	return func(c *config) { c.publicURL = u }
}

// WithLogOutput sends the server's log to w instead of discarding it.
// Writes to w are serialized, since the server logs from many goroutines
// and tests usually hand in a plain bytes.Buffer.
func WithLogOutput(w io.Writer) Option {
	return func(c *config) { c.logOutput = &lockedWriter{w: w} }
}

// lockedWriter lets the server's goroutines write to one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// WithOutbox makes the service deliver messages into an outbox, which
// passes them on to next (nil for nowhere); Stack.Outbox holds it.
func WithOutbox(next delivery.Sender) Option {
	return func(c *config) { c.outbox, c.outboxTo = true, next }
}

// WithDevOutbox also serves the outbox at GET /_dev/messages, as --dev
// does. It needs WithOutbox.
func WithDevOutbox() Option {
	return func(c *config) { c.devOutbox = true }
}

// WithoutAPI answers the admin API's routes with 404, for tests of the
// OAuth2 endpoints alone.
func WithoutAPI() Option {
	return func(c *config) { c.noAPI = true }
}

// WithQuotas gives the API request-rate quotas.
func WithQuotas(q *limits.Quotas) Option {
	return func(c *config) { c.quotas = q }
}

// WithLogs delivers the pools' exported logs through w (a
// logdelivery.Router mapping the ARNs the test configures).
func WithLogs(w userpool.LogWriter) Option {
	return func(c *config) { c.logs = w }
}

// WithoutOAuth2 leaves the OAuth2 and hosted endpoints out of the server.
func WithoutOAuth2() Option {
	return func(c *config) { c.noOAuth2 = true }
}

// New builds and starts a stack for t; t's cleanup stops the server and
// closes the store.
func New(t testing.TB, opts ...Option) *Stack {
	t.Helper()
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.devOutbox && !cfg.outbox {
		t.Fatal("testserver: WithDevOutbox needs WithOutbox")
	}
	db, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "test.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var st store.Store = db
	if cfg.wrapStore != nil {
		st = cfg.wrapStore(db)
	}
	st = metrics.Store(st) // as `userpool serve` runs it
	key := bytes.Repeat([]byte{42}, seal.KeySize)
	sealer, err := seal.New(key)
	if err != nil {
		t.Fatal(err)
	}
	clk := &Clock{t: Start}
	ts := httptest.NewUnstartedServer(nil)
	publicURL := cfg.publicURL
	if publicURL == "" {
		publicURL = "http://" + ts.Listener.Addr().String()
	}
	var outbox *delivery.Outbox
	var trig *triggers.Triggers
	if cfg.invoker != nil {
		trig = triggers.New(cfg.invoker, nil)
	}
	logOutput := cfg.logOutput
	if logOutput == nil {
		logOutput = io.Discard
	}
	log := slog.New(slog.NewTextHandler(logOutput, nil))
	svcCfg := userpool.Config{
		Store:     st,
		Sealer:    sealer,
		Passwords: password.Hasher{MemoryKiB: 64, Iterations: 1},
		Now:       clk.Now,
		HostedURL: publicURL,
		Triggers:  trig,
		Logs:      cfg.logs,
		Logger:    log,
	}
	if cfg.outbox {
		outbox = delivery.NewOutbox(0, nil, cfg.outboxTo)
		svcCfg.Messages = outbox
	}
	svc := userpool.New(svcCfg)
	t.Cleanup(svc.Close) // before the store closes: cleanups run last first
	codec, err := tokens.NewRefreshCodec(key)
	if err != nil {
		t.Fatal(err)
	}

	issuer := tokens.New(tokens.Config{Store: st, Sealer: sealer, Refresh: codec, Now: clk.Now, PublicURL: publicURL})
	engine := auth.New(auth.Config{Users: svc, Tokens: issuer, Store: st, Sealer: sealer, Now: clk.Now, Triggers: trig})
	s := &Stack{DB: db, Store: st, Sealer: sealer, Service: svc, Issuer: issuer, Engine: engine, Clock: clk, Outbox: outbox}

	srv := server.Config{API: http.NotFoundHandler(), Logger: log, Metrics: metrics.Handler()}
	if !cfg.noAPI {
		s.API = api.New(api.Config{
			Service: svc,
			Auth:    engine,
			Verifier: &sigv4.Verifier{
				Credentials: func(id string) (string, bool) { return AdminSecret, id == AdminKeyID },
				Service:     "cognito-idp",
				Region:      "us-east-1", // the service's default region
				Now:         time.Now,    // the SDK signs with the wall clock
			},
			Quotas: cfg.quotas,
			Logger: log,
			Now:    clk.Now,
		})
		srv.API = s.API
		srv.ImportUpload = http.HandlerFunc(s.API.ImportUpload)
	}
	if !cfg.noOAuth2 {
		s.OAuth2 = oauth2.New(oauth2.Config{
			Pools: svc, Tokens: issuer, PublicURL: publicURL, Logger: log,
			Auth: engine, Users: svc, Sealer: sealer, Now: clk.Now,
		})
		srv.OAuth2 = s.OAuth2
	}
	if cfg.devOutbox {
		srv.DevOutbox = outbox
	}
	ts.Config.Handler = server.New(srv)
	ts.Start()
	t.Cleanup(ts.Close)
	s.URL = ts.URL
	return s
}
