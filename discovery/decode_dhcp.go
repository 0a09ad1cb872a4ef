package discovery

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"tend/inventory"
)

// DHCP option codes (RFC 2132, RFC 4702).
const (
	dhcpOptPad         = 0
	dhcpOptHostname    = 12
	dhcpOptMsgType     = 53
	dhcpOptServerID    = 54
	dhcpOptParams      = 55
	dhcpOptVendorClass = 60
	dhcpOptClientID    = 61
	dhcpOptFQDN        = 81
	dhcpOptEnd         = 255

	dhcpAck = 5
)

// dhcpMagic is the options cookie (RFC 2131 3).
var dhcpMagic = []byte{99, 130, 83, 99}

// decodeDHCP reads a DHCPv4 message. A client's message (BOOTREQUEST)
// names the client by its hardware address and tells its host name, vendor
// class, client identifier and parameter request list (the list and its
// order fingerprint the OS). A server's ACK ties the leased address to the
// client's MAC and shows the server itself. Relayed messages (giaddr set)
// are about a client on another link: ignored.
func decodeDHCP(ts time.Time, f *frame) ([]inventory.Observation, error) {
	p := f.l4
	if len(p) < 240 || !slices.Equal(p[236:240], dhcpMagic) {
		return nil, errors.New("discovery: not a dhcp message")
	}
	op, htype, hlen := p[0], p[1], p[2]
	if htype != 1 || hlen != 6 {
		return nil, errNotMine
	}
	ciaddr := netip.AddrFrom4([4]byte(p[12:16]))
	yiaddr := netip.AddrFrom4([4]byte(p[16:20]))
	giaddr := netip.AddrFrom4([4]byte(p[24:28]))
	chaddr := p[28:34]
	if !giaddr.IsUnspecified() || !unicastMAC(chaddr) {
		return nil, errNotMine
	}
	opts, err := dhcpOptions(p[240:])
	if err != nil {
		return nil, err
	}
	client := inventory.Observation{Time: ts, Source: inventory.SourceDHCP, MAC: inventory.MAC(slices.Clone(chaddr)), VLAN: f.vlan}
	switch op {
	case 1: // BOOTREQUEST: the client speaks
		if usableIPv4(ciaddr) {
			client.IP = ciaddr
		}
		if v, ok := opts[dhcpOptHostname]; ok {
			client.Hostname = hostName(cleanText(v, 64))
		}
		if v, ok := opts[dhcpOptFQDN]; ok && client.Hostname == "" && len(v) > 3 {
			client.Hostname = hostName(fqdnName(v))
		}
		if client.Hostname != "" {
			client.Names = []string{client.Hostname}
		}
		if v, ok := opts[dhcpOptVendorClass]; ok {
			client.DHCPVendor = cleanText(v, 64)
			client.Evidence = append(client.Evidence, inventory.Evidence{Source: "dhcp vendor class", Detail: client.DHCPVendor})
		}
		if v, ok := opts[dhcpOptClientID]; ok && len(v) > 0 {
			client.DHCPClientID = hex.EncodeToString(v)
		}
		if v, ok := opts[dhcpOptParams]; ok && len(v) > 0 {
			codes := make([]string, len(v))
			for i, c := range v {
				codes[i] = strconv.Itoa(int(c))
			}
			client.DHCPParams = strings.Join(codes, ",")
		}
		return []inventory.Observation{client}, nil
	case 2: // BOOTREPLY: the server speaks
		if t, ok := opts[dhcpOptMsgType]; !ok || len(t) != 1 || t[0] != dhcpAck || !usableIPv4(yiaddr) {
			return nil, errNotMine
		}
		client.IP = yiaddr
		out := []inventory.Observation{client}
		if unicastMAC(f.src) && !slices.Equal(f.src, chaddr) {
			server := f.base(ts, inventory.SourceDHCP)
			server.Services = []string{"dhcp-server"}
			if id, ok := opts[dhcpOptServerID]; ok && len(id) == 4 && server.IP != netip.AddrFrom4([4]byte(id)) {
				server.IP = netip.Addr{} // the server answered through another address: do not guess
			}
			out = append(out, server)
		}
		return out, nil
	}
	return nil, errNotMine
}

// dhcpOptions splits the options field; a later copy of an option is
// appended to the first (RFC 3396 concatenation, also how long host names
// arrive).
func dhcpOptions(p []byte) (map[byte][]byte, error) {
	opts := map[byte][]byte{}
	for len(p) > 0 {
		code := p[0]
		if code == dhcpOptPad {
			p = p[1:]
			continue
		}
		if code == dhcpOptEnd {
			break
		}
		if len(p) < 2 || len(p) < 2+int(p[1]) {
			return nil, errors.New("discovery: truncated dhcp option")
		}
		opts[code] = append(opts[code], p[2:2+int(p[1])]...)
		p = p[2+int(p[1]):]
	}
	return opts, nil
}

// fqdnName reads option 81 (RFC 4702): flags, two obsolete rcodes, then the
// name, in DNS wire format when flag E (0x04) is set, else ASCII.
func fqdnName(v []byte) string {
	flags, name := v[0], v[3:]
	if flags&0x04 == 0 {
		return cleanText(name, 255)
	}
	var labels []string
	for len(name) > 0 && name[0] != 0 {
		n := int(name[0])
		if n > 63 || len(name) < 1+n {
			break
		}
		labels = append(labels, cleanText(name[1:1+n], 63))
		name = name[1+n:]
	}
	return strings.Join(labels, ".")
}

// be16 is a bounds-checked big-endian read used by the name decoders.
func be16(p []byte, off int) (uint16, bool) {
	if off < 0 || len(p) < off+2 {
		return 0, false
	}
	return binary.BigEndian.Uint16(p[off:]), true
}
