package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// apiStatus sends one JSON API request and returns its status and body.
func apiStatus(t *testing.T, addr, action string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+action)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// wantRefused requires a NotAuthorizedException with message msg.
func wantRefused(t *testing.T, what string, code int, out map[string]any, msg string) {
	t.Helper()
	if code != http.StatusBadRequest || out["__type"] != "NotAuthorizedException" || out["message"] != msg {
		t.Fatalf("%s: %d %v, want NotAuthorizedException %q", what, code, out, msg)
	}
}

func TestClockNeedsDev(t *testing.T) {
	addr, _, stop := startServe(t, t.TempDir())
	defer stop()
	resp, err := http.Get("http://" + addr + "/_dev/clock")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("GET /_dev/clock outside --dev: %d, want 404", resp.StatusCode)
	}
	_, err = runPlain(t, nil, "", "clock", "advance", "1h", "--endpoint", "http://"+addr)
	if err == nil || !strings.Contains(err.Error(), "--dev") {
		t.Fatalf("clock advance outside --dev: %v", err)
	}
}

// TestDevClockExpiresTokens moves a --dev server's clock past the access
// token's hour and the refresh token's thirty days, through `userpool
// clock`, and checks what the server and `userpool token` then do.
func TestDevClockExpiresTokens(t *testing.T) {
	addr, poolID, clientID, stop := loginSetup(t)
	defer stop()
	callAPI(t, addr, "AdminSetUserPassword", map[string]any{"UserPoolId": poolID, "Username": "bob", "Password": "N3w-Passw0rd!", "Permanent": true})
	env := map[string]string{"USERPOOL_CACHE_DIR": t.TempDir(), "USERPOOL_ENDPOINT": "http://" + addr}
	clockIs := func(args []string, want string) {
		t.Helper()
		out, err := runPlain(t, env, "", append([]string{"clock"}, args...)...)
		if err != nil || !strings.Contains(out, "(offset "+want+")") {
			t.Fatalf("clock %v = %q, %v; want offset %s", args, out, err, want)
		}
	}
	login := func() {
		t.Helper()
		if _, err := runPlain(t, env, "N3w-Passw0rd!\n", "login", "--pool-id", poolID, "--client-id", clientID, "--username", "bob"); err != nil {
			t.Fatal(err)
		}
	}
	clockIs(nil, "0s")
	if _, err := runPlain(t, env, "", "clock", "advance", "soon"); err == nil {
		t.Fatal("clock advance accepted a bad duration")
	}
	login()
	s := readSession(t, env["USERPOOL_CACHE_DIR"])

	clockIs([]string{"advance", "59m"}, "59m0s")
	if code, out := apiStatus(t, addr, "GetUser", map[string]any{"AccessToken": s.AccessToken}); code != http.StatusOK {
		t.Fatalf("GetUser a minute before expiry: %d %v", code, out)
	}
	clockIs([]string{"advance", "1m"}, "1h0m0s")
	code, out := apiStatus(t, addr, "GetUser", map[string]any{"AccessToken": s.AccessToken})
	wantRefused(t, "GetUser after an hour", code, out, "Access Token has expired")

	fresh, err := runPlain(t, env, "", "token")
	if err != nil || strings.TrimSpace(fresh) == s.AccessToken {
		t.Fatalf("token after an hour = %q, %v; want a refreshed token", fresh, err)
	}
	if code, out := apiStatus(t, addr, "GetUser", map[string]any{"AccessToken": strings.TrimSpace(fresh)}); code != http.StatusOK {
		t.Fatalf("GetUser with the refreshed token: %d %v", code, out)
	}

	clockIs([]string{"advance", "30d"}, "721h0m0s")
	code, out = apiStatus(t, addr, "InitiateAuth", map[string]any{"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": clientID,
		"AuthParameters": map[string]string{"REFRESH_TOKEN": s.RefreshToken}})
	wantRefused(t, "refresh after 30 days", code, out, "Refresh Token has expired")
	if _, err := runPlain(t, env, "", "token"); err == nil || !strings.Contains(err.Error(), "userpool login") {
		t.Fatalf("token after 30 days: %v, want a refusal asking for login", err)
	}
	// SRP's TIMESTAMP comes from the wall clock, 30 days behind the
	// server's: the sign-in still works.
	login()
	if s2 := readSession(t, env["USERPOOL_CACHE_DIR"]); s2.AccessToken == s.AccessToken {
		t.Fatal("login 30 days later cached no new tokens")
	}
	if _, err := runPlain(t, env, "", "token"); err != nil {
		t.Fatalf("token after a new login: %v", err)
	}
	clockIs([]string{"reset"}, "0s")
}

