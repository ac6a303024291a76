#!/usr/bin/env bash
# One seed of a fresh store, timed by the seed itself:
#
#   scripts/perf/seed-bench.sh NAME LOAD_BINARY sqlite|postgres USERS TOKENS PORT
#
# starts `userpool serve --dev` (USERPOOL=path, default: built from this
# tree) on a new SQLite file or a new PostgreSQL schema named NAME, runs
# LOAD_BINARY seed against it, prints the seed's rates, and removes the
# store again. Two LOAD_BINARYs (an old and a new userpool-load) compare
# seeds in one sitting.
set -euo pipefail
[ $# -eq 6 ] || { echo "usage: $0 NAME LOAD_BINARY sqlite|postgres USERS TOKENS PORT" >&2; exit 2; }
name=$1 load=$2 db=$3 users=$4 tokens=$5 port=$6
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
if [ -z "${USERPOOL:-}" ]; then
	USERPOOL=$work/userpool
	go build -o "$USERPOOL" ./cmd/userpool
fi
if [ "$db" = postgres ]; then
	PGOPTIONS="-c client_min_messages=warning" psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS $name CASCADE" -c "CREATE SCHEMA $name"
	store="postgres://postgres@127.0.0.1:5432/test?search_path=$name"
else
	store=$work/userpool.db
fi
USERPOOL_LOG_LEVEL=error "$USERPOOL" serve --dev --addr "127.0.0.1:$port" --data "$work/data" --store "$store" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
kill -0 "$pid" || { cat "$work/server.log"; exit 1; }
echo "$name load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$load" seed -endpoint "http://127.0.0.1:$port" -store "$store" -users "$users" -tokens "$tokens" | grep seeded
kill "$pid"; wait "$pid" || true
if [ "$db" = postgres ]; then PGOPTIONS="-c client_min_messages=warning" psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA $name CASCADE"; fi
