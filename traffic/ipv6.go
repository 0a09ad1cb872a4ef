package traffic

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// router is an IPv6 router heard advertising (RFC 4861 6.2).
type router struct {
	_           [0]func() // not comparable: no equality function linked
	first, last time.Time
	addr        netip.Addr // its link-local source address
	lifetime    uint16
	ra          raShape // its latest advertisement's preference, prefix, extension headers (ra36.go)
}

// raFloodCount is how many router advertisements within Window, from more
// than one MAC, make an RA flood (flood_router6 sends thousands; a router
// sends one every few minutes, RFC 4861 MaxRtrAdvInterval ≤ 1800 s).
const raFloodCount = 50

// raFloodMACs is how many routers first heard within Window make an RA
// flood: a LAN has one router, two on purpose, a third when someone plugs
// one in; flood_router6 forges a MAC per advertisement.
const raFloodMACs = 4

// icmp6Packet reads the neighbour-discovery messages: router
// advertisements (rogue_ra) and neighbour advertisements (nd_spoof).
func (e *Engine) icmp6Packet(p *capture.Packet, src mac) {
	if !unicast(src) || e.isSelf(src) {
		return
	}
	b := p.ICMPv6.Payload
	switch p.ICMPv6.TypeCode.Type() {
	case layers.ICMPv6TypeRouterAdvertisement:
		if len(b) >= 12 {
			slla := ndOption(b[12:], 1)
			if len(slla) == 6 && mac(slla) == src {
				// The advertisement binds the router's link-local address to
				// its link-layer address in every host's cache (RFC 4861
				// 6.3.4), as a solicitation does its sender's: a later NA
				// claiming that address for another MAC contradicts it.
				e.ndClaim(p.Time, p.SrcIP(), src, false)
			}
			e.routerAdvert(p, src, binary.BigEndian.Uint16(b[2:4]), slla)
		}
	case layers.ICMPv6TypeNeighborAdvertisement:
		if len(b) >= 20 {
			target := netip.AddrFrom16([16]byte(b[4:20]))
			tlla := src
			if o := ndOption(b[20:], 2); len(o) == 6 {
				tlla = mac(o)
			}
			e.neighbourAdvert(p.Time, target, tlla, src, b[0]&0x40 != 0 && e.solicitedNA(p, target), b[0]&0x20 != 0)
			if h := e.hosts[macKey(src)]; tlla == src && h != nil {
				h.ndRouter = h.ndRouter || b[0]&0x80 != 0
				h.ndHost = b[0]&0x80 == 0 // ra37.go
			}
		}
	case layers.ICMPv6TypeRouterSolicitation:
		if o := ndOption(b[min(4, len(b)):], 1); len(o) == 6 && mac(o) == src && !p.SrcIP().IsUnspecified() {
			e.showsStack(src, netip.Addr{}, e.nanosOf(p.Time)) // a DHCP client's IPv6 up (dhcpstorm.go)
			if h := e.hosts[macKey(src)]; h != nil {
				h.ndHost = true // routers do not solicit routers (ra37.go)
			}
		}
	case layers.ICMPv6TypeNeighborSolicitation:
		if s := p.SrcIP(); len(b) >= 20 && !s.IsUnspecified() {
			if o := ndOption(b[20:], 1); len(o) == 6 && mac(o) == src {
				e.ndClaim(p.Time, s, src, false)
				e.showsStack(src, netip.Addr{}, e.nanosOf(p.Time))
			}
			target := netip.AddrFrom16([16]byte(b[4:20]))
			e.ndAsk(p, src, s, target)
			e.noteAsk(s, target, p.Time)
			e.routerAsk(p, src) // ndexhaust.go
		} else if len(b) >= 20 {
			e.dadProbe(p.Time, src, netip.AddrFrom16([16]byte(b[4:20])))
		}
	case layers.ICMPv6TypeRedirect:
		if len(b) >= 36 {
			e.redirect(p, netip.AddrFrom16([16]byte(b[4:20])), netip.AddrFrom16([16]byte(b[20:36])), ndOption(b[36:], 2))
		}
	case layers.ICMPv6TypeEchoRequest:
		e.echo6(p, src)
		e.icmp6Echo(p, src) // icmptunnel.go
		e.spoofed6(p, src)  // nd6forged.go
	case layers.ICMPv6TypeDestinationUnreachable, layers.ICMPv6TypePacketTooBig, layers.ICMPv6TypeTimeExceeded:
		e.spoofed6(p, src) // nd6forged.go
	case layers.ICMPv6TypeMLDv1MulticastListenerReportMessage, layers.ICMPv6TypeMLDv1MulticastListenerDoneMessage, layers.ICMPv6TypeMLDv2MulticastListenerReportMessageV2:
		e.groupReport(p, src, "MLD") // groupflood.go
	case mrdAdvertType:
		e.mrdAdvert(p, src) // mrd.go
	case layers.ICMPv6TypeEchoReply, layers.ICMPv6TypeParameterProblem:
		if p.ICMPv6.TypeCode.Type() == layers.ICMPv6TypeParameterProblem {
			e.spoofed6(p, src) // nd6forged.go
		}
		// An answer to an all-nodes echo: the answering host was probed.
		if a := &e.allNodes; capture.MAC6(p.Eth.DstMAC) == a.mac && since(p.Time, a.at) <= e.cfg.Window {
			e.sweepProbe(a.mac, a.ip, p.SrcIP(), "ICMPv6 all-nodes echo")
		}
		if p.ICMPv6.TypeCode.Type() == layers.ICMPv6TypeEchoReply {
			e.icmp6Echo(p, src) // icmptunnel.go
		}
	}
}

