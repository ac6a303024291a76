package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// tokensFetch GETs a well-known document and decodes it into out, returning
// the status.
func tokensFetch(t *testing.T, e *env, path string, out any) int {
	t.Helper()
	req, err := http.NewRequestWithContext(e.ctx(), http.MethodGet, e.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		if ct := resp.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
			t.Errorf("%s: Content-Type = %q", path, ct)
		}
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	return resp.StatusCode
}

// tokensJWK is one key of a JWKS as served.
type tokensJWK struct {
	Alg, E, Kid, Kty, N, Use string
}

// tokensJWKS returns the pool's published keys.
func tokensJWKS(t *testing.T, e *env, pool string) []tokensJWK {
	t.Helper()
	var set struct{ Keys []tokensJWK }
	if status := tokensFetch(t, e, "/"+pool+"/.well-known/jwks.json", &set); status != http.StatusOK {
		t.Fatalf("JWKS status = %d", status)
	}
	return set.Keys
}

// tokensKids lists the kids of a JWKS.
func tokensKids(keys []tokensJWK) []string {
	var out []string
	for _, k := range keys {
		out = append(out, k.Kid)
	}
	return out
}

func TestWellKnownDiscovery(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	var doc map[string]any
	if status := tokensFetch(t, e, "/"+pool+"/.well-known/openid-configuration", &doc); status != http.StatusOK {
		t.Fatalf("status = %d", status)
	}
	iss := tokensClaims(t, aws.ToString(r.IdToken))["iss"]
	if doc["issuer"] != iss || iss != e.URL+"/"+pool {
		t.Errorf("issuer = %v, tokens' iss = %v", doc["issuer"], iss)
	}
	if doc["jwks_uri"] != e.URL+"/"+pool+"/.well-known/jwks.json" {
		t.Errorf("jwks_uri = %v", doc["jwks_uri"])
	}
	if algs, _ := doc["id_token_signing_alg_values_supported"].([]any); len(algs) != 1 || algs[0] != "RS256" {
		t.Errorf("id_token_signing_alg_values_supported = %v", doc["id_token_signing_alg_values_supported"])
	}
	for _, path := range []string{"/.well-known/openid-configuration", "/.well-known/jwks.json"} {
		if status := tokensFetch(t, e, "/"+usersUnknownPool+path, nil); status != http.StatusNotFound {
			t.Errorf("%s of an unknown pool: status %d, want 404", path, status)
		}
	}
}

// A pool publishes two RSA keys, one signing ID tokens and one access
// tokens, before it has signed anything.
func TestWellKnownJWKS(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	keys := tokensJWKS(t, e, pool)
	if len(keys) != 2 {
		t.Fatalf("JWKS has %d keys, want 2", len(keys))
	}
	for _, k := range keys {
		if k.Alg != "RS256" || k.Kty != "RSA" || k.Use != "sig" || k.E != "AQAB" || len(k.N) != 342 || k.Kid == "" {
			t.Errorf("key = %+v", k)
		}
	}
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	idKid, accessKid := tokensKid(t, aws.ToString(r.IdToken)), tokensKid(t, aws.ToString(r.AccessToken))
	if idKid == accessKid {
		t.Errorf("ID and access tokens share kid %s", idKid)
	}
	kids := tokensKids(keys)
	if !slices.Contains(kids, idKid) || !slices.Contains(kids, accessKid) {
		t.Errorf("JWKS kids %v, token kids %s %s", kids, idKid, accessKid)
	}
	// Another pool has keys of its own.
	other := createTestPool(t, e, nil)
	for _, k := range tokensJWKS(t, e, other) {
		if slices.Contains(kids, k.Kid) {
			t.Errorf("pools share key %s", k.Kid)
		}
	}
	// Keys are stable: the JWKS does not change between requests.
	if got := tokensKids(tokensJWKS(t, e, pool)); !slices.Equal(got, kids) {
		t.Errorf("JWKS changed: %v, then %v", kids, got)
	}
}

