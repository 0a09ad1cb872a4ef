package traffic

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tend/capture"
	"tend/inventory"
)

// replayBoth replays files once on this goroutine and once with the engine
// on its own, with an observe that yields a presence observation for every
// seventh frame (a few per batch) and an apply that records each batch, and
// fails on any difference: events, hosts, counters, files, the hygiene
// tracker's counts, the observations
// and where the batches were cut.
func replayBoth(t *testing.T, files []string) {
	t.Helper()
	cat, err := OpenHygieneCatalog()
	if err != nil {
		t.Fatal(err)
	}
	run := func(pipelined bool) (*ReplayResult, [][]inventory.Observation, HygieneStats) {
		var batches [][]inventory.Observation
		n := 0
		observe := func(p *capture.Packet) []inventory.Observation {
			if n++; n%7 != 0 || p.Has&capture.HasEthernet == 0 {
				return nil
			}
			return []inventory.Observation{{Time: p.Time, Source: inventory.SourceTraffic, MAC: inventory.MAC(slices.Clone(p.Eth.SrcMAC)), IP: p.SrcIP()}}
		}
		apply := func(obs ...inventory.Observation) error {
			batches = append(batches, slices.Clone(obs))
			return nil
		}
		hy := NewHygieneTracker(cat, 0)
		res, err := replay(context.Background(), files, Config{Hygiene: hy}, observe, apply, pipelined)
		if err != nil {
			t.Fatal(err)
		}
		return res, batches, hy.Stats()
	}
	want, wantObs, wantHy := run(false)
	got, gotObs, gotHy := run(true)
	if len(want.Events) == 0 && len(want.Hosts) == 0 {
		t.Fatal("nothing replayed")
	}
	addrs := cmp.Comparer(func(a, b netip.Addr) bool { return a == b })
	if diff := cmp.Diff(want, got, addrs); diff != "" {
		t.Errorf("result (-one goroutine +pipelined):\n%s", diff)
	}
	if diff := cmp.Diff(wantHy, gotHy, addrs); diff != "" {
		t.Errorf("hygiene (-one goroutine +pipelined):\n%s", diff)
	}
	if diff := cmp.Diff(wantObs, gotObs, addrs); diff != "" {
		t.Errorf("applied batches (-one goroutine +pipelined):\n%s", diff)
	}
}

// TestReplayPipelinedSame: the engine on its own goroutine over copies of
// the frames gives the result of one goroutine, on the staged attack
// recordings one after another (a SYN flood of thousands of frames spans
// several frame batches) and, when the corpus is there, on all of it.
func TestReplayPipelinedSame(t *testing.T) {
	staged, err := filepath.Glob(filepath.Join("testdata", "staged", "*.pcap"))
	if err != nil || len(staged) == 0 {
		t.Fatalf("no staged captures: %v", err)
	}
	t.Run("staged", func(t *testing.T) { replayBoth(t, staged) })
	t.Run("corpus", func(t *testing.T) {
		var files []string
		filepath.WalkDir(corpusDir(t), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".pcap") || strings.HasSuffix(p, ".pcapng") || strings.HasSuffix(p, ".cap")) {
				if src, err := capture.OpenFile(p); err == nil { // Ethernet captures only: another link type ends a replay
					src.Close()
					files = append(files, p)
				}
			}
			return err
		})
		replayBoth(t, files)
	})
}
