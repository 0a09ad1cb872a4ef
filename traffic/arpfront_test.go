package traffic

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"tend/inventory"
)

// TestARPFrontMatchesMap checks arpBinding against the maps it stands in
// front of through bindings made, moved in place, evicted and made again:
// a slot must never answer with a binding the table dropped nor a nil for
// one it made since.
func TestARPFrontMatchesMap(t *testing.T) {
	e := New(Config{MaxHosts: 8}, func(inventory.Event) {})
	rng := rand.New(rand.NewPCG(1, 2))
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	addr := func() netip.Addr {
		if rng.IntN(8) == 0 {
			return netip.AddrFrom16([16]byte{0xfe, 0x80, 15: byte(rng.IntN(24))})
		}
		return netip.AddrFrom4([4]byte{192, 168, 1, byte(rng.IntN(40))})
	}
	for i := range 20000 {
		at = at.Add(time.Second)
		ip := addr()
		tbl := e.arp
		if !ip.Is4() {
			tbl = e.nd
		}
		switch b := tbl[ip]; {
		case rng.IntN(3) != 0:
		case b == nil:
			e.bind(tbl, ip, mac{2, 0, 0, 0, 0, byte(rng.IntN(5))}, at) // evicts when full (2*MaxHosts)
		default:
			b.mac = mac{2, 0, 0, 0, 1, byte(rng.IntN(5))} // a move, as arp.go makes in place
		}
		for range 3 {
			q := addr()
			want := e.arp[q]
			if !q.Is4() {
				want = e.nd[q]
			}
			if got := e.arpBinding(q); got != want {
				t.Fatalf("step %d: arpBinding(%s) = %p, the table holds %p", i, q, got, want)
			}
		}
	}
	if e.counters.BindingsEvicted == 0 {
		t.Fatal("no binding was evicted: the test does not cover evictBindings")
	}
}
