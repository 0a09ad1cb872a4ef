package storage

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"tend/inventory"
)

// TestApplyScratchReused: Apply's working memory (applyScratch) is the same
// from one transaction to the next, left zero between them (no device of
// an earlier batch kept alive, none carried into a later one), and a batch
// of more devices than the scratch keeps folds as a fresh store would.
func TestApplyScratchReused(t *testing.T) {
	s, err := OpenReplay()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	obs := func(first, n int, name string) []inventory.Observation {
		var out []inventory.Observation
		for i := range n {
			out = append(out, inventory.Observation{Time: t0.Add(time.Duration(first+i) * time.Second), Source: inventory.SourceDHCP,
				MAC: mac(t, fmt.Sprintf("00:1b:54:00:%02x:%02x", (first+i)>>8, (first+i)&0xff)), Hostname: fmt.Sprintf("%s-%d", name, first+i)})
		}
		return out
	}
	zero := func(when string) {
		t.Helper()
		if s.scratch.used != 0 || len(s.scratch.batch) != 0 || len(s.scratch.order) != 0 {
			t.Fatalf("%s: scratch holds %d pendings, %d keys, %d in order", when, s.scratch.used, len(s.scratch.batch), len(s.scratch.order))
		}
		for i, c := range s.scratch.chunks {
			for j := range c {
				if !reflect.ValueOf(c[j]).IsZero() {
					t.Fatalf("%s: pending %d of chunk %d kept %s", when, j, i, c[j].dev.MAC)
				}
			}
		}
	}
	if _, err := s.Apply(obs(0, 3, "alpha")...); err != nil {
		t.Fatal(err)
	}
	zero("after the first batch")
	first := &s.scratch.chunks[0][0]
	if _, err := s.Apply(obs(3, 2, "beta")...); err != nil {
		t.Fatal(err)
	}
	zero("after the second batch")
	if &s.scratch.chunks[0][0] != first {
		t.Error("the second batch did not reuse the first's pendings")
	}
	big := obs(5, maxScratchPending+pendingChunk+3, "gamma")
	if _, err := s.Apply(big...); err != nil {
		t.Fatal(err)
	}
	zero("after a batch larger than the scratch keeps")
	if n := len(s.scratch.chunks) * pendingChunk; n > maxScratchPending {
		t.Errorf("the scratch keeps %d pendings, want at most %d", n, maxScratchPending)
	}
	fresh, err := OpenReplay()
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	for _, batch := range [][]inventory.Observation{obs(0, 3, "alpha"), obs(3, 2, "beta"), big} {
		if _, err := fresh.Apply(batch...); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ReplayDevices()
	if err != nil {
		t.Fatal(err)
	}
	want, err := fresh.ReplayDevices()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5+len(big) || !reflect.DeepEqual(got, want) {
		t.Fatalf("%d devices, want %d as a fresh store folds them", len(got), 5+len(big))
	}
	for _, d := range got {
		if len(d.Names) > 1 || d.Hostname == "" {
			t.Fatalf("device %s: hostname %q, names %q: another batch's leaked in", d.MAC, d.Hostname, d.Names)
		}
	}
}
