package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
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

// macFloodLearnMACs is how many new sender MACs within macFloodWindow are a
// flood while learning, when each has an address of its own: a sensor
// starting on a mirror port meets every active host within a second or
// two, a few hundred on an office LAN and never thousands (the host
// table holds MaxHosts, 4,096); flood_mld26 brings 24,000.
const macFloodLearnMACs = 3000

// macFloodState counts the sender MACs first seen since start. Its times
// are on the engine's clock (nanos: the monotonic reading of a live
// capture), so a wall-clock step (NTP) neither ends a window early nor
// stretches one.
type macFloodState struct {
	_           [0]func() // not comparable: no equality function linked
	start, last int64
	n           int
	first       [3]mac // the first few (evidence)
	reported    bool   // reported at the threshold; the incident goes on until macFloodWindow without a new MAC
	// until is when the reported incident ends: macFloodWindow after its
	// last new MAC or the last the full host table turned away (host).
	until int64
	// lastFrom is the address of the last new sender skipped while learning.
	lastFrom netip.Addr
	learning int          // new senders within the window that count only toward macFloodLearnMACs
	kinds    [l2Kinds]int // the new senders counted by their first frame's kind (l2KindOf)
	folded   int          // the kind the reported incident was folded into or held for; l2KindOther: raised
	rest     macFloodRest // the incident's later new senders of no foldable kind (macfloodrest.go)
}

// The frames of yersinia's BPDU and CDP floods and of flood_dhcpc6's
// Solicits each come from a MAC invented for it: the MAC flood they cause
// is the attack its own detector raises (rogue_switch, dhcp_starvation),
// not a second incident. A MAC flood nine in ten of whose new senders
// first sent such a frame, while a flood of that kind was raised (within
// l2FloodWindow before its first new MAC, l2Raised), is folded into it:
// no mac_flood. macof's frames (IPv4 from random addresses) and a flood
// of another kind than the one raised still raise mac_flood.
const (
	l2KindOther = iota
	l2KindBPDU  // spanning tree: 01:80:C2:00:00:00 or PVST+'s 01:00:0C:CC:CC:CD
	l2KindCDP   // 01:00:0C:CC:CC:CC (CDP, DTP, VTP)
	l2KindDHCP6 // a DHCPv6 client's message to a server (UDP 546 to 547)
	l2KindDHCP4 // a DHCP client's message to a server (UDP 68 to 67): held, not folded (macHeldFor)
	l2Kinds
)

// l2KindOf is the kind of the frame p for the MAC flood's folding.
func l2KindOf(p *capture.Packet) int {
	d := p.Eth.DstMAC
	switch {
	case p.Has&(capture.HasIPv6|capture.HasUDP) == capture.HasIPv6|capture.HasUDP && p.UDP.SrcPort == 546 && p.UDP.DstPort == 547:
		return l2KindDHCP6
	case p.Has&(capture.HasIPv4|capture.HasUDP) == capture.HasIPv4|capture.HasUDP && p.UDP.SrcPort == 68 && p.UDP.DstPort == 67:
		return l2KindDHCP4
	case len(d) < 6 || d[0]&1 == 0:
		return l2KindOther
	case string(d) == "\x01\x80\xc2\x00\x00\x00" || string(d) == "\x01\x00\x0c\xcc\xcc\xcd":
		return l2KindBPDU
	case string(d) == "\x01\x00\x0c\xcc\xcc\xcc":
		return l2KindCDP
	}
	return l2KindOther
}

// foldedMACFlood returns the kind of the attack raised as its own kind
// (l2Raised) whose MAC flood s, at its threshold, is; l2KindOther: none.
func (e *Engine) foldedMACFlood(s *macFloodState) int {
	for k := l2KindOther + 1; k < l2Kinds; k++ {
		if s.kinds[k]*10 >= s.n*9 && e.l2Raised[k] != 0 && e.l2Raised[k] >= s.start-int64(l2FloodWindow) {
			return k
		}
	}
	return l2KindOther
}

