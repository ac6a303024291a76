package userpool

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/triggers"
)

// Answers about user states (the first is Cognito's wording; the reference
// is silent on the second, which says what a Cognito user would need to
// know).
const (
	msgCannotConfirm = "User cannot be confirmed. Current status is "
	msgResendState   = "The invitation can only be resent to a user in FORCE_CHANGE_PASSWORD status."
)

// lookupUser finds the user a Username parameter names. It is the one
// place that resolves a Username, for the admin actions and for sign-in:
// first as a username (folded when the pool is case-insensitive), then,
// in pools that sign in with email or phone as username or with aliases,
// as one of those identifiers, and last as the user's sub, which Cognito
// documents as accepted wherever a Username is. UserNotFoundException
// "User does not exist." otherwise.
func (s *Service) lookupUser(ctx context.Context, pool *cognito.UserPoolType, username string) (store.User, error) {
	return lookupUserIn(ctx, s.cfg.Store, pool, username)
}

func lookupUserIn(ctx context.Context, st store.Store, pool *cognito.UserPoolType, username string) (store.User, error) {
	id := poolIdentity(pool)
	u, err := st.GetUser(ctx, pool.ID, id.usernameKey(username))
	if !errors.Is(err, store.ErrNotFound) {
		return u, err
	}
	for _, kind := range id.aliasKinds() {
		u, err := st.GetUserByAlias(ctx, pool.ID, kind, id.aliasKey(kind, username))
		if !errors.Is(err, store.ErrNotFound) {
			return u, err
		}
	}
	// A sub is a UUID; anything else cannot be one, so no query.
	if sub, err := uuid.Parse(username); err == nil && len(username) == 36 {
		u, err := st.GetUserBySub(ctx, pool.ID, sub.String())
		if !errors.Is(err, store.ErrNotFound) {
			return u, err
		}
	}
	return store.User{}, cognito.UserNotFound(msgUserNotFound)
}

