package auth

import (
	"context"
	"slices"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/triggers"
	"github.com/userpool/userpool/internal/userpool"
)

// ChallengeRequest is RespondToAuthChallenge or its admin form.
type ChallengeRequest struct {
	Admin     bool
	PoolID    string
	ClientID  string
	Name      string
	Responses map[string]string
	Session   string
	// ClientMetadata is for the Lambda triggers.
	ClientMetadata map[string]string
	// Sender is who the request says the user is, for the auth event.
	Sender Sender
}

// challengeHandler answers one kind of challenge for a client of a pool.
type challengeHandler func(e *Engine, ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error)

// challenges lists the challenges RespondToAuthChallenge answers, one line
// each; each handler lives in the file of its flow.
var challenges = map[string]challengeHandler{
	cognito.ChallengeNameTypeNewPasswordRequired:    (*Engine).respondNewPassword,
	cognito.ChallengeNameTypePasswordVerifier:       (*Engine).respondPasswordVerifier,
	cognito.ChallengeNameTypeDeviceSrpAuth:          (*Engine).respondDeviceSRPAuth,
	cognito.ChallengeNameTypeDevicePasswordVerifier: (*Engine).respondDevicePasswordVerifier,
	cognito.ChallengeNameTypeSoftwareTokenMfa:       (*Engine).respondFactor,
	cognito.ChallengeNameTypeSmsMfa:                 (*Engine).respondFactor,
	cognito.ChallengeNameTypeEmailOtp:               (*Engine).respondEmailOTP,
	cognito.ChallengeNameTypeSmsOtp:                 (*Engine).respondOTP,
	cognito.ChallengeNameTypeSelectChallenge:        (*Engine).respondSelectChallenge,
	cognito.ChallengeNameTypePassword:               (*Engine).respondPasswordChoice,
	cognito.ChallengeNameTypePasswordSrp:            (*Engine).respondPasswordChoice,
	cognito.ChallengeNameTypeWebAuthn:               (*Engine).respondWebAuthn,
	cognito.ChallengeNameTypeSelectMfaType:          (*Engine).respondSelectMFAType,
	cognito.ChallengeNameTypeMfaSetup:               (*Engine).respondMFASetup,
	cognito.ChallengeNameTypeCustomChallenge:        (*Engine).respondCustomChallenge,
}

// RespondToAuthChallenge answers the challenge a previous step returned.
func (e *Engine) RespondToAuthChallenge(ctx context.Context, r ChallengeRequest) (*Result, error) {
	si, err := e.start(ctx, r.ClientID, r.PoolID, r.Admin)
	if err != nil {
		return nil, err
	}
	si.metadata, si.sender = r.ClientMetadata, r.Sender
	h, ok := challenges[r.Name]
	if !ok {
		return nil, cognito.InvalidParameter("Challenge " + r.Name + " is not supported by Userpool yet.")
	}
	e.resumeEvent(ctx, si, r)
	res, err := h(e, ctx, si, r)
	e.recordSignIn(ctx, si, challengeStep(r), res != nil && res.Tokens != nil, err, true)
	return res, err
}

// respondNewPassword answers NEW_PASSWORD_REQUIRED.
func (e *Engine) respondNewPassword(ctx context.Context, si *signIn, r ChallengeRequest) (*Result, error) {
	pool, client := si.pool, si.client
	s, err := e.openSession(r.Session, client.Config.ClientID, r.Name)
	if err != nil {
		return nil, err
	}
	if s.Pool != pool.ID {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	username, newPassword := r.Responses["USERNAME"], r.Responses["NEW_PASSWORD"]
	if username == "" {
		return nil, cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	if newPassword == "" {
		return nil, cognito.InvalidParameter("Missing required parameter NEW_PASSWORD")
	}
	u, err := e.cfg.Users.UserBySub(ctx, pool.ID, s.Sub)
	if err != nil {
		return nil, err
	}
	if named, err := e.cfg.Users.LookupUser(ctx, pool, username); err != nil || named.Sub != u.Sub {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	if err := checkSecretHash(client, r.Responses["SECRET_HASH"], username, u.Username); err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, cognito.NotAuthorized(msgDisabled)
	}
	if u.Status != cognito.UserStatusForceChangePassword {
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	var attrs []cognito.AttributeType
	for k, v := range r.Responses {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok {
			attrs = append(attrs, cognito.AttributeType{Name: name, Value: v})
		}
	}
	slices.SortFunc(attrs, func(a, b cognito.AttributeType) int { return strings.Compare(a.Name, b.Name) })
	if err := userpool.CheckUserWritable(client.Config, attrs); err != nil {
		return nil, err
	}
	if si.user, err = e.cfg.Users.CompleteNewPassword(ctx, pool, u, newPassword, attrs); err != nil {
		return nil, err
	}
	si.tokenSource = triggers.TokenNewPasswordChallenge
	return e.nameDevice(ctx, si, s.Device)
}
