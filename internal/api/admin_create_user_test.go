package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func TestAdminCreateUser(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	in := usersCreateInput(pool, "alice", "email", "alice@example.com", "given_name", "Alice", "email_verified", "True")
	in.DesiredDeliveryMediums = []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}
	in.ClientMetadata = map[string]string{"k": "v"}
	out, err := e.Client.AdminCreateUser(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	u := out.User
	if len(u.Attributes) == 0 || aws.ToString(u.Attributes[0].Name) != "sub" || !usersUUID.MatchString(aws.ToString(u.Attributes[0].Value)) {
		t.Fatalf("first attribute = %v, want a UUID sub", u.Attributes)
	}
	now := usersNow(e)
	want := &types.UserType{
		Username:             aws.String("alice"),
		Attributes:           append(u.Attributes[:1:1], usersAttrs("email", "alice@example.com", "given_name", "Alice", "email_verified", "true")...),
		UserCreateDate:       &now,
		UserLastModifiedDate: &now,
		Enabled:              true,
		UserStatus:           types.UserStatusTypeForceChangePassword,
	}
	if diff := cmp.Diff(want, u, usersIgnoreSerde); diff != "" {
		t.Errorf("User (-want +got):\n%s", diff)
	}

	got := usersGet(t, e, pool, "alice")
	if diff := cmp.Diff(want.Attributes, got.UserAttributes, usersIgnoreSerde); diff != "" {
		t.Errorf("AdminGetUser attributes (-want +got):\n%s", diff)
	}

	// Every user gets a sub of their own.
	bob := usersCreate(t, e, pool, "bob")
	if usersAttrMap(bob.Attributes)["sub"] == usersAttrMap(u.Attributes)["sub"] {
		t.Error("two users share a sub")
	}
	if diff := cmp.Diff([]string{"sub"}, usersAttrNames(bob.Attributes)); diff != "" {
		t.Errorf("attributes of a user created without any (-want +got):\n%s", diff)
	}
}

func TestAdminCreateUserGeneratesTemporaryPassword(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(30), RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true,
		}}
	})
	out, err := e.Client.AdminCreateUser(e.ctx(), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String("carol"), MessageAction: types.MessageActionTypeSuppress,
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.User.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Errorf("status = %s", out.User.UserStatus)
	}
}

func TestAdminCreateUserErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{
			{Name: aws.String("family_name"), Required: aws.Bool(true), Mutable: aws.Bool(true)},
			{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString,
				StringAttributeConstraints: &types.StringAttributeConstraintsType{MaxLength: aws.String("5")}},
			{Name: aws.String("age"), AttributeDataType: types.AttributeDataTypeNumber,
				NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("0"), MaxValue: aws.String("150")}},
		}
	})
	usersCreate(t, e, pool, "taken", "family_name", "T")

	const schema = "Attributes did not conform to the schema: "
	tests := []struct {
		name string
		in   *cip.AdminCreateUserInput
		typ  string
		msg  string
	}{
		{"unknown pool", usersCreateInput(usersUnknownPool, "x"), "ResourceNotFoundException", "User pool " + usersUnknownPool + " does not exist."},
		{"duplicate", usersCreateInput(pool, "taken", "family_name", "T"), "UsernameExistsException", "User account already exists"},
		{"unknown attribute", usersCreateInput(pool, "u1", "family_name", "F", "custom:nope", "1"), "InvalidParameterException",
			schema + "custom:nope: Attribute does not exist in the schema.\n"},
		{"custom attribute without its prefix", usersCreateInput(pool, "u1", "family_name", "F", "plan", "pro"), "InvalidParameterException",
			schema + "plan: Attribute does not exist in the schema.\n"},
		{"required attribute missing", usersCreateInput(pool, "u1", "given_name", "G"), "InvalidParameterException",
			schema + "family_name: The attribute is required\n"},
		{"sub is the server's", usersCreateInput(pool, "u1", "family_name", "F", "sub", "mine"), "InvalidParameterException",
			schema + "sub: Attribute cannot be updated. (changing an immutable attribute)\n"},
		{"string constraint", usersCreateInput(pool, "u1", "family_name", "F", "custom:plan", "enterprise"), "InvalidParameterException",
			schema + "custom:plan: Value must be at most 5 characters long.\n"},
		{"number constraint", usersCreateInput(pool, "u1", "family_name", "F", "custom:age", "200"), "InvalidParameterException",
			schema + "custom:age: Value must be at most 150.\n"},
		{"not a number", usersCreateInput(pool, "u1", "family_name", "F", "custom:age", "old"), "InvalidParameterException",
			schema + "custom:age: Value must be a number.\n"},
		{"boolean", usersCreateInput(pool, "u1", "family_name", "F", "email", "a@b.c", "email_verified", "yes"), "InvalidParameterException",
			schema + "email_verified: Value must be true or false.\n"},
		{"email format", usersCreateInput(pool, "u1", "family_name", "F", "email", "not-an-email"), "InvalidParameterException", "Invalid email address format."},
		{"phone format", usersCreateInput(pool, "u1", "family_name", "F", "phone_number", "555-1234"), "InvalidParameterException", "Invalid phone number format."},
		{"verified without email", usersCreateInput(pool, "u1", "family_name", "F", "email_verified", "true"), "InvalidParameterException",
			"Email is required to verify/un-verify an email"},
		{"verified without phone", usersCreateInput(pool, "u1", "family_name", "F", "phone_number_verified", "true"), "InvalidParameterException",
			"Phone Number is required to verify/un-verify a phone number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Client.AdminCreateUser(e.ctx(), tt.in)
			wantAPIError(t, err, tt.typ, tt.msg)
		})
	}
	// Nothing was created by the refused requests.
	if _, err := e.Client.AdminGetUser(e.ctx(), &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("u1")}); err == nil {
		t.Error("a refused AdminCreateUser created its user")
	}
}

