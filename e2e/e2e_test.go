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
	args := []string{"build", "-o", binary}
	if raceEnabled {
		// The server under test runs with the detector whenever the tests
		// do, so a data race the suite provokes in it fails the run.
		args = append(args, "-race")
	}
	build := exec.Command(goTool(), append(args, "./cmd/userpool")...)
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
