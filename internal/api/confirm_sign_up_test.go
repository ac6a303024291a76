package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// lifecycleWrongCode returns a six-digit code that is not code.
func lifecycleWrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

func TestConfirmSignUp(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.mustSignUp(client, "alice", "email", "alice@example.com")
	code := e.code("alice@example.com")
	if err := e.confirm(client, "alice", code); err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}
	if s := lifecycleStatus(t, e, pool, "alice"); s != types.UserStatusTypeConfirmed {
		t.Errorf("status = %s", s)
	}
	if v := lifecycleAttrs(t, e, pool, "alice")["email_verified"]; v != "true" {
		t.Errorf("email_verified = %q, want true", v)
	}
	e.signIn(pool, client, "alice", lifecyclePassword)

	// Used once: the same code again meets a confirmed user.
	wantAPIError(t, e.confirm(client, "alice", code), "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
}

func TestConfirmSignUpWrongAndExpiredCodes(t *testing.T) {
	e := newLifecycleEnv(t)
	_, client := lifecyclePool(t, e, nil, nil)
	e.mustSignUp(client, "bob", "email", "bob@example.com")
	code := e.code("bob@example.com")
	wantAPIError(t, e.confirm(client, "bob", lifecycleWrongCode(code)), "CodeMismatchException", "Invalid verification code provided, please try again.")
	wantAPIError(t, e.confirm(client, "bob", "not-a-code"), "CodeMismatchException", "Invalid verification code provided, please try again.")

	// A code lives 24 hours.
	e.Clock.Advance(24*time.Hour - time.Second)
	e.mustSignUp(client, "carol", "email", "carol@example.com")
	e.Clock.Advance(time.Second)
	wantAPIError(t, e.confirm(client, "bob", code), "ExpiredCodeException", "Invalid code provided, please request a code again.")
	if err := e.confirm(client, "carol", e.code("carol@example.com")); err != nil {
		t.Errorf("a code one second old: %v", err)
	}
}

func TestConfirmSignUpAttemptLimit(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.mustSignUp(client, "dave", "email", "dave@example.com")
	code := e.code("dave@example.com")
	for range 15 {
		wantAPIError(t, e.confirm(client, "dave", lifecycleWrongCode(code)), "CodeMismatchException", "")
	}
	// After the limit even the right code is refused, so guessing stops.
	wantAPIError(t, e.confirm(client, "dave", code), "TooManyFailedAttemptsException", "Too many failed attempts, please request a code again.")
	if s := lifecycleStatus(t, e, pool, "dave"); s != types.UserStatusTypeUnconfirmed {
		t.Errorf("status = %s", s)
	}
	// A new code starts over.
	if _, err := e.Client.ResendConfirmationCode(e.ctx(), &cip.ResendConfirmationCodeInput{ClientId: client.ClientId, Username: aws.String("dave")}); err != nil {
		t.Fatal(err)
	}
	if err := e.confirm(client, "dave", e.code("dave@example.com")); err != nil {
		t.Errorf("ConfirmSignUp with a new code: %v", err)
	}
}

func TestConfirmSignUpUnknownUsers(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, legacy := lifecyclePool(t, e, nil, nil)
	wantAPIError(t, e.confirm(legacy, "nobody", "123456"), "UserNotFoundException", "User does not exist.")
	hiding := tokensClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	})
	wantAPIError(t, e.confirm(hiding, "nobody", "123456"), "CodeMismatchException", "Invalid verification code provided, please try again.")

	_, err := e.Client.ConfirmSignUp(e.ctx(), &cip.ConfirmSignUpInput{ClientId: aws.String(poolsUnknownClient),
		Username: aws.String("x"), ConfirmationCode: aws.String("123456")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+poolsUnknownClient+" does not exist.")

	// A user created by an administrator has nothing to confirm.
	usersCreate(t, e.env, pool, "admin-made", "email", "admin-made@example.com")
	wantAPIError(t, e.confirm(legacy, "admin-made", "123456"), "NotAuthorizedException", "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD")
}

func TestConfirmSignUpSecretHash(t *testing.T) {
	e := newLifecycleEnv(t)
	_, client := lifecyclePool(t, e, nil, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	e.mustSignUp(client, "erin", "email", "erin@example.com")
	_, err := e.Client.ConfirmSignUp(e.ctx(), &cip.ConfirmSignUpInput{ClientId: client.ClientId,
		Username: aws.String("erin"), ConfirmationCode: aws.String(e.code("erin@example.com"))})
	wantAPIError(t, err, "NotAuthorizedException", "Client "+aws.ToString(client.ClientId)+" is configured with secret but SECRET_HASH was not received")
	if err := e.confirm(client, "erin", e.code("erin@example.com")); err != nil {
		t.Errorf("ConfirmSignUp with SecretHash: %v", err)
	}
}

func TestConfirmSignUpAlias(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
	}, nil)
	e.confirmedUser(client, "first", "shared@example.com")
	e.signIn(pool, client, "shared@example.com", lifecyclePassword)

	// An unverified address is no alias, so a second user may sign up
	// with it; verifying it would take it from the first.
	e.mustSignUp(client, "second", "email", "shared@example.com")
	code := e.code("shared@example.com")
	wantAPIError(t, e.confirm(client, "second", code), "AliasExistsException", "An account with the given email already exists.")
	if s := lifecycleStatus(t, e, pool, "second"); s != types.UserStatusTypeUnconfirmed {
		t.Errorf("status after the refusal = %s", s)
	}
	_, err := e.Client.ConfirmSignUp(e.ctx(), &cip.ConfirmSignUpInput{ClientId: client.ClientId, Username: aws.String("second"),
		ConfirmationCode: aws.String(code), ForceAliasCreation: true})
	if err != nil {
		t.Fatalf("ConfirmSignUp with ForceAliasCreation: %v", err)
	}
	if v := lifecycleAttrs(t, e, pool, "first")["email_verified"]; v != "false" {
		t.Errorf("first's email_verified = %q, want false", v)
	}
	if v := lifecycleAttrs(t, e, pool, "second")["email_verified"]; v != "true" {
		t.Errorf("second's email_verified = %q, want true", v)
	}
	if u := usersGet(t, e.env, pool, "shared@example.com"); aws.ToString(u.Username) != "second" {
		t.Errorf("the alias names %s, want second", aws.ToString(u.Username))
	}
}

func TestConfirmSignUpMarksOnlyTheAddressTheCodeWentTo(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.mustSignUp(client, "finn", "email", "old@example.com")
	code := e.code("old@example.com")
	_, err := e.Client.AdminUpdateUserAttributes(e.ctx(), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool),
		Username: aws.String("finn"), UserAttributes: usersAttrs("email", "new@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.confirm(client, "finn", code); err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}
	if v := lifecycleAttrs(t, e, pool, "finn")["email_verified"]; v != "false" {
		t.Errorf("email_verified = %q: the code went to another address", v)
	}
}
