package auth

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/userpool"
)

// InitiateRequest is InitiateAuth or AdminInitiateAuth.
type InitiateRequest struct {
	// Admin is true for AdminInitiateAuth, whose caller is IAM-signed and
	// names the pool.
	Admin    bool
	PoolID   string
	ClientID string
	Flow     string
	Params   map[string]string
}

// Cognito's answers for flows (observed wording).
const (
	msgIncorrect        = "Incorrect username or password."
	msgUserNotFound     = "User does not exist."
	msgAttemptsExceeded = "Password attempts exceeded"
	msgDisabled         = "User is disabled."
	msgNotConfirmed     = "User is not confirmed."
	msgResetRequired    = "Password reset required for the user"
	msgMethod           = "Initiate Auth method not supported."
)

// msgRotatingClient refuses REFRESH_TOKEN_AUTH on an app client with
// refresh-token rotation. Cognito documents that the two are incompatible
// but not the error; we answer InvalidParameterException, as Cognito does
// for other flows a client does not allow, and name the action to use.
const msgRotatingClient = "Refresh token rotation is enabled for this app client: refresh with GetTokensFromRefreshToken."

// InitiateAuth starts a sign-in, or refreshes tokens.
func (e *Engine) InitiateAuth(ctx context.Context, r InitiateRequest) (*Result, error) {
	pool, client, err := e.client(ctx, r.ClientID, r.PoolID, r.Admin)
	if err != nil {
		return nil, err
	}
	switch r.Flow {
	case cognito.AuthFlowUserPasswordAuth:
		if r.Admin {
			return nil, cognito.InvalidParameter(msgMethod)
		}
		if !client.HasFlow(cognito.ExplicitAuthFlowsAllowUserPasswordAuth) {
			return nil, cognito.InvalidParameter("USER_PASSWORD_AUTH flow not enabled for this client")
		}
		return e.passwordSignIn(ctx, pool, client, r.Params)
	case cognito.AuthFlowAdminUserPasswordAuth, cognito.AuthFlowAdminNoSrpAuth:
		if !r.Admin {
			return nil, cognito.InvalidParameter(msgMethod)
		}
		if !client.HasFlow(cognito.ExplicitAuthFlowsAllowAdminUserPasswordAuth) {
			return nil, cognito.InvalidParameter("Auth flow not enabled for this client")
		}
		return e.passwordSignIn(ctx, pool, client, r.Params)
	case cognito.AuthFlowRefreshTokenAuth, cognito.AuthFlowRefreshToken:
		if !client.HasFlow(cognito.ExplicitAuthFlowsAllowRefreshTokenAuth) {
			return nil, cognito.InvalidParameter("Refresh Token flow not enabled for this client")
		}
		if rotates(client) {
			return nil, cognito.InvalidParameter(msgRotatingClient)
		}
		return e.refreshAuth(ctx, pool, client, r.Params)
	}
	// USER_SRP_AUTH, CUSTOM_AUTH and USER_AUTH arrive with later work;
	// until then they are refused plainly rather than half-done.
	return nil, cognito.InvalidParameter(r.Flow + " is not supported by Userpool yet.")
}

// client loads the app client a request names and its pool. For the admin
// actions the client must belong to the pool given.
func (e *Engine) client(ctx context.Context, clientID, poolID string, admin bool) (*cognito.UserPoolType, *userpool.AppClient, error) {
	if admin {
		if _, err := e.cfg.Users.Pool(ctx, poolID); err != nil {
			return nil, nil, err
		}
	}
	client, err := e.cfg.Users.Client(ctx, clientID)
	if err != nil {
		return nil, nil, err
	}
	if admin && client.PoolID != poolID {
		return nil, nil, cognito.ResourceNotFound("User pool client " + clientID + " does not exist.")
	}
	pool, err := e.cfg.Users.Pool(ctx, client.PoolID)
	if err != nil {
		return nil, nil, err
	}
	return pool, client, nil
}

func rotates(c *userpool.AppClient) bool {
	r := c.Config.RefreshTokenRotation
	return r != nil && r.Feature == cognito.FeatureEnabled
}

func graceOf(c *userpool.AppClient) time.Duration {
	r := c.Config.RefreshTokenRotation
	if r == nil || r.RetryGracePeriodSeconds == nil {
		return 0
	}
	return time.Duration(*r.RetryGracePeriodSeconds) * time.Second
}

// userNotFound is what a sign-in for an unknown user answers: with
// PreventUserExistenceErrors the same as a wrong password, so the answer
// does not tell who has an account.
func userNotFound(client *userpool.AppClient) error {
	if client.Config.PreventUserExistenceErrors == cognito.PreventUserExistenceErrorTypesEnabled {
		return cognito.NotAuthorized(msgIncorrect)
	}
	return cognito.UserNotFound(msgUserNotFound)
}

