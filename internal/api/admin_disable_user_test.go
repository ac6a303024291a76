package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestAdminDisableUser(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	usersCreate(t, e, pool, "tom")
	disable := func(pool, username string) error {
		_, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String(username)})
		return err
	}
	e.Clock.Advance(time.Minute)
	if err := disable(pool, "tom"); err != nil {
		t.Fatal(err)
	}
	got := usersGet(t, e, pool, "tom")
	if got.Enabled {
		t.Error("still enabled")
	}
	if got.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Errorf("disabling changed the status to %s", got.UserStatus)
	}
	if want := usersNow(e); !got.UserLastModifiedDate.Equal(want) {
		t.Errorf("UserLastModifiedDate = %v, want %v", got.UserLastModifiedDate, want)
	}
	// Disabling again is not an error.
	if err := disable(pool, "tom"); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, disable(pool, "nobody"), "UserNotFoundException", "User does not exist.")
	wantAPIError(t, disable(usersUnknownPool, "tom"), "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
}
