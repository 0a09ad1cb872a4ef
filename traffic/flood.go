package traffic

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"net/netip"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// Flood kinds: what is thrown at one destination.
const (
	fTCP       = iota // TCP segments without ACK: SYN (and SYN/ECN, RST) floods
	fUDP              // UDP from many flows: reflection and amplification, hping3 --udp
	fICMP             // ICMP and ICMPv6 echo requests, smurf toward a multicast group
	fIP               // other IP protocols (AH, unknown next headers): denial6-style
	fNDP              // neighbour solicitations and unsolicited advertisements, counted per link
	fACK              // TCP segments with ACK toward a host answering them with RST: ACK floods (ackflood.go)
	fStrayTCP         // TCP segments with ACK or RST from forged sources, one-way: ACK, RST, SYN+ACK floods (stray.go)
	fStrayICMP        // ICMP echo replies and errors from forged sources (stray.go)
	fStrayFrag        // IP fragments past the first, and IPv6 fragments, from forged sources (stray.go)
	fStrayTun         // GRE and ESP from forged sources: tunnels no peer of the target's sends (stray.go)
	nFloodKinds
)

var floodNames = [nFloodKinds]string{"TCP SYN (segments without ACK)", "UDP", "ICMP echo", "raw IP", "neighbour discovery", "TCP ACK (segments the target refused with RST)",
	"TCP ACK/RST (segments of no connection)", "ICMP echo reply and error", "IP fragment", "GRE/ESP (tunnels of no peer)"}

// aFlood is floodNames[kind] with its indefinite article, chosen by how
// the name is said: "an ICMP echo" (eye-see-em-pee), "an IP fragment"
// (eye-pee), "a UDP" (you-dee-pee).
func aFlood(kind int) string {
	if kind == fICMP || kind == fStrayICMP || kind == fStrayFrag {
		return "an " + floodNames[kind]
	}
	return "a " + floodNames[kind]
}

// floodWindow is how long a flood's packets are counted before the count
// starts afresh; floodMin is how many packets of each kind toward one
// destination within it make a flood. No office client sends 100 SYNs a
// second to one host, 50 pings a second, or raw IP at all; UDP must also
// come from floodFlows distinct flows (a QUIC download or a VoIP call is one).
const (
	floodWindow = 10 * time.Second
	floodFlows  = 64
	// floodSpoofed is how many distinct source addresses mean the sources
	// are forged or many (no single culprit can be named).
	floodSpoofed = 16
)

// The counts are per kind, from what ordinary hosts send one destination:
// TCP opens a few connections a second (a browser's burst is tens), so 100
// SYNs a second is no client; UDP is allowed twice that, since DNS servers,
// syslog and NTP receivers take hundreds a second from many flows; ping
// sends one a second, so 50 a second is a flood; raw IP other than
// routing, tunnels and IGMP has no ordinary sender at all. The corpus'
// flood captures exceed them about 2x (rsmurf6, the amplification
// recordings) to 7x (hping3's 700 SYNs a second): none is sized to a capture.
// NDP is counted for the whole link, not per destination (solicitations go
// to groups): a host sends a few a minute, so 400 a window must also come
// at ndpFloodRate (see ndpFlooding).
var floodMin = [nFloodKinds]uint64{fTCP: 1000, fUDP: 2000, fICMP: 500, fIP: 1000, fNDP: 400, fACK: 1000,
	fStrayTCP: 1000, fStrayICMP: 500, fStrayFrag: 500, fStrayTun: 1000}

// ndpFloodRate is the rate, per second, at which neighbour discovery past
// the gate makes a flood. A LAN of a thousand hosts each asking a few times
// a minute sends about 50 a second, a boot storm after a power cut about as
// many for a minute; flood_advertise6 and flood_solicitate6 send thousands.
const ndpFloodRate = 200

// ndpLink is the key of the link's neighbour discovery in floodsTo.
var ndpLink = netip.IPv6Unspecified()

// smurfMin is how many echo requests to a broadcast address within
// floodWindow make a smurf: each draws an answer from every host of the
// subnet toward the address it carries, so a tenth of a ping flood is one
// (ping -b sends one a second; hping3 --flood thousands).
const smurfMin = 50

// floodGateBits sizes the gate: 4,096 counters, 64 KB.
const floodGateBits = 12

type floodGateCounter struct {
	window int64
	n      uint64
	first  int64 // when the first of the n packets came (Unix nanoseconds; carried over with them)
}

// floodHit remembers the last flood state looked up: a flood's packets come
// in runs toward one destination. Ticks, which delete states, forget it.
type floodHit struct {
	k floodKey
	f *floodState
}

// floodKey is a destination and a flood kind: the address's As16 in two
// words (hashes faster than the Addr with its zone) read as gateSlot hashes
// them. Words, not the [16]byte itself: a 16-byte copy of an array just
// written as two 8-byte halves stalls on store forwarding, and floodPacket
// made two such copies per IP packet (a third of its own time).
type floodKey struct {
	hi, lo uint64 // little-endian words of As16's bytes 0-7 and 8-15
	kind   uint64
}

func newFloodKey(dst netip.Addr, kind int) floodKey {
	if dst.Is4() {
		// As16's bytes are ::ffff:a.b.c.d; its array, copied as 16 bytes,
		// stalled the same way.
		a4 := dst.As4()
		return floodKey{0, 0xffff0000 | uint64(binary.LittleEndian.Uint32(a4[:]))<<32, uint64(kind)}
	}
	hi, lo := words6(dst)
	return floodKey{bits.ReverseBytes64(hi), bits.ReverseBytes64(lo), uint64(kind)}
}

// multicast is multicast of the address k keys, read from k's words: an
// IPv4 address's, or an IPv4-mapped one's (high word zero, bytes 8-11
// 00 00 ff ff), first byte is bits 32-39 of lo, an IPv6 address's hi's
// low byte. multicast's As16 of the address, copied, stalled on store
// forwarding (a sixth of floodCount's time, perf annotate).
func (k floodKey) multicast() bool {
	if k.hi == 0 && uint32(k.lo) == 0xffff0000 {
		return uint8(k.lo>>32)&0xf0 == 0xe0
	}
	return uint8(k.hi) == 0xff
}

