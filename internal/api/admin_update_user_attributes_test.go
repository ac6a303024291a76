package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// usersUpdatePool has a required attribute, an immutable custom one and
// email and preferred_username aliases.
func usersUpdatePool(t *testing.T, e *env) string {
	t.Helper()
	return createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePreferredUsername}
		in.Schema = []types.SchemaAttributeType{
			{Name: aws.String("name"), Required: aws.Bool(true), Mutable: aws.Bool(true)},
			{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(false)},
		}
	})
}

func usersUpdate(e *env, pool, username string, attrs ...string) error {
	_, err := e.Client.AdminUpdateUserAttributes(e.ctx(), &cip.AdminUpdateUserAttributesInput{
		UserPoolId: aws.String(pool), Username: aws.String(username), UserAttributes: usersAttrs(attrs...),
	})
	return err
}

func TestAdminUpdateUserAttributes(t *testing.T) {
	e := newEnv(t)
	pool := usersUpdatePool(t, e)
	created := usersCreate(t, e, pool, "xena", "name", "Xena", "email", "xena@example.com", "email_verified", "true", "custom:tenant", "t1")
	sub := usersAttrMap(created.Attributes)["sub"]

	e.Clock.Advance(time.Minute)
	if err := usersUpdate(e, pool, "xena", "name", "Xena W.", "nickname", "X", "email", "xw@example.com"); err != nil {
		t.Fatal(err)
	}
	got := usersGet(t, e, pool, "xena")
	// In place, then appended; the new address is unverified.
	want := usersAttrs("sub", sub, "name", "Xena W.", "email", "xw@example.com", "email_verified", "false", "custom:tenant", "t1", "nickname", "X")
	if diff := cmp.Diff(want, got.UserAttributes, usersIgnoreSerde); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if want := usersNow(e); !got.UserLastModifiedDate.Equal(want) {
		t.Errorf("UserLastModifiedDate = %v, want %v", got.UserLastModifiedDate, want)
	}
	// An unverified address is no alias: neither the old nor the new one finds her.
	wantAPIError(t, usersGetErr(e, pool, "xena@example.com"), "UserNotFoundException", "User does not exist.")
	wantAPIError(t, usersGetErr(e, pool, "xw@example.com"), "UserNotFoundException", "User does not exist.")

	// Verifying it makes it her alias; a blank value deletes an attribute.
	if err := usersUpdate(e, pool, "xena", "email_verified", "true", "nickname", ""); err != nil {
		t.Fatal(err)
	}
	got = usersGet(t, e, pool, "xw@example.com")
	if aws.ToString(got.Username) != "xena" {
		t.Errorf("alias finds %s", aws.ToString(got.Username))
	}
	if _, ok := usersAttrMap(got.UserAttributes)["nickname"]; ok {
		t.Error("a blank value did not delete nickname")
	}
	// A new address said to be verified stays verified, and the same
	// immutable value may be sent again.
	if err := usersUpdate(e, pool, "xena", "email", "x@example.com", "email_verified", "true", "custom:tenant", "t1"); err != nil {
		t.Fatal(err)
	}
	if got := usersAttrMap(usersGet(t, e, pool, "x@example.com").UserAttributes); got["email_verified"] != "true" {
		t.Errorf("email_verified = %q", got["email_verified"])
	}
	// An immutable attribute the user lacks can be set once.
	usersCreate(t, e, pool, "yuri", "name", "Yuri")
	if err := usersUpdate(e, pool, "yuri", "custom:tenant", "t2"); err != nil {
		t.Fatal(err)
	}
}

func TestAdminUpdateUserAttributesErrors(t *testing.T) {
	e := newEnv(t)
	pool := usersUpdatePool(t, e)
	usersCreate(t, e, pool, "zoe", "name", "Zoe", "email", "zoe@example.com", "email_verified", "true", "preferred_username", "zz", "custom:tenant", "t1")
	usersCreate(t, e, pool, "abe", "name", "Abe")
	tests := []struct {
		name, pool, user string
		attrs            []string
		typ, msg         string
	}{
		{"unknown attribute", pool, "abe", []string{"custom:nope", "1"}, "InvalidParameterException", "user.custom:nope: Attribute does not exist in the schema."},
		{"immutable", pool, "zoe", []string{"custom:tenant", "t2"}, "InvalidParameterException", "user.custom:tenant: Attribute cannot be updated. (changing an immutable attribute)"},
		{"sub", pool, "zoe", []string{"sub", "x"}, "InvalidParameterException", "user.sub: Attribute cannot be updated. (changing an immutable attribute)"},
		{"required blanked", pool, "zoe", []string{"name", ""}, "InvalidParameterException", "user.name: The attribute is required"},
		{"email format", pool, "abe", []string{"email", "abe"}, "InvalidParameterException", "Invalid email address format."},
		{"verified without email", pool, "abe", []string{"email_verified", "true"}, "InvalidParameterException", "Email is required to verify/un-verify an email"},
		{"verified alias taken", pool, "abe", []string{"email", "zoe@example.com", "email_verified", "true"}, "AliasExistsException", "An account with the given email already exists."},
		{"preferred_username taken", pool, "abe", []string{"preferred_username", "zz"}, "AliasExistsException", "An account with the given preferred_username already exists."},
		{"no user", pool, "nobody", []string{"name", "n"}, "UserNotFoundException", "User does not exist."},
		{"no pool", usersUnknownPool, "abe", []string{"name", "n"}, "ResourceNotFoundException", "User pool " + usersUnknownPool + " does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantAPIError(t, usersUpdate(e, tt.pool, tt.user, tt.attrs...), tt.typ, tt.msg)
		})
	}
	// Refused updates changed nothing; an unverified copy of a taken
	// address is allowed.
	if got := usersAttrMap(usersGet(t, e, pool, "abe").UserAttributes); len(got) != 2 {
		t.Errorf("abe's attributes = %v", got)
	}
	if err := usersUpdate(e, pool, "abe", "email", "zoe@example.com"); err != nil {
		t.Fatal(err)
	}
	if got := usersGet(t, e, pool, "zoe@example.com"); aws.ToString(got.Username) != "zoe" {
		t.Errorf("alias moved to %s", aws.ToString(got.Username))
	}
}

func TestAdminUpdateUserAttributesUsernameAttributes(t *testing.T) {
	e := newEnv(t)
	pool := usersEmailPool(t, e)
	usersCreate(t, e, pool, "ann@example.com")
	usersCreate(t, e, pool, "bea@example.com")
	// The email is a sign-in identifier here, verified or not.
	err := usersUpdate(e, pool, "bea@example.com", "email", "ann@example.com")
	wantAPIError(t, err, "AliasExistsException", "An account with the given email already exists.")
	if err := usersUpdate(e, pool, "bea@example.com", "email", "bee@example.com"); err != nil {
		t.Fatal(err)
	}
	if got := usersAttrMap(usersGet(t, e, pool, "bee@example.com").UserAttributes); got["email"] != "bee@example.com" {
		t.Errorf("email = %q", got["email"])
	}
	wantAPIError(t, usersGetErr(e, pool, "bea@example.com"), "UserNotFoundException", "User does not exist.")
}
