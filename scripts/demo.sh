#!/usr/bin/env bash
# sudo make demo: a virtual office LAN with tend serving on it. The box's
# port is a link in this (host) namespace, so the UI opens in a local browser.
# The office LAN's SNMP recordings come from the reference corpus when it is
# beside the checkout, else from the clone's own lab/testdata/snmp. demolife
# (lab/internal/demolife) makes the office live: DHCP, mDNS, SSDP, NetBIOS,
# DNS and web traffic, a phone joining, a staged nmap port scan a minute in
# and a rogue DHCP server; it prints the dashboard's figures at 1:00 and 2:00.
# Ctrl-C stops tend and tears the whole lab down.
set -euo pipefail
BIN=${1:-bin/tend}
LIFE=${2:-bin/demolife}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${TEND_CORPUS:-}
[ -n "$CORPUS" ] && [ -d "$CORPUS" ] || CORPUS="$ROOT/lab/testdata/snmp"
NAME=${TEND_DEMO_NAME:-demo}
LISTEN=${TEND_DEMO_LISTEN:-127.0.0.1:8443}
if [ "$(id -u)" != 0 ]; then
	echo "demo: building the lab needs root: sudo make demo" >&2
	exit 1
fi
DATA=$(mktemp -d /tmp/tend-demo.XXXXXX)
serve_pid=""
life_pid=""
cleanup() {
	trap - EXIT INT TERM
	echo
	echo "demo: stopping"
	[ -n "$life_pid" ] && kill "$life_pid" 2>/dev/null && wait "$life_pid" 2>/dev/null || true
	[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
	"$BIN" lab down --name "$NAME" || true
	rm -rf "$DATA"
}
trap cleanup EXIT INT TERM

"$BIN" lab up --name "$NAME" --box host --mirror --lan office --corpus "$CORPUS"
# The office's gateway (the first router): serve learns which DHCP server
# is legitimate from it, so the staged rogue one is reported.
# awk reads to the end: a reader that quits early kills the writer with
# SIGPIPE, which pipefail makes the script's end.
gateway=$("$BIN" lab status --name "$NAME" | awk '$2 == "router" && g == "" {g = $3} END {print g}')
password=$(head -c 15 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')
printf '%s\n' "$password" | "$BIN" user add --data "$DATA" --name admin --password-stdin
# A read-only API token (0600) for demolife's status lines at 1:00 and 2:00.
(umask 077 && "$BIN" token create --data "$DATA" --name demo-status > "$DATA/status-token")
# A demo cannot wait ten minutes: a short learning period (the phone that
# joins at 0:30 is a new device) and a traffic point every 20 s.
"$BIN" serve --interface "tl-$NAME" --data "$DATA" --listen "$LISTEN" --scan-interval 1m \
	--learning 20s --rollup 20s ${gateway:+--gateway "$gateway"} &
serve_pid=$!
for _ in $(seq 1 50); do
	curl --http1.1 -ksf "https://$LISTEN/healthz" >/dev/null 2>&1 && break
	sleep 0.2
done
if [ -x "$LIFE" ]; then
	"$LIFE" -name "$NAME" -incident 1m -ui "https://$LISTEN" -token-file "$DATA/status-token" -report 1m,2m &
	life_pid=$!
fi
scanner="nmap (its 100 most common ports)"
command -v nmap >/dev/null || scanner="demolife's own connect scan (nmap is not installed: make deps installs it)"
cat <<MSG

  tend is serving the demo office LAN (48 devices, recordings from $CORPUS).
  Open   https://$LISTEN/   (a self-signed certificate: accept it once)
  Log in as  admin  with password  $password

  What to look at:
   - Dashboard: devices, health score and actions within a minute (the first sweep);
     the traffic chart draws itself from 0:40 (a point every 20 s; 5 minutes on a real box).
   - Devices: switches, firewalls, printers, NAS and UPS named by model and firmware
     over SNMP; workstations and phones by DHCP, mDNS, NetBIOS and their MAC vendor.
   - At about 0:30 a tablet joins with a randomised MAC (a new-device event).
   - At about 1:00 a workstation port-scans its neighbours with $scanner:
     watch Events and Actions.
   - At about 1:30 an old Linux server starts a rogue DHCP server (dnsmasq): a rogue_dhcp event.
   - Map: a tree from the gateway through the core switch to access switches, APs and the
     hosts on their ports; the subnets the routers' ARP tables know are one box each (those
     hosts are counted apart on the dashboard, not as unknown devices of this LAN).
   - At 1:00 and 2:00 this terminal prints what the dashboard shows.

  Ctrl-C stops tend and removes the lab.

MSG
wait "$serve_pid"
