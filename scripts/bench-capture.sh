#!/usr/bin/env bash
# make bench-capture: decode + every detector (`tend replay`: traffic's
# detectors and discovery's passive decoders) against `tcpdump -r FILE -nn >
# /dev/null` on two captures, on one core, ROUNDS runs each with hyperfine
# (medians), all four in one hyperfine run so they share the machine's state:
#   office: a generated office mix (traffic/internal/mixcap);
#   corpus: every capture of ../shared/corpus/pcap, attacks and office traffic,
#           concatenated until PACKETS (mixcap -corpus), when the corpus is there.
# And side by side, what reading DNS questions and TLS server names for the
# hygiene table costs: the office mix with real names (mixcap -names) through
# tend replay with and without --hygiene=false.
# tcpdump runs twice: as a stock shell starts it (TZ unset: glibc stats
# /etc/localtime for every packet's timestamp, 1,526 stat calls for 1,577
# packets under strace) and with TZ=UTC (no stat): both ratios are printed;
# the second is the fair one.
# Then the Go benchmarks for the per-packet cost and allocations.
# Usage: scripts/bench-capture.sh BIN [PACKETS] [ROUNDS] [CORPUS]
set -euo pipefail
BIN=${1:-bin/tend}
PACKETS=${2:-400000}
ROUNDS=${3:-5}
CORPUS=${4:-../shared/corpus/pcap}
command -v tcpdump >/dev/null || { echo "bench-capture: needs tcpdump (make deps)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench-capture: needs hyperfine (make deps)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go run ./traffic/internal/mixcap -n "$PACKETS" -o "$dir/office.pcap"
caps=(office)
if [ -d "$CORPUS" ]; then
	go run ./traffic/internal/mixcap -corpus "$CORPUS" -n "$PACKETS" -o "$dir/corpus.pcap"
	caps+=(corpus)
else
	echo "bench-capture: no corpus at $CORPUS; the office mix only" >&2
fi
core=$(( $(nproc) - 1 ))
cmds=()
for c in "${caps[@]}"; do
	printf 'capture %s: %d packets, %s bytes\n' "$c" "$PACKETS" "$(stat -c %s "$dir/$c.pcap")"
	cat "$dir/$c.pcap" > /dev/null # all read it from the page cache
	cmds+=(-n "tend replay $c" "GOMAXPROCS=1 taskset -c $core $BIN replay --json $dir/$c.pcap > /dev/null"
		-n "tcpdump $c" "env -u TZ taskset -c $core tcpdump -r $dir/$c.pcap -nn > /dev/null 2>&1"
		-n "tcpdump TZ=UTC $c" "TZ=UTC taskset -c $core tcpdump -r $dir/$c.pcap -nn > /dev/null 2>&1")
done
go run ./traffic/internal/mixcap -names -n "$PACKETS" -o "$dir/names.pcap"
cat "$dir/names.pcap" > /dev/null
cmds+=(-n "tend replay names" "GOMAXPROCS=1 taskset -c $core $BIN replay --json $dir/names.pcap > /dev/null"
	-n "tend replay names off" "GOMAXPROCS=1 taskset -c $core $BIN replay --hygiene=false --json $dir/names.pcap > /dev/null")
hyperfine --style basic --warmup 1 --runs "$ROUNDS" --export-json "$dir/h.json" "${cmds[@]}"
python3 - "$dir/h.json" "$PACKETS" "${caps[@]}" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
for c in sys.argv[3:]:
    t, d, u = r[f"tend replay {c}"], r[f"tcpdump {c}"], r[f"tcpdump TZ=UTC {c}"]
    tm, dm, um = t["median"], d["median"], u["median"]
    tc, dc = t["user"] + t["system"], u["user"] + u["system"]
    print(f"{c}: median wall tend replay {tm:.3f}s ({n/tm/1e6:.2f}M packets/s, decode + all detectors, one core), "
          f"tcpdump -nn {dm:.3f}s with TZ unset, {um:.3f}s with TZ=UTC; ratio tend/tcpdump {tm/dm:.3f} and {tm/um:.3f} (goal <= 0.1)")
    # CPU time (user + system, means over the runs) is steadier than wall time on a shared machine.
    print(f"{c}: mean cpu   tend replay {tc:.3f}s ({n/tc/1e6:.2f}M packets/s), tcpdump TZ=UTC {dc:.3f}s; ratio {tc/dc:.3f}")
on, off = r["tend replay names"], r["tend replay names off"]
print(f"names: median wall tend replay {on['median']:.3f}s with DNS/SNI decoding, {off['median']:.3f}s without (--hygiene=false); "
      f"added {100*(on['median']/off['median']-1):+.1f} % (goal <= 10 %); mean cpu {on['user']+on['system']:.3f}s vs {off['user']+off['system']:.3f}s")
PY
go test -run '^$' -bench 'BenchmarkDecode$|BenchmarkDecodeAndDetect|BenchmarkPassivePacket' -benchmem -count 5 -cpu 1 ./capture ./traffic ./discovery | grep -E '^(Benchmark|ok)'
