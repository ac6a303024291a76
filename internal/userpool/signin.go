package userpool

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// This file is what the authentication engine needs of the directory; it
// reuses the rules the admin actions apply, so a user signs in under the
// same username resolution, password policy and schema.

// LookupUser finds the user a sign-in's USERNAME names (username, alias or
// sub), or UserNotFoundException.
func (s *Service) LookupUser(ctx context.Context, pool *cognito.UserPoolType, username string) (store.User, error) {
	return s.lookupUser(ctx, pool, username)
}

// UserBySub returns a user by sub, or UserNotFoundException.
func (s *Service) UserBySub(ctx context.Context, poolID, sub string) (store.User, error) {
	u, err := s.cfg.Store.GetUserBySub(ctx, poolID, sub)
	if err != nil {
		return store.User{}, userStoreError(err)
	}
	return u, nil
}

// UserBySubAndFamily is UserBySub and the state of a refresh-token
// family, read together (store.Users.GetUserBySubAndFamily).
func (s *Service) UserBySubAndFamily(ctx context.Context, poolID, sub, familyID string) (store.User, store.FamilyState, error) {
	u, f, err := s.cfg.Store.GetUserBySubAndFamily(ctx, poolID, sub, familyID)
	if err != nil {
		return store.User{}, store.FamilyState{}, userStoreError(err)
	}
	return u, f, nil
}

// CheckPassword reports whether password is the user's. A user without a
// password (or with a hash this server cannot read) matches nothing, nor
// does the zero User, which stands for a user who does not exist; both
// cost the same hashing as a wrong password, so that the time an answer
// takes does not tell whether the user exists or has a password.
func (s *Service) CheckPassword(u store.User, password string) bool {
	hash := u.PasswordHash
	if hash == "" {
		hash = s.decoyHash()
	}
	ok, err := s.cfg.Passwords.Verify(hash, password)
	return err == nil && ok && u.PasswordHash != ""
}

// decoyHash is the hash CheckPassword verifies when there is none: of a
// random password nobody knows, made once, at the hasher's current cost.
func (s *Service) decoyHash() string {
	s.decoy.once.Do(func() {
		s.decoy.hash, _ = s.cfg.Passwords.Hash(rand.Text())
	})
	return s.decoy.hash
}

// RequiredAttributesMissing lists the pool's required attributes the user
// has no value for, as NEW_PASSWORD_REQUIRED names them
// ("userAttributes.given_name").
func (s *Service) RequiredAttributesMissing(pool *cognito.UserPoolType, u store.User) []string {
	var out []string
	for _, v := range poolSchema(pool).missingRequired(u.Attributes) {
		out = append(out, "userAttributes."+v.name)
	}
	return out
}

