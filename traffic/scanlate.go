package traffic

import (
	"fmt"
	"net/netip"
	"strings"

	"tend/inventory"
)

// forgedProbes words a port scan whose probes all carry the address from,
// which ARP binds to owner, sent by the MAC src toward to: an idle scan
// through from (nmap -sI), or, from being the target's own address, a
// LAND attack across its ports (spoofed.go raises the LAND itself).
func forgedProbes(from, to netip.Addr, owner, src mac) inventory.Evidence {
	if from == to {
		return inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("the probes carry the target's own address %s (ARP binds it to %s) as their source: forged by %s, a LAND attack (source = destination) across its ports",
			from, macString(owner), macString(src))}
	}
	return inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("the probes carry the source address %s, which ARP binds to %s: forged by %s (an idle scan through %s)",
		from, macString(owner), macString(src), from)}
}

// refreshProbes rewrites a one-target scan's "probes:" evidence (ev, raised
// at the threshold) with its trackers' counts when it is reported: they
// go on counting probes past the threshold (an idle scan's 1,024 ports,
// raised at its 20th).
func refreshProbes(ev *inventory.Event, probes []*portTracker) {
	var sum [nKinds]int
	for _, tr := range probes {
		for i, n := range tr.kinds {
			sum[i] += n
		}
	}
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
