package userpool

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/store"
)

// This file holds multi-factor authentication: a pool's MFA configuration
// (SetUserPoolMfaConfig), a user's factors and the one they prefer
// (SetUserMFAPreference, the legacy SetUserSettings), TOTP authenticators
// (AssociateSoftwareToken, VerifySoftwareToken), and what a sign-in needs
// of them: which MFA step applies, the codes sent by SMS and e-mail, and
// the checks of the answers. The authentication engine (internal/auth)
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

// Cognito's default messages for sign-in codes, used when the pool has
// none (SmsAuthenticationMessage, EmailMfaConfiguration).
const (
	defaultMFASMSMessage   = "Your authentication code is {####}. "
	defaultMFAEmailSubject = "Your authentication code"
	defaultMFAEmailMessage = "Your authentication code is {####}. "
)

// poolMFA is the part of a pool's MFA configuration that
// cognito.UserPoolType has no member for: which factors the pool offers
// and the e-mail factor's message. The mode (MfaConfiguration) and the SMS
// factor's message and SNS settings are members of the pool document and
// stay there, where DescribeUserPool shows them. Stored as store.Pool.MFA.
type poolMFA struct {
	SoftwareToken bool                               `json:"softwareToken,omitempty"`
	SMS           bool                               `json:"sms,omitempty"`
	Email         *cognito.EmailMfaConfigType        `json:"email,omitempty"`
	WebAuthn      *cognito.WebAuthnConfigurationType `json:"webAuthn,omitempty"`
}

// decodePoolMFA reads a pool's MFA factors. A pool SetUserPoolMfaConfig
// never ran on got its MFA from CreateUserPool or UpdateUserPool, whose
// only factor is SMS: MFA on means SMS MFA there.
func decodePoolMFA(rec store.Pool, p *cognito.UserPoolType) (poolMFA, error) {
	if rec.MFA == nil {
		return poolMFA{SMS: poolMFAMode(p) != cognito.UserPoolMfaOff}, nil
	}
	var m poolMFA
	if err := json.Unmarshal(rec.MFA, &m); err != nil {
		return poolMFA{}, fmt.Errorf("decode MFA of pool %s: %w", rec.ID, err)
	}
	return m, nil
}

func poolMFAMode(p *cognito.UserPoolType) string {
	return stringOr(p.MfaConfiguration, cognito.UserPoolMfaOff)
}

// poolMFAConfig reads the MFA factors of a pool already loaded.
func (s *Service) poolMFAConfig(ctx context.Context, pool *cognito.UserPoolType) (poolMFA, error) {
	rec, err := s.cfg.Store.GetPool(ctx, pool.ID)
	if err != nil {
		return poolMFA{}, poolError(pool.ID, err)
	}
	return decodePoolMFA(rec, pool)
}

// mfaConfigOutput renders a pool's MFA configuration as
// GetUserPoolMfaConfig answers it.
func mfaConfigOutput(p *cognito.UserPoolType, m poolMFA) *cognito.GetUserPoolMfaConfigOutput {
	totp := m.SoftwareToken
	out := &cognito.GetUserPoolMfaConfigOutput{
		MfaConfiguration:              poolMFAMode(p),
		SoftwareTokenMfaConfiguration: &cognito.SoftwareTokenMfaConfigType{Enabled: &totp},
		WebAuthnConfiguration:         m.WebAuthn,
	}
	if m.SMS {
		out.SmsMfaConfiguration = &cognito.SmsMfaConfigType{
			SmsAuthenticationMessage: p.SmsAuthenticationMessage,
			SmsConfiguration:         p.SmsConfiguration,
		}
	}
	if m.Email != nil {
		e := *m.Email
		out.EmailMfaConfiguration = &e
	}
	return out
}

