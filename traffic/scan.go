package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// Probe kinds a port scan is made of.
const (
	kSYN = iota
	kFIN
	kNULL
	kXMAS
	kUDP
	kACK        // bare ACK or FIN+ACK to a port nobody connected to: nmap -sA, -sW, -sM (Maimon), firewall mapping
	kProto      // an IP protocol number: nmap -sO
	kOdd        // flag combinations no TCP stack sends (SYN+FIN, SYN+RST, nmap -O's T3/T7) and ICMP echo with a code
	kSCTP       // SCTP INIT: nmap -sY
	kSCTPCookie // SCTP COOKIE ECHO with no association: nmap -sZ
	nKinds
)

var kindNames = [nKinds]string{"SYN/connect", "FIN", "NULL", "XMAS", "UDP", "ACK or FIN/ACK", "IP protocol", "fingerprinting", "SCTP INIT", "SCTP COOKIE ECHO"}

// protoScanProtos is how many distinct IP protocols one source may send one
// host before it is an IP protocol scan (a host speaks TCP, UDP, ICMP, and
// at most IGMP, GRE or ESP besides).
const protoScanProtos = 8

// oddProbes is how many probes of shapes no TCP/IP stack sends make an
// OS-fingerprinting scan (nmap -O sends T2-T7 and IE; xprobe2 similar).
// Two, not one: a single mangled segment can be a middlebox's or a bit
// error's; two from one source to one host within Window are deliberate.
const oddProbes = 2

// udpService reports whether port is one of the UDP services whose answers
// (and reflected floods) come from their port toward many ports of a
// client: from there, a packet is a reply, never a probe. A switch, not a
// map: it is asked on every datagram and RST, and compiles to a few
// comparisons where a map lookup hashes.
func udpService(port uint16) bool {
	switch port {
	case 7, 17, 19, 53, 69, 111, 123, 137, 161, 389, 443, 500, 1194, 1900, 3478, 3702, 4500, 5060, 5353, 11211, 27015:
		return true
	}
	return false
}

// portKey is a (source MAC, destination address) pair in three words: the
// MAC as its 48-bit number, with the address's family in the top bits,
// and the address's 16 bytes. A key of plain words hashes as one block of
// memory; a netip.Addr in it (a pointer for its zone) went through the
// type's own hash function on every lookup. The addresses are a packet's,
// which have no zone.
type portKey struct {
	src    uint64
	hi, lo uint64
}

// portKey's family bits: an IPv4 address and its IPv4-mapped IPv6 form,
// and the zero Addr and ::, stay apart as netip.Addr keeps them.
const (
	portKey4       = 1 << 63
	portKeyInvalid = 1 << 62
)

func newPortKey(src mac, dst netip.Addr) portKey {
	switch {
	case dst.Is4():
		a := dst.As4()
		return portKey{macKey(src) | portKey4, 0, uint64(binary.BigEndian.Uint32(a[:]))}
	case !dst.IsValid():
		return portKey{macKey(src) | portKeyInvalid, 0, 0}
	}
	a := dst.As16()
	return portKey{macKey(src), binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(a[8:])}
}

// portHit is a port tracker and its key in portHits: a scan's probes come
// in runs from one source to one host, and a portKey hashes through the
// map's generic hash and compare. Ticks, which delete trackers, forget
// them all. A slot is written on a miss only: copied on every probe, the
// struct was read back from stores just made and stalled on store
// forwarding (2.5 % of the engine's time).
type portHit struct {
	k  portKey
	tr *portTracker
}

// portHitBits sizes portHits, the recent trackers by their key's hash in
// front of the ports map: 256 slots, 8 KB. An office's clients open
// connections and send requests to many hosts in turn, each a tracker, and
// the map hashed and compared a 24-byte key on every one (2 % of a
// replay's time on the office mix); 64 slots were too few for the bench's
// 64 clients and their servers.
const portHitBits = 8

// portHitSlot is k's slot in portHits.
func (e *Engine) portHitSlot(k portKey) *portHit {
	return &e.portHits[((k.src^k.hi*31^k.lo)*0x9e3779b97f4a7c15)>>(64-portHitBits)]
}

// lookupPort is the tracker of k, or nil, from portHits or the map (a
// tracker found there takes k's slot).
func (e *Engine) lookupPort(k portKey) *portTracker {
	h := e.portHitSlot(k)
	if h.tr != nil && h.k == k {
		return h.tr
	}
	tr := e.ports[k]
	if tr != nil {
		*h = portHit{k, tr}
	}
	return tr
}

