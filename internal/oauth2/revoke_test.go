package oauth2_test

import (
	"net/http"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

// Revoking a refresh token ends its sign-in: the refresh token and the
// access tokens minted from it stop working, and other sign-ins do not.
// Revoking again, or revoking a token that is not ours, is still 200.
func TestRevoke(t *testing.T) {
	e := newTokEnv(t)
	for _, tc := range []struct {
		name   string
		client string
		header func(rt string) []string
		form   func(rt string) []string
	}{
		{"Basic", "web", func(string) []string { return []string{"Authorization", basic(e.Web.ClientID, e.Web.ClientSecret)} },
			func(rt string) []string { return []string{"token", rt} }},
		{"client_secret in the form", "web", func(string) []string { return nil },
			func(rt string) []string {
				return []string{"token", rt, "client_id", e.Web.ClientID, "client_secret", e.Web.ClientSecret}
			}},
		{"public client", "public", func(string) []string { return nil },
			func(rt string) []string { return []string{"token", rt, "client_id", e.Public.ClientID} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.Web
			if tc.client == "public" {
				c = e.Public
			}
			tok := e.tokens(t, c, "openid")
			other := e.tokens(t, c, "openid")
			revoke := func(token string) tokResponse {
				return e.postForm("/oauth2/revoke", tokForm(tc.form(token)...), tc.header(token)...)
			}
			for i, token := range []string{tok.RefreshToken, tok.RefreshToken, "not-a-token", "a.b.c.d.e"} {
				r := revoke(token)
				if r.Status != http.StatusOK || len(r.Body) != 0 {
					t.Errorf("revoke %d: %d %q, want 200 and no body", i, r.Status, r.Body)
				}
				wantNoStore(t, r)
				if r.Header.Get("Access-Control-Allow-Origin") != "*" {
					t.Errorf("revoke %d: no Access-Control-Allow-Origin", i)
				}
			}
			wantUserInfoRefused(t, e, tok.AccessToken)
			_, err := e.oauthConfig(t, c, "openid").TokenSource(e.ctx(), tokExpired(tok)).Token()
			wantRetrieveError(t, err, "invalid_grant")
			e.userInfo(t, other.AccessToken)
		})
	}
}

// Every refusal of the revocation endpoint.
func TestRevokeErrors(t *testing.T) {
	e := newTokEnv(t)
	noRevocation := e.createClient(func(in *cognito.CreateUserPoolClientInput) { in.EnableTokenRevocation = tokPtr(false) })
	webAuth := []string{"Authorization", basic(e.Web.ClientID, e.Web.ClientSecret)}
	tok := e.tokens(t, e.Web, "openid")
	publicTok := e.tokens(t, e.Public, "openid")
	for _, tc := range []struct {
		name        string
		method      string
		contentType string
		form        []string
		header      []string
		status      int
		code        string
		desc        string
		challenge   bool
	}{
		{name: "GET", method: http.MethodGet, header: webAuth, status: 405, code: "invalid_request"},
		{name: "JSON body", contentType: "application/json", header: webAuth, status: 400, code: "invalid_request"},
		{name: "missing token", header: webAuth, status: 400, code: "invalid_request", desc: "Missing token."},
		{name: "no client", form: []string{"token", tok.RefreshToken}, status: 401, code: "invalid_client"},
		{name: "wrong secret, Basic", form: []string{"token", tok.RefreshToken}, header: []string{"Authorization", basic(e.Web.ClientID, "wrong")},
			status: 401, code: "invalid_client", desc: "The client secret is not the client's.", challenge: true},
		{name: "wrong secret, post", form: []string{"token", tok.RefreshToken, "client_id", e.Web.ClientID, "client_secret", "wrong"},
			status: 401, code: "invalid_client"},
		{name: "confidential client without secret", form: []string{"token", tok.RefreshToken, "client_id", e.Web.ClientID},
			status: 401, code: "invalid_client"},
		{name: "unknown client", form: []string{"token", tok.RefreshToken, "client_id", "nosuchclient"}, status: 401, code: "invalid_client"},
		{name: "revocation disabled", form: []string{"token", tok.RefreshToken},
			header: []string{"Authorization", basic(noRevocation.ClientID, noRevocation.ClientSecret)},
			status: 400, code: "invalid_request", desc: "Token revocation is not enabled for this client."},
		{name: "access token", form: []string{"token", tok.AccessToken}, header: webAuth,
			status: 400, code: "unsupported_token_type", desc: "Only refresh tokens can be revoked."},
		{name: "ID token", form: []string{"token", tok.Extra("id_token").(string)}, header: webAuth,
			status: 400, code: "unsupported_token_type"},
		{name: "another client's token", form: []string{"token", publicTok.RefreshToken}, header: webAuth,
			status: 400, code: "unauthorized_client", desc: "The token was not issued to this client."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			ct := tc.contentType
			if ct == "" {
				ct = "application/x-www-form-urlencoded"
			}
			r := e.send(method, "/oauth2/revoke", ct, tokForm(tc.form...).Encode(), tc.header...)
			wantOAuthError(t, r, tc.status, tc.code, tc.desc)
			if got, want := r.Header.Get("WWW-Authenticate"), map[bool]string{true: "Basic"}[tc.challenge]; got != want {
				t.Errorf("WWW-Authenticate = %q, want %q", got, want)
			}
		})
	}
	// Nothing above revoked anything.
	e.userInfo(t, tok.AccessToken)
	e.userInfo(t, publicTok.AccessToken)
}