// SetUserPoolMfaConfig replaces a pool's MFA configuration: the factors
// given are on, those left out are off, and MfaConfiguration, when given,
// sets the mode (ON and OPTIONAL need a factor; OFF takes none). The SMS
// factor needs SNS settings, given or already the pool's, as on Cognito,
// although this server delivers through its own senders. The e-mail factor
// does not need the Amazon SES sending account Cognito asks for: the
// senders deliver it here too. It answers the new configuration.
func (s *Service) SetUserPoolMfaConfig(ctx context.Context, in *cognito.SetUserPoolMfaConfigInput) (*cognito.SetUserPoolMfaConfigOutput, error) {
	var out *cognito.GetUserPoolMfaConfigOutput
	_, err := s.cfg.Store.UpdatePool(ctx, in.UserPoolID, func(rec *store.Pool) error {
		p, err := decodePool(*rec)
		if err != nil {
			return err
		}
		cur, err := decodePoolMFA(*rec, p)
		if err != nil {
			return err
		}
		next := poolMFA{
			SoftwareToken: in.SoftwareTokenMfaConfiguration != nil && ptrBool(in.SoftwareTokenMfaConfiguration.Enabled),
			SMS:           in.SmsMfaConfiguration != nil,
			Email:         in.EmailMfaConfiguration,
			WebAuthn:      cur.WebAuthn,
		}
		if in.WebAuthnConfiguration != nil {
			next.WebAuthn = in.WebAuthnConfiguration
		}
		if sms := in.SmsMfaConfiguration; sms != nil {
			if sms.SmsConfiguration == nil && p.SmsConfiguration == nil {
				return cognito.InvalidParameter(msgSMSMFAConfig)
			}
			if sms.SmsConfiguration != nil {
				c := *sms.SmsConfiguration
				p.SmsConfiguration = &c
			}
			p.SmsAuthenticationMessage = sms.SmsAuthenticationMessage
		}
		mode := stringOr(in.MfaConfiguration, poolMFAMode(p))
		anyFactor := next.SoftwareToken || next.SMS || next.Email != nil
		switch {
		case mode == cognito.UserPoolMfaOff && anyFactor:
			return cognito.InvalidParameter(msgMFAOffWithFactor)
		case mode != cognito.UserPoolMfaOff && !anyFactor:
			return cognito.InvalidParameter(msgMFAWithoutFactor)
		}
		p.MfaConfiguration = mode
		if rec.Settings, err = encodePool(p); err != nil {
			return err
		}
		if rec.MFA, err = json.Marshal(next); err != nil {
			return err
		}
		rec.UpdatedAt = s.now()
		out = mfaConfigOutput(p, next)
		return nil
	})
	if err != nil {
		return nil, poolError(in.UserPoolID, err)
	}
	return &cognito.SetUserPoolMfaConfigOutput{
		MfaConfiguration:              out.MfaConfiguration,
		SoftwareTokenMfaConfiguration: out.SoftwareTokenMfaConfiguration,
		SmsMfaConfiguration:           out.SmsMfaConfiguration,
		EmailMfaConfiguration:         out.EmailMfaConfiguration,
		WebAuthnConfiguration:         out.WebAuthnConfiguration,
	}, nil
}

// GetUserPoolMfaConfig returns a pool's MFA configuration.
func (s *Service) GetUserPoolMfaConfig(ctx context.Context, poolID string) (*cognito.GetUserPoolMfaConfigOutput, error) {
	rec, err := s.cfg.Store.GetPool(ctx, poolID)
	if err != nil {
		return nil, poolError(poolID, err)
	}
	p, err := decodePool(rec)
	if err != nil {
		return nil, err
	}
	m, err := decodePoolMFA(rec, p)
	if err != nil {
		return nil, err
	}
	return mfaConfigOutput(p, m), nil
}

func ptrBool(p *bool) bool { return p != nil && *p }

// MFASettings is what GetUser and AdminGetUser show of a user's MFA: the
// preferred factor, the factors turned on, and the legacy MFAOptions,
// which describe SMS MFA only.
func MFASettings(u store.User) (preferred string, enabled []string, options []cognito.MFAOptionType) {
	for _, f := range mfaFactors {
		if factorEnabled(u, f) {
			enabled = append(enabled, f)
		}
	}
	if u.MFA.SMSEnabled {
		options = []cognito.MFAOptionType{{DeliveryMedium: cognito.DeliveryMediumSms, AttributeName: attrPhone}}
	}
	return u.MFA.Preferred, enabled, options
}

