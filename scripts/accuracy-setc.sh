#!/usr/bin/env bash
# make accuracy SET=setC: serve every setC recording through snmpsimd on a
# lab LAN and identify it with the real `tend scan --json` from the box, in
# batches of BATCH devices (default 192): one lab up/scan/down per batch,
# each device a macvlan link with its own MAC and address in one agents
# namespace ("agents shared" in the generated .lan; lab/shared.go), served
# by a few snmpsimd processes. The scans are then graded together
# (TestAccuracyScanSetC: the in-process grader's scoring, the same table,
# and a per-device comparison with the in-process identification).
# Usage: scripts/accuracy-setc.sh BIN OUT (BATCH=n, SNMP_TIMEOUT=d). Root only.
set -euo pipefail
BIN=$1 OUT=$2
BATCH=${BATCH:-192}
# snmpsimd is Python: on two shared cores under load it answers a busy
# batch seconds late, past tend's default one-second wait (77 of 96
# answered at 1 s with load 26, 96 of 96 at 5 s). Real agents are faster;
# this is the simulator's latency, not the scan's.
SNMP_TIMEOUT=${SNMP_TIMEOUT:-5s}
[ "$BATCH" -ge 1 ] && [ "$BATCH" -le 250 ] || { echo "accuracy: BATCH must be 1-250 (one /24)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "accuracy: needs root (namespaces)" >&2; exit 1; }
: "${TEND_CORPUS:=$(cd "$(dirname "$0")/.." && pwd)/../shared/corpus/snmp}"
man=$TEND_CORPUS/setC/manifest.jsonl
[ -f "$man" ] || { echo "accuracy: no corpus at $TEND_CORPUS (set TEND_CORPUS)" >&2; exit 1; }
# LAB_NAME names the lab (1-10 of a-z and 0-9) where several runs share a
# machine and each must own its namespaces' names.
NAME=${LAB_NAME:-acc$$}
work=$(mktemp -d)
# The lab is recorded as owned by this shell (--owner $$): if the run is
# killed outright, the next `tend lab up` or `tend lab reap` removes it.
trap '"$BIN" lab down --name "$NAME" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# lanfile K FIRST N: batch K's LAN, devices FIRST..FIRST+N-1 of the manifest
# at 10.79.0.1…, locally administered MACs (02:…, no vendor's OUI to
# hint at a make) numbered by the device's place in the manifest.
lanfile() {
	echo "cidr 10.79.0.0/24"
	echo "box 10.79.0.254 02:7e:4e:d0:04:fe"
	echo "agents shared"
	jq -r .file "$man" | sed -n "$(($2 + 1)),$(($2 + $3))p" | awk -v first="$2" '{
		i = first + NR; sub(/\.snmprec$/, "")
		printf "c%04d workstation 02:5e:c0:00:%02x:%02x 10.79.0.%d snmpsim:setC/%s\n", i, int(i / 256), i % 256, NR, $0
	}'
}

total=$(wc -l <"$man") batches=$(((total + BATCH - 1) / BATCH))
start=$(date +%s.%N)
for ((k = 0; k < batches; k++)); do
	first=$((k * BATCH)) n=$((total - k * BATCH < BATCH ? total - k * BATCH : BATCH))
	lanfile "$k" "$first" "$n" >"$work/b$k.lan"
	s=$(date +%s.%N)
	"$BIN" lab up --name "$NAME" --lan "$work/b$k.lan" --corpus "$TEND_CORPUS" --owner $$ >/dev/null
	u=$(date +%s.%N)
	"$BIN" lab status --name "$NAME" --json >"$work/lab-$k.json"
	ip netns exec "tl-$NAME-box" "$BIN" scan --interface eth0 --json --snmp-timeout "$SNMP_TIMEOUT" >"$work/scan-$k.json" 2>"$work/scan-$k.err" || { cat "$work/scan-$k.err" >&2; exit 1; }
	e=$(date +%s.%N)
	"$BIN" lab down --name "$NAME" >/dev/null
	d=$(date +%s.%N)
	printf 'batch %d/%d: %d devices, %d answered SNMP; up %.0fs, scan %.0fs, down %.0fs\n' $((k + 1)) "$batches" "$n" \
		"$(jq '[.[] | select(.snmp != null)] | length' "$work/scan-$k.json")" \
		"$(echo "$u - $s" | bc)" "$(echo "$e - $u" | bc)" "$(echo "$d - $e" | bc)"
done
printf 'setC through snmpsimd and tend scan: %d devices in %d batches, %.0fs\n' "$total" "$batches" "$(echo "$(date +%s.%N) - $start" | bc)"
log=$work/test.out rc=0
TEND_ACCURACY_SETC_DIR="$work" TEND_CORPUS="$TEND_CORPUS" \
	go test -count=1 -run '^TestAccuracyScanSetC$' -v ./snmp/ -args -accuracy-table-setc="$(realpath -m "$OUT")" >"$log" 2>&1 || rc=$?
grep -E 'setC|right for|differ|^(ok|FAIL)|cannot|error' "$log" || true
sed -n '/^| devices/,/^$/p' "$OUT"
exit "$rc"
