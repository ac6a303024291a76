package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"slices"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/triggers"
)

// Cognito's answers for self sign-up (observed wording, except
// msgAutoVerifyOff, which is the message reported for
// ResendConfirmationCode in pools without AutoVerifiedAttributes).
const (
	// MsgSignUpNotPermitted is exported for the hosted sign-up page,
	// which answers its GET with the same words.
	MsgSignUpNotPermitted = "SignUp is not permitted for this user pool"
	msgSignUpUserExists   = "User already exists"
	msgAlreadyConfirmed   = "User is already confirmed."
	msgAutoVerifyOff      = "Auto verification not turned on."
)

// SecretHash is Base64(HMAC-SHA256(client secret, username + client id)),
// what clients of an app client with a secret send as SecretHash or
// SECRET_HASH.
func SecretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// CheckSecretHash verifies a SecretHash for a client with a secret against
// any of the usernames given: the one the user typed, and the internal
// username, which challenge responses and refreshes use (in
// e-mail-as-username pools it is a UUID). A client without a secret must
// not be sent one. It is shared by the public user actions and the
// authentication engine, so both answer alike.
func CheckSecretHash(client *AppClient, given string, usernames ...string) error {
	id := client.Config.ClientID
	if client.Secret == "" {
		if given != "" {
			return cognito.InvalidParameter("App client " + id + " is not configured for secret but secret hash was received")
		}
		return nil
	}
	if given == "" {
		return cognito.NotAuthorized("Client " + id + " is configured with secret but SECRET_HASH was not received")
	}
	match := 0
	for _, secret := range client.AcceptedSecrets() {
		for _, u := range usernames {
			if u != "" {
				match |= subtle.ConstantTimeCompare([]byte(SecretHash(secret, u, id)), []byte(given))
			}
		}
	}
	if match == 1 {
		return nil
	}
	return cognito.NotAuthorized("Unable to verify secret hash for client " + id)
}

// publicClient loads the app client a public action names, and its pool.
func (s *Service) publicClient(ctx context.Context, clientID string) (*cognito.UserPoolType, *AppClient, error) {
	client, err := s.Client(ctx, clientID)
	if err != nil {
		return nil, nil, err
	}
	pool, err := s.Pool(ctx, client.PoolID)
	if err != nil {
		return nil, nil, err
	}
	return pool, client, nil
}

// publicUser finds the user a public action's Username names, after
// checking its SecretHash, which may be computed with the name typed or
// with the internal username. found is false (and err nil) for an unknown
// user when the client prevents user-existence errors, so the caller can
// answer as if the user existed; otherwise an unknown user is
// UserNotFoundException.
func (s *Service) publicUser(ctx context.Context, pool *cognito.UserPoolType, client *AppClient, username, secretHash string) (u store.User, found bool, err error) {
	u, err = s.lookupUser(ctx, pool, username)
	notFound := errors.Is(err, cognito.UserNotFound(""))
	if err != nil && !notFound {
		return store.User{}, false, err
	}
	if err := CheckSecretHash(client, secretHash, username, u.Username); err != nil {
		return store.User{}, false, err
	}
	if notFound {
		if client.PreventsExistenceErrors() {
			return store.User{}, false, nil
		}
		return store.User{}, false, cognito.UserNotFound(msgUserNotFound)
	}
	return u, true, nil
}

// hidden reports whether a request that would send a user a code
// (ResendConfirmationCode, ForgotPassword) answers with a simulated
// delivery: for a user who does not exist, or, when the client prevents
// user-existence errors, one who is disabled, as Cognito answers for a
// deactivated user, so that the answer tells neither apart from a user
// who exists and may have a code.
func hidden(client *AppClient, u store.User, found bool) bool {
	return !found || (client.PreventsExistenceErrors() && !u.Enabled)
}

