package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/inventory"
)

// MAC flooding (macof, the CAM-table attacks of yersinia and Ettercap's
// plugins) sends frames from thousands of invented source MACs a second so
// that the switches' address tables (8,000 to 32,000 entries) overflow and
// every frame is flooded to every port, the attacker's included. A LAN
// meets new sender MACs a few at a time: a device joining, a boot storm
// after a power cut (hundreds over minutes), a sensor starting on a busy
// mirror port (every host's broadcasts: tens a second on a LAN of a
// thousand). macof sends 50,000 to 150,000 a second; the slowest tool on a
// loaded lab sent 1,000 a second. macFloodMACs new sender MACs within
// macFloodWindow is a flood at any of these sizes. The counter is one
// integer: the host table that says whether a MAC is new is bounded by
// MaxHosts, and a MAC beyond it is counted in HostsUntracked, not here, so a
// LAN larger than the table raises nothing once it is full.
const (
	macFloodWindow = 2 * time.Second
	macFloodMACs   = 1000
)

// macFloodState counts the sender MACs first seen since start. Its times
// are on the engine's clock (nanos: the monotonic reading of a live
// capture), so a wall-clock step (NTP) neither ends a window early nor
// stretches one.
type macFloodState struct {
	start, last int64
	n           int
	first       [3]mac // the first few (evidence)
	reported    bool   // reported at the threshold; the incident goes on until macFloodWindow without a new MAC
	// until is when the reported incident ends: macFloodWindow after its
	// last new MAC or the last the full host table turned away (host).
	until int64
	// lastFrom is the address of the last new sender skipped while learning.
	lastFrom netip.Addr
}

// newSender counts a MAC whose first frame as a sender was just seen.
// While learning the table starts empty, and a busy mirror port shows every
// active host within a second or two: a sender whose first frame is ARP or
// comes from a local address (from, when IP) counts only once learning is
// over, unless the new sender before it came from the same address (hosts
// have addresses of their own). macof's frames come from random addresses,
// nearly all public.
func (e *Engine) newSender(m mac, t time.Time, addressed bool, from netip.Addr) {
	s, now := &e.macFlood, e.nanosOf(t)
	if addressed && !e.learned() && (!from.IsValid() || from != s.lastFrom) {
		s.lastFrom = from
		return
	}
	if s.reported && now <= s.until {
		s.last, s.until = now, now+int64(macFloodWindow) // the same incident
		return
	}
	if s.reported || s.n == 0 || now-s.start > int64(macFloodWindow) {
		*s = macFloodState{start: now}
	}
	if s.n < len(s.first) {
		s.first[s.n] = m
	}
	s.n++
	s.last = now
	if s.n < macFloodMACs {
		return
	}
	s.reported, s.until = true, now+int64(macFloodWindow)
	span := time.Duration(s.last - s.start)
	ev := inventory.Event{
		Time: t, Type: inventory.EventMACFlood, Severity: inventory.SeverityHigh,
		Summary: fmt.Sprintf("MAC flooding: %d never-seen source MACs within %s (%.0f a second); the switches' address tables overflow and flood every frame to every port",
			s.n, roundDur(span), float64(s.n)/max(span.Seconds(), 0.001)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("first %s, %s, %s at %s", macString(s.first[0]), macString(s.first[1]), macString(s.first[2]), e.timeAt(s.start).UTC().Format(time.RFC3339Nano))},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d new sender MACs within %s; a LAN meets a few at a time", macFloodMACs, macFloodWindow)},
			{Source: "traffic", Detail: "the source MACs are invented: no culprit MAC; the attacker's switch port shows the jump in its MAC count"},
		},
	}
	e.report(ev, mac{}, mac{})
}
