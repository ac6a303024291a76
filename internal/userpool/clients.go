package userpool

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// App client ids and secrets have the shapes Cognito's have.
const (
	clientIDAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	clientIDLength   = 26
	// clientSecretLength is the length of the secrets Cognito generates.
	clientSecretLength = 51
	listClientsKind    = "clients/"
)

// Explicit auth flows. The ALLOW_ names replaced the legacy ones, which
// some clients still carry; the two kinds cannot be mixed on one client.
const (
	FlowAdminUserPassword = "ALLOW_ADMIN_USER_PASSWORD_AUTH"
	FlowCustom            = "ALLOW_CUSTOM_AUTH"
	FlowUserPassword      = "ALLOW_USER_PASSWORD_AUTH"
	FlowUserSRP           = "ALLOW_USER_SRP_AUTH"
	FlowRefreshToken      = "ALLOW_REFRESH_TOKEN_AUTH"
	FlowUserAuth          = "ALLOW_USER_AUTH"

	legacyAdminNoSRP      = "ADMIN_NO_SRP_AUTH"
	legacyCustomFlowOnly  = "CUSTOM_AUTH_FLOW_ONLY"
	legacyUserPassword    = "USER_PASSWORD_AUTH"
	allowFlowPrefix       = "ALLOW_"
	oauthClientCredential = "client_credentials"
	identityProviderOwn   = "COGNITO"
)

// legacyFlowEquivalent maps each legacy flow name to the ALLOW_ flow it
// grants.
var legacyFlowEquivalent = map[string]string{
	legacyAdminNoSRP:     FlowAdminUserPassword,
	legacyCustomFlowOnly: FlowCustom,
	legacyUserPassword:   FlowUserPassword,
}

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

// Error messages of app client rules that Cognito's users have reported,
// in Cognito's wording.
const (
	clientMsgClientNotFound         = "User pool client %s does not exist."
	clientMsgLegacyFlowMix          = "Auth flow name with prefix 'ALLOW' cannot be used with legacy auth flow names."
	clientMsgTokenValidityRange     = "Invalid range for token validity."
	clientMsgTokenValidityOrder     = "Access and Id Token expiration times must be less than or equal to refresh token expiration times."
	clientMsgURLHTTP                = "%s cannot use the HTTP protocol."
	clientMsgURLFragment            = "%s cannot use fragment"
	clientMsgDefaultRedirectURI     = "The default redirect URI %s is not in the callback URIs list."
	clientMsgOAuthFlowsAndScopes    = "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."
	clientMsgClientCredentialsAlone = "client_credentials flow can not be selected along with code flow or implicit flow."
	clientMsgClientCredentialsNoKey = "client_credentials flow can not be selected if client does not have a client secret."
	clientMsgCallbackURLsRequired   = "CallbackUrls can not be empty when code flow or implicit flow is selected"
	clientMsgInvalidScope           = "Invalid scope requested: %s"
	clientMsgProviderDoesNotExist   = "The provider %s does not exist for User Pool"
	// The verb is "creating" in the reported message; "updating" is our
	// guess for UpdateUserPoolClient.
	clientMsgInvalidReadAttributes  = "Invalid read attributes specified while %s a client"
	clientMsgInvalidWriteAttributes = "Invalid write attributes specified while %s a client"
)

// Error messages of app client rules where Cognito's wording is not known.
const (
	clientMsgURLInvalid = "%s is not a valid URL."
	// In the words of the HTTP refusal, which are Cognito's.
	clientMsgURLScriptScheme         = "%s cannot use the %s protocol."
	clientMsgSecretWithoutGeneration = "ClientSecret can only be given when GenerateSecret is true."
)

