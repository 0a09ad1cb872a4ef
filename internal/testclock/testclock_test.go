package testclock

import (
	"testing"
	"time"
)

func TestNowFollowsEnv(t *testing.T) {
	n := Now()
	if Moved() {
		if d := time.Until(n); d < 24*time.Hour && d > -24*time.Hour {
			t.Fatalf("%s is set but Now() = %v is within a day of the wall clock", Env, n)
		}
		return
	}
	if d := time.Since(n); d < 0 || d > time.Second {
		t.Fatalf("Now() = %v, wall clock %v", n, time.Now())
	}
	if Day().Hour() != 0 || Day().After(Now()) {
		t.Fatalf("Day() = %v", Day())
	}
}
