package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/passkey"
	"github.com/userpool/userpool/internal/store"
)

// Passkeys: a pool's relying party, the registration of a user's passkeys
// (StartWebAuthnRegistration, CompleteWebAuthnRegistration), their
// listing and deletion, and the checks of a passkey sign-in (the
// WEB_AUTHN challenge, run by internal/auth). The WebAuthn ceremonies
// themselves are verified by internal/passkey.

// The challenges of the ceremonies are kept as codes of their own
// purposes, one per user, used up by the response that answers them.
const (
	purposePasskeyRegistration = "webauthn_registration"
	purposePasskeyLogin        = "webauthn_login"
	// passkeyRegistrationTTL is how long a registration challenge waits
	// for CompleteWebAuthnRegistration: the browser's minute, and the
	// time to send the answer.
	passkeyRegistrationTTL = 5 * time.Minute
	// maxPasskeys is how many passkeys a user may register, the page
	// size of ListWebAuthnCredentials (Cognito's limit is unpublished).
	maxPasskeys = 20
	// passkeyName is the FriendlyCredentialName of every passkey, which
	// Cognito generates (from the provider's name, unknown here).
	passkeyName = "Passkey"
)

// Answers about passkeys; the reference has the types only, the wording
// is ours.
const (
	msgPasskeyNotEnabled  = "Passkeys (WEB_AUTHN) are not an allowed first auth factor of this user pool."
	msgPasskeyRPMissing   = "The user pool has no relying party id for passkeys: set WebAuthnConfiguration.RelyingPartyId or give the user pool a domain."
	msgPasskeyChallenge   = "No passkey registration is under way for the user, or it has expired."
	msgPasskeyClient      = "The passkey registration was started by another app client."
	msgPasskeyRP          = "The passkey is bound to another relying party."
	msgPasskeyOrigin      = "The passkey response comes from an origin the relying party does not allow."
	msgPasskeyInvalid     = "The passkey response is not valid."
	msgPasskeyExists      = "The passkey is already registered."
	msgPasskeyLimit       = "The user has registered as many passkeys as they may."
	msgPasskeyNotFound    = "The passkey does not exist."
	msgPasskeySignIn      = "The passkey could not be verified."
	msgPasskeyMaxResults  = "MaxResults must be between 0 and 20."
	nextTokenKindPasskeys = "passkeys"
)

// relyingParty is the pool's passkey relying party: WEB_AUTHN must be an
// allowed first factor, and the relying party is WebAuthnConfiguration's
// RelyingPartyId, else the pool's domain as Cognito takes it: the custom
// domain, or the prefix domain's host <prefix>.auth.<region>.amazoncognito.com.
// A pool with neither has no relying party.
func (s *Service) relyingParty(ctx context.Context, pool *cognito.UserPoolType) (passkey.RP, error) {
	if !PoolAllowsFactor(pool, cognito.AuthFactorWebAuthn) {
		return passkey.RP{}, cognito.New(cognito.TypeWebAuthnNotEnabled, msgPasskeyNotEnabled)
	}
	cfg, err := s.poolMFAConfig(ctx, pool)
	if err != nil {
		return passkey.RP{}, err
	}
	var rp passkey.RP
	if cfg.WebAuthn != nil {
		rp = passkey.RP{ID: cfg.WebAuthn.RelyingPartyID, UserVerification: cfg.WebAuthn.UserVerification}
	}
	if rp.ID == "" {
		prefix, custom, err := poolDomainNames(ctx, s.cfg.Store, pool.ID)
		if err != nil {
			return passkey.RP{}, err
		}
		switch {
		case custom != "":
			rp.ID = custom
		case prefix != "":
			rp.ID = prefixDomainHost(pool.ID, prefix)
		default:
			return passkey.RP{}, cognito.New(cognito.TypeWebAuthnConfigurationMissing, msgPasskeyRPMissing)
		}
	}
	return rp, nil
}

