package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/federation"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/triggers"
)

// The users of federated sign-in (reference federation.md §3, §5): a
// provider's identity becomes the pool user "<ProviderName>_<id>" with
// UserStatus EXTERNAL_PROVIDER the first time it signs in, unless it was
// linked to an existing user (AdminLinkProviderForUser), whom it then
// signs in as. Either way the attributes the provider's AttributeMapping
// fills are written on every sign-in.

// Names of federation's own attributes and link kinds.
const (
	// AttrIdentities is the attribute listing a user's upstream
	// identities, a JSON array in a string (reference §5).
	AttrIdentities = "identities"
	// LinkBySubject is the ProviderAttributeName that names an identity
	// by the provider's own user id.
	LinkBySubject = "Cognito_Subject"
	// ProviderCognito names the pool's own directory in linking requests.
	ProviderCognito = "Cognito"
)

// Provider is an identity provider as the federated sign-in needs it:
// its details opened, and its attribute mapping.
type Provider struct {
	PoolID      string
	Name        string
	Type        string
	Details     map[string]string
	Mapping     map[string]string
	Identifiers []string
	// encryption is a SAML provider's own encryption key pair, decoded
	// only by EncryptionKey: most uses of a provider do not need it.
	encryption *samlKeyPair
}

// EncryptionKey returns a SAML provider's own encryption key pair, which
// decrypts the assertions its IdP encrypts to its
// ActiveEncryptionCertificate; nil when it has none.
func (p *Provider) EncryptionKey() (*SAMLKey, error) {
	k, err := providerEncryptionKey(p.encryption)
	if err != nil {
		return nil, fmt.Errorf("identity provider %s: %w", p.Name, err)
	}
	return k, nil
}

// IdentityProvider returns a pool's provider by name. ResourceNotFound
// when there is none.
func (s *Service) IdentityProvider(ctx context.Context, poolID, name string) (*Provider, error) {
	rec, err := s.cfg.Store.GetIdentityProvider(ctx, poolID, name)
	if err != nil {
		return nil, idpError(ctx, s.cfg.Store, poolID, name, err)
	}
	return s.provider(rec)
}

// IdentityProviderByIdentifier returns the provider that has the
// identifier among its IdpIdentifiers. ResourceNotFound when none has.
func (s *Service) IdentityProviderByIdentifier(ctx context.Context, poolID, identifier string) (*Provider, error) {
	rec, err := s.cfg.Store.GetIdentityProviderByIdentifier(ctx, poolID, identifier)
	if errors.Is(err, store.ErrNotFound) {
		return nil, cognito.ResourceNotFound(fmt.Sprintf(msgIdentifierNotFound, identifier))
	}
	if err != nil {
		return nil, err
	}
	return s.provider(rec)
}

func (s *Service) provider(rec store.IdentityProvider) (*Provider, error) {
	set, err := s.openIDP(rec)
	if err != nil {
		return nil, err
	}
	return &Provider{
		PoolID: rec.PoolID, Name: rec.Name, Type: rec.Type, Details: set.Details,
		Mapping: set.AttributeMapping, Identifiers: rec.Identifiers, encryption: set.Encryption,
	}, nil
}

// UsernameClaim is the upstream claim that identifies the user: the
// mapping's "username", else the type's default (sub, Facebook's id,
// Amazon's user_id).
func (p *Provider) UsernameClaim() string {
	if c := p.Mapping["username"]; c != "" {
		return c
	}
	if c, ok := defaultUsernameClaim[p.Type]; ok {
		return c
	}
	return "sub"
}

// MapAttributes applies the provider's AttributeMapping to what the
// upstream sent: each pool attribute whose claim is present gets its
// value. Claims the upstream left out are not in the result, so a later
// sign-in leaves those attributes as they are, as Cognito does.
func (p *Provider) MapAttributes(upstream map[string]string) []cognito.AttributeType {
	var out []cognito.AttributeType
	for _, attr := range slices.Sorted(maps.Keys(p.Mapping)) {
		if attr == "username" {
			continue
		}
		if v, ok := upstream[p.Mapping[attr]]; ok && v != "" {
			out = append(out, cognito.AttributeType{Name: attr, Value: v})
		}
	}
	return out
}

// External is an upstream identity on its way to a pool user.
type External struct {
	Provider *Provider
	// UserID is the provider's id of the user.
	UserID string
	// Issuer is the SAML entity ID; "" for OIDC and social providers,
	// which Cognito records as null.
	Issuer string
	// Attributes are the mapped attributes (Provider.MapAttributes).
	Attributes []cognito.AttributeType
}

