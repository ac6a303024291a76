package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// Confirming an UNCONFIRMED user needs a user who signed up; the
// service's unit tests cover it, as SignUp is not this area's.
func TestAdminConfirmSignUpErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	usersCreate(t, e, pool, "vic")
	usersCreate(t, e, pool, "wes")
	usersConfirm(t, e, pool, "wes")
	confirm := func(pool, username string) error {
		_, err := e.Client.AdminConfirmSignUp(e.ctx(), &cip.AdminConfirmSignUpInput{
			UserPoolId: aws.String(pool), Username: aws.String(username), ClientMetadata: map[string]string{"k": "v"},
		})
		return err
	}
	wantAPIError(t, confirm(pool, "vic"), "NotAuthorizedException", "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD")
	wantAPIError(t, confirm(pool, "wes"), "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	wantAPIError(t, confirm(pool, "nobody"), "UserNotFoundException", "User does not exist.")
	wantAPIError(t, confirm(usersUnknownPool, "vic"), "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
}