type portTracker struct {
	start int64 // in nanoseconds (nanos)
	// newAt is when each of ports' first few ports (portSetFew, in the
	// order probed) was first probed, moreAt when the first port beyond
	// them was: the scan is dated from the first port that counts toward
	// the threshold (firstCounted), not from the host's ordinary
	// connections to the target earlier in the window (accepted ports).
	newAt   [portSetFew]int64
	moreAt  int64
	srcIP   netip.Addr
	dstMAC  mac
	ports   portSet    // probed ports, and which of them the host accepted a connection on (SYN+ACK)
	open    int        // ports the host accepted
	decoys  int        // probes from another source address than the first (nmap -D)
	own     netip.Addr // the source MAC's own address when the tracker began (scanflood.go)
	fromOwn int        // probes from it
	kinds   [nKinds]int
	lastAt  int64 // when it was last probed (nanos): a scan incident's end, its span when reported (scanincident.go, scanlate.go)
	stealth int   // distinct ports probed with FIN, NULL or XMAS
	// services is how many distinct well-known UDP service ports
	// (udpService) were probed, answers how many datagrams came back from
	// such a port (udpServiceSweep); swept once the host counted
	services, answers int
	swept             bool
	protos            [4]uint64
	nProtos           int
	done              bool
	frags             int // probes read from IPv4 fragments (fragTCP): tiny fragments, RFC 1858
	// router is whether the source MAC was a router's (traceRouter) when
	// the tracker began: only a router's probes are asked routedCopy.
	router bool
	// answered is the last decoy source (not srcIP) the MAC answers ARP
	// for, fromAnswered how many probes came from such addresses
	// (scanflood.go: a steady source of its own, no forged one).
	answered     netip.Addr
	fromAnswered int
	// sources remembers recent decoy sources (scanflood.go: noteSource),
	// made at the first decoy; steady is the last source heard again
	// while remembered, repeats how many probes were such repeats.
	sources   *[sourceSlots]uint32
	steady    netip.Addr
	repeats   int
	fromFirst int // TCP and UDP probes from srcIP
	// late and lateN are a reported tracker's distinct ports (scanlate.go),
	// made at its first probe past the report; lateN 0: not counting them.
	late  *latePorts
	lateN int
	// said is what reportPortScan's summary said (scanlate.go).
	said scanWords
}

// stealthPorts is how many distinct ports probed with FIN, NULL or XMAS
// packets make a scan: no real TCP stack sends those without ACK.
const stealthPorts = 3

type sweepTracker struct {
	start int64 // in nanoseconds (nanos)
	srcIP netip.Addr
	hosts map[netip.Addr]struct{}
	last  netip.Addr // the host probed last, in hosts: a sweep's probes of one host come in runs
	kinds map[string]int
	done  bool
	// router is portTracker.router's.
	router bool
	sweepPoll
}

// sweepHit remembers the sweep tracker looked up last, as portHit does the
// port tracker: ticks, which delete trackers, forget it.
type sweepHit struct {
	k  uint64
	tr *sweepTracker
}

// sweptLast reports whether sweepProbe would leave src's tracker as it is
// for a probe of target: the tracker looked up last is src's, its window
// goes on and target is the host it counted last (sweepProbe's early
// return). A SYN flood's every SYN, a port scan's to its one host, asked
// this first, skip followsDiscovery and the call (session 41: 140
// instructions of a flood's SYN, 1.3 % of the corpus mix's).
func (e *Engine) sweptLast(src mac, target netip.Addr) bool {
	tr := e.sweepHit.tr
	return tr != nil && tr.last == target && e.sweepHit.k == macKey(src) && len(tr.hosts) > 0 && e.clock-tr.start <= int64(e.cfg.Window)
}

