package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// Malformed IP (review 33b): packets whose IP layer no office stack builds,
// raised by their shape alone at any rate as malformed_ip, one incident per
// sender and target gathered malformedGather after its latest packet.
//
//   - Overlapping fragments (teardrop and its kin, fragroute's IDS evasion;
//     RFC 5722 forbids them in IPv6): a fragment of a datagram whose bytes
//     overlap another fragment of it from the same MAC. High. A fragment
//     repeated exactly (a mirror port that copies a frame twice) is no
//     overlap, nor are a router's refragmented copies (another MAC).
//   - Oversize reassembly (ping of death): a fragment whose offset and
//     length end past 65,535 bytes (RFC 791's total length; RFC 8200 4.5
//     for IPv6). High.
//   - IPv4 loose or strict source route options (RFC 791 3.1, types 131 and
//     137; RFC 7126 4.3 and 4.4 advise dropping them): a sender choosing
//     the path to slip past filters. Medium. Record route and timestamp
//     (types 7 and 68, ping -R, nmap --ip-options): Low. Router alert (148,
//     every IGMP report) and the others are not read.
//   - IPv6 type 0 routing headers (RFC 5095 deprecated them: remote
//     amplification between two routers). Medium.
//
// Ordinary traffic costs Engine.packet a few comparisons (oddIP); state is
// kept only for fragments, in a fixed table of malformedSlots datagrams
// made at the first.

const (
	malformedGather = 5 * time.Second // an incident waits this long after its latest packet
	malformedHold   = time.Minute     // and no longer after its first
	malformedSlots  = 64              // fragmented datagrams followed at once
	malformedRecent = 8               // fragments kept per datagram
	// malformedReassembly is how long a datagram's fragments are held
	// together: Linux's reassembly timeout (ipfrag_time).
	malformedReassembly = 30 * time.Second
	malformedHeld       = 64 // incidents gathering at once
)

// The anomalies, in the order an incident's evidence lists them.
const (
	mOverlap = iota
	mOversize
	mSourceRoute
	mRecordRoute
	mRH0
	mKinds
)

var malformedSeverity = [mKinds]inventory.Severity{inventory.SeverityHigh, inventory.SeverityHigh,
	inventory.SeverityMedium, inventory.SeverityLow, inventory.SeverityMedium}

var malformedWhat = [mKinds]string{
	"overlapping fragments (teardrop: fragments whose byte ranges overlap, which no stack sends and RFC 5722 forbids; old stacks crash reassembling them, and IDS evasion tools use them to hide a payload)",
	"fragments reassembling past 65,535 bytes (ping of death: no IP datagram is that long, RFC 791; stacks that reassemble it overflow)",
	"IPv4 source route options (LSRR/SSRR, RFC 791: the sender picks the path, to slip past filters or spoof a trusted address; RFC 7126 advises dropping them)",
	"IPv4 record route or timestamp options (ping -R, nmap --ip-options: mapping the path; no office application sends them)",
	"IPv6 type 0 routing headers (deprecated by RFC 5095: they bounce traffic between routers to amplify it)",
}

// oddIP reports whether p's IP layer is one malformedIP reads: an IPv4
// fragment or a packet with options, an IPv6 fragment or routing header.
func oddIP(p *capture.Packet) bool {
	if p.Has&capture.HasIPv4 != 0 {
		return p.IPv4.IHL > 5 || p.IPv4.FragOffset != 0 || p.IPv4.Flags&layers.IPv4MoreFragments != 0
	}
	return p.Has&capture.HasIPv6 != 0 && (p.IPv6.NextHeader == layers.IPProtocolIPv6Fragment || p.IPv6.NextHeader == layers.IPProtocolIPv6Routing)
}

// fragSpan is a byte range [lo, hi) of a datagram.
type fragSpan struct{ lo, hi uint32 }

