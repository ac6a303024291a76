package userpool

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// ErrSAMLAssertionReplayed is ConsumeSAMLAssertion's answer to an
// assertion already accepted and not yet expired.
var ErrSAMLAssertionReplayed = errors.New("the SAML assertion has already been used")

// ConsumeSAMLAssertion records that the pool's SAML provider's assertion
// id was accepted, until expires, in the store every node shares: a
// replay, to this node or any other, before then is
// ErrSAMLAssertionReplayed. Only the id's SHA-256 is stored.
func (s *Service) ConsumeSAMLAssertion(ctx context.Context, poolID, provider, id string, expires time.Time) error {
	sum := sha256.Sum256([]byte(id))
	err := s.cfg.Store.ConsumeSAMLAssertion(ctx, store.SAMLAssertion{
		PoolID: poolID, Provider: provider, IDHash: hex.EncodeToString(sum[:]), ExpiresAt: expires,
	}, s.cfg.Now())
	if errors.Is(err, store.ErrAlreadyExists) {
		return ErrSAMLAssertionReplayed
	}
	return err
}
