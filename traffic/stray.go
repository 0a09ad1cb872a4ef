package traffic

import (
	"net/netip"

	"github.com/google/gopacket/layers"

	"tend/capture"
)

// Stray floods: what a victim behind a router receives in a reflection or
// forged-source attack that is neither a SYN, UDP nor an echo request. A
// capture at the victim (StopDDoS's are one-way) holds TCP segments with
// ACK or RST (hping3 -A/-R/-SA --rand-source, PSH+ACK floods, the SYN+ACKs
// of a reflection through web servers), ICMP echo replies and errors
// (a reflected ping flood, forged unreachables), and IP fragments past the
// first (an amplification's large answers arrive in pieces; only the first
// carries the ports), and GRE or ESP from no peer of its tunnels (hping3
// -0 -H 47/50 --rand-source). Every office host receives all of these, from its
// connections and its own pings, so they count (fStrayTCP, fStrayICMP,
// fStrayFrag, fStrayTun) only at a flood's volume and only when the sources are
// forged: about one packet per source address in the window. A busy
// server's clients each send several segments per connection (the
// handshake's ACK, a request, FIN, the last ACK) and a fragmented stream
// comes from a few senders; a flood draws a fresh forged address for
// nearly every packet (StopDDoS: 37,623 sources for 37,841 SYNs). Answers
// to the target's own probes are none: a host sending SYNs or echo
// requests to many addresses (a sweep) gets SYN+ACKs, RSTs and echo
// replies from as many, which count as answers (askedLately).

// A fragmented datagram's pieces come back to back from one source, so
// fragments count about once per datagram (sameStraySource): 500 of them
// in floodWindow, each of an amplified answer's three or more pieces.

// strayShare is, per stray kind, the share of a flood's packets (counted
// as sameStraySource lets them) that must come from distinct source
// addresses, as a fraction: two in three TCP segments or ICMP messages (a
// reflection reuses its reflectors: StopDDoS's ISAKMP capture has 2,767
// for 3,984 packets; forged ACKs draw a fresh address each), one in eight
// fragmented datagrams. A busy server's clients, each seen thrice, stay
// below.
var strayShare = [nFloodKinds][2]int{fStrayTCP: {2, 3}, fStrayICMP: {2, 3}, fStrayFrag: {1, 8}, fStrayTun: {2, 3}}

// strayCheck is how often (in packets) a stray state over its threshold
// asks whether its sources are forged: a busy server's ACK stream passes
// the threshold every window, and the estimate is a logarithm.
const strayCheck = 64

// strayICMPv4 reports whether t is an ICMP type a forged flood sends a
// victim: echo replies and errors (RFC 792), timestamp and address-mask replies.
func strayICMPv4(t uint8) bool {
	switch t {
	case layers.ICMPv4TypeEchoReply, layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4TypeSourceQuench,
		layers.ICMPv4TypeTimeExceeded, layers.ICMPv4TypeParameterProblem, layers.ICMPv4TypeTimestampReply, layers.ICMPv4TypeAddressMaskReply:
		return true
	}
	return false
}

// The stray kinds count only packets from outside the LAN's private
// ranges (a LAN's own clients, a broker's thousand sensors pinging it, are
// its hosts: floodPacket; for IPv6, from outside the link: outside6), and only where the source differs from the last
// one counted toward the same target and kind (sameStraySource): a
// download's thousands of segments from one server count once, a forged
// flood's every packet. Most of a LAN's TCP segments stop at one of the two.

// sameStraySource reports whether from sent the last stray packet counted
// toward k's target and kind, and notes it as the last. The slot is the
// gate's (gateIndex): two targets sharing one only count more.
func (e *Engine) sameStraySource(k floodKey, from netip.Addr) bool {
	h, s := uint32(e.srcHash(from)>>32), &e.stray.last[gateIndex(k)]
	if *s == h {
		return true
	}
	*s = h
	return false
}