// Username is the pool user an identity becomes: "<ProviderName>_<id>",
// lower-cased whole in case-insensitive pools (reference §5, observed).
func (x *External) Username(pool *cognito.UserPoolType) string {
	return poolIdentity(pool).fold(x.Provider.Name + "_" + x.UserID)
}

// identityEntry is one element of the identities attribute.
type identityEntry = federation.IdentitiesEntry

func readIdentities(u store.User) []identityEntry {
	var out []identityEntry
	if v, ok := u.Attr(AttrIdentities); ok && v != "" {
		// A value that does not parse is replaced: the attribute is the
		// server's own, never a client's.
		_ = json.Unmarshal([]byte(v), &out)
	}
	return out
}

func writeIdentities(attrs []store.Attribute, list []identityEntry) []store.Attribute {
	if len(list) == 0 {
		return removeAttr(attrs, AttrIdentities)
	}
	b, _ := json.Marshal(list)
	return setAttr(attrs, AttrIdentities, string(b))
}

func newIdentityEntry(providerName, providerType, userID, issuer string, primary bool, at time.Time) identityEntry {
	e := identityEntry{UserID: userID, ProviderName: providerName, ProviderType: providerType, Primary: primary, DateCreated: at.UnixMilli()}
	if issuer != "" {
		e.Issuer = &issuer
	}
	return e
}

// checkMappedWritable refuses mapped custom attributes the client may not
// write (reference §3: mapped custom attributes must be writable by the
// app client, else sign-in errors). Standard ones, email_verified
// included, are the provider's to set.
func checkMappedWritable(client *AppClient, attrs []cognito.AttributeType) error {
	if client == nil || len(client.Config.WriteAttributes) == 0 {
		return nil
	}
	for _, a := range attrs {
		if strings.HasPrefix(a.Name, "custom:") && !slices.Contains(client.Config.WriteAttributes, a.Name) {
			return cognito.NotAuthorized(msgUnauthorizedAttribute)
		}
	}
	return nil
}

// LinkedUser returns the user an identity was linked to, by the
// provider's user id or by one of its mapped attributes; found is false
// when it is linked to nobody.
func (s *Service) LinkedUser(ctx context.Context, pool *cognito.UserPoolType, x *External) (u store.User, found bool, err error) {
	keys := [][2]string{{LinkBySubject, x.UserID}}
	for _, a := range x.Attributes {
		keys = append(keys, [2]string{a.Name, a.Value})
	}
	for _, k := range keys {
		l, err := s.cfg.Store.GetProviderLink(ctx, pool.ID, x.Provider.Name, k[0], k[1])
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return store.User{}, false, err
		}
		u, err := s.cfg.Store.GetUserBySub(ctx, pool.ID, l.Sub)
		if err != nil {
			return store.User{}, false, userStoreError(err)
		}
		return u, true, nil
	}
	return store.User{}, false, nil
}

// ExternalUser returns the user an identity became at its first sign-in;
// found is false before that.
func (s *Service) ExternalUser(ctx context.Context, pool *cognito.UserPoolType, x *External) (store.User, bool, error) {
	u, err := s.cfg.Store.GetUser(ctx, pool.ID, poolIdentity(pool).usernameKey(x.Username(pool)))
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, false, nil
	}
	if err != nil {
		return store.User{}, false, err
	}
	return u, true, nil
}

// PrepareExternalUser builds, without storing it, the user an identity
// becomes at its first sign-in: a new sub, the mapped attributes checked
// against the schema (every required attribute must be mapped), and the
// identities attribute. An external user's email or phone number is the
// provider's, not a sign-in identifier: it holds no alias.
func (s *Service) PrepareExternalUser(pool *cognito.UserPoolType, client *AppClient, x *External) (store.User, error) {
	if err := checkMappedWritable(client, x.Attributes); err != nil {
		return store.User{}, err
	}
	sch := poolSchema(pool)
	attrs, err := sch.newUserAttributes(x.Attributes)
	if err != nil {
		return store.User{}, err
	}
	sub := uuid.NewString()
	attrs = append([]store.Attribute{{Name: attrSub, Value: sub}}, attrs...)
	if vs := sch.missingRequired(attrs); len(vs) > 0 {
		return store.User{}, createSchemaError(vs)
	}
	now := s.now()
	attrs = writeIdentities(attrs, []identityEntry{newIdentityEntry(x.Provider.Name, x.Provider.Type, x.UserID, x.Issuer, true, now)})
	username := x.Username(pool)
	return store.User{
		PoolID: pool.ID, Sub: sub, Username: username, UsernameKey: poolIdentity(pool).usernameKey(username),
		Status: cognito.UserStatusExternalProvider, Enabled: true, Attributes: attrs,
		CreatedAt: now, UpdatedAt: now,
	}, nil
}

