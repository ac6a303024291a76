package auth

import (
	"context"
	"errors"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// Sign-ins are recorded as authentication events (userpool/auth_events.go)
// in pools with threat protection: one SignIn event per sign-in, InProgress
// while challenges are asked, Pass when it ends with tokens, Fail when a
// step refuses it, with a Password or Mfa entry for each step that checked
// one. Only a sign-in whose user is known is recorded (an event belongs to
// a user). Recording never fails the sign-in, and in pools without threat
// protection it costs nothing but the test of the pool's add-on.

// Sender is who a request says the signing-in user is, where the request
// says it: the admin actions' ContextData (the address and headers a
// back end saw) or UserContextData's IpAddress. Empty fields fall back to
// the request's own address and User-Agent.
type Sender struct {
	IP        string
	UserAgent string
}

// stepPassword and stepMFA name what a step checked, as the events'
// ChallengeName does; stepNone is a step that checked neither.
const (
	stepNone     = ""
	stepPassword = userpool.ChallengePassword
	stepMFA      = userpool.ChallengeMFA
)

// flowStep is what the first step of a flow checks.
func flowStep(r InitiateRequest) string {
	switch r.Flow {
	case cognito.AuthFlowUserPasswordAuth, cognito.AuthFlowAdminUserPasswordAuth, cognito.AuthFlowAdminNoSrpAuth:
		return stepPassword
	case cognito.AuthFlowUserAuth:
		if r.Params["PASSWORD"] != "" {
			return stepPassword
		}
	}
	return stepNone
}

// challengeStep is what answering a challenge checks.
func challengeStep(r ChallengeRequest) string {
	switch r.Name {
	case cognito.ChallengeNameTypePasswordVerifier:
		return stepPassword
	case cognito.ChallengeNameTypeSmsMfa, cognito.ChallengeNameTypeSoftwareTokenMfa,
		cognito.ChallengeNameTypeEmailOtp, cognito.ChallengeNameTypeSmsOtp:
		return stepMFA
	case cognito.ChallengeNameTypeSelectChallenge:
		if r.Responses["ANSWER"] == "PASSWORD" || r.Responses["ANSWER"] == "PASSWORD_SRP" {
			if r.Responses["PASSWORD"] != "" {
				return stepPassword
			}
		}
	}
	return stepNone
}

// A sign-in's steps are one event, whose id the first step chooses
// (beginEvent) and every challenge carries in its sealed session or SRP
// block, so that an answer continues exactly its own sign-in's event:
// two sign-ins of one user under way at once (two devices) each finish
// their own. A session sealed before sessions carried the id continues
// the user's newest event under way, as all did before.
//
// Sign-ins through a third-party identity provider (FederatedSignIn) are
// not recorded: Cognito's threat protection applies to local users only
// ("MFA and threat protection apply to local users. Third-party IdPs are
// responsible for the security posture of federated users.", Amazon
// Cognito Developer Guide, "Using Amazon Cognito user pools security
// features"), and the user event history is threat protection's.

// beginEvent names the event of a sign-in's first step.
func (e *Engine) beginEvent(si *signIn) {
	si.event = userpool.NewAuthEventID(si.pool)
}

// resumeEvent names the event the answer to challenge r records: the
// one its session carries or, for the password verifiers, which are
// answered with an SRP block rather than a session, the one its block
// carries.
func (e *Engine) resumeEvent(ctx context.Context, si *signIn, r ChallengeRequest) {
	if !userpool.RecordsAuthEvents(si.pool) {
		return
	}
	switch r.Name {
	case cognito.ChallengeNameTypePasswordVerifier, cognito.ChallengeNameTypeDevicePasswordVerifier:
		if b, _ := peekBlock(e, r.Responses["PASSWORD_CLAIM_SECRET_BLOCK"]); b != nil && b.Pool == si.pool.ID {
			e.continueEvent(ctx, si, b.Sub, b.Event)
		}
	default:
		e.resumeSessionEvent(ctx, si, r.Session)
	}
}

// resumeSessionEvent names the event an answer with the session raw
// records: the one the session carries. The hosted page's steps answer
// with sessions too.
func (e *Engine) resumeSessionEvent(ctx context.Context, si *signIn, raw string) {
	if !userpool.RecordsAuthEvents(si.pool) {
		return
	}
	if s := peekSession(e, raw); s != nil && s.Pool == si.pool.ID {
		e.continueEvent(ctx, si, s.Sub, s.Event)
	}
}

// continueEvent goes on with the event id of the user sub: that one while
// it is under way, a new one after it has ended.
func (e *Engine) continueEvent(ctx context.Context, si *signIn, sub, id string) {
	if id == "" {
		return
	}
	si.event = e.cfg.Users.ResumeAuthEventID(ctx, si.pool, sub, userpool.EventSignIn, id)
}

// recordSignIn records the outcome of one step of a sign-in: err refused
// it, tokens ended it, or another challenge follows. cont says the step
// answered a challenge, and so goes on with the sign-in's event.
func (e *Engine) recordSignIn(ctx context.Context, si *signIn, step string, tokens bool, err error, cont bool) {
	if si == nil || !userpool.RecordsAuthEvents(si.pool) {
		return
	}
	u := si.user
	if u.Sub == "" {
		u = si.named
	}
	if u.Sub == "" && si.sess != nil {
		u = store.User{Sub: si.sess.Sub, Username: si.sess.Username}
	}
	if u.Sub == "" {
		return
	}
	r := userpool.AuthEventRecord{
		ID: si.event, Type: userpool.EventSignIn, ClientID: si.client.Config.ClientID,
		Continue: cont, Within: si.client.AuthSessionTTL(), Context: userpool.RequestContext(ctx),
	}
	if si.sender.IP != "" {
		r.Context.IP = si.sender.IP
	}
	if si.sender.UserAgent != "" {
		r.Context.UserAgent = si.sender.UserAgent
	}
	outcome := cognito.ChallengeResponseSuccess
	switch {
	case err != nil:
		r.Response, outcome = userpool.EventFail, cognito.ChallengeResponseFailure
		var ce *cognito.Error
		if errors.As(err, &ce) && ce.Type != cognito.TypeNotAuthorized && ce.Type != cognito.TypeCodeMismatch &&
			ce.Type != cognito.TypeExpiredCode {
			// Refused for another reason than the answer (a disabled
			// user, an unconfirmed one): the step's check is not known
			// to have failed.
			step = stepNone
		}
	case tokens:
		r.Response = userpool.EventPass
	default:
		r.Response = userpool.EventInProgress
	}
	if step != stepNone {
		r.Challenges = []cognito.ChallengeResponseType{{ChallengeName: step, ChallengeResponse: outcome}}
	}
	e.cfg.Users.RecordAuthEvent(ctx, si.pool, u, r)
}
