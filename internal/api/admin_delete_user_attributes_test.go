package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

func usersDeleteAttrs(e *env, pool, username string, names ...string) error {
	_, err := e.Client.AdminDeleteUserAttributes(e.ctx(), &cip.AdminDeleteUserAttributesInput{
		UserPoolId: aws.String(pool), Username: aws.String(username), UserAttributeNames: names,
	})
	return err
}

func TestAdminDeleteUserAttributes(t *testing.T) {
	e := newEnv(t)
	pool := usersUpdatePool(t, e)
	created := usersCreate(t, e, pool, "cal", "name", "Cal", "email", "cal@example.com", "email_verified", "true", "nickname", "C", "custom:tenant", "t1")
	sub := usersAttrMap(created.Attributes)["sub"]
	if err := usersDeleteAttrs(e, pool, "cal@example.com", "email", "nickname", "given_name"); err != nil {
		t.Fatal(err)
	}
	got := usersGet(t, e, pool, "cal")
	want := usersAttrs("sub", sub, "name", "Cal", "custom:tenant", "t1")
	if diff := cmp.Diff(want, got.UserAttributes, usersIgnoreSerde); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The deleted address is no longer an alias.
	wantAPIError(t, usersGetErr(e, pool, "cal@example.com"), "UserNotFoundException", "User does not exist.")
}

func TestAdminDeleteUserAttributesErrors(t *testing.T) {
	e := newEnv(t)
	pool := usersUpdatePool(t, e)
	usersCreate(t, e, pool, "dee", "name", "Dee", "custom:tenant", "t1")
	tests := []struct {
		name, pool, user string
		names            []string
		typ, msg         string
	}{
		{"required", pool, "dee", []string{"name"}, "InvalidParameterException", "user.name: Required attribute cannot be deleted."},
		{"sub", pool, "dee", []string{"sub"}, "InvalidParameterException", "user.sub: Required attribute cannot be deleted."},
		{"immutable", pool, "dee", []string{"custom:tenant"}, "InvalidParameterException", "user.custom:tenant: Attribute cannot be updated. (changing an immutable attribute)"},
		{"unknown", pool, "dee", []string{"custom:nope"}, "InvalidParameterException", "user.custom:nope: Attribute does not exist in the schema."},
		{"no user", pool, "nobody", []string{"nickname"}, "UserNotFoundException", "User does not exist."},
		{"no pool", usersUnknownPool, "dee", []string{"nickname"}, "ResourceNotFoundException", "User pool " + usersUnknownPool + " does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantAPIError(t, usersDeleteAttrs(e, tt.pool, tt.user, tt.names...), tt.typ, tt.msg)
		})
	}
	if got := usersAttrMap(usersGet(t, e, pool, "dee").UserAttributes); got["name"] != "Dee" || got["custom:tenant"] != "t1" {
		t.Errorf("refused deletions changed attributes: %v", got)
	}
}
