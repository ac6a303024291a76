package userpool

import (
	"context"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/delivery"
)

// The messages that carry codes to users: their text, from the pool's
// templates or Cognito's defaults, and their one way out (deliver).

// Cognito's default verification messages, used when the pool has none.
const (
	defaultVerificationSubject = "Your verification code"
	defaultVerificationMessage = "Your verification code is {####}. "
	codePlaceholder            = "{####}"
)

// verificationMessage renders the pool's verification message for a code:
// VerificationMessageTemplate, else the legacy EmailVerificationMessage,
// EmailVerificationSubject and SmsVerificationMessage, else Cognito's
// defaults. Cognito uses the same template for confirmation, attribute
// verification and password reset. A pool that confirms by link
// (CONFIRM_WITH_LINK) is still sent its code message: this server has no
// confirmation link endpoint.
func verificationMessage(pool *cognito.UserPoolType, medium, code string) (subject, body string) {
	var tmpl cognito.VerificationMessageTemplateType
	if pool.VerificationMessageTemplate != nil {
		tmpl = *pool.VerificationMessageTemplate
	}
	first := func(vs ...string) string {
		for _, v := range vs {
			if v != "" {
				return v
			}
		}
		return ""
	}
	if medium == delivery.MediumSMS {
		body = first(tmpl.SmsMessage, pool.SmsVerificationMessage, defaultVerificationMessage)
		return "", strings.ReplaceAll(body, codePlaceholder, code)
	}
	subject = first(tmpl.EmailSubject, pool.EmailVerificationSubject, defaultVerificationSubject)
	body = first(tmpl.EmailMessage, pool.EmailVerificationMessage, defaultVerificationMessage)
	return subject, strings.ReplaceAll(body, codePlaceholder, code)
}

// deliverCode sends a verification code (confirmation, attribute
// verification, password reset) to its target in the pool's verification
// message; metadata is the action's ClientMetadata, for CustomMessage.
func (s *Service) deliverCode(ctx context.Context, pool *cognito.UserPoolType, username string, t codeTarget, purpose, code string, metadata map[string]string) error {
	subject, body := verificationMessage(pool, t.medium, code)
	m := delivery.Message{PoolID: pool.ID, Username: username, Purpose: purpose, Code: code, Subject: subject, Body: body}
	return s.deliver(ctx, pool, m, t, messageEvent{metadata: metadata})
}

// Cognito's default messages for sign-in codes, used when the pool has
// none (SmsAuthenticationMessage, EmailMfaConfiguration).
const (
	defaultMFASMSMessage   = "Your authentication code is {####}. "
	defaultMFAEmailSubject = "Your authentication code"
	defaultMFAEmailMessage = "Your authentication code is {####}. "
)

// mfaMessage renders a sign-in code's message: the pool's
// SmsAuthenticationMessage or e-mail MFA message, else Cognito's default.
func mfaMessage(pool *cognito.UserPoolType, cfg poolMFA, medium, code string) (subject, body string) {
	if medium == delivery.MediumSMS {
		return "", strings.ReplaceAll(stringOr(pool.SmsAuthenticationMessage, defaultMFASMSMessage), codePlaceholder, code)
	}
	var e cognito.EmailMfaConfigType
	if cfg.Email != nil {
		e = *cfg.Email
	}
	return stringOr(e.Subject, defaultMFAEmailSubject),
		strings.ReplaceAll(stringOr(e.Message, defaultMFAEmailMessage), codePlaceholder, code)
}

// deliverMFACode sends a sign-in code in the pool's MFA message.
func (s *Service) deliverMFACode(ctx context.Context, pool *cognito.UserPoolType, cfg poolMFA, username string, t codeTarget, code string) error {
	subject, body := mfaMessage(pool, cfg, t.medium, code)
	m := delivery.Message{PoolID: pool.ID, Username: username, Purpose: purposeAuthentication, Code: code, Subject: subject, Body: body}
	// A sign-in's ClientMetadata does not reach CustomMessage.
	return s.deliver(ctx, pool, m, t, messageEvent{})
}

// messageEvent is what a message's CustomMessage event carries besides
// the message: the action's ClientMetadata, and, for a user not yet
// stored (an invitation is worded before its user is created), the
// user's attributes as the event gives them and the name the user signs
// in with, which an invitation's {username} stands for.
type messageEvent struct {
	metadata map[string]string
	attrs    map[string]string
	username string
}

// deliver words a message (the pool's CustomMessage function may) and
// sends it to t.
func (s *Service) deliver(ctx context.Context, pool *cognito.UserPoolType, m delivery.Message, t codeTarget, ev messageEvent) error {
	m, err := s.customMessage(ctx, pool, m, t.medium, ev)
	if err != nil {
		return err
	}
	return s.send(ctx, pool, m, t)
}

// send sends a worded message to t through the configured Messenger, the
// one way every code leaves. A failure is CodeDeliveryFailureException,
// Cognito's answer when SES or SNS refuses a message; the code stays
// stored, so asking for it again works once delivery does. A pool with
// a custom sender trigger for the medium still goes through the
// Messenger, and says so (internal/triggers).
func (s *Service) send(ctx context.Context, pool *cognito.UserPoolType, m delivery.Message, t codeTarget) error {
	s.cfg.Triggers.CustomSenderIgnored(ctx, pool, t.medium == delivery.MediumSMS)
	if s.cfg.Messages == nil {
		return nil
	}
	m.Destination, m.Medium, m.Time = t.destination, t.medium, s.now()
	err := s.cfg.Messages.Send(ctx, m)
	if err == nil {
		return nil
	}
	s.exportDeliveryFailure(ctx, pool, m, err)
	msg := msgEmailDeliveryFailure
	if t.medium == delivery.MediumSMS {
		msg = msgSMSDeliveryFailure
	}
	e := cognito.New(cognito.TypeCodeDeliveryFailure, msg)
	e.Err = err
	return e
}
