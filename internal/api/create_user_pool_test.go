package api_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// poolsStandardSchema is the SchemaAttributes of a pool created without a
// Schema, as Cognito returns it.
func poolsStandardSchema() []types.SchemaAttributeType {
	str := func(name string, mutable, required bool, minLen, maxLen string) types.SchemaAttributeType {
		return types.SchemaAttributeType{
			Name: aws.String(name), AttributeDataType: types.AttributeDataTypeString,
			DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(mutable), Required: aws.Bool(required),
			StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String(minLen), MaxLength: aws.String(maxLen)},
		}
	}
	opt := func(name string) types.SchemaAttributeType { return str(name, true, false, "0", "2048") }
	boolean := func(name string) types.SchemaAttributeType {
		return types.SchemaAttributeType{
			Name: aws.String(name), AttributeDataType: types.AttributeDataTypeBoolean,
			DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(true), Required: aws.Bool(false),
		}
	}
	return []types.SchemaAttributeType{
		str("sub", false, true, "1", "2048"),
		opt("name"), opt("given_name"), opt("family_name"), opt("middle_name"), opt("nickname"),
		opt("preferred_username"), opt("profile"), opt("picture"), opt("website"), opt("email"),
		boolean("email_verified"), opt("gender"), str("birthdate", true, false, "10", "10"),
		opt("zoneinfo"), opt("locale"), opt("phone_number"), boolean("phone_number_verified"), opt("address"),
		{
			Name: aws.String("updated_at"), AttributeDataType: types.AttributeDataTypeNumber,
			DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(true), Required: aws.Bool(false),
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("0")},
		},
	}
}

// poolsDefaultPool is what Cognito answers for a pool created with only a
// name, without the members that differ per pool (id, ARN, dates).
func poolsDefaultPool(name string) *types.UserPoolType {
	return &types.UserPoolType{
		Name: aws.String(name),
		Policies: &types.UserPoolPolicyType{
			PasswordPolicy: &types.PasswordPolicyType{
				MinimumLength: aws.Int32(8), RequireUppercase: true, RequireLowercase: true,
				RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7,
			},
			SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword}},
		},
		DeletionProtection:          types.DeletionProtectionTypeInactive,
		LambdaConfig:                &types.LambdaConfigType{},
		Status:                      types.StatusTypeEnabled,
		SchemaAttributes:            poolsStandardSchema(),
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithCode},
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{},
		MfaConfiguration:            types.UserPoolMfaTypeOff,
		EmailConfiguration:          &types.EmailConfigurationType{EmailSendingAccount: types.EmailSendingAccountTypeCognitoDefault},
		AdminCreateUserConfig:       &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7},
		UserPoolTier:                types.UserPoolTierTypeEssentials,
		EstimatedNumberOfUsers:      0,
	}
}

// poolsVaries ignores the members that differ from pool to pool.
var poolsVaries = cmpopts.IgnoreFields(types.UserPoolType{}, "Id", "Arn", "CreationDate", "LastModifiedDate")

func TestCreateUserPoolDefaults(t *testing.T) {
	e := newEnv(t)
	out, err := e.Client.CreateUserPool(e.ctx(), &cip.CreateUserPoolInput{PoolName: aws.String("defaults")})
	if err != nil {
		t.Fatal(err)
	}
	p := out.UserPool
	if d := poolsDiff(poolsDefaultPool("defaults"), p, poolsVaries); d != "" {
		t.Errorf("CreateUserPool (-want +got):\n%s", d)
	}
	id := aws.ToString(p.Id)
	if !regexp.MustCompile(`^us-east-1_[0-9A-Za-z]{9}$`).MatchString(id) {
		t.Errorf("Id = %q, want us-east-1_ and 9 alphanumerics", id)
	}
	if want := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + id; aws.ToString(p.Arn) != want {
		t.Errorf("Arn = %q, want %q", aws.ToString(p.Arn), want)
	}
	now := e.Clock.Now()
	if !aws.ToTime(p.CreationDate).Equal(now) || !aws.ToTime(p.LastModifiedDate).Equal(now) {
		t.Errorf("dates = %v, %v, want %v", p.CreationDate, p.LastModifiedDate, now)
	}
	// DescribeUserPool answers the same.
	if d := poolsDiff(p, poolsDescribe(t, e, id)); d != "" {
		t.Errorf("DescribeUserPool differs from CreateUserPool (-create +describe):\n%s", d)
	}
}

