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

	"tend/capture"
	"tend/inventory"
)

// DHCP option codes (RFC 2132, RFC 4702).
const (
	dhcpOptRouter      = 3
	dhcpOptHostname    = 12
	dhcpOptServerID    = 54
	dhcpOptParams      = 55
	dhcpOptVendorClass = 60
	dhcpOptClientID    = 61
	dhcpOptFQDN        = 81

	dhcpAck = 5
)

// decodeDHCP reads a DHCPv4 message. A client's message (BOOTREQUEST)
// names the client by its hardware address and tells its host name, vendor
// class, client identifier and parameter request list (the list and its
// order fingerprint the OS). A server's ACK ties the leased address to the
// client's MAC and shows the server itself. Relayed messages (giaddr set)
// are about a client on another link: ignored.
func decodeDHCP(dst []inventory.Observation, ts time.Time, f *frame) ([]inventory.Observation, error) {
	d, ok := capture.ParseDHCP(f.l4)
	if !ok {
		return dst, errors.New("discovery: not a dhcp message")
	}
	chaddr := d.ClientHW[:]
	if !d.Ethernet || !d.RelayIP.IsUnspecified() || !unicastMAC(chaddr) {
		return dst, errNotMine
	}
	client := inventory.Observation{Time: ts, Source: inventory.SourceDHCP, MAC: inventory.MAC(slices.Clone(chaddr)), VLAN: f.vlan}
	switch d.Op {
	case 1: // BOOTREQUEST: the client speaks
		if usableIPv4(d.ClientIP) {
			client.IP = d.ClientIP
		}
		if v, ok := d.AppendOption(nil, dhcpOptHostname); ok {
			client.Hostname = hostName(cleanText(v, 64))
		}
		if v, ok := d.AppendOption(nil, dhcpOptFQDN); ok && client.Hostname == "" && len(v) > 3 {
			client.Hostname = hostName(fqdnName(v))
		}
		if client.Hostname != "" {
			client.Names = []string{client.Hostname}
		}
		if v, ok := d.AppendOption(nil, dhcpOptVendorClass); ok {
			client.DHCPVendor = cleanText(v, 64)
			client.Evidence = append(client.Evidence, inventory.Evidence{Source: "dhcp vendor class", Detail: client.DHCPVendor})
		}
		if v, _ := d.AppendOption(nil, dhcpOptClientID); len(v) > 0 {
			client.DHCPClientID = hex.EncodeToString(v)
		}
		if v, _ := d.AppendOption(nil, dhcpOptParams); len(v) > 0 {
			codes := make([]string, len(v))
			for i, c := range v {
				codes[i] = strconv.Itoa(int(c))
			}
			client.DHCPParams = strings.Join(codes, ",")
		}
		return append(dst, client), nil
	case 2: // BOOTREPLY: the server speaks
		if d.Type() != dhcpAck || !usableIPv4(d.YourIP) {
			return dst, errNotMine
		}
		client.IP = d.YourIP
		out := append(dst, client)
		if unicastMAC(f.src) && !slices.Equal(f.src, chaddr) {
			server := f.base(ts, inventory.SourceDHCP)
			server.Services = []string{"dhcp-server"}
			if id := d.Option(dhcpOptServerID); len(id) == 4 && server.IP != netip.AddrFrom4([4]byte(id)) {
				server.IP = netip.Addr{} // the server answered through another address: do not guess
			} else if routesThrough(d.Option(dhcpOptRouter), server.IP) {
				// It hands out itself as the default gateway (option 3): a
				// router's own DHCP service, not a server beside the router.
				server.Services = append(server.Services, "dhcp-gateway")
			}
			out = append(out, server)
		}
		return out, nil
	}
	return dst, errNotMine
}

// routesThrough reports whether option 3 (a list of IPv4 routers) names ip.
func routesThrough(routers []byte, ip netip.Addr) bool {
	for ; len(routers) >= 4; routers = routers[4:] {
		if ip.IsValid() && netip.AddrFrom4([4]byte(routers[:4])) == ip {
			return true
		}
	}
	return false
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
