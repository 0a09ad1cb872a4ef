package traffic

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

const ripPort = 520

// speakers are the MACs heard sending one protocol's router adverts
// (RIP responses, MLD router adverts) and when each was first heard: those
// first heard during the learning period are the LAN's routers once it is
// over.
type speakers struct {
	m     [8]mac
	first [8]time.Time
	n     int
}

// infraSeen is the routing protocols' speakers (rip.go, mrd.go), and the
// last NTP server answer's transmit time less its capture time and its
// sender (ntpbcast.go), made at the first advert or answer.
type infraSeen struct {
	rip, mrd speakers
	ntpOff   time.Duration
	ntpFrom  mac
}

// learnedSpeaker records src speaking in s at t and reports whether it is
// to pass: once the learning period is over if it was first heard during
// it (a router that always spoke), and while no gateway address is known
// (the sender may be the router). During the learning period its adverts
// are reported at Info only (learnInfo): it is being learned, and a
// legitimate backup router must not raise an alarm at every start (review
// 43 item 3).
func (e *Engine) learnedSpeaker(s *speakers, src mac, t time.Time) bool {
	first := t
	i := 0
	for i < s.n && s.m[i] != src {
		i++
	}
	switch {
	case i < s.n:
		first = s.first[i]
	case s.n < len(s.m):
		s.m[s.n], s.first[s.n] = src, t
		s.n++
	}
	return e.learned() && first.Before(e.learnEnd) || !e.gateway.IsValid() && !e.dhcp.router.IsValid()
}

// learnInfo is sev, or Info during the learning period (learnedSpeaker).
func (e *Engine) learnInfo(sev inventory.Severity) inventory.Severity {
	if !e.learned() {
		return inventory.SeverityInfo
	}
	return sev
}

// ripRoute reads a RIP response (RFC 2453 4, RFC 1058 3.6: command 2,
// version 1 or 2, then 20-byte entries: address family, route tag,
// address, mask (0 in version 1), next hop, metric) and returns its
// first usable route, a default route before any (family 2, IPv4; metric 1 to 15, 16 being
// unreachable), whether it is the default route (0.0.0.0, mask 0), and
// how many entries it carries. Authentication entries (family 0xFFFF)
// and requests (command 1) give nothing.
func ripRoute(b []byte) (route netip.Prefix, isDefault bool, n int, ok bool) {
	if len(b) < 24 || b[0] != 2 || b[1] < 1 || b[1] > 2 {
		return netip.Prefix{}, false, 0, false
	}
	for e := b[4:]; len(e) >= 20; e = e[20:] {
		n++
		if binary.BigEndian.Uint16(e) != 2 || isDefault {
			continue
		}
		metric := binary.BigEndian.Uint32(e[16:20])
		if metric < 1 || metric > 15 {
			continue
		}
		addr, mask := netip.AddrFrom4([4]byte(e[4:8])), binary.BigEndian.Uint32(e[8:12])
		plen := 32
		if mask != 0 || addr.IsUnspecified() {
			plen = 32 - bits.TrailingZeros32(mask)
		}
		if p, err := addr.Prefix(plen); err == nil && (!ok || plen == 0) {
			route, isDefault, ok = p, plen == 0, true
		}
	}
	return route, isDefault, n, ok
}

// rip judges a RIP response, IPv4's other router advertisement (review 43
// P9): a host that sends one is a router to every RIP listener (routers,
// and hosts running routed or a NAS's RIP listener), which route the
// advertised prefixes, a default route above all, through it: a man in the
// middle. A response from the gateway (or its FHRP peer) or an IPv6
// router is the LAN's own; from a MAC first heard speaking RIP during the
// learning period, once it is over, a router that always spoke RIP. Any
// other with a usable route is rogue_ra against its sender: High for a
// default route, Medium for more-specific ones. Requests (command 1) are
// benign and never read. With no gateway address known nothing is raised
// (the sender may be the router); during the learning period only Info
// (learnedSpeaker).
func (e *Engine) rip(p *capture.Packet, src mac) {
	route, isDefault, n, ok := ripRoute(p.UDP.Payload)
	if !ok || !unicast(src) || e.isSelf(src) {
		return
	}
	if e.gatewayRouter(src) || e.router6(src) {
		return
	}
	if e.infra == nil {
		e.infra = &infraSeen{}
	}
	if e.learnedSpeaker(&e.infra.rip, src, p.Time) {
		return // no gateway known, or heard since the learning period: the LAN's RIP router
	}
	sev, what := inventory.SeverityMedium, "the route "+route.String()
	if isDefault {
		sev, what = inventory.SeverityHigh, "a default route (0.0.0.0/0)"
	}
	from := p.SrcIP()
	ev := inventory.Event{
		Time: p.Time, Type: inventory.EventRogueRA, Severity: e.learnInfo(sev), MAC: macOf(src), IP: from,
		Summary: fmt.Sprintf("rogue IPv4 router (RIP): %s advertises %s", describe(src, from), what),
		Evidence: []inventory.Evidence{
			{Source: "rip", Detail: fmt.Sprintf("RIPv%d response from %s to %s at %s: %d entries, first usable %s", p.UDP.Payload[1], from, p.DstIP(), p.Time.UTC().Format(time.RFC3339Nano), n, route)},
			{Source: "rip", Detail: "it is not the gateway nor a router heard speaking RIP since the learning period: RIP listeners route the advertised prefixes through it (a man in the middle)"},
		},
	}
	if gw, known := e.gatewayMAC(); known {
		ev.TargetMAC = macOf(gw)
		ev.TargetIP = e.gateway
		if !ev.TargetIP.IsValid() {
			ev.TargetIP = e.dhcp.router
		}
	}
	e.report(ev, src, mac{})
}
