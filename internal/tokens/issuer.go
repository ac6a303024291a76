package tokens

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/ttlcache"
)

// Store is what the issuer needs of the store.
type Store interface {
	store.Keys
	store.RefreshTokens
	InTx(ctx context.Context, fn func(tx store.Store) error) error
}

// Config configures an Issuer.
type Config struct {
	Store   Store
	Sealer  *seal.Sealer
	Signer  Signer // DefaultSigner() when nil
	Refresh *RefreshCodec
	Now     func() time.Time
	// PublicURL is the base of every pool's issuer: PublicURL/{userPoolId}.
	PublicURL string
	// KeyCacheTTL bounds how stale a node's view of a pool's keys may be
	// (a key rotated on another node); 1 minute when zero.
	KeyCacheTTL time.Duration
}

// Issuer mints and checks a pool's tokens.
type Issuer struct {
	cfg Config

	mu    sync.Mutex
	cache map[string]*poolKeys

	// verified holds access tokens whose signature, issuer and use have
	// been checked, by the SHA-256 of the token, until they expire:
	// checking a token again would give the same answer (keys stay
	// published until every token they signed has expired). Expiry is
	// still checked, and revocation and the user's state are the
	// caller's, on every call.
	verified *ttlcache.Cache[[sha256.Size]byte, verifiedAccess]
}

// verifiedCacheSize bounds the verified access tokens a node remembers;
// past it, some are verified again.
const verifiedCacheSize = 50_000

type verifiedAccess struct {
	claims *AccessClaims
	poolID string
}

// New returns an Issuer.
func New(cfg Config) *Issuer {
	if cfg.Signer == nil {
		cfg.Signer, _ = DefaultSigner()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.KeyCacheTTL <= 0 {
		cfg.KeyCacheTTL = time.Minute
	}
	return &Issuer{cfg: cfg, cache: map[string]*poolKeys{}, verified: ttlcache.New[[sha256.Size]byte, verifiedAccess](verifiedCacheSize)}
}

// SignerKind names the signer the issuer signs with (SignerGo or
// SignerOpenSSL).
func (i *Issuer) SignerKind() string { return i.cfg.Signer.Kind() }

// IssuerURL is the iss claim of a pool's tokens.
func (i *Issuer) IssuerURL(poolID string) string { return i.cfg.PublicURL + "/" + poolID }

// poolKeys is one pool's keys as a node holds them between store reads.
type poolKeys struct {
	loaded  time.Time
	records []store.SigningKey
	private map[string]*Key // by kid, for keys that may still sign
	public  map[string]*rsa.PublicKey
}

// errNoKeys is keys' answer, when not asked to create them, for a pool
// without keys: no token of it can be valid.
var errNoKeys = errors.New("tokens: pool has no signing keys")

// Whether keys may create a pool's first pair. Only the paths that sign
// (or publish the keys of a pool the caller has found) create them; the
// verify path never does, since the pool it names comes from an
// unverified token: a forged issuer naming a pool that does not exist
// must cost a store read, not two RSA key generations.
const (
	createKeys = true
	onlyLoad   = false
)

// keys returns the pool's keys, creating the first pair if the pool has
// none and create is set, and reading them again once the cache is older
// than KeyCacheTTL.
func (i *Issuer) keys(ctx context.Context, poolID string, create bool) (*poolKeys, error) {
	now := i.cfg.Now()
	i.mu.Lock()
	pk := i.cache[poolID]
	i.mu.Unlock()
	if pk != nil && now.Sub(pk.loaded) < i.cfg.KeyCacheTTL && now.Sub(pk.loaded) >= 0 {
		return pk, nil
	}
	recs, err := i.cfg.Store.ListSigningKeys(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("list signing keys: %w", err)
	}
	if len(recs) == 0 {
		if !create {
			return nil, errNoKeys
		}
		if recs, err = i.createFirstKeys(ctx, poolID); err != nil {
			return nil, err
		}
	}
	pk = &poolKeys{loaded: now, records: recs, private: map[string]*Key{}, public: map[string]*rsa.PublicKey{}}
	for _, r := range recs {
		var j JWK
		if err := json.Unmarshal(r.Public, &j); err != nil {
			return nil, fmt.Errorf("key %s: %w", r.ID, err)
		}
		pub, err := ParseJWK(j)
		if err != nil {
			return nil, err
		}
		pk.public[r.ID] = pub
		if !r.ExpiresAt.IsZero() && !now.Before(r.ExpiresAt) {
			continue // expired: no token it signed is still valid
		}
		der, err := i.cfg.Sealer.Open(r.Sealed, keyAD(poolID, r.ID))
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", r.ID, err)
		}
		priv, err := ParsePrivate(der)
		if err != nil {
			return nil, err
		}
		pk.private[r.ID] = NewKey(r.ID, r.Use, priv)
	}
	i.mu.Lock()
	i.cache[poolID] = pk
	i.mu.Unlock()
	return pk, nil
}

