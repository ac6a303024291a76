package cognito

import "net/http"

// Error is a Cognito API exception. Type becomes "__type" in the body and
// the X-Amzn-ErrorType header; Message is shown to the client; Err is the
// cause, logged but never sent.
type Error struct {
	Type    string
	Message string
	Status  int
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Type + ": " + e.Message + ": " + e.Err.Error()
	}
	return e.Type + ": " + e.Message
}

// Unwrap returns the logged cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is a *Error of the same Type, so tests and
// callers can write errors.Is(err, cognito.NotAuthorized("")).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Type == e.Type
}

// New returns an exception of the given type with the status the catalogue
// gives it.
func New(typ, msg string) *Error {
	return &Error{Type: typ, Message: msg, Status: status(typ)}
}

// status is the HTTP status of each exception. Cognito answers client
// faults with 400; the exceptions below are the ones that differ (from the
// Smithy model's httpError traits).
func status(typ string) int {
	switch typ {
	case TypeInternalError, TypeInternalServer:
		return http.StatusInternalServerError
	case TypeForbidden:
		return http.StatusForbidden
	case TypeUnauthorized:
		return http.StatusUnauthorized
	}
	return http.StatusBadRequest
}

// Transport-level exceptions that are not in the Cognito model but that every
// AWS JSON service answers with.
const (
	TypeSerialization              = "SerializationException"
	TypeUnknownOperation           = "UnknownOperationException"
	TypeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	TypeRequestEntityTooLarge      = "RequestEntityTooLargeException"
)

// Internal wraps an unexpected failure. The cause is logged with the request
// id; the client sees only a generic message.
func Internal(cause error) *Error {
	return &Error{Type: TypeInternalError, Message: "Internal server error.", Status: http.StatusInternalServerError, Err: cause}
}

// Serialization reports a body that is not valid JSON for the action.
func Serialization(msg string) *Error {
	return &Error{Type: TypeSerialization, Message: msg, Status: http.StatusBadRequest}
}

// One constructor per exception the server raises; each returns a fresh
// value, so nobody mutates a shared sentinel.

func AliasExists(msg string) *Error  { return New(TypeAliasExists, msg) }
func CodeMismatch(msg string) *Error { return New(TypeCodeMismatch, msg) }
func ConcurrentModification(msg string) *Error {
	return New(TypeConcurrentModification, msg)
}
func ExpiredCode(msg string) *Error      { return New(TypeExpiredCode, msg) }
func GroupExists(msg string) *Error      { return New(TypeGroupExists, msg) }
func InvalidOAuthFlow(msg string) *Error { return New(TypeInvalidOAuthFlow, msg) }
func InvalidParameter(msg string) *Error { return New(TypeInvalidParameter, msg) }
func InvalidPassword(msg string) *Error  { return New(TypeInvalidPassword, msg) }
func InvalidUserPoolConfiguration(msg string) *Error {
	return New(TypeInvalidUserPoolConfiguration, msg)
}
func LimitExceeded(msg string) *Error         { return New(TypeLimitExceeded, msg) }
func NotAuthorized(msg string) *Error         { return New(TypeNotAuthorized, msg) }
func PasswordResetRequired(msg string) *Error { return New(TypePasswordResetRequired, msg) }
func RefreshTokenReuse(msg string) *Error     { return New(TypeRefreshTokenReuse, msg) }
func ResourceNotFound(msg string) *Error      { return New(TypeResourceNotFound, msg) }
func ScopeDoesNotExist(msg string) *Error     { return New(TypeScopeDoesNotExist, msg) }
func TooManyFailedAttempts(msg string) *Error { return New(TypeTooManyFailedAttempts, msg) }
func TooManyRequests(msg string) *Error       { return New(TypeTooManyRequests, msg) }
func Unauthorized(msg string) *Error          { return New(TypeUnauthorized, msg) }
func UnsupportedOperation(msg string) *Error  { return New(TypeUnsupportedOperation, msg) }
func UnsupportedTokenType(msg string) *Error  { return New(TypeUnsupportedTokenType, msg) }
func UnsupportedUserState(msg string) *Error  { return New(TypeUnsupportedUserState, msg) }
func UserNotConfirmed(msg string) *Error      { return New(TypeUserNotConfirmed, msg) }
func UserNotFound(msg string) *Error          { return New(TypeUserNotFound, msg) }
func UsernameExists(msg string) *Error        { return New(TypeUsernameExists, msg) }
func UserPoolTagging(msg string) *Error       { return New(TypeUserPoolTagging, msg) }