// probe looks at TCP, UDP and ICMP packets for scan and sweep probes.
func (e *Engine) probe(p *capture.Packet, src, dst mac) {
	if (p.Has&capture.HasTCP != 0 && midFlow(&p.TCP) || probeless(p)) && len(e.resolving) == 0 {
		return // most of a LAN's frames: nothing below reads them
	}
	if e.isSelf(src) || !unicast(src) {
		return
	}
	srcIP, dstIP := p.SrcIP(), p.DstIP()
	if !dstIP.IsValid() || multicast(dstIP) || !unicast(dst) {
		return
	}
	if len(e.resolving) != 0 {
		e.watchHeld(p, src, dst, dstIP) // webfetch.go
	}
	switch {
	case p.Has&capture.HasTCP != 0:
		e.tcpProbe(p.Time, &p.TCP, src, srcIP, dst, dstIP)
	case p.Has&capture.HasUDP != 0:
		u := &p.UDP
		// A client's request goes from a high port to a lower one; replies go
		// the other way and must not count. An empty datagram is no reply
		// whatever its ports (no service answers with nothing; echo, port 7,
		// returns what it got): a scan from a service's source port (nping's
		// default 53, nmap -g 53) is one. Empty is what the UDP header's
		// length says, not the bytes captured: a header-only capture
		// (tcpdump -s 42, a packet broker's slicing) keeps no payload.
		empty := u.Length == 8
		if svc := sweepService(uint16(u.DstPort)); svc >= 0 && (u.SrcPort != u.DstPort || samePortProbe(u)) {
			e.noteSvcProbe(src, dstIP, svc, e.nanosOf(p.Time), false) // sweepsvc.go: a UDP service's request (BACnet)
		}
		if e.traceProbe(p, dst) {
			e.tracedSweepProbe(p, src, srcIP, dst, dstIP, empty)
			return
		}
		// A request from one service's port to another service (nmap -g 53
		// -sU: a DNS, NTP or SNMP request from port 53) is a probe too: a
		// service answers its client's port, which is ephemeral or, for
		// the services that talk server to server (DNS, NTP, NetBIOS,
		// IKE), the same service's port.
		svcToSvc := u.SrcPort != u.DstPort && udpService(uint16(u.SrcPort)) && udpService(uint16(u.DstPort))
		if (empty && u.SrcPort != 7 || u.DstPort < u.SrcPort && !udpService(uint16(u.SrcPort)) || svcToSvc) && !(dstIP.Is4() && dstIP.As4()[3] == 255) {
			e.portProbe(p.Time, src, srcIP, dst, dstIP, uint16(u.DstPort), kUDP)
		}
		// An empty datagram carries nothing any application wants: it is
		// a probe for the ICMP port-unreachable it draws (nmap -sU -sn, UDP
		// ping sweeps), wherever it goes; so is a DNS request that asks
		// nothing (dnsAsksNothing).
		if empty && !udpService(uint16(u.SrcPort)) {
			e.sweepProbe(src, srcIP, dstIP, "UDP")
		} else if u.DstPort == 53 && (dnsStatus(u.Payload) || !udpService(uint16(u.SrcPort)) && dnsAsksNothing(u.Payload, int(u.Length)-8)) {
			e.sweepProbe(src, srcIP, dstIP, "DNS request without a question")
		} else if !empty && !svcToSvc && u.DstPort > u.SrcPort && udpService(uint16(u.SrcPort)) {
			e.udpServiceAnswer(dst, srcIP)
		}
	case p.Has&capture.HasICMPv4 != 0:
		if q := icmpQuery(p.ICMPv4.TypeCode.Type()); q != "" {
			e.icmpQueryProbe(p, src, srcIP, dst, dstIP, q)
		} else if p.ICMPv4.TypeCode.Type() == layers.ICMPv4TypeEchoRequest {
			if p.ICMPv4.TypeCode.Code() != 0 {
				// nmap -O's IE probes: echo requests with code 9, which no ping sends.
				e.portProbe(p.Time, src, srcIP, dst, dstIP, uint16(p.ICMPv4.TypeCode.Code()), kOdd)
			}
			if local(dstIP) {
				e.sweepProbe(src, srcIP, dstIP, "ICMP")
			}
		}
	case p.Has&capture.HasIPv4 != 0 && (p.IPv4.FragOffset != 0 || p.IPv4.Flags&layers.IPv4MoreFragments != 0):
		e.fragment(p, src, srcIP, dst, dstIP)
	case p.Has&capture.HasIPv6 != 0 && p.IPv6.NextHeader == layers.IPProtocolIPv6Fragment:
		e.fragment6(p, src, srcIP, dst, dstIP)
	case sctpPayload(p) != nil:
		e.sctpProbe(p, src, srcIP, dst, dstIP)
	case p.Has&capture.HasIPv4 != 0:
		e.protoProbe(p.Time, src, srcIP, dst, dstIP, uint8(p.IPv4.Protocol))
	}
}

// probeless reports whether probe's switch reads nothing of p, an IP
// packet: IPv6 other than a TCP segment, a datagram, a fragment or SCTP
// (ICMPv6, AH, ESP). Told first, with midFlow: an IPv6 echo flood's every
// packet went through the checks of source and target (80 instructions,
// session 41).
func probeless(p *capture.Packet) bool {
	nh := p.IPv6.NextHeader
	return p.Has&(capture.HasTCP|capture.HasUDP|capture.HasICMPv4|capture.HasIPv4) == 0 && nh != layers.IPProtocolIPv6Fragment && nh != layers.IPProtocolSCTP
}

// traceRouter reports whether m is a router's: the gateway's (an HSRP or
// VRRP router serving it included), an IPv6 router configured, or a router
// known in an HSRP or VRRP group.
func (e *Engine) traceRouter(m mac) bool {
	return e.gatewayRouter(m) || e.isIPv6Router(m) || e.fhrpRouter(m)
}

// routedCopy reports whether a frame from src with the source address
// srcIP is one a router forwarded, not a probe of its own: src is a
// router's MAC (traceRouter) and srcIP a LAN address bound in ARP or ND to
// another MAC, which is no router's. A router forwards what hosts send to
// its MAC (RFC 1812 5.2.1), back onto the LAN when the destination is
// there: masscan sends every probe to the router's MAC (--router-mac), and
// each came back from it with the scanner's address and a TTL one lower
// (review 31a m2). The scanner is counted from its own frames; a remote
// source, which no LAN binding names, stays counted under the router's
// MAC as before.
func (e *Engine) routedCopy(src mac, srcIP netip.Addr) bool {
	b := e.arpBinding(srcIP)
	return b != nil && b.mac != src && e.traceRouter(src) && !e.traceRouter(b.mac)
}

