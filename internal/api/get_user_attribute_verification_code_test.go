package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func (e *lifecycleEnv) askCode(access, attr string) (*cip.GetUserAttributeVerificationCodeOutput, error) {
	return e.Client.GetUserAttributeVerificationCode(e.ctx(), &cip.GetUserAttributeVerificationCodeInput{
		AccessToken: aws.String(access), AttributeName: aws.String(attr), ClientMetadata: map[string]string{"k": "v"},
	})
}

func TestGetUserAttributeVerificationCode(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	access := lifecycleSignedIn(t, e, pool, client, "alice", "alice@example.com")
	out, err := e.askCode(access, "email")
	if err != nil {
		t.Fatalf("GetUserAttributeVerificationCode: %v", err)
	}
	wantDetails(t, out.CodeDeliveryDetails, "a***@e***", types.DeliveryMediumTypeEmail, "email")
	if m := e.lastMessage("alice@example.com"); m.Purpose != "VerifyUserAttribute" {
		t.Errorf("message = %+v", m)
	}

	// A phone number, verified or not, can be verified by SMS.
	if _, err := e.updateAttrs(access, "phone_number", "+15555550142"); err != nil {
		t.Fatal(err)
	}
	out, err = e.askCode(access, "phone_number")
	if err != nil {
		t.Fatal(err)
	}
	wantDetails(t, out.CodeDeliveryDetails, "+*******0142", types.DeliveryMediumTypeSms, "phone_number")
	if err := e.verifyAttr(access, "phone_number", e.code("+15555550142")); err != nil {
		t.Fatal(err)
	}
	if v := lifecycleAttrs(t, e, pool, "alice")["phone_number_verified"]; v != "true" {
		t.Errorf("phone_number_verified = %q", v)
	}
}

func TestGetUserAttributeVerificationCodeErrors(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	access := lifecycleSignedIn(t, e, pool, client, "bob", "bob@example.com")
	_, err := e.askCode(access, "name")
	wantAPIError(t, err, "InvalidParameterException", "Only email and phone_number can be verified: name")
	_, err = e.askCode(access, "phone_number")
	wantAPIError(t, err, "InvalidParameterException", "The user has no value to verify for phone_number")
	_, err = e.askCode("not.a.token", "email")
	wantAPIError(t, err, "NotAuthorizedException", "")

	// Five codes an hour (the sign-up's was of another purpose).
	for i := range 5 {
		if _, err := e.askCode(access, "email"); err != nil {
			t.Fatalf("code %d: %v", i+1, err)
		}
	}
	_, err = e.askCode(access, "email")
	wantAPIError(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	e.Clock.Advance(time.Hour)
	access = aws.ToString(e.signIn(pool, client, "bob", lifecyclePassword).AccessToken)
	if _, err := e.askCode(access, "email"); err != nil {
		t.Errorf("an hour later: %v", err)
	}

	e.Failer.Fail(errDeliveryTest)
	_, err = e.askCode(access, "email")
	wantAPIError(t, err, "CodeDeliveryFailureException", "Invalid email provided/Unable to send the email")
}
