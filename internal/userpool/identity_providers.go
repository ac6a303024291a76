package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Identity provider quotas: 300 per pool (reference §1, unverified), 50
// identifiers each (model), and ListIdentityProviders' MaxResults 1..60.
const (
	maxIdentityProviders     = 300
	maxIdentityProvidersPage = 60
)

// Answers about identity providers. The duplicate name is Cognito's
// (observed); the others are unverified and follow its style.
const (
	msgProviderExists        = "%s already exists in user pool %s"
	msgProviderNotFound      = "Identity provider %s does not exist."
	msgIdentifierNotFound    = "Identity provider with identifier %s does not exist."
	msgIdentifierTaken       = "The identifier %s is already used by another identity provider in user pool %s."
	msgIdentifiersTaken      = "An identifier of %s is already used by another identity provider in user pool %s."
	msgIdentifierRepeated    = "The identifier %s is listed more than once."
	msgProviderLimit         = "The user pool has reached its limit of %d identity providers."
	msgProviderDetailsSealed = "identity provider settings: no sealer configured"
)

func identityProviderListKind(poolID string) string { return "identity-providers/" + poolID }

// idpSettings is the sealed part of a store.IdentityProvider.
type idpSettings struct {
	Details          map[string]string `json:"details"`
	AttributeMapping map[string]string `json:"attributeMapping,omitempty"`
	// Encryption is a SAML provider's own encryption key pair, made when
	// it first has EncryptedResponses.
	Encryption *samlKeyPair `json:"encryption,omitempty"`
}

// sealAAD binds sealed settings to their provider, so that one provider's
// settings cannot be moved to another's row.
func sealAAD(poolID, name string) []byte { return []byte("idp\x00" + poolID + "\x00" + name) }

func (s *Service) sealIDPSettings(poolID, name string, set idpSettings) ([]byte, error) {
	if s.cfg.Sealer == nil {
		return nil, errors.New(msgProviderDetailsSealed)
	}
	b, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("encode identity provider settings: %w", err)
	}
	return s.cfg.Sealer.Seal(b, sealAAD(poolID, name)), nil
}

// openIDP opens a provider's sealed settings.
func (s *Service) openIDP(rec store.IdentityProvider) (idpSettings, error) {
	if s.cfg.Sealer == nil {
		return idpSettings{}, errors.New(msgProviderDetailsSealed)
	}
	b, err := s.cfg.Sealer.Open(rec.Settings, sealAAD(rec.PoolID, rec.Name))
	if err != nil {
		return idpSettings{}, fmt.Errorf("identity provider %s settings: %w", rec.Name, err)
	}
	var set idpSettings
	if err := json.Unmarshal(b, &set); err != nil {
		return idpSettings{}, fmt.Errorf("decode identity provider %s settings: %w", rec.Name, err)
	}
	return set, nil
}

// describeIDP is the provider as the API returns it, with a SAML
// provider's ActiveEncryptionCertificate (addEncryptionCertificate). Apple's
// private key is never returned (reference §2); other secrets are, as
// Cognito does. It may make the pool's SAML signing key, a write of its
// own, so it runs after the transaction that wrote rec.
func (s *Service) describeIDP(ctx context.Context, rec store.IdentityProvider) (*cognito.IdentityProviderType, error) {
	p, err := s.openIDP(rec)
	if err != nil {
		return nil, err
	}
	details := maps.Clone(p.Details)
	delete(details, DetailPrivateKey)
	out := &cognito.IdentityProviderType{
		UserPoolID: rec.PoolID, ProviderName: rec.Name, ProviderType: rec.Type,
		ProviderDetails: details, AttributeMapping: p.AttributeMapping, IdpIdentifiers: rec.Identifiers,
		CreationDate: cognito.Epoch(rec.CreatedAt), LastModifiedDate: cognito.Epoch(rec.UpdatedAt),
	}
	if err := s.addEncryptionCertificate(ctx, out, p.Encryption); err != nil {
		return nil, err
	}
	return out, nil
}

// checkIdentifiers refuses an identifier listed twice in one request.
func checkIdentifiers(ids []string) error {
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			return cognito.InvalidParameter(fmt.Sprintf(msgIdentifierRepeated, id))
		}
		seen[id] = true
	}
	return nil
}

