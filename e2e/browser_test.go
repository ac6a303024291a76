package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// browserChromium is Debian's chromium. The browser tests use it through
// playwright-core's executablePath and never download a browser.
const browserChromium = "/usr/bin/chromium"

var updateScreenshot = flag.Bool("update-screenshot", false, "write the hosted login page's screenshot to docs/hosted-login.png")

// TestBrowserHostedSignIn signs a user in on the hosted pages in headless
// chromium, from the authorize URL to the client's callback, and redeems
// the codes the browser brought back at /oauth2/token. browser/hosted.mjs
// drives the browser (a wrong password, the temporary password and the
// new-password form, a second authorization that skips the form, /logout);
// browser/oidc.mjs does the same with openid-client from the discovery URL.
func TestBrowserHostedSignIn(t *testing.T) {
	t.Parallel()
	browserDir := requireBrowser(t)
	s := startServer(t)
	cb := newBrowserCallback(t)
	ctx := clientContext(t, 3*time.Minute)
	c := goClient(s.Endpoint, s.Key)

	suffix := randomSuffix()
	poolID, clientID := newBrowserPool(ctx, t, c, "e2e-browser-"+suffix, cb, nil)

	t.Run("hosted", func(t *testing.T) {
		username := "ada-" + suffix
		temporary, newPassword := "Tmp-"+suffix+"-4aA!", "New-"+suffix+"-7bB!"
		s.addSecrets(temporary, newPassword)
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(poolID), Username: aws.String(username), TemporaryPassword: aws.String(temporary),
			MessageAction:  types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(username + "@example.com")}},
		}); err != nil {
			t.Fatalf("AdminCreateUser: %v", err)
		}
		verifier := browserVerifier()
		authorize := func(state, nonce string) string {
			return browserAuthorizeURL(s, clientID, cb, verifier, state, nonce)
		}
		screenshot := filepath.Join(t.TempDir(), "hosted-login.png")
		if *updateScreenshot {
			screenshot = filepath.Join(repoRoot, "docs", "hosted-login.png")
		}
		result := filepath.Join(t.TempDir(), "result.json")
		s.runBrowser(t, browserDir, "hosted.mjs",
			"CALLBACK_URL="+cb.Callback,
			"SIGNED_OUT_URL="+cb.SignedOut,
			"BROWSER_USERNAME="+username,
			"BROWSER_TEMP_PASSWORD="+temporary,
			"BROWSER_NEW_PASSWORD="+newPassword,
			"AUTHORIZE_URL_1="+authorize("first-state", "nonce-1"),
			"AUTHORIZE_URL_2="+authorize("second-state", "nonce-2"),
			"AUTHORIZE_URL_3="+authorize("third-state", "nonce-3"),
			"LOGOUT_URL="+s.Endpoint+"/logout?"+url.Values{"client_id": {clientID}, "logout_uri": {cb.SignedOut}}.Encode(),
			"SCREENSHOT_FILE="+screenshot,
			"RESULT_FILE="+result,
		)

		var got struct{ First, Second, Third string }
		readBrowserResult(t, result, &got)
		first := browserCode(t, got.First, cb.Callback, "first-state")
		second := browserCode(t, got.Second, cb.Callback, "second-state")
		third := browserCode(t, got.Third, cb.Callback, "third-state")
		// The callback server saw each of them: the browser really went
		// there.
		for _, u := range []string{got.First, got.Second, got.Third} {
			if !cb.saw(u) {
				t.Errorf("the callback server never received %s", u)
			}
		}
		if !cb.saw(cb.SignedOut) {
			t.Error("the browser never reached the sign-out URL")
		}
		wantPNG(t, screenshot)

		// Each code redeems once, for the tokens of its request. The second
		// came from the session, so it has the first sign-in's auth_time;
		// the third is a new sign-in.
		t1 := browserExchange(t, s, clientID, first, cb.Callback, verifier)
		t2 := browserExchange(t, s, clientID, second, cb.Callback, verifier)
		t3 := browserExchange(t, s, clientID, third, cb.Callback, verifier)
		for i, tc := range []struct {
			claims map[string]any
			nonce  string
		}{{t1, "nonce-1"}, {t2, "nonce-2"}, {t3, "nonce-3"}} {
			if tc.claims["nonce"] != tc.nonce || tc.claims["cognito:username"] != username || tc.claims["aud"] != clientID {
				t.Errorf("ID token %d: nonce %v, username %v, aud %v", i+1, tc.claims["nonce"], tc.claims["cognito:username"], tc.claims["aud"])
			}
		}
		if t1["auth_time"] != t2["auth_time"] {
			t.Errorf("auth_time of the session's code = %v, want the sign-in's %v", t2["auth_time"], t1["auth_time"])
		}
		status, body := browserTokenRequest(t, s, url.Values{
			"grant_type": {"authorization_code"}, "client_id": {clientID}, "code": {first},
			"redirect_uri": {cb.Callback}, "code_verifier": {verifier},
		})
		if status != http.StatusBadRequest || body["error"] != "invalid_grant" {
			t.Errorf("a code redeemed twice: %d %v, want 400 invalid_grant", status, body)
		}
	})

	t.Run("openid-client", func(t *testing.T) {
		username, password := "grace-"+suffix, "Pw-"+suffix+"-9cC!"
		email := username + "@example.com"
		s.addSecrets(password)
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(poolID), Username: aws.String(username), MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}},
		}); err != nil {
			t.Fatalf("AdminCreateUser: %v", err)
		}
		if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
			UserPoolId: aws.String(poolID), Username: aws.String(username), Password: aws.String(password), Permanent: true,
		}); err != nil {
			t.Fatalf("AdminSetUserPassword: %v", err)
		}
		s.runBrowser(t, browserDir, "oidc.mjs",
			"POOL_ID="+poolID,
			"CLIENT_ID="+clientID,
			"CALLBACK_URL="+cb.Callback,
			"SIGNED_OUT_URL="+cb.SignedOut,
			"OIDC_USERNAME="+username,
			"OIDC_PASSWORD="+password,
			"OIDC_EMAIL="+email,
		)
	})
}

