package oauth2_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/go-cmp/cmp"
	xoauth2 "golang.org/x/oauth2"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// userInfo reads /oauth2/userInfo with go-oidc, as a relying party does.
func (e *tokEnv) userInfo(t *testing.T, access string) map[string]any {
	t.Helper()
	info, err := e.provider(t).UserInfo(e.ctx(), xoauth2.StaticTokenSource(&xoauth2.Token{AccessToken: access, TokenType: "Bearer"}))
	if err != nil {
		t.Fatalf("go-oidc UserInfo: %v", err)
	}
	if info.Subject != e.Sub {
		t.Errorf("Subject = %q, want %q", info.Subject, e.Sub)
	}
	var m map[string]any
	if err := info.Claims(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// What userInfo returns for each scope, as Cognito's guide describes it:
// everything the client reads with openid alone, only what profile,
// email and phone release otherwise, with string booleans.
func TestUserInfoScopes(t *testing.T) {
	e := newTokEnv(t)
	narrow := e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.ReadAttributes = []string{"email", "email_verified", "given_name", "custom:tier"}
	})
	base := map[string]any{"sub": e.Sub, "username": tokUser}
	with := func(pairs ...string) map[string]any {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(pairs); i += 2 {
			m[pairs[i]] = pairs[i+1]
		}
		return m
	}
	email := []string{"email", "alice@example.com", "email_verified", "true"}
	phone := []string{"phone_number", "+15555550100", "phone_number_verified", "false"}
	profile := []string{"given_name", "Alice", "locale", "en-GB", "custom:tier", "gold"}
	cat := func(lists ...[]string) []string {
		var out []string
		for _, l := range lists {
			out = append(out, l...)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		client *cognito.UserPoolClientType
		scopes []string
		want   map[string]any
	}{
		{"openid alone", e.Web, []string{"openid"}, with(cat(email, phone, profile, []string{"address", "1 Main St"})...)},
		{"email", e.Web, []string{"openid", "email"}, with(email...)},
		{"phone", e.Web, []string{"openid", "phone"}, with(phone...)},
		{"profile", e.Web, []string{"openid", "profile"}, with(profile...)},
		{"admin scope changes nothing", e.Web, []string{"openid", "aws.cognito.signin.user.admin", "email"}, with(email...)},
		{"all", e.Web, []string{"openid", "email", "phone", "profile"}, with(cat(email, phone, profile)...)},
		{"read attributes bound it", narrow, []string{"openid", "email", "profile"},
			with("email", "alice@example.com", "email_verified", "true", "given_name", "Alice", "custom:tier", "gold")},
		{"read attributes, openid alone", narrow, []string{"openid"},
			with("email", "alice@example.com", "email_verified", "true", "given_name", "Alice", "custom:tier", "gold")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := e.tokens(t, tc.client, tc.scopes...)
			got := e.userInfo(t, tok.AccessToken)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("userInfo (-want +got):\n%s", diff)
			}
		})
	}
}

// userInfo answers GET and POST with the same document, never cached.
func TestUserInfoMethods(t *testing.T) {
	e := newTokEnv(t)
	tok := e.tokens(t, e.Web, "openid", "email")
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		r := e.send(m, "/oauth2/userInfo", "", "", "Authorization", "Bearer "+tok.AccessToken)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", m, r.Status, r.Body)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
			t.Errorf("%s: Content-Type = %q", m, ct)
		}
		wantNoStore(t, r)
		want := map[string]any{"sub": e.Sub, "username": tokUser, "email": "alice@example.com", "email_verified": "true"}
		if diff := cmp.Diff(want, r.JSON(t)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", m, diff)
		}
	}
	// The scheme is case-insensitive.
	if r := e.send(http.MethodGet, "/oauth2/userInfo", "", "", "Authorization", "bearer "+tok.AccessToken); r.Status != http.StatusOK {
		t.Errorf("lower-case bearer: %d %s", r.Status, r.Body)
	}
	r := e.send(http.MethodDelete, "/oauth2/userInfo", "", "", "Authorization", "Bearer "+tok.AccessToken)
	wantOAuthError(t, r, http.StatusMethodNotAllowed, "invalid_request", "")
}