func keyAD(poolID, kid string) []byte { return []byte("signing-key:" + poolID + ":" + kid) }

// createFirstKeys makes a pool's first ID and access keys. Several nodes
// may race here on a pool's first token: the insert runs in a transaction
// that checks again, and the loser's keys are discarded.
func (i *Issuer) createFirstKeys(ctx context.Context, poolID string) ([]store.SigningKey, error) {
	now := i.cfg.Now().UTC()
	var fresh []store.SigningKey
	for _, use := range []string{UseID, UseAccess} {
		// A pool's first keys sign whatever time a token claims to be
		// issued at: the caller took its clock reading before the keys
		// existed.
		rec, err := i.newKeyRecord(poolID, use, now, time.Unix(0, 0).UTC())
		if err != nil {
			return nil, err
		}
		fresh = append(fresh, rec)
	}
	var out []store.SigningKey
	err := i.cfg.Store.InTx(ctx, func(tx store.Store) error {
		existing, err := tx.ListSigningKeys(ctx, poolID)
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			out = existing
			return nil
		}
		for _, r := range fresh {
			if err := tx.CreateSigningKey(ctx, r); err != nil {
				return err
			}
		}
		out = fresh
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create signing keys: %w", err)
	}
	return out, nil
}

func (i *Issuer) newKeyRecord(poolID, use string, created, active time.Time) (store.SigningKey, error) {
	k, err := GenerateKey(use)
	if err != nil {
		return store.SigningKey{}, err
	}
	der, err := k.MarshalPrivate()
	if err != nil {
		return store.SigningKey{}, err
	}
	pub, err := MarshalPublic(PublicJWK(k.ID, &k.Private.PublicKey))
	if err != nil {
		return store.SigningKey{}, err
	}
	return store.SigningKey{
		PoolID: poolID, ID: k.ID, Use: use,
		Sealed:    i.cfg.Sealer.Seal(der, keyAD(poolID, k.ID)),
		Public:    pub,
		CreatedAt: created, ActiveAt: active,
	}, nil
}

// signingKey returns the key that signs a use now: the newest one whose
// ActiveAt has come. A rotated-out key keeps verifying until its ExpiresAt
// but never signs again once its successor is active.
func (pk *poolKeys) signingKey(use string, now time.Time) *Key {
	var best *store.SigningKey
	for j := range pk.records {
		r := &pk.records[j]
		if r.Use != use || r.ActiveAt.After(now) || pk.private[r.ID] == nil {
			continue
		}
		if best == nil || r.ActiveAt.After(best.ActiveAt) {
			best = r
		}
	}
	if best == nil {
		return nil
	}
	return pk.private[best.ID]
}

// MaxTokenLifetime is the longest an ID or access token can live (one
// day): a rotated-out key stays published this long (plus KeyCacheTTL,
// for nodes that learn of the rotation late) after its successor starts
// signing.
const MaxTokenLifetime = 24 * time.Hour