// ndAsk counts a multicast neighbour solicitation (the IPv6 ARP request,
// RFC 4861 7.2.2) as a sweep probe of its target, as arpPacket does a
// request: nmap -6 -sn finds on-link hosts so. Unicast solicitations only
// confirm a neighbour already known (7.3.1, 7.3.3), solicitations for an
// address that just sent the host a frame resolve its reply (a busy server
// answering new clients), and routers, which resolve every host they
// forward to, are not counted.
func (e *Engine) ndAsk(p *capture.Packet, src mac, from, target netip.Addr) {
	if p.Eth.DstMAC[0]&1 == 0 || from == target || e.routers[src] != nil || e.dhcp.isServer(src) ||
		e.resolving6(src, target, p.Time) {
		return
	}
	if gw, ok := e.gatewayMAC(); ok && gw == src {
		return
	}
	e.sweepProbe(src, from, target, "NDP")
}

// ndAnswerWithin is how long after a neighbour solicitation an
// advertisement still answers it: a node resolving an address sends
// MAX_MULTICAST_SOLICIT (3) solicitations RetransTimer (1 s) apart, and
// probing a neighbour's reachability MAX_UNICAST_SOLICIT (3), each answered
// within RetransTimer (RFC 4861 7.2.2, 7.3.3, 10).
const ndAnswerWithin = 3 * time.Second

// solicitedNA reports whether the neighbour advertisement p, for target,
// which sets the solicited flag, answers a solicitation for target seen
// from its destination within ndAnswerWithin: the flag is the sender's
// word (RFC 4861 7.2.4), and a poisoner setting it on an advertisement
// nobody asked for passes its override for an answer (a duplicate
// address) otherwise. An answer to a duplicate address probe (from the
// unspecified address) goes to all nodes with the flag clear.
func (e *Engine) solicitedNA(p *capture.Packet, target netip.Addr) bool {
	at, ok := e.arpAsks[arpAsk{p.DstIP(), target}]
	return ok && since(p.Time, at) <= ndAnswerWithin
}

// allNodesPing is the last echo request sent to all nodes (ff02::1): every
// host answers it, so each answer is a probe of that host (alive6, ping
// ff02::1).
type allNodesPing struct {
	mac mac
	ip  netip.Addr
	at  time.Time
}

// echo6 counts an ICMPv6 echo request as a sweep probe: to a LAN host, as
// an ICMP one; to all nodes, through the answers it draws.
func (e *Engine) echo6(p *capture.Packet, src mac) {
	dst := p.DstIP()
	switch {
	case dst.IsMulticast():
		if dst == allNodes6 {
			e.allNodes = allNodesPing{src, p.SrcIP(), p.Time}
		}
	case unicast(capture.MAC6(p.Eth.DstMAC)) && local(dst):
		e.sweepProbe(src, p.SrcIP(), dst, "ICMPv6")
	}
}

// allNodes6 is the link-local all-nodes multicast address (RFC 4291 2.7.1).
var allNodes6 = netip.AddrFrom16([16]byte{0: 0xff, 1: 0x02, 15: 1})

// ndOption returns the value of the first option of type typ (RFC 4861
// 4.6: type, length in units of 8 bytes, value).
func ndOption(b []byte, typ byte) []byte {
	for t, v, rest, ok := nextNDOption(b); ok; t, v, rest, ok = nextNDOption(rest) {
		if t == typ {
			return v
		}
	}
	return nil
}

// nextNDOption splits the first neighbour discovery option off b (RFC
// 4861 4.6): its type, its value (after the type and length bytes) and
// the options after it; ok is false when b begins with no whole option
// (a length of 0 or past b's end ends the walk, as 4.6 bids).
func nextNDOption(b []byte) (typ byte, val, rest []byte, ok bool) {
	if len(b) < 8 {
		return 0, nil, nil, false
	}
	n := int(b[1]) * 8
	if n == 0 || n > len(b) {
		return 0, nil, nil, false
	}
	return b[0], b[2:n], b[n:], true
}

