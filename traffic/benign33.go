package traffic

import (
	"encoding/binary"

	"tend/capture"
)

// Benign setups the detectors of session 33 raised (review 33d), each a
// predicate its detector calls:
//
//   - spoofed_source: a second router forwarding a partner network's real
//     clients. A LAN host answers an off-link address through the router
//     its routing table names, so its SYN+ACKs and RSTs to those sources go
//     to that router's MAC (RFC 1812 5.2.1): a MAC whose off-link sources
//     are answered back to it is their route, not a forger. hping3
//     --rand-source's victims answer through the gateway, never through the
//     sender's MAC (offLinkAnswered).
//   - name_poisoning (off-link resolver): a client sends its query for an
//     off-LAN resolver to its route's MAC; that MAC's answer to the same
//     query (ID, addresses, ports) is the route's (dnsQueriedVia).
//   - rogue_switch: an 802.1ad S-tag (0x88a8) outside is a provider
//     bridge's link (QinQ, IEEE 802.1ad); VLAN hopping is an 802.1Q tag
//     inside an 802.1Q tag on an access port (providerTagged).
//   - dhcp_release_forged: a router (the gateway, an FHRP or IPv6 router)
//     forwards its clients' unicast DHCPRELEASEs from its own MAC (RFC 2131
//     4.4.6: the client unicasts to the server, across routers).
//   - dns_tunnel: reputation lookups by hash (Team Cymru's malware hash
//     registry: <md5 or sha1 hex>.malware.hash.cymru.com) carry one label
//     of exactly 32 or 40 hex digits, a digest (a SHA-256's 64 digits
//     exceed a label's 63 bytes, RFC 1035 2.3.4); a tunnel's hex labels
//     carry data of any length (hashLookup).

// dnsRoutesKept is how many queries to off-LAN resolvers are remembered
// with the MAC they were sent to: answers come within a second or so.
const dnsRoutesKept = 32

// benignState is this file's state (in Engine).
type benignState struct {
	_         [0]func() // not comparable: no equality function linked
	dnsRoutes [dnsRoutesKept]dnsRoute
	dnsNext   int
}

// dnsRoute is a query to an off-LAN resolver and the MAC it was sent to.
type dnsRoute struct {
	_   [0]func() // not comparable: no equality function linked
	key uint64
	via mac
}

// offLinkAnswered marks the MAC a LAN host's SYN+ACK or RST p to an
// off-link address goes to as forwarding (spoofed.go): the LAN routes those
// sources through it. lan says p's source is a LAN address.
func (e *Engine) offLinkAnswered(p *capture.Packet, lan bool) {
	if e.spoof == nil || !lan || !(p.TCP.RST || p.TCP.SYN && p.TCP.ACK) {
		return
	}
	if dst := p.DstIP(); local(dst) || !dst.Is4() || !global4(dst) {
		return
	}
	if o := e.offLinkOf(capture.MAC6(p.Eth.DstMAC), false); o != nil {
		o.forwards = true
	}
}

// dnsRouteKey is the key of a DNS message's query by its ID, the client's
// address and port and the server's address; query says b is the query
// (client to server), else its answer.
func dnsRouteKey(p *capture.Packet, b []byte, query bool) uint64 {
	s, d := p.SrcIP().As4(), p.DstIP().As4()
	port := p.UDP.DstPort
	if query {
		s, d, port = d, s, p.UDP.SrcPort
	}
	return mix64(uint64(binary.BigEndian.Uint32(s[:]))<<32|uint64(binary.BigEndian.Uint32(d[:]))^
		(uint64(port)<<16|uint64(binary.BigEndian.Uint16(b)))*0x9e3779b97f4a7c15) | 1
}

// noteDNSRoute remembers a unicast IPv4 query p to an off-LAN resolver
// with the MAC it was sent to.
func (e *Engine) noteDNSRoute(p *capture.Packet) {
	b := p.UDP.Payload
	if p.Has&capture.HasIPv4 == 0 || len(b) < dnsHeader || b[2]&dnsQR != 0 || local(p.DstIP()) || p.Eth.DstMAC[0]&1 != 0 {
		return
	}
	s := &e.benign
	s.dnsRoutes[s.dnsNext%dnsRoutesKept] = dnsRoute{key: dnsRouteKey(p, b, true), via: capture.MAC6(p.Eth.DstMAC)}
	s.dnsNext++
}

// dnsQueriedVia reports whether the answer p from src answers a query that
// was sent to src's MAC: the client's route to the resolver answered.
func (e *Engine) dnsQueriedVia(p *capture.Packet, src mac) bool {
	k := dnsRouteKey(p, p.UDP.Payload, false)
	for _, r := range e.benign.dnsRoutes {
		if r.key == k && r.via == src {
			return true
		}
	}
	return false
}

// providerTagged reports whether the frame b's outer tag is an 802.1ad
// S-tag (0x88a8): a provider bridge's double tags, not VLAN hopping.
func providerTagged(b []byte) bool {
	return len(b) >= 14 && b[12] == 0x88 && b[13] == 0xa8
}

// hashLookup reports whether d's data part (left of the registered
// domain) holds one label of encoded bytes, exactly an MD5 or SHA-1
// digest in hex (32 or 40 digits), its other labels host-name words: a
// reputation lookup by hash.
func hashLookup(d *tunName) bool {
	digests := 0
	for j := 0; j < d.n-d.registered(); j++ {
		l := d.label(j)
		if len(l) < dnsTunnelLabel {
			if !hostLabel(l) {
				return false
			}
			continue
		}
		if len(l) != 32 && len(l) != 40 || !allHex(l) {
			return false
		}
		digests++
	}
	return digests == 1
}

// allHex reports whether l is all hex digits.
func allHex(l []byte) bool {
	for _, c := range l {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// hostLabel reports whether l holds host name bytes only (RFC 952, 1123).
func hostLabel(l []byte) bool {
	for _, c := range l {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
