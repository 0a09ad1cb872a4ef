package traffic

import (
	"encoding/binary"
	"net/netip"
	"slices"
	"time"
)

// IPv6 stray floods. A LAN host's global IPv6 address is no private one,
// so whether a stray packet came from outside cannot be told by its
// source address, as it is for IPv4 (local). It is told by the link: a
// packet from outside reaches the target from a router's MAC (a default
// router's, RFC 4861 6.3.4: the sender of a router advertisement with a
// router lifetime, heard while learning; a configured IPv6 router's; or
// the IPv4 gateway's, the MAC the LAN's default route uses: raTrusted),
// from an address on none of the on-link prefixes those routers
// advertised (RA prefix information with the L flag, RFC 4861 4.6.2) nor
// in a private range. Everything else is the LAN's own:
// its hosts' packets, whose answers to the outside (noteOwn) the same
// checks as IPv4's find: the sent table for connections and fragmented
// answers, the quoted pair for ICMPv6 errors (a Packet Too Big quotes the
// host's own big packet), the SYNs of connections opened (connectedTo).

// strayRouters and strayPrefixes size the routers and on-link prefixes
// kept from router advertisements: a LAN has one router, two on purpose;
// an RA flood's forged routers are not kept (raFlood).
const (
	strayRouters  = 4
	strayPrefixes = 8
)

// onLinkMinBits is the shortest on-link prefix kept: a site's
// allocation (RFC 6177 assigns sites /48 to /64; a link's prefix is a
// /64, RFC 4291 2.5.1), never a provider's /32. An RA claiming 2000::/8,
// or a few /32s (review 28e: 8 /32s), on-link, a rogue's, would make
// every address from the internet the link's own and stray detection
// over IPv6 blind.
const onLinkMinBits = 48

// link6 is what the link's trusted routers advertised (raTrusted): the
// default routers' MACs and the on-link prefixes, each until its valid
// lifetime ends.
type link6 struct {
	_         [0]func() // not comparable: no equality function linked
	routers   [strayRouters]mac
	nRouters  int
	prefixes  [strayPrefixes]netip.Prefix
	expires   [strayPrefixes]int64 // when each prefix's valid lifetime ends (Engine.pktNS)
	nPrefixes int
	gw        mac   // the IPv4 gateway's MAC (gatewayMAC), as looked up at gwAt
	gwAt      int64 // when it was looked up (Engine.nanos); at most once a second
}

// raTrusted reports whether a router advertisement from src with router
// lifetime life is the link's router's: a configured IPv6 router's, the
// IPv4 gateway's, a default router's heard while learning (not a
// lifetime-0 RA from any host), or a router so noted before. After the
// learning period a new MAC's RA is not believed (review 28a: one RA from
// a LAN host must not make the internet on-link, nor its MAC a router's).
func (e *Engine) raTrusted(src mac, life uint16) bool {
	l := &e.stray.link
	if e.isIPv6Router(src) || slices.Contains(l.routers[:l.nRouters], src) {
		return true
	}
	if gw, ok := e.gatewayMAC(); ok && gw == src {
		return true
	}
	return life > 0 && !e.learned()
}

// noteRA notes a router advertisement from src, not a rogue's
// (routerAdvert), (RFC 4861 4.2: b is its body after the checksum), when
// it is trusted (raTrusted): src as a default router when its router
// lifetime is not zero, and its prefix information options with the L
// flag as on-link prefixes (notePrefix).
func (e *Engine) noteRA(src mac, b []byte) {
	life := binary.BigEndian.Uint16(b[2:4])
	if !e.raTrusted(src, life) {
		return
	}
	l := &e.stray.link
	if life > 0 && !slices.Contains(l.routers[:l.nRouters], src) && l.nRouters < strayRouters {
		l.routers[l.nRouters] = src
		l.nRouters++
	}
	for t, v, rest, ok := nextNDOption(b[12:]); ok; t, v, rest, ok = nextNDOption(rest) {
		// Prefix information (RFC 4861 4.6.2): prefix length, flags (L is the
		// top bit), valid lifetime, preferred lifetime, reserved, prefix.
		if t == 3 && len(v) == 30 && v[1]&0x80 != 0 && v[0] >= onLinkMinBits && v[0] <= 128 {
			e.notePrefix(netip.PrefixFrom(netip.AddrFrom16([16]byte(v[14:30])), int(v[0])).Masked(), binary.BigEndian.Uint32(v[2:6]))
		}
	}
}

// notePrefix notes p on-link for valid seconds (RFC 4861 6.3.4: all ones
// is forever, 0 ends it now), in its own slot, an expired one's, or a new
// one while there are some.
func (e *Engine) notePrefix(p netip.Prefix, valid uint32) {
	l := &e.stray.link
	until := e.pktNS + int64(valid)*int64(time.Second)
	if valid == 0xffffffff {
		until = 1<<63 - 1
	}
	i := slices.Index(l.prefixes[:l.nPrefixes], p)
	for j := 0; i < 0 && j < l.nPrefixes; j++ {
		if l.expires[j] <= e.pktNS {
			i = j
		}
	}
	if i < 0 {
		if l.nPrefixes == strayPrefixes || valid == 0 {
			return
		}
		i = l.nPrefixes
		l.nPrefixes++
	}
	l.prefixes[i], l.expires[i] = p, until
}

// router6 reports whether m is an IPv6 router's MAC: a trusted default
// router's (noteRA) or a configured one's.
func (e *Engine) router6(m mac) bool {
	l := &e.stray.link
	return slices.Contains(l.routers[:l.nRouters], m) || e.isIPv6Router(m)
}

// strayRouter reports whether m, the MAC a flood of kind toward dst came
// from, is an IPv6 router's (router6) forwarding an IPv6 stray flood,
// the kinds counted only from outside (outside6): no culprit. Floods of
// other kinds, and over IPv4, name any MAC but the gateway's, as before
// (review 28a: a host's one RA must not hide it as an IPv4 SYN flood's
// culprit).
func (e *Engine) strayRouter(kind int, dst netip.Addr, m mac) bool {
	return kind >= fStrayTCP && dst.Is6() && e.router6(m)
}

// routerMAC reports whether m is a router's MAC: an IPv6 router's
// (router6) or the IPv4 gateway's.
func (e *Engine) routerMAC(m mac) bool {
	if e.router6(m) {
		return true
	}
	l := &e.stray.link
	if e.pktNS-l.gwAt > int64(time.Second) {
		l.gw, _ = e.gatewayMAC()
		l.gwAt = e.pktNS
	}
	return l.gw == m && m != mac{}
}

// outside6 reports whether an IPv6 packet from the MAC src and the
// address from came from outside the link, or forged: from no on-link
// prefix nor private range, through a router, or from a LAN host's MAC
// once the link's routers advertised its prefixes (a host's global
// addresses are made from them, RFC 4862 5.5.3, RFC 8415 on the link's
// prefix: one from none is forged, as an IPv4 host's public source is).
func (e *Engine) outside6(src mac, from netip.Addr) bool {
	if from.IsMulticast() { // not local(from): its only caller (floodPacket) knows it is not
		return false
	}
	l, known := &e.stray.link, false
	for i, p := range l.prefixes[:l.nPrefixes] {
		if e.pktNS < l.expires[i] {
			if p.Contains(from) {
				return false
			}
			known = true
		}
	}
	return known || e.routerMAC(src)
}
