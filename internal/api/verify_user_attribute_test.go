package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestVerifyUserAttribute(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	access := lifecycleSignedIn(t, e, pool, client, "alice", "alice@example.com")
	if _, err := e.updateAttrs(access, "email", "alice@example.net"); err != nil {
		t.Fatal(err)
	}
	code := e.code("alice@example.net")
	wantAPIError(t, e.verifyAttr(access, "email", lifecycleWrongCode(code)), "CodeMismatchException", "Invalid verification code provided, please try again.")
	wantAPIError(t, e.verifyAttr(access, "phone_number", code), "CodeMismatchException", "Invalid verification code provided, please try again.")
	wantAPIError(t, e.verifyAttr(access, "name", code), "InvalidParameterException", "Only email and phone_number can be verified: name")
	wantAPIError(t, e.verifyAttr("not.a.token", "email", code), "NotAuthorizedException", "")
	if err := e.verifyAttr(access, "email", code); err != nil {
		t.Fatalf("VerifyUserAttribute: %v", err)
	}
	if v := lifecycleAttrs(t, e, pool, "alice")["email_verified"]; v != "true" {
		t.Errorf("email_verified = %q", v)
	}
	// Once only.
	wantAPIError(t, e.verifyAttr(access, "email", code), "CodeMismatchException", "")
}

func TestVerifyUserAttributeExpiry(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	access := lifecycleSignedIn(t, e, pool, client, "bob", "bob@example.com")
	if _, err := e.updateAttrs(access, "email", "bob@example.net"); err != nil {
		t.Fatal(err)
	}
	code := e.code("bob@example.net")
	e.Clock.Advance(24 * time.Hour)
	access = aws.ToString(e.signIn(pool, client, "bob", lifecyclePassword).AccessToken)
	wantAPIError(t, e.verifyAttr(access, "email", code), "ExpiredCodeException", "Invalid code provided, please request a code again.")

	// A code verifies the address it was sent to, not one set since.
	if _, err := e.askCode(access, "email"); err != nil {
		t.Fatal(err)
	}
	code = e.code("bob@example.net")
	_, err := e.Client.AdminUpdateUserAttributes(e.ctx(), &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool),
		Username: aws.String("bob"), UserAttributes: usersAttrs("email", "bob@example.org")})
	if err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, e.verifyAttr(access, "email", code), "ExpiredCodeException", "Invalid code provided, please request a code again.")
	if v := lifecycleAttrs(t, e, pool, "bob")["email_verified"]; v != "false" {
		t.Errorf("email_verified = %q", v)
	}
}

func TestVerifyUserAttributeAttempts(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	access := lifecycleSignedIn(t, e, pool, client, "carol", "carol@example.com")
	if _, err := e.askCode(access, "email"); err != nil {
		t.Fatal(err)
	}
	code := e.code("carol@example.com")
	for range 15 {
		wantAPIError(t, e.verifyAttr(access, "email", lifecycleWrongCode(code)), "CodeMismatchException", "")
	}
	wantAPIError(t, e.verifyAttr(access, "email", code), "TooManyFailedAttemptsException", "Too many failed attempts, please request a code again.")
}

func TestVerifyUserAttributeAlias(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
	}, nil)
	e.confirmedUser(client, "owner", "taken@example.com")
	access := lifecycleSignedIn(t, e, pool, client, "dave", "dave@example.com")
	// An unverified address may be shared; verifying it may not take it.
	if _, err := e.updateAttrs(access, "email", "taken@example.com"); err != nil {
		t.Fatal(err)
	}
	code := e.code("taken@example.com")
	wantAPIError(t, e.verifyAttr(access, "email", code), "AliasExistsException", "An account with the given email already exists.")
	if u := usersGet(t, e.env, pool, "taken@example.com"); aws.ToString(u.Username) != "owner" {
		t.Errorf("the alias names %s", aws.ToString(u.Username))
	}
}
