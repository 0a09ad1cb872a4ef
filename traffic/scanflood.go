package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/inventory"
)

// A flood under forged sources that mixes protocols and TCP flags (t50
// --protocol T50: TCP with no flags, UDP and raw IP to random ports, each
// frame from another random address) crosses the port-scan threshold on
// the way: three NULL segments to three ports are a stealth scan's shape.
// Those probes are the flood's own frames, already raised as the flood:
// no probe of the scan came from its MAC's own address (its ARP claim,
// known when the tracker began: the flood's forged sources; a scan beside
// the flood from the host's own address is raised), and a flood by the same MAC toward the same target
// was decided within the scan's window, with no SYN among the probes, and
// the MAC is no router's (a scan with decoys, nmap -D RND through the
// gateway at 500 SYNs a second, is a flood's rate and shape too: it stays
// raised). Such a single-target scan is
// noted at info, naming the flood, not raised beside it (review 32b:
// t50-mix gave port_scan High next to its flood High).

// floodScan reports whether inc, one target's scan, is the frames of a
// flood by its MAC toward that target under forged sources, and when the
// flood was decided.
func (e *Engine) floodScan(inc *scanIncident) (time.Time, bool) {
	if inc.n != 1 || len(inc.probes) == 0 || e.traceRouter(inc.src) {
		return time.Time{}, false // a router's MAC carries a remote scanner's decoys (nmap -D) and floods alike
	}
	if e.steadyScan(inc) {
		return time.Time{}, false
	}
	for _, tr := range inc.probes {
		if tr.fromOwn > 0 || !tr.own.IsValid() || tr.srcIP == tr.own || tr.kinds[kSYN] > 0 {
			return time.Time{}, false
		}
	}
	until, ok := e.quiet[newQuietKey(inventory.EventFlood, inc.src, mac{}, inc.first.TargetIP)]
	raised := until.Add(-e.cfg.Cooldown)
	if !ok || raised.Before(inc.start.Add(-e.cfg.Window)) || raised.After(inc.last.Add(e.cfg.Window)) {
		return time.Time{}, false
	}
	return raised, true
}

// ownIP is m's own address: the first it claimed in ARP, else the one it
// was heard from (zero: unknown).
func (e *Engine) ownIP(m mac) netip.Addr {
	if c := e.claimsOther(m, netip.Addr{}); c.IsValid() {
		return c
	}
	if h := e.hosts[macKey(m)]; h != nil {
		return h.ip
	}
	return netip.Addr{}
}

// foldedScan is the info note of the scan ev, the frames of the flood
// decided at raised.
func foldedScan(ev inventory.Event, raised time.Time) inventory.Event {
	ev.Severity = inventory.SeverityInfo
	ev.Summary += " (the frames of its flood toward the same host)"
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
		"part of the flood by the same MAC toward %s raised at %s: its probes came from forged source addresses, as the flood's did",
		ev.TargetIP, raised.UTC().Format(time.RFC3339))})
	return ev
}

// answeredProbe counts a probe of tr from srcIP, another address than the
// one tr began with, when src answers ARP for srcIP: no flood tool answers
// for the random sources it forges, a scanner answers for the address its
// probes come from (the target's replies need it). The ARP table is asked
// through arpFront, whose bits answer a forged source's miss without the
// map (a decoy flood's every probe: 1 % of a corpus replay's instructions
// through the map); it binds IPv4 addresses only.
func (e *Engine) answeredProbe(tr *portTracker, src mac, srcIP netip.Addr) {
	if !srcIP.Is4() {
		return
	}
	if b := e.arpBinding(srcIP); b != nil && b.mac == src && !b.claimed.IsZero() {
		tr.answered, tr.fromAnswered = srcIP, tr.fromAnswered+1
	}
}

// steadyScan reports whether some of inc's probes came from an address
// its MAC answers ARP for (the tracker's first source included): a scan
// from a source of its own beside a flood under forged ones (review 33c:
// a FIN scan of 1,000 ports from a constant address inside a UDP flood),
// not the flood's frames; or when one source sent stealthPorts more
// probes than one (noteSource: a scan under a forged source the MAC
// never answers for, beside a flood under random ones). Its evidence
// names that source.
func (e *Engine) steadyScan(inc *scanIncident) bool {
	for _, tr := range inc.probes {
		ip, n := tr.answered, tr.fromAnswered
		if b := e.arp[tr.srcIP]; b != nil && b.mac == inc.src && !b.claimed.IsZero() {
			ip, n = tr.srcIP, n+probeTotal(tr.kinds)-tr.decoys // probes from the first source
		}
		if n > 0 {
			inc.first.Evidence = append(inc.first.Evidence[:len(inc.first.Evidence):len(inc.first.Evidence)], inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
				"%d probes from %s, an address the MAC answers ARP for: a scan from a source of its own, not a flood's forged frames", n, ip)})
			return true
		}
		ip, n = tr.steady, tr.repeats
		if tr.fromFirst-1 > n {
			ip, n = tr.srcIP, tr.fromFirst-1
		}
		if n >= stealthPorts {
			inc.first.Evidence = append(inc.first.Evidence[:len(inc.first.Evidence):len(inc.first.Evidence)], inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
				"%d more probes from %s, one source address again and again while the flood's frames each came from another: a scan under a source of its own, forged or not, beside the flood", n, ip)})
			return true
		}
	}
	return false
}

// sourceSlots is how many recent decoy sources a port tracker remembers
// (noteSource).
const sourceSlots = 32

// noteSource remembers srcIP, a decoy probe's source, in tr.sources (one
// slot per address hash, the last address wins) and counts a repeat when
// it is still there. A flood under random sources (t50, hping3
// --rand-source) repeats none; a scan under one forged source inside it
// (review 33c: an address the MAC never answers ARP for) repeats at
// every probe the flood's frames between did not push out.
func (tr *portTracker) noteSource(srcIP netip.Addr) {
	if tr.sources == nil {
		tr.sources = new([sourceSlots]uint32)
	}
	var v uint32
	if srcIP.Is4() {
		a := srcIP.As4()
		v = uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	} else {
		a := srcIP.As16()
		for i := 0; i < 16; i += 4 {
			v ^= uint32(a[i])<<24 | uint32(a[i+1])<<16 | uint32(a[i+2])<<8 | uint32(a[i+3])
		}
	}
	if v == 0 {
		v = 1 // zero is an empty slot
	}
	slot := &tr.sources[(v*2654435761)>>27]
	if *slot == v {
		tr.steady, tr.repeats = srcIP, tr.repeats+1
		return
	}
	*slot = v
}
