package traffic

import (
	"fmt"
	"net/netip"

	"tend/capture"
	"tend/inventory"
)

// fhrpFirstClaim judges src's claim of g's active role, the first claim
// heard in g, for the virtual address vip: a group's active router serves
// its virtual address, so when vip is the LAN's gateway and ARP binds the
// gateway to another MAC, not an HSRP or VRRP virtual MAC (0000.0c07.acXX,
// 0000.0c9f.fXXX, 0000.5e00.01XX: the gateway is no FHRP group's), src
// claims a router it is not (yersinia hsrp -attack 0, priority 255):
// fhrp_takeover Medium, as HSRP's routers would hand it the address if the
// gateway were theirs. A real HSRP or VRRP gateway's ARP binds its virtual
// MAC (or, with use-bia, the active router's own: src).
func (e *Engine) fhrpFirstClaim(p *capture.Packet, src mac, g *fhrpGroup, prio byte, vip netip.Addr) {
	if !e.isGateway(vip) {
		return
	}
	b := e.arp[vip]
	if b == nil || b.mac == src {
		return
	}
	if _, _, virtual := fhrpVirtual(b.mac); virtual {
		return
	}
	e.l2Event(p.Time, inventory.EventFHRPTakeover, inventory.SeverityMedium, src, p.SrcIP(), b.mac, vip,
		describe(src, p.SrcIP())+" claims the "+g.kind.String()+" active role for the gateway's address "+vip.String()+", whose ARP binding is another MAC, "+macString(b.mac)+": a takeover attempt", "fhrp",
		fmt.Sprintf("%s group %d: the first claim heard, priority %d; ARP binds %s to %s, no HSRP or VRRP virtual MAC", g.kind, g.group, prio, vip, macString(b.mac)),
		"routers of the group would hand the gateway's address to the claimant (yersinia's HSRP attack); a gateway served by HSRP or VRRP answers ARP with the group's virtual MAC")
}