// TestBrowserHostedMFASetup sets MFA up on the hosted page in headless
// chromium, in a pool that requires MFA and offers an authenticator app
// and e-mail codes, for users with neither and no e-mail address.
// browser/hosted-mfa.dev.mjs chooses Email, gives an address, reads the
// code sent there from the development outbox, is refused a wrong code
// and brought back to the callback by the right one; signs the same user
// in again in a fresh browser, which asks for an e-mail code at once; and
// sets up an authenticator app for another user from the key the page
// shows. This test redeems the codes the browser brought back and checks
// what the set-up left on the users.
//
// The outbox exists only under --dev, so this test has a server of its
// own, and the script's .dev.mjs name sets it apart from
// TestBrowserHostedSignIn's scripts. A --dev server accepts any signature
// and prints no generated key, so it is given a configured one, which the
// admin calls sign with as usual.
func TestBrowserHostedMFASetup(t *testing.T) {
	t.Parallel()
	browserDir := requireBrowser(t)
	key := &adminKey{AccessKeyID: "AKIAE2EMFA" + strings.ToUpper(randomSuffix()), SecretAccessKey: "e2e/" + randomSuffix() + randomSuffix()}
	s := launch(t, serverConfig{Key: key, Args: []string{"--dev"}})
	cb := newBrowserCallback(t)
	ctx := clientContext(t, 3*time.Minute)
	c := goClient(s.Endpoint, s.Key)

	suffix := randomSuffix()
	poolID, clientID := newBrowserPool(ctx, t, c, "e2e-browser-mfa-"+suffix, cb, &cip.SetUserPoolMfaConfigInput{
		MfaConfiguration:              types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
		EmailMfaConfiguration:         &types.EmailMfaConfigType{},
	})
	password := "Mfa-" + suffix + "-3dD!"
	s.addSecrets(password)
	emailUser, totpUser := "mfa-email-"+suffix, "mfa-totp-"+suffix
	address := emailUser + "@example.com"
	for _, username := range []string{emailUser, totpUser} {
		// No e-mail address and no factor: the sign-in must set one up.
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(poolID), Username: aws.String(username), MessageAction: types.MessageActionTypeSuppress,
		}); err != nil {
			t.Fatalf("AdminCreateUser(%s): %v", username, err)
		}
		if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
			UserPoolId: aws.String(poolID), Username: aws.String(username), Password: aws.String(password), Permanent: true,
		}); err != nil {
			t.Fatalf("AdminSetUserPassword(%s): %v", username, err)
		}
	}

	verifier := browserVerifier()
	result := filepath.Join(t.TempDir(), "result.json")
	s.runBrowser(t, browserDir, "hosted-mfa.dev.mjs",
		"CALLBACK_URL="+cb.Callback,
		"POOL_ID="+poolID,
		"MFA_PASSWORD="+password,
		"MFA_EMAIL_USERNAME="+emailUser,
		"MFA_EMAIL_ADDRESS="+address,
		"MFA_TOTP_USERNAME="+totpUser,
		"AUTHORIZE_URL_EMAIL_SETUP="+browserAuthorizeURL(s, clientID, cb, verifier, "email-setup-state", "nonce-email-setup"),
		"AUTHORIZE_URL_EMAIL_AGAIN="+browserAuthorizeURL(s, clientID, cb, verifier, "email-again-state", "nonce-email-again"),
		"AUTHORIZE_URL_TOTP="+browserAuthorizeURL(s, clientID, cb, verifier, "totp-state", "nonce-totp"),
		"RESULT_FILE="+result,
	)

	var got struct{ EmailSetup, EmailAgain, TOTP string }
	readBrowserResult(t, result, &got)
	for _, tc := range []struct {
		callback, state, nonce, username string
		// email is the address the ID token must carry, verified; "" for
		// a user without one, whose token has no email claim.
		email string
	}{
		{got.EmailSetup, "email-setup-state", "nonce-email-setup", emailUser, address},
		{got.EmailAgain, "email-again-state", "nonce-email-again", emailUser, address},
		{got.TOTP, "totp-state", "nonce-totp", totpUser, ""},
	} {
		code := browserCode(t, tc.callback, cb.Callback, tc.state)
		s.addSecrets(code)
		if !cb.saw(tc.callback) {
			t.Errorf("the callback server never received %s", tc.callback)
		}
		claims := browserExchange(t, s, clientID, code, cb.Callback, verifier)
		if claims["nonce"] != tc.nonce || claims["cognito:username"] != tc.username || claims["aud"] != clientID {
			t.Errorf("ID token of %s: nonce %v, username %v, aud %v", tc.state, claims["nonce"], claims["cognito:username"], claims["aud"])
		}
		if tc.email == "" {
			if v, ok := claims["email"]; ok {
				t.Errorf("ID token of %s: email %v, want none", tc.state, v)
			}
		} else if claims["email"] != tc.email || claims["email_verified"] != true {
			t.Errorf("ID token of %s: email %v, email_verified %v, want %s, true", tc.state, claims["email"], claims["email_verified"], tc.email)
		}
	}

	// What the set-up left: the e-mail user's address, verified by the
	// code, and e-mail codes as their MFA; the other user's authenticator.
	for _, tc := range []struct {
		username, factor, email string
	}{{emailUser, "EMAIL_OTP", address}, {totpUser, "SOFTWARE_TOKEN_MFA", ""}} {
		u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(tc.username)})
		if err != nil {
			t.Fatalf("AdminGetUser(%s): %v", tc.username, err)
		}
		if !slices.Equal(u.UserMFASettingList, []string{tc.factor}) || aws.ToString(u.PreferredMfaSetting) != tc.factor {
			t.Errorf("%s: UserMFASettingList %v, PreferredMfaSetting %q, want [%s] and %s", tc.username, u.UserMFASettingList, aws.ToString(u.PreferredMfaSetting), tc.factor, tc.factor)
		}
		attrs := map[string]string{}
		for _, a := range u.UserAttributes {
			attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
		}
		if tc.email != "" && (attrs["email"] != tc.email || attrs["email_verified"] != "true") {
			t.Errorf("%s: email %q, email_verified %q, want %s, true", tc.username, attrs["email"], attrs["email_verified"], tc.email)
		}
		if _, ok := attrs["email"]; tc.email == "" && ok {
			t.Errorf("%s: email %q, want none", tc.username, attrs["email"])
		}
	}
}

