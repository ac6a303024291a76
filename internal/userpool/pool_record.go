package userpool

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// A pool's configuration is stored as the JSON of its cognito.UserPoolType,
// in a recorded format (stored_format.go)
// (without the fields that are computed on read, such as
// EstimatedNumberOfUsers and Domain): Describe returns what was configured,
// and a new member in the model needs no schema change.

// Pool returns a pool's configuration. ResourceNotFoundException when there
// is no such pool.
// It is served from the settings cache (settings_cache.go).
func (s *Service) Pool(ctx context.Context, id string) (*cognito.UserPoolType, error) {
	now := s.cfg.Now()
	if p, ok := lookup(s.settings, s.settings.pools, id, now); ok {
		return p, nil
	}
	gen := s.settings.gen.Load()
	rec, err := s.cfg.Store.GetPool(ctx, id)
	if err != nil {
		return nil, poolError(id, err)
	}
	p, err := decodePool(rec)
	if err != nil {
		return nil, err
	}
	return remember(s.settings.pools, id, p, gen, now), nil
}

func decodePool(rec store.Pool) (*cognito.UserPoolType, error) {
	var p cognito.UserPoolType
	if err := decodeStored(rec.Settings, &p); err != nil {
		return nil, fmt.Errorf("decode pool %s: %w", rec.ID, err)
	}
	p.ID = rec.ID
	p.Name = rec.Name
	p.CreationDate = cognito.Epoch(rec.CreatedAt)
	p.LastModifiedDate = cognito.Epoch(rec.UpdatedAt)
	return &p, nil
}

func encodePool(p *cognito.UserPoolType) ([]byte, error) {
	c := *p
	c.EstimatedNumberOfUsers = nil
	c.Domain, c.CustomDomain = "", ""
	c.CreationDate, c.LastModifiedDate = cognito.EpochTime{}, cognito.EpochTime{}
	return encodeStored(&c)
}

// poolError turns a store error about a pool into Cognito's answer.
func poolError(id string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return cognito.ResourceNotFound(fmt.Sprintf("User pool %s does not exist.", id))
	}
	return err
}

// poolRegion is the region a pool id was minted in: the part before the
// underscore. A pool keeps its region even if the server's is changed.
func poolRegion(id string) string {
	region, _, _ := strings.Cut(id, "_")
	return region
}

// poolARN is the pool's ARN, as Cognito forms it.
func (s *Service) poolARN(id string) string {
	return fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", poolRegion(id), s.cfg.AccountID, id)
}

// Listing tokens are opaque to clients but carry the store's resume key.
// The kind prefix stops a token from one listing being replayed against
// another, where its key would mean something else.

// encodeNextToken wraps a store resume key; "" stays "" (the last page).
func encodeNextToken(kind, key string) string {
	if key == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(kind + "\x00" + key))
}

// decodeNextToken unwraps a token made by encodeNextToken for the same
// kind. InvalidParameterException for anything else.
func decodeNextToken(kind, token string) (string, error) {
	if token == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", errInvalidNextToken()
	}
	key, ok := strings.CutPrefix(string(b), kind+"\x00")
	if !ok || key == "" {
		return "", errInvalidNextToken()
	}
	return key, nil
}

func errInvalidNextToken() error {
	return cognito.InvalidParameter("The NextToken is not valid.")
}