// strayFlood reports whether f, a stray kind's state over its threshold,
// is a flood toward dst: strayCheck packets apart, its sources forged
// (strayShare of its packets from distinct addresses, floodSpoofed of
// them at least), not the segments of connections opened to dst
// (connectedTo) and not the answers to what dst sent lately. A target refusing the
// segments with RSTs is left to the ACK flood's count (fACK), which names
// them so.
func (e *Engine) strayFlood(kind int, f *floodState, dst netip.Addr) bool {
	n := f.pkts - f.gated // what srcs saw
	if share := strayShare[kind]; n%strayCheck != 0 || !f.srcs.atLeast(floodSpoofedBits) || f.srcs.count()*share[1] < int(n)*share[0] {
		return false
	}
	if kind == fStrayTCP && (e.refusing(dst) || e.connectedTo(dst, f) || e.answeredSources(dst, f)) {
		return false
	}
	if (kind == fStrayFrag || kind == fStrayTun) && e.answeredSources(dst, f) {
		return false // a capture begun mid-stream: peers answered only after their first pieces counted (answerPiece drops the rest)
	}
	if kind == fStrayTun && e.espWaiting(f, dst, e.pktNS) {
		return false // strayesp.go: peers' SAs, until they send again
	}
	return e.askedLately(dst)*8 < f.pkts
}

// answerPiece reports whether p, a packet of kind from the address from
// outside, is a fragment (fStrayFrag, or the first piece, counted as raw
// IP: firstFragment) or a GRE or ESP packet (fStrayTun) from an address
// its target sent to lately (noteOwn): a piece of an answer the target
// asked for (a resolver's big EDNS answers, a VPN peer's fragmented
// datagrams) or its tunnel peer's, which counts toward no flood. Decided
// per packet, not by a sample of the count (review 28a): a flood forged
// partly from the addresses the target talks to still counts its forged
// part, and a flood's first pieces from one address it never sent to
// stay raw IP, as before.
func (e *Engine) answerPiece(p *capture.Packet, kind int, from netip.Addr) bool {
	if kind == fIP && !firstFragment(p) {
		return false // floodPacket asks for fIP and the kinds from fStrayFrag on
	}
	return e.sentTo(ipHash(p.DstIP()), ipHash(from))
}

// peersFirstPieces reports whether the raw IP counted in f toward dst is
// the first pieces of its peers' fragmented datagrams in a capture begun
// mid-stream: dst answered a quarter of the last first pieces' sources
// (answeredSources; only first fragments are sampled, floodCount) after
// they came, answerPiece dropping their later ones. A flood's first
// pieces from addresses dst talks to are dropped before they count, so
// never sampled; forged ones are never answered. First pieces must be
// half the raw IP counted at least (firstFrags): a flood of unfragmented
// raw IP (protocol 253 from random sources) with a few answered
// fragmented queries among it is no peers' stream (review 28e:
// A3e-rawip-5kpps-10s-16q-early, A3c-rawip-flood-16q-warmed).
func (e *Engine) peersFirstPieces(f *floodState, dst netip.Addr) bool {
	return f.firstFrags*2 >= f.pkts-f.gated && f.recent != [len(f.recent)]uint64{} && e.answeredSources(dst, f)
}

// connectedTo reports whether dst's segments belong to connections its
// clients opened: SYNs toward it in this window (the gate's count, fTCP)
// from one in eight of f's source addresses at least. Every connection
// begins with a SYN (RFC 9293 3.5); forged ACKs and reflected SYN+ACKs
// come without one.
func (e *Engine) connectedTo(dst netip.Addr, f *floodState) bool {
	g := e.gateSlot(newFloodKey(dst, fTCP))
	return g.window == e.pktNS/int64(floodWindow) && g.n*8 >= uint64(f.srcs.count())
}

// refusing reports whether a is refusing ACK segments now (ackflood.go).
func (e *Engine) refusing(a netip.Addr) bool {
	for i := range e.ackRefusers {
		if r := &e.ackRefusers[i]; r.addr == a && e.pktNS <= r.refusing {
			return true
		}
	}
	return false
}

