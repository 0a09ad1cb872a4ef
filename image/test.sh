#!/usr/bin/env bash
# Boots the appliance image in qemu and checks, from outside, what a client
# would see:
#   - the web UI answers over HTTPS on the forwarded port, with the certificate
#     whose fingerprint the console prints;
#   - tend runs as its own non-root system user with exactly CAP_NET_RAW,
#     CAP_NET_ADMIN and CAP_NET_BIND_SERVICE (effective and bounding) and
#     no_new_privs, as /proc/PID/status says (printed by tend-console.service);
#   - it opened a raw packet socket: its first ARP sweep sent requests;
#   - no default password: when the packaged tend writes the one-time setup
#     code, the console shows it and the web UI offers first-run setup.
#
#   image/test.sh IMAGE        (IMAGE is dist/tend-ARCH.img, ARCH amd64 or arm64)
#
# Software emulation only (TCG: KVM does not work on the CI machine), UEFI
# (OVMF on amd64's q35 machine; AAVMF, EDK2's arm64 build, on arm64's virt
# machine with a Cortex-A72, the Raspberry Pi 4's core), user-mode networking
# with restrict=on (the guest reaches nothing outside qemu) and the UI port
# forwarded to 127.0.0.1 only. The image is opened with snapshot=on: the test
# never changes it. BOOT_TIMEOUT (seconds, default 480 on amd64, 1800 on
# arm64, whose every instruction is translated) bounds the wait; the console
# log is kept in dist/image-test-console.log (amd64) or
# dist/image-test-console-arm64.log.
set -euo pipefail

img=$(realpath "${1:?usage: test.sh IMAGE}")
here=$(cd "$(dirname "$0")" && pwd)
case $(basename "$img") in
*arm64*) arch=arm64 ;;
*) arch=amd64 ;;
esac
bin=$(dirname "$img")/tend-linux-$arch
if [ "$arch" = arm64 ]; then
	timeout=${BOOT_TIMEOUT:-1800}
	log=$(realpath -m "$here/../dist/image-test-console-arm64.log")
	qemu=qemu-system-aarch64
	firmware=(/usr/share/qemu-efi-aarch64/QEMU_EFI.fd /usr/share/AAVMF/AAVMF_CODE.fd)
	machine=(-machine virt,accel=tcg -cpu cortex-a72)
else
	timeout=${BOOT_TIMEOUT:-480}
	log=$(realpath -m "$here/../dist/image-test-console.log")
	qemu=qemu-system-x86_64
	firmware=(/usr/share/ovmf/OVMF.fd /usr/share/qemu/OVMF.fd)
	machine=(-machine q35,accel=tcg -cpu max)
fi

for t in "$qemu" curl openssl python3; do
	command -v "$t" >/dev/null || { echo "image-test: $t missing: run make image-deps ARCH=$arch" >&2; exit 1; }
done
uefi=""
for f in "${firmware[@]}"; do
	[ -r "$f" ] && { uefi=$f; break; }
done
[ -n "$uefi" ] || { echo "image-test: UEFI firmware for $arch missing: run make image-deps ARCH=$arch" >&2; exit 1; }
[ -r "$img" ] || { echo "image-test: $img missing: run make image ARCH=$arch first" >&2; exit 1; }

