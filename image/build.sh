#!/usr/bin/env bash
# Builds the tend appliance image: a minimal Debian bookworm root file system
# (mmdebstrap) with the tend .deb installed, on a GPT disk with an EFI system
# partition (systemd-boot) and an ext4 root. No loop devices, no mounts: the
# partitions are made as files (mkfs.fat -C + mcopy, mkfs.ext4 -d) and copied
# into the disk with dd.
#
#   image/build.sh ARCH DEB OUTDIR
#
# Writes OUTDIR/tend-ARCH.img (raw, sparse) and OUTDIR/tend-ARCH.img.zst.
# MIRROR and SECURITY_MIRROR choose the Debian mirrors; APT_CACHE (default
# OUTDIR/apt-cache) keeps downloaded packages between builds; ZSTD_LEVEL
# (default 6) trades compression time for size: 19 saves about 6% and
# takes ten times the CPU.
#
# The work directory is a fresh mktemp directory under /var/tmp (never the
# source tree), removed on exit. mmdebstrap runs in root mode (the only mode
# that writes a directory with the right owners, which mkfs.ext4 -d copies)
# inside its own mount and PID namespace: the /proc, /sys and /dev mounts it
# makes in the chroot exist only in that namespace, so they vanish with it
# even when the build is killed with SIGKILL.
set -euo pipefail

usage='usage: build.sh ARCH DEB OUTDIR'
arch=${1:?$usage}
deb=$(realpath "${2:?$usage}")
out=$(realpath -m "${3:?$usage}")
here=$(cd "$(dirname "$0")" && pwd)
mirror=${MIRROR:-http://deb.debian.org/debian}
security=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}
cache=${APT_CACHE:-$out/apt-cache}
level=${ZSTD_LEVEL:-6}

case $arch in
amd64)
	kernel=linux-image-amd64
	efi_name=BOOTX64.EFI sdboot=systemd-bootx64.efi
	root_type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709 # GPT "Linux root (x86-64)", UAPI discoverable partitions
	console=ttyS0,115200
	extra=
	initrd_modules= # MODULES=most: x86 boards vary, and the build runs natively
	initrd_required=
	;;
arm64)
	kernel=linux-image-arm64
	efi_name=BOOTAA64.EFI sdboot=systemd-bootaa64.efi
	root_type=B921B045-1DF0-41C3-AF44-4C6F280D3FAE # GPT "Linux root (arm64)"
	console=ttyAMA0,115200
	# The Raspberry Pi boot firmware (start4.elf & co.): a Pi 4 boots the
	# kernel from the ESP directly, no UEFI needed (see README).
	extra=raspi-firmware
	# The initramfs holds only what finds and mounts the root: building it
	# with MODULES=most runs modprobe and modinfo for every module under
	# qemu-user (past 28 minutes, never finished); this list takes seconds.
	# MODULES=dep would look at this build machine's devices, not the
	# board's. Names the kernel lacks are skipped by mkinitramfs; build.sh
	# checks that the ones every board needs are in the initramfs.
	# virt machine: virtio (PCI and MMIO) disks; Raspberry Pi 4: emmc2
	# (sdhci-iproc) and the SD slot's regulator and GPIO expander, USB
	# boot behind the VL805 (pcie-brcmstb, xhci, reset-raspberrypi);
	# Pi 5 / ARM thin clients: sdhci-brcmstb, NVMe, AHCI, USB storage.
	initrd_modules='ext4 crc32c_generic crc32_generic virtio_pci virtio_mmio virtio_blk virtio_scsi sd_mod
mmc_block sdhci_iproc sdhci_pltfm sdhci_brcmstb bcm2835 gpio_regulator gpio_raspberrypi_exp
pcie_brcmstb reset_raspberrypi xhci_pci xhci_plat_hcd dwc2 usb_storage uas nvme ahci ahci_platform'
	initrd_required='ext4 virtio_blk virtio_pci mmc_block sdhci_iproc usb_storage'
	;;
*)
	echo "build.sh: unsupported ARCH $arch (amd64 or arm64)" >&2
	exit 2
	;;
esac

[ "$(id -u)" = 0 ] || { echo "build.sh: run as root (sudo make image)" >&2; exit 1; }
for t in mmdebstrap mkfs.ext4 mkfs.fat mmd mcopy sfdisk zstd unshare; do
	command -v "$t" >/dev/null || { echo "build.sh: $t missing: run make image-deps" >&2; exit 1; }
done
# shellcheck source=binfmt.sh
. "$here/binfmt.sh"
foreign=
[ "$arch" != "$(dpkg --print-architecture)" ] && foreign=1

