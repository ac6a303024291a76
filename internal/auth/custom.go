package auth

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/triggers"
)

// CUSTOM_AUTH: the pool's DefineAuthChallenge function decides each step
// from the challenges so far (the session list), CreateAuthChallenge
// makes each CUSTOM_CHALLENGE and VerifyAuthChallengeResponse judges its
// ANSWER. The list and the challenge's private parameters travel in the
// sealed session, so the client never reads them and any node can go on.
// A client that asks for it (CHALLENGE_NAME=SRP_A) proves the password by
// SRP first: DefineAuthChallenge sees SRP_A, then PASSWORD_VERIFIER.

const (
	msgCustomNotEnabled = "Custom auth flow not enabled for this client"
	msgMissingAnswer    = "Missing required parameter ANSWER"
	// challengeSRPA is the session list's name of the SRP_A a custom
	// sign-in starts with.
	challengeSRPA = "SRP_A"
)

// customState is what a CUSTOM_CHALLENGE's session carries: the session
// list so far, and the challenge's private parameters and metadata.
type customState struct {
	Steps    []triggers.Challenge `json:"s"`
	Private  map[string]string    `json:"p"`
	Metadata *string              `json:"m"`
}

// customSignIn runs InitiateAuth CUSTOM_AUTH.
func (e *Engine) customSignIn(ctx context.Context, si *signIn, p map[string]string) (*Result, error) {
	if !si.client.HasFlow(cognito.ExplicitAuthFlowsAllowCustomAuth) {
		return nil, cognito.InvalidParameter(msgCustomNotEnabled)
	}
	username := p["USERNAME"]
	if username == "" {
		return nil, cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	u, err := e.cfg.Users.LookupUser(ctx, si.pool, username)
	if err := checkSecretHash(si.client, p["SECRET_HASH"], username, u.Username); err != nil {
		return nil, err
	}
	switch {
	case errors.Is(err, cognito.UserNotFound("")) && si.client.PreventsExistenceErrors():
		// An unknown user's sign-in runs the triggers as a user's does,
		// told the user is unknown (userNotFound), so the answers are
		// alike; it can never end in tokens.
		u = store.User{Username: username}
	case errors.Is(err, cognito.UserNotFound("")):
		return nil, userNotFound(si.client)
	case err != nil:
		return nil, err
	default:
		if err := e.mayContinue(u); err != nil {
			return nil, err
		}
	}
	si.user = u
	var steps []triggers.Challenge
	if p["CHALLENGE_NAME"] == challengeSRPA {
		steps = append(steps, triggers.Challenge{Name: challengeSRPA, Result: true})
	}
	return e.customStep(ctx, si, steps, p)
}

// customStep asks DefineAuthChallenge what follows steps and takes the
// sign-in there: tokens, a refusal, SRP's PASSWORD_VERIFIER (only right
// after SRP_A, with the initial request's parameters p), or a new custom
// challenge.
func (e *Engine) customStep(ctx context.Context, si *signIn, steps []triggers.Challenge, p map[string]string) (*Result, error) {
	call := triggerCall(si.pool, si.client, si.user, si.metadata)
	d, err := e.cfg.Triggers.DefineAuthChallenge(ctx, call, steps)
	if err != nil {
		return nil, err
	}
	switch {
	case d.FailAuthentication:
		return nil, cognito.NotAuthorized(msgIncorrect)
	case d.IssueTokens && si.user.Sub == "":
		// An unknown user, whatever the function says.
		return nil, cognito.NotAuthorized(msgIncorrect)
	case d.IssueTokens:
		if err := e.firstFactorPassed(ctx, si); err != nil {
			return nil, err
		}
		return e.secondFactorSettled(ctx, si)
	case d.Next() == cognito.ChallengeNameTypePasswordVerifier && len(steps) == 1 && steps[0].Name == challengeSRPA && p != nil:
		si.custom = true
		return e.srpSignIn(ctx, si, p)
	case d.Next() == cognito.ChallengeNameTypeCustomChallenge:
		c, err := e.cfg.Triggers.CreateAuthChallenge(ctx, call, d.Next(), steps)
		if err != nil {
			return nil, err
		}
		s := si.session(cognito.ChallengeNameTypeCustomChallenge)
		state, _ := json.Marshal(customState{Steps: steps, Private: c.Private, Metadata: c.Metadata})
		s.Custom = string(state)
		params := make(map[string]string, len(c.Public)+1)
		for k, v := range c.Public {
			params[k] = v
		}
		params["USERNAME"] = si.user.Username
		return &Result{
			ChallengeName:       cognito.ChallengeNameTypeCustomChallenge,
			ChallengeParameters: params,
			Session:             e.newSession(s, si.client.AuthSessionTTL()),
		}, nil
	}
	// Anything else (no decision, a challenge this flow cannot ask) is an
	// answer Cognito cannot act on either.
	return nil, cognito.New(cognito.TypeInvalidLambdaResponse, "Unrecognizable lambda output")
}

// respondCustomChallenge answers CUSTOM_CHALLENGE: VerifyAuthChallengeResponse
// judges the ANSWER, the result joins the session list, and
// DefineAuthChallenge decides again. A wrong answer ends nothing by
// itself.
func (e *Engine) respondCustomChallenge(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	s, err := e.openSession(r.Session, si.client.Config.ClientID, si.prefix+cognito.ChallengeNameTypeCustomChallenge)
	if err != nil {
		return nil, err
	}
	if s.Pool != si.pool.ID {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	username := r.Responses["USERNAME"]
	if username == "" {
		return nil, cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	answer := r.Responses["ANSWER"]
	if answer == "" {
		return nil, cognito.InvalidParameter(msgMissingAnswer)
	}
	var u store.User
	if s.Sub == "" {
		// An unknown user's sign-in (customSignIn): only its own name
		// answers it.
		if username != s.Username || !si.client.PreventsExistenceErrors() {
			return nil, cognito.NotAuthorized(msgSessionInvalid)
		}
		if err := checkSecretHash(si.client, r.Responses["SECRET_HASH"], username, ""); err != nil {
			return nil, err
		}
		u = store.User{Username: username}
	} else {
		u, err = e.cfg.Users.UserBySub(ctx, si.pool.ID, s.Sub)
		if errors.Is(err, cognito.UserNotFound("")) {
			return nil, cognito.NotAuthorized(msgSessionInvalid)
		}
		if err != nil {
			return nil, err
		}
		if named, err := e.cfg.Users.LookupUser(ctx, si.pool, username); err != nil || named.Sub != u.Sub {
			return nil, cognito.NotAuthorized(msgSessionInvalid)
		}
		if err := checkSecretHash(si.client, r.Responses["SECRET_HASH"], username, u.Username); err != nil {
			return nil, err
		}
		if err := e.mayContinue(u); err != nil {
			return nil, err
		}
	}
	var state customState
	if json.Unmarshal([]byte(s.Custom), &state) != nil {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	si.user = u
	si.resume(s)
	correct, err := e.cfg.Triggers.VerifyAuthChallengeResponse(ctx, triggerCall(si.pool, si.client, u, si.metadata), state.Private, answer)
	if err != nil {
		return nil, err
	}
	steps := append(state.Steps, triggers.Challenge{Name: cognito.ChallengeNameTypeCustomChallenge, Result: correct, Metadata: state.Metadata})
	if len(steps) > maxCustomSteps {
		return nil, cognito.NotAuthorized(msgIncorrect)
	}
	return e.customStep(ctx, si, steps, nil)
}

// maxCustomSteps bounds a custom sign-in's session list, so a function
// that never decides cannot keep a sign-in (and its sealed session)
// growing; a sign-in with this many steps is refused as a failed one.
// Cognito's own bound is undocumented.
const maxCustomSteps = 50
