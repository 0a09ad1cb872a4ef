package traffic

import (
	"fmt"
	"time"

	"tend/capture"
	"tend/inventory"
)

// A MAC flood folded into the BPDU, CDP or DHCPv6 flood raised as its own
// kind, or held for a DHCP starvation's verdict (macflood.go), is judged
// from its first macFloodMACs new senders; the incident then lasts while
// new MACs keep coming. macof started right after yersinia (no gap) would
// ride on that verdict. So the incident's later new senders whose first
// frame is of no foldable kind (IPv4 or IPv6 unicast, ARP: l2KindOther)
// are counted on their own, by the mac_flood rule (macFloodMACs within
// macFloodWindow), and raise mac_flood naming them. The BPDU flood fills
// the host table (MaxHosts) within a second: the senders the full table
// turns away count too, each once while it keeps its slot in a small
// direct-mapped set (a host sending many frames is one sender; macof's
// one frame per MAC is one each).
const restSeenBits = 10

const restSeenSlots = 1 << restSeenBits

// macFloodRest counts the new senders of no foldable kind within a folded
// or held incident.
type macFloodRest struct {
	_           [0]func() // not comparable: no equality function linked
	start, last int64
	n           int
	first       [3]mac
	raised      bool
	seen        *[restSeenSlots]uint64 // untracked senders counted lately (macKey), allocated on the first
}

// restSender counts m, a sender first seen within a folded or held MAC
// flood at t (now in nanos), whose first frame is of kind.
func (e *Engine) restSender(m mac, t time.Time, now int64, kind int) {
	s := &e.macFlood
	r := &s.rest
	if s.folded == l2KindOther || kind != l2KindOther || r.raised {
		return
	}
	if r.n == 0 || now-r.start > int64(macFloodWindow) {
		*r = macFloodRest{start: now, seen: r.seen}
	}
	if r.n < len(r.first) {
		r.first[r.n] = m
	}
	r.n++
	r.last = now
	if r.n < macFloodMACs {
		return
	}
	r.raised = true
	ev := e.macFloodEvent(&macFloodState{start: r.start, last: r.last, n: r.n, first: r.first}, t)
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
		"these senders' first frames are none of the %s flood the incident's first %d new MACs were (folded into it): a flood of its own", l2KindName[s.folded], macFloodMACs)})
	e.macHeldDue = 0 // the incident is raised as mac_flood: the held one would be a second
	e.report(ev, mac{}, mac{})
}

// l2KindName names the kinds of l2KindOf.
var l2KindName = [l2Kinds]string{"other", "BPDU", "CDP", "DHCPv6 Solicit", "DHCP DISCOVER"}

// untrackedSender counts the sender of p, src, that the full host table
// turned away, when a folded or held MAC flood goes on (restSender).
func (e *Engine) untrackedSender(p *capture.Packet, src mac, addressed bool) {
	s := &e.macFlood
	if !s.reported || s.folded == l2KindOther || s.rest.raised || e.clock > s.until || addressed && !e.learned() {
		return
	}
	r := &s.rest
	if r.seen == nil {
		r.seen = new([restSeenSlots]uint64)
	}
	k := macKey(src)
	slot := &r.seen[(k*0x9e3779b97f4a7c15)>>(64-restSeenBits)]
	if *slot == k {
		return
	}
	*slot = k
	e.restSender(src, p.Time, e.clock, l2KindOf(p))
}
