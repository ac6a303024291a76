package reqctx

import (
	"context"
	"log/slog"
	"sync"
)

type key struct{}

// Info is what the layers learn about a request as it goes down, for the
// access log and for every log line written on its behalf.
type Info struct {
	ID string
	// ClientIP and UserAgent are who sent the request, as the connection
	// and its User-Agent header say; authentication events record them.
	ClientIP  string
	UserAgent string

	mu        sync.Mutex
	action    string
	errorType string
}

// With returns a context carrying a new Info with the request id.
func With(ctx context.Context, id string) (context.Context, *Info) {
	info := &Info{ID: id}
	return context.WithValue(ctx, key{}, info), info
}

func from(ctx context.Context) *Info {
	info, _ := ctx.Value(key{}).(*Info)
	return info
}

// ID returns the request id, or "".
func ID(ctx context.Context) string {
	if info := from(ctx); info != nil {
		return info.ID
	}
	return ""
}

// Client returns the request's client address and User-Agent, "" for
// what is not known.
func Client(ctx context.Context) (ip, userAgent string) {
	if info := from(ctx); info != nil {
		return info.ClientIP, info.UserAgent
	}
	return "", ""
}

// SetAction records the Cognito action the request called.
func SetAction(ctx context.Context, name string) {
	if info := from(ctx); info != nil {
		info.mu.Lock()
		info.action = name
		info.mu.Unlock()
	}
}

// Action returns the recorded action, or "".
func Action(ctx context.Context) string {
	if info := from(ctx); info != nil {
		info.mu.Lock()
		defer info.mu.Unlock()
		return info.action
	}
	return ""
}

// SetErrorType records the exception the request was answered with.
func SetErrorType(ctx context.Context, typ string) {
	if info := from(ctx); info != nil {
		info.mu.Lock()
		info.errorType = typ
		info.mu.Unlock()
	}
}

// Recorded returns the action and error type recorded for the request
// so far, "" for what was not.
func Recorded(ctx context.Context) (action, errorType string) {
	if info := from(ctx); info != nil {
		return info.Snapshot()
	}
	return "", ""
}

// Snapshot returns the action and error type recorded so far.
func (i *Info) Snapshot() (action, errorType string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.action, i.errorType
}

// LogHandler adds the request id to every record logged with a request's
// context, so one grep finds everything a request did.
type LogHandler struct {
	slog.Handler
}

// Handle implements slog.Handler.
func (h LogHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := ID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h LogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return LogHandler{h.Handler.WithAttrs(attrs)}
}

// WithGroup implements slog.Handler.
func (h LogHandler) WithGroup(name string) slog.Handler {
	return LogHandler{h.Handler.WithGroup(name)}
}
