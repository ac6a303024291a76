package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func TestAdminDeleteUser(t *testing.T) {
	e := newEnv(t)
	pool := usersAliasPool(t, e)
	usersCreate(t, e, pool, "sam", "email", "sam@example.com", "email_verified", "true")
	resCreateGroup(t, e, pool, "staff")
	if _, err := e.Client.AdminAddUserToGroup(e.ctx(), &cip.AdminAddUserToGroupInput{
		UserPoolId: aws.String(pool), Username: aws.String("sam"), GroupName: aws.String("staff"),
	}); err != nil {
		t.Fatal(err)
	}
	del := func(username string) error {
		_, err := e.Client.AdminDeleteUser(e.ctx(), &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String(username)})
		return err
	}
	// Found by its alias, like any admin action's Username.
	if err := del("sam@example.com"); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, usersGetErr(e, pool, "sam"), "UserNotFoundException", "User does not exist.")
	wantAPIError(t, del("sam"), "UserNotFoundException", "User does not exist.")
	members, err := e.Client.ListUsersInGroup(e.ctx(), &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("staff")})
	if err != nil {
		t.Fatal(err)
	}
	if len(members.Users) != 0 {
		t.Errorf("the deleted user is still a member: %v", usersNames(members.Users))
	}
	// The alias is free again.
	usersCreate(t, e, pool, "sue", "email", "sam@example.com", "email_verified", "true")

	_, err = e.Client.AdminDeleteUser(e.ctx(), &cip.AdminDeleteUserInput{UserPoolId: aws.String(usersUnknownPool), Username: aws.String("sue")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
}