// sketch is a 256-bit linear-counting sketch: distinct values estimated
// without allocating.
type sketch [4]uint64

func (s *sketch) set() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// atLeast reports whether count() ≥ the n whose bit count is bits (see
// sketchBits): a comparison, no logarithm, on the per-packet path.
func (s *sketch) atLeast(bits int) bool { return s.set() >= bits }

// sketchBits is how many set bits an estimate of n distinct values needs.
func sketchBits(n int) int {
	return int(math.Ceil(256 * (1 - math.Exp(-float64(n)/256))))
}

var (
	floodFlowsBits   = sketchBits(floodFlows)
	floodSpoofedBits = sketchBits(floodSpoofed)
)

func (s *sketch) add(h uint64) {
	h *= 0x9e3779b97f4a7c15
	b := h >> 56
	s[b>>6] |= 1 << (b & 63)
}

// count estimates the distinct values added (Whang et al., linear counting).
func (s *sketch) count() int {
	set := s.set()
	if set >= 256 {
		return 1 << 12
	}
	return int(math.Round(-256 * math.Log(float64(256-set)/256)))
}

type floodState struct {
	start, last int64 // on the engine's clock (Engine.nanos)
	live        bool  // a window was opened (restart): a new state has none
	pkts, bytes uint64
	srcMAC      mac
	srcIP       netip.Addr
	same        uint64 // packets from srcMAC
	flows, ips  sketch
	ports       sketch // destination ports (IP protocols for raw IP)
	reported    bool
	smurf       bool                 // echo requests to a broadcast address, counted toward their source
	reflect     bool                 // UDP: requests forged under a victim's address whose answers flood it (reflect.go)
	reflected   bool                 // UDP, raw IP: a reflector's answers, folded into the requests' flood (reflect.go)
	gated       uint64               // packets the gate counted before the state began
	from        int64                // when the first of them came (start when none): pkts came since
	target      netip.Addr           // NDP: the first packet's target address
	onTarget    uint64               // NDP: packets for target
	port        uint16               // TCP: the first packet's destination port (floodOnPort)
	logs        uint64               // UDP: datagrams the state saw that carry a syslog message (syslogMessage)
	rpc         uint64               // UDP: datagrams the state saw from nfsPort that are ONC RPC replies (rpcReply)
	dstMAC      mac                  // where the first packet's frame went: the MAC its sender bound the target's address to
	answers     uint64               // UDP: the most its target sent back on its reverse flow in a window (oneWayUDP)
	flow        uint32               // UDP: the first packet's ports (udpPorts), the flow its answers come back on reversed
	seen        map[udpFlow]struct{} // UDP: the flows that came to the target in window seenWin (noteFlow)
	seenWin     int64
	seenPkts    uint64     // UDP: datagrams in seenWin on the flows kept in seen
	seenFull    bool       // UDP: a flow in seenWin was not kept, the set full (udpSeenMax)
	refused     uint64     // UDP: datagrams in seenWin on flows not kept while the set had room (udpSeenBudget)
	lastFlow    udpFlow    // the last flow noted: a one-flow stream is noted once
	echo        *echoRing  // UDP: the signatures of the datagrams that came to the target lately (noteEcho)
	echoSlot    int        // echo's slot in Engine.echoRing
	echoNext    uint64     // UDP: pkts from which to ask for a ring again (takeEcho)
	dnsFresh    uint64     // UDP: DNS queries whose key was not in the echo ring (dnsreply.go)
	dnsNewQ     uint64     // UDP: DNS queries whose question alone was not in the echo ring (dnsreply.go)
	dnsNewZone  uint64     // UDP: DNS queries under a zone not in the ring's zone table for their sender (noteZone)
	dnsReverse  uint64     // UDP: DNS queries of an address's reverse name or a blocklist's, under no zone (dnsZone)
	dnsRetry    uint64     // UDP: DNS queries sent again lately on their flow, once each (dnsResent)
	dnsAnswers  uint64     // UDP: first responses to DNS queries the target sent (lookedUp)
	dnsQueries  uint64     // UDP: well-formed DNS queries to port 53 the echo ring saw (dnsLoad)
	dnsReplies  uint64     // UDP: well-formed DNS responses from port 53 the echo ring saw (dnsLoad)
	sender      *dnsSender // UDP: the slot of the sender of the DNS query the state saw last, in its echo ring (noteEcho)
	culprit     *dnsSender // UDP: the sender raised as a random-subdomain flood's, a copy (senderTorture): the culprit, whoever sent the most
	ringFrom    uint64     // UDP: pkts before the echo ring was taken, in window ringWin (unechoed)
	ringWin     int64
	rtpAt       uint64 // UDP: pkts when rtpOK was worked out, in window rtpWin (rtpfanin.go)
	rtpWin      int64
	rtpOK       bool       // UDP: fewer than floodFlows flows left once dst's reported RTP streams are out (rtpFanIn)
	srcs        sketch     // stray kinds and fACK: source addresses since the window opened, not carried over (strayFlood, clientsResending)
	recent      [16]uint64 // stray kinds, fACK and raw IP's first fragments: the ipHash of the last sources counted (sample)
	tsRequests  uint64     // fICMP: timestamp requests the state saw (floodName)
	routed      uint64     // fICMP: packets the state saw from a router's MAC (routerMAC: pingFanIn)
	firstFrags  uint64     // fIP: first fragments the state saw (peersFirstPieces)
	espStarts   uint64     // fStrayTun: ESP packets the state saw that may begin an SA not heard before (espStart, espNext)
	asked       uint64     // UDP: datagrams the state saw on the reverse of a flow its target sent on lately (askedFlow)
	shook       uint64     // UDP: datagrams the state saw on flows iperf3's handshake set up (noteShook, loadtest.go)
	shakeFlow   udpFlow    // UDP: the flow noteShook looked up last, shakeOK whether it was one of them
	shakeOK     bool
	shakeSeen   int64            // UDP: when noteShook last marked shakeFlow heard (iperfSeenEvery)
	shakeGen    uint32           // UDP: Engine.shakeGen at that lookup
	loadNoted   bool             // UDP: the state was noted as a load test (loadTest)
	began       int64            // when the flood's first window opened: carried over with its sources (espWaiting)
	secEnd      int64            // reported: when the second its packets are counted in (secN) ends (tally)
	secN, peak  uint64           // reported: packets in that second, and the most in one such second so far
	paced       uint64           // UDP: datagrams the state saw that were TFTP ACKs in lock-step (pacedACK, floodpaced.go)
	lostPace    uint64           // UDP: TFTP ACKs the state saw whose reverse flow's count was lost (pacedACK)
	bound       uint64           // fICMP: packets the state saw from an address their MAC claimed (onLinkPings)
	handshakes  uint64           // fTCP: SYNs the state saw whose handshake their sender completed (noteHandshake)
	syns        [synSlots]uint32 // fTCP: the tags of the last SYNs counted (noteSYN)
	answered    uint64           // fTCP: bit i set while syns[i] holds a SYN-ACK's ackTag (noteSynAck), the slots noteHandshake compares
	requests    uint64           // fTCP: of handshakes, those whose data began an HTTP request to a web port (floodconn.go)
	shaking     bool             // fTCP: raised and held, its handshakes still noted (floodconn.go)
	conn        uint8            // fTCP: the held event's name (connName): 0 SYN, 1 connection, 2 HTTP request
}

