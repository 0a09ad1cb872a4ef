#!/bin/bash
# stage-f37c.sh OUTDIR: session 37's fix37c fixtures, recorded with real tools
# in throw-away namespaces ($STAGE_PREFIX-srv, -cli; default prefix f37c):
# LDAP password spraying (hydra ldap3, resultCode 49), ordinary LDAP binds,
# SNMP writes accepted (snmpset, a default and a custom community) and
# ordinary SNMP reads with a refused write. Needs root, slapd, snmpd, hydra,
# the ldap-utils and snmp tools.
set -uo pipefail
out=${1:?outdir}; P=${STAGE_PREFIX:-f37c}
NET=10.37.3; tmp=$(mktemp -d /tmp/$P-lab.XXXXXX); chmod 755 "$tmp"
pids=()
cleanup() {
	set +e
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	for ns in $P-srv $P-cli; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		sleep 0.2; ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add $P-srv; ip netns add $P-cli
ip -n $P-srv link add eth0 address 00:11:32:00:03:30 type veth peer name eth0 netns $P-cli address b8:27:eb:00:03:66
for ns in srv:30 cli:66; do
	ip -n $P-${ns%:*} link set lo up
	ip -n $P-${ns%:*} addr add $NET.${ns#*:}/24 dev eth0
	ip -n $P-${ns%:*} link set eth0 up
done
sleep 1
spawn() { setsid ip netns exec "$P-$1" "${@:2}" >>"$tmp/spawn.log" 2>&1 & pids+=($!); }
cli() { ip netns exec $P-cli "$@"; }
mkdir -p "$tmp/ldap/db"
cat >"$tmp/slapd.conf" <<'SL'
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
suffix "dc=lab,dc=lan"
rootdn "cn=admin,dc=lab,dc=lan"
rootpw Ld4pAdmin2026
SL
echo "directory $tmp/ldap/db" >>"$tmp/slapd.conf"
spawn srv /usr/sbin/slapd -d 0 -h "ldap://$NET.30/" -f "$tmp/slapd.conf"
printf 'agentAddress udp:%s.30:161\nrocommunity public\nrwcommunity private\nrwcommunity n3tw0rk37\n' $NET >"$tmp/snmpd.conf"
spawn srv /usr/sbin/snmpd -f -Lo -C -c "$tmp/snmpd.conf" -p "$tmp/snmpd.pid"
sleep 3
rec() { # rec NAME: tcpdump on the server's side until stop
	ip netns exec $P-srv tcpdump -n -i eth0 -U -w "$out/$1.pcap" >/dev/null 2>&1 & tcpd=$!; sleep 1.5
}
stop() { sleep 1.5; kill $tcpd; wait $tcpd 2>/dev/null; }
for i in $(seq 1 30); do echo "uid=user$i,dc=lab,dc=lan"; done >"$tmp/dn30"
rec f37c_spray_ldap_hydra
cli hydra -L "$tmp/dn30" -p 'Spring2026!' -t 4 ldap3://$NET.30 >"$tmp/hydra.log" 2>&1
stop
rec f37c_benign_ldap_binds
for i in 1 2 3 4 5 6; do cli ldapwhoami -x -H ldap://$NET.30 -D cn=admin,dc=lab,dc=lan -w Ld4pAdmin2026 >/dev/null; sleep 1; done
cli ldapwhoami -x -H ldap://$NET.30 -D cn=admin,dc=lab,dc=lan -w typo2026 >/dev/null 2>&1
cli ldapwhoami -x -H ldap://$NET.30 -D cn=admin,dc=lab,dc=lan -w Ld4pAdmin2026 >/dev/null
stop
rec f37c_snmp_set_accepted
cli snmpset -v2c -c private -r 0 $NET.30 .1.3.6.1.2.1.1.4.0 s evil@x
cli snmpset -v1 -c n3tw0rk37 -r 0 $NET.30 .1.3.6.1.2.1.1.6.0 s basement
stop
rec f37c_benign_snmp_reads
cli snmpwalk -v2c -c public $NET.30 .1.3.6.1.2.1.1 >/dev/null
cli snmpget -v1 -c public $NET.30 .1.3.6.1.2.1.1.3.0 >/dev/null
cli snmpset -v2c -c public -r 0 $NET.30 .1.3.6.1.2.1.1.4.0 s x 2>&1 | head -1
stop
cat "$tmp/hydra.log" | tail -3