func TestCreateUserPoolKeepsSettings(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(12), RequireSymbols: false}}
		in.AdminCreateUserConfig = &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 3}
		in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
		in.UsernameConfiguration = &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
		in.UserAttributeUpdateSettings = &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		}
		in.EmailVerificationSubject = aws.String("Your code")
		in.VerificationMessageTemplate = &types.VerificationMessageTemplateType{EmailMessage: aws.String("Code: {####}")}
		in.AccountRecoverySetting = &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
		}}
		in.DeletionProtection = types.DeletionProtectionTypeActive
		in.MfaConfiguration = types.UserPoolMfaTypeOptional
		in.UserPoolTags = map[string]string{"team": "identity", "env": "test"}
		in.LambdaConfig = &types.LambdaConfigType{PreSignUp: aws.String("arn:aws:lambda:us-east-1:000000000000:function:pre")}
		in.UserPoolTier = types.UserPoolTierTypePlus
	})
	p := poolsDescribe(t, e, id)

	want := poolsDefaultPool("test-pool")
	// In a given policy the requirements left out are off (the SDK cannot
	// even send false), while the validity follows UnusedAccountValidityDays.
	want.Policies.PasswordPolicy = &types.PasswordPolicyType{
		MinimumLength: aws.Int32(12), RequireUppercase: false, RequireLowercase: false,
		RequireNumbers: false, RequireSymbols: false, TemporaryPasswordValidityDays: 3,
	}
	want.AdminCreateUserConfig = &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 3}
	want.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
	want.UsernameConfiguration = &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}
	want.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
	want.UserAttributeUpdateSettings = &types.UserAttributeUpdateSettingsType{
		AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
	}
	want.EmailVerificationSubject = aws.String("Your code")
	want.EmailVerificationMessage = aws.String("Code: {####}")
	want.VerificationMessageTemplate = &types.VerificationMessageTemplateType{
		DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithCode,
		EmailMessage:       aws.String("Code: {####}"), EmailSubject: aws.String("Your code"),
	}
	want.AccountRecoverySetting = &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
		{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
	}}
	want.DeletionProtection = types.DeletionProtectionTypeActive
	want.MfaConfiguration = types.UserPoolMfaTypeOptional
	want.UserPoolTags = map[string]string{"team": "identity", "env": "test"}
	want.LambdaConfig = &types.LambdaConfigType{PreSignUp: aws.String("arn:aws:lambda:us-east-1:000000000000:function:pre")}
	want.UserPoolTier = types.UserPoolTierTypePlus
	if d := poolsDiff(want, p, poolsVaries); d != "" {
		t.Errorf("DescribeUserPool (-want +got):\n%s", d)
	}
}

// TestCreateUserPoolPasswordPolicyMembers sends by hand what the SDK
// cannot: explicit false and true requirements, and a policy without a
// MinimumLength.
func TestCreateUserPoolPasswordPolicyMembers(t *testing.T) {
	e := newEnv(t)
	status, _, body := e.raw("CreateUserPool",
		`{"PoolName":"partial","Policies":{"PasswordPolicy":{"RequireUppercase":true,"RequireSymbols":false}}}`)
	if status != 200 {
		t.Fatalf("CreateUserPool = %d %v", status, body)
	}
	pp := body["UserPool"].(map[string]any)["Policies"].(map[string]any)["PasswordPolicy"]
	want := map[string]any{
		"MinimumLength": 8.0, "RequireUppercase": true, "RequireLowercase": false, "RequireNumbers": false,
		"RequireSymbols": false, "TemporaryPasswordValidityDays": 7.0,
	}
	if d := poolsDiff(want, pp); d != "" {
		t.Errorf("PasswordPolicy (-want +got):\n%s", d)
	}
}

