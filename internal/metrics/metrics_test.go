package metrics

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// A request is labelled by its action, or its route when it has none, and
// by the error type it was answered with, else "ok" or its failing status.
func TestObserveRequest(t *testing.T) {
	for _, tc := range []struct {
		action, errorType, pattern string
		status                     int
		wantAction, wantOutcome    string
	}{
		{"GetUser", "", "POST /{$}", 200, "GetUser", "ok"},
		{"GetUser", "NotAuthorizedException", "POST /{$}", 400, "GetUser", "NotAuthorizedException"},
		{"", "", "GET /health", 503, "GET /health", "503"},
		{"", "", "", 404, "other", "404"},
	} {
		before := testutil.ToFloat64(Requests.WithLabelValues(tc.wantAction, tc.wantOutcome))
		ObserveRequest(tc.action, tc.errorType, tc.pattern, tc.status, time.Millisecond)
		if got := testutil.ToFloat64(Requests.WithLabelValues(tc.wantAction, tc.wantOutcome)) - before; got != 1 {
			t.Errorf("%+v: requests{%s,%s} went up by %v, want 1", tc, tc.wantAction, tc.wantOutcome, got)
		}
	}
}

// The signer gauge names one signer only.
func TestSetSigner(t *testing.T) {
	SetSigner("go")
	SetSigner("openssl")
	if n := testutil.CollectAndCount(Signer); n != 1 {
		t.Fatalf("userpool_signer_info has %d series, want 1", n)
	}
	if v := testutil.ToFloat64(Signer.WithLabelValues("openssl")); v != 1 {
		t.Fatalf("signer openssl = %v", v)
	}
}
