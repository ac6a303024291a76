package client

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// keyServer serves a JWKS of the keys added to it, counting downloads.
type keyServer struct {
	mu    sync.Mutex
	keys  []jose.JSONWebKey
	gets  int
	down  bool
	srv   *httptest.Server
	privs map[string]*rsa.PrivateKey
}

func newKeyServer(t *testing.T) *keyServer {
	k := &keyServer{privs: map[string]*rsa.PrivateKey{}}
	k.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k.mu.Lock()
		defer k.mu.Unlock()
		if r.URL.Path != "/us-east-1_Test/.well-known/jwks.json" || k.down {
			http.NotFound(w, r)
			return
		}
		k.gets++
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: k.keys})
	}))
	t.Cleanup(k.srv.Close)
	return k
}

func (k *keyServer) issuer() string { return k.srv.URL + "/us-east-1_Test" }

// add creates a key under kid and publishes it when publish is set.
func (k *keyServer) add(t *testing.T, kid string, publish bool) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.privs[kid] = priv
	if publish {
		k.keys = append(k.keys, jose.JSONWebKey{Key: &priv.PublicKey, KeyID: kid, Algorithm: "RS256", Use: "sig"})
	}
}

func (k *keyServer) downloads() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.gets
}

// sign signs claims with the key of signKid, announcing kid in the header.
func (k *keyServer) sign(t *testing.T, signKid, kid string, claims map[string]any) string {
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: k.privs[signKid]},
		(&jose.SignerOptions{}).WithHeader("kid", kid).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var verifyNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// accessClaims are the claims of a valid access token of client "app".
func accessClaims(iss string, change func(map[string]any)) map[string]any {
	c := map[string]any{
		"sub": "1f0e", "iss": iss, "client_id": "app", "token_use": "access",
		"scope": "aws.cognito.signin.user.admin api/read", "username": "alice",
		"exp": verifyNow.Add(time.Hour).Unix(), "iat": verifyNow.Unix(), "cognito:groups": []string{"admins"},
	}
	if change != nil {
		change(c)
	}
	return c
}

func TestVerify(t *testing.T) {
	k := newKeyServer(t)
	k.add(t, "k1", true)
	k.add(t, "rogue", false)
	iss := k.issuer()
	for _, tc := range []struct {
		name     string
		verifier *Verifier
		token    string
		want     error
	}{
		{"valid access token", &Verifier{}, k.sign(t, "k1", "k1", accessClaims(iss, nil)), nil},
		{"valid ID token", &Verifier{TokenUse: "id"}, k.sign(t, "k1", "k1", accessClaims(iss, func(c map[string]any) {
			c["token_use"], c["aud"], c["client_id"] = "id", "app", nil
		})), nil},
		{"required scopes present", &Verifier{Scopes: []string{"api/read"}}, k.sign(t, "k1", "k1", accessClaims(iss, nil)), nil},
		{"scope missing", &Verifier{Scopes: []string{"api/write"}}, k.sign(t, "k1", "k1", accessClaims(iss, nil)), ErrInsufficientScope},
		{"other issuer", &Verifier{}, k.sign(t, "k1", "k1", accessClaims(iss+"x", nil)), ErrInvalidToken},
		{"other client", &Verifier{}, k.sign(t, "k1", "k1", accessClaims(iss, func(c map[string]any) { c["client_id"] = "other" })), ErrInvalidToken},
		{"ID token where access wanted", &Verifier{}, k.sign(t, "k1", "k1", accessClaims(iss, func(c map[string]any) { c["token_use"] = "id" })), ErrInvalidToken},
		{"access token where ID wanted", &Verifier{TokenUse: "id"}, k.sign(t, "k1", "k1", accessClaims(iss, nil)), ErrInvalidToken},
		{"expired", &Verifier{}, k.sign(t, "k1", "k1", accessClaims(iss, func(c map[string]any) { c["exp"] = verifyNow.Unix() })), ErrInvalidToken},
		{"no expiry", &Verifier{}, k.sign(t, "k1", "k1", accessClaims(iss, func(c map[string]any) { delete(c, "exp") })), ErrInvalidToken},
		{"signed by another key", &Verifier{}, k.sign(t, "rogue", "k1", accessClaims(iss, nil)), ErrInvalidToken},
		{"unknown kid", &Verifier{}, k.sign(t, "rogue", "rogue", accessClaims(iss, nil)), ErrInvalidToken},
		{"not a JWT", &Verifier{}, "abc.def", ErrInvalidToken},
		{"unsigned", &Verifier{}, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", ErrInvalidToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.verifier
			v.Issuer, v.ClientIDs, v.Now = iss, []string{"app"}, func() time.Time { return verifyNow }
			c, err := v.Verify(context.Background(), tc.token)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err == nil && (c.Subject != "1f0e" || c.Raw["sub"] != "1f0e") {
				t.Fatalf("claims = %+v", c)
			}
		})
	}
}

