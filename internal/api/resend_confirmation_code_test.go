package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func (e *lifecycleEnv) resend(c *types.UserPoolClientType, username string) (*cip.ResendConfirmationCodeOutput, error) {
	return e.Client.ResendConfirmationCode(e.ctx(), &cip.ResendConfirmationCodeInput{
		ClientId: c.ClientId, Username: aws.String(username), SecretHash: lifecycleSecretHash(c, username),
	})
}

func TestResendConfirmationCode(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.mustSignUp(client, "alice", "email", "alice@example.com")
	first := e.code("alice@example.com")
	out, err := e.resend(client, "alice")
	if err != nil {
		t.Fatalf("ResendConfirmationCode: %v", err)
	}
	wantDetails(t, out.CodeDeliveryDetails, "a***@e***", types.DeliveryMediumTypeEmail, "email")
	m := e.lastMessage("alice@example.com")
	if m.Purpose != "ResendCode" || e.messageCount("alice@example.com") != 2 {
		t.Errorf("message = %+v, %d sent", m, e.messageCount("alice@example.com"))
	}
	// The new code replaces the old one.
	if m.Code != first {
		wantAPIError(t, e.confirm(client, "alice", first), "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	if err := e.confirm(client, "alice", m.Code); err != nil {
		t.Fatalf("ConfirmSignUp with the new code: %v", err)
	}
	_, err = e.resend(client, "alice")
	wantAPIError(t, err, "InvalidParameterException", "User is already confirmed.")
	_, err = e.resend(client, "nobody")
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")

	// Unknown users get a made-up, stable answer when the client hides
	// who exists.
	hiding := tokensClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	})
	out, err = e.resend(hiding, "nobody@example.org")
	if err != nil {
		t.Fatalf("ResendConfirmationCode(unknown, hidden): %v", err)
	}
	wantDetails(t, out.CodeDeliveryDetails, "n***@e***", types.DeliveryMediumTypeEmail, "email")
	out1, _ := e.resend(hiding, "nobody")
	out2, _ := e.resend(hiding, "nobody")
	if out1 == nil || out2 == nil || aws.ToString(out1.CodeDeliveryDetails.Destination) != aws.ToString(out2.CodeDeliveryDetails.Destination) {
		t.Errorf("simulated destinations differ: %+v, %+v", out1, out2)
	}
}

func TestResendConfirmationCodeLimits(t *testing.T) {
	e := newLifecycleEnv(t)
	_, client := lifecyclePool(t, e, nil, nil)
	e.mustSignUp(client, "bob", "email", "bob@example.com")
	// The sign-up's code counts: four more within the hour.
	for i := range 4 {
		if _, err := e.resend(client, "bob"); err != nil {
			t.Fatalf("resend %d: %v", i+1, err)
		}
	}
	_, err := e.resend(client, "bob")
	wantAPIError(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	if n := e.messageCount("bob@example.com"); n != 5 {
		t.Errorf("%d messages, want 5", n)
	}
	e.Clock.Advance(time.Hour)
	if _, err := e.resend(client, "bob"); err != nil {
		t.Errorf("resend an hour later: %v", err)
	}
	if err := e.confirm(client, "bob", e.code("bob@example.com")); err != nil {
		t.Errorf("ConfirmSignUp: %v", err)
	}
}

func TestResendConfirmationCodeWithoutAutoVerification(t *testing.T) {
	e := newLifecycleEnv(t)
	_, client := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) { in.AutoVerifiedAttributes = nil }, nil)
	e.mustSignUp(client, "carol", "email", "carol@example.com")
	_, err := e.resend(client, "carol")
	wantAPIError(t, err, "InvalidParameterException", "Auto verification not turned on.")

	_, phones := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypePhoneNumber}
	}, nil)
	e.mustSignUp(phones, "dave", "email", "dave@example.com")
	_, err = e.resend(phones, "dave")
	wantAPIError(t, err, "InvalidParameterException", "Cannot send a confirmation code: the user has no email or phone_number the user pool verifies.")

	_, err = e.Client.ResendConfirmationCode(e.ctx(), &cip.ResendConfirmationCodeInput{ClientId: aws.String(poolsUnknownClient), Username: aws.String("x")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+poolsUnknownClient+" does not exist.")
}
