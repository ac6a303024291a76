package userpool

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"

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
	clientMsgProviderDoesNotExist   = "The provider %s does not exist for User Pool %s."
	// The verb is "creating" in the reported message; "updating" is our
	// guess for UpdateUserPoolClient.
	clientMsgInvalidReadAttributes  = "Invalid read attributes specified while %s a client"
	clientMsgInvalidWriteAttributes = "Invalid write attributes specified while %s a client"
)

// Error messages of app client rules where Cognito's wording is not known.
const (
	clientMsgURLInvalid = "%s is not a valid URL."
	// The rule is the guide's; the words are ours.
	clientMsgIdPInitiatedNonSAML = "The identity provider %s accepts IdP-initiated SAML sign-in, so an app client that supports it can support only SAML providers, not %s."
	// In the words of the HTTP refusal, which are Cognito's.
	clientMsgURLScriptScheme         = "%s cannot use the %s protocol."
	clientMsgSecretWithoutGeneration = "ClientSecret can only be given when GenerateSecret is true."
)

// A client's Settings are the JSON of its UserPoolClientType without what
// the record holds in its own columns (id, pool, name, dates) and without
// the secret, which is only ever stored hashed and sealed.
func encodeClient(c *cognito.UserPoolClientType) ([]byte, error) {
	x := *c
	x.ClientID, x.UserPoolID, x.ClientName, x.ClientSecret = "", "", "", ""
	x.CreationDate, x.LastModifiedDate = cognito.EpochTime{}, cognito.EpochTime{}
	return encodeStored(&x)
}

// decodeClient is the client's configuration, without its secret.
func decodeClient(rec store.Client) (*cognito.UserPoolClientType, error) {
	var c cognito.UserPoolClientType
	if err := decodeStored(rec.Settings, &c); err != nil {
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
// It is served from the settings cache (settings_cache.go).
func (s *Service) Client(ctx context.Context, clientID string) (*AppClient, error) {
	now := s.cfg.Now()
	if c, ok := lookup(s.settings, s.settings.clients, clientID, now); ok {
		return c, nil
	}
	gen := s.settings.gen.Load()
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
	secrets, err := s.openClientSecrets(rec)
	if err != nil {
		return nil, err
	}
	client := &AppClient{PoolID: rec.PoolID, Config: c, Secrets: secrets}
	if len(secrets) > 0 {
		client.Secret = secrets[0]
	}
	return remember(s.settings.clients, clientID, client, gen, now), nil
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
			rec.SecretCreatedAt = now
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
	defer s.settings.changed()
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
	defer s.settings.changed()
	return s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if _, err := s.poolClient(ctx, tx, poolID, clientID); err != nil {
			return err
		}
		err := tx.DeleteClient(ctx, clientID)
		if errors.Is(err, store.ErrNotFound) {
			return errClientNotFound(clientID)
		}
		if err != nil {
			return err
		}
		// The client's own risk configuration, terms and style go with it.
		if err := tx.DeletePoolSetting(ctx, poolID, riskSettingName(clientID)); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := s.deleteClientTerms(ctx, tx, poolID, clientID); err != nil {
			return err
		}
		return deleteClientBranding(ctx, tx, poolID, clientID)
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
