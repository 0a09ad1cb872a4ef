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

// TestPrepareHeapCollectsOnce: allocating the headroom and the huge-page
// buffer starts no collection of its own; the next one counts both. Before,
// each buffer started one (the goal was a test binary's few MB). runtime.GC
// waits for a cycle under way and then runs one, so it completes one cycle
// after prepareHeap, and those the set-up started besides.
func TestPrepareHeapCollectsOnce(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	runtime.GC() // the goal back to twice the live heap
	before := gcCycles()
	headroom := prepareHeap(true)
	if gogc := debug.SetGCPercent(100); gogc != 100 {
		t.Errorf("GOGC %d after prepareHeap, want it restored to 100", gogc)
	}
	runtime.GC()
	runtime.KeepAlive(headroom)
	if n := gcCycles() - before; n != 1 {
		t.Errorf("%d collections from prepareHeap to the end of runtime.GC's, want 1 (runtime.GC's, counting both buffers)", n)
	}
}

// gcCycles is the number of collections completed so far.
func gcCycles() uint64 {
	var st runtime.MemStats
	runtime.ReadMemStats(&st)
	return uint64(st.NumGC)
}
