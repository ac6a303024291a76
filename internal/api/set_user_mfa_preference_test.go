package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// A user turns factors on and off, prefers one, and GetUser shows it; a
// factor left out of a request stays as it is.
func TestSetUserMFAPreference(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP")
	access := aws.ToString(e.signIn(pool, c, "alice", tokensPassword).AccessToken)
	set := func(in *cip.SetUserMFAPreferenceInput) {
		t.Helper()
		in.AccessToken = aws.String(access)
		if _, err := e.Client.SetUserMFAPreference(e.ctx(), in); err != nil {
			t.Fatalf("SetUserMFAPreference: %v", err)
		}
	}
	mfaWantSettings(t, e.env, access, "")
	mfaEnrollTOTP(t, e.env, access, false)
	set(&cip.SetUserMFAPreferenceInput{
		SMSMfaSettings:           &types.SMSMfaSettingsType{Enabled: true},
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true},
	})
	mfaWantSettings(t, e.env, access, "SOFTWARE_TOKEN_MFA", "SMS_MFA", "SOFTWARE_TOKEN_MFA")
	set(&cip.SetUserMFAPreferenceInput{EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true}})
	mfaWantSettings(t, e.env, access, "EMAIL_OTP", "SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP")
	// All false (the SDK sends {}) turns a factor off; the preference goes
	// with it.
	set(&cip.SetUserMFAPreferenceInput{EmailMfaSettings: &types.EmailMfaSettingsType{}, SMSMfaSettings: &types.SMSMfaSettingsType{}})
	mfaWantSettings(t, e.env, access, "", "SOFTWARE_TOKEN_MFA")
	// The legacy MFAOptions describe SMS MFA only.
	set(&cip.SetUserMFAPreferenceInput{SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}})
	out, err := e.Client.GetUser(e.ctx(), &cip.GetUserInput{AccessToken: aws.String(access)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MFAOptions) != 1 || out.MFAOptions[0].DeliveryMedium != types.DeliveryMediumTypeSms || aws.ToString(out.MFAOptions[0].AttributeName) != "phone_number" {
		t.Errorf("MFAOptions = %+v, want SMS to phone_number", out.MFAOptions)
	}
	// An empty request changes nothing.
	set(&cip.SetUserMFAPreferenceInput{})
	mfaWantSettings(t, e.env, access, "", "SMS_MFA", "SOFTWARE_TOKEN_MFA")
}

func TestSetUserMFAPreferenceErrors(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP")
	tokensUser(t, e.env, pool, "bob") // no phone, no e-mail
	alice := aws.ToString(e.signIn(pool, c, "alice", tokensPassword).AccessToken)
	bob := aws.ToString(e.signIn(pool, c, "bob", tokensPassword).AccessToken)
	set := func(access string, in *cip.SetUserMFAPreferenceInput) error {
		in.AccessToken = aws.String(access)
		_, err := e.Client.SetUserMFAPreference(e.ctx(), in)
		return err
	}
	const noConfig = "User does not have delivery config set to turn on "
	for _, tc := range []struct {
		name     string
		access   string
		in       *cip.SetUserMFAPreferenceInput
		typ, msg string
	}{
		{"TOTP without an authenticator", alice, &cip.SetUserMFAPreferenceInput{SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true}},
			"InvalidParameterException", noConfig + "SOFTWARE_TOKEN_MFA"},
		{"preferring TOTP without an authenticator", alice, &cip.SetUserMFAPreferenceInput{SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{PreferredMfa: true}},
			"InvalidParameterException", noConfig + "SOFTWARE_TOKEN_MFA"},
		{"SMS without a phone number", bob, &cip.SetUserMFAPreferenceInput{SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}},
			"InvalidParameterException", noConfig + "SMS_MFA"},
		{"e-mail without an address", bob, &cip.SetUserMFAPreferenceInput{EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true}},
			"InvalidParameterException", noConfig + "EMAIL_OTP"},
		{"two preferred", alice, &cip.SetUserMFAPreferenceInput{
			SMSMfaSettings:   &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true},
			EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true},
		}, "InvalidParameterException", "Only one MFA type can be preferred."},
		{"bad token", tokensTamper(alice, 2), &cip.SetUserMFAPreferenceInput{}, "NotAuthorizedException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, set(tc.access, tc.in), tc.typ, tc.msg) })
	}
	// Enabled false with PreferredMfa true is a contradiction (only a
	// hand-made request can say false outright: the SDK leaves it out).
	status, _, body := e.raw("SetUserMFAPreference", `{"AccessToken":"`+alice+`","SMSMfaSettings":{"Enabled":false,"PreferredMfa":true}}`)
	poolsWantRawError(t, status, body, "InvalidParameterException", "An MFA type that is not enabled cannot be preferred.")
	mfaWantSettings(t, e.env, alice, "")
	// A disabled user's token no longer works.
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, set(bob, &cip.SetUserMFAPreferenceInput{}), "NotAuthorizedException", "")
}
