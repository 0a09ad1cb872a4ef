package traffic

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/google/gopacket/layers"
)

// TestPortSet holds portSet to the map it replaced, through adds, accepts
// and resets, within its inline ports and beyond them.
func TestPortSet(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var s portSet
	want := map[uint16]bool{}
	for i := range 20000 {
		port := uint16(r.IntN(3 + i%40))
		switch op := r.IntN(50); {
		case op == 0:
			s.reset()
			clear(want)
		case op < 20:
			_, seen := want[port]
			if !seen {
				want[port] = false
			}
			if got := s.add(port); got != !seen {
				t.Fatalf("op %d: add(%d) = %v, want %v", i, port, got, !seen)
			}
		default:
			open, probed := want[port]
			if probed {
				want[port] = true
			}
			if got := s.accept(port); got != (probed && !open) {
				t.Fatalf("op %d: accept(%d) = %v, want %v", i, port, got, probed && !open)
			}
		}
		if s.len() != len(want) {
			t.Fatalf("op %d: len %d, want %d", i, s.len(), len(want))
		}
	}
	got := s.appendTo(nil)
	slices.Sort(got)
	var keys []int
	for p := range want {
		keys = append(keys, int(p))
	}
	slices.Sort(keys)
	if !slices.Equal(got, keys) {
		t.Fatalf("ports %v, want %v", got, keys)
	}
}

// TestMidFlow holds probe's early return to tcpKind: every segment midFlow
// passes over is one tcpKind gives no kind, over all flag combinations,
// payload or none, and either port order; and a connection's data and
// its ACKs are passed over.
func TestMidFlow(t *testing.T) {
	skipped := 0
	for flags := range 1 << 6 {
		for _, payload := range [][]byte{nil, {1}} {
			for _, ports := range [][2]layers.TCPPort{{40000, 80}, {80, 40000}, {80, 80}} {
				seg := layers.TCP{FIN: flags&1 != 0, SYN: flags&2 != 0, RST: flags&4 != 0, PSH: flags&8 != 0, ACK: flags&16 != 0, URG: flags&32 != 0,
					SrcPort: ports[0], DstPort: ports[1]}
				seg.Payload = payload
				if !midFlow(&seg) {
					continue
				}
				skipped++
				if k := tcpKind(&seg); k != -1 {
					t.Errorf("midFlow passes over %+v, which tcpKind makes %d", seg, k)
				}
			}
		}
	}
	data := layers.TCP{ACK: true, PSH: true, SrcPort: 40000, DstPort: 443}
	data.Payload = []byte("x")
	ack := layers.TCP{ACK: true, SrcPort: 443, DstPort: 40000}
	if !midFlow(&data) || !midFlow(&ack) || skipped < 20 {
		t.Errorf("a connection's data (%v) or ACK (%v) not passed over; %d passed over in all", midFlow(&data), midFlow(&ack), skipped)
	}
}

// TestPortHitsForgetDeleted: a tick that deletes an expired port tracker
// forgets it in portHits too, and a later probe gets a fresh tracker from
// the map, not the deleted one.
func TestPortHitsForgetDeleted(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute})
	r.feed(t0, tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 22, tcpFlags{syn: true}, nil))
	k := newPortKey(mac(evilMAC), netip.MustParseAddr("10.0.0.30"))
	old := r.e.ports[k]
	if old == nil || r.e.lookupPort(k) != old {
		t.Fatalf("no tracker after a SYN: %v", old)
	}
	r.e.Tick(t0.Add(3 * time.Minute)) // past Window: the tracker expires
	if _, ok := r.e.ports[k]; ok {
		t.Fatal("the tracker outlived its window")
	}
	if tr := r.e.lookupPort(k); tr != nil {
		t.Fatalf("portHits still holds the deleted tracker %p", tr)
	}
	r.feed(t0.Add(3*time.Minute), tcpFrame(t, evilMAC, "10.0.0.66", 40001, nasMAC, "10.0.0.30", 23, tcpFlags{syn: true}, nil))
	if tr := r.e.ports[k]; tr == nil || tr == old || r.e.lookupPort(k) != tr {
		t.Fatalf("after the tick: tracker %p (old %p), portHits %p", tr, old, r.e.lookupPort(k))
	}
}
