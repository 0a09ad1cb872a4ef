#!/usr/bin/env bash
# pgo-profile.sh OUT [PACKETS] [CORPUS]: writes the CPU profile make build
# compiles tend with (go build -pgo=OUT): TestPGOProfile replays the office
# mix and, when the pcap corpus is there, the corpus mix (both made by
# traffic/internal/mixcap, as make bench-capture makes them), PACKETS each.
# Replay is what the profile is for: the packet path (decode, every
# detector, passive discovery, the fold) is tend's only CPU-bound work, and
# built with its profile the corpus mix replays in ~0.93x the task-clock.
# Run it again when the packet path changed much; a stale profile still
# builds (the compiler skips what no longer matches), it only helps less.
# Usage: scripts/pgo-profile.sh OUT [PACKETS] [CORPUS]
set -euo pipefail
out=$(realpath -m "${1:?usage: pgo-profile.sh OUT [PACKETS] [CORPUS]}")
PACKETS=${2:-400000}
CORPUS=${3:-../shared/corpus/pcap}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go run ./traffic/internal/mixcap -n "$PACKETS" -o "$dir/office.pcap"
caps=$dir/office.pcap
if [ -d "$CORPUS" ]; then
	go run ./traffic/internal/mixcap -corpus "$CORPUS" -n "$PACKETS" -o "$dir/corpus.pcap"
	caps+=,$dir/corpus.pcap
else
	echo "pgo-profile: no corpus at $CORPUS; the office mix only" >&2
fi
GOMAXPROCS=1 go test ./cmd/tend -run '^TestPGOProfile$' -count=1 -args -pgo-profile="$out" -pgo-captures="$caps"
printf 'pgo-profile: wrote %s (%s bytes)\n' "$out" "$(stat -c %s "$out")"
