package delivery

import (
	"context"
	"time"
)

// Delivery media, as Cognito names them in CodeDeliveryDetails.
const (
	MediumEmail = "EMAIL"
	MediumSMS   = "SMS"
)

// Purposes of a message, named after the trigger sources Cognito gives its
// CustomMessage Lambda trigger (without the "CustomMessage_" prefix), so
// whoever bridges a webhook to a template engine finds familiar names.
const (
	PurposeSignUp              = "SignUp"
	PurposeAdminCreateUser     = "AdminCreateUser"
	PurposeResendCode          = "ResendCode"
	PurposeForgotPassword      = "ForgotPassword"
	PurposeUpdateUserAttribute = "UpdateUserAttribute"
	PurposeVerifyUserAttribute = "VerifyUserAttribute"
)

// Message is one message to a user. Its JSON form is what the webhook
// posts and what the development outbox lists.
type Message struct {
	PoolID   string `json:"poolId"`
	Username string `json:"username"`
	// Destination is the e-mail address or phone number, unmasked.
	Destination string `json:"destination"`
	// Medium is MediumEmail or MediumSMS.
	Medium  string `json:"deliveryMedium"`
	Purpose string `json:"purpose"`
	// Code is the one-time code the body carries.
	Code string `json:"code"`
	// Subject is the e-mail subject; empty for SMS.
	Subject string `json:"subject,omitempty"`
	// Body is the rendered message, code included.
	Body string    `json:"body"`
	Time time.Time `json:"time"`
}

// Sender delivers messages. Send returns once the message is handed over
// (accepted by the mail server, acknowledged by the webhook) or has
// definitely failed.
type Sender interface {
	Send(ctx context.Context, m Message) error
}