func TestAdminCreateUserTemporaryPasswordPolicy(t *testing.T) {
	e := newEnv(t)
	def := createTestPool(t, e, nil)
	lax := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(6)}}
	})
	tests := []struct {
		pool, pw, msg string
	}{
		{def, "Sh0rt!", "Password did not conform with policy: Password not long enough"},
		{def, "PASSW0RD!", "Password did not conform with policy: Password must have lowercase characters"},
		{def, "passw0rd!", "Password did not conform with policy: Password must have uppercase characters"},
		{def, "Password!", "Password did not conform with policy: Password must have numeric characters"},
		{def, "Passw0rdd", "Password did not conform with policy: Password must have symbol characters"},
		{lax, "abcde", "Password did not conform with policy: Password not long enough"},
	}
	for _, tt := range tests {
		in := usersCreateInput(tt.pool, "dave")
		in.TemporaryPassword = aws.String(tt.pw)
		_, err := e.Client.AdminCreateUser(e.ctx(), in)
		wantAPIError(t, err, "InvalidPasswordException", tt.msg)
	}
	in := usersCreateInput(lax, "dave")
	in.TemporaryPassword = aws.String("abcdef")
	if _, err := e.Client.AdminCreateUser(e.ctx(), in); err != nil {
		t.Errorf("a password within the pool's own policy was refused: %v", err)
	}
}

func TestAdminCreateUserCaseSensitivity(t *testing.T) {
	e := newEnv(t)
	// Pools created through the API without UsernameConfiguration are
	// case-sensitive: Bob and bob are two users.
	sensitive := createTestPool(t, e, nil)
	usersCreate(t, e, sensitive, "Bob")
	usersCreate(t, e, sensitive, "bob")
	wantAPIError(t, usersGetErr(e, sensitive, "BOB"), "UserNotFoundException", "User does not exist.")

	insensitive := usersCaseInsensitivePool(t, e)
	created := usersCreate(t, e, insensitive, "Bob")
	_, err := e.Client.AdminCreateUser(e.ctx(), usersCreateInput(insensitive, "bOB"))
	wantAPIError(t, err, "UsernameExistsException", "User account already exists")
	// The username keeps the case it was created with.
	if got := usersGet(t, e, insensitive, "BOB"); aws.ToString(got.Username) != aws.ToString(created.Username) {
		t.Errorf("Username = %q, want %q", aws.ToString(got.Username), aws.ToString(created.Username))
	}
}

