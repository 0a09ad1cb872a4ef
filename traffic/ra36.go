package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// raShape is what a router advertisement says about its sender beyond the
// router lifetime: its default router preference (RFC 4191 2.2: 1 high, 0
// medium, 3 low; 2 is reserved and read as medium), its first prefix
// (RFC 4861 4.6.2), whether an extension header wrapped it (thc's -E H
// and -E 1 evade RA guard so), and, once weighed, the severity and wording
// of a rogue_ra event that is not the default (sev empty).
type raShape struct {
	_      [0]func() // not comparable: no equality function linked
	pref   byte
	ext    bool
	prefix netip.Prefix
	sev    inventory.Severity
	what   string
}

const (
	raPrefHigh = 1
	raPrefLow  = 3
)

// readRA reads p's router advertisement (at least 12 bytes, icmp6Packet).
func readRA(p *capture.Packet) raShape {
	b := p.ICMPv6.Payload
	s := raShape{pref: b[1] >> 3 & 3, ext: p.IPv6.NextHeader != layers.IPProtocolICMPv6}
	if o := ndOption(b[12:], 3); len(o) == 30 && o[0] <= 128 {
		s.prefix = netip.PrefixFrom(netip.AddrFrom16([16]byte(o[14:30])), int(o[0])).Masked()
	}
	return s
}

func (s raShape) describe() string {
	pref := "medium"
	switch s.pref {
	case raPrefHigh:
		pref = "high"
	case raPrefLow:
		pref = "low"
	}
	d := "default router preference " + pref
	if s.prefix.IsValid() {
		d += ", prefix " + s.prefix.String()
	}
	if s.ext {
		d += ", wrapped in an IPv6 extension header (an RA-guard evasion)"
	}
	return d
}

// weighSecond weighs r, a default router advertising beside the gateway's
// advertisements: a router heard during learning at medium preference, or
// one at low preference, is the shape of a backup uplink (an LTE router, an
// ISP's box beside the firewall: RFC 4191's low is what a backup uses, and
// a tool that wants the hosts' traffic has no reason to send it), Medium,
// to be declared (review 36b FP 3); high preference or an extension header
// (every thc and scapy attack fixture) keeps it Critical, and so does a
// router first heard after learning at medium.
func (e *Engine) weighSecond(r *router) {
	if r == nil || r.ra.ext || r.ra.pref == raPrefHigh || r.ra.pref != raPrefLow && !r.first.Before(e.learnEnd) {
		return
	}
	r.ra.sev, r.ra.what = inventory.SeverityMedium, "is a second IPv6 router: declare it with --ipv6-router or remove it"
}

// raBigRoute is the longest route (Route Information option, RFC 4191
// 2.3) that counts as taking hosts' traffic: ::/0, thc's ::/1 and
// 8000::/1, 2000::/3; a Thread border router's routes are /64s.
const raBigRoute = 16

// hijackRA judges a router advertisement with router lifetime 0 from src
// that is neither the gateway nor a configured router: one that gives
// hosts a DNS server (RDNSS, DNSSL: Windows 10+, macOS, Android and Linux
// take them from any advertisement) or routes for all or much of IPv6
// hijacks their names or traffic without being a default router
// (atk6-fake_router26 -l 0 -D/-R, review 36a P5). Beside an advertising
// router it is High; on a LAN without one (an IPv4-only office, where
// mitm6 works) Medium.
func (e *Engine) hijackRA(t time.Time, src mac, b []byte) (why string, victim mac) {
	if len(b) < 12 || e.isIPv6Router(src) || e.gatewayRouter(src) {
		return "", mac{}
	}
	var gives []string
	for typ, v, rest, ok := nextNDOption(b[12:]); ok; typ, v, rest, ok = nextNDOption(rest) {
		switch {
		case typ == 25 && len(v) >= 22 && binary.BigEndian.Uint32(v[2:6]) != 0:
			gives = append(gives, "DNS server "+netip.AddrFrom16([16]byte(v[6:22])).String())
		case typ == 31 && len(v) >= 6 && binary.BigEndian.Uint32(v[2:6]) != 0:
			gives = append(gives, "DNS search list")
		case typ == 24 && len(v) >= 6 && v[0] <= raBigRoute && binary.BigEndian.Uint32(v[2:6]) != 0:
			var a [16]byte
			copy(a[:], v[6:])
			gives = append(gives, "route "+netip.PrefixFrom(netip.AddrFrom16(a), int(v[0])).Masked().String())
		}
	}
	if len(gives) == 0 {
		return "", mac{}
	}
	r := e.routers[src]
	r.ra.sev, r.ra.what = inventory.SeverityMedium, "hands hosts "+strings.Join(gives, ", ")+" without being a router (lifetime 0)"
	beside := ""
	for k, o := range e.routers {
		if k != src && o.lifetime > 0 && t.Sub(o.last) <= e.cfg.Cooldown && (beside == "" || macString(k) < beside) {
			beside = macString(k)
		}
	}
	if beside == "" && len(e.v6Routers) > 0 {
		beside = macString(e.v6Routers[0])
	}
	if beside == "" {
		return fmt.Sprintf("router lifetime 0 with %s from a host that is not the gateway, and no IPv6 router on the LAN: mitm6's and fake_router26's shape", strings.Join(gives, ", ")), mac{}
	}
	r.ra.sev = inventory.SeverityHigh
	return fmt.Sprintf("router lifetime 0 with %s beside the IPv6 router %s: its hosts' names or traffic go to %s", strings.Join(gives, ", "), beside, macString(src)), mac{}
}
