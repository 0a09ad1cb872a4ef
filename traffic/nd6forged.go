package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// IPv6 source forgery on the link. Neighbour discovery binds a LAN
// host's IPv6 addresses to its MAC as ARP does its IPv4 address (e.nd:
// a neighbour advertisement's target link-layer address, a solicitation's
// source link-layer address, RFC 4861 4.3, 4.4), so a frame under an
// IPv6 address ND binds to another MAC, from a MAC that speaks for itself
// under an address of its own (own6: the source of its solicitations, the
// target of its advertisements), forges the address: atk6-toobig6 sends an
// echo request under the PC's address, then a Packet Too Big that makes
// the target lower its path MTU to 1280 for the PC (RFC 8201 4), from
// evil's MAC, which solicited the target from its own fd43:1::66 (review
// 43 P6). What else sends under an address ND binds to another MAC, and is
// not judged: routers forwarding (the gateway's, so nothing is judged
// before its MAC is known, as in floodForged; an IPv6 router's, a MAC
// whose advertisements carry the Router flag: routerMAC, traceRouter,
// ndRouter), HSRP and VRRPv3 groups (fhrpVirtual: the virtual address and
// MAC), one host behind two MACs (bonding, a second NIC: the two share an
// IPv4 address, or ND binds the sender's own address to the owner), and a
// MAC that claimed the address itself in ND (a moved address, a duplicate,
// a neighbour spoofer's forwarded copies, which nd_spoof names). Privacy
// and SLAAC addresses are new addresses, bound to no one else; DAD probes
// come from the unspecified address and bind nothing.
//
// Judged are the ICMPv6 messages whose source a forger chooses to aim
// them (echo requests, whose replies go to the owner, and errors: Packet
// Too Big, Destination Unreachable, Time Exceeded, Parameter Problem,
// RFC 4443), which ordinary traffic sends few of: no TCP or UDP segment
// pays for the lookup.

// nd6Other reports whether ND binds the IPv6 address ip to a MAC other
// than m, heard within ConflictWindow, and m never claimed it: the address
// is another host's.
func (e *Engine) nd6Other(ip netip.Addr, m mac) bool {
	b := e.nd[ip]
	return b != nil && b.mac != m && b.rival != m && since(e.now, b.last) <= e.cfg.ConflictWindow
}

// forged6 reports whether a frame from m with the IPv6 source ip forges
// that address, and if so whose it is (owner) and m's own (own): see above.
func (e *Engine) forged6(m mac, ip netip.Addr) (owner mac, own netip.Addr, ok bool) {
	if !e.nd6Other(ip, m) || !e.gatewayMACKnown() {
		return mac{}, netip.Addr{}, false // the gateway's MAC unknown, any MAC may be a router's
	}
	h := e.hosts[macKey(m)]
	if h == nil || h.ndRouter || !h.own6.IsValid() || h.own6 == ip || e.routerMAC(m) || e.traceRouter(m) || e.fhrpVirtual(ip) {
		return mac{}, netip.Addr{}, false
	}
	owner = e.nd[ip].mac
	if _, _, virtual := fhrpVirtual(owner); virtual || e.oneHost6(owner, m, h) {
		return mac{}, netip.Addr{}, false
	}
	return owner, h.own6, true
}

// oneHost6 reports whether owner and m, the MAC h is, are one host's: ND
// binds m's own address to owner too (or owner claimed it), or both
// speak for one IPv4 address.
func (e *Engine) oneHost6(owner, m mac, h *host) bool {
	if b := e.nd[h.own6]; b != nil && (b.mac == owner || b.rival == owner) {
		return true
	}
	if o := e.hosts[macKey(owner)]; o != nil && h.ip.IsValid() && h.ip.Is4() && o.ip == h.ip {
		return true
	}
	return h.ip.Is4() && e.oneHost(owner, m, h.ip)
}

// spoofed6 raises p, an ICMPv6 echo request or error from src, when its
// source address is forged (forged6): one spoofed_source per sender and
// owner and Cooldown.
func (e *Engine) spoofed6(p *capture.Packet, src mac) {
	from := p.SrcIP()
	owner, own, ok := e.forged6(src, from)
	if !ok {
		return
	}
	k := quietKey{inventory.EventSpoofedSource, src, owner, "ipv6"}
	if e.quieted(k, p.Time) {
		return
	}
	dst, typ := p.DstIP(), p.ICMPv6.TypeCode.Type()
	what := icmp6Name(typ)
	e.reportKey(k, inventory.Event{
		Time: p.Time, Type: inventory.EventSpoofedSource, Severity: inventory.SeverityMedium,
		MAC: macOf(src), IP: own, TargetMAC: macOf(owner), TargetIP: from,
		Summary: fmt.Sprintf("%s sent an ICMPv6 %s to %s under %s's address: a forged IPv6 source", describe(src, own), what, dst, describe(owner, from)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("ICMPv6 %s %s -> %s, %d bytes, from %s at %s", what, from, dst, len(p.ICMPv6.Payload)+4, macString(src), p.Time.UTC().Format(time.RFC3339Nano))},
			{Source: "ndp", Detail: fmt.Sprintf("neighbour discovery binds %s to %s and %s to %s: the message is %s's, sent under another host's address",
				from, macString(owner), own, macString(src), macString(src))},
		},
	})
}

// icmp6Name names the ICMPv6 types spoofed6 judges (RFC 4443 2.1).
func icmp6Name(typ uint8) string {
	switch typ {
	case 1:
		return "destination unreachable"
	case 2:
		return "packet too big"
	case 3:
		return "time exceeded"
	case 4:
		return "parameter problem"
	}
	return "echo request"
}

// ownAddr6 notes ip, which ND binds to m, as m's own IPv6 address.
func (e *Engine) ownAddr6(ip netip.Addr, m mac) {
	if h := e.hosts[macKey(m)]; h != nil {
		h.own6 = ip
	}
}