// wantUserInfoRefused checks userInfo's 401 for a token it refuses.
func wantUserInfoRefused(t *testing.T, e *tokEnv, access string) {
	t.Helper()
	r := e.send(http.MethodGet, "/oauth2/userInfo", "", "", "Authorization", "Bearer "+access)
	wantOAuthError(t, r, http.StatusUnauthorized, "invalid_token", auth.MsgInvalidAccessToken)
	want := `Bearer error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out."`
	if got := r.Header.Get("WWW-Authenticate"); got != want {
		t.Errorf("WWW-Authenticate = %q, want %q", got, want)
	}
}

// Every token userInfo refuses, and a request without one.
func TestUserInfoErrors(t *testing.T) {
	e := newTokEnv(t)
	plain := e.createClient(func(in *cognito.CreateUserPoolClientInput) { in.EnableTokenRevocation = tokPtr(false) })
	bobSub := e.createUser("bob")
	for _, tc := range []struct {
		name   string
		header []string
	}{
		{"no Authorization", nil},
		{"not Bearer", []string{"Authorization", basic(e.Web.ClientID, e.Web.ClientSecret)}},
		{"empty Bearer", []string{"Authorization", "Bearer "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.send(http.MethodGet, "/oauth2/userInfo", "", "", tc.header...)
			wantOAuthError(t, r, http.StatusBadRequest, "invalid_request", "Bad OAuth2 request at UserInfo Endpoint")
			want := `Bearer error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"`
			if got := r.Header.Get("WWW-Authenticate"); got != want {
				t.Errorf("WWW-Authenticate = %q, want %q", got, want)
			}
		})
	}

	t.Run("garbage", func(t *testing.T) { wantUserInfoRefused(t, e, "garbage") })
	t.Run("tampered", func(t *testing.T) {
		tok := e.tokens(t, e.Web, "openid")
		b := []byte(tok.AccessToken)
		b[len(b)-5] ^= 1
		wantUserInfoRefused(t, e, string(b))
	})
	t.Run("without openid", func(t *testing.T) {
		wantUserInfoRefused(t, e, e.tokens(t, e.Web, "aws.cognito.signin.user.admin", "email").AccessToken)
	})
	t.Run("from the JSON API", func(t *testing.T) {
		res, err := e.Engine.InitiateAuth(e.ctx(), auth.InitiateRequest{ClientID: e.Public.ClientID, Flow: "USER_PASSWORD_AUTH",
			Params: map[string]string{"USERNAME": tokUser, "PASSWORD": tokPassword}})
		if err != nil || res.Tokens == nil {
			t.Fatalf("InitiateAuth: %v", err)
		}
		wantUserInfoRefused(t, e, res.Tokens.AccessToken)
	})
	t.Run("client credentials", func(t *testing.T) {
		r := e.postForm("/oauth2/token", tokForm("grant_type", "client_credentials"), "Authorization", basic(e.M2M.ClientID, e.M2M.ClientSecret))
		wantUserInfoRefused(t, e, wantTokens(t, r, "access_token", "token_type", "expires_in").AccessToken)
	})
	t.Run("revoked", func(t *testing.T) {
		tok := e.tokens(t, e.Web, "openid")
		other := e.tokens(t, e.Web, "openid")
		e.userInfo(t, tok.AccessToken)
		if r := e.postForm("/oauth2/revoke", tokForm("token", tok.RefreshToken), "Authorization", basic(e.Web.ClientID, e.Web.ClientSecret)); r.Status != 200 {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
		wantUserInfoRefused(t, e, tok.AccessToken)
		e.userInfo(t, other.AccessToken) // another sign-in is untouched
	})
	t.Run("expired", func(t *testing.T) {
		tok := e.tokens(t, e.Web, "openid")
		e.Clock.Advance(time.Hour - time.Second)
		e.userInfo(t, tok.AccessToken)
		e.Clock.Advance(time.Second)
		wantUserInfoRefused(t, e, tok.AccessToken)
	})
	t.Run("disabled user", func(t *testing.T) {
		tok := e.tokens(t, e.Web, "openid")
		setEnabled(t, e, false)
		wantUserInfoRefused(t, e, tok.AccessToken)
		setEnabled(t, e, true)
		e.userInfo(t, tok.AccessToken)
	})
	t.Run("global sign-out", func(t *testing.T) {
		tok := e.tokens(t, e.Web, "openid")
		if err := e.Svc.SignOutUser(e.ctx(), e.PoolID, e.Sub); err != nil {
			t.Fatal(err)
		}
		wantUserInfoRefused(t, e, tok.AccessToken)
		e.Clock.Advance(time.Second)
		e.userInfo(t, e.tokens(t, e.Web, "openid").AccessToken) // a new sign-in works
	})
	t.Run("global sign-out, client without revocation", func(t *testing.T) {
		tok := e.tokens(t, plain, "openid")
		if _, ok := tokClaims(t, tok.AccessToken)["origin_jti"]; ok {
			t.Fatal("origin_jti on a client without revocation")
		}
		e.userInfo(t, tok.AccessToken)
		if err := e.Svc.SignOutUser(e.ctx(), e.PoolID, e.Sub); err != nil {
			t.Fatal(err)
		}
		wantUserInfoRefused(t, e, tok.AccessToken)
		e.Clock.Advance(time.Second)
	})
	t.Run("deleted user", func(t *testing.T) {
		code, err := e.Engine.IssueCode(e.ctx(), auth.CodeRequest{PoolID: e.PoolID, ClientID: e.Public.ClientID, Sub: bobSub,
			RedirectURI: tokCallback, Scopes: []string{"openid"}, AuthTime: tokAuthTime})
		if err != nil {
			t.Fatal(err)
		}
		r := e.postForm("/oauth2/token", tokForm("grant_type", "authorization_code", "code", code, "redirect_uri", tokCallback, "client_id", e.Public.ClientID))
		access := wantTokens(t, r, "access_token", "id_token", "refresh_token", "token_type", "expires_in").AccessToken
		if err := e.Svc.AdminDeleteUser(e.ctx(), &cognito.AdminDeleteUserInput{UserPoolID: e.PoolID, Username: "bob"}); err != nil {
			t.Fatal(err)
		}
		wantUserInfoRefused(t, e, access)
	})
}

// setEnabled flips alice's Enabled flag in the store, leaving her
// sign-ins alone (AdminDisableUser would revoke them too), so the check
// of the user's state is what is tested.
func setEnabled(t *testing.T, e *tokEnv, enabled bool) {
	t.Helper()
	if _, err := e.Svc.UpdateSignInState(e.ctx(), e.PoolID, e.Sub, func(u *store.User) { u.Enabled = enabled }); err != nil {
		t.Fatal(err)
	}
}

// The implicit grant's tokens read userInfo like any other, and a global
// sign-out revokes them: they have a sign-in of their own to revoke.
func TestUserInfoImplicitTokens(t *testing.T) {
	e := newTokEnv(t)
	implicit := e.createClient(func(in *cognito.CreateUserPoolClientInput) {
		in.GenerateSecret = nil
		in.AllowedOAuthFlows = []string{cognito.OAuthFlowImplicit}
	})
	ts, err := e.Engine.ImplicitTokens(e.ctx(), auth.CodeRequest{PoolID: e.PoolID, ClientID: implicit.ClientID, Sub: e.Sub,
		RedirectURI: tokCallback, Scopes: []string{"openid", "email"}, Nonce: tokNonce, AuthTime: tokAuthTime})
	if err != nil {
		t.Fatal(err)
	}
	if ts.RefreshToken != "" {
		t.Error("the implicit grant gave a refresh token")
	}
	idt, err := e.provider(t).Verifier(&oidc.Config{ClientID: implicit.ClientID, Now: e.Clock.Now}).Verify(e.ctx(), ts.IDToken)
	if err != nil || idt.Nonce != tokNonce {
		t.Fatalf("go-oidc: %v (nonce %q)", err, idt.Nonce)
	}
	e.userInfo(t, ts.AccessToken)
	if err := e.Svc.SignOutUser(e.ctx(), e.PoolID, e.Sub); err != nil {
		t.Fatal(err)
	}
	wantUserInfoRefused(t, e, ts.AccessToken)
}