// sample notes the source hash ih of p, a packet of kind f counted: the
// stray kinds' and fACK's sources (srcs) and the last of them (recent),
// and raw IP's first fragments' (recent: whether dst answered the first
// pieces; firstFrags: how many, peersFirstPieces).
func (f *floodState) sample(p *capture.Packet, kind int, ih uint64) {
	if kind >= fACK {
		f.srcs.add(ih)
		f.recent[f.pkts%uint64(len(f.recent))] = ih
	} else if kind == fIP && firstFragment(p) {
		f.recent[f.pkts%uint64(len(f.recent))] = ih
		f.firstFrags++
	}
}

// rate is f's packets per second: all it counted, the gate's included,
// from the first of them (from) to t, over floor at least. The decisions
// (udpFloodRate) and the report (reportFlood) read the same rate.
func (f *floodState) rate(now int64, floor time.Duration) float64 {
	return float64(f.pkts) / max(time.Duration(now-f.from).Seconds(), floor.Seconds())
}

// idle is how long before now (the engine's clock) f's last packet came.
func (f *floodState) idle(now int64) time.Duration { return time.Duration(now - f.last) }

// floodKind sorts p by what a flood of it would be (-1: nothing that
// floods count), with the numbers that tell its flows and ports apart.
func floodKind(p *capture.Packet) (kind int, flow, port uint64) {
	switch {
	case p.Has&capture.HasTCP != 0:
		if !p.TCP.ACK && !p.TCP.RST { // a RST answers something; a scan draws a thousand
			return fTCP, uint64(p.TCP.SrcPort), uint64(p.TCP.DstPort)
		}
		return fStrayTCP, uint64(p.TCP.SrcPort), uint64(p.TCP.DstPort)
	case p.Has&capture.HasUDP != 0:
		return fUDP, uint64(p.UDP.SrcPort), 0
	case p.Has&capture.HasICMPv4 != 0:
		if t := p.ICMPv4.TypeCode.Type(); t == layers.ICMPv4TypeEchoRequest || t == layers.ICMPv4TypeTimestampRequest {
			return fICMP, 0, uint64(t) // RFC 792: each draws a reply, a timestamp request's the target's clock (tsRequests)
		} else if strayICMPv4(t) {
			return fStrayICMP, 0, uint64(t)
		}
	case p.Has&capture.HasICMPv6 != 0:
		switch t := p.ICMPv6.TypeCode.Type(); t {
		case layers.ICMPv6TypeEchoRequest:
			return fICMP, 0, 0
		case layers.ICMPv6TypeEchoReply, layers.ICMPv6TypeDestinationUnreachable, layers.ICMPv6TypePacketTooBig, layers.ICMPv6TypeTimeExceeded, layers.ICMPv6TypeParameterProblem:
			return fStrayICMP, 0, uint64(t)
		case layers.ICMPv6TypeNeighborSolicitation:
			return fNDP, 0, 0
		case layers.ICMPv6TypeNeighborAdvertisement:
			// A solicited advertisement (RFC 4861 4.4, S flag) answers
			// one: a solicitation flood draws as many from its target.
			if b := p.ICMPv6.Payload; len(b) > 0 && b[0]&0x40 == 0 {
				return fNDP, 0, 0
			}
		}
	case p.Has&capture.HasIPv4 != 0:
		if p.IPv4.FragOffset != 0 {
			return fStrayFrag, uint64(p.IPv4.Id), uint64(p.IPv4.Protocol)
		}
		if tcpFirstPiece(p) {
			return tinyTCPKind(p)
		}
		return ipKind(p.IPv4.Protocol), 0, uint64(p.IPv4.Protocol)
	case p.Has&capture.HasIPv6 != 0:
		if p.IPv6.NextHeader == layers.IPProtocolIPv6Fragment {
			return fStrayFrag, 0, 0
		}
		if nh := p.IPv6.NextHeader; nh != layers.IPProtocolNoNextHeader {
			return ipKind(nh), 0, 0
		}
	}
	return -1, 0, 0
}

// ipKind sorts an IP packet whose protocol (or IPv6 next header) pr the
// decoder left unread by what a flood of it would be. Routing and
// redundancy protocols (VRRP 112, OSPF 89, PIM 103) and IGMP are a LAN's
// own chatter, never a flood's (-1); GRE and ESP are tunnels, counted only
// from forged sources and not from the target's peers (fStrayTun).
func ipKind(pr layers.IPProtocol) int {
	switch pr {
	case layers.IPProtocolIGMP, 112, 89, 103:
		return -1
	case layers.IPProtocolGRE, layers.IPProtocolESP:
		return fStrayTun
	}
	return fIP
}

// firstFragment reports whether p is the first piece of a fragmented IPv4
// datagram (RFC 791: More Fragments set, offset 0), whose transport header
// the decoder leaves unread: raw IP (fIP) to the flood count, as any
// protocol it does not read.
func firstFragment(p *capture.Packet) bool {
	return p.Has&capture.HasIPv4 != 0 && p.IPv4.Flags&layers.IPv4MoreFragments != 0 && p.IPv4.FragOffset == 0
}