// SignUp creates an UNCONFIRMED user with the password and attributes
// given, under the pool's schema, password policy and sign-in
// identifiers. When the pool verifies an attribute the user has
// (AutoVerifiedAttributes), a confirmation code goes to it and the answer
// says where, masked. The pool's PreSignUp trigger may refuse the user,
// or confirm it and verify its e-mail or phone, when no code is sent.
func (s *Service) SignUp(ctx context.Context, in *cognito.SignUpInput) (*cognito.SignUpOutput, error) {
	pool, client, err := s.publicClient(ctx, in.ClientID)
	if err != nil {
		return nil, err
	}
	if err := CheckSecretHash(client, in.SecretHash, in.Username); err != nil {
		return nil, err
	}
	if !SelfSignUp(pool) {
		return nil, cognito.NotAuthorized(MsgSignUpNotPermitted)
	}
	if err := CheckUserWritable(client.Config, in.UserAttributes); err != nil {
		return nil, err
	}
	id := poolIdentity(pool)
	sub, username, attrs, err := newUser(pool, id, in.Username, in.UserAttributes)
	if err != nil {
		return nil, err
	}
	if err := poolPasswordPolicy(pool).check(in.Password); err != nil {
		return nil, err
	}
	pw, err := s.newPasswordRecord(pool.ID, username, in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := store.User{
		PoolID:      pool.ID,
		Sub:         sub,
		Username:    username,
		UsernameKey: id.usernameKey(username),
		Status:      cognito.UserStatusUnconfirmed,
		Enabled:     true,
		Attributes:  attrs,
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	pw.setOn(&u, now)
	ans, err := s.preSignUp(ctx, pool, client.Config.ClientID, u, triggers.SourceSignUp, in.ValidationData, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	if err := autoVerify(&u, ans); err != nil {
		return nil, err
	}
	if ans.AutoConfirmUser {
		u.Status = cognito.UserStatusConfirmed
	}
	id.aliasKeys(&u)
	target, sendCode := autoVerifyTarget(pool, u)
	sendCode = sendCode && !ans.AutoConfirmUser
	// An address PreSignUp verifies moves to the new user when another
	// user has it as an alias, as on Cognito.
	force := ans.AutoVerifyEmail || ans.AutoVerifyPhone
	var code string
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if err := s.claimAliases(ctx, tx, id, u, force, true); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if !sendCode {
			return nil
		}
		var err error
		code, err = s.issueCode(ctx, tx, pool.ID, sub, purposeSignUp, target, false, signUpCodeTTL)
		return err
	})
	if err != nil {
		return nil, signUpConflict(id, err)
	}
	// A user who must still confirm is a sign-up in progress, as
	// Cognito's activity log shows it.
	signedUp := errInProgress
	if ans.AutoConfirmUser {
		signedUp = nil
	}
	s.recordUserEvent(ctx, pool, u, EventSignUp, client.Config.ClientID, signedUp, "", 0)
	out := &cognito.SignUpOutput{UserConfirmed: pointerTo(ans.AutoConfirmUser), UserSub: sub}
	if ans.AutoConfirmUser {
		if err := s.postConfirmation(ctx, pool, client.Config.ClientID, u, triggers.SourceConfirmSignUp, in.ClientMetadata); err != nil {
			return nil, err
		}
	}
	if sendCode {
		if err := s.deliverCode(ctx, pool, username, target, delivery.PurposeSignUp, code, in.ClientMetadata); err != nil {
			return nil, err
		}
		out.CodeDeliveryDetails = target.details()
	}
	return out, nil
}

// signUpConflict is userConflict with SignUp's wording for a taken
// username.
func signUpConflict(id identity, err error) error {
	var ce *store.ConflictError
	if errors.As(err, &ce) && ce.Field == "username" {
		return cognito.UsernameExists(msgSignUpUserExists)
	}
	return userConflict(id, err, true)
}

// ConfirmSignUp confirms an UNCONFIRMED user with the code sent at
// sign-up, and marks the attribute it was sent to verified (if the user
// still has that value). Verifying an e-mail or phone that is another
// user's alias is AliasExistsException, unless ForceAliasCreation moves
// the alias to this user. For an unknown user, a client that prevents
// user-existence errors answers as for a wrong code.
func (s *Service) ConfirmSignUp(ctx context.Context, in *cognito.ConfirmSignUpInput) (*cognito.ConfirmSignUpOutput, error) {
	pool, client, err := s.publicClient(ctx, in.ClientID)
	if err != nil {
		return nil, err
	}
	u, found, err := s.publicUser(ctx, pool, client, in.Username, in.SecretHash)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, cognito.CodeMismatch(msgCodeMismatch)
	}
	if u.Status != cognito.UserStatusUnconfirmed {
		return nil, cognito.NotAuthorized(msgCannotConfirm + u.Status)
	}
	c, err := s.checkCode(ctx, pool.ID, u.Sub, purposeSignUp, in.ConfirmationCode)
	if err != nil {
		return nil, err
	}
	force := in.ForceAliasCreation != nil && *in.ForceAliasCreation
	id := poolIdentity(pool)
	now := s.now()
	var confirmed store.User
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if err := consumeCode(ctx, tx, c); err != nil {
			return err
		}
		cur, err := tx.GetUserBySub(ctx, pool.ID, u.Sub)
		if err != nil {
			return userStoreError(err)
		}
		if cur.Status != cognito.UserStatusUnconfirmed {
			return cognito.NotAuthorized(msgCannotConfirm + cur.Status)
		}
		if v, _ := cur.Attr(c.Attribute); c.Attribute != "" && v == c.Value {
			cur.Attributes = setAttr(cur.Attributes, verifiedFlag(c.Attribute), attrValueTrue)
			id.aliasKeys(&cur)
			if err := s.claimAliases(ctx, tx, id, cur, force, false); err != nil {
				return err
			}
		}
		confirmed, err = s.saveUser(ctx, tx, pool.ID, u.Sub, func(w *store.User) error {
			w.Status = cognito.UserStatusConfirmed
			w.Attributes = cur.Attributes
			w.AliasEmail, w.AliasPhone, w.AliasPreferredUsername = cur.AliasEmail, cur.AliasPhone, cur.AliasPreferredUsername
			w.UpdatedAt = now
			return nil
		})
		return err
	})
	if err != nil {
		return nil, userConflict(id, err, false)
	}
	if err := s.postConfirmation(ctx, pool, client.Config.ClientID, confirmed, triggers.SourceConfirmSignUp, in.ClientMetadata); err != nil {
		return nil, err
	}
	return &cognito.ConfirmSignUpOutput{}, nil
}

