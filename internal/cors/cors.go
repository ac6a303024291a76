package cors

import (
	"net/http"
	"strings"
)

// What Cognito's endpoints send, as captured from cognito-idp (the
// choice and its sources are in docs/design.md):
//
//   - every answer: Access-Control-Allow-Origin: * and
//     Access-Control-Expose-Headers naming the headers the SDKs read
//     from an error (request id, error type and message) and Date, which
//     the SDKs use to correct a skewed clock;
//   - a preflight: 200 with no body, the requested headers allowed back,
//     the endpoint's methods, and a cache of 172800 s (two days).
//
// No credentials are allowed: none of these endpoints reads a cookie, so
// a page on another site gains no ambient authority from them.
const (
	ExposeHeaders = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"
	MaxAge        = "172800"
	// DefaultAllowHeaders are allowed when a preflight names none, or
	// names them in a form that cannot be echoed: the headers the AWS
	// SDKs and Amplify send.
	DefaultAllowHeaders = "content-type,x-amz-target,x-amz-user-agent,x-amz-date,x-amz-security-token," +
		"authorization,amz-sdk-invocation-id,amz-sdk-request,cache-control"
	// maxRequestHeaders bounds an echoed Access-Control-Request-Headers.
	maxRequestHeaders = 2048
)

// Allow marks a response as readable by a page on any origin, with the
// headers the SDKs read.
func Allow(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", ExposeHeaders)
}

// Preflight answers a browser's preflight (OPTIONS) for an endpoint that
// serves methods. The headers the browser asks to send are allowed back
// as asked, as Cognito does, so a header an SDK adds in a later version
// still works; a list that is not a list of header names gets the
// default one instead.
func Preflight(w http.ResponseWriter, r *http.Request, methods string) {
	h := w.Header()
	Allow(h)
	h.Set("Access-Control-Allow-Methods", methods)
	allow := DefaultAllowHeaders
	if asked := r.Header.Get("Access-Control-Request-Headers"); asked != "" && headerList(asked) {
		allow = asked
	}
	h.Set("Access-Control-Allow-Headers", allow)
	h.Set("Access-Control-Max-Age", MaxAge)
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// headerList reports whether s is a comma-separated list of header names
// (RFC 9110 tokens), short enough to echo.
func headerList(s string) bool {
	if len(s) > maxRequestHeaders {
		return false
	}
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			return false
		}
		for _, c := range []byte(name) {
			if !tokenChar(c) {
				return false
			}
		}
	}
	return true
}

func tokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// Handler wraps an endpoint that serves only POST: its preflight is
// answered here, and every answer it writes (errors included, and the
// server's own for a panic, which keep the headers already set) is open
// to any origin.
func Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			Preflight(w, r, http.MethodPost)
			return
		}
		Allow(w.Header())
		next.ServeHTTP(w, r)
	})
}
