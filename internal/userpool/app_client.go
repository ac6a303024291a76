package userpool

import (
	"crypto/sha256"
	"crypto/subtle"
	"slices"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/cognito"
)

// What the engine and the hosted endpoints read of an app client: its
// effective token lifetimes and the flows it allows.

// AppClient is an app client as the other packages (authentication,
// tokens, hosted endpoints) need it: its configuration, its pool and its
// secret, with methods that work out the effective lifetimes and flows.
type AppClient struct {
	PoolID string
	// Config is the client's configuration as DescribeUserPoolClient
	// returns it, without the secret.
	Config *cognito.UserPoolClientType
	// Secret is the client secret, "" when the client has none: the first
	// of Secrets, the one DescribeUserPoolClient returns and the hosted
	// pages sign SECRET_HASH with.
	Secret string
	// Secrets are every secret the client accepts: one, or two while a
	// rotation (AddUserPoolClientSecret) is under way.
	Secrets []string
}

// AcceptedSecrets are the secrets the client accepts: Secrets, or Secret
// alone for an AppClient built without the list.
func (c *AppClient) AcceptedSecrets() []string {
	if len(c.Secrets) == 0 && c.Secret != "" {
		return []string{c.Secret}
	}
	return c.Secrets
}

// MatchesSecret reports whether presented is one of the client's secrets.
// It compares SHA-256 digests in constant time, so neither the content
// nor the length of a real secret shows in the time a wrong guess takes,
// and it checks every secret, so neither does which one matched.
func (c *AppClient) MatchesSecret(presented string) bool {
	given := sha256.Sum256([]byte(presented))
	match := 0
	for _, s := range c.AcceptedSecrets() {
		h := sha256.Sum256([]byte(s))
		match |= subtle.ConstantTimeCompare(h[:], given[:])
	}
	return match == 1
}

// AccessTokenTTL is how long the client's access tokens are valid.
func (c *AppClient) AccessTokenTTL() time.Duration {
	return validityDuration(c.Config.AccessTokenValidity, c.units().AccessToken, accessValiditySpec)
}

// IDTokenTTL is how long the client's ID tokens are valid.
func (c *AppClient) IDTokenTTL() time.Duration {
	return validityDuration(c.Config.IDTokenValidity, c.units().IDToken, idValiditySpec)
}

// RefreshTokenTTL is how long the client's refresh tokens are valid.
func (c *AppClient) RefreshTokenTTL() time.Duration {
	return validityDuration(c.Config.RefreshTokenValidity, c.units().RefreshToken, refreshValiditySpec)
}

func (c *AppClient) units() cognito.TokenValidityUnitsType {
	if c.Config.TokenValidityUnits == nil {
		return cognito.TokenValidityUnitsType{}
	}
	return *c.Config.TokenValidityUnits
}

// AuthSessionTTL is how long a Session string between challenge steps is
// valid (AuthSessionValidity is always in minutes).
func (c *AppClient) AuthSessionTTL() time.Duration {
	m := int64(clientDefaultAuthSessionValidity)
	if v := c.Config.AuthSessionValidity; v != nil && *v > 0 {
		m = *v
	}
	return time.Duration(m) * time.Minute
}

// HasFlow reports whether the client allows an authentication flow, given
// by its ALLOW_ name or its legacy name. Clients configured with legacy
// names are read the way Cognito read them before the ALLOW_ names: SRP,
// refresh and custom authentication were always on, and
// CUSTOM_AUTH_FLOW_ONLY turned off everything but custom authentication
// (and refresh).
func (c *AppClient) HasFlow(flow string) bool {
	if f, ok := legacyFlowEquivalent[flow]; ok {
		flow = f
	}
	flows := c.Config.ExplicitAuthFlows
	if !hasLegacyFlow(flows) {
		return slices.Contains(flows, flow)
	}
	customOnly := slices.Contains(flows, legacyCustomFlowOnly)
	switch flow {
	case FlowRefreshToken, FlowCustom:
		return true
	case FlowUserSRP:
		return !customOnly
	case FlowAdminUserPassword:
		return !customOnly && slices.Contains(flows, legacyAdminNoSRP)
	case FlowUserPassword:
		return !customOnly && slices.Contains(flows, legacyUserPassword)
	}
	return false
}

func hasLegacyFlow(flows []string) bool {
	return slices.ContainsFunc(flows, func(f string) bool { return !strings.HasPrefix(f, allowFlowPrefix) })
}

// validityDuration is the effective lifetime of a stored validity. Stored
// configurations always carry value and unit; the fallbacks cover records
// written before a member existed.
func validityDuration(value *int64, unit string, spec validitySpec) time.Duration {
	v, u, err := resolveValidity(value, unit, spec)
	if err != nil {
		v, u = spec.defaultValue, spec.defaultUnit
	}
	return time.Duration(v*validityUnitSeconds[u]) * time.Second
}

// PreventsExistenceErrors reports PreventUserExistenceErrors ENABLED:
// then sign-in, confirmation and recovery answer for unknown users as if
// they existed.
func (c *AppClient) PreventsExistenceErrors() bool {
	return c.Config.PreventUserExistenceErrors == cognito.PreventUserExistenceErrorTypesEnabled
}
