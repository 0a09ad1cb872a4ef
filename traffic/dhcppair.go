package traffic

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"tend/inventory"
)

// Two DHCP services on one LAN are often no attack: the ISP router's
// server left on beside the domain's (after a router swap), or Windows
// Server's split scope (two servers, disjoint halves of one pool, the same
// options: RFC 2131 leaves the client to take the first offer). Trust
// went to the first server that is the gateway or hands the gateway out as
// router, and the domain's servers were raised as rogues at High (review
// 37b dhcp_pair). What tells a second service from a rogue (ettercap,
// yersinia, a dnsmasq on a laptop, bettercap): it hands out the gateway as
// router, names as DNS server no address of its own (a rogue that keeps
// the route makes itself the resolver to hijack names), hands out no
// static routes or WPAD (steers) and offers no address in use
// (offerTaken), and either it was heard within
// dhcpPairEarly of the first packet (a rogue starts while the LAN is
// watched) or another such server answers with the same options (a
// split-scope partner). Such a server is raised once, at Medium, "two DHCP
// services on this LAN: declare the right one", held dhcpPairGather so
// that its partner, heard later, is named in it too; a rogue handing out
// another router, or itself as DNS, stays High. A rogue already running
// when the box starts keeps the router and hands out a resolver at a third
// address it controls (session 37's final read): without a partner, the
// DNS server handed out must be one the LAN already used before the
// server's first offer (dnsInUse: a rogue's own resolver is heard
// answering its victims after it), or the server is raised High when the
// hold ends.
const (
	dhcpPairEarly  = time.Minute
	dhcpPairGather = 30 * time.Second
	dhcpPairMax    = 4 // second services named in the event (beyond: counted)
)

// dhcpSecond is a second DHCP service's first answer.
type dhcpSecond struct {
	_      [0]func() // not comparable: no equality function linked
	server netip.Addr
	mac    mac
	msg    DHCPMessage
}

// dhcpPairHeld is the held event of the second services heard.
type dhcpPairHeld struct {
	_       [0]func()
	first   time.Time
	due     int64
	servers [dhcpPairMax]dhcpSecond
	n, more int
	known   string // the trusted servers, when the first was heard
}

// secondDHCP reports whether server's (src's) answer m, from no trusted
// server, is a second DHCP service's (see dhcpPairEarly), and holds it for
// the event if so.
func (e *Engine) secondDHCP(t time.Time, src mac, server netip.Addr, m DHCPMessage) bool {
	s := e.dhcp.seen[server]
	if s == nil || !e.gateway.IsValid() || m.Router != e.gateway || len(e.dhcp.known) == 0 {
		return false
	}
	if m.DNS.IsValid() && server != e.gateway && (m.DNS == server || m.DNS == e.ownAddr(src)) || steers(&m.Config) {
		return false // it makes itself the resolver, or routes or proxies clients past the router
	}
	d := &e.dhcp
	if slices.Contains(d.seconds, server) {
		return true // raised (or held) already: its later answers are the same service's
	}
	if e.offerTaken(t, m) != "" || s.first.Sub(e.start) > dhcpPairEarly && !e.dhcpTwin(server, &m.Config) {
		return false
	}
	if len(d.seconds) < dhcpPairMax {
		d.seconds = append(d.seconds, server)
	}
	h := e.dhcpPair
	if h == nil {
		h = &dhcpPairHeld{first: t, due: e.nanos(t) + int64(dhcpPairGather), known: sortedList(e.dhcp.known)}
		e.dhcpPair = h
		if e.scanDue == 0 || h.due < e.scanDue {
			e.scanDue = h.due
		}
	}
	for _, x := range h.servers[:h.n] {
		if x.server == server {
			return true
		}
	}
	if h.n < dhcpPairMax {
		h.servers[h.n] = dhcpSecond{server: server, mac: src, msg: m}
		h.n++
	} else {
		h.more++
	}
	return true
}

// dnsInUse reports whether the DNS server m (from src, first heard
// answering DHCP at first) hands out is one the LAN already uses: the
// gateway, one a known DHCP server hands out, a domain controller
// (adattack.go), or a host other than src heard answering DNS queries of
// LAN hosts (dnsforward.go) before first. A rogue that keeps the router
// hands out a resolver of its own at another address, which its victims
// then query: heard answering after its first offer, it is the rogue's.
func (e *Engine) dnsInUse(src mac, first time.Time, m DHCPMessage) bool {
	if !m.DNS.IsValid() || m.DNS == e.gateway || e.isDC(m.DNS) {
		return true
	}
	for _, o := range m.Config.opts[:m.Config.n] {
		for _, a := range e.dhcp.ordered {
			if s := e.dhcp.seen[a]; o.code == 6 && s != nil && e.dhcp.known[a] && slices.Contains(s.out.opts, o) {
				return true
			}
		}
	}
	b := e.arp[m.DNS]
	if b == nil || b.mac == src || e.dnsFwd == nil {
		return false
	}
	at, ok := e.dnsFwd.servers[b.mac]
	return ok && at < e.nanos(first)
}

