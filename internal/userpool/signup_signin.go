package userpool

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// The sign-in that follows a confirmed sign-up (Amplify's autoSignIn with
// USER_AUTH): ConfirmSignUp, given the Session SignUp answered, answers a
// Session that InitiateAuth USER_AUTH takes in place of a first factor,
// the confirmation code having been one. Behind that session is a grant
// kept as a code of its own purpose: hashed, bound to the app client,
// used up by the sign-in, so a session copied or replayed signs in once.

const purposeSignUpSignIn = "signup_signin"

// SignUpSessionTTL is how long SignUp's Session leads to a sign-in: as
// long as the confirmation code it goes with.
const SignUpSessionTTL = signUpCodeTTL

// GrantSignUpSignIn keeps, for u just confirmed through the app client
// clientID, a grant to sign in once without another factor within ttl,
// and returns its secret, which only the sealed session carries.
func (s *Service) GrantSignUpSignIn(ctx context.Context, u store.User, clientID string, ttl time.Duration) (string, error) {
	b := make([]byte, 32)
	rand.Read(b)
	secret := base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	err := s.cfg.Store.PutCode(ctx, store.Code{
		PoolID: u.PoolID, Sub: u.Sub, Purpose: purposeSignUpSignIn, Hash: codeHash(u.PoolID, u.Sub, purposeSignUpSignIn, secret),
		Attribute: clientID, CreatedAt: now, ExpiresAt: now.Add(ttl), Sends: 1, SendsSince: now,
	})
	return secret, userStoreError(err)
}

// UseSignUpSignIn uses up u's grant when secret is its secret and
// clientID its app client; false when there is no such live grant.
func (s *Service) UseSignUpSignIn(ctx context.Context, u store.User, clientID, secret string) (bool, error) {
	c, err := s.challenge(ctx, u, purposeSignUpSignIn)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if subtle.ConstantTimeCompare(codeHash(u.PoolID, u.Sub, purposeSignUpSignIn, secret), c.Hash) != 1 || c.Attribute != clientID {
		return false, nil
	}
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error { return consumeCode(ctx, tx, c) })
	if err != nil {
		// Another sign-in used it first.
		return false, nil
	}
	return true, nil
}
