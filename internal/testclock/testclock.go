// Package testclock is the one notion of "now" that tend's tests use.
//
// Tests never read the wall clock directly: they take Now (or Start) from
// here and pass it to every component that reads time. Setting
// TEND_TEST_NOW (a date such as 2030-01-01 or an RFC 3339 time) moves the
// tests' "now" to that moment, so a test that only passes on the day it was
// written fails at once instead of weeks later: CI runs the suite once more
// with the clock moved years ahead. The clock still advances in real time
// from there, so timeouts and intervals behave as usual.
//
// Real peers (chromium, snmpd, the TLS certificates they must trust) keep
// the real time; only tend's own components take this clock.
package testclock

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// Env is the environment variable that moves the tests' clock.
const Env = "TEND_TEST_NOW"

var (
	once   sync.Once
	offset time.Duration
	err    error
)

func load() {
	v := os.Getenv(Env)
	if v == "" {
		return
	}
	var t time.Time
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04", time.DateOnly} {
		if t, err = time.Parse(layout, v); err == nil {
			break
		}
	}
	if err != nil {
		err = fmt.Errorf("testclock: %s=%q is neither a date (2030-01-01) nor an RFC 3339 time", Env, v)
		return
	}
	offset = time.Until(t)
}

// Now is the tests' clock: the wall clock, or the moment TEND_TEST_NOW names
// plus the time elapsed since the first call. It panics on a malformed
// TEND_TEST_NOW, because a test run on the wrong clock proves nothing.
func Now() time.Time {
	once.Do(load)
	if err != nil {
		panic(err)
	}
	if offset == 0 {
		return time.Now()
	}
	// Round(0) drops the monotonic reading so that comparisons and
	// Sub use the shifted wall time consistently.
	return time.Now().Add(offset).Round(0)
}

// Moved reports whether TEND_TEST_NOW moves the clock.
func Moved() bool {
	once.Do(load)
	return offset != 0
}

// Day is midnight UTC of the tests' current day: a stable "today" for tests
// that need a whole date (catalog "as of" dates, retention windows).
func Day() time.Time {
	n := Now().UTC()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}