func TestAdminCreateUserUsernameAttributes(t *testing.T) {
	e := newEnv(t)
	pool := usersEmailPool(t, e)
	u := usersCreate(t, e, pool, "erin@example.com", "given_name", "Erin")
	attrs := usersAttrMap(u.Attributes)
	if got := aws.ToString(u.Username); !usersUUID.MatchString(got) || got != attrs["sub"] {
		t.Errorf("Username = %q, want the sub %q", got, attrs["sub"])
	}
	if attrs["email"] != "erin@example.com" {
		t.Errorf("email = %q, want the username given", attrs["email"])
	}
	// The user is found by the email, the sub and the internal username.
	for _, name := range []string{"erin@example.com", attrs["sub"]} {
		if got := usersGet(t, e, pool, name); aws.ToString(got.Username) != aws.ToString(u.Username) {
			t.Errorf("AdminGetUser(%s) = %s", name, aws.ToString(got.Username))
		}
	}

	phone := usersCreate(t, e, pool, "+15551234567")
	if usersAttrMap(phone.Attributes)["phone_number"] != "+15551234567" {
		t.Errorf("phone user attributes = %v", phone.Attributes)
	}
	if got := usersGet(t, e, pool, "+15551234567"); aws.ToString(got.Username) != aws.ToString(phone.Username) {
		t.Error("phone user not found by phone number")
	}

	_, err := e.Client.AdminCreateUser(e.ctx(), usersCreateInput(pool, "erin@example.com"))
	wantAPIError(t, err, "UsernameExistsException", "An account with the given email already exists.")
	_, err = e.Client.AdminCreateUser(e.ctx(), usersCreateInput(pool, "+15551234567"))
	wantAPIError(t, err, "UsernameExistsException", "An account with the given phone_number already exists.")
	// Unverified, the email is still taken: it is a username here.
	_, err = e.Client.AdminCreateUser(e.ctx(), usersCreateInput(pool, "+15550000000", "email", "erin@example.com"))
	wantAPIError(t, err, "UsernameExistsException", "An account with the given email already exists.")

	_, err = e.Client.AdminCreateUser(e.ctx(), usersCreateInput(pool, "frank"))
	wantAPIError(t, err, "InvalidParameterException", "Username should be either an email or a phone number.")

	emailOnly := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
	})
	_, err = e.Client.AdminCreateUser(e.ctx(), usersCreateInput(emailOnly, "+15551234567"))
	wantAPIError(t, err, "InvalidParameterException", "Username should be an email.")
	phoneOnly := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypePhoneNumber}
	})
	_, err = e.Client.AdminCreateUser(e.ctx(), usersCreateInput(phoneOnly, "erin@example.com"))
	wantAPIError(t, err, "InvalidParameterException", "Username should be a phone number.")
}

