package userpool

import (
	"context"
	"slices"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/triggers"
)

// Where the user actions call the pool's Lambda triggers
// (internal/triggers): PreSignUp before a user is created (SignUp,
// AdminCreateUser), whose refusal leaves no user, and PostConfirmation
// once a user is confirmed (ConfirmSignUp, AdminConfirmSignUp, a SignUp
// its PreSignUp confirmed, ConfirmForgotPassword), whose error is the
// action's answer though the confirmation stays done, as on Cognito.

// newUserAttributes are the attributes of a user not yet created, as
// PreSignUp sees them: without sub (observed).
func newUserAttributes(attrs []store.Attribute) map[string]string {
	m := make(map[string]string, len(attrs))
	for _, a := range attrs {
		if a.Name != "sub" {
			m[a.Name] = a.Value
		}
	}
	return m
}

// validationMap is ValidationData as the event carries it: null when the
// action passed none (observed).
func validationMap(data []cognito.AttributeType) map[string]string {
	if len(data) == 0 {
		return nil
	}
	m := make(map[string]string, len(data))
	for _, a := range data {
		m[a.Name] = a.Value
	}
	return m
}

// preSignUp runs PreSignUp for u, a user about to be created.
func (s *Service) preSignUp(ctx context.Context, pool *cognito.UserPoolType, clientID string, u store.User, source string, validation []cognito.AttributeType, metadata map[string]string) (triggers.PreSignUpAnswer, error) {
	return s.cfg.Triggers.PreSignUp(ctx, triggers.Call{
		Pool: pool, ClientID: clientID, UserName: u.Username,
		Attributes: newUserAttributes(u.Attributes), ClientMetadata: metadata,
	}, source, validationMap(validation))
}

// autoVerify applies PreSignUp's autoVerifyEmail and autoVerifyPhone to
// u: the attribute must be there, else the sign-up fails (the guide says
// an error occurs; its type is unverified).
func autoVerify(u *store.User, ans triggers.PreSignUpAnswer) error {
	for _, f := range []struct {
		on   bool
		attr string
	}{{ans.AutoVerifyEmail, attrEmail}, {ans.AutoVerifyPhone, attrPhone}} {
		if !f.on {
			continue
		}
		if v, _ := u.Attr(f.attr); v == "" {
			return cognito.InvalidParameter("Cannot auto verify " + f.attr + ": the user has no " + f.attr + ".")
		}
		u.Attributes = setAttr(u.Attributes, verifiedFlag(f.attr), attrValueTrue)
	}
	return nil
}

// postConfirmation runs PostConfirmation for u, just confirmed.
func (s *Service) postConfirmation(ctx context.Context, pool *cognito.UserPoolType, clientID string, u store.User, source string, metadata map[string]string) error {
	return s.cfg.Triggers.PostConfirmation(ctx, triggers.Call{
		Pool: pool, ClientID: clientID, UserName: u.Username,
		Attributes: triggers.UserAttributes(u), ClientMetadata: metadata,
	}, source)
}

// msgPreTokenARNs refuses two different pre token generation functions.
// The reference says the two ARNs must be identical; Cognito's wording is
// unverified.
const msgPreTokenARNs = "PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be the same function."

// lambdaConfig checks a pool's LambdaConfig beyond what the model's
// constraints check (ARN shapes, versions), and returns what the pool
// keeps: Cognito always reports LambdaConfig, as {} when no trigger is
// set.
func lambdaConfig(lc *cognito.LambdaConfigType) (*cognito.LambdaConfigType, error) {
	if lc == nil {
		return &cognito.LambdaConfigType{}, nil
	}
	if c := lc.PreTokenGenerationConfig; c != nil && lc.PreTokenGeneration != "" && c.LambdaARn != lc.PreTokenGeneration {
		return nil, cognito.InvalidParameter(msgPreTokenARNs)
	}
	return lc, nil
}

