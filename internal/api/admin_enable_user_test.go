package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func TestAdminEnableUser(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	usersCreate(t, e, pool, "uma")
	enable := func(pool, username string) error {
		_, err := e.Client.AdminEnableUser(e.ctx(), &cip.AdminEnableUserInput{UserPoolId: aws.String(pool), Username: aws.String(username)})
		return err
	}
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("uma")}); err != nil {
		t.Fatal(err)
	}
	if err := enable(pool, "uma"); err != nil {
		t.Fatal(err)
	}
	if !usersGet(t, e, pool, "uma").Enabled {
		t.Error("still disabled")
	}
	// Enabling an enabled user is not an error.
	if err := enable(pool, "uma"); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, enable(pool, "nobody"), "UserNotFoundException", "User does not exist.")
	wantAPIError(t, enable(usersUnknownPool, "uma"), "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
}
