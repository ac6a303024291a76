package userpool

import (
	"context"
	"errors"
	"slices"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/store"
)

// The token-authorized actions a user takes on their own account. The
// caller (internal/api) has checked the access token and passes the pool,
// the user as the token found them, and the token's app client.

// Cognito's answers for self-service (observed wording except where noted).
const (
	msgIncorrectPassword = "Incorrect username or password."
	// msgNotVerifiable answers a verification of an attribute that has no
	// verification (the reference is silent; this names the attribute).
	msgNotVerifiable = "Only email and phone_number can be verified: "
	// msgNothingToVerify answers a verification code request for an
	// attribute the user has no value for (the reference is silent).
	msgNothingToVerify = "The user has no value to verify for "
)

// ChangePassword changes a signed-in user's password: the previous one
// must be right, the new one must meet the pool's policy. Other sessions
// keep going, as on Cognito.
func (s *Service) ChangePassword(ctx context.Context, pool *cognito.UserPoolType, u store.User, previous, proposed string) (err error) {
	defer func() { s.recordUserEvent(ctx, pool, u, EventPasswordChange, "", err, ChallengePassword, 0) }()
	if !s.CheckPassword(u, previous) {
		return cognito.NotAuthorized(msgIncorrectPassword)
	}
	if err := poolPasswordPolicy(pool).check(proposed); err != nil {
		return err
	}
	pw, err := s.newPasswordRecord(pool.ID, u.Username, proposed)
	if err != nil {
		return err
	}
	now := s.now()
	_, err = s.saveUser(ctx, s.cfg.Store, pool.ID, u.Sub, func(w *store.User) error {
		pw.setOn(w, now)
		w.UpdatedAt = now
		return nil
	})
	return err
}

// appClientConfig is the configuration of the token's app client, or nil
// when it has been deleted since (then only the rules every client shares
// apply to what the user may write).
func (s *Service) appClientConfig(ctx context.Context, clientID string) (*cognito.UserPoolClientType, error) {
	c, err := s.Client(ctx, clientID)
	if errors.Is(err, cognito.ResourceNotFound("")) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return c.Config, nil
}

// heldForVerification reports whether a change of attr waits for its
// verification before it takes effect: the pool asks for it
// (AttributesRequireVerificationBeforeUpdate) and the current value is
// verified, so there is something worth keeping until the new one is
// proven. An unverified or missing value is replaced at once.
func heldForVerification(pool *cognito.UserPoolType, u store.User, attr string) bool {
	settings := pool.UserAttributeUpdateSettings
	if settings == nil || !slices.Contains(settings.AttributesRequireVerificationBeforeUpdate, attr) {
		return false
	}
	v, _ := u.Attr(attr)
	return v != "" && isVerified(u, verifiedFlag(attr))
}

// UpdateUserAttributes changes the user's own attributes, under the
// schema and the app client's WriteAttributes. A new e-mail address or
// phone number is unverified; when the pool verifies it automatically a
// code goes to it, and when the pool holds such changes until they are
// verified, the old (verified) value stays, still usable for sign-in,
// until VerifyUserAttribute confirms the new one. The answer lists where
// codes went.
func (s *Service) UpdateUserAttributes(ctx context.Context, pool *cognito.UserPoolType, u store.User, clientID string, attrs []cognito.AttributeType, metadata map[string]string) ([]cognito.CodeDeliveryDetailsType, error) {
	client, err := s.appClientConfig(ctx, clientID)
	if err != nil {
		return nil, err
	}
	if err := CheckUserWritable(client, attrs); err != nil {
		return nil, err
	}
	sch := poolSchema(pool)
	var apply []cognito.AttributeType
	held := map[string]string{}
	for _, a := range attrs {
		if (a.Name == attrEmail || a.Name == attrPhone) && a.Value != "" && heldForVerification(pool, u, a.Name) {
			if cur, _ := u.Attr(a.Name); cur == a.Value {
				continue
			}
			if r := sch[a.Name].checkValue(a.Value); r != "" {
				return nil, updateSchemaError(schemaViolation{a.Name, r})
			}
			if err := checkFormats([]store.Attribute{{Name: a.Name, Value: a.Value}}); err != nil {
				return nil, err
			}
			held[a.Name] = a.Value
			continue
		}
		apply = append(apply, a)
	}
	if len(apply) > 0 {
		err := s.AdminUpdateUserAttributes(ctx, &cognito.AdminUpdateUserAttributesInput{
			UserPoolID: pool.ID, Username: u.Username, UserAttributes: apply,
		})
		if err != nil {
			return nil, err
		}
	}
	after, err := s.UserBySub(ctx, pool.ID, u.Sub)
	if err != nil {
		return nil, err
	}
	var out []cognito.CodeDeliveryDetailsType
	for _, attr := range []string{attrEmail, attrPhone} {
		var target codeTarget
		pending := false
		if v, ok := held[attr]; ok {
			target, pending = attributeTarget(attr, v), true
		} else {
			before, _ := u.Attr(attr)
			value, _ := after.Attr(attr)
			if value == before || value == "" || isVerified(after, verifiedFlag(attr)) || !slices.Contains(pool.AutoVerifiedAttributes, attr) {
				continue
			}
			target = attributeTarget(attr, value)
		}
		code, err := s.issueCode(ctx, s.cfg.Store, pool.ID, u.Sub, purposeVerify(attr), target, pending, verifyCodeTTL)
		if err != nil {
			return nil, err
		}
		if err := s.deliverCode(ctx, pool, u.Username, target, delivery.PurposeUpdateUserAttribute, code, metadata); err != nil {
			return nil, err
		}
		out = append(out, *target.details())
	}
	return out, nil
}

