package identity

import (
	"testing"
	"time"

	"tend/inventory"
)

func TestFuserBounded(t *testing.T) {
	f := NewFuser()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for i := range maxTracked + 10 {
		m := inventory.MAC{0x02, 0, byte(i >> 16), byte(i >> 8), byte(i), 1}
		f.Resolve(inventory.Observation{Time: t0.Add(time.Duration(i) * time.Millisecond), MAC: m})
	}
	if n := len(f.firstSeen); n > maxTracked {
		t.Errorf("remembers %d MACs, bound %d", n, maxTracked)
	}
}
