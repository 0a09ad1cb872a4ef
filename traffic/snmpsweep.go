package traffic

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// A community sweep (onesixtyone -c dict -i hosts) sends the same word
// list to every host of a list at once: one SNMP tracker per host crosses
// the threshold together. A host without an agent answers each datagram to
// port 161 with an ICMP port unreachable (RFC 792, type 3 code 3; RFC 1122
// 4.1.3.1): nothing there was guessed at. So the trackers of one client
// due at the same flush are one incident, one event: its target the agent
// that answered (or, none answering, one that stayed silent, which may
// drop what it refuses), the hosts tried counted in the evidence. A sweep
// in which every host refused runs into no agent: it is reported at low.

// snmpSweep is what an incident's event says about the sweep it stands
// for: the hosts tried besides its target, by how they answered.
type snmpSweep struct {
	hosts                      int // every host tried, the target included
	answered, silent, refusing []netip.Addr
	allRefused                 bool
}

// snmpUnreachable passes an ICMPv4 message on to snmpRefused while
// community guessing is tracked (small enough to inline); src is the
// frame's source MAC.
func (e *Engine) snmpUnreachable(p *capture.Packet, src mac) {
	if len(e.snmpGuess) > 0 && p.Has&capture.HasICMPv4 != 0 {
		e.snmpRefused(p, src)
	}
}

// snmpRefused notes an ICMP port unreachable quoting a datagram to port
// 161 of a client tracked for community guessing: no agent there. Only
// the probed host itself says so: the message's source is the quoted
// datagram's destination, and its frame comes from the MAC ARP binds to
// that address (review 32c J2: a sweeper's own unreachables, from its
// address or forged under the host's, must not lower its sweep).
func (e *Engine) snmpRefused(p *capture.Packet, src mac) {
	tc := p.ICMPv4.TypeCode
	b := p.ICMPv4.Payload
	if tc.Type() != layers.ICMPv4TypeDestinationUnreachable || tc.Code() != layers.ICMPv4CodePort || len(b) < 20 || b[0]>>4 != 4 || b[9] != 17 {
		return
	}
	ihl := int(b[0]&0x0f) * 4
	if len(b) < ihl+4 || b[ihl+2] != 0 || b[ihl+3] != 161 {
		return
	}
	host := addr4(b[16:20])
	if p.SrcIP() != host {
		return
	}
	if bd := e.arpBinding(host); bd == nil || bd.mac != src {
		return
	}
	if tr := e.snmpGuess[bruteKey{addr4(b[12:16]), host, 161}]; tr != nil {
		tr.refused = true
	}
}

// foldSNMPSweeps makes the SNMP incidents of one client in due one event:
// the first whose agent answered (else the first not refusing, else the
// first) stands for them, the others are dropped from due and named in its
// sweep. due is in the order the incidents began.
func foldSNMPSweeps(due []bruteReport) []bruteReport {
	out := due[:0]
	lead := map[netip.Addr]int{} // client -> index in out of its sweep's event
	for _, d := range due {
		if d.tr.communities == nil || !d.tr.incident() {
			out = append(out, d)
			continue
		}
		i, ok := lead[d.k.client]
		if !ok {
			lead[d.k.client] = len(out)
			out = append(out, d)
			continue
		}
		if snmpRank(d.tr) > snmpRank(out[i].tr) {
			d, out[i] = out[i], d
		}
		sw := out[i].tr.sweep
		if sw == nil {
			sw = &snmpSweep{hosts: 1}
			out[i].tr.sweep = sw
		}
		sw.add(d)
	}
	for _, i := range lead {
		if sw := out[i].tr.sweep; sw != nil {
			sw.allRefused = out[i].tr.refused && !out[i].tr.answered
		}
	}
	return out
}

// snmpRank orders the hosts of a sweep for its event's target: an agent
// that answered, then a silent host, then one without an agent.
func snmpRank(tr *bruteTracker) int {
	switch {
	case tr.answered:
		return 2
	case !tr.refused:
		return 1
	}
	return 0
}

// add counts one more host of the sweep, d's, and carries over its sweep.
func (sw *snmpSweep) add(d bruteReport) {
	sw.hosts++
	switch snmpRank(d.tr) {
	case 2:
		sw.answered = append(sw.answered, d.k.server)
	case 1:
		sw.silent = append(sw.silent, d.k.server)
	default:
		sw.refusing = append(sw.refusing, d.k.server)
	}
	if o := d.tr.sweep; o != nil {
		sw.hosts += o.hosts - 1
		sw.answered = append(sw.answered, o.answered...)
		sw.silent = append(sw.silent, o.silent...)
		sw.refusing = append(sw.refusing, o.refusing...)
		d.tr.sweep = nil
	}
}

// evidence describes the other hosts of the sweep.
func (sw *snmpSweep) evidence() string {
	var parts []string
	for _, g := range []struct {
		what  string
		addrs []netip.Addr
	}{
		{"also answered by the agent of", sw.answered},
		{"no answer from", sw.silent},
		{"no agent (ICMP port unreachable) on", sw.refusing},
	} {
		if len(g.addrs) > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", g.what, joinAddrs(g.addrs, 8)))
		}
	}
	return fmt.Sprintf("one community sweep of %d hosts: %s", sw.hosts, strings.Join(parts, "; "))
}

// joinAddrs lists up to n addresses, then how many more.
func joinAddrs(addrs []netip.Addr, n int) string {
	s := make([]string, 0, min(len(addrs), n))
	for _, a := range addrs[:min(len(addrs), n)] {
		s = append(s, a.String())
	}
	if len(addrs) > n {
		s = append(s, fmt.Sprintf("and %d more", len(addrs)-n))
	}
	return strings.Join(s, ", ")
}

// sweepReport adjusts an SNMP incident's event for the sweep it stands for
// (none: unchanged).
func (tr *bruteTracker) sweepReport(ev *inventory.Event, what *string) {
	sw := tr.sweep
	if sw == nil {
		return
	}
	*what += fmt.Sprintf(" (a sweep of %d hosts)", sw.hosts)
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: sw.evidence()})
	if sw.allRefused {
		ev.Severity = inventory.SeverityLow
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: "low: every host tried answered ICMP port unreachable, no agent was reached"})
	}
}
