package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

// TestGCHeadroom: with the headroom kept, the collector's goal after a
// collection covers it twice over (the live heap's share comes on top), so
// a replay allocates that much before the next collection; without it the
// goal is twice a test binary's few MB of live heap. Replay sets neither
// a memory limit nor GOGC; serve's tests in this binary leave its limit
// (settings.DefaultMemoryLimit), which would cap the goal, so both are
// the runtime's defaults here.
func TestGCHeadroom(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	headroom := gcHeadroom()
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	runtime.KeepAlive(headroom)
	if goal := s[0].Value.Uint64(); goal < 2*gcHeadroomBytes {
		t.Errorf("heap goal %d MB with the headroom kept, want at least %d MB", goal>>20, 2*gcHeadroomBytes>>20)
	}
}
