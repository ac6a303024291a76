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
