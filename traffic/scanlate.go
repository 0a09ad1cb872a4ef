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
// ports", not the threshold's 20) costs a port set of at most this many
// (a few kB) per scanned host, not masscan -p0-65535's 65,536; past it
// the summary says "at least".
const scanLatePorts = 1024

// lateProbe counts a probe of port in tr after its scan was reported: the
// distinct ports (up to scanLatePorts); its time is the tracker's lastAt.
func (e *Engine) lateProbe(tr *portTracker, port uint16) {
	if tr.ports.len() < scanLatePorts {
		tr.ports.add(port)
	}
}

// refreshProbes rewrites a one-target scan's "probes:" evidence and its
// summary's port count and span (ev, raised at the threshold) with its
// trackers' counts when it is reported: they go on counting probes past
// the threshold (an idle scan's 1,024 ports, raised at its 20th).
func (e *Engine) refreshProbes(ev *inventory.Event, probes []*portTracker) {
	var sum [nKinds]int
	ports, last := 0, int64(0)
	for _, tr := range probes {
		for i, n := range tr.kinds {
			sum[i] += n
		}
		ports, last = max(ports, tr.ports.len()), max(last, tr.lastAt)
	}
	e.refreshSummary(ev, ports, last)
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

// refreshSummary rewrites the summary "X probed N ports of T within D" of
// ev (raised at the threshold) to the incident's ports (up to
// scanLatePorts) and span to its last probe at last (nanos: the trackers'
// lastAt, 0 only for a tracker that never counted a probe).
func (e *Engine) refreshSummary(ev *inventory.Event, ports int, last int64) {
	s := ev.Summary
	i, j := strings.LastIndex(s, " probed "), strings.LastIndex(s, " ports of ")
	k := strings.LastIndex(s, " within ")
	if i < 0 || j < i || k < j || last == 0 {
		return
	}
	var n int
	if _, err := fmt.Sscan(s[i+len(" probed "):j], &n); err != nil || ports < n {
		return
	}
	d, err := time.ParseDuration(s[k+len(" within "):])
	if err != nil {
		return
	}
	if late := time.Duration(last - e.nanosOf(ev.Time)); late > 0 {
		d += late
	}
	what := fmt.Sprintf("%d ports", ports)
	if ports >= scanLatePorts {
		what = fmt.Sprintf("at least %d ports", ports)
	}
	ev.Summary = fmt.Sprintf("%s probed %s of%s within %s", s[:i], what, s[j+len(" ports of"):k], roundDur(d))
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
