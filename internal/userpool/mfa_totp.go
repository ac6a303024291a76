package userpool

import (
	"context"
	"fmt"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// TOTP authenticators: AssociateSoftwareToken and VerifySoftwareToken set
// one up (with an access token, or during a sign-in's MFA_SETUP), and a
// sign-in's SOFTWARE_TOKEN_MFA answer is checked here.

// totpAD binds a sealed TOTP secret to its user: a sealed value copied to
// another user or pool does not open.
func totpAD(poolID, sub string) []byte {
	return []byte("userpool totp\x00" + poolID + "\x00" + sub)
}

func (s *Service) openTOTP(u *store.User, sealed []byte) ([]byte, error) {
	secret, err := s.cfg.Sealer.Open(sealed, totpAD(u.PoolID, u.Sub))
	if err != nil {
		return nil, fmt.Errorf("open TOTP secret of %s: %w", u.Sub, err)
	}
	return secret, nil
}

// checkTOTPEnabled refuses software tokens in a pool that does not offer
// them, as Cognito's documentation words it.
func (s *Service) checkTOTPEnabled(ctx context.Context, pool *cognito.UserPoolType) error {
	cfg, err := s.poolMFAConfig(ctx, pool)
	if err != nil {
		return err
	}
	if !cfg.SoftwareToken {
		return cognito.New(cognito.TypeSoftwareTokenMFANotFound, msgTOTPNotEnabled)
	}
	return nil
}

// AssociateSoftwareToken gives the user a new TOTP secret and returns it
// as SecretCode (base32). The secret waits for VerifySoftwareToken; the
// user's verified one, if any, stays in force until then.
func (s *Service) AssociateSoftwareToken(ctx context.Context, pool *cognito.UserPoolType, u store.User) (string, error) {
	if err := s.checkTOTPEnabled(ctx, pool); err != nil {
		return "", err
	}
	secret := newTOTPSecret()
	sealed := s.cfg.Sealer.Seal(secret, totpAD(pool.ID, u.Sub))
	_, err := s.cfg.Store.UpdateUser(ctx, pool.ID, u.Sub, func(w *store.User) error {
		w.MFA.TOTPPending = sealed
		return nil
	})
	if err != nil {
		return "", userStoreError(err)
	}
	return totpEncoding.EncodeToString(secret), nil
}

// VerifySoftwareToken checks a code from the user's app against the secret
// AssociateSoftwareToken issued last; a match makes it the user's
// authenticator, in place of any earlier one. A wrong code is
// EnableSoftwareTokenMFAException. Verifying does not turn TOTP MFA on
// (SetUserMFAPreference does), but in a pool that requires MFA a verified
// authenticator is used.
func (s *Service) VerifySoftwareToken(ctx context.Context, pool *cognito.UserPoolType, u store.User, code, deviceName string) error {
	if err := s.checkTOTPEnabled(ctx, pool); err != nil {
		return err
	}
	now := s.now()
	_, err := s.cfg.Store.UpdateUser(ctx, pool.ID, u.Sub, func(w *store.User) error {
		if len(w.MFA.TOTPPending) == 0 {
			return cognito.New(cognito.TypeSoftwareTokenMFANotFound, msgTOTPNotAssociated)
		}
		secret, err := s.openTOTP(w, w.MFA.TOTPPending)
		if err != nil {
			return err
		}
		step, ok := totpMatch(secret, code, now)
		if !ok {
			return cognito.New(cognito.TypeEnableSoftwareTokenMFA, msgTOTPMismatch)
		}
		w.MFA.TOTPSecret, w.MFA.TOTPPending = w.MFA.TOTPPending, nil
		w.MFA.TOTPName, w.MFA.TOTPLastStep = deviceName, step
		w.UpdatedAt = now
		return nil
	})
	return userStoreError(err)
}

// CheckSoftwareTokenCode checks the answer to a SOFTWARE_TOKEN_MFA
// challenge against the user's authenticator. A code is good once: a code
// of the time step last accepted, or an earlier one, is
// ExpiredCodeException, as Cognito answers a code used twice.
func (s *Service) CheckSoftwareTokenCode(ctx context.Context, pool *cognito.UserPoolType, u store.User, code string) error {
	now := s.now()
	_, err := s.cfg.Store.UpdateUser(ctx, pool.ID, u.Sub, func(w *store.User) error {
		if len(w.MFA.TOTPSecret) == 0 {
			return cognito.CodeMismatch(msgMFACodeMismatch)
		}
		secret, err := s.openTOTP(w, w.MFA.TOTPSecret)
		if err != nil {
			return err
		}
		step, ok := totpMatch(secret, code, now)
		if !ok {
			return cognito.CodeMismatch(msgMFACodeMismatch)
		}
		if step <= w.MFA.TOTPLastStep {
			return cognito.ExpiredCode(msgTOTPReused)
		}
		w.MFA.TOTPLastStep = step
		return nil
	})
	return userStoreError(err)
}

// CompleteMFASetup ends an MFA_SETUP challenge: the authenticator the user
// verified within it becomes their MFA, turned on and, unless they prefer
// another factor, preferred.
func (s *Service) CompleteMFASetup(ctx context.Context, pool *cognito.UserPoolType, u store.User) (store.User, error) {
	now := s.now()
	return s.saveUser(ctx, s.cfg.Store, pool.ID, u.Sub, func(w *store.User) error {
		if len(w.MFA.TOTPSecret) == 0 {
			return cognito.New(cognito.TypeSoftwareTokenMFANotFound, msgTOTPNotAssociated)
		}
		w.MFA.TOTPEnabled = true
		if w.MFA.Preferred == "" {
			w.MFA.Preferred = MFASoftwareToken
		}
		w.UpdatedAt = now
		return nil
	})
}