// fragDatagram is one fragmented datagram followed in malformedTable.
type fragDatagram struct {
	_            [0]func() // not comparable: no equality function linked
	src          mac
	srcIP, dstIP netip.Addr
	id           uint32
	proto        uint8
	at           int64
	recent       [malformedRecent]fragSpan // its latest fragments, a ring
	n            int                       // fragments put in recent
}

// malformedIncident is one sender's malformed_ip against one target,
// gathering.
type malformedIncident struct {
	_            [0]func() // not comparable: no equality function linked
	key          quietKey
	src          mac
	srcIP, dstIP netip.Addr
	time         time.Time // the first packet's
	first, due   int64
	n            [mKinds]int
	ex           malformedFirst // the first packet's anomaly
}

// malformedFirst is what an incident keeps of its first packet's anomaly,
// described only when it is reported.
type malformedFirst struct {
	_             [0]func() // not comparable: no equality function linked
	kind          int
	proto, opt    uint8
	id, lo, hi, n uint32
	olo, ohi      uint32     // the bytes overlapped
	hop           netip.Addr // a source route's first hop
}

// String describes f.
func (f malformedFirst) String() string {
	switch f.kind {
	case mOverlap:
		return fmt.Sprintf("a fragment of %s (id %d) at bytes %d-%d overlapping bytes %d-%d of the same datagram", protoName(f.proto), f.id, f.lo, f.hi, f.olo, f.ohi)
	case mOversize:
		return fmt.Sprintf("a fragment of %s (id %d) at byte %d ending at byte %d, past 65,535", protoName(f.proto), f.id, f.lo, f.hi)
	case mSourceRoute:
		name := "loose"
		if f.opt == 137 {
			name = "strict"
		}
		return fmt.Sprintf("a %s source route option of %d hops, the first %v", name, f.n, f.hop)
	case mRecordRoute:
		if f.opt == 68 {
			return "a timestamp option"
		}
		return "a record route option"
	}
	return fmt.Sprintf("a type 0 routing header of %d addresses", f.n)
}

// malformedTable is the Engine's state for this file, made at the first
// packet oddIP passes.
type malformedTable struct {
	dgrams [malformedSlots]fragDatagram
	held   []*malformedIncident
}

// malformedIP reads p, which oddIP passed, from the MAC src.
func (e *Engine) malformedIP(p *capture.Packet, src mac) {
	if src == (mac{}) || !unicast(src) || e.isSelf(src) {
		return
	}
	srcIP := p.SrcIP()
	if e.routedCopy(src, srcIP) {
		return // a router's copy of a LAN host's packet: the host is read from its own frames
	}
	if p.Has&capture.HasIPv4 != 0 {
		ip := &p.IPv4
		if ip.IHL > 5 && len(ip.Contents) >= int(ip.IHL)*4 && !(p.Has&capture.HasICMPv4 != 0 && p.ICMPv4.TypeCode.Type() == layers.ICMPv4TypeEchoReply) {
			// An echo reply carries the request's options back (RFC 1122
			// 3.2.2.6): the request raised its sender.
			e.ipv4Options(p, src, ip.Contents[20:int(ip.IHL)*4])
		}
		if ip.FragOffset != 0 || ip.Flags&layers.IPv4MoreFragments != 0 {
			hdr := uint32(ip.IHL) * 4
			n := uint32(len(ip.Payload))
			if uint32(ip.Length) >= hdr {
				n = uint32(ip.Length) - hdr // the header says, not the bytes captured
			}
			off := uint32(ip.FragOffset) * 8
			e.fragSeen(p, src, uint32(ip.Id), uint8(ip.Protocol), off, off+n, off+n+hdr > 65535)
		}
		return
	}
	b := p.IPv6.Payload
	switch {
	case p.IPv6.NextHeader == layers.IPProtocolIPv6Routing && len(b) >= 4 && b[2] == 0:
		e.malformed(p, src, malformedFirst{kind: mRH0, n: uint32(b[1] / 2)})
	case p.IPv6.NextHeader == layers.IPProtocolIPv6Fragment && len(b) >= 8 && p.IPv6.Length >= 8:
		off := uint32(binary.BigEndian.Uint16(b[2:]) &^ 7)
		end := off + uint32(p.IPv6.Length) - 8
		e.fragSeen(p, src, binary.BigEndian.Uint32(b[4:]), b[0], off, end, end > 65535)
	}
}

