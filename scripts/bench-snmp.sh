#!/usr/bin/env bash
# make bench-snmp: (1) a full walk of one agent by tend's poller and by
# snmpbulkwalk -Cr50, side by side in one run (Go benchmark, ROUNDS counts,
# medians), against net-snmp snmpd and snmpsimd serving the largest setA
# recording; (2) identification of the whole setA office lab by tend scan,
# ROUNDS scans, median time until the last device was identified.
# Usage: scripts/bench-snmp.sh BIN [ROUNDS]. Root only.
set -euo pipefail
BIN=$(realpath "${1:-bin/tend}")
ROUNDS=${2:-5}
NAME=bsn$$
[ "$(id -u)" = 0 ] || { echo "bench-snmp: needs root (agents, namespaces)" >&2; exit 1; }
cd "$(dirname "$0")/.."
: "${TEND_CORPUS:=$(pwd)/../shared/corpus/snmp}"
export TEND_CORPUS
trap '"$BIN" lab down --name "$NAME" >/dev/null 2>&1 || true' EXIT INT TERM

echo "== full walk: tend vs snmpbulkwalk -Cr50 ($ROUNDS rounds, interleaved)"
out=$(mktemp)
go test -c -o "$out.test" ./snmp/
for r in $(seq 1 "$ROUNDS"); do # one round at a time, so load on the box hits both alike
	(cd snmp && "$out.test" -test.run '^$' -test.bench '^BenchmarkFullWalk$' -test.benchtime 3x) | tee -a "$out" | grep '^Benchmark'
done
rm -f "$out.test"
python3 - "$out" <<'PY'
import re, statistics, sys, collections
t = collections.defaultdict(list); objs = {}
for line in open(sys.argv[1]):
    m = re.match(r"BenchmarkFullWalk/(\S+)/(tend|snmpbulkwalk)-\d+\s+\d+\s+(\d+) ns/op\s+(\d+) objects", line)
    if m:
        t[(m[1], m[2])].append(int(m[3]) / 1e9); objs[(m[1], m[2])] = m[4]
for agent in sorted({a for a, _ in t}):
    a, b = statistics.median(t[(agent, "tend")]), statistics.median(t[(agent, "snmpbulkwalk")])
    na, nb = objs[(agent, "tend")], objs[(agent, "snmpbulkwalk")]
    print("median %s: tend %.3fs (%s objects) | snmpbulkwalk -Cr50 %.3fs (%s lines) | tend/snmpbulkwalk %.2f" % (agent, a, na, b, nb, a / b))
PY
rm -f "$out"

echo "== identification of every setA device in the office lab ($ROUNDS scans)"
"$BIN" lab up --name "$NAME" --lan office --corpus "$TEND_CORPUS" >/dev/null
ids=()
for r in $(seq 1 "$ROUNDS"); do
	line=$(ip netns exec "tl-$NAME-box" "$BIN" scan --interface eth0 --json 2>&1 >/dev/null | grep '^tend scan:')
	echo "round $r: $line"
	ids+=("$(echo "$line" | sed -E 's/.*identified after ([0-9.]+)s.*/\1/')")
done
python3 -c 'import statistics, sys; v=[float(x) for x in sys.argv[1:]]; print(f"median time to identify all: {statistics.median(v):.2f}s (from scan start, ARP sweep included)")' "${ids[@]}"
