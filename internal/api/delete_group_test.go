package api_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func TestDeleteGroup(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateGroup(t, e, pool, "temp")
	resCreateGroup(t, e, pool, "stays")
	// The action has no output members: the body is {}.
	status, _, body := e.raw("DeleteGroup", `{"UserPoolId":"`+pool+`","GroupName":"temp"}`)
	if status != http.StatusOK {
		t.Fatalf("status %d, body %v", status, body)
	}
	if diff := cmp.Diff(map[string]any{}, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	_, err := e.Client.GetGroup(e.ctx(), &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("temp")})
	wantAPIError(t, err, "ResourceNotFoundException", "Group not found.")
	list, err := e.Client.ListGroups(e.ctx(), &cip.ListGroupsInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Groups) != 1 || aws.ToString(list.Groups[0].GroupName) != "stays" {
		t.Errorf("groups after delete: %+v", list.Groups)
	}
	// The name can be used again.
	resCreateGroup(t, e, pool, "temp")
}

// Deleting a group ends its memberships: the members stay in the pool, and
// a new group of the same name starts empty.
func TestDeleteGroupRemovesMemberships(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateGroup(t, e, pool, "members")
	resCreateGroup(t, e, pool, "other")
	if _, err := e.Client.AdminCreateUser(e.ctx(), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), MessageAction: types.MessageActionTypeSuppress,
	}); err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"members", "other"} {
		if _, err := e.Client.AdminAddUserToGroup(e.ctx(), &cip.AdminAddUserToGroupInput{
			UserPoolId: aws.String(pool), Username: aws.String("alice"), GroupName: aws.String(g),
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Client.DeleteGroup(e.ctx(), &cip.DeleteGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("members")}); err != nil {
		t.Fatal(err)
	}
	groups, err := e.Client.AdminListGroupsForUser(e.ctx(), &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups.Groups) != 1 || aws.ToString(groups.Groups[0].GroupName) != "other" {
		t.Errorf("alice's groups after the delete: %+v", groups.Groups)
	}
	resCreateGroup(t, e, pool, "members")
	users, err := e.Client.ListUsersInGroup(e.ctx(), &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("members")})
	if err != nil {
		t.Fatal(err)
	}
	if len(users.Users) != 0 {
		t.Errorf("the new group has members: %+v", users.Users)
	}
}

func TestDeleteGroupErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateGroup(t, e, pool, "once")
	if _, err := e.Client.DeleteGroup(e.ctx(), &cip.DeleteGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("once")}); err != nil {
		t.Fatal(err)
	}
	_, err := e.Client.DeleteGroup(e.ctx(), &cip.DeleteGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("once")})
	wantAPIError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = e.Client.DeleteGroup(e.ctx(), &cip.DeleteGroupInput{UserPoolId: aws.String(resUnknownPool), GroupName: aws.String("once")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+resUnknownPool+" does not exist.")
}
