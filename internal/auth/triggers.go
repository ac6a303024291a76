package auth

import (
	"context"
	"errors"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/triggers"
	"github.com/userpool/userpool/internal/userpool"
)

// Where a sign-in and a refresh call the pool's Lambda triggers
// (internal/triggers): PreAuthentication once the user is found and
// before the password is checked (verifyPassword, srpSignIn),
// PostAuthentication once every factor has passed and before any token
// is issued (issueTokens, the hosted sign-in's last step), and pre token
// generation whenever tokens are minted (event), so that refreshed tokens
// carry what it adds too. A trigger's refusal ends the step with its
// exception, before the step records anything.

// triggerCall is the part of a trigger event the sign-in knows. u is an
// unknown user when it has no sub: a sign-in the app client answers as if
// the user existed (PreventUserExistenceErrors), whose events have no
// attributes and say userNotFound, as those of a real user say it is not.
func triggerCall(pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, metadata map[string]string) triggers.Call {
	c := triggers.Call{
		Pool: pool, ClientID: client.Config.ClientID, UserName: u.Username,
		Attributes: triggers.UserAttributes(u), ClientMetadata: metadata,
	}
	if u.Sub == "" {
		c.Attributes = map[string]string{}
	}
	if client.PreventsExistenceErrors() {
		notFound := u.Sub == ""
		c.UserNotFound = &notFound
	}
	return c
}

// preAuthentication runs PreAuthentication for the sign-in's user, with
// the InitiateAuth's ClientMetadata as validationData.
func (e *Engine) preAuthentication(ctx context.Context, si *signIn, u store.User) error {
	return e.cfg.Triggers.PreAuthentication(ctx, triggerCall(si.pool, si.client, u, nil), si.validation)
}

// postAuthentication runs PostAuthentication for a sign-in that has
// passed every factor; only RespondToAuthChallenge's ClientMetadata
// reaches it.
func (e *Engine) postAuthentication(ctx context.Context, si *signIn, newDevice bool) error {
	return e.cfg.Triggers.PostAuthentication(ctx, triggerCall(si.pool, si.client, si.user, si.metadata), newDevice)
}

// mint says what the tokens being minted are for: the pre token
// generation source, and the ClientMetadata it receives.
type mint struct {
	source   string
	metadata map[string]string
}

// preTokenGeneration runs pre token generation for ev and applies what
// it answers: groups and roles replaced, scopes added and suppressed,
// claims added, overridden and suppressed.
func (e *Engine) preTokenGeneration(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, ev *tokens.Event, m mint) error {
	var preferred *string
	if ev.PreferredRole != "" {
		preferred = &ev.PreferredRole
	}
	ch, err := e.cfg.Triggers.PreTokenGeneration(ctx, triggerCall(pool, client, u, m.metadata), triggers.TokenRequest{
		Source: m.source,
		Groups: triggers.Groups{Groups: ev.Groups, IAMRoles: ev.Roles, PreferredRole: preferred},
		Scopes: ev.Scopes,
	})
	if err != nil || ch == nil {
		return err
	}
	if g := ch.Groups; g != nil {
		ev.Groups, ev.Roles, ev.PreferredRole = g.Groups, g.IAMRoles, ""
		if g.PreferredRole != nil {
			ev.PreferredRole = *g.PreferredRole
		}
	}
	ev.Scopes = ch.Scopes(ev.Scopes)
	ev.IDChanges, ev.AccessChanges = tokens.ClaimChanges(ch.ID), tokens.ClaimChanges(ch.Access)
	return nil
}

// oauthTriggerError is a trigger's refusal or failure as the token
// endpoint answers it: invalid_request with Cognito's message, as the
// hosted flows report trigger errors in their redirects (observed);
// anything else is left as it is.
func oauthTriggerError(err error) error {
	var ce *cognito.Error
	if errors.As(err, &ce) {
		switch ce.Type {
		case cognito.TypeUserLambdaValidation, cognito.TypeUnexpectedLambda, cognito.TypeInvalidLambdaResponse:
			return oauthError(OAuthInvalidRequest, ce.Message)
		}
	}
	return err
}
