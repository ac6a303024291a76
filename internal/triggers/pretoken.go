package triggers

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/userpool/userpool/internal/cognito"
)

// Sources of pre token generation (TokenGeneration_<source>).
const (
	TokenAuthentication       = "Authentication"
	TokenHostedAuth           = "HostedAuth"
	TokenNewPasswordChallenge = "NewPasswordChallenge"
	TokenAuthenticateDevice   = "AuthenticateDevice"
	TokenRefreshTokens        = "RefreshTokens"
	TokenClientCredentials    = "ClientCredentials"
)

// Groups are the groups, roles and preferred role of a user as the
// tokens carry them (cognito:groups, cognito:roles,
// cognito:preferred_role): the event's groupConfiguration, and what
// groupOverrideDetails replaces them with.
type Groups struct {
	Groups        []string `json:"groupsToOverride"`
	IAMRoles      []string `json:"iamRolesToOverride"`
	PreferredRole *string  `json:"preferredRole"`
}

// ClaimChanges are the claims a function adds to, overrides in or
// suppresses from one token. Values are JSON: strings from a V1_0
// function, any JSON type from V2_0 and V3_0.
type ClaimChanges struct {
	Add      map[string]json.RawMessage
	Suppress []string
}

// TokenChanges is what pre token generation asked of the tokens it was
// asked about, with the claims no function may touch already left out.
type TokenChanges struct {
	ID     ClaimChanges
	Access ClaimChanges
	// ScopesToAdd and ScopesToSuppress change the access token's scope
	// (V2_0 and V3_0 only).
	ScopesToAdd, ScopesToSuppress []string
	// Groups, when not nil, replaces the user's groups and roles in both
	// tokens.
	Groups *Groups
}

// protected are the claims Cognito never lets pre token generation add,
// override or suppress: the developer guide's list for both tokens, with
// the access token's own members (client_id, username, scope, version,
// event_id, device_key; unverified for the access token), which it changes
// only through scopesToAdd and scopesToSuppress.
var protected = map[string]bool{
	"acr": true, "amr": true, "aud": true, "at_hash": true, "auth_time": true, "azp": true,
	"cognito:username": true, "exp": true, "iat": true, "identities": true, "iss": true,
	"jti": true, "nbf": true, "nonce": true, "origin_jti": true, "sub": true, "token_use": true,
	"client_id": true, "username": true, "scope": true, "version": true, "event_id": true, "device_key": true,
}

// allowed leaves out the changes to protected claims.
func allowed(add map[string]json.RawMessage, suppress []string) ClaimChanges {
	c := ClaimChanges{}
	for k, v := range add {
		if protected[k] {
			continue
		}
		if c.Add == nil {
			c.Add = map[string]json.RawMessage{}
		}
		c.Add[k] = v
	}
	for _, k := range suppress {
		if !protected[k] {
			c.Suppress = append(c.Suppress, k)
		}
	}
	return c
}

// TokenRequest is what pre token generation is told of the tokens about
// to be minted.
type TokenRequest struct {
	// Source is one of the Token* sources.
	Source string
	Groups Groups
	// Scopes are the access token's scopes.
	Scopes []string
}

type tokenRequestV1 struct {
	UserAttributes     map[string]string `json:"userAttributes"`
	GroupConfiguration Groups            `json:"groupConfiguration"`
	ClientMetadata     map[string]string `json:"clientMetadata,omitempty"`
}

type tokenRequestV2 struct {
	tokenRequestV1
	Scopes []string `json:"scopes"`
}

type responseV1 struct {
	Details *struct {
		Add      map[string]string `json:"claimsToAddOrOverride"`
		Suppress []string          `json:"claimsToSuppress"`
		Groups   *Groups           `json:"groupOverrideDetails"`
	} `json:"claimsOverrideDetails"`
}

type tokenGeneration struct {
	Add              map[string]json.RawMessage `json:"claimsToAddOrOverride"`
	Suppress         []string                   `json:"claimsToSuppress"`
	ScopesToAdd      []string                   `json:"scopesToAdd"`
	ScopesToSuppress []string                   `json:"scopesToSuppress"`
}

