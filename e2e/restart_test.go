package e2e

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/userpool/userpool/client"
)

// TestDataSurvivesRestart creates a pool and a user with the AWS CLI, stops
// the server with SIGTERM, starts it again on the same data directory, and
// finds both, signed with the key generated on the first start.
func TestDataSurvivesRestart(t *testing.T) {
	t.Parallel()
	_, awsErr := exec.LookPath("aws")
	requireTool(t, awsErr == nil, "the AWS CLI (aws) is not installed")

	first := startServer(t)
	name := "restart-" + randomSuffix()
	created := first.awsCLI(t, "create-user-pool", "--pool-name", name,
		"--schema", `[{"Name":"team","AttributeDataType":"String","Mutable":true}]`)
	poolID := jsonString(t, created, "UserPool", "Id")
	password := "Tmp-" + randomSuffix() + "-9aA!"
	first.addSecrets(password)
	first.awsCLI(t, "admin-create-user", "--user-pool-id", poolID, "--username", "carol",
		"--temporary-password", password, "--message-action", "SUPPRESS",
		"--user-attributes", "Name=custom:team,Value=blue")
	first.Stop()

	second := launch(t, serverConfig{DataDir: first.DataDir, ExpectKey: &first.Key})
	second.addSecrets(password)
	described := second.awsCLI(t, "describe-user-pool", "--user-pool-id", poolID)
	if got := jsonString(t, described, "UserPool", "Name"); got != name {
		t.Errorf("after restart, pool name = %q, want %q", got, name)
	}
	if !hasSchemaAttribute(described, "custom:team") {
		t.Errorf("after restart, the pool lost its custom attribute custom:team: %v", described["UserPool"])
	}
	user := second.awsCLI(t, "admin-get-user", "--user-pool-id", poolID, "--username", "carol")
	if got := jsonString(t, user, "UserStatus"); got != "FORCE_CHANGE_PASSWORD" {
		t.Errorf("after restart, UserStatus = %q, want FORCE_CHANGE_PASSWORD", got)
	}
	if got := attributeValue(user, "UserAttributes", "custom:team"); got != "blue" {
		t.Errorf("after restart, custom:team = %q, want blue", got)
	}
}

// TestGeneratedKeySurvivesRestart signs with aws-sdk-go-v2: the key pair
// generated and printed on the first start is kept in the data directory
// (mode 0600), accepted after a restart, and not printed again; a wrong
// secret is still refused.
func TestGeneratedKeySurvivesRestart(t *testing.T) {
	t.Parallel()
	first := startServer(t)
	ctx := clientContext(t, 30*time.Second)
	name := "gokey-" + randomSuffix()
	out, err := goClient(first.Endpoint, first.Key).CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateUserPool with the printed key: %v", err)
	}
	poolID := aws.ToString(out.UserPool.Id)

	info, err := os.Stat(filepath.Join(first.DataDir, "admin-keys.json"))
	if err != nil {
		t.Fatalf("the generated key is not kept in the data directory: %v", err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("admin-keys.json mode = %o, want 600", mode)
	}
	first.Stop()

	second := launch(t, serverConfig{DataDir: first.DataDir, ExpectKey: &first.Key})
	desc, err := goClient(second.Endpoint, first.Key).DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		t.Fatalf("DescribeUserPool with the first start's key after a restart: %v", err)
	}
	if got := aws.ToString(desc.UserPool.Name); got != name {
		t.Errorf("pool name = %q, want %q", got, name)
	}

	wrong := adminKey{AccessKeyID: first.Key.AccessKeyID, SecretAccessKey: "wrong" + first.Key.SecretAccessKey[5:]}
	_, err = goClient(second.Endpoint, wrong).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantGoAPIError(t, err, "InvalidSignatureException", 400)
}

// TestConfiguredAdminKey starts the server with USERPOOL_ADMIN_ACCESS_KEY_ID
// and USERPOOL_ADMIN_SECRET_ACCESS_KEY: that pair is accepted, no pair is
// generated or printed, and an unknown key id is refused.
func TestConfiguredAdminKey(t *testing.T) {
	t.Parallel()
	key := adminKey{AccessKeyID: "AKIAE2E" + strings.ToUpper(randomSuffix()), SecretAccessKey: "e2e/" + randomSuffix() + randomSuffix()}
	s := launch(t, serverConfig{Key: &key})
	ctx := clientContext(t, 30*time.Second)
	if _, err := goClient(s.Endpoint, key).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
		t.Fatalf("ListUserPools with the configured key: %v", err)
	}
	other := adminKey{AccessKeyID: "AKIAE2EUNKNOWN000000", SecretAccessKey: key.SecretAccessKey}
	_, err := goClient(s.Endpoint, other).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantGoAPIError(t, err, "UnrecognizedClientException", 400)
}

