package traffic

import (
	"encoding/binary"
	"fmt"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Reflection requests under a LAN host's address (review 37a
// amp_snmp_getbulk, amp_ntp_mode6). An amplification attack sends small
// UDP requests to services whose answers are many times larger (US-CERT
// TA14-017A: SNMP GetBulk, NTP mode 6/7, DNS ANY, SSDP M-SEARCH,
// memcached, chargen, CLDAP...) under its victim's address, so the answers
// go to the victim. The flood detectors see the answers only at a flood's
// rate; but on a LAN the forgery itself is plain at any rate: the request
// comes from a MAC that ARP binds to an address of its own while ARP binds
// the address it carries to another MAC (injectedFrom: forgedSource with
// routers, HSRP/VRRP groups and one host behind two MACs excepted, and the
// owner sending from its address lately). No stack sends a request under
// another host's address, and the answer cannot come back to the sender.

// ampPort reports whether port is a UDP service that answers a request
// with more than it was sent (TA14-017A and its updates).
func ampPort(port uint16) bool {
	switch port {
	case 17, 19, 53, 69, 111, 123, 137, 161, 389, 427, 520, 1434, 1900, 3283, 3702, 5353, 5683, 10001, 11211:
		return true
	}
	return false
}

// reflectRequest raises p, a UDP datagram from src to an amplifying
// service's port, when it is sent under another LAN host's address: one
// spoofed_source per sender and victim and Cooldown.
func (e *Engine) reflectRequest(p *capture.Packet, src mac) {
	from := p.SrcIP()
	if p.Has&capture.HasIPv4 == 0 || p.Eth.DstMAC[0]&1 != 0 {
		return // a group's query: answered to the asker
	}
	relayed := e.relay.seen(p, src, e.pktNS)
	owner, own, ok := e.injectedFrom(src, from)
	if !ok || relayed {
		return // relayed: a man in the middle's forwarded copy of the owner's request (arp_spoof's business)
	}
	e.forgedReq.note(p, src, own, e.pktNS) // reflectforged.go: for the answers' flood
	k := quietKey{inventory.EventSpoofedSource, src, owner, "reflect"}
	if e.quieted(k, p.Time) {
		return
	}
	dst := p.DstIP()
	e.holdReflect(k, inventory.Event{ // reflectforged.go: one event with the answers' flood
		Time: p.Time, Type: inventory.EventSpoofedSource, Severity: inventory.SeverityMedium,
		MAC: macOf(src), IP: own, TargetMAC: macOf(owner), TargetIP: from,
		Summary: fmt.Sprintf("%s sent a UDP request to %s port %d under %s's address: its answer goes to %s (a reflection or amplification attack)",
			describe(src, own), dst, p.UDP.DstPort, from, describe(owner, from)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("UDP %s:%d -> %s:%d, %d bytes, from %s at %s: a service that answers a request with more than it was sent (US-CERT TA14-017A)",
				from, p.UDP.SrcPort, dst, p.UDP.DstPort, len(p.UDP.Payload), macString(src), p.Time.UTC().Format(time.RFC3339Nano))},
			{Source: "arp", Detail: fmt.Sprintf("ARP binds %s to %s and %s to %s: the request is %s's, sent under another host's address",
				from, macString(owner), own, macString(src), macString(src))},
		},
	}, src)
}

// relaySlots requests to amplifying services are kept (relayRing): an ARP
// spoofer forwarding its victim's DNS queries (bettercap's MITM with the
// kernel's ip_forward) sends each a moment after the victim sent it to the
// spoofer's MAC, with the same addresses, ports and IP ID; a forged request
// was sent by no one else.
const (
	relaySlots  = 32
	relayWithin = int64(time.Second)
)

// relayRing is the last relaySlots requests to amplifying services: each
// one's key (addresses, ports, IP ID), when and from which MAC.
type relayRing struct {
	key  [relaySlots]uint64
	at   [relaySlots]int64
	from [relaySlots]mac
	next int
}

// seen reports whether p, an IPv4 request from src, was sent by another
// MAC within relayWithin, and notes it.
func (r *relayRing) seen(p *capture.Packet, src mac, now int64) bool {
	s, d := p.SrcIP().As4(), p.DstIP().As4()
	k := mix64(uint64(binary.BigEndian.Uint32(s[:]))<<32|uint64(binary.BigEndian.Uint32(d[:]))) ^
		(uint64(p.UDP.SrcPort)<<32|uint64(p.UDP.DstPort)<<16|uint64(p.IPv4.Id))*0x9e3779b97f4a7c15
	relayed := false
	for i := range r.key {
		if r.key[i] == k && r.from[i] != src && now-r.at[i] <= relayWithin {
			relayed = true
			break
		}
	}
	r.key[r.next], r.at[r.next], r.from[r.next] = k, now, src
	r.next = (r.next + 1) % relaySlots
	return relayed
}