// prefixDomainHost is the host Cognito serves a prefix domain on, in the
// region of the pool (the part of its id before the underscore).
func prefixDomainHost(poolID, prefix string) string {
	region, _, _ := strings.Cut(poolID, "_")
	return prefix + ".auth." + region + ".amazoncognito.com"
}

// PasskeyIsMFA reports whether a passkey sign-in satisfies MFA for u:
// the pool's passkeys are a multi-factor with user verification
// (FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION) and u turned
// passkey MFA on (WebAuthnMfaSettings).
func (s *Service) PasskeyIsMFA(ctx context.Context, pool *cognito.UserPoolType, u store.User) (bool, error) {
	if !u.MFA.WebAuthnEnabled || !PoolAllowsFactor(pool, cognito.AuthFactorWebAuthn) {
		return false, nil
	}
	cfg, err := s.poolMFAConfig(ctx, pool)
	if err != nil {
		return false, err
	}
	return cfg.WebAuthn != nil && cfg.WebAuthn.FactorConfiguration == cognito.WebAuthnFactorConfigurationMultiFactorWithUserVerification, nil
}

// signInRelyingParty is the relying party of u's passkey sign-in: the
// pool's, requiring user verification when the passkey stands in for MFA.
func (s *Service) signInRelyingParty(ctx context.Context, pool *cognito.UserPoolType, u store.User) (passkey.RP, error) {
	rp, err := s.relyingParty(ctx, pool)
	if err != nil {
		return rp, err
	}
	mfa, err := s.PasskeyIsMFA(ctx, pool, u)
	if mfa {
		rp.UserVerification = cognito.UserVerificationRequired
	}
	return rp, err
}

// passkeys returns u's passkeys, as stored and as the verifier reads them.
func (s *Service) passkeys(ctx context.Context, u store.User) ([]store.WebAuthnCredential, passkey.User, error) {
	recs, _, err := s.cfg.Store.ListWebAuthnCredentials(ctx, u.PoolID, u.Sub, store.Page{Limit: maxPasskeys})
	if err != nil {
		return nil, passkey.User{}, err
	}
	pu := passkey.User{ID: u.Sub, Name: u.Username}
	for _, r := range recs {
		var c webauthn.Credential
		if err := json.Unmarshal(r.Data, &c); err != nil {
			return nil, passkey.User{}, err
		}
		pu.Credentials = append(pu.Credentials, c)
	}
	return recs, pu, nil
}

// UserAuthFactors is FirstAuthFactors for u, who has a passkey when the
// store says so (asked only when the pool allows passkeys).
func (s *Service) UserAuthFactors(ctx context.Context, pool *cognito.UserPoolType, u store.User) ([]string, error) {
	hasPasskey := false
	if PoolAllowsFactor(pool, cognito.AuthFactorWebAuthn) {
		recs, _, err := s.cfg.Store.ListWebAuthnCredentials(ctx, u.PoolID, u.Sub, store.Page{Limit: 1})
		if err != nil {
			return nil, err
		}
		hasPasskey = len(recs) > 0
	}
	return FirstAuthFactors(pool, u, hasPasskey), nil
}

// StartWebAuthnRegistration returns the options a browser creates u's
// next passkey with, and keeps their challenge for the app client
// clientID until CompleteWebAuthnRegistration.
func (s *Service) StartWebAuthnRegistration(ctx context.Context, pool *cognito.UserPoolType, u store.User, clientID string) (json.RawMessage, error) {
	rp, err := s.relyingParty(ctx, pool)
	if err != nil {
		return nil, err
	}
	recs, pu, err := s.passkeys(ctx, u)
	if err != nil {
		return nil, err
	}
	if len(recs) >= maxPasskeys {
		return nil, cognito.LimitExceeded(msgPasskeyLimit)
	}
	options, challenge, err := rp.RegistrationOptions(pu)
	if err != nil {
		return nil, err
	}
	if err := s.putChallenge(ctx, u, purposePasskeyRegistration, challenge, clientID, passkeyRegistrationTTL); err != nil {
		return nil, err
	}
	return options, nil
}

