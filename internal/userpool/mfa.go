package userpool

import (
	"context"
	"crypto/subtle"
	"errors"
	"slices"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Multi-factor authentication in a sign-in: which MFA step applies, the
// codes sent by SMS and e-mail, and the checks of the answers. A pool's
// MFA configuration is in mfa_config.go, a user's factors and preference
// in mfa_settings.go, TOTP authenticators in mfa_totp.go, the set-up of
// e-mail MFA in mfa_email.go. The authentication engine (internal/auth)
// runs the challenges themselves.

// The MFA factors, named as challenges, MFAS_CAN_SETUP, MFAS_CAN_CHOOSE,
// UserMFASettingList and PreferredMfaSetting name them.
const (
	MFASoftwareToken = cognito.ChallengeNameTypeSoftwareTokenMfa
	MFASMS           = cognito.ChallengeNameTypeSmsMfa
	MFAEmail         = cognito.ChallengeNameTypeEmailOtp
)

// mfaFactors is the order factors are listed in, Cognito's
// (["SMS_MFA","SOFTWARE_TOKEN_MFA"] in captured MFAS_CAN_SETUP).
var mfaFactors = []string{MFASMS, MFASoftwareToken, MFAEmail}

// Cognito's answers about MFA, as reported by its users.
const (
	msgMFAOffWithFactor = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
	msgMFAWithoutFactor = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."
	msgSMSMFAConfig     = "Invalid SMS MFA configuration given, external id and a valid caller arn are required"
	msgTOTPNotEnabled   = "Software Token MFA has not been enabled by the userPool."
	msgTOTPMismatch     = "Code mismatch and fail enable Software Token MFA"
	msgTOTPReused       = "Your software token has already been used once."
	msgMFACodeMismatch  = "Invalid code or auth state for the user."
	// msgNoDeliveryConfig is followed by the factor's name.
	msgNoDeliveryConfig = "User does not have delivery config set to turn on "
)

// Answers about MFA where the reference is silent; ours, in the style of
// the ones above.
const (
	msgTOTPNotAssociated = "Software Token MFA has not been associated with the user."
	msgTwoPreferred      = "Only one MFA type can be preferred."
	msgPreferredDisabled = "An MFA type that is not enabled cannot be preferred."
	msgMFAOptionsSMSOnly = "MFAOptions can only turn on SMS MFA, delivered by SMS to phone_number."
)

// Sign-in codes (SMS_MFA, EMAIL_OTP) are stored as one-time codes of
// their own purpose. They live as long as the challenge session they
// belong to, and survive a few wrong guesses, so a typo does not end the
// sign-in.
const (
	purposeMFA      = "mfa"
	mfaCodeAttempts = 5
)

// purposeAuthentication is the delivery purpose of sign-in codes, named
// after the CustomMessage trigger source Cognito gives them
// (CustomMessage_Authentication), as delivery's other purposes are.
const purposeAuthentication = "Authentication"

// factorReady reports whether the user has what a factor needs: a
// verified authenticator, a phone number, an e-mail address.
func factorReady(u store.User, factor string) bool {
	switch factor {
	case MFASoftwareToken:
		return len(u.MFA.TOTPSecret) > 0
	case MFASMS:
		v, _ := u.Attr(attrPhone)
		return v != ""
	case MFAEmail:
		v, _ := u.Attr(attrEmail)
		return v != ""
	}
	return false
}

// MFAStep is the MFA a sign-in must pass before it gets tokens.
type MFAStep struct {
	// Factors are the factors the user may answer with: one, and the
	// sign-in goes straight to its challenge, or several, and the user
	// chooses (SELECT_MFA_TYPE). When the user has several and prefers
	// one of them, it is the only one.
	Factors []string
	// Setup, when Factors is empty, lists the factors the user may set up
	// (MFA_SETUP): the pool requires MFA and the user has none yet. A
	// software token and e-mail codes can be set up within the sign-in
	// (mfa_email.go); SMS_MFA is listed when the pool offers it, as
	// Cognito does, for clients that tell the user to add a phone number.
	Setup []string
}

// MFAFor returns the MFA step a sign-in of u must pass, nil when none:
// the pool's MFA is OFF, or OPTIONAL and the user has turned no usable
// factor on. A factor is usable when the user has what it needs and the
// pool offers it; a verified authenticator stays usable when the pool
// stops offering software tokens, as Cognito documents. When the pool
// requires MFA and the user turned no usable factor on, every factor the
// user could take is offered, and a user with none must set one up.
func (s *Service) MFAFor(ctx context.Context, pool *cognito.UserPoolType, u store.User) (*MFAStep, error) {
	mode := poolMFAMode(pool)
	if mode != cognito.UserPoolMfaOn && mode != cognito.UserPoolMfaOptional {
		return nil, nil
	}
	cfg, err := s.poolMFAConfig(ctx, pool)
	if err != nil {
		return nil, err
	}
	usable := func(f string) bool {
		if !factorReady(u, f) {
			return false
		}
		switch f {
		case MFASMS:
			return cfg.SMS
		case MFAEmail:
			return cfg.Email != nil
		}
		return true
	}
	var factors []string
	for _, f := range mfaFactors {
		if factorEnabled(u, f) && usable(f) {
			factors = append(factors, f)
		}
	}
	if len(factors) == 0 && mode == cognito.UserPoolMfaOptional {
		return nil, nil
	}
	if len(factors) == 0 {
		for _, f := range mfaFactors {
			if usable(f) {
				factors = append(factors, f)
			}
		}
	}
	if len(factors) == 0 {
		var setup []string
		if cfg.SMS {
			setup = append(setup, MFASMS)
		}
		if cfg.SoftwareToken {
			setup = append(setup, MFASoftwareToken)
		}
		if cfg.Email != nil {
			setup = append(setup, MFAEmail)
		}
		return &MFAStep{Setup: setup}, nil
	}
	if len(factors) > 1 && slices.Contains(factors, u.MFA.Preferred) {
		factors = []string{u.MFA.Preferred}
	}
	return &MFAStep{Factors: factors}, nil
}

// mfaTarget is where a factor's sign-in codes go.
func mfaTarget(u store.User, factor string) (codeTarget, bool) {
	switch factor {
	case MFASMS:
		if v, _ := u.Attr(attrPhone); v != "" {
			return phoneTarget(v), true
		}
	case MFAEmail:
		if v, _ := u.Attr(attrEmail); v != "" {
			return emailTarget(v), true
		}
	}
	return codeTarget{}, false
}

// SendMFACode sends a sign-in code for factor (SMS_MFA or EMAIL_OTP) and
// returns where it went, masked. The code is good for ttl, the life of the
// challenge session it belongs to, and replaces the user's previous one.
func (s *Service) SendMFACode(ctx context.Context, pool *cognito.UserPoolType, u store.User, factor string, ttl time.Duration) (*cognito.CodeDeliveryDetailsType, error) {
	t, ok := mfaTarget(u, factor)
	if !ok {
		return nil, cognito.InvalidParameter(msgNoDeliveryConfig + factor)
	}
	cfg, err := s.poolMFAConfig(ctx, pool)
	if err != nil {
		return nil, err
	}
	return s.sendMFACode(ctx, pool, cfg, u, t, ttl)
}

// sendMFACode stores and sends a sign-in code to t.
func (s *Service) sendMFACode(ctx context.Context, pool *cognito.UserPoolType, cfg poolMFA, u store.User, t codeTarget, ttl time.Duration) (*cognito.CodeDeliveryDetailsType, error) {
	code := newCode()
	now := s.now()
	err := s.cfg.Store.PutCode(ctx, store.Code{
		PoolID:     pool.ID,
		Sub:        u.Sub,
		Purpose:    purposeMFA,
		Hash:       codeHash(pool.ID, u.Sub, purposeMFA, code),
		Attribute:  t.attribute,
		Value:      t.destination,
		CreatedAt:  now,
		ExpiresAt:  now.Add(ttl),
		Sends:      1,
		SendsSince: now,
	})
	if err != nil {
		return nil, userStoreError(err)
	}
	if err := s.deliverMFACode(ctx, pool, cfg, u.Username, t, code); err != nil {
		return nil, err
	}
	return t.details(), nil
}

// CheckMFACode checks the answer to an SMS_MFA or EMAIL_OTP challenge
// against the code SendMFACode sent for that factor, and uses it up. A
// wrong code counts against it, and after mfaCodeAttempts wrong ones even
// the right one is refused; every refusal is CodeMismatchException.
func (s *Service) CheckMFACode(ctx context.Context, pool *cognito.UserPoolType, u store.User, factor, code string) error {
	t, ok := mfaTarget(u, factor)
	if !ok {
		return cognito.CodeMismatch(msgMFACodeMismatch)
	}
	return s.checkMFACode(ctx, pool, u, t, code)
}

// checkMFACode checks a sign-in code sent to t. A code sent to another
// destination, such as the user's e-mail address before it changed, is
// not the one asked for.
func (s *Service) checkMFACode(ctx context.Context, pool *cognito.UserPoolType, u store.User, t codeTarget, code string) error {
	mismatch := cognito.CodeMismatch(msgMFACodeMismatch)
	c, err := s.cfg.Store.GetCode(ctx, pool.ID, u.Sub, purposeMFA)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return mismatch
	case err != nil:
		return err
	}
	if c.Attribute != t.attribute || c.Value != t.destination || c.Attempts >= mfaCodeAttempts || !s.now().Before(c.ExpiresAt) {
		return mismatch
	}
	if subtle.ConstantTimeCompare(codeHash(pool.ID, u.Sub, purposeMFA, code), c.Hash) != 1 {
		if _, err := s.cfg.Store.AddCodeAttempt(ctx, pool.ID, u.Sub, purposeMFA); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return mismatch
	}
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error { return consumeCode(ctx, tx, c) })
	if errors.Is(err, cognito.CodeMismatch("")) {
		return mismatch
	}
	return err
}

