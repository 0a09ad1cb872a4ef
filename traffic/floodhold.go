package traffic

import (
	"net/netip"
	"time"

	"tend/inventory"
)

// floodGather is how long a flood's event is held after the flood crossed
// its threshold, its packets counted on: the event gives the incident's
// rate over the packets seen by then, not the rate up to the threshold
// (review 31a: nping at 2,000 a second crossed at 341 a second, the
// packets before the flood's first second counted in; a burst's first
// 386 ms said 12,959 a second). The event keeps the time it was raised.
const floodGather = floodWindow

// heldFlood is a flood event decided at now (on the engine's clock; t the
// packet's time) and held for floodGather: f the live state, snap a copy
// of it at the decision, which the event's judgement (culprit, sources)
// reads so that holding changes no more than the counts it gives.
type heldFlood struct {
	t    time.Time
	now  int64
	dst  netip.Addr
	kind int
	f    *floodState
	snap floodState
}

// floodTotal is what a flood event counts: packets, bytes, over span, and
// the sources and flows seen.
type floodTotal struct {
	pkts, bytes uint64
	peak        uint64 // the most packets in one second after the decision (tally)
	span        time.Duration
	srcs, flows int
}

// holdFlood holds the flood f of kind toward dst, decided at now, for
// floodGather (flushScans reports it).
// Its quiet key is taken now (reserve), as report would.
func (e *Engine) holdFlood(t time.Time, now int64, dst netip.Addr, kind int, f *floodState) {
	h := &heldFlood{t: t, now: now, dst: dst, kind: kind, f: f, snap: *f}
	ev, culprit := e.floodEvent(t, now, dst, kind, &h.snap, h.total())
	if !e.reserve(newQuietKey(ev.Type, culprit, mac{}, ev.TargetIP), t) {
		return
	}
	f.shaking = kind == fTCP  // floodconn.go: its handshakes go on counting
	hold(e, &e.floodsHeld, h) // arphold.go
}

func (h *heldFlood) dueAt() int64 { return h.now + int64(floodGather) }

// event is h's event with the incident's counts by now.
func (h *heldFlood) event(e *Engine) inventory.Event {
	snap := h.snap
	conn := h.connEvidence(&snap) // floodconn.go
	ev, _ := e.floodEvent(h.t, h.now, h.dst, h.kind, &snap, h.total())
	if conn != "" {
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: conn})
	}
	return ev
}

// total is what h's incident counted by now: the live state's packets up
// to its last, while it is the same incident (no window began since the
// decision), else the decision's.
func (h *heldFlood) total() floodTotal {
	s := &h.snap
	end := h.now
	if f := h.f; f.live && f.from == s.from && f.began == s.began && f.pkts >= s.pkts {
		s, end = f, max(f.last, h.now)
	}
	t := floodTotal{pkts: s.pkts, bytes: s.bytes, span: time.Duration(end - s.from), srcs: s.ips.count(), flows: s.flows.count()}
	if own := time.Duration(end - s.start); own >= floodRateSpan && s.gated < s.pkts {
		// The state's own packets over its own span: the gate's earlier
		// count runs from its window's first packet, which may be
		// ordinary traffic seconds before the flood began (p5's SYNs to a
		// web server: 20,004 in 7.1 s, the flood's 19,755 in 2.5 s).
		t.pkts, t.span = s.pkts-s.gated, own
	}
	if s == h.f {
		t.peak = max(s.peak, s.secN)
	}
	return t
}

// floodRateSpan is the shortest span of a flood state's own packets that
// its rate is given over (total): a state begun just before its report
// would show millions a second.
const floodRateSpan = time.Second

// rate is t's packets per second, over a millisecond at least.
func (t floodTotal) rate() float64 {
	return float64(t.pkts) / max(t.span.Seconds(), time.Millisecond.Seconds())
}

// tally counts a packet at now of the reported flood f in the second it
// falls in (one begins at the first packet after the last ended) and
// keeps the most packets one held: two compares and an add per packet.
func (f *floodState) tally(now int64) {
	if now >= f.secEnd {
		f.peak = max(f.peak, f.secN)
		f.secN, f.secEnd = 0, now+int64(time.Second)
	}
	f.secN++
}
