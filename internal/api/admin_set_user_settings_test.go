package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestAdminSetUserSettings(t *testing.T) {
	e, pool, _ := mfaSetup(t, types.UserPoolMfaTypeOptional, "SMS_MFA")
	tokensUser(t, e.env, pool, "bob")
	set := func(pool, username string, opts ...types.MFAOptionType) error {
		_, err := e.Client.AdminSetUserSettings(e.ctx(), &cip.AdminSetUserSettingsInput{
			UserPoolId: aws.String(pool), Username: aws.String(username), MFAOptions: append([]types.MFAOptionType{}, opts...),
		})
		return err
	}
	sms := types.MFAOptionType{DeliveryMedium: types.DeliveryMediumTypeSms, AttributeName: aws.String("phone_number")}
	if err := set(pool, "alice", sms); err != nil {
		t.Fatal(err)
	}
	got := mfaWantAdminSettings(t, e.env, pool, "alice", "", "SMS_MFA")
	if len(got.MFAOptions) != 1 || got.MFAOptions[0].DeliveryMedium != types.DeliveryMediumTypeSms {
		t.Errorf("MFAOptions = %+v", got.MFAOptions)
	}
	if err := set(pool, "alice"); err != nil {
		t.Fatal(err)
	}
	got = mfaWantAdminSettings(t, e.env, pool, "alice", "")
	if len(got.MFAOptions) != 0 {
		t.Errorf("MFAOptions = %+v, want none", got.MFAOptions)
	}

	wantAPIError(t, set(pool, "bob", sms), "InvalidParameterException", "User does not have delivery config set to turn on SMS_MFA")
	wantAPIError(t, set(pool, "alice", types.MFAOptionType{DeliveryMedium: types.DeliveryMediumTypeSms, AttributeName: aws.String("email")}),
		"InvalidParameterException", "MFAOptions can only turn on SMS MFA, delivered by SMS to phone_number.")
	wantAPIError(t, set(pool, "nobody", sms), "UserNotFoundException", "User does not exist.")
	wantAPIError(t, set("us-east-1_Nope12345", "alice", sms), "ResourceNotFoundException", "User pool us-east-1_Nope12345 does not exist.")
}
