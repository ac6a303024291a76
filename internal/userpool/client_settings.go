package userpool

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// The rules of an app client's settings, shared by CreateUserPoolClient
// and UpdateUserPoolClient: defaults, token validities, redirect URLs,
// OAuth flows and scopes, and which attributes the client may read and
// write.

// defaultExplicitAuthFlows are what a client gets when it names none.
var defaultExplicitAuthFlows = []string{FlowRefreshToken, FlowUserSRP, FlowCustom}

// standardOAuthScopes are the scopes every pool has.
var standardOAuthScopes = []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}

// unwritableAttributes are attributes no app client may be given write
// access to: the user id, and the verification flags that only Cognito's
// own verification (or an administrator) sets.
var unwritableAttributes = []string{"sub", "email_verified", "phone_number_verified"}

// Client defaults for members left out of Create/UpdateUserPoolClient.
const (
	clientDefaultAuthSessionValidity        = 3 // minutes
	clientDefaultPreventUserExistenceErrors = "LEGACY"
	validityUnitSecondsName                 = "seconds"
	validityUnitMinutesName                 = "minutes"
	validityUnitHoursName                   = "hours"
	validityUnitDaysName                    = "days"
)

// validityUnitSeconds is the length of each TokenValidityUnits value.
var validityUnitSeconds = map[string]int64{validityUnitSecondsName: 1, validityUnitMinutesName: 60, validityUnitHoursName: 3600, validityUnitDaysName: 86400}

// validitySpec is one token's validity rules: the unit a bare value is in,
// the value and unit stored when neither is given, and the effective range.
type validitySpec struct {
	valueUnit              string
	defaultValue           int64
	defaultUnit            string
	minSeconds, maxSeconds int64
}

var (
	accessValiditySpec  = validitySpec{valueUnit: validityUnitHoursName, defaultValue: 60, defaultUnit: validityUnitMinutesName, minSeconds: 5 * 60, maxSeconds: 86400}
	idValiditySpec      = accessValiditySpec
	refreshValiditySpec = validitySpec{valueUnit: validityUnitDaysName, defaultValue: 30, defaultUnit: validityUnitDaysName, minSeconds: 60 * 60, maxSeconds: 3650 * 86400}
)

// resolveValidity is the (value, unit) pair stored for one token's
// validity, from what the request gave:
//   - a value without a unit is in the token's API unit (hours for access
//     and ID tokens, days for refresh tokens);
//   - nothing at all is Cognito's default, 60 minutes or 30 days, and a
//     refresh validity of 0 means the same default;
//   - a unit without a value is the default duration in that unit, which
//     must come out whole (60 minutes cannot be said in days).
//
// The effective duration must lie in the token's range.
func resolveValidity(value *int64, unit string, spec validitySpec) (int64, string, error) {
	if value == nil || *value == 0 {
		if unit == "" {
			return spec.defaultValue, spec.defaultUnit, nil
		}
		secs := spec.defaultValue * validityUnitSeconds[spec.defaultUnit]
		per := validityUnitSeconds[unit]
		if per == 0 || secs%per != 0 {
			return 0, "", cognito.InvalidParameter(clientMsgTokenValidityRange)
		}
		return secs / per, unit, nil
	}
	if unit == "" {
		unit = spec.valueUnit
	}
	per, ok := validityUnitSeconds[unit]
	// The model bounds values to 315360000, so the product cannot overflow.
	if !ok || *value < 0 || *value*per < spec.minSeconds || *value*per > spec.maxSeconds {
		return 0, "", cognito.InvalidParameter(clientMsgTokenValidityRange)
	}
	return *value, unit, nil
}

// checkRedirectURL applies Cognito's rules for callback and sign-out
// URLs: absolute, no fragment, and HTTPS unless the host is the loopback
// (any port); custom schemes such as myapp:// are allowed for native apps,
// but not the schemes whose URLs run code where the browser opens them
// (javascript:, data:, vbscript:): a redirect there would run a script.
func checkRedirectURL(raw string) error {
	if strings.Contains(raw, "#") {
		return cognito.InvalidParameter(fmt.Sprintf(clientMsgURLFragment, raw))
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return cognito.InvalidParameter(fmt.Sprintf(clientMsgURLInvalid, raw))
	}
	switch scheme := strings.ToLower(u.Scheme); scheme {
	case "javascript", "data", "vbscript":
		return cognito.InvalidParameter(fmt.Sprintf(clientMsgURLScriptScheme, raw, strings.ToUpper(scheme)))
	case "https":
		if u.Host == "" {
			return cognito.InvalidParameter(fmt.Sprintf(clientMsgURLInvalid, raw))
		}
	case "http":
		switch u.Hostname() {
		case "localhost", "127.0.0.1", "::1":
		default:
			return cognito.InvalidParameter(fmt.Sprintf(clientMsgURLHTTP, raw))
		}
	}
	return nil
}

