package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func TestSignUp(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	out := e.mustSignUp(client, "alice", "email", "abel@example.com", "name", "Alice")
	if out.UserConfirmed {
		t.Error("UserConfirmed = true")
	}
	if !usersUUID.MatchString(aws.ToString(out.UserSub)) {
		t.Errorf("UserSub = %q, want a UUID", aws.ToString(out.UserSub))
	}
	// The mask of a captured real answer for this address.
	wantDetails(t, out.CodeDeliveryDetails, "a***@e***", types.DeliveryMediumTypeEmail, "email")

	u := usersGet(t, e.env, pool, "alice")
	if u.UserStatus != types.UserStatusTypeUnconfirmed || !u.Enabled {
		t.Errorf("user: status %s, enabled %v", u.UserStatus, u.Enabled)
	}
	want := map[string]string{"sub": aws.ToString(out.UserSub), "email": "abel@example.com", "name": "Alice"}
	if d := cmp.Diff(want, usersAttrMap(u.UserAttributes)); d != "" {
		t.Errorf("attributes (-want +got):\n%s", d)
	}

	m := e.lastMessage("abel@example.com")
	if m.PoolID != pool || m.Username != "alice" || m.Medium != "EMAIL" || m.Purpose != "SignUp" {
		t.Errorf("message = %+v", m)
	}
	if m.Subject != "Your verification code" || m.Body != "Your verification code is "+m.Code+". " {
		t.Errorf("message text: subject %q, body %q", m.Subject, m.Body)
	}
	if !lifecycleCodeRE.MatchString(m.Code) {
		t.Errorf("code %q is not six digits", m.Code)
	}

	_, err := tokensInitiate(e.env, client, "alice", lifecyclePassword)
	wantAPIError(t, err, "UserNotConfirmedException", "User is not confirmed.")
}

func TestSignUpWithoutAutoVerification(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) { in.AutoVerifiedAttributes = nil }, nil)
	out := e.mustSignUp(client, "bob", "email", "bob@example.com")
	if out.CodeDeliveryDetails != nil {
		t.Errorf("CodeDeliveryDetails = %+v, want none", out.CodeDeliveryDetails)
	}
	if n := len(e.Outbox.Messages()); n != 0 {
		t.Errorf("%d messages sent, want none", n)
	}
	if s := lifecycleStatus(t, e, pool, "bob"); s != types.UserStatusTypeUnconfirmed {
		t.Errorf("status = %s", s)
	}
}

func TestSignUpPrefersThePhone(t *testing.T) {
	e := newLifecycleEnv(t)
	_, client := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail, types.VerifiedAttributeTypePhoneNumber}
		in.VerificationMessageTemplate = &types.VerificationMessageTemplateType{SmsMessage: aws.String("Code {####} for Example")}
	}, nil)
	out := e.mustSignUp(client, "carol", "email", "carol@example.com", "phone_number", "+15555550123")
	wantDetails(t, out.CodeDeliveryDetails, "+*******0123", types.DeliveryMediumTypeSms, "phone_number")
	m := e.lastMessage("+15555550123")
	if m.Medium != "SMS" || m.Subject != "" || m.Body != "Code "+m.Code+" for Example" {
		t.Errorf("message = %+v", m)
	}
	// Only the phone has no code; a user without one gets the e-mail.
	out = e.mustSignUp(client, "dave", "email", "dave@example.com")
	wantDetails(t, out.CodeDeliveryDetails, "d***@e***", types.DeliveryMediumTypeEmail, "email")
}

func TestSignUpMessageTemplates(t *testing.T) {
	e := newLifecycleEnv(t)
	_, client := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.VerificationMessageTemplate = &types.VerificationMessageTemplateType{
			EmailSubject: aws.String("Welcome to Example"),
			EmailMessage: aws.String("<p>Your code: <b>{####}</b></p>"),
		}
	}, nil)
	e.mustSignUp(client, "erin", "email", "erin@example.com")
	m := e.lastMessage("erin@example.com")
	if m.Subject != "Welcome to Example" || m.Body != "<p>Your code: <b>"+m.Code+"</b></p>" {
		t.Errorf("templated message: subject %q, body %q", m.Subject, m.Body)
	}

	// The legacy members work too.
	_, legacy := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.EmailVerificationSubject = aws.String("Legacy subject")
		in.EmailVerificationMessage = aws.String("Legacy {####}")
	}, nil)
	e.mustSignUp(legacy, "finn", "email", "finn@example.com")
	m = e.lastMessage("finn@example.com")
	if m.Subject != "Legacy subject" || m.Body != "Legacy "+m.Code {
		t.Errorf("legacy message: subject %q, body %q", m.Subject, m.Body)
	}
}