// dhcpTwin reports whether another untrusted server's latest answer
// (s.last) hands out what c does, option for option and the same subnet
// (a split-scope partner; a rogue runs one server). It lets a server heard
// after dhcpPairEarly join a second service heard before it, and keeps a
// held one whose DNS server the LAN was not heard using (flushDHCPPair).
func (e *Engine) dhcpTwin(server netip.Addr, c *dhcpConfig) bool {
	for _, a := range e.dhcp.ordered {
		if o := e.dhcp.seen[a]; a != server && o != nil && !e.dhcp.known[a] && o.last.subnet == c.subnet && o.last.n == c.n && sameOpts(&o.last, c) {
			return true
		}
	}
	return false
}

// sameOpts reports whether each of c's options is among o's.
func sameOpts(o, c *dhcpConfig) bool {
	for _, x := range c.opts[:c.n] {
		if !slices.Contains(o.opts[:o.n], x) {
			return false
		}
	}
	return true
}

// flushDHCPPair raises the held second services when due at now (at
// once when all is set), and returns when it is due (0: none held).
func (e *Engine) flushDHCPPair(now int64, all bool) int64 {
	h := e.dhcpPair
	if h == nil {
		return 0
	}
	if !all && now < h.due {
		return h.due
	}
	e.dhcpPair = nil
	n := 0
	for _, x := range h.servers[:h.n] {
		if e.dnsInUse(x.mac, e.dhcp.seen[x.server].first, x.msg) || e.dhcpTwin(x.server, &x.msg.Config) {
			h.servers[n] = x
			n++
			continue
		}
		for i, a := range e.dhcp.seconds {
			if a == x.server {
				e.dhcp.seconds = append(e.dhcp.seconds[:i], e.dhcp.seconds[i+1:]...) // its later answers judged again
				break
			}
		}
		e.reportRogueDHCP(h.first, x.mac, x.server, x.msg, "it hands out the gateway as router but a DNS server no known DHCP server hands out, "+
			"no domain controller is and no other host was heard answering DNS from before its first offer: names hijacked")
	}
	if h.n = n; n == 0 {
		return 0
	}
	first := h.servers[0]
	var names, ev []string
	for _, x := range h.servers[:h.n] {
		names = append(names, fmt.Sprintf("%s (%s)", x.server, macString(x.mac)))
		s := fmt.Sprintf("%s (%s) offered %s: router %s, DNS server %s", x.server, macString(x.mac), x.msg.YourIP, x.msg.Router, x.msg.DNS)
		if _, diff := e.dhcp.partnerOf(&x.msg.Config); diff != "" {
			s += ", but " + diff // what its clients get that the known server's do not (a boot file, NTP, IPv6-only)
		}
		ev = append(ev, s)
	}
	if h.more > 0 {
		names = append(names, fmt.Sprintf("%d more", h.more))
	}
	evs := []inventory.Evidence{
		{Source: "dhcp", Detail: "the DHCP server trusted first: " + h.known},
		{Source: "dhcp", Detail: strings.Join(ev, "; ")},
		{Source: "dhcp", Detail: fmt.Sprintf("each hands out the gateway %s as router, no address of its own as DNS server and no address in use, and was heard within %s of the start or answers as another one does (a split-scope or failover partner): a second DHCP service, not an attacker's", e.gateway, dhcpPairEarly)},
		{Source: "dhcp", Detail: "clients take whichever offer comes first, so they get different DNS servers or leases by chance: keep one service, or declare both (--dhcp-server)"},
	}
	e.reportKey(quietKey{typ: inventory.EventRogueDHCP, detail: "second DHCP service"}, inventory.Event{
		Time: h.first, Type: inventory.EventRogueDHCP, Severity: inventory.SeverityMedium,
		MAC: macOf(first.mac), IP: first.server,
		Summary:  fmt.Sprintf("two DHCP services on this LAN: %s beside %s; declare the right one", strings.Join(names, ", "), h.known),
		Evidence: evs,
	})
	return 0
}

// sortedList is m's addresses in order, comma-separated.
func sortedList(m map[netip.Addr]bool) string {
	var out []netip.Addr
	for a := range m {
		out = append(out, a)
	}
	slices.SortFunc(out, netip.Addr.Compare)
	return join(out)
}

// steers reports whether c carries static routes (33, 121, Microsoft's
// 249: TunnelVision routes traffic past the router option) or a WPAD URL
// (252: a proxy for every browser), which a rogue that keeps the router
// hands out to be in the path; a second service of the office's is no
// rogue only without them.
func steers(c *dhcpConfig) bool {
	for _, o := range c.opts[:c.n] {
		if o.code == 33 || o.code == 121 || o.code == 249 || o.code == 252 {
			return true
		}
	}
	return false
}
