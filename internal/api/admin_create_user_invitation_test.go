package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/triggers"
)

// inviteInput is usersCreateInput sending the invitation, with a
// generated temporary password.
func inviteInput(poolID, username string, attrs ...string) *cip.AdminCreateUserInput {
	in := usersCreateInput(poolID, username, attrs...)
	in.MessageAction, in.TemporaryPassword = "", nil
	return in
}

// The invitation AdminCreateUser sends: through the media asked for (SMS
// by default), in the pool's InviteMessageTemplate or Cognito's default
// text, with a temporary password that signs in; none with SUPPRESS; a
// new one with RESEND.
func TestAdminCreateUserInvitation(t *testing.T) {
	e := newLifecycleEnv(t)
	plain := createTestPool(t, e.env, nil)
	c := tokensClient(t, e.env, plain, nil)

	in := inviteInput(plain, "inez", "email", "inez@example.com")
	in.DesiredDeliveryMediums = []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}
	if _, err := e.Client.AdminCreateUser(e.ctx(), in); err != nil {
		t.Fatal(err)
	}
	m := e.lastMessage("inez@example.com")
	if m.Purpose != "AdminCreateUser" || m.Medium != "EMAIL" || m.Subject != "Your temporary password" ||
		m.Body != "Your username is inez and temporary password is "+m.Code+". " {
		t.Errorf("invitation = %+v", m)
	}
	// The password in it signs in, to NEW_PASSWORD_REQUIRED.
	out, err := tokensInitiate(e.env, c, "inez", m.Code)
	if err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Errorf("sign-in with the invitation's password = %v, %v", out, err)
	}

	// SMS by default, to the phone number; a user without one gets none.
	if _, err := e.Client.AdminCreateUser(e.ctx(), inviteInput(plain, "pat", "phone_number", "+15555550142", "email", "pat@example.com")); err != nil {
		t.Fatal(err)
	}
	if m := e.lastMessage("+15555550142"); m.Medium != "SMS" || m.Body != "Your username is pat and temporary password is "+m.Code+". " {
		t.Errorf("SMS invitation = %+v", m)
	}
	if n := e.messageCount("pat@example.com"); n != 0 {
		t.Errorf("%d e-mails to pat without EMAIL asked for", n)
	}
	before := len(e.Outbox.Messages())
	if _, err := e.Client.AdminCreateUser(e.ctx(), inviteInput(plain, "quinn", "email", "quinn@example.com")); err != nil {
		t.Fatal(err)
	}
	if n := len(e.Outbox.Messages()) - before; n != 0 {
		t.Errorf("%d messages for a user without a phone number, default medium", n)
	}

	// SUPPRESS sends nothing; RESEND sends a new password.
	in = inviteInput(plain, "sam", "email", "sam@example.com")
	in.MessageAction = types.MessageActionTypeSuppress
	in.DesiredDeliveryMediums = []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}
	if _, err := e.Client.AdminCreateUser(e.ctx(), in); err != nil {
		t.Fatal(err)
	}
	if n := e.messageCount("sam@example.com"); n != 0 {
		t.Errorf("SUPPRESS sent %d messages", n)
	}
	if _, err := e.Client.AdminCreateUser(e.ctx(), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(plain), Username: aws.String("sam"), MessageAction: types.MessageActionTypeResend,
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
	}); err != nil {
		t.Fatal(err)
	}
	resent := e.lastMessage("sam@example.com")
	if out, err := tokensInitiate(e.env, c, "sam", resent.Code); err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Errorf("sign-in with the resent password = %v, %v", out, err)
	}

	// A medium asked for without its address.
	in = inviteInput(plain, "nora", "email", "nora@example.com")
	in.DesiredDeliveryMediums = []types.DeliveryMediumType{types.DeliveryMediumTypeSms}
	_, err = e.Client.AdminCreateUser(e.ctx(), in)
	wantAPIError(t, err, "InvalidParameterException", "No phone_number provided but desired delivery medium was SMS")
	in = inviteInput(plain, "nora", "phone_number", "+15555550143")
	in.DesiredDeliveryMediums = []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}
	_, err = e.Client.AdminCreateUser(e.ctx(), in)
	wantAPIError(t, err, "InvalidParameterException", "No email provided but desired delivery medium was Email")
	_, err = e.Client.AdminGetUser(e.ctx(), &cip.AdminGetUserInput{UserPoolId: aws.String(plain), Username: aws.String("nora")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")

	// In a pool that signs in with the e-mail address, {username} is the
	// address, the name the user signs in with.
	byEmail := createTestPool(t, e.env, func(in *cip.CreateUserPoolInput) {
		in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
	})
	byEmailClient := tokensClient(t, e.env, byEmail, nil)
	in = inviteInput(byEmail, "yuri@example.com")
	in.DesiredDeliveryMediums = []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}
	if _, err := e.Client.AdminCreateUser(e.ctx(), in); err != nil {
		t.Fatal(err)
	}
	m = e.lastMessage("yuri@example.com")
	if m.Body != "Your username is yuri@example.com and temporary password is "+m.Code+". " || m.Username == "yuri@example.com" {
		t.Errorf("invitation in an e-mail-username pool = %+v", m)
	}
	if out, err := tokensInitiate(e.env, byEmailClient, "yuri@example.com", m.Code); err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Errorf("sign-in with the address and the invitation's password = %v, %v", out, err)
	}

	// The pool's template, both media at once.
	tmpl := createTestPool(t, e.env, func(in *cip.CreateUserPoolInput) {
		in.AdminCreateUserConfig = &types.AdminCreateUserConfigType{InviteMessageTemplate: &types.MessageTemplateType{
			EmailSubject: aws.String("Welcome to Acme"),
			EmailMessage: aws.String("Hi {username}, sign in with {####}"),
			SMSMessage:   aws.String("Acme: {username} / {####}"),
		}}
	})
	in = inviteInput(tmpl, "tess", "email", "tess@example.com", "phone_number", "+15555550144")
	in.DesiredDeliveryMediums = []types.DeliveryMediumType{types.DeliveryMediumTypeEmail, types.DeliveryMediumTypeSms}
	if _, err := e.Client.AdminCreateUser(e.ctx(), in); err != nil {
		t.Fatal(err)
	}
	if m := e.lastMessage("tess@example.com"); m.Subject != "Welcome to Acme" || m.Body != "Hi tess, sign in with "+m.Code {
		t.Errorf("templated e-mail = %+v", m)
	}
	if m := e.lastMessage("+15555550144"); m.Body != "Acme: tess / "+m.Code {
		t.Errorf("templated SMS = %+v", m)
	}
}

