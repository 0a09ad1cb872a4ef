package identity

import (
	"math/rand/v2"
	"testing"
	"time"

	"tend/inventory"
)

// cdpFlood is yersinia's CDP flood as the Fuser sees it: a random MAC per
// frame (half of them locally administered), a name from a short list.
func cdpFlood(n int) []inventory.Observation {
	rng := rand.New(rand.NewPCG(33, 5))
	t0 := time.Date(2026, 12, 6, 19, 11, 26, 0, time.UTC)
	obs := make([]inventory.Observation, n)
	for i := range obs {
		m := inventory.MAC{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))}
		m[0] &^= 1 // unicast
		name := string(rune('A'+rng.IntN(26))) + "XXXXXX"
		obs[i] = inventory.Observation{Time: t0.Add(time.Duration(i) * 60 * time.Microsecond), MAC: m,
			Source: inventory.SourceCDP, Hostname: name, Names: []string{name}}
	}
	return obs
}

// TestFuserFloodWorkLinear: a flood of new MACs that reuse names links
// thousands of MACs into a few devices; the keys rewritten and sightings
// scanned must grow with the frames, not with frames times MACs remembered
// (before fuserIndex, link rewrote and apart scanned every MAC per frame).
func TestFuserFloodWorkLinear(t *testing.T) {
	const n = 20000
	f := NewFuser()
	for _, o := range cdpFlood(n) {
		f.ResolveIn(&o)
	}
	if f.work > 4*n {
		t.Errorf("%d frames of a CDP flood cost %d keys rewritten or sightings scanned, want <= %d", n, f.work, 4*n)
	}
}

// bruteLatestOther is latestOther by scanning every sighting, as apart and
// quietFor did before fuserIndex.
func bruteLatestOther(f *Fuser, canon, mac string) (time.Time, bool) {
	var last time.Time
	ok := false
	for m, l := range f.lastSeen {
		if m != mac && f.canonical(m) == canon && (!ok || l.After(last)) {
			last, ok = l, true
		}
	}
	return last, ok
}

// TestFuserIndexMatchesScan checks the reverse indexes and the latest
// sightings against full scans after a flood mixing name links, client
// identifiers and chassis statements, with prunes on the way.
func TestFuserIndexMatchesScan(t *testing.T) {
	f := NewFuser()
	rng := rand.New(rand.NewPCG(1, 2))
	for i, o := range cdpFlood(maxTracked + 5000) {
		switch i % 7 {
		case 1:
			o.DHCPClientID = "01:" + string(rune('a'+rng.IntN(20)))
		case 2:
			o.ChassisMAC = inventory.MAC{0x02, 0, 0, 0, byte(rng.IntN(4)), byte(rng.IntN(256))}
		case 3:
			o.OtherMACs = []inventory.MAC{{0x02, 0, 0, 0, byte(rng.IntN(4)), byte(rng.IntN(256))}}
		}
		f.ResolveIn(&o)
		if i%4999 != 0 {
			continue
		}
		checked := 0
		for m := range f.lastSeen { // a sample: map order is random
			if checked++; checked > 20 {
				break
			}
			c := f.canonical(m)
			got, gok := f.latestOther(c, m)
			want, wok := bruteLatestOther(f, c, m)
			if gok != wok || !got.Equal(want) {
				t.Fatalf("frame %d: latest sighting of %s's MACs other than %s: %v %v, scan %v %v", i, c, m, got, gok, want, wok)
			}
		}
	}
	checkReverse(t, "alias", f.alias, f.aliasOf)
	checkReverse(t, "clientID", f.clientID, f.clientIDsOf)
	checkReverse(t, "names", f.names, f.namesOf)
}

func checkReverse(t *testing.T, what string, m map[string]string, of map[string][]string) {
	t.Helper()
	for k, v := range m {
		found := false
		for _, kk := range of[v] {
			found = found || kk == k
		}
		if !found {
			t.Errorf("%s[%s] = %s, not in the reverse index", what, k, v)
		}
	}
}

// BenchmarkFuserCDPFlood resolves yersinia's CDP flood (see cdpFlood), the
// replay that cost ~600 us a frame before fuserIndex.
func BenchmarkFuserCDPFlood(b *testing.B) {
	obs := cdpFlood(40000)
	b.ReportAllocs()
	for b.Loop() {
		f := NewFuser()
		for _, o := range obs {
			f.ResolveIn(&o)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(obs)), "ns/frame")
}
