package userpool

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/triggers"
)

// Where the user actions call the pool's Lambda triggers
// (internal/triggers): PreSignUp before a user is created (SignUp,
// AdminCreateUser), whose refusal leaves no user, and PostConfirmation
// once a user is confirmed (ConfirmSignUp, AdminConfirmSignUp, a SignUp
// its PreSignUp confirmed, ConfirmForgotPassword), whose error is the
// action's answer though the confirmation stays done, as on Cognito.

// newUserAttributes are the attributes of a user not yet created, as
// PreSignUp sees them: without sub (observed).
func newUserAttributes(attrs []store.Attribute) map[string]string {
	m := make(map[string]string, len(attrs))
	for _, a := range attrs {
		if a.Name != "sub" {
			m[a.Name] = a.Value
		}
	}
	return m
}

// validationMap is ValidationData as the event carries it: null when the
// action passed none (observed).
func validationMap(data []cognito.AttributeType) map[string]string {
	if len(data) == 0 {
		return nil
	}
	m := make(map[string]string, len(data))
	for _, a := range data {
		m[a.Name] = a.Value
	}
	return m
}

// preSignUp runs PreSignUp for u, a user about to be created.
func (s *Service) preSignUp(ctx context.Context, pool *cognito.UserPoolType, clientID string, u store.User, source string, validation []cognito.AttributeType, metadata map[string]string) (triggers.PreSignUpAnswer, error) {
	return s.cfg.Triggers.PreSignUp(ctx, triggers.Call{
		Pool: pool, ClientID: clientID, UserName: u.Username,
		Attributes: newUserAttributes(u.Attributes), ClientMetadata: metadata,
	}, source, validationMap(validation))
}

// autoVerify applies PreSignUp's autoVerifyEmail and autoVerifyPhone to
// u: the attribute must be there, else the sign-up fails (the guide says
// an error occurs; its type is unverified).
func autoVerify(u *store.User, ans triggers.PreSignUpAnswer) error {
	for _, f := range []struct {
		on   bool
		attr string
	}{{ans.AutoVerifyEmail, attrEmail}, {ans.AutoVerifyPhone, attrPhone}} {
		if !f.on {
			continue
		}
		if v, _ := u.Attr(f.attr); v == "" {
			return cognito.InvalidParameter("Cannot auto verify " + f.attr + ": the user has no " + f.attr + ".")
		}
		u.Attributes = setAttr(u.Attributes, verifiedFlag(f.attr), attrValueTrue)
	}
	return nil
}

// postConfirmation runs PostConfirmation for u, just confirmed.
func (s *Service) postConfirmation(ctx context.Context, pool *cognito.UserPoolType, clientID string, u store.User, source string, metadata map[string]string) error {
	return s.cfg.Triggers.PostConfirmation(ctx, triggers.Call{
		Pool: pool, ClientID: clientID, UserName: u.Username,
		Attributes: triggers.UserAttributes(u), ClientMetadata: metadata,
	}, source)
}

// msgPreTokenARNs refuses two different pre token generation functions.
// The reference says the two ARNs must be identical; Cognito's wording is
// unverified.
const msgPreTokenARNs = "PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be the same function."

// lambdaConfig checks a pool's LambdaConfig beyond what the model's
// constraints check (ARN shapes, versions), and returns what the pool
// keeps: Cognito always reports LambdaConfig, as {} when no trigger is
// set.
func lambdaConfig(lc *cognito.LambdaConfigType) (*cognito.LambdaConfigType, error) {
	if lc == nil {
		return &cognito.LambdaConfigType{}, nil
	}
	if c := lc.PreTokenGenerationConfig; c != nil && lc.PreTokenGeneration != "" && c.LambdaARn != lc.PreTokenGeneration {
		return nil, cognito.InvalidParameter(msgPreTokenARNs)
	}
	return lc, nil
}