func TestAdminCreateUserAliases(t *testing.T) {
	e := newEnv(t)
	pool := usersAliasPool(t, e)
	_, err := e.Client.AdminCreateUser(e.ctx(), usersCreateInput(pool, "gina@example.com"))
	wantAPIError(t, err, "InvalidParameterException", "Username cannot be of email format, since user pool is configured for email alias.")
	_, err = e.Client.AdminCreateUser(e.ctx(), usersCreateInput(pool, "+15551234567"))
	wantAPIError(t, err, "InvalidParameterException", "Username cannot be of phone number format, since user pool is configured for phone number alias.")

	usersCreate(t, e, pool, "gina", "email", "gina@example.com", "email_verified", "true", "preferred_username", "gigi")
	if got := usersGet(t, e, pool, "gina@example.com"); aws.ToString(got.Username) != "gina" {
		t.Errorf("verified email alias finds %s", aws.ToString(got.Username))
	}
	if got := usersGet(t, e, pool, "gigi"); aws.ToString(got.Username) != "gina" {
		t.Errorf("preferred_username alias finds %s", aws.ToString(got.Username))
	}

	// An unverified address is no alias, so another user may have it.
	usersCreate(t, e, pool, "hal", "email", "gina@example.com")
	if got := usersGet(t, e, pool, "gina@example.com"); aws.ToString(got.Username) != "gina" {
		t.Errorf("email alias now finds %s", aws.ToString(got.Username))
	}
	usersCreate(t, e, pool, "ivy", "email", "ivy@example.com")
	wantAPIError(t, usersGetErr(e, pool, "ivy@example.com"), "UserNotFoundException", "User does not exist.")

	// A verified one is taken...
	_, err = e.Client.AdminCreateUser(e.ctx(), usersCreateInput(pool, "jay", "email", "gina@example.com", "email_verified", "true"))
	wantAPIError(t, err, "AliasExistsException", "An account with the given email already exists.")
	_, err = e.Client.AdminCreateUser(e.ctx(), usersCreateInput(pool, "jay", "preferred_username", "gigi"))
	wantAPIError(t, err, "AliasExistsException", "An account with the given preferred_username already exists.")

	// ...unless ForceAliasCreation moves it: the previous holder keeps
	// the address, unverified.
	in := usersCreateInput(pool, "jay", "email", "gina@example.com", "email_verified", "true")
	in.ForceAliasCreation = true
	if _, err := e.Client.AdminCreateUser(e.ctx(), in); err != nil {
		t.Fatal(err)
	}
	if got := usersGet(t, e, pool, "gina@example.com"); aws.ToString(got.Username) != "jay" {
		t.Errorf("after ForceAliasCreation the alias finds %s, want jay", aws.ToString(got.Username))
	}
	gina := usersAttrMap(usersGet(t, e, pool, "gina").UserAttributes)
	if gina["email"] != "gina@example.com" || gina["email_verified"] != "false" {
		t.Errorf("previous holder: email %q verified %q, want the address kept unverified", gina["email"], gina["email_verified"])
	}
	// preferred_username never moves.
	in = usersCreateInput(pool, "kim", "preferred_username", "gigi")
	in.ForceAliasCreation = true
	_, err = e.Client.AdminCreateUser(e.ctx(), in)
	wantAPIError(t, err, "AliasExistsException", "An account with the given preferred_username already exists.")
}

func TestAdminCreateUserCaseInsensitiveAliases(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.UsernameConfiguration = &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
	})
	usersCreate(t, e, pool, "lee", "email", "Lee@Example.com", "email_verified", "true")
	if got := usersGet(t, e, pool, "LEE@example.COM"); aws.ToString(got.Username) != "lee" {
		t.Errorf("alias lookup in a case-insensitive pool finds %s", aws.ToString(got.Username))
	}
	_, err := e.Client.AdminCreateUser(e.ctx(), usersCreateInput(pool, "max", "email", "lee@example.com", "email_verified", "true"))
	wantAPIError(t, err, "AliasExistsException", "An account with the given email already exists.")
}

func TestAdminCreateUserResend(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resend := func(username string) (*cip.AdminCreateUserOutput, error) {
		return e.Client.AdminCreateUser(e.ctx(), &cip.AdminCreateUserInput{
			UserPoolId: aws.String(pool), Username: aws.String(username), MessageAction: types.MessageActionTypeResend,
			TemporaryPassword: aws.String("Another-Passw0rd!"),
		})
	}
	_, err := resend("nobody")
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")

	created := usersCreate(t, e, pool, "nina", "given_name", "Nina")
	e.Clock.Advance(time.Hour)
	out, err := resend("nina")
	if err != nil {
		t.Fatal(err)
	}
	later := usersNow(e)
	want := *created
	want.UserLastModifiedDate = &later
	if diff := cmp.Diff(&want, out.User, usersIgnoreSerde); diff != "" {
		t.Errorf("resent user (-want +got):\n%s", diff)
	}

	in := usersCreateInput(pool, "nina")
	in.MessageAction = types.MessageActionTypeResend
	in.TemporaryPassword = aws.String("weak")
	_, err = e.Client.AdminCreateUser(e.ctx(), in)
	wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with policy: Password not long enough")

	usersConfirm(t, e, pool, "nina")
	_, err = resend("nina")
	wantAPIError(t, err, "UnsupportedUserStateException", "The invitation can only be resent to a user in FORCE_CHANGE_PASSWORD status.")
}

func TestAdminCreateUserModelValidation(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	status, _, body := e.raw("AdminCreateUser", `{"UserPoolId":"`+pool+`","Username":"x","MessageAction":"SHOUT"}`)
	if status != 400 || body["__type"] != "InvalidParameterException" || !strings.Contains(body["message"].(string), "messageAction") {
		t.Errorf("got %d %v", status, body)
	}
}