// icmpQuery names the ICMP queries other than echo that a host can be
// probed with (RFC 792, RFC 950): timestamp, information and address mask
// requests ("" for another type). nmap -PP and -PM sweep with them,
// xprobe2 fingerprints with them.
func icmpQuery(t uint8) string {
	switch t {
	case layers.ICMPv4TypeTimestampRequest:
		return "ICMP timestamp"
	case layers.ICMPv4TypeInfoRequest:
		return "ICMP information"
	case layers.ICMPv4TypeAddressMaskRequest:
		return "ICMP address mask"
	}
	return ""
}

// icmpQueryProbe counts an ICMP query (icmpQuery's name q) as a sweep's
// probe of its LAN destination, and an information or address mask request
// as fingerprinting (kOdd): RFC 6918 retired both, so no stack asks them
// any more; a timestamp request, which a monitor may send each minute, is
// not.
func (e *Engine) icmpQueryProbe(p *capture.Packet, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr, q string) {
	if t := p.ICMPv4.TypeCode.Type(); t != layers.ICMPv4TypeTimestampRequest {
		e.portProbe(p.Time, src, srcIP, dst, dstIP, 256+uint16(t), kOdd)
	}
	if local(dstIP) {
		e.sweepProbe(src, srcIP, dstIP, q)
	}
}

// tcpAccepted is tcpKind's answer for a SYN+ACK: a port the client uses.
const tcpAccepted = -2

// tcpKind is the probe kind of a TCP segment, tcpAccepted for a SYN+ACK,
// or -1 for a segment that is neither.
func tcpKind(t *layers.TCP) int {
	switch {
	case t.SYN && (t.FIN || t.RST), t.FIN && t.PSH && t.URG && t.SYN:
		return kOdd
	case t.SYN && !t.ACK && !t.RST && !t.FIN:
		return kSYN
	case t.FIN && t.PSH && t.URG && !t.ACK && !t.SYN:
		return kXMAS
	case t.FIN && !t.ACK && !t.SYN && !t.RST:
		return kFIN
	case !t.FIN && !t.SYN && !t.RST && !t.PSH && !t.ACK && !t.URG:
		return kNULL
	case t.ACK && !t.SYN && !t.RST && !t.PSH && len(t.Payload) == 0 && t.DstPort < t.SrcPort:
		// A bare ACK or FIN+ACK from a client port: usual inside a
		// connection (one port per server), a probe when it goes to many
		// ports or hosts (nmap -sA and -sW send ACK, -sM FIN+ACK).
		return kACK
	case t.SYN && t.ACK && !t.RST && !t.FIN:
		return tcpAccepted
	}
	return -1
}

// midFlow reports whether t is a segment inside an established connection,
// one tcpKind gives no kind (TestMidFlow): ACK without SYN or FIN, and not
// the bare ACK to a lower port it counts (kACK). It is read before the
// packet's addresses are made.
func midFlow(t *layers.TCP) bool {
	return t.ACK && !t.SYN && !t.FIN && (t.RST || t.PSH || len(t.Payload) != 0 || t.DstPort >= t.SrcPort)
}

// tcpProbe classifies one TCP segment (or a fragmented one's reassembled
// header) as a scan probe, or a SYN+ACK as a port the client uses.
func (e *Engine) tcpProbe(at time.Time, t *layers.TCP, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr) {
	kind := tcpKind(t)
	if kind == tcpAccepted {
		e.accepted(dst, srcIP, uint16(t.SrcPort))
		e.silentAnswer(src, dst, dstIP, srcIP, uint16(t.SrcPort))
	}
	if kind < 0 || e.routedCopy(src, srcIP) {
		return
	}
	if kind == kACK {
		if e.inConnection(src, srcIP, uint16(t.SrcPort), dst, dstIP, uint16(t.DstPort)) {
			return
		}
		if local(dstIP) && !e.followsDiscovery(src, srcIP, dstIP, uint16(t.DstPort)) {
			e.sweepProbe(src, srcIP, dstIP, "TCP ACK")
		}
		e.portProbe(at, src, srcIP, dst, dstIP, uint16(t.DstPort), kind)
		return
	}
	var ph pairHash
	ph.set(src, srcIP, dstIP, e)
	seqDst := kind == kSYN && t.Seq != 0 && t.Seq == ip4Of(dstIP) // Mirai's scanner (telnetbot.go)
	e.portProbeKey(at, ph.k, src, srcIP, dst, dstIP, uint16(t.DstPort), kind, seqDst)
	e.miraiSYN(at, seqDst, src, srcIP, dstIP, uint16(t.DstPort)) // miraiout.go; its line keeps replay.pgo's offsets
	e.noteProbeKey(at, probeKeyOf(ph.mac, ph.src, ph.dst, uint16(t.DstPort)))
	if kind == kSYN {
		e.silentSYN(at, &ph, src, srcIP, dst, dstIP, uint16(t.DstPort))
	}
	if kind == kSYN && !e.sweptLast(src, dstIP) && local(dstIP) && !e.followsDiscovery(src, srcIP, dstIP, uint16(t.DstPort)) {
		e.sweepProbe(src, srcIP, dstIP, "TCP")
	}
}