// clientSettings are the members CreateUserPoolClient and
// UpdateUserPoolClient share: all that an update replaces.
type clientSettings struct {
	AccessTokenValidity                      *int64
	AllowedOAuthFlows                        []string
	AllowedOAuthFlowsUserPoolClient          *bool
	AllowedOAuthScopes                       []string
	AnalyticsConfiguration                   *cognito.AnalyticsConfigurationType
	AuthSessionValidity                      *int64
	CallbackURLs                             []string
	DefaultRedirectURI                       string
	EnablePropagateAdditionalUserContextData *bool
	EnableTokenRevocation                    *bool
	ExplicitAuthFlows                        []string
	IDTokenValidity                          *int64
	LogoutURLs                               []string
	PreventUserExistenceErrors               string
	ReadAttributes                           []string
	RefreshTokenRotation                     *cognito.RefreshTokenRotationType
	RefreshTokenValidity                     *int64
	SupportedIdentityProviders               []string
	TokenValidityUnits                       *cognito.TokenValidityUnitsType
	WriteAttributes                          []string
}

// The model gives CreateUserPoolClientInput and UpdateUserPoolClientInput
// the clientSettings members under the same names and types, but as two
// structures, so each has its own copy below, written out for the
// compiler to check. TestClientSettingsOf fails when either copy leaves a
// member out, or when either input gains a member that is neither copied
// nor known to be no setting.

// createClientSettings are the settings of a CreateUserPoolClient.
func createClientSettings(in *cognito.CreateUserPoolClientInput) clientSettings {
	return clientSettings{
		AccessTokenValidity:                      in.AccessTokenValidity,
		AllowedOAuthFlows:                        in.AllowedOAuthFlows,
		AllowedOAuthFlowsUserPoolClient:          in.AllowedOAuthFlowsUserPoolClient,
		AllowedOAuthScopes:                       in.AllowedOAuthScopes,
		AnalyticsConfiguration:                   in.AnalyticsConfiguration,
		AuthSessionValidity:                      in.AuthSessionValidity,
		CallbackURLs:                             in.CallbackURLs,
		DefaultRedirectURI:                       in.DefaultRedirectURI,
		EnablePropagateAdditionalUserContextData: in.EnablePropagateAdditionalUserContextData,
		EnableTokenRevocation:                    in.EnableTokenRevocation,
		ExplicitAuthFlows:                        in.ExplicitAuthFlows,
		IDTokenValidity:                          in.IDTokenValidity,
		LogoutURLs:                               in.LogoutURLs,
		PreventUserExistenceErrors:               in.PreventUserExistenceErrors,
		ReadAttributes:                           in.ReadAttributes,
		RefreshTokenRotation:                     in.RefreshTokenRotation,
		RefreshTokenValidity:                     in.RefreshTokenValidity,
		SupportedIdentityProviders:               in.SupportedIdentityProviders,
		TokenValidityUnits:                       in.TokenValidityUnits,
		WriteAttributes:                          in.WriteAttributes,
	}
}

// updateClientSettings are the settings of an UpdateUserPoolClient: all
// that it replaces.
func updateClientSettings(in *cognito.UpdateUserPoolClientInput) clientSettings {
	return clientSettings{
		AccessTokenValidity:                      in.AccessTokenValidity,
		AllowedOAuthFlows:                        in.AllowedOAuthFlows,
		AllowedOAuthFlowsUserPoolClient:          in.AllowedOAuthFlowsUserPoolClient,
		AllowedOAuthScopes:                       in.AllowedOAuthScopes,
		AnalyticsConfiguration:                   in.AnalyticsConfiguration,
		AuthSessionValidity:                      in.AuthSessionValidity,
		CallbackURLs:                             in.CallbackURLs,
		DefaultRedirectURI:                       in.DefaultRedirectURI,
		EnablePropagateAdditionalUserContextData: in.EnablePropagateAdditionalUserContextData,
		EnableTokenRevocation:                    in.EnableTokenRevocation,
		ExplicitAuthFlows:                        in.ExplicitAuthFlows,
		IDTokenValidity:                          in.IDTokenValidity,
		LogoutURLs:                               in.LogoutURLs,
		PreventUserExistenceErrors:               in.PreventUserExistenceErrors,
		ReadAttributes:                           in.ReadAttributes,
		RefreshTokenRotation:                     in.RefreshTokenRotation,
		RefreshTokenValidity:                     in.RefreshTokenValidity,
		SupportedIdentityProviders:               in.SupportedIdentityProviders,
		TokenValidityUnits:                       in.TokenValidityUnits,
		WriteAttributes:                          in.WriteAttributes,
	}
}

