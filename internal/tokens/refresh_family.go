package tokens

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/metrics"
	"github.com/userpool/userpool/internal/store"
)

// Refresh-token failures, each carrying Cognito's message; the transports
// turn them into NotAuthorizedException / RefreshTokenReuseException or an
// OAuth invalid_grant.
var (
	ErrRefreshInvalid = errors.New("Invalid Refresh Token.")
	ErrRefreshRevoked = errors.New("Refresh Token has been revoked")
	ErrRefreshExpired = errors.New("Refresh Token has expired")
	ErrRefreshReused  = errors.New("Refresh token has been invalidated by refresh token rotation.")
)

// NewFamily describes a sign-in that receives a refresh token.
type NewFamily struct {
	PoolID    string
	ClientID  string
	Sub       string
	AuthTime  time.Time
	Scopes    []string
	DeviceKey string
	// TTL is the app client's refresh-token validity.
	TTL time.Duration
	// ID is the family's id when the caller must be able to name the
	// family later from what it was started with (an authorization code's
	// family, revoked when the code is replayed); a random UUID when "".
	ID string
}

// StartFamily issues the first refresh token of a sign-in. The family id is
// the origin_jti of every token minted from it.
func (i *Issuer) StartFamily(ctx context.Context, nf NewFamily) (token string, family store.RefreshFamily, err error) {
	now := i.cfg.Now().UTC()
	if nf.ID == "" {
		nf.ID = uuid.NewString()
	}
	token, id, hash := i.cfg.Refresh.NewRefresh(nf.ID)
	family = store.RefreshFamily{
		ID: nf.ID, PoolID: nf.PoolID, ClientID: nf.ClientID, Sub: nf.Sub,
		AuthTime: nf.AuthTime.UTC(), Scopes: nf.Scopes, DeviceKey: nf.DeviceKey,
		CreatedAt: now, ExpiresAt: now.Add(nf.TTL),
	}
	first := store.RefreshToken{ID: id, FamilyID: family.ID, SecretHash: hash, CreatedAt: now, ExpiresAt: family.ExpiresAt}
	if err := i.cfg.Store.CreateRefreshFamily(ctx, family, first); err != nil {
		return "", store.RefreshFamily{}, fmt.Errorf("create refresh family: %w", err)
	}
	metrics.TokensIssued.WithLabelValues(kindRefresh).Inc()
	return token, family, nil
}

// Redeemed is a refresh token that passed every check.
type Redeemed struct {
	Token  store.RefreshToken
	Family store.RefreshFamily
}

// Redeem checks a presented refresh token: it must be one of ours, issued
// to this client, unrevoked and unexpired. A token that rotation replaced
// is still accepted within grace of its replacement (the client's
// RetryGracePeriodSeconds), so a client that lost the response can retry;
// after that it is ErrRefreshReused, and the family is revoked.
func (i *Issuer) Redeem(ctx context.Context, token, clientID string, grace time.Duration) (*Redeemed, error) {
	r, err := i.redeem(ctx, token, clientID, grace)
	switch {
	case err == nil:
		metrics.Refreshes.WithLabelValues(metrics.RefreshOK).Inc()
	case errors.Is(err, ErrRefreshExpired):
		metrics.Refreshes.WithLabelValues(metrics.RefreshExpired).Inc()
	case errors.Is(err, ErrRefreshRevoked):
		metrics.Refreshes.WithLabelValues(metrics.RefreshRevoked).Inc()
	case errors.Is(err, ErrRefreshReused):
		metrics.Refreshes.WithLabelValues(metrics.RefreshReused).Inc()
	case errors.Is(err, ErrRefreshInvalid):
		metrics.Refreshes.WithLabelValues(metrics.RefreshInvalid).Inc()
	}
	return r, err
}

// redeem is Redeem without the metrics.
func (i *Issuer) redeem(ctx context.Context, token, clientID string, grace time.Duration) (*Redeemed, error) {
	id, hash, familyID, err := i.cfg.Refresh.OpenRefresh(token)
	if err != nil {
		return nil, ErrRefreshInvalid
	}
	rt, fam, err := i.cfg.Store.GetRefreshToken(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, i.collected(ctx, familyID, clientID)
	}
	if err != nil {
		return nil, err
	}
	// A token for another client is indistinguishable from garbage to the
	// caller, as on Cognito.
	if !constantTimeEqual(rt.SecretHash, hash) || fam.ClientID != clientID {
		return nil, ErrRefreshInvalid
	}
	now := i.cfg.Now()
	if !fam.RevokedAt.IsZero() {
		return nil, ErrRefreshRevoked
	}
	if !now.Before(rt.ExpiresAt) || !now.Before(fam.ExpiresAt) {
		return nil, ErrRefreshExpired
	}
	// Without a grace period a replaced token is never accepted, whatever
	// the clocks say: a rotation that committed while this request waited
	// must not count as "just now".
	if !rt.ReplacedAt.IsZero() && (grace <= 0 || now.Sub(rt.ReplacedAt) >= grace) {
		return nil, i.reused(ctx, fam.ID)
	}
	return &Redeemed{Token: rt, Family: fam}, nil
}

// RotatedOutRetention is how long a rotated-out token's row is kept after
// its replacement: the next rotation of its family deletes it once it is
// older (store.RefreshTokens.RotateRefreshToken), so a family rotating
// steadily holds its current token and those replaced in the last two
// minutes. It is twice the longest retry grace period Cognito allows
// (RetryGracePeriodSeconds, 60 s), so a retry within the grace period,
// even through a node whose clock runs a little behind, still finds the
// row it needs. Reuse after that is still recognised from the family id
// the token carries (collected).
const RotatedOutRetention = 2 * time.Minute

