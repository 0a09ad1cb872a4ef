package traffic

import (
	"testing"
	"time"
)

// TestLocalHours: the cached zone offset gives time's own hour of the day
// for every minute across daylight-saving changes, half-hour zones and
// dates before 1970, in whatever order the minutes are asked for.
func TestLocalHours(t *testing.T) {
	var c localHours
	for _, name := range []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"} {
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
				}
			}
		}
	}
	if c.loc == nil {
		t.Skip("no zone database")
	}
}
