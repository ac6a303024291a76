package oauth2_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/go-cmp/cmp"
	xoauth2 "golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// wantRetrieveError asserts x/oauth2 got an RFC 6749 error with code.
func wantRetrieveError(t *testing.T, err error, code string) {
	t.Helper()
	var re *xoauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want the OAuth error %s", err, code)
	}
	if re.ErrorCode != code {
		t.Fatalf("error = %q (%s), want %q", re.ErrorCode, re.ErrorDescription, code)
	}
}

// The code flow as an OIDC library runs it from the discovery document:
// x/oauth2 exchanges a PKCE code with each client authentication method,
// go-oidc verifies the ID token (nonce, audience, keys from the JWKS), and
// a second exchange of the same code fails.
func TestTokenAuthorizationCodePKCE(t *testing.T) {
	e := newTokEnv(t)
	p := e.provider(t)
	for _, tc := range []struct {
		name   string
		client *cognito.UserPoolClientType
		style  xoauth2.AuthStyle
	}{
		{"client_secret_basic", e.Web, xoauth2.AuthStyleInHeader},
		{"client_secret_post", e.Web, xoauth2.AuthStyleInParams},
		// x/oauth2 tries Basic with an empty secret first.
		{"public client", e.Public, xoauth2.AuthStyleAutoDetect},
	} {
		t.Run(tc.name, func(t *testing.T) {
			scopes := []string{"openid", "email", "profile", tokRead}
			cfg := e.oauthConfig(t, tc.client, scopes...)
			cfg.Endpoint.AuthStyle = tc.style
			verifier, challenge := tokVerifier()
			code := e.code(t, tc.client, challenge, scopes...)
			tok, err := cfg.Exchange(e.ctx(), code, xoauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatalf("Exchange: %v", err)
			}
			if tok.TokenType != "Bearer" || tok.RefreshToken == "" || time.Until(tok.Expiry) < 59*time.Minute {
				t.Errorf("token: type %q, refresh %q, expiry in %v", tok.TokenType, tok.RefreshToken, time.Until(tok.Expiry))
			}
			raw, _ := tok.Extra("id_token").(string)
			idt, err := p.Verifier(&oidc.Config{ClientID: tc.client.ClientID, Now: e.Clock.Now}).Verify(e.ctx(), raw)
			if err != nil {
				t.Fatalf("go-oidc: ID token: %v", err)
			}
			if idt.Nonce != tokNonce || idt.Subject != e.Sub {
				t.Errorf("ID token nonce %q, sub %q", idt.Nonce, idt.Subject)
			}
			id := tokClaims(t, raw)
			if id["auth_time"] != float64(tokAuthTime.Unix()) || id["cognito:username"] != tokUser || id["email"] != "alice@example.com" {
				t.Errorf("ID token claims: %v", id)
			}
			if _, err := p.Verifier(&oidc.Config{SkipClientIDCheck: true, Now: e.Clock.Now}).Verify(e.ctx(), tok.AccessToken); err != nil {
				t.Fatalf("go-oidc: access token: %v", err)
			}
			access := tokClaims(t, tok.AccessToken)
			for k, want := range map[string]any{
				"scope": strings.Join(scopes, " "), "client_id": tc.client.ClientID, "username": tokUser,
				"token_use": "access", "auth_time": float64(tokAuthTime.Unix()), "origin_jti": id["origin_jti"],
			} {
				if access[k] != want {
					t.Errorf("access token %s = %v, want %v", k, access[k], want)
				}
			}
			if access["origin_jti"] == nil {
				t.Error("no origin_jti: the tokens cannot be revoked")
			}

			_, err = cfg.Exchange(e.ctx(), code, xoauth2.VerifierOption(verifier))
			wantRetrieveError(t, err, "invalid_grant")
		})
	}
}

