package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func (e *lifecycleEnv) deleteAttrs(access string, names ...string) error {
	_, err := e.Client.DeleteUserAttributes(e.ctx(), &cip.DeleteUserAttributesInput{
		AccessToken: aws.String(access), UserAttributeNames: names,
	})
	return err
}

func TestDeleteUserAttributes(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("name"), Required: aws.Bool(true), Mutable: aws.Bool(true)}}
	}, nil)
	access := lifecycleSignedIn(t, e, pool, client, "alice", "alice@example.com", "name", "Alice", "given_name", "Al")
	if err := e.deleteAttrs(access, "given_name", "family_name"); err != nil {
		t.Fatalf("DeleteUserAttributes: %v", err)
	}
	attrs := lifecycleAttrs(t, e, pool, "alice")
	if _, ok := attrs["given_name"]; ok || attrs["name"] != "Alice" {
		t.Errorf("attributes = %v", attrs)
	}
	wantAPIError(t, e.deleteAttrs(access, "name"), "InvalidParameterException", "user.name: Required attribute cannot be deleted.")
	wantAPIError(t, e.deleteAttrs(access, "custom:nope"), "InvalidParameterException", "user.custom:nope: Attribute does not exist in the schema.")
	wantAPIError(t, e.deleteAttrs(access, "email_verified"), "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	wantAPIError(t, e.deleteAttrs("not.a.token", "given_name"), "NotAuthorizedException", "")

	// Deleting an address takes its verification flag and any code for it.
	if _, err := e.Client.GetUserAttributeVerificationCode(e.ctx(), &cip.GetUserAttributeVerificationCodeInput{
		AccessToken: aws.String(access), AttributeName: aws.String("email")}); err != nil {
		t.Fatal(err)
	}
	code := e.code("alice@example.com")
	if err := e.deleteAttrs(access, "email"); err != nil {
		t.Fatal(err)
	}
	attrs = lifecycleAttrs(t, e, pool, "alice")
	if _, ok := attrs["email"]; ok {
		t.Errorf("email still there: %v", attrs)
	}
	if _, ok := attrs["email_verified"]; ok {
		t.Errorf("email_verified still there: %v", attrs)
	}
	wantAPIError(t, e.verifyAttr(access, "email", code), "CodeMismatchException", "Invalid verification code provided, please try again.")
}