// inConnection reports whether a bare ACK from srcIP:sport (src) to
// dstIP:dport (dst) belongs to a connection whose SYN+ACK was seen
// (accepted's noteConnected): the sender's own port answered the
// receiver's SYN (a passive FTP server's ACKs from its data port to the
// client's lower ephemeral port, RFC 959 PASV), or the receiver's port
// answered the sender's (a client's ACKs in its SSH session). nmap -sA/-sW
// and -sM send ACKs that belong to no connection: each draws a RST.
func (e *Engine) inConnection(src mac, srcIP netip.Addr, sport uint16, dst mac, dstIP netip.Addr, dport uint16) bool {
	at := e.clock
	return e.wasConnected(at, dst, srcIP, sport) || e.wasConnected(at, src, dstIP, dport)
}

func (e *Engine) portProbe(t time.Time, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr, port uint16, kind int) {
	e.portProbeKey(t, newPortKey(src, dstIP), src, srcIP, dst, dstIP, port, kind, false)
}

// portProbeKey is portProbe of the pair keyed k (newPortKey(src, dstIP));
// seqDst says the probe is a SYN whose sequence number is its target's
// address (Mirai's scanner, telnetbot.go).
func (e *Engine) portProbeKey(t time.Time, k portKey, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr, port uint16, kind int, seqDst bool) {
	if svc := sweepService(port); svc >= 0 {
		e.noteSvcProbe(src, dstIP, svc, e.nanosOf(t), seqDst) // sweepsvc.go
	}
	tr := e.portTracker(t, k, src, srcIP, dst)
	if tr == nil {
		return
	}
	tr.kinds[kind]++
	tr.lastAt = e.pktNS
	if srcIP != tr.srcIP {
		tr.decoys++
		e.answeredProbe(tr, src, srcIP) // scanflood.go
		tr.noteSource(srcIP)
	} else {
		tr.fromFirst++
	}
	tr.fromOwn += int(b2u(srcIP == tr.own))
	if tr.done {
		e.lateProbe(tr, port) // scanlate.go: the incident's final counts
		return
	}
	if kind == kOdd && tr.kinds[kOdd] >= oddProbes {
		e.reportPortScan(t, tr, src, dst, dstIP, fmt.Sprintf("%d probes shaped as no TCP/IP stack sends them (SYN+FIN, SYN+RST, FIN+PSH+URG with SYN, ICMP echo with a code): OS fingerprinting", tr.kinds[kOdd]))
		return
	}
	if tr.ports.add(port) {
		tr.newPort(e.nanosOf(t))
		if kind == kFIN || kind == kNULL || kind == kXMAS {
			tr.stealth++
		}
		if kind == kUDP && udpService(port) {
			e.udpServiceProbe(tr, src, srcIP, dstIP)
		}
	}
	if tr.ports.len()-tr.open < e.cfg.PortScanPorts && tr.stealth < stealthPorts {
		return
	}
	e.reportPortScan(t, tr, src, dst, dstIP, fmt.Sprintf("threshold: %d distinct ports the host did not accept, or %d probed with FIN/NULL/XMAS, within %s", e.cfg.PortScanPorts, stealthPorts, e.cfg.Window))
}

// udpServiceSweep is how many distinct well-known UDP services (DNS, NTP,
// SNMP, NetBIOS, IKE: udpService) one source asks one host within Window
// before the host counts toward a sweep: nmap -sU of a few ports sends
// each service's own request (a DNS query, an NTP or SNMP get), which no
// empty-datagram count sees, to every host of a range. A client asks its
// resolver, time server and monitored devices one or two services each,
// a monitoring server polls SNMP (and pings) across the LAN, and gets its
// answers: three services, at least two of them unanswered
// (udpServiceSilent), count, as one answered does not. Two were tried
// (nmap -sU -p 53,161 of a range), from one source port only: an NMS
// polling SNMP and NTP of remote routers through a WAN outage from a
// socket per device raised (review 29d b6t); nmap -sU of two services
// stays unseen, as before.
const udpServiceSweep = 3

// udpServiceProbe counts a new well-known UDP service port probed in tr,
// src's probes of dstIP: the host is swept once udpServiceSweep were and
// at least udpServiceSilent of them drew no answer from their service
// (nothing yet, or an ICMP port unreachable). A network monitor asking
// its routers' DNS, NTP and SNMP gets its answers (the devices it
// watches run those services); nmap -sU's targets mostly do not.
func (e *Engine) udpServiceProbe(tr *portTracker, src mac, srcIP, dstIP netip.Addr) {
	tr.services++
	if !tr.swept && tr.services >= udpServiceSweep && tr.services-tr.answers >= udpServiceSilent {
		tr.swept = true
		e.sweepProbe(src, srcIP, dstIP, "UDP services")
	}
}

