package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/reqctx"
	"github.com/userpool/userpool/internal/store"
)

const contentType = "application/x-amz-json-1.1"

// writeResult writes a successful response. A nil output is "{}", which is
// what Cognito sends for actions with no output members.
func (a *API) writeResult(w http.ResponseWriter, r *http.Request, out any) {
	b, err := json.Marshal(out)
	if err != nil {
		a.writeError(w, r, reqctx.Action(r.Context()), cognito.Internal(err))
		return
	}
	if string(b) == "null" {
		b = []byte("{}")
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// writeError is the only place that writes a Cognito error: the status, the
// X-Amzn-ErrorType header the SDKs read first, and {"__type","message"}.
// Anything that is not a *cognito.Error becomes InternalErrorException; its
// cause is logged with the request id and never sent.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, action string, err error) {
	var ce *cognito.Error
	switch {
	case errors.As(err, &ce):
	case errors.Is(err, store.ErrConflict):
		// The store gave up retrying a transaction that kept colliding
		// with concurrent ones. That is contention, not a fault: answer
		// with the throttling error the SDKs retry with backoff.
		ce = cognito.TooManyRequests("Too many concurrent changes to the same data; retry the request.")
		ce.Err = err
	default:
		ce = cognito.Internal(err)
	}
	ctx := r.Context()
	if ce.Status >= 500 {
		a.log.ErrorContext(ctx, "internal error", "action", action, "err", err)
	} else {
		a.log.LogAttrs(ctx, slog.LevelInfo, "request refused", slog.String("action", action), slog.String("error_type", ce.Type))
	}
	reqctx.SetErrorType(ctx, ce.Type)
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{ce.Type, ce.Message})
	h := w.Header()
	h.Set("Content-Type", contentType)
	// Cognito sends the type followed by a colon; SDKs cut at the colon.
	h.Set("X-Amzn-ErrorType", ce.Type+":")
	w.WriteHeader(ce.Status)
	w.Write(body)
}

func setAction(ctx context.Context, name string) { reqctx.SetAction(ctx, name) }