// AppClient is an app client as the other packages (authentication,
// tokens, hosted endpoints) need it: its configuration, its pool and its
// secret, with methods that work out the effective lifetimes and flows.
type AppClient struct {
	PoolID string
	// Config is the client's configuration as DescribeUserPoolClient
	// returns it, without the secret.
	Config *cognito.UserPoolClientType
	// Secret is the client secret, "" when the client has none.
	Secret string
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

func createClientSettings(in *cognito.CreateUserPoolClientInput) clientSettings {
	return clientSettings{
		AccessTokenValidity: in.AccessTokenValidity, AllowedOAuthFlows: in.AllowedOAuthFlows,
		AllowedOAuthFlowsUserPoolClient: in.AllowedOAuthFlowsUserPoolClient, AllowedOAuthScopes: in.AllowedOAuthScopes,
		AnalyticsConfiguration: in.AnalyticsConfiguration, AuthSessionValidity: in.AuthSessionValidity,
		CallbackURLs: in.CallbackURLs, DefaultRedirectURI: in.DefaultRedirectURI,
		EnablePropagateAdditionalUserContextData: in.EnablePropagateAdditionalUserContextData,
		EnableTokenRevocation:                    in.EnableTokenRevocation, ExplicitAuthFlows: in.ExplicitAuthFlows,
		IDTokenValidity: in.IDTokenValidity, LogoutURLs: in.LogoutURLs, PreventUserExistenceErrors: in.PreventUserExistenceErrors,
		ReadAttributes: in.ReadAttributes, RefreshTokenRotation: in.RefreshTokenRotation, RefreshTokenValidity: in.RefreshTokenValidity,
		SupportedIdentityProviders: in.SupportedIdentityProviders, TokenValidityUnits: in.TokenValidityUnits, WriteAttributes: in.WriteAttributes,
	}
}

func updateClientSettings(in *cognito.UpdateUserPoolClientInput) clientSettings {
	return clientSettings{
		AccessTokenValidity: in.AccessTokenValidity, AllowedOAuthFlows: in.AllowedOAuthFlows,
		AllowedOAuthFlowsUserPoolClient: in.AllowedOAuthFlowsUserPoolClient, AllowedOAuthScopes: in.AllowedOAuthScopes,
		AnalyticsConfiguration: in.AnalyticsConfiguration, AuthSessionValidity: in.AuthSessionValidity,
		CallbackURLs: in.CallbackURLs, DefaultRedirectURI: in.DefaultRedirectURI,
		EnablePropagateAdditionalUserContextData: in.EnablePropagateAdditionalUserContextData,
		EnableTokenRevocation:                    in.EnableTokenRevocation, ExplicitAuthFlows: in.ExplicitAuthFlows,
		IDTokenValidity: in.IDTokenValidity, LogoutURLs: in.LogoutURLs, PreventUserExistenceErrors: in.PreventUserExistenceErrors,
		ReadAttributes: in.ReadAttributes, RefreshTokenRotation: in.RefreshTokenRotation, RefreshTokenValidity: in.RefreshTokenValidity,
		SupportedIdentityProviders: in.SupportedIdentityProviders, TokenValidityUnits: in.TokenValidityUnits, WriteAttributes: in.WriteAttributes,
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

	for _, p := range cs.SupportedIdentityProviders {
		// Federation is not implemented, so a pool has no identity
		// provider but its own directory.
		if p != identityProviderOwn {
			return nil, cognito.InvalidParameter(fmt.Sprintf(clientMsgProviderDoesNotExist, p))
		}
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

// A client's Settings are the JSON of its UserPoolClientType without what
// the record holds in its own columns (id, pool, name, dates) and without
// the secret, which is only ever stored hashed and sealed.
func encodeClient(c *cognito.UserPoolClientType) ([]byte, error) {
	x := *c
	x.ClientID, x.UserPoolID, x.ClientName, x.ClientSecret = "", "", "", ""
	x.CreationDate, x.LastModifiedDate = cognito.EpochTime{}, cognito.EpochTime{}
	return json.Marshal(&x)
}

// decodeClient is the client's configuration, without its secret.
func decodeClient(rec store.Client) (*cognito.UserPoolClientType, error) {
	var c cognito.UserPoolClientType
	if err := json.Unmarshal(rec.Settings, &c); err != nil {
		return nil, fmt.Errorf("decode client %s: %w", rec.ID, err)
	}
	c.ClientID, c.UserPoolID, c.ClientName = rec.ID, rec.PoolID, rec.Name
	c.ClientSecret = ""
	c.CreationDate, c.LastModifiedDate = cognito.Epoch(rec.CreatedAt), cognito.Epoch(rec.UpdatedAt)
	return &c, nil
}

// clientSecret opens the sealed secret; "" when the client has none.
func (s *Service) clientSecret(rec store.Client) (string, error) {
	if len(rec.SecretSealed) == 0 {
		return "", nil
	}
	if s.cfg.Sealer == nil {
		return "", errors.New("client secret: no sealer configured")
	}
	b, err := s.cfg.Sealer.Open(rec.SecretSealed, []byte(rec.ID))
	if err != nil {
		return "", fmt.Errorf("client %s secret: %w", rec.ID, err)
	}
	return string(b), nil
}

// describeClient is the client as the API returns it, secret included.
func (s *Service) describeClient(rec store.Client) (*cognito.UserPoolClientType, error) {
	c, err := decodeClient(rec)
	if err != nil {
		return nil, err
	}
	if c.ClientSecret, err = s.clientSecret(rec); err != nil {
		return nil, err
	}
	return c, nil
}

func errClientNotFound(id string) error {
	return cognito.ResourceNotFound(fmt.Sprintf(clientMsgClientNotFound, id))
}

// Client returns an app client by id, whatever its pool, for the packages
// that authenticate with it. ResourceNotFoundException when there is none.
func (s *Service) Client(ctx context.Context, clientID string) (*AppClient, error) {
	rec, err := s.cfg.Store.GetClient(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errClientNotFound(clientID)
	}
	if err != nil {
		return nil, err
	}
	c, err := decodeClient(rec)
	if err != nil {
		return nil, err
	}
	secret, err := s.clientSecret(rec)
	if err != nil {
		return nil, err
	}
	return &AppClient{PoolID: rec.PoolID, Config: c, Secret: secret}, nil
}

// poolClient reads a client of a pool. The pool is checked first, so a
// missing pool is reported as such; a client of another pool is not found.
func (s *Service) poolClient(ctx context.Context, st store.Store, poolID, clientID string) (store.Client, error) {
	if _, err := st.GetPool(ctx, poolID); err != nil {
		return store.Client{}, poolError(poolID, err)
	}
	rec, err := st.GetClient(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.PoolID != poolID) {
		return store.Client{}, errClientNotFound(clientID)
	}
	return rec, err
}

// CreateClient creates an app client from a CreateUserPoolClient request.
// The secret, when there is one, is stored as a SHA-256 hash (for
// constant-time checks) and sealed (for SECRET_HASH and Describe), never in
// the clear.
func (s *Service) CreateClient(ctx context.Context, in *cognito.CreateUserPoolClientInput) (*cognito.UserPoolClientType, error) {
	return s.createClient(ctx, in, "")
}

// fixedClientID is the form of a given client id: the model's
// ClientIdType. Cognito's own are 26 lower-case letters and digits.
var fixedClientID = regexp.MustCompile(`^[\w+]{1,128}$`)

// CreateClientWithID is CreateClient with a given id instead of a random
// one, for seed files, whose apps' committed configuration names the
// client. No API action can choose an id, so only the seed calls it.
func (s *Service) CreateClientWithID(ctx context.Context, id string, in *cognito.CreateUserPoolClientInput) (*cognito.UserPoolClientType, error) {
	if !fixedClientID.MatchString(id) {
		return nil, cognito.InvalidParameter(fmt.Sprintf("%q is not an app client id: up to 128 letters, digits, _ or +.", id))
	}
	return s.createClient(ctx, in, id)
}

// createClient creates the client under id, or under a random id when id
// is "", drawing again when one is taken.
func (s *Service) createClient(ctx context.Context, in *cognito.CreateUserPoolClientInput, id string) (*cognito.UserPoolClientType, error) {
	pool, err := s.Pool(ctx, in.UserPoolID)
	if err != nil {
		return nil, err
	}
	generate := in.GenerateSecret != nil && *in.GenerateSecret
	if in.ClientSecret != "" && in.GenerateSecret != nil && !*in.GenerateSecret {
		return nil, cognito.InvalidParameter(clientMsgSecretWithoutGeneration)
	}
	hasSecret := generate || in.ClientSecret != ""
	c, err := s.buildClient(ctx, s.cfg.Store, pool, createClientSettings(in), hasSecret, "creating")
	if err != nil {
		return nil, err
	}
	settings, err := encodeClient(c)
	if err != nil {
		return nil, err
	}
	secret := ""
	if hasSecret {
		secret = in.ClientSecret
		if secret == "" {
			secret = randomString(clientSecretLength, clientIDAlphabet)
		}
		if s.cfg.Sealer == nil {
			return nil, errors.New("create client: no sealer configured for its secret")
		}
	}
	now := s.now()
	for range poolIDAttempts {
		rec := store.Client{
			ID: id, PoolID: in.UserPoolID, Name: in.ClientName,
			Settings: settings, CreatedAt: now, UpdatedAt: now,
		}
		if id == "" {
			rec.ID = randomString(clientIDLength, clientIDAlphabet)
		}
		if secret != "" {
			h := sha256.Sum256([]byte(secret))
			rec.SecretHash = h[:]
			rec.SecretSealed = s.cfg.Sealer.Seal([]byte(secret), []byte(rec.ID))
		}
		err := s.cfg.Store.CreateClient(ctx, rec)
		if errors.Is(err, store.ErrAlreadyExists) && id != "" {
			return nil, cognito.InvalidParameter(fmt.Sprintf("App client %s already exists.", id))
		}
		if errors.Is(err, store.ErrAlreadyExists) {
			continue
		}
		if err != nil {
			return nil, poolError(in.UserPoolID, err)
		}
		out, err := decodeClient(rec)
		if err != nil {
			return nil, err
		}
		out.ClientSecret = secret
		return out, nil
	}
	return nil, fmt.Errorf("create client: no free id after %d attempts", poolIDAttempts)
}

// DescribeClient returns a pool's client with its secret.
func (s *Service) DescribeClient(ctx context.Context, poolID, clientID string) (*cognito.UserPoolClientType, error) {
	rec, err := s.poolClient(ctx, s.cfg.Store, poolID, clientID)
	if err != nil {
		return nil, err
	}
	return s.describeClient(rec)
}

// UpdateClient applies an UpdateUserPoolClient request: every setting is
// replaced, omitted ones by their defaults, while the id, the secret and
// (when ClientName is omitted) the name stay.
func (s *Service) UpdateClient(ctx context.Context, in *cognito.UpdateUserPoolClientInput) (*cognito.UserPoolClientType, error) {
	var out store.Client
	err := s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		recPool, err := tx.GetPool(ctx, in.UserPoolID)
		if err != nil {
			return poolError(in.UserPoolID, err)
		}
		pool, err := decodePool(recPool)
		if err != nil {
			return err
		}
		out, err = tx.UpdateClient(ctx, in.ClientID, func(rec *store.Client) error {
			if rec.PoolID != in.UserPoolID {
				return errClientNotFound(in.ClientID)
			}
			c, err := s.buildClient(ctx, tx, pool, updateClientSettings(in), len(rec.SecretSealed) > 0, "updating")
			if err != nil {
				return err
			}
			if rec.Settings, err = encodeClient(c); err != nil {
				return err
			}
			if in.ClientName != "" {
				rec.Name = in.ClientName
			}
			rec.UpdatedAt = s.now()
			return nil
		})
		if errors.Is(err, store.ErrNotFound) {
			return errClientNotFound(in.ClientID)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.describeClient(out)
}

// DeleteClient deletes a pool's client.
func (s *Service) DeleteClient(ctx context.Context, poolID, clientID string) error {
	return s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if _, err := s.poolClient(ctx, tx, poolID, clientID); err != nil {
			return err
		}
		err := tx.DeleteClient(ctx, clientID)
		if errors.Is(err, store.ErrNotFound) {
			return errClientNotFound(clientID)
		}
		return err
	})
}

// ListClients returns one page of a pool's clients, ordered by id, and the
// token of the next page ("" on the last). maxResults 0 means Cognito's
// page size of 60.
func (s *Service) ListClients(ctx context.Context, poolID string, maxResults int64, nextToken string) ([]cognito.UserPoolClientDescription, string, error) {
	kind := listClientsKind + poolID
	after, err := decodeNextToken(kind, nextToken)
	if err != nil {
		return nil, "", err
	}
	if _, err := s.cfg.Store.GetPool(ctx, poolID); err != nil {
		return nil, "", poolError(poolID, err)
	}
	recs, next, err := s.cfg.Store.ListClients(ctx, poolID, store.Page{Limit: int(maxResults), After: after})
	if err != nil {
		return nil, "", err
	}
	out := make([]cognito.UserPoolClientDescription, 0, len(recs))
	for _, rec := range recs {
		out = append(out, cognito.UserPoolClientDescription{ClientID: rec.ID, ClientName: rec.Name, UserPoolID: rec.PoolID})
	}
	return out, encodeNextToken(kind, next), nil
}
