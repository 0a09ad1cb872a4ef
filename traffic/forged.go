package traffic

import "net/netip"

// forgedSource reports whether a frame from m with the IPv4 source ip
// forges that address, and if so whose it is (owner) and m's own (own).
// The rule: ip is a LAN address that ARP binds to another MAC, heard within
// ConflictWindow; m is not the gateway; and m speaks for itself under
// another LAN address (an ARP claim, or the address of its own first
// frames). Routers forward others' addresses legitimately, but not these:
// off-link sources and those of routed VLANs have no ARP binding on this
// link (ARP does not cross a router), and a router sending a same-subnet
// host's traffic back onto the link (a wrong netmask) is the gateway. A
// MAC-translating Wi-Fi repeater answers ARP for its clients with its own
// MAC, so their addresses are bound to it. nmap -sI (idle scan) sends its
// probes under the zombie's address from the scanner's own MAC.
func (e *Engine) forgedSource(m mac, ip netip.Addr) (owner mac, own netip.Addr, ok bool) {
	if !ip.Is4() || !local(ip) {
		return mac{}, netip.Addr{}, false
	}
	b := e.arpBinding(ip) // e.arp[ip], a forged source's miss answered by arpFront's bits
	if b == nil || b.mac == m || since(e.now, b.last) > e.cfg.ConflictWindow || e.isGatewayMAC(m) {
		return mac{}, netip.Addr{}, false
	}
	own = e.claimsOther(m, ip)
	if h := e.hosts[macKey(m)]; !own.IsValid() && h != nil && h.ip != ip {
		own = h.ip
	}
	return b.mac, own, own.IsValid()
}