// Without openid there is no ID token, on the exchange and on refreshes,
// and the access token carries exactly the scopes granted.
func TestTokenWithoutOpenID(t *testing.T) {
	e := newTokEnv(t)
	scopes := []string{"aws.cognito.signin.user.admin", tokRead}
	r := e.postForm("/oauth2/token", tokForm("grant_type", "authorization_code", "code", e.code(t, e.Web, "", scopes...),
		"redirect_uri", tokCallback), "Authorization", basic(e.Web.ClientID, e.Web.ClientSecret))
	got := wantTokens(t, r, "access_token", "refresh_token", "token_type", "expires_in")
	if s := tokClaims(t, got.AccessToken)["scope"]; s != strings.Join(scopes, " ") {
		t.Errorf("scope = %v", s)
	}
	r = e.postForm("/oauth2/token", tokForm("grant_type", "refresh_token", "refresh_token", got.RefreshToken),
		"Authorization", basic(e.Web.ClientID, e.Web.ClientSecret))
	refreshed := wantTokens(t, r, "access_token", "token_type", "expires_in")
	if s := tokClaims(t, refreshed.AccessToken)["scope"]; s != strings.Join(scopes, " ") {
		t.Errorf("refreshed scope = %v", s)
	}
}

// A refresh without rotation returns ID and access tokens with the
// scopes and auth_time of the sign-in, and no refresh token; x/oauth2's
// TokenSource then keeps the one it has.
func TestTokenRefresh(t *testing.T) {
	e := newTokEnv(t)
	scopes := []string{"openid", "email", tokRead}
	tok := e.tokens(t, e.Web, scopes...)
	first := tokClaims(t, tok.AccessToken)
	e.Clock.Advance(10 * time.Minute)

	r := e.postForm("/oauth2/token", tokForm("grant_type", "refresh_token", "refresh_token", tok.RefreshToken),
		"Authorization", basic(e.Web.ClientID, e.Web.ClientSecret))
	got := wantTokens(t, r, "access_token", "id_token", "token_type", "expires_in")
	access := tokClaims(t, got.AccessToken)
	for _, k := range []string{"scope", "auth_time", "origin_jti", "username", "client_id"} {
		if access[k] != first[k] {
			t.Errorf("refreshed %s = %v, want %v", k, access[k], first[k])
		}
	}
	if access["iat"] != float64(e.Clock.Now().Unix()) {
		t.Errorf("refreshed iat = %v, want now", access["iat"])
	}
	p := e.provider(t)
	idt, err := p.Verifier(&oidc.Config{ClientID: e.Web.ClientID, Now: e.Clock.Now}).Verify(e.ctx(), got.IDToken)
	if err != nil {
		t.Fatalf("go-oidc: refreshed ID token: %v", err)
	}
	if idt.Nonce != "" {
		t.Errorf("refreshed ID token has nonce %q", idt.Nonce)
	}

	// x/oauth2 refreshes an expired token by itself.
	tok.Expiry = time.Now().Add(-time.Minute)
	next, err := e.oauthConfig(t, e.Web, scopes...).TokenSource(e.ctx(), tok).Token()
	if err != nil {
		t.Fatalf("TokenSource: %v", err)
	}
	if next.AccessToken == tok.AccessToken || next.RefreshToken != tok.RefreshToken {
		t.Errorf("TokenSource: new access token %v, same refresh token %v", next.AccessToken != tok.AccessToken, next.RefreshToken == tok.RefreshToken)
	}
	if _, ok := next.Extra("id_token").(string); !ok {
		t.Error("TokenSource: no id_token")
	}
}

// With rotation each refresh returns a new refresh token; the old one
// still works within the grace period, and is invalid_grant after it,
// revoking the sign-in.
func TestTokenRefreshRotation(t *testing.T) {
	e := newTokEnv(t)
	rot := e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []string{"ALLOW_USER_PASSWORD_AUTH"}
		in.RefreshTokenRotation = &cognito.RefreshTokenRotationType{Feature: "ENABLED", RetryGracePeriodSeconds: tokPtr(int64(10))}
	})
	tok := e.tokens(t, rot, "openid")
	refresh := func(rt string) tokResponse {
		return e.postForm("/oauth2/token", tokForm("grant_type", "refresh_token", "refresh_token", rt),
			"Authorization", basic(rot.ClientID, rot.ClientSecret))
	}
	second := wantTokens(t, refresh(tok.RefreshToken), "access_token", "id_token", "refresh_token", "token_type", "expires_in")
	if second.RefreshToken == tok.RefreshToken {
		t.Fatal("rotation returned the same refresh token")
	}
	e.Clock.Advance(9 * time.Second)
	retry := wantTokens(t, refresh(tok.RefreshToken), "access_token", "id_token", "refresh_token", "token_type", "expires_in")

	// x/oauth2 stores the rotated token.
	tok2 := &xoauth2.Token{AccessToken: second.AccessToken, RefreshToken: retry.RefreshToken, Expiry: time.Now().Add(-time.Minute)}
	next, err := e.oauthConfig(t, rot, "openid").TokenSource(e.ctx(), tok2).Token()
	if err != nil {
		t.Fatalf("TokenSource: %v", err)
	}
	if next.RefreshToken == "" || next.RefreshToken == retry.RefreshToken {
		t.Errorf("TokenSource kept refresh token %q, want the rotated one", next.RefreshToken)
	}

	// After the grace period the old token is a reuse, which revokes the
	// sign-in (RFC 9700 §4.14.2): the newest refresh token stops working.
	e.Clock.Advance(time.Second)
	wantOAuthError(t, refresh(tok.RefreshToken), http.StatusBadRequest, "invalid_grant",
		"Refresh token has been invalidated by refresh token rotation.")
	wantOAuthError(t, refresh(next.RefreshToken), http.StatusBadRequest, "invalid_grant", "Refresh Token has been revoked")
}