// strayTables are the stray kinds' own tables, allocated apart from the
// Engine: 48 KB inside it moved the fields after them to other cache lines
// and cost BenchmarkDecodeAndDetect more than the code that uses them.
type strayTables struct {
	_         [0]func()                    // not comparable: no equality function linked
	warm      int64                        // until when noteOwn notes: a window past the last stray count at sentWarm or over
	udpWarm   int64                        // until when noteAskedFlow notes: the same for UDP counts (fUDP)
	asked     [1 << askedBits]askedCounter // SYNs and echo requests each address sent lately (noteAsked)
	sent      [1 << sentBits]uint64        // the pairs a LAN host sent TCP (not RST) or UDP to lately (noteSent)
	last      [1 << floodGateBits]uint32   // the source last counted toward each gate slot's stray kind (sameStraySource)
	link      link6                        // the link's IPv6 routers and on-link prefixes (stray6.go)
	esp       [1 << espBits]uint64         // the IPsec SAs heard from outside, each's last sequence number and time (espNext)
	espFloods [1 << espFloodBits]uint64    // the targets a flood of SAs' beginnings waited toward lately (espFloodAge)
	espFirst  bool                         // whether the last packet espNext read began an SA not heard before (espStarts)
}

// askedBits sizes the table of what hosts asked lately (noteAsked).
const askedBits = 10

// askedCounter counts the SYNs and echo requests one address sent in this
// window of floodWindow and the one before.
type askedCounter struct {
	key     uint64 // ipHash of the address; 0 for an empty slot
	window  int64
	n, prev uint64
}

// noteAsked counts a SYN or echo request from a: what answers it draws
// are no flood. A slot held by another address is taken over (a sweeper
// lost to a collision makes its answers count, at worst raised only if
// they come from forged-looking sources at a flood's rate).
func (e *Engine) noteAsked(a netip.Addr) {
	h := ipHash(a) | 1
	c, w := &e.stray.asked[h>>(64-askedBits)], e.pktNS/int64(floodWindow)
	if c.key != h {
		*c = askedCounter{key: h, window: w}
	}
	if c.window != w {
		c.prev = 0
		if c.window == w-1 {
			c.prev = c.n
		}
		c.window, c.n = w, 0
	}
	c.n++
}

// askedLately is how many SYNs and echo requests a sent in this window and
// the one before.
func (e *Engine) askedLately(a netip.Addr) uint64 {
	h := ipHash(a) | 1
	c, w := &e.stray.asked[h>>(64-askedBits)], e.pktNS/int64(floodWindow)
	switch {
	case c.key != h:
		return 0
	case c.window == w:
		return c.n + c.prev
	case c.window == w-1:
		return c.n
	}
	return 0
}

// sentBits sizes the table of pairs a LAN host sent to lately (noteSent):
// 16,384 slots, 128 KB, for a server's thousands of clients (a slot taken
// by another pair loses one, which answeredSources allows for).
const sentBits = 14

// sentLately is how long (in units of 2^30 ns, about a second) a pair
// noted by noteSent stays: a keepalive or MQTT ping every 10 to 60 s
// (MQTT's default keep-alive is 60 s) is answered within it.
const sentLately = 75

// sentSlot is the slot and tag of the pair (from, to) in the sent table:
// the tag is the pair's hash above its low 17 bits, which hold whether
// from sent to data (sentDataBit) and the time.
func (e *Engine) sentSlot(from, to uint64) (*uint64, uint64) {
	h := (from*0x9e3779b97f4a7c15 ^ to) * 0xff51afd7ed558ccd
	return &e.stray.sent[h>>(64-sentBits)], h &^ sentLow
}

// sentDataBit marks a pair in the sent table whose from sent to a TCP
// segment carrying data (sentData); sentLow is it and the time's bits.
const (
	sentDataBit = 1 << 16
	sentLow     = sentDataBit<<1 - 1
)

// noteSent notes that the LAN address from sent a TCP segment other than
// a RST, or a UDP datagram, to to (hashes, ipHash): to's segments are then
// a connection's, not stray, and ICMP errors quoting from's datagrams to
// to are answers (strayICMPAnswer). data says the segment carried data:
// the pair keeps the mark while it stays noted (sentData).
func (e *Engine) noteSent(from, to uint64, data bool) {
	s, tag := e.sentSlot(from, to)
	d := uint64(b2u(data)) << 16
	if e.sentFresh(*s, tag) {
		d |= *s & sentDataBit
	}
	*s = tag | d | uint64(e.pktNS>>30)&0xffff
}

// sentFresh reports whether v, a slot of the sent table, holds the pair
// whose tag is tag, noted lately (sentLately).
func (e *Engine) sentFresh(v, tag uint64) bool {
	return v&^sentLow == tag && (uint64(e.pktNS>>30)-v)&0xffff < sentLately
}

