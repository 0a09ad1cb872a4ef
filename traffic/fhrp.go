package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// fhrpGroup is one HSRP or VRRP group: the router active for it now and
// the routers heard speaking for it.
type fhrpGroup struct {
	vrrp     bool
	group    byte
	active   mac
	activeIP netip.Addr
	prio     byte
	last     time.Time      // when the active router was last heard
	hold     time.Duration  // how long it stays active unheard
	speakers [4]fhrpSpeaker // routers heard in the group (beyond: TrackersDropped)
}

// fhrpSpeaker is a router heard in a group: how often, first and last.
type fhrpSpeaker struct {
	m           mac
	first, last time.Time
	n           uint32
	active      bool // it held the active role without an alarm
}

// A speaker is known to its group once it was active without an alarm, or
// sent fhrpKnownHellos messages over at least fhrpKnownSpan (a standby
// HSRP router's hellos every 3 s for 10 s; VRRP backups are silent): one
// standby or low-priority hello is not enough to make a later coup a
// failover. A known speaker unheard for fhrpForget may give its slot to a
// new one; an unknown one always may.
const (
	fhrpKnownHellos = 3
	fhrpKnownSpan   = 10 * time.Second
	fhrpForget      = 30 * time.Minute
)

func (sp *fhrpSpeaker) known() bool {
	return sp.active || sp.n >= fhrpKnownHellos && sp.last.Sub(sp.first) >= fhrpKnownSpan
}

func (g *fhrpGroup) find(m mac) *fhrpSpeaker {
	for i := range g.speakers {
		if g.speakers[i].n > 0 && g.speakers[i].m == m {
			return &g.speakers[i]
		}
	}
	return nil
}

func (g *fhrpGroup) knows(m mac) bool {
	sp := g.find(m)
	return sp != nil && sp.known()
}

// hear counts a message from m at t, taking a free slot, else an unknown
// speaker's, else a known one's unheard for fhrpForget (the least recently
// heard): a stream of one-hello MACs cannot push an established router out.
func (e *Engine) hear(g *fhrpGroup, m mac, t time.Time) *fhrpSpeaker {
	if sp := g.find(m); sp != nil {
		sp.n++
		sp.last = t
		return sp
	}
	var slot *fhrpSpeaker
	for i := range g.speakers {
		sp := &g.speakers[i]
		switch {
		case sp.n == 0:
			slot = sp
		case slot != nil && slot.n == 0:
		case !sp.known() || since(t, sp.last) > fhrpForget:
			if slot == nil || slot.known() && !sp.known() || slot.known() == sp.known() && sp.last.Before(slot.last) {
				slot = sp
			}
		}
	}
	if slot == nil {
		e.counters.TrackersDropped++
		return nil
	}
	*slot = fhrpSpeaker{m: m, first: t, last: t, n: 1}
	return slot
}

// fhrpRouter reports whether m is a router known in an HSRP or VRRP group.
func (e *Engine) fhrpRouter(m mac) bool {
	for i := range e.l2.fhrp[:e.l2.nFHRP] {
		if e.l2.fhrp[i].knows(m) {
			return true
		}
	}
	return false
}

// HSRP's and VRRP's multicast groups (224.0.0.2, 224.0.0.18) and numbers
// (RFC 2281 5, RFC 5798 5.1).
const (
	hsrpGroup    = 0xe0000002
	vrrpGroup    = 0xe0000012
	hsrpPort     = 1985
	vrrpProtocol = 112
	hsrpActive   = 16 // state
	hsrpCoup     = 1  // op code
)

// ip4Of is a's IPv4 address as a number, 0 for another address.
func ip4Of(a netip.Addr) uint32 {
	if !a.Is4() {
		return 0
	}
	b := a.As4()
	return binary.BigEndian.Uint32(b[:])
}

// hsrp reads an HSRP version 0/1 message (RFC 2281 5: version, op code,
// state, hello time, hold time, priority, group, reserved, authentication,
// virtual IP).
func (e *Engine) hsrp(p *capture.Packet, src mac) {
	b := p.UDP.Payload
	if len(b) < 20 || b[0] > 1 || ip4Of(p.DstIP()) != hsrpGroup || !unicast(src) {
		return
	}
	op, state, hold, prio, grp := b[1], b[2], time.Duration(b[4])*time.Second, b[5], b[6]
	claims := op == hsrpCoup || op == 0 && state == hsrpActive
	e.fhrpMessage(p, src, false, grp, prio, max(hold, 3*time.Second), claims, netip.AddrFrom4([4]byte(b[16:20])), op == hsrpCoup)
}

