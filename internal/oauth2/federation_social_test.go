package oauth2_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

// A social provider with its endpoints overridden to a local stand-in
// for Facebook's: the journey ends with the user Facebook_<id>.
func TestFederatedSignInFacebook(t *testing.T) {
	e := newFedEnv(t)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/access_token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostFormValue("code") != "fb-code" || r.PostFormValue("client_secret") != "fb-secret" || r.PostFormValue("code_verifier") == "" {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "fb-at", "token_type": "bearer", "expires_in": 5000})
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer fb-at" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"id": "1613644", "email": "pat@facebook.example", "name": "Pat"})
	})
	fb := httptest.NewServer(mux)
	t.Cleanup(fb.Close)
	if _, err := e.Svc.CreateIdentityProvider(t.Context(), &cognito.CreateIdentityProviderInput{
		UserPoolID: e.PoolID, ProviderName: "Facebook", ProviderType: cognito.IdentityProviderTypeTypeFacebook,
		ProviderDetails: map[string]string{
			"client_id": "fb-app", "client_secret": "fb-secret", "authorize_scopes": "public_profile, email",
			"authorize_url": fb.URL + "/dialog/oauth", "token_url": fb.URL + "/oauth/access_token", "attributes_url": fb.URL + "/me?fields=",
		},
		AttributeMapping: map[string]string{"email": "email", "name": "name"},
	}); err != nil {
		t.Fatal(err)
	}
	e.ClientID = e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.SupportedIdentityProviders = []string{"COGNITO", "Facebook"}
	})

	toFB := redirectTo(t, e.get("/oauth2/authorize", e.authorizeQuery("identity_provider", "Facebook")), fb.URL+"/dialog/oauth?")
	if toFB.Query().Get("client_id") != "fb-app" || toFB.Query().Get("scope") != "public_profile email" {
		t.Fatalf("Facebook request %s", toFB)
	}
	back := url.Values{"code": {"fb-code"}, "state": {toFB.Query().Get("state")}}
	cb := redirectTo(t, e.get("/oauth2/idpresponse", back), hostedCallback+"?").Query()
	ts, err := e.exchange(cb.Get("code"), hostedCallback, hostedVerifier)
	if err != nil {
		t.Fatal(err)
	}
	id := tokClaims(t, ts.IDToken)
	if id["cognito:username"] != "Facebook_1613644" || id["email"] != "pat@facebook.example" || id["name"] != "Pat" {
		t.Errorf("claims %v", id)
	}
	if groups, _ := id["cognito:groups"].([]any); !slices.Contains(groups, any(e.PoolID+"_Facebook")) {
		t.Errorf("cognito:groups = %v", id["cognito:groups"])
	}
	if ids, _ := id["identities"].([]any); len(ids) != 1 || ids[0].(map[string]any)["providerType"] != "Facebook" || ids[0].(map[string]any)["userId"] != "1613644" {
		t.Errorf("identities = %v", id["identities"])
	}
}