// purposeMFAPassed keeps, as a code of its own purpose, the mark that a
// sign-in's MFA challenge was answered (RecordMFAPassed). It lives as
// long as the challenge's session.
const purposeMFAPassed = "mfa_passed"

// RecordMFAPassed marks that the MFA challenge whose session carries id
// was answered, until expires: amazon-cognito-identity-js proves a
// device after MFA with the MFA challenge's session rather than the one
// the answer returned (sendMFACode does not keep it), and that session,
// sealed before the answer, cannot say the answer was right. Only the
// hash of id is stored; a new mark replaces the user's previous one.
func (s *Service) RecordMFAPassed(ctx context.Context, poolID, sub, id string, expires time.Time) error {
	now := s.now()
	err := s.cfg.Store.PutCode(ctx, store.Code{
		PoolID: poolID, Sub: sub, Purpose: purposeMFAPassed,
		Hash:      codeHash(poolID, sub, purposeMFAPassed, id),
		CreatedAt: now, ExpiresAt: expires, Sends: 1, SendsSince: now,
	})
	return userStoreError(err)
}

// MFAPassed reports whether RecordMFAPassed marked id, and the mark has
// not expired.
func (s *Service) MFAPassed(ctx context.Context, poolID, sub, id string) (bool, error) {
	c, err := s.cfg.Store.GetCode(ctx, poolID, sub, purposeMFAPassed)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	return s.now().Before(c.ExpiresAt) && subtle.ConstantTimeCompare(codeHash(poolID, sub, purposeMFAPassed, id), c.Hash) == 1, nil
}