// newBrowserPool creates a pool with a hosted domain and a public app
// client for the code flow with the callback's URLs, and with mfa, when
// given, as its MFA configuration; edits, when given, change the pool's
// and the client's inputs first. It returns the pool's and the client's
// IDs.
func newBrowserPool(ctx context.Context, t *testing.T, c *cip.Client, name string, cb *browserCallback, mfa *cip.SetUserPoolMfaConfigInput,
	edits ...func(*cip.CreateUserPoolInput, *cip.CreateUserPoolClientInput)) (poolID, clientID string) {
	t.Helper()
	poolIn := &cip.CreateUserPoolInput{PoolName: aws.String(name)}
	clientIn := &cip.CreateUserPoolClientInput{
		ClientName:                      aws.String("Browser E2E"),
		AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows:               []types.OAuthFlowType{types.OAuthFlowTypeCode},
		AllowedOAuthScopes:              []string{"openid", "email", "profile"},
		CallbackURLs:                    []string{cb.Callback},
		LogoutURLs:                      []string{cb.SignedOut},
		SupportedIdentityProviders:      []string{"COGNITO"},
	}
	for _, edit := range edits {
		edit(poolIn, clientIn)
	}
	pool, err := c.CreateUserPool(ctx, poolIn)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	poolID = aws.ToString(pool.UserPool.Id)
	if mfa != nil {
		mfa.UserPoolId = aws.String(poolID)
		if _, err := c.SetUserPoolMfaConfig(ctx, mfa); err != nil {
			t.Fatalf("SetUserPoolMfaConfig: %v", err)
		}
	}
	if _, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{
		UserPoolId: aws.String(poolID), Domain: aws.String(strings.ToLower(name)),
	}); err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}
	clientIn.UserPoolId = aws.String(poolID)
	appClient, err := c.CreateUserPoolClient(ctx, clientIn)
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return poolID, aws.ToString(appClient.UserPoolClient.ClientId)
}

