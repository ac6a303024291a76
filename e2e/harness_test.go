package e2e

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The harness's own checks: if these were wrong, the leak check and the
// key parsing would pass or fail for the wrong reason.

func TestParseAdminKey(t *testing.T) {
	stdout := "Generated an admin key pair (stored in /tmp/x/admin-keys.json):\n" +
		"  AWS_ACCESS_KEY_ID=AKUPABCDEFGHIJKLMNOP\n" +
		"  AWS_SECRET_ACCESS_KEY=abc+/DEF0123\n"
	got, ok := parseAdminKey(stdout)
	if !ok {
		t.Fatal("parseAdminKey found no key")
	}
	want := adminKey{AccessKeyID: "AKUPABCDEFGHIJKLMNOP", SecretAccessKey: "abc+/DEF0123"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parseAdminKey (-want +got):\n%s", diff)
	}
	if _, ok := parseAdminKey("userpool listening addr=127.0.0.1:1\n"); ok {
		t.Error("parseAdminKey found a key in output that prints none")
	}
	if _, ok := parseAdminKey("  AWS_ACCESS_KEY_ID=AKUPABCDEFGHIJKLMNOP\n"); ok {
		t.Error("parseAdminKey accepted a key id without its secret")
	}
}

func TestLeakedSecrets(t *testing.T) {
	log := "time=... level=INFO msg=request action=AdminCreateUser status=200\n" +
		"time=... level=DEBUG msg=oops password=Hunter2-Secret!\n"
	got := leakedSecrets(log, []string{"Hunter2-Secret!", "never-logged-9", ""})
	if diff := cmp.Diff([]string{"Hunter2-Secret!"}, got); diff != "" {
		t.Errorf("leakedSecrets (-want +got):\n%s", diff)
	}
	if got := leakedSecrets(log, nil); len(got) != 0 {
		t.Errorf("leakedSecrets with no secrets = %v", got)
	}
}

func TestErrorLines(t *testing.T) {
	log := "time=1 level=INFO msg=request status=200\n" +
		"time=2 level=ERROR msg=\"internal error\" action=ListUsers\n" +
		`{"time":"3","level":"ERROR","msg":"internal error"}` + "\n" +
		"time=4 level=WARN msg=slow\n"
	want := []string{
		`time=2 level=ERROR msg="internal error" action=ListUsers`,
		`{"time":"3","level":"ERROR","msg":"internal error"}`,
	}
	if diff := cmp.Diff(want, errorLines(log)); diff != "" {
		t.Errorf("errorLines (-want +got):\n%s", diff)
	}
}

func TestRedact(t *testing.T) {
	if got := redact("Hunter2-Secret!"); got != "Hunt... (15 characters)" {
		t.Errorf("redact = %q", got)
	}
	if got := redact("abc"); got != "3 characters" {
		t.Errorf("redact short = %q", got)
	}
}
