package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func (e *lifecycleEnv) updateAttrs(access string, pairs ...string) (*cip.UpdateUserAttributesOutput, error) {
	return e.Client.UpdateUserAttributes(e.ctx(), &cip.UpdateUserAttributesInput{
		AccessToken: aws.String(access), UserAttributes: usersAttrs(pairs...),
	})
}

func (e *lifecycleEnv) verifyAttr(access, attr, code string) error {
	_, err := e.Client.VerifyUserAttribute(e.ctx(), &cip.VerifyUserAttributeInput{
		AccessToken: aws.String(access), AttributeName: aws.String(attr), Code: aws.String(code),
	})
	return err
}

// lifecycleSignedIn makes a confirmed user and returns their access token.
func lifecycleSignedIn(t *testing.T, e *lifecycleEnv, pool string, client *types.UserPoolClientType, username, email string, attrs ...string) string {
	t.Helper()
	e.confirmedUser(client, username, email, attrs...)
	return aws.ToString(e.signIn(pool, client, username, lifecyclePassword).AccessToken)
}

func TestUpdateUserAttributes(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	access := lifecycleSignedIn(t, e, pool, client, "alice", "alice@example.com")

	out, err := e.updateAttrs(access, "name", "Alice", "custom:x", "")
	if err == nil {
		t.Fatalf("an unknown attribute was accepted: %+v", out)
	}
	wantAPIError(t, err, "InvalidParameterException", "user.custom:x: Attribute does not exist in the schema.")
	out, err = e.updateAttrs(access, "name", "Alice", "given_name", "Al")
	if err != nil {
		t.Fatalf("UpdateUserAttributes: %v", err)
	}
	if len(out.CodeDeliveryDetailsList) != 0 {
		t.Errorf("CodeDeliveryDetailsList = %+v, want none", out.CodeDeliveryDetailsList)
	}

	// A new address is unverified and gets a code at once.
	out, err = e.updateAttrs(access, "email", "new@example.com")
	if err != nil {
		t.Fatalf("UpdateUserAttributes(email): %v", err)
	}
	if len(out.CodeDeliveryDetailsList) != 1 {
		t.Fatalf("CodeDeliveryDetailsList = %+v", out.CodeDeliveryDetailsList)
	}
	wantDetails(t, &out.CodeDeliveryDetailsList[0], "n***@e***", types.DeliveryMediumTypeEmail, "email")
	attrs := lifecycleAttrs(t, e, pool, "alice")
	want := map[string]string{"email": "new@example.com", "email_verified": "false", "name": "Alice", "given_name": "Al"}
	for k, v := range want {
		if attrs[k] != v {
			t.Errorf("%s = %q, want %q", k, attrs[k], v)
		}
	}
	m := e.lastMessage("new@example.com")
	if m.Purpose != "UpdateUserAttribute" {
		t.Errorf("message = %+v", m)
	}
	if err := e.verifyAttr(access, "email", m.Code); err != nil {
		t.Fatalf("VerifyUserAttribute: %v", err)
	}
	if v := lifecycleAttrs(t, e, pool, "alice")["email_verified"]; v != "true" {
		t.Errorf("email_verified = %q", v)
	}
}

