package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestUpdateUserPoolReplacesSettings checks UpdateUserPool is a full
// replace: what the update leaves out goes back to Cognito's default, while
// what only CreateUserPool sets (schema, sign-in attributes, username
// configuration) stays.
func TestUpdateUserPoolReplacesSettings(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.PoolName = aws.String("before")
		in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
		in.UsernameConfiguration = &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString}}
		in.DeletionProtection = types.DeletionProtectionTypeActive
		in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(12)}}
		in.UserPoolTags = map[string]string{"team": "identity"}
		in.LambdaConfig = &types.LambdaConfigType{PreSignUp: aws.String("arn:aws:lambda:us-east-1:000000000000:function:f")}
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
		in.MfaConfiguration = types.UserPoolMfaTypeOptional
	})
	before := poolsDescribe(t, e, id)

	e.Clock.Advance(time.Hour)
	if _, err := e.Client.UpdateUserPool(e.ctx(), &cip.UpdateUserPoolInput{
		UserPoolId:             aws.String(id),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypePhoneNumber},
	}); err != nil {
		t.Fatal(err)
	}
	after := poolsDescribe(t, e, id)

	want := poolsDefaultPool("before")
	want.Id, want.Arn = before.Id, before.Arn
	want.CreationDate = before.CreationDate
	want.LastModifiedDate = aws.Time(e.Clock.Now())
	want.UsernameAttributes = before.UsernameAttributes
	want.UsernameConfiguration = before.UsernameConfiguration
	want.SchemaAttributes = before.SchemaAttributes
	want.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypePhoneNumber}
	if d := poolsDiff(want, after); d != "" {
		t.Errorf("after UpdateUserPool (-want +got):\n%s", d)
	}
}

func TestUpdateUserPoolSettings(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, nil)
	if _, err := e.Client.UpdateUserPool(e.ctx(), &cip.UpdateUserPoolInput{
		UserPoolId:         aws.String(id),
		PoolName:           aws.String("renamed"),
		DeletionProtection: types.DeletionProtectionTypeActive,
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(16), RequireNumbers: true, TemporaryPasswordValidityDays: 2,
		}},
		UserPoolTags: map[string]string{"env": "prod"},
	}); err != nil {
		t.Fatal(err)
	}
	p := poolsDescribe(t, e, id)
	if aws.ToString(p.Name) != "renamed" || p.DeletionProtection != types.DeletionProtectionTypeActive {
		t.Errorf("Name, DeletionProtection = %q, %s; want renamed, ACTIVE", aws.ToString(p.Name), p.DeletionProtection)
	}
	wantPolicy := &types.PasswordPolicyType{MinimumLength: aws.Int32(16), RequireNumbers: true, TemporaryPasswordValidityDays: 2}
	if d := poolsDiff(wantPolicy, p.Policies.PasswordPolicy); d != "" {
		t.Errorf("PasswordPolicy (-want +got):\n%s", d)
	}
	if p.AdminCreateUserConfig.UnusedAccountValidityDays != 2 {
		t.Errorf("UnusedAccountValidityDays = %d, want 2 like TemporaryPasswordValidityDays", p.AdminCreateUserConfig.UnusedAccountValidityDays)
	}
	if d := poolsDiff(map[string]string{"env": "prod"}, p.UserPoolTags); d != "" {
		t.Errorf("UserPoolTags (-want +got):\n%s", d)
	}
}

func TestUpdateUserPoolErrors(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, nil)
	tests := []struct {
		name    string
		in      *cip.UpdateUserPoolInput
		typ     string
		message string
	}{
		{"no such pool", &cip.UpdateUserPoolInput{UserPoolId: aws.String(poolsUnknownPool)},
			"ResourceNotFoundException", "User pool us-east-1_NoSuchPool does not exist."},
		{"sign-in policy without password", &cip.UpdateUserPoolInput{UserPoolId: aws.String(id),
			Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
				AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypeSmsOtp},
			}}},
			"InvalidParameterException", "Password should be configured as one of the allowed first auth factors."},
		{"verification before update not auto-verified", &cip.UpdateUserPoolInput{UserPoolId: aws.String(id),
			UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
				AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypePhoneNumber},
			}},
			"InvalidParameterException", "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes"},
		{"bad deletion protection", &cip.UpdateUserPoolInput{UserPoolId: aws.String(id), DeletionProtection: "SOMETIMES"},
			"InvalidParameterException", "1 validation error detected: Value 'SOMETIMES' at 'deletionProtection' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, INACTIVE]"},
	}
	before := poolsDescribe(t, e, id)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Client.UpdateUserPool(e.ctx(), tt.in)
			wantAPIError(t, err, tt.typ, tt.message)
		})
	}
	if d := poolsDiff(before, poolsDescribe(t, e, id)); d != "" {
		t.Errorf("refused updates changed the pool (-before +after):\n%s", d)
	}
}
