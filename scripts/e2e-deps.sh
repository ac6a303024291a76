#!/usr/bin/env bash
# Installs and checks what the end-to-end suite (go test ./e2e/) needs on a
# fresh machine: the AWS SDK for JavaScript v3 from e2e/js/package-lock.json
# (npm ci, only when node_modules is missing or the lock changed), and the
# tools the machine must already have: node and npm, python3 with boto3, and
# the AWS CLI. Nothing here downloads a browser or a prebuilt binary.
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
