package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"tend/capture"
	"tend/inventory"
)

// A forged DNS answer (dnsspoof, ettercap's dns_spoof, bettercap's
// dns.spoof) comes from the forger's MAC under the resolver's address
// (injectedFrom): a race with the resolver, whose own answer carries the
// same ID and question to the same socket from the MAC ARP binds its
// address to (RFC 1035 4.1.1, 7.3: the client takes whichever comes
// first), or the only answer where ARP spoofing brought the forger the
// query. Two resolvers answering one query are two destinations (a host
// asking two servers at once), a retransmission is answered twice by the
// same MAC, an HSRP/VRRP resolver's routers and routers' forwarded copies
// are passed over (injectedFrom), and mDNS and LLMNR have rules of their
// own (names.go). So a DNS response under a LAN address another MAC holds
// in ARP is name_poisoning, one per forger and Cooldown, naming the
// forger's own address; the answers that raced it (dnsRecent) and an
// address record pointing at the forger are in the evidence.

// dnsRecent is how many recent DNS responses and TCP resets are kept
// (dnsRace), keyed by their flow, for the race's evidence and to know a
// router's forwarded copy: the same datagram or segment, heard from the
// MAC it came from first.
const dnsRecent = 32

// dnsSeen is one recent DNS response or TCP reset (its flow, dnsFlowKey
// or resetFlowKey, is in dnsRace.keys): what it carried (a hash of the DNS
// message, the reset's sequence number) and the MAC it came from.
type dnsSeen struct {
	content uint64
	m       mac
	sig     uint16 // a DNS response's IP header: TTL, DF, ID zero (ipSig)
	at      int64  // a DNS response's time, on the engine's clock
}

// dnsRace is the ring of recent DNS responses and resets (dnsRecent),
// their keys apart: note reads the keys (an array of 32 words) only when
// one of them may be the flow's (inBucket: how many keys the ring holds
// by their top six bits), and the rest only of the one matching. A flow
// key is never 0, an empty slot's.
type dnsRace struct {
	keys     [dnsRecent]uint64
	seen     [dnsRecent]dnsSeen
	inBucket [64]uint8
	next     int
}

// note keeps k and content from m in r, and tells whether another MAC sent
// the same flow lately with other content (raced: a race's other answer)
// or the same (copied: a router's forwarded copy is the second).
func (r *dnsRace) note(k, content uint64, m mac) (raced mac, copied bool) {
	raced, copied, _, _ = r.noteAnswer(k, content, m, 0, 0, false)
	return raced, copied
}

// noteAnswer is note for a DNS answer with IP signature sig at now, kept
// with them, in the same walk of the ring: with dns, it also returns the
// answer m itself sent the flow lately (dnsSelfRaceWithin) with other
// content from another IP signature (self: two IP stacks under one MAC,
// dnsself.go).
func (r *dnsRace) noteAnswer(k, content uint64, m mac, sig uint16, now int64, dns bool) (raced mac, copied bool, prev dnsSeen, self bool) {
	if r.inBucket[k>>58] != 0 {
		for i, key := range &r.keys {
			if key != k {
				continue
			}
			switch s := r.seen[i]; {
			case s.m != m && s.content == content:
				copied = true
			case s.m != m:
				raced = s.m
			case dns && !self && s.content != content && s.at != 0 && s.sig != sig && now-s.at <= int64(dnsSelfRaceWithin):
				prev, self = s, true
			}
		}
	}
	i := r.next % dnsRecent
	if old := r.keys[i]; old != 0 {
		r.inBucket[old>>58]--
	}
	r.inBucket[k>>58]++
	r.keys[i], r.seen[i] = k, dnsSeen{content: content, m: m}
	if dns {
		r.seen[i].sig, r.seen[i].at = sig, now
	}
	r.next++
	return raced, copied, prev, self
}

// dnsFlowKey is a DNS message's key by its ID and its flow (server
// address and client address and port): a query's answers share it.
func dnsFlowKey(p *capture.Packet, b []byte) uint64 {
	s, d := p.SrcIP().As4(), p.DstIP().As4()
	return mix64(uint64(binary.BigEndian.Uint32(s[:]))<<32|uint64(binary.BigEndian.Uint32(d[:]))^
		(uint64(p.UDP.DstPort)<<16|uint64(binary.BigEndian.Uint16(b)))*0x9e3779b97f4a7c15) | 1
}

