package userpool

import (
	"context"
	"errors"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/triggers"
)

// Cognito's answers about password resets (observed wording).
const (
	msgNoRecoveryDestination = "Cannot reset password for the user as there is no registered/verified email or phone_number"
	msgResetState            = "User password cannot be reset in the current state."
	msgUserDisabled          = "User is disabled."
)

// resettable refuses a password reset for a user who cannot have one: a
// disabled user, one who has not yet chosen a password after an
// invitation (FORCE_CHANGE_PASSWORD), and a federated user, whose
// password is the provider's.
func resettable(u store.User) error {
	if !u.Enabled {
		return cognito.NotAuthorized(msgUserDisabled)
	}
	switch u.Status {
	case cognito.UserStatusForceChangePassword, cognito.UserStatusExternalProvider:
		return cognito.NotAuthorized(msgResetState)
	}
	return nil
}

// ForgotPassword sends a user a code to reset their password with, to
// the first of the pool's recovery mechanisms (AccountRecoverySetting)
// the user has a verified value for; with none, or in a pool that
// recovers only through administrators, it is InvalidParameterException.
// For an unknown user, a client that prevents user-existence errors
// answers with a simulated delivery, and for a disabled one too (hidden).
func (s *Service) ForgotPassword(ctx context.Context, in *cognito.ForgotPasswordInput) (*cognito.ForgotPasswordOutput, error) {
	pool, client, err := s.publicClient(ctx, in.ClientID)
	if err != nil {
		return nil, err
	}
	u, found, err := s.publicUser(ctx, pool, client, in.Username, in.SecretHash)
	if errors.Is(err, cognito.UserNotFound("")) || (err == nil && !found) {
		// The pool's UserMigration function may know the user.
		migrated, ok, merr := s.MigrateUser(ctx, pool, client.Config.ClientID, in.Username, "", triggers.SourceForgotPassword, in.ClientMetadata)
		if merr != nil {
			return nil, merr
		}
		if ok {
			u, found, err = migrated, true, nil
		}
	}
	if err != nil {
		return nil, err
	}
	if hidden(client, u, found) {
		medium := delivery.MediumEmail
		if ms := recoveryMechanisms(pool); len(ms) > 0 && ms[0] == recoveryVerifiedPhone {
			medium = delivery.MediumSMS
		}
		return &cognito.ForgotPasswordOutput{CodeDeliveryDetails: simulatedTarget(pool.ID, in.Username, medium).details()}, nil
	}
	if err := resettable(u); err != nil {
		return nil, err
	}
	target, ok := recoveryTarget(pool, u)
	if !ok {
		return nil, cognito.InvalidParameter(msgNoRecoveryDestination)
	}
	code, err := s.issueCode(ctx, s.cfg.Store, pool.ID, u.Sub, purposeReset, target, false, resetCodeTTL)
	if err != nil {
		return nil, err
	}
	err = s.deliverCode(ctx, pool, u.Username, target, delivery.PurposeForgotPassword, code, in.ClientMetadata)
	s.recordUserEvent(ctx, pool, u, EventForgotPassword, client.Config.ClientID, inProgress(err), "", 0)
	if err != nil {
		return nil, err
	}
	return &cognito.ForgotPasswordOutput{CodeDeliveryDetails: target.details()}, nil
}

// ConfirmForgotPassword sets a new password with a reset code (from
// ForgotPassword or AdminResetUserPassword). The user becomes CONFIRMED
// (an UNCONFIRMED user has just proved they own a verified address; a
// RESET_REQUIRED one has done what was required), their sign-in lockout
// is cleared, and every session they had ends, since whoever held the old
// password may have opened them. For an unknown user, a client that
// prevents user-existence errors answers as for a wrong code.
func (s *Service) ConfirmForgotPassword(ctx context.Context, in *cognito.ConfirmForgotPasswordInput) (err error) {
	pool, client, err := s.publicClient(ctx, in.ClientID)
	if err != nil {
		return err
	}
	u, found, err := s.publicUser(ctx, pool, client, in.Username, in.SecretHash)
	if err != nil {
		return err
	}
	if !found {
		return cognito.CodeMismatch(msgCodeMismatch)
	}
	defer func() {
		s.recordUserEvent(ctx, pool, u, EventForgotPassword, client.Config.ClientID, err, "", resetCodeTTL)
	}()
	if err := resettable(u); err != nil {
		return err
	}
	if err := poolPasswordPolicy(pool).check(in.Password); err != nil {
		return err
	}
	c, err := s.checkCode(ctx, pool.ID, u.Sub, purposeReset, in.ConfirmationCode)
	if err != nil {
		return err
	}
	pw, err := s.newPasswordRecord(pool.ID, u.Username, in.Password)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if err := consumeCode(ctx, tx, c); err != nil {
			return err
		}
		var err error
		u, err = s.saveUser(ctx, tx, pool.ID, u.Sub, func(w *store.User) error {
			if err := resettable(*w); err != nil {
				return err
			}
			pw.setOn(w, now)
			w.Status, w.UpdatedAt = cognito.UserStatusConfirmed, now
			w.FailedSignIns, w.LockedUntil = 0, time.Time{}
			w.SignedOutAt = now
			return nil
		})
		if err != nil {
			return err
		}
		_, err = tx.RevokeUserRefreshFamilies(ctx, pool.ID, u.Sub, now)
		return err
	})
	if err != nil {
		return err
	}
	return s.postConfirmation(ctx, pool, client.Config.ClientID, u, triggers.SourceConfirmForgotPassword, in.ClientMetadata)
}

// AdminResetUserPassword deactivates a user's password: the user becomes
// RESET_REQUIRED (sign-in then answers PasswordResetRequiredException),
// every session ends, and a reset code goes to the user's recovery
// destination for ConfirmForgotPassword. The reset holds even when the
// code cannot be delivered; the user can ask again with ForgotPassword.
func (s *Service) AdminResetUserPassword(ctx context.Context, in *cognito.AdminResetUserPasswordInput) error {
	pool, u, err := s.poolUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return err
	}
	if err := resettable(u); err != nil {
		return err
	}
	target, ok := recoveryTarget(pool, u)
	if !ok {
		return cognito.InvalidParameter(msgNoRecoveryDestination)
	}
	now := s.now()
	var code string
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		_, err := s.saveUser(ctx, tx, pool.ID, u.Sub, func(w *store.User) error {
			if err := resettable(*w); err != nil {
				return err
			}
			w.Status, w.UpdatedAt, w.SignedOutAt = cognito.UserStatusResetRequired, now, now
			return nil
		})
		if err != nil {
			return err
		}
		if _, err := tx.RevokeUserRefreshFamilies(ctx, pool.ID, u.Sub, now); err != nil {
			return err
		}
		code, err = s.issueCode(ctx, tx, pool.ID, u.Sub, purposeReset, target, false, resetCodeTTL)
		return err
	})
	if err != nil {
		return err
	}
	return s.deliverCode(ctx, pool, u.Username, target, delivery.PurposeForgotPassword, code, in.ClientMetadata)
}