func TestSignUpErrors(t *testing.T) {
	e := newLifecycleEnv(t)
	_, client := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("name"), Required: aws.Bool(true), Mutable: aws.Bool(true)}}
	}, nil)
	e.mustSignUp(client, "alice", "email", "alice@example.com", "name", "Alice")

	_, err := e.signUp(client, "alice", lifecyclePassword, "name", "Other")
	wantAPIError(t, err, "UsernameExistsException", "User already exists")
	_, err = e.signUp(client, "bob", "short", "name", "Bob")
	wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	_, err = e.signUp(client, "bob", "alllowercase1!", "name", "Bob")
	wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with policy: Password must have uppercase characters")
	_, err = e.signUp(client, "bob", lifecyclePassword)
	wantAPIError(t, err, "InvalidParameterException", "Attributes did not conform to the schema: name: The attribute is required\n")
	_, err = e.signUp(client, "bob", lifecyclePassword, "name", "Bob", "custom:nope", "x")
	wantAPIError(t, err, "InvalidParameterException", "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n")
	_, err = e.signUp(client, "bob", lifecyclePassword, "name", "Bob", "email", "not-an-address")
	wantAPIError(t, err, "InvalidParameterException", "Invalid email address format.")
	// A user cannot verify their own address by saying so.
	_, err = e.signUp(client, "bob", lifecyclePassword, "name", "Bob", "email", "bob@example.com", "email_verified", "true")
	wantAPIError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")

	_, err = e.Client.SignUp(e.ctx(), &cip.SignUpInput{ClientId: aws.String(poolsUnknownClient), Username: aws.String("x"), Password: aws.String(lifecyclePassword)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+poolsUnknownClient+" does not exist.")

	// Nothing of the refused sign-ups exists.
	if n := len(e.Outbox.Messages()); n != 1 {
		t.Errorf("%d messages sent, want only alice's", n)
	}
}

func TestSignUpClientRules(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, restricted := lifecyclePool(t, e, nil, func(in *cip.CreateUserPoolClientInput) {
		in.WriteAttributes = []string{"email"}
	})
	_, err := e.signUp(restricted, "alice", lifecyclePassword, "email", "alice@example.com", "name", "Alice")
	wantAPIError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	e.mustSignUp(restricted, "alice", "email", "alice@example.com")

	secret := tokensClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	id := aws.ToString(secret.ClientId)
	signUp := func(hash *string) error {
		_, err := e.Client.SignUp(e.ctx(), &cip.SignUpInput{ClientId: secret.ClientId, Username: aws.String("bob"),
			Password: aws.String(lifecyclePassword), SecretHash: hash})
		return err
	}
	wantAPIError(t, signUp(nil), "NotAuthorizedException", "Client "+id+" is configured with secret but SECRET_HASH was not received")
	wantAPIError(t, signUp(aws.String(tokensSecretHash(secret, "someone-else"))), "NotAuthorizedException", "Unable to verify secret hash for client "+id)
	wantAPIError(t, signUp(aws.String(tokensSecretHash(restricted, "bob"))), "NotAuthorizedException", "Unable to verify secret hash for client "+id)
	if err := signUp(aws.String(tokensSecretHash(secret, "bob"))); err != nil {
		t.Fatalf("SignUp with the right SecretHash: %v", err)
	}
	_, err = e.Client.SignUp(e.ctx(), &cip.SignUpInput{ClientId: restricted.ClientId, Username: aws.String("carol"),
		Password: aws.String(lifecyclePassword), SecretHash: aws.String("c2VjcmV0")})
	wantAPIError(t, err, "InvalidParameterException", "App client "+aws.ToString(restricted.ClientId)+" is not configured for secret but secret hash was received")

	adminOnly, adminClient := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AdminCreateUserConfig = &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}
	}, nil)
	_, err = e.signUp(adminClient, "dave", lifecyclePassword)
	wantAPIError(t, err, "NotAuthorizedException", "SignUp is not permitted for this user pool")
	wantAPIError(t, usersGetErr(e.env, adminOnly, "dave"), "UserNotFoundException", "User does not exist.")
}

