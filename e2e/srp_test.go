package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestSRPJavaScript signs in with USER_SRP_AUTH and remembered devices
// through the two JavaScript libraries apps use for it, each doing its own
// SRP maths: amazon-cognito-identity-js (authenticateUser, refreshSession,
// setDeviceStatusRemembered, DEVICE_SRP_AUTH) and aws-amplify v6 (signIn,
// fetchAuthSession({ forceRefresh: true }), rememberDevice). The scenarios
// are srp/*.test.mjs; this test creates their pools and users with
// aws-sdk-go-v2 and checks afterwards what the libraries left behind.
func TestSRPJavaScript(t *testing.T) {
	t.Parallel()
	dir := srpDir(t)
	files := scenarioFiles(t, dir, "*.test.mjs")

	s := startServer(t)
	ctx := clientContext(t, 2*time.Minute)
	c := goClient(s.Endpoint, s.Key)
	suffix := randomSuffix()
	password := "Srp-" + suffix + "-5xX!"
	s.addSecrets(password)

	newPool := func(name string, devices *types.DeviceConfigurationType) (poolID, clientID string) {
		t.Helper()
		p, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name + "-" + suffix), DeviceConfiguration: devices})
		if err != nil {
			t.Fatalf("CreateUserPool: %v", err)
		}
		poolID = aws.ToString(p.UserPool.Id)
		// A public client with Cognito's default flows (SRP, refresh,
		// custom), as the JavaScript libraries expect.
		cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("srp-e2e")})
		if err != nil {
			t.Fatalf("CreateUserPoolClient: %v", err)
		}
		return poolID, aws.ToString(cl.UserPoolClient.ClientId)
	}
	plainPool, plainClient := newPool("e2e-srp", nil)
	devicePool, deviceClient := newPool("e2e-srp-devices", &types.DeviceConfigurationType{DeviceOnlyRememberedOnUserPrompt: true})

	env := []string{
		"SRP_POOL_ID=" + plainPool, "SRP_CLIENT_ID=" + plainClient,
		"SRP_DEVICE_POOL_ID=" + devicePool, "SRP_DEVICE_CLIENT_ID=" + deviceClient,
		"SRP_PASSWORD=" + password,
	}
	users := map[string]string{}
	for _, u := range []struct{ key, pool string }{
		{"PLAIN", plainPool}, {"DEVICE", devicePool}, {"AMPLIFY", plainPool}, {"AMPLIFY_DEVICE", devicePool},
	} {
		name := strings.ToLower(strings.ReplaceAll(u.key, "_", "-")) + "-" + suffix
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(u.pool), Username: aws.String(name), MessageAction: types.MessageActionTypeSuppress,
		}); err != nil {
			t.Fatalf("AdminCreateUser(%s): %v", name, err)
		}
		if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
			UserPoolId: aws.String(u.pool), Username: aws.String(name), Password: aws.String(password), Permanent: true,
		}); err != nil {
			t.Fatalf("AdminSetUserPassword(%s): %v", name, err)
		}
		users[u.key] = name
		env = append(env, "SRP_USER_"+u.key+"="+name)
	}

	s.runSRPScenarios(t, dir, files, env)

	// What the libraries left: identity-js forgot its device at the end,
	// Amplify's is still there and remembered.
	for _, tc := range []struct {
		user string
		want int
	}{{users["DEVICE"], 0}, {users["AMPLIFY_DEVICE"], 1}} {
		out, err := c.AdminListDevices(ctx, &cip.AdminListDevicesInput{UserPoolId: aws.String(devicePool), Username: aws.String(tc.user)})
		if err != nil {
			t.Fatalf("AdminListDevices(%s): %v", tc.user, err)
		}
		if len(out.Devices) != tc.want {
			t.Errorf("AdminListDevices(%s): %d devices, want %d", tc.user, len(out.Devices), tc.want)
		}
		for _, d := range out.Devices {
			for _, a := range d.DeviceAttributes {
				if aws.ToString(a.Name) == "dev:device_remembered_status" && aws.ToString(a.Value) != "remembered" {
					t.Errorf("%s's device %s is %s", tc.user, aws.ToString(d.DeviceKey), aws.ToString(a.Value))
				}
			}
		}
	}
}

// TestSRPEmailMFA runs srp/*.dev.mjs: aws-amplify v6 sets up e-mail MFA
// inside the MFA_SETUP challenge (CONTINUE_SIGN_IN_WITH_EMAIL_SETUP) and
// signs in with e-mail codes, which the scenario reads from the
// development outbox. The outbox exists only under --dev, so these
// scenarios have a server of their own, and their name keeps them out of
// TestSRPJavaScript's *.test.mjs. They create their pools themselves and
// get only the password for their users.
//
// A --dev server accepts any signature and prints no generated key, so it
// is given a configured one, which the scenarios sign with as usual.
func TestSRPEmailMFA(t *testing.T) {
	t.Parallel()
	dir := srpDir(t)
	files := scenarioFiles(t, dir, "*.dev.mjs")

	key := &adminKey{AccessKeyID: "AKIAE2ESRPDEV" + strings.ToUpper(randomSuffix()), SecretAccessKey: "e2e/" + randomSuffix() + randomSuffix()}
	s := launch(t, serverConfig{Key: key, Args: []string{"--dev"}})
	password := "Srp-" + randomSuffix() + "-5xX!"
	s.addSecrets(password)
	s.runSRPScenarios(t, dir, files, []string{"SRP_PASSWORD=" + password})
}

// srpDir returns the SRP scenarios' folder, skipping the test (failing it
// under CI) when node or the two libraries are missing.
func srpDir(t *testing.T) string {
	t.Helper()
	_, nodeErr := exec.LookPath("node")
	requireTool(t, nodeErr == nil, "node is not installed")
	dir := filepath.Join(repoRoot, "e2e", "srp")
	for _, pkg := range []string{"amazon-cognito-identity-js", "aws-amplify"} {
		_, err := os.Stat(filepath.Join(dir, "node_modules", pkg))
		requireTool(t, err == nil, "e2e/srp/node_modules lacks "+pkg)
	}
	return dir
}

// runSRPScenarios runs the scenario files with node's test runner, with
// the endpoint, the admin key and env in their environment, registers the
// secrets they recorded, and fails the test with their output when they
// fail.
func (s *server) runSRPScenarios(t *testing.T, dir string, files, env []string) {
	t.Helper()
	secretsFile := filepath.Join(t.TempDir(), "secrets")
	ctx := clientContext(t, suiteTimeout)
	cmd := exec.CommandContext(ctx, "node", append([]string{"--test", "--test-reporter=spec"}, files...)...)
	cmd.Dir = dir
	cmd.Env = append(s.clientEnv(s.Key, secretsFile), env...)
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	secrets, readErr := readSecrets(secretsFile)
	if readErr != nil && !os.IsNotExist(readErr) {
		t.Errorf("read the secrets the scenarios recorded: %v", readErr)
	}
	s.addSecrets(secrets...)
	if err != nil {
		t.Fatalf("node --test failed after %s: %v\n%s", time.Since(start).Round(time.Millisecond), err, out)
	}
	requireRecordedSecrets(t, len(secrets))
	t.Logf("node --test finished in %s:\n%s", time.Since(start).Round(time.Millisecond), out)
}