// buildClient checks a client's settings against Cognito's rules and the
// pool, and returns the configuration to store, every omitted member set
// to its default. verb ("creating" or "updating") goes into the messages
// that name the operation.
func (s *Service) buildClient(ctx context.Context, st store.Store, pool *cognito.UserPoolType, cs clientSettings, hasSecret bool, verb string) (*cognito.UserPoolClientType, error) {
	c := &cognito.UserPoolClientType{
		AllowedOAuthFlows:      cs.AllowedOAuthFlows,
		AllowedOAuthScopes:     cs.AllowedOAuthScopes,
		AnalyticsConfiguration: cs.AnalyticsConfiguration,
		CallbackURLs:           cs.CallbackURLs,
		DefaultRedirectURI:     cs.DefaultRedirectURI,
		LogoutURLs:             cs.LogoutURLs,
		ReadAttributes:         cs.ReadAttributes,
		RefreshTokenRotation:   cs.RefreshTokenRotation,
		WriteAttributes:        cs.WriteAttributes,
	}

	c.ExplicitAuthFlows = cs.ExplicitAuthFlows
	if len(c.ExplicitAuthFlows) == 0 {
		c.ExplicitAuthFlows = slices.Clone(defaultExplicitAuthFlows)
	} else if hasLegacyFlow(c.ExplicitAuthFlows) &&
		slices.ContainsFunc(c.ExplicitAuthFlows, func(f string) bool { return strings.HasPrefix(f, allowFlowPrefix) }) {
		return nil, cognito.InvalidParameter(clientMsgLegacyFlowMix)
	}

	if err := setValidities(c, cs); err != nil {
		return nil, err
	}
	c.AuthSessionValidity = cs.AuthSessionValidity
	if c.AuthSessionValidity == nil {
		c.AuthSessionValidity = pointerTo(int64(clientDefaultAuthSessionValidity))
	}
	c.EnableTokenRevocation = clientBoolOr(cs.EnableTokenRevocation, true)
	c.EnablePropagateAdditionalUserContextData = clientBoolOr(cs.EnablePropagateAdditionalUserContextData, false)
	c.AllowedOAuthFlowsUserPoolClient = clientBoolOr(cs.AllowedOAuthFlowsUserPoolClient, false)
	c.PreventUserExistenceErrors = stringOr(cs.PreventUserExistenceErrors, clientDefaultPreventUserExistenceErrors)

	for _, list := range [][]string{c.CallbackURLs, c.LogoutURLs} {
		for _, u := range list {
			if err := checkRedirectURL(u); err != nil {
				return nil, err
			}
		}
	}
	if c.DefaultRedirectURI != "" {
		if err := checkRedirectURL(c.DefaultRedirectURI); err != nil {
			return nil, err
		}
		if !slices.Contains(c.CallbackURLs, c.DefaultRedirectURI) {
			return nil, cognito.InvalidParameter(fmt.Sprintf(clientMsgDefaultRedirectURI, c.DefaultRedirectURI))
		}
	}

	if err := s.checkOAuth(ctx, st, pool.ID, c, hasSecret); err != nil {
		return nil, err
	}

	// idpInitiated is a SAML provider that accepts IdP-initiated sign-in;
	// nonSAML, the pool's directory or a provider of another type.
	var idpInitiated, nonSAML string
	for _, p := range cs.SupportedIdentityProviders {
		// The pool's own directory, or one of its identity providers.
		if p == identityProviderOwn {
			nonSAML = cmp.Or(nonSAML, p)
			continue
		}
		rec, err := st.GetIdentityProvider(ctx, pool.ID, p)
		if errors.Is(err, store.ErrNotFound) {
			return nil, cognito.InvalidParameter(fmt.Sprintf(clientMsgProviderDoesNotExist, p, pool.ID))
		} else if err != nil {
			return nil, err
		}
		if rec.Type != IdPTypeSAML {
			nonSAML = cmp.Or(nonSAML, p)
			continue
		}
		set, err := s.openIDP(rec)
		if err != nil {
			return nil, err
		}
		if set.Details[DetailIDPInit] == "true" {
			idpInitiated = cmp.Or(idpInitiated, p)
		}
	}
	// Cognito's guide (SAML session initiation, IdP-initiated sign-in):
	// "you can't add non-SAML IdPs, including the user pool itself, to
	// any app client that uses a SAML provider with IdP-initiated
	// sign-in".
	if idpInitiated != "" && nonSAML != "" {
		return nil, cognito.InvalidParameter(fmt.Sprintf(clientMsgIdPInitiatedNonSAML, idpInitiated, nonSAML))
	}
	c.SupportedIdentityProviders = cs.SupportedIdentityProviders

	if err := checkClientAttributes(pool, c.ReadAttributes, c.WriteAttributes, verb); err != nil {
		return nil, err
	}
	return c, nil
}

