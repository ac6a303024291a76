// Package e2e drives the real userpool binary with real clients: the AWS
// SDK for JavaScript v3 (js/), boto3 (py/), the AWS CLI (cli/) and
// aws-sdk-go-v2. TestMain builds the binary once; every test starts its own
// server on a free loopback port with a fresh data directory, exactly as a
// user would (`userpool serve`, without --dev, so SigV4 is checked), and
// stops it with SIGTERM.
//
// Adding a scenario: drop a file into js/ (*.test.mjs, node --test), py/
// (test_*.py, unittest) or cli/ (*.sh, bash). Each gets the endpoint and the
// admin key in USERPOOL_ENDPOINT, AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, and writes every password or secret it uses to
// E2E_SECRETS_FILE (helpers.mjs, e2ehelpers.py and lib.bash do this), so the
// harness can check that none of them reaches the server's log.
//
// Dependencies: scripts/e2e-deps.sh. Missing node, npm, boto3 or the AWS
// CLI skip the affected tests locally and fail them when CI is set.
package e2e

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// binary is the userpool executable built by TestMain.
var binary string

// repoRoot is the repository root; go test runs in the package directory.
var repoRoot string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	flag.Parse()
	root, err := filepath.Abs("..")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	repoRoot = root
	dir, err := os.MkdirTemp("", "userpool-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "userpool")
	start := time.Now()
	build := exec.Command(goTool(), "build", "-o", binary, "./cmd/userpool")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/userpool: %v\n%s", err, out)
		return 1
	}
	if testing.Verbose() {
		fmt.Printf("e2e: built %s in %s\n", binary, time.Since(start).Round(time.Millisecond))
	}
	return m.Run()
}

// goTool finds the go command: go test puts GOROOT/bin first on PATH, and
// GOROOT covers a test binary started by hand.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	if root := os.Getenv("GOROOT"); root != "" {
		return filepath.Join(root, "bin", "go")
	}
	return "go"
}

// inCI reports whether missing client tools must fail the suite rather than
// skip it: CI must never pass by testing nothing.
func inCI() bool {
	return os.Getenv("CI") != ""
}

// requireTool fails the test under CI, and skips it elsewhere, when ok is
// false.
func requireTool(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	msg := what + " (install the end-to-end dependencies with scripts/e2e-deps.sh)"
	if inCI() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