// CustomMessage_AdminCreateUser: the function words the invitation with
// usernameParameter and codeParameter, and gets the ClientMetadata; its
// refusal leaves no user.
func TestTriggerCustomMessageAdminCreateUser(t *testing.T) {
	e, h, s := triggersOutboxEnv(t)
	h.funcs["message"] = func(ev map[string]any) (any, error) {
		req := ev["request"].(map[string]any)
		if req["clientMetadata"].(map[string]any)["refuse"] == "yes" {
			return nil, &triggers.FunctionError{Message: "no invitations today", Type: "Error"}
		}
		return map[string]any{
			"emailSubject": "Join Acme",
			"emailMessage": "User " + req["usernameParameter"].(string) + ", password " + req["codeParameter"].(string),
		}, nil
	}
	pool, _ := triggersPool(t, e, &types.LambdaConfigType{CustomMessage: fnARN("message")})
	in := inviteInput(pool, "uma", "email", "uma@example.com")
	in.DesiredDeliveryMediums = []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}
	in.ClientMetadata = map[string]string{"campaign": "spring"}
	if _, err := e.Client.AdminCreateUser(e.ctx(), in); err != nil {
		t.Fatal(err)
	}
	msgs := s.Outbox.Messages()
	m := msgs[len(msgs)-1]
	if m.Subject != "Join Acme" || m.Body != "User uma, password "+m.Code || m.Code == "" {
		t.Errorf("invitation = %+v", m)
	}
	ev := h.last(t, "CustomMessage_AdminCreateUser")
	req := ev["request"].(map[string]any)
	attrs := req["userAttributes"].(map[string]any)
	if req["usernameParameter"] != "{username}" || req["codeParameter"] != "{####}" ||
		req["clientMetadata"].(map[string]any)["campaign"] != "spring" ||
		attrs["email"] != "uma@example.com" || attrs["cognito:user_status"] != "FORCE_CHANGE_PASSWORD" || attrs["sub"] == "" {
		t.Errorf("event request = %v", req)
	}
	if cc := ev["callerContext"].(map[string]any); cc["clientId"] != "CLIENT_ID_NOT_APPLICABLE" {
		t.Errorf("callerContext = %v", cc)
	}

	in = inviteInput(pool, "vic", "email", "vic@example.com")
	in.DesiredDeliveryMediums = []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}
	in.ClientMetadata = map[string]string{"refuse": "yes"}
	_, err := e.Client.AdminCreateUser(e.ctx(), in)
	wantAPIError(t, err, "UserLambdaValidationException", "CustomMessage failed with error no invitations today.")
	_, err = e.Client.AdminGetUser(e.ctx(), &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("vic")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
}
