#!/usr/bin/env bash
# A sustained refresh soak: refresh tokens rotated without pause
# (GetTokensFromRefreshToken on a rotating client, CONCURRENCY sessions)
# for DURATION against a server on a SQLite store of its own, sampling
# the refresh-token rows and the database's size every EVERY. It shows
# whether rotated-out tokens are collected: the rows should level off
# instead of growing with every rotation.
#
#   scripts/refresh-soak.sh                         # 5 minutes, a sample every 30 s
#   DURATION=3m EVERY=20s OLD=/tmp/userpool-old scripts/refresh-soak.sh
#
# OLD, a binary of an earlier tree, is soaked the same way afterwards, for
# comparison. Needs the sqlite3 command.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5m}
EVERY=${EVERY:-30s}
CONCURRENCY=${CONCURRENCY:-4}
PORT=${PORT:-19451}
command -v sqlite3 >/dev/null || { echo "refresh-soak: needs the sqlite3 command" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/bin"
go build -o "$work/bin/userpool" ./cmd/userpool
go build -o "$work/bin/userpool-load" ./cmd/userpool-load

seconds() { # 5m, 30s, 90 -> seconds
	local d=$1
	case $d in
	*m) echo $((${d%m} * 60)) ;;
	*s) echo "${d%s}" ;;
	*) echo "$d" ;;
	esac
}

# soak NAME BINARY: one soak of the server BINARY, printing its samples.
soak() {
	local name=$1 bin=$2 data=$work/$1
	mkdir -p "$data"
	"$bin" serve --dev --addr "127.0.0.1:$PORT" --data "$data" --log-level warn >"$work/$name.log" 2>&1 &
	local server=$!
	pids+=("$server")
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
		sleep 0.2
	done
	"$work/bin/userpool-load" -endpoint "http://127.0.0.1:$PORT" -op rotate -duration "$DURATION" \
		-concurrency "$CONCURRENCY" -warmup 0s -server-pid "$server" >"$work/$name.load" 2>&1 &
	local load=$!
	pids+=("$load")
	local db=$data/userpool.db total every
	total=$(seconds "$DURATION")
	every=$(seconds "$EVERY")
	echo "== $name: $DURATION of rotation, $CONCURRENCY sessions; load $(cut -d' ' -f1-3 /proc/loadavg)"
	# stale: rotated out more than two minutes (tokens.RotatedOutRetention)
	# before the latest rotation, which a rotation of their family collects.
	printf '%8s %12s %12s %8s %10s %12s\n' elapsed tokens rotated_out stale families db+wal_KiB
	local t=0
	while [ "$t" -le "$total" ] && kill -0 "$load" 2>/dev/null; do
		local counts bytes
		counts=$(sqlite3 -readonly "$db" "PRAGMA busy_timeout=5000;" \
			"SELECT (SELECT count(*) FROM refresh_tokens), (SELECT count(*) FROM refresh_tokens WHERE replaced_at IS NOT NULL),
			 (SELECT count(*) FROM refresh_tokens WHERE replaced_at < (SELECT max(replaced_at) FROM refresh_tokens) - 120000),
			 (SELECT count(*) FROM refresh_families);" 2>/dev/null | tail -1 || echo "?|?|?|?")
		bytes=$(cat "$db" "$db-wal" 2>/dev/null | wc -c)
		IFS='|' read -r tokens rotated stale families <<<"$counts"
		printf '%7ss %12s %12s %8s %10s %12s\n' "$t" "$tokens" "$rotated" "$stale" "$families" $((bytes / 1024))
		sleep "$every"
		t=$((t + every))
	done
	wait "$load" || true
	cat "$work/$name.load"
	kill "$server" 2>/dev/null || true
	wait "$server" 2>/dev/null || true
}

soak userpool "$work/bin/userpool"
if [ -n "${OLD:-}" ]; then
	soak userpool-old "$OLD"
fi