// TestDevClockExpiresCodes moves the clock past a sign-up code's 24 hours:
// the code the outbox shows is then refused as expired, and a new one
// works.
func TestDevClockExpiresCodes(t *testing.T) {
	addr, _, stop := startServe(t, t.TempDir(), "--dev")
	defer stop()
	env := map[string]string{"USERPOOL_ENDPOINT": "http://" + addr}
	pool := callAPI(t, addr, "CreateUserPool", map[string]any{"PoolName": "codes", "AutoVerifiedAttributes": []string{"email"}})
	poolID := pool["UserPool"].(map[string]any)["Id"].(string)
	client := callAPI(t, addr, "CreateUserPoolClient", map[string]any{"UserPoolId": poolID, "ClientName": "c"})
	clientID := client["UserPoolClient"].(map[string]any)["ClientId"].(string)
	callAPI(t, addr, "SignUp", map[string]any{"ClientId": clientID, "Username": "dana", "Password": "Passw0rd!-dana",
		"UserAttributes": []map[string]string{{"Name": "email", "Value": "dana@example.com"}}})
	code := func() string {
		t.Helper()
		out, err := runMessages(t, "--endpoint", "http://"+addr, "--json", "--username", "dana")
		var msgs []map[string]any
		if err != nil || json.Unmarshal([]byte(out), &msgs) != nil || len(msgs) == 0 {
			t.Fatalf("messages: %q, %v", out, err)
		}
		return msgs[len(msgs)-1]["code"].(string)
	}
	first := code()
	if _, err := runPlain(t, env, "", "clock", "advance", "1d1m"); err != nil {
		t.Fatal(err)
	}
	status, out := apiStatus(t, addr, "ConfirmSignUp", map[string]any{"ClientId": clientID, "Username": "dana", "ConfirmationCode": first})
	if status != http.StatusBadRequest || out["__type"] != "ExpiredCodeException" || out["message"] != "Invalid code provided, please request a code again." {
		t.Fatalf("ConfirmSignUp a day later: %d %v", status, out)
	}
	callAPI(t, addr, "ResendConfirmationCode", map[string]any{"ClientId": clientID, "Username": "dana"})
	callAPI(t, addr, "ConfirmSignUp", map[string]any{"ClientId": clientID, "Username": "dana", "ConfirmationCode": code()})
}

// TestDevClockLiftsLockout locks a user out with wrong passwords, then
// moves the clock past the longest lock (15 minutes) instead of waiting.
func TestDevClockLiftsLockout(t *testing.T) {
	addr, poolID, _, stop := loginSetup(t)
	defer stop()
	client := callAPI(t, addr, "CreateUserPoolClient", map[string]any{"UserPoolId": poolID, "ClientName": "pw",
		"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	clientID := client["UserPoolClient"].(map[string]any)["ClientId"].(string)
	callAPI(t, addr, "AdminSetUserPassword", map[string]any{"UserPoolId": poolID, "Username": "bob", "Password": "N3w-Passw0rd!", "Permanent": true})
	signIn := func(password string) (int, map[string]any) {
		return apiStatus(t, addr, "InitiateAuth", map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": clientID,
			"AuthParameters": map[string]string{"USERNAME": "bob", "PASSWORD": password}})
	}
	for range 12 {
		signIn("Wr0ng-Passw0rd!")
	}
	code, out := signIn("N3w-Passw0rd!")
	wantRefused(t, "the right password while locked", code, out, "Password attempts exceeded")
	if _, err := runPlain(t, map[string]string{"USERPOOL_ENDPOINT": "http://" + addr}, "", "clock", "advance", "16m"); err != nil {
		t.Fatal(err)
	}
	if code, out := signIn("N3w-Passw0rd!"); code != http.StatusOK {
		t.Fatalf("sign-in 16 minutes later: %d %v", code, out)
	}
}
