package auth

import (
	"context"
	"errors"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/triggers"
	"github.com/userpool/userpool/internal/userpool"
)

// refreshError turns a refresh-token failure into Cognito's answer.
func refreshError(err error) error {
	switch {
	case errors.Is(err, tokens.ErrRefreshReused):
		return cognito.RefreshTokenReuse(err.Error())
	case errors.Is(err, tokens.ErrRefreshInvalid), errors.Is(err, tokens.ErrRefreshRevoked), errors.Is(err, tokens.ErrRefreshExpired):
		return cognito.NotAuthorized(err.Error())
	}
	return err
}

// refreshAuth runs REFRESH_TOKEN_AUTH: new ID and access tokens, and no
// refresh token; the one presented stays valid until its own expiry.
func (e *Engine) refreshAuth(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, p map[string]string) (*Result, error) {
	raw := p["REFRESH_TOKEN"]
	if raw == "" {
		return nil, cognito.InvalidParameter("Missing required parameter REFRESH_TOKEN")
	}
	r, err := e.cfg.Tokens.Redeem(ctx, raw, client.Config.ClientID, 0)
	if err != nil {
		return nil, refreshError(err)
	}
	u, err := e.refreshUser(ctx, pool, r)
	if err != nil {
		return nil, err
	}
	// SECRET_HASH on refresh is computed with the internal username (a
	// UUID in pools that sign in with e-mail as username), as on Cognito,
	// and with nothing else: a USERNAME parameter, which old SDKs send, is
	// ignored, since Cognito refuses a hash of the alias it names and an
	// app that works here must work there.
	if err := checkSecretHash(client, p["SECRET_HASH"], u.Username); err != nil {
		return nil, err
	}
	if err := e.checkRefreshDevice(ctx, r.Family, p["DEVICE_KEY"]); err != nil {
		return nil, err
	}
	return e.refreshed(ctx, pool, client, u, r.Family, "", nil)
}

// RefreshRequest is GetTokensFromRefreshToken.
type RefreshRequest struct {
	ClientID     string
	ClientSecret string
	RefreshToken string
	// DeviceKey must be the key of the device the sign-in is bound to,
	// when it is bound to one (devices.go).
	DeviceKey string
}

// GetTokensFromRefreshToken refreshes tokens; on a client with rotation it
// also replaces the refresh token. It takes the raw client secret, not a
// SECRET_HASH.
func (e *Engine) GetTokensFromRefreshToken(ctx context.Context, req RefreshRequest) (*Result, error) {
	pool, client, err := e.client(ctx, req.ClientID, "", false)
	if err != nil {
		return nil, err
	}
	if err := e.checkSecret(client, req.ClientSecret); err != nil {
		return nil, err
	}
	grace := time.Duration(0)
	if rotates(client) {
		grace = graceOf(client)
	}
	r, err := e.cfg.Tokens.Redeem(ctx, req.RefreshToken, client.Config.ClientID, grace)
	if err != nil {
		return nil, refreshError(err)
	}
	u, err := e.refreshUser(ctx, pool, r)
	if err != nil {
		return nil, err
	}
	if err := e.checkRefreshDevice(ctx, r.Family, req.DeviceKey); err != nil {
		return nil, err
	}
	fam, issued, err := e.refreshDevice(ctx, pool, u, r.Family, req.DeviceKey)
	if err != nil {
		return nil, err
	}
	next := ""
	if rotates(client) {
		if next, err = e.cfg.Tokens.Rotate(ctx, r, grace); err != nil {
			return nil, refreshError(err)
		}
	}
	return e.refreshed(ctx, pool, client, u, fam, next, issued)
}

// checkSecret verifies the raw secret of GetTokensFromRefreshToken.
func (e *Engine) checkSecret(client *userpool.AppClient, given string) error {
	id := client.Config.ClientID
	switch {
	case client.Secret == "" && given != "":
		return cognito.InvalidParameter("App client " + id + " is not configured for secret but client secret was received")
	case client.Secret != "" && given == "":
		return cognito.NotAuthorized("Client " + id + " is configured with secret but ClientSecret was not received")
	case !checkClientSecret(client, given):
		return cognito.NotAuthorized("Unable to verify client secret for client " + id)
	}
	return nil
}

// refreshUser returns the user a redeemed token belongs to, who must still
// be allowed to sign in.
func (e *Engine) refreshUser(ctx context.Context, pool *cognito.UserPoolType, r *tokens.Redeemed) (store.User, error) {
	u, err := e.cfg.Users.UserBySub(ctx, pool.ID, r.Family.Sub)
	if err != nil {
		if errors.Is(err, cognito.UserNotFound("")) {
			return store.User{}, cognito.NotAuthorized(tokens.ErrRefreshInvalid.Error())
		}
		return store.User{}, err
	}
	if !u.Enabled {
		return store.User{}, cognito.NotAuthorized(msgDisabled)
	}
	if u.Status == cognito.UserStatusResetRequired {
		return store.User{}, cognito.PasswordResetRequired(msgResetRequired)
	}
	return u, nil
}

// refreshed mints the tokens of a refresh of fam's sign-in; next is the
// replacement refresh token, if the client rotates, and issued the device
// the refresh was issued, if any.
func (e *Engine) refreshed(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, fam store.RefreshFamily, next string, issued *cognito.NewDeviceMetadataType) (*Result, error) {
	id, access, err := e.mintFor(ctx, pool, client, u, fam, e.now(), mint{source: triggers.TokenRefreshTokens})
	if err != nil {
		return nil, err
	}
	return &Result{Tokens: &TokenSet{IDToken: id, AccessToken: access, RefreshToken: next, ExpiresIn: int64(client.AccessTokenTTL() / time.Second), NewDevice: issued}}, nil
}