// DeleteUserAttributes deletes some of the user's own attributes, under
// the schema and the app client's WriteAttributes. Deleting an e-mail
// address or phone number also drops a code sent to verify it.
func (s *Service) DeleteUserAttributes(ctx context.Context, pool *cognito.UserPoolType, u store.User, clientID string, names []string) error {
	client, err := s.appClientConfig(ctx, clientID)
	if err != nil {
		return err
	}
	asAttrs := make([]cognito.AttributeType, len(names))
	for i, n := range names {
		asAttrs[i] = cognito.AttributeType{Name: n}
	}
	if err := CheckUserWritable(client, asAttrs); err != nil {
		return err
	}
	err = s.AdminDeleteUserAttributes(ctx, &cognito.AdminDeleteUserAttributesInput{
		UserPoolID: pool.ID, Username: u.Username, UserAttributeNames: names,
	})
	if err != nil {
		return err
	}
	for _, n := range names {
		if n == attrEmail || n == attrPhone {
			if err := dropCode(ctx, s.cfg.Store, pool.ID, u.Sub, purposeVerify(n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// verifiableAttribute refuses attributes other than email and
// phone_number, the only ones with a verification.
func verifiableAttribute(name string) error {
	if name != attrEmail && name != attrPhone {
		return cognito.InvalidParameter(msgNotVerifiable + name)
	}
	return nil
}

// GetUserAttributeVerificationCode sends the user a code to verify an
// attribute with: to the new value of a change waiting for verification,
// else to the current value. It replaces any earlier code for it.
func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, pool *cognito.UserPoolType, u store.User, attr string, metadata map[string]string) (*cognito.CodeDeliveryDetailsType, error) {
	if err := verifiableAttribute(attr); err != nil {
		return nil, err
	}
	value, pending := "", false
	prev, err := s.cfg.Store.GetCode(ctx, pool.ID, u.Sub, purposeVerify(attr))
	switch {
	case err == nil && prev.Pending:
		value, pending = prev.Value, true
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return nil, err
	default:
		value, _ = u.Attr(attr)
	}
	if value == "" {
		return nil, cognito.InvalidParameter(msgNothingToVerify + attr)
	}
	target := attributeTarget(attr, value)
	code, err := s.issueCode(ctx, s.cfg.Store, pool.ID, u.Sub, purposeVerify(attr), target, pending, verifyCodeTTL)
	if err != nil {
		return nil, err
	}
	if err := s.deliverCode(ctx, pool, u.Username, target, delivery.PurposeVerifyUserAttribute, code, metadata); err != nil {
		return nil, err
	}
	return target.details(), nil
}

// VerifyUserAttribute verifies an attribute with the code sent to it. A
// change waiting for verification takes effect now. The code verifies
// only the value it was sent to: if the attribute has changed since, it
// is ExpiredCodeException. A verified e-mail or phone that is another
// user's alias is AliasExistsException.
func (s *Service) VerifyUserAttribute(ctx context.Context, pool *cognito.UserPoolType, u store.User, attr, given string) error {
	if err := verifiableAttribute(attr); err != nil {
		return err
	}
	c, err := s.checkCode(ctx, pool.ID, u.Sub, purposeVerify(attr), given)
	if err != nil {
		return err
	}
	id := poolIdentity(pool)
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		cur, err := tx.GetUserBySub(ctx, pool.ID, u.Sub)
		if err != nil {
			return userStoreError(err)
		}
		if v, _ := cur.Attr(attr); !c.Pending && v != c.Value {
			return cognito.ExpiredCode(msgExpiredCode)
		}
		if err := consumeCode(ctx, tx, c); err != nil {
			return err
		}
		cur.Attributes = setAttr(cur.Attributes, attr, c.Value)
		cur.Attributes = setAttr(cur.Attributes, verifiedFlag(attr), attrValueTrue)
		_, err = s.saveAttributes(ctx, tx, id, cur, nil)
		return err
	})
	return userConflict(id, err, false)
}

// DeleteUser deletes the signed-in user, their memberships, codes and
// sessions.
func (s *Service) DeleteUser(ctx context.Context, pool *cognito.UserPoolType, u store.User) error {
	return s.removeUser(ctx, pool.ID, u.Sub)
}
