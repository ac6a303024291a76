package triggers

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// The sign-up, confirmation and sign-in triggers. Each returns nil
// without invoking anything when its slot in the pool's LambdaConfig is
// empty (or t is nil).

// Trigger sources, the part of triggerSource after the trigger's name.
const (
	SourceSignUp                = "SignUp"
	SourceAdminCreateUser       = "AdminCreateUser"
	SourceConfirmSignUp         = "ConfirmSignUp"
	SourceConfirmForgotPassword = "ConfirmForgotPassword"
	SourceAuthentication        = "Authentication"
	// SourceExternalProvider is PreSignUp's source for a user a federated
	// sign-in creates.
	SourceExternalProvider = "ExternalProvider"
)

// PreSignUpAnswer is what a PreSignUp function decided.
type PreSignUpAnswer struct {
	AutoConfirmUser bool `json:"autoConfirmUser"`
	AutoVerifyEmail bool `json:"autoVerifyEmail"`
	AutoVerifyPhone bool `json:"autoVerifyPhone"`
}

type preSignUpRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	// ValidationData is null when the action passed none (observed).
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// PreSignUp runs the pool's PreSignUp trigger for a user about to be
// created (source SourceSignUp or SourceAdminCreateUser). A refusal is
// the error to answer; the user must not be created.
func (t *Triggers) PreSignUp(ctx context.Context, c Call, source string, validationData map[string]string) (PreSignUpAnswer, error) {
	arn := config(c.Pool).PreSignUp
	if t == nil || arn == "" {
		return PreSignUpAnswer{}, nil
	}
	ev := newEnvelope(c, "1", "PreSignUp_"+source,
		preSignUpRequest{UserAttributes: orEmpty(c.Attributes), ValidationData: validationData, ClientMetadata: c.ClientMetadata},
		PreSignUpAnswer{})
	if err := invoke(ctx, t, "PreSignUp", arn, ev); err != nil {
		return PreSignUpAnswer{}, err
	}
	return ev.Response, nil
}

type attributesRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

type empty struct{}

// PostConfirmation runs the pool's PostConfirmation trigger for a user
// just confirmed (source SourceConfirmSignUp or
// SourceConfirmForgotPassword). The confirmation stays done whatever it
// answers, as on Cognito; its error is still the action's answer.
func (t *Triggers) PostConfirmation(ctx context.Context, c Call, source string) error {
	arn := config(c.Pool).PostConfirmation
	if t == nil || arn == "" {
		return nil
	}
	ev := newEnvelope(c, "1", "PostConfirmation_"+source,
		attributesRequest{UserAttributes: orEmpty(c.Attributes), ClientMetadata: c.ClientMetadata}, empty{})
	return invoke(ctx, t, "PostConfirmation", arn, ev)
}

type preAuthRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	// ValidationData is the sign-in's ClientMetadata.
	ValidationData map[string]string `json:"validationData,omitempty"`
	UserNotFound   *bool             `json:"userNotFound,omitempty"`
}

// PreAuthentication runs the pool's PreAuthentication trigger for a user
// who is signing in, before the password is checked; its refusal ends the
// sign-in. The user is an existing one, or, when the app client prevents
// user-existence errors, an unknown one (c.UserNotFound), so that the
// function is called, and answers, alike for both. metadata is the sign-in's ClientMetadata,
// which the event carries as validationData.
func (t *Triggers) PreAuthentication(ctx context.Context, c Call, metadata map[string]string) error {
	arn := config(c.Pool).PreAuthentication
	if t == nil || arn == "" {
		return nil
	}
	ev := newEnvelope(c, "1", "PreAuthentication_"+SourceAuthentication,
		preAuthRequest{UserAttributes: orEmpty(c.Attributes), ValidationData: metadata, UserNotFound: c.UserNotFound}, empty{})
	return invoke(ctx, t, "PreAuthentication", arn, ev)
}

type postAuthRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	NewDeviceUsed  bool              `json:"newDeviceUsed"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// PostAuthentication runs the pool's PostAuthentication trigger once a
// sign-in has passed every factor, before its tokens are issued: its
// error still fails the sign-in.
func (t *Triggers) PostAuthentication(ctx context.Context, c Call, newDeviceUsed bool) error {
	arn := config(c.Pool).PostAuthentication
	if t == nil || arn == "" {
		return nil
	}
	ev := newEnvelope(c, "1", "PostAuthentication_"+SourceAuthentication,
		postAuthRequest{UserAttributes: orEmpty(c.Attributes), NewDeviceUsed: newDeviceUsed, ClientMetadata: c.ClientMetadata}, empty{})
	return invoke(ctx, t, "PostAuthentication", arn, ev)
}

// Sources of UserMigration.
const SourceForgotPassword = "ForgotPassword"

// Migration is what a UserMigration function answered: the attributes
// and status of the user to create.
type Migration struct {
	UserAttributes     map[string]string `json:"userAttributes"`
	FinalUserStatus    *string           `json:"finalUserStatus"`
	MessageAction      *string           `json:"messageAction"`
	DesiredMediums     []string          `json:"desiredDeliveryMediums"`
	ForceAliasCreation *bool             `json:"forceAliasCreation"`
	EnableSMSMFA       *bool             `json:"enableSMSMFA"`
}

type migrationRequest struct {
	Password       string            `json:"password,omitempty"`
	ValidationData map[string]string `json:"validationData,omitempty"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// UserMigration asks the pool's UserMigration function about a username
// the pool does not know (source SourceAuthentication, with the password
// typed, or SourceForgotPassword, without); nil when the pool has no
// such function. c.ClientMetadata is the action's, which the event also
// carries as validationData.
func (t *Triggers) UserMigration(ctx context.Context, c Call, source, password string) (*Migration, error) {
	arn := config(c.Pool).UserMigration
	if t == nil || arn == "" {
		return nil, nil
	}
	ev := newEnvelope(c, "1", "UserMigration_"+source,
		migrationRequest{Password: password, ValidationData: c.ClientMetadata, ClientMetadata: c.ClientMetadata}, Migration{})
	if err := invoke(ctx, t, "UserMigration", arn, ev); err != nil {
		return nil, err
	}
	if len(ev.Response.UserAttributes) == 0 {
		// userAttributes is required: without it there is no user to
		// create (Cognito's wording for this case is unverified).
		return nil, cognito.New(cognito.TypeInvalidLambdaResponse, msgUnrecognizable)
	}
	return &ev.Response, nil
}
