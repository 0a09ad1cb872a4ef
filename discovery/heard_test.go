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

// TestSub checks sub against time.Time.Sub: times close together and far
// apart (Sub saturates), zero, in UTC and Local, with a monotonic reading
// on one side, both or neither.
func TestSub(t *testing.T) {
	base := time.Date(2024, 3, 31, 1, 59, 59, 999_999_999, time.UTC)
	mono := time.Now()
	times := []time.Time{{}, base, base.Add(1), base.Add(-1), base.Local(), time.Unix(0, 0), time.Unix(1<<32, 5),
		time.Date(2262, 4, 11, 23, 47, 16, 0, time.UTC), time.Date(1677, 9, 21, 0, 12, 44, 0, time.UTC),
		time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), mono, mono.Add(time.Hour), mono.Round(0), mono.UTC(), mono.Add(2 * time.Second).UTC()}
	for i := range 300 {
		times = append(times, base.Add(time.Duration(i)*7919*time.Millisecond+time.Duration(i*i)), time.Unix(int64(i)*1e9-1<<38, int64(i)*3331))
	}
	for _, a := range times {
		for _, b := range times {
			if got, want := sub(a, b), a.Sub(b); got != want {
				t.Fatalf("sub(%v, %v) = %v, want %v (Sub)", a, b, got, want)
			}
		}
	}
}
