package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func (e *lifecycleEnv) changePassword(access, previous, proposed string) error {
	_, err := e.Client.ChangePassword(e.ctx(), &cip.ChangePasswordInput{
		AccessToken: aws.String(access), PreviousPassword: aws.String(previous), ProposedPassword: aws.String(proposed),
	})
	return err
}

func TestChangePassword(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.confirmedUser(client, "alice", "alice@example.com")
	access := aws.ToString(e.signIn(pool, client, "alice", lifecyclePassword).AccessToken)
	if err := e.changePassword(access, lifecyclePassword, lifecycleNewPassword); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	e.signIn(pool, client, "alice", lifecycleNewPassword)
	_, err := tokensInitiate(e.env, client, "alice", lifecyclePassword)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	// The session that changed it goes on.
	tokensWantValid(t, e.env, access)

	wantAPIError(t, e.changePassword(access, lifecyclePassword, "Third-Passw0rd!"), "NotAuthorizedException", "Incorrect username or password.")
	wantAPIError(t, e.changePassword(access, lifecycleNewPassword, "weak"), "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	wantAPIError(t, e.changePassword(access, lifecycleNewPassword, "nodigits-Here!"), "InvalidPasswordException", "Password did not conform with policy: Password must have numeric characters")
	e.signIn(pool, client, "alice", lifecycleNewPassword)
}

func TestChangePasswordTokens(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.confirmedUser(client, "bob", "bob@example.com")
	r := e.signIn(pool, client, "bob", lifecyclePassword)
	wantAPIError(t, e.changePassword(tokensTamper(aws.ToString(r.AccessToken), 2), lifecyclePassword, lifecycleNewPassword), "NotAuthorizedException", "")
	wantAPIError(t, e.changePassword(aws.ToString(r.IdToken), lifecyclePassword, lifecycleNewPassword), "NotAuthorizedException", "")
	if _, err := e.Client.GlobalSignOut(e.ctx(), &cip.GlobalSignOutInput{AccessToken: r.AccessToken}); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, e.changePassword(aws.ToString(r.AccessToken), lifecyclePassword, lifecycleNewPassword), "NotAuthorizedException", "Access Token has been revoked")
	e.signIn(pool, client, "bob", lifecyclePassword)
}
