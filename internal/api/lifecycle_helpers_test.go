package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/testserver"
)

// Helpers for the tests of the user lifecycle actions (issue 5): sign-up,
// confirmation, password resets, a user's own attributes. Their server
// delivers messages into an outbox the tests read codes from, and can be
// told to fail deliveries.

// lifecycleEnv is env with message delivery: every message lands in
// Outbox (also served at GET /_dev/messages, as under --dev), then goes
// to Failer, which fails while told to.
type lifecycleEnv struct {
	*env
	Outbox *delivery.Outbox
	Failer *lifecycleFailer
}

// lifecycleFailer is a sender that fails while its error is set.
type lifecycleFailer struct {
	mu  sync.Mutex
	err error
}

func (f *lifecycleFailer) Send(context.Context, delivery.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// Fail makes deliveries fail with err until Fail(nil).
func (f *lifecycleFailer) Fail(err error) {
	f.mu.Lock()
	f.err = err
	f.mu.Unlock()
}

// newLifecycleEnv starts a server like newEnv's, whose service delivers
// messages to an outbox.
func newLifecycleEnv(t *testing.T) *lifecycleEnv {
	t.Helper()
	failer := &lifecycleFailer{}
	s := testserver.New(t, testserver.WithoutOAuth2(), testserver.WithOutbox(failer), testserver.WithDevOutbox())
	return &lifecycleEnv{env: newEnvFrom(t, s), Outbox: s.Outbox, Failer: failer}
}

// lifecycleCodeRE is the shape of every code.
var lifecycleCodeRE = regexp.MustCompile(`^[0-9]{6}$`)

// lastMessage returns the newest message sent to destination.
func (e *lifecycleEnv) lastMessage(destination string) delivery.Message {
	e.t.Helper()
	msgs := e.Outbox.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Destination == destination {
			return msgs[i]
		}
	}
	e.t.Fatalf("no message was sent to %s", destination)
	return delivery.Message{}
}

// code returns the newest code sent to destination.
func (e *lifecycleEnv) code(destination string) string {
	e.t.Helper()
	c := e.lastMessage(destination).Code
	if !lifecycleCodeRE.MatchString(c) {
		e.t.Fatalf("code %q is not six digits", c)
	}
	return c
}

// messageCount is how many messages went to destination.
func (e *lifecycleEnv) messageCount(destination string) int {
	n := 0
	for _, m := range e.Outbox.Messages() {
		if m.Destination == destination {
			n++
		}
	}
	return n
}

// lifecyclePassword meets the default policy.
const lifecyclePassword = "Sign-up-Passw0rd!"

// lifecycleNewPassword meets the default policy too.
const lifecycleNewPassword = "Reset-Passw0rd!"

// lifecyclePool creates a pool that verifies e-mail automatically,
// adjusted by mutate, and an app client allowing password sign-in and
// refresh, adjusted by clientMut.
func lifecyclePool(t *testing.T, e *lifecycleEnv, mutate func(*cip.CreateUserPoolInput), clientMut func(*cip.CreateUserPoolClientInput)) (string, *types.UserPoolClientType) {
	t.Helper()
	pool := createTestPool(t, e.env, func(in *cip.CreateUserPoolInput) {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
		if mutate != nil {
			mutate(in)
		}
	})
	return pool, tokensClient(t, e.env, pool, clientMut)
}

// lifecycleSecretHash is the SecretHash of username for a client with a
// secret, "" for one without.
func lifecycleSecretHash(c *types.UserPoolClientType, username string) *string {
	if c.ClientSecret == nil {
		return nil
	}
	return aws.String(tokensSecretHash(c, username))
}

// signUp runs SignUp with the attribute pairs given.
func (e *lifecycleEnv) signUp(c *types.UserPoolClientType, username, password string, attrs ...string) (*cip.SignUpOutput, error) {
	return e.Client.SignUp(e.ctx(), &cip.SignUpInput{
		ClientId: c.ClientId, Username: aws.String(username), Password: aws.String(password),
		SecretHash: lifecycleSecretHash(c, username), UserAttributes: usersAttrs(attrs...),
	})
}

