package triggers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Invoker invokes a function synchronously (RequestResponse) with an
// event and returns what it answered. A function that ran and failed is
// a *FunctionError; any other error means the invocation itself failed.
type Invoker interface {
	Invoke(ctx context.Context, arn string, event []byte) ([]byte, error)
}

// FunctionError is a function that ran and failed: the Invoke API's
// X-Amz-Function-Error, with the errorMessage and errorType of its body.
type FunctionError struct {
	Message string
	Type    string
}

func (e *FunctionError) Error() string { return "function error: " + e.Type + ": " + e.Message }

// Timeout is how long Cognito waits for a trigger; it is not
// configurable there either.
const Timeout = 5 * time.Second

// Triggers invokes a pool's triggers. A nil *Triggers invokes none, as
// if no pool had any configured.
type Triggers struct {
	inv     Invoker
	log     *slog.Logger
	timeout time.Duration
	// noted holds the pool/slot pairs CustomSenderIgnored has logged.
	noted sync.Map
}

// New returns Triggers invoking functions through inv.
func New(inv Invoker, log *slog.Logger) *Triggers {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Triggers{inv: inv, log: log, timeout: Timeout}
}

// Call is what every trigger event of one action shares: the pool, the
// app client and the user the event is about, with the client metadata
// the caller passed.
type Call struct {
	Pool *cognito.UserPoolType
	// ClientID is the app client; "" for admin actions that name none.
	ClientID string
	// UserName is the internal username.
	UserName string
	// Attributes are the user's attributes as the event carries them
	// (UserAttributes, or the attributes a new user is created with).
	Attributes map[string]string
	// ClientMetadata is the action's ClientMetadata, for the triggers
	// Cognito passes it to.
	ClientMetadata map[string]string
	// UserNotFound, set when the app client prevents user-existence
	// errors, says whether the user is unknown: the sign-in triggers'
	// userNotFound (PreAuthentication and the three of CUSTOM_AUTH),
	// which Cognito sends only then.
	UserNotFound *bool
}

// clientNotApplicable is callerContext.clientId for admin actions that
// name no app client (observed in events of AdminCreateUser).
const clientNotApplicable = "CLIENT_ID_NOT_APPLICABLE"

// unknownSDK is callerContext.awsSdkVersion. Cognito derives it from the
// caller's SDK; how is unverified, and hosted sign-ins carry this value,
// so every event carries it.
const unknownSDK = "aws-sdk-unknown-unknown"

// envelope is the common event of every trigger.
type envelope[Req, Resp any] struct {
	Version       string        `json:"version"`
	TriggerSource string        `json:"triggerSource"`
	Region        string        `json:"region"`
	UserPoolID    string        `json:"userPoolId"`
	UserName      string        `json:"userName,omitempty"`
	CallerContext callerContext `json:"callerContext"`
	Request       Req           `json:"request"`
	Response      Resp          `json:"response"`
}

type callerContext struct {
	AWSSDKVersion string `json:"awsSdkVersion"`
	ClientID      string `json:"clientId"`
}

// Region is the region of a pool id (us-east-1_XXXXXXXXX).
func Region(poolID string) string {
	region, _, _ := strings.Cut(poolID, "_")
	return region
}

func newEnvelope[Req, Resp any](c Call, version, source string, req Req, resp Resp) *envelope[Req, Resp] {
	client := c.ClientID
	if client == "" {
		client = clientNotApplicable
	}
	return &envelope[Req, Resp]{
		Version: version, TriggerSource: source, Region: Region(c.Pool.ID), UserPoolID: c.Pool.ID, UserName: c.UserName,
		CallerContext: callerContext{AWSSDKVersion: unknownSDK, ClientID: client},
		Request:       req, Response: resp,
	}
}

// Messages of InvalidLambdaResponseException (observed).
const (
	msgInvalidJSON     = "Invalid lambda function output : Invalid JSON"
	msgUnrecognizable  = "Unrecognizable lambda output"
	msgSocketTimeout   = "Socket timeout while invoking Lambda function"
	msgInvokeFailed    = "invocation failed due to error "
	msgFunctionFailure = " failed with error "
)

// invoke sends ev to the function at arn for trigger (the LambdaConfig
// slot's name, which Cognito's messages start with) and decodes the
// response member of the function's answer into ev.Response.
func invoke[Req, Resp any](ctx context.Context, t *Triggers, trigger, arn string, ev *envelope[Req, Resp]) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	out, err := t.inv.Invoke(ctx, arn, body)
	if err != nil {
		return t.invokeError(ctx, trigger, arn, err)
	}
	var answer struct {
		Response json.RawMessage `json:"response"`
	}
	if err := json.Unmarshal(out, &answer); err != nil {
		return cognito.New(cognito.TypeInvalidLambdaResponse, msgInvalidJSON)
	}
	if len(answer.Response) == 0 || string(answer.Response) == "null" {
		return nil
	}
	if err := json.Unmarshal(answer.Response, &ev.Response); err != nil {
		return cognito.New(cognito.TypeInvalidLambdaResponse, msgUnrecognizable)
	}
	return nil
}

// invokeError turns a failed invocation into Cognito's exception: the
// function's own error is the caller's to read
// (UserLambdaValidationException, with a "." appended even after one, as
// Cognito does); anything else is UnexpectedLambdaException, and is
// logged, since the reason is the operator's to fix.
func (t *Triggers) invokeError(ctx context.Context, trigger, arn string, err error) error {
	var fe *FunctionError
	if errors.As(err, &fe) {
		return cognito.New(cognito.TypeUserLambdaValidation, trigger+msgFunctionFailure+fe.Message+".")
	}
	reason := "Lambda invocation failed"
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		reason = msgSocketTimeout
	} else {
		var ie *InvokeError
		if errors.As(err, &ie) {
			reason = ie.Code
		}
	}
	t.log.WarnContext(ctx, "trigger invocation failed", "trigger", trigger, "function", arn, "err", err)
	return cognito.New(cognito.TypeUnexpectedLambda, trigger+" "+msgInvokeFailed+reason+".")
}

// InvokeError is a failure of the Invoke API itself (no such function,
// access denied, throttling...): Code is the API's error code, which is
// what Cognito's message names.
type InvokeError struct {
	Code string
	Err  error
}

func (e *InvokeError) Error() string { return fmt.Sprintf("invoke: %s: %v", e.Code, e.Err) }
func (e *InvokeError) Unwrap() error { return e.Err }

// UserAttributes are the attributes a trigger event carries for an
// existing user: all of theirs (sub included), with
// cognito:user_status, and the cognito:email_alias and
// cognito:phone_number_alias Cognito adds when those are aliases.
func UserAttributes(u store.User) map[string]string {
	m := make(map[string]string, len(u.Attributes)+3)
	for _, a := range u.Attributes {
		m[a.Name] = a.Value
	}
	m["sub"] = u.Sub
	m["cognito:user_status"] = u.Status
	if u.AliasEmail != "" {
		m["cognito:email_alias"] = m["email"]
	}
	if u.AliasPhone != "" {
		m["cognito:phone_number_alias"] = m["phone_number"]
	}
	return m
}

// orEmpty keeps a nil map an empty JSON object: Cognito's events carry
// {} rather than null where the function's code reads members.
func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func config(p *cognito.UserPoolType) *cognito.LambdaConfigType {
	if p == nil || p.LambdaConfig == nil {
		return &cognito.LambdaConfigType{}
	}
	return p.LambdaConfig
}
