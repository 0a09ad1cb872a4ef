package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"testing"
)

var (
	pgoProfile  = flag.String("pgo-profile", "", "write a CPU profile of tend replay over -pgo-captures to this file (make pgo)")
	pgoCaptures = flag.String("pgo-captures", "", "comma-separated captures TestPGOProfile replays")
)

// pgoRounds is how many times TestPGOProfile replays each capture: at
// 100 Hz, ~20 s of the packet path, ~2,000 samples. With 8 rounds (~300
// samples) the hot call edges were noise: profiles regenerated on new code
// compiled to more instructions than the old one (sessions 37, 38 and 42);
// with 64 the corpus mix replays in 3.4 % fewer instructions (perf43).
const pgoRounds = 64

// TestPGOProfile writes the profile make build compiles tend with
// (cmd/tend/replay.pgo, go build -pgo): tend replay --json over the
// office and corpus mixes, run in this process, so the packet path of
// traffic, capture, discovery, storage and identity is what is hot. In a
// test binary package main is tend/cmd/tend, not main, so its own
// functions (none on the packet path) get no profile. Skipped unless
// -pgo-profile is given.
func TestPGOProfile(t *testing.T) {
	if *pgoProfile == "" {
		t.Skip("no -pgo-profile: make pgo writes the profile")
	}
	caps := strings.Split(*pgoCaptures, ",")
	f, err := os.Create(*pgoProfile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		t.Fatal(err)
	}
	defer pprof.StopCPUProfile()
	for range pgoRounds {
		for _, c := range caps {
			if err := run(context.Background(), []string{"replay", "--json", c}, nil, io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestPGOProfileCoversPacketPath: the profile make build compiles with
// (PGO in the Makefile, -pgo in TestBinarySize) is there, is a gzipped
// profile and has samples on the packet path: a profile of something else
// would leave replay as it was (the compiler inlines and lays out by the
// profile's hot calls).
func TestPGOProfileCoversPacketPath(t *testing.T) {
	f, err := os.Open("replay.pgo")
	if err != nil {
		t.Fatalf("the PGO profile: %v (make pgo writes it)", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("replay.pgo is not a gzipped pprof profile: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	// The profile's string table holds every sampled function's name.
	for _, fn := range []string{"tend/capture.(*Decoder).decode", "tend/traffic.(*Engine).packet", "tend/discovery.(*Passive).quiet"} {
		if !bytes.Contains(b, []byte(fn)) {
			t.Errorf("replay.pgo has no samples in %s: not a profile of tend replay's packet path (make pgo)", fn)
		}
	}
}
