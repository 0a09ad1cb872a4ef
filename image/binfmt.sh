# Lets this machine run another architecture's programs for the length of an
# image build: Debian's qemu-user-static handlers, registered with the
# kernel's binfmt_misc. Sourced by build.sh (bash, set -euo pipefail).
#
#   binfmt_setup ARCH STATEDIR   # mount binfmt_misc when absent, register
#                                # the handler when absent, check arch-test
#   binfmt_undo STATEDIR         # unregister and unmount what setup added
#
# Only what binfmt_setup itself added is undone, as recorded in STATEDIR:
# a handler or mount that was there before (binfmt-support, systemd-binfmt,
# an earlier session) stays. The handler is registered with the flags of
# Debian's /usr/lib/binfmt.d file (F: the kernel opens the interpreter at
# registration, so it runs inside the chroot, which has no qemu in it).

binfmt_dir=/proc/sys/fs/binfmt_misc

# binfmt_qemu ARCH: the qemu name of a Debian architecture.
binfmt_qemu() {
	case $1 in
	arm64) echo aarch64 ;;
	armhf | armel) echo arm ;;
	riscv64) echo riscv64 ;;
	*) echo "binfmt: no qemu-user handler known for $1" >&2; return 1 ;;
	esac
}

binfmt_setup() {
	local arch=$1 state=$2 q conf
	q=$(binfmt_qemu "$arch")
	if arch-test "$arch" >/dev/null 2>&1; then
		return 0
	fi
	conf=/usr/lib/binfmt.d/qemu-$q.conf
	[ -r "$conf" ] || { echo "binfmt: $conf missing: install qemu-user-static (make image-deps ARCH=$arch)" >&2; return 1; }
	if ! mountpoint -q "$binfmt_dir"; then
		mount -t binfmt_misc binfmt_misc "$binfmt_dir" ||
			{ echo "binfmt: cannot mount binfmt_misc on $binfmt_dir" >&2; return 1; }
		echo "$binfmt_dir" >"$state/binfmt-mounted"
		echo "image: mounted binfmt_misc on $binfmt_dir (undone at exit)"
	fi
	if [ ! -e "$binfmt_dir/qemu-$q" ]; then
		# The file holds one registration line; comments are allowed.
		grep -v '^[#;]' "$conf" | grep -m 1 . >"$binfmt_dir/register" ||
			{ echo "binfmt: registering $conf failed" >&2; return 1; }
		echo "qemu-$q" >"$state/binfmt-registered"
		echo "image: registered the qemu-$q binfmt handler (undone at exit)"
	elif [ "$(head -n 1 "$binfmt_dir/qemu-$q")" != enabled ]; then
		echo "binfmt: $binfmt_dir/qemu-$q exists but is disabled; enable it (echo 1 > $binfmt_dir/qemu-$q) or remove it" >&2
		return 1
	fi
	arch-test "$arch" >/dev/null 2>&1 ||
		{ echo "binfmt: qemu-$q is registered, yet arch-test $arch fails" >&2; return 1; }
}

binfmt_undo() {
	local state=$1 name
	if [ -f "$state/binfmt-registered" ]; then
		name=$(cat "$state/binfmt-registered")
		[ -e "$binfmt_dir/$name" ] && echo -1 >"$binfmt_dir/$name" 2>/dev/null || true
		rm -f "$state/binfmt-registered"
	fi
	if [ -f "$state/binfmt-mounted" ]; then
		# Another handler registered since (by someone else) keeps the mount.
		if [ -z "$(find "$binfmt_dir" -mindepth 1 -maxdepth 1 ! -name register ! -name status -print -quit 2>/dev/null)" ]; then
			umount "$binfmt_dir" 2>/dev/null || true
		fi
		rm -f "$state/binfmt-mounted"
	fi
}
