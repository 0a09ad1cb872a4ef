package capture

import (
	"encoding/binary"

	"github.com/google/gopacket/layers"
)

// The fast path: a hand-written decoder for the frames a LAN carries
// (Ethernet, 802.1Q/QinQ tags, ARP, IPv4 without options, IPv6 without a
// hop-by-hop header, TCP, UDP, ICMPv4, ICMPv6) that fills the Packet's
// gopacket layer structs exactly as gopacket's DecodeFromBytes would, field
// for field and slice for slice (the same bytes of the frame, the same
// capacities), and stops where gopacket's DecodingLayerParser would stop.
// It costs a third of gopacket's time: no interface calls per layer, no
// deferred recover, no layer-type lookups. Anything else (a frame gopacket
// would report an error for, IPv4 options, a hop-by-hop header, a tunnel,
// an odd ARP) makes it return false, and Decode runs gopacket on the whole
// frame, which rewrites every field the fast path wrote. TestFastDecodeSame
// and FuzzFastDecodeSame hold the two to the same Packet.
//
// What it does not fill: the layers' unexported fields (TCP's and UDP's
// port bytes behind TransportFlow, which no consumer calls), and TCP's
// Options and Padding, which no detector or identity decoder reads: the
// options are checked as gopacket checks them (a malformed one still goes
// to gopacket) but not appended, and both are left empty (nil before
// gopacket's first TCP frame). Appending them was ~30 instructions of a
// segment with options (perf43).

func be16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }

// fast decodes data into d.p, or returns false for gopacket to decode it.
func (d *Decoder) fast(data []byte) bool {
	if len(data) < 14 {
		return false
	}
	eth := &d.p.Eth
	eth.DstMAC, eth.SrcMAC = data[0:6], data[6:12]
	eth.EthernetType = layers.EthernetType(be16(data[12:14]))
	// Field by field, as the other layers: a BaseLayer literal was built
	// on the stack 8 bytes at a time and copied 16 at a time, each load
	// spanning two stores just made (a store-forwarding stall on every
	// frame, two fifths of fast's time: perf annotate).
	eth.Contents, eth.Payload = data[:14], data[14:]
	eth.Length = 0
	if eth.EthernetType < 0x0600 {
		// IEEE 802.3 length field: the payload ends there (LLC follows,
		// which the parser does not decode).
		eth.Length = uint16(eth.EthernetType)
		eth.EthernetType = layers.EthernetTypeLLC
		if extra := len(eth.Payload) - int(eth.Length); extra > 0 {
			eth.Payload = eth.Payload[:len(eth.Payload)-extra]
		}
	}
	d.p.Has = HasEthernet
	return d.ether(eth.EthernetType, eth.Payload)
}

// ether decodes what an EtherType t says b holds, through any VLAN tags.
func (d *Decoder) ether(t layers.EthernetType, b []byte) bool {
	p := &d.p
	for len(b) > 0 {
		switch t {
		case layers.EthernetTypeDot1Q, layers.EthernetTypeQinQ:
			if len(b) < 4 {
				return false
			}
			q := &p.Dot1Q
			q.Priority = (b[0] & 0xe0) >> 5
			q.DropEligible = b[0]&0x10 != 0
			q.VLANIdentifier = be16(b[:2]) & 0x0fff
			q.Type = layers.EthernetType(be16(b[2:4]))
			// Field by field, not a BaseLayer literal (see fast).
			q.Contents, q.Payload = b[:4], b[4:]
			p.VLAN = q.VLANIdentifier // the last tag's, as Decode's gopacket path gives
			p.Has |= HasVLAN
			t, b = q.Type, q.Payload
		case layers.EthernetTypeARP:
			return d.arp(b)
		case layers.EthernetTypeIPv4:
			return d.ipv4(b)
		case layers.EthernetTypeIPv6:
			return d.ipv6(b)
		case layers.EthernetTypeTransparentEthernetBridging:
			return false // Ethernet in Ethernet: gopacket decodes p.Eth again
		default:
			return true // a type the parser has no decoder for: it stops
		}
	}
	return true
}

// arp decodes an Ethernet/IPv4 ARP message; other address sizes go to
// gopacket (its length arithmetic is in uint8).
func (d *Decoder) arp(b []byte) bool {
	if len(b) < 28 || b[4] != 6 || b[5] != 4 {
		return false
	}
	a := &d.p.ARP
	a.AddrType = layers.LinkType(be16(b[0:2]))
	a.Protocol = layers.EthernetType(be16(b[2:4]))
	a.HwAddressSize, a.ProtAddressSize = 6, 4
	a.Operation = be16(b[6:8])
	a.SourceHwAddress, a.SourceProtAddress = b[8:14], b[14:18]
	a.DstHwAddress, a.DstProtAddress = b[18:24], b[24:28]
	a.Contents, a.Payload = b[:28], b[28:]
	d.p.Has |= HasARP
	return true
}

// ipv4 decodes an IPv4 header without options (RFC 791).
func (d *Decoder) ipv4(b []byte) bool {
	if len(b) < 20 || b[0]&0x0f != 5 {
		return false
	}
	length := be16(b[2:4])
	if length == 0 {
		length = uint16(len(b)) // TSO: gopacket takes the frame's length
	}
	if length < 20 {
		return false
	}
	if len(b) > int(length) {
		b = b[:length]
	}
	ip := &d.p.IPv4
	ip.Version, ip.IHL, ip.TOS = b[0]>>4, 5, b[1]
	ip.Length, ip.Id = length, be16(b[4:6])
	ff := be16(b[6:8])
	ip.Flags, ip.FragOffset = layers.IPv4Flag(ff>>13), ff&0x1fff
	ip.TTL, ip.Protocol, ip.Checksum = b[8], layers.IPProtocol(b[9]), be16(b[10:12])
	ip.SrcIP, ip.DstIP = b[12:16], b[16:20]
	ip.Options, ip.Padding = ip.Options[:0], nil
	ip.Contents, ip.Payload = b[:20], b[20:]
	d.p.Has |= HasIPv4
	if ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
		return true // a fragment: the parser stops
	}
	return d.transport(ip.Protocol, ip.Payload)
}

