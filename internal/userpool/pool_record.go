package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// A pool's configuration is stored as the JSON of its cognito.UserPoolType
// (without the fields that are computed on read, such as
// EstimatedNumberOfUsers): Describe returns what was configured, and a new
// member in the model needs no schema change.

// Pool returns a pool's configuration. ResourceNotFoundException when there
// is no such pool.
func (s *Service) Pool(ctx context.Context, id string) (*cognito.UserPoolType, error) {
	rec, err := s.cfg.Store.GetPool(ctx, id)
	if err != nil {
		return nil, poolError(id, err)
	}
	return decodePool(rec)
}

func decodePool(rec store.Pool) (*cognito.UserPoolType, error) {
	var p cognito.UserPoolType
	if err := json.Unmarshal(rec.Settings, &p); err != nil {
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
	c.CreationDate, c.LastModifiedDate = cognito.EpochTime{}, cognito.EpochTime{}
	return json.Marshal(&c)
}

// poolError turns a store error about a pool into Cognito's answer.
func poolError(id string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return cognito.ResourceNotFound(fmt.Sprintf("User pool %s does not exist.", id))
	}
	return err
}
