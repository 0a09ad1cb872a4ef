package traffic

import (
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestLoopStartNoFlood (closing review 43, 1): a loop's first broadcast
// comes round at line rate, 2,000 copies in 20 ms, before a second host's
// ARP joins it 50 ms later: that is one switching loop, not first a High
// flood from the host whose ARP was caught in it. The one-frame flood is
// decided when its window closes (TestOneFrameFloodNoLoop).
func TestLoopStartNoFlood(t *testing.T) {
	frame := hexBytes(t, loopARPHex)
	other := arpFrame(t, layers.ARPRequest, hw("00:50:56:00:01:7c"), "10.37.1.124", nil, "10.37.1.1")
	r := newRig(t, Config{})
	const every = 10 * time.Microsecond
	for i := range 10000 { // 100 ms at line rate
		at := t0.Add(time.Duration(i) * every)
		r.feed(at, frame)
		if at.Sub(t0) >= 50*time.Millisecond {
			r.feed(at.Add(every/2), other)
		}
	}
	for i := range stormGate + 1 { // the loop goes on: both windows close
		at := t0.Add(1010*time.Millisecond + time.Duration(i)*every)
		r.feed(at, frame)
		r.feed(at.Add(every/2), other)
	}
	if f := r.of(inventory.EventFlood); len(f) != 0 {
		t.Fatalf("a loop's first broadcast called its sender's flood: %+v", f)
	}
	if l := r.of(inventory.EventSwitchingLoop); len(l) != 1 || l[0].TargetMAC.String() != "3c:52:82:00:00:10" {
		t.Fatalf("loop: %+v", l)
	}
}

// TestQuietRoomTieOnePass (closing review 43, 2): with a full incident
// table held by two types about equally, each event of either type is
// refused without counting the table's keys again: one pass until the
// next tick.
func TestQuietRoomTieOnePass(t *testing.T) {
	r := newRig(t, Config{MaxTrackers: 64})
	for i := range 64 {
		typ := inventory.EventNDSpoof
		if i%2 == 1 {
			typ = inventory.EventPortScan
		}
		if !r.e.reserve(quietKey{typ: typ, culprit: mac{2, 0, 0, 0, 0, byte(i)}}, t0) {
			t.Fatalf("key %d refused below the cap", i)
		}
	}
	for i := range 100 {
		typ := inventory.EventNDSpoof
		if i%2 == 1 {
			typ = inventory.EventPortScan
		}
		if r.e.reserve(quietKey{typ: typ, culprit: mac{2, 0, 0, 0, 1, byte(i)}}, t0) {
			t.Fatalf("reserve %d: a tied type took another's slot", i)
		}
	}
	if r.e.quietPasses != 1 || r.e.Counters().EventsDropped != 100 {
		t.Fatalf("%d passes over the table for 100 refused events (want 1), %d dropped", r.e.quietPasses, r.e.Counters().EventsDropped)
	}
	// A third type still gets room, counted without another pass.
	if !r.e.reserve(quietKey{typ: inventory.EventFlood, culprit: mac{2, 0, 0, 0, 2, 0}}, t0) || r.e.quietPasses != 1 || len(r.e.quiet) > 64 {
		t.Fatalf("flood refused or %d passes, %d keys", r.e.quietPasses, len(r.e.quiet))
	}
}