// sentTo reports whether from sent to to lately (noteSent).
func (e *Engine) sentTo(from, to uint64) bool {
	s, tag := e.sentSlot(from, to)
	return e.sentFresh(*s, tag)
}

// sentData reports whether from sent to to a TCP segment carrying data
// lately (noteSent): a connection's, established, which a forger of to's
// address never completes (review 28e: a SYN from each forged source
// draws a SYN+ACK, with no data, and no connection).
func (e *Engine) sentData(from, to uint64) bool {
	s, tag := e.sentSlot(from, to)
	return e.sentFresh(*s, tag) && *s&sentDataBit != 0
}

// answeredSources reports whether dst answered a quarter of the last
// sources counted toward it (f.recent) with segments other than RSTs: a
// server's clients, each answered (an MQTT broker's PINGRESP, a keepalive's
// ACK), not forged sources, which get RSTs or nothing (RFC 9293 3.10.7.1:
// a segment of no connection draws a RST). The sample is the last few, so
// a capture that begins mid-connection finds the first clients answered
// by the time the count reaches its threshold.
func (e *Engine) answeredSources(dst netip.Addr, f *floodState) bool {
	d, n := ipHash(dst), uint32(0)
	for _, h := range f.recent {
		n += b2u(h != 0 && e.sentTo(d, h))
	}
	return n*4 >= uint32(len(f.recent))
}

// noteOwn notes what a packet of kind from the address from sends (lan:
// from is a LAN host's, local or, for IPv6, not from outside: outside6)
// outside the LAN (noteSent): TCP segments other than RSTs (a connection's
// answers), UDP datagrams (what ICMP errors may quote, and what
// fragmented answers answer: a resolver's big EDNS answers, a VPN peer's
// datagrams), SYNs and echo requests (what ICMP errors may quote). A RST
// answers nothing: forged segments draw one each. Only a host receiving
// strays (strayWarm this window, the gate's count; stray.warm says whether
// any did in the last two windows) is noted: the table is asked when a
// stray count reaches its threshold, about the packets just before it,
// and noting every host's every segment to the internet cost
// BenchmarkDecodeAndDetect 4 %.
func (e *Engine) noteOwn(p *capture.Packet, kind int, from netip.Addr, lan bool) {
	if e.pktNS > e.stray.warm {
		return // no host receives strays
	}
	stray := fStrayICMP // what answers UDP, SYNs and echo requests: errors
	switch {
	case kind == fStrayTCP:
		if p.TCP.RST {
			return
		}
		stray = fStrayTCP
	case kind == fStrayTun:
		stray = fStrayTun // a tunnel's own packets to its peers
	case kind >= fStrayICMP || !lan:
		return
	}
	if !e.strayWarm(from, stray) && !(kind == fUDP && e.strayWarm(from, fStrayFrag)) {
		return
	}
	if to := p.DstIP(); !local(to) && !multicast(to) {
		e.noteSent(ipHash(from), ipHash(to), kind == fStrayTCP && len(p.TCP.Payload) > 0)
	}
}

// A LAN resolver asking a thousand authoritative servers gets their
// answers, hundreds a second, each from a server it sent a query to, on
// the query's flow reversed (RFC 1035 4.2.1: to the port the query came
// from). Its queries spread over so many servers that none is past the
// gate, so none holds the echo ring that tells a query's answer
// (lookedUp). So while a LAN host receives UDP at a sixteenth of a
// flood's count (strayWarm, fUDP), the flows it opens to the outside are
// noted (noteAskedFlow: not those whose reverse came to it first, which
// it answers: an echo responder's replies to its flooder), and a UDP
// stream toward it of which nine in ten datagrams come back on such a
// flow (askedFlow) answers what it asked: no flood. A reflection forging
// its address draws answers on flows it never sent on, to ports it never
// used.

// noteAskedFlow notes the flow of p, a UDP datagram from the address
// from to to that answers no flow toward from (countUDPFrom), where from
// is a LAN host's receiving UDP at strayWarm's share of a flood: a query,
// whose answers askedFlow allows (askedAnswers). A query sent again on
// the flow allows its answers anew.
func (e *Engine) noteAskedFlow(p *capture.Packet, from, to netip.Addr) {
	if e.stray.udpWarm >= e.pktNS && local(from) && !local(to) && e.strayWarm(from, fUDP) {
		s, tag := e.sentSlot(ipHash(from), flowHash(ipHash(to), udpPorts(p.UDP.SrcPort, p.UDP.DstPort)))
		*s = tag | uint64(e.pktNS>>30)&0xffff
	}
}