# Fixed identifiers make the image reproducible in layout and let the boot
# entry name the root partition before the disk exists.
root_partuuid=6e9c6a52-7e5c-4c55-9a5b-74656e64726f
esp_partuuid=6e9c6a52-7e5c-4c55-9a5b-74656e646573
disk_uuid=6e9c6a52-7e5c-4c55-9a5b-74656e646469
root_fsuuid=6e9c6a52-7e5c-4c55-9a5b-74656e64667f
# Timestamps in the file systems come from the last commit (mmdebstrap and
# mkfs.ext4 honour these), not from the clock.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)}
export E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH

mkdir -p "$out" "$cache"
# Work directories of builds that were killed (their trap never ran) go first.
for d in /var/tmp/tend-image.*; do
	[ -f "$d/pid" ] && ! kill -0 "$(cat "$d/pid")" 2>/dev/null && { binfmt_undo "$d"; rm -rf --one-file-system "$d"; }
done
work=$(mktemp -d /var/tmp/tend-image.XXXXXX)
chmod 0755 "$work" # apt downloads as _apt
echo $$ >"$work/pid"
cleanup() {
	binfmt_undo "$work"
	# --one-file-system: never follow a mount into the host, should one exist.
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Another architecture's programs (the packages' maintainer scripts) run
# through qemu-user-static, registered for this build only.
[ -z "$foreign" ] || binfmt_setup "$arch" "$work"
rootfs=$work/rootfs

# Kernel modules a headless wired network appliance never loads: GPU drivers
# (the console stays on the firmware frame buffer), sound, media, wireless,
# Bluetooth, exotic buses and file systems, virtualisation hosts. Wired NICs,
# storage, USB, HID, ext4, vfat and netfilter stay. dpkg never unpacks them
# (so the kernel's own depmod and initrd build see the trimmed set, and the
# rule stays in /etc/dpkg/dpkg.cfg.d for kernel updates).
trim_modules='drivers/gpu/drm/amd drivers/gpu/drm/nouveau drivers/gpu/drm/radeon drivers/gpu/drm/i915
drivers/gpu/drm/xe drivers/gpu/drm/msm drivers/gpu/drm/vmwgfx drivers/gpu/drm/gma500
drivers/media sound drivers/net/wireless drivers/bluetooth net/bluetooth net/mac80211 net/wireless
drivers/staging drivers/infiniband drivers/isdn drivers/iio drivers/input/joystick
drivers/input/touchscreen drivers/input/misc drivers/net/can net/can drivers/net/hamradio net/ax25
net/netrom net/rose drivers/atm net/atm drivers/nfc net/nfc drivers/net/wwan drivers/thunderbolt
drivers/fpga drivers/comedi drivers/hwmon/pmbus arch/x86/kvm drivers/vhost
fs/xfs fs/btrfs fs/ocfs2 fs/gfs2 fs/ceph fs/jfs fs/nilfs2 fs/orangefs fs/reiserfs fs/ubifs
fs/afs fs/coda fs/dlm fs/ntfs3 fs/smb fs/cifs fs/nfs fs/nfsd fs/erofs fs/f2fs'
trim_opts=()
for m in $trim_modules; do
	trim_opts+=(--dpkgopt="path-exclude=/lib/modules/*/kernel/$m/*" --dpkgopt="path-exclude=/usr/lib/modules/*/kernel/$m/*")
done

# The initramfs module list (see ARCH above), in place before the kernel's
# postinst builds the initramfs, and kept for kernel updates. The list goes
# to modules.d, not /etc/initramfs-tools/modules, a conffile dpkg would ask
# about.
initrd_opts=()
if [ -n "$initrd_modules" ]; then
	printf 'MODULES=list\n' >"$work/initramfs.conf"
	printf '%s\n' $initrd_modules >"$work/initramfs.modules"
	initrd_opts=(--essential-hook="mkdir -p \"\$1\"/etc/initramfs-tools/conf.d \"\$1\"/usr/share/initramfs-tools/modules.d"
		--essential-hook="cp '$work/initramfs.conf' \"\$1\"/etc/initramfs-tools/conf.d/tend"
		--essential-hook="cp '$work/initramfs.modules' \"\$1\"/usr/share/initramfs-tools/modules.d/tend")
fi

# Each step's wall time, printed when the next starts (and at the end).
build_start=$(date +%s) step_name= step_start=
step() {
	local now
	now=$(date +%s)
	[ -z "$step_name" ] || echo "image: $step_name took $((now - step_start))s"
	step_name=$1 step_start=$now
	[ -z "$1" ] || echo "image: $1"
}

