package auth

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/userpool"
)

// /oauth2/userInfo: which claims an access token's scopes release.

// OAuth scopes with a meaning of their own at the hosted endpoints.
const (
	ScopeOpenID  = "openid"
	ScopeProfile = "profile"
	ScopeEmail   = "email"
	ScopePhone   = "phone"
)

// profileAttributes are the standard attributes the profile scope
// releases at /oauth2/userInfo (OpenID Connect's profile claims).
var profileAttributes = []string{
	"name", "family_name", "given_name", "middle_name", "nickname", "preferred_username",
	"profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at",
}

// UserInfo answers /oauth2/userInfo: the claims of the user behind an
// access token. The token must verify, carry openid, not be revoked (its
// sign-in, or by a global sign-out), and belong to an enabled user; every
// refusal is the same invalid_token, as on Cognito.
//
// What is returned follows Cognito's developer guide: sub and username
// always; with openid alone, every attribute the client may read; with
// profile, email or phone, only what those scopes release (profile also
// releases custom attributes), always within what the client may read.
// Every value is a string, email_verified and phone_number_verified
// included ("true"/"false"), unlike in the ID token.
func (e *Engine) UserInfo(ctx context.Context, accessToken string) (map[string]string, error) {
	invalid := oauthError(OAuthInvalidToken, MsgInvalidAccessToken)
	claims, poolID, err := e.cfg.Tokens.VerifyAccess(ctx, accessToken)
	switch {
	case errors.Is(err, tokens.ErrAccessExpired), errors.Is(err, tokens.ErrAccessInvalid):
		return nil, invalid
	case err != nil:
		return nil, err
	}
	if !claims.HasScope(ScopeOpenID) {
		return nil, invalid
	}
	pool, err := e.cfg.Users.Pool(ctx, poolID)
	if errors.Is(err, cognito.ResourceNotFound("")) {
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	u, revoked, err := e.accessUser(ctx, pool.ID, claims)
	if errors.Is(err, cognito.UserNotFound("")) {
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	if revoked || !u.Enabled {
		return nil, invalid
	}
	client, err := e.issuedClient(ctx, claims, pool.ID)
	if errors.Is(err, errClientGone) {
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	scopes := strings.Fields(claims.Scope)
	out := map[string]string{"sub": u.Sub, "username": u.Username}
	for _, a := range userpool.ReadableAttributes(client.Config, u) {
		if a.Name != "sub" && releasedBy(scopes, a.Name) {
			out[a.Name] = a.Value
		}
	}
	return out, nil
}

// releasedBy reports whether an attribute is within the scopes' bounds.
func releasedBy(scopes []string, name string) bool {
	profile := slices.Contains(scopes, ScopeProfile)
	email := slices.Contains(scopes, ScopeEmail)
	phone := slices.Contains(scopes, ScopePhone)
	switch {
	case !profile && !email && !phone:
		return true
	case name == "email" || name == "email_verified":
		return email
	case name == "phone_number" || name == "phone_number_verified":
		return phone
	case strings.HasPrefix(name, "custom:") || slices.Contains(profileAttributes, name):
		return profile
	}
	return false
}
