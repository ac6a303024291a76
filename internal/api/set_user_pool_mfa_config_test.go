package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var mfaConfigCmp = cmp.Options{
	cmpopts.IgnoreUnexported(
		cip.SetUserPoolMfaConfigOutput{}, cip.GetUserPoolMfaConfigOutput{},
		types.SoftwareTokenMfaConfigType{}, types.SmsMfaConfigType{}, types.SmsConfigurationType{},
		types.EmailMfaConfigType{}, types.WebAuthnConfigurationType{},
	),
	cmpopts.IgnoreFields(cip.SetUserPoolMfaConfigOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(cip.GetUserPoolMfaConfigOutput{}, "ResultMetadata"),
}

// SetUserPoolMfaConfig answers the configuration it set, GetUserPoolMfaConfig
// and DescribeUserPool show it, and each call replaces the factors.
func TestSetUserPoolMfaConfig(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)

	in := mfaConfigInput(pool, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP")
	in.SmsMfaConfiguration.SmsAuthenticationMessage = aws.String("Your code: {####}")
	in.EmailMfaConfiguration = &types.EmailMfaConfigType{Message: aws.String("Sign-in code {####}"), Subject: aws.String("Your code")}
	out, err := e.Client.SetUserPoolMfaConfig(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	want := &cip.SetUserPoolMfaConfigOutput{
		MfaConfiguration:              types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
		SmsMfaConfiguration:           &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Your code: {####}"), SmsConfiguration: mfaSNS},
		EmailMfaConfiguration:         &types.EmailMfaConfigType{Message: aws.String("Sign-in code {####}"), Subject: aws.String("Your code")},
	}
	if d := poolsDiff(want, out, mfaConfigCmp); d != "" {
		t.Errorf("SetUserPoolMfaConfig (-want +got):\n%s", d)
	}
	got, err := e.Client.GetUserPoolMfaConfig(e.ctx(), &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	wantGet := &cip.GetUserPoolMfaConfigOutput{
		MfaConfiguration:              want.MfaConfiguration,
		SoftwareTokenMfaConfiguration: want.SoftwareTokenMfaConfiguration,
		SmsMfaConfiguration:           want.SmsMfaConfiguration,
		EmailMfaConfiguration:         want.EmailMfaConfiguration,
	}
	if d := poolsDiff(wantGet, got, mfaConfigCmp); d != "" {
		t.Errorf("GetUserPoolMfaConfig (-want +got):\n%s", d)
	}
	p := poolsDescribe(t, e, pool)
	if p.MfaConfiguration != types.UserPoolMfaTypeOptional || aws.ToString(p.SmsAuthenticationMessage) != "Your code: {####}" ||
		p.SmsConfiguration == nil || aws.ToString(p.SmsConfiguration.SnsCallerArn) != aws.ToString(mfaSNS.SnsCallerArn) {
		t.Errorf("DescribeUserPool: MfaConfiguration %s, SmsAuthenticationMessage %q, SmsConfiguration %+v",
			p.MfaConfiguration, aws.ToString(p.SmsAuthenticationMessage), p.SmsConfiguration)
	}

	// A full replace: only TOTP now. The SMS role stays the pool's.
	out, err = e.Client.SetUserPoolMfaConfig(e.ctx(), mfaConfigInput(pool, types.UserPoolMfaTypeOn, "SOFTWARE_TOKEN_MFA"))
	if err != nil {
		t.Fatal(err)
	}
	want = &cip.SetUserPoolMfaConfigOutput{
		MfaConfiguration:              types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
	}
	if d := poolsDiff(want, out, mfaConfigCmp); d != "" {
		t.Errorf("SetUserPoolMfaConfig(TOTP only) (-want +got):\n%s", d)
	}
	// SMS back on without SmsConfiguration uses the pool's role.
	out, err = e.Client.SetUserPoolMfaConfig(e.ctx(), &cip.SetUserPoolMfaConfigInput{
		UserPoolId: aws.String(pool), SmsMfaConfiguration: &types.SmsMfaConfigType{},
	})
	if err != nil {
		t.Fatal(err)
	}
	want = &cip.SetUserPoolMfaConfigOutput{
		MfaConfiguration:              types.UserPoolMfaTypeOn, // left out: kept
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: false},
		SmsMfaConfiguration:           &types.SmsMfaConfigType{SmsConfiguration: mfaSNS},
	}
	if d := poolsDiff(want, out, mfaConfigCmp); d != "" {
		t.Errorf("SetUserPoolMfaConfig(SMS, no mode) (-want +got):\n%s", d)
	}
	// OFF alone turns everything off.
	out, err = e.Client.SetUserPoolMfaConfig(e.ctx(), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: types.UserPoolMfaTypeOff})
	if err != nil {
		t.Fatal(err)
	}
	want = &cip.SetUserPoolMfaConfigOutput{MfaConfiguration: types.UserPoolMfaTypeOff, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{}}
	if d := poolsDiff(want, out, mfaConfigCmp); d != "" {
		t.Errorf("SetUserPoolMfaConfig(OFF) (-want +got):\n%s", d)
	}
}

func TestSetUserPoolMfaConfigErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	const (
		offWithFactor = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
		noFactor      = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."
	)
	for _, tc := range []struct {
		name     string
		in       *cip.SetUserPoolMfaConfigInput
		typ, msg string
	}{
		{"unknown pool", mfaConfigInput("us-east-1_Nope12345", types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA"),
			"ResourceNotFoundException", "User pool us-east-1_Nope12345 does not exist."},
		{"off with TOTP", mfaConfigInput(pool, types.UserPoolMfaTypeOff, "SOFTWARE_TOKEN_MFA"), "InvalidParameterException", offWithFactor},
		{"off with SMS", mfaConfigInput(pool, types.UserPoolMfaTypeOff, "SMS_MFA"), "InvalidParameterException", offWithFactor},
		{"off with e-mail", mfaConfigInput(pool, types.UserPoolMfaTypeOff, "EMAIL_OTP"), "InvalidParameterException", offWithFactor},
		{"on without a factor", mfaConfigInput(pool, types.UserPoolMfaTypeOn), "InvalidParameterException", noFactor},
		{"optional without a factor", mfaConfigInput(pool, types.UserPoolMfaTypeOptional), "InvalidParameterException", noFactor},
		{"TOTP turned off is no factor", &cip.SetUserPoolMfaConfigInput{
			UserPoolId: aws.String(pool), MfaConfiguration: types.UserPoolMfaTypeOn,
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: false},
		}, "InvalidParameterException", noFactor},
		{"SMS without a role", &cip.SetUserPoolMfaConfigInput{
			UserPoolId: aws.String(pool), MfaConfiguration: types.UserPoolMfaTypeOn, SmsMfaConfiguration: &types.SmsMfaConfigType{},
		}, "InvalidParameterException", "Invalid SMS MFA configuration given, external id and a valid caller arn are required"},
		{"SMS message without the code", &cip.SetUserPoolMfaConfigInput{
			UserPoolId: aws.String(pool), MfaConfiguration: types.UserPoolMfaTypeOn,
			SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("no code here"), SmsConfiguration: mfaSNS},
		}, "InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.SetUserPoolMfaConfig(e.ctx(), tc.in)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	// A bad MfaConfiguration, which the SDK would send as given.
	status, _, body := e.raw("SetUserPoolMfaConfig", `{"UserPoolId":"`+pool+`","MfaConfiguration":"SOMETIMES"}`)
	if status != 400 || body["__type"] != "InvalidParameterException" {
		t.Errorf("MfaConfiguration SOMETIMES: %d %v", status, body)
	}
	// Nothing changed.
	got, err := e.Client.GetUserPoolMfaConfig(e.ctx(), &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if got.MfaConfiguration != types.UserPoolMfaTypeOff || got.SoftwareTokenMfaConfiguration.Enabled || got.SmsMfaConfiguration != nil {
		t.Errorf("after refused requests: %+v", got)
	}
}