// setValidities stores each token's validity as a value and its unit, and
// checks their ranges and order.
func setValidities(c *cognito.UserPoolClientType, cs clientSettings) error {
	units := cognito.TokenValidityUnitsType{}
	if cs.TokenValidityUnits != nil {
		units = *cs.TokenValidityUnits
	}
	var err error
	var access, id, refresh int64
	if access, units.AccessToken, err = resolveValidity(cs.AccessTokenValidity, units.AccessToken, accessValiditySpec); err != nil {
		return err
	}
	if id, units.IDToken, err = resolveValidity(cs.IDTokenValidity, units.IDToken, idValiditySpec); err != nil {
		return err
	}
	if refresh, units.RefreshToken, err = resolveValidity(cs.RefreshTokenValidity, units.RefreshToken, refreshValiditySpec); err != nil {
		return err
	}
	refreshSecs := refresh * validityUnitSeconds[units.RefreshToken]
	if access*validityUnitSeconds[units.AccessToken] > refreshSecs || id*validityUnitSeconds[units.IDToken] > refreshSecs {
		return cognito.InvalidParameter(clientMsgTokenValidityOrder)
	}
	c.AccessTokenValidity, c.IDTokenValidity, c.RefreshTokenValidity = &access, &id, &refresh
	c.TokenValidityUnits = &units
	return nil
}

// checkOAuth applies the rules on OAuth flows and scopes.
func (s *Service) checkOAuth(ctx context.Context, st store.Store, poolID string, c *cognito.UserPoolClientType, hasSecret bool) error {
	if *c.AllowedOAuthFlowsUserPoolClient && (len(c.AllowedOAuthFlows) == 0 || len(c.AllowedOAuthScopes) == 0) {
		return cognito.InvalidParameter(clientMsgOAuthFlowsAndScopes)
	}
	if slices.Contains(c.AllowedOAuthFlows, oauthClientCredential) {
		if len(c.AllowedOAuthFlows) > 1 {
			return cognito.InvalidOAuthFlow(clientMsgClientCredentialsAlone)
		}
		if !hasSecret {
			return cognito.InvalidOAuthFlow(clientMsgClientCredentialsNoKey)
		}
	} else if *c.AllowedOAuthFlowsUserPoolClient && len(c.CallbackURLs) == 0 {
		return cognito.InvalidParameter(clientMsgCallbackURLsRequired)
	}
	for _, sc := range c.AllowedOAuthScopes {
		ok, err := scopeExists(ctx, st, poolID, sc)
		if err != nil {
			return err
		}
		if !ok {
			return cognito.ScopeDoesNotExist(fmt.Sprintf(clientMsgInvalidScope, sc))
		}
	}
	return nil
}

// scopeExists reports whether scope is a standard scope or a custom scope
// "<resource server identifier>/<name>" of the pool. Identifiers may
// contain slashes (they are often URLs) and scope names may not, so the
// name is what follows the last slash.
func scopeExists(ctx context.Context, st store.Store, poolID, scope string) (bool, error) {
	if slices.Contains(standardOAuthScopes, scope) {
		return true, nil
	}
	i := strings.LastIndex(scope, "/")
	if i <= 0 {
		return false, nil
	}
	rs, err := st.GetResourceServer(ctx, poolID, scope[:i])
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(rs.Scopes, func(x store.Scope) bool { return x.Name == scope[i+1:] }), nil
}

// checkClientAttributes checks that the read and write attributes exist in
// the pool's schema and that none of the write attributes is reserved to
// Cognito.
func checkClientAttributes(pool *cognito.UserPoolType, read, write []string, verb string) error {
	known := func(name string) bool {
		return slices.ContainsFunc(pool.SchemaAttributes, func(a cognito.SchemaAttributeType) bool { return a.Name == name })
	}
	for _, a := range read {
		if !known(a) {
			return cognito.InvalidParameter(fmt.Sprintf(clientMsgInvalidReadAttributes, verb))
		}
	}
	for _, a := range write {
		if !known(a) || slices.Contains(unwritableAttributes, a) {
			return cognito.InvalidParameter(fmt.Sprintf(clientMsgInvalidWriteAttributes, verb))
		}
	}
	return nil
}

func clientBoolOr(v *bool, def bool) *bool {
	if v == nil {
		return pointerTo(def)
	}
	return pointerTo(*v)
}
