package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// redirect4 judges an IPv4 ICMP redirect (RFC 792): a router tells a host
// on the link that another first hop on the link is better for a
// destination. Only a router sends one, about a datagram it was sent to
// forward (RFC 1812 5.2.7.2), and a host heeds it only from its current
// first hop for that destination (RFC 1122 3.2.2.2): so a man in the
// middle (ettercap's icmp_redir, hping3 -C 5 --icmp-gw, scapy) forges the
// gateway's address as the source and names its own as the new first hop.
// A redirect sent from the gateway's MAC is the gateway's business unless
// it names a first hop that never routed (redirectgw.go); one
// from any other MAC is raised against that MAC: high when forged under an
// address ARP binds to another MAC (the gateway's, most often), medium when
// sent under the sender's own address (a host routing for others, or a
// tool that did not forge: hosts ignore it, the attempt is still one). A
// redirect naming a first hop that is no LAN host changes no route, and one
// naming the gateway gives its sender no path to the traffic (a second
// router on the LAN sends hosts back to the gateway so): both are passed over.
// So is one sent under the sender's own address naming the destination
// itself as the first hop (RFC 1122 3.2.2.2: the destination is on-link):
// the kernel of a router that forwards a datagram back out of the
// interface it came in on says so (review 33a: the old CARP master after
// the virtual address left it), and the traffic goes to the destination,
// not through the sender. Unless ARP binds the destination to another MAC:
// the sender got traffic for another host's address, the poisoner's
// forwarding kernel (dsniff's arpspoof with ip_forward) says so.
func (e *Engine) redirect4(p *capture.Packet, src mac) {
	ic := &p.ICMPv4
	if len(ic.Contents) < 8 || len(ic.Payload) < 20 || ic.Payload[0]>>4 != 4 || !unicast(src) || e.isSelf(src) {
		return // no original datagram to name the destination (RFC 792: its header and 64 bits)
	}
	from := p.SrcIP()
	gw, gwKnown := e.gatewayMAC()
	if gwKnown && src == gw {
		if via := netip.AddrFrom4([4]byte(ic.Contents[4:8])); local(via) && !e.isGateway(via) {
			e.holdGatewayRedirect(p, gw, via, netip.AddrFrom4([4]byte(ic.Payload[16:20]))) // redirectgw.go
		}
		return
	}
	owner, bound := mac{}, false
	if b := e.arp[from]; b != nil {
		owner, bound = b.mac, true
	}
	if e.isGateway(from) && !gwKnown && !bound {
		return // the gateway's own MAC is not known yet: nothing to tell a forgery by
	}
	forged := bound && owner != src || e.isGateway(from) && gwKnown
	via := netip.AddrFrom4([4]byte(ic.Contents[4:8]))
	if !local(via) && e.arp[via] == nil {
		return // no first hop on this LAN: a host ignores it (RFC 1122 3.2.2.2); internet routers' redirects routed in (a DDoS's backscatter) name their own
	}
	if b := e.arp[via]; e.isGateway(via) || gwKnown && b != nil && b.mac == gw {
		return // sent to the gateway: no path to the traffic for its sender (a second router handing a host back)
	}
	orig := ic.Payload
	dest := netip.AddrFrom4([4]byte(orig[16:20]))
	if b := e.arp[dest]; dest == via && !forged && (b == nil || b.mac == src) {
		return // the destination is on the link: a router forwarding back out the interface it came in on says so (Linux after a CARP/VRRP address moved away), no path for its sender
	}
	victim, victimIP := capture.MAC6(p.Eth.DstMAC), p.DstIP()
	ev := inventory.Event{
		Time: p.Time, Type: inventory.EventARPSpoof, Severity: inventory.SeverityMedium,
		MAC: macOf(src), TargetMAC: macOf(victim), TargetIP: victimIP,
		Evidence: []inventory.Evidence{
			{Source: "icmp", Detail: fmt.Sprintf("redirect (code %d) from %s (%s) to %s at %s: first hop for %s is %s",
				ic.TypeCode.Code(), from, macString(src), victimIP, p.Time.UTC().Format(time.RFC3339Nano), dest, via)},
		},
	}
	if h := e.hosts[macKey(src)]; h != nil && h.ip.IsValid() {
		ev.IP = h.ip
	}
	who := describe(src, ev.IP)
	if forged {
		ev.Severity = inventory.SeverityHigh
		ev.Summary = fmt.Sprintf("%s forged an ICMP redirect under %s's address telling %s to send its traffic for %s through %s", who, from, victimIP, dest, via)
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "icmp", Detail: fmt.Sprintf("%s belongs to %s by ARP; a host heeds a redirect only from its current first hop (RFC 1122 3.2.2.2)", from, macString(owner))})
		if gwKnown && e.isGateway(from) {
			ev.Evidence[len(ev.Evidence)-1].Detail = fmt.Sprintf("%s is the gateway, at %s; a host heeds a redirect only from its current first hop (RFC 1122 3.2.2.2)", from, macString(gw))
		}
	} else {
		ev.Summary = fmt.Sprintf("%s, which is not the gateway, sent %s an ICMP redirect: traffic for %s through %s", who, victimIP, dest, via)
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "icmp", Detail: "only a router sends redirects (RFC 1812 5.2.7.2); a host that routes for others, or a man in the middle that did not forge the gateway's address"})
	}
	e.report(ev, src, victim)
}