// eui64MAC is the MAC a modified-EUI-64 interface identifier (RFC 4291
// appendix A) was built from, if a is one.
func eui64MAC(a netip.Addr) (mac, bool) {
	b := a.As16()
	if !a.Is6() || b[11] != 0xff || b[12] != 0xfe {
		return mac{}, false
	}
	return mac{b[8] ^ 0x02, b[9], b[10], b[13], b[14], b[15]}, true
}

func (e *Engine) routerAdvert(p *capture.Packet, src mac, lifetime uint16, slla []byte) {
	t, from := p.Time, p.SrcIP()
	if e.raFlood(t, src) {
		return
	}
	// Spoofed shapes need no learning: a source link-layer option or an
	// EUI-64 source address that names another MAC than the frame's.
	var why string
	var victim mac
	if len(slla) == 6 && mac(slla) != src {
		why, victim = fmt.Sprintf("its source link-layer option says %s, the frame came from %s", macString(mac(slla)), macString(src)), mac(slla)
	} else if m, ok := eui64MAC(from); ok && m != src {
		why, victim = fmt.Sprintf("its source %s is the EUI-64 address of %s, the frame came from %s", from, macString(m), macString(src)), m
	}
	own, isEUI := eui64MAC(from)
	if why == "" && !(isEUI && own == src) {
		for k, r := range e.routers {
			// The lowest MAC when several claimed it: the same every run.
			if k != src && r.addr == from && (why == "" || bytes.Compare(k[:], victim[:]) < 0) {
				why, victim = fmt.Sprintf("%s is the address of the router %s, the frame came from %s", from, macString(k), macString(src)), k
			}
		}
	}
	r := e.routers[src]
	if r == nil {
		if len(e.routers) >= 64 {
			e.counters.TrackersDropped++
			return
		}
		r = &router{first: t}
		if why == "" {
			r.addr = from // a forged source is not the forger's address
		}
		e.routers[src] = r
		if why == "" && len(e.v6Routers) == 0 && e.learned() && len(e.routers) > 1 && !e.gatewayRouter(src) {
			why = fmt.Sprintf("a router first heard after the learning period; known: %s", e.routerList(src))
		}
	}
	r.last, r.lifetime, r.ra = t, lifetime, readRA(p)
	if why == "" && lifetime > 0 && !e.isIPv6Router(src) {
		why, victim = e.secondDefaultRouter(t, src)
	}
	if why == "" && lifetime == 0 {
		why, victim = e.hijackRA(t, src, p.ICMPv6.Payload) // ra36.go: DNS or routes without a default route
	}
	if why == "" && lifetime > 0 {
		why = e.hostRA(src, p.ICMPv6.Payload) // ra37.go: a workstation or a tool advertising
	}
	if why == "" && r.ra.ext && !e.isIPv6Router(src) && !e.gatewayRouter(src) {
		why = "its advertisement is wrapped in an IPv6 extension header, which no router sends: thc's -E H or -E 1 evading RA guard"
	}
	if why == "" {
		e.noteRA(src, p.ICMPv6.Payload) // stray6.go: the link's routers and on-link prefixes, a rogue's not
		return
	}
	e.reportRogueRA(t, src, victim, from, lifetime, why)
}

// raFlood counts router advertisements and the routers first heard within
// Window; past raFloodCount advertisements from more than one MAC, or
// raFloodMACs new routers, the advertisements are a flood (flood_router6
// and flood_router26 forge a new MAC and address for each): one incident,
// reported once with no culprit MAC (they are forged), instead of one
// event per forged router. It reports whether the packet belongs to one.
func (e *Engine) raFlood(t time.Time, src mac) bool {
	if t.Sub(e.raStart) > e.cfg.Window {
		if t.Sub(e.raStart) > 2*e.cfg.Window || e.raCount < raFloodCount && e.raNew < raFloodMACs {
			e.raFlooding = false // a flood goes on while each window is one
		}
		e.raStart, e.raCount, e.raNew, e.raMACs = t, 0, 0, e.raMACs[:0]
	}
	e.raCount++
	if _, known := e.routers[src]; !known {
		e.raNew++
		if len(e.raMACs) < 4 {
			e.raMACs = append(e.raMACs, src)
		}
	}
	if e.raFlooding {
		return true
	}
	if e.raNew < raFloodMACs && (e.raCount < raFloodCount || len(e.routers) < 2) {
		return false
	}
	e.raFlooding = true
	sev := inventory.SeverityHigh
	if e.foldRAHeld() == inventory.SeverityCritical {
		sev = inventory.SeverityCritical // the first forged routers' (rahold.go)
	}
	var macs []string
	for _, m := range e.raMACs {
		macs = append(macs, macString(m))
	}
	e.report(inventory.Event{
		Time: t, Type: inventory.EventRogueRA, Severity: sev,
		Summary: fmt.Sprintf("router advertisement flood: %d advertisements from %d new routers within %s", e.raCount, e.raNew, roundDur(t.Sub(e.raStart))),
		Evidence: []inventory.Evidence{
			{Source: "ndp", Detail: fmt.Sprintf("threshold: %d advertisements from more than one MAC, or %d routers first heard, within %s; a LAN has one or two routers advertising every few minutes", raFloodCount, raFloodMACs, e.cfg.Window)},
			{Source: "ndp", Detail: "first new routers " + strings.Join(macs, ", ") + " (the sender forges them: no culprit MAC)"},
		},
	}, mac{}, mac{})
	return true
}