// putChallenge keeps a ceremony's challenge (not a secret: it is in the
// options the browser got) as u's code of purpose, for the app client
// clientID, replacing the previous one.
func (s *Service) putChallenge(ctx context.Context, u store.User, purpose, challenge, clientID string, ttl time.Duration) error {
	now := s.now()
	err := s.cfg.Store.PutCode(ctx, store.Code{
		PoolID: u.PoolID, Sub: u.Sub, Purpose: purpose, Hash: codeHash(u.PoolID, u.Sub, purpose, challenge),
		Attribute: clientID, Value: challenge, CreatedAt: now, ExpiresAt: now.Add(ttl), Sends: 1, SendsSince: now,
	})
	return userStoreError(err)
}

// challenge returns u's live challenge of purpose, ErrNotFound when there
// is none or it has expired.
func (s *Service) challenge(ctx context.Context, u store.User, purpose string) (store.Code, error) {
	c, err := s.cfg.Store.GetCode(ctx, u.PoolID, u.Sub, purpose)
	if err == nil && !s.now().Before(c.ExpiresAt) {
		err = store.ErrNotFound
	}
	return c, err
}

// passkeyError answers a failed verification as Cognito does.
func passkeyError(err error) error {
	switch {
	case errors.Is(err, passkey.ErrChallenge):
		return cognito.New(cognito.TypeWebAuthnChallengeNotFound, msgPasskeyChallenge)
	case errors.Is(err, passkey.ErrOrigin):
		return cognito.New(cognito.TypeWebAuthnOriginNotAllowed, msgPasskeyOrigin)
	case errors.Is(err, passkey.ErrRelyingParty):
		return cognito.New(cognito.TypeWebAuthnRelyingPartyMismatch, msgPasskeyRP)
	case errors.Is(err, passkey.ErrInvalid):
		return cognito.InvalidParameter(msgPasskeyInvalid)
	}
	return err
}

// CompleteWebAuthnRegistration verifies the browser's answer to the
// options StartWebAuthnRegistration gave (through the same app client)
// and stores the new passkey; the challenge is used up.
func (s *Service) CompleteWebAuthnRegistration(ctx context.Context, pool *cognito.UserPoolType, u store.User, clientID string, credential []byte) error {
	rp, err := s.relyingParty(ctx, pool)
	if err != nil {
		return err
	}
	c, err := s.challenge(ctx, u, purposePasskeyRegistration)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return cognito.New(cognito.TypeWebAuthnChallengeNotFound, msgPasskeyChallenge)
	case err != nil:
		return err
	case c.Attribute != clientID:
		return cognito.New(cognito.TypeWebAuthnClientMismatch, msgPasskeyClient)
	}
	_, pu, err := s.passkeys(ctx, u)
	if err != nil {
		return err
	}
	cred, err := rp.VerifyRegistration(pu, c.Value, credential)
	if err != nil {
		return passkeyError(err)
	}
	data, err := json.Marshal(cred)
	if err != nil {
		return err
	}
	transports := make([]string, 0, len(cred.Transport))
	for _, t := range cred.Transport {
		transports = append(transports, string(t))
	}
	now := s.now()
	rec := store.WebAuthnCredential{
		PoolID: u.PoolID, Sub: u.Sub, ID: passkey.CredentialID(cred), RelyingPartyID: rp.ID, FriendlyName: passkeyName,
		Attachment: string(cred.Authenticator.Attachment), Transports: transports, Data: data, CreatedAt: now, UpdatedAt: now,
	}
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if err := consumeCode(ctx, tx, c); err != nil {
			return cognito.New(cognito.TypeWebAuthnChallengeNotFound, msgPasskeyChallenge)
		}
		return tx.CreateWebAuthnCredential(ctx, rec)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return cognito.InvalidParameter(msgPasskeyExists)
	}
	return userStoreError(err)
}

