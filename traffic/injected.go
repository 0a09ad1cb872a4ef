package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Injection: a LAN host sends segments or datagrams under another LAN
// host's address into a conversation it is not part of. tcpkill (dsniff)
// resets a live session with RSTs under each end's address (RFC 5961 3:
// a RST whose sequence number is in the window closes the connection),
// and dnsspoof answers a client's DNS query under its resolver's address
// before the resolver does, or instead of it where ARP spoofing sends it
// the query (RFC 1035 7.3: the client takes the first response carrying
// its query's ID and question). Both come from the tool's own MAC, which
// ARP binds to its own address, while ARP binds the address they carry to
// another MAC: forgedSource's rule, as nmap -sI's probes.
//
// injectedFrom is forgedSource with what else sends under an address ARP
// binds to another MAC: a router's forwarded copy (routedCopy, and any
// router's frame: traceRouter), an HSRP or VRRP group's routers, which
// send under the virtual address from their own MACs while ARP binds it to
// the virtual MAC or to the active one (fhrpVirtual), and one host behind
// two MACs (bonding's balance-alb, teaming, a second NIC on the same
// link: Linux answers ARP for every address on every interface), whose
// MACs claim each other's addresses or are bound to them. A host whose
// MAC changed (a NIC swap, an address DHCP moved) has one address under
// its new MAC, not another of its own (forgedSource), and a
// MAC-translating Wi-Fi bridge has its clients' addresses bound to it.
// And the owner must itself send IP from the address (ownerSends).
func (e *Engine) injectedFrom(m mac, ip netip.Addr) (owner mac, own netip.Addr, ok bool) {
	owner, own, ok = e.forgedSource(m, ip)
	if !ok || e.traceRouter(m) || e.fhrpVirtual(ip) || e.fhrpVirtual(own) || e.oneHost(owner, m, own) || !e.ownerSends(owner, ip) || e.takingOver(m, ip) {
		return mac{}, netip.Addr{}, false
	}
	if _, _, virtual := fhrpVirtual(owner); virtual {
		return mac{}, netip.Addr{}, false
	}
	return owner, own, true
}

// oneHost reports whether owner, the MAC ARP binds an address to, and m,
// sending under that address with own as its own, are one host's: owner
// claimed own in ARP too, or ARP binds own to owner.
func (e *Engine) oneHost(owner, m mac, own netip.Addr) bool {
	if b := e.arp[own]; b != nil && (b.mac == owner || b.rival == owner) {
		return true
	}
	if h := e.hosts[macKey(owner)]; h != nil {
		for _, c := range h.claims {
			if c == own {
				return true
			}
		}
	}
	return false
}

// injectedReset raises a TCP segment p (one bruteSegment reads) that is
// an IPv4 reset sent under another LAN host's address from src
// (injectedFrom): one reset_injection per culprit and Cooldown, naming its
// own address and the host whose session it reset.
func (e *Engine) injectedReset(p *capture.Packet, src, dst mac) {
	if !p.TCP.RST || p.Has&capture.HasIPv4 == 0 {
		if e.otherSrcN == e.counters.Packets && len(p.TCP.Payload) != 0 {
			e.injectedData(p, src, dst) // injecteddata.go: data under another host's address
		}
		return
	}
	srcIP := p.SrcIP()
	_, copied := e.dnsRace.note(resetFlowKey(p), uint64(p.TCP.Seq), src)
	owner, own, ok := e.injectedFrom(src, srcIP)
	if !ok || copied {
		return // a router's forwarded copy of the owner's reset (masscan's, to the router's MAC)
	}
	k := quietKey{inventory.EventResetInjection, src, mac{}, ""}
	if e.quieted(k, p.Time) {
		return
	}
	dstIP := p.DstIP()
	session := fmt.Sprintf("%s:%d - %s:%d", srcIP, p.TCP.SrcPort, dstIP, p.TCP.DstPort)
	e.reportKey(k, inventory.Event{
		Time: p.Time, Type: inventory.EventResetInjection, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: own, TargetMAC: macOf(dst), TargetIP: dstIP,
		Summary: fmt.Sprintf("%s reset the TCP session %s with a RST under %s's address: a forged reset (tcpkill)", describe(src, own), session, srcIP),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("RST seq %d from %s to %s (%s) at %s", p.TCP.Seq, macString(src), dstIP, macString(dst), p.Time.UTC().Format(time.RFC3339Nano))},
			{Source: "arp", Detail: fmt.Sprintf("ARP binds %s to %s and %s to %s: the reset is %s's, sent under another host's address (RFC 5961 3: an in-window RST closes the connection)",
				srcIP, macString(owner), own, macString(src), macString(src))},
		},
	})
}

// resetFlowKey is a TCP segment's key by its flow (addresses and ports):
// a reset and a router's forwarded copy of it share it and the sequence
// number.
func resetFlowKey(p *capture.Packet) uint64 {
	s, d := p.SrcIP().As4(), p.DstIP().As4()
	return mix64(uint64(binary.BigEndian.Uint32(s[:]))<<32|uint64(binary.BigEndian.Uint32(d[:]))^
		(uint64(p.TCP.SrcPort)<<16|uint64(p.TCP.DstPort))*0xc4ceb9fe1a85ec53) | 2
}
