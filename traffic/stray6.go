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
// router lifetime; a configured IPv6 router's; or the IPv4 gateway's, the
// MAC the LAN's default route uses), from an address on none of the
// link's on-link prefixes (RA prefix information with the L flag, RFC
// 4861 4.6.2) nor in a private range. Everything else is the LAN's own:
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

// link6 is what the link's router advertisements said: the default
// routers' MACs and the on-link prefixes.
type link6 struct {
	routers   [strayRouters]mac
	nRouters  int
	prefixes  [strayPrefixes]netip.Prefix
	nPrefixes int
	gw        mac   // the IPv4 gateway's MAC (gatewayMAC), as looked up at gwAt
	gwAt      int64 // when it was looked up (Engine.nanos); at most once a second
}

// noteRA notes a router advertisement from src, not a rogue's
// (routerAdvert), (RFC 4861 4.2: b is its
// body after the checksum): src as a default router when its router
// lifetime is not zero, and its prefix information options with the L
// flag and a valid lifetime as on-link prefixes (of 8 bits or more: a
// ::/0 on-link would make every address the link's).
func (e *Engine) noteRA(src mac, b []byte) {
	l := &e.stray.link
	if binary.BigEndian.Uint16(b[2:4]) > 0 && !slices.Contains(l.routers[:l.nRouters], src) && l.nRouters < strayRouters {
		l.routers[l.nRouters] = src
		l.nRouters++
	}
	for o := b[12:]; len(o) >= 8; {
		n := int(o[1]) * 8
		if n == 0 || n > len(o) {
			return
		}
		if o[0] == 3 && n == 32 && o[3]&0x80 != 0 && binary.BigEndian.Uint32(o[4:8]) > 0 && o[2] >= 8 && o[2] <= 128 {
			p := netip.PrefixFrom(netip.AddrFrom16([16]byte(o[16:32])), int(o[2])).Masked()
			if !slices.Contains(l.prefixes[:l.nPrefixes], p) && l.nPrefixes < strayPrefixes {
				l.prefixes[l.nPrefixes] = p
				l.nPrefixes++
			}
		}
		o = o[n:]
	}
}

// router6 reports whether m is an IPv6 router's MAC: a default router's
// (noteRA) or a configured one's.
func (e *Engine) router6(m mac) bool {
	l := &e.stray.link
	return slices.Contains(l.routers[:l.nRouters], m) || e.isIPv6Router(m)
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
// address from came from outside the link: through a router, from no
// on-link prefix nor private range.
func (e *Engine) outside6(src mac, from netip.Addr) bool {
	if local(from) || from.IsMulticast() || !e.routerMAC(src) {
		return false
	}
	l := &e.stray.link
	for _, p := range l.prefixes[:l.nPrefixes] {
		if p.Contains(from) {
			return false
		}
	}
	return true
}
