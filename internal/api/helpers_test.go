package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/userpool/userpool/client"
	"github.com/userpool/userpool/internal/api"
	"github.com/userpool/userpool/internal/testserver"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/userpool"
)

const (
	testKeyID  = testserver.AdminKeyID
	testSecret = testserver.AdminSecret
)

// clock is the settable time source shared by the server under test.
type clock = testserver.Clock

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
	return newEnvFrom(t, testserver.New(t))
}

// newEnvFrom wraps a started stack in an env with an SDK client for it.
func newEnvFrom(t *testing.T, s *testserver.Stack) *env {
	return &env{t: t, URL: s.URL, Client: newClient(s.URL, testKeyID, testSecret), Svc: s.Service, Clock: s.Clock, API: s.API, Issuer: s.Issuer}
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
