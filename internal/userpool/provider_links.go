package userpool

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Linking (reference federation.md §6): AdminLinkProviderForUser makes an
// upstream identity sign in as an existing user, AdminDisableProviderForUser
// undoes it, or stops a federated or native user signing in that way.

// maxLinksPerUser is how many identities one user may have linked
// (reference §6), and maxLinkLength the observed bound on a source's
// provider name, attribute name and value together.
const (
	maxLinksPerUser = 5
	maxLinkLength   = 128
)

// Answers about linking. The source refusal is Cognito's (observed, also
// for an identity already linked); the others follow its style.
const (
	msgSourceNative       = "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser"
	msgSourceAttribute    = "Invalid SourceUser: ProviderAttributeName must be Cognito_Subject for a provider of type %s"
	msgSourceMapped       = "Invalid SourceUser: ProviderAttributeName %s is not Cognito_Subject nor an attribute the provider %s maps"
	msgSourceValue        = "Invalid SourceUser: ProviderAttributeValue is required"
	msgSourceTooLong      = "Invalid SourceUser: ProviderName, ProviderAttributeName and ProviderAttributeValue together may be at most %d characters"
	msgSourceSelf         = "Invalid SourceUser: the source and destination users are the same"
	msgDestinationMissing = "DestinationUser is required"
	msgSourceMissing      = "SourceUser is required"
	msgUserMissing        = "User is required"
	msgLinkLimit          = "The destination user already has %d linked identities."
	msgDisableAttribute   = "ProviderAttributeName must be Cognito_Subject for a Cognito user"
)

// isCognito names the pool's own directory in a linking request.
func isCognito(provider string) bool { return strings.EqualFold(provider, ProviderCognito) }

// AdminLinkProviderForUser links the upstream identity SourceUser to the
// existing user DestinationUser: a pool user by username (ProviderName
// Cognito) or the user a provider created (its ProviderName and user id).
// A social provider's identity is named by its user id (Cognito_Subject);
// an OIDC or SAML one may also be named by an attribute its mapping fills.
func (s *Service) AdminLinkProviderForUser(ctx context.Context, in *cognito.AdminLinkProviderForUserInput) error {
	src, dst := in.SourceUser, in.DestinationUser
	switch {
	case dst == nil:
		return cognito.InvalidParameter(msgDestinationMissing)
	case src == nil:
		return cognito.InvalidParameter(msgSourceMissing)
	case isCognito(src.ProviderName):
		return cognito.InvalidParameter(msgSourceNative)
	case src.ProviderAttributeValue == "":
		return cognito.InvalidParameter(msgSourceValue)
	case len(src.ProviderName)+len(src.ProviderAttributeName)+len(src.ProviderAttributeValue) > maxLinkLength:
		return cognito.InvalidParameter(fmt.Sprintf(msgSourceTooLong, maxLinkLength))
	}
	pool, err := s.Pool(ctx, in.UserPoolID)
	if err != nil {
		return err
	}
	prov, err := s.IdentityProvider(ctx, pool.ID, src.ProviderName)
	if err != nil {
		return err
	}
	attrName := src.ProviderAttributeName
	if attrName == "" {
		attrName = LinkBySubject
	}
	if attrName != LinkBySubject {
		if prov.Type != IdPTypeOIDC && prov.Type != IdPTypeSAML {
			return cognito.InvalidParameter(fmt.Sprintf(msgSourceAttribute, prov.Type))
		}
		if _, mapped := prov.Mapping[attrName]; !mapped || attrName == "username" {
			return cognito.InvalidParameter(fmt.Sprintf(msgSourceMapped, attrName, prov.Name))
		}
	}
	target, err := s.destinationUser(ctx, pool, dst)
	if err != nil {
		return err
	}
	if attrName == LinkBySubject && target.Status == cognito.UserStatusExternalProvider &&
		target.UsernameKey == poolIdentity(pool).usernameKey((&External{Provider: prov, UserID: src.ProviderAttributeValue}).Username(pool)) {
		return cognito.InvalidParameter(msgSourceSelf)
	}
	now := s.now()
	return s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		links, err := tx.ListProviderLinks(ctx, pool.ID, target.Sub)
		if err != nil {
			return err
		}
		if len(links) >= maxLinksPerUser {
			return cognito.LimitExceeded(fmt.Sprintf(msgLinkLimit, maxLinksPerUser))
		}
		err = tx.CreateProviderLink(ctx, store.ProviderLink{
			PoolID: pool.ID, ProviderName: prov.Name, AttributeName: attrName, AttributeValue: src.ProviderAttributeValue,
			Sub: target.Sub, CreatedAt: now,
		})
		switch {
		case errors.Is(err, store.ErrAlreadyExists):
			return cognito.InvalidParameter(msgSourceNative)
		case errors.Is(err, store.ErrNotFound):
			return cognito.UserNotFound(msgUserNotFound)
		case err != nil:
			return err
		}
		if attrName != LinkBySubject {
			// The provider's id of the user is known at its first
			// sign-in, which adds it to identities.
			return nil
		}
		_, err = s.saveUser(ctx, tx, pool.ID, target.Sub, func(u *store.User) error {
			list := readIdentities(*u)
			list = append(list, newIdentityEntry(prov.Name, prov.Type, src.ProviderAttributeValue, "", false, now))
			u.Attributes, u.UpdatedAt = writeIdentities(u.Attributes, list), now
			return nil
		})
		return err
	})
}

