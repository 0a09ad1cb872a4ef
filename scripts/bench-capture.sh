#!/usr/bin/env bash
# make bench-capture: decode + every traffic detector (`tend replay`) against
# `tcpdump -r FILE -nn > /dev/null` on the same generated office capture, on
# one core, ROUNDS runs each with hyperfine (medians); then the Go benchmarks
# for the per-packet cost and allocations.
# Usage: scripts/bench-capture.sh BIN [PACKETS] [ROUNDS]
set -euo pipefail
BIN=${1:-bin/tend}
PACKETS=${2:-400000}
ROUNDS=${3:-5}
command -v tcpdump >/dev/null || { echo "bench-capture: needs tcpdump (make deps)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench-capture: needs hyperfine" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cap="$dir/mixed.pcap"
go run ./traffic/internal/mixcap -n "$PACKETS" -o "$cap"
printf 'capture: %d packets, %s bytes\n' "$PACKETS" "$(stat -c %s "$cap")"
cat "$cap" > /dev/null # both read it from the page cache
core=$(( $(nproc) - 1 ))
hyperfine --style basic --warmup 1 --runs "$ROUNDS" --export-json "$dir/h.json" \
	-n "tend replay" "GOMAXPROCS=1 taskset -c $core $BIN replay --json $cap > /dev/null" \
	-n "tcpdump" "taskset -c $core tcpdump -r $cap -nn > /dev/null 2>&1"
python3 - "$dir/h.json" "$PACKETS" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
t, d = r["tend replay"]["median"], r["tcpdump"]["median"]
print(f"median wall: tend replay {t:.3f}s ({n/t/1e6:.2f}M packets/s, decode + all detectors, one core), "
      f"tcpdump -nn {d:.3f}s ({n/d/1e6:.2f}M packets/s); ratio tend/tcpdump {t/d:.3f} (target <= 0.2)")
# CPU time (user + system, means over the runs) is steadier than wall time on a shared machine.
tc = r["tend replay"]["user"] + r["tend replay"]["system"]
dc = r["tcpdump"]["user"] + r["tcpdump"]["system"]
print(f"mean cpu:    tend replay {tc:.3f}s ({n/tc/1e6:.2f}M packets/s), tcpdump {dc:.3f}s; ratio {tc/dc:.3f}")
PY
go test -run '^$' -bench 'BenchmarkDecode$|BenchmarkDecodeAndDetect' -benchmem -count 5 -cpu 1 ./capture ./traffic | grep -E '^(Benchmark|ok)'
