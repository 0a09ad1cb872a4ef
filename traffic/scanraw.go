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
const (
	sctpInit    = 1
	sctpInitAck = 2
	sctpAbort   = 6
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

// sctpProbe counts an SCTP INIT to a port as a TCP SYN is counted, and an
// INIT ACK as a SYN+ACK: a port the client uses.
func (e *Engine) sctpProbe(p *capture.Packet, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr) {
	b := sctpPayload(p)
	sport, dport := binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:])
	switch b[12] {
	case sctpInit:
		e.portProbe(p.Time, src, srcIP, dst, dstIP, dport, kSCTP)
		e.noteProbe(p.Time, src, srcIP, dstIP, dport)
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

// fragSlot is the start of a TCP header split across IPv4 fragments
// (RFC 1858 "tiny fragments"): the ports, from the first fragment.
type fragSlot struct {
	at           time.Time
	src, dst     netip.Addr
	id           uint16
	sport, dport uint16
}

// fragTable holds the slots and the TCP header rebuilt from fragments,
// reused for every probe so ordinary traffic allocates nothing.
type fragTable struct {
	slots [fragSlots]fragSlot
	tcp   layers.TCP
}

func fragIndex(src netip.Addr, id uint16) int {
	a := src.As4()
	return int(id^uint16(a[2])<<8^uint16(a[3])) % fragSlots
}

// tcpFlagsAt is the offset of the flags byte in a TCP header (RFC 9293 3.1).
const tcpFlagsAt = 13

// fragment reads the TCP header of a fragmented IPv4 segment across its
// first two fragments, enough to count it as a probe as though it came
// whole: the first fragment holds the ports, the one covering byte 13 the
// flags. nmap -f splits every probe into 8-byte fragments, so neither
// fragment decodes as TCP. Other protocols' first fragments count toward
// an IP protocol scan as whole packets do.
func (e *Engine) fragment(p *capture.Packet, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr) {
	ip := &p.IPv4
	b, off := ip.Payload, int(ip.FragOffset)*8
	if ip.Protocol != layers.IPProtocolTCP {
		if off == 0 {
			e.protoProbe(p.Time, src, srcIP, dst, dstIP, uint8(ip.Protocol))
		}
		return
	}
	if e.frags == nil {
		e.frags = &fragTable{}
	}
	var sport, dport uint16
	var flags byte
	switch {
	case off == 0 && len(b) > tcpFlagsAt:
		sport, dport, flags = binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:]), b[tcpFlagsAt]
	case off == 0 && len(b) >= 4:
		s := &e.frags.slots[fragIndex(srcIP, ip.Id)]
		*s = fragSlot{at: p.Time, src: srcIP, dst: dstIP, id: ip.Id, sport: binary.BigEndian.Uint16(b), dport: binary.BigEndian.Uint16(b[2:])}
		return
	case off > 0 && off <= tcpFlagsAt && off+len(b) > tcpFlagsAt:
		s := &e.frags.slots[fragIndex(srcIP, ip.Id)]
		if s.id != ip.Id || s.src != srcIP || s.dst != dstIP || since(p.Time, s.at) > time.Minute {
			return
		}
		sport, dport, flags = s.sport, s.dport, b[tcpFlagsAt-off]
		*s = fragSlot{}
	default:
		return
	}
	e.fragTCP(p.Time, flags, sport, dport, src, srcIP, dst, dstIP)
}

// fragTCP classifies a TCP header rebuilt from fragments. A fragment
// carries no payload worth reading here: it counts as an empty segment.
func (e *Engine) fragTCP(at time.Time, flags byte, sport, dport uint16, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr) {
	t := &e.frags.tcp
	*t = layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport),
		FIN: flags&0x01 != 0, SYN: flags&0x02 != 0, RST: flags&0x04 != 0, PSH: flags&0x08 != 0,
		ACK: flags&0x10 != 0, URG: flags&0x20 != 0}
	e.tcpProbe(at, t, src, srcIP, dst, dstIP)
}