// destinationUser is the user a DestinationUser names: by username for
// Cognito, else the user the named provider created for the id given.
func (s *Service) destinationUser(ctx context.Context, pool *cognito.UserPoolType, dst *cognito.ProviderUserIdentifierType) (store.User, error) {
	if isCognito(dst.ProviderName) {
		return s.lookupUser(ctx, pool, dst.ProviderAttributeValue)
	}
	prov, err := s.IdentityProvider(ctx, pool.ID, dst.ProviderName)
	if err != nil {
		return store.User{}, err
	}
	u, found, err := s.ExternalUser(ctx, pool, &External{Provider: prov, UserID: dst.ProviderAttributeValue})
	if err != nil {
		return store.User{}, err
	}
	if !found || u.Status != cognito.UserStatusExternalProvider {
		return store.User{}, cognito.UserNotFound(msgUserNotFound)
	}
	return u, nil
}

// AdminDisableProviderForUser stops an identity signing in as it did:
//   - a linked upstream identity loses its link (and its entry in the
//     user's identities), so its next sign-in makes a user of its own;
//   - the user a provider created for an identity (Cognito_Subject and
//     the provider's id) is disabled, so that identity no longer signs in;
//   - a pool user (ProviderName Cognito, Cognito_Subject and the
//     username) loses its password, so it signs in only through the
//     identities linked to it.
func (s *Service) AdminDisableProviderForUser(ctx context.Context, in *cognito.AdminDisableProviderForUserInput) error {
	who := in.User
	if who == nil {
		return cognito.InvalidParameter(msgUserMissing)
	}
	pool, err := s.Pool(ctx, in.UserPoolID)
	if err != nil {
		return err
	}
	attrName := who.ProviderAttributeName
	if attrName == "" {
		attrName = LinkBySubject
	}
	now := s.now()
	if isCognito(who.ProviderName) {
		if attrName != LinkBySubject {
			return cognito.InvalidParameter(msgDisableAttribute)
		}
		u, err := s.lookupUser(ctx, pool, who.ProviderAttributeValue)
		if err != nil {
			return err
		}
		_, err = s.saveUser(ctx, s.cfg.Store, pool.ID, u.Sub, func(u *store.User) error {
			u.PasswordHash, u.SRPSalt, u.SRPVerifier = "", nil, nil
			u.PasswordUpdatedAt, u.UpdatedAt = now, now
			return nil
		})
		return err
	}
	prov, err := s.IdentityProvider(ctx, pool.ID, who.ProviderName)
	if err != nil {
		return err
	}
	value := who.ProviderAttributeValue
	return s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		l, err := tx.GetProviderLink(ctx, pool.ID, prov.Name, attrName, value)
		if err == nil {
			if err := tx.DeleteProviderLink(ctx, pool.ID, prov.Name, attrName, value); err != nil {
				return err
			}
			_, err = s.saveUser(ctx, tx, pool.ID, l.Sub, func(u *store.User) error {
				list := slices.DeleteFunc(readIdentities(*u), func(e identityEntry) bool {
					return e.ProviderName == prov.Name && !e.Primary && (attrName != LinkBySubject || e.UserID == value)
				})
				u.Attributes, u.UpdatedAt = writeIdentities(u.Attributes, list), now
				return nil
			})
			return err
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if attrName != LinkBySubject {
			return cognito.UserNotFound(msgUserNotFound)
		}
		u, err := tx.GetUser(ctx, pool.ID, poolIdentity(pool).usernameKey((&External{Provider: prov, UserID: value}).Username(pool)))
		if errors.Is(err, store.ErrNotFound) || (err == nil && u.Status != cognito.UserStatusExternalProvider) {
			return cognito.UserNotFound(msgUserNotFound)
		}
		if err != nil {
			return err
		}
		_, err = s.saveUser(ctx, tx, pool.ID, u.Sub, func(u *store.User) error {
			u.Enabled, u.UpdatedAt = false, now
			return nil
		})
		return err
	})
}
