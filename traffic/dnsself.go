package traffic

import (
	"encoding/binary"
	"fmt"
	"time"

	"tend/capture"
	"tend/inventory"
)

// A forger that sends its DNS answers under the resolver's MAC as well as
// its address (review 36a bettercap_dns_spoof: bettercap's dns.spoof run
// alone, where it sees the queries without ARP spoofing: a hub, a mirror
// port, a switch failed open) leaves no MAC of its own on the wire: each
// query gets two answers with one ID and flow from the one MAC, the
// resolver's (REFUSED) and bettercap's (A 10.36.1.66) 20 ms later. A
// resolver never answers one query twice with other content from another
// IP stack: its retransmitted answers (a client's retry) come from its
// own socket, with its own TTL and Don't Fragment setting, and a NAT
// router forwards an off-LAN resolver's answers with the same TTL each.
// bettercap's answers carry IP ID 0 and no DF beside dnsmasq's DF and
// counting IDs. So two answers with the same key and MAC, other content
// and another IP header signature (TTL, DF, ID zero) within
// dnsSelfRaceWithin are a race: name_poisoning with no culprit MAC (the
// forger's is not on the wire), the client as target, both answers and
// the address the odd one points at in the evidence.
const dnsSelfRaceWithin = 2 * time.Second

// ipSig is p's IPv4 header signature: TTL, DF, and whether its ID is 0.
func ipSig(p *capture.Packet) uint16 {
	s := uint16(p.IPv4.TTL)
	if p.IPv4.Flags&0x2 != 0 { // layers.IPv4DontFragment
		s |= 1 << 8
	}
	if p.IPv4.Id == 0 {
		s |= 1 << 9
	}
	return s
}

// sameMACRace raises p, a DNS answer from src racing prev, an earlier one
// from the same MAC to the same query under another IP signature.
func (e *Engine) sameMACRace(p *capture.Packet, src mac, prev dnsSeen) {
	b := p.UDP.Payload
	server, client := p.SrcIP(), p.DstIP()
	qk := quietKey{inventory.EventNamePoisoning, mac{}, mac{}, "dns " + server.String()}
	if e.quieted(qk, p.Time) {
		return
	}
	sig := ipSig(p)
	evs := []inventory.Evidence{
		{Source: "dns", Detail: fmt.Sprintf("two different answers to query ID %d from %s:53 to %s:%d, both from %s, %s apart: IP TTL %d%s and TTL %d%s, two IP stacks",
			binary.BigEndian.Uint16(b), server, client, p.UDP.DstPort, macString(src), roundDur(time.Duration(e.pktNS-prev.at)),
			prev.sig&0xff, sigFlags(prev.sig), sig&0xff, sigFlags(sig))},
		{Source: "dns", Detail: "a resolver answers a query once, or repeats its own answer from its own socket: another host forged one answer under the resolver's address and MAC (bettercap dns.spoof), its own MAC not on the wire: look for a host seeing others' traffic (a hub, a mirror port, a switch flooding after a MAC flood)"},
	}
	if a, ok := dnsFirstA(b); ok {
		evs = append(evs, inventory.Evidence{Source: "dns", Detail: fmt.Sprintf("the later answer points the name at %s", a)})
	}
	e.reportKey(qk, inventory.Event{
		Time: p.Time, Type: inventory.EventNamePoisoning, Severity: inventory.SeverityHigh,
		TargetMAC: macOf(capture.MAC6(p.Eth.DstMAC)), TargetIP: client,
		Summary:  fmt.Sprintf("two different DNS answers to one query of %s under the resolver %s's address and MAC, from two IP stacks: forged DNS answers (DNS spoofing, forger's MAC hidden)", client, server),
		Evidence: evs,
	})
}

// sigFlags describes an ipSig's DF and ID bits.
func sigFlags(sig uint16) string {
	s := ""
	if sig&(1<<8) != 0 {
		s += " DF"
	}
	if sig&(1<<9) != 0 {
		s += " ID 0"
	}
	return s
}
