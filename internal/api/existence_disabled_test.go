package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// With a client that hides who exists, a disabled user asking for a code
// gets the simulated delivery an unknown user gets, and nothing is sent;
// "User is disabled." would say the account exists.
func TestDisabledUserHiddenLikeUnknown(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, _ := lifecyclePool(t, e, nil, nil)
	hiding := tokensClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	})
	tokensUser(t, e.env, pool, "off", "email", "off@example.com", "email_verified", "true")
	e.mustSignUp(hiding, "pending", "email", "pending@example.com")
	for _, name := range []string{"off", "pending"} {
		if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	sent := len(e.Outbox.Messages())
	for _, name := range []string{"off", "ghost"} {
		forgot, err := e.forgot(hiding, name)
		if err != nil {
			t.Fatalf("ForgotPassword(%s): %v", name, err)
		}
		if forgot.CodeDeliveryDetails == nil || forgot.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeSms {
			t.Errorf("ForgotPassword(%s) = %+v, want the simulated delivery by the pool's first medium", name, forgot.CodeDeliveryDetails)
		}
	}
	for _, name := range []string{"pending", "ghost"} {
		resend, err := e.resend(hiding, name)
		if err != nil {
			t.Fatalf("ResendConfirmationCode(%s): %v", name, err)
		}
		if resend.CodeDeliveryDetails == nil || resend.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeEmail {
			t.Errorf("ResendConfirmationCode(%s) = %+v, want a simulated delivery", name, resend.CodeDeliveryDetails)
		}
	}
	if n := len(e.Outbox.Messages()); n != sent {
		t.Errorf("%d messages sent to hidden users", n-sent)
	}
}