// ChallengeAttributes is the userAttributes parameter of the
// NEW_PASSWORD_REQUIRED challenge: the user's attributes as a JSON object,
// without sub and the verified flags, which the user cannot set.
func ChallengeAttributes(u store.User) string {
	m := map[string]string{}
	for _, a := range u.Attributes {
		switch a.Name {
		case attrSub, attrEmailVerified, attrPhoneVerified:
			continue
		}
		m[a.Name] = a.Value
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// CompleteNewPassword answers NEW_PASSWORD_REQUIRED: it applies the
// attributes the user gave (under the same schema and alias rules as
// AdminUpdateUserAttributes), checks that no required attribute is still
// missing, sets the new password under the pool's policy and confirms the
// user.
func (s *Service) CompleteNewPassword(ctx context.Context, pool *cognito.UserPoolType, u store.User, newPassword string, attrs []cognito.AttributeType) (store.User, error) {
	// The attributes come from the user, not an administrator: whatever
	// the client, they may not set the ones no client may write.
	if err := CheckUserWritable(nil, attrs); err != nil {
		return store.User{}, err
	}
	if err := poolPasswordPolicy(pool).check(newPassword); err != nil {
		return store.User{}, err
	}
	if len(attrs) > 0 {
		if err := s.AdminUpdateUserAttributes(ctx, &cognito.AdminUpdateUserAttributesInput{
			UserPoolID: pool.ID, Username: u.Username, UserAttributes: attrs,
		}); err != nil {
			return store.User{}, err
		}
		var err error
		if u, err = s.UserBySub(ctx, pool.ID, u.Sub); err != nil {
			return store.User{}, err
		}
	}
	if missing := poolSchema(pool).missingRequired(u.Attributes); len(missing) > 0 {
		names := make([]string, len(missing))
		for i, v := range missing {
			names[i] = v.name
		}
		return store.User{}, cognito.InvalidParameter("Invalid attributes given, " + strings.Join(names, ", ") + " is missing")
	}
	pw, err := s.newPasswordRecord(pool.ID, u.Username, newPassword)
	if err != nil {
		return store.User{}, err
	}
	now := s.now()
	return s.saveUser(ctx, s.cfg.Store, pool.ID, u.Sub, func(w *store.User) error {
		pw.setOn(w, now)
		w.Status, w.UpdatedAt = cognito.UserStatusConfirmed, now
		return nil
	})
}

// msgUnauthorizedAttribute is Cognito's answer when a user's request sets
// an attribute their app client may not write.
const msgUnauthorizedAttribute = "A client attempted to write unauthorized attribute"

// CheckUserWritable refuses attributes a user may not set through the app
// client: sub and the verification flags (only verification or an
// administrator sets those), developer-only attributes (dev:custom:, for
// administrators), and, when the client lists WriteAttributes, any other
// attribute. A nil client applies only the rules every client shares.
func CheckUserWritable(client *cognito.UserPoolClientType, attrs []cognito.AttributeType) error {
	for _, a := range attrs {
		if slices.Contains(unwritableAttributes, a.Name) || strings.HasPrefix(a.Name, "dev:") ||
			(client != nil && len(client.WriteAttributes) > 0 && !slices.Contains(client.WriteAttributes, a.Name)) {
			return cognito.NotAuthorized(msgUnauthorizedAttribute)
		}
	}
	return nil
}

// UpdateSignInState is the read-modify-write of a user's lockout counters,
// kept in the store so that a lockout holds on every node.
func (s *Service) UpdateSignInState(ctx context.Context, poolID, sub string, fn func(*store.User)) (store.User, error) {
	u, err := s.cfg.Store.UpdateUser(ctx, poolID, sub, func(u *store.User) error {
		fn(u)
		return nil
	})
	if err != nil {
		return store.User{}, userStoreError(err)
	}
	return u, nil
}

// ClearSignInFailures starts the user's failure count over after a right
// password or code: u, as the caller last read it, comes back with its
// counters cleared, which is what a read would now give, without the
// read-modify-write UpdateSignInState makes.
func (s *Service) ClearSignInFailures(ctx context.Context, u store.User) (store.User, error) {
	if err := s.cfg.Store.ClearSignInFailures(ctx, u.PoolID, u.Sub); err != nil {
		return store.User{}, userStoreError(err)
	}
	u.FailedSignIns, u.LockedUntil = 0, time.Time{}
	return u, nil
}

// SignOutUser ends every session of a user: it sets the user's global
// sign-out watermark, so access tokens issued before it are refused, and
// revokes all their refresh-token families. Both happen in one
// transaction: access tokens with an origin_jti are judged by their
// family alone, so a watermark without the revocation would leave them
// working.
func (s *Service) SignOutUser(ctx context.Context, poolID, sub string) error {
	now := s.now()
	err := s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if _, err := tx.UpdateUser(ctx, poolID, sub, func(u *store.User) error {
			u.SignedOutAt = now
			return nil
		}); err != nil {
			return err
		}
		_, err := tx.RevokeUserRefreshFamilies(ctx, poolID, sub, now)
		return err
	})
	return userStoreError(err)
}

// ReadableAttributes returns the user's attributes an app client may read:
// all of them when the client lists no ReadAttributes (Cognito's default),
// otherwise those listed. sub is always readable.
func ReadableAttributes(client *cognito.UserPoolClientType, u store.User) []store.Attribute {
	if client == nil || len(client.ReadAttributes) == 0 {
		return u.Attributes
	}
	// identities is the server's, not a schema attribute a client lists:
	// the ID token carries it as Cognito's does.
	allowed := map[string]bool{attrSub: true, AttrIdentities: true}
	for _, n := range client.ReadAttributes {
		allowed[n] = true
	}
	var out []store.Attribute
	for _, a := range u.Attributes {
		if allowed[a.Name] {
			out = append(out, a)
		}
	}
	return out
}

func userStoreError(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return cognito.UserNotFound(msgUserNotFound)
	}
	return err
}