func TestUpdateUserAttributesHeldUntilVerified(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
		in.UserAttributeUpdateSettings = &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		}
	}, nil)
	access := lifecycleSignedIn(t, e, pool, client, "bob", "old@example.com")
	out, err := e.updateAttrs(access, "email", "new@example.com", "name", "Bob")
	if err != nil {
		t.Fatalf("UpdateUserAttributes: %v", err)
	}
	if len(out.CodeDeliveryDetailsList) != 1 {
		t.Fatalf("CodeDeliveryDetailsList = %+v", out.CodeDeliveryDetailsList)
	}
	wantDetails(t, &out.CodeDeliveryDetailsList[0], "n***@e***", types.DeliveryMediumTypeEmail, "email")
	// The verified address stays, usable for sign-in, until the new one
	// is verified; the other change applies at once.
	attrs := lifecycleAttrs(t, e, pool, "bob")
	if attrs["email"] != "old@example.com" || attrs["email_verified"] != "true" || attrs["name"] != "Bob" {
		t.Errorf("attributes while held = %v", attrs)
	}
	e.signIn(pool, client, "old@example.com", lifecyclePassword)

	// Asking again sends to the new address, and only its code counts.
	got, err := e.Client.GetUserAttributeVerificationCode(e.ctx(), &cip.GetUserAttributeVerificationCodeInput{
		AccessToken: aws.String(access), AttributeName: aws.String("email")})
	if err != nil {
		t.Fatal(err)
	}
	wantDetails(t, got.CodeDeliveryDetails, "n***@e***", types.DeliveryMediumTypeEmail, "email")
	if e.messageCount("old@example.com") != 1 {
		t.Errorf("%d messages to the old address, want only its sign-up code", e.messageCount("old@example.com"))
	}
	if err := e.verifyAttr(access, "email", e.code("new@example.com")); err != nil {
		t.Fatalf("VerifyUserAttribute: %v", err)
	}
	attrs = lifecycleAttrs(t, e, pool, "bob")
	if attrs["email"] != "new@example.com" || attrs["email_verified"] != "true" {
		t.Errorf("attributes after verification = %v", attrs)
	}
	e.signIn(pool, client, "new@example.com", lifecyclePassword)
	_, err = tokensInitiate(e.env, client, "old@example.com", lifecyclePassword)
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
}

func TestUpdateUserAttributesErrors(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	access := lifecycleSignedIn(t, e, pool, client, "carol", "carol@example.com")
	_, err := e.updateAttrs(access, "email_verified", "true")
	wantAPIError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	_, err = e.updateAttrs(access, "sub", "x")
	wantAPIError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	_, err = e.updateAttrs(access, "email", "not-an-address")
	wantAPIError(t, err, "InvalidParameterException", "Invalid email address format.")
	_, err = e.updateAttrs("not.a.token", "name", "x")
	wantAPIError(t, err, "NotAuthorizedException", "")

	restricted := tokensClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) { in.WriteAttributes = []string{"name"} })
	r := e.signIn(pool, restricted, "carol", lifecyclePassword)
	_, err = e.updateAttrs(aws.ToString(r.AccessToken), "given_name", "C")
	wantAPIError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	if _, err := e.updateAttrs(aws.ToString(r.AccessToken), "name", "Carol"); err != nil {
		t.Errorf("a writable attribute: %v", err)
	}

	// A delivery failure is reported; the change itself is made.
	e.Failer.Fail(errDeliveryTest)
	_, err = e.updateAttrs(access, "email", "carol2@example.com")
	wantAPIError(t, err, "CodeDeliveryFailureException", "Invalid email provided/Unable to send the email")
	if v := lifecycleAttrs(t, e, pool, "carol")["email"]; v != "carol2@example.com" {
		t.Errorf("email = %q", v)
	}
}

func TestUpdateUserAttributesWithoutAutoVerification(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	access := lifecycleSignedIn(t, e, pool, client, "dave", "dave@example.com")
	// phone_number is not verified automatically in this pool: it is set,
	// unverified, and no code goes anywhere.
	out, err := e.updateAttrs(access, "phone_number", "+15555550177")
	if err != nil {
		t.Fatal(err)
	}
	if len(out.CodeDeliveryDetailsList) != 0 || e.messageCount("+15555550177") != 0 {
		t.Errorf("a code went out: %+v", out.CodeDeliveryDetailsList)
	}
	attrs := lifecycleAttrs(t, e, pool, "dave")
	if d := cmp.Diff("+15555550177", attrs["phone_number"]); d != "" {
		t.Error(d)
	}
}