type responseV2 struct {
	Details *struct {
		ID     *tokenGeneration `json:"idTokenGeneration"`
		Access *tokenGeneration `json:"accessTokenGeneration"`
		Groups *Groups          `json:"groupOverrideDetails"`
	} `json:"claimsAndScopeOverrideDetails"`
}

// preTokenFunction is the pre token generation function of a pool and
// its event version: PreTokenGenerationConfig when set, else the legacy
// PreTokenGeneration slot, which is V1_0.
func preTokenFunction(p *cognito.UserPoolType) (arn, version string) {
	lc := config(p)
	if c := lc.PreTokenGenerationConfig; c != nil && c.LambdaARn != "" {
		return c.LambdaARn, c.LambdaVersion
	}
	return lc.PreTokenGeneration, cognito.PreTokenGenerationLambdaVersionV10
}

// PreTokenGeneration runs the pool's pre token generation trigger before
// tokens are minted and returns the changes it asks for; nil when the
// pool has none, or when its version does not run for the source
// (client credentials run only V3_0).
func (t *Triggers) PreTokenGeneration(ctx context.Context, c Call, r TokenRequest) (*TokenChanges, error) {
	arn, version := preTokenFunction(c.Pool)
	if t == nil || arn == "" {
		return nil, nil
	}
	if r.Source == TokenClientCredentials && version != cognito.PreTokenGenerationLambdaVersionV30 {
		return nil, nil
	}
	groups := r.Groups
	if groups.Groups == nil {
		groups.Groups = []string{}
	}
	if groups.IAMRoles == nil {
		groups.IAMRoles = []string{}
	}
	req := tokenRequestV1{UserAttributes: orEmpty(c.Attributes), GroupConfiguration: groups, ClientMetadata: c.ClientMetadata}
	source := "TokenGeneration_" + r.Source
	if version == cognito.PreTokenGenerationLambdaVersionV10 {
		ev := newEnvelope(c, "1", source, req, responseV1{})
		if err := invoke(ctx, t, "PreTokenGeneration", arn, ev); err != nil {
			return nil, err
		}
		d := ev.Response.Details
		if d == nil {
			return &TokenChanges{}, nil
		}
		add := make(map[string]json.RawMessage, len(d.Add))
		for k, v := range d.Add {
			add[k], _ = json.Marshal(v)
		}
		return &TokenChanges{ID: allowed(add, d.Suppress), Groups: d.Groups}, nil
	}
	v := "2"
	if version == cognito.PreTokenGenerationLambdaVersionV30 {
		v = "3"
	}
	scopes := r.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	ev := newEnvelope(c, v, source, tokenRequestV2{tokenRequestV1: req, Scopes: scopes}, responseV2{})
	if err := invoke(ctx, t, "PreTokenGeneration", arn, ev); err != nil {
		return nil, err
	}
	d := ev.Response.Details
	out := &TokenChanges{}
	if d == nil {
		return out, nil
	}
	out.Groups = d.Groups
	if d.ID != nil {
		out.ID = allowed(d.ID.Add, d.ID.Suppress)
	}
	if d.Access != nil {
		out.Access = allowed(d.Access.Add, d.Access.Suppress)
		out.ScopesToAdd, out.ScopesToSuppress = d.Access.ScopesToAdd, d.Access.ScopesToSuppress
	}
	return out, nil
}

// Scopes applies scopesToAdd and scopesToSuppress to scopes: suppression
// wins over addition, and the order of the scopes kept stays.
func (c *TokenChanges) Scopes(scopes []string) []string {
	if c == nil || (len(c.ScopesToAdd) == 0 && len(c.ScopesToSuppress) == 0) {
		return scopes
	}
	var out []string
	for _, s := range append(slices.Clone(scopes), c.ScopesToAdd...) {
		if !slices.Contains(c.ScopesToSuppress, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