// newSender counts a MAC whose first frame as a sender, of kind (l2KindOf),
// was just seen.
// While learning the table starts empty, and a busy mirror port shows every
// active host within a second or two: a sender whose first frame is ARP or
// comes from a local address (from, when IP) counts only once learning is
// over, unless the new sender before it came from the same address (hosts
// have addresses of their own). macof's frames come from random addresses,
// nearly all public. Those skipped still count toward macFloodLearnMACs
// (learning): an unambiguous flood of new addressed senders needs no
// learning period (thc flood_mld26 and flood_router26: each frame from a
// new MAC with its own EUI-64 link-local address, 12,000 a second; review
// 35a P10 found one missed in the first ten minutes).
func (e *Engine) newSender(m mac, t time.Time, addressed bool, from netip.Addr, kind int) {
	s, now := &e.macFlood, e.nanosOf(t)
	learning := addressed && !e.learned() && (!from.IsValid() || from != s.lastFrom)
	if learning {
		s.lastFrom = from
	}
	if s.reported && now <= s.until {
		s.last, s.until = now, now+int64(macFloodWindow) // the same incident
		e.restSender(m, t, now, kind)
		return
	}
	if s.reported || s.n == 0 || now-s.start > int64(macFloodWindow) {
		*s = macFloodState{start: now}
	}
	if s.n < len(s.first) {
		s.first[s.n] = m
	}
	s.n++
	s.learning += int(b2u(learning))
	s.kinds[kind]++
	s.last = now
	if s.n-s.learning < macFloodMACs && s.n < macFloodLearnMACs {
		return
	}
	s.reported, s.until = true, now+int64(macFloodWindow)
	if s.folded = e.foldedMACFlood(s); s.folded != l2KindOther {
		return
	}
	ev := e.macFloodEvent(s, t)
	if s.kinds[l2KindDHCP4]*10 >= s.n*9 {
		s.folded = l2KindDHCP4
		e.macHeld, e.macHeldDue = ev, now+int64(macHeldFor) // held for the starvation's verdict (dropStarvedMACFlood)
		if e.scanDue == 0 || e.macHeldDue < e.scanDue {
			e.scanDue = e.macHeldDue
		}
		return
	}
	e.report(ev, mac{}, mac{})
}

// macFloodEvent is the mac_flood event of s at its threshold, at t.
func (e *Engine) macFloodEvent(s *macFloodState, t time.Time) inventory.Event {
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
	if s.n-s.learning < macFloodMACs {
		ev.Evidence[1].Detail = fmt.Sprintf("threshold while learning the LAN: %d new sender MACs within %s, each with an address of its own (%d here); a sensor starting on a mirror port meets a few hundred hosts at once, not thousands",
			macFloodLearnMACs, macFloodWindow, s.learning)
	}
	return ev
}

// A MAC flood nine in ten of whose new senders first sent a DHCP client
// message (yersinia dhcp -attack 1: a DISCOVER from each invented MAC) is
// the DHCP starvation detector's to judge, whose verdict waits for the
// clients to use their leases (dhcpstorm.go, starveSettle): the mac_flood
// is held macHeldFor, dropped when the starvation is raised meanwhile (the
// same frames' incident), reported when it is not.
const macHeldFor = 2 * starveSettle

// dropStarvedMACFlood drops the held mac_flood: the DHCP starvation its
// frames are was raised.
func (e *Engine) dropStarvedMACFlood() {
	e.macHeldDue = 0
}

// flushMACHeld reports the held mac_flood when due at now (or all is
// set: the starvation is settled first, as Flush would after) and returns
// when it is due (0: none held).
func (e *Engine) flushMACHeld(now int64, all bool) int64 {
	if e.macHeldDue == 0 || !all && now < e.macHeldDue {
		return e.macHeldDue
	}
	if all {
		e.settleStarvation(e.clock, true) // dhcpstorm.go: may drop it
		if e.macHeldDue == 0 {
			return 0
		}
	}
	e.macHeldDue = 0
	e.report(e.macHeld, mac{}, mac{})
	return 0
}
