#!/usr/bin/env bash
# test-all.sh ARCH: make test's order (run by make test, as root, after deps,
# build, image-deps and deb). The appliance image builds from the start at the
# lowest CPU priority (nice 19, idle I/O class), so it takes only what the
# tests leave: the lab tests mostly wait on deadlines and real tools, and
# that idle time was the image's build time added after them. Then:
# test-go (the suite with -race, lab tests included), test-future (the
# packages whose tests move their clock or skip work under -race, again
# without -race on the moved clock), the image's build awaited, and the
# image booted in qemu (image-test). Each step's wall time is printed at the
# end. A failed step ends the run with its status (the image build is
# stopped and its work directory removed); the image build's log is shown
# whole only when it fails.
set -uo pipefail
arch=${1:-amd64}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
mkdir -p dist
log=dist/image-build.log
start=$(date +%s)
times=()
lap() { times+=("$1 $(($(date +%s) - $2))s"); }

# Its own session and process group, so that stopping it reaches mmdebstrap
# and dpkg too (build.sh's trap removes its work directory).
setsid nice -n 19 ionice -c 3 image/build.sh "$arch" "dist/tend_$arch.deb" dist >"$log" 2>&1 &
image_pid=$!
stop_image() {
	kill -0 "$image_pid" 2>/dev/null || return 0
	kill -TERM -- "-$image_pid" 2>/dev/null
	wait "$image_pid" 2>/dev/null
}
trap 'stop_image; exit 130' INT TERM
summary() {
	printf 'test: %s\n' "${times[@]}"
	echo "test: $1 after $(($(date +%s) - start))s"
}
fail() {
	stop_image
	times+=("(image build stopped)")
	summary "FAIL ($2 exit $1)"
	exit "$1"
}

t=$(date +%s)
make --no-print-directory test-go || fail $? test-go
lap test-go "$t"
t=$(date +%s)
make --no-print-directory test-future || fail $? test-future
lap test-future "$t"
t=$(date +%s)
wait "$image_pid"
status=$?
grep '^image: ' "$log"
if [ "$status" != 0 ]; then
	echo "test: the image build failed (exit $status); its log ($log):"
	cat "$log"
	summary "FAIL (image build exit $status)"
	exit "$status"
fi
lap "image build (waited for after the tests)" "$t"
t=$(date +%s)
make --no-print-directory image-test ARCH="$arch" || { s=$?; summary "FAIL (image-test exit $s)"; exit "$s"; }
lap image-test "$t"
summary PASS
