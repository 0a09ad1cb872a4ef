package traffic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestIdleFoldsWait: hosts left idle at ticks fold their idle minutes when
// next heard from (catchUp), and end with bit for bit the baselines a fold of
// every minute at every tick gives (the fold before the log of tick runs):
// ticks at consecutive minutes, gaps longer than spikeMaxGap, repeated ticks
// in one minute, more runs than maxTickRuns, hosts gone for days.
func TestIdleFoldsWait(t *testing.T) {
	for seed := range uint64(5) {
		r := rand.New(rand.NewPCG(seed, 14))
		e := New(Config{}, nil)    // the lazy folds
		ref := New(Config{}, nil)  // a fold of every minute at every tick
		start := int64(29_500_000) // minutes: March 2026
		var lazy, eager []*host
		for range 12 {
			lazy = append(lazy, &host{bucket: start, busy: start})
			e.order = append(e.order, lazy[len(lazy)-1]) // the hosts catchUp walks when the log is full
			eager = append(eager, &host{bucket: start, busy: start})
		}
		cur := start
		for step := range 12000 {
			switch x := r.IntN(100); {
			case x < 70: // a tick, mostly the next minute
				switch y := r.IntN(100); {
				case y < 70:
					cur++
				case y < 80:
				case y < 97:
					cur += 2 + r.Int64N(3*spikeMaxGap)
				default:
					cur += r.Int64N(4 * 24 * 60)
				}
				e.logTick(cur)
				for i := range lazy {
					e.tickClose(lazy[i], cur)
					refClose(ref, eager[i], cur)
				}
			default: // traffic for a few hosts, some of them rarely heard
				i := r.IntN(len(lazy))
				if i >= 8 && r.IntN(20) != 0 {
					continue
				}
				b := float64(r.IntN(1 << 16))
				e.closeBuckets(lazy[i], minute(time.Unix(cur*60+30, 0)))
				refClose(ref, eager[i], cur)
				lazy[i].bBytes += b
				lazy[i].bPkts++
				eager[i].bBytes += b
				eager[i].bPkts++
			}
			if step%1000 == 999 || step == 11999 {
				for i := range lazy {
					e.closeBuckets(lazy[i], minute(time.Unix(cur*60, 0)))
					settleAll(lazy[i])
					if g, w := *lazy[i], *eager[i]; !sameBaselines(&g, &w) || g.bucket != w.bucket {
						t.Fatalf("seed %d step %d host %d: baselines differ from a fold at every tick:\n got all %v/%v n=%d hours %v n=%v bucket %d\nwant all %v/%v n=%d hours %v n=%v bucket %d",
							seed, step, i, g.allB, g.allP, g.allN, g.hourB, g.hourN, g.bucket, w.allB, w.allP, w.allN, w.hourB, w.hourN, w.bucket)
					}
				}
			}
		}
		if len(e.ticks) > maxTickRuns {
			t.Fatalf("seed %d: %d tick runs remembered, cap %d", seed, len(e.ticks), maxTickRuns)
		}
	}
}

// refClose is closeBuckets as it was before the idle folds waited: the
// finished minute and every idle minute after it (up to spikeMaxGap, and
// none past spikeMaxGap after the host's last busy minute) each folded on
// its own.
func refClose(e *Engine, h *host, cur int64) {
	if cur <= h.bucket {
		return
	}
	if h.bPkts != 0 {
		h.busy = h.bucket
	}
	if h.bucket <= h.busy+spikeMaxGap { // a host away folds nothing
		e.fold(h, h.bucket, h.bBytes, h.bPkts)
	}
	for m := h.bucket + 1; m < min(cur, h.bucket+1+spikeMaxGap, h.busy+1+spikeMaxGap); m++ {
		e.fold(h, m, 0, 0)
	}
	h.bucket, h.bBytes, h.bPkts = cur, 0, 0
}

