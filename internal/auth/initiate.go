package auth

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/metrics"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/triggers"
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
	// ClientMetadata is for the Lambda triggers.
	ClientMetadata map[string]string
	// Sender is who the request says the user is, for the auth event.
	Sender Sender
	// Session is ConfirmSignUp's, which USER_AUTH signs in with.
	Session string
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
	si, err := e.start(ctx, r.ClientID, r.PoolID, r.Admin)
	if err != nil {
		return nil, err
	}
	si.sender = r.Sender
	if r.Flow != cognito.AuthFlowRefreshTokenAuth && r.Flow != cognito.AuthFlowRefreshToken {
		e.beginEvent(si)
	}
	res, err := e.initiate(ctx, si, r)
	if r.Flow != cognito.AuthFlowRefreshTokenAuth && r.Flow != cognito.AuthFlowRefreshToken {
		e.recordSignIn(ctx, si, flowStep(r), res != nil && res.Tokens != nil, err, false)
	}
	return res, err
}

// initiate runs the first step of the flow r names.
func (e *Engine) initiate(ctx context.Context, si *signIn, r InitiateRequest) (*Result, error) {
	client := si.client
	si.validation = r.ClientMetadata
	switch r.Flow {
	case cognito.AuthFlowUserPasswordAuth:
		if r.Admin {
			return nil, cognito.InvalidParameter(msgMethod)
		}
		if !client.HasFlow(cognito.ExplicitAuthFlowsAllowUserPasswordAuth) {
			return nil, cognito.InvalidParameter("USER_PASSWORD_AUTH flow not enabled for this client")
		}
		return e.passwordSignIn(ctx, si, r.Params)
	case cognito.AuthFlowAdminUserPasswordAuth, cognito.AuthFlowAdminNoSrpAuth:
		if !r.Admin {
			return nil, cognito.InvalidParameter(msgMethod)
		}
		if !client.HasFlow(cognito.ExplicitAuthFlowsAllowAdminUserPasswordAuth) {
			return nil, cognito.InvalidParameter("Auth flow not enabled for this client")
		}
		return e.passwordSignIn(ctx, si, r.Params)
	case cognito.AuthFlowRefreshTokenAuth, cognito.AuthFlowRefreshToken:
		if !client.HasFlow(cognito.ExplicitAuthFlowsAllowRefreshTokenAuth) {
			return nil, cognito.InvalidParameter("Refresh Token flow not enabled for this client")
		}
		if rotates(client) {
			return nil, cognito.InvalidParameter(msgRotatingClient)
		}
		return e.refreshAuth(ctx, si.pool, client, r.Params)
	case cognito.AuthFlowUserSrpAuth:
		if !client.HasFlow(cognito.ExplicitAuthFlowsAllowUserSrpAuth) {
			return nil, cognito.InvalidParameter(msgSRPNotEnabled)
		}
		return e.srpSignIn(ctx, si, r.Params)
	case cognito.AuthFlowUserAuth:
		if !client.HasFlow(cognito.ExplicitAuthFlowsAllowUserAuth) {
			return nil, cognito.InvalidParameter("USER_AUTH flow not enabled for this client")
		}
		if r.Session != "" {
			return e.confirmedSignIn(ctx, si, r.Params, r.Session)
		}
		return e.userAuthSignIn(ctx, si, r.Params)
	case cognito.AuthFlowCustomAuth:
		return e.customSignIn(ctx, si, r.Params)
	}
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
	if client.PreventsExistenceErrors() {
		return cognito.NotAuthorized(msgIncorrect)
	}
	return cognito.UserNotFound(msgUserNotFound)
}

