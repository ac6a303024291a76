package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// The legacy SetUserSettings turns SMS MFA on (an SMS option for
// phone_number) and off (no options).
func TestSetUserSettings(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOptional, "SMS_MFA")
	tokensUser(t, e.env, pool, "bob")
	access := aws.ToString(e.signIn(pool, c, "alice", tokensPassword).AccessToken)
	bob := aws.ToString(e.signIn(pool, c, "bob", tokensPassword).AccessToken)
	set := func(access string, opts ...types.MFAOptionType) error {
		_, err := e.Client.SetUserSettings(e.ctx(), &cip.SetUserSettingsInput{AccessToken: aws.String(access), MFAOptions: append([]types.MFAOptionType{}, opts...)})
		return err
	}
	sms := types.MFAOptionType{DeliveryMedium: types.DeliveryMediumTypeSms, AttributeName: aws.String("phone_number")}
	if err := set(access, sms); err != nil {
		t.Fatal(err)
	}
	mfaWantSettings(t, e.env, access, "", "SMS_MFA")
	// SMS MFA now applies to alice's sign-in.
	mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSmsMfa)
	if err := set(access); err != nil {
		t.Fatal(err)
	}
	mfaWantSettings(t, e.env, access, "")

	wantAPIError(t, set(access, types.MFAOptionType{DeliveryMedium: types.DeliveryMediumTypeEmail, AttributeName: aws.String("email")}),
		"InvalidParameterException", "MFAOptions can only turn on SMS MFA, delivered by SMS to phone_number.")
	wantAPIError(t, set(bob, sms), "InvalidParameterException", "User does not have delivery config set to turn on SMS_MFA")
	wantAPIError(t, set(tokensTamper(access, 2), sms), "NotAuthorizedException", "")
	// MFAOptions is required.
	status, _, body := e.raw("SetUserSettings", `{"AccessToken":"`+access+`"}`)
	if status != 400 || body["__type"] != "InvalidParameterException" {
		t.Errorf("no MFAOptions: %d %v", status, body)
	}
}
