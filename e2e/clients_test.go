package e2e

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// suiteTimeout bounds one client's whole suite; the three together are
// meant to finish well inside the e2e budget of about three minutes.
const suiteTimeout = 150 * time.Second

// TestJavaScript runs js/*.test.mjs with node's built-in test runner, the
// AWS SDK for JavaScript v3 and aws-jwt-verify against a fresh server.
func TestJavaScript(t *testing.T) {
	t.Parallel()
	_, nodeErr := exec.LookPath("node")
	requireTool(t, nodeErr == nil, "node is not installed")
	_, npmErr := exec.LookPath("npm")
	requireTool(t, npmErr == nil, "npm is not installed")
	jsDir := filepath.Join(repoRoot, "e2e", "js")
	for _, pkg := range []string{"@aws-sdk/client-cognito-identity-provider", "aws-jwt-verify"} {
		_, modErr := os.Stat(filepath.Join(jsDir, "node_modules", filepath.FromSlash(pkg)))
		requireTool(t, modErr == nil, "e2e/js/node_modules lacks "+pkg)
	}

	files := scenarioFiles(t, jsDir, "*.test.mjs")
	s := startServer(t)
	args := append([]string{"--test", "--test-reporter=spec"}, files...)
	requireRecordedSecrets(t, s.runClient(t, jsDir, "node", args...))
}

// TestBoto3 runs py/test_*.py with python3 -m unittest and boto3 against a
// fresh server.
func TestBoto3(t *testing.T) {
	t.Parallel()
	_, pyErr := exec.LookPath("python3")
	requireTool(t, pyErr == nil, "python3 is not installed")
	requireTool(t, exec.Command("python3", "-c", "import boto3").Run() == nil, "python3 cannot import boto3")

	pyDir := filepath.Join(repoRoot, "e2e", "py")
	scenarioFiles(t, pyDir, "test_*.py")
	s := startServer(t)
	requireRecordedSecrets(t, s.runClient(t, pyDir, "python3", "-m", "unittest", "discover", "-s", ".", "-p", "test_*.py", "-v"))
}

// TestCLI runs each cli/*.sh as a parallel subtest, all against one fresh
// server: every AWS CLI call starts a Python interpreter, so the scripts
// are the slowest part of the suite and overlap well with each other.
func TestCLI(t *testing.T) {
	t.Parallel()
	_, awsErr := exec.LookPath("aws")
	requireTool(t, awsErr == nil, "the AWS CLI (aws) is not installed")
	_, bashErr := exec.LookPath("bash")
	requireTool(t, bashErr == nil, "bash is not installed")

	cliDir := filepath.Join(repoRoot, "e2e", "cli")
	files := scenarioFiles(t, cliDir, "*.sh")
	s := startServer(t)
	var recorded atomic.Int64
	t.Cleanup(func() { requireRecordedSecrets(t, int(recorded.Load())) })
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".sh"), func(t *testing.T) {
			t.Parallel()
			recorded.Add(int64(s.runClient(t, cliDir, "bash", f)))
		})
	}
}

// requireRecordedSecrets fails a suite whose scripts recorded no password
// or client secret: the log check would then cover only the admin key.
func requireRecordedSecrets(t *testing.T, n int) {
	t.Helper()
	if n == 0 && !t.Failed() {
		t.Error("the suite recorded no secrets in E2E_SECRETS_FILE, so the log check proves little")
	}
}

// scenarioFiles lists a suite's scripts; an empty suite is a mistake, not a
// pass.
func scenarioFiles(t *testing.T, dir, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no %s scenarios in %s", pattern, dir)
	}
	slices.Sort(files)
	return files
}

// runClient runs a client's scenario command in dir with the endpoint and
// admin key in its environment, fails the test with its output on a
// non-zero exit, and registers every secret it recorded for the log check.
// It returns how many secrets the command recorded.
func (s *server) runClient(t *testing.T, dir, name string, args ...string) int {
	t.Helper()
	secretsFile := filepath.Join(t.TempDir(), "secrets")
	ctx := clientContext(t, suiteTimeout)
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = s.clientEnv(s.Key, secretsFile)
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start).Round(time.Millisecond)

	secrets, readErr := readSecrets(secretsFile)
	if readErr != nil && !errors.Is(readErr, fs.ErrNotExist) {
		t.Errorf("read the secrets the scenario recorded: %v", readErr)
	}
	s.addSecrets(secrets...)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Fatalf("%s did not finish within %s:\n%s", name, suiteTimeout, out)
		}
		t.Fatalf("%s %s failed after %s: %v\n%s", name, strings.Join(args, " "), elapsed, err, out)
	}
	t.Logf("%s finished in %s:\n%s", name, elapsed, out)
	return len(secrets)
}

// clientEnv is what a scenario script sees: the endpoint, the admin key,
// the region, and settings that stop the machine's own AWS configuration
// (profiles, instance metadata) from taking part.
func (s *server) clientEnv(key adminKey, secretsFile string) []string {
	return append(cleanEnv(),
		"USERPOOL_ENDPOINT="+s.Endpoint,
		"AWS_ACCESS_KEY_ID="+key.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY="+key.SecretAccessKey,
		"AWS_REGION=us-east-1",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_PAGER=",
		"E2E_SECRETS_FILE="+secretsFile,
		"PYTHONDONTWRITEBYTECODE=1",
		"PYTHONUNBUFFERED=1",
		"NO_COLOR=1",
	)
}

// readSecrets reads the secrets a script recorded, one a line.
func readSecrets(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v := strings.TrimRight(sc.Text(), "\r"); v != "" {
			out = append(out, v)
		}
	}
	return out, sc.Err()
}
