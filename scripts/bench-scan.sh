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

cidr=$("$BIN" lab status --name "$NAME" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["cidr"])')
errlog=$(mktemp)
tend_times=(); arp_times=(); ident_times=()
for r in $(seq 1 "$ROUNDS"); do
	# Count the lab's own subnet only: routers' ARP tables in the recordings
	# add devices of other (recorded) subnets, which arp-scan cannot see.
	s=$(now); n=$(ip netns exec "$box" "$BIN" scan --interface eth0 --json 2>"$errlog" | python3 -c '
import ipaddress, json, sys
lan = ipaddress.ip_network(sys.argv[1])
print(sum(1 for d in json.load(sys.stdin) if d.get("ip") and ipaddress.ip_address(d["ip"]) in lan))' "$cidr"); e=$(now)
	tt=$(echo "$e - $s" | bc); tend_times+=("$tt")
	ident=$(sed -n 's/.*identified after \([0-9.]*\)s.*/\1/p' "$errlog" | tail -1)
	ident_times+=("${ident:-0}")
	s=$(now); m=$(ip netns exec "$box" arp-scan --interface eth0 --localnet 2>/dev/null | awk '/^[0-9]+\./ {print $1}' | sort -u | wc -l); e=$(now)
	at=$(echo "$e - $s" | bc); arp_times+=("$at")
	printf 'round %d: tend scan %d/%d in %.2fs (every SNMP device identified after %.2fs; identity only by default) | arp-scan %d/%d in %.2fs\n' "$r" "$n" "$devices" "$tt" "${ident:-0}" "$m" "$devices" "$at"
done
rm -f "$errlog"
python3 - "${tend_times[*]}" "${arp_times[*]}" "${ident_times[*]}" <<'PY'
import statistics, sys
t = [float(x) for x in sys.argv[1].split()]; a = [float(x) for x in sys.argv[2].split()]
i = [float(x) for x in sys.argv[3].split()]
mt, ma, mi = statistics.median(t), statistics.median(a), statistics.median(i)
print(f"median: tend scan {mt:.2f}s (identified after {mi:.2f}s), arp-scan {ma:.2f}s, ratio {mt/ma:.2f} (identification {mi/ma:.2f})")
PY
t0=$(now)
"$BIN" lab down --name "$NAME" >/dev/null
t1=$(now)
trap - EXIT INT TERM
printf 'lab down in %.2fs; left behind: %s\n' "$(echo "$t1 - $t0" | bc)" "$(ip netns list | grep -c "^tl-$NAME-" || true) namespaces"
