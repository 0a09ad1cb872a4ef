package identity

import (
	"fmt"
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

// TestFuserFloodBounded: a long flood of new MACs, some with a name and a
// DHCP client identifier of their own (DHCP starvation), some reusing a few
// names (yersinia's CDP flood, linked into a few devices), keeps every map
// of the Fuser within its cap and counts what it let go. The cap is made
// small so the flood is 20 times it; a device heard after the flood still
// gets its name and client identifier kept (forget: the flood's MACs, the
// first pruned, give their room back). (Fails without full and markRandom:
// the name, client identifier, alias and random maps grow with the flood.)
func TestFuserFloodBounded(t *testing.T) {
	const limit, n = 500, 10000
	f := NewFuser()
	f.maxKeys = limit
	for i, o := range cdpFlood(n) {
		if i%2 == 0 { // a starvation tool's client: its own name and identifier
			o.Hostname, o.Names, o.Source = fmt.Sprintf("client-%d", i), nil, inventory.SourceDHCP
			o.DHCPClientID = fmt.Sprintf("01:%s", o.MAC)
		}
		f.ResolveIn(&o)
	}
	lists := func(of map[string][]string) (n int) {
		for _, l := range of {
			n += len(l)
		}
		return n
	}
	for name, got := range map[string]int{"alias": len(f.alias), "clientID": len(f.clientID), "names": len(f.names),
		"random": len(f.random), "firstSeen": len(f.firstSeen), "lastSeen": len(f.lastSeen), "polled": len(f.polled),
		"aliasOf": lists(f.aliasOf), "clientIDsOf": lists(f.clientIDsOf), "namesOf": lists(f.namesOf)} {
		if got > limit {
			t.Errorf("%s holds %d entries after %d new MACs, cap %d", name, got, n, limit)
		}
	}
	if got := len(f.recent); got > 2*limit {
		t.Errorf("recent holds %d devices after %d new MACs, want <= %d", got, n, 2*limit)
	}
	if f.Dropped() == 0 {
		t.Error("nothing counted as dropped at the cap")
	}
	late := inventory.Observation{Time: time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC), MAC: inventory.MAC{0x3c, 0x52, 0x82, 1, 2, 3},
		Source: inventory.SourceDHCP, Hostname: "laptop-after-flood", DHCPClientID: "01:3c:52:82:01:02:03"}
	f.ResolveIn(&late)
	if f.names["laptop-after-flood"] == "" || f.clientID["01:3c:52:82:01:02:03"] == "" {
		t.Error("a device heard after the flood has no room for its name and client identifier")
	}
}
