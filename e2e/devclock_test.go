package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDevClockJavaScript runs js/clock.dev.mjs with the AWS SDK for
// JavaScript v3 against a --dev server of its own: moving the server's
// clock would expire the tokens of every scenario sharing it. A --dev
// server accepts any signature and prints no generated key, so it is given
// a configured one, which the scenario signs with as usual.
func TestDevClockJavaScript(t *testing.T) {
	t.Parallel()
	_, nodeErr := exec.LookPath("node")
	requireTool(t, nodeErr == nil, "node is not installed")
	jsDir := filepath.Join(repoRoot, "e2e", "js")
	files := scenarioFiles(t, jsDir, "*.dev.mjs")
	s := launch(t, serverConfig{Key: devKey("CLOCKJS"), Args: []string{"--dev"}})
	args := append([]string{"--test", "--test-reporter=spec"}, files...)
	requireRecordedSecrets(t, s.runClient(t, jsDir, "node", args...))
}

// TestDevClockBoto3 runs py/devclock_*.py with boto3 against a --dev
// server of its own, for the same reason.
func TestDevClockBoto3(t *testing.T) {
	t.Parallel()
	_, pyErr := exec.LookPath("python3")
	requireTool(t, pyErr == nil, "python3 is not installed")
	requireTool(t, exec.Command("python3", "-c", "import boto3").Run() == nil, "python3 cannot import boto3")
	pyDir := filepath.Join(repoRoot, "e2e", "py")
	scenarioFiles(t, pyDir, "devclock_*.py")
	s := launch(t, serverConfig{Key: devKey("CLOCKPY"), Args: []string{"--dev"}})
	requireRecordedSecrets(t, s.runClient(t, pyDir, "python3", "-m", "unittest", "discover", "-s", ".", "-p", "devclock_*.py", "-v"))
}

// devKey is a configured admin key for a --dev server.
func devKey(name string) *adminKey {
	return &adminKey{AccessKeyID: "AKIAE2E" + name + strings.ToUpper(randomSuffix()), SecretAccessKey: "e2e/" + randomSuffix() + randomSuffix()}
}
