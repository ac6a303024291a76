package cors_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/cors"
)

// TestPreflightDefaultHeaders checks that a preflight which asks for no
// headers, or for something that is not a list of header names, is
// allowed the SDKs' headers rather than an echo of what it sent.
// (The echo of a well-formed list is tested through the server.)
func TestPreflightDefaultHeaders(t *testing.T) {
	// No list asked, or one that is not a list of names: the SDKs'.
	for _, asked := range []string{"", "content-type, x-amz-target\r\nx-evil: 1", "a,,b", strings.Repeat("x", 3000)} {
		h := map[string]string{"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"}
		if asked != "" {
			h["Access-Control-Request-Headers"] = asked
		}
		req, _ := http.NewRequest(http.MethodOptions, "http://127.0.0.1/", nil)
		for k, v := range h {
			req.Header[k] = []string{v}
		}
		res := httptest.NewRecorder()
		cors.Preflight(res, req, http.MethodPost)
		if got := res.Header().Get("Access-Control-Allow-Headers"); got != cors.DefaultAllowHeaders {
			t.Errorf("asked %.20q: Access-Control-Allow-Headers = %q, want the default list", asked, got)
		}
	}

}
