#!/bin/bash
# stage-iperf3.sh OUTDIR [SCENARIO...]: record iperf3 UDP load tests and UDP
# floods shaped after them (traffic/testdata/staged, "iperf3 UDP load tests")
# on a throw-away LAN of network namespaces (10.32.8.0/24 on a bridge, no
# route out; namespaces named s32<pid>-*, removed on exit, failure included),
# tcpdump -s 46 on the bridge, the first COUNT frames of each. Needs root,
# iperf3, hping3, tcpdump and python3-scapy. Scenarios (name:frames):
set -euo pipefail
OUT=${1:?OUTDIR}; shift
P=s32$$; X="ip netns exec"; S=10.32.8.30
ALL="benign-iperf3-udp-80mbit:19000 benign-iperf3-udp-reverse-80mbit:19000 benign-iperf3-udp-bidir-80mbit:37000
benign-iperf3-udp-4-streams-80mbit:19000 benign-iperf3-udp-port-7000-80mbit:19000 udp-flood-iperf3-server-hping3:9000
udp-flood-iperf3-connect-unanswered-scapy-hping3:30000 udp-flood-iperf3-handshake-other-port-hping3:30000
udp-flood-iperf3-forged-reply-other-mac-scapy-hping3:30000"
down() { for n in sw gw cli srv atk; do ip netns del $P-$n 2>/dev/null || true; done; }
trap down EXIT
ip netns add $P-sw; $X $P-sw ip link add br0 type bridge; $X $P-sw ip link set br0 up
for spec in gw:00:1a:a1:00:00:01:1 cli:3c:52:82:00:00:10:10 srv:00:11:32:00:00:30:30 atk:b8:27:eb:00:00:66:66; do
  n=${spec%%:*}; rest=${spec#*:}; mac=${rest%:*}; ip=${rest##*:}
  ip netns add $P-$n
  ip link add v$P-$n type veth peer name eth0 netns $P-$n
  ip link set v$P-$n netns $P-sw; $X $P-sw ip link set v$P-$n master br0 up
  $X $P-$n ip link set eth0 address $mac; $X $P-$n ip link set lo up; $X $P-$n ip link set eth0 up
  $X $P-$n ip addr add 10.32.8.$ip/24 dev eth0
done
# shake MODE SPORT: iperf3's connect message "9876" from the attacker to NAS port 5202;
# MODE forged also sends the reply "6789" under the NAS's address from 02:00:00:00:00:99.
shake() {
  $X $P-atk ${PYTHON:-/usr/bin/python3} - "$1" "$2" <<'PY'
import sys, time
from scapy.all import Ether, IP, UDP, Raw, sendp, getmacbyip, conf
conf.verb = 0
mode, sp = sys.argv[1], int(sys.argv[2])
me, srv = "10.32.8.66", "10.32.8.30"
sendp(Ether(dst=getmacbyip(srv), src="b8:27:eb:00:00:66")/IP(src=me, dst=srv)/UDP(sport=sp, dport=5202)/Raw(b"9876"), iface="eth0")
if mode == "forged":
    time.sleep(0.001)
    sendp(Ether(dst="b8:27:eb:00:00:66", src="02:00:00:00:00:99")/IP(src=srv, dst=me)/UDP(sport=5202, dport=sp)/Raw(b"6789"), iface="eth0")
time.sleep(0.2)
PY
}
srvup() { $X $P-srv iperf3 -s -D -p ${1:-5201} -I $OUT/.iperf3-$P.pid; sleep 0.5; }
# flood SPORT DPORT: 1,400-byte datagrams at about 7,000 a second for 3 s, begun at a
# 10-s boundary of the clock: the flood windows are aligned to it, and a flood across one
# is judged 2 s into the next (a full-frame stream's feedback wait).
flood() { while [ $(( $(date +%s) % 10 )) -ne 0 ]; do sleep 0.05; done; $X $P-atk timeout 3 hping3 -q -2 -s $1 -k -p $2 -d 1400 -i u60 $S || true; }
run() {
  case $1 in
  benign-iperf3-udp-80mbit) srvup; $X $P-cli iperf3 -u -b 80M -c $S -t 3 ;;
  benign-iperf3-udp-reverse-80mbit) srvup; $X $P-cli iperf3 -u -b 80M -R -c $S -t 3 ;;
  benign-iperf3-udp-bidir-80mbit) srvup; $X $P-cli iperf3 -u -b 80M --bidir -c $S -t 3 ;;
  benign-iperf3-udp-4-streams-80mbit) srvup; $X $P-cli iperf3 -u -b 20M -P 4 -c $S -t 3 ;;
  benign-iperf3-udp-port-7000-80mbit) srvup 7000; $X $P-cli iperf3 -u -b 80M -p 7000 -c $S -t 3 ;;
  udp-flood-iperf3-server-hping3) srvup; $X $P-atk timeout 3 hping3 -q --udp -p 5201 --flood $S || true ;;
  udp-flood-iperf3-connect-unanswered-scapy-hping3) shake msg 40000; flood 40000 5202 ;;
  udp-flood-iperf3-handshake-other-port-hping3) srvup; $X $P-atk iperf3 -u -b 1M -c $S -t 4 > /dev/null & sleep 0.5; flood 40001 5201; wait ;;
  udp-flood-iperf3-forged-reply-other-mac-scapy-hping3) shake forged 40002; flood 40002 5202 ;;
  esac
}
for spec in $ALL; do
  name=${spec%%:*}; count=${spec##*:}
  [ $# -gt 0 ] && [[ " $* " != *" $name "* ]] && continue
  for n in gw cli srv atk; do $X $P-$n ip neigh flush all; done
  $X $P-sw timeout 60 tcpdump -U -i br0 -s 46 -c $count -w $OUT/$name.pcap > /dev/null 2>&1 &
  tp=$!; sleep 1
  for n in cli srv atk; do $X $P-$n ping -c 2 -i 0.2 -W 1 10.32.8.1 > /dev/null; done
  $X $P-cli ping -c 1 -W 1 $S > /dev/null; $X $P-atk ping -c 1 -W 1 $S > /dev/null
  run $name
  sleep 1
  [ -f $OUT/.iperf3-$P.pid ] && kill $(cat $OUT/.iperf3-$P.pid) 2>/dev/null; rm -f $OUT/.iperf3-$P.pid
  wait $tp || true
done
