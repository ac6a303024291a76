package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBoto3Lifecycle runs py/test_lifecycle.py with boto3 against a server
// started with --dev: the scenario signs up, reads its codes from the
// development outbox (GET /_dev/messages), confirms, signs in, resets the
// password and signs in again. py/test_import.py completes the reset of
// an imported user here. py/test_user_auth.py, which signs in with
// one-time codes from the outbox (USER_AUTH), runs here too. The outbox
// exists only under --dev, so this suite has its own server; under
// TestBoto3 the same files check that a server without --dev has no
// outbox, or do not run.
//
// A --dev server accepts any signature and prints no generated key, so it
// is given a configured one, which its clients sign with as usual.
func TestBoto3Lifecycle(t *testing.T) {
	t.Parallel()
	_, pyErr := exec.LookPath("python3")
	requireTool(t, pyErr == nil, "python3 is not installed")
	requireTool(t, exec.Command("python3", "-c", "import boto3").Run() == nil, "python3 cannot import boto3")

	pyDir := filepath.Join(repoRoot, "e2e", "py")
	key := &adminKey{AccessKeyID: "AKIAE2ELIFE" + strings.ToUpper(randomSuffix()), SecretAccessKey: "e2e/" + randomSuffix() + randomSuffix()}
	s := launch(t, serverConfig{Key: key, Args: []string{"--dev"}})
	// env adds the variable that turns the scenario on; the rest of the
	// environment is the harness's.
	requireRecordedSecrets(t, s.runClient(t, pyDir, "env", "E2E_DEV_OUTBOX=1", "python3", "-m", "unittest", "-v", "test_lifecycle", "test_user_auth", "test_import"))
}