// ListWebAuthnCredentials lists u's passkeys, a page of maxResults (at
// most and by default 20).
func (s *Service) ListWebAuthnCredentials(ctx context.Context, u store.User, maxResults *int64, nextToken string) (*cognito.ListWebAuthnCredentialsOutput, error) {
	limit := maxPasskeys
	if maxResults != nil {
		if *maxResults < 0 || *maxResults > maxPasskeys {
			return nil, cognito.InvalidParameter(msgPasskeyMaxResults)
		}
		if *maxResults > 0 {
			limit = int(*maxResults)
		}
	}
	after, err := decodeNextToken(nextTokenKindPasskeys, nextToken)
	if err != nil {
		return nil, err
	}
	recs, next, err := s.cfg.Store.ListWebAuthnCredentials(ctx, u.PoolID, u.Sub, store.Page{Limit: limit, After: after})
	if err != nil {
		return nil, err
	}
	out := &cognito.ListWebAuthnCredentialsOutput{NextToken: encodeNextToken(nextTokenKindPasskeys, next)}
	for _, r := range recs {
		out.Credentials = append(out.Credentials, cognito.WebAuthnCredentialDescription{
			CredentialID: r.ID, FriendlyCredentialName: r.FriendlyName, RelyingPartyID: r.RelyingPartyID,
			AuthenticatorAttachment: r.Attachment, AuthenticatorTransports: r.Transports, CreatedAt: cognito.Epoch(r.CreatedAt),
		})
	}
	return out, nil
}

// DeleteWebAuthnCredential removes one of u's passkeys.
func (s *Service) DeleteWebAuthnCredential(ctx context.Context, u store.User, id string) error {
	err := s.cfg.Store.DeleteWebAuthnCredential(ctx, u.PoolID, u.Sub, id)
	if errors.Is(err, store.ErrNotFound) {
		return cognito.ResourceNotFound(msgPasskeyNotFound)
	}
	return err
}

// PasskeyLoginOptions returns the options (CREDENTIAL_REQUEST_OPTIONS)
// u signs in with one of their passkeys, and keeps their challenge for
// ttl, the life of the challenge's session.
func (s *Service) PasskeyLoginOptions(ctx context.Context, pool *cognito.UserPoolType, u store.User, ttl time.Duration) (string, error) {
	rp, err := s.signInRelyingParty(ctx, pool, u)
	if err != nil {
		return "", err
	}
	_, pu, err := s.passkeys(ctx, u)
	if err != nil {
		return "", err
	}
	options, challenge, err := rp.LoginOptions(pu)
	if err != nil {
		return "", err
	}
	if err := s.putChallenge(ctx, u, purposePasskeyLogin, challenge, "", ttl); err != nil {
		return "", err
	}
	return string(options), nil
}

// VerifyPasskeyLogin checks u's answer to the WEB_AUTHN challenge (an
// AuthenticationResponseJSON) and uses the challenge up; the passkey's
// sign counter moves on in the same transaction. Every refusal is
// NotAuthorizedException, but for a response from an origin or relying
// party the pool does not allow.
func (s *Service) VerifyPasskeyLogin(ctx context.Context, pool *cognito.UserPoolType, u store.User, credential string) error {
	refused := cognito.NotAuthorized(msgPasskeySignIn)
	rp, err := s.signInRelyingParty(ctx, pool, u)
	if err != nil {
		return err
	}
	c, err := s.challenge(ctx, u, purposePasskeyLogin)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return refused
	case err != nil:
		return err
	}
	_, pu, err := s.passkeys(ctx, u)
	if err != nil {
		return err
	}
	cred, err := rp.VerifyLogin(pu, c.Value, []byte(credential))
	switch {
	case errors.Is(err, passkey.ErrOrigin), errors.Is(err, passkey.ErrRelyingParty):
		return passkeyError(err)
	case err != nil:
		return refused
	}
	data, err := json.Marshal(cred)
	if err != nil {
		return err
	}
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if err := consumeCode(ctx, tx, c); err != nil {
			return refused
		}
		_, err := tx.UpdateWebAuthnCredential(ctx, u.PoolID, u.Sub, passkey.CredentialID(cred), func(w *store.WebAuthnCredential) error {
			w.Data, w.UpdatedAt = data, s.now()
			return nil
		})
		return err
	})
	return userStoreError(err)
}
