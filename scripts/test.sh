#!/usr/bin/env bash
# The project's one test command (README, CI): installs what the tests
# need, then runs formatting and vet checks, every Go test with the race
# detector (the end-to-end suite with real clients included), and a bounded
# run of each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/e2e-deps.sh

# The PostgreSQL backend's tests need the machine's PostgreSQL (trust auth on
# 127.0.0.1:5432); under CI they fail rather than skip without it, so start
# it when it is installed but stopped.
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
	if command -v pg_ctlcluster >/dev/null; then
		echo "== starting PostgreSQL"
		pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
	fi
fi

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' | grep -v '^e2e/js/node_modules/'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"
	echo "$unformatted"
	exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test -race"
# The race detector also turns on checkptr, which checks every unsafe
# pointer conversion; the pure-Go SQLite (modernc.org) makes millions of
# them, so a quarter of the suite's time went to checking code that is not
# ours (a profile of internal/api's tests: 49 s with, 37.5 s without). It
# stays on for every other package, and the race detector for all.
go test -race -gcflags='modernc.org/...=-d=checkptr=0' -count=1 -timeout 20m ./...

# Each fuzz target runs for a bounded time, every (package, target) pair:
# two packages may each have a FuzzVerify. An input that fails is written
# by go test to the package's testdata/fuzz/<target>/, where it stays (and
# is committed with the fix) so every later plain go test replays it; the
# inputs that only widened coverage stay in the local build cache.
fuzztime=${FUZZTIME:-10s}
echo "== fuzz ($fuzztime each)"
grep -rHoE '^func Fuzz[A-Za-z0-9_]+' --include='*_test.go' internal client cmd |
	sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]+)$#\1 \2#' | sort -u |
	while read -r pkg target; do
		echo "-- $target ($pkg)"
		go test -run='^$' -fuzz="^$target\$" -fuzztime="$fuzztime" "./$pkg" </dev/null
	done
