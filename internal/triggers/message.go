package triggers

import "context"

// CodeParameter is the placeholder Cognito puts in CustomMessage events
// and replaces with the code in what the function returns;
// UsernameParameter the one for the username, in the events of an
// invitation (AdminCreateUser) only.
const (
	CodeParameter     = "{####}"
	UsernameParameter = "{username}"
)

// Message is what a CustomMessage function returned; nil members keep the
// pool's own text.
type Message struct {
	SMSMessage   *string `json:"smsMessage"`
	EmailMessage *string `json:"emailMessage"`
	EmailSubject *string `json:"emailSubject"`
}

type messageRequest struct {
	UserAttributes    map[string]string `json:"userAttributes"`
	CodeParameter     string            `json:"codeParameter"`
	UsernameParameter *string           `json:"usernameParameter"`
	LinkParameter     *string           `json:"linkParameter"`
	ClientMetadata    map[string]string `json:"clientMetadata,omitempty"`
}

// CustomMessage runs the pool's CustomMessage trigger for a message with
// a code (source: SignUp, AdminCreateUser, ResendCode, ForgotPassword,
// UpdateUserAttribute, VerifyUserAttribute, Authentication) and returns
// the text it chose, its placeholders not yet replaced; nil when the pool
// has no CustomMessage function. An invitation's event (AdminCreateUser,
// whose code is the temporary password) names the username placeholder
// too; the others carry null there.
func (t *Triggers) CustomMessage(ctx context.Context, c Call, source string) (*Message, error) {
	arn := config(c.Pool).CustomMessage
	if t == nil || arn == "" {
		return nil, nil
	}
	req := messageRequest{UserAttributes: orEmpty(c.Attributes), CodeParameter: CodeParameter, ClientMetadata: c.ClientMetadata}
	if source == SourceAdminCreateUser {
		u := UsernameParameter
		req.UsernameParameter = &u
	}
	ev := newEnvelope(c, "1", "CustomMessage_"+source, req, Message{})
	if err := invoke(ctx, t, "CustomMessage", arn, ev); err != nil {
		return nil, err
	}
	return &ev.Response, nil
}