// RotateKeys adds a new ID key and a new access key to a pool. They are
// published at once and start signing after publishAhead, so verifiers
// that cache the JWKS learn them first; the keys they replace stop signing
// then and stay published until every token they signed has expired. It
// returns the new keys' ids.
func (i *Issuer) RotateKeys(ctx context.Context, poolID string, publishAhead time.Duration) ([]string, error) {
	if _, err := i.keys(ctx, poolID, createKeys); err != nil { // a pool's first keys exist before they rotate
		return nil, err
	}
	now := i.cfg.Now().UTC()
	activeAt := now.Add(publishAhead)
	var fresh []store.SigningKey
	for _, use := range []string{UseID, UseAccess} {
		rec, err := i.newKeyRecord(poolID, use, now, activeAt)
		if err != nil {
			return nil, err
		}
		fresh = append(fresh, rec)
	}
	err := i.cfg.Store.InTx(ctx, func(tx store.Store) error {
		existing, err := tx.ListSigningKeys(ctx, poolID)
		if err != nil {
			return err
		}
		for _, old := range existing {
			if !old.ExpiresAt.IsZero() {
				continue
			}
			// A node whose cache predates the rotation keeps signing with
			// the old key for up to KeyCacheTTL after activeAt, and the
			// last such token lives MaxTokenLifetime.
			if _, err := tx.UpdateSigningKey(ctx, poolID, old.ID, func(k *store.SigningKey) error {
				k.ExpiresAt = activeAt.Add(i.cfg.KeyCacheTTL + MaxTokenLifetime)
				return nil
			}); err != nil {
				return err
			}
		}
		for _, r := range fresh {
			if err := tx.CreateSigningKey(ctx, r); err != nil {
				return err
			}
		}
		// Keys whose tokens have all expired are no longer needed.
		for _, old := range existing {
			if !old.ExpiresAt.IsZero() && !now.Before(old.ExpiresAt) {
				if err := tx.DeleteSigningKey(ctx, poolID, old.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rotate keys: %w", err)
	}
	i.mu.Lock()
	delete(i.cache, poolID)
	i.mu.Unlock()
	return []string{fresh[0].ID, fresh[1].ID}, nil
}

// JWKS returns the pool's published keys, creating its first pair: the
// caller has found the pool, and a verifier may fetch the keys before the
// pool's first token.
func (i *Issuer) JWKS(ctx context.Context, poolID string) (*JWKS, error) {
	pk, err := i.keys(ctx, poolID, createKeys)
	if err != nil {
		return nil, err
	}
	now := i.cfg.Now()
	out := &JWKS{Keys: []JWK{}}
	for _, r := range pk.records {
		if !r.ExpiresAt.IsZero() && !now.Before(r.ExpiresAt) {
			continue
		}
		out.Keys = append(out.Keys, PublicJWK(r.ID, pk.public[r.ID]))
	}
	return out, nil
}

// Mint signs the ID and access tokens of an authentication event. The
// event's times must be set; EventID and the jti values are filled in when
// empty.
func (i *Issuer) Mint(ctx context.Context, poolID string, e *Event) (idToken, accessToken string, err error) {
	pk, err := i.keys(ctx, poolID, createKeys)
	if err != nil {
		return "", "", err
	}
	if e.EventID == "" {
		e.EventID = uuid.NewString()
	}
	if e.IDJTI == "" {
		e.IDJTI = uuid.NewString()
	}
	if e.AccessJTI == "" {
		e.AccessJTI = uuid.NewString()
	}
	idKey, accessKey := pk.signingKey(UseID, e.IssuedAt), pk.signingKey(UseAccess, e.IssuedAt)
	if idKey == nil || accessKey == nil {
		return "", "", fmt.Errorf("pool %s has no active signing key", poolID)
	}
	idPayload, err := e.IDChanges.apply(e.idClaims())
	if err != nil {
		return "", "", err
	}
	if idToken, err = signJWS(ctx, i.cfg.Signer, idKey, idPayload); err != nil {
		return "", "", err
	}
	payload, err := e.accessPayload()
	if err != nil {
		return "", "", err
	}
	if accessToken, err = signJWS(ctx, i.cfg.Signer, accessKey, payload); err != nil {
		return "", "", err
	}
	return idToken, accessToken, nil
}

// Access-token failures, each with the message Cognito answers.
var (
	ErrAccessInvalid = errors.New("Invalid Access Token")
	ErrAccessExpired = errors.New("Access Token has expired")
)

// VerifyAccess checks an access token's signature against its pool's keys
// and its expiry, use and issuer, and returns its claims. It does not check
// revocation or the user's state: that needs the store, and is the
// caller's next step. The pool comes from the token's own issuer, which
// must be one of ours.
func (i *Issuer) VerifyAccess(ctx context.Context, token string) (*AccessClaims, string, error) {
	now := i.cfg.Now()
	sum := sha256.Sum256([]byte(token))
	if v, ok := i.verified.Get(sum, now); ok {
		c := *v.claims // a copy: the caller's changes stay its own
		return &c, v.poolID, nil
	}
	c, poolID, err := i.verifyAccess(ctx, token, now)
	if err != nil {
		return nil, "", err
	}
	i.verified.Put(sum, verifiedAccess{claims: c, poolID: poolID}, time.Unix(c.Exp, 0), now)
	cp := *c
	return &cp, poolID, nil
}

// verifyAccess is VerifyAccess without the cache.
func (i *Issuer) verifyAccess(ctx context.Context, token string, now time.Time) (*AccessClaims, string, error) {
	poolID, err := i.poolOf(token)
	if err != nil {
		return nil, "", ErrAccessInvalid
	}
	pk, err := i.keys(ctx, poolID, onlyLoad)
	if err != nil {
		if errors.Is(err, errNoKeys) || errors.Is(err, store.ErrNotFound) {
			return nil, "", ErrAccessInvalid
		}
		return nil, "", err
	}
	payload, err := verifyJWS(token, func(kid string) *rsa.PublicKey { return pk.public[kid] })
	if err != nil {
		return nil, "", ErrAccessInvalid
	}
	var c AccessClaims
	if err := json.Unmarshal(payload, &c); err != nil || c.TokenUse != UseAccess || c.Issuer != i.IssuerURL(poolID) {
		return nil, "", ErrAccessInvalid
	}
	if !now.Before(time.Unix(c.Exp, 0)) {
		return nil, "", ErrAccessExpired
	}
	return &c, poolID, nil
}

// poolOf reads the pool id from an unverified token's issuer; the
// signature is checked next against that pool's keys.
func (i *Issuer) poolOf(token string) (string, error) {
	parts := splitJWS(token)
	if parts == nil {
		return "", errMalformed
	}
	b, err := b64.DecodeString(parts[1])
	if err != nil {
		return "", errMalformed
	}
	var c struct {
		Iss string `json:"iss"`
	}
	if json.Unmarshal(b, &c) != nil {
		return "", errMalformed
	}
	prefix := i.cfg.PublicURL + "/"
	if len(c.Iss) <= len(prefix) || c.Iss[:len(prefix)] != prefix {
		return "", errMalformed
	}
	return c.Iss[len(prefix):], nil
}

func splitJWS(token string) []string {
	var parts []string
	start := 0
	for j := 0; j < len(token); j++ {
		if token[j] == '.' {
			parts = append(parts, token[start:j])
			start = j + 1
		}
	}
	parts = append(parts, token[start:])
	if len(parts) != 3 {
		return nil
	}
	return parts
}

// constantTimeEqual compares secret hashes.
func constantTimeEqual(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }
