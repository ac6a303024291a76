# Shared helpers for the AWS CLI scenarios (cli/*.sh), sourced by each.
# The Go test (e2e/clients_test.go) sets USERPOOL_ENDPOINT, the admin key
# (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) and E2E_SECRETS_FILE, and
# keeps the machine's own AWS configuration out of the way.
set -Eeuo pipefail
trap 'printf "FAIL: %s line %s: %s\n" "${BASH_SOURCE[0]}" "$LINENO" "$BASH_COMMAND" >&2' ERR

: "${USERPOOL_ENDPOINT:?is not set: run these scenarios through go test ./e2e/}"
: "${E2E_SECRETS_FILE:?is not set: run these scenarios through go test ./e2e/}"

# Call the real executables: a pyenv shim costs about half a second a call,
# which across a scenario's many calls is most of its time.
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
AWS_CLI=$(command -v aws)
if [[ $AWS_CLI == */shims/aws ]] && command -v pyenv >/dev/null; then
	AWS_CLI=$(pyenv which aws)
fi

# One attempt only: a request the server refuses or fails must show at
# once, not after the CLI's backoff.
export AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard

# idp runs `aws cognito-idp` against the server under test.
idp() {
	"$AWS_CLI" cognito-idp "$@" --endpoint-url "$USERPOOL_ENDPOINT" --region us-east-1 --output json
}

step() {
	printf '== %s\n' "$*"
}

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

# record_secret tells the harness about a password or secret this scenario
# used; the test fails if any of them shows up in the server's output.
record_secret() {
	printf '%s\n' "$1" >>"$E2E_SECRETS_FILE"
}

# suffix makes names unique: the scripts of the suite share one server.
suffix() {
	od -An -N5 -tx1 /dev/urandom | tr -d ' \n'
}

# new_password prints a recorded password satisfying the scenarios' pool
# policies (12+ characters, upper, lower, digit, symbol).
new_password() {
	local p
	p="Pw-$(suffix)-7Qx!"
	record_secret "$p"
	printf '%s' "$p"
}

# jget JSON EXPR [ARG...] prints the value of a Python expression over the
# decoded JSON `j` (and the arguments `a`; `re` is imported, and A(list)
# turns a list of {Name, Value} attributes into a dict), e.g.
# jget "$out" 'j["UserPool"]["Id"]'.
jget() {
	"$PYTHON" -c '
import json, re, sys
try:
    j = json.loads(sys.argv[1])
except ValueError:
    sys.exit("FAIL: the command printed no JSON: %r" % sys.argv[1])
a = sys.argv[3:]
A = lambda attrs: {x["Name"]: x.get("Value") for x in attrs or []}
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))
' "$@"
}

# check JSON EXPR [ARG...] fails the scenario unless the Python expression
# (as for jget) is true.
check() {
	"$PYTHON" -c '
import json, re, sys
try:
    j = json.loads(sys.argv[1])
except ValueError:
    sys.exit("FAIL: the command printed no JSON: %r" % sys.argv[1])
a = sys.argv[3:]
A = lambda attrs: {x["Name"]: x.get("Value") for x in attrs or []}
if not eval(sys.argv[2]):
    sys.exit("FAIL: %s (args %r) is false for:\n%s" % (sys.argv[2], a, json.dumps(j, indent=1)))
' "$@"
}

# expect_error CODE MESSAGE COMMAND... runs a command that must fail and
# checks the CLI's report: "An error occurred (CODE) when calling the X
# operation: MESSAGE" (with AWS_MAX_ATTEMPTS set, the CLI adds "(reached
# max retries: 0)" before the colon). MESSAGE is exact; expect_error_re
# takes a Python regular expression instead.
expect_error() {
	local code=$1 message=$2
	shift 2
	_expect_error "$code" "$("$PYTHON" -c 'import re, sys; print(re.escape(sys.argv[1]))' "$message")" "$@"
}

expect_error_re() {
	local code=$1 pattern=$2
	shift 2
	_expect_error "$code" "$pattern" "$@"
}

_expect_error() {
	local code=$1 pattern=$2 err
	shift 2
	if err=$("$@" 2>&1 >/dev/null); then
		fail "expected ($code) but the command succeeded: $*"
	fi
	"$PYTHON" -c '
import re, sys
code, pattern, err = sys.argv[1:4]
want = (r"An error occurred \(" + re.escape(code) + r"\) when calling the \w+ operation"
        r"(?: \(reached max retries: \d+\))?: (?:" + pattern + r")$")
if not any(re.fullmatch(want, line.strip()) for line in err.splitlines()):
    sys.exit("FAIL: want an error matching %s, got:\n%s" % (want, err))
' "$code" "$pattern" "$err"
}

# The pool every scenario starts from: a custom attribute and a password
# policy.
POLICY='{"PasswordPolicy":{"MinimumLength":12,"RequireUppercase":true,"RequireLowercase":true,"RequireNumbers":true,"RequireSymbols":false,"TemporaryPasswordValidityDays":3}}'
SCHEMA='[{"Name":"tier","AttributeDataType":"String","Mutable":true,"StringAttributeConstraints":{"MinLength":"1","MaxLength":"16"}}]'

# create_pool NAME prints the CreateUserPool output.
create_pool() {
	idp create-user-pool --pool-name "$1" --policies "$POLICY" --schema "$SCHEMA"
}