// factorEnabled reports whether the user turned a factor on.
func factorEnabled(u store.User, factor string) bool {
	switch factor {
	case MFASoftwareToken:
		return u.MFA.TOTPEnabled
	case MFASMS:
		return u.MFA.SMSEnabled
	case MFAEmail:
		return u.MFA.EmailEnabled
	}
	return false
}

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

// factorSetting is one factor's part of an MFA preference. A missing
// member is false, the model's default: the SDKs leave false booleans out
// of requests, so {} turns a factor off.
type factorSetting struct {
	factor             string
	enabled, preferred *bool
}

func mfaPreferenceSettings(sms *cognito.SMSMfaSettingsType, totp *cognito.SoftwareTokenMfaSettingsType, email *cognito.EmailMfaSettingsType) []factorSetting {
	var out []factorSetting
	if sms != nil {
		out = append(out, factorSetting{MFASMS, sms.Enabled, sms.PreferredMfa})
	}
	if totp != nil {
		out = append(out, factorSetting{MFASoftwareToken, totp.Enabled, totp.PreferredMfa})
	}
	if email != nil {
		out = append(out, factorSetting{MFAEmail, email.Enabled, email.PreferredMfa})
	}
	return out
}

// SetUserMFAPreference applies a user's own MFA preference.
func (s *Service) SetUserMFAPreference(ctx context.Context, pool *cognito.UserPoolType, u store.User, in *cognito.SetUserMFAPreferenceInput) error {
	return s.setMFAPreference(ctx, pool.ID, u.Sub, mfaPreferenceSettings(in.SMSMfaSettings, in.SoftwareTokenMfaSettings, in.EmailMfaSettings))
}

// AdminSetUserMFAPreference applies an MFA preference to the user a
// request names.
func (s *Service) AdminSetUserMFAPreference(ctx context.Context, in *cognito.AdminSetUserMFAPreferenceInput) error {
	pool, err := s.Pool(ctx, in.UserPoolID)
	if err != nil {
		return err
	}
	u, err := s.lookupUser(ctx, pool, in.Username)
	if err != nil {
		return err
	}
	return s.setMFAPreference(ctx, pool.ID, u.Sub, mfaPreferenceSettings(in.SMSMfaSettings, in.SoftwareTokenMfaSettings, in.EmailMfaSettings))
}

// setMFAPreference turns factors on and off and sets the preferred one.
// A factor left out of the request stays as it is. A factor turned on
// needs what it uses (a verified authenticator, a phone number, an e-mail
// address); preferring a factor turns it on, unless Enabled says false
// outright; at most one factor is preferred, and a factor given as not
// preferred, or turned off, stops being the preferred one.
// WebAuthnMfaSettings is accepted and has no effect: passkeys are not a
// sign-in factor here.
func (s *Service) setMFAPreference(ctx context.Context, poolID, sub string, settings []factorSetting) error {
	now := s.now()
	_, err := s.saveUser(ctx, s.cfg.Store, poolID, sub, func(w *store.User) error {
		preferred := 0
		for _, st := range settings {
			if ptrBool(st.preferred) {
				preferred++
				if st.enabled != nil && !*st.enabled {
					return cognito.InvalidParameter(msgPreferredDisabled)
				}
			}
		}
		if preferred > 1 {
			return cognito.InvalidParameter(msgTwoPreferred)
		}
		for _, st := range settings {
			on := ptrBool(st.enabled) || ptrBool(st.preferred)
			if on && !factorReady(*w, st.factor) {
				return cognito.InvalidParameter(msgNoDeliveryConfig + st.factor)
			}
			setFactor(w, st.factor, on)
			switch {
			case ptrBool(st.preferred):
				w.MFA.Preferred = st.factor
			case w.MFA.Preferred == st.factor:
				w.MFA.Preferred = ""
			}
		}
		w.UpdatedAt = now
		return nil
	})
	return err
}