// udpServiceSilent is how many of the services asked must go unanswered
// for a host to count toward a UDP service sweep.
const udpServiceSilent = 2

// udpServiceAnswer records a datagram with data from a well-known UDP
// service port of server to a higher port of client: an answer to
// client's request (udpServiceProbe).
func (e *Engine) udpServiceAnswer(client mac, server netip.Addr) {
	if !unicast(client) {
		return
	}
	if tr := e.lookupPort(newPortKey(client, server)); tr != nil && tr.services > 0 {
		tr.answers++
	}
}

// accepted records a SYN+ACK from server's port to client: a port the
// client opened a connection to is a service it uses, not a probe. A
// backup or passive-FTP client opens data connections to dozens of open
// ports of one server within a minute; a scan's probes mostly meet closed
// ports (RST) or none (silence), so the threshold counts ports not accepted.
func (e *Engine) accepted(client mac, server netip.Addr, port uint16) {
	if !unicast(client) {
		return
	}
	e.noteConnected(client, server, port) // slowscan.go
	tr := e.lookupPort(newPortKey(client, server))
	if tr == nil {
		return
	}
	if tr.ports.accept(port) {
		tr.open++
	}
}

// protoProbe counts the IP protocols one source sends one host.
func (e *Engine) protoProbe(t time.Time, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr, proto uint8) {
	switch proto {
	case 1, 2, 6, 17, 47, 50, 51:
		return // ICMP, IGMP, TCP, UDP, GRE, ESP, AH: what hosts speak
	}
	tr := e.portTracker(t, newPortKey(src, dstIP), src, srcIP, dst)
	if tr == nil {
		return
	}
	tr.kinds[kProto]++
	tr.lastAt = e.pktNS
	if tr.protos[proto>>6]&(1<<(proto&63)) != 0 {
		return
	}
	tr.protos[proto>>6] |= 1 << (proto & 63)
	tr.nProtos++ // past the report too: its summary's final count (refreshProbes)
	if tr.done || tr.nProtos < protoScanProtos {
		return
	}
	e.reportPortScan(t, tr, src, dst, dstIP, fmt.Sprintf("%d distinct IP protocols besides TCP, UDP, ICMP, IGMP, GRE, ESP and AH within %s: an IP protocol scan", tr.nProtos, e.cfg.Window))
}

// portTracker is the tracker of src's probes of the address keyed k
// (newPortKey), begun anew when its window ended; nil for a router's
// forwarded frame (routedCopy) or when the table is full.
func (e *Engine) portTracker(t time.Time, k portKey, src mac, srcIP netip.Addr, dst mac) *portTracker {
	tr := e.lookupPort(k)
	at := e.nanosOf(t)
	fresh := tr == nil || at-tr.start > int64(e.cfg.Window)
	if (fresh || tr.router) && e.routedCopy(src, srcIP) {
		return nil
	}
	if fresh {
		if tr == nil && len(e.ports) >= e.cfg.MaxTrackers {
			e.counters.TrackersDropped++
			return nil
		}
		if tr == nil {
			tr = &portTracker{}
			e.ports[k] = tr
			*e.portHitSlot(k) = portHit{k, tr}
		}
		tr.ports.reset()
		tr.start, tr.srcIP, tr.dstMAC, tr.kinds, tr.stealth, tr.open, tr.decoys, tr.done = at, srcIP, dst, [nKinds]int{}, 0, 0, 0, false
		tr.services, tr.answers, tr.swept = 0, 0, false
		tr.protos, tr.nProtos = [4]uint64{}, 0
		tr.moreAt, tr.own, tr.fromOwn, tr.frags, tr.lastAt = 0, e.ownIP(src), 0, 0, 0
		tr.answered, tr.fromAnswered = netip.Addr{}, 0
		tr.steady, tr.repeats, tr.fromFirst, tr.lateN = netip.Addr{}, 0, 0, 0
		if tr.sources != nil {
			*tr.sources = [sourceSlots]uint32{}
		}
		tr.router = e.traceRouter(src)
	}
	return tr
}

// newPort notes the port just added to tr.ports, probed at at (nanos).
func (tr *portTracker) newPort(at int64) {
	if len(tr.ports.more) == 0 {
		tr.newAt[tr.ports.n-1] = at // few fill before more
	} else if tr.moreAt == 0 {
		tr.moreAt = at
	}
}

