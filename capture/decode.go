package capture

import (
	"net/netip"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// Has is a set of the layers a Packet decoded.
type Has uint16

// Layers a Packet may hold.
const (
	HasEthernet Has = 1 << iota
	HasVLAN
	HasARP
	HasIPv4
	HasIPv6
	HasTCP
	HasUDP
	HasICMPv4
	HasICMPv6
)

// Packet is one decoded frame. A Decoder reuses it for every frame, so
// nothing in it may be kept after the callback returns.
// Its Frame is the frame's (Time, Data, Length on the wire, UnixNano), into
// which a file's reader reads each record (File.run): copied from a Frame
// of its own, the four fields were 2.6 % of a replay's capture work.
type Packet struct {
	Frame
	Has  Has
	VLAN uint16 // the innermost (last decoded) 802.1Q VLAN ID, when HasVLAN
	Err  error  // why decoding stopped early, if it did

	Eth    layers.Ethernet
	Dot1Q  layers.Dot1Q
	ARP    layers.ARP
	IPv4   layers.IPv4
	IPv6   layers.IPv6
	TCP    layers.TCP
	UDP    layers.UDP
	ICMPv4 layers.ICMPv4
	ICMPv6 layers.ICMPv6

	src, dst netip.Addr // SrcIP and DstIP, made once per frame by Decode
}

// SrcIP and DstIP are the IP addresses (IPv4's when a frame has both), or
// the zero Addr without IP. The detectors ask for them a dozen times per
// frame; Decode makes them once.
func (p *Packet) SrcIP() netip.Addr { return p.src }

// DstIP: see SrcIP.
func (p *Packet) DstIP() netip.Addr { return p.dst }

// Payload is the transport payload (TCP or UDP), or nil.
func (p *Packet) Payload() []byte {
	switch {
	case p.Has&HasTCP != 0:
		return p.TCP.Payload
	case p.Has&HasUDP != 0:
		return p.UDP.Payload
	}
	return nil
}

func addr4(b []byte) netip.Addr {
	if len(b) != 4 {
		return netip.Addr{}
	}
	return netip.AddrFrom4([4]byte(b))
}

func addr16(b []byte) netip.Addr {
	if len(b) != 16 {
		return netip.Addr{}
	}
	return netip.AddrFrom16([16]byte(b))
}

// MAC6 copies a 6-byte hardware address into an array (the zero array for
// any other length), a map key that costs no allocation.
func MAC6(b []byte) [6]byte {
	if len(b) != 6 {
		return [6]byte{}
	}
	return [6]byte(b)
}

// Decoder decodes frames into one reused Packet: the common frames by hand
// (fastdecode.go), the rest with gopacket's DecodingLayerParser.
type Decoder struct {
	p       Packet
	parser  *gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
	slow    bool // gopacket for every frame: the reference the tests compare with
}

// NewDecoder returns a decoder for Ethernet frames, with 802.1Q, ARP, IPv4,
// IPv6, TCP, UDP, ICMPv4 and ICMPv6.
func NewDecoder() *Decoder {
	d := &Decoder{decoded: make([]gopacket.LayerType, 0, 16)}
	p := &d.p
	// A sparse array indexed by layer type finds each next decoder without
	// the map lookup of the default container.
	d.parser = gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet)
	d.parser.SetDecodingLayerContainer(gopacket.DecodingLayerSparse(nil))
	for _, l := range []gopacket.DecodingLayer{&p.Eth, &p.Dot1Q, &p.ARP, &p.IPv4, &p.IPv6, &p.TCP, &p.UDP, &p.ICMPv4, &p.ICMPv6} {
		d.parser.AddDecodingLayer(l)
	}
	d.parser.IgnoreUnsupported = true
	return d
}

// Decode decodes one frame. The returned Packet is valid until the next
// call; on a malformed frame it holds the layers before the damage and Err.
func (d *Decoder) Decode(f Frame) *Packet {
	d.p.Frame = f
	return d.decode(&d.p.Frame)
}

func (d *Decoder) decode(f *Frame) *Packet {
	p := &d.p
	p.Has, p.VLAN, p.Err = 0, 0, nil // f is p.Frame (Decode's copy, or File.run's record read in place)
	if p.Length < len(f.Data) {
		p.Length = len(f.Data)
	}
	if d.slow || !d.fast(f.Data) {
		p.Has, p.VLAN = 0, 0
		d.gopacket(f.Data)
	}
	switch {
	case p.Has&HasIPv4 != 0:
		p.src, p.dst = addr4(p.IPv4.SrcIP), addr4(p.IPv4.DstIP)
	case p.Has&HasIPv6 != 0:
		p.src, p.dst = addr16(p.IPv6.SrcIP), addr16(p.IPv6.DstIP)
	default:
		p.src, p.dst = netip.Addr{}, netip.Addr{}
	}
	return p
}

// gopacket decodes data with the DecodingLayerParser: frames the fast path
// leaves, errors included.
func (d *Decoder) gopacket(data []byte) {
	p := &d.p
	err := d.parser.DecodeLayers(data, &d.decoded)
	for _, t := range d.decoded {
		switch t {
		case layers.LayerTypeEthernet:
			p.Has |= HasEthernet
		case layers.LayerTypeDot1Q:
			if p.Has&HasVLAN == 0 {
				p.VLAN = p.Dot1Q.VLANIdentifier
			}
			p.Has |= HasVLAN
		case layers.LayerTypeARP:
			p.Has |= HasARP
		case layers.LayerTypeIPv4:
			p.Has |= HasIPv4
		case layers.LayerTypeIPv6:
			p.Has |= HasIPv6
		case layers.LayerTypeTCP:
			p.Has |= HasTCP
		case layers.LayerTypeUDP:
			p.Has |= HasUDP
		case layers.LayerTypeICMPv4:
			p.Has |= HasICMPv4
		case layers.LayerTypeICMPv6:
			p.Has |= HasICMPv6
		}
	}
	if err != nil {
		p.Err = err
	}
}