// PreSignUpExternal runs PreSignUp_ExternalProvider for u, a user
// PrepareExternalUser built, and applies its autoVerifyEmail and
// autoVerifyPhone.
func (s *Service) PreSignUpExternal(ctx context.Context, pool *cognito.UserPoolType, clientID string, u *store.User) error {
	call := triggers.Call{Pool: pool, ClientID: clientID, UserName: u.Username, Attributes: newUserAttributes(u.Attributes)}
	// The event's attributes carry the alias markers as empty strings
	// (observed) and not the identities, which do not exist yet.
	delete(call.Attributes, AttrIdentities)
	call.Attributes["cognito:email_alias"], call.Attributes["cognito:phone_number_alias"] = "", ""
	ans, err := s.cfg.Triggers.PreSignUp(ctx, call, triggers.SourceExternalProvider, map[string]string{})
	if err != nil {
		return err
	}
	return autoVerify(u, ans)
}

// autoGroupName is the group every user a provider created joins.
func autoGroupName(poolID, provider string) string { return poolID + "_" + provider }

// CreateExternalUser stores a user PrepareExternalUser built and makes it
// a member of the pool's group for the provider, created with the first
// of its users. Then PostConfirmation_ConfirmSignUp hears of it (observed
// with cognito:user_status EXTERNAL_PROVIDER); its error is the sign-in's
// answer, though the user stays, as after a confirmation.
func (s *Service) CreateExternalUser(ctx context.Context, pool *cognito.UserPoolType, clientID string, u store.User, x *External) (store.User, error) {
	group := autoGroupName(pool.ID, x.Provider.Name)
	err := s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return userConflict(poolIdentity(pool), err, true)
		}
		if _, err := tx.GetGroup(ctx, pool.ID, group); errors.Is(err, store.ErrNotFound) {
			err = tx.CreateGroup(ctx, store.Group{
				PoolID: pool.ID, Name: group, Description: "Autogenerated group for users who sign in using " + x.Provider.Name,
				CreatedAt: u.CreatedAt, UpdatedAt: u.CreatedAt,
			})
			if err != nil {
				return fmt.Errorf("create group %s: %w", group, err)
			}
		} else if err != nil {
			return err
		}
		return tx.AddUserToGroup(ctx, pool.ID, group, u.Sub)
	})
	if err != nil {
		return store.User{}, err
	}
	return u, s.postConfirmation(ctx, pool, clientID, u, triggers.SourceConfirmSignUp, nil)
}

// RefreshExternalUser writes the mapped attributes on a later sign-in, to
// the identity's own user or to the user it is linked to, as Cognito
// writes them on every sign-in. A linked user that does not list the
// identity yet gets it in its identities attribute.
func (s *Service) RefreshExternalUser(ctx context.Context, pool *cognito.UserPoolType, client *AppClient, u store.User, x *External) (store.User, error) {
	if err := checkMappedWritable(client, x.Attributes); err != nil {
		return store.User{}, err
	}
	id := poolIdentity(pool)
	var out store.User
	err := s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		cur, err := tx.GetUserBySub(ctx, pool.ID, u.Sub)
		if err != nil {
			return userStoreError(err)
		}
		if cur.Attributes, err = poolSchema(pool).applyUpdate(cur.Attributes, x.Attributes); err != nil {
			return err
		}
		list := readIdentities(cur)
		if !slices.ContainsFunc(list, func(e identityEntry) bool { return e.ProviderName == x.Provider.Name && e.UserID == x.UserID }) {
			list = append(list, newIdentityEntry(x.Provider.Name, x.Provider.Type, x.UserID, x.Issuer, false, s.now()))
			cur.Attributes = writeIdentities(cur.Attributes, list)
		}
		if cur.Status == cognito.UserStatusExternalProvider {
			out, err = s.saveUser(ctx, tx, pool.ID, cur.Sub, func(w *store.User) error {
				w.Attributes, w.UpdatedAt = cur.Attributes, s.now()
				return nil
			})
			return err
		}
		out, err = s.saveAttributes(ctx, tx, id, cur, nil)
		return err
	})
	if err != nil {
		return store.User{}, userConflict(id, err, false)
	}
	return out, nil
}
