package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func (e *lifecycleEnv) adminReset(pool, username string) error {
	_, err := e.Client.AdminResetUserPassword(e.ctx(), &cip.AdminResetUserPasswordInput{
		UserPoolId: aws.String(pool), Username: aws.String(username), ClientMetadata: map[string]string{"k": "v"},
	})
	return err
}

func TestAdminResetUserPassword(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.confirmedUser(client, "alice", "alice@example.com")
	before := e.signIn(pool, client, "alice", lifecyclePassword)
	if err := e.adminReset(pool, "alice"); err != nil {
		t.Fatalf("AdminResetUserPassword: %v", err)
	}
	if s := lifecycleStatus(t, e, pool, "alice"); s != types.UserStatusTypeResetRequired {
		t.Errorf("status = %s, want RESET_REQUIRED", s)
	}
	m := e.lastMessage("alice@example.com")
	if m.Purpose != "ForgotPassword" || m.Username != "alice" {
		t.Errorf("message = %+v", m)
	}
	// The old password no longer signs in, and the sessions are over.
	_, err := tokensInitiate(e.env, client, "alice", lifecyclePassword)
	wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
	_, err = tokensGetUser(e.env, aws.ToString(before.AccessToken))
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")

	// The code resets the password through ConfirmForgotPassword.
	if err := e.confirmForgot(client, "alice", m.Code, lifecycleNewPassword); err != nil {
		t.Fatalf("ConfirmForgotPassword: %v", err)
	}
	if s := lifecycleStatus(t, e, pool, "alice"); s != types.UserStatusTypeConfirmed {
		t.Errorf("status = %s, want CONFIRMED", s)
	}
	e.signIn(pool, client, "alice", lifecycleNewPassword)
}

func TestAdminResetUserPasswordDeliveryFailure(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.confirmedUser(client, "bob", "bob@example.com")
	e.Failer.Fail(errDeliveryTest)
	wantAPIError(t, e.adminReset(pool, "bob"), "CodeDeliveryFailureException", "Invalid email provided/Unable to send the email")
	// The reset holds; the user asks for a code again.
	if s := lifecycleStatus(t, e, pool, "bob"); s != types.UserStatusTypeResetRequired {
		t.Errorf("status = %s", s)
	}
	e.Failer.Fail(nil)
	if _, err := e.forgot(client, "bob"); err != nil {
		t.Fatalf("ForgotPassword of a RESET_REQUIRED user: %v", err)
	}
	if err := e.confirmForgot(client, "bob", e.code("bob@example.com"), lifecycleNewPassword); err != nil {
		t.Fatal(err)
	}
}

func TestAdminResetUserPasswordErrors(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, _ := lifecyclePool(t, e, nil, nil)
	wantAPIError(t, e.adminReset(usersUnknownPool, "x"), "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
	wantAPIError(t, e.adminReset(pool, "nobody"), "UserNotFoundException", "User does not exist.")
	tokensUser(t, e.env, pool, "unverified", "email", "unverified@example.com")
	wantAPIError(t, e.adminReset(pool, "unverified"), "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
	usersCreate(t, e.env, pool, "invited", "email", "invited@example.com", "email_verified", "true")
	wantAPIError(t, e.adminReset(pool, "invited"), "NotAuthorizedException", "User password cannot be reset in the current state.")
	tokensUser(t, e.env, pool, "off", "email", "off@example.com", "email_verified", "true")
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("off")}); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, e.adminReset(pool, "off"), "NotAuthorizedException", "User is disabled.")
	for _, u := range []string{"unverified", "invited", "off"} {
		if s := lifecycleStatus(t, e, pool, u); s == types.UserStatusTypeResetRequired {
			t.Errorf("%s was reset by a refused request", u)
		}
	}

	// An admin action: unsigned requests are refused.
	status, _, body := e.rawUnsigned("AdminResetUserPassword", `{"UserPoolId":"`+pool+`","Username":"off"}`)
	if status < 400 || body["__type"] == nil {
		t.Errorf("unsigned AdminResetUserPassword = %d %v", status, body)
	}
}
