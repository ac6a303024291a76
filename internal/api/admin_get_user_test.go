package api_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestAdminGetUser(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	created := usersCreate(t, e, pool, "olga", "name", "Olga", "email", "olga@example.com")
	got := usersGet(t, e, pool, "olga")
	want := &cip.AdminGetUserOutput{
		Username:             created.Username,
		UserAttributes:       created.Attributes,
		UserCreateDate:       created.UserCreateDate,
		UserLastModifiedDate: created.UserLastModifiedDate,
		Enabled:              true,
		UserStatus:           types.UserStatusTypeForceChangePassword,
	}
	if diff := cmp.Diff(want, got, usersIgnoreSerde, cmpopts.IgnoreUnexported(cip.AdminGetUserOutput{}),
		cmpopts.IgnoreFields(cip.AdminGetUserOutput{}, "ResultMetadata")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got.MFAOptions != nil || got.UserMFASettingList != nil || got.PreferredMfaSetting != nil {
		t.Errorf("MFA members present: %v %v %v", got.MFAOptions, got.UserMFASettingList, got.PreferredMfaSetting)
	}

	// The sub is accepted wherever a Username is.
	sub := usersAttrMap(created.Attributes)["sub"]
	if got := usersGet(t, e, pool, sub); aws.ToString(got.Username) != "olga" {
		t.Errorf("by sub: %s", aws.ToString(got.Username))
	}
	if got := usersGet(t, e, pool, strings.ToUpper(sub)); aws.ToString(got.Username) != "olga" {
		t.Errorf("by upper-case sub: %s", aws.ToString(got.Username))
	}
	// Without aliases an email is not a way to name the user.
	wantAPIError(t, usersGetErr(e, pool, "olga@example.com"), "UserNotFoundException", "User does not exist.")
}

func TestAdminGetUserErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	wantAPIError(t, usersGetErr(e, pool, "nobody"), "UserNotFoundException", "User does not exist.")
	wantAPIError(t, usersGetErr(e, usersUnknownPool, "nobody"), "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
	// The SDK will not send a request without Username; the server refuses one.
	status, _, body := e.raw("AdminGetUser", `{"UserPoolId":"`+pool+`"}`)
	if status != 400 || body["__type"] != "InvalidParameterException" ||
		body["message"] != "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null" {
		t.Errorf("got %d %v", status, body)
	}
}

func TestAdminGetUserCaseInsensitive(t *testing.T) {
	e := newEnv(t)
	pool := usersCaseInsensitivePool(t, e)
	usersCreate(t, e, pool, "Pat")
	for _, name := range []string{"Pat", "pat", "PAT"} {
		if got := usersGet(t, e, pool, name); aws.ToString(got.Username) != "Pat" {
			t.Errorf("AdminGetUser(%s) = %s, want Pat", name, aws.ToString(got.Username))
		}
	}
}
