package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestConfirmForgotPassword(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.confirmedUser(client, "alice", "alice@example.com")
	before := e.signIn(pool, client, "alice", lifecyclePassword)
	if _, err := e.forgot(client, "alice"); err != nil {
		t.Fatal(err)
	}
	code := e.code("alice@example.com")
	if err := e.confirmForgot(client, "alice", code, lifecycleNewPassword); err != nil {
		t.Fatalf("ConfirmForgotPassword: %v", err)
	}
	e.signIn(pool, client, "alice", lifecycleNewPassword)
	_, err := tokensInitiate(e.env, client, "alice", lifecyclePassword)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// Whoever had the old password loses the sessions it opened.
	_, err = tokensGetUser(e.env, aws.ToString(before.AccessToken))
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	_, err = tokensRefresh(e.env, client, "alice", aws.ToString(before.RefreshToken))
	wantAPIError(t, err, "NotAuthorizedException", "")

	// A code is used once.
	wantAPIError(t, e.confirmForgot(client, "alice", code, "Another-Passw0rd!"), "CodeMismatchException", "Invalid verification code provided, please try again.")
}

func TestConfirmForgotPasswordCodes(t *testing.T) {
	e := newLifecycleEnv(t)
	_, client := lifecyclePool(t, e, nil, nil)
	e.confirmedUser(client, "bob", "bob@example.com")
	if _, err := e.forgot(client, "bob"); err != nil {
		t.Fatal(err)
	}
	code := e.code("bob@example.com")
	// The password policy is checked first; a refused password costs no
	// attempt and leaves the code usable.
	wantAPIError(t, e.confirmForgot(client, "bob", code, "weak"), "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	// A code of the wrong shape is just wrong.
	wantAPIError(t, e.confirmForgot(client, "bob", e.code("bob@example.com")[:5]+"x", lifecycleNewPassword), "CodeMismatchException", "")
	// Five wrong guesses end the code (the one above was the first).
	for range 4 {
		wantAPIError(t, e.confirmForgot(client, "bob", lifecycleWrongCode(code), lifecycleNewPassword), "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	wantAPIError(t, e.confirmForgot(client, "bob", code, lifecycleNewPassword), "TooManyFailedAttemptsException", "Too many failed attempts, please request a code again.")

	// A reset code lives an hour.
	if _, err := e.forgot(client, "bob"); err != nil {
		t.Fatal(err)
	}
	code = e.code("bob@example.com")
	e.Clock.Advance(time.Hour)
	wantAPIError(t, e.confirmForgot(client, "bob", code, lifecycleNewPassword), "ExpiredCodeException", "Invalid code provided, please request a code again.")
	if _, err := e.forgot(client, "bob"); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(time.Hour - time.Second)
	if err := e.confirmForgot(client, "bob", e.code("bob@example.com"), lifecycleNewPassword); err != nil {
		t.Errorf("a code one second from expiry: %v", err)
	}
}

func TestConfirmForgotPasswordUsers(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	wantAPIError(t, e.confirmForgot(client, "nobody", "123456", lifecycleNewPassword), "UserNotFoundException", "User does not exist.")
	hiding := tokensClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	})
	wantAPIError(t, e.confirmForgot(hiding, "nobody", "123456", lifecycleNewPassword), "CodeMismatchException", "Invalid verification code provided, please try again.")
	err := (&lifecycleEnv{env: e.env}).confirmForgot(&types.UserPoolClientType{ClientId: aws.String(poolsUnknownClient)}, "x", "123456", lifecycleNewPassword)
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+poolsUnknownClient+" does not exist.")

	// An unconfirmed user whose address an administrator verified proves
	// it by the reset, and is confirmed.
	e.mustSignUp(client, "carol", "email", "carol@example.com")
	_, err = e.Client.AdminUpdateUserAttributes(e.ctx(), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool),
		Username: aws.String("carol"), UserAttributes: usersAttrs("email_verified", "true")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.forgot(client, "carol"); err != nil {
		t.Fatal(err)
	}
	if err := e.confirmForgot(client, "carol", e.code("carol@example.com"), lifecycleNewPassword); err != nil {
		t.Fatalf("ConfirmForgotPassword: %v", err)
	}
	if s := lifecycleStatus(t, e, pool, "carol"); s != types.UserStatusTypeConfirmed {
		t.Errorf("status = %s", s)
	}

	// A user disabled after asking cannot use the code.
	e.confirmedUser(client, "dave", "dave@example.com")
	if _, err := e.forgot(client, "dave"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("dave")}); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, e.confirmForgot(client, "dave", e.code("dave@example.com"), lifecycleNewPassword), "NotAuthorizedException", "User is disabled.")
}

func TestConfirmForgotPasswordClearsLockout(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.confirmedUser(client, "erin", "erin@example.com")
	for range 6 {
		tokensInitiate(e.env, client, "erin", tokensWrongPassword)
	}
	_, err := tokensInitiate(e.env, client, "erin", lifecyclePassword)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	if _, err := e.forgot(client, "erin"); err != nil {
		t.Fatal(err)
	}
	if err := e.confirmForgot(client, "erin", e.code("erin@example.com"), lifecycleNewPassword); err != nil {
		t.Fatal(err)
	}
	e.signIn(pool, client, "erin", lifecycleNewPassword)
}
