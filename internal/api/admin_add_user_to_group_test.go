package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

func usersAddToGroup(e *env, pool, username, group string) error {
	_, err := e.Client.AdminAddUserToGroup(e.ctx(), &cip.AdminAddUserToGroupInput{
		UserPoolId: aws.String(pool), Username: aws.String(username), GroupName: aws.String(group),
	})
	return err
}

// usersGroupsOf lists the names of the user's groups.
func usersGroupsOf(t *testing.T, e *env, pool, username string) []string {
	t.Helper()
	out, err := e.Client.AdminListGroupsForUser(e.ctx(), &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String(username)})
	if err != nil {
		t.Fatalf("AdminListGroupsForUser(%s): %v", username, err)
	}
	names := []string{}
	for _, g := range out.Groups {
		names = append(names, aws.ToString(g.GroupName))
	}
	return names
}

func TestAdminAddUserToGroup(t *testing.T) {
	e := newEnv(t)
	pool := usersEmailPool(t, e)
	usersCreate(t, e, pool, "ike@example.com")
	resCreateGroup(t, e, pool, "admins")
	if err := usersAddToGroup(e, pool, "ike@example.com", "admins"); err != nil {
		t.Fatal(err)
	}
	// Adding a member again is not an error.
	if err := usersAddToGroup(e, pool, "ike@example.com", "admins"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"admins"}, usersGroupsOf(t, e, pool, "ike@example.com")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	wantAPIError(t, usersAddToGroup(e, pool, "ike@example.com", "nogroup"), "ResourceNotFoundException", "Group not found.")
	wantAPIError(t, usersAddToGroup(e, pool, "nobody@example.com", "admins"), "UserNotFoundException", "User does not exist.")
	// The group is checked first.
	wantAPIError(t, usersAddToGroup(e, pool, "nobody@example.com", "nogroup"), "ResourceNotFoundException", "Group not found.")
	wantAPIError(t, usersAddToGroup(e, usersUnknownPool, "ike@example.com", "admins"), "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
}
