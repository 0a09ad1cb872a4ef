#!/usr/bin/env bash
# make accuracy: serve every setA recording through snmpsimd in a lab (the
# office LAN), run `tend scan --json` from the box, and grade make, model,
# firmware and serial against setA/manifest.jsonl. Writes the per-device
# table to OUT (default snmp/testdata/accuracy-setA.md) and prints it.
# SET=setC does the same for the 1,115 setC recordings, in batches
# (scripts/accuracy-setc.sh), with a per-OS-family summary and a per-device
# comparison with the in-process identification; SET=setC-inprocess grades
# them in-process instead (TestIdentifySetC: the poller's real code against
# each recording served from memory, the held-out fifth also scored blind).
# Usage: scripts/accuracy.sh BIN [OUT] [SET]. setA, setC: root only (namespaces).
set -euo pipefail
BIN=${1:-bin/tend}
OUT=${2:-snmp/testdata/accuracy-setA.md}
SET=${3:-setA}
if [ "$SET" = setC ]; then
	exec "$(dirname "$0")/accuracy-setc.sh" "$BIN" "$OUT"
fi
if [ "$SET" = setC-inprocess ]; then
	log=$(mktemp) rc=0
	go test -count=1 -run '^TestIdentifySetC$' -v ./snmp/ -args -accuracy-table-setc="$(realpath -m "$OUT")" >"$log" 2>&1 || rc=$?
	grep -E 'setC:|right for|^(ok|FAIL)|cannot|error' "$log" || true
	rm -f "$log"
	sed -n '/^| devices/,/^$/p' "$OUT"
	exit "$rc"
fi
[ "$SET" = setA ] || { echo "accuracy: SET must be setA, setC or setC-inprocess" >&2; exit 2; }
# LAB_NAME names the lab (1-10 of a-z and 0-9) where several runs share a
# machine and each must own its namespaces' names.
NAME=${LAB_NAME:-acc$$}
[ "$(id -u)" = 0 ] || { echo "accuracy: needs root (namespaces)" >&2; exit 1; }
: "${TEND_CORPUS:=$(cd "$(dirname "$0")/.." && pwd)/../shared/corpus/snmp}"
[ -f "$TEND_CORPUS/setA/manifest.jsonl" ] || { echo "accuracy: no corpus at $TEND_CORPUS (set TEND_CORPUS)" >&2; exit 1; }
work=$(mktemp -d)
trap '"$BIN" lab down --name "$NAME" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT INT TERM

"$BIN" lab up --name "$NAME" --lan office --corpus "$TEND_CORPUS" >/dev/null
"$BIN" lab status --name "$NAME" --json >"$work/lab.json"
s=$(date +%s.%N)
ip netns exec "tl-$NAME-box" "$BIN" scan --interface eth0 --json >"$work/scan.json" 2>"$work/scan.err"
e=$(date +%s.%N)
cat "$work/scan.err" >&2
printf 'tend scan (ARP sweep, identification, then health and topology of the whole lab): %.2fs\n' "$(echo "$e - $s" | bc)"
TEND_ACCURACY_SCAN="$work/scan.json" TEND_ACCURACY_LAB="$work/lab.json" TEND_CORPUS="$TEND_CORPUS" \
	go test -count=1 -run '^TestAccuracyScan$' ./snmp/ -args -accuracy-table="$(realpath -m "$OUT")" >"$work/test.out" 2>&1 \
	|| { cat "$work/test.out"; echo "accuracy: below target or scoring failed" >&2; cat "$OUT" 2>/dev/null; exit 1; }
cat "$OUT"
