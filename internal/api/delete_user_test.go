package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func TestDeleteUser(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.confirmedUser(client, "alice", "alice@example.com")
	e.confirmedUser(client, "bob", "bob@example.com")
	r := e.signIn(pool, client, "alice", lifecyclePassword)
	if _, err := e.Client.DeleteUser(e.ctx(), &cip.DeleteUserInput{AccessToken: r.AccessToken}); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	wantAPIError(t, usersGetErr(e.env, pool, "alice"), "UserNotFoundException", "User does not exist.")
	_, err := tokensInitiate(e.env, client, "alice", lifecyclePassword)
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	// Its tokens are worth nothing now.
	_, err = e.Client.DeleteUser(e.ctx(), &cip.DeleteUserInput{AccessToken: r.AccessToken})
	if err == nil {
		t.Error("DeleteUser with the deleted user's token succeeded")
	}
	_, err = tokensRefresh(e.env, client, "alice", aws.ToString(r.RefreshToken))
	wantAPIError(t, err, "NotAuthorizedException", "")
	// Others are untouched; the name is free again.
	e.signIn(pool, client, "bob", lifecyclePassword)
	e.mustSignUp(client, "alice", "email", "alice2@example.com")

	_, err = e.Client.DeleteUser(e.ctx(), &cip.DeleteUserInput{AccessToken: aws.String("not.a.token")})
	wantAPIError(t, err, "NotAuthorizedException", "")
}
