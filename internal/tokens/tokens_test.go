package tokens

import (
	"bytes"
	"context"
	"crypto/hkdf"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"
)

var (
	keyOnce sync.Once
	testKey *Key
)

func key(t testing.TB) *Key {
	keyOnce.Do(func() {
		k, err := GenerateKey(UseAccess)
		if err != nil {
			t.Fatal(err)
		}
		testKey = k
	})
	return testKey
}

func lookup(k *Key) func(string) *rsa.PublicKey {
	return func(kid string) *rsa.PublicKey {
		if kid == k.ID {
			return &k.Private.PublicKey
		}
		return nil
	}
}

// The JWS must verify with an independent implementation (go-jose, which
// go-oidc and most OIDC libraries use) and carry exactly kid and alg.
func TestJWSVerifiesIndependently(t *testing.T) {
	k := key(t)
	tok, err := signJWS(context.Background(), RSASigner{}, k, []byte(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	sig, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	payload, err := sig.Verify(&k.Private.PublicKey)
	if err != nil || string(payload) != `{"a":1}` {
		t.Fatalf("go-jose: %q %v", payload, err)
	}
	h, _ := b64.DecodeString(strings.Split(tok, ".")[0])
	if want := `{"kid":"` + k.ID + `","alg":"RS256"}`; string(h) != want {
		t.Errorf("header = %s, want %s", h, want)
	}
	if !strings.HasSuffix(k.ID, "=") || len(k.ID) != 44 {
		t.Errorf("kid %q does not look like Cognito's", k.ID)
	}
}

func TestVerifyJWS(t *testing.T) {
	k := key(t)
	tok, _ := signJWS(context.Background(), RSASigner{}, k, []byte(`{"a":1}`))
	if p, err := verifyJWS(tok, lookup(k)); err != nil || string(p) != `{"a":1}` {
		t.Fatalf("verify: %q %v", p, err)
	}
	parts := strings.Split(tok, ".")
	other, _ := GenerateKey(UseID)
	forged, _ := signJWS(context.Background(), RSASigner{}, NewKey(k.ID, UseAccess, other.Private), []byte(`{"a":2}`))
	for name, bad := range map[string]string{
		"tampered payload": parts[0] + "." + b64.EncodeToString([]byte(`{"a":2}`)) + "." + parts[2],
		"unknown kid":      jwsHeader("nope") + "." + parts[1] + "." + parts[2],
		"other key":        forged,
		"alg none":         b64.EncodeToString([]byte(`{"kid":"`+k.ID+`","alg":"none"}`)) + "." + parts[1] + ".",
		"two parts":        parts[0] + "." + parts[1],
		"four parts":       tok + ".x",
		"garbage":          "not a token",
		"bad base64":       "!!." + parts[1] + "." + parts[2],
	} {
		if _, err := verifyJWS(bad, lookup(k)); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func testEvent() *Event {
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	return &Event{
		Issuer:   "http://127.0.0.1:9229/us-east-1_abcdefghi",
		ClientID: "client123",
		Sub:      "11111111-2222-3333-4444-555555555555",
		Username: "alice",
		Attributes: []Attribute{
			{"sub", "11111111-2222-3333-4444-555555555555"},
			{"email", "alice@example.com"},
			{"email_verified", "true"},
			{"phone_number_verified", "false"},
			{"updated_at", "1700000000"},
			{"custom:tier", "7"},
		},
		Groups:    []string{"admins"},
		Scopes:    []string{ScopeAdmin},
		AuthTime:  at,
		IssuedAt:  at.Add(time.Hour),
		IDTTL:     time.Hour,
		AccessTTL: 5 * time.Minute,
		OriginJTI: "origin",
		EventID:   "event",
		Revocable: true,
		IDJTI:     "id-jti",
		AccessJTI: "access-jti",
	}
}

// The claims, their JSON types and their order are Cognito's.
func TestIDClaims(t *testing.T) {
	got := string(testEvent().idClaims())
	want := `{"sub":"11111111-2222-3333-4444-555555555555","cognito:groups":["admins"],` +
		`"email":"alice@example.com","email_verified":true,"phone_number_verified":false,"updated_at":1700000000,"custom:tier":"7",` +
		`"iss":"http://127.0.0.1:9229/us-east-1_abcdefghi","cognito:username":"alice","origin_jti":"origin","aud":"client123",` +
		`"event_id":"event","token_use":"id","auth_time":1795348800,"exp":1795356000,"iat":1795352400,"jti":"id-jti"}`
	if got != want {
		t.Errorf("ID claims:\n%s", cmp.Diff(want, got))
	}
	e := testEvent()
	e.Revocable = false
	e.Groups = nil
	var m map[string]any
	if err := json.Unmarshal(e.idClaims(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"jti", "origin_jti", "cognito:groups"} {
		if _, ok := m[k]; ok {
			t.Errorf("%s present without revocation/groups", k)
		}
	}
}

func TestAccessClaims(t *testing.T) {
	b, _ := json.Marshal(testEvent().accessClaims())
	want := `{"sub":"11111111-2222-3333-4444-555555555555","cognito:groups":["admins"],"iss":"http://127.0.0.1:9229/us-east-1_abcdefghi",` +
		`"version":2,"client_id":"client123","origin_jti":"origin","event_id":"event","token_use":"access",` +
		`"scope":"aws.cognito.signin.user.admin","auth_time":1795348800,"exp":1795352700,"iat":1795352400,"jti":"access-jti","username":"alice"}`
	if string(b) != want {
		t.Errorf("access claims:\n%s", cmp.Diff(want, string(b)))
	}
}

func TestRefreshCodec(t *testing.T) {
	dataKey := bytes.Repeat([]byte{9}, 32)
	c, err := NewRefreshCodec(dataKey)
	if err != nil {
		t.Fatal(err)
	}
	const family = "0b9f6ad2-6f2e-4c1e-9a43-3f1f0d3c2a11"
	tok, id, hash := c.NewRefresh(family)
	if strings.Count(tok, ".") != 4 {
		t.Fatalf("not five parts: %s", tok)
	}
	gotID, gotHash, gotFamily, err := c.OpenRefresh(tok)
	if err != nil || gotID != id || !bytes.Equal(gotHash, hash) || gotFamily != family {
		t.Fatalf("open: %s %x %q %v", gotID, gotHash, gotFamily, err)
	}
	tok2, id2, _ := c.NewRefresh(family)
	if tok2 == tok || id2 == id {
		t.Fatal("two tokens are equal")
	}
	// It is a real JWE: go-jose opens it with the derived key.
	derived, _ := hkdf.Key(sha256.New, dataKey, nil, "userpool refresh token v1", 32)
	jwe, err := jose.ParseEncrypted(tok, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{jose.A256GCM})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jwe.Decrypt(derived); err != nil {
		t.Fatalf("go-jose cannot open it: %v", err)
	}

	other, _ := NewRefreshCodec(bytes.Repeat([]byte{8}, 32))
	parts := strings.Split(tok, ".")
	flip := []byte(parts[3])
	flip[0] ^= 1
	for name, bad := range map[string]string{
		"other key": tok, "tampered": strings.Join(append(parts[:3:3], string(flip), parts[4]), "."),
		"empty": "", "jwt": "a.b.c", "extra part": tok + ".x", "key part": parts[0] + ".x." + strings.Join(parts[2:], "."),
	} {
		codec := c
		if name == "other key" {
			codec = other
		}
		if _, _, _, err := codec.OpenRefresh(bad); !errors.Is(err, ErrInvalidRefreshToken) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// FuzzOpenRefresh: only a token the codec sealed opens, and to the id and
// secret it sealed; everything else is ErrInvalidRefreshToken with nothing
// returned.
func FuzzOpenRefresh(f *testing.F) {
	c, err := NewRefreshCodec(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		f.Fatal(err)
	}
	// One token this codec sealed, fixed: the fuzzing workers each run this
	// set-up, so a token made here with NewRefresh would differ per worker.
	const tok = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..vDK1zeSCMcm2220F.97yxWNEOhvlynHTQPvcykgoOMibaHlcfvVSX7h2eryyCTQhjcbVvTFTJfclyjAQMYw.ZR4fPhmkSM2eKCejjZSgDA"
	const wantID = "773246338b436b35117a96b1aa348bce"
	wantHash, _ := hex.DecodeString("34113b0a20efe999bb8297ee9c5c6d00f2f3deadd787caaa56fe7b5129c459c9")
	if id, hash, family, err := c.OpenRefresh(tok); err != nil || id != wantID || !bytes.Equal(hash, wantHash) || family != "" {
		f.Fatalf("the fixed (version 1) token opens to %q, %x, %q, %v", id, hash, family, err)
	}
	f.Add(tok)
	f.Add("a.b.c.d.e")
	f.Fuzz(func(t *testing.T, s string) {
		id, hash, family, err := c.OpenRefresh(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidRefreshToken) || id != "" || hash != nil || family != "" {
				t.Fatalf("OpenRefresh(%q) = %q, %x, %q, %v", s, id, hash, family, err)
			}
			return
		}
		if id != wantID || !bytes.Equal(hash, wantHash) || family != "" {
			t.Fatalf("OpenRefresh(%q) opened to %q, %x: a token the codec never sealed", s, id, hash)
		}
	})
}

// FuzzVerifyJWS: a token verifies only to the payload the key signed, and
// a refusal is one of verifyJWS's two errors with no payload.
func FuzzVerifyJWS(f *testing.F) {
	k := key(f)
	tok, err := signJWS(context.Background(), RSASigner{}, k, []byte(`{"a":1}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tok)
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := verifyJWS(s, lookup(k))
		if err != nil {
			if (!errors.Is(err, errMalformed) && !errors.Is(err, errSignature)) || p != nil {
				t.Fatalf("verifyJWS(%q) = %q, %v", s, p, err)
			}
			return
		}
		if !bytes.Equal(p, []byte(`{"a":1}`)) {
			t.Fatalf("forged token verified: %q", s)
		}
	})
}

// The ID token carries the identities attribute as Cognito's does: an
// array of objects whose scalars are strings, issuer null when it is.
func TestIDClaimsIdentities(t *testing.T) {
	e := testEvent()
	e.Attributes = []Attribute{{Name: "identities", Value: `[{"userId":"1173","providerName":"Google","providerType":"Google","issuer":null,"primary":true,"dateCreated":1673913190125}]`}}
	var m map[string]any
	if err := json.Unmarshal(e.idClaims(), &m); err != nil {
		t.Fatal(err)
	}
	want := []any{map[string]any{"userId": "1173", "providerName": "Google", "providerType": "Google", "issuer": nil, "primary": "true", "dateCreated": "1673913190125"}}
	if d := cmp.Diff(want, m["identities"]); d != "" {
		t.Errorf("identities claim (-want +got):\n%s", d)
	}
	if got := string(identitiesClaim(`[{"userId":"1","providerName":"Corp","providerType":"SAML","issuer":"urn:corp","primary":false,"dateCreated":1}]`)); got != `[{"userId":"1","providerName":"Corp","providerType":"SAML","issuer":"urn:corp","primary":"false","dateCreated":"1"}]` {
		t.Errorf("SAML entry %s", got)
	}
	// A value that is not the server's JSON is carried as a string.
	if got := string(identitiesClaim("garbage")); got != `"garbage"` {
		t.Errorf("garbage = %s", got)
	}
}
