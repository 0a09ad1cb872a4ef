#!/usr/bin/env bash
# make bench-scan: lab up/down times, then `tend scan` and `arp-scan` (its
# defaults) alternately on the same lab, ROUNDS each, with hosts found and
# medians. Usage: scripts/bench-scan.sh BIN [LAN] [ROUNDS]. Root only.
set -euo pipefail
BIN=${1:-bin/tend}
LAN=${2:-small}
ROUNDS=${3:-5}
NAME=bs$$
[ "$(id -u)" = 0 ] || { echo "bench-scan: needs root (namespaces)" >&2; exit 1; }
command -v arp-scan >/dev/null || { echo "bench-scan: needs arp-scan (make deps)" >&2; exit 1; }
trap '"$BIN" lab down --name "$NAME" >/dev/null 2>&1 || true' EXIT INT TERM
now() { date +%s.%N; }

t0=$(now)
"$BIN" lab up --name "$NAME" --lan "$LAN" >/dev/null
t1=$(now)
devices=$("$BIN" lab status --name "$NAME" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["devices"]))')
box="tl-$NAME-box"
printf 'lab: %s LAN, %d devices, up in %.2fs\n' "$LAN" "$devices" "$(echo "$t1 - $t0" | bc)"

tend_times=(); arp_times=()
for r in $(seq 1 "$ROUNDS"); do
	s=$(now); n=$(ip netns exec "$box" "$BIN" scan --interface eth0 --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'); e=$(now)
	tt=$(echo "$e - $s" | bc); tend_times+=("$tt")
	s=$(now); m=$(ip netns exec "$box" arp-scan --interface eth0 --localnet 2>/dev/null | awk '/^[0-9]+\./ {print $1}' | sort -u | wc -l); e=$(now)
	at=$(echo "$e - $s" | bc); arp_times+=("$at")
	printf 'round %d: tend scan %d/%d in %.2fs (ARP sweep + SNMP identification) | arp-scan %d/%d in %.2fs\n' "$r" "$n" "$devices" "$tt" "$m" "$devices" "$at"
done
python3 - "${tend_times[*]}" "${arp_times[*]}" <<'PY'
import statistics, sys
t = [float(x) for x in sys.argv[1].split()]; a = [float(x) for x in sys.argv[2].split()]
mt, ma = statistics.median(t), statistics.median(a)
print(f"median: tend scan {mt:.2f}s, arp-scan {ma:.2f}s, ratio {mt/ma:.2f}")
PY
t0=$(now)
"$BIN" lab down --name "$NAME" >/dev/null
t1=$(now)
trap - EXIT INT TERM
printf 'lab down in %.2fs; left behind: %s\n' "$(echo "$t1 - $t0" | bc)" "$(ip netns list | grep -c "^tl-$NAME-" || true) namespaces"
