package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/client"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "userpool-load:", err)
		os.Exit(1)
	}
}

type options struct {
	endpoint    string
	op          string
	concurrency int
	duration    time.Duration
	requests    int
	warmup      time.Duration
	serverPID   int
	poolID      string
	clientID    string
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	if len(args) > 0 && args[0] == "seed" {
		return runSeed(ctx, args[1:], getenv, out)
	}
	fs := flag.NewFlagSet("userpool-load", flag.ContinueOnError)
	var o options
	fs.StringVar(&o.endpoint, "endpoint", "http://127.0.0.1:9229", "Userpool server to load (loopback or your own test host)")
	fs.StringVar(&o.op, "op", "refresh", "operation: signin, refresh, rotate, getuser or listusers (filters on a seeded pool's users)")
	fs.StringVar(&o.poolID, "pool-id", "", "use this pool, made by `userpool-load seed`, instead of a new one (needs -client-id)")
	fs.StringVar(&o.clientID, "client-id", "", "the seeded pool's load client")
	fs.IntVar(&o.concurrency, "concurrency", 8, "concurrent workers")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long to measure")
	fs.IntVar(&o.requests, "requests", 1_000_000, "stop after this many measured requests")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured run before measuring")
	fs.IntVar(&o.serverPID, "server-pid", 0, "pid of the server process on this machine: report its CPU time per request, from /proc")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.concurrency < 1 || o.duration <= 0 || o.requests < 1 {
		return errors.New("concurrency, duration and requests must be positive")
	}
	switch o.op {
	case "signin", "refresh", "rotate", "getuser", "listusers":
	default:
		return fmt.Errorf("unknown -op %q", o.op)
	}
	idp := newClient(o.endpoint, getenv, o.concurrency)
	var f *fixture
	if o.poolID != "" {
		if o.op == "rotate" {
			return errors.New("-op rotate needs a pool of its own (a rotating client)")
		}
		f = &fixture{pool: o.poolID, client: o.clientID, username: loadUsername, password: loadPassword}
	} else {
		var err error
		if f, err = setUp(ctx, idp, o.op == "rotate"); err != nil {
			return fmt.Errorf("set up: %w", err)
		}
		defer idp.DeleteUserPool(context.WithoutCancel(ctx), &cip.DeleteUserPoolInput{UserPoolId: aws.String(f.pool)})
	}

	workers := make([]*worker, o.concurrency)
	for i := range workers {
		w := &worker{f: f, idp: idp}
		if err := w.signIn(ctx); err != nil {
			return fmt.Errorf("first sign-in: %w", err)
		}
		workers[i] = w
	}
	call := func(ctx context.Context, w *worker) error {
		switch o.op {
		case "signin":
			return w.signIn(ctx)
		case "refresh":
			return w.refresh(ctx)
		case "rotate":
			return w.rotate(ctx)
		case "listusers":
			return w.listUsers(ctx)
		}
		return w.getUser(ctx)
	}
	if o.warmup > 0 {
		measure(ctx, workers, call, o.warmup, math.MaxInt)
	}
	var cpu0 time.Duration
	if o.serverPID > 0 {
		var err error
		if cpu0, err = processCPU(o.serverPID); err != nil {
			return err
		}
	}
	res := measure(ctx, workers, call, o.duration, o.requests)
	if o.serverPID > 0 {
		cpu1, err := processCPU(o.serverPID)
		if err != nil {
			return err
		}
		res.serverCPU = cpu1 - cpu0
	}
	res.print(out, o)
	return nil
}

// The load user. Its name is an e-mail address, which every server
// accepts as a username (cognito-local insists on one, and finds users by
// their e-mail, so it is the e-mail address too).
const (
	loadUsername = "load-user@example.com"
	loadPassword = "Load-test-password-1"
)

// newClient is a Cognito client of the endpoint, with the admin keys of
// the environment or, for a server started with --dev, any.
func newClient(endpoint string, getenv func(string) string, concurrency int) *cip.Client {
	key, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	if key == "" {
		key, secret = "dev", "dev" // enough for a server started with --dev
	}
	transport := &http.Transport{MaxIdleConnsPerHost: concurrency * 2, MaxConnsPerHost: concurrency * 2}
	return cip.New(cip.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: transport},
	}, client.WithEndpoint(endpoint))
}

type fixture struct {
	pool, client, username, password string
}

func setUp(ctx context.Context, idp *cip.Client, rotate bool) (*fixture, error) {
	p, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("userpool-load")})
	if err != nil {
		return nil, err
	}
	f := &fixture{pool: *p.UserPool.Id, username: loadUsername, password: loadPassword}
	in := &cip.CreateUserPoolClientInput{
		UserPoolId: p.UserPool.Id, ClientName: aws.String("load"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	}
	if rotate {
		in.ExplicitAuthFlows = in.ExplicitAuthFlows[:1]
		in.RefreshTokenRotation = &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(0)}
	}
	c, err := idp.CreateUserPoolClient(ctx, in)
	if err != nil {
		return nil, err
	}
	f.client = *c.UserPoolClient.ClientId
	if _, err := idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: p.UserPool.Id, Username: aws.String(f.username), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(f.username)}},
	}); err != nil {
		return nil, err
	}
	if _, err := idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: p.UserPool.Id, Username: aws.String(f.username), Password: aws.String(f.password), Permanent: true,
	}); err != nil {
		return nil, err
	}
	return f, nil
}

