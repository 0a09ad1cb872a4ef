package traffic

import (
	"bytes"
	"net/netip"

	"tend/capture"
)

// A PXE proxyDHCP server (PXE 2.1 2.2.2 and 2.4, RFC 4578: Windows
// Deployment Services, SCCM's PXE points, FOG, dnsmasq's
// --dhcp-range=...,proxy, iPXE setups) answers a PXE client's DISCOVER
// beside the LAN's DHCP server: its OFFER carries yiaddr 0.0.0.0 and
// option 60 "PXEClient", names boot servers (option 43 sub-option 8, or
// siaddr and a boot file) and hands out no address, router or DNS
// server; the client takes its address from the real server. It cannot
// steer anyone's traffic, so it is no rogue DHCP server (review 42
// b_pxe_lab2: rogue_dhcp High). An answer that offers an address, a router
// or DNS server, or routes or WPAD (steers) is judged as any other. The
// boot servers a proxy names serve the clients' TFTP reads: they are noted
// as DHCP's next-server is (tftpheld.go: such reads are Low).

// proxyDHCP reports whether m is a PXE proxyDHCP answer (see above).
func (m *DHCPMessage) proxyDHCP() bool {
	return m.PXE && (!m.YourIP.IsValid() || m.YourIP.IsUnspecified()) && !m.Router.IsValid() && !m.DNS.IsValid() && !steers(&m.Config)
}

// pxeClass reports whether option 60 in d is a PXE server's "PXEClient"
// (PXE 2.1 2.2.2; a client's carries ":Arch:..." after it).
func pxeClass(d *capture.DHCP) bool {
	return bytes.HasPrefix(d.Option(60), []byte("PXEClient"))
}

// noteProxyBoot notes the boot servers a proxyDHCP answer d from dhcp
// names: each address of option 43's sub-option 8 (PXE_BOOT_SERVERS:
// type, count, addresses, repeated), or the proxy itself when it names
// none (the client then asks it on port 4011).
func (e *Engine) noteProxyBoot(d *capture.DHCP, dhcp netip.Addr) {
	n := 0
	for _, a := range pxeBootServers(d.Option(43)) {
		if a.IsValid() {
			e.notePXEServer(a, pxeOffer{dhcp: dhcp, proxy: true})
			n++
		}
	}
	if n == 0 && dhcp.Is4() {
		e.notePXEServer(dhcp, pxeOffer{dhcp: dhcp, proxy: true})
	}
}

// notePXEServer records o for the boot server a, once, while e.pxe has room.
func (e *Engine) notePXEServer(a netip.Addr, o pxeOffer) {
	if _, seen := e.pxe[a]; seen || len(e.pxe) >= pxeServersMax || a.IsUnspecified() {
		return
	}
	if e.pxe == nil {
		e.pxe = make(map[netip.Addr]pxeOffer)
	}
	e.pxe[a] = o
}

// pxeBootServersMax bounds the boot servers read from one answer.
const pxeBootServersMax = 4

// pxeBootServers reads the boot server addresses of PXE vendor options v
// (option 43's sub-options: code, length, value; 0 pads, 255 ends;
// sub-option 8 is boot server type (2 bytes), address count (1) and the
// addresses, repeated). Unused slots are zero Addrs.
func pxeBootServers(v []byte) (out [pxeBootServersMax]netip.Addr) {
	n := 0
	for len(v) > 0 && v[0] != 255 {
		if v[0] == 0 {
			v = v[1:]
			continue
		}
		if len(v) < 2 || int(v[1]) > len(v)-2 {
			return out
		}
		code, body := v[0], v[2:2+int(v[1])]
		v = v[2+int(v[1]):]
		for code == 8 && len(body) >= 3 {
			cnt := int(body[2])
			body = body[3:]
			for ; cnt > 0 && len(body) >= 4; cnt-- {
				if n < len(out) {
					out[n] = netip.AddrFrom4([4]byte(body[:4]))
					n++
				}
				body = body[4:]
			}
		}
	}
	return out
}
