package userpool

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Client secret rotation, as Cognito's AddUserPoolClientSecret,
// ListUserPoolClientSecrets and DeleteUserPoolClientSecret do it: a
// confidential client holds one or two secrets, both accepted wherever a
// secret is (SECRET_HASH, client_secret, Basic authentication), and the
// last one cannot be deleted.

// maxClientSecrets is how many secrets a client may hold at once.
const maxClientSecrets = 2

// Messages of the rotation rules. Cognito's wording is not published;
// these say what went wrong in its style.
const (
	clientMsgNoSecret         = "Client %s does not have a client secret."
	clientMsgSecretLimit      = "Client %s already has the maximum of 2 client secrets."
	clientMsgLastSecret       = "The last client secret of client %s cannot be deleted."
	clientMsgSecretNotFound   = "Client secret %s does not exist."
	clientMsgSecretDuplicated = "Client %s already has this client secret."
)

// clientSecretRecord is one of a client's secrets with the id the API
// names it by.
type clientSecretRecord struct {
	id     string
	second bool
	store.ClientSecret
}

// clientSecretID is Cognito's ClientSecretId: the client id, two dashes
// and the creation time. Cognito's documentation says "epoch create time"
// without the unit; milliseconds keep two secrets made within one second
// apart.
func clientSecretID(clientID string, created time.Time) string {
	return clientID + "--" + strconv.FormatInt(created.UnixMilli(), 10)
}

// clientSecrets lists a client's secrets, oldest first.
func clientSecrets(rec store.Client) []clientSecretRecord {
	if len(rec.SecretSealed) == 0 {
		return nil
	}
	created := rec.SecretCreatedAt
	if created.IsZero() {
		// A secret from before rotation was made with its client.
		created = rec.CreatedAt
	}
	out := []clientSecretRecord{{
		id:           clientSecretID(rec.ID, created),
		ClientSecret: store.ClientSecret{Hash: rec.SecretHash, Sealed: rec.SecretSealed, CreatedAt: created},
	}}
	if rec.Secret2 != nil {
		out = append(out, clientSecretRecord{id: clientSecretID(rec.ID, rec.Secret2.CreatedAt), second: true, ClientSecret: *rec.Secret2})
	}
	return out
}

func secretDescriptor(s clientSecretRecord) cognito.ClientSecretDescriptorType {
	return cognito.ClientSecretDescriptorType{ClientSecretID: s.id, ClientSecretCreateDate: cognito.Epoch(s.CreatedAt)}
}

// AddClientSecret adds a secret to a confidential client: the given one,
// or a generated one, whose value is returned (a given one is not, as
// Cognito does not echo it).
func (s *Service) AddClientSecret(ctx context.Context, poolID, clientID, given string) (*cognito.ClientSecretDescriptorType, error) {
	if s.cfg.Sealer == nil {
		return nil, errors.New("add client secret: no sealer configured")
	}
	secret := given
	if secret == "" {
		secret = randomString(clientSecretLength, clientIDAlphabet)
	}
	var added clientSecretRecord
	err := s.updatePoolClient(ctx, poolID, clientID, func(rec *store.Client) error {
		have := clientSecrets(*rec)
		switch {
		case len(have) == 0:
			return cognito.InvalidParameter(fmt.Sprintf(clientMsgNoSecret, clientID))
		case len(have) >= maxClientSecrets:
			return cognito.LimitExceeded(fmt.Sprintf(clientMsgSecretLimit, clientID))
		}
		h := sha256.Sum256([]byte(secret))
		if subtle.ConstantTimeCompare(h[:], have[0].Hash) == 1 {
			return cognito.InvalidParameter(fmt.Sprintf(clientMsgSecretDuplicated, clientID))
		}
		// The id is made of the creation time, so the second secret is
		// made at least a millisecond after the first.
		created := s.now().Truncate(time.Millisecond)
		if !created.After(have[0].CreatedAt) {
			created = have[0].CreatedAt.Add(time.Millisecond)
		}
		rec.Secret2 = &store.ClientSecret{Hash: h[:], Sealed: s.cfg.Sealer.Seal([]byte(secret), []byte(rec.ID)), CreatedAt: created}
		rec.UpdatedAt = s.now()
		added = clientSecretRecord{id: clientSecretID(rec.ID, created), ClientSecret: *rec.Secret2}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d := secretDescriptor(added)
	if given == "" {
		d.ClientSecretValue = secret
	}
	return &d, nil
}

// ListClientSecrets describes a client's secrets, oldest first, without
// their values; a public client has none. Two secrets always fit on one
// page, so no NextToken is ever issued and any given one is not valid.
func (s *Service) ListClientSecrets(ctx context.Context, poolID, clientID, nextToken string) ([]cognito.ClientSecretDescriptorType, error) {
	if nextToken != "" {
		return nil, errInvalidNextToken()
	}
	rec, err := s.poolClient(ctx, s.cfg.Store, poolID, clientID)
	if err != nil {
		return nil, err
	}
	out := []cognito.ClientSecretDescriptorType{}
	for _, sec := range clientSecrets(rec) {
		out = append(out, secretDescriptor(sec))
	}
	return out, nil
}

// DeleteClientSecret deletes one of a client's two secrets; the other
// stays, as the client's first.
func (s *Service) DeleteClientSecret(ctx context.Context, poolID, clientID, secretID string) error {
	return s.updatePoolClient(ctx, poolID, clientID, func(rec *store.Client) error {
		have := clientSecrets(*rec)
		i := -1
		for j, sec := range have {
			if sec.id == secretID {
				i = j
			}
		}
		switch {
		case i < 0:
			return cognito.ResourceNotFound(fmt.Sprintf(clientMsgSecretNotFound, secretID))
		case len(have) == 1:
			return cognito.InvalidParameter(fmt.Sprintf(clientMsgLastSecret, clientID))
		}
		keep := have[1-i].ClientSecret
		rec.SecretHash, rec.SecretSealed, rec.SecretCreatedAt = keep.Hash, keep.Sealed, keep.CreatedAt
		rec.Secret2 = nil
		rec.UpdatedAt = s.now()
		return nil
	})
}

// updatePoolClient changes a client of a pool in one transaction; a
// missing pool or client, or one of another pool, is Cognito's not-found.
// Like every settings write it marks the settings cache stale: on this
// node a deleted secret is refused at once, on others within the cache's
// lifetime (settings_cache.go).
func (s *Service) updatePoolClient(ctx context.Context, poolID, clientID string, fn func(*store.Client) error) error {
	defer s.settings.changed()
	return s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if _, err := s.poolClient(ctx, tx, poolID, clientID); err != nil {
			return err
		}
		_, err := tx.UpdateClient(ctx, clientID, fn)
		if errors.Is(err, store.ErrNotFound) {
			return errClientNotFound(clientID)
		}
		return err
	})
}

// openClientSecrets opens every secret of a client, first first.
func (s *Service) openClientSecrets(rec store.Client) ([]string, error) {
	var out []string
	for _, sec := range clientSecrets(rec) {
		if s.cfg.Sealer == nil {
			return nil, errors.New("client secret: no sealer configured")
		}
		b, err := s.cfg.Sealer.Open(sec.Sealed, []byte(rec.ID))
		if err != nil {
			return nil, fmt.Errorf("client %s secret: %w", rec.ID, err)
		}
		out = append(out, string(b))
	}
	return out, nil
}