// Rotation publishes new keys first, switches signing to them after the
// publish-ahead time, and keeps the old keys published until every token
// they signed has expired.
func TestWellKnownKeyRotation(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	before := signInUser(t, e, pool, client, "alice", tokensPassword)
	oldKids := []string{tokensKid(t, aws.ToString(before.IdToken)), tokensKid(t, aws.ToString(before.AccessToken))}

	newKids, err := e.Issuer.RotateKeys(e.ctx(), pool, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(newKids) != 2 || slices.Contains(oldKids, newKids[0]) || slices.Contains(oldKids, newKids[1]) {
		t.Fatalf("new kids %v, old %v", newKids, oldKids)
	}
	kids := tokensKids(tokensJWKS(t, e, pool))
	if len(kids) != 4 {
		t.Fatalf("JWKS after rotation has %d keys, want 4", len(kids))
	}
	for _, k := range append(oldKids, newKids...) {
		if !slices.Contains(kids, k) {
			t.Errorf("JWKS %v lacks %s", kids, k)
		}
	}

	// Until the new keys are active, the old ones sign.
	e.Clock.Advance(10*time.Minute - time.Second)
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	if got := []string{tokensKid(t, aws.ToString(r.IdToken)), tokensKid(t, aws.ToString(r.AccessToken))}; !slices.Equal(got, oldKids) {
		t.Errorf("before activation, tokens signed by %v, want %v", got, oldKids)
	}
	e.Clock.Advance(time.Second)
	after := signInUser(t, e, pool, client, "alice", tokensPassword)
	if got := []string{tokensKid(t, aws.ToString(after.IdToken)), tokensKid(t, aws.ToString(after.AccessToken))}; !slices.Equal(got, newKids) {
		t.Errorf("after activation, tokens signed by %v, want %v", got, newKids)
	}
	// Refreshes sign with the new keys too.
	ref, err := tokensRefresh(e, client, "alice", aws.ToString(before.RefreshToken))
	if err != nil {
		t.Fatal(err)
	}
	if got := tokensKid(t, aws.ToString(ref.AccessToken)); got != newKids[1] {
		t.Errorf("refreshed access token signed by %s", got)
	}

	// Tokens of either generation verify, with go-oidc and with GetUser.
	idv, accv := tokensVerifiers(t, e, pool, aws.ToString(client.ClientId))
	for _, res := range []*types.AuthenticationResultType{r, after} {
		if _, err := idv.Verify(e.ctx(), aws.ToString(res.IdToken)); err != nil {
			t.Errorf("go-oidc: ID token signed by %s: %v", tokensKid(t, aws.ToString(res.IdToken)), err)
		}
		if _, err := accv.Verify(e.ctx(), aws.ToString(res.AccessToken)); err != nil {
			t.Errorf("go-oidc: access token signed by %s: %v", tokensKid(t, aws.ToString(res.AccessToken)), err)
		}
		tokensWantValid(t, e, aws.ToString(res.AccessToken))
	}

	// The old keys stay published for the longest token lifetime (a day)
	// after the switch, plus the minute a node may take to learn of the
	// rotation (and go on signing with them), then leave the JWKS.
	e.Clock.Advance(24*time.Hour + time.Minute - time.Second)
	if got := tokensKids(tokensJWKS(t, e, pool)); len(got) != 4 {
		t.Errorf("JWKS a second before the old keys expire: %v", got)
	}
	e.Clock.Advance(time.Second)
	if got := tokensKids(tokensJWKS(t, e, pool)); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(newKids))) {
		t.Errorf("JWKS after the old keys expired = %v, want %v", got, newKids)
	}
	tokensWantLive(t, e, client, signInUser(t, e, pool, client, "alice", tokensPassword))

	// A second rotation drops the expired keys from the store as well.
	if _, err := e.Issuer.RotateKeys(e.ctx(), pool, 0); err != nil {
		t.Fatal(err)
	}
	if got := tokensKids(tokensJWKS(t, e, pool)); len(got) != 4 {
		t.Errorf("JWKS after the second rotation = %v, want 4 keys", got)
	}
}
