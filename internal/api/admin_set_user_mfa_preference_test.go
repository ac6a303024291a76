package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestAdminSetUserMFAPreference(t *testing.T) {
	e, pool, _ := mfaSetup(t, types.UserPoolMfaTypeOptional, "SMS_MFA", "EMAIL_OTP")
	set := func(username string, in *cip.AdminSetUserMFAPreferenceInput) error {
		in.UserPoolId, in.Username = aws.String(pool), aws.String(username)
		_, err := e.Client.AdminSetUserMFAPreference(e.ctx(), in)
		return err
	}
	before := usersGet(t, e.env, pool, "alice").UserLastModifiedDate
	e.Clock.Advance(1500 * time.Millisecond)
	if err := set("alice", &cip.AdminSetUserMFAPreferenceInput{
		SMSMfaSettings:   &types.SMSMfaSettingsType{Enabled: true},
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true},
	}); err != nil {
		t.Fatal(err)
	}
	got := mfaWantAdminSettings(t, e.env, pool, "alice", "EMAIL_OTP", "SMS_MFA", "EMAIL_OTP")
	if !got.UserLastModifiedDate.After(*before) {
		t.Errorf("UserLastModifiedDate %v did not move past %v", got.UserLastModifiedDate, before)
	}
	// By alias too (the pool's usernames are plain, so by sub).
	sub := usersSub(t, e.env, pool, "alice")
	if err := set(sub, &cip.AdminSetUserMFAPreferenceInput{EmailMfaSettings: &types.EmailMfaSettingsType{}}); err != nil {
		t.Fatal(err)
	}
	mfaWantAdminSettings(t, e.env, pool, "alice", "", "SMS_MFA")

	wantAPIError(t, set("nobody", &cip.AdminSetUserMFAPreferenceInput{}), "UserNotFoundException", "User does not exist.")
	_, err := e.Client.AdminSetUserMFAPreference(e.ctx(), &cip.AdminSetUserMFAPreferenceInput{
		UserPoolId: aws.String("us-east-1_Nope12345"), Username: aws.String("alice"),
	})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool us-east-1_Nope12345 does not exist.")
	wantAPIError(t, set("alice", &cip.AdminSetUserMFAPreferenceInput{SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true}}),
		"InvalidParameterException", "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA")
	// Admin actions need a signature.
	c := newClient(e.URL, testKeyID, "wrong-secret")
	_, err = c.AdminSetUserMFAPreference(e.ctx(), &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("alice")})
	wantAPIError(t, err, "InvalidSignatureException", "")
}
