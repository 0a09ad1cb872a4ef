package traffic

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestLocalHours: the cached zone offset gives time's own hour of the day
// for every minute across daylight-saving changes, half-hour zones and
// dates before 1970, in whatever order the minutes are asked for.
func TestLocalHours(t *testing.T) {
	var c localHours
	for _, name := range []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Kathmandu", "Europe/Dublin"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Logf("%s: %v (no zone database?)", name, err)
			continue
		}
		for _, from := range []time.Time{
			time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 24, 0, 0, 0, 0, time.UTC),
			time.Date(1969, 12, 30, 0, 0, 0, 0, time.UTC), time.Date(2096, 6, 17, 0, 0, 0, 0, time.UTC),
		} {
			m0 := from.Unix() / 60
			for _, step := range []int64{1, 7, -13} {
				for i := range int64(4 * 24 * 60 / 7) {
					m := m0 + i*step
					if got, want := c.hour(loc, m), time.Unix(m*60, 0).In(loc).Hour(); got != want {
						t.Fatalf("%s minute %d (%s): hour %d, want %d", name, m, time.Unix(m*60, 0).In(loc), got, want)
					}
					// run: the same hour for each of its n minutes, another one
					// after (or another offset: the hour repeats when clocks go back).
					hr, n := c.run(loc, m)
					for _, k := range []int64{0, n - 1} {
						if want := time.Unix((m+k)*60, 0).In(loc).Hour(); want != hr {
							t.Fatalf("%s minute %d: run says hour %d for %d minutes, minute +%d has hour %d", name, m, hr, n, k, want)
						}
					}
					_, offLast := time.Unix((m+n-1)*60, 0).In(loc).Zone()
					_, offNext := time.Unix((m+n)*60, 0).In(loc).Zone()
					if want := time.Unix((m+n)*60, 0).In(loc).Hour(); want == hr && n < 60 && offLast == offNext {
						t.Fatalf("%s minute %d: run of hour %d stops after %d minutes, minute +%d has it too", name, m, hr, n, n)
					}
				}
			}
		}
	}
	if c.loc == nil {
		t.Skip("no zone database")
	}
}

// TestFoldIdleSameAsFold: folding idle minutes in one go leaves a host's
// baselines, once settled, bit for bit as folding each minute with no
// traffic does: spans of minutes and of days (foldDays), across
// daylight-saving changes and in zones whose offset is no whole hour.
func TestFoldIdleSameAsFold(t *testing.T) {
	local := time.Local
	t.Cleanup(func() { time.Local = local })
	for _, name := range []string{"", "Europe/Berlin", "Asia/Kathmandu", "Australia/Lord_Howe"} {
		if name != "" {
			loc, err := time.LoadLocation(name)
			if err != nil {
				t.Logf("%s: %v (no zone database?)", name, err)
				continue
			}
			time.Local = loc
		}
		foldIdleSameAsFold(t, name)
	}
}

func foldIdleSameAsFold(t *testing.T, zone string) {
	rng := rand.New(rand.NewPCG(14, 3))
	e := New(Config{}, nil)
	for i := range 300 {
		var a host
		for hr := range 24 {
			if rng.IntN(3) > 0 {
				a.hourN[hr] = uint16(rng.IntN(70))
				a.hourB[hr], a.hourP[hr] = rng.Float64()*1e7, rng.Float64()*1e4
			}
		}
		if i%5 > 0 {
			a.allN = uint32(rng.IntN(100))
			a.allB, a.allP = rng.Float64()*1e7, rng.Float64()*1e4
		}
		if i%7 == 0 {
			a.hourN[3] = 65535
		}
		b := a
		// Anywhere, or up to three days before European clocks change in
		// 2026 (March 29th, October 25th) or Lord Howe's (April 5th).
		from := []int64{29_000_000 + int64(rng.IntN(1_000_000)), 29_579_100, 29_881_500, 29_588_580}[i%4] - int64(rng.IntN(3*24*60))
		to := from + int64(rng.IntN(3*60))
		if i%3 == 0 {
			to = from + int64(rng.IntN(5*24*60))
		}
		for m := from; m < to; m++ {
			e.fold(&a, m, 0, 0)
		}
		b.busy = to // the arithmetic, not the cap for a host away (TestAwayHostKeepsBaseline)
		e.foldIdle(&b, from, to)
		settleAll(&b) // the minutes foldIdle only counted
		if !sameBaselines(&a, &b) {
			t.Fatalf("zone %q host %d, minutes [%d, %d): foldIdle left %+v, folding each minute %+v", zone, i, from, to, b, a)
		}
	}
}
