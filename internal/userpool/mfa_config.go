package userpool

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// A pool's MFA configuration: the mode (MfaConfiguration), the factors it
// offers and their messages (SetUserPoolMfaConfig, GetUserPoolMfaConfig).

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
	defer s.settings.changed()
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
			next.WebAuthn = webAuthnDefaults(*in.WebAuthnConfiguration)
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

// webAuthnDefaults fills what a WebAuthnConfiguration leaves out with
// Cognito's defaults: user verification preferred, passkeys a single
// factor. RelyingPartyId stays empty: the pool's domain stands in for it.
func webAuthnDefaults(c cognito.WebAuthnConfigurationType) *cognito.WebAuthnConfigurationType {
	if c.UserVerification == "" {
		c.UserVerification = cognito.UserVerificationPreferred
	}
	if c.FactorConfiguration == "" {
		c.FactorConfiguration = cognito.WebAuthnFactorConfigurationSingleFactor
	}
	return &c
}