// customMessage lets the pool's CustomMessage function word m, a message
// with a code about to go to its user by medium: the text it returns for
// the medium replaces the pool's, with the code in place of its
// placeholder (and, in an invitation, the name the user signs in with in
// place of {username}); what it leaves null stays. The message's purpose is the
// trigger source; the event carries ev's ClientMetadata.
func (s *Service) customMessage(ctx context.Context, pool *cognito.UserPoolType, m delivery.Message, medium string, ev messageEvent) (delivery.Message, error) {
	if pool.LambdaConfig == nil || pool.LambdaConfig.CustomMessage == "" || s.cfg.Triggers == nil {
		return m, nil
	}
	attrs := ev.attrs
	if attrs == nil {
		u, err := s.lookupUser(ctx, pool, m.Username)
		if err != nil {
			return m, err
		}
		attrs = triggers.UserAttributes(u)
	}
	ans, err := s.cfg.Triggers.CustomMessage(ctx, triggers.Call{
		Pool: pool, UserName: m.Username, Attributes: attrs, ClientMetadata: ev.metadata,
	}, m.Purpose)
	if err != nil || ans == nil {
		return m, err
	}
	fill := func(text *string, into *string) {
		if text != nil && *text != "" {
			*into = strings.ReplaceAll(*text, triggers.CodeParameter, m.Code)
			if ev.username != "" {
				*into = strings.ReplaceAll(*into, triggers.UsernameParameter, ev.username)
			}
		}
	}
	if medium == delivery.MediumSMS {
		fill(ans.SMSMessage, &m.Body)
	} else {
		fill(ans.EmailMessage, &m.Body)
		fill(ans.EmailSubject, &m.Subject)
	}
	return m, nil
}

// MigrateUser asks the pool's UserMigration function about username,
// which the pool does not know, for the sign-in of clientID (source
// triggers.SourceAuthentication, with the password typed) or a password
// reset (triggers.SourceForgotPassword, without). When the function knows
// the user, the user is created as it says, with that password (the
// pool's policy is not applied: the password is the old system's), and
// returned with true; a pool without the function returns false. A
// migrated user signs in without the function from then on.
func (s *Service) MigrateUser(ctx context.Context, pool *cognito.UserPoolType, clientID, username, password, source string, metadata map[string]string) (store.User, bool, error) {
	m, err := s.cfg.Triggers.UserMigration(ctx, triggers.Call{Pool: pool, ClientID: clientID, UserName: username, ClientMetadata: metadata}, source, password)
	if err != nil || m == nil {
		return store.User{}, false, err
	}
	var given []cognito.AttributeType
	for name, value := range m.UserAttributes {
		if name != attrSub {
			given = append(given, cognito.AttributeType{Name: name, Value: value})
		}
	}
	slices.SortFunc(given, func(a, b cognito.AttributeType) int { return strings.Compare(a.Name, b.Name) })
	id := poolIdentity(pool)
	sub, internal, attrs, err := newUser(pool, id, username, given)
	if err != nil {
		return store.User{}, false, err
	}
	// A user reset by migration must set a password before signing in;
	// one migrated at sign-in is confirmed unless the function says
	// otherwise (the developer guide: CONFIRMED, or not set).
	status := cognito.UserStatusConfirmed
	if source == triggers.SourceForgotPassword || (m.FinalUserStatus != nil && *m.FinalUserStatus == cognito.UserStatusResetRequired) {
		status = cognito.UserStatusResetRequired
	}
	now := s.now()
	u := store.User{
		PoolID: pool.ID, Sub: sub, Username: internal, UsernameKey: id.usernameKey(internal),
		Status: status, Enabled: true, Attributes: attrs, CreatedAt: now, UpdatedAt: now,
	}
	if password != "" {
		pw, err := s.newPasswordRecord(pool.ID, internal, password)
		if err != nil {
			return store.User{}, false, err
		}
		pw.setOn(&u, now)
	}
	id.aliasKeys(&u)
	force := m.ForceAliasCreation != nil && *m.ForceAliasCreation
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if err := s.claimAliases(ctx, tx, id, u, force, true); err != nil {
			return err
		}
		return tx.CreateUser(ctx, u)
	})
	if err != nil {
		return store.User{}, false, userConflict(id, err, true)
	}
	return u, true, nil
}
