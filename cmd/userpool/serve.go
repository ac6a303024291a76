package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/userpool/userpool/internal/api"
	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/clock"
	"github.com/userpool/userpool/internal/config"
	"github.com/userpool/userpool/internal/datadir"
	"github.com/userpool/userpool/internal/limits"
	"github.com/userpool/userpool/internal/logbuf"
	"github.com/userpool/userpool/internal/logdelivery"
	"github.com/userpool/userpool/internal/metrics"
	"github.com/userpool/userpool/internal/oauth2"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/reqctx"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/server"
	"github.com/userpool/userpool/internal/sigv4"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/postgres"
	"github.com/userpool/userpool/internal/store/sqlite"
	"github.com/userpool/userpool/internal/triggers"
	"github.com/userpool/userpool/internal/userpool"
)

func serveCommand(getenv func(string) string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the server",
		Args:  cobra.NoArgs,
	}
	config.Register(cmd.Flags())
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		cfg, err := config.Load(cmd.Flags(), getenv)
		if err != nil {
			return err
		}
		tuneGC(getenv)
		return serve(cmd.Context(), cfg, cmd.OutOrStdout(), cmd.ErrOrStderr())
	}
	return cmd
}

// serveGCPercent is the garbage collector's target of `userpool serve`
// unless GOGC says otherwise. The server's live heap is small (tens of
// MiB) while every password hash allocates its Argon2 memory afresh, so
// at Go's default of 100 the collector ran about every few sign-ins and
// cost about a tenth of a sign-in's and a GetUser's CPU; at 400 the heap
// may grow to five times the live one, still small, and collection costs
// a quarter as much.
const serveGCPercent = 400

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(reqctx.LogHandler{Handler: h})
}

func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (store.Store, error) {
	if cfg.IsPostgres() {
		return postgres.Open(ctx, postgres.Config{URL: cfg.Store})
	}
	return sqlite.Open(ctx, sqlite.Config{Path: cfg.Store, Log: log})
}

// accessLogInterval is the longest an access-log line waits before it is
// written (internal/logbuf): short enough for someone watching the log,
// long enough that a busy server writes its request lines in batches, not
// with a system call each. Other lines are written at once.
const accessLogInterval = 100 * time.Millisecond

