package traffic

import (
	"math/rand/v2"
	"slices"
	"testing"
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
