package traffic

import (
	"net/netip"
	"time"

	"tend/capture"
)

// A UDP traceroute sends datagrams toward a destination beyond the LAN
// with the TTL (hop limit) rising from 1, so the routers on the way answer
// time exceeded and the destination, once reached, port unreachable (RFC
// 1393's intro, traceroute(8)). Its ports vary with the tool: Linux
// traceroute 33434 and up, one per probe (or one fixed port with -U, 53,
// or -p); mtr -u 33000 and up; tracepath 44444 and up. What they share is
// the ladder: every TTL from the first (1; traceroute -f sets another) is
// probed before the next, about as often as the bottom one (q queries per
// hop, or one per hop each mtr round). So a probe to a router's MAC with
// a destination beyond the LAN is exempt from the scan and sweep counts
// when it is at TTL 1 (it expires at the gateway: it reaches nothing
// beyond) or continues such a ladder (traceLadder.fits), and goes to a
// port of the tools' window: 33000 and up, or one well-known UDP
// service's (traceHighPorts). A probe at one fixed TTL (nmap --ttl 30,
// --ttl 2), one TTL-1 probe before a TTL-30 one, a port below the window,
// or a LAN host reached through the gateway is no trace. The router is
// the gateway (configured, or DHCP's), an HSRP/VRRP or IPv6 router, or,
// when none is known, a MAC that relayed a time exceeded in transit for
// one of the prober's datagrams (noteRelay): the trace's TTL-1 probes
// draw one from the first hop.
const (
	traceMaxTTL = 30 // traceroute's, mtr's and tracepath's default max_ttl
	// traceSlack is how many more probes a TTL may have had than the
	// ladder's bottom: tracepath probes a silent hop up to three times
	// more, and a TTL's probes can go out before the bottom's next round
	// (mtr).
	traceSlack = 3
	// traceLadderFor is how long a ladder lasts after its last probe:
	// traceroute waits 5 s at most per probe.
	traceLadderFor = int64(2 * time.Minute)
	// traceSetBits and traceWays size the ladder table: 1,024 ladders in
	// sets of 4 by the pair's hash, a fixed table (no allocation per
	// packet); a full set gives its oldest. A monitoring box tracing
	// hundreds of targets at once fits (64 ladders in all did not).
	traceSetBits = 8
	traceWays    = 4
	// traceSentBits sizes the cache of exempt probes that a relayed port
	// unreachable must quote to be a trace's end (traceQuoted): 4,096.
	traceSentBits = 12
	// traceHighPorts is the lowest destination port of the trace tools'
	// own ranges (mtr -u 33000 and up, traceroute 33434, tracepath
	// 44444, each one port per probe): a probe below it is exempt only to
	// a well-known UDP service's port (traceroute -U's 53, -p 161: one
	// fixed port, whose probes the sweeps count all the same:
	// tracedSweepProbe). A ladder carrying a port scan of the services
	// below (TTL 1 against the router's other address, TTL cycling one
	// port a probe, paced rounds of TTL 1 to 30 each on new ports) is no
	// trace (reviews 29a, 29d).
	traceHighPorts = 33000
)

// traceLadders holds the (source, destination) pairs probed with a TTL
// ladder, and the exempt probes sent lately.
type traceLadders struct {
	_    [0]func() // not comparable: no equality function linked
	set  [1 << traceSetBits][traceWays]traceLadder
	sent [1 << traceSentBits]probeSlot
	// relays are the MACs that relayed a time exceeded lately
	// (noteRelay): routers, when none is configured or learned
	relays [traceRelays]traceRelay
}

// traceRelay is a MAC that sent a time exceeded in transit, and when.
type traceRelay struct {
	m  mac
	at int64
}

// traceRelays is how many routers noteRelay keeps: a LAN has one gateway,
// or a few routers (a VPN box, a lab's second uplink); the oldest gives
// way.
const traceRelays = 4

// traceLadder is one pair's probes by TTL.
type traceLadder struct {
	src, dst netip.Addr
	at       int64 // nanos (Engine.nanosOf) of the last probe
	first    uint8 // the lowest TTL probed: the ladder's bottom
	n        [traceMaxTTL + 1]uint8
}

// traceProbe reports whether p, a UDP datagram to dst's MAC, is a
// traceroute probe: sent to a router (traceRouter), to a destination
// beyond the LAN (traceBeyond), at TTL 1 or up a ladder of TTLs
// (traceLadder.fits). An exempt probe is noted for traceQuoted.
func (e *Engine) traceProbe(p *capture.Packet, dst mac) bool {
	var ttl uint8
	switch {
	case p.Has&capture.HasIPv4 != 0:
		ttl = p.IPv4.TTL
	case p.Has&capture.HasIPv6 != 0:
		ttl = p.IPv6.HopLimit
	default:
		return false
	}
	if ttl == 0 || ttl > traceMaxTTL {
		return false
	}
	if port := uint16(p.UDP.DstPort); port < traceHighPorts && !udpService(port) {
		return false
	}
	src, to := p.SrcIP(), p.DstIP()
	at := e.nanosOf(p.Time)
	if !e.traceRouter(dst) && !e.traced.relayed(dst, at) || !e.traceBeyond(src, to) {
		return false
	}
	if !e.traced.step(src, to, at, ttl) {
		return false
	}
	e.traced.noteSent(src, to, uint16(p.UDP.SrcPort), uint16(p.UDP.DstPort), at)
	return true
}