// secondDefaultRouter applies the rules that need no learning period.
// With routers configured (Config.IPv6Routers), the LAN's default routers
// are those and the IPv4 gateway: any other MAC advertising a default
// route is rogue (fake_router6, a SLAAC man-in-the-middle), whether or not
// the gateway speaks IPv6. Without them, IPv6 may come from another box
// than the IPv4 gateway (a firewall routing IPv4, the ISP's router or an
// L3 switch IPv6), so a default router beside the gateway is rogue only
// when the gateway advertises itself too; the gateway is its MAC and,
// behind an HSRP or VRRP virtual MAC, the group's routers. A router
// advertising with lifetime 0 (a Thread border router's routes) claims no
// default route. When src is the gateway, first heard after the others,
// those are the rogues, reported here.
func (e *Engine) secondDefaultRouter(t time.Time, src mac) (why string, victim mac) {
	gw, ok := e.gatewayMAC()
	strict := len(e.v6Routers) > 0
	switch {
	case strict && ok && src != gw:
		return fmt.Sprintf("a default router that is neither the gateway %s (%s) nor a configured IPv6 router", e.gateway, macString(gw)), gw
	case strict && !ok:
		return "a default router that is not one of the configured IPv6 routers", mac{}
	case !ok:
		return "", mac{}
	case !e.gatewayRouter(src):
		for k, r := range e.routers {
			if e.gatewayRouter(k) && r.lifetime > 0 && t.Sub(r.last) <= e.cfg.Cooldown {
				e.weighSecond(e.routers[src])
				return fmt.Sprintf("a second default router: the gateway %s (%s) advertises itself as the IPv6 router", e.gateway, macString(k)), k
			}
		}
		return "", mac{}
	}
	var others []mac
	for k, r := range e.routers {
		if !e.gatewayRouter(k) && r.lifetime > 0 && t.Sub(r.last) <= e.cfg.Cooldown && !e.isIPv6Router(k) {
			others = append(others, k)
		}
	}
	slices.SortFunc(others, func(a, b mac) int { return bytes.Compare(a[:], b[:]) })
	for _, k := range others {
		r := e.routers[k]
		e.weighSecond(r)
		e.reportRogueRA(r.last, k, src, r.addr, r.lifetime, fmt.Sprintf("a second default router: the gateway %s (%s) advertises itself as the IPv6 router too", e.gateway, macString(src)))
	}
	return "", mac{}
}

// gatewayRouter reports whether m is the IPv4 gateway: its MAC, or, when
// that is an HSRP (00:00:0c:07:ac:GG) or VRRP (00:00:5e:00:01:ID) virtual
// MAC, a router heard in that group or the one holding the active
// router's own address in ARP (the active router speaks from the virtual
// MAC, and advertises IPv6 from its own).
func (e *Engine) gatewayRouter(m mac) bool {
	gw, ok := e.gatewayMAC()
	if !ok || m == gw {
		return ok
	}
	kind, grp, virtual := fhrpVirtual(gw)
	if !virtual {
		return false
	}
	s := &e.l2
	for i := range s.fhrp[:s.nFHRP] {
		// A trunk's mirror shows one group number on several VLANs: only
		// the group serving the gateway's address counts.
		g := &s.fhrp[i]
		serves := !g.vip.IsValid() || g.vip.IsUnspecified() || g.vip == e.gateway || g.vip == e.dhcp.router
		if g.kind != kind || g.group != grp || !serves {
			continue
		}
		if b := e.arp[g.activeIP]; g.active == m || g.knows(m) || b != nil && b.mac == m {
			return true
		}
	}
	return false
}

// isIPv6Router reports whether m is one of the configured IPv6 routers.
func (e *Engine) isIPv6Router(m mac) bool { return slices.Contains(e.v6Routers, m) }

