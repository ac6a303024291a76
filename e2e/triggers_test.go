package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTriggers runs the Lambda trigger scenarios (js/*.lambda.mjs with the
// AWS SDK for JavaScript v3, py/lambda_*.py with boto3) against a --dev
// server started with --lambda-endpoint pointing at lambda/host.mjs: a small
// host of the Lambda Invoke API that runs the handlers of
// lambda/functions, written as teams write real triggers. The server
// signs its invocations with dummy credentials, since the clean
// environment has none, as it would talking to sam local.
func TestTriggers(t *testing.T) {
	t.Parallel()
	_, nodeErr := exec.LookPath("node")
	requireTool(t, nodeErr == nil, "node is not installed")
	_, pyErr := exec.LookPath("python3")
	requireTool(t, pyErr == nil, "python3 is not installed")
	requireTool(t, exec.Command("python3", "-c", "import boto3").Run() == nil, "python3 cannot import boto3")
	jsDir := filepath.Join(repoRoot, "e2e", "js")
	_, modErr := os.Stat(filepath.Join(jsDir, "node_modules", "@aws-sdk", "client-cognito-identity-provider"))
	requireTool(t, modErr == nil, "e2e/js/node_modules lacks @aws-sdk/client-cognito-identity-provider")

	endpoint := startFunctionHost(t)
	// --dev for the outbox (GET /_dev/messages), where the custom
	// messages are read back.
	s := launch(t, serverConfig{Key: devKey("TRIGGERS"), Args: []string{"--dev", "--lambda-endpoint", endpoint}})
	n := s.runClient(t, jsDir, "node", append([]string{"--test", "--test-reporter=spec"}, scenarioFiles(t, jsDir, "*.lambda.mjs")...)...)
	pyDir := filepath.Join(repoRoot, "e2e", "py")
	var modules []string
	for _, f := range scenarioFiles(t, pyDir, "lambda_*.py") {
		modules = append(modules, strings.TrimSuffix(filepath.Base(f), ".py"))
	}
	n += s.runClient(t, pyDir, "python3", append([]string{"-m", "unittest", "-v"}, modules...)...)
	requireRecordedSecrets(t, n)
}

// startFunctionHost starts lambda/host.mjs and returns its endpoint; it is
// stopped when the test ends.
func startFunctionHost(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("node", filepath.Join(repoRoot, "e2e", "lambda", "host.mjs"))
	cmd.Env = cleanEnv()
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
				port <- p
			}
		}
	}()
	select {
	case p := <-port:
		return "http://127.0.0.1:" + p
	case <-time.After(10 * time.Second):
		t.Fatal("lambda/host.mjs did not start listening within 10 s")
		return ""
	}
}