// worker keeps one signed-in session.
type worker struct {
	f            *fixture
	idp          *cip.Client
	refreshToken string
	access       string
	sub          string // for listusers
	n            int
}

func (w *worker) signIn(ctx context.Context) error {
	out, err := w.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		ClientId: aws.String(w.f.client), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": w.f.username, "PASSWORD": w.f.password},
	})
	if err != nil {
		return err
	}
	w.refreshToken, w.access = *out.AuthenticationResult.RefreshToken, *out.AuthenticationResult.AccessToken
	if w.sub == "" {
		w.sub = jwtSub(w.access)
	}
	return nil
}

func (w *worker) refresh(ctx context.Context) error {
	out, err := w.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		ClientId: aws.String(w.f.client), AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": w.refreshToken},
	})
	if err != nil {
		return err
	}
	w.access = *out.AuthenticationResult.AccessToken
	return nil
}

func (w *worker) rotate(ctx context.Context) error {
	out, err := w.idp.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{
		ClientId: aws.String(w.f.client), RefreshToken: aws.String(w.refreshToken),
	})
	if err != nil {
		return err
	}
	w.refreshToken, w.access = *out.AuthenticationResult.RefreshToken, *out.AuthenticationResult.AccessToken
	return nil
}

// listUsers runs ListUsers with one of the filters a seeded pool answers
// from an index, in turn: =, and ^= on e-mail, phone, username; = on sub.
func (w *worker) listUsers(ctx context.Context) error {
	w.n++
	i := (w.n * 7919) % 1000 // a seeded user: the pool has at least 1000
	filters := []string{
		fmt.Sprintf("email = %q", seededEmail(i)), fmt.Sprintf("email ^= %q", seededEmail(i)[:10]),
		fmt.Sprintf("phone_number = %q", seededPhone(i)), fmt.Sprintf("phone_number ^= %q", seededPhone(i)[:10]),
		fmt.Sprintf("username = %q", seededUsername(i)), fmt.Sprintf("username ^= %q", seededUsername(i)[:9]),
		fmt.Sprintf("sub = %q", w.sub),
	}
	out, err := w.idp.ListUsers(ctx, &cip.ListUsersInput{
		UserPoolId: aws.String(w.f.pool), Filter: aws.String(filters[w.n%len(filters)]), Limit: aws.Int32(10),
	})
	if err == nil && len(out.Users) == 0 {
		err = fmt.Errorf("filter %s found nobody: is the pool seeded?", filters[w.n%len(filters)])
	}
	return err
}

func (w *worker) getUser(ctx context.Context) error {
	_, err := w.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(w.access)})
	return err
}

type result struct {
	elapsed   time.Duration
	latencies []time.Duration
	errors    int64
	firstErr  error
	serverCPU time.Duration // of the server process over the run, with -server-pid
}

// measure runs every worker until d passes or n requests are done. A call
// in flight at the deadline is let finish rather than cancelled: a
// cancelled rotation may have happened on the server all the same, and
// the worker would be left holding a rotated-out token.
func measure(ctx context.Context, workers []*worker, call func(context.Context, *worker) error, d time.Duration, n int) *result {
	deadline := time.Now().Add(d)
	var (
		mu       sync.Mutex
		res      result
		issued   atomic.Int64
		errCount atomic.Int64
		wg       sync.WaitGroup
	)
	start := time.Now()
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 1024)
			for ctx.Err() == nil && time.Now().Before(deadline) && issued.Add(1) <= int64(n) {
				t0 := time.Now()
				if err := call(ctx, w); err != nil {
					errCount.Add(1)
					mu.Lock()
					if res.firstErr == nil {
						res.firstErr = err
					}
					mu.Unlock()
					continue
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			res.latencies = append(res.latencies, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.errors = errCount.Load()
	return &res
}

func (r *result) print(out io.Writer, o options) {
	slices.Sort(r.latencies)
	pct := func(p float64) time.Duration {
		if len(r.latencies) == 0 {
			return 0
		}
		return r.latencies[int(math.Ceil(p*float64(len(r.latencies))))-1]
	}
	fmt.Fprintf(out, "op=%s concurrency=%d requests=%d errors=%d elapsed=%s\n", o.op, o.concurrency, len(r.latencies), r.errors, r.elapsed.Round(time.Millisecond))
	fmt.Fprintf(out, "throughput=%.1f req/s\n", float64(len(r.latencies))/r.elapsed.Seconds())
	fmt.Fprintf(out, "latency p50=%s p90=%s p99=%s max=%s\n", pct(0.50).Round(time.Microsecond), pct(0.90).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond))
	if r.serverCPU > 0 && len(r.latencies) > 0 {
		fmt.Fprintf(out, "server_cpu=%s server_cpu_per_request=%.1fµs\n", r.serverCPU, float64(r.serverCPU.Microseconds())/float64(len(r.latencies)+int(r.errors)))
	}
	if r.firstErr != nil {
		fmt.Fprintf(out, "first error: %v\n", r.firstErr)
	}
}

// jwtSub reads the sub claim of a token without verifying it: the load
// tool only needs it as a value to filter on.
func jwtSub(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c struct {
		Sub string `json:"sub"`
	}
	json.Unmarshal(b, &c)
	return c.Sub
}
