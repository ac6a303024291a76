package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestGetUserPoolMfaConfig(t *testing.T) {
	e := newEnv(t)
	get := func(pool string) *cip.GetUserPoolMfaConfigOutput {
		t.Helper()
		out, err := e.Client.GetUserPoolMfaConfig(e.ctx(), &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(pool)})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// A new pool has MFA off.
	plain := createTestPool(t, e, nil)
	want := &cip.GetUserPoolMfaConfigOutput{MfaConfiguration: types.UserPoolMfaTypeOff, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{}}
	if d := poolsDiff(want, get(plain), mfaConfigCmp); d != "" {
		t.Errorf("new pool (-want +got):\n%s", d)
	}
	// A pool created with MFA and an SMS role has SMS MFA, the only
	// factor CreateUserPool configures.
	legacy := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.MfaConfiguration = types.UserPoolMfaTypeOn
		in.SmsConfiguration = mfaSNS
		in.SmsAuthenticationMessage = aws.String("Code {####}")
	})
	want = &cip.GetUserPoolMfaConfigOutput{
		MfaConfiguration:              types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{},
		SmsMfaConfiguration:           &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Code {####}"), SmsConfiguration: mfaSNS},
	}
	if d := poolsDiff(want, get(legacy), mfaConfigCmp); d != "" {
		t.Errorf("pool created with MFA (-want +got):\n%s", d)
	}
	// UpdateUserPool leaves SetUserPoolMfaConfig's factors alone.
	mfaConfigure(t, e, plain, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	if _, err := e.Client.UpdateUserPool(e.ctx(), &cip.UpdateUserPoolInput{UserPoolId: aws.String(plain), MfaConfiguration: types.UserPoolMfaTypeOptional}); err != nil {
		t.Fatal(err)
	}
	want = &cip.GetUserPoolMfaConfigOutput{MfaConfiguration: types.UserPoolMfaTypeOptional, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}
	if d := poolsDiff(want, get(plain), mfaConfigCmp); d != "" {
		t.Errorf("after UpdateUserPool (-want +got):\n%s", d)
	}

	_, err := e.Client.GetUserPoolMfaConfig(e.ctx(), &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String("us-east-1_Nope12345")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool us-east-1_Nope12345 does not exist.")
	status, _, body := e.raw("GetUserPoolMfaConfig", `{}`)
	if status != 400 || body["__type"] != "InvalidParameterException" {
		t.Errorf("no UserPoolId: %d %v", status, body)
	}
}
