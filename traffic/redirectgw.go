package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// gwRedirect is an ICMP redirect sent from the gateway's MAC naming as
// first hop a LAN host, held until the gateway forwards
// the redirected datagram to that host (its own redirect: RFC 1812
// 5.2.7.2, the kernel sends it just before forwarding) or redirectHold
// passes without (review 37a P7: bettercap and scapy forge the gateway's
// MAC as well as its address).
type gwRedirect struct {
	at                int64 // Engine.pktNS
	t                 time.Time
	gw, viaMAC        mac
	victim            mac
	via, dest, target netip.Addr
	code              uint8
}

// redirectHold is how long a held redirect waits for the gateway's
// forwarding of its datagram.
const redirectHold = 2 * int64(time.Second)

// holdGatewayRedirect holds a redirect from the gateway's MAC gw naming
// via, a LAN host that is no gateway, IPv6 or HSRP/VRRP router, nor the
// destination itself (on the link, RFC 1122 3.2.2.2: a router forwarding
// a datagram back out the interface it came in on); beyond its
// four slots a redirect is counted as a tracker dropped.
func (e *Engine) holdGatewayRedirect(p *capture.Packet, gw mac, via, dest netip.Addr) {
	b := e.arp[via]
	if via == dest || b == nil || b.mac == gw || e.router6(b.mac) || e.fhrpRouter(b.mac) || e.fhrpVirtual(via) {
		return
	}
	for i := range e.redirs {
		if r := &e.redirs[i]; r.at == 0 {
			*r = gwRedirect{e.pktNS, p.Time, gw, b.mac, capture.MAC6(p.Eth.DstMAC), via, dest, p.DstIP(), p.ICMPv4.TypeCode.Code()}
			e.nRedirs++
			return
		}
	}
	e.counters.TrackersDropped++
}

// heldRedirects judges the held redirects against an IPv4 frame: the
// gateway forwarding a datagram for off the LAN to the first hop named
// clears one; one held past redirectHold is raised.
func (e *Engine) heldRedirects(p *capture.Packet, src, dst mac) {
	for i := range e.redirs {
		r := &e.redirs[i]
		switch {
		case r.at == 0:
		case src == r.gw && dst == r.viaMAC && p.Has&capture.HasIPv4 != 0 && (!local(p.DstIP()) || p.DstIP() == r.dest):
			*r = gwRedirect{}
			e.nRedirs--
		case e.pktNS-r.at > redirectHold:
			e.raiseGatewayRedirect(r)
			*r = gwRedirect{}
			e.nRedirs--
		}
	}
}

func (e *Engine) raiseGatewayRedirect(r *gwRedirect) {
	via := r.via.String() + " (" + macString(r.viaMAC) + ")"
	e.report(inventory.Event{
		Time: r.t, Type: inventory.EventARPSpoof, Severity: inventory.SeverityHigh,
		TargetMAC: macOf(r.victim), TargetIP: r.target,
		Summary: "an ICMP redirect forged under the gateway's address and MAC told " + r.target.String() + " to send its traffic for " + r.dest.String() + " through " + via + ", which the gateway never routes through",
		Evidence: []inventory.Evidence{
			{Source: "icmp", Detail: fmt.Sprintf("redirect (code %d) from the gateway's MAC %s at %s: first hop for %s is %s", r.code, macString(r.gw), r.t.UTC().Format(time.RFC3339Nano), r.dest, r.via)},
			{Source: "icmp", Detail: via + " is no IPv6 or HSRP/VRRP router and the gateway forwarded nothing to it within 2s: a router redirects a datagram it forwards there (RFC 1812 5.2.7.2); no culprit MAC, the sender forged the gateway's"},
		},
	}, mac{}, r.victim)
}
