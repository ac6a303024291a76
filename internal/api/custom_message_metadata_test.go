package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Every CustomMessage event of an action with ClientMetadata carries it
// as clientMetadata.
func TestTriggerCustomMessageClientMetadata(t *testing.T) {
	e, h, _ := triggersOutboxEnv(t)
	h.funcs["message"] = func(ev map[string]any) (any, error) { return ev["response"], nil }
	pool, c := triggersPool(t, e, &types.LambdaConfigType{CustomMessage: fnARN("message")})
	md := func(step string) map[string]string { return map[string]string{"step": step} }
	want := func(source, step string) {
		t.Helper()
		got, _ := h.last(t, source)["request"].(map[string]any)["clientMetadata"].(map[string]any)
		if got["step"] != step {
			t.Errorf("%s clientMetadata = %v, want step=%s", source, got, step)
		}
	}
	if _, err := e.Client.SignUp(e.ctx(), &cip.SignUpInput{
		ClientId: c.ClientId, Username: aws.String("wes"), Password: aws.String(tokensPassword),
		UserAttributes: usersAttrs("email", "wes@example.com"), ClientMetadata: md("signup"),
	}); err != nil {
		t.Fatal(err)
	}
	want("CustomMessage_SignUp", "signup")
	if _, err := e.Client.ResendConfirmationCode(e.ctx(), &cip.ResendConfirmationCodeInput{
		ClientId: c.ClientId, Username: aws.String("wes"), ClientMetadata: md("resend"),
	}); err != nil {
		t.Fatal(err)
	}
	want("CustomMessage_ResendCode", "resend")
	if _, err := e.Client.AdminConfirmSignUp(e.ctx(), &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(pool), Username: aws.String("wes")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.AdminUpdateUserAttributes(e.ctx(), &cip.AdminUpdateUserAttributesInput{
		UserPoolId: aws.String(pool), Username: aws.String("wes"), UserAttributes: usersAttrs("email_verified", "true"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.ForgotPassword(e.ctx(), &cip.ForgotPasswordInput{
		ClientId: c.ClientId, Username: aws.String("wes"), ClientMetadata: md("forgot"),
	}); err != nil {
		t.Fatal(err)
	}
	want("CustomMessage_ForgotPassword", "forgot")
	if _, err := e.Client.AdminResetUserPassword(e.ctx(), &cip.AdminResetUserPasswordInput{
		UserPoolId: aws.String(pool), Username: aws.String("wes"), ClientMetadata: md("reset"),
	}); err != nil {
		t.Fatal(err)
	}
	want("CustomMessage_ForgotPassword", "reset")

	tokensUser(t, e, pool, "xia", "email", "xia@example.com")
	tok, err := tokensInitiate(e, c, "xia", tokensPassword)
	if err != nil {
		t.Fatal(err)
	}
	access := tok.AuthenticationResult.AccessToken
	if _, err := e.Client.GetUserAttributeVerificationCode(e.ctx(), &cip.GetUserAttributeVerificationCodeInput{
		AccessToken: access, AttributeName: aws.String("email"), ClientMetadata: md("verify"),
	}); err != nil {
		t.Fatal(err)
	}
	want("CustomMessage_VerifyUserAttribute", "verify")
	if _, err := e.Client.UpdateUserAttributes(e.ctx(), &cip.UpdateUserAttributesInput{
		AccessToken: access, UserAttributes: usersAttrs("email", "xia2@example.com"), ClientMetadata: md("update"),
	}); err != nil {
		t.Fatal(err)
	}
	want("CustomMessage_UpdateUserAttribute", "update")
}
