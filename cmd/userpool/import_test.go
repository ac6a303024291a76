package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/testserver"
)

const importTestHeader = "name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website," +
	"email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at," +
	"cognito:mfa_enabled,cognito:username\n"

// importTestRow is a row of importTestHeader for a user with an e-mail.
func importTestRow(username, email, verified string) string {
	return ",,,,,,,,," + email + "," + verified + ",,,,,,,,,false," + username + "\n"
}

func importTestServer(t *testing.T) (*testserver.Stack, string, map[string]string) {
	t.Helper()
	s := testserver.New(t)
	pool, err := s.Service.CreatePool(t.Context(), &cognito.CreateUserPoolInput{PoolName: "import", AutoVerifiedAttributes: []string{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"AWS_ACCESS_KEY_ID": testserver.AdminKeyID, "AWS_SECRET_ACCESS_KEY": testserver.AdminSecret}
	return s, pool.ID, env
}

func writeCSV(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportCommand(t *testing.T) {
	s, pool, env := importTestServer(t)
	file := writeCSV(t, importTestHeader+importTestRow("alice", "alice@example.com", "true")+importTestRow("bob", "bob@example.com", "true"))
	var out bytes.Buffer
	err := run(t.Context(), []string{"userpool", "import", "--endpoint", s.URL, "--pool-id", pool, "--file", file, "--poll", "10ms"},
		func(k string) string { return env[k] }, strings.NewReader(""), &out, &out)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	for _, want := range []string{"created job import-", "uploaded " + file + " (2 rows)", "Succeeded: 2/2 rows (2 imported, 0 failed, 0 skipped)",
		"Succeeded: 2 imported, 0 failed, 0 skipped", "Import Job Completed Successfully."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	u, err := s.Service.AdminGetUser(t.Context(), &cognito.AdminGetUserInput{UserPoolID: pool, Username: "bob"})
	if err != nil || u.UserStatus != cognito.UserStatusResetRequired {
		t.Errorf("imported bob = %+v, %v", u, err)
	}

	// Rows that fail make the command fail, after saying so.
	out.Reset()
	file = writeCSV(t, importTestHeader+importTestRow("alice", "alice@example.com", "true")+importTestRow("carol", "carol@example.com", "true"))
	err = run(t.Context(), []string{"userpool", "import", "--endpoint", s.URL, "--pool-id", pool, "--file", file, "--poll", "10ms"},
		func(k string) string { return env[k] }, strings.NewReader(""), &out, &out)
	if err == nil || !strings.Contains(err.Error(), "1 users failed to import") || !strings.Contains(out.String(), "1 imported, 1 failed") {
		t.Errorf("import with a duplicate: err = %v\n%s", err, out.String())
	}
	// A header that is not the pool's fails the job, and the command.
	out.Reset()
	file = writeCSV(t, "cognito:username\nzed\n")
	err = run(t.Context(), []string{"userpool", "import", "--endpoint", s.URL, "--pool-id", pool, "--file", file, "--poll", "10ms"},
		func(k string) string { return env[k] }, strings.NewReader(""), &out, &out)
	if err == nil || !strings.Contains(err.Error(), "ended Failed") {
		t.Errorf("import with a bad header: err = %v\n%s", err, out.String())
	}
}

// TestImportCommandTerminal: on a terminal the progress is a bar.
func TestImportCommandTerminal(t *testing.T) {
	s, pool, env := importTestServer(t)
	file := writeCSV(t, importTestHeader+importTestRow("dora", "dora@example.com", "true"))
	c := newConsole(t)
	done := c.runOn(env, "import", "--endpoint", s.URL, "--pool-id", pool, "--file", file, "--poll", "10ms")
	c.waitFor("[##############################] 100% 1/1 rows (1 imported, 0 failed, 0 skipped) Succeeded")
	if err := wait(t, done); err != nil {
		t.Fatalf("import: %v\n%s", err, c.out)
	}
}