// gatewayMAC is the MAC that owns the gateway's address in ARP, if known;
// else the host that sent IPv4 from it first. A capture that starts after
// the hosts' ARP caches were filled carries no ARP for the gateway until
// they expire, but the gateway's replies carry its address and MAC.
func (e *Engine) gatewayMAC() (mac, bool) {
	gw, rt := e.gateway, e.dhcp.router
	if !gw.IsValid() && !rt.IsValid() {
		if e.clock > e.gwMissNS {
			e.gwMissNS = e.clock + int64(time.Second) // as the search below would
		}
		return mac{}, false
	}
	if b := e.gatewayBinding(gw, rt); b != nil {
		return b.mac, true
	}
	if h := e.gwHost(); h != nil && (gw.IsValid() && h.ip == gw || rt.IsValid() && h.ip == rt) {
		return h.mac, true
	}
	if e.clock <= e.gwMissNS { // e.clock is nanos(e.now): an int compare, where Time.After is a call
		return mac{}, false // searched within the last second (NS floods ask per packet)
	}
	for _, ip := range [2]netip.Addr{gw, rt} {
		if !ip.IsValid() {
			continue
		}
		for _, h := range e.order {
			if h.ip == ip {
				e.gwByIP = h.mac
				return h.mac, true
			}
		}
	}
	e.gwMissNS = e.clock + int64(time.Second)
	return mac{}, false
}

// gwFront keeps gatewayMAC's ARP answer: the binding of the gateway's
// address, else of the DHCP router's (nil: neither bound), as it was in
// ARP generation gen (arpFront) with the DHCP router rt. Off-link SYNs,
// floods and traces ask for the gateway's MAC at every frame, and the
// two map lookups under netip.Addr keys (generic hash) cost 4 % of a
// corpus replay's instructions. Exact: the map changes only in bind and
// evictBindings, which move gen on; a binding's MAC changes in place,
// which the pointer sees; the gateway's address is fixed at New.
type gwFront struct {
	_   [0]func() // not comparable: no equality function linked
	ok  bool
	gen uint64
	rt  netip.Addr
	b   *binding
}

// gatewayBinding is e.arp[gw], else e.arp[rt] (each only when valid).
func (e *Engine) gatewayBinding(gw, rt netip.Addr) *binding {
	c := &e.gwFront
	if c.ok && c.gen == e.arpFront.gen && c.rt == rt {
		return c.b
	}
	*c = gwFront{ok: true, gen: e.arpFront.gen, rt: rt}
	for _, ip := range [2]netip.Addr{gw, rt} {
		if b := e.arp[ip]; ip.IsValid() && b != nil {
			c.b = b
			break
		}
	}
	return c.b
}

func (e *Engine) reportRogueRA(t time.Time, src, victim mac, from netip.Addr, lifetime uint16, why string) {
	sev := inventory.SeverityHigh
	what := "announces itself as a router"
	if lifetime == 0 {
		what = "tells hosts the router is gone (lifetime 0)"
	}
	if victim != (mac{}) {
		sev = inventory.SeverityCritical
	}
	r := e.routers[src]
	var own netip.Addr
	if r != nil {
		own = r.addr // its own link-local address, not a forged source
		if r.ra.sev != "" {
			sev, what = r.ra.sev, r.ra.what
		}
	}
	rival, rivalIP := e.competitor(src, victim, from)
	ev := inventory.Event{
		Time: t, Type: inventory.EventRogueRA, Severity: sev,
		MAC: macOf(src), IP: own, TargetMAC: macOf(rival), TargetIP: rivalIP,
		Summary: fmt.Sprintf("rogue IPv6 router advertisement: %s %s", macString(src), what),
		Evidence: []inventory.Evidence{
			{Source: "ndp", Detail: why},
			{Source: "ndp", Detail: fmt.Sprintf("router advertisement from %s at %s, router lifetime %d s", from, t.UTC().Format(time.RFC3339Nano), lifetime)},
		},
	}
	if r != nil {
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "ndp", Detail: r.ra.describe()})
	}
	e.reportRA(ev, src, victim)
}

// competitor is the legitimate router a rogue advertisement from src, its
// source from, competes with, or the device whose address it forges, and
// that one's address when known: victim when it is a router heard
// advertising (its link-local address), the gateway, or a MAC heard on the
// link whose EUI-64 address from is (kill_router6 forging the router's),
// else nobody. An advertisement has no victim host: a MAC named by a
// forged source link-layer option or EUI-64 source that never spoke here
// (the sender's own old MAC, bettercap's ndp.spoof) is evidence of
// forging, not a target, and the source then the sender's own address or
// a forged one (review 31a).
func (e *Engine) competitor(src, victim mac, from netip.Addr) (mac, netip.Addr) {
	if victim == (mac{}) || victim == src {
		return mac{}, netip.Addr{}
	}
	if r := e.routers[victim]; r != nil {
		return victim, r.addr
	}
	if h := e.hosts[macKey(victim)]; h != nil && h.pktsOut > 0 {
		if m, ok := eui64MAC(from); ok && m == victim {
			return victim, from
		}
		return victim, netip.Addr{}
	}
	if gw, ok := e.gatewayMAC(); ok && gw == victim {
		return victim, netip.Addr{}
	}
	return mac{}, netip.Addr{}
}

