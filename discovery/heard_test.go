package discovery

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestHeardCache checks lastHeard against a plain map through random
// sightings of more MACs than the cache has slots, with the table cleared
// now and then as appendPresence clears it.
func TestHeardCache(t *testing.T) {
	p := NewPassive(PassiveConfig{})
	want := map[uint64]time.Time{}
	r := rand.New(rand.NewPCG(7, 9))
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range 200000 {
		k := uint64(r.IntN(2000)) * 0x10001
		if got, ok := p.lastHeard(k); ok != (want[k] != time.Time{}) || got != want[k] {
			t.Fatalf("step %d: lastHeard(%#x) = %v, %v; want %v", i, k, got, ok, want[k])
		}
		switch r.IntN(1000) {
		case 0:
			clear(p.heard)
			clear(p.recent[:])
			clear(want)
		default:
			if r.IntN(3) == 0 {
				ts := t0.Add(time.Duration(i) * time.Millisecond)
				p.setHeard(k, ts)
				want[k] = ts
			}
		}
	}
}