// mustSignUp signs a user up and fails the test on an error.
func (e *lifecycleEnv) mustSignUp(c *types.UserPoolClientType, username string, attrs ...string) *cip.SignUpOutput {
	e.t.Helper()
	out, err := e.signUp(c, username, lifecyclePassword, attrs...)
	if err != nil {
		e.t.Fatalf("SignUp(%s): %v", username, err)
	}
	return out
}

// confirm runs ConfirmSignUp.
func (e *lifecycleEnv) confirm(c *types.UserPoolClientType, username, code string) error {
	_, err := e.Client.ConfirmSignUp(e.ctx(), &cip.ConfirmSignUpInput{
		ClientId: c.ClientId, Username: aws.String(username), ConfirmationCode: aws.String(code),
		SecretHash: lifecycleSecretHash(c, username),
	})
	return err
}

// confirmedUser signs up a user with the e-mail address given and
// confirms them with the code sent; they sign in with lifecyclePassword.
func (e *lifecycleEnv) confirmedUser(c *types.UserPoolClientType, username, email string, attrs ...string) {
	e.t.Helper()
	e.mustSignUp(c, username, append([]string{"email", email}, attrs...)...)
	if err := e.confirm(c, username, e.code(email)); err != nil {
		e.t.Fatalf("ConfirmSignUp(%s): %v", username, err)
	}
}

// forgot runs ForgotPassword.
func (e *lifecycleEnv) forgot(c *types.UserPoolClientType, username string) (*cip.ForgotPasswordOutput, error) {
	return e.Client.ForgotPassword(e.ctx(), &cip.ForgotPasswordInput{
		ClientId: c.ClientId, Username: aws.String(username), SecretHash: lifecycleSecretHash(c, username),
	})
}

// confirmForgot runs ConfirmForgotPassword.
func (e *lifecycleEnv) confirmForgot(c *types.UserPoolClientType, username, code, password string) error {
	_, err := e.Client.ConfirmForgotPassword(e.ctx(), &cip.ConfirmForgotPasswordInput{
		ClientId: c.ClientId, Username: aws.String(username), ConfirmationCode: aws.String(code),
		Password: aws.String(password), SecretHash: lifecycleSecretHash(c, username),
	})
	return err
}

// signIn signs a user in and returns the tokens.
func (e *lifecycleEnv) signIn(pool string, c *types.UserPoolClientType, username, password string) *types.AuthenticationResultType {
	e.t.Helper()
	return signInUser(e.t, e.env, pool, c, username, password)
}

// lifecycleDetailsCmp compares CodeDeliveryDetails.
var lifecycleDetailsCmp = cmpopts.IgnoreUnexported(types.CodeDeliveryDetailsType{})

// wantDetails asserts CodeDeliveryDetails.
func wantDetails(t *testing.T, got *types.CodeDeliveryDetailsType, destination string, medium types.DeliveryMediumType, attr string) {
	t.Helper()
	want := &types.CodeDeliveryDetailsType{Destination: aws.String(destination), DeliveryMedium: medium, AttributeName: aws.String(attr)}
	if d := cmp.Diff(want, got, lifecycleDetailsCmp); d != "" {
		t.Errorf("CodeDeliveryDetails (-want +got):\n%s", d)
	}
}

// lifecycleStatus is the user's status as AdminGetUser shows it.
func lifecycleStatus(t *testing.T, e *lifecycleEnv, pool, username string) types.UserStatusType {
	t.Helper()
	return usersGet(t, e.env, pool, username).UserStatus
}

// lifecycleAttrs is the user's attributes as AdminGetUser shows them.
func lifecycleAttrs(t *testing.T, e *lifecycleEnv, pool, username string) map[string]string {
	t.Helper()
	return usersAttrMap(usersGet(t, e.env, pool, username).UserAttributes)
}

// errDeliveryTest is what the failing sender answers.
var errDeliveryTest = errors.New("the test's mail server is down")

// lifecycleOutboxJSON reads GET /_dev/messages.
func lifecycleOutboxJSON(t *testing.T, url string) (int, []map[string]any) {
	t.Helper()
	resp, err := http.Get(url + "/_dev/messages")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil
	}
	var out []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}