// passwordSignIn runs USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH.
func (e *Engine) passwordSignIn(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, p map[string]string) (*Result, error) {
	username, password := p["USERNAME"], p["PASSWORD"]
	if username == "" {
		return nil, cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	if password == "" {
		return nil, cognito.InvalidParameter("Missing required parameter PASSWORD")
	}
	u, err := e.cfg.Users.LookupUser(ctx, pool, username)
	found := err == nil
	if err != nil && !errors.Is(err, cognito.UserNotFound("")) {
		return nil, err
	}
	if err := checkSecretHash(client, p["SECRET_HASH"], username, u.Username); err != nil {
		return nil, err
	}
	if !found {
		return nil, userNotFound(client)
	}
	now := e.now()
	if now.Before(u.LockedUntil) {
		return nil, cognito.NotAuthorized(msgAttemptsExceeded)
	}
	if !e.cfg.Users.CheckPassword(u, password) {
		if _, err := e.cfg.Users.UpdateSignInState(ctx, pool.ID, u.Sub, func(w *store.User) { recordFailure(w, now) }); err != nil {
			return nil, err
		}
		return nil, cognito.NotAuthorized(msgIncorrect)
	}
	if !u.Enabled {
		return nil, cognito.NotAuthorized(msgDisabled)
	}
	if u.FailedSignIns > 0 {
		if u, err = e.cfg.Users.UpdateSignInState(ctx, pool.ID, u.Sub, func(w *store.User) { w.FailedSignIns = 0 }); err != nil {
			return nil, err
		}
	}
	switch u.Status {
	case cognito.UserStatusUnconfirmed:
		return nil, cognito.UserNotConfirmed(msgNotConfirmed)
	case cognito.UserStatusResetRequired:
		return nil, cognito.PasswordResetRequired(msgResetRequired)
	case cognito.UserStatusForceChangePassword:
		return e.newPasswordChallenge(pool, client, u), nil
	}
	return e.signIn(ctx, pool, client, u)
}

// Lockout, as Cognito's developer guide describes it: from the fifth
// failure in a row the user is locked out for one second, doubling with
// each further failure up to fifteen minutes; the count starts over after
// fifteen minutes without a failure. LockedUntil is also the time of the
// last failure when it is not in the future, which is what "without a
// failure" is measured from.
const (
	lockoutFree  = 5
	lockoutMax   = 15 * time.Minute
	lockoutReset = 15 * time.Minute
)

func recordFailure(u *store.User, now time.Time) {
	if now.Sub(u.LockedUntil) >= lockoutReset {
		u.FailedSignIns = 0
	}
	u.FailedSignIns++
	u.LockedUntil = now
	if n := u.FailedSignIns - lockoutFree; n >= 0 {
		d := lockoutMax
		if n < 20 && time.Second<<n < lockoutMax {
			d = time.Second << n
		}
		u.LockedUntil = now.Add(d)
	}
}

// newPasswordChallenge asks a user with a temporary password for a new one
// (and for any required attribute they lack).
func (e *Engine) newPasswordChallenge(pool *cognito.UserPoolType, client *userpool.AppClient, u store.User) *Result {
	required := e.cfg.Users.RequiredAttributesMissing(pool, u)
	if required == nil {
		required = []string{}
	}
	req, _ := json.Marshal(required)
	return &Result{
		ChallengeName: cognito.ChallengeNameTypeNewPasswordRequired,
		ChallengeParameters: map[string]string{
			"USER_ID_FOR_SRP":    u.Username,
			"requiredAttributes": string(req),
			"userAttributes":     userpool.ChallengeAttributes(u),
		},
		Session: e.newSession(session{
			Pool: pool.ID, Client: client.Config.ClientID, Sub: u.Sub, Username: u.Username,
			Challenge: cognito.ChallengeNameTypeNewPasswordRequired,
		}, client.AuthSessionTTL()),
	}
}

// signIn completes a sign-in: a new refresh-token family and the first ID
// and access tokens of it.
func (e *Engine) signIn(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User) (*Result, error) {
	now := e.now()
	refresh, fam, err := e.cfg.Tokens.StartFamily(ctx, tokens.NewFamily{
		PoolID: pool.ID, ClientID: client.Config.ClientID, Sub: u.Sub, AuthTime: now, TTL: client.RefreshTokenTTL(),
	})
	if err != nil {
		return nil, err
	}
	id, access, err := e.mintFor(ctx, pool, client, u, fam, now)
	if err != nil {
		return nil, err
	}
	return &Result{Tokens: &TokenSet{IDToken: id, AccessToken: access, RefreshToken: refresh, ExpiresIn: int64(client.AccessTokenTTL() / time.Second)}}, nil
}