// browserAuthorizeURL is an authorization request of the code flow with
// PKCE (S256 of verifier), state and nonce, back to the callback.
func browserAuthorizeURL(s *server, clientID string, cb *browserCallback, verifier, state, nonce string) string {
	return s.Endpoint + "/oauth2/authorize?" + url.Values{
		"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {cb.Callback},
		"scope": {"openid email"}, "state": {state}, "nonce": {nonce},
		"code_challenge": {browserChallenge(verifier)}, "code_challenge_method": {"S256"},
	}.Encode()
}

// requireBrowser checks for chromium, node and e2e/browser's packages, and
// returns the scripts' directory.
func requireBrowser(t *testing.T) string {
	t.Helper()
	_, err := os.Stat(browserChromium)
	requireTool(t, err == nil, browserChromium+" is not installed (Debian's chromium package)")
	_, nodeErr := exec.LookPath("node")
	requireTool(t, nodeErr == nil, "node is not installed")
	dir := filepath.Join(repoRoot, "e2e", "browser")
	for _, pkg := range []string{"playwright-core", "openid-client", "aws-amplify", "esbuild"} {
		_, err := os.Stat(filepath.Join(dir, "node_modules", pkg))
		requireTool(t, err == nil, "e2e/browser/node_modules lacks "+pkg)
	}
	return dir
}

