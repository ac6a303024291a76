package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const cliSeed = `pools:
  - Id: us-east-1_LocalDev01
    PoolName: dev
    Domain: dev-local
    Groups: [{GroupName: admins, Precedence: 1}]
    Clients:
      - ClientId: 1example23456789abcdefghij
        ClientName: web
        ExplicitAuthFlows: [ALLOW_USER_SRP_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
    Users:
      - Username: alice
        Password: Passw0rd!
        Attributes: {email: alice@example.com, email_verified: "true"}
        Groups: [admins]
`

func writeSeed(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeSeed starts a server with a seed twice on the same data: the
// first start creates everything, the second changes nothing and the
// tokens of the first still work; then the pool is exported.
func TestServeSeed(t *testing.T) {
	data, file := t.TempDir(), writeSeed(t, cliSeed)
	addr, _, logs, stop := startServeEnv(t, nil, data, "--dev", "--seed", file)
	if !strings.Contains(logs.String(), `msg="seed applied" file=`+file+" changes=7") {
		t.Fatalf("the first start did not report 7 changes:\n%s", logs)
	}
	out := callAPI(t, addr, "InitiateAuth", map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "1example23456789abcdefghij",
		"AuthParameters": map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"}})
	refresh := out["AuthenticationResult"].(map[string]any)["RefreshToken"].(string)
	user := callAPI(t, addr, "AdminGetUser", map[string]any{"UserPoolId": "us-east-1_LocalDev01", "Username": "alice"})
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	addr, _, logs, stop = startServeEnv(t, nil, data, "--dev", "--seed", file)
	defer stop()
	if !strings.Contains(logs.String(), "changes=0") {
		t.Fatalf("the second start changed something:\n%s", logs)
	}
	callAPI(t, addr, "InitiateAuth", map[string]any{"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": "1example23456789abcdefghij",
		"AuthParameters": map[string]string{"REFRESH_TOKEN": refresh}})
	again := callAPI(t, addr, "AdminGetUser", map[string]any{"UserPoolId": "us-east-1_LocalDev01", "Username": "alice"})
	if subOf(again) == "" || subOf(again) != subOf(user) {
		t.Fatalf("alice's sub changed across starts: %v, %v", subOf(user), subOf(again))
	}

	exported, err := runPlain(t, nil, "", "seed", "export", "--pool", "us-east-1_LocalDev01", "--data", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Id: us-east-1_LocalDev01", "ClientId: 1example23456789abcdefghij", "Domain: dev-local", "- admins"} {
		if !strings.Contains(exported, want) {
			t.Errorf("the export lacks %q:\n%s", want, exported)
		}
	}
	if strings.Contains(exported, "Passw0rd!") {
		t.Fatalf("the export holds a password:\n%s", exported)
	}
}

func subOf(out map[string]any) string {
	for _, a := range out["UserAttributes"].([]any) {
		if m := a.(map[string]any); m["Name"] == "sub" {
			return m["Value"].(string)
		}
	}
	return ""
}

// TestServeBadSeed checks that a seed the service refuses stops the start,
// names the file, entry and field, and leaves the database untouched,
// even the entries before the bad one.
func TestServeBadSeed(t *testing.T) {
	data := t.TempDir()
	file := writeSeed(t, cliSeed+`  - PoolName: strict
    Users:
      - Username: bob
        Password: short
`)
	var stderr bytes.Buffer
	err := run(t.Context(), []string{"userpool", "serve", "--dev", "--addr", freeAddr(t), "--data", data, "--seed", file},
		func(string) string { return "" }, nil, &stderr, &stderr)
	if err == nil || !strings.Contains(err.Error(), "seed: "+file+": pools[1] (strict).Users[0] (bob): Password: InvalidPasswordException") {
		t.Fatalf("err = %v", err)
	}
	addr, _, stop := startServe(t, data, "--dev")
	defer stop()
	pools := callAPI(t, addr, "ListUserPools", map[string]any{"MaxResults": 10})
	if n := len(pools["UserPools"].([]any)); n != 0 {
		t.Fatalf("a refused seed left %d pools", n)
	}
}