func (e *Engine) routerList(except mac) string {
	var names []string
	for k := range e.routers {
		if k != except {
			names = append(names, macString(k))
		}
	}
	slices.Sort(names) // not map order: the same text every run
	return strings.Join(names, ", ")
}

// neighbourAdvert handles an NA for target from frame source src: a
// solicited answer or an unsolicited override (RFC 4861 7.2.6).
func (e *Engine) neighbourAdvert(t time.Time, target netip.Addr, tlla, src mac, solicited, override bool) {
	if !target.IsValid() || target.IsMulticast() || target.IsUnspecified() || !unicast(tlla) {
		return
	}
	e.dadDefence(t, target, tlla)
	e.ndClaim(t, target, tlla, !solicited && override)
}

// dadAnswerWithin is how soon after a duplicate address detection probe
// an advertisement of its address is its answer: RetransTimer, 1 s (RFC
// 4861 10).
const dadAnswerWithin = time.Second

// dadDeniedAddrs is how many addresses of one host, each answered by
// another MAC while it checked them, make DAD denial (dos-new-ip6 answers
// every probe): a duplicate address happens to one address, once.
const dadDeniedAddrs = 2

// dadState is the last duplicate address detection probes (RFC 4862 5.4:
// a solicitation from the unspecified address) and the answers they drew.
type dadState struct {
	probes [8]struct {
		_      [0]func() // not comparable: no equality function linked
		mac    mac
		target netip.Addr
		at     time.Time
	}
	next   int
	victim mac // the host whose probes were answered last
	start  time.Time
	denied []netip.Addr // its addresses answered by others since start
	by     mac          // who answered, if always the same MAC
	forged bool         // answered by more than one MAC
	lone   loneDAD      // its first address, answered by a MAC never heard (dad6.go)
}

func (e *Engine) dadProbe(t time.Time, src mac, target netip.Addr) {
	d := &e.dad
	pr := &d.probes[d.next%len(d.probes)]
	d.next++
	pr.mac, pr.target, pr.at = src, target, t
}

// dadDefence looks for the probe an advertisement of target by m answers:
// when another MAC than the prober's answers for several addresses a host
// tries, it denies the host any address.
func (e *Engine) dadDefence(t time.Time, target netip.Addr, m mac) {
	d := &e.dad
	var victim mac
	var probed time.Time
	for _, pr := range d.probes {
		if pr.target == target && pr.mac != m && since(t, pr.at) <= dadAnswerWithin {
			victim, probed = pr.mac, pr.at
		}
	}
	if victim == (mac{}) {
		return
	}
	if victim != d.victim || since(t, d.start) > e.cfg.Window {
		d.victim, d.start, d.denied, d.by, d.forged = victim, t, d.denied[:0], m, false
	}
	if slices.Contains(d.denied, target) {
		return
	}
	if len(d.denied) < 16 {
		d.denied = append(d.denied, target)
	}
	d.forged = d.forged || m != d.by
	if len(d.denied) == 1 {
		e.holdLoneDAD(t, target, m, victim, probed)
	}
	if len(d.denied) != dadDeniedAddrs {
		return
	}
	e.dropLoneDAD()
	culprit, who := d.by, macString(d.by)
	if d.forged {
		culprit, who = mac{}, "MACs that change with every answer (forged)"
	}
	e.report(inventory.Event{
		Time: t, Type: inventory.EventNDSpoof, Severity: inventory.SeverityHigh,
		MAC: macOf(culprit), TargetMAC: macOf(victim), TargetIP: target,
		Summary: fmt.Sprintf("%s is denied every IPv6 address it tries: duplicate address detection answered by %s", macString(victim), who),
		Evidence: []inventory.Evidence{
			{Source: "ndp", Detail: fmt.Sprintf("addresses %s claimed by another MAC within %s of %s's duplicate address probes", join(d.denied), dadAnswerWithin, macString(victim))},
			{Source: "ndp", Detail: fmt.Sprintf("threshold: %d addresses of one host within %s; a real duplicate is one address", dadDeniedAddrs, e.cfg.Window)},
		},
	}, culprit, victim)
}