// floodPacket counts p toward its destination when it has a flood's shape.
func (e *Engine) floodPacket(p *capture.Packet, src mac) {
	kind, flow, port := floodKind(p)
	if kind == fStrayTCP && (p.TCP.RST || e.pktNS <= e.ackRefusing) {
		// A refusal counts the ACK segment it answers (ackflood.go): from
		// that segment's MAC, address and port, toward the refusing host.
		if seg, ok := e.ackRefused(p, src, e.pktNS); ok {
			if !e.isSelf(seg) {
				e.floodCount(p, seg, fACK, uint64(p.TCP.DstPort), uint64(p.TCP.SrcPort), p.DstIP(), p.SrcIP(), false)
			}
			return
		}
	}
	if kind < 0 || e.isSelf(src) {
		return
	}
	if kind == fUDP {
		e.noteTFTP(p) // floodpaced.go: pacedACK
	}
	from := p.SrcIP()
	lan := e.srcLAN // local(from), account's: a LAN's own addresses are its hosts, not forged (stray.go)
	if !lan && p.Has&capture.HasIPv4 == 0 {
		lan = !e.outside6(src, from) // stray6.go: a global IPv6 address is outside only through a router
	}
	if kind == fTCP || kind == fStrayTCP && e.spoof != nil {
		e.spoofedTCP(p, src, kind, from, lan) // spoofed.go: LAND, off-link sources
	}
	if (kind >= fStrayFrag || kind == fIP) && !lan && e.answerPiece(p, kind, from) {
		return // stray.go: a piece of what the target asked for, a tunnel peer's
	}
	if kind == fStrayTun && !lan && e.espNext(p, from) {
		return // strayesp.go: an SA's next packet, its peer's
	}
	switch {
	case kind >= fStrayTCP && lan:
		if kind == fStrayTCP && !p.TCP.RST {
			e.noteShake(p, src, from) // floodpaced.go
		}
		e.noteOwn(p, kind, from, lan)
		return
	case kind == fStrayICMP && e.strayICMPAnswer(p):
		return // stray.go: an error about the target's own datagram
	case kind == fICMP || kind == fTCP && p.TCP.SYN:
		e.noteAsked(from) // stray.go: what its answers would be
		fallthrough
	case kind == fUDP && lan:
		e.noteOwn(p, kind, from, lan)
	}
	dst, smurf := floodTarget(p, kind)
	e.floodCount(p, src, kind, flow, port, from, dst, smurf)
}

// floodCount counts p, a packet of kind from the MAC src and the address
// from, toward dst. For an ACK segment's refusal (fACK) p is the refusal
// and the rest the segment's.
func (e *Engine) floodCount(p *capture.Packet, src mac, kind int, flow, port uint64, from, dst netip.Addr, smurf bool) {
	if kind == fNDP {
		dst = ndpLink
	}
	k, now := newFloodKey(dst, kind), e.pktNS // packet's only caller: p's time, in nanos
	if !dst.IsValid() || (k.multicast() && kind != fICMP) || (dst.Is4() && dst.As4()[3] == 255) {
		return // a UDP flood at a group is the group's chatter
	}
	var sig uint64  // UDP: the datagram's udpSig
	var answer bool // UDP: the first response to a DNS query dst sent (lookedUp)
	if kind == fUDP {
		sig, answer = e.countUDPFrom(p, src, dst, k, now) // to a unicast address only: group chatter answers nobody
	} else if kind >= fStrayTCP && e.sameStraySource(k, from) {
		return // stray.go: one sender's stream (a download) is no forged flood
	}
	gated, first := e.floodGateCount(k, now)
	if kind >= fStrayTCP && gated >= floodMin[kind]/sentWarm && e.stray.warm-now < int64(floodWindow) {
		e.stray.warm = now + 2*int64(floodWindow) // stray.go: noteOwn notes what hosts send
	} else if kind == fUDP && gated >= floodMin[kind]/sentWarm && e.stray.udpWarm-now < int64(floodWindow) {
		e.stray.udpWarm = now + 2*int64(floodWindow) // stray.go: noteAskedFlow notes the flows hosts open
	}
	if gated < floodMin[kind]/4 && !smurf {
		return
	}
	f := e.floodHit.f
	if f == nil || e.floodHit.k != k {
		if f = e.floodsTo[k]; f == nil {
			if len(e.floodsTo) >= e.cfg.MaxTrackers {
				e.counters.TrackersDropped++
				return
			}
			f = &floodState{}
			e.floodsTo[k] = f
		}
		// Written on a miss alone: the struct, copied on every packet,
		// was a load from stores just made (store forwarding).
		e.floodHit = floodHit{k, f}
	}
	if !f.live || time.Duration(now-f.start) > floodWindow && !(f.reported && f.idle(now) <= floodWindow) {
		e.dropSeen(f) // floodudp.go; its echo ring goes on (restart)
		f.restart(p, now, src, from, port, gated, first)
	}
	f.smurf = f.smurf || smurf
	f.last = now
	f.pkts++
	f.bytes += uint64(p.Length)
	if src == f.srcMAC {
		f.same++
	}
	if kind == fNDP && ndTarget(p) == f.target {
		f.onTarget++
	}
	ih := e.srcHash(from) // slowscan.go: tcpProbe's or sameStraySource's, for most
	f.ips.add(ih)
	f.flows.add(ih ^ flow<<17)
	f.ports.add(port)
	f.sample(p, kind, ih)
	if kind == fTCP {
		f.noteSYN(p, ih) // floodpaced.go: for its handshake
	}
	if kind == fUDP || kind == fICMP || kind == fStrayTun { // the kinds noteKind notes anything of: not a SYN's call
		e.noteKind(f, p, src, kind, port, dst, ih, sig, answer)
	}
	if f.reported {
		f.tally(now) // floodhold.go: the incident's busiest second
		return
	}
	if f.pkts < floodMin[kind] && !((f.smurf || f.reflect) && f.pkts >= smurfMin) {
		return
	}
	e.floodDecide(p, f, kind, dst, now, gated)
}

