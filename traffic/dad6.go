package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// A lone denied duplicate address probe. dos-new-ip6 answers every
// duplicate address detection probe (RFC 4862 5.4.3: a solicitation from
// the unspecified address) with an advertisement to all nodes, each from a
// MAC it invents: a host adding one address loses it to a MAC the link
// never heard before (review 32b). A real duplicate is a host defending an
// address it holds (5.4.4), one that talked on the link before the probe:
// it sent frames, and most often from the address, or answered
// solicitations for it. So one denied address raises nd_spoof when the
// defender's first frame on the link is its answer and it never claimed the
// address before. The event is held for dadGather: when the host's next
// addresses are denied too, dadDefence's event for several addresses
// (which tells forged MACs apart) is the incident's one event instead.
//
// A host holding an address statically (no DAD of its own, nodad) and
// silent until then defends it the same way (review 32c G1), but goes on
// using it: it answers solicitations for it and sends from it, which
// dos-new-ip6's invented MAC never does. So the lone denial is held for
// dadGather and dropped when the denying MAC uses the address (loneDADUse),
// and, still undecided when the capture ends (Flush), dropped too.

// dadGather is how long a lone denial is held: the host's next probes come
// a few seconds apart (RFC 4862 5.4, RFC 8981), RetransTimer (1 s) each,
// and a real holder uses its address within a minute (its peers' traffic,
// neighbour unreachability detection's solicitations, RFC 4861 7.3).
const dadGather = time.Minute

// loneDAD is a held lone denial.
type loneDAD struct {
	ev              inventory.Event
	culprit, victim mac
	due             int64 // on the engine's clock; 0: none held
}

// unheard reports whether m's answer for target, the frame being read,
// is the first frame the link heard from m, and m never claimed target.
func (e *Engine) unheard(m mac, target netip.Addr) bool {
	if b := e.nd[target]; b != nil && b.mac == m {
		return false
	}
	h := e.hosts[macKey(m)]
	return h == nil || h.pktsOut <= 1
}

// holdLoneDAD holds the denial of target, victim's first denied address,
// by m at t, when m was never heard before its answer.
func (e *Engine) holdLoneDAD(t time.Time, target netip.Addr, m, victim mac, probed time.Time) {
	e.reportLoneDAD()
	if !e.unheard(m, target) {
		return
	}
	l := &e.dad.lone
	l.culprit, l.victim, l.due = m, victim, e.nanos(t)+int64(dadGather)
	l.ev = inventory.Event{
		Time: t, Type: inventory.EventNDSpoof, Severity: inventory.SeverityHigh,
		MAC: macOf(m), TargetMAC: macOf(victim), TargetIP: target,
		Summary: fmt.Sprintf("%s is denied the IPv6 address %s: its duplicate address probe was answered by %s, never heard on the link before", macString(victim), target, macString(m)),
		Evidence: []inventory.Evidence{
			{Source: "ndp", Detail: fmt.Sprintf("%s probed %s (duplicate address detection) at %s; %s advertised it %s later", macString(victim), target, probed.UTC().Format(time.RFC3339Nano), macString(m), t.Sub(probed).Round(time.Microsecond))},
			{Source: "ndp", Detail: fmt.Sprintf("%s sent no frame before its answer and never claimed %s: no host defending an address it holds", macString(m), target)},
		},
	}
	if e.scanDue == 0 || l.due < e.scanDue {
		e.scanDue = l.due
	}
}

// dropLoneDAD forgets the held lone denial: the host's next address was
// denied too, and dadDefence reports the incident.
func (e *Engine) dropLoneDAD() { e.dad.lone.due = 0 }

// flushLoneDAD reports the held lone denial if due at now, and returns
// when it is due (0: none held). At the end (all), one not yet due is
// dropped: its denier may be a holder that had no time to use the address.
func (e *Engine) flushLoneDAD(now int64, all bool) (next int64) {
	l := &e.dad.lone
	if l.due == 0 {
		return 0
	}
	if now < l.due {
		if all {
			l.due = 0
			return 0
		}
		return l.due
	}
	e.reportLoneDAD()
	return 0
}

// reportLoneDAD reports the held lone denial, if any.
func (e *Engine) reportLoneDAD() {
	if l := &e.dad.lone; l.due != 0 {
		l.due = 0
		e.report(l.ev, l.culprit, l.victim)
	}
}

// loneDADUse drops the held lone denial when its denier m sends p from
// the denied address: a frame other than another answer to a duplicate
// address probe (an advertisement without the solicited flag), as a
// holder's solicitations, solicited advertisements and traffic are.
func (e *Engine) loneDADUse(p *capture.Packet, m mac, from netip.Addr) {
	l := &e.dad.lone
	if m != l.culprit || from != l.ev.TargetIP {
		return
	}
	if p.Has&capture.HasICMPv6 != 0 && p.ICMPv6.TypeCode.Type() == layers.ICMPv6TypeNeighborAdvertisement &&
		(len(p.ICMPv6.Payload) < 1 || p.ICMPv6.Payload[0]&0x40 == 0) {
		return
	}
	l.due = 0
}
