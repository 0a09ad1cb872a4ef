#!/usr/bin/env bash
# make bench-memory: tend serve on a generated 1,000-host /22 lab (tend lab up
# --lan huge, the box in its own namespace, passive watch on), sweeping every
# INTERVAL, with its resident memory (VmRSS, and the kernel's VmHWM peak)
# sampled every 10 s for DURATION; prints the samples, then median and peak
# RSS after the first sweep, and the devices serve knows. RSS is split into
# anonymous memory (Go's heap, stacks, runtime) and file-backed pages (the
# binary's own text and data, which the kernel can drop and re-read).
# Usage: scripts/bench-memory.sh BIN [DURATION] [INTERVAL]. Root only.
# BENCH_LOG=FILE keeps serve's log (with GODEBUG=gctrace=1: every GC).
set -euo pipefail
BIN=${1:-bin/tend}
DURATION=${2:-600}   # seconds; the issue's figure is for an hour (3600)
INTERVAL=${3:-2m}
LAN=${BENCH_LAN:-huge}
NAME=bm$$
[ "$(id -u)" = 0 ] || { echo "bench-memory: needs root (namespaces)" >&2; exit 1; }
DATA=$(mktemp -d /tmp/tend-bench-memory.XXXXXX)
serve_pid=""
cleanup() {
	trap - EXIT INT TERM
	[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
	[ -n "${BENCH_LOG:-}" ] && cp "$DATA/serve.log" "$BENCH_LOG" 2>/dev/null || true
	"$BIN" lab down --name "$NAME" >/dev/null 2>&1 || true
	rm -rf "$DATA"
}
trap cleanup EXIT INT TERM

s=$(date +%s)
"$BIN" lab up --name "$NAME" --lan "$LAN" >/dev/null
devices=$("$BIN" lab status --name "$NAME" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["devices"]))')
printf 'lab: %s LAN, %d hosts, up in %ds\n' "$LAN" "$devices" $(($(date +%s) - s))
ip netns exec "tl-$NAME-box" "$BIN" serve --interface eth0 --data "$DATA" --listen 127.0.0.1:18443 \
	--scan-interval "$INTERVAL" >"$DATA/serve.log" 2>&1 &
serve_pid=$!
samples=()
start=$(date +%s)
printf '%6s %8s %8s %8s %8s\n' "t(s)" "RSS(MB)" "peak(MB)" "anon" "file"
while [ $(($(date +%s) - start)) -lt "$DURATION" ]; do
	sleep 10
	kill -0 "$serve_pid" 2>/dev/null || { echo "bench-memory: serve exited"; tail -20 "$DATA/serve.log"; exit 1; }
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$serve_pid/status")
	hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$serve_pid/status")
	anon=$(awk '/^RssAnon/ {print $2}' "/proc/$serve_pid/status")
	file=$(awk '/^RssFile/ {print $2}' "/proc/$serve_pid/status")
	t=$(($(date +%s) - start))
	samples+=("$t:$rss:$hwm:$anon:$file")
	printf '%6d %8.1f %8.1f %8.1f %8.1f\n' "$t" "$(echo "$rss/1024" | bc -l)" "$(echo "$hwm/1024" | bc -l)" \
		"$(echo "$anon/1024" | bc -l)" "$(echo "$file/1024" | bc -l)"
done
found=$(grep -o '"hosts":[0-9]*\|hosts=[0-9]*' "$DATA/serve.log" | tail -1 | grep -o '[0-9]*$' || echo "?")
python3 - "$found" "$devices" "${samples[@]}" <<'PY'
import statistics, sys
found, devices = sys.argv[1], sys.argv[2]
s = [tuple(int(v) for v in x.split(":")) for x in sys.argv[3:]]
steady = [x for x in s if x[0] >= 120] or s
med = lambda i: statistics.median(x[i] for x in steady) / 1024
print(f"serve with {devices} lab hosts (last sweep found {found}): "
      f"RSS median {med(1):.1f} MB after the first 2 minutes (anonymous {med(3):.1f}, file-backed {med(4):.1f}), "
      f"max sampled {max(x[1] for x in s)/1024:.1f} MB, kernel peak (VmHWM) {s[-1][2]/1024:.1f} MB")
PY
