#!/usr/bin/env bash
# Measures the server CPU each request costs Userpool, and, in the same
# sitting, what it costs moto (moto_server, when installed) and
# cognito-local (scripts/perf/node_modules, from `npm ci --prefix
# scripts/perf`), and optionally an older Userpool binary (OLD=path).
#
#   scripts/perf-compare.sh                 # 5 rounds of 10 s per op
#   ROUNDS=3 DURATION=5s OLD=/tmp/userpool-old scripts/perf-compare.sh
#
# Every server runs on loopback for the whole sitting; the rounds
# interleave them (each round runs every op against every server), and
# the figure is the median over rounds of the server process's
# utime+stime over the run (from /proc) divided by the requests, which a
# machine shared with other work disturbs far less than throughput. It
# installs nothing: a server that is not there is left out.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-4}
OPS=${OPS:-"signin refresh rotate getuser"}
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

# start NAME PORT COMMAND...: starts a server and waits for its port.
targets=()
declare -A pidof
start() {
	local name=$1 port=$2
	shift 2
	mkdir -p "$work/$name"
	(cd "$work/$name" && exec "$@" >"$work/$name.log" 2>&1) &
	local pid=$!
	pids+=("$pid")
	for _ in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			targets+=("$name=$port")
			pidof[$name]=$pid
			return
		fi
		sleep 0.2
	done
	echo "$name did not start; its log:" >&2
	tail -5 "$work/$name.log" >&2
}

start userpool 19401 "$work/bin/userpool" serve --dev --addr 127.0.0.1:19401 --data "$work/userpool/data"
if [ -n "${OLD:-}" ]; then
	start userpool-old 19402 "$OLD" serve --dev --addr 127.0.0.1:19402 --data "$work/userpool-old/data"
fi
if command -v moto_server >/dev/null; then
	start moto 19403 moto_server -H 127.0.0.1 -p 19403
fi
if [ -x scripts/perf/node_modules/.bin/cognito-local ]; then
	start cognito-local 19404 env PORT=19404 HOST=127.0.0.1 node "$PWD/scripts/perf/node_modules/cognito-local/lib/bin/start.js"
fi

echo "== load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; $ROUNDS rounds of $DURATION per op, concurrency $CONCURRENCY"
results=$work/results
for round in $(seq "$ROUNDS"); do
	for op in $OPS; do
		for t in "${targets[@]}"; do
			name=${t%%=*} port=${t#*=}
			out=$("$work/bin/userpool-load" -endpoint "http://127.0.0.1:$port" -op "$op" -duration "$DURATION" \
				-concurrency "$CONCURRENCY" -warmup 1s -server-pid "${pidof[$name]}" 2>&1) || true
			cpu=$(sed -n 's/.*server_cpu_per_request=\([0-9.]*\)µs.*/\1/p' <<<"$out")
			rps=$(sed -n 's/^throughput=\([0-9.]*\).*/\1/p' <<<"$out")
			errs=$(sed -n 's/.* errors=\([0-9]*\) .*/\1/p' <<<"$out")
			if [ -z "$cpu" ] || [ "${errs:-1}" != 0 ]; then
				echo "round $round $op $name: failed: $(grep -m1 'error' <<<"$out" || tail -1 <<<"$out")"
				continue
			fi
			echo "round $round $op $name: ${cpu}µs CPU/request, $rps req/s"
			echo "$op $name $cpu" >>"$results"
		done
	done
done

echo
echo "== median server CPU per request (µs), and its ratio to Userpool's"
[ -f "$results" ] || exit 1
for op in $OPS; do
	base=$(awk -v op="$op" '$1==op && $2=="userpool" {print $3}' "$results" | sort -g | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
	for t in "${targets[@]}"; do
		name=${t%%=*}
		med=$(awk -v op="$op" -v n="$name" '$1==op && $2==n {print $3}' "$results" | sort -g | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
		[ -n "$med" ] || continue
		ratio=$(awk -v m="$med" -v b="${base:-0}" 'BEGIN {if (b > 0) printf "%.2f", m/b; else print "-"}')
		printf '%-8s %-14s %10s µs  %6s×\n' "$op" "$name" "$med" "$ratio"
	done
done