// serve runs the server until ctx ends, then drains in-flight requests.
func serve(ctx context.Context, cfg *config.Config, stdout, stderr io.Writer) error {
	out := logbuf.New(stderr, accessLogInterval)
	// Deferred first, so it runs last: the lines of the last requests,
	// and of the shutdown, are written however serve returns.
	defer out.Close()
	log := newLogger(cfg, out)
	if err := datadir.Ensure(cfg.Data); err != nil {
		return err
	}
	key, err := datadir.DataKey(cfg.Data, cfg.DataKey)
	if err != nil {
		return err
	}
	sealer, err := seal.New(key)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()
	st = metrics.Store(st) // times the hot path's store calls
	if err := checkDataKey(ctx, st, cfg, key, log); err != nil {
		return err
	}
	// After the data key check, so that a node refused for its key has not
	// generated (and printed) an admin key pair first.
	verifier, err := adminVerifier(cfg, stdout, log)
	if err != nil {
		return err
	}

	// Every rule reads this one clock; only --dev lets it move (GET and
	// POST /_dev/clock). SigV4 and SRP's TIMESTAMP, which clients compute
	// from their own clocks, are checked against the wall clock.
	clk := clock.New(time.Now)
	var devClock http.Handler
	if cfg.Dev {
		devClock = clock.Handler(clk)
	}
	messages, devOutbox, err := newMessenger(cfg, log)
	if err != nil {
		return err
	}
	invoker, err := triggers.NewLambda(ctx, cfg.LambdaEndpoint, log)
	if err != nil {
		return err
	}
	trig := triggers.New(invoker, log)
	logs, err := logdelivery.New(logdelivery.Config{Destinations: cfg.LogDestinations, WebhookToken: cfg.WebhookToken, Log: log})
	if err != nil {
		return err
	}
	// Closed after the server stops, so the records of the last requests
	// are posted.
	defer logs.Close()
	svc := userpool.New(userpool.Config{
		Store:     st,
		Sealer:    sealer,
		Passwords: password.Hasher{MemoryKiB: uint32(cfg.Argon2MemoryKiB), Iterations: uint32(cfg.Argon2Iterations)},
		Now:       clk.Now,
		Region:    cfg.Region,
		AccountID: cfg.AccountID,
		Messages:  messages,
		HostedURL: cfg.PublicURL,
		Triggers:  trig,
		Logs:      logs,
		Logger:    log,
	})
	// Import jobs still running at shutdown end Failed; before the store
	// closes (defers run last first).
	defer svc.Close()
	if cfg.Seed != "" {
		if err := applySeed(ctx, cfg.Seed, cfg, svc, log); err != nil {
			return err
		}
	}
	issuer, err := newIssuer(st, key, cfg.PublicURL, clk.Now)
	if err != nil {
		return err
	}
	engine := auth.New(auth.Config{Users: svc, Tokens: issuer, Store: st, Sealer: sealer, SecretKey: key, Now: clk.Now, ClientNow: time.Now, Triggers: trig})
	// Config.Validate has refused quotas under --dev and checked their
	// syntax. They count real seconds, whatever the server's clock says.
	quotas, err := limits.ParseQuotas(cfg.RateLimits, time.Now)
	if err != nil {
		return err
	}
	ready := new(atomic.Bool)
	// /metrics is on the API's listener unless --metrics-addr gives it
	// one of its own.
	metricsHandler, apiMetrics := metrics.Handler(), http.Handler(nil)
	if cfg.MetricsAddr == "" {
		apiMetrics = metricsHandler
	}
	jsonAPI := api.New(api.Config{Service: svc, Auth: engine, Verifier: verifier, Logger: log, Now: clk.Now, Quotas: quotas})
	handler := server.New(server.Config{
		API:          jsonAPI,
		ImportUpload: http.HandlerFunc(jsonAPI.ImportUpload),
		OAuth2:       oauth2.New(oauth2.Config{Pools: svc, Tokens: issuer, PublicURL: cfg.PublicURL, Logger: log, Auth: engine, Users: svc, Sealer: sealer, Now: clk.Now}),
		Logger:       log,
		AccessLog:    newLogger(cfg, out.Deferred()),
		Ready:        ready,
		Metrics:      apiMetrics,
		// Nil outside --dev, which leaves GET /_dev/messages out.
		DevOutbox: devOutbox,
		DevClock:  devClock,
	})

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	ln = limits.Listener(ln, cfg.MaxConnections)
	srv := &http.Server{
		Handler:           handler,
		MaxHeaderBytes:    limits.MaxHeaderBytes,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if cfg.PprofAddr != "" {
		stopPprof, _, err := servePprof(cfg.PprofAddr, log)
		if err != nil {
			return err
		}
		defer stopPprof()
	}
	if cfg.MetricsAddr != "" {
		stopMetrics, _, err := serveMetrics(cfg.MetricsAddr, metricsHandler, log)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	retention := userpool.AuthEventRetention{Age: cfg.AuthEventRetention, PerUser: cfg.AuthEventMaxPerUser}
	gcCtx, stopGC := context.WithCancel(ctx)
	gcDone := make(chan struct{})
	go func() { defer close(gcDone); collectGarbage(gcCtx, st, log, 10*time.Minute, clk.Now, retention) }()
	// The collector stops before the store closes (defers run last first).
	defer func() { stopGC(); <-gcDone }()
	metrics.SetSigner(issuer.SignerKind())
	ready.Store(true)
	log.Info("userpool listening", "addr", ln.Addr().String(), "public_url", cfg.PublicURL, "store", storeKind(cfg), "version", versionString(), "signer", signerDescription())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	ready.Store(false)
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func storeKind(cfg *config.Config) string {
	if cfg.IsPostgres() {
		return "postgres"
	}
	return "sqlite:" + cfg.Store
}

// adminVerifier returns the SigV4 verifier for admin actions, or nil under
// --dev, which accepts any signature as local emulators do.
func adminVerifier(cfg *config.Config, stdout io.Writer, log *slog.Logger) (*sigv4.Verifier, error) {
	if cfg.Dev {
		log.Warn("development mode: admin actions accept any signature and passwords are hashed cheaply; never use --dev in production")
		return nil, nil
	}
	key := datadir.AdminKey{AccessKeyID: cfg.AdminAccessKeyID, SecretAccessKey: cfg.AdminSecretAccessKey}
	if key.AccessKeyID == "" {
		k, created, err := datadir.AdminKeys(cfg.Data)
		if err != nil {
			return nil, err
		}
		key = k
		if created {
			// Printed once, on the start that generated it; afterwards it
			// is only in the 0600 file.
			fmt.Fprintf(stdout, "Generated an admin key pair (stored in %s/%s):\n  AWS_ACCESS_KEY_ID=%s\n  AWS_SECRET_ACCESS_KEY=%s\n", cfg.Data, datadir.AdminKeysFile, key.AccessKeyID, key.SecretAccessKey)
		}
	}
	return &sigv4.Verifier{
		Credentials: func(id string) (string, bool) {
			if id == key.AccessKeyID {
				return key.SecretAccessKey, true
			}
			return "", false
		},
		Service: "cognito-idp",
		Region:  cfg.Region,
		Now:     time.Now,
	}, nil
}