// collected answers a token of ours whose row is gone. Rows go when their
// family expires (then the family is gone too, or expired: the token is
// expired or, once the family is collected, unknown) and when a rotation
// collects rotated-out tokens: a token of a family that is still live,
// missing its row, was rotated out, and presenting it is reuse. Version 1
// tokens name no family, and are unknown once their row is gone.
func (i *Issuer) collected(ctx context.Context, familyID, clientID string) error {
	if familyID == "" {
		return ErrRefreshInvalid
	}
	fam, err := i.cfg.Store.GetRefreshFamily(ctx, familyID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ErrRefreshInvalid
	case err != nil:
		return err
	case fam.ClientID != clientID:
		return ErrRefreshInvalid
	case !fam.RevokedAt.IsZero():
		return ErrRefreshRevoked
	case !i.cfg.Now().Before(fam.ExpiresAt):
		return ErrRefreshExpired
	}
	return i.reused(ctx, fam.ID)
}

// ReplacementExpiry is when a rotated-in refresh token expires: when the
// token it replaces would have. The Cognito developer guide's page on
// refresh tokens says the new token is valid for the original token's
// remaining time, so rotation never extends a sign-in beyond the client's
// refresh-token validity. This is the one place that decides it.
func ReplacementExpiry(replaced store.RefreshToken) time.Time {
	return replaced.ExpiresAt
}

var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// Rotate replaces a redeemed token with a new one in the same family. Of
// concurrent rotations of one token outside the grace period, exactly one
// wins; the others get ErrRefreshReused, and revoke the family as any
// reuse does.
func (i *Issuer) Rotate(ctx context.Context, r *Redeemed, grace time.Duration) (string, error) {
	now := i.cfg.Now().UTC()
	token, id, hash := i.cfg.Refresh.NewRefresh(r.Family.ID)
	next := store.RefreshToken{ID: id, FamilyID: r.Family.ID, SecretHash: hash, CreatedAt: now, ExpiresAt: ReplacementExpiry(r.Token)}
	graceStart := now.Add(-grace)
	if grace <= 0 {
		// No grace: only a token not yet replaced may rotate. A start in
		// the far future makes the store's "replaced after graceStart"
		// test false whatever this node's clock reads.
		graceStart = farFuture
	}
	err := i.cfg.Store.RotateRefreshToken(ctx, r.Token.ID, now, graceStart, now.Add(-RotatedOutRetention), next)
	switch {
	case errors.Is(err, store.ErrReplaced):
		return "", i.reused(ctx, r.Family.ID)
	case errors.Is(err, store.ErrRevoked):
		return "", ErrRefreshRevoked
	case errors.Is(err, store.ErrNotFound):
		return "", ErrRefreshInvalid
	case err != nil:
		return "", fmt.Errorf("rotate refresh token: %w", err)
	}
	metrics.TokensIssued.WithLabelValues(kindRefresh).Inc()
	return token, nil
}

// reused answers the reuse of a rotated-out refresh token: two parties
// hold the token, and which is the thief cannot be told, so the whole
// sign-in is revoked, its current refresh token and its access tokens
// included (RFC 9700 §4.14.2). Cognito answers the reuse but lets the
// family live; this is a deliberate step beyond it (docs/design.md).
func (i *Issuer) reused(ctx context.Context, familyID string) error {
	if err := i.RevokeFamily(ctx, familyID); err != nil {
		return err
	}
	return ErrRefreshReused
}

// RevokeFamily ends a sign-in: its refresh tokens stop working and the
// access tokens minted from it are refused by the token-authorized actions.
func (i *Issuer) RevokeFamily(ctx context.Context, familyID string) error {
	err := i.cfg.Store.RevokeRefreshFamily(ctx, familyID, i.cfg.Now().UTC())
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// RevokeUser ends every sign-in of a user.
func (i *Issuer) RevokeUser(ctx context.Context, poolID, sub string) error {
	_, err := i.cfg.Store.RevokeUserRefreshFamilies(ctx, poolID, sub, i.cfg.Now().UTC())
	return err
}

// Revoked reports whether the family an access token came from, as read
// with its user (store.Users.GetUserBySubAndFamily), revokes the token. A
// family that no longer exists (expired and collected) is treated as
// revoked.
func Revoked(f store.FamilyState) bool { return !f.Found || !f.RevokedAt.IsZero() }

// FamilyOf returns the family of one of our refresh tokens whatever its
// state (revoked, expired, rotated out), or nil when the token is not ours.
func (i *Issuer) FamilyOf(ctx context.Context, token string) (*store.RefreshFamily, error) {
	id, hash, familyID, err := i.cfg.Refresh.OpenRefresh(token)
	if err != nil {
		return nil, nil
	}
	rt, fam, err := i.cfg.Store.GetRefreshToken(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		// A rotated-out token whose row was collected: its family, if
		// that is still kept.
		if familyID == "" {
			return nil, nil
		}
		f, err := i.cfg.Store.GetRefreshFamily(ctx, familyID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &f, nil
	}
	if err != nil {
		return nil, err
	}
	if !constantTimeEqual(rt.SecretHash, hash) {
		return nil, nil
	}
	return &fam, nil
}
