package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/inventory"
)

// Gratuitous ARP from forged MACs (DHCPig -g: an announcement for every
// address of the subnet, each from its own random MAC) binds every host's
// neighbours, the gateway included, to MACs nobody has. No claim alone is
// poisoning: each MAC announces one address once, and a device given an
// address in use announces it the same way (RFC 5227 2.3), so conflict
// waits for more from it. The attack shows in the sum: many addresses
// whose owners still answer, each announced over them by a MAC of its
// own, within Window. And forged MACs exist for one frame each: a device
// given an address another just left (a container or VM recreated with a
// new MAC at its static address, a DHCP client after a server lost its
// leases) goes on speaking, in ARP for its gateway or in IP, within
// moments of its announcement, so the claims count as forged only while
// most of the last forgedAnnouncements rivals were never heard again.

// forgedAnnouncements is how many addresses announced over their owners by
// other MACs within Window make forged-MAC poisoning: a device given an
// address in use is one; sixteen at once is no misconfiguration.
const forgedAnnouncements = 16

// forgedClaims counts first announcements by rivals over addresses whose
// owners still answer.
type forgedClaims struct {
	_        [0]func() // not comparable: no equality function linked
	start    time.Time
	n        int
	macs     sketch
	gateway  bool
	reported bool
	rivals   [forgedAnnouncements]forgedRival // the last claims, a ring (n indexes it)
}

// forgedRival is a rival's MAC and when it announced (Engine.nanos).
type forgedRival struct {
	m  mac
	at int64
}

// forgedHeardMax is how many of the last forgedAnnouncements rivals may
// have been heard again after their announcement for the claims to count
// as forged: the latest few have had no time to speak.
const forgedHeardMax = forgedAnnouncements / 4

// forgedClaim counts a rival's first announcement of ip over its owner,
// and raises arp_spoof (no culprit: the MACs are forged) at the threshold.
func (e *Engine) forgedClaim(t time.Time, ip netip.Addr, rival, owner mac) {
	f := &e.forged
	if f.start.IsZero() || t.Sub(f.start) > e.cfg.Window {
		*f = forgedClaims{start: t}
	}
	f.rivals[f.n%forgedAnnouncements] = forgedRival{rival, e.nanosOf(t)}
	f.n++
	f.macs.add(macKey(rival))
	f.gateway = f.gateway || e.isGateway(ip)
	if f.reported || f.n < forgedAnnouncements || !f.macs.atLeast(sketchBits(forgedAnnouncements)) || e.rivalsHeard() > forgedHeardMax {
		return
	}
	f.reported = true
	sev, what := inventory.SeverityHigh, ""
	if f.gateway {
		sev, what = inventory.SeverityCritical, ", the gateway's among them"
	}
	e.report(inventory.Event{
		Time: t, Type: inventory.EventARPSpoof, Severity: sev,
		Summary: fmt.Sprintf("%d addresses announced over their owners by about %d other MACs within %s%s: ARP poisoning from forged MACs", f.n, f.macs.count(), roundDur(t.Sub(f.start)), what),
		Evidence: []inventory.Evidence{
			{Source: "arp", Detail: fmt.Sprintf("the last: %s announced by %s while %s still answers", ip, macString(rival), macString(owner))},
			{Source: "arp", Detail: fmt.Sprintf("threshold: %d addresses whose owners answer, announced by other MACs within %s", forgedAnnouncements, e.cfg.Window)},
			{Source: "arp", Detail: "each announcement comes from its own MAC: find the switch port they enter by"},
		},
	}, mac{}, mac{})
}

// rivalsHeard is how many of the last forgedAnnouncements rivals sent any
// frame after their announcement.
func (e *Engine) rivalsHeard() int {
	n := 0
	for _, r := range e.forged.rivals {
		if h := e.hosts[macKey(r.m)]; h != nil && h.last > r.at {
			n++
		}
	}
	return n
}