// TestVerifyKeyRotation checks that a new kid makes the verifier download
// the key set again, but not more than once per interval.
func TestVerifyKeyRotation(t *testing.T) {
	k := newKeyServer(t)
	k.add(t, "k1", true)
	v := &Verifier{Issuer: k.issuer(), ClientIDs: []string{"app"}, Now: func() time.Time { return verifyNow }, minFetch: time.Hour}
	ctx := context.Background()
	for range 3 {
		if _, err := v.Verify(ctx, k.sign(t, "k1", "k1", accessClaims(k.issuer(), nil))); err != nil {
			t.Fatal(err)
		}
	}
	if n := k.downloads(); n != 1 {
		t.Fatalf("%d downloads for one key, want 1", n)
	}
	k.add(t, "k2", true)
	tok2 := k.sign(t, "k2", "k2", accessClaims(k.issuer(), nil))
	if _, err := v.Verify(ctx, tok2); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("within the interval: err = %v, want ErrInvalidToken", err)
	}
	if n := k.downloads(); n != 1 {
		t.Fatalf("%d downloads within the interval, want 1", n)
	}
	v.minFetch = time.Nanosecond
	if _, err := v.Verify(ctx, tok2); err != nil {
		t.Fatalf("after the interval: %v", err)
	}
	if n := k.downloads(); n != 2 {
		t.Fatalf("%d downloads, want 2", n)
	}
}

func TestVerifyKeySetUnavailable(t *testing.T) {
	k := newKeyServer(t)
	k.add(t, "k1", true)
	k.down = true
	v := &Verifier{Issuer: k.issuer(), ClientIDs: []string{"app"}, Now: func() time.Time { return verifyNow }}
	_, err := v.Verify(context.Background(), k.sign(t, "k1", "k1", accessClaims(k.issuer(), nil)))
	if err == nil || errors.Is(err, ErrInvalidToken) {
		t.Fatalf("err = %v, want an error that is not ErrInvalidToken", err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Authorization", "Bearer "+k.sign(t, "k1", "k1", accessClaims(k.issuer(), nil)))
	v.Middleware(http.NotFoundHandler()).ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("middleware answered %d, want 503", rec.Code)
	}
}

func TestVerifyNeedsClientIDs(t *testing.T) {
	v := &Verifier{Issuer: "http://x/p"}
	if _, err := v.Verify(context.Background(), "a.b.c"); err == nil {
		t.Fatal("a verifier without ClientIDs accepted a token")
	}
}

func TestMiddlewareScope(t *testing.T) {
	k := newKeyServer(t)
	k.add(t, "k1", true)
	v := &Verifier{Issuer: k.issuer(), ClientIDs: []string{"app"}, Scopes: []string{"api/write"}, Now: func() time.Time { return verifyNow }}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Authorization", "Bearer "+k.sign(t, "k1", "k1", accessClaims(k.issuer(), nil)))
	v.Middleware(http.NotFoundHandler()).ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || rec.Header().Get("WWW-Authenticate") != `Bearer error="insufficient_scope"` {
		t.Fatalf("answered %d %q", rec.Code, rec.Header().Get("WWW-Authenticate"))
	}
}

// TestVerifyConcurrentFirstUse checks that requests arriving together
// before the key set is known all verify, through one download.
func TestVerifyConcurrentFirstUse(t *testing.T) {
	k := newKeyServer(t)
	k.add(t, "k1", true)
	v := &Verifier{Issuer: k.issuer(), ClientIDs: []string{"app"}, Now: func() time.Time { return verifyNow }}
	tok := k.sign(t, "k1", "k1", accessClaims(k.issuer(), nil))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			_, err := v.Verify(context.Background(), tok)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := k.downloads(); n != 1 {
		t.Fatalf("%d downloads, want 1", n)
	}
}