// ndClaim records that m says it owns the IPv6 address ip; a claim over an
// owner that still answers, made with unsolicited override advertisements,
// is neighbour spoofing.
func (e *Engine) ndClaim(t time.Time, ip netip.Addr, m mac, unsolicited bool) {
	b := e.nd[ip]
	if b == nil {
		e.bind(e.nd, ip, m, t)
		e.ownAddr6(ip, m)
		return
	}
	if b.mac == m {
		b.last = t
		e.ownAddr6(ip, m)
		return
	}
	if h := e.hosts[macKey(b.mac)]; h != nil && e.laterThan(h.last, b.last) {
		b.last = e.timeAt(h.last)
	}
	if t.Sub(b.last) > e.cfg.ConflictWindow {
		*b = binding{mac: m, last: t, since: t}
		e.ownAddr6(ip, m)
		return
	}
	if e.fhrpHandover(ip, b, m, t) {
		*b = binding{mac: m, last: t, since: t, vrrpPrev: b.mac, vrrpPrevSince: b.since}
		return
	}
	if b.rival != m {
		b.rival, b.claims = m, 0
	}
	b.claims++
	if !unsolicited {
		return // an answer to a solicitation: a duplicate address, not an attack shape
	}
	owner := b.mac
	e.holdNDSpoof(inventory.Event{
		Time: t, Type: inventory.EventNDSpoof, Severity: inventory.SeverityHigh,
		MAC: macOf(m), TargetMAC: macOf(owner), TargetIP: ip,
		Summary: fmt.Sprintf("%s claims %s, which %s owns: IPv6 neighbour spoofing", macString(m), ip, macString(owner)),
		Evidence: []inventory.Evidence{
			{Source: "ndp", Detail: fmt.Sprintf("unsolicited neighbour advertisement with the override flag for %s from %s at %s", ip, macString(m), t.UTC().Format(time.RFC3339Nano))},
			{Source: "ndp", Detail: fmt.Sprintf("%s answered for %s until %s", macString(owner), ip, b.last.UTC().Format(time.RFC3339Nano))},
			{Source: "ndp", Detail: fmt.Sprintf("%d conflicting claims so far", b.claims)},
		},
	}, m, owner, ip)
}

// DHCPv6 message types a server sends a client (RFC 8415 7.3).
const (
	dhcp6Advertise = 2
	dhcp6Reply     = 7
)

// dhcp6Server judges a DHCPv6 Advertise or Reply (to the client port, 546,
// from whatever port: fake_dhcps6 answers from an ephemeral one). The
// legitimate server of an office is its gateway or its IPv4 DHCP server (a
// domain controller serves both); another host answering is a rogue server
// that hands out itself as DNS server (mitm6, fake_dhcps6): no learning is
// needed, since a host with neither role has no business answering.
func (e *Engine) dhcp6Server(p *capture.Packet, src mac) {
	b := p.UDP.Payload
	if len(b) < 4 || (b[0] != dhcp6Advertise && b[0] != dhcp6Reply) || !unicast(src) || e.isSelf(src) || e.dhcp.isServer(src) {
		return
	}
	if h := e.hosts[macKey(src)]; h != nil && h.ip.IsValid() && e.dhcp.known[h.ip] {
		return // a configured (or learned) DHCP server, before its first DHCPv4 answer
	}
	if gw, ok := e.gatewayMAC(); !ok || gw == src {
		return // which server is the gateway's is not known yet
	}
	server := p.SrcIP()
	k := quietKey{typ: inventory.EventRogueDHCP, culprit: src, detail: server.String()}
	if e.quieted(k, p.Time) {
		return
	}
	client, what := capture.MAC6(p.Eth.DstMAC), "Reply"
	if b[0] == dhcp6Advertise {
		what = "Advertise"
	}
	ev := []inventory.Evidence{
		{Source: "dhcp", Detail: fmt.Sprintf("DHCPv6 %s from %s (%s) to %s at %s", what, server, macString(src), macString(client), p.Time.UTC().Format(time.RFC3339Nano))},
		{Source: "dhcp", Detail: "it is neither the gateway nor a known IPv4 DHCP server (if it is the office's DHCP server, name its IPv4 address with --dhcp-server)"},
	}
	if dns := dhcp6Option(b[4:], 23); len(dns) >= 16 { // DNS recursive name servers (RFC 3646)
		ev = append(ev, inventory.Evidence{Source: "dhcp", Detail: "offered DNS server " + netip.AddrFrom16([16]byte(dns[:16])).String()})
	}
	e.reportKey(k, inventory.Event{
		Time: p.Time, Type: inventory.EventRogueDHCP, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: server, TargetMAC: macOf(client),
		Summary:  fmt.Sprintf("rogue DHCPv6 server %s (%s) answered %s", server, macString(src), macString(client)),
		Evidence: ev,
	})
	e.rogueDHCP6Router(p.Time, src) // ra41.go
}

