package traffic

import (
	"encoding/binary"
	"net/netip"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
)

// SCTP chunk types (RFC 9260 section 3.2) a port scan is made of: nmap -sY
// sends INIT; an open port answers INIT ACK, a closed one ABORT (section 8.4).
// nmap -sZ sends COOKIE ECHO, which a client sends only after the port's
// INIT ACK (section 5.1): an open port drops one it never offered a cookie
// for, a closed one answers ABORT (section 8.4 item 8).
const (
	sctpInit       = 1
	sctpInitAck    = 2
	sctpAbort      = 6
	sctpCookieEcho = 10
)

// sctpPayload is the SCTP packet an unfragmented IPv4 or IPv6 packet
// carries (common header and first chunk's type at least), or nil. The
// decoder leaves SCTP undecoded: its header is read here, on the rare
// packets that carry it.
func sctpPayload(p *capture.Packet) []byte {
	var b []byte
	switch {
	case p.Has&capture.HasIPv4 != 0:
		if p.IPv4.Protocol != layers.IPProtocolSCTP || p.IPv4.FragOffset != 0 || p.IPv4.Flags&layers.IPv4MoreFragments != 0 {
			return nil
		}
		b = p.IPv4.Payload
	case p.Has&capture.HasIPv6 != 0:
		if p.IPv6.NextHeader != layers.IPProtocolSCTP {
			return nil
		}
		b = p.IPv6.Payload
	}
	if len(b) < 13 { // 12-byte common header, then the first chunk's type
		return nil
	}
	return b
}

// sctpProbe counts an SCTP INIT or COOKIE ECHO to a port as a TCP SYN is
// counted, and an INIT ACK as a SYN+ACK: a port the client uses. The COOKIE
// ECHO of an association's own handshake goes to a port whose INIT ACK was
// seen, which the threshold leaves out as it does ports that accepted.
func (e *Engine) sctpProbe(p *capture.Packet, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr) {
	b := sctpPayload(p)
	e.sctpChunk(p.Time, b[12], binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:]), src, srcIP, dst, dstIP)
}

func (e *Engine) sctpChunk(at time.Time, chunk byte, sport, dport uint16, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr) {
	switch chunk {
	case sctpInit, sctpCookieEcho:
		kind := kSCTP
		if chunk == sctpCookieEcho {
			kind = kSCTPCookie
		}
		e.portProbe(at, src, srcIP, dst, dstIP, dport, kind)
		e.noteProbe(at, src, srcIP, dstIP, dport)
		if local(dstIP) {
			e.sweepProbe(src, srcIP, dstIP, "SCTP")
		}
	case sctpInitAck:
		e.accepted(dst, srcIP, sport)
	}
}

// fragSlots is how many first fragments of TCP segments too short to hold
// the flags wait for the fragment that does: nmap -f sends a probe's
// fragments back to back, so a few dozen slots hold every scan in flight.
const fragSlots = 64

// fragSlot is the start of a TCP or SCTP header split across IP fragments
// (RFC 1858 "tiny fragments"): the ports, from the first fragment.
type fragSlot struct {
	_            [0]func() // not comparable: no equality function linked
	at           time.Time
	src, dst     netip.Addr
	id           uint32
	proto        uint8
	sport, dport uint16
}

// fragTable holds the slots and the TCP header rebuilt from fragments,
// reused for every probe so ordinary traffic allocates nothing.
type fragTable struct {
	slots [fragSlots]fragSlot
	tcp   layers.TCP
}

func fragIndex(src netip.Addr, id uint32) int {
	a := src.As16() // an IPv4 address's 4 bytes are the last
	return int((id^uint32(a[14])<<8^uint32(a[15]))&0xffff) % fragSlots
}

// The byte of a transport header that says what a probe is: TCP's flags
// (RFC 9293 3.1) and the first chunk's type after SCTP's 12-byte common
// header (RFC 9260 3).
const (
	tcpFlagsAt  = 13
	sctpChunkAt = 12
)