func TestSignUpEmailAsUsername(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
	}, nil)
	out := e.mustSignUp(client, "gina@example.com")
	u := usersGet(t, e.env, pool, "gina@example.com")
	if aws.ToString(u.Username) != aws.ToString(out.UserSub) {
		t.Errorf("Username = %s, want the sub %s", aws.ToString(u.Username), aws.ToString(out.UserSub))
	}
	if usersAttrMap(u.UserAttributes)["email"] != "gina@example.com" {
		t.Errorf("attributes = %v", usersAttrMap(u.UserAttributes))
	}
	wantDetails(t, out.CodeDeliveryDetails, "g***@e***", types.DeliveryMediumTypeEmail, "email")

	_, err := e.signUp(client, "gina@example.com", lifecyclePassword)
	wantAPIError(t, err, "UsernameExistsException", "An account with the given email already exists.")
	_, err = e.signUp(client, "gina", lifecyclePassword)
	wantAPIError(t, err, "InvalidParameterException", "Username should be an email.")

	// Confirmed by the code, and signed in by the address.
	if err := e.confirm(client, "gina@example.com", e.code("gina@example.com")); err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}
	e.signIn(pool, client, "gina@example.com", lifecyclePassword)
}

func TestSignUpDeliveryFailure(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.Failer.Fail(errDeliveryTest)
	_, err := e.signUp(client, "hank", lifecyclePassword, "email", "hank@example.com")
	wantAPIError(t, err, "CodeDeliveryFailureException", "Invalid email provided/Unable to send the email")
	// As on Cognito the user exists all the same, and a code can be asked
	// for again once delivery works.
	if s := lifecycleStatus(t, e, pool, "hank"); s != types.UserStatusTypeUnconfirmed {
		t.Errorf("status = %s", s)
	}
	e.Failer.Fail(nil)
	if _, err := e.Client.ResendConfirmationCode(e.ctx(), &cip.ResendConfirmationCodeInput{ClientId: client.ClientId, Username: aws.String("hank")}); err != nil {
		t.Fatalf("ResendConfirmationCode: %v", err)
	}
	if err := e.confirm(client, "hank", e.code("hank@example.com")); err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}

	_, sms := lifecyclePool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypePhoneNumber}
	}, nil)
	e.Failer.Fail(errDeliveryTest)
	_, err = e.signUp(sms, "ida", lifecyclePassword, "phone_number", "+15555550199")
	wantAPIError(t, err, "CodeDeliveryFailureException", "Unable to send the SMS")
}

// The development outbox is served only when the server is given one,
// as `serve --dev` does.
func TestDevOutboxRoute(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, nil)
	e.mustSignUp(client, "alice", "email", "alice@example.com")
	e.mustSignUp(client, "bob", "email", "bob@example.com")
	status, msgs := lifecycleOutboxJSON(t, e.URL)
	if status != http.StatusOK || len(msgs) != 2 {
		t.Fatalf("GET /_dev/messages = %d, %d messages", status, len(msgs))
	}
	last := msgs[1]
	for k, want := range map[string]any{"poolId": pool, "username": "bob", "destination": "bob@example.com",
		"deliveryMedium": "EMAIL", "purpose": "SignUp", "code": e.code("bob@example.com")} {
		if last[k] != want {
			t.Errorf("%s = %v, want %v", k, last[k], want)
		}
	}
	if ts, _ := last["time"].(string); !strings.HasPrefix(ts, "2026-11-22T12:00:00") {
		t.Errorf("time = %v", last["time"])
	}

	plain := newEnv(t)
	if status, _ := lifecycleOutboxJSON(t, plain.URL); status != http.StatusNotFound {
		t.Errorf("GET /_dev/messages without an outbox = %d, want 404", status)
	}
}