// ipv6 decodes an IPv6 header (RFC 8200) whose next header is not
// hop-by-hop (gopacket folds that one into its IPv6 layer).
func (d *Decoder) ipv6(b []byte) bool {
	if len(b) < 40 || b[6] == 0 || be16(b[4:6]) == 0 {
		return false
	}
	ip := &d.p.IPv6
	ip.Version = b[0] >> 4
	ip.TrafficClass = uint8(be16(b[0:2]) >> 4)
	ip.FlowLabel = binary.BigEndian.Uint32(b[0:4]) & 0x000fffff
	ip.Length, ip.NextHeader, ip.HopLimit = be16(b[4:6]), layers.IPProtocol(b[6]), b[7]
	ip.SrcIP, ip.DstIP = b[8:24], b[24:40]
	ip.HopByHop = nil
	ip.Contents, ip.Payload = b[:40], b[40:min(40+int(ip.Length), len(b))]
	d.p.Has |= HasIPv6
	return d.transport(ip.NextHeader, ip.Payload)
}

// transport decodes the layer an IP protocol number names.
func (d *Decoder) transport(proto layers.IPProtocol, b []byte) bool {
	if len(b) == 0 {
		return true
	}
	switch proto {
	case layers.IPProtocolTCP:
		return d.tcp(b)
	case layers.IPProtocolUDP:
		return d.udp(b)
	case layers.IPProtocolICMPv4:
		if len(b) < 8 {
			return false
		}
		c := &d.p.ICMPv4
		c.TypeCode, c.Checksum = layers.CreateICMPv4TypeCode(b[0], b[1]), be16(b[2:4])
		c.Id, c.Seq = be16(b[4:6]), be16(b[6:8])
		c.Contents, c.Payload = b[:8], b[8:]
		d.p.Has |= HasICMPv4
	case layers.IPProtocolICMPv6:
		if len(b) < 4 {
			return false
		}
		c := &d.p.ICMPv6
		c.TypeCode, c.Checksum = layers.CreateICMPv6TypeCode(b[0], b[1]), be16(b[2:4])
		c.Contents, c.Payload = b[:4], b[4:]
		d.p.Has |= HasICMPv6
	case layers.IPProtocolIPv4, layers.IPProtocolIPIP, layers.IPProtocolIPv6, layers.IPProtocolIPv6HopByHop:
		return false // tunnels decode into the same structs again: gopacket's
	}
	return true
}

// udp decodes a UDP header (RFC 768); a length of 0 is a jumbogram's
// (RFC 2675) and leaves the payload to the end of the packet.
func (d *Decoder) udp(b []byte) bool {
	if len(b) < 8 {
		return false
	}
	n := be16(b[4:6])
	if n != 0 && n < 8 {
		return false
	}
	u := &d.p.UDP
	u.SrcPort, u.DstPort = layers.UDPPort(be16(b[0:2])), layers.UDPPort(be16(b[2:4]))
	u.Length, u.Checksum = n, be16(b[6:8])
	u.Contents, u.Payload = b[:8], b[8:]
	if n != 0 {
		u.Payload = b[8:min(int(n), len(b))]
	}
	d.p.Has |= HasUDP
	return true
}

// tcp decodes a TCP header (RFC 9293 3.1) and checks its options.
func (d *Decoder) tcp(b []byte) bool {
	t := &d.p.TCP
	if len(b) < 20 || b[12]>>4 < 5 || int(b[12]>>4)*4 > len(b) {
		return false
	}
	start := int(b[12]>>4) * 4
	if start > 20 && !tcpOptionsOK(b[20:start]) {
		return false
	}
	t.SrcPort, t.DstPort = layers.TCPPort(be16(b[0:2])), layers.TCPPort(be16(b[2:4]))
	t.Seq, t.Ack = binary.BigEndian.Uint32(b[4:8]), binary.BigEndian.Uint32(b[8:12])
	t.DataOffset = b[12] >> 4
	f := b[13]
	t.FIN, t.SYN, t.RST, t.PSH = f&0x01 != 0, f&0x02 != 0, f&0x04 != 0, f&0x08 != 0
	t.ACK, t.URG, t.ECE, t.CWR = f&0x10 != 0, f&0x20 != 0, f&0x40 != 0, f&0x80 != 0
	t.NS = b[12]&0x01 != 0
	t.Window, t.Checksum, t.Urgent = be16(b[14:16]), be16(b[16:18]), be16(b[18:20])
	t.Options, t.Padding = t.Options[:0], t.Padding[:0]
	t.Contents, t.Payload = b[:start], b[start:]
	d.p.Has |= HasTCP
	return true
}

// tcpOptionsOK reports whether gopacket would decode the options in b
// without an error: an end-of-list ends them, a no-op is one byte, any
// other kind's length must be at least 2 and fit.
func tcpOptionsOK(b []byte) bool {
	for len(b) > 0 {
		switch b[0] {
		case byte(layers.TCPOptionKindEndList):
			return true
		case byte(layers.TCPOptionKindNop):
			b = b[1:]
		default:
			if len(b) < 2 || b[1] < 2 || int(b[1]) > len(b) {
				return false
			}
			b = b[b[1]:]
		}
	}
	return true
}
