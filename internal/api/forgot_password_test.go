package api_test

import (
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestForgotPassword(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.confirmedUser(client, "alice", "alice@example.com")
	out, err := e.forgot(client, "alice")
	if err != nil {
		t.Fatalf("ForgotPassword: %v", err)
	}
	wantDetails(t, out.CodeDeliveryDetails, "a***@e***", types.DeliveryMediumTypeEmail, "email")
	m := e.lastMessage("alice@example.com")
	if m.Purpose != "ForgotPassword" || m.Username != "alice" || m.PoolID != pool {
		t.Errorf("message = %+v", m)
	}
	// Nothing changes until the code is used: the old password still works.
	if s := lifecycleStatus(t, e, pool, "alice"); s != types.UserStatusTypeConfirmed {
		t.Errorf("status = %s", s)
	}
	e.signIn(pool, client, "alice", lifecyclePassword)

	// By alias as well as by username.
	aliases, aliasClient := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
	}, nil)
	e.confirmedUser(aliasClient, "bob", "bob@example.com")
	if _, err := e.forgot(aliasClient, "bob@example.com"); err != nil {
		t.Errorf("ForgotPassword by alias: %v", err)
	}
	if m := e.lastMessage("bob@example.com"); m.Purpose != "ForgotPassword" || m.PoolID != aliases {
		t.Errorf("message = %+v", m)
	}
}

func TestForgotPasswordRecoveryMechanisms(t *testing.T) {
	e := newLifecycleEnv(t)
	// Without AccountRecoverySetting a verified phone comes first.
	pool, client := lifecyclePool(t, e, nil, nil)
	tokensUser(t, e.env, pool, "both", "email", "both@example.com", "email_verified", "true",
		"phone_number", "+15555550111", "phone_number_verified", "true")
	out, err := e.forgot(client, "both")
	if err != nil {
		t.Fatal(err)
	}
	wantDetails(t, out.CodeDeliveryDetails, "+*******0111", types.DeliveryMediumTypeSms, "phone_number")
	// An unverified phone is skipped.
	tokensUser(t, e.env, pool, "mail", "email", "mail@example.com", "email_verified", "true", "phone_number", "+15555550112")
	out, err = e.forgot(client, "mail")
	if err != nil {
		t.Fatal(err)
	}
	wantDetails(t, out.CodeDeliveryDetails, "m***@e***", types.DeliveryMediumTypeEmail, "email")
	tokensUser(t, e.env, pool, "unverified", "email", "unverified@example.com")
	_, err = e.forgot(client, "unverified")
	wantAPIError(t, err, "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")

	// The pool's priorities decide.
	emailFirst, emailClient := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AccountRecoverySetting = &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedPhoneNumber, Priority: aws.Int32(2)},
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
		}}
	}, nil)
	tokensUser(t, e.env, emailFirst, "both", "email", "both2@example.com", "email_verified", "true",
		"phone_number", "+15555550113", "phone_number_verified", "true")
	out, err = e.forgot(emailClient, "both")
	if err != nil {
		t.Fatal(err)
	}
	wantDetails(t, out.CodeDeliveryDetails, "b***@e***", types.DeliveryMediumTypeEmail, "email")

	adminOnly, adminClient := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AccountRecoverySetting = &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeAdminOnly, Priority: aws.Int32(1)},
		}}
	}, nil)
	tokensUser(t, e.env, adminOnly, "carol", "email", "carol@example.com", "email_verified", "true")
	_, err = e.forgot(adminClient, "carol")
	wantAPIError(t, err, "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
}

func TestForgotPasswordErrors(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	usersCreate(t, e.env, pool, "invited", "email", "invited@example.com", "email_verified", "true")
	_, err := e.forgot(client, "invited")
	wantAPIError(t, err, "NotAuthorizedException", "User password cannot be reset in the current state.")

	tokensUser(t, e.env, pool, "off", "email", "off@example.com", "email_verified", "true")
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("off")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.forgot(client, "off")
	wantAPIError(t, err, "NotAuthorizedException", "User is disabled.")
	_, err = e.forgot(client, "nobody")
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.Client.ForgotPassword(e.ctx(), &cip.ForgotPasswordInput{ClientId: aws.String(poolsUnknownClient), Username: aws.String("x")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+poolsUnknownClient+" does not exist.")

	secret := tokensClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	_, err = e.Client.ForgotPassword(e.ctx(), &cip.ForgotPasswordInput{ClientId: secret.ClientId, Username: aws.String("off")})
	wantAPIError(t, err, "NotAuthorizedException", "Client "+aws.ToString(secret.ClientId)+" is configured with secret but SECRET_HASH was not received")

	// A client that hides who exists answers for anyone, by the pool's
	// first recovery medium, and sends nothing.
	hiding := tokensClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	})
	sent := len(e.Outbox.Messages())
	out, err := e.forgot(hiding, "ghost@example.com")
	if err != nil {
		t.Fatalf("ForgotPassword(unknown, hidden): %v", err)
	}
	// The pool recovers by phone first; the number is made up from the
	// username, the same every time.
	d := out.CodeDeliveryDetails
	if d.DeliveryMedium != types.DeliveryMediumTypeSms || aws.ToString(d.AttributeName) != "phone_number" ||
		!regexp.MustCompile(`^\+\*{7}[0-9]{4}$`).MatchString(aws.ToString(d.Destination)) {
		t.Errorf("simulated details = %+v", d)
	}
	again, err := e.forgot(hiding, "ghost@example.com")
	if err != nil || aws.ToString(again.CodeDeliveryDetails.Destination) != aws.ToString(d.Destination) {
		t.Errorf("a second ForgotPassword = %v, %v", again, err)
	}
	if len(e.Outbox.Messages()) != sent {
		t.Error("a message was sent for an unknown user")
	}
}

// A pool that recovers by e-mail answers an unknown user with a masked
// address.
func TestForgotPasswordSimulatedEmail(t *testing.T) {
	e := newLifecycleEnv(t)
	_, hiding := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AccountRecoverySetting = &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
		}}
	}, func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	})
	out, err := e.forgot(hiding, "ghost@example.com")
	if err != nil {
		t.Fatal(err)
	}
	wantDetails(t, out.CodeDeliveryDetails, "g***@e***", types.DeliveryMediumTypeEmail, "email")
}
