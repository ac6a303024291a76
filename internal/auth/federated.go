package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/federation"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// Descriptions of refused federated sign-ins, sent to the app in its
// redirect. The unknown provider's is ours; the unlinked one is
// Cognito's (observed, with its trailing space).
const (
	msgProviderUnsupported = "The app client does not support the identity provider %s."
	msgProviderGone        = "The identity provider %s does not exist."
	msgNoUserID            = "The identity provider did not say who the user is."
)

// FederatedSignIn is the last step of every federated sign-in, whatever
// protocol carried it (OIDC and the social providers here, SAML in its
// own package): the upstream has vouched for id, and the user it names
// signs in to the app client clientID.
//
// The provider's AttributeMapping is applied to id.Attributes. An identity
// linked to an existing user (AdminLinkProviderForUser) signs in as that
// user. Otherwise the user "<ProviderName>_<UserID>" signs in, created
// the first time with UserStatus EXTERNAL_PROVIDER after
// PreSignUp_ExternalProvider (which may itself link the identity) and
// added to the group "<poolId>_<ProviderName>", with
// PostConfirmation_ConfirmSignUp after. The mapped attributes are written
// on every later sign-in. Then PreAuthentication and PostAuthentication
// run, as for a hosted sign-in; pre token generation runs when the code
// is redeemed (TokenGeneration_HostedAuth).
//
// Every refusal is an *OAuthError for the app's redirect URI: trigger
// refusals and attributes the pool refuses are invalid_request with
// Cognito's message, a disabled user access_denied.
func (e *Engine) FederatedSignIn(ctx context.Context, clientID string, id federation.Identity) (*HostedResult, error) {
	si, err := e.startHosted(ctx, clientID)
	if err != nil {
		return nil, federatedError(err)
	}
	if !slices.Contains(si.client.Config.SupportedIdentityProviders, id.ProviderName) {
		return nil, oauthError(OAuthUnauthorizedClient, fmt.Sprintf(msgProviderUnsupported, id.ProviderName))
	}
	if id.UserID == "" {
		return nil, oauthError(OAuthInvalidRequest, msgNoUserID)
	}
	prov, err := e.cfg.Users.IdentityProvider(ctx, si.pool.ID, id.ProviderName)
	if errors.Is(err, cognito.ResourceNotFound("")) {
		return nil, oauthError(OAuthInvalidRequest, fmt.Sprintf(msgProviderGone, id.ProviderName))
	}
	if err != nil {
		return nil, err
	}
	x := &userpool.External{Provider: prov, UserID: id.UserID, Issuer: id.Issuer, Attributes: prov.MapAttributes(id.Attributes)}
	u, err := e.federatedUser(ctx, si, x)
	if err != nil {
		return nil, federatedError(err)
	}
	if !u.Enabled {
		return nil, oauthError(OAuthAccessDenied, msgDisabled)
	}
	si.user = u
	if err := e.preAuthentication(ctx, si, u); err != nil {
		return nil, federatedError(err)
	}
	res := si.hostedResult()
	res.AuthTime = e.now()
	if _, err := e.hostedDone(ctx, si, res); err != nil {
		return nil, federatedError(err)
	}
	return res, nil
}

// federatedUser finds, refreshes or creates the user an identity signs in
// as.
func (e *Engine) federatedUser(ctx context.Context, si *signIn, x *userpool.External) (store.User, error) {
	users := e.cfg.Users
	u, found, err := users.LinkedUser(ctx, si.pool, x)
	if err != nil {
		return store.User{}, err
	}
	if found {
		return users.RefreshExternalUser(ctx, si.pool, si.client, u, x)
	}
	if u, found, err = users.ExternalUser(ctx, si.pool, x); err != nil {
		return store.User{}, err
	}
	if found {
		if err := checkExternal(u); err != nil {
			return store.User{}, err
		}
		return users.RefreshExternalUser(ctx, si.pool, si.client, u, x)
	}
	u, err = users.PrepareExternalUser(si.pool, si.client, x)
	if err != nil {
		return store.User{}, err
	}
	if err := users.PreSignUpExternal(ctx, si.pool, si.client.Config.ClientID, &u); err != nil {
		return store.User{}, err
	}
	// PreSignUp may have linked the identity to an existing user
	// (AdminLinkProviderForUser), the documented way to merge accounts:
	// then that user signs in, at once.
	linked, found, err := users.LinkedUser(ctx, si.pool, x)
	if err != nil {
		return store.User{}, err
	}
	if found {
		return users.RefreshExternalUser(ctx, si.pool, si.client, linked, x)
	}
	created, err := users.CreateExternalUser(ctx, si.pool, si.client.Config.ClientID, u, x)
	if errors.Is(err, cognito.UsernameExists("")) {
		// The same identity's first sign-in in another browser made the
		// user a moment ago: this one signs in as it.
		if u, found, ferr := users.ExternalUser(ctx, si.pool, x); ferr == nil && found && checkExternal(u) == nil {
			return users.RefreshExternalUser(ctx, si.pool, si.client, u, x)
		}
	}
	return created, err
}

// msgNameTaken is Cognito's answer (observed) when the user an identity
// would become exists already and is not one a provider made.
const msgNameTaken = "Already found an entry for username "

// checkExternal refuses to sign an identity in as a user of the same
// name that no provider made: a user who signed up as "Google_<id>"
// must not receive that Google account's sign-ins. Only a link
// (AdminLinkProviderForUser) joins an identity to such a user.
func checkExternal(u store.User) error {
	if u.Status != cognito.UserStatusExternalProvider {
		return cognito.InvalidParameter(msgNameTaken + u.Username)
	}
	return nil
}

// federatedError turns what refused a federated sign-in into the OAuth
// error its redirect carries: a Cognito refusal (a trigger's, an
// attribute the pool refuses, a taken alias) is invalid_request with
// Cognito's message, as the hosted flows report them (observed); server
// faults stay errors.
func federatedError(err error) error {
	var oe *OAuthError
	if errors.As(err, &oe) {
		return err
	}
	var ce *cognito.Error
	if errors.As(err, &ce) && ce.Status < http.StatusInternalServerError {
		return oauthError(OAuthInvalidRequest, ce.Message)
	}
	return err
}
