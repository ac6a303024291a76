#!/usr/bin/env bash
# ListUsers with filters on a seeded pool, three runs; then sign-in,
# refresh and GetUser against the seeded pool's server and an empty
# store's server (same binary), three interleaved rounds of 5 s.
#
#   POOL=... CLIENT=... FULL=http://127.0.0.1:19881 FULL_PID=... \
#   EMPTY=http://127.0.0.1:19882 EMPTY_PID=... scripts/perf/scale-measure.sh
#
# POOL and CLIENT are what `userpool-load seed` printed; LOAD is the load
# tool (default: built from this tree).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${POOL:?}" "${CLIENT:?}" "${FULL:?}" "${FULL_PID:?}" "${EMPTY:?}" "${EMPTY_PID:?}"
if [ -z "${LOAD:-}" ]; then
	LOAD=$(mktemp -d)/userpool-load
	go build -o "$LOAD" ./cmd/userpool-load
fi
for r in 1 2 3; do
	echo "listusers run $r, load $(cut -d' ' -f1-3 /proc/loadavg)"
	"$LOAD" -endpoint "$FULL" -op listusers -duration 5s -concurrency 2 -server-pid "$FULL_PID" -pool-id "$POOL" -client-id "$CLIENT"
done
for r in 1 2 3; do for op in signin refresh getuser; do
	echo "round $r $op empty, load $(cut -d' ' -f1-3 /proc/loadavg)"
	"$LOAD" -endpoint "$EMPTY" -op "$op" -duration 5s -concurrency 4 -server-pid "$EMPTY_PID"
	echo "round $r $op full, load $(cut -d' ' -f1-3 /proc/loadavg)"
	"$LOAD" -endpoint "$FULL" -op "$op" -duration 5s -concurrency 4 -server-pid "$FULL_PID" -pool-id "$POOL" -client-id "$CLIENT"
done; done
