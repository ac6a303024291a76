#!/usr/bin/env bash
# Installs and checks what the end-to-end suite (go test ./e2e/) needs on a
# fresh machine: the AWS SDK for JavaScript v3 from e2e/js/package-lock.json
# (npm ci, only when node_modules is missing or the lock changed), and the
# tools the machine must already have: node and npm, python3 with boto3, and
# the AWS CLI; for the browser tests, Debian's chromium (apt-get, as root)
# and e2e/browser's packages. Nothing here downloads a browser of its own
# or a prebuilt binary.
#
# A missing tool is an error under CI (the suite would fail anyway) and a
# warning elsewhere (the affected tests skip).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()

if command -v node >/dev/null && command -v npm >/dev/null; then
	js=e2e/js
	stamp=$js/node_modules/.userpool-e2e-lock.sha256
	want=$(cat "$js/package.json" "$js/package-lock.json" | sha256sum | cut -d' ' -f1)
	if [ ! -d "$js/node_modules" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
		echo "== npm ci --prefix $js"
		# --ignore-scripts: no package may fetch anything of its own at
		# install time.
		npm ci --prefix "$js" --ignore-scripts --no-audit --no-fund
		printf '%s\n' "$want" >"$stamp"
	else
		echo "== $js/node_modules is up to date with package-lock.json"
	fi
else
	missing+=("node and npm (Node.js 20 or later) for the AWS SDK for JavaScript scenarios")
fi

# --- SRP scenarios (e2e/srp_test.go, e2e/srp/): amazon-cognito-identity-js
# and aws-amplify, from e2e/srp/package-lock.json ---
if command -v node >/dev/null && command -v npm >/dev/null; then
	srp=e2e/srp
	stamp=$srp/node_modules/.userpool-e2e-lock.sha256
	want=$(cat "$srp/package.json" "$srp/package-lock.json" | sha256sum | cut -d' ' -f1)
	if [ ! -d "$srp/node_modules" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
		echo "== npm ci --prefix $srp"
		npm ci --prefix "$srp" --ignore-scripts --no-audit --no-fund
		printf '%s\n' "$want" >"$stamp"
	else
		echo "== $srp/node_modules is up to date with package-lock.json"
	fi
fi

# --- Hosted-login browser tests (e2e/browser_test.go, e2e/browser/) ---
# Debian's chromium, driven by playwright-core through its executablePath,
# and openid-client; nothing here or in those packages downloads a browser.
if [ ! -x /usr/bin/chromium ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "== apt-get install chromium"
		apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
	else
		echo "e2e-deps: /usr/bin/chromium is missing; install Debian's package as root:" >&2
		echo "    apt-get update && apt-get install -y --no-install-recommends chromium" >&2
	fi
fi
if [ ! -x /usr/bin/chromium ]; then
	missing+=("chromium at /usr/bin/chromium (Debian's chromium package) for the hosted-login browser tests")
fi
if command -v node >/dev/null && command -v npm >/dev/null; then
	browser=e2e/browser
	stamp=$browser/node_modules/.userpool-e2e-lock.sha256
	want=$(cat "$browser/package.json" "$browser/package-lock.json" | sha256sum | cut -d' ' -f1)
	if [ ! -d "$browser/node_modules" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
		echo "== npm ci --prefix $browser"
		PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$browser" --ignore-scripts --no-audit --no-fund
		printf '%s\n' "$want" >"$stamp"
	else
		echo "== $browser/node_modules is up to date with package-lock.json"
	fi
fi
# --- end of the browser tests' block ---

if ! command -v python3 >/dev/null; then
	missing+=("python3 for the boto3 scenarios")
elif ! python3 -c 'import boto3' 2>/dev/null; then
	missing+=("boto3: python3 -c 'import boto3' fails ($(command -v python3))")
fi

if ! aws --version >/dev/null 2>&1; then
	missing+=("the AWS CLI: 'aws --version' fails")
fi

if [ ${#missing[@]} -gt 0 ]; then
	for m in "${missing[@]}"; do
		echo "e2e-deps: missing $m" >&2
	done
	if [ -n "${CI:-}" ]; then
		echo "e2e-deps: CI is set, so the end-to-end suite cannot run; install the tools above" >&2
		exit 1
	fi
	echo "e2e-deps: the end-to-end tests that need them will be skipped (they fail when CI is set)" >&2
fi
