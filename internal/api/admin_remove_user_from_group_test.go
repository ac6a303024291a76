package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

func TestAdminRemoveUserFromGroup(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	usersCreate(t, e, pool, "jo")
	resCreateGroup(t, e, pool, "a")
	resCreateGroup(t, e, pool, "b")
	for _, g := range []string{"a", "b"} {
		if err := usersAddToGroup(e, pool, "jo", g); err != nil {
			t.Fatal(err)
		}
	}
	remove := func(pool, username, group string) error {
		_, err := e.Client.AdminRemoveUserFromGroup(e.ctx(), &cip.AdminRemoveUserFromGroupInput{
			UserPoolId: aws.String(pool), Username: aws.String(username), GroupName: aws.String(group),
		})
		return err
	}
	if err := remove(pool, "jo", "a"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"b"}, usersGroupsOf(t, e, pool, "jo")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Removing a non-member is not an error.
	if err := remove(pool, "jo", "a"); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, remove(pool, "jo", "nogroup"), "ResourceNotFoundException", "Group not found.")
	wantAPIError(t, remove(pool, "nobody", "b"), "UserNotFoundException", "User does not exist.")
	wantAPIError(t, remove(usersUnknownPool, "jo", "b"), "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
}
