package userpool

import (
	"context"
	"slices"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// E-mail MFA set up within a sign-in: in a pool that requires MFA and
// offers e-mail codes, a user with no factor yet is offered EMAIL_OTP in
// MFA_SETUP and answers with an address (Amplify's
// CONTINUE_SIGN_IN_WITH_EMAIL_SETUP). A code goes to that address; the
// right code proves the user reads it, so the address becomes their
// verified e-mail and e-mail codes their MFA. Nothing about the user
// changes before that: an address typed wrong costs only a new sign-in.

// msgEmailMFANotOffered refuses an e-mail address in MFA_SETUP when the
// user's MFA step does not offer EMAIL_OTP. Ours: the reference is silent.
const msgEmailMFANotOffered = "Email MFA cannot be set up for this user."

// SendEmailMFASetupCode sends a sign-in code to the address a user named
// in MFA_SETUP and returns where it went, masked. The code is good for
// ttl, what is left of the sign-in's session. The user's MFA step must
// offer e-mail MFA for set-up (MFAFor), and the address must be one.
func (s *Service) SendEmailMFASetupCode(ctx context.Context, pool *cognito.UserPoolType, u store.User, address string, ttl time.Duration) (*cognito.CodeDeliveryDetailsType, error) {
	step, err := s.MFAFor(ctx, pool, u)
	if err != nil {
		return nil, err
	}
	if step == nil || len(step.Factors) > 0 || !slices.Contains(step.Setup, MFAEmail) {
		return nil, cognito.InvalidParameter(msgEmailMFANotOffered)
	}
	cfg, err := s.poolMFAConfig(ctx, pool)
	if err != nil {
		return nil, err
	}
	if !isEmail(address) {
		return nil, cognito.InvalidParameter(msgInvalidEmail)
	}
	return s.sendMFACode(ctx, pool, cfg, u, emailTarget(address), ttl)
}

// CheckEmailMFASetupCode checks the code SendEmailMFASetupCode sent to
// address, and uses it up, as CheckMFACode does for sign-in codes.
func (s *Service) CheckEmailMFASetupCode(ctx context.Context, pool *cognito.UserPoolType, u store.User, address, code string) error {
	return s.checkMFACode(ctx, pool, u, emailTarget(address), code)
}

// CompleteEmailMFASetup ends an e-mail MFA set-up whose code the user
// gave: address becomes their e-mail, verified (the code proved it, as
// Cognito marks an address verified on a user's first e-mail MFA), and
// e-mail codes their MFA, turned on and, unless they prefer another
// factor, preferred. An address that is another user's verified alias is
// AliasExistsException, as VerifyUserAttribute answers.
func (s *Service) CompleteEmailMFASetup(ctx context.Context, pool *cognito.UserPoolType, u store.User, address string) (store.User, error) {
	id := poolIdentity(pool)
	var out store.User
	err := s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		cur, err := tx.GetUserBySub(ctx, pool.ID, u.Sub)
		if err != nil {
			return userStoreError(err)
		}
		cur.Attributes = setAttr(cur.Attributes, attrEmail, address)
		cur.Attributes = setAttr(cur.Attributes, attrEmailVerified, attrValueTrue)
		out, err = s.saveAttributes(ctx, tx, id, cur, func(w *store.User) {
			w.MFA.EmailEnabled = true
			if w.MFA.Preferred == "" {
				w.MFA.Preferred = MFAEmail
			}
		})
		return err
	})
	return out, userConflict(id, err, false)
}
