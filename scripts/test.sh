#!/usr/bin/env bash
# The project's one test command (README, CI): installs what the tests
# need, then runs formatting and vet checks, every Go test with the race
# detector (the end-to-end suite with real clients included), and a bounded
# run of each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/e2e-deps.sh

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
go test -race -count=1 -timeout 20m ./...

# Each fuzz target runs for a bounded time; the corpus found stays local.
fuzztime=${FUZZTIME:-10s}
echo "== fuzz ($fuzztime each)"
for target in $(grep -rhoE '^func (Fuzz[A-Za-z0-9_]+)' --include='*_test.go' internal | sed 's/^func //' | sort -u); do
	pkg=$(dirname "$(grep -rlE "^func $target\(" --include='*_test.go' internal | head -1)")
	echo "-- $target ($pkg)"
	go test -run='^$' -fuzz="^$target\$" -fuzztime="$fuzztime" "./$pkg"
done