step "root file system (mmdebstrap, $arch)"
cp "$deb" "$work/"
unshare --mount --propagation private --pid --fork --kill-child --mount-proc \
	mmdebstrap --mode=root --variant=minbase --arch="$arch" \
	--components=main,non-free-firmware ${IMAGE_VERBOSE:+--verbose} \
	--include="systemd,systemd-sysv,systemd-timesyncd,udev,kmod,$kernel,initramfs-tools,zstd,iproute2,ca-certificates,systemd-boot-efi${extra:+,$extra}" \
	--dpkgopt=force-unsafe-io \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/info/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--dpkgopt='path-include=/usr/share/locale/locale.alias' \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/lintian/*' \
	--dpkgopt='path-exclude=/usr/share/bug/*' \
	"${trim_opts[@]}" "${initrd_opts[@]}" \
	--skip=download/empty --skip=essential/unlink \
	--setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
	--setup-hook="sync-in '$cache' /var/cache/apt/archives/" \
	--customize-hook="sync-out /var/cache/apt/archives '$cache'" \
	--customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb' \
	--customize-hook="sync-in '$here/overlay' /" \
	--customize-hook="copy-in '$work/$(basename "$deb")' /tmp" \
	--customize-hook="chroot \"\$1\" dpkg -i /tmp/$(basename "$deb")" \
	--customize-hook='rm -f "$1"/tmp/*.deb' \
	--customize-hook='chroot "$1" systemctl enable systemd-networkd.service systemd-networkd-wait-online.service systemd-timesyncd.service' \
	--customize-hook="printf 'PARTUUID=$root_partuuid / ext4 defaults,noatime,x-systemd.growfs 0 1\n' >\"\$1\"/etc/fstab" \
	--customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/log/*.log "$1"/var/cache/debconf/*-old "$1"/etc/machine-id "$1"/var/lib/dbus/machine-id' \
	--customize-hook='touch "$1"/etc/machine-id' \
	bookworm "$rootfs" \
	"deb $mirror bookworm main non-free-firmware" \
	"deb $mirror bookworm-updates main non-free-firmware" \
	"deb $security bookworm-security main non-free-firmware"

# No account may have an empty password: the appliance has no default login.
if awk -F: '$2 == "" {bad = 1} END {exit !bad}' "$rootfs/etc/shadow"; then
	echo "image: an account has an empty password" >&2
	exit 1
fi
# The service's user must be a system user without a login.
if ! awk -F: '$1 == "tend" && $3 < 1000 && $3 > 0 && $7 ~ /nologin$/ {ok = 1} END {exit !ok}' "$rootfs/etc/passwd"; then
	echo "image: no tend system user with a nologin shell" >&2
	exit 1
fi
# The settings may hold SNMP credentials: root's alone, and never on the
# service's command line.
if [ "$(stat -c '%a %U' "$rootfs/etc/tend/tend.conf")" != "600 root" ]; then
	echo "image: /etc/tend/tend.conf is not mode 0600 root" >&2
	exit 1
fi
if grep -q -- '--community\|--snmp-v3 ' "$rootfs/usr/lib/systemd/system/tend.service"; then
	echo "image: tend.service passes SNMP credentials on the command line" >&2
	exit 1
fi

kver=$(ls "$rootfs/lib/modules")
if [ -n "$initrd_required" ]; then
	# Every listed module the boards need is in the initramfs or built into
	# the kernel (names compared with - and _ alike), read here natively.
	have=$( {
		zstd -dc "$rootfs/boot/initrd.img-$kver" | python3 -c '
import sys
d = sys.stdin.buffer.read()
i = 0
while d[i:i + 6] == b"070701":
    size, namesize = int(d[i + 54:i + 62], 16), int(d[i + 94:i + 102], 16)
    name = d[i + 110:i + 110 + namesize - 1].decode()
    if name == "TRAILER!!!":
        break
    print(name)
    i = (i + 110 + namesize + 3) & ~3
    i = (i + size + 3) & ~3
'
		cat "$rootfs/lib/modules/$kver/modules.builtin"
	} | sed -n 's#.*/\([^/]*\)\.ko\(\..*\)\{0,1\}$#\1#p' | tr - _ | sort -u)
	for m in $initrd_required; do
		grep -qx "$m" <<<"$have" || { echo "image: module $m is neither in the initramfs nor built in" >&2; exit 1; }
	done
	echo "image: initramfs $(du -k "$rootfs/boot/initrd.img-$kver" | cut -f1) KiB with $initrd_required (module or built in)"
