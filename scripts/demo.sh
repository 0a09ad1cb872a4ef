#!/usr/bin/env bash
# sudo make demo: a virtual client LAN with tend serving on it. The box's
# port is a link in this (host) namespace, so the UI opens in a local browser.
# Ctrl-C stops tend and tears the whole lab down.
set -euo pipefail
BIN=${1:-bin/tend}
NAME=${TEND_DEMO_NAME:-demo}
LISTEN=${TEND_DEMO_LISTEN:-127.0.0.1:8443}
if [ "$(id -u)" != 0 ]; then
	echo "demo: building the lab needs root: sudo make demo" >&2
	exit 1
fi
DATA=$(mktemp -d /tmp/tend-demo.XXXXXX)
serve_pid=""
cleanup() {
	trap - EXIT INT TERM
	echo
	echo "demo: stopping"
	[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
	"$BIN" lab down --name "$NAME" || true
	rm -rf "$DATA"
}
trap cleanup EXIT INT TERM

"$BIN" lab up --name "$NAME" --box host --mirror
password=$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9' | head -c 16)
printf '%s\n' "$password" | "$BIN" user add --data "$DATA" --name admin --password-stdin
"$BIN" serve --interface "tl-$NAME" --data "$DATA" --listen "$LISTEN" --scan-interval 1m &
serve_pid=$!
for _ in $(seq 1 50); do
	curl -ksf "https://$LISTEN/healthz" >/dev/null 2>&1 && break
	sleep 0.2
done
cat <<MSG

  tend is serving the demo LAN.
  Open   https://$LISTEN/   (a self-signed certificate: accept it once)
  Log in as  admin  with password  $password

  Ctrl-C stops tend and removes the lab.

MSG
wait "$serve_pid"