// goClient is aws-sdk-go-v2's Cognito client signing with key, without
// retries so a refused request fails at once, set up with
// client.WithEndpoint as the README tells Go users to.
func goClient(endpoint string, key adminKey) *cip.Client {
	cfg := aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(key.AccessKeyID, key.SecretAccessKey, ""),
		RetryMaxAttempts: 1,
	}
	return cip.NewFromConfig(cfg, client.WithEndpoint(endpoint))
}

// wantGoAPIError checks the error code and HTTP status aws-sdk-go-v2
// surfaces. Cognito answers signature failures with 400, as captures of the
// real service show.
func wantGoAPIError(t *testing.T, err error, code string, status int) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("got %v, want API error %s", err, code)
	}
	if apiErr.ErrorCode() != code {
		t.Errorf("error code = %q (%v), want %q", apiErr.ErrorCode(), err, code)
	}
	var respErr *awshttp.ResponseError
	if !errors.As(err, &respErr) {
		t.Fatalf("%v carries no HTTP response", err)
	}
	if got := respErr.HTTPStatusCode(); got != status {
		t.Errorf("HTTP status = %d, want %d", got, status)
	}
}

// awsCLI runs `aws cognito-idp ARGS` against the server with its admin key
// and returns the decoded JSON output, failing the test on a non-zero exit.
func (s *server) awsCLI(t *testing.T, args ...string) map[string]any {
	t.Helper()
	ctx := clientContext(t, 60*time.Second)
	full := append([]string{"cognito-idp"}, args...)
	full = append(full, "--endpoint-url", s.Endpoint, "--region", "us-east-1", "--output", "json")
	cmd := exec.CommandContext(ctx, awsExecutable(), full...)
	cmd.Env = s.clientEnv(s.Key, filepath.Join(t.TempDir(), "secrets"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(full, " "), err, stderr.String())
	}
	m := map[string]any{}
	if len(strings.TrimSpace(string(out))) > 0 {
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("aws %s printed no JSON object: %v\n%s", strings.Join(full, " "), err, out)
		}
	}
	return m
}

// awsExecutable is the AWS CLI to run. A pyenv shim costs about half a
// second a call, so the real executable behind it is used when there is one.
var awsExecutable = sync.OnceValue(func() string {
	path, err := exec.LookPath("aws")
	if err != nil {
		return "aws"
	}
	if strings.Contains(path, string(filepath.Separator)+"shims"+string(filepath.Separator)) {
		if out, err := exec.Command("pyenv", "which", "aws").Output(); err == nil {
			if real := strings.TrimSpace(string(out)); real != "" {
				return real
			}
		}
	}
	return path
})

// jsonString follows keys through decoded JSON objects to a string.
func jsonString(t *testing.T, v any, keys ...string) string {
	t.Helper()
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("no object at %q in %v", k, v)
		}
		v = m[k]
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%s is %v, not a string", strings.Join(keys, "."), v)
	}
	return s
}

// hasSchemaAttribute reports whether a DescribeUserPool output lists the
// attribute.
func hasSchemaAttribute(out map[string]any, name string) bool {
	pool, _ := out["UserPool"].(map[string]any)
	attrs, _ := pool["SchemaAttributes"].([]any)
	for _, a := range attrs {
		if m, _ := a.(map[string]any); m["Name"] == name {
			return true
		}
	}
	return false
}

// attributeValue returns the value of the named attribute in a list of
// {Name, Value} objects.
func attributeValue(out map[string]any, list, name string) string {
	attrs, _ := out[list].([]any)
	for _, a := range attrs {
		if m, _ := a.(map[string]any); m["Name"] == name {
			s, _ := m["Value"].(string)
			return s
		}
	}
	return ""
}

// randomSuffix makes names unique across tests sharing nothing but the
// machine, and passwords nobody else uses.
func randomSuffix() string {
	return strings.ToLower(rand.Text()[:10])
}