// vrrp reads a VRRP advertisement (RFC 5798 5.2: version and type, VRID,
// priority, address count, interval, checksum, then the virtual
// addresses): only the master advertises.
func (e *Engine) vrrp(p *capture.Packet, src mac) {
	b := p.IPv4.Payload
	if len(b) < 12 || b[0]>>4 < 2 || b[0]>>4 > 3 || b[0]&0xf != 1 || ip4Of(p.DstIP()) != vrrpGroup || !unicast(src) {
		return
	}
	every := time.Duration(b[5]) * time.Second // version 2: seconds
	if b[0]>>4 == 3 {
		every = time.Duration(uint16(b[4]&0xf)<<8|uint16(b[5])) * 10 * time.Millisecond // version 3: centiseconds
	}
	e.fhrpMessage(p, src, true, b[1], b[2], max(3*every+time.Second, 3*time.Second), true, netip.AddrFrom4([4]byte(b[8:12])), false)
}

// fhrpMessage judges a router's message for a group: a router never heard
// in the group that claims the active role, at a priority at least the
// active router's, while that router is still alive, takes the LAN's
// gateway address over (yersinia's HSRP attacks, a VRRP master forged the
// same way). A standby router taking over, or the active one gone silent,
// is a failover.
func (e *Engine) fhrpMessage(p *capture.Packet, src mac, vrrp bool, grp, prio byte, hold time.Duration, claims bool, vip netip.Addr, coup bool) {
	s := &e.l2
	var g *fhrpGroup
	for i := range s.fhrp[:s.nFHRP] {
		if s.fhrp[i].vrrp == vrrp && s.fhrp[i].group == grp {
			g = &s.fhrp[i]
		}
	}
	if g == nil {
		if s.nFHRP == len(s.fhrp) {
			e.counters.TrackersDropped++
			return
		}
		s.fhrp[s.nFHRP] = fhrpGroup{vrrp: vrrp, group: grp}
		g = &s.fhrp[s.nFHRP]
		s.nFHRP++
	}
	known := g.knows(src) // before this message counts
	sp := e.hear(g, src, p.Time)
	if !claims {
		return
	}
	if g.active == src || g.active == (mac{}) || since(p.Time, g.last) > g.hold || known || prio < g.prio {
		if g.active == src || g.active == (mac{}) || since(p.Time, g.last) > g.hold || prio >= g.prio {
			g.active, g.activeIP, g.prio, g.last, g.hold = src, p.SrcIP(), prio, p.Time, hold
			if sp != nil {
				sp.active = true
			}
		}
		return
	}
	e.reportTakeover(p, src, g, vrrp, coup, prio, vip)
	g.active, g.activeIP, g.prio, g.last, g.hold = src, p.SrcIP(), prio, p.Time, hold
}

// reportTakeover reports src taking group g's active role at prio.
func (e *Engine) reportTakeover(p *capture.Packet, src mac, g *fhrpGroup, vrrp, coup bool, prio byte, vip netip.Addr) {
	proto, what := "HSRP", "hello in the active state"
	if coup {
		what = "coup"
	}
	if vrrp {
		proto, what = "VRRP", "advertisement"
	}
	e.report(inventory.Event{
		Time: p.Time, Type: inventory.EventFHRPTakeover, Severity: inventory.SeverityCritical,
		MAC: macOf(src), IP: p.SrcIP(), TargetMAC: macOf(g.active), TargetIP: vip,
		Summary: describe(src, p.SrcIP()) + " takes over the " + proto + " gateway " + vip.String() + " from " + describe(g.active, g.activeIP),
		Evidence: []inventory.Evidence{
			{Source: "fhrp", Detail: fmt.Sprintf("%s %s for group %d at priority %d", proto, what, g.group, prio)},
			{Source: "fhrp", Detail: fmt.Sprintf("the active router (priority %d) was heard %s before; this MAC never spoke in the group", g.prio, roundDur(since(p.Time, g.last)))},
		},
	}, src, g.active)
}
