package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/server"
	"github.com/userpool/userpool/internal/testserver"
)

// amplifyHeaders is what Chromium asks to send for Amplify v6's calls.
const amplifyHeaders = "cache-control,content-type,x-amz-target,x-amz-user-agent"

func do(t *testing.T, method, url string, header map[string]string, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func wantHeaders(t *testing.T, what string, res *http.Response, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := res.Header.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
}

// TestCORSJSONAPI checks the JSON API's answers to a page on another
// origin: the preflight as Cognito answers it, and the open headers on
// successes and on every kind of error.
func TestCORSJSONAPI(t *testing.T) {
	st := testserver.New(t)
	origin := map[string]string{"Origin": "http://localhost:3000"}

	pre := do(t, http.MethodOptions, st.URL+"/", map[string]string{
		"Origin":                         "http://localhost:3000",
		"Access-Control-Request-Method":  "POST",
		"Access-Control-Request-Headers": amplifyHeaders,
	}, "")
	if pre.StatusCode != http.StatusOK {
		t.Errorf("preflight status %d, want 200", pre.StatusCode)
	}
	wantHeaders(t, "preflight", pre, map[string]string{
		"Access-Control-Allow-Origin":   "*",
		"Access-Control-Allow-Methods":  "POST",
		"Access-Control-Allow-Headers":  amplifyHeaders,
		"Access-Control-Expose-Headers": "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
		"Access-Control-Max-Age":        "172800",
		"Content-Length":                "0",
	})

	open := map[string]string{
		"Access-Control-Allow-Origin":   "*",
		"Access-Control-Expose-Headers": "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
	}
	json := func(target string) map[string]string {
		return map[string]string{"Origin": origin["Origin"], "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target}
	}
	cases := []struct {
		name   string
		header map[string]string
		body   string
		status int
	}{
		{"unknown client", json("AWSCognitoIdentityProviderService.InitiateAuth"), `{"AuthFlow":"USER_SRP_AUTH","ClientId":"nope","AuthParameters":{"USERNAME":"u","SRP_A":"01"}}`, http.StatusBadRequest},
		{"unknown target", json("AWSCognitoIdentityProviderService.Nope"), `{}`, http.StatusBadRequest},
		{"unsigned admin action", json("AWSCognitoIdentityProviderService.ListUserPools"), `{"MaxResults":1}`, http.StatusForbidden},
		{"body too large", json("AWSCognitoIdentityProviderService.SignUp"), `{"ClientId":"` + strings.Repeat("a", 3<<20) + `"}`, http.StatusRequestEntityTooLarge},
	}
	for _, c := range cases {
		res := do(t, http.MethodPost, st.URL+"/", c.header, c.body)
		if res.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.name, res.StatusCode, c.status)
		}
		if res.Header.Get("X-Amzn-ErrorType") == "" {
			t.Errorf("%s: no X-Amzn-ErrorType", c.name)
		}
		wantHeaders(t, c.name, res, open)
	}
}

// TestCORSPanic checks that the server's own answer to a panicking
// action keeps the headers that let the page read it.
func TestCORSPanic(t *testing.T) {
	h := server.New(server.Config{API: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })})
	srv := httptest.NewServer(h)
	defer srv.Close()
	res := do(t, http.MethodPost, srv.URL+"/", map[string]string{"Origin": "http://localhost:3000"}, "{}")
	if res.StatusCode != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", res.StatusCode)
	}
	wantHeaders(t, "panic", res, map[string]string{"Access-Control-Allow-Origin": "*", "X-Amzn-ErrorType": "InternalErrorException:"})
}

// TestCORSOAuthEndpoints checks that the endpoints a page calls answer
// its preflight as the JSON API does, and that the hosted pages, which
// are navigations, send no CORS headers.
func TestCORSOAuthEndpoints(t *testing.T) {
	st := testserver.New(t)
	for path, methods := range map[string]string{"/oauth2/token": "POST", "/oauth2/revoke": "POST", "/oauth2/userInfo": "GET, POST"} {
		pre := do(t, http.MethodOptions, st.URL+path, map[string]string{
			"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type",
		}, "")
		if pre.StatusCode != http.StatusOK {
			t.Errorf("%s preflight status %d", path, pre.StatusCode)
		}
		wantHeaders(t, path, pre, map[string]string{
			"Access-Control-Allow-Origin":  "*",
			"Access-Control-Allow-Methods": methods,
			"Access-Control-Allow-Headers": "authorization,content-type",
			"Access-Control-Max-Age":       "172800",
		})
		res := do(t, http.MethodPost, st.URL+path, map[string]string{"Origin": "http://localhost:3000", "Content-Type": "application/x-www-form-urlencoded"}, "")
		if res.StatusCode < 400 {
			t.Errorf("%s: empty POST answered %d", path, res.StatusCode)
		}
		wantHeaders(t, path+" error", res, map[string]string{"Access-Control-Allow-Origin": "*"})
	}
	res := do(t, http.MethodGet, st.URL+"/login?client_id=nope", map[string]string{"Origin": "http://localhost:3000"}, "")
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("/login: Access-Control-Allow-Origin = %q, want none", got)
	}
}