// ipv4Options raises the source route, record route and timestamp options
// among opts (RFC 791 3.1: type, length, data; 0 ends the list, 1 pads).
func (e *Engine) ipv4Options(p *capture.Packet, src mac, opts []byte) {
	for len(opts) > 0 {
		t := opts[0]
		if t == 0 {
			return
		}
		if t == 1 {
			opts = opts[1:]
			continue
		}
		if len(opts) < 2 || opts[1] < 2 || int(opts[1]) > len(opts) {
			return
		}
		switch t {
		case 131, 137:
			f := malformedFirst{kind: mSourceRoute, opt: t}
			if opts[1] >= 7 {
				f.hop = netip.AddrFrom4([4]byte(opts[3:7]))
				f.n = uint32(opts[1]-3) / 4
			}
			e.malformed(p, src, f)
		case 7, 68:
			e.malformed(p, src, malformedFirst{kind: mRecordRoute, opt: t})
		}
		opts = opts[opts[1]:]
	}
}

// fragSeen follows the fragment [lo, hi) of datagram id (protocol proto)
// of p from src, raising a datagram past 65,535 bytes (oversize) or an
// overlap with one of its malformedRecent latest fragments that starts
// elsewhere: a fragment starting where an earlier one did is a mirror's
// copy, or a later datagram under a reused id (16 bits wrap in seconds
// under NFS's 8 KB datagrams, and a capture that dropped a fragment leaves
// the earlier one unfinished), cut at the same boundaries by its sender.
func (e *Engine) fragSeen(p *capture.Packet, src mac, id uint32, proto uint8, lo, hi uint32, oversize bool) {
	srcIP, dstIP := p.SrcIP(), p.DstIP()
	if oversize {
		e.malformed(p, src, malformedFirst{kind: mOversize, proto: proto, id: id, lo: lo, hi: hi})
	}
	if hi <= lo {
		return
	}
	if e.malformedT == nil {
		e.malformedT = &malformedTable{}
	}
	d := &e.malformedT.dgrams[(uint64(id)*0x9e3779b97f4a7c15^ipHash(srcIP))&(malformedSlots-1)]
	now := e.pktNS
	if d.id != id || d.proto != proto || d.src != src || d.srcIP != srcIP || d.dstIP != dstIP || now-d.at > int64(malformedReassembly) {
		*d = fragDatagram{src: src, srcIP: srcIP, dstIP: dstIP, id: id, proto: proto}
	}
	d.at = now
	for _, r := range d.recent[:min(d.n, malformedRecent)] {
		if lo < r.hi && r.lo < hi && lo != r.lo {
			e.malformed(p, src, malformedFirst{kind: mOverlap, proto: proto, id: id, lo: lo, hi: hi, olo: max(lo, r.lo), ohi: min(hi, r.hi)})
			return
		}
	}
	d.recent[d.n%malformedRecent] = fragSpan{lo, hi}
	d.n++
}

// protoName names an IP protocol for evidence.
func protoName(proto uint8) string {
	switch layers.IPProtocol(proto) {
	case layers.IPProtocolICMPv4:
		return "an ICMP datagram"
	case layers.IPProtocolICMPv6:
		return "an ICMPv6 datagram"
	case layers.IPProtocolTCP:
		return "a TCP segment"
	case layers.IPProtocolUDP:
		return "a UDP datagram"
	}
	return fmt.Sprintf("an IP protocol %d datagram", proto)
}

