package triggers

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// The three triggers of CUSTOM_AUTH: DefineAuthChallenge decides the next
// step from the challenges so far, CreateAuthChallenge makes a custom
// challenge, VerifyAuthChallengeResponse judges its answer.

// Challenge is one step of a custom sign-in so far, as the session list
// of the events gives it.
type Challenge struct {
	Name     string  `json:"challengeName"`
	Result   bool    `json:"challengeResult"`
	Metadata *string `json:"challengeMetadata"`
}

// Decision is what DefineAuthChallenge answered.
type Decision struct {
	ChallengeName      *string `json:"challengeName"`
	IssueTokens        bool    `json:"issueTokens"`
	FailAuthentication bool    `json:"failAuthentication"`
}

// Next is the challenge the decision names, or "".
func (d Decision) Next() string {
	if d.ChallengeName == nil {
		return ""
	}
	return *d.ChallengeName
}

type defineRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	Session        []Challenge       `json:"session"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   *bool             `json:"userNotFound,omitempty"`
}

// ErrNoCustomAuth is CUSTOM_AUTH in a pool without DefineAuthChallenge
// (the wording is the one Cognito users report).
var ErrNoCustomAuth = cognito.InvalidParameter("Custom auth lambda trigger is not configured for the user pool.")

// DefineAuthChallenge asks the pool's DefineAuthChallenge what comes after
// the challenges of session.
func (t *Triggers) DefineAuthChallenge(ctx context.Context, c Call, session []Challenge) (Decision, error) {
	arn := config(c.Pool).DefineAuthChallenge
	if t == nil || arn == "" {
		return Decision{}, ErrNoCustomAuth
	}
	if session == nil {
		session = []Challenge{}
	}
	ev := newEnvelope(c, "1", "DefineAuthChallenge_"+SourceAuthentication,
		defineRequest{UserAttributes: orEmpty(c.Attributes), Session: session, ClientMetadata: c.ClientMetadata, UserNotFound: c.UserNotFound}, Decision{})
	if err := invoke(ctx, t, "DefineAuthChallenge", arn, ev); err != nil {
		return Decision{}, err
	}
	return ev.Response, nil
}

// CustomChallenge is what CreateAuthChallenge made: the parameters the
// client sees, those only VerifyAuthChallengeResponse sees, and the
// metadata the session list keeps.
type CustomChallenge struct {
	Public   map[string]string `json:"publicChallengeParameters"`
	Private  map[string]string `json:"privateChallengeParameters"`
	Metadata *string           `json:"challengeMetadata"`
}

type createRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ChallengeName  string            `json:"challengeName"`
	Session        []Challenge       `json:"session"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   *bool             `json:"userNotFound,omitempty"`
}

// CreateAuthChallenge asks the pool's CreateAuthChallenge for the
// challenge name that DefineAuthChallenge chose.
func (t *Triggers) CreateAuthChallenge(ctx context.Context, c Call, name string, session []Challenge) (CustomChallenge, error) {
	arn := config(c.Pool).CreateAuthChallenge
	if t == nil || arn == "" {
		return CustomChallenge{}, ErrNoCustomAuth
	}
	if session == nil {
		session = []Challenge{}
	}
	ev := newEnvelope(c, "1", "CreateAuthChallenge_"+SourceAuthentication,
		createRequest{UserAttributes: orEmpty(c.Attributes), ChallengeName: name, Session: session, ClientMetadata: c.ClientMetadata, UserNotFound: c.UserNotFound},
		CustomChallenge{Public: map[string]string{}, Private: map[string]string{}})
	if err := invoke(ctx, t, "CreateAuthChallenge", arn, ev); err != nil {
		return CustomChallenge{}, err
	}
	return ev.Response, nil
}

type verifyRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	Private        map[string]string `json:"privateChallengeParameters"`
	Answer         string            `json:"challengeAnswer"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   *bool             `json:"userNotFound,omitempty"`
}

type verifyResponse struct {
	AnswerCorrect bool `json:"answerCorrect"`
}

// VerifyAuthChallengeResponse asks the pool's VerifyAuthChallengeResponse
// whether answer answers the challenge whose private parameters are
// private.
func (t *Triggers) VerifyAuthChallengeResponse(ctx context.Context, c Call, private map[string]string, answer string) (bool, error) {
	arn := config(c.Pool).VerifyAuthChallengeResponse
	if t == nil || arn == "" {
		return false, ErrNoCustomAuth
	}
	ev := newEnvelope(c, "1", "VerifyAuthChallengeResponse_"+SourceAuthentication,
		verifyRequest{UserAttributes: orEmpty(c.Attributes), Private: orEmpty(private), Answer: answer, ClientMetadata: c.ClientMetadata, UserNotFound: c.UserNotFound},
		verifyResponse{})
	if err := invoke(ctx, t, "VerifyAuthChallengeResponse", arn, ev); err != nil {
		return false, err
	}
	return ev.Response.AnswerCorrect, nil
}