// TestDecayBitForBit: decay1 (with its integer steps below the normal
// numbers) gives exactly what k steps of the float arithmetic give, from
// ordinary baselines down through the subnormals to zero.
func TestDecayBitForBit(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 14))
	xs := []float64{0, 1, 1500, 65535 * 1500, 0x1p-1022, 0x1.0000000000001p-1022, 0x1p-1023, 0x1p-1060, 5e-324, 1e-323, 19 * 0x1p-1022}
	for range 100 {
		xs = append(xs, math.Float64frombits(r.Uint64N(1<<52)))     // subnormal
		xs = append(xs, r.Float64()*100*0x1p-1022)                  // near the normal boundary
		xs = append(xs, math.Ldexp(1+r.Float64(), r.IntN(60)-1040)) // tiny normal
		xs = append(xs, r.Float64()*1e7)                            // a real baseline
	}
	for _, x0 := range xs {
		for _, k := range []int64{1, 2, 7, 60, 700, 15000} {
			want := x0
			for range k {
				want += spikeAlpha * (0 - want)
			}
			if got := decay1(x0, k); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("decay1(%g (%#x), %d) = %g (%#x), want %g (%#x)", x0, math.Float64bits(x0), k, got, math.Float64bits(got), want, math.Float64bits(want))
			}
		}
	}
}

// TestDecayPairs: decay's two baselines at once (bytes and packets, which
// leave the normal numbers at different minutes) match decay1 on each.
func TestDecayPairs(t *testing.T) {
	for _, c := range [][2]float64{{1e6, 3}, {3, 1e6}, {0, 1500}, {1500, 0}, {0x1p-1022, 1e-300}, {5e-324, 1}} {
		for _, k := range []int64{1, 100, 14000, 16000} {
			b, p := c[0], c[1]
			decay(&b, &p, 1, k)
			if wb, wp := decay1(c[0], k), decay1(c[1], k); b != wb || p != wp {
				t.Fatalf("decay(%g, %g, %d) = %g, %g; want %g, %g", c[0], c[1], k, b, p, wb, wp)
			}
		}
	}
}

// TestDecay2: two pairs decayed at once (an hour's baselines and the
// all-hours ones) match decay on each pair, whichever pair leaves the
// normal numbers first, and with either pair's first sample still to come.
func TestDecay2(t *testing.T) {
	vals := []float64{0, 3, 1500, 1e6, 0x1p-1022, 1e-300, 5e-324, 19 * 0x1p-1022}
	for i, a := range vals {
		for j, b := range vals {
			for _, n := range [][2]int64{{1, 1}, {0, 1}, {1, 0}, {0, 0}} {
				for _, k := range []int64{1, 60, 14000, 16000} {
					q := [4]float64{a, b, b, a}
					decay2(&q[0], &q[1], n[0], &q[2], &q[3], n[1], k)
					w := [4]float64{a, b, b, a}
					decay(&w[0], &w[1], n[0], k)
					decay(&w[2], &w[3], n[1], k)
					if q != w {
						t.Fatalf("decay2 of %d, %d (n %v) over %d minutes = %v, want %v", i, j, n, k, q, w)
					}
				}
			}
		}
	}
}

// settleAll applies every idle minute waiting on h's baselines.
func settleAll(h *host) {
	for hr := range h.hourB {
		h.settle(hr)
	}
}

// TestSpikeReadsSettledBaseline: a spike check after idle minutes compares
// the minute with the baseline decayed by them, not with the one the host
// went idle with (foldIdle only counts the minutes; checkSpike settles).
func TestSpikeReadsSettledBaseline(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, SpikeMinBytes: 1 << 10, LearnPackets: -1})
	e := r.e
	m := int64(29_500_000)
	e.start, e.learnEnd, e.now = time.Unix(0, 0), time.Unix(0, 0), time.Unix(m*60+90, 0)
	h := &host{mac: mac{2, 0, 0, 0, 0, 1}, bucket: m, bBytes: 100_000, bPkts: 100}
	hr := e.hours.hour(time.Local, m)
	h.hourN[hr], h.hourB[hr], h.hourP[hr], h.allN, h.allB, h.allP = 60, 20_000, 20, 1000, 20_000, 20
	h.hourK[hr], h.allK = 60, 60 // an hour idle a day ago: 20 kB decays to ~921 B
	e.checkSpike(h)
	evs := r.of(inventory.EventTrafficSpike)
	want := "usual at " + fmt.Sprintf("%02d:00: %s", hr, human(decay1(20_000, 60)))
	if len(evs) != 1 || !strings.Contains(evidenceText(evs[0]), want) {
		t.Fatalf("100 kB after an hour idle from a 20 kB baseline: events %+v, want one with %q", evs, want)
	}
	if h.hourK[hr] != 0 || h.allK != 0 {
		t.Errorf("idle minutes left waiting after the check: hour %d, all %d", h.hourK[hr], h.allK)
	}
}