// dhcp6Option returns the value of the first option code in b (RFC 8415
// 21.1: code and length, two bytes each).
func dhcp6Option(b []byte, code uint16) []byte {
	for len(b) >= 4 {
		c, n := binary.BigEndian.Uint16(b), int(binary.BigEndian.Uint16(b[2:]))
		if 4+n > len(b) {
			return nil
		}
		if c == code {
			return b[4 : 4+n]
		}
		b = b[4+n:]
	}
	return nil
}

// offLink reports whether dest is off the link of host, an address of the
// redirected host: another /64 than host's global one (RFC 4291 2.5.1:
// interface identifiers are 64 bits). A redirect of such a destination to
// an internal router that sends no advertisements is ordinary (RFC 4861 8:
// the gateway pointing a host to the router of a subnet behind it) when
// that router says it is one in its neighbour advertisements; to any other
// host it is redir6's use, an internet address's traffic through the
// attacker. An on-link destination redirected to a third host is the man
// in the middle whatever the third host says.
func offLink(dest, host netip.Addr) bool {
	if dest.IsLinkLocalUnicast() || !host.Is6() || host.IsLinkLocalUnicast() {
		return false
	}
	d, h := dest.As16(), host.As16()
	return [8]byte(d[:8]) != [8]byte(h[:8])
}

// redirect judges an ICMPv6 redirect (RFC 4861 8): a router tells a host
// that a destination is on-link (target = destination) or that another
// router is the better first hop. A redirect to a host that advertises no
// routes sends the destination's traffic through it: redir6's
// man-in-the-middle, which forges the router's source address and MAC, so
// the culprit is the host the traffic is redirected to.
func (e *Engine) redirect(p *capture.Packet, target, dest netip.Addr, tlla []byte) {
	if target == dest || !target.IsValid() || dest.IsMulticast() {
		return
	}
	var via mac
	if len(tlla) == 6 {
		via = mac(tlla)
	} else if b := e.nd[target]; b != nil {
		via = b.mac
	}
	if !unicast(via) || e.routers[via] != nil {
		return // unknown, or a router that advertises: a better first hop
	}
	off := offLink(dest, p.DstIP())
	if h := e.hosts[macKey(via)]; off && h != nil && h.ndRouter {
		return // an internal router, by its own advertisements
	}
	if gw, ok := e.gatewayMAC(); ok && gw == via {
		return
	}
	src := capture.MAC6(p.Eth.SrcMAC)
	to := p.DstIP()
	victim := e.redirectVictim(capture.MAC6(p.Eth.DstMAC), to) // redirhold.go
	seen := e.hosts[macKey(via)] != nil
	noRFlag := ""
	if off {
		noRFlag = " and no neighbour advertisement with the Router flag"
	}
	if inc := e.heldRedirect(victim, p.SrcIP(), to); inc != nil {
		e.countRedirect(inc, p.Time, via, seen)
		return
	}
	if e.quieted(redirectKey(victim, p.SrcIP(), to), p.Time) {
		return // reported (and gathered): a flood's later redirects add no event, nor their formatting
	}
	who := macString(via)
	if !seen {
		who += ", a MAC never heard on the link"
	}
	e.holdRedirect(inventory.Event{
		Time: p.Time, Type: inventory.EventNDSpoof, Severity: inventory.SeverityHigh,
		MAC: macOf(via), IP: target, TargetMAC: macOf(victim), TargetIP: dest,
		Summary: fmt.Sprintf("ICMPv6 redirect sends %s's traffic for %s through %s (%s), which is no router", whose(victim, to), dest, target, who),
		Evidence: []inventory.Evidence{
			{Source: "ndp", Detail: fmt.Sprintf("redirect from %s (%s) to %s at %s: first hop for %s is %s%s", p.SrcIP(), macString(src), p.DstIP(), p.Time.UTC().Format(time.RFC3339Nano), dest, target, forgedSourceNote(p, victim, to))},
			{Source: "ndp", Detail: fmt.Sprintf("%s sent no router advertisement%s; a redirect's new first hop must be a router or the destination itself (RFC 4861 8.1)", macString(via), noRFlag)},
		},
	}, src, victim, via, seen, p.SrcIP(), to)
}

// gwHost is the host of gwByIP, the MAC found sending from the gateway's
// address, or nil. Until one is found gwByIP is the zero MAC, which is no
// host's (account makes hosts of unicast MACs only): asked for, it missed
// the host cache and the map at every frame that asks for the gateway
// (session 39, corpus mix without a gateway set: 142k look-ups, 1.2 % of
// the replay's instructions, cachegrind).
func (e *Engine) gwHost() *host {
	if e.gwByIP == (mac{}) {
		return nil
	}
	return e.host(e.gwByIP, false)
}