// floodDecide raises f, the state of a flood of kind toward dst that has
// counted enough packets (p the last, at now; gated, the gate's count),
// unless its shape says it is none. Out of floodCount, every packet's path,
// as the rare case: a state reaches it once a window until it is raised.
func (e *Engine) floodDecide(p *capture.Packet, f *floodState, kind int, dst netip.Addr, now int64, gated uint64) {
	if kind == fUDP && !f.smurf && !f.reflect && (lockStep(f) || !e.udpFlooding(now, f, dst, gated, udpPorts(p.UDP.DstPort, p.UDP.SrcPort))) {
		return // floodpaced.go: a TFTP boot storm's lock-step
	}
	if (kind == fTCP && handshakes(f)) || (kind == fICMP && (slowPings(now, f) || onLinkPings(now, f, dst))) {
		return // floodpaced.go: connections; pings below the threshold's rate
	}
	if e.scanNotFlood(kind, f, dst) || (kind == fNDP && !ndpFlooding(now, f)) || (kind >= fStrayTCP && !e.strayFlood(kind, f, dst)) || (kind == fACK && e.clientsResending(f, dst)) || (kind == fIP && e.peersFirstPieces(f, dst)) || (kind == fICMP && e.pingFanIn(now, f, dst)) {
		return
	}
	if !f.reflect && (e.reflection(f, kind, dst, now) || e.forgedReflection(p, f, kind, dst, now)) {
		f.reported = true // reflect.go: folded into the requests' flood, no event of its own
		return
	}
	f.reported = true
	e.dropSeen(f) // floodudp.go: its answers no longer matter
	if !keepEcho(f) {
		e.dropEcho(f) // echo.go
	}
	if kind == fNDP {
		e.reportNDPFlood(p.Time, now, f)
		return
	}
	e.holdFlood(p.Time, now, dst, kind, f) // floodhold.go: reported with the incident's rate
}

// noteKind counts in f what p, a packet of kind toward dst from the
// address whose ipHash is ih, tells of its kind's shape: a UDP
// datagram's flow, answer and asked flow (noteUDP, askedFlow), an ICMP
// timestamp request, an ESP packet that may begin an SA.
func (e *Engine) noteKind(f *floodState, p *capture.Packet, src mac, kind int, port uint64, dst netip.Addr, ih, sig uint64, answer bool) {
	if kind == fUDP {
		e.noteUDP(f, p, src, sig, e.pktNS, answer)
		paced, lost := e.pacedACK(p, src, dst) // floodpaced.go
		f.paced += uint64(b2u(paced))
		f.lostPace += uint64(b2u(lost))
		f.asked += uint64(b2u(e.askedFlow(p, dst, ih))) // stray.go
	} else if kind == fICMP {
		f.tsRequests += uint64(b2u(port == layers.ICMPv4TypeTimestampRequest))
		f.routed += uint64(b2u(e.routerMAC(src)))         // stray6.go
		f.bound += uint64(b2u(e.boundTo(p.SrcIP(), src))) // floodpaced.go: onLinkPings
	} else if kind == fStrayTun {
		f.espStarts += uint64(b2u(e.stray.espFirst && espStart(p))) // strayesp.go: espNext read p
	}
}

// noteUDP counts the datagram p (from the MAC src, its signature sig;
// answer: the first response to a DNS query its target sent) in f: a
// syslog message, an NFS reply, its flow and its signature and DNS keys
// (until f is raised; a raised DNS server's queries still tell its answers
// to its clients: keepEcho), a DNS answer.
func (e *Engine) noteUDP(f *floodState, p *capture.Packet, src mac, sig uint64, now int64, answer bool) {
	if p.UDP.DstPort == syslogPort && syslogMessage(p.Payload()) {
		f.logs++
	}
	if p.UDP.SrcPort == nfsPort && rpcReply(p.UDP.Payload) {
		f.rpc++
	}
	if !f.reported {
		e.noteFlow(f, p, src, now)      // floodudp.go: a fan-in's answers, until it is raised
		e.noteEcho(f, p, src, sig, now) // echo.go: what an echo of the stream would send back
		f.dnsAnswers += uint64(b2u(answer))
	} else if f.echo != nil && p.UDP.DstPort == dnsPort {
		e.noteEcho(f, p, src, sig, now)
	}
}

// restart opens a new window for f at p. The gate counted the packets
// before this one (gated, the first at first). What they were (sources,
// flows, ports) goes on from the last window when the traffic did not
// pause: a scan longer than the window kept its count through the gate but
// would have lost the ports that make it a scan, and turned into a flood
// (nmap -sO, 1,600 probes in 20 s). from is p's source address, or for
// an ACK segment's refusal the segment's (floodCount).
func (f *floodState) restart(p *capture.Packet, now int64, src mac, from netip.Addr, port, gated uint64, first int64) {
	n := floodState{start: now, from: now, began: now, live: true, srcMAC: src, srcIP: from, pkts: gated - 1, same: gated - 1, gated: gated - 1, target: ndTarget(p), port: uint16(port)}
	if gated > 1 && first < now {
		n.from = first
	}
	copy(n.dstMAC[:], p.Eth.DstMAC)
	if p.Has&capture.HasUDP != 0 {
		n.flow = udpPorts(p.UDP.SrcPort, p.UDP.DstPort)
	}
	if f.live && f.idle(now) <= floodWindow {
		n.flows, n.ips, n.ports, n.began = f.flows, f.ips, f.ports, f.began
		n.same = gatedFrom(f, src, gated-1) // floodblame.go
	}
	n.echo, n.echoSlot, n.ringFrom, n.ringWin = f.echo, f.echoSlot, f.ringFrom, f.ringWin // an echo lags its stream across a window's end too
	*f = n
}

// floodGateCount counts a packet of k's kind toward k's destination in the
// gate, a fixed table of per-window counters by destination, and returns
// the count and when the first packet it counts came: only a destination that gets a quarter of a flood's packets in
// one window is tracked exactly (ordinary traffic never gets that far).
func (e *Engine) floodGateCount(k floodKey, now int64) (n uint64, first int64) {
	g, kind := e.gateSlot(k), k.kind
	window := now / int64(floodWindow)
	if g.window != window {
		// The windows are aligned to the clock, not to the flood: one that
		// passed the gate in the previous window goes on being counted
		// (a 3-second flood across a boundary lost a quarter of its packets).
		if carry := floodMin[kind] / 4; g.window == window-1 && g.n >= carry {
			// The carried packets are the last of the previous window's,
			// at its rate: they began that long before this window. Kept,
			// the first packet's time stayed where the stream began, and
			// a minute's steady stream read as 500 packets over a minute.
			begin := window * int64(floodWindow)
			g.first = begin - (begin-g.first)/int64(g.n)*int64(carry)
			g.n = carry
		} else {
			g.n = 0
		}
		g.window = window
	}
	if g.n == 0 {
		g.first = now
	}
	g.n++
	return g.n, g.first
}