// malformed counts one anomaly of kind in p from src into its sender's
// and target's incident, opening one when none is gathering.
func (e *Engine) malformed(p *capture.Packet, src mac, f malformedFirst) {
	kind := f.kind
	if e.malformedT == nil {
		e.malformedT = &malformedTable{}
	}
	dstIP := p.DstIP()
	now := e.clock
	for _, inc := range e.malformedT.held {
		if inc.src == src && inc.dstIP == dstIP {
			inc.n[kind]++
			inc.due = min(now+int64(malformedGather), inc.first+int64(malformedHold))
			return
		}
	}
	k := quietKey{inventory.EventMalformedIP, src, mac{}, dstIP.String()}
	if len(e.malformedT.held) >= malformedHeld || e.quieted(k, p.Time) || !e.reserve(k, p.Time) {
		return
	}
	inc := &malformedIncident{key: k, src: src, srcIP: p.SrcIP(), dstIP: dstIP, time: p.Time, first: now, due: now + int64(malformedGather), ex: f}
	inc.n[kind]++
	hold(e, &e.malformedT.held, inc) // arphold.go
}

// flushMalformed reports the incidents due at at (all: every one) and
// returns when the next is due (0: none).
func (e *Engine) flushMalformed(at int64, all bool) int64 {
	if e.malformedT == nil || len(e.malformedT.held) == 0 {
		return 0 // most calls (flushScans): no call
	}
	return flushHeld(e, &e.malformedT.held, at, all) // arphold.go
}

func (inc *malformedIncident) dueAt() int64 { return inc.due }

// event is inc's event: the worst kind's severity, the counts of each
// kind, the first packet. The culprit is the sending MAC; its IP the
// source when the MAC owns it or is a router forwarding it from off the
// LAN, else the MAC's own address (the source then forged).
func (inc *malformedIncident) event(e *Engine) inventory.Event {
	sev := inventory.SeverityInfo
	var parts []string
	ev := inventory.Event{Time: inc.time, Type: inventory.EventMalformedIP, MAC: macOf(inc.src), TargetIP: inc.dstIP}
	for k, n := range inc.n {
		if n == 0 {
			continue
		}
		if malformedSeverity[k].Rank() > sev.Rank() {
			sev = malformedSeverity[k]
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, strings.SplitN(malformedWhat[k], " (", 2)[0]))
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("%d packets with %s", n, malformedWhat[k])})
	}
	ev.Severity = sev
	ip, via := inc.srcIP, ""
	b, h := e.arpBinding(inc.srcIP), e.hosts[macKey(inc.src)]
	switch {
	case b != nil && b.mac == inc.src, h != nil && (h.ip == inc.srcIP || slicesContains(h.claims[:], inc.srcIP)):
	case b == nil && (inc.srcIP.Is6() || h == nil || !h.ip.IsValid()):
		// no binding says whose it is (an IPv6 source seldom has one)
	case !local(inc.srcIP) && e.traceRouter(inc.src):
		ip, via = netip.Addr{}, fmt.Sprintf(" from %s through the router", inc.srcIP)
	default:
		if own := e.ownAddress(inc.src, inc.srcIP); own != inc.srcIP {
			ip = own
			via = fmt.Sprintf(" under the source address %s", inc.srcIP)
			if !own.IsValid() {
				via = fmt.Sprintf(" under the source address %s, which ARP does not bind to it", inc.srcIP)
			}
		}
	}
	ev.IP = ip
	if via != "" && !ip.IsValid() {
		ev.IP = inc.srcIP // the router's MAC, the remote sender's address
	}
	ev.Summary = fmt.Sprintf("%s sent %s to %s%s", describe(inc.src, ip), strings.Join(parts, ", "), inc.dstIP, via)
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("first: %v, %s to %s at %s", inc.ex, inc.srcIP, inc.dstIP, inc.time.UTC().Format(time.RFC3339Nano))})
	return ev
}