// traceBeyond reports whether ip, probed by src, lies beyond the LAN: not
// link-local, not in the LAN's IPv4 prefix (lanPrefix; the prober's /24
// while no gateway or DHCP told it, lanKnown) and not a host bound on the
// LAN (ARP, neighbour discovery). A LAN host reached through the
// gateway's MAC is no traceroute's destination.
func (e *Engine) traceBeyond(src, ip netip.Addr) bool {
	if !ip.IsValid() || ip.IsLinkLocalUnicast() {
		return false
	}
	if !ip.Is4() {
		return e.nd[ip] == nil
	}
	if e.arp[ip] != nil {
		return false
	}
	if !e.lanKnown() {
		lan, err := src.Prefix(24)
		return err == nil && !lan.Contains(ip)
	}
	return !e.lanPrefix(ip)
}

// lanKnown reports whether lanPrefix knows the LAN's IPv4 prefix: from a
// DHCP server's offers, or a gateway configured or handed out by DHCP.
func (e *Engine) lanKnown() bool {
	if e.gateway.Is4() || e.dhcp.router.Is4() {
		return true
	}
	for srv := range e.dhcp.known {
		if s := e.dhcp.seen[srv]; s != nil && len(s.out.subnets) > 0 {
			return true
		}
	}
	return false
}

// noteRelay notes m, the sender of an ICMP time exceeded in transit (RFC
// 792: a gateway discarding a datagram whose TTL ran out) quoting a
// datagram from the error's destination (prober) to another address than
// the error's source (from): m forwards that host's traffic, a router.
// A traceroute's first probes draw one from the first hop before any
// reaches its destination, so the ladder's router is known when no
// gateway is (a replay without --gateway, a segment mirrored from
// elsewhere).
func (l *traceLadders) noteRelay(m mac, from, prober, quotedSrc, quotedDst netip.Addr, at int64) {
	if quotedSrc != prober || quotedDst == from || !unicast(m) {
		return
	}
	old := &l.relays[0]
	for i := range l.relays {
		r := &l.relays[i]
		if r.m == m {
			r.at = at
			return
		}
		if r.at < old.at {
			old = r
		}
	}
	*old = traceRelay{m, at}
}

// relayed reports whether m relayed a time exceeded within traceLadderFor
// before at.
func (l *traceLadders) relayed(m mac, at int64) bool {
	for i := range l.relays {
		if r := &l.relays[i]; r.m == m && r.at != 0 && at-r.at <= traceLadderFor {
			return true
		}
	}
	return false
}

// fits reports whether one more probe at ttl continues l: TTL 1, or a TTL
// above the bottom whose TTL below was probed, and no more than traceSlack
// more often than the bottom or the TTL below (a rung is never probed
// before the one under it). A ladder begun above TTL 1 (traceroute
// -f, or a fixed TTL) has its bottom's probes counted as any: a scan at
// one TTL, however high, stays a scan.
func (l *traceLadder) fits(ttl uint8) bool {
	if ttl == 1 {
		return true
	}
	return ttl > l.first && l.n[ttl-1] > 0 && int(l.n[ttl]) < int(l.n[l.first])+traceSlack &&
		int(l.n[ttl]) < int(l.n[ttl-1])+traceSlack
}

// step counts a probe from src to dst at ttl (1 to traceMaxTTL) in their
// ladder, begun anew when none is recent or ttl is below its bottom (mtr
// after traceroute -f 2), and reports whether it fits.
func (l *traceLadders) step(src, dst netip.Addr, at int64, ttl uint8) bool {
	s := l.ladder(src, dst, at)
	if s.at == 0 || at-s.at > traceLadderFor || ttl < s.first {
		*s = traceLadder{src: src, dst: dst, first: ttl} // a trace from lower down starts afresh
	}
	ok := s.fits(ttl)
	if s.n[ttl] < 255 {
		s.n[ttl]++
	}
	if ok || ttl == s.first {
		s.at = at
	}
	return ok
}

// ladder is the slot of (src, dst): theirs, or else the oldest of their
// set.
func (l *traceLadders) ladder(src, dst netip.Addr, at int64) *traceLadder {
	set := &l.set[mix64(ipHash(src)*31^ipHash(dst))>>(64-traceSetBits)]
	old := &set[0]
	for i := range set {
		s := &set[i]
		if s.src == src && s.dst == dst && s.at != 0 {
			return s
		}
		if s.at < old.at {
			old = s
		}
	}
	old.at = 0
	return old
}

// traceSentKey keys an exempt probe by its addresses and ports.
func traceSentKey(src, dst netip.Addr, sport, dport uint16) uint64 {
	return mix64(ipHash(src)*31^ipHash(dst)) ^ (uint64(sport)<<16|uint64(dport))*0x9e3779b97f4a7c15
}

func (l *traceLadders) noteSent(src, dst netip.Addr, sport, dport uint16, at int64) {
	k := traceSentKey(src, dst, sport, dport)
	l.sent[k>>(64-traceSentBits)] = probeSlot{k, at}
}

// wasSent reports whether the probe from src's sport to dst's dport was
// exempt lately.
func (l *traceLadders) wasSent(src, dst netip.Addr, sport, dport uint16, at int64) bool {
	k := traceSentKey(src, dst, sport, dport)
	s := l.sent[k>>(64-traceSentBits)]
	return s.key == k && at-s.at <= traceLadderFor
}