// saveUser is the one way an existing user's record changes: status,
// enabled flag, password, attributes, aliases. It is also where the
// consequences of a change for the user's sessions belong (issue 3:
// disabling a user ends their sessions), so they cannot be forgotten by
// one action. st is the store or a transaction of it.
func (s *Service) saveUser(ctx context.Context, st store.Store, poolID, sub string, fn func(*store.User) error) (store.User, error) {
	now := s.now()
	var u store.User
	// One transaction (joined when st already is one): a disabled user's
	// sessions end with the change, or the change does not happen.
	err := st.InTx(ctx, func(tx store.Store) error {
		disabled := false
		var err error
		u, err = tx.UpdateUser(ctx, poolID, sub, func(u *store.User) error {
			was := u.Enabled
			if err := fn(u); err != nil {
				return err
			}
			if was && !u.Enabled {
				// A disabled user's tokens stop working at once.
				u.SignedOutAt, disabled = now, true
			}
			return nil
		})
		if err != nil || !disabled {
			return err
		}
		_, err = tx.RevokeUserRefreshFamilies(ctx, poolID, sub, now)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, cognito.UserNotFound(msgUserNotFound)
	}
	return u, err
}

// removeUser deletes a user and its memberships. Its refresh-token
// families go with it (the store cascades), and an access token whose
// family is gone is refused, so its sessions end too.
func (s *Service) removeUser(ctx context.Context, poolID, sub string) error {
	err := s.cfg.Store.DeleteUser(ctx, poolID, sub)
	if errors.Is(err, store.ErrNotFound) {
		return cognito.UserNotFound(msgUserNotFound)
	}
	return err
}

// userType renders a user in the wire shape of AdminCreateUser, ListUsers
// and ListUsersInGroup; keep, when not nil, selects the attributes.
func userType(u store.User, keep []string) cognito.UserType {
	enabled := u.Enabled
	return cognito.UserType{
		Username:             u.Username,
		Attributes:           wireAttributes(u.Attributes, keep),
		UserCreateDate:       cognito.Epoch(u.CreatedAt),
		UserLastModifiedDate: cognito.Epoch(u.UpdatedAt),
		Enabled:              &enabled,
		UserStatus:           u.Status,
	}
}

// newUser is what creating a user (AdminCreateUser, SignUp) starts with: a
// new sub, the internal username (a UUID in pools that sign in with e-mail
// or phone as username, where the given name becomes that attribute and
// wins over a value given for it), and the attributes checked against the
// schema, sub first, required ones present, formats valid.
func newUser(pool *cognito.UserPoolType, id identity, given string, givenAttrs []cognito.AttributeType) (sub, username string, attrs []store.Attribute, err error) {
	sch := poolSchema(pool)
	sub = uuid.NewString()
	username, usernameAttr, err := id.newUsername(given, sub)
	if err != nil {
		return "", "", nil, err
	}
	if attrs, err = sch.newUserAttributes(givenAttrs); err != nil {
		return "", "", nil, err
	}
	if usernameAttr != "" {
		attrs = setAttr(attrs, usernameAttr, given)
	}
	attrs = append([]store.Attribute{{Name: attrSub, Value: sub}}, attrs...)
	if vs := sch.missingRequired(attrs); len(vs) > 0 {
		return "", "", nil, createSchemaError(vs)
	}
	if err := checkFormats(attrs); err != nil {
		return "", "", nil, err
	}
	return sub, username, attrs, nil
}

// AdminCreateUser creates a user in FORCE_CHANGE_PASSWORD status with a
// temporary password (the one given, checked against the pool's policy, or
// a generated one) and sends them the invitation (invitation.go) unless
// MessageAction is SUPPRESS, or, with MessageAction RESEND, gives an
// invited user a new temporary password and sends it.
func (s *Service) AdminCreateUser(ctx context.Context, in *cognito.AdminCreateUserInput) (*cognito.AdminCreateUserOutput, error) {
	pool, err := s.Pool(ctx, in.UserPoolID)
	if err != nil {
		return nil, err
	}
	if in.MessageAction == cognito.MessageActionResend {
		return s.resendInvitation(ctx, pool, in)
	}
	id := poolIdentity(pool)
	sub, username, attrs, err := newUser(pool, id, in.Username, in.UserAttributes)
	if err != nil {
		return nil, err
	}
	if err := checkVerifiedNeedsValue(attrs); err != nil {
		return nil, err
	}
	password, pw, err := s.temporaryPassword(pool, username, in.TemporaryPassword)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := store.User{
		PoolID:      pool.ID,
		Sub:         sub,
		Username:    username,
		UsernameKey: id.usernameKey(username),
		Status:      cognito.UserStatusForceChangePassword,
		Enabled:     true,
		Attributes:  attrs,
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	pw.setOn(&u, now)
	// PreSignUp may refuse the user; what it answers is ignored here, as
	// Cognito ignores it for AdminCreateUser.
	if _, err := s.preSignUp(ctx, pool, "", u, triggers.SourceAdminCreateUser, in.ValidationData, in.ClientMetadata); err != nil {
		return nil, err
	}
	var inv *invitation
	if in.MessageAction != cognito.MessageActionSuppress {
		if inv, err = s.wordInvitation(ctx, pool, u, in.Username, password, in.DesiredDeliveryMediums, in.ClientMetadata); err != nil {
			return nil, err
		}
	}
	id.aliasKeys(&u)
	force := in.ForceAliasCreation != nil && *in.ForceAliasCreation
	create := func(st store.Store) error {
		if err := s.claimAliases(ctx, st, id, u, force, true); err != nil {
			return err
		}
		return st.CreateUser(ctx, u)
	}
	if force && (u.AliasEmail != "" || u.AliasPhone != "") {
		// Moving an alias from another user and creating this one must be
		// one change.
		err = s.cfg.Store.InTx(ctx, func(tx store.Store) error { return create(tx) })
	} else {
		// Without a move there is nothing to keep together: the store's
		// unique constraints settle a race for a username or alias, and a
		// plain insert does not contend with concurrent creations the way
		// a serializable transaction does on PostgreSQL.
		err = create(s.cfg.Store)
	}
	if err != nil {
		return nil, userConflict(id, err, true)
	}
	if inv != nil {
		// The user stays when the message fails, as the code of a
		// sign-up does: RESEND sends it again.
		if err := inv.send(ctx, s, pool); err != nil {
			return nil, err
		}
	}
	out := userType(u, nil)
	return &cognito.AdminCreateUserOutput{User: &out}, nil
}

// temporaryPassword checks a given temporary password against the pool's
// policy, or generates one, and returns it, for the invitation, and what
// is kept of it for the user whose internal username is username.
func (s *Service) temporaryPassword(pool *cognito.UserPoolType, username, given string) (string, passwordRecord, error) {
	policy := poolPasswordPolicy(pool)
	pw := given
	if pw == "" {
		pw = policy.generate()
	} else if err := policy.check(pw); err != nil {
		return "", passwordRecord{}, err
	}
	rec, err := s.newPasswordRecord(pool.ID, username, pw)
	return pw, rec, err
}

// resendInvitation is AdminCreateUser with MessageAction RESEND: the user
// must exist and still be waiting for its first sign-in; it gets a new
// temporary password and a new validity period for it. Attributes in the
// request are ignored, as the user already has them.
func (s *Service) resendInvitation(ctx context.Context, pool *cognito.UserPoolType, in *cognito.AdminCreateUserInput) (*cognito.AdminCreateUserOutput, error) {
	u, err := s.lookupUser(ctx, pool, in.Username)
	if err != nil {
		return nil, err
	}
	if u.Status != cognito.UserStatusForceChangePassword {
		return nil, cognito.UnsupportedUserState(msgResendState)
	}
	password, pw, err := s.temporaryPassword(pool, u.Username, in.TemporaryPassword)
	if err != nil {
		return nil, err
	}
	inv, err := s.wordInvitation(ctx, pool, u, in.Username, password, in.DesiredDeliveryMediums, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u, err = s.saveUser(ctx, s.cfg.Store, pool.ID, u.Sub, func(u *store.User) error {
		if u.Status != cognito.UserStatusForceChangePassword {
			return cognito.UnsupportedUserState(msgResendState)
		}
		pw.setOn(u, now)
		u.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := inv.send(ctx, s, pool); err != nil {
		return nil, err
	}
	out := userType(u, nil)
	return &cognito.AdminCreateUserOutput{User: &out}, nil
}

// claimAliases makes sure the identifier keys u is about to hold are not
// another user's. In pools that sign in with email or phone as username a
// taken identifier refuses a new user as a duplicate username. In pools
// with aliases a taken verified email or phone moves to u when force
// (ForceAliasCreation) is set: the other user keeps the value but it is no
// longer verified there, so it is no longer their alias, which is how
// Cognito migrates an alias. preferred_username never moves.
func (s *Service) claimAliases(ctx context.Context, tx store.Store, id identity, u store.User, force, creating bool) error {
	for _, kind := range []store.AliasKind{store.AliasEmail, store.AliasPhone, store.AliasPreferredUsername} {
		key := aliasKeyOf(&u, kind)
		if key == "" {
			continue
		}
		other, err := tx.GetUserByAlias(ctx, u.PoolID, kind, key)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if other.Sub == u.Sub {
			continue
		}
		if !force || kind == store.AliasPreferredUsername || len(id.usernameAttrs) > 0 {
			return aliasTaken(id, kind, creating)
		}
		flag := attrEmailVerified
		if kind == store.AliasPhone {
			flag = attrPhoneVerified
		}
		now := s.now()
		_, err = s.saveUser(ctx, tx, u.PoolID, other.Sub, func(o *store.User) error {
			o.Attributes = setAttr(o.Attributes, flag, attrValueFalse)
			id.aliasKeys(o)
			o.UpdatedAt = now
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// saveAttributes stores the attributes of cur, a user read in tx and
// changed, with the unique identifiers they make: those are claimed first,
// so one another user holds is AliasExistsException (through
// userConflict). edit, when not nil, changes the record besides.
func (s *Service) saveAttributes(ctx context.Context, tx store.Store, id identity, cur store.User, edit func(*store.User)) (store.User, error) {
	id.aliasKeys(&cur)
	if err := s.claimAliases(ctx, tx, id, cur, false, false); err != nil {
		return store.User{}, err
	}
	now := s.now()
	return s.saveUser(ctx, tx, cur.PoolID, cur.Sub, func(w *store.User) error {
		w.Attributes = cur.Attributes
		w.AliasEmail, w.AliasPhone, w.AliasPreferredUsername = cur.AliasEmail, cur.AliasPhone, cur.AliasPreferredUsername
		w.UpdatedAt = now
		if edit != nil {
			edit(w)
		}
		return nil
	})
}

// aliasTaken is the answer when an identifier another user holds is
// claimed: a duplicate username when a user is being created in a pool
// that signs in with that attribute as username, AliasExistsException
// otherwise.
func aliasTaken(id identity, kind store.AliasKind, creating bool) error {
	msg := msgAccountExists(aliasAttr(kind))
	if creating && len(id.usernameAttrs) > 0 {
		return cognito.UsernameExists(msg)
	}
	return cognito.AliasExists(msg)
}

// userConflict translates a unique-key collision reported by the store,
// which catches the races claimAliases cannot see.
func userConflict(id identity, err error, creating bool) error {
	var ce *store.ConflictError
	if !errors.As(err, &ce) {
		return err
	}
	if kind, ok := aliasKindOfField(ce.Field); ok {
		return aliasTaken(id, kind, creating)
	}
	if ce.Field == "username" {
		return cognito.UsernameExists(msgUserExists)
	}
	return err
}

// AdminGetUser returns a user, found by username, alias or sub.
func (s *Service) AdminGetUser(ctx context.Context, in *cognito.AdminGetUserInput) (*cognito.AdminGetUserOutput, error) {
	_, u, err := s.poolUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return nil, err
	}
	t := userType(u, nil)
	preferred, enabled, options := MFASettings(u)
	return &cognito.AdminGetUserOutput{
		Username:             t.Username,
		UserAttributes:       t.Attributes,
		UserCreateDate:       t.UserCreateDate,
		UserLastModifiedDate: t.UserLastModifiedDate,
		Enabled:              t.Enabled,
		UserStatus:           t.UserStatus,
		PreferredMfaSetting:  preferred,
		UserMFASettingList:   enabled,
		MFAOptions:           options,
	}, nil
}

// changeUser finds the user a request names and applies fn to its record
// in one read-modify-write.
func (s *Service) changeUser(ctx context.Context, poolID, username string, fn func(pool *cognito.UserPoolType, u *store.User) error) error {
	pool, err := s.Pool(ctx, poolID)
	if err != nil {
		return err
	}
	u, err := s.lookupUser(ctx, pool, username)
	if err != nil {
		return err
	}
	_, err = s.saveUser(ctx, s.cfg.Store, pool.ID, u.Sub, func(u *store.User) error { return fn(pool, u) })
	return err
}

// AdminSetUserPassword sets a password checked against the pool's policy:
// a permanent one confirms the user, a temporary one makes them change it
// at their next sign-in.
func (s *Service) AdminSetUserPassword(ctx context.Context, in *cognito.AdminSetUserPasswordInput) error {
	pool, u, err := s.poolUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return err
	}
	if err := poolPasswordPolicy(pool).check(in.Password); err != nil {
		return err
	}
	pw, err := s.newPasswordRecord(pool.ID, u.Username, in.Password)
	if err != nil {
		return err
	}
	status := cognito.UserStatusForceChangePassword
	if in.Permanent != nil && *in.Permanent {
		status = cognito.UserStatusConfirmed
	}
	now := s.now()
	_, err = s.saveUser(ctx, s.cfg.Store, pool.ID, u.Sub, func(u *store.User) error {
		pw.setOn(u, now)
		u.Status, u.UpdatedAt = status, now
		return nil
	})
	return err
}

// AdminDeleteUser deletes a user and its group memberships.
func (s *Service) AdminDeleteUser(ctx context.Context, in *cognito.AdminDeleteUserInput) error {
	pool, u, err := s.poolUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return err
	}
	return s.removeUser(ctx, pool.ID, u.Sub)
}

// AdminDisableUser disables a user: they can no longer sign in. Disabling
// a disabled user is not an error.
func (s *Service) AdminDisableUser(ctx context.Context, in *cognito.AdminDisableUserInput) error {
	return s.setEnabled(ctx, in.UserPoolID, in.Username, false)
}

// AdminEnableUser enables a disabled user.
func (s *Service) AdminEnableUser(ctx context.Context, in *cognito.AdminEnableUserInput) error {
	return s.setEnabled(ctx, in.UserPoolID, in.Username, true)
}

func (s *Service) setEnabled(ctx context.Context, poolID, username string, enabled bool) error {
	now := s.now()
	return s.changeUser(ctx, poolID, username, func(_ *cognito.UserPoolType, u *store.User) error {
		u.Enabled, u.UpdatedAt = enabled, now
		return nil
	})
}

// AdminConfirmSignUp confirms a user who signed up and has not confirmed;
// any other status is NotAuthorizedException naming it.
func (s *Service) AdminConfirmSignUp(ctx context.Context, in *cognito.AdminConfirmSignUpInput) error {
	pool, u, err := s.poolUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return err
	}
	now := s.now()
	u, err = s.saveUser(ctx, s.cfg.Store, pool.ID, u.Sub, func(u *store.User) error {
		if u.Status != cognito.UserStatusUnconfirmed {
			return cognito.NotAuthorized(msgCannotConfirm + u.Status)
		}
		u.Status, u.UpdatedAt = cognito.UserStatusConfirmed, now
		return nil
	})
	if err != nil {
		return err
	}
	return s.postConfirmation(ctx, pool, "", u, triggers.SourceConfirmSignUp, in.ClientMetadata)
}

// AdminUpdateUserAttributes changes a user's attributes under the pool's
// schema. An email or phone_number that changes without its verified flag
// becomes unverified. A new identifier that another user holds is
// AliasExistsException; there is no ForceAliasCreation here.
// AttributesRequireVerificationBeforeUpdate (keeping the old value until
// the new one is verified) is not modelled: the change applies at once,
// unverified.
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, in *cognito.AdminUpdateUserAttributesInput) error {
	pool, err := s.Pool(ctx, in.UserPoolID)
	if err != nil {
		return err
	}
	id, sch := poolIdentity(pool), poolSchema(pool)
	u, err := s.lookupUser(ctx, pool, in.Username)
	if err != nil {
		return err
	}
	changed := make([]store.Attribute, 0, len(in.UserAttributes))
	for _, a := range in.UserAttributes {
		changed = append(changed, store.Attribute{Name: a.Name, Value: a.Value})
	}
	if err := checkFormats(changed); err != nil {
		return err
	}
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		cur, err := tx.GetUserBySub(ctx, pool.ID, u.Sub)
		if errors.Is(err, store.ErrNotFound) {
			return cognito.UserNotFound(msgUserNotFound)
		}
		if err != nil {
			return err
		}
		attrs, err := sch.applyUpdate(cur.Attributes, in.UserAttributes)
		if err != nil {
			return err
		}
		if err := checkVerifiedNeedsValue(attrs); err != nil {
			return err
		}
		cur.Attributes = attrs
		_, err = s.saveAttributes(ctx, tx, id, cur, nil)
		return err
	})
	return userConflict(id, err, false)
}

// AdminDeleteUserAttributes deletes attributes of a user. Required and
// immutable attributes cannot be deleted; deleting one the user does not
// have is not an error.
func (s *Service) AdminDeleteUserAttributes(ctx context.Context, in *cognito.AdminDeleteUserAttributesInput) error {
	now := s.now()
	return s.changeUser(ctx, in.UserPoolID, in.Username, func(pool *cognito.UserPoolType, u *store.User) error {
		attrs, err := poolSchema(pool).applyDelete(u.Attributes, in.UserAttributeNames)
		if err != nil {
			return err
		}
		u.Attributes = attrs
		poolIdentity(pool).aliasKeys(u)
		u.UpdatedAt = now
		return nil
	})
}

// poolUser finds the pool an admin action names and the user its Username
// names in it.
func (s *Service) poolUser(ctx context.Context, poolID, username string) (*cognito.UserPoolType, store.User, error) {
	pool, err := s.Pool(ctx, poolID)
	if err != nil {
		return nil, store.User{}, err
	}
	u, err := s.lookupUser(ctx, pool, username)
	if err != nil {
		return nil, store.User{}, err
	}
	return pool, u, nil
}
