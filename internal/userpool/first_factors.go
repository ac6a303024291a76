package userpool

import (
	"slices"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/store"
)

// The first factors of choice-based sign-in (USER_AUTH): which a pool
// allows (Policies.SignInPolicy.AllowedFirstAuthFactors) and which of them
// a user has what they need for. The authentication engine offers these
// (SELECT_CHALLENGE's AvailableChallenges), GetUserAuthFactors reports
// them.

// authFactors is the order factors are listed in: the model's
// AuthFactorType order, which is also the order of Cognito's captured
// AvailableChallenges (PASSWORD, PASSWORD_SRP, EMAIL_OTP, WEB_AUTHN).
var authFactors = []string{cognito.AuthFactorPassword, cognito.AuthFactorEmailOtp, cognito.AuthFactorSmsOtp, cognito.AuthFactorWebAuthn}

// msgTierFactors refuses passwordless first factors on the Lite tier,
// which Cognito keeps for Essentials and Plus. The wording is ours: the
// reference has the type (FeatureUnavailableInTierException) only.
const msgTierFactors = "Passwordless first auth factors (EMAIL_OTP, SMS_OTP, WEB_AUTHN) are not available in the LITE tier."

// checkTierFactors refuses a sign-in policy the pool's tier does not have.
func checkTierFactors(tier string, sip *cognito.SignInPolicyType) error {
	if tier != cognito.UserPoolTierLite || sip == nil {
		return nil
	}
	for _, f := range sip.AllowedFirstAuthFactors {
		if f != cognito.AuthFactorPassword {
			return cognito.New(cognito.TypeFeatureUnavailableInTier, msgTierFactors)
		}
	}
	return nil
}

// PoolAllowsFactor reports whether a pool's sign-in policy allows factor
// as a first factor. A pool without a policy allows PASSWORD only, as
// Cognito's default policy does.
func PoolAllowsFactor(pool *cognito.UserPoolType, factor string) bool {
	if pool.Policies == nil || pool.Policies.SignInPolicy == nil || len(pool.Policies.SignInPolicy.AllowedFirstAuthFactors) == 0 {
		return factor == cognito.AuthFactorPassword
	}
	return slices.Contains(pool.Policies.SignInPolicy.AllowedFirstAuthFactors, factor)
}

// FirstAuthFactors returns the first factors u can sign in with in pool:
// those the pool allows, of which the user has what each needs. Every
// user here has a password. A one-time code goes only to a verified
// e-mail address or phone number, since it proves the user by that
// address alone (Cognito documents OTP sign-in for verified attributes).
// A passkey (WEB_AUTHN) needs one registered: hasPasskey
// (Service.UserAuthFactors asks the store).
func FirstAuthFactors(pool *cognito.UserPoolType, u store.User, hasPasskey bool) []string {
	var out []string
	for _, f := range authFactors {
		if !PoolAllowsFactor(pool, f) {
			continue
		}
		ok := false
		switch f {
		case cognito.AuthFactorPassword:
			ok = true
		case cognito.AuthFactorEmailOtp:
			v, _ := u.Attr(attrEmail)
			ok = v != "" && isVerified(u, attrEmailVerified)
		case cognito.AuthFactorSmsOtp:
			v, _ := u.Attr(attrPhone)
			ok = v != "" && isVerified(u, attrPhoneVerified)
		case cognito.AuthFactorWebAuthn:
			ok = hasPasskey
		}
		if ok {
			out = append(out, f)
		}
	}
	return out
}

// SimulatedFirstAuthFactors is what FirstAuthFactors answers for a user
// who does not exist, when the client prevents user-existence errors:
// every factor the pool allows that a user could have without a passkey,
// so the answer is the same for any name.
func SimulatedFirstAuthFactors(pool *cognito.UserPoolType) []string {
	var out []string
	for _, f := range authFactors {
		if f != cognito.AuthFactorWebAuthn && PoolAllowsFactor(pool, f) {
			out = append(out, f)
		}
	}
	return out
}

// SimulatedCodeDelivery is where a sign-in code for factor (SMS_MFA or
// EMAIL_OTP) would have gone for a user who does not exist, when the
// client prevents user-existence errors: the made-up destination
// ForgotPassword answers such a user with. Nothing is sent.
func SimulatedCodeDelivery(poolID, username, factor string) *cognito.CodeDeliveryDetailsType {
	medium := delivery.MediumEmail
	if factor == MFASMS {
		medium = delivery.MediumSMS
	}
	return simulatedTarget(poolID, username, medium).details()
}