// gateSlot is the gate's counter of packets of k's kind toward k's address.
// The kind is mixed in before the multiply: XORed in after it, it sat in
// bits the shift drops, and every kind toward one host shared a counter (a
// reconnect storm's SYNs began their count at the refusals of the stale
// connections before them, fACK).
func (e *Engine) gateSlot(k floodKey) *floodGateCounter {
	return &e.floodGate[gateIndex(k)]
}

// gateIndex is k's slot in the gate (gateSlot) and in strayLast.
func gateIndex(k floodKey) uint64 {
	return ((k.lo ^ k.hi*31 ^ k.kind<<8) * 0x9e3779b97f4a7c15) >> (64 - floodGateBits)
}

// ndTarget is the target address of a neighbour solicitation or
// advertisement (RFC 4861 4.3, 4.4), the zero Addr for anything else.
func ndTarget(p *capture.Packet) netip.Addr {
	if b := p.ICMPv6.Payload; p.Has&capture.HasICMPv6 != 0 && len(b) >= 20 {
		return netip.AddrFrom16([16]byte(b[4:20]))
	}
	return netip.Addr{}
}

// ndpFlooding reports whether the neighbour discovery counted since the
// state began came at ndpFloodRate: a busy link's 400 in ten seconds is
// no flood, the same in two seconds is.
func ndpFlooding(now int64, f *floodState) bool {
	return float64(f.pkts-f.gated) >= ndpFloodRate*max(time.Duration(now-f.start).Seconds(), 0.001)
}

// reportNDPFlood raises a neighbour discovery flood: one incident for the
// link. Neighbour discovery never crosses a router (hop limit 255), so the
// frames' MAC is the sender's own: where one MAC sent nine in ten, it is the
// culprit; forged MACs (flood_advertise6, flood_solicitate6) name none, as
// an RA flood does. The target is the address asked or advertised for, where
// nine in ten are for one (a solicitation flood at one host's cache).
func (e *Engine) reportNDPFlood(t time.Time, now int64, f *floodState) {
	span := time.Duration(now - f.start)
	rate := float64(f.pkts-f.gated) / max(span.Seconds(), 0.001)
	ev := inventory.Event{
		Time: t, Type: inventory.EventFlood, Severity: inventory.SeverityHigh,
		Evidence: []inventory.Evidence{
			{Source: "ndp", Detail: fmt.Sprintf("%d neighbour solicitations and unsolicited advertisements in %s, %.0f per second, from about %d source addresses",
				f.pkts, roundDur(span), rate, f.ips.count())},
			{Source: "ndp", Detail: fmt.Sprintf("threshold: %d within %s at %d per second; a host sends a few a minute", floodMin[fNDP], floodWindow, ndpFloodRate)},
		},
	}
	culprit := mac{}
	from := "forged or many MACs"
	if f.same*10 >= f.pkts*9 {
		culprit, ev.MAC, from = f.srcMAC, macOf(f.srcMAC), describe(f.srcMAC, netip.Addr{})
		if h := e.hosts[macKey(f.srcMAC)]; h != nil && h.ip.IsValid() {
			ev.IP = h.ip
		}
	}
	ev.Summary = fmt.Sprintf("neighbour discovery flood from %s, %.0f packets/s", from, rate)
	if f.target.IsValid() && f.onTarget*10 >= (f.pkts-f.gated)*9 {
		ev.TargetIP = f.target
		ev.Summary = fmt.Sprintf("neighbour discovery flood for %s from %s, %.0f packets/s", f.target, from, rate)
	}
	if m, n, ok := e.ndTriggerer(culprit); ok && culprit != (mac{}) {
		e.exhaustion(&ev, culprit, m, n, rate) // ndexhaust.go: a router soliciting for a host's packets
		e.report(ev, m, culprit)
		return
	}
	e.report(ev, culprit, mac{})
}

// Uptime services and measurement networks ping one server from many
// places, each at a slow period of its own (a RIPE Atlas anchor is pinged
// by hundreds of probes; a monitor checks every few seconds or minutes,
// one echo or timestamp request a check). 700 monitors each every 10 s are
// 70 requests a second: past what one pinging host is judged by (floodMin,
// 50 a second), and nothing a server notices (the replies are 5 KB/s).
// So echo and timestamp requests from many sources (floodSpoofed), none
// sending faster than ping's default of one a second (icmpSourceRate),
// nine in ten or more through a router's MAC (routerMAC: the gateway's or
// an IPv6 router's; outside monitors come no other way, and a LAN host
// forging sources, even from random MACs half the time, or a forger with
// no gateway known, does not) and small (a mean payload of
// icmpMonitorData or less: ping's default is 56 bytes, Windows' 32, a
// timestamp request's 12), are a flood only at icmpFanInRate: what a
// server takes from many UDP flows (floodMin[fUDP] a window). Large
// requests under 200 a second fill an office uplink (1,472 bytes at 190 a
// second are 2.2 Mbit/s): they stay floods, as do hping3 --flood
// --rand-source (thousands a second), forged sources at 500 a second, and
// bots each pinging faster than once a second; small forged requests
// through the gateway slower than icmpFanInRate are not told from
// monitors, and nobody notices them.
const (
	icmpSourceRate  = 1   // requests a second from one source: ping's default interval
	icmpFanInRate   = 200 // requests a second from many slow sources that make a flood
	icmpMonitorData = 128 // mean ICMP data bytes a request of monitors' carries at most
)