// runBrowser runs one of e2e/browser's scripts with node, with the
// endpoint and the extra variables given, registers the secrets it
// recorded (those the Go side never sees, such as an authenticator's key),
// and fails the test with its output when it fails.
func (s *server) runBrowser(t *testing.T, dir, script string, extra ...string) {
	t.Helper()
	ctx := clientContext(t, 2*time.Minute)
	secretsFile := filepath.Join(t.TempDir(), "secrets")
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Dir = dir
	cmd.Env = append(s.clientEnv(s.Key, secretsFile), extra...)
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	secrets, readErr := readSecrets(secretsFile)
	if readErr != nil && !errors.Is(readErr, fs.ErrNotExist) {
		t.Errorf("read the secrets %s recorded: %v", script, readErr)
	}
	s.addSecrets(secrets...)
	if err != nil {
		t.Fatalf("node %s failed after %s: %v\n%s", script, time.Since(start).Round(time.Millisecond), err, out)
	}
	t.Logf("node %s finished in %s:\n%s", script, time.Since(start).Round(time.Millisecond), out)
}

// browserCallback is the client application's side: it serves the
// callback and sign-out URLs on the loopback, as a local app would, and
// remembers what the browser brought it.
type browserCallback struct {
	Callback  string
	SignedOut string
	mu        sync.Mutex
	seen      []string
}

func newBrowserCallback(t *testing.T) *browserCallback {
	t.Helper()
	cb := &browserCallback{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cb.mu.Lock()
		cb.seen = append(cb.seen, "http://"+r.Host+r.URL.RequestURI())
		cb.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><title>Client app</title><p>Back at the client.</p>")
	}))
	t.Cleanup(srv.Close)
	cb.Callback = srv.URL + "/callback"
	cb.SignedOut = srv.URL + "/signed-out"
	return cb
}

func (cb *browserCallback) saw(u string) bool {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	return slices.Contains(cb.seen, u)
}

// readBrowserResult reads into v the JSON a browser script wrote to path.
func readBrowserResult(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the browser script wrote no result: %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// browserVerifier is a PKCE code verifier: 32 random bytes, base64url.
func browserVerifier() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func browserChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// browserCode checks a callback URL the browser reached and returns its
// code.
func browserCode(t *testing.T, got, callback, state string) string {
	t.Helper()
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if base := strings.SplitN(got, "?", 2)[0]; base != callback || q.Get("state") != state || q.Get("code") == "" || q.Has("error") {
		t.Fatalf("callback = %s, want %s with a code and state %s", got, callback, state)
	}
	return q.Get("code")
}

// browserTokenRequest posts a form to /oauth2/token.
func browserTokenRequest(t *testing.T, s *server, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(s.Endpoint+"/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("/oauth2/token answered %d with no JSON: %v", resp.StatusCode, err)
	}
	return resp.StatusCode, body
}

// browserExchange redeems a code as a public client with PKCE and returns
// the ID token's claims.
func browserExchange(t *testing.T, s *server, clientID, code, redirect, verifier string) map[string]any {
	t.Helper()
	status, body := browserTokenRequest(t, s, url.Values{
		"grant_type": {"authorization_code"}, "client_id": {clientID}, "code": {code},
		"redirect_uri": {redirect}, "code_verifier": {verifier},
	})
	if status != http.StatusOK {
		t.Fatalf("code exchange: %d %v", status, body)
	}
	for _, k := range []string{"access_token", "id_token", "refresh_token"} {
		if v, _ := body[k].(string); v == "" {
			t.Errorf("code exchange: no %s in %v", k, body)
		}
		if v, _ := body[k].(string); v != "" {
			s.addSecrets(v)
		}
	}
	if body["token_type"] != "Bearer" {
		t.Errorf("token_type = %v", body["token_type"])
	}
	idToken, _ := body["id_token"].(string)
	parts := strings.Split(idToken, ".")
	if len(parts) != 3 {
		t.Fatalf("id_token is not a JWT: %q", idToken)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

// wantPNG checks that the screenshot is a PNG of a sensible size.
func wantPNG(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) || len(b) < 2<<10 || len(b) > 512<<10 {
		t.Errorf("screenshot %s: %d bytes, want a PNG between 2 KiB and 512 KiB", path, len(b))
	}
}