func TestCreateUserPoolSchema(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{
			{Name: aws.String("email"), Required: aws.Bool(true), Mutable: aws.Bool(true)},
			{Name: aws.String("family_name"), Mutable: aws.Bool(false), StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("100")}},
			{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(false),
				StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("64")}},
			{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString},
			{Name: aws.String("score"), AttributeDataType: types.AttributeDataTypeNumber,
				NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("-5"), MaxValue: aws.String("100")}},
			{Name: aws.String("internal"), AttributeDataType: types.AttributeDataTypeBoolean, DeveloperOnlyAttribute: aws.Bool(true)},
			{Name: aws.String("since"), AttributeDataType: types.AttributeDataTypeDatetime},
		}
	})
	p := poolsDescribe(t, e, id)
	if len(p.SchemaAttributes) != 20+5 {
		t.Fatalf("%d schema attributes, want 25", len(p.SchemaAttributes))
	}
	email := poolsAttribute(t, p, "email")
	if !aws.ToBool(email.Required) || !aws.ToBool(email.Mutable) {
		t.Errorf("email = %+v, want required and mutable", email)
	}
	family := poolsAttribute(t, p, "family_name")
	wantFamily := types.SchemaAttributeType{
		Name: aws.String("family_name"), AttributeDataType: types.AttributeDataTypeString,
		DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(false), Required: aws.Bool(false),
		StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("100")},
	}
	if d := poolsDiff(wantFamily, family); d != "" {
		t.Errorf("family_name (-want +got):\n%s", d)
	}
	want := []types.SchemaAttributeType{
		{Name: aws.String("custom:tenant"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(false),
			Mutable: aws.Bool(false), Required: aws.Bool(false),
			StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("64")}},
		{Name: aws.String("custom:plan"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(false),
			Mutable: aws.Bool(true), Required: aws.Bool(false), StringAttributeConstraints: &types.StringAttributeConstraintsType{}},
		{Name: aws.String("custom:score"), AttributeDataType: types.AttributeDataTypeNumber, DeveloperOnlyAttribute: aws.Bool(false),
			Mutable: aws.Bool(true), Required: aws.Bool(false),
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("-5"), MaxValue: aws.String("100")}},
		{Name: aws.String("dev:custom:internal"), AttributeDataType: types.AttributeDataTypeBoolean, DeveloperOnlyAttribute: aws.Bool(true),
			Mutable: aws.Bool(true), Required: aws.Bool(false)},
		{Name: aws.String("custom:since"), AttributeDataType: types.AttributeDataTypeDatetime, DeveloperOnlyAttribute: aws.Bool(false),
			Mutable: aws.Bool(true), Required: aws.Bool(false)},
	}
	if d := poolsDiff(want, poolsCustomAttributes(p)); d != "" {
		t.Errorf("custom attributes (-want +got):\n%s", d)
	}
}