// fragment reads the TCP or SCTP header of a fragmented IPv4 packet across
// its first two fragments, enough to count it as a probe as though it came
// whole: the first fragment holds the ports, the one covering byte 13 the
// flags (12, the chunk type). nmap -f splits every probe into 8-byte
// fragments, so neither fragment decodes as TCP. Other protocols' first
// fragments count toward an IP protocol scan as whole packets do.
func (e *Engine) fragment(p *capture.Packet, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr) {
	ip := &p.IPv4
	off := int(ip.FragOffset) * 8
	if ip.Protocol != layers.IPProtocolTCP && ip.Protocol != layers.IPProtocolSCTP {
		if off == 0 {
			e.protoProbe(p.Time, src, srcIP, dst, dstIP, uint8(ip.Protocol))
		}
		return
	}
	e.fragPiece(p.Time, uint8(ip.Protocol), uint32(ip.Id), off, ip.Payload, src, srcIP, dst, dstIP)
}

// fragment6 does the same for IPv6 (RFC 8200 4.5: a fragment header of
// next header, reserved, offset in 8-byte units with the more-fragments
// bit, identification), which the decoder leaves undecoded.
func (e *Engine) fragment6(p *capture.Packet, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr) {
	b := p.IPv6.Payload
	if len(b) < 8 || b[0] != uint8(layers.IPProtocolTCP) && b[0] != uint8(layers.IPProtocolSCTP) {
		return
	}
	e.fragPiece(p.Time, b[0], binary.BigEndian.Uint32(b[4:]), int(binary.BigEndian.Uint16(b[2:])&^7), b[8:], src, srcIP, dst, dstIP)
}

// fragPiece reads one fragment at byte off of a TCP or SCTP packet.
func (e *Engine) fragPiece(at time.Time, proto uint8, id uint32, off int, b []byte, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr) {
	if e.frags == nil {
		e.frags = &fragTable{}
	}
	keyAt := tcpFlagsAt
	if proto == uint8(layers.IPProtocolSCTP) {
		keyAt = sctpChunkAt
	}
	var sport, dport uint16
	var key byte
	switch {
	case off == 0 && len(b) > keyAt:
		sport, dport, key = binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:]), b[keyAt]
	case off == 0 && len(b) >= 4:
		s := &e.frags.slots[fragIndex(srcIP, id)]
		*s = fragSlot{at: at, src: srcIP, dst: dstIP, id: id, proto: proto, sport: binary.BigEndian.Uint16(b), dport: binary.BigEndian.Uint16(b[2:])}
		return
	case off > 0 && off <= keyAt && off+len(b) > keyAt:
		s := &e.frags.slots[fragIndex(srcIP, id)]
		if s.id != id || s.proto != proto || s.src != srcIP || s.dst != dstIP || since(at, s.at) > time.Minute {
			return
		}
		sport, dport, key = s.sport, s.dport, b[keyAt-off]
		*s = fragSlot{}
	default:
		return
	}
	if proto == uint8(layers.IPProtocolSCTP) {
		e.sctpChunk(at, key, sport, dport, src, srcIP, dst, dstIP)
		return
	}
	e.fragTCP(at, key, sport, dport, src, srcIP, dst, dstIP)
}

// fragTCP classifies a TCP header rebuilt from fragments. A fragment
// carries no payload worth reading here: it counts as an empty segment.
func (e *Engine) fragTCP(at time.Time, flags byte, sport, dport uint16, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr) {
	t := &e.frags.tcp
	*t = layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport),
		FIN: flags&0x01 != 0, SYN: flags&0x02 != 0, RST: flags&0x04 != 0, PSH: flags&0x08 != 0,
		ACK: flags&0x10 != 0, URG: flags&0x20 != 0}
	e.tcpProbe(at, t, src, srcIP, dst, dstIP)
	if tr := e.ports[newPortKey(src, dstIP)]; tr != nil {
		tr.frags++ // spoofed.go: fragEvidence
	}
}
