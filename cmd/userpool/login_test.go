package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/userpool/userpool/internal/testserver"
)

// console drives a command through a real pseudo-terminal, as a user at a
// terminal would: it waits for each prompt and types the answer.
type console struct {
	t    *testing.T
	ptmx *os.File
	tty  *os.File
	out  *syncBuffer
	pos  int // how much of out expect and waitFor have consumed
}

func newConsole(t *testing.T) *console {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	c := &console{t: t, ptmx: ptmx, tty: tty, out: &syncBuffer{}}
	go io.Copy(c.out, ptmx)
	t.Cleanup(func() { tty.Close(); ptmx.Close() })
	return c
}

// waitFor waits until the terminal has shown want after what earlier
// calls consumed, and consumes up to its end.
func (c *console) waitFor(want string) {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if i := strings.Index(c.out.String()[c.pos:], want); i >= 0 {
			c.pos += i + len(want)
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("the terminal never showed %q; it shows:\n%s", want, c.out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// expect waits for a prompt and types answer and Enter.
func (c *console) expect(prompt, answer string) {
	c.t.Helper()
	c.waitFor(prompt)
	if _, err := c.ptmx.Write([]byte(answer + "\n")); err != nil {
		c.t.Fatal(err)
	}
}

// runOn runs the command with the terminal as its standard streams.
func (c *console) runOn(env map[string]string, args ...string) chan error {
	done := make(chan error, 1)
	go func() {
		done <- run(c.t.Context(), append([]string{"userpool"}, args...), func(k string) string { return env[k] }, c.tty, c.tty, c.tty)
	}()
	return done
}

func wait(t *testing.T, done chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("the command did not finish")
		return nil
	}
}

// runPlain runs a command with stdin from a string and returns its stdout.
func runPlain(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(t.Context(), append([]string{"userpool"}, args...), func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errOut)
	return out.String(), err
}

// loginSetup starts a --dev server with a pool offering TOTP MFA, a public
// client allowing SRP, and bob, whose password is temporary.
func loginSetup(t *testing.T) (addr, poolID, clientID string, stop func() error) {
	t.Helper()
	addr, _, stop = startServe(t, t.TempDir(), "--dev")
	pool := callAPI(t, addr, "CreateUserPool", map[string]any{"PoolName": "cli"})
	poolID = pool["UserPool"].(map[string]any)["Id"].(string)
	callAPI(t, addr, "SetUserPoolMfaConfig", map[string]any{"UserPoolId": poolID, "MfaConfiguration": "OPTIONAL",
		"SoftwareTokenMfaConfiguration": map[string]any{"Enabled": true}})
	client := callAPI(t, addr, "CreateUserPoolClient", map[string]any{"UserPoolId": poolID, "ClientName": "cli",
		"ExplicitAuthFlows": []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	clientID = client["UserPoolClient"].(map[string]any)["ClientId"].(string)
	callAPI(t, addr, "AdminCreateUser", map[string]any{"UserPoolId": poolID, "Username": "bob",
		"TemporaryPassword": "Temp0rary!", "MessageAction": "SUPPRESS"})
	return addr, poolID, clientID, stop
}

func readSession(t *testing.T, dir string) session {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "session.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLoginAndToken signs in at a terminal through a new-password
// challenge, then through TOTP, and reads tokens with `userpool token`.
func TestLoginAndToken(t *testing.T) {
	addr, poolID, clientID, stop := loginSetup(t)
	defer stop()
	cache := filepath.Join(t.TempDir(), "cache")
	env := map[string]string{"USERPOOL_CACHE_DIR": cache, "USERPOOL_ENDPOINT": "http://" + addr}
	login := []string{"login", "--pool-id", poolID, "--client-id", clientID}

	if _, err := runPlain(t, env, "", "token"); err == nil || !strings.Contains(err.Error(), "not signed in") {
		t.Fatalf("token before login: %v", err)
	}

	c := newConsole(t)
	done := c.runOn(env, login...)
	c.expect("Username: ", "bob")
	c.expect("Password: ", "Temp0rary!")
	c.expect("New password: ", "N3w-Passw0rd!")
	c.expect("New password again: ", "N3w-Passw0rd!")
	if err := wait(t, done); err != nil {
		t.Fatalf("login: %v\n%s", err, c.out)
	}
	c.waitFor("Signed in as bob")
	if out := c.out.String(); strings.Contains(out, "Passw0rd") || strings.Contains(out, "Temp0rary") {
		t.Fatalf("the terminal echoed a password: %q", out)
	}
	for path, want := range map[string]os.FileMode{cache: 0o700, filepath.Join(cache, "session.json"): 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Fatalf("%s: %v, mode %v, want %v", path, err, fi.Mode().Perm(), want)
		}
	}
	s := readSession(t, cache)

	out, err := runPlain(t, env, "", "token")
	if err != nil || strings.TrimSpace(out) != s.AccessToken {
		t.Fatalf("token = %q, %v; want the cached access token", out, err)
	}
	out, err = runPlain(t, env, "", "token", "--id")
	if err != nil || strings.TrimSpace(out) != s.IDToken {
		t.Fatalf("token --id = %q, %v; want the cached ID token", out, err)
	}

	// bob sets up an authenticator; the next login asks for its code.
	assoc := callAPI(t, addr, "AssociateSoftwareToken", map[string]any{"AccessToken": s.AccessToken})
	secret := assoc["SecretCode"].(string)
	callAPI(t, addr, "VerifySoftwareToken", map[string]any{"AccessToken": s.AccessToken, "UserCode": testserver.TOTP(t, secret, time.Now())})
	callAPI(t, addr, "SetUserMFAPreference", map[string]any{"AccessToken": s.AccessToken,
		"SoftwareTokenMfaSettings": map[string]any{"Enabled": true, "PreferredMfa": true}})

	c = newConsole(t)
	done = c.runOn(env, append(login, "--username", "bob")...)
	c.expect("Password: ", "N3w-Passw0rd!")
	// The next step's code: the one just used is good only once.
	c.expect("Authenticator code: ", testserver.TOTP(t, secret, time.Now().Add(30*time.Second)))
	if err := wait(t, done); err != nil {
		t.Fatalf("login with TOTP: %v\n%s", err, c.out)
	}
	if s2 := readSession(t, cache); s2.AccessToken == s.AccessToken || s2.Username != "bob" {
		t.Fatal("the second login did not cache new tokens")
	}
}

func TestLoginErrors(t *testing.T) {
	addr, poolID, clientID, stop := loginSetup(t)
	defer stop()
	env := map[string]string{"USERPOOL_CACHE_DIR": t.TempDir()}
	_, err := runPlain(t, env, "Wr0ng!\n", "login", "--endpoint", "http://"+addr, "--pool-id", poolID, "--client-id", clientID, "--username", "bob")
	if err == nil || !strings.Contains(err.Error(), "NotAuthorizedException") {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := runPlain(t, env, "", "login", "--client-id", clientID); err == nil || !strings.Contains(err.Error(), "--pool-id") {
		t.Fatalf("no pool id: %v", err)
	}
	if _, err := os.Stat(filepath.Join(env["USERPOOL_CACHE_DIR"], "session.json")); !os.IsNotExist(err) {
		t.Fatalf("a failed login left a session: %v", err)
	}
}