func setFactor(u *store.User, factor string, on bool) {
	switch factor {
	case MFASoftwareToken:
		u.MFA.TOTPEnabled = on
	case MFASMS:
		u.MFA.SMSEnabled = on
	case MFAEmail:
		u.MFA.EmailEnabled = on
	}
	if !on && u.MFA.Preferred == factor {
		u.MFA.Preferred = ""
	}
}

// SetUserSettings applies the legacy MFAOptions to a user's own account:
// an option for SMS to phone_number turns SMS MFA on, an empty list turns
// it off. It is all the action ever configured.
func (s *Service) SetUserSettings(ctx context.Context, pool *cognito.UserPoolType, u store.User, opts []cognito.MFAOptionType) error {
	return s.setMFAOptions(ctx, pool.ID, u.Sub, opts)
}

// AdminSetUserSettings applies the legacy MFAOptions to the user a request
// names.
func (s *Service) AdminSetUserSettings(ctx context.Context, in *cognito.AdminSetUserSettingsInput) error {
	pool, err := s.Pool(ctx, in.UserPoolID)
	if err != nil {
		return err
	}
	u, err := s.lookupUser(ctx, pool, in.Username)
	if err != nil {
		return err
	}
	return s.setMFAOptions(ctx, pool.ID, u.Sub, in.MFAOptions)
}

func (s *Service) setMFAOptions(ctx context.Context, poolID, sub string, opts []cognito.MFAOptionType) error {
	for _, o := range opts {
		if o.DeliveryMedium != cognito.DeliveryMediumSms || o.AttributeName != attrPhone {
			return cognito.InvalidParameter(msgMFAOptionsSMSOnly)
		}
	}
	now := s.now()
	_, err := s.saveUser(ctx, s.cfg.Store, poolID, sub, func(w *store.User) error {
		on := len(opts) > 0
		if on && !factorReady(*w, MFASMS) {
			return cognito.InvalidParameter(msgNoDeliveryConfig + MFASMS)
		}
		setFactor(w, MFASMS, on)
		w.UpdatedAt = now
		return nil
	})
	return err
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

// mfaMessage renders a sign-in code's message: the pool's
// SmsAuthenticationMessage or e-mail MFA message, else Cognito's default.
func mfaMessage(pool *cognito.UserPoolType, cfg poolMFA, medium, code string) (subject, body string) {
	if medium == delivery.MediumSMS {
		return "", strings.ReplaceAll(stringOr(pool.SmsAuthenticationMessage, defaultMFASMSMessage), codePlaceholder, code)
	}
	var e cognito.EmailMfaConfigType
	if cfg.Email != nil {
		e = *cfg.Email
	}
	return stringOr(e.Subject, defaultMFAEmailSubject),
		strings.ReplaceAll(stringOr(e.Message, defaultMFAEmailMessage), codePlaceholder, code)
}

// deliverMFACode sends a sign-in code through the configured Messenger;
// a failure is CodeDeliveryFailureException, as for the other codes.
func (s *Service) deliverMFACode(ctx context.Context, pool *cognito.UserPoolType, cfg poolMFA, username string, t codeTarget, code string) error {
	if s.cfg.Messages == nil {
		return nil
	}
	subject, body := mfaMessage(pool, cfg, t.medium, code)
	err := s.cfg.Messages.Send(ctx, delivery.Message{
		PoolID:      pool.ID,
		Username:    username,
		Destination: t.destination,
		Medium:      t.medium,
		Purpose:     purposeAuthentication,
		Code:        code,
		Subject:     subject,
		Body:        body,
		Time:        s.now(),
	})
	if err == nil {
		return nil
	}
	msg := msgEmailDeliveryFailure
	if t.medium == delivery.MediumSMS {
		msg = msgSMSDeliveryFailure
	}
	e := cognito.New(cognito.TypeCodeDeliveryFailure, msg)
	e.Err = err
	return e
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