fi

step "EFI system partition"
esp=$work/esp.img
esp_mib=128
mkfs.fat -F 32 -n TEND-ESP -i 74656e64 -C "$esp" $((esp_mib * 1024)) >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries
mcopy -i "$esp" "$rootfs/usr/lib/systemd/boot/efi/$sdboot" "::/EFI/BOOT/$efi_name"
mcopy -i "$esp" "$rootfs/boot/vmlinuz-$kver" ::/vmlinuz
mcopy -i "$esp" "$rootfs/boot/initrd.img-$kver" ::/initrd.img
cmdline="root=PARTUUID=$root_partuuid ro rootwait console=tty0 console=$console net.ifnames=0 quiet"
printf 'default tend.conf\ntimeout 0\nconsole-mode keep\neditor no\n' >"$work/loader.conf"
printf 'title tend appliance\nlinux /vmlinuz\ninitrd /initrd.img\noptions %s\n' "$cmdline" >"$work/tend.conf"
mcopy -i "$esp" "$work/loader.conf" ::/loader/loader.conf
mcopy -i "$esp" "$work/tend.conf" ::/loader/entries/tend.conf
if [ "$arch" = arm64 ]; then
	# Raspberry Pi 4: its EEPROM boot loader reads the first FAT partition of
	# a GPT disk, runs start4.elf, which loads config.txt, the device tree,
	# the (gzip) kernel and the initrd: the same kernel UEFI boards get.
	fw=$rootfs/usr/lib/raspi-firmware
	mcopy -i "$esp" "$fw"/* ::/
	mcopy -i "$esp" "$rootfs"/usr/lib/linux-image-"$kver"/broadcom/bcm2711-rpi-*.dtb ::/
	printf '[all]\narm_64bit=1\nkernel=vmlinuz\ninitramfs initrd.img followkernel\nenable_uart=1\nupstream_kernel=1\ndisable_overscan=1\n' >"$work/config.txt"
	printf '%s\n' "${cmdline/ttyAMA0/ttyS1}" >"$work/cmdline.txt"
	mcopy -i "$esp" "$work/config.txt" "$work/cmdline.txt" ::/
fi

step "ext4 root file system"
# The kernel and initrd are on the ESP; the root keeps only what runs.
rm -f "$rootfs"/boot/vmlinuz-* "$rootfs"/boot/initrd.img-* "$rootfs"/vmlinuz* "$rootfs"/initrd.img*
used_mib=$(du -s --block-size=1M "$rootfs" | cut -f1)
root_mib=$((used_mib + used_mib / 4 + 256)) # a quarter for metadata and updates, 256 MiB for the inventory and logs
root=$work/root.img
mkfs.ext4 -q -L tend-root -U "$root_fsuuid" -E root_owner=0:0,hash_seed=$root_fsuuid -d "$rootfs" "$root" "${root_mib}M"

step "GPT disk"
img=$out/tend-$arch.img
rm -f "$img" "$img.zst"
start_mib=1
disk_mib=$((start_mib + esp_mib + root_mib + 1)) # 1 MiB at the end for the backup GPT
truncate -s "${disk_mib}M" "$work/disk.img"
sfdisk --quiet "$work/disk.img" <<EOF
label: gpt
label-id: $disk_uuid
unit: sectors
start=$((start_mib * 2048)), size=$((esp_mib * 2048)), type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$esp_partuuid, name="esp"
start=$(((start_mib + esp_mib) * 2048)), size=$((root_mib * 2048)), type=$root_type, uuid=$root_partuuid, name="root"
EOF
dd if="$esp" of="$work/disk.img" bs=1M seek=$start_mib conv=notrunc,sparse status=none
dd if="$root" of="$work/disk.img" bs=1M seek=$((start_mib + esp_mib)) conv=notrunc,sparse status=none

step "compress (zstd -$level)"
zstd -q -T0 -"$level" -f "$work/disk.img" -o "$work/disk.img.zst"
# Outputs appear only when complete.
mv "$work/disk.img" "$img"
mv "$work/disk.img.zst" "$img.zst"
printf 'image: %s (%s MiB raw, %s MiB used), %s (%s MiB compressed)\n' "$img" "$disk_mib" \
	"$(($(du -k "$img" | cut -f1) / 1024))" "$img.zst" "$(($(stat -c %s "$img.zst") / 1048576))"
step ""
echo "image: built in $(($(date +%s) - build_start))s"
