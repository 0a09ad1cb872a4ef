package traffic

import (
	"net/netip"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// steps are the wall-clock steps the live tests take: NTP setting the box's
// clock forward or back an hour while the watch runs.
var steps = []time.Duration{time.Hour, -time.Hour}

// stepWall is t with its wall clock moved by d and its monotonic reading
// kept: what time.Now returns after the wall clock was stepped by d.
func stepWall(t time.Time, d time.Duration) time.Time {
	type timeRep struct { // time.Time's layout
		wall uint64
		ext  int64
		loc  *time.Location
	}
	p := (*timeRep)(unsafe.Pointer(&t))
	if p.wall&(1<<63) == 0 {
		panic("stepWall: no monotonic reading")
	}
	p.wall += uint64(d/time.Second) << 30 // the seconds field (since 1885) above 30 bits of nanoseconds
	return t
}

// liveRig is a rig fed time.Now-like times: three minutes of the baseline,
// then the wall clock stepped by step; it returns the first time after.
func liveRig(t *testing.T, cfg Config, step time.Duration) (*rig, time.Time) {
	r := newRig(t, cfg)
	start := time.Now()
	at := stepWall(r.baseline(start, 3*time.Minute), step)
	if d := at.Sub(start); d < 3*time.Minute || d > 4*time.Minute || at.Round(0).Sub(start.Round(0)) < step {
		t.Fatalf("stepWall(%v): monotonic %v, wall %v", step, d, at.Round(0).Sub(start.Round(0)))
	}
	return r, at
}

// TestWallStepARPSpoof: after a wall-clock step a gateway poisoned while it
// still answers is arp_spoof, and the hosts' LastSeen is their last frame's
// time on the stepped wall clock, not before their FirstSeen.
func TestWallStepARPSpoof(t *testing.T) {
	for _, step := range steps {
		r, at := liveRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")}, step)
		for i := range 10 {
			at = at.Add(2 * time.Second)
			r.feed(at, pingFrame(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10", 56))
			r.feed(at, pingFrame(t, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1", 56))
			if i == 0 {
				r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.10"))
			}
			r.feed(at, arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
		}
		if evs := r.of(inventory.EventARPSpoof); len(evs) != 1 || evs[0].Severity != inventory.SeverityCritical {
			t.Errorf("step %v: arp_spoof events %+v, want one Critical", step, evs)
		}
		for _, h := range r.e.Hosts() {
			if h.LastSeen.Before(h.FirstSeen) {
				t.Errorf("step %v: %s LastSeen %v before FirstSeen %v", step, h.MAC, h.LastSeen, h.FirstSeen)
			}
			if h.MAC.String() == pcMAC.String() && !h.LastSeen.Round(0).Equal(at.Round(0)) {
				t.Errorf("step %v: %s LastSeen %v, want its last frame's time %v", step, h.MAC, h.LastSeen, at)
			}
		}
	}
}

// TestWallStepGatewayReplaced: a gateway silent past ConflictWindow whose
// address another MAC then takes was replaced (gateway_changed, Medium),
// however the wall clock was stepped in between.
func TestWallStepGatewayReplaced(t *testing.T) {
	newGW := hw("00:1a:a1:00:00:02")
	for _, step := range steps {
		r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1"), ConflictWindow: time.Minute})
		at := r.baseline(time.Now(), 3*time.Minute).Add(time.Second)
		r.feed(at, pingFrame(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10", 56)) // its last frame, after its last ARP
		at = stepWall(at, step)
		for range 12 {
			at = at.Add(10 * time.Second)
			r.feed(at, pingFrame(t, pcMAC, "10.0.0.10", nasMAC, "10.0.0.30", 56))
		}
		r.feed(at, arpFrame(t, layers.ARPReply, newGW, "10.0.0.1", pcMAC, "10.0.0.10"))
		r.feed(at, arpFrame(t, layers.ARPRequest, newGW, "10.0.0.1", nil, "10.0.0.10"))
		if evs := r.of(inventory.EventGatewayChanged); len(evs) != 1 || evs[0].Severity != inventory.SeverityMedium {
			t.Errorf("step %v: gateway_changed %+v, want one Medium (a replacement)", step, evs)
		}
		if evs := append(r.of(inventory.EventARPSpoof), r.of(inventory.EventDuplicateIP)...); len(evs) != 0 {
			t.Errorf("step %v: a replaced gateway reported as a conflict: %+v", step, evs)
		}
	}
}

// TestWallStepScanHeld: after a wall-clock step a port scan is still held
// for scanGather after its latest target, then reported once with both.
func TestWallStepScanHeld(t *testing.T) {
	for _, step := range steps {
		r, at := liveRig(t, Config{Learning: time.Minute}, step)
		r.events = nil
		scan := func(dst netHW, dstIP string) {
			for port := range 30 {
				at = at.Add(20 * time.Millisecond)
				r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 40000, dst, dstIP, uint16(port+1), tcpFlags{syn: true}, nil))
			}
		}
		scan(pcMAC, "10.0.0.10")
		first := at
		at = at.Add(5 * time.Second)
		scan(nasMAC, "10.0.0.30")
		r.e.Tick(first.Add(scanGather + time.Second))
		if len(r.events) != 0 {
			t.Errorf("step %v: reported before scanGather after its latest target: %+v", step, r.events)
		}
		r.e.Tick(at.Add(scanGather + time.Second))
		if len(r.events) != 1 || r.events[0].Type != inventory.EventPortScan || !strings.Contains(r.events[0].Summary, "2 hosts") {
			t.Errorf("step %v: after scanGather: %+v, want one port_scan of 2 hosts", step, r.events)
		}
	}
}

// TestWallStepAnswering: a host's ARP request a minute after it was sent
// a frame from a forged source is no longer its answer, however the wall
// clock was stepped in between.
func TestWallStepAnswering(t *testing.T) {
	for _, step := range steps {
		r, at := liveRig(t, Config{Learning: time.Minute}, 0)
		r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.10"))
		r.feed(at, tcpFrame(t, evilMAC, "10.0.0.30", 445, pcMAC, "10.0.0.10", 50000, tcpFlags{syn: true}, nil))
		nas := netip.MustParseAddr("10.0.0.30")
		if !r.e.answering(mac(pcMAC), nas, at.Add(time.Second)) {
			t.Fatalf("a request a second after the forged frame is not its answer")
		}
		if later := stepWall(at.Add(time.Minute), step); r.e.answering(mac(pcMAC), nas, later) {
			t.Errorf("step %v: a request a minute later is still the answer", step)
		}
	}
}

// TestNanosClamp: a time past 2116 or before 1824 (a broken pcapng
// if_tsresol) reads as the limit on the engine's clock, in order with the
// others and with room to add a window: the clock never wraps.
func TestNanosClamp(t *testing.T) {
	far, early := time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
	e := New(Config{}, nil)
	if a, b, c := e.nanos(early), e.nanos(t0), e.nanos(far); a != -nanosLimit || c != nanosLimit || a >= b || b >= c {
		t.Errorf("nanos(1600, 2026, 2300) = %d, %d, %d; want -limit < 2026's < limit", a, b, c)
	}
	if e.nanos(far)+int64(time.Hour) < 0 || e.nanos(early)-int64(time.Hour) > 0 || e.nanos(far)-e.nanos(early) < 0 {
		t.Error("a window added to a clamped time wraps")
	}
	r := newRig(t, Config{})
	r.feed(far, pingFrame(t, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1", 56))
	r.feed(far.Add(time.Hour), pingFrame(t, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1", 56))
	if r.e.clock != nanosLimit || r.e.nextTick < r.e.clock {
		t.Errorf("a capture from 2300: clock %d, next tick %d", r.e.clock, r.e.nextTick)
	}
}

// TestWallStepMACFloodAndPortSteal: a MAC flood and port stealing whose
// frames straddle a wall-clock step are each one incident within their
// windows (the engine's clock), and the flood's evidence prints its first
// frame's time on the stepped wall clock.
func TestWallStepMACFloodAndPortSteal(t *testing.T) {
	for _, step := range steps {
		r, at := liveRig(t, Config{Learning: time.Minute}, 0)
		for i := range 2 * macFloodMACs {
			if i == macFloodMACs/2 {
				at = stepWall(at, step)
			}
			r.feed(at, macofFrame(t, i))
			at = at.Add(500 * time.Microsecond)
		}
		for i := range 2 * stealFrames {
			if i == stealFrames/2 {
				at = stepWall(at, step)
			}
			r.feed(at, zeroARPFrame(t, pcMAC, evilMAC))
			at = at.Add(time.Millisecond)
		}
		if evs := r.of(inventory.EventMACFlood); len(evs) != 1 || !strings.Contains(evs[0].Summary, "1000 never-seen source MACs within 500ms") {
			t.Errorf("step %v: mac_flood %+v, want one within 500ms", step, evs)
		}
		if evs := r.of(inventory.EventARPSpoof); len(evs) != 1 || !strings.Contains(evs[0].Summary, "within 49ms") {
			t.Errorf("step %v: port stealing %+v, want one within 49ms", step, evs)
		}
	}
}
