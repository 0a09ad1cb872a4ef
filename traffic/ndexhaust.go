package traffic

import (
	"fmt"
	"net/netip"

	"tend/capture"
	"tend/inventory"
)

// Neighbour cache exhaustion (atk6-ndpexhaust26, RFC 6583 3): a host
// sends packets to random addresses of the link's /64 through the
// router, which must solicit each before it can deliver it (RFC 4861
// 7.2.2), filling its neighbour cache with incomplete entries. The
// neighbour discovery flood is then the router's own solicitations, nine
// in ten from its MAC; the culprit is the host whose packets to the
// solicited addresses made it ask (review 43 P3: the gateway was named).
// So while the router's solicitations flood (a floodsTo state of the
// link's neighbour discovery from a router's MAC, routerMAC), the IPv6
// packets sent to its MAC are noted by destination (ndTriggers.trig), and
// each solicitation is credited to the MAC that last sent a packet to its
// target: one MAC credited with half of them or more is the culprit, the
// router the target. A router soliciting for traffic from beyond it (a
// scan of the /64 from the internet) has no such MAC on the link and stays
// named, as a host flooding neighbour discovery itself is.
//
// Cost: one comparison per frame (ndTrigUntil, at the end of the packet
// path) and a map lookup per neighbour solicitation outside such a flood;
// during one, a table write per IPv6 packet to the router's MAC.

// ndTrigSlots sizes the table of destinations sent to the router, by the
// destination's hash: a router solicits within a moment of the packet
// (RFC 4861 7.2.2), so the table needs only the last few hundred.
const ndTrigSlots = 256

// ndTrigMin is how many solicitations a culprit must be credited with: a
// flood's count (floodMin[fNDP]) is 400, counted from a quarter of it.
const ndTrigMin = 64

// ndTriggers is what the router's solicitation flood is credited to.
type ndTriggers struct {
	_      [0]func() // not comparable: no equality function linked
	router mac
	trig   [ndTrigSlots]ndTrig
	asks   uint32    // the router's solicitations counted
	who    [4]ndTrig // MACs credited, each with its count (n)
}

// ndTrig is a destination's hash (h) and the MAC that last sent to it, or
// a credited MAC and its count.
type ndTrig struct {
	h uint64
	m mac
	n uint32
}

// routerAsk counts p, a neighbour solicitation from src, when src is a
// router's MAC sending the link's neighbour discovery flood state
// (floodCount counted p first): noteRouterAsk.
func (e *Engine) routerAsk(p *capture.Packet, src mac) {
	if !e.routerMAC(src) {
		return // the lookup below only for a router's (a forged-MAC flood's are not)
	}
	if f := e.floodsTo[newFloodKey(ndpLink, fNDP)]; f != nil && f.live && f.srcMAC == src {
		e.noteRouterAsk(p, src, e.pktNS)
	}
}

// noteRouterAsk counts p, a neighbour discovery packet of the link's flood
// state from the router's MAC src, at now: a solicitation is credited to
// the MAC that sent to its target; the noting of packets to src goes on
// for floodWindow.
func (e *Engine) noteRouterAsk(p *capture.Packet, src mac, now int64) {
	t := e.ndTrig
	if t == nil || t.router != src || e.ndTrigUntil < now {
		if t == nil {
			t = &ndTriggers{}
			e.ndTrig = t
		}
		*t = ndTriggers{router: src}
	}
	e.ndTrigUntil = now + int64(floodWindow)
	if p.ICMPv6.TypeCode.Type() != 135 { // RFC 4861 4.3: a neighbour solicitation
		return
	}
	t.asks++
	h := ipHash(ndTarget(p))
	s := &t.trig[h%ndTrigSlots]
	if s.h != h || s.m == (mac{}) {
		return
	}
	for i := range t.who {
		if w := &t.who[i]; w.m == s.m || w.n == 0 {
			w.m = s.m
			w.n++
			return
		}
	}
}

// noteNDTrigger notes p, from src, while the router's solicitations
// flood: an IPv6 packet to the router's MAC from another, by destination.
func (e *Engine) noteNDTrigger(p *capture.Packet, src mac) {
	t := e.ndTrig
	if t == nil || p.Has&capture.HasIPv6 == 0 || src == t.router || capture.MAC6(p.Eth.DstMAC) != t.router {
		return
	}
	h := ipHash(p.DstIP())
	t.trig[h%ndTrigSlots] = ndTrig{h: h, m: src}
}

// ndTriggerer is the MAC credited with half or more of the solicitations
// of router, the MAC that sent nine in ten of the link's neighbour
// discovery flood, and how many (ok false: none).
func (e *Engine) ndTriggerer(router mac) (m mac, n uint32, ok bool) {
	t := e.ndTrig
	if t == nil || t.router != router {
		return mac{}, 0, false
	}
	for _, w := range t.who {
		if w.n >= ndTrigMin && w.n*2 >= t.asks {
			return w.m, w.n, true
		}
	}
	return mac{}, 0, false
}

// exhaustion words ev, the neighbour discovery flood from the router's
// MAC router at rate, as neighbour cache exhaustion by m (ndTriggerer's,
// credited with n solicitations), and returns the culprit and target.
func (e *Engine) exhaustion(ev *inventory.Event, router, m mac, n uint32, rate float64) {
	ev.MAC, ev.TargetMAC = macOf(m), macOf(router)
	ev.IP, ev.TargetIP = netip.Addr{}, netip.Addr{}
	if h := e.hosts[macKey(m)]; h != nil && h.ip.IsValid() {
		ev.IP = h.ip
	}
	if h := e.hosts[macKey(router)]; h != nil && h.ip.IsValid() {
		ev.TargetIP = h.ip
	}
	ev.Summary = fmt.Sprintf("neighbour cache exhaustion: %s sent packets to addresses of the link through the router %s, which solicited each, %.0f neighbour discovery packets/s",
		describe(m, ev.IP), describe(router, ev.TargetIP), rate)
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "ndp", Detail: fmt.Sprintf("%d of the router's %d solicitations were for addresses %s had just sent a packet to through it: the router resolves them for %s (RFC 6583 3)",
		n, e.ndTrig.asks, macString(m), macString(m))})
}
