package userpool

import (
	"context"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/triggers"
)

// The invitation AdminCreateUser sends a new user (and sends again with
// MessageAction RESEND): the username and the temporary password, in the
// pool's AdminCreateUserConfig.InviteMessageTemplate or Cognito's default
// text, through the media DesiredDeliveryMediums names (SMS when it names
// none, Cognito's default), worded by the pool's CustomMessage function
// when there is one (source AdminCreateUser, with usernameParameter).

// Cognito's default invitation, used when the pool has no template.
const (
	defaultInviteSubject = "Your temporary password"
	defaultInviteMessage = "Your username is {username} and temporary password is {####}. "
)

// Refusals of a medium the user has no address for. The e-mail one is
// Cognito's (observed); the SMS one is ours in the same words.
const (
	msgInviteNoEmail = "No email provided but desired delivery medium was Email"
	msgInviteNoPhone = "No phone_number provided but desired delivery medium was SMS"
)

// inviteTargets are where u's invitation goes. Media named outright need
// the address (InvalidParameterException otherwise); the default, SMS,
// goes only where there is a phone number, so a user without one gets no
// invitation, as on Cognito.
func inviteTargets(u store.User, mediums []string) ([]codeTarget, error) {
	email, _ := u.Attr(attrEmail)
	phone, _ := u.Attr(attrPhone)
	if len(mediums) == 0 {
		if phone == "" {
			return nil, nil
		}
		return []codeTarget{phoneTarget(phone)}, nil
	}
	var out []codeTarget
	for _, m := range []string{cognito.DeliveryMediumSms, cognito.DeliveryMediumEmail} {
		if !containsString(mediums, m) {
			continue
		}
		switch {
		case m == cognito.DeliveryMediumEmail && email == "":
			return nil, cognito.InvalidParameter(msgInviteNoEmail)
		case m == cognito.DeliveryMediumEmail:
			out = append(out, emailTarget(email))
		case phone == "":
			return nil, cognito.InvalidParameter(msgInviteNoPhone)
		default:
			out = append(out, phoneTarget(phone))
		}
	}
	return out, nil
}

func containsString(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// inviteMessage renders the invitation for medium: the pool's template,
// else Cognito's default, with the username and the password in place.
func inviteMessage(pool *cognito.UserPoolType, medium, username, password string) (subject, body string) {
	var tmpl cognito.MessageTemplateType
	if c := pool.AdminCreateUserConfig; c != nil && c.InviteMessageTemplate != nil {
		tmpl = *c.InviteMessageTemplate
	}
	fill := func(text string) string {
		return strings.ReplaceAll(strings.ReplaceAll(text, triggers.UsernameParameter, username), codePlaceholder, password)
	}
	if medium == delivery.MediumSMS {
		return "", fill(stringOr(tmpl.SMSMessage, defaultInviteMessage))
	}
	return fill(stringOr(tmpl.EmailSubject, defaultInviteSubject)), fill(stringOr(tmpl.EmailMessage, defaultInviteMessage))
}

// invitation is an invitation worded for each of its targets, ready to
// send once its user is stored.
type invitation struct {
	targets  []codeTarget
	messages []delivery.Message
}

// wordInvitation words u's invitation (username is the name the
// administrator gave, which the user signs in with): CustomMessage runs
// here, before the user is created, so that its refusal leaves no user.
func (s *Service) wordInvitation(ctx context.Context, pool *cognito.UserPoolType, u store.User, username, password string, mediums []string, metadata map[string]string) (*invitation, error) {
	targets, err := inviteTargets(u, mediums)
	if err != nil {
		return nil, err
	}
	inv := &invitation{targets: targets}
	for _, t := range targets {
		subject, body := inviteMessage(pool, t.medium, username, password)
		m := delivery.Message{PoolID: pool.ID, Username: u.Username, Purpose: delivery.PurposeAdminCreateUser, Code: password, Subject: subject, Body: body}
		ev := messageEvent{metadata: metadata, attrs: triggers.UserAttributes(u), username: username}
		m, err := s.customMessage(ctx, pool, m, t.medium, ev)
		if err != nil {
			return nil, err
		}
		inv.messages = append(inv.messages, m)
	}
	return inv, nil
}

// send sends the invitation's messages.
func (inv *invitation) send(ctx context.Context, s *Service, pool *cognito.UserPoolType) error {
	for i, t := range inv.targets {
		if err := s.send(ctx, pool, inv.messages[i], t); err != nil {
			return err
		}
	}
	return nil
}
