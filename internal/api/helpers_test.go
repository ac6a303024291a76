package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/userpool/userpool/client"
	"github.com/userpool/userpool/internal/api"
	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/oauth2"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/server"
	"github.com/userpool/userpool/internal/sigv4"
	"github.com/userpool/userpool/internal/store/sqlite"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/userpool"
)

const (
	testKeyID  = "AKUPTESTTESTTESTTEST"
	testSecret = "test-secret-access-key-0123456789abcdef"
)

// clock is a settable time source shared by the server under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is one server under test: a real HTTP server over a fresh SQLite
// store, and an AWS SDK client pointed at it that signs with the test admin
// key, so every test goes through the same wire a user's SDK does.
type env struct {
	t      *testing.T
	URL    string
	Client *cip.Client
	Svc    *userpool.Service
	Clock  *clock
	API    *api.API
	Issuer *tokens.Issuer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "test.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, err := seal.New(bytes.Repeat([]byte{42}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	svc := userpool.New(userpool.Config{
		Store:     st,
		Sealer:    sealer,
		Passwords: password.Hasher{MemoryKiB: 64, Iterations: 1},
		Now:       clk.Now,
	})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dataKey := bytes.Repeat([]byte{42}, seal.KeySize)
	codec, err := tokens.NewRefreshCodec(dataKey)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	publicURL := "http://" + ts.Listener.Addr().String()
	issuer := tokens.New(tokens.Config{Store: st, Sealer: sealer, Refresh: codec, Now: clk.Now, PublicURL: publicURL})
	engine := auth.New(auth.Config{Users: svc, Tokens: issuer, Store: st, Sealer: sealer, Now: clk.Now})
	a := api.New(api.Config{
		Service: svc,
		Auth:    engine,
		Verifier: &sigv4.Verifier{
			Credentials: func(id string) (string, bool) { return testSecret, id == testKeyID },
			Service:     "cognito-idp",
			Now:         time.Now, // the SDK signs with the wall clock
		},
		Logger: log,
		Now:    clk.Now,
	})
	ts.Config.Handler = server.New(server.Config{
		API:    a,
		OAuth2: oauth2.New(oauth2.Config{Pools: svc, Tokens: issuer, PublicURL: publicURL, Logger: log, Auth: engine, Users: svc, Sealer: sealer, Now: clk.Now}),
		Logger: log,
	})
	ts.Start()
	t.Cleanup(ts.Close)
	return &env{t: t, URL: ts.URL, Client: newClient(ts.URL, testKeyID, testSecret), Svc: svc, Clock: clk, API: a, Issuer: issuer}
}

// newClient returns an SDK client for the server at url. It is set up as
// a user's would be with client.WithEndpoint, whose transport fix keeps
// large responses from failing now and then.
func newClient(url, keyID, secret string) *cip.Client {
	return cip.New(cip.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(keyID, secret, ""),
		RetryMaxAttempts: 1,
	}, client.WithEndpoint(url))
}

// ctx returns the test's context.
func (e *env) ctx() context.Context { return e.t.Context() }

// raw sends one request by hand, signed with the test admin key, for the
// cases the SDK would refuse to build (malformed JSON, unknown targets).
func (e *env) raw(target, body string, header ...string) (int, http.Header, map[string]any) {
	e.t.Helper()
	return e.send(true, target, body, header...)
}

// rawUnsigned is raw without a signature.
func (e *env) rawUnsigned(target, body string, header ...string) (int, http.Header, map[string]any) {
	e.t.Helper()
	return e.send(false, target, body, header...)
}

func (e *env) send(sign bool, target, body string, header ...string) (int, http.Header, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.ctx(), http.MethodPost, e.URL+"/", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+target)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if sign {
		sum := sha256.Sum256([]byte(body))
		creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
		if err := v4.NewSigner().SignHTTP(e.ctx(), creds, req, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", time.Now()); err != nil {
			e.t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		e.t.Fatalf("response is not JSON: %q", b)
	}
	return resp.StatusCode, resp.Header, out
}

// wantAPIError asserts err is the Cognito exception typ, through the SDK's
// own error decoding, and, when msg is not "", that its message is msg.
func wantAPIError(t *testing.T, err error, typ, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, typ)
	}
	if ae.ErrorCode() != typ {
		t.Fatalf("error code = %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), typ)
	}
	if msg != "" && ae.ErrorMessage() != msg {
		t.Fatalf("message = %q, want %q", ae.ErrorMessage(), msg)
	}
}
