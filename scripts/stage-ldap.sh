#!/usr/bin/env bash
# stage-ldap.sh OUTDIR [SCENARIO...]: session 38's LDAP fixtures, recorded
# with real tools (slapd, ldapwhoami -x simple binds) in a throw-away
# namespace LAN (netns prefix $STAGE_PREFIX, default ldap38) on one bridge,
# removed on exit. Needs root, slapd, ldap-utils and tcpdump. Scenarios
# (all by default):
#   ldap_distributed_one_dn: four hosts guess one DN, six passwords each
#     (resultCode 49): distributed guessing naming the account;
#   benign_ldap_mistype_stale: a user mistyping twice, a service account
#     retrying its stale password four times: no brute_force;
#   benign_ldap_stale_own_accounts: password change day (review 39
#     ldap_pwchange): four desks, two users each, every session retrying
#     its OLD password three times, each account from its own desk only,
#     then binding with the new one: no brute_force;
#   ldap_spray_v2_hydra (session 39 det40, review 37a spray_ldap): hydra's
#     ldap2 module binds 30 DNs with one password; slapd refuses each LDAPv2
#     bind (resultCode 2 protocolError, not 49): brute_force on c1;
#   benign_ldap_v2_one_dn: an application (c2) retrying its one service
#     DN over LDAPv2 25 times in 12 s (ldapsearch -P 2), an old client (c3) whose one LDAPv2
#     bind is refused: no brute_force.
set -uo pipefail
out=${1:?outdir}; P=${STAGE_PREFIX:-ldap38}
NET=10.39.1; tmp=$(mktemp -d /tmp/$P-lab.XXXXXX); chmod 755 "$tmp"
pids=()
hosts="srv:30:00:11:32:00:39:30 c1:11:3c:52:82:00:39:11 c2:12:f0:1f:af:00:39:12 c3:13:d4:81:d7:00:39:13 c4:14:3c:52:82:00:39:14"
cleanup() {
	set +e
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	for ns in $P-srv $P-c1 $P-c2 $P-c3 $P-c4 $P-sw; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		sleep 0.2; ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add $P-sw
ip -n $P-sw link set lo up
ip -n $P-sw link add br0 type bridge ageing_time 0
ip -n $P-sw link set br0 up
for h in $hosts; do
	n=${h%%:*}; rest=${h#*:}; last=${rest%%:*}; m=${rest#*:}
	ip netns add $P-$n
	ip -n $P-sw link add p$n type veth peer name eth0 netns $P-$n address $m
	ip -n $P-$n link set lo up
	ip -n $P-$n addr add $NET.$last/24 dev eth0
	ip -n $P-$n link set eth0 up
	ip -n $P-sw link set p$n master br0 up
done
sleep 1
spawn() { setsid ip netns exec "$P-$1" "${@:2}" >>"$tmp/spawn.log" 2>&1 & pids+=($!); }
on() { ip netns exec "$P-$1" "${@:2}"; }
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
sleep 3
rec() { # rec NAME: tcpdump on the server's side until stop
	ip netns exec "$P-srv" tcpdump -n -i eth0 -U -w "$out/$1.pcap" >/dev/null 2>&1 & tcpd=$!; sleep 1.5
}
stop() { sleep 1.5; kill $tcpd; wait $tcpd 2>/dev/null; }
bind() { on "$1" ldapwhoami -x -H ldap://$NET.30 -D "$2" -w "$3" >/dev/null 2>&1; }
scn_ldap_distributed_one_dn() {
	for round in 1 2 3 4 5 6; do
		for c in c1 c2 c3 c4; do bind $c cn=admin,dc=lab,dc=lan "Guess$round$c!"; sleep 0.3; done
	done
}
scn_benign_ldap_mistype_stale() {
	bind c1 cn=admin,dc=lab,dc=lan Ld4pAdmin2026
	bind c2 uid=alice,dc=lab,dc=lan alice-typo1
	bind c2 uid=alice,dc=lab,dc=lan alice-typo2
	bind c2 cn=admin,dc=lab,dc=lan Ld4pAdmin2026
	for i in 1 2 3 4; do bind c3 uid=svc-backup,dc=lab,dc=lan OldBackup2025; sleep 2; done
	bind c4 cn=admin,dc=lab,dc=lan Ld4pAdmin2026
}
scn_benign_ldap_stale_own_accounts() {
	for round in 1 2 3; do
		for c in c1 c2 c3 c4; do
			bind $c uid=u${c#c}a,dc=lab,dc=lan "Old-${c}a-2025"; sleep 0.2
			bind $c uid=u${c#c}b,dc=lab,dc=lan "Old-${c}b-2025"; sleep 0.2
		done
		sleep 3
	done
	for c in c1 c2 c3 c4; do bind $c cn=admin,dc=lab,dc=lan Ld4pAdmin2026; done
}
scn_ldap_spray_v2_hydra() {
	local u
	for u in admin alice bob carol dave erin frank grace heidi ivan judy mallory niaj olivia peggy rupert sybil trent victor walter \
		administrator backup svc-sql svc-web helpdesk operator ldapadmin manager root test; do echo "cn=$u,dc=lab,dc=lan"; done >"$tmp/dn30"
	on c1 timeout 60 hydra -L "$tmp/dn30" -p 'Spring2026!' -t 4 ldap2://$NET.30 >"$tmp/hydra.log" 2>&1
}
scn_benign_ldap_v2_one_dn() {
	local i
	for i in $(seq 25); do on c2 ldapsearch -P 2 -x -H ldap://$NET.30 -D uid=svc-app,dc=lab,dc=lan -w App2026 -b dc=lab,dc=lan uid=svc-app >/dev/null 2>&1; sleep 0.5; done
	on c3 ldapsearch -P 2 -x -H ldap://$NET.30 -D uid=carol,dc=lab,dc=lan -w carol-pw -b dc=lab,dc=lan uid=carol >/dev/null 2>&1
}
all=$(declare -F | awk '{print $3}' | grep '^scn_' | sed 's/^scn_//')
for s in ${@:2}; do declare -F "scn_$s" >/dev/null || { echo "stage-ldap.sh: no scenario $s (have: $(echo $all))" >&2; exit 2; }; done
todo=${*:2}
for s in ${todo:-$all}; do
	rec "$s"
	"scn_$s"
	stop
done