// flowHash is the sent table's key for the flow on ports (udpPorts,
// the sender's port first) to the address whose ipHash is to.
func flowHash(to uint64, ports uint32) uint64 { return to ^ mix64(uint64(ports)|1<<32) }

// askedFlow reports whether p, a UDP datagram toward dst from the
// address whose ipHash is from, came back on a flow dst sent on lately
// (noteAskedFlow, flowHash), as one of the first two answers to what it
// sent last: a DNS query draws one response (RFC 1035 4.2.1; two where a
// forwarder's server answers twice), an NTP or SNMP request one. The
// first marks the flow's slot (sentDataBit, which flows leave unset),
// the second empties it: a stream sent on a flow its target asked on
// once (review 29b H1: 50 datagrams a query) counts from the third on.
func (e *Engine) askedFlow(p *capture.Packet, dst netip.Addr, from uint64) bool {
	if e.stray.udpWarm < e.pktNS {
		return false
	}
	s, tag := e.sentSlot(ipHash(dst), flowHash(from, udpPorts(p.UDP.DstPort, p.UDP.SrcPort)))
	if !e.sentFresh(*s, tag) {
		return false
	}
	if *s&sentDataBit == 0 {
		*s |= sentDataBit
	} else {
		*s = 0
	}
	return true
}

// strayWarm reports whether the stray kind's count toward a reached its
// share of the threshold (sentWarm) in this window.
func (e *Engine) strayWarm(a netip.Addr, stray int) bool {
	g := e.gateSlot(newFloodKey(a, stray))
	return g.n >= floodMin[stray]/sentWarm && g.window == e.pktNS/int64(floodWindow)
}

// sentWarm is the share of a stray kind's threshold (one in sentWarm)
// that its count toward a host must reach in a window before what the
// host sends is noted (noteOwn).
const sentWarm = 16

// strayICMPAnswer reports whether p, an ICMP message toward a LAN host,
// is an error about a datagram that host sent lately: the header it
// quotes (RFC 792, RFC 4443 2.4) has the host as its source and, as its
// destination, an address the host sent to (noteSent). A traceroute's
// time-exceeded messages, a DHT or VoIP client's port unreachables, are
// answers; a forged error flood quotes what the host never sent.
func (e *Engine) strayICMPAnswer(p *capture.Packet) bool {
	src, dst, ok := quotedPair(p)
	return ok && src == p.DstIP() && e.sentTo(ipHash(src), ipHash(dst))
}

// quotedPair is the source and destination addresses of the datagram an
// ICMP or ICMPv6 error p quotes; ok is false for another type or a quote
// too short to hold them.
func quotedPair(p *capture.Packet) (src, dst netip.Addr, ok bool) {
	switch {
	case p.Has&capture.HasICMPv4 != 0:
		switch p.ICMPv4.TypeCode.Type() {
		case layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4TypeTimeExceeded, layers.ICMPv4TypeParameterProblem, layers.ICMPv4TypeSourceQuench:
		default:
			return src, dst, false
		}
		q := p.ICMPv4.Payload // after the 8-byte ICMP header: the quoted IPv4 header
		if len(q) < 20 || q[0]>>4 != 4 {
			return src, dst, false
		}
		return netip.AddrFrom4([4]byte(q[12:16])), netip.AddrFrom4([4]byte(q[16:20])), true
	case p.Has&capture.HasICMPv6 != 0:
		switch p.ICMPv6.TypeCode.Type() {
		case layers.ICMPv6TypeDestinationUnreachable, layers.ICMPv6TypePacketTooBig, layers.ICMPv6TypeTimeExceeded, layers.ICMPv6TypeParameterProblem:
		default:
			return src, dst, false
		}
		q := p.ICMPv6.Payload // after the type, code and checksum: 4 bytes (unused, MTU, pointer), then the quoted IPv6 header
		if len(q) < 44 || q[4]>>4 != 6 {
			return src, dst, false
		}
		return netip.AddrFrom16([16]byte(q[12:28])), netip.AddrFrom16([16]byte(q[28:44])), true
	}
	return src, dst, false
}
