package traffic

import (
	"bytes"
	"context"
	"net/netip"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"tend/capture"
	"tend/inventory"
)

// TestReplayBeside: with a second core, apply runs on a goroutine of its
// own beside the engine and observe (applyBeside), and the replay's result
// and the batches apply is given are those of the replay on one core.
func TestReplayBeside(t *testing.T) {
	dir := corpusDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "discovery", "*.pcap"))
	if err != nil || len(files) < 3 {
		t.Fatalf("discovery captures: %v, %v", files, err)
	}
	files = append(files, filepath.Join(dir, "train", "scan", "evilfingers_TCP_CONNECT_SCAN.pcap"))
	one, oneObs, oneG := replayOn(t, 1, files)
	two, twoObs, twoG := replayOn(t, 2, files)
	if oneG != 0 {
		t.Errorf("on one core apply ran %d times on another goroutine, want 0", oneG)
	}
	if twoG == 0 {
		t.Error("with a second core apply ran on Replay's goroutine, want one of its own")
	}
	if len(one.Events) == 0 || len(oneObs) < 2 {
		t.Fatalf("%d events, %d batches: the captures test too little", len(one.Events), len(oneObs))
	}
	addrs := cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{})
	if diff := cmp.Diff(one, two, addrs); diff != "" {
		t.Errorf("result with a second core (-one core +two):\n%s", diff)
	}
	if diff := cmp.Diff(oneObs, twoObs, addrs); diff != "" {
		t.Errorf("observations applied with a second core (-one core +two):\n%s", diff)
	}
}

// replayOn replays files with GOMAXPROCS procs, observing every IP frame's
// source, and returns the result, the observations apply was given and how
// many batches it was given off the caller's goroutine.
func replayOn(t *testing.T, procs int, files []string) (*ReplayResult, [][]inventory.Observation, int64) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	caller := goroutineID()
	var elsewhere atomic.Int64
	observe := func(dst []inventory.Observation, p *capture.Packet) []inventory.Observation {
		if !p.SrcIP().IsValid() {
			return dst
		}
		return append(dst, inventory.Observation{Time: p.Time, MAC: inventory.MAC(slices.Clone(p.Eth.SrcMAC)), IP: p.SrcIP()})
	}
	var applied [][]inventory.Observation
	apply := func(obs ...inventory.Observation) error {
		if goroutineID() != caller {
			elsewhere.Add(1)
		}
		applied = append(applied, slices.Clone(obs))
		return nil
	}
	res, err := Replay(context.Background(), files, Config{}, observe, apply)
	if err != nil {
		t.Fatal(err)
	}
	return res, applied, elsewhere.Load()
}

// goroutineID is the calling goroutine's number, from its stack's header
// ("goroutine 7 [running]:").
func goroutineID() string {
	b := make([]byte, 64)
	b = b[:runtime.Stack(b, false)]
	b, _, _ = bytes.Cut(bytes.TrimPrefix(b, []byte("goroutine ")), []byte(" "))
	return string(b)
}

// TestReplayBesideMissingFile: a file that cannot be opened fails the
// replay with the same error on one core and with a second.
func TestReplayBesideMissingFile(t *testing.T) {
	dir := corpusDir(t)
	files := []string{filepath.Join(dir, "discovery", "mdns.pcap"), filepath.Join(t.TempDir(), "absent.pcap")}
	var msgs []string
	for _, procs := range []int{1, 2} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			observe := func(dst []inventory.Observation, p *capture.Packet) []inventory.Observation { return dst }
			_, err := Replay(context.Background(), files, Config{}, observe, func(...inventory.Observation) error { return nil })
			if err == nil {
				t.Fatalf("GOMAXPROCS %d: no error for a missing file", procs)
			}
			msgs = append(msgs, err.Error())
		}()
	}
	if msgs[0] != msgs[1] {
		t.Errorf("one core: %q, two: %q", msgs[0], msgs[1])
	}
}
