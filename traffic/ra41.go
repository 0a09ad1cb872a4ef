package traffic

import "time"

// A host that advertises itself as the default router and answers DHCPv6
// as a server that is neither the gateway nor a known DHCP server is
// mitm6's takeover done by a real daemon (session 40, review 41: dnsmasq
// --enable-ra on a Raspberry Pi of an IPv4-only LAN, its M and O flags
// sending the clients to its own DHCPv6 and DNS). Its advertisement alone
// is a router's being installed (hostRA finds none of a tool's tells), and
// it comes first; the rogue DHCPv6 server (dhcp6Server) that follows
// within seconds is the tell. raDHCP6Span is how long before it the
// sender's latest default advertisement counts.
const raDHCP6Span = 10 * time.Minute

// rogueDHCP6Router raises the default router advertisement of src, just
// raised as a rogue DHCPv6 server at t, as a rogue_ra: the two are one
// incident's halves, hosts taking src for their router and their DNS.
// A configured IPv6 router or the gateway is never judged so, and a second
// router beside another is secondDefaultRouter's.
func (e *Engine) rogueDHCP6Router(t time.Time, src mac) {
	r := e.routers[src]
	if r == nil || r.lifetime == 0 || since(t, r.last) > raDHCP6Span || len(e.v6Routers) > 0 || e.isIPv6Router(src) || e.gatewayRouter(src) {
		return
	}
	e.reportRogueRA(t, src, mac{}, r.addr, r.lifetime,
		"a default router that is neither the gateway nor a configured IPv6 router, on a LAN where no other router advertises, and a rogue DHCPv6 server: it answered DHCPv6 clients, which its advertisement's managed/other flags send to it (mitm6's takeover, here by a daemon)")
}
