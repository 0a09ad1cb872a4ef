package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// irdp judges an ICMP router advertisement (IRDP, RFC 1256 3.1: type 9,
// code 0), IPv4's rogue_ra (review 42 P10): hosts that listen (Windows
// when DHCP option 31 or its registry bids, Solaris' in.routed, old
// printers and embedded stacks) take the advertised address with the
// highest preference as their default router (RFC 1256 3.3). Forged ones
// (scapy, irdpresponder, hping3 --icmptype 9 with a body, the Cisco
// IRDP attacks of yersinia's era) name the attacker, a man in the middle.
// An advertisement from the gateway's MAC, its FHRP peer's or an IPv6
// router's is the router's own (an HSRP/VRRP pair running `ip irdp` sends
// from its physical MACs); one from any other MAC that names a LAN address other than the gateway's with a
// usable preference (not 0x80000000, "never a default", 3.1) and a
// lifetime is rogue_ra High against its sender. One naming only the
// gateway, or with lifetime 0, gives its sender no traffic: passed over
// (a lifetime-0 advertisement from another MAC could only make hosts drop
// a router they heard over IRDP, which they rarely did). Code 16 is a
// mobility agent that routes no common traffic (RFC 3344 2.1): passed
// over. Router solicitations (type 10) are hosts asking: benign, never
// read. With no gateway address known (configured, or a DHCP server's
// router option) nothing is raised: the sender may be the router.
func (e *Engine) irdp(p *capture.Packet, src mac) {
	ic := &p.ICMPv4
	c := ic.Contents
	if len(c) < 8 || ic.TypeCode.Code() != 0 || !unicast(src) || e.isSelf(src) {
		return
	}
	n, words, lifetime := int(c[4]), int(c[5]), binary.BigEndian.Uint16(c[6:8])
	if n == 0 || words < 2 || lifetime == 0 {
		return
	}
	if !e.gateway.IsValid() && !e.dhcp.router.IsValid() {
		return // no gateway to tell the router by: the sender may be it (a replay without --gateway, before any DHCP answer)
	}
	if e.gatewayRouter(src) || e.router6(src) {
		return // the router's own (or its FHRP peer's physical MAC), or an IPv6 router's
	}
	gw, gwKnown := e.gatewayMAC()
	b := ic.Payload
	var router netip.Addr
	for i := 0; i < n && (i+1)*words*4 <= len(b); i++ {
		entry := b[i*words*4:]
		a := netip.AddrFrom4([4]byte(entry[:4]))
		if binary.BigEndian.Uint32(entry[4:8]) == 0x80000000 || !local(a) || e.isGateway(a) {
			continue // never a default router (RFC 1256 3.1), no LAN address, or the gateway itself
		}
		if gwKnown {
			if bd := e.arp[a]; bd != nil && bd.mac == gw {
				continue // another of the gateway's addresses
			}
		}
		router = a
		break
	}
	if !router.IsValid() {
		return
	}
	from, gwIP := p.SrcIP(), e.gateway
	if !gwIP.IsValid() {
		gwIP = e.dhcp.router
	}
	e.report(inventory.Event{
		Time: p.Time, Type: inventory.EventRogueRA, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: from, TargetMAC: macOf(gw), TargetIP: gwIP,
		Summary: fmt.Sprintf("rogue IPv4 router advertisement (IRDP): %s announces %s as a default router", describe(src, from), router),
		Evidence: []inventory.Evidence{{Source: "icmp", Detail: fmt.Sprintf("ICMP router advertisement from %s to %s at %s: lifetime %d s, router %s; the gateway is %s: hosts that listen take the advertised router of highest preference as their default (RFC 1256 3.3)",
			from, p.DstIP(), p.Time.UTC().Format(time.RFC3339Nano), lifetime, router, gwIP)}},
	}, src, mac{})
}