// passwordSignIn runs USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH.
func (e *Engine) passwordSignIn(ctx context.Context, si *signIn, p map[string]string) (*Result, error) {
	username, password := p["USERNAME"], p["PASSWORD"]
	if username == "" {
		return nil, cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	if password == "" {
		return nil, cognito.InvalidParameter("Missing required parameter PASSWORD")
	}
	err := e.verifyPassword(ctx, si, username, password, func(internal string) error {
		return checkSecretHash(si.client, p["SECRET_HASH"], username, internal)
	})
	if err != nil {
		return nil, err
	}
	return e.afterFirstFactor(ctx, si, p["DEVICE_KEY"])
}

// verifyPassword is the password check every password sign-in shares (the
// JSON API's flows and the hosted login page): user lookup, lockout,
// disabled and unconfirmed users, and the answer for unknown users that
// PreventUserExistenceErrors asks for. It finds the sign-in's user, who
// may go on: confirmed, or FORCE_CHANGE_PASSWORD, whom the caller must
// ask for a new password. checkClient, when not nil, runs once the user
// is looked up (with the internal username, "" for an unknown user) and
// before anything reveals whether the user exists: the JSON API checks
// SECRET_HASH there.
func (e *Engine) verifyPassword(ctx context.Context, si *signIn, username, password string, checkClient func(internalUsername string) error) error {
	u, err := e.cfg.Users.LookupUser(ctx, si.pool, username)
	found := err == nil
	if err != nil && !errors.Is(err, cognito.UserNotFound("")) {
		return err
	}
	if checkClient != nil {
		if err := checkClient(u.Username); err != nil {
			return err
		}
	}
	if !found {
		// A user the pool does not know may be one the pool's
		// UserMigration function brings over from an old system, with
		// the password just typed.
		migrated, ok, err := e.cfg.Users.MigrateUser(ctx, si.pool, si.client.Config.ClientID, username, password, triggers.SourceAuthentication, si.validation)
		if err != nil {
			return err
		}
		u, found = migrated, ok
	}
	if !found {
		if si.client.PreventsExistenceErrors() {
			// PreAuthentication runs as for a user, told the user is
			// unknown, and may refuse as it would for one.
			if err := e.preAuthentication(ctx, si, store.User{Username: username}); err != nil {
				return err
			}
			// What a wrong password costs, counting the attempt and
			// hashing, so that the time of the answer does not tell who
			// has an account.
			time.Sleep(time.Duration(e.attemptCost.Load()))
			e.cfg.Users.CheckPassword(store.User{}, password)
		}
		return userNotFound(si.client)
	}
	si.named = u
	if err := e.preAuthentication(ctx, si, u); err != nil {
		return err
	}
	if err := resetWithoutPassword(u); err != nil {
		return err
	}
	err = e.passwordAttempt(ctx, si, u.Sub, func(u store.User) bool { return e.cfg.Users.CheckPassword(u, password) })
	if err != nil {
		return err
	}
	return e.firstFactorPassed(ctx, si)
}

// passwordAttempt is one attempt at the password of the user sub, under
// the lockout: check says whether the attempt proves the password,
// judged against the user as the attempt found them. The attempt is
// counted as a failure before it is checked, in the store's
// read-modify-write of the user, which refuses it when the user is
// locked out: concurrent attempts, on one node or many, are each counted
// before any of them is checked, so no more are checked than one after
// another would be (checking a password is the slow part, some 20 ms of
// hashing). A right password then takes its failure back, and the count
// starts over; the sign-in goes on with the user the attempt left. On one
// node a user's attempts take turns (attempt_lanes.go), so that right
// passwords sent at once are not counted into a lockout.
func (e *Engine) passwordAttempt(ctx context.Context, si *signIn, sub string, check func(store.User) bool) error {
	leave, err := e.lanes.enter(ctx, si.pool.ID, sub)
	if err != nil {
		return err
	}
	defer leave()
	now := e.now()
	locked := false
	u, err := e.cfg.Users.UpdateSignInState(ctx, si.pool.ID, sub, func(w *store.User) {
		if locked = lockedOut(*w, now); !locked {
			recordFailure(w, now)
		}
	})
	if err != nil {
		return err
	}
	e.noteAttemptCost(e.now().Sub(now))
	if locked {
		return cognito.NotAuthorized(msgAttemptsExceeded)
	}
	if !check(u) {
		return cognito.NotAuthorized(msgIncorrect)
	}
	// The right password takes its failure back: one UPDATE of the two
	// counters, u being the user as the count just left them.
	si.user, err = e.cfg.Users.ClearSignInFailures(ctx, u)
	return err
}

// maxAttemptCost bounds one reading of attemptCost.
const maxAttemptCost = 100 * time.Millisecond

// noteAttemptCost adds the time one count of an attempt took to the
// moving average of attemptCost (an eighth of each new one), which adapts
// to the store in use within a few dozen sign-ins. A reading outside
// [0, maxAttemptCost] (a clock step, a stalled database) counts as its
// bound.
func (e *Engine) noteAttemptCost(d time.Duration) {
	d = min(max(d, 0), maxAttemptCost)
	for {
		old := e.attemptCost.Load()
		if e.attemptCost.CompareAndSwap(old, old+(int64(d)-old)/8) {
			return
		}
	}
}

// Lockout, as Cognito's developer guide describes it: from the fifth
// failure in a row the user is locked out for one second, doubling with
// each further failure up to fifteen minutes; the count starts over after
// fifteen minutes without a failure. The store keeps only the count and
// LockedUntil, which is the last failure plus the lockout it caused, so
// the time of the last failure, which "without a failure" is measured
// from, is LockedUntil less lockoutAfter(count).
const (
	lockoutFree  = 5
	lockoutMax   = 15 * time.Minute
	lockoutReset = 15 * time.Minute
)

// lockedOut reports whether u is locked out at now. Below lockoutFree
// failures LockedUntil is only the time of the last one, which another
// node's clock, or an attempt counted an instant later, may put after
// now: that is no lockout.
func lockedOut(u store.User, now time.Time) bool {
	return u.FailedSignIns >= lockoutFree && now.Before(u.LockedUntil)
}

func recordFailure(u *store.User, now time.Time) {
	last := u.LockedUntil.Add(-lockoutAfter(u.FailedSignIns))
	if now.Sub(last) >= lockoutReset {
		u.FailedSignIns = 0
	}
	u.FailedSignIns++
	u.LockedUntil = now.Add(lockoutAfter(u.FailedSignIns))
	if lockoutAfter(u.FailedSignIns) > 0 {
		// Counted when the failure is recorded; a transaction retried
		// after a conflict (rare) may count it twice.
		metrics.Lockouts.Inc()
	}
}

// lockoutAfter is how long the n-th failure in a row locks the user out.
func lockoutAfter(n int) time.Duration {
	k := n - lockoutFree
	switch {
	case k < 0:
		return 0
	case k < 20 && time.Second<<k < lockoutMax:
		return time.Second << k
	}
	return lockoutMax
}

// newPasswordChallenge asks a user with a temporary password for a new one
// (and for any required attribute they lack). The device the sign-in
// named goes on with it once the password is set.
func (e *Engine) newPasswordChallenge(si *signIn) *Result {
	u := si.user
	required := e.cfg.Users.RequiredAttributesMissing(si.pool, u)
	if required == nil {
		required = []string{}
	}
	req, _ := json.Marshal(required)
	s := si.session(cognito.ChallengeNameTypeNewPasswordRequired)
	s.Device = si.dev.Key
	return &Result{
		ChallengeName: cognito.ChallengeNameTypeNewPasswordRequired,
		ChallengeParameters: map[string]string{
			"USER_ID_FOR_SRP":    u.Username,
			"requiredAttributes": string(req),
			"userAttributes":     userpool.ChallengeAttributes(u),
		},
		Session: e.newSession(s, si.client.AuthSessionTTL()),
	}
}

// issueTokens ends a sign-in that has passed every factor: a new
// refresh-token family and the first ID and access tokens of it.
func (e *Engine) issueTokens(ctx context.Context, si *signIn) (*Result, error) {
	now := e.now()
	pool, client, u := si.pool, si.client, si.user
	deviceKey, newDevice := e.deviceFor(pool, u, si.dev)
	if err := e.postAuthentication(ctx, si, newDevice != nil); err != nil {
		return nil, err
	}
	refresh, fam, err := e.cfg.Tokens.StartFamily(ctx, tokens.NewFamily{
		PoolID: pool.ID, ClientID: client.Config.ClientID, Sub: u.Sub, AuthTime: now, TTL: client.RefreshTokenTTL(), DeviceKey: deviceKey,
	})
	if err != nil {
		return nil, err
	}
	source := si.tokenSource
	if source == "" {
		source = triggers.TokenAuthentication
	}
	id, access, err := e.mintFor(ctx, pool, client, u, fam, now, mint{source: source, metadata: si.metadata})
	if err != nil {
		return nil, err
	}
	return &Result{Tokens: &TokenSet{IDToken: id, AccessToken: access, RefreshToken: refresh, ExpiresIn: int64(client.AccessTokenTTL() / time.Second), NewDevice: newDevice}}, nil
}

// resetWithoutPassword stops the sign-in of a user who must reset a
// password they never had here (a user imported from a CSV file): there
// is no password to prove, and Cognito answers whatever was typed with
// PasswordResetRequiredException, which sends the client to
// ForgotPassword. A user whose password was reset by an admin still has
// the old one, and is answered so only once it is proven.
func resetWithoutPassword(u store.User) error {
	if u.Enabled && u.Status == cognito.UserStatusResetRequired && u.PasswordHash == "" {
		return cognito.PasswordResetRequired(msgResetRequired)
	}
	return nil
}
