#!/usr/bin/env bash
# make bench-discovery: a 250-host lab on one /24 (the built-in "big" LAN, no
# agents), then `tend scan` and `arp-scan` (its defaults) alternately, ROUNDS
# each, printing hosts found, wall times, the medians and their ratio, and the
# highest ARP request rate tend sent in any one-second window (from a capture
# on the box's port). Usage: scripts/bench-discovery.sh BIN [ROUNDS]. Root only.
set -euo pipefail
BIN=${1:-bin/tend}
ROUNDS=${2:-5}
NAME=bd$$
STATE=$(mktemp -d /tmp/tend-bench-XXXXXX)
chmod 755 "$STATE"
[ "$(id -u)" = 0 ] || { echo "bench-discovery: needs root (namespaces)" >&2; exit 1; }
for tool in arp-scan tcpdump python3 bc; do
	command -v $tool >/dev/null || { echo "bench-discovery: needs $tool (make deps)" >&2; exit 1; }
done
cleanup() { "$BIN" lab down --name "$NAME" --state "$STATE" >/dev/null 2>&1 || true; rm -rf "$STATE"; }
trap cleanup EXIT INT TERM
now() { date +%s.%N; }

t0=$(now)
"$BIN" lab up --name "$NAME" --lan big --state "$STATE" >/dev/null
t1=$(now)
box="tl-$NAME-box"
devices=$("$BIN" lab status --name "$NAME" --state "$STATE" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["devices"]))')
printf 'lab: big LAN, %d hosts on one /24, up in %.2fs\n' "$devices" "$(echo "$t1 - $t0" | bc)"

tend_times=(); arp_times=(); peak=0
for r in $(seq 1 "$ROUNDS"); do
	cap="$STATE/round$r.pcap"
	ip netns exec "$box" tcpdump -i eth0 -n -U -B 8192 -w "$cap" 'arp[6:2] = 1' 2>"$cap.log" &
	tcpd=$!
	for _ in $(seq 50); do grep -q listening "$cap.log" && break; sleep 0.1; done
	s=$(now); n=$(ip netns exec "$box" "$BIN" scan --interface eth0 --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'); e=$(now)
	sleep 0.5; kill "$tcpd"; wait "$tcpd" 2>/dev/null || true
	rate=$(tcpdump -n -tt -r "$cap" 2>/dev/null | python3 -c '
import sys
ts = [float(l.split()[0]) for l in sys.stdin if l.strip()]
best, j = 0, 0
for i, t in enumerate(ts):
    while ts[j] < t - 1.0: j += 1
    best = max(best, i - j + 1)
print(best, len(ts))')
	read -r rate captured <<<"$rate"
	[ "$rate" -gt "$peak" ] && peak=$rate
	tt=$(echo "$e - $s" | bc); tend_times+=("$tt")
	s=$(now); m=$(ip netns exec "$box" arp-scan --interface eth0 --localnet 2>/dev/null | awk '/^[0-9]+\./ {print $1}' | sort -u | wc -l); e=$(now)
	at=$(echo "$e - $s" | bc); arp_times+=("$at")
	printf 'round %d: tend scan %d/%d in %.2fs (%d ARP requests captured, at most %d in any 1s) | arp-scan %d/%d in %.2fs\n' \
		"$r" "$n" "$devices" "$tt" "$captured" "$rate" "$m" "$devices" "$at"
done
python3 - "${tend_times[*]}" "${arp_times[*]}" "$peak" <<'PY'
import statistics, sys
t = [float(x) for x in sys.argv[1].split()]; a = [float(x) for x in sys.argv[2].split()]
mt, ma = statistics.median(t), statistics.median(a)
print(f"median: tend scan {mt:.2f}s, arp-scan {ma:.2f}s, ratio {mt/ma:.2f}; tend's peak request rate {sys.argv[3]}/s")
PY