func TestCreateUserPoolErrors(t *testing.T) {
	e := newEnv(t)
	custom := func(name string, typ types.AttributeDataType) types.SchemaAttributeType {
		return types.SchemaAttributeType{Name: aws.String(name), AttributeDataType: typ}
	}
	many := map[string]string{}
	for i := range 51 {
		many[fmt.Sprintf("k%02d", i)] = "v"
	}
	tests := []struct {
		name    string
		mutate  func(*cip.CreateUserPoolInput)
		typ     string
		message string
	}{
		{"alias and username attributes", func(in *cip.CreateUserPoolInput) {
			in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
			in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypePreferredUsername}
		}, "InvalidParameterException", "Only one of the aliasAttributes or usernameAttributes can be set in a User pool."},
		{"required custom attribute", func(in *cip.CreateUserPoolInput) {
			a := custom("tenant", types.AttributeDataTypeString)
			a.Required = aws.Bool(true)
			in.Schema = []types.SchemaAttributeType{a}
		}, "InvalidParameterException", "Required custom attributes are not supported currently."},
		{"custom attribute without type", func(in *cip.CreateUserPoolInput) {
			in.Schema = []types.SchemaAttributeType{{Name: aws.String("tenant")}}
		}, "InvalidParameterException", "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."},
		{"duplicate custom attribute", func(in *cip.CreateUserPoolInput) {
			in.Schema = []types.SchemaAttributeType{custom("tenant", types.AttributeDataTypeString), custom("tenant", types.AttributeDataTypeNumber)}
		}, "InvalidParameterException", "Duplicate custom attribute names custom:tenant are not allowed in a user pool schema."},
		{"retyped standard attribute", func(in *cip.CreateUserPoolInput) {
			in.Schema = []types.SchemaAttributeType{custom("email", types.AttributeDataTypeNumber)}
		}, "InvalidParameterException", "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email"},
		{"developer-only standard attribute", func(in *cip.CreateUserPoolInput) {
			in.Schema = []types.SchemaAttributeType{{Name: aws.String("email"), DeveloperOnlyAttribute: aws.Bool(true)}}
		}, "InvalidParameterException", "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email"},
		{"mutable sub", func(in *cip.CreateUserPoolInput) {
			in.Schema = []types.SchemaAttributeType{{Name: aws.String("sub"), Mutable: aws.Bool(true)}}
		}, "InvalidParameterException", "The standard attribute sub cannot be made mutable."},
		{"string max below min", func(in *cip.CreateUserPoolInput) {
			a := custom("tenant", types.AttributeDataTypeString)
			a.StringAttributeConstraints = &types.StringAttributeConstraintsType{MinLength: aws.String("10"), MaxLength: aws.String("5")}
			in.Schema = []types.SchemaAttributeType{a}
		}, "InvalidParameterException", "Attribute custom:tenant cannot have a max length shorter than it's min length"},
		{"string too long", func(in *cip.CreateUserPoolInput) {
			a := custom("tenant", types.AttributeDataTypeString)
			a.StringAttributeConstraints = &types.StringAttributeConstraintsType{MaxLength: aws.String("4096")}
			in.Schema = []types.SchemaAttributeType{a}
		}, "InvalidParameterException", "user.custom:tenant: String attributes cannot have a length of more than 2048"},
		{"string constraint not a number", func(in *cip.CreateUserPoolInput) {
			a := custom("tenant", types.AttributeDataTypeString)
			a.StringAttributeConstraints = &types.StringAttributeConstraintsType{MinLength: aws.String("one")}
			in.Schema = []types.SchemaAttributeType{a}
		}, "InvalidParameterException", "Invalid StringAttributeConstraints for schema attribute custom:tenant"},
		{"number max below min", func(in *cip.CreateUserPoolInput) {
			a := custom("score", types.AttributeDataTypeNumber)
			a.NumberAttributeConstraints = &types.NumberAttributeConstraintsType{MinValue: aws.String("10"), MaxValue: aws.String("1")}
			in.Schema = []types.SchemaAttributeType{a}
		}, "InvalidParameterException", "Attribute custom:score cannot have a max value smaller than it's min value"},
		{"number constraint not a number", func(in *cip.CreateUserPoolInput) {
			a := custom("score", types.AttributeDataTypeNumber)
			a.NumberAttributeConstraints = &types.NumberAttributeConstraintsType{MaxValue: aws.String("lots")}
			in.Schema = []types.SchemaAttributeType{a}
		}, "InvalidParameterException", "Invalid NumberAttributeConstraints for schema attribute custom:score"},
		{"custom attribute name too long", func(in *cip.CreateUserPoolInput) {
			in.Schema = []types.SchemaAttributeType{custom(strings.Repeat("a", 21), types.AttributeDataTypeString)}
		}, "InvalidParameterException", "1 validation error detected: Value '" + strings.Repeat("a", 21) +
			"' at 'schema.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 20"},
		{"sign-in policy without password", func(in *cip.CreateUserPoolInput) {
			in.Policies = &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
				AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypeEmailOtp},
			}}
		}, "InvalidParameterException", "Password should be configured as one of the allowed first auth factors."},
		{"two temporary password validities", func(in *cip.CreateUserPoolInput) {
			in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{TemporaryPasswordValidityDays: 5}}
			in.AdminCreateUserConfig = &types.AdminCreateUserConfigType{UnusedAccountValidityDays: 9}
		}, "InvalidParameterException", "Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays"},
		{"verification before update not auto-verified", func(in *cip.CreateUserPoolInput) {
			in.UserAttributeUpdateSettings = &types.UserAttributeUpdateSettingsType{
				AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
			}
		}, "InvalidParameterException", "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes"},
		{"password too short", func(in *cip.CreateUserPoolInput) {
			in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(5)}}
		}, "InvalidParameterException", "1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6"},
		{"too many tags", func(in *cip.CreateUserPoolInput) { in.UserPoolTags = many },
			"UserPoolTaggingException", "A user pool can have at most 50 tags."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &cip.CreateUserPoolInput{PoolName: aws.String("bad")}
			tt.mutate(in)
			_, err := e.Client.CreateUserPool(e.ctx(), in)
			wantAPIError(t, err, tt.typ, tt.message)
		})
	}
	out, err := e.Client.ListUserPools(e.ctx(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.UserPools) != 0 {
		t.Errorf("refused requests created %d pools", len(out.UserPools))
	}
}

func TestCreateUserPoolBadName(t *testing.T) {
	e := newEnv(t)
	status, _, body := e.raw("CreateUserPool", `{}`)
	poolsWantRawError(t, status, body, "InvalidParameterException",
		"1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null")
	_, err := e.Client.CreateUserPool(e.ctx(), &cip.CreateUserPoolInput{PoolName: aws.String("bad name!")})
	wantAPIError(t, err, "InvalidParameterException",
		`1 validation error detected: Value 'bad name!' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+`)
}

func TestCreateUserPoolTimestamps(t *testing.T) {
	e := newEnv(t)
	first := createTestPool(t, e, nil)
	e.Clock.Advance(90 * time.Second)
	second := createTestPool(t, e, nil)
	a, b := poolsDescribe(t, e, first), poolsDescribe(t, e, second)
	if got := aws.ToTime(b.CreationDate).Sub(aws.ToTime(a.CreationDate)); got != 90*time.Second {
		t.Errorf("creation dates %v apart, want 90s", got)
	}
	if first == second {
		t.Errorf("two pools got the same id %s", first)
	}
}
