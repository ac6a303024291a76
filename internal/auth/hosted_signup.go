package auth

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// HostedSignedUp signs in, on the hosted pages, a user who has just
// signed up and confirmed the code in the same browser, as Cognito's
// hosted UI does after /confirmUser: the password was chosen moments ago
// on the sign-up form, so it is not asked for again. The page proves
// that sign-up with a sealed ticket of its own and names the user by
// sub. What follows a password (a disabled user, the MFA gate) applies
// as for HostedSignIn.
func (e *Engine) HostedSignedUp(ctx context.Context, clientID, sub string) (*HostedResult, error) {
	si, err := e.startHosted(ctx, clientID)
	if err != nil {
		return nil, err
	}
	u, err := e.cfg.Users.UserBySub(ctx, si.pool.ID, sub)
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, cognito.NotAuthorized(msgDisabled)
	}
	if u.Status != cognito.UserStatusConfirmed {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	si.user = u
	res := si.hostedResult()
	res.AuthTime = e.now()
	if res.MFA, err = e.hostedMFAStep(ctx, si); err != nil {
		return nil, err
	}
	return res, nil
}