// firstCounted is when tr's first port that counts toward the threshold
// was probed, in the run of probes that crossed it: the first not
// accepted (a scan's first closed or filtered port), so a workstation's
// page fetches from the target (an accepted port, probed once) before
// nmap runs do not date the scan, nor do one or two refused connections
// (scanLoneRun: a mistyped port, a stopped service) scanRunGap or more
// before the scan's run began; a burst of more ports dates it; a scan that pauses mid-way past its first few ports
// (19 ports, 22 s, 5 more) is dated from its first run. Past portSetFew
// accepted ports, the first port beyond them.
func (tr *portTracker) firstCounted() int64 {
	var first, last int64
	found, run, lead := false, 0, true
	for i := range tr.ports.few[:tr.ports.n] {
		at := tr.newAt[i]
		if i > 0 && at-last >= int64(scanRunGap) {
			if lead = lead && run <= scanLoneRun; lead {
				found = false // a pause after a refusal or two: the scan began after it
			}
			run = 0
		}
		run++
		last = at
		if !found && tr.ports.open&(1<<i) == 0 {
			first, found = at, true
		}
	}
	if tr.moreAt != 0 && (!found || tr.moreAt-last >= int64(scanRunGap) && lead && run <= scanLoneRun) {
		return tr.moreAt
	}
	if found {
		return first
	}
	return tr.start
}

// scanLoneRun is the most ports a leading run of probes may hold to be
// set apart from the scan after it (scanRunGap): a refusal or two (a
// mistyped port, a stopped service) is no part of a scan, a burst of
// several ports is the scan's first (a bursty scan, nmap's
// --max-rate/--scan-delay with bursts).
const scanLoneRun = 2

// scanRunGap is the pause between a host's first new ports of a target
// that ends a run of probes: a scan that crosses PortScanPorts (20) within
// Window (one minute) probes a new port every 3 s at the slowest (nmap
// --scan-delay 3s, -T2's 0.4 s), so probes 15 s apart or more are two
// things, an earlier refusal and the scan.
const scanRunGap = 15 * time.Second

func (e *Engine) reportPortScan(t time.Time, tr *portTracker, src mac, dst mac, dstIP netip.Addr, why string) {
	tr.done = true
	first := tr.firstCounted()
	var kinds []string
	for i, n := range tr.kinds {
		if n > 0 {
			kinds = append(kinds, fmt.Sprintf("%s %d", kindNames[i], n))
		}
	}
	ports := tr.ports.appendTo(make([]int, 0, tr.ports.len()))
	slices.Sort(ports)
	srcIP := tr.srcIP // the address the tracker began with (decoys: see below)
	evs := []inventory.Evidence{
		{Source: "traffic", Detail: "probes: " + strings.Join(kinds, ", ")},
		{Source: "traffic", Detail: "ports " + intList(ports, 24)},
	}
	if tr.decoys > 0 {
		// Decoys (nmap -D): the same frames carry other source addresses;
		// the scanner is the MAC, and its address is the one it claims in ARP.
		srcIP = e.claimsOther(src, netip.Addr{})
		if h := e.hosts[macKey(src)]; !srcIP.IsValid() && h != nil {
			srcIP = h.ip
		}
		evs = append(evs, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("%d probes from other source addresses than %s through the same MAC: decoys", tr.decoys, tr.srcIP)})
	} else if owner, own, ok := e.forgedSource(src, tr.srcIP); ok {
		// Every probe under another host's address (nmap -sI, an idle
		// scan through it): the scanner is the MAC, under its own address.
		srcIP = own
		evs = append(evs, forgedProbes(tr.srcIP, dstIP, owner, src))
	}
	evs = fragEvidence(evs, tr.frags)
	tr.said = scanWords{who: describe(src, srcIP), target: dstIP, ports: len(ports), first: first, protos: len(ports) == 0 && tr.nProtos > 0, said: true}
	e.gatherScan(inventory.Event{
		Time: t, Type: inventory.EventPortScan, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: srcIP, TargetMAC: macOf(dst), TargetIP: dstIP,
		Summary:  tr.said.summary(probedWhat(len(ports), tr.nProtos), time.Duration(e.nanos(t)-first)),
		Evidence: append(evs, inventory.Evidence{Source: "traffic", Detail: why}), // the threshold last: a multi-host incident quotes it
	}, e.timeAt(first), tr, src, dst)
}

