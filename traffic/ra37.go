package traffic

import (
	"encoding/binary"
	"net/netip"
	"strings"
)

// A default router first advertising on a LAN with no IPv6 router (most
// offices are IPv4-only: mitm6's and fake_router's home ground) looks,
// by its advertisement alone, like a router being installed, which is
// legitimate: nothing else is heard advertising, and no router is
// configured. What tells an attacker apart is the sender, and the tool:
//
//   - the sender's own neighbour discovery says it is a host: it solicited
//     routers (RFC 4861 6.3.7: hosts do; Linux solicits only with
//     forwarding off, and radvd will not run so), or its latest neighbour
//     advertisement for its own address had no Router flag (4.4: a
//     router sets it);
//   - it took its address from DHCP as a client: a router does not lease
//     its address on the link it routes;
//   - thc-ipv6's fake_router tools advertise a current hop limit of 255,
//     which no router's default is (radvd, Cisco, Junos: 64; dnsmasq and
//     odhcpd: 0, unspecified);
//   - a Route Information option (RFC 4191) for a /1 to a /3 (::/1,
//     8000::/1, 2000::/3): half or more of IPv6 behind the sender, thc's
//     -R ::/1 -R 8000::/1; a router routes its real prefixes, and the
//     rest through its router lifetime.
//
// Any one of them is a rogue_ra (High: hosts take the sender for their
// default router); the sender's own signs count only once the gateway is
// known (a lab's or a small box's router may run forwarding off). The
// gateway's MAC and configured routers are never judged so, and an advertisement beside another router is weighed by
// secondDefaultRouter first.

// raToolHopLimit is the current hop limit thc-ipv6's fake_router6 and
// fake_router26 advertise.
const raToolHopLimit = 255

// hostRA judges a default router advertisement b (lifetime > 0) from src
// that nothing else raised: why it is a rogue, or "".
func (e *Engine) hostRA(src mac, b []byte) string {
	if len(b) < 12 || e.isIPv6Router(src) || e.gatewayRouter(src) {
		return ""
	}
	var tells []string
	if h := e.hosts[macKey(src)]; h != nil && e.gatewayMACKnown() { // else the sender may be the router itself
		if h.ndHost {
			tells = append(tells, "its own neighbour discovery says it is a host (it solicited routers, or advertised its address without the Router flag: RFC 4861 4.4, 6.3.7)")
		}
		if h.leaseAt != 0 {
			tells = append(tells, "it took its address from DHCP as a client, which a router does not on the link it routes")
		}
	}
	if b[0] == raToolHopLimit {
		tells = append(tells, "current hop limit 255, thc-ipv6's fake_router tools' (routers advertise 64 or 0)")
	}
	for typ, v, rest, ok := nextNDOption(b[12:]); ok; typ, v, rest, ok = nextNDOption(rest) {
		if typ == 24 && len(v) >= 6 && v[0] >= 1 && v[0] <= 3 && binary.BigEndian.Uint32(v[2:6]) != 0 {
			var a [16]byte
			copy(a[:], v[6:])
			tells = append(tells, "a route for "+netip.PrefixFrom(netip.AddrFrom16(a), int(v[0])).Masked().String()+", half or more of IPv6")
		}
	}
	if len(tells) == 0 {
		return ""
	}
	return "a default router that is neither the gateway nor a configured IPv6 router, on a LAN where no other router advertises: " + strings.Join(tells, "; ")
}
