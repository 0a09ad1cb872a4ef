package capture

import (
	"encoding/binary"
	"net/netip"
)

// DHCP is a DHCPv4 message (RFC 2131) read in place: the project's one
// DHCP parser, shared by discovery's identity decoder and traffic's
// rogue-server and starvation detectors. It keeps slices into the frame.
type DHCP struct {
	Op       byte // 1 BOOTREQUEST (client), 2 BOOTREPLY (server)
	XID      uint32
	ClientIP netip.Addr // ciaddr
	YourIP   netip.Addr // yiaddr
	RelayIP  netip.Addr // giaddr: set when a relay agent forwarded it
	ClientHW [6]byte    // chaddr, for Ethernet (htype 1, hlen 6)
	Ethernet bool       // htype 1 and hlen 6
	Options  []byte     // after the magic cookie, checked to be well formed
}

// DHCP message types (option 53, RFC 2132 9.6).
const (
	DHCPDiscover = 1
	DHCPOffer    = 2
	DHCPRequest  = 3
	DHCPDecline  = 4
	DHCPAck      = 5
	DHCPNak      = 6
)

// ParseDHCP reads a BOOTP/DHCP message from a UDP payload; ok is false when
// it is too short, lacks the magic cookie, or its options run past the end.
// It allocates nothing.
func ParseDHCP(b []byte) (d DHCP, ok bool) {
	if len(b) < 240 || binary.BigEndian.Uint32(b[236:240]) != 0x63825363 || (b[0] != 1 && b[0] != 2) {
		return d, false
	}
	d.Op = b[0]
	d.Ethernet = b[1] == 1 && b[2] == 6
	d.XID = binary.BigEndian.Uint32(b[4:8])
	d.ClientIP = netip.AddrFrom4([4]byte(b[12:16]))
	d.YourIP = netip.AddrFrom4([4]byte(b[16:20]))
	d.RelayIP = netip.AddrFrom4([4]byte(b[24:28]))
	d.ClientHW = [6]byte(b[28:34])
	opts := b[240:]
	for p := opts; len(p) > 0; {
		switch p[0] {
		case 0:
			p = p[1:]
			continue
		case 255:
			d.Options = opts[:len(opts)-len(p)]
			return d, true
		}
		if len(p) < 2 || len(p) < 2+int(p[1]) {
			return d, false
		}
		p = p[2+int(p[1]):]
	}
	d.Options = opts
	return d, true
}

// Option returns the first copy of option code, or nil.
func (d *DHCP) Option(code byte) []byte {
	for p := d.Options; len(p) >= 2; {
		if p[0] == 0 {
			p = p[1:]
			continue
		}
		v := p[2 : 2+int(p[1])]
		if p[0] == code {
			return v
		}
		p = p[2+len(v):]
	}
	return nil
}

// AppendOption appends every copy of option code to dst (RFC 3396: a long
// option arrives split into copies that are concatenated) and reports
// whether there was one.
func (d *DHCP) AppendOption(dst []byte, code byte) ([]byte, bool) {
	found := false
	for p := d.Options; len(p) >= 2; {
		if p[0] == 0 {
			p = p[1:]
			continue
		}
		v := p[2 : 2+int(p[1])]
		if p[0] == code {
			dst, found = append(dst, v...), true
		}
		p = p[2+len(v):]
	}
	return dst, found
}

// Type is the message type (option 53), or 0.
func (d *DHCP) Type() byte {
	if v := d.Option(53); len(v) == 1 {
		return v[0]
	}
	return 0
}