work=$(mktemp -d /var/tmp/tend-image-test.XXXXXX)
qemu_pid=""
cleanup() {
	if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
		kill "$qemu_pid" 2>/dev/null || true
		wait "$qemu_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free loopback port for the UI.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$(dirname "$log")"
: >"$log"

start=$(date +%s)
"$qemu" \
	-nodefaults "${machine[@]}" -smp 2 -m 1024 \
	-bios "$uefi" \
	-drive file="$img",format=raw,if=virtio,snapshot=on \
	-nic user,model=virtio-net-pci,restrict=on,hostfwd=tcp:127.0.0.1:"$port"-:443 \
	-display none -monitor none -serial file:"$log" -no-reboot &
qemu_pid=$!
echo "image-test: booting $(basename "$img") in $qemu (TCG, UEFI $(basename "$uefi")), UI on https://127.0.0.1:$port/, console in $log"

fail() {
	echo "image-test: FAIL: $*" >&2
	echo "--- last console lines ---" >&2
	tail -n 40 "$log" | tr -d '\r' >&2
	exit 1
}
elapsed() { echo $(($(date +%s) - start)); }

# Wait for the console banner (it waits for tend to serve, then for its
# first sweep) and for the UI to answer.
banner_at="" ui_at=""
while :; do
	kill -0 "$qemu_pid" 2>/dev/null || fail "qemu exited"
	[ "$(elapsed)" -le "$timeout" ] || fail "no banner and UI within ${timeout}s"
	# The banner's last line is an empty "tend-console:" one.
	if [ -z "$banner_at" ] && tr -d '\r' <"$log" | grep -aqE 'tend-console: *$'; then
		banner_at=$(elapsed)
	fi
	if [ -z "$ui_at" ] && curl -sk --max-time 10 -o /dev/null "https://127.0.0.1:$port/healthz"; then
		ui_at=$(elapsed)
	fi
	[ -n "$banner_at" ] && [ -n "$ui_at" ] && break
	sleep 3
done
# The banner's lines, without the kernel's time stamps and unit prefixes.
console=$(tr -d '\r' <"$log" | sed -n 's/^.*\(tend-\(status\|sweep\|console\):\)/\1/p')
echo "image-test: UI answered after ${ui_at}s, console banner complete after ${banner_at}s"
sed 's/^/  /' <<<"$console"

# 1. HTTPS: the UI answers, and with the certificate the console names.
code=$(curl -sk --max-time 20 -o "$work/login.html" -w '%{http_code}' -L "https://127.0.0.1:$port/")
[ "$code" = 200 ] || fail "GET / answered $code, want 200 (the login page)"
grep -qi '<form' "$work/login.html" || fail "GET / is not a page with a form"
served=$(openssl s_client -connect "127.0.0.1:$port" </dev/null 2>/dev/null |
	openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//')
printed=$(sed -n 's/^tend-console: *Certificate SHA-256: *//p' <<<"$console" | tail -n 1)
[ -n "$served" ] || fail "no TLS certificate on port 443"
[ "$served" = "$printed" ] || fail "served certificate $served, console printed '$printed'"
echo "ok: HTTPS UI answers; certificate SHA-256 $served matches the console"

# 2. Least privilege, as the kernel reports it for the service's main process.
status=$(grep '^tend-status:' <<<"$console" | tail -n 1 || true)
user=$(sed -n 's/.* user=\([^ ]*\).*/\1/p' <<<"$status")
uid=$(sed -n 's/.* uid=\([0-9]*\).*/\1/p' <<<"$status")
caps=$(sed -n 's/.* caps=\([0-9a-f]*\).*/\1/p' <<<"$status")
bnd=$(sed -n 's/.* bounding=\([0-9a-f]*\).*/\1/p' <<<"$status")
nnp=$(sed -n 's/.* no_new_privs=\([0-9]*\).*/\1/p' <<<"$status")
[ "$user" = tend ] || fail "service runs as '$user', want tend ($status)"
[ -n "$uid" ] && [ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ] || fail "service uid '$uid' is not a non-root system uid"
# CAP_NET_BIND_SERVICE (10), CAP_NET_ADMIN (12), CAP_NET_RAW (13): 0x3400.
[ "$caps" = 0000000000003400 ] || fail "effective capabilities $caps, want 0000000000003400"
[ "$bnd" = 0000000000003400 ] || fail "bounding capabilities $bnd, want 0000000000003400"
[ "$nnp" = 1 ] || fail "no_new_privs is '$nnp', want 1"
echo "ok: tend runs as $user (uid $uid), CapEff=CapBnd=$caps (net_bind_service, net_admin, net_raw), no_new_privs"

# 3. The raw packet socket: the first sweep sent ARP frames from the service.
sweep=$(grep '^tend-sweep:' <<<"$console" | tail -n 1 || true)
sent=$(sed -n 's/.* arp_sent=\([0-9]*\).*/\1/p' <<<"$sweep")
[ -n "$sent" ] && [ "$sent" -gt 0 ] || fail "no ARP sweep from the service: $sweep"
echo "ok: the service opened a raw packet socket and sent $sent ARP requests ($(sed -n 's/.* \(hosts=[0-9]*\).*/\1/p' <<<"$sweep"))"

# 4. No default password: the one-time setup code, when this tend has it.
if [ -r "$bin" ] && grep -aq 'setup-code' "$bin"; then
	setup=$(sed -n 's/^tend-console: *First-run setup code: *//p' <<<"$console" | tail -n 1)
	[ -n "$setup" ] || fail "the console shows no first-run setup code"
	grep -qi 'setup' "$work/login.html" || fail "the login page does not offer first-run setup"
	echo "ok: console shows the one-time setup code; the login page offers first-run setup"
else
	echo "skip: $bin does not write a setup code (/var/lib/tend/setup-code) yet: setup-code check not run"
fi
echo "image-test: PASS in $(elapsed)s"