func (e *Engine) sweepProbe(src mac, srcIP, target netip.Addr, kind string) {
	if e.isSelf(src) || !target.IsValid() || ((kind == "ARP" || kind == "ICMP") && e.dhcp.isServer(src)) {
		return
	}
	t := e.now
	k := macKey(src)
	tr := e.sweepHit.tr
	if tr == nil || e.sweepHit.k != k {
		tr = e.sweeps[k]
		if tr != nil {
			e.sweepHit = sweepHit{k, tr}
		}
	}
	// e.clock is nanos(e.now), t's own: no time to compare or convert.
	at := e.clock
	fresh := tr == nil || at-tr.start > int64(e.cfg.Window)
	if (fresh || tr.router) && e.routedCopy(src, srcIP) {
		return // as portTracker
	}
	if fresh {
		if tr == nil && len(e.sweeps) >= e.cfg.MaxTrackers {
			e.counters.TrackersDropped++
			return
		}
		if tr == nil {
			tr = &sweepTracker{hosts: map[netip.Addr]struct{}{}, kinds: map[string]int{}}
			e.sweeps[k] = tr
			e.sweepHit = sweepHit{k, tr}
		}
		e.endRound(tr) // sweeppoll.go
		tr.rollSweep()
		tr.start, tr.srcIP, tr.router = at, srcIP, e.traceRouter(src)
	}
	if tr.done {
		if n := len(tr.hosts); n < sweepKeepHosts && target != tr.last {
			tr.hosts[target], tr.last = struct{}{}, target // the whole round, for the next to be compared with
			if tr.held != nil && len(tr.hosts) > n {
				e.recheckHeld(tr) // sweeppoll.go
			}
		}
		return
	}
	if len(tr.hosts) > 0 && target == tr.last {
		return // seen: the last one added or found
	}
	tr.last = target
	if _, seen := tr.hosts[target]; seen {
		return
	}
	tr.hosts[target] = struct{}{}
	tr.kinds[kind]++
	if len(tr.hosts) < e.cfg.SweepHosts {
		return
	}
	tr.done = true
	hosts := make([]netip.Addr, 0, len(tr.hosts))
	for h := range tr.hosts {
		hosts = append(hosts, h)
	}
	slices.SortFunc(hosts, netip.Addr.Compare)
	if len(hosts) > 16 {
		hosts = hosts[:16]
	}
	e.raiseSweep(tr, src, inventory.Event{
		Time: t, Type: inventory.EventHostSweep, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: tr.srcIP,
		Summary: sweepSummary(describe(src, tr.srcIP), roundDur(time.Duration(e.nanos(t)-tr.start)), len(tr.hosts), 0), // sweepcount.go
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: "probes: " + sweepKinds(tr.kinds)},
			{Source: "traffic", Detail: "hosts " + join(hosts) + "…"},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d distinct hosts within %s", e.cfg.SweepHosts, e.cfg.Window)},
		},
	})
}

// sweepKinds lists a sweep's probes per kind, a count then its kind
// ("1 ARP, 23 TCP"): "TCP 23" read as port 23 (review 40 zmap_445).
func sweepKinds(m map[string]int) string {
	kinds := make([]string, 0, len(m))
	for k := range m {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for i, k := range kinds {
		kinds[i] = fmt.Sprintf("%d %s", m[k], k)
	}
	return strings.Join(kinds, ", ")
}

// probedWhat says what a port scan probed: ports, or IP protocols (nmap -sO).
func probedWhat(ports, protos int) string {
	if ports == 0 && protos > 0 {
		return fmt.Sprintf("%d IP protocols", protos)
	}
	return fmt.Sprintf("%d ports", ports)
}

func intList(xs []int, limit int) string {
	var b strings.Builder
	for i, x := range xs {
		if i == limit {
			fmt.Fprintf(&b, " … (%d more)", len(xs)-limit)
			break
		}
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprint(&b, x)
	}
	return b.String()
}

// tracedSweepProbe counts a trace's probe (traceProbe: exempt from the
// port count) toward the sweeps all the same when it is no trace tool's
// datagram: an empty one (traceroute, mtr and tracepath send 32 bytes or
// more) is a UDP ping, and one to a well-known UDP service's port a
// request of that service (udpServiceProbe; traceroute -U asks only DNS's
// port, one service). A ladder of TTL 1 then 2 to every host of a routed
// range hid a UDP ping or DNS/NTP/SNMP sweep (review 29a e4, e5).
func (e *Engine) tracedSweepProbe(p *capture.Packet, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr, empty bool) {
	u := &p.UDP
	switch {
	case empty && !udpService(uint16(u.SrcPort)):
		e.sweepProbe(src, srcIP, dstIP, "UDP")
	case !empty && udpService(uint16(u.DstPort)) && u.SrcPort != u.DstPort:
		e.portProbe(p.Time, src, srcIP, dst, dstIP, uint16(u.DstPort), kUDP)
	}
}

// dnsAsksNothing reports whether b, a datagram of n bytes to DNS's port,
// is a DNS request no resolver or application sends for an answer it
// uses: the STATUS opcode (2: RFC 1035 4.1.1 names it, no server
// implements it), or a bare header with every count zero (no question, no
// record: RFC 9619 has a QUERY carry one question; a client asking only
// for a server cookie sends an OPT record, RFC 7873 5.4). It is a probe
// for what answers (nmap -sU's DNS payload, UDP scanners' "is anything
// there"), as an empty datagram is. A header cut short by the capture is
// none.
func dnsAsksNothing(b []byte, n int) bool {
	if len(b) < 12 || b[2]&0x80 != 0 {
		return false // too short to tell, or a response (QR)
	}
	counts := binary.BigEndian.Uint64(b[4:])
	return dnsStatus(b) || n == 12 && counts == 0
}

// dnsStatus reports whether b is a DNS request with the STATUS opcode,
// which no resolver sends (from whatever port: a resolver's own port 53
// or NTP's are no excuse).
func dnsStatus(b []byte) bool {
	return len(b) >= 12 && b[2]&0x80 == 0 && b[2]>>3&0x0f == 2
}