// verifiedFlag is the attribute that says whether attr is verified.
func verifiedFlag(attr string) string {
	if attr == attrPhone {
		return attrPhoneVerified
	}
	return attrEmailVerified
}

// ResendConfirmationCode sends an UNCONFIRMED user a new confirmation
// code, which replaces the previous one. A confirmed user is
// InvalidParameterException; for an unknown user, a client that prevents
// user-existence errors answers with a simulated delivery.
func (s *Service) ResendConfirmationCode(ctx context.Context, in *cognito.ResendConfirmationCodeInput) (*cognito.ResendConfirmationCodeOutput, error) {
	pool, client, err := s.publicClient(ctx, in.ClientID)
	if err != nil {
		return nil, err
	}
	u, found, err := s.publicUser(ctx, pool, client, in.Username, in.SecretHash)
	if err != nil {
		return nil, err
	}
	if len(pool.AutoVerifiedAttributes) == 0 {
		return nil, cognito.InvalidParameter(msgAutoVerifyOff)
	}
	if hidden(client, u, found) {
		medium := delivery.MediumEmail
		if !slices.Contains(pool.AutoVerifiedAttributes, attrEmail) {
			medium = delivery.MediumSMS
		}
		return &cognito.ResendConfirmationCodeOutput{CodeDeliveryDetails: simulatedTarget(pool.ID, in.Username, medium).details()}, nil
	}
	if u.Status != cognito.UserStatusUnconfirmed {
		return nil, cognito.InvalidParameter(msgAlreadyConfirmed)
	}
	target, ok := autoVerifyTarget(pool, u)
	if !ok {
		return nil, cognito.InvalidParameter(msgNoAutoVerifiedValue)
	}
	code, err := s.issueCode(ctx, s.cfg.Store, pool.ID, u.Sub, purposeSignUp, target, false, signUpCodeTTL)
	if err != nil {
		return nil, err
	}
	err = s.deliverCode(ctx, pool, u.Username, target, delivery.PurposeResendCode, code, in.ClientMetadata)
	s.recordUserEvent(ctx, pool, u, EventResendCode, client.Config.ClientID, err, "", 0)
	if err != nil {
		return nil, err
	}
	return &cognito.ResendConfirmationCodeOutput{CodeDeliveryDetails: target.details()}, nil
}

// msgNoAutoVerifiedValue answers a resend for a user who has none of the
// attributes the pool verifies (the reference is silent; this names what
// is missing).
const msgNoAutoVerifiedValue = "Cannot send a confirmation code: the user has no email or phone_number the user pool verifies."

// SignUpAttributes are the attributes a sign-up form must ask for: the
// pool's required attributes, in Cognito's order, less sub (the server's)
// and the attribute the username fills in a pool whose usernames are one
// kind of identifier (an e-mail address or a phone number).
func SignUpAttributes(pool *cognito.UserPoolType) []string {
	have := []store.Attribute{{Name: attrSub}}
	if len(pool.UsernameAttributes) == 1 {
		have = append(have, store.Attribute{Name: pool.UsernameAttributes[0]})
	}
	var out []string
	for _, v := range poolSchema(pool).missingRequired(have) {
		out = append(out, v.name)
	}
	return out
}

// SelfSignUp reports whether users may sign themselves up in the pool:
// AllowAdminCreateUserOnly is not set.
func SelfSignUp(pool *cognito.UserPoolType) bool {
	c := pool.AdminCreateUserConfig
	return c == nil || c.AllowAdminCreateUserOnly == nil || !*c.AllowAdminCreateUserOnly
}