// pingFanIn reports whether f, an ICMP flood's state toward dst at now,
// is many slow sources' small requests through a router below
// icmpFanInRate (see above).
func (e *Engine) pingFanIn(now int64, f *floodState, dst netip.Addr) bool {
	if f.smurf || f.rate(now, time.Second) >= icmpFanInRate || !f.ips.atLeast(floodSpoofedBits) {
		return false
	}
	counted := f.pkts - f.gated // the state's own: the gate's counts carry no MAC nor size
	if f.routed*10 < counted*9 || f.bytes > counted*icmpMonitorFrame(dst) {
		return false // a LAN host's or an unknown router's; large requests
	}
	perSource := float64(f.pkts) / max(time.Duration(now-f.from).Seconds(), 1) / float64(f.ips.count())
	return perSource <= icmpSourceRate
}

// icmpMonitorFrame is the frame bytes of an ICMP request toward dst with
// icmpMonitorData bytes of data: Ethernet with a VLAN tag (18), IP (20, or
// 40 for IPv6) and ICMP's header (8).
func icmpMonitorFrame(dst netip.Addr) uint64 {
	ip := uint64(20)
	if dst.Is6() && !dst.Is4In6() {
		ip = 40
	}
	return 18 + ip + 8 + icmpMonitorData
}

// scanNotFlood reports whether what reached the flood threshold is one
// source's scan, which the scan detector names: every IP protocol (nmap
// -sO), many ports, or a host it already reported as port-scanned.
func (e *Engine) scanNotFlood(kind int, f *floodState, dst netip.Addr) bool {
	if f.ips.atLeast(floodSpoofedBits) || (kind != fIP && kind != fTCP && kind != fACK) {
		return false
	}
	if f.ports.atLeast(floodFlowsBits) {
		return true
	}
	tr := e.ports[newPortKey(f.srcMAC, dst)]
	return kind == fTCP && tr != nil && tr.done
}

// floodTarget is whom p's flood would hit: its destination, or for echo
// requests to a broadcast address (smurf: every host answers their
// source; fraggle: UDP echo or chargen, fraggleUDP) the source address
// they forge, the victim. No ping tool broadcasts 50 a second. IPv6's
// smurf (thc smurf6) sends echo requests to a multicast group (ff02::1,
// all nodes) under the victim's unicast address: every member answers it.
func floodTarget(p *capture.Packet, kind int) (dst netip.Addr, smurf bool) {
	dst = p.DstIP()
	if (kind == fICMP || kind == fUDP && fraggleUDP(p)) && dst.Is4() && (dst.As4()[3] == 255 || dst == netip.AddrFrom4([4]byte{255, 255, 255, 255})) && local(p.SrcIP()) {
		return p.SrcIP(), true
	}
	if kind == fICMP && dst.Is6() && dst.IsMulticast() {
		if src := p.SrcIP(); src.IsValid() && !src.IsUnspecified() && !src.IsMulticast() {
			return src, true // smurf6.go
		}
	}
	return dst, false
}

// ipHash mixes an address into 64 well-spread bits (splitmix64's
// finaliser over its two halves): a few multiplies, not one per byte.
func ipHash(a netip.Addr) uint64 {
	if a.Is4() {
		// The IPv4-mapped form's high half is zero, whose mix64 is zero:
		// the same value from the low half alone, 00 00 ff ff and the
		// address read little-endian (TestIPHash).
		b := a.As4()
		return mix64(0xffff<<16 | uint64(b[0])<<32 | uint64(b[1])<<40 | uint64(b[2])<<48 | uint64(b[3])<<56)
	}
	hi, lo := words6(a)
	return mix64(bits.ReverseBytes64(lo) ^ mix64(hi))
}

// words6 is an IPv6 address's As16 as two big-endian words (the zero
// Addr's 0, 0; its callers never pass an IPv4 address), each read from
// the 8-byte half As16 stored: a 16-byte copy of the array stalled on
// store forwarding (ipHash's IPv6 path, newFloodKey's), and
// AppendBinary's call, which replaced it, was 52 instructions of each
// IPv6 frame's (session 41).
func words6(a netip.Addr) (hi, lo uint64) {
	b := a.As16()
	return binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
}

func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// floodName is the name of f's flood of kind, and with its article
// (aFlood): an echo flood whose packets are mostly timestamp requests is a
// timestamp request flood.
func floodName(kind int, f *floodState) (name, withArticle string) {
	if kind == fICMP && f.tsRequests*2 > f.pkts-f.gated {
		return "ICMP timestamp request", "an ICMP timestamp request"
	}
	if kind == fTCP && f.conn != 0 {
		return connNames[f.conn-1], connArticles[f.conn-1] // floodconn.go
	}
	return floodNames[kind], aFlood(kind)
}

