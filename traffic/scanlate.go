package traffic

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tend/inventory"
)

// forgedProbes words a port scan whose probes all carry the address from,
// which ARP binds to owner, sent by the MAC src toward to: a scan under a
// forged source (hping3 -a, or nmap -sI's idle scan through from, which
// the probes alone do not tell apart: the evidence names neither), or,
// from being the target's own address, a LAND attack across its ports
// (spoofed.go raises the LAND itself).
func forgedProbes(from, to netip.Addr, owner, src mac) inventory.Evidence {
	if from == to {
		return inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("the probes carry the target's own address %s (ARP binds it to %s) as their source: forged by %s, a LAND attack (source = destination) across its ports",
			from, macString(owner), macString(src))}
	}
	return inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("the probes carry the source address %s, which ARP binds to %s: forged by %s, whose own address the target's answers (sent to %s) do not reveal",
		from, macString(owner), macString(src), from)}
}

// scanLatePorts bounds the distinct ports a reported tracker goes on
// counting past the threshold: the summary's final count ("probed 200
// ports", not the threshold's 20); past it the summary says "at least".
const scanLatePorts = 1024

// latePorts is a reported tracker's probed ports, one bit a port (8 kB,
// made for the few trackers whose scan was reported): a probe past the
// report is a bit test, where the port set's map hashed every one.
type latePorts [65536 / 64]uint64

// lateProbe counts a probe of port in tr after its scan was reported: the
// distinct ports (up to scanLatePorts); its time is the tracker's lastAt.
func (e *Engine) lateProbe(tr *portTracker, port uint16) {
	if tr.lateN == 0 {
		tr.startLate()
	}
	w, bit := port>>6, uint64(1)<<(port&63)
	if tr.lateN < scanLatePorts && tr.late[w]&bit == 0 {
		tr.late[w] |= bit
		tr.lateN++
	}
}

// startLate moves tr's ports into its late bits, at its first probe past
// the report.
func (tr *portTracker) startLate() {
	if tr.late == nil {
		tr.late = new(latePorts)
	} else {
		*tr.late = latePorts{}
	}
	for _, p := range tr.ports.few[:tr.ports.n] {
		tr.late[p>>6] |= 1 << (p & 63)
	}
	for p := range tr.ports.more {
		tr.late[p>>6] |= 1 << (p & 63)
	}
	tr.lateN = tr.ports.len()
}

// portCount is how many distinct ports tr counted: past its report, up to
// scanLatePorts.
func (tr *portTracker) portCount() int {
	if tr.lateN > 0 {
		return tr.lateN
	}
	return tr.ports.len()
}

// scanWords is what a one-target port scan's summary says: who probed how
// many ports (at the threshold) of target, from the first counted probe
// (nanos). Its incident keeps it to word the summary again with the final
// counts (refreshSummary); protos is set for an IP protocol scan (nmap
// -sO), whose count is of protocols, not ports; said is false until a
// port tracker worded it.
type scanWords struct {
	_      [0]func() // not comparable: no equality function linked
	who    string
	target netip.Addr
	ports  int
	first  int64
	protos bool
	said   bool
}

// summary is the scan's summary: it probed what within span.
func (w *scanWords) summary(what string, span time.Duration) string {
	return fmt.Sprintf("%s probed %s of %s within %s", w.who, what, w.target, roundDur(span))
}

// refreshProbes rewrites a one-target scan's "probes:" evidence and its
// summary's port count and span (inc.first, raised at the threshold) with
// its trackers' counts when it is reported: they go on counting probes
// past the threshold (an idle scan's 1,024 ports, raised at its 20th).
func (e *Engine) refreshProbes(inc *scanIncident) {
	ev := &inc.first
	var sum [nKinds]int
	ports, protos, last := 0, 0, int64(0)
	for _, tr := range inc.probes {
		for i, n := range tr.kinds {
			sum[i] += n
		}
		ports, protos, last = max(ports, tr.portCount()), max(protos, tr.nProtos), max(last, tr.lastAt)
	}
	if inc.said.protos {
		ports = protos // nmap -sO: the protocols probed past the threshold
	}
	e.refreshSummary(ev, &inc.said, ports, last)
	var kinds []string
	for i, n := range sum {
		if n > 0 {
			kinds = append(kinds, fmt.Sprintf("%s %d", kindNames[i], n))
		}
	}
	for i := range ev.Evidence {
		if d := ev.Evidence[i].Detail; strings.HasPrefix(d, "probes: ") && len(kinds) > 0 && probeTotal(sum) > probeCount(d) {
			ev.Evidence = append([]inventory.Evidence(nil), ev.Evidence...) // the held event's slice is its own; a copy all the same
			ev.Evidence[i].Detail = "probes: " + strings.Join(kinds, ", ")
			return
		}
	}
}

// refreshSummary words the summary of ev (raised at the threshold, saying
// w) again with the incident's ports (up to scanLatePorts; protocols for an
// IP protocol scan) and its span
// to its last probe at last (nanos: the trackers' lastAt, 0 only for a
// tracker that never counted a probe).
func (e *Engine) refreshSummary(ev *inventory.Event, w *scanWords, ports int, last int64) {
	if !w.said || last == 0 || ports < w.ports {
		return
	}
	what := fmt.Sprintf("%d ports", ports)
	switch {
	case w.protos:
		what = fmt.Sprintf("%d IP protocols", ports)
	case ports >= scanLatePorts:
		what = fmt.Sprintf("at least %d ports", ports)
	}
	// The span said at the threshold (rounded) and the time since: the
	// same sum, rounded again, as the summary has always given.
	at := e.nanosOf(ev.Time)
	ev.Summary = w.summary(what, roundDur(time.Duration(at-w.first))+time.Duration(max(last-at, 0)))
}

// probeTotal is the sum of a scan's probe counts.
func probeTotal(sum [nKinds]int) int {
	t := 0
	for _, n := range sum {
		t += n
	}
	return t
}

// probeCount is the sum of the counts a "probes: " evidence line names.
func probeCount(d string) int {
	t := 0
	for _, part := range strings.Split(strings.TrimPrefix(d, "probes: "), ", ") {
		var n int
		if i := strings.LastIndexByte(part, ' '); i >= 0 {
			fmt.Sscan(part[i+1:], &n)
		}
		t += n
	}
	return t
}

// fragEvidence appends to a port scan's evidence evs that n of its probes
// came in IPv4 fragments, their TCP headers split (nmap -f, --mtu 8).
func fragEvidence(evs []inventory.Evidence, n int) []inventory.Evidence {
	if n == 0 {
		return evs
	}
	return append(evs, inventory.Evidence{Source: "traffic",
		Detail: fmt.Sprintf("%d probes fragmented (tiny fragments, RFC 1858): the TCP header split across IPv4 fragments, as nmap -f and --mtu send them to slip past filters that read only whole headers", n)})
}
