package server

import (
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/metrics"
	"github.com/userpool/userpool/internal/reqctx"
)

// withRequestID gives every request an id, returned as x-amzn-RequestId as
// Cognito does, and carried in the context for the logs.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := uuid.NewString()
		ctx, info := reqctx.With(r.Context(), id)
		info.ClientIP, info.UserAgent = clientIP(r), r.UserAgent()
		w.Header().Set("x-amzn-RequestId", id)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientIP is the host of the request's remote address. Forwarding
// headers are not trusted: anyone can write them.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// withAccessLog writes one line per request and counts it in the metrics.
// It logs the action and the exception type, never a body: bodies carry
// passwords and tokens.
func withAccessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Int("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
		}
		ctx := r.Context()
		action, errorType := reqctx.Recorded(ctx)
		if action != "" {
			attrs = append(attrs, slog.String("action", action))
		}
		log.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
		metrics.ObserveRequest(action, errorType, r.Pattern, rec.status, time.Since(start))
	})
}

// withRecover turns a panic into a logged InternalErrorException, so one bad
// request never takes the server down or leaks a stack trace to a client.
func withRecover(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			log.ErrorContext(r.Context(), "panic", "panic", v, "stack", string(debug.Stack()))
			body, _ := json.Marshal(map[string]string{"__type": "InternalErrorException", "message": "Internal server error."})
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.Header().Set("X-Amzn-ErrorType", "InternalErrorException:")
			w.WriteHeader(http.StatusInternalServerError)
			w.Write(body)
		}()
		next.ServeHTTP(w, r)
	})
}