// checkIdentifiersFree refuses an identifier another provider of the pool
// has. The type is unverified: the reference allows InvalidParameter or
// DuplicateProvider, and the latter says what happened.
func checkIdentifiersFree(ctx context.Context, st store.Store, poolID, name string, ids []string) error {
	for _, id := range ids {
		other, err := st.GetIdentityProviderByIdentifier(ctx, poolID, id)
		switch {
		case err == nil && other.Name != name:
			return cognito.New(cognito.TypeDuplicateProvider, fmt.Sprintf(msgIdentifierTaken, id, poolID))
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	return nil
}

// idpError translates a store error about one provider.
func idpError(ctx context.Context, st store.Store, poolID, name string, err error) error {
	var conflict *store.ConflictError
	switch {
	case errors.As(err, &conflict) && conflict.Field == store.ConflictProviderName:
		return cognito.New(cognito.TypeDuplicateProvider, fmt.Sprintf(msgProviderExists, name, poolID))
	case errors.As(err, &conflict) && conflict.Field == store.ConflictProviderIdentifier:
		// checkIdentifiersFree names the identifier; this is the race it
		// cannot see, caught by the database.
		return cognito.New(cognito.TypeDuplicateProvider, fmt.Sprintf(msgIdentifiersTaken, name, poolID))
	case errors.Is(err, store.ErrNotFound):
		if perr := checkPoolExists(ctx, st, poolID); perr != nil {
			return perr
		}
		return cognito.ResourceNotFound(fmt.Sprintf(msgProviderNotFound, name))
	}
	return err
}

// CreateIdentityProvider adds an external identity provider to a pool.
func (s *Service) CreateIdentityProvider(ctx context.Context, in *cognito.CreateIdentityProviderInput) (*cognito.CreateIdentityProviderOutput, error) {
	if err := checkProviderName(in.ProviderName, in.ProviderType); err != nil {
		return nil, err
	}
	details, err := buildProviderDetails(in.ProviderType, in.ProviderDetails)
	if err != nil {
		return nil, err
	}
	if err := checkIdentifiers(in.IdpIdentifiers); err != nil {
		return nil, err
	}
	now := s.now()
	rec := store.IdentityProvider{
		PoolID: in.UserPoolID, Name: in.ProviderName, Type: in.ProviderType,
		Identifiers: in.IdpIdentifiers, CreatedAt: now, UpdatedAt: now,
	}
	// A provider with encrypted responses gets its own encryption key
	// pair, stored with it. RSA key generation is slow, so it is made
	// before the transaction, which then writes it with the provider.
	var enc *samlKeyPair
	if wantsEncryptionKey(in.ProviderType, idpSettings{Details: details}) {
		if enc, err = s.newSAMLEncryptionKey(in.UserPoolID); err != nil {
			return nil, err
		}
	}
	// One transaction, so two concurrent creates cannot both pass the
	// quota check.
	err = s.cfg.Store.InTx(ctx, func(st store.Store) error {
		pool, err := loadPool(ctx, st, in.UserPoolID)
		if err != nil {
			return err
		}
		mapping, err := checkAttributeMapping(pool, in.ProviderType, in.AttributeMapping)
		if err != nil {
			return err
		}
		existing, _, err := st.ListIdentityProviders(ctx, in.UserPoolID, store.Page{Limit: maxIdentityProviders})
		if err != nil {
			return err
		}
		if len(existing) >= maxIdentityProviders {
			return cognito.LimitExceeded(fmt.Sprintf(msgProviderLimit, maxIdentityProviders))
		}
		if _, err := st.GetIdentityProvider(ctx, rec.PoolID, rec.Name); err == nil {
			return idpError(ctx, st, rec.PoolID, rec.Name, &store.ConflictError{Field: store.ConflictProviderName})
		}
		if err := checkIdentifiersFree(ctx, st, rec.PoolID, rec.Name, rec.Identifiers); err != nil {
			return err
		}
		if rec.Settings, err = s.sealIDPSettings(rec.PoolID, rec.Name, idpSettings{Details: details, AttributeMapping: mapping, Encryption: enc}); err != nil {
			return err
		}
		return idpError(ctx, st, in.UserPoolID, in.ProviderName, st.CreateIdentityProvider(ctx, rec))
	})
	if err != nil {
		return nil, err
	}
	out, err := s.describeIDP(ctx, rec)
	if err != nil {
		return nil, err
	}
	return &cognito.CreateIdentityProviderOutput{IdentityProvider: out}, nil
}

// loadPool reads and decodes a pool through st.
func loadPool(ctx context.Context, st store.Store, id string) (*cognito.UserPoolType, error) {
	rec, err := st.GetPool(ctx, id)
	if err != nil {
		return nil, poolError(id, err)
	}
	return decodePool(rec)
}

// DescribeIdentityProvider returns one provider with its details.
func (s *Service) DescribeIdentityProvider(ctx context.Context, in *cognito.DescribeIdentityProviderInput) (*cognito.DescribeIdentityProviderOutput, error) {
	st := s.cfg.Store
	rec, err := st.GetIdentityProvider(ctx, in.UserPoolID, in.ProviderName)
	if err != nil {
		return nil, idpError(ctx, st, in.UserPoolID, in.ProviderName, err)
	}
	out, err := s.describeIDP(ctx, rec)
	if err != nil {
		return nil, err
	}
	return &cognito.DescribeIdentityProviderOutput{IdentityProvider: out}, nil
}

// GetIdentityProviderByIdentifier returns the provider that has one of
// its IdpIdentifiers equal to the one given.
func (s *Service) GetIdentityProviderByIdentifier(ctx context.Context, in *cognito.GetIdentityProviderByIdentifierInput) (*cognito.GetIdentityProviderByIdentifierOutput, error) {
	st := s.cfg.Store
	rec, err := st.GetIdentityProviderByIdentifier(ctx, in.UserPoolID, in.IdpIdentifier)
	if errors.Is(err, store.ErrNotFound) {
		if perr := checkPoolExists(ctx, st, in.UserPoolID); perr != nil {
			return nil, perr
		}
		return nil, cognito.ResourceNotFound(fmt.Sprintf(msgIdentifierNotFound, in.IdpIdentifier))
	}
	if err != nil {
		return nil, err
	}
	out, err := s.describeIDP(ctx, rec)
	if err != nil {
		return nil, err
	}
	return &cognito.GetIdentityProviderByIdentifierOutput{IdentityProvider: out}, nil
}

// ListIdentityProviders lists a pool's providers by name, without their
// details. MaxResults defaults to its largest value, 60.
func (s *Service) ListIdentityProviders(ctx context.Context, in *cognito.ListIdentityProvidersInput) (*cognito.ListIdentityProvidersOutput, error) {
	limit := maxIdentityProvidersPage
	if in.MaxResults != nil && *in.MaxResults > 0 {
		limit = int(*in.MaxResults)
	}
	kind := identityProviderListKind(in.UserPoolID)
	after, err := decodeNextToken(kind, in.NextToken)
	if err != nil {
		return nil, err
	}
	st := s.cfg.Store
	if err := checkPoolExists(ctx, st, in.UserPoolID); err != nil {
		return nil, err
	}
	recs, next, err := st.ListIdentityProviders(ctx, in.UserPoolID, store.Page{Limit: limit, After: after})
	if err != nil {
		return nil, err
	}
	out := &cognito.ListIdentityProvidersOutput{NextToken: encodeNextToken(kind, next)}
	for _, rec := range recs {
		out.Providers = append(out.Providers, cognito.ProviderDescription{
			ProviderName: rec.Name, ProviderType: rec.Type,
			CreationDate: cognito.Epoch(rec.CreatedAt), LastModifiedDate: cognito.Epoch(rec.UpdatedAt),
		})
	}
	return out, nil
}

// UpdateIdentityProvider replaces what the request gives of a provider's
// details, attribute mapping and identifiers; what it leaves out is kept.
// Details given are checked whole, as on create, so they must be complete.
func (s *Service) UpdateIdentityProvider(ctx context.Context, in *cognito.UpdateIdentityProviderInput) (*cognito.UpdateIdentityProviderOutput, error) {
	if err := checkIdentifiers(in.IdpIdentifiers); err != nil {
		return nil, err
	}
	var rec store.IdentityProvider
	err := s.cfg.Store.InTx(ctx, func(st store.Store) error {
		pool, err := loadPool(ctx, st, in.UserPoolID)
		if err != nil {
			return err
		}
		if err := checkIdentifiersFree(ctx, st, in.UserPoolID, in.ProviderName, in.IdpIdentifiers); err != nil {
			return err
		}
		rec, err = st.UpdateIdentityProvider(ctx, in.UserPoolID, in.ProviderName, func(rec *store.IdentityProvider) error {
			set, err := s.openIDP(*rec)
			if err != nil {
				return err
			}
			if in.ProviderDetails != nil {
				if set.Details, err = buildProviderDetails(rec.Type, in.ProviderDetails); err != nil {
					return err
				}
			}
			if in.AttributeMapping != nil {
				if set.AttributeMapping, err = checkAttributeMapping(pool, rec.Type, in.AttributeMapping); err != nil {
					return err
				}
			}
			if in.IdpIdentifiers != nil {
				rec.Identifiers = in.IdpIdentifiers
			}
			// The key is made under the provider's row lock, so two
			// concurrent updates cannot give it two keys.
			if wantsEncryptionKey(rec.Type, set) {
				if set.Encryption, err = s.newSAMLEncryptionKey(rec.PoolID); err != nil {
					return err
				}
			}
			rec.UpdatedAt = s.now()
			rec.Settings, err = s.sealIDPSettings(rec.PoolID, rec.Name, set)
			return err
		})
		if err != nil {
			return idpError(ctx, st, in.UserPoolID, in.ProviderName, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out, err := s.describeIDP(ctx, rec)
	if err != nil {
		return nil, err
	}
	return &cognito.UpdateIdentityProviderOutput{IdentityProvider: out}, nil
}

// DeleteIdentityProvider removes a provider. App clients that list it
// keep the name (whether Cognito refuses the delete instead is
// unverified).
func (s *Service) DeleteIdentityProvider(ctx context.Context, in *cognito.DeleteIdentityProviderInput) error {
	st := s.cfg.Store
	if err := st.DeleteIdentityProvider(ctx, in.UserPoolID, in.ProviderName); err != nil {
		return idpError(ctx, st, in.UserPoolID, in.ProviderName, err)
	}
	return nil
}