// The client_credentials grant with x/oauth2's clientcredentials: an
// access token whose subject is the client, with only the claims of
// Cognito's machine-to-machine tokens, verified with go-oidc.
func TestTokenClientCredentials(t *testing.T) {
	e := newTokEnv(t)
	for _, tc := range []struct {
		name   string
		scopes []string
		want   string
	}{
		{"one scope", []string{tokWrite}, tokWrite},
		{"all by default", nil, tokRead + " " + tokWrite},
		{"repeated", []string{tokRead, tokRead}, tokRead},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := clientcredentials.Config{ClientID: e.M2M.ClientID, ClientSecret: e.M2M.ClientSecret,
				TokenURL: e.provider(t).Endpoint().TokenURL, Scopes: tc.scopes}
			tok, err := cfg.Token(e.ctx())
			if err != nil {
				t.Fatalf("Token: %v", err)
			}
			if tok.RefreshToken != "" || tok.Extra("id_token") != nil {
				t.Errorf("client credentials gave refresh %q, id_token %v", tok.RefreshToken, tok.Extra("id_token"))
			}
			if _, err := e.provider(t).Verifier(&oidc.Config{SkipClientIDCheck: true, Now: e.Clock.Now}).Verify(e.ctx(), tok.AccessToken); err != nil {
				t.Fatalf("go-oidc: %v", err)
			}
			c := tokClaims(t, tok.AccessToken)
			now := float64(e.Clock.Now().Unix())
			want := map[string]any{
				"sub": e.M2M.ClientID, "client_id": e.M2M.ClientID, "token_use": "access", "scope": tc.want,
				"auth_time": now, "iat": now, "exp": now + 3600, "iss": e.URL + "/" + e.PoolID, "version": float64(2),
				"jti": c["jti"],
			}
			if diff := cmp.Diff(want, c); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
		})
	}
	r := e.postForm("/oauth2/token", tokForm("grant_type", "client_credentials"), "Authorization", basic(e.M2M.ClientID, e.M2M.ClientSecret))
	wantTokens(t, r, "access_token", "token_type", "expires_in")
}

// A scope the client may no longer grant because its resource server is
// gone is invalid_scope; by default the remaining ones are granted, and
// when none remains that is invalid_scope too.
func TestTokenClientCredentialsDeletedScopes(t *testing.T) {
	e := newTokEnv(t)
	if err := e.Svc.DeleteResourceServer(e.ctx(), &cognito.DeleteResourceServerInput{UserPoolID: e.PoolID, Identifier: tokAPI}); err != nil {
		t.Fatal(err)
	}
	m2mAuth := []string{"Authorization", basic(e.M2M.ClientID, e.M2M.ClientSecret)}
	wantOAuthError(t, e.postForm("/oauth2/token", tokForm("grant_type", "client_credentials", "scope", tokRead), m2mAuth...),
		http.StatusBadRequest, "invalid_scope", "Scope "+tokRead+" is not a resource server scope.")
	wantOAuthError(t, e.postForm("/oauth2/token", tokForm("grant_type", "client_credentials"), m2mAuth...),
		http.StatusBadRequest, "invalid_scope", "The client has no resource server scopes to grant.")
}

// A code is valid for five minutes.
func TestTokenCodeExpiry(t *testing.T) {
	e := newTokEnv(t)
	exchange := func(code string) tokResponse {
		return e.postForm("/oauth2/token", tokForm("grant_type", "authorization_code", "code", code, "redirect_uri", tokCallback),
			"Authorization", basic(e.Web.ClientID, e.Web.ClientSecret))
	}
	code := e.code(t, e.Web, "", "openid")
	e.Clock.Advance(5*time.Minute - time.Second)
	wantTokens(t, exchange(code), "access_token", "id_token", "refresh_token", "token_type", "expires_in")
	code = e.code(t, e.Web, "", "openid")
	e.Clock.Advance(5 * time.Minute)
	wantOAuthError(t, exchange(code), http.StatusBadRequest, "invalid_grant", "Invalid authorization code.")
}

// Every refusal of the token endpoint: status, headers and body.
func TestTokenErrors(t *testing.T) {
	e := newTokEnv(t)
	noOAuth := e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.AllowedOAuthFlowsUserPoolClient = tokPtr(false)
		in.AllowedOAuthFlows, in.AllowedOAuthScopes, in.CallbackURLs = nil, nil, nil
	})
	narrow := e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.ReadAttributes = []string{"email", "given_name"}
	})
	webAuth := []string{"Authorization", basic(e.Web.ClientID, e.Web.ClientSecret)}
	codeForm := func(code string, pairs ...string) map[string]string {
		m := map[string]string{"grant_type": "authorization_code", "code": code, "redirect_uri": tokCallback}
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i+1] == "" {
				delete(m, pairs[i])
			} else {
				m[pairs[i]] = pairs[i+1]
			}
		}
		return m
	}
	verifier, challenge := tokVerifier()
	disabledSub := e.createUser("dora")
	disabledCode, err := e.Engine.IssueCode(e.ctx(), auth.CodeRequest{PoolID: e.PoolID, ClientID: e.Web.ClientID, Sub: disabledSub,
		RedirectURI: tokCallback, Scopes: []string{"openid"}, AuthTime: tokAuthTime})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Svc.UpdateSignInState(e.ctx(), e.PoolID, disabledSub, func(u *store.User) { u.Enabled = false }); err != nil {
		t.Fatal(err)
	}
	webRefresh := e.tokens(t, e.Web, "openid").RefreshToken
	publicRefresh := e.tokens(t, e.Public, "openid").RefreshToken
	revoked := e.tokens(t, e.Web, "openid").RefreshToken
	if r := e.postForm("/oauth2/revoke", tokForm("token", revoked), webAuth...); r.Status != http.StatusOK {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	disabledRefresh := func() string {
		sub := e.createUser("dave")
		code, err := e.Engine.IssueCode(e.ctx(), auth.CodeRequest{PoolID: e.PoolID, ClientID: e.Web.ClientID, Sub: sub,
			RedirectURI: tokCallback, Scopes: []string{"openid"}, AuthTime: tokAuthTime})
		if err != nil {
			t.Fatal(err)
		}
		r := e.postForm("/oauth2/token", tokForm("grant_type", "authorization_code", "code", code, "redirect_uri", tokCallback), webAuth...)
		rt := wantTokens(t, r, "access_token", "id_token", "refresh_token", "token_type", "expires_in").RefreshToken
		if _, err := e.Svc.UpdateSignInState(e.ctx(), e.PoolID, sub, func(u *store.User) { u.Enabled = false }); err != nil {
			t.Fatal(err)
		}
		return rt
	}()

	for _, tc := range []struct {
		name        string
		method      string // POST when ""
		contentType string // form when ""
		body        string // the form's encoding when ""
		form        map[string]string
		header      []string
		status      int
		code        string
		desc        string
		challenge   bool // expects WWW-Authenticate: Basic
	}{
		{name: "GET", method: http.MethodGet, status: 405, code: "invalid_request", desc: "The endpoint accepts only POST."},
		{name: "PUT", method: http.MethodPut, form: codeForm("x"), header: webAuth, status: 405, code: "invalid_request"},
		{name: "JSON body", contentType: "application/json", body: `{"grant_type":"client_credentials"}`, header: webAuth,
			status: 400, code: "invalid_request", desc: "The body must be application/x-www-form-urlencoded."},
		{name: "no content type", contentType: "-", body: "grant_type=client_credentials", header: webAuth, status: 400, code: "invalid_request"},
		{name: "repeated parameter", body: "grant_type=authorization_code&code=a&code=b&redirect_uri=x", header: webAuth,
			status: 400, code: "invalid_request", desc: "Parameter code is repeated."},
		{name: "missing grant_type", form: map[string]string{"code": "x"}, header: webAuth, status: 400, code: "invalid_request", desc: "Missing grant_type."},
		{name: "unknown grant_type", form: map[string]string{"grant_type": "password"}, header: webAuth,
			status: 400, code: "unsupported_grant_type", desc: `Unsupported grant_type "password".`},

		// Client authentication.
		{name: "no client", form: codeForm("x"), status: 400, code: "invalid_client"},
		{name: "unknown client", form: codeForm("x", "client_id", "nosuchclient"), status: 400, code: "invalid_client",
			desc: "Client nosuchclient does not exist."},
		{name: "unknown client, Basic", form: codeForm("x"), header: []string{"Authorization", basic("nosuchclient", "s")},
			status: 401, code: "invalid_client", challenge: true},
		{name: "wrong secret, Basic", form: codeForm("x"), header: []string{"Authorization", basic(e.Web.ClientID, "wrong")},
			status: 401, code: "invalid_client", desc: "The client secret is not the client's.", challenge: true},
		{name: "wrong secret, post", form: codeForm("x", "client_id", e.Web.ClientID, "client_secret", "wrong"),
			status: 400, code: "invalid_client", desc: "The client secret is not the client's."},
		{name: "missing secret", form: codeForm("x", "client_id", e.Web.ClientID), status: 400, code: "invalid_client",
			desc: "Client " + e.Web.ClientID + " has a secret, and it was not sent."},
		{name: "empty secret, Basic", form: codeForm("x"), header: []string{"Authorization", basic(e.Web.ClientID, "")},
			status: 401, code: "invalid_client", challenge: true},
		{name: "secret to a public client", form: codeForm("x", "client_id", e.Public.ClientID, "client_secret", "s"),
			status: 400, code: "invalid_client", desc: "Client " + e.Public.ClientID + " has no secret, and one was sent."},
		{name: "two methods", form: codeForm("x", "client_secret", e.Web.ClientSecret), header: webAuth,
			status: 400, code: "invalid_request", desc: "The client authenticated with more than one method."},
		{name: "client_id differs from Basic", form: codeForm("x", "client_id", e.Public.ClientID), header: webAuth,
			status: 401, code: "invalid_client", challenge: true},
		{name: "malformed Basic", form: codeForm("x"), header: []string{"Authorization", "Basic !!!"},
			status: 401, code: "invalid_client", challenge: true},
		{name: "not Basic", form: codeForm("x"), header: []string{"Authorization", "Bearer abc"},
			status: 401, code: "invalid_client", challenge: true},

		// Flows the client is not allowed.
		{name: "client without OAuth", form: codeForm("x"), header: []string{"Authorization", basic(noOAuth.ClientID, noOAuth.ClientSecret)},
			status: 400, code: "unauthorized_client", desc: "The client is not allowed to use OAuth flows."},
		{name: "client_credentials on a code client", form: map[string]string{"grant_type": "client_credentials"}, header: webAuth,
			status: 400, code: "unauthorized_client", desc: "The client is not allowed the client_credentials flow."},
		{name: "code on a client_credentials client", form: codeForm("x"), header: []string{"Authorization", basic(e.M2M.ClientID, e.M2M.ClientSecret)},
			status: 400, code: "unauthorized_client", desc: "The client is not allowed the code flow."},
		{name: "refresh on a client_credentials client", form: map[string]string{"grant_type": "refresh_token", "refresh_token": webRefresh},
			header: []string{"Authorization", basic(e.M2M.ClientID, e.M2M.ClientSecret)}, status: 400, code: "unauthorized_client"},

		// authorization_code.
		{name: "missing code", form: codeForm("", "code", ""), header: webAuth, status: 400, code: "invalid_request", desc: "Missing code."},
		{name: "missing redirect_uri", form: codeForm("x", "redirect_uri", ""), header: webAuth, status: 400, code: "invalid_request",
			desc: "Missing redirect_uri."},
		{name: "unknown code", form: codeForm("nosuchcode"), header: webAuth, status: 400, code: "invalid_grant", desc: "Invalid authorization code."},
		{name: "another client's code", form: codeForm(e.code(t, e.Public, "", "openid")), header: webAuth, status: 400, code: "invalid_grant",
			desc: "The authorization code was not issued to this client."},
		{name: "other redirect_uri", form: codeForm(e.code(t, e.Web, "", "openid"), "redirect_uri", tokCallback+"/"), header: webAuth,
			status: 400, code: "invalid_grant", desc: "redirect_uri does not match the authorization request."},
		{name: "missing code_verifier", form: codeForm(e.code(t, e.Web, challenge, "openid")), header: webAuth, status: 400, code: "invalid_grant",
			desc: "code_verifier is required: the authorization request had a code_challenge."},
		{name: "wrong code_verifier", form: codeForm(e.code(t, e.Web, challenge, "openid"), "code_verifier", xoauth2.GenerateVerifier()),
			header: webAuth, status: 400, code: "invalid_grant", desc: "code_verifier does not match the code_challenge."},
		{name: "code_challenge as verifier", form: codeForm(e.code(t, e.Web, challenge, "openid"), "code_verifier", challenge),
			header: webAuth, status: 400, code: "invalid_grant", desc: "code_verifier does not match the code_challenge."},
		{name: "code_verifier without challenge", form: codeForm(e.code(t, e.Web, "", "openid"), "code_verifier", verifier),
			header: webAuth, status: 400, code: "invalid_grant",
			desc: "code_verifier was sent, but the authorization request had no code_challenge."},
		{name: "disabled user's code", form: codeForm(disabledCode), header: webAuth, status: 400, code: "invalid_grant", desc: "User is disabled."},
		{name: "email scope the client cannot read", form: codeForm(e.code(t, narrow, "", "openid", "email")),
			header: []string{"Authorization", basic(narrow.ClientID, narrow.ClientSecret)}, status: 400, code: "invalid_grant",
			desc: "The client cannot read the attributes the email scope releases."},

		// refresh_token.
		{name: "missing refresh_token", form: map[string]string{"grant_type": "refresh_token"}, header: webAuth,
			status: 400, code: "invalid_request", desc: "Missing refresh_token."},
		{name: "garbage refresh_token", form: map[string]string{"grant_type": "refresh_token", "refresh_token": "garbage"}, header: webAuth,
			status: 400, code: "invalid_grant", desc: "Invalid Refresh Token."},
		{name: "another client's refresh_token", form: map[string]string{"grant_type": "refresh_token", "refresh_token": publicRefresh},
			header: webAuth, status: 400, code: "invalid_grant", desc: "Invalid Refresh Token."},
		{name: "revoked refresh_token", form: map[string]string{"grant_type": "refresh_token", "refresh_token": revoked}, header: webAuth,
			status: 400, code: "invalid_grant", desc: "Refresh Token has been revoked"},
		{name: "disabled user's refresh_token", form: map[string]string{"grant_type": "refresh_token", "refresh_token": disabledRefresh},
			header: webAuth, status: 400, code: "invalid_grant", desc: "User is disabled."},

		// client_credentials.
		{name: "scope not allowed", form: map[string]string{"grant_type": "client_credentials", "scope": "openid"},
			header: []string{"Authorization", basic(e.M2M.ClientID, e.M2M.ClientSecret)}, status: 400, code: "invalid_scope",
			desc: "Scope openid is not allowed for this client."},
		{name: "one scope of two not allowed", form: map[string]string{"grant_type": "client_credentials", "scope": tokRead + " " + tokAPI + "/admin"},
			header: []string{"Authorization", basic(e.M2M.ClientID, e.M2M.ClientSecret)}, status: 400, code: "invalid_scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			ct := tc.contentType
			switch ct {
			case "":
				ct = "application/x-www-form-urlencoded"
			case "-":
				ct = ""
			}
			body := tc.body
			if body == "" && tc.form != nil {
				f := tokForm()
				for k, v := range tc.form {
					f.Set(k, v)
				}
				body = f.Encode()
			}
			r := e.send(method, "/oauth2/token", ct, body, tc.header...)
			wantOAuthError(t, r, tc.status, tc.code, tc.desc)
			if got := r.Header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin = %q", got)
			}
			if got, want := r.Header.Get("WWW-Authenticate"), map[bool]string{true: "Basic"}[tc.challenge]; got != want {
				t.Errorf("WWW-Authenticate = %q, want %q", got, want)
			}
			if tc.status == http.StatusMethodNotAllowed && r.Header.Get("Allow") != "POST, OPTIONS" {
				t.Errorf("Allow = %q", r.Header.Get("Allow"))
			}
		})
	}
}

// A browser's CORS preflight for a token request with Basic: 200 and the
// asked header allowed back, as the JSON API answers (internal/cors).
func TestTokenPreflight(t *testing.T) {
	e := newTokEnv(t)
	for _, path := range []string{"/oauth2/token", "/oauth2/revoke", "/oauth2/userInfo"} {
		r := e.send(http.MethodOptions, path, "", "", "Origin", "https://spa.example.com", "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "authorization")
		if r.Status != http.StatusOK || r.Header.Get("Access-Control-Allow-Origin") != "*" ||
			r.Header.Get("Access-Control-Allow-Headers") != "authorization" ||
			!strings.Contains(r.Header.Get("Access-Control-Allow-Methods"), "POST") {
			t.Errorf("%s: preflight: %d %v", path, r.Status, r.Header)
		}
	}
}

// Of ten concurrent exchanges of one code exactly one gets tokens.
func TestTokenCodeSingleUseConcurrent(t *testing.T) {
	e := newTokEnv(t)
	code := e.code(t, e.Web, "", "openid")
	form := tokForm("grant_type", "authorization_code", "code", code, "redirect_uri", tokCallback)
	results := make(chan int, 10)
	start := make(chan struct{})
	for range 10 {
		go func() {
			<-start
			req, _ := http.NewRequestWithContext(e.ctx(), http.MethodPost, e.URL+"/oauth2/token", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", basic(e.Web.ClientID, e.Web.ClientSecret))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				results <- 0
				return
			}
			resp.Body.Close()
			results <- resp.StatusCode
		}()
	}
	close(start)
	ok := 0
	for range 10 {
		switch s := <-results; s {
		case http.StatusOK:
			ok++
		case http.StatusBadRequest:
		default:
			t.Errorf("status %d", s)
		}
	}
	if ok != 1 {
		t.Errorf("%d exchanges succeeded, want 1", ok)
	}
}

// A secret with a '+' sent raw in Basic (not form-encoded, as many
// clients do) still authenticates, as does the encoded form.
func TestTokenBasicRawSecret(t *testing.T) {
	e := newTokEnv(t)
	c := e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.ClientSecret = "abc+def+ghi+jkl+mno+pqr+stu"
	})
	for name, header := range map[string]string{
		"encoded": basic(c.ClientID, c.ClientSecret),
		"raw":     "Basic " + base64Std(c.ClientID+":"+c.ClientSecret),
	} {
		r := e.postForm("/oauth2/token", tokForm("grant_type", "authorization_code", "code", e.code(t, c, "", "openid"),
			"redirect_uri", tokCallback), "Authorization", header)
		if r.Status != http.StatusOK {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
}

// Replaying a redeemed code is refused and revokes what its first
// redemption got (RFC 6749 §4.1.2): the refresh token stops working and
// the access token is refused, while another sign-in of the same user
// goes on. A code that was never redeemed revokes nothing.
func TestTokenCodeReplayRevokes(t *testing.T) {
	e := newTokEnv(t)
	scopes := []string{"openid", "aws.cognito.signin.user.admin"}
	exchange := func(code string) tokResponse {
		return e.postForm("/oauth2/token", tokForm("grant_type", "authorization_code", "code", code, "redirect_uri", tokCallback),
			"Authorization", basic(e.Web.ClientID, e.Web.ClientSecret))
	}
	refresh := func(tok string) tokResponse {
		return e.postForm("/oauth2/token", tokForm("grant_type", "refresh_token", "refresh_token", tok),
			"Authorization", basic(e.Web.ClientID, e.Web.ClientSecret))
	}
	code := e.code(t, e.Web, "", scopes...)
	first := wantTokens(t, exchange(code), "id_token", "access_token", "refresh_token", "token_type", "expires_in")
	other := wantTokens(t, exchange(e.code(t, e.Web, "", scopes...)), "id_token", "access_token", "refresh_token", "token_type", "expires_in")
	wantOAuthError(t, exchange(e.code(t, e.Web, "", scopes...)+"x"), http.StatusBadRequest, "invalid_grant", "")
	e.userInfo(t, first.AccessToken)

	wantOAuthError(t, exchange(code), http.StatusBadRequest, "invalid_grant", "")
	wantOAuthError(t, refresh(first.RefreshToken), http.StatusBadRequest, "invalid_grant", "")
	wantUserInfoRefused(t, e, first.AccessToken)
	e.userInfo(t, other.AccessToken)
	wantTokens(t, refresh(other.RefreshToken), "id_token", "access_token", "token_type", "expires_in")
}