// floodEvent is the event of the flood f of kind toward dst, decided at
// now (t the packet's time), and its culprit: judged on f, its counts
// those of tot, the incident's (floodhold.go).
func (e *Engine) floodEvent(t time.Time, now int64, dst netip.Addr, kind int, f *floodState, tot floodTotal) (inventory.Event, mac) {
	// The count includes the packets the gate let through before the state
	// began: the span and rate run from the first of them, not from start
	// (a state begun just before the report showed millions a second).
	rate := tot.rate()
	srcs := f.ips.count()
	name, aName := floodName(kind, f)
	ev := inventory.Event{
		Time: t, Type: inventory.EventFlood, Severity: inventory.SeverityHigh, TargetIP: dst,
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d %s packets (%s) toward %s in %s, %.0f per second, from about %d source addresses and %d flows",
				tot.pkts, name, human(float64(tot.bytes)), dst, roundDur(tot.span), rate, max(srcs, tot.srcs), max(f.flows.count(), tot.flows))},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d %s packets toward one host within %s", floodMin[kind], name, floodWindow)},
		},
	}
	if tot.peak > 1 && float64(tot.peak) > rate {
		ev.Evidence = []inventory.Evidence{ev.Evidence[0], {Source: "traffic",
			Detail: fmt.Sprintf("busiest second after the alert: %d packets", tot.peak)}, ev.Evidence[1]}
	}
	// The culprit: the MAC nine in ten of the packets came from, or the
	// one sender whose own packets made the flood (senderTorture).
	culprit, srcIP, dominant := f.srcMAC, f.srcIP, f.same*10 >= f.pkts*9
	if f.culprit != nil {
		culprit, srcIP, dominant, srcs = f.culprit.frameMAC, f.culprit.addr, true, 1
		ev.Evidence = append(ev.Evidence, senderEvidence(now, f)) // dnssender.go
	}
	// Forged sources from one MAC on the LAN: that MAC is the attacker,
	// unless it is the gateway forwarding the internet's traffic, or an
	// IPv6 router (stray6.go) forwarding an IPv6 stray flood (or the
	// gateway is unknown and the MAC never claimed a LAN address).
	lanHost := dominant && e.lanSender(kind, dst, culprit)
	if !dominant || (srcs >= floodSpoofed && !lanHost) {
		ev.Summary = fmt.Sprintf("%s flood toward %s from %d+ forged or distributed sources, %.0f packets/s", name, dst, srcs, rate)
		hop := inventory.Evidence{Source: "traffic",
			Detail: fmt.Sprintf("no single attacker address: the frames came through %s (the next hop, not the culprit)", macString(culprit))}
		if !dominant {
			hop = spreadEvidence(f) // floodpaced.go: no MAC carried most of it
		}
		ev.Evidence = append(ev.Evidence, hop)
		culprit = mac{}
	} else {
		ev.MAC = macOf(culprit)
		if srcIP.IsValid() && !srcIP.IsMulticast() && !srcIP.IsUnspecified() {
			ev.IP = srcIP
		}
		e.floodForged(&ev, culprit, dst, lanHost, srcs, f)
		if f.smurf {
			forgedVictim(&ev, culprit, dst) // smurf6.go
		}
		ev.Summary = fmt.Sprintf("%s sent %s flood toward %s, %.0f packets/s", describe(culprit, ev.IP), aName, dst, rate)
		if srcs >= floodSpoofed {
			ev.IP = netip.Addr{}
			if h := e.hosts[macKey(culprit)]; h != nil && h.ip.IsValid() {
				ev.IP = h.ip
			}
			ev.Summary = fmt.Sprintf("%s sent %s flood toward %s under %d+ forged source addresses, %.0f packets/s", describe(culprit, ev.IP), aName, dst, srcs, rate)
		}
	}
	if kind == fUDP && !f.flows.atLeast(floodFlowsBits) && f.culprit == nil && !f.smurf {
		ev.Evidence = append(ev.Evidence, udpOneWayEvidence(f, dst))
	}
	if dst.IsMulticast() {
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic",
			Detail: fmt.Sprintf("echo requests to the group %s make every member answer (smurf)", dst)})
	}
	if f.smurf {
		smurfEvidence(&ev, kind, dst)
	}
	if f.reflect {
		e.reflectEvidence(&ev, f, dst, tot) // reflect.go
	}
	return ev, culprit
}

// floodForged names a flood's sender by its MAC's own address when the
// source address ev names is one the MAC never claimed: one forged source
// (the target's own address in a LAND attack, the victim's in a smurf, or
// an outside address, nping -S random's), the forged address in evidence.
// An outside source is the sender's own only through a router: the gateway
// or an IPv6 router forwarding it (lanHost false), or a MAC that claimed it
// in ARP; a LAN host whose own address is bound to it in ARP sends outside
// sources only forged. With the gateway's MAC unknown, any MAC may be the
// router (a capture with no gateway given: r28's first fragments through
// 00:1a:a1:00:00:01 from 8.8.8.8), and its source is left as sent.
// One IPv6 source other than the target's is forged only where neighbour
// discovery binds it to another MAC (nd6Other; many are forged as ever,
// thcsyn6 -r's random ones in the /64): a host has several IPv6
// addresses (link-local, SLAAC, privacy, DHCPv6), any of which may be the
// one it floods from, and its IPv4 address says nothing of them (review
// 43 P8: denial6 from fd43:1::66, the address evil solicited from, was
// called forged for 10.43.1.66).
func (e *Engine) floodForged(ev *inventory.Event, culprit mac, dst netip.Addr, lanHost bool, srcs int, f *floodState) {
	h := e.hosts[macKey(culprit)]
	if h == nil || !h.ip.IsValid() || !ev.IP.IsValid() || ev.IP == h.ip {
		return
	}
	if ev.IP.Is6() && ev.IP != dst && srcs < floodSpoofed && !e.nd6Other(ev.IP, culprit) {
		return // nd6forged.go: an IPv6 source is forged only where ND binds it to another MAC
	}
	if !local(ev.IP) && (!lanHost || !e.gatewayMACKnown() || srcs >= floodSpoofed || ev.IP.Is4() != h.ip.Is4() || slicesContains(h.claims[:], ev.IP) || !slicesContains(h.claims[:], h.ip)) {
		return
	}
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic",
		Detail: fmt.Sprintf("source address forged as %s; %s uses %s", ev.IP, macString(culprit), h.ip)})
	if ev.IP == dst && !f.smurf {
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: "source and destination are the same address: a LAND attack"})
	}
	ev.IP = h.ip
}

// lanSender reports whether m, the MAC of a flood of kind toward dst, is
// a LAN host's: not the gateway forwarding the internet's traffic, nor an
// IPv6 router (stray6.go) forwarding an IPv6 stray flood, nor (the
// gateway unknown) a MAC that never claimed a LAN address.
func (e *Engine) lanSender(kind int, dst netip.Addr, m mac) bool {
	return !e.isGatewayMAC(m) && !e.strayRouter(kind, dst, m) && (e.gatewayMACKnown() || e.claimsLAN(m))
}

// isGatewayMAC reports whether m is the gateway's MAC (gatewayMAC).
func (e *Engine) isGatewayMAC(m mac) bool {
	gw, ok := e.gatewayMAC()
	return ok && gw == m
}

// gatewayMACKnown reports whether the gateway's MAC is known, from ARP or
// from its own IPv4 frames: a recording that starts with warm ARP caches
// (or an IPv6 flood) carries no ARP for it.
func (e *Engine) gatewayMACKnown() bool {
	_, ok := e.gatewayMAC()
	return ok
}

// claimsLAN reports whether m claimed a private address in ARP.
func (e *Engine) claimsLAN(m mac) bool {
	if h := e.hostOf(m); h != nil {
		for i := range h.claims { // by index: a range over the array copies it
			if c := h.claims[i]; !c.IsValid() {
				return false // addClaim fills them in order: the rest are empty too
			} else if local(c) {
				return true
			}
		}
	}
	return false
}
