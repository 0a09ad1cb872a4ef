package traffic

import (
	"fmt"
	"math"
	"time"

	"tend/inventory"
)

// Baselines: an EWMA of a host's bytes and packets per minute, one per
// hour of the day (so the nightly backup is normal at 02:00 but not at
// 14:00) and one over all hours for hours not yet learned.
const (
	spikeAlpha      = 0.05 // weight of the newest minute
	spikeMinSamples = 30   // minutes of history before an hour's baseline counts
	spikeMaxGap     = 120  // idle minutes folded into the baseline at most
)

// closeBuckets closes the minutes between h's current bucket and now:
// checks the finished minute against the baseline and folds it (and any
// idle minutes after it) into the baselines.
func (e *Engine) closeBuckets(h *host, now time.Time) {
	cur := minute(now)
	if cur <= h.bucket {
		return
	}
	e.checkSpike(h)
	e.fold(h, h.bucket, h.bBytes, h.bPkts)
	for m, n := h.bucket+1, 0; m < cur && n < spikeMaxGap; m, n = m+1, n+1 {
		e.fold(h, m, 0, 0)
	}
	h.bucket, h.bBytes, h.bPkts = cur, 0, 0
}

func (e *Engine) fold(h *host, m int64, b, p float64) {
	hr := e.hours.hour(time.Local, m)
	// A spike enters the baseline only up to the spike threshold, so one
	// burst does not teach the baseline that bursts are normal.
	if base, pb, ok := h.baseline(hr); ok {
		b, p = min(b, base*e.cfg.SpikeFactor), min(p, pb*e.cfg.SpikeFactor)
	}
	ewma := func(avg *float64, v float64, n uint32) {
		if n == 0 {
			*avg = v
			return
		}
		*avg += spikeAlpha * (v - *avg)
	}
	ewma(&h.hourB[hr], b, uint32(h.hourN[hr]))
	ewma(&h.hourP[hr], p, uint32(h.hourN[hr]))
	if h.hourN[hr] < 65535 {
		h.hourN[hr]++
	}
	ewma(&h.allB, b, h.allN)
	ewma(&h.allP, p, h.allN)
	h.allN++
}

// baseline returns the bytes and packets per minute normal for hr.
func (h *host) baseline(hr int) (bytes, pkts float64, ok bool) {
	if h.hourN[hr] >= spikeMinSamples {
		return h.hourB[hr], h.hourP[hr], true
	}
	if h.allN >= spikeMinSamples {
		return h.allB, h.allP, true
	}
	return 0, 0, false
}

func (e *Engine) checkSpike(h *host) {
	start := time.Unix(h.bucket*60, 0)
	if start.Before(e.learnEnd) || !e.learned() {
		return
	}
	hr := e.hours.hour(time.Local, h.bucket)
	base, basePkts, ok := h.baseline(hr)
	if !ok {
		return
	}
	floor := float64(e.cfg.SpikeMinBytes)
	byBytes := h.bBytes >= floor && h.bBytes > e.cfg.SpikeFactor*max(base, 1)
	byPkts := h.bBytes >= floor/8 && h.bPkts > e.cfg.SpikeFactor*max(basePkts, 100)
	if !byBytes && !byPkts {
		return
	}
	sev := inventory.SeverityLow
	if h.bBytes > 4*e.cfg.SpikeFactor*max(base, floor/e.cfg.SpikeFactor) {
		sev = inventory.SeverityMedium
	}
	e.report(inventory.Event{
		Time: start.Add(time.Minute), Type: inventory.EventTrafficSpike, Severity: sev,
		MAC: macOf(h.mac), IP: h.ip,
		Summary: fmt.Sprintf("%s moved %s in one minute, %.0f× its usual %s", describe(h.mac, h.ip),
			human(h.bBytes), h.bBytes/max(base, 1), human(base)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("minute from %s: %s, %.0f packets (in+out)", start.UTC().Format(time.RFC3339), human(h.bBytes), h.bPkts)},
			{Source: "baseline", Detail: fmt.Sprintf("usual at %02d:00: %s, %.0f packets per minute (EWMA)", hr, human(base), basePkts)},
		},
	}, h.mac, mac{})
}

func human(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f kB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

// localHours gives the hour of the day of a minute since the epoch, as
// time.Unix(m*60, 0).In(loc).Hour() does, from the zone offset it caches
// for as long as the zone holds: closing every host's idle minutes at each
// tick asks for thousands of them.
type localHours struct {
	loc      *time.Location
	from, to int64 // Unix seconds; off holds in [from, to)
	off      int64
}

func (c *localHours) hour(loc *time.Location, m int64) int {
	sec := m * 60
	if c.loc != loc || sec < c.from || sec >= c.to {
		t := time.Unix(sec, 0).In(loc)
		_, off := t.Zone()
		start, end := t.ZoneBounds()
		c.loc, c.off, c.from, c.to = loc, int64(off), math.MinInt64, math.MaxInt64
		if !start.IsZero() {
			c.from = start.Unix()
		}
		if !end.IsZero() {
			c.to = end.Unix()
		}
	}
	return int(((sec+c.off)%86400+86400)%86400) / 3600
}