// TestDecayFixedPoint: maxIdle minutes decay even the largest float64 to
// a fixed point (the steps are monotonic, so every smaller baseline is at
// one by then too): a longer wait can be cut to maxIdle.
func TestDecayFixedPoint(t *testing.T) {
	x := decay1(math.MaxFloat64, maxIdle)
	if y := decay1(x, 1); y != x || x > 10*5e-324 {
		t.Fatalf("decay1(MaxFloat64, %d) = %g (%#x), one more step %g: not a fixed point", maxIdle, x, math.Float64bits(x), y)
	}
	r := rand.New(rand.NewPCG(7, 15))
	for range 100_000 { // the step is monotonic: a larger average never decays below a smaller one
		a := math.Float64frombits(r.Uint64N(math.Float64bits(math.MaxFloat64)))
		b := math.Nextafter(a, math.Inf(1))
		if fa, fb := decay1(a, 1), decay1(b, 1); fa > fb {
			t.Fatalf("step of %g = %g > step of %g = %g", a, fa, b, fb)
		}
	}
}

// sameBaselines compares what the spike checks can read of two hosts'
// baselines: the all-hours ones only while some hour has too few samples
// to have its own (allRetired).
func sameBaselines(a, b *host) bool {
	if a.hourB != b.hourB || a.hourP != b.hourP || a.hourN != b.hourN || a.allN != b.allN {
		return false
	}
	return a.allRetired() || a.allB == b.allB && a.allP == b.allP
}

// TestAllRetired: the all-hours baselines skip their idle steps only once
// every hour has its own; while one hour still reads them they decay.
func TestAllRetired(t *testing.T) {
	for _, short := range []int{-1, 0, 5, 23} { // the hour with too few samples (-1: none)
		var h host
		for hr := range h.hourN {
			h.hourN[hr] = spikeMinSamples
		}
		if short >= 0 {
			h.hourN[short] = spikeMinSamples - 1
		}
		h.allN, h.allB, h.allP, h.allK = 1000, 20_000, 20, 100
		h.settle(7)
		if want := decay1(20_000, 100); short >= 0 && (h.allB != want || h.allP != decay1(20, 100)) {
			t.Errorf("hour %d short of samples: all-hours baselines %g, %g after 100 idle minutes, want %g, %g", short, h.allB, h.allP, want, decay1(20, 100))
		}
		if _, _, ok := h.baseline(7); short < 0 && (h.allB != 0 || !ok) {
			t.Errorf("every hour has its own baseline: all-hours baseline %g kept", h.allB)
		}
	}
}

// TestAwayHostKeepsBaseline: a host that moved ~10 MiB a minute for a month
// and is then switched off for a fortnight, while the box ticks every
// minute, comes back with its baselines where they were less two hours of
// quiet, not decayed to the smallest float (every busy minute after it a
// traffic_spike for weeks: an office after the holidays).
func TestAwayHostKeepsBaseline(t *testing.T) {
	e := New(Config{}, nil)
	start := int64(29_500_000)
	h := &host{bucket: start, busy: start}
	e.order = append(e.order, h)
	cur := start
	for ; cur < start+30*24*60; cur++ { // a month of busy minutes
		e.logTick(cur)
		h.bBytes, h.bPkts = 10<<20, 9000
		e.tickClose(h, cur+1)
	}
	before, _, ok := h.baseline(e.hours.hour(time.Local, cur))
	if !ok || before < 5<<20 {
		t.Fatalf("after a month the baseline is %v (ok %v), want ~10 MiB", before, ok)
	}
	for end := cur + 14*24*60; cur < end; cur++ { // a fortnight away
		e.logTick(cur)
		e.tickClose(h, cur)
	}
	e.closeBuckets(h, cur) // back: its first frame's minute
	for hr := range 24 {
		h.settle(hr)
		if b, _, ok := h.baseline(hr); !ok || b < 10<<20/100 {
			t.Errorf("hour %d: baseline %g after a fortnight away, want at least 1 %% of the 10 MiB it moved (ok %v)", hr, b, ok)
		}
	}
}
