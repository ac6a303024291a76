package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/sigv4"
)

// authMode is how an action authenticates its caller.
type authMode int

const (
	// authNone: public actions (SignUp, InitiateAuth, ...). SDKs may sign
	// them when credentials happen to be configured; the signature is
	// ignored.
	authNone authMode = iota
	// authAccessToken: the action checks the AccessToken in its body.
	authAccessToken
	// authSigV4: admin (IAM) actions.
	authSigV4
)

type action struct {
	auth authMode
	call func(ctx context.Context, body []byte) (any, error)
}

// handle adapts a typed action method to the dispatcher: decode, validate
// against the model, call.
func handle[In any, Out any, PIn interface {
	*In
	Validate() error
}](fn func(context.Context, PIn) (*Out, error)) func(context.Context, []byte) (any, error) {
	return func(ctx context.Context, body []byte) (any, error) {
		in := PIn(new(In))
		if err := decode(body, in); err != nil {
			return nil, err
		}
		if err := in.Validate(); err != nil {
			return nil, err
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}

// table joins the per-area action tables. Each area file (pools.go,
// users.go, ...) lists its own actions, one line each.
func (a *API) table() map[string]action {
	t := map[string]action{}
	for _, part := range []map[string]action{
		a.poolActions(),
		a.clientActions(),
		a.domainActions(),
		a.resourceServerActions(),
		a.identityProviderActions(),
		a.groupActions(),
		a.tagActions(),
		a.userActions(),
		a.importActions(),
		a.authActions(),
		a.lifecycleActions(),
		a.deviceActions(),
		a.mfaActions(),
		a.authEventActions(),
	} {
		for name, act := range part {
			if _, dup := t[name]; dup {
				panic("api: action listed twice: " + name)
			}
			t[name] = act
		}
	}
	return t
}

// Actions returns the names of the implemented actions, sorted.
func (a *API) Actions() []string {
	return slices.Sorted(maps.Keys(a.actions))
}

// ServeHTTP answers one JSON 1.1 request.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	name, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), cognito.TargetPrefix+".")
	if !ok {
		a.writeError(w, r, "", cognito.New(cognito.TypeUnknownOperation, "Missing or malformed X-Amz-Target header."))
		return
	}
	setAction(ctx, name)
	act, ok := a.actions[name]
	if !ok {
		if known(name) {
			a.writeError(w, r, name, cognito.UnsupportedOperation(name+" is not supported by Userpool."))
			return
		}
		a.writeError(w, r, name, cognito.New(cognito.TypeUnknownOperation, "Unknown operation "+name+"."))
		return
	}
	// Quotas are checked before the body is read, so a flood costs little.
	if !a.quotas.Allow(name) {
		a.writeError(w, r, name, cognito.TooManyRequests(msgRateExceeded))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			e := cognito.New(cognito.TypeRequestEntityTooLarge, fmt.Sprintf("Request body is larger than %d bytes.", a.maxBody))
			e.Status = http.StatusRequestEntityTooLarge
			a.writeError(w, r, name, e)
			return
		}
		a.writeError(w, r, name, cognito.Serialization("Could not read the request body."))
		return
	}
	if act.auth == authSigV4 && a.verifier != nil {
		if _, err := a.verifier.Verify(r, body); err != nil {
			a.writeError(w, r, name, authError(err))
			return
		}
	}
	out, err := act.call(ctx, body)
	if err != nil {
		a.writeError(w, r, name, err)
		return
	}
	a.writeResult(w, r, out)
}

// msgRateExceeded is AWS's message for a throttled call.
const msgRateExceeded = "Rate exceeded"

func known(name string) bool {
	for _, op := range cognito.Operations {
		if op.Name == name {
			return true
		}
	}
	return false
}

// authError maps a SigV4 failure to the error AWS answers with. Cognito
// answers a refused or malformed signature with 400, as captured
// responses show; a request with no signature at all gets the 403 of
// "Missing Authentication Token", as every AWS endpoint gives it.
func authError(err error) *cognito.Error {
	var se *sigv4.Error
	if !errors.As(err, &se) {
		return cognito.Internal(err)
	}
	status := http.StatusBadRequest
	if se.Type == cognito.TypeMissingAuthenticationToken {
		status = http.StatusForbidden
	}
	return &cognito.Error{Type: se.Type, Message: se.Message, Status: status}
}

// decode reads a JSON object into in. An empty body is an empty object, as
// the SDKs send nothing for inputs with no members set.
func decode(body []byte, in any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return cognito.Serialization("The request body must be a JSON object.")
	}
	// No member of any action accepts a NUL character, and PostgreSQL text
	// cannot store one: refuse it here, once, for every action.
	if bytes.IndexByte(body, 0) >= 0 || bytes.Contains(body, []byte(`\u0000`)) {
		return cognito.InvalidParameter("The request contains a NUL character, which no member accepts.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(in); err != nil {
		return serializationError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return cognito.Serialization("Unexpected data after the JSON object.")
	}
	return nil
}

func serializationError(err error) *cognito.Error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := typeErr.Field
		if field == "" {
			field = "the request"
		}
		return cognito.Serialization(fmt.Sprintf("Value of %s is a JSON %s, which is not the expected type.", field, typeErr.Value))
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return cognito.Serialization(fmt.Sprintf("The request body is not valid JSON (offset %d).", syntaxErr.Offset))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return cognito.Serialization("The request body is not valid JSON (unexpected end).")
	}
	return cognito.Serialization("The request body could not be read as the action's input.")
}