// dnsAnswer looks at a DNS response (UDP from port 53) to an IPv4 client:
// kept in the ring (dnsRecent), and raised where its source is forged.
func (e *Engine) dnsAnswer(p *capture.Packet, src mac) {
	b := p.UDP.Payload
	if p.Has&capture.HasIPv4 == 0 || len(b) < dnsHeader || b[2]&dnsQR == 0 || !unicast(src) || e.isSelf(src) {
		return
	}
	if len(e.dnsHeld) > 0 {
		e.flushDNSHeld(false)
	}
	raced, copied, prev, self := e.dnsRace.noteAnswer(dnsFlowKey(p, b), fnv64(b), src, ipSig(p), e.pktNS, true)
	if self {
		e.sameMACRace(p, src, prev) // dnsself.go
	}
	if copied {
		return
	}
	owner, own, ok := e.injectedFrom(src, p.SrcIP())
	if !ok {
		e.dnsUnbound(p, src, raced) // dnsrace.go
		return
	}
	qk := quietKey{inventory.EventNamePoisoning, src, mac{}, "dns"}
	if e.quieted(qk, p.Time) {
		return
	}
	e.reportKey(qk, e.forgedDNSEvent(p, src, owner, own, raced, true))
}

// forgedDNSEvent is the name_poisoning event of a DNS response from src
// under an address ARP binds to owner, src's own address own, raced by an
// answer from raced (zero: none seen); p is src's answer (forged), or the
// one from raced that came second.
func (e *Engine) forgedDNSEvent(p *capture.Packet, src, owner mac, own netip.Addr, raced mac, forged bool) inventory.Event {
	b := p.UDP.Payload
	server, client := p.SrcIP(), p.DstIP()
	dst := capture.MAC6(p.Eth.DstMAC)
	evs := []inventory.Evidence{
		{Source: "dns", Detail: fmt.Sprintf("response ID %d from %s:53 to %s:%d came from %s; ARP binds %s to %s and %s to %s",
			binary.BigEndian.Uint16(b), server, client, p.UDP.DstPort, macString(src), server, macString(owner), own, macString(src))},
	}
	if raced != (mac{}) {
		evs = append(evs, inventory.Evidence{Source: "dns", Detail: fmt.Sprintf("%s answered the same query (ID and flow) too: two answers race, the client takes the first (RFC 1035 7.3)", macString(raced))})
	}
	if a, ok := dnsFirstA(b); ok && forged {
		evs = append(evs, dnsPoints(a, own))
	}
	return inventory.Event{
		Time: p.Time, Type: inventory.EventNamePoisoning, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: own, TargetMAC: macOf(dst), TargetIP: client,
		Summary:  fmt.Sprintf("%s answers DNS queries of %s under the resolver %s's address: forged DNS answers (DNS spoofing)", describe(src, own), client, server),
		Evidence: evs,
	}
}

// dnsPoints is the evidence of a forged answer's address record a (own:
// the forger's address).
func dnsPoints(a, own netip.Addr) inventory.Evidence {
	what := ""
	if a == own {
		what = ": the forger's own address"
	}
	return inventory.Evidence{Source: "dns", Detail: fmt.Sprintf("the answer points the name at %s%s", a, what)}
}

// dnsFirstA is the address of a DNS response's first A record.
func dnsFirstA(b []byte) (netip.Addr, bool) {
	qd, an := int(binary.BigEndian.Uint16(b[4:6])), int(binary.BigEndian.Uint16(b[6:8]))
	off := dnsHeader
	var buf [256]byte
	for i := 0; i < qd+an && i < 16; i++ {
		_, next, ok := dnsName(b, off, buf[:0])
		if !ok || next+4 > len(b) {
			return netip.Addr{}, false
		}
		off = next + 4
		if i < qd {
			continue
		}
		if next+10 > len(b) {
			return netip.Addr{}, false
		}
		typ, rdlen := binary.BigEndian.Uint16(b[next:]), int(binary.BigEndian.Uint16(b[next+8:]))
		off = next + 10 + rdlen
		if off > len(b) {
			return netip.Addr{}, false
		}
		if typ == 1 && rdlen == 4 {
			return netip.AddrFrom4([4]byte(b[next+10 : off])), true
		}
	}
	return netip.Addr{}, false
}
