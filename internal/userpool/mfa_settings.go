package userpool

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// A user's MFA factors and the one they prefer: SetUserMFAPreference, its
// admin form, and the legacy SetUserSettings.

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
	return s.setMFAPreference(ctx, pool.ID, u.Sub, mfaPreferenceSettings(in.SMSMfaSettings, in.SoftwareTokenMfaSettings, in.EmailMfaSettings), in.WebAuthnMfaSettings)
}

// AdminSetUserMFAPreference applies an MFA preference to the user a
// request names.
func (s *Service) AdminSetUserMFAPreference(ctx context.Context, in *cognito.AdminSetUserMFAPreferenceInput) error {
	pool, u, err := s.poolUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return err
	}
	return s.setMFAPreference(ctx, pool.ID, u.Sub, mfaPreferenceSettings(in.SMSMfaSettings, in.SoftwareTokenMfaSettings, in.EmailMfaSettings), in.WebAuthnMfaSettings)
}

// msgPasskeyMFAAlone refuses passkey MFA for a user with no other MFA
// factor, which the API reference requires (so that losing the passkey
// does not lock the user out); the wording is ours.
const msgPasskeyMFAAlone = "Passkey MFA requires another MFA factor (SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP) enabled for the user."

// setMFAPreference turns factors on and off and sets the preferred one.
// A factor left out of the request stays as it is. A factor turned on
// needs what it uses (a verified authenticator, a phone number, an e-mail
// address); preferring a factor turns it on, unless Enabled says false
// outright; at most one factor is preferred, and a factor given as not
// preferred, or turned off, stops being the preferred one.
// webAuthn (WebAuthnMfaSettings) turns passkey MFA on or off; it has no
// preferred setting, and on, it needs another factor on once the request
// is applied.
func (s *Service) setMFAPreference(ctx context.Context, poolID, sub string, settings []factorSetting, webAuthn *cognito.WebAuthnMfaSettingsType) error {
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
		if webAuthn != nil {
			w.MFA.WebAuthnEnabled = ptrBool(webAuthn.Enabled)
			if w.MFA.WebAuthnEnabled && !w.MFA.TOTPEnabled && !w.MFA.SMSEnabled && !w.MFA.EmailEnabled {
				return cognito.InvalidParameter(msgPasskeyMFAAlone)
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
	pool, u, err := s.poolUser(ctx, in.UserPoolID, in.Username)
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
