package traffic

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"time"

	"tend/inventory"
)

// scanGather is how long a source's port scan is held after its latest
// target crossed the threshold, waiting for more targets: one event per
// incident, not one per host of a subnet scan. nmap scans hosts in parallel
// host groups and a LAN host answers within milliseconds, so the targets of
// one sweep cross the threshold seconds apart; ten seconds keeps the alert
// prompt (the live watch looks every second).
const scanGather = 10 * time.Second

// scanTargetsKept bounds the targets an incident lists (the count goes on).
const scanTargetsKept = 256

// scanIncident is one source's port scan being gathered: the event its first
// target raised, and every target that crossed the threshold since.
type scanIncident struct {
	src     mac
	first   inventory.Event // the single-target event, reported as is if no other target follows
	said    scanWords       // what first's summary says, when a port tracker raised it (scanlate.go)
	dst     mac             // the first target's MAC
	start   time.Time
	last    time.Time
	targets []netip.Addr   // up to scanTargetsKept, in the order they crossed
	probes  []*portTracker // the per-minute trackers: they go on counting probes after the threshold
	seen    map[netip.Addr]struct{}
	n       int  // distinct targets in all (past the remembered ones: crossings)
	fast    bool // first came from the per-minute detector, not from refusals
}

// The targets remembered to count each once are bounded per incident
// (scanSeenMax) and over all of them (Config.MaxTrackers, in e.scanSeen);
// past either, targets are counted without the check and the tracker drop
// is counted. An incident older than the cooldown is reported even while
// targets keep coming, so that an endless scan is still an alert.
const scanSeenMax = 4096

// gatherScan holds a port_scan event until its source has crossed the
// threshold against no new target for scanGather. tr is the per-minute
// tracker, nil for a scan found by the refusals it met (slowscan.go): both
// detectors see a fast scan; its target counts once, and the per-minute
// detector's event, which names the probes, is the one a single target gets.
func (e *Engine) gatherScan(ev inventory.Event, start time.Time, tr *portTracker, src, dst mac) {
	e.releaseSweep(src) // sweeppoll.go
	k := macKey(src)
	inc := e.scans[k]
	if inc == nil {
		if len(e.scans) >= e.cfg.MaxTrackers {
			e.counters.TrackersDropped++
			e.report(ev, src, dst)
			return
		}
		inc = &scanIncident{src: src, first: ev, dst: dst, start: start, fast: tr != nil, seen: map[netip.Addr]struct{}{}}
		if tr != nil {
			inc.said = tr.said
		}
		e.scans[k] = inc
	}
	if tr != nil {
		inc.probes = append(inc.probes, tr)
		if !inc.fast && ev.TargetIP == inc.first.TargetIP {
			inc.first, inc.dst, inc.fast, inc.said = ev, dst, true, tr.said
		}
	}
	if start.Before(inc.start) {
		inc.start = start
	}
	if _, ok := inc.seen[ev.TargetIP]; ok {
		e.counters.EventsSuppressed++ // the other detector's event for this target
		return
	}
	if len(inc.seen) < scanSeenMax && e.scanSeen < e.cfg.MaxTrackers {
		inc.seen[ev.TargetIP] = struct{}{}
		e.scanSeen++
	} else {
		e.counters.TrackersDropped++
	}
	inc.last = ev.Time
	inc.n++
	if len(inc.targets) < scanTargetsKept {
		inc.targets = append(inc.targets, ev.TargetIP)
	}
	if due := e.nanos(inc.last) + int64(scanGather); e.scanDue == 0 || due < e.scanDue {
		e.scanDue = due
	}
}

// flushScans reports the incidents quiet for scanGather (all of them when
// all is set: the end of a replay or of the watch).
func (e *Engine) flushScans(now time.Time, all bool) {
	at := e.nanos(now)
	due := flushHeld(e, &e.floodsHeld, at, all)                   // floodhold.go, arphold.go
	due = earliest(due, e.flushARPHeld(at, all))                  // arphold.go
	due = earliest(due, e.flushLoneDAD(at, all))                  // dad6.go
	due = earliest(due, flushHeld(e, &e.ndHeld, at, all))         // ndhold.go
	due = earliest(due, flushHeld(e, &e.redirHeld, at, all))      // redirhold.go
	due = earliest(due, e.flushRAHeld(at, all))                   // rahold.go
	due = earliest(due, e.flushTFTPHeld(at, all))                 // tftpheld.go
	due = earliest(due, flushHeld(e, &e.trapHeld, at, all))       // snmptraps.go
	due = earliest(due, e.flushMACHeld(at, all))                  // macflood.go
	due = earliest(due, e.flushCARP(at, all))                     // carp.go
	due = earliest(due, e.flushMalformed(at, all))                // malformedip.go
	due = earliest(due, flushHeld(e, &e.sweepsHeld, at, all))     // sweepsvc.go
	due = earliest(due, e.flushDHCPPair(at, all))                 // dhcppair.go
	due = earliest(due, e.flushWater(at, all))                    // dnswater.go
	due = earliest(due, flushHeld(e, &e.lateral, at, all))        // lateralhold.go
	due = earliest(due, flushHeld(e, &e.forgedReq.held, at, all)) // reflectforged.go
	e.scanDue = due
	var out []uint64
	for k, inc := range e.scans {
		due := inc.last.Add(scanGather)
		if inc.last.Sub(inc.start) >= e.cfg.Cooldown {
			due = inc.last // reported now: an endless scan is still an alert
		}
		if !all && now.Before(due) {
			if d := e.nanos(due); e.scanDue == 0 || d < e.scanDue {
				e.scanDue = d
			}
			continue
		}
		out = append(out, k)
	}
	// Several due at once are reported in the order they began, not the
	// map's (which differs from run to run): a replay prints the same events.
	// (An insertion sort: a flush holds one or a few, and sort.Slice would
	// link sort's generic-free pdqsort, ~4 kB.)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && e.scanBefore(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	for _, k := range out {
		inc := e.scans[k]
		delete(e.scans, k)
		e.scanSeen -= len(inc.seen)
		e.reportScan(inc)
	}
}

// scanBefore orders held scans by when they began, then by source.
func (e *Engine) scanBefore(a, b uint64) bool {
	ta, tb := e.scans[a].first.Time, e.scans[b].first.Time
	if !ta.Equal(tb) {
		return ta.Before(tb)
	}
	return a < b
}

// reportScan reports one target's scan as it was raised, or a multi-host
// scan as one event naming the culprit, the number of targets and them.
func (e *Engine) reportScan(inc *scanIncident) {
	if raised, ok := e.floodScan(inc); ok { // scanflood.go
		e.reportKey(newQuietKey(inc.first.Type, inc.src, inc.dst, inc.first.TargetIP), foldedScan(inc.first, raised))
		return
	}
	if inc.n == 1 {
		e.refreshProbes(inc) // scanlate.go: the count past the threshold
		// A straggler of a multi-host scan already reported is part of it.
		if !e.quieted(newQuietKey(inventory.EventPortScan, inc.src, mac{}, netip.Addr{}), inc.last) {
			e.raiseRecurring(newQuietKey(inc.first.Type, inc.src, inc.dst, inc.first.TargetIP), inc.first, inc.src, 1, inc.ports(), maps.Keys(inc.seen))
		}
		return
	}
	var sum [nKinds]int
	frags := 0
	for _, tr := range inc.probes {
		for i, n := range tr.kinds {
			sum[i] += n
		}
		frags += tr.frags
	}
	var kinds []string
	for i, n := range sum {
		if n > 0 {
			kinds = append(kinds, fmt.Sprintf("%s %d", kindNames[i], n))
		}
	}
	targets := slices.Clone(inc.targets)
	slices.SortFunc(targets, netip.Addr.Compare)
	list := join(targets)
	if inc.n > len(targets) {
		list += fmt.Sprintf(" … (%d more)", inc.n-len(targets))
	}
	ev := inc.first
	ev.Time = inc.last // when the latest target crossed: the cooldown runs from there
	ev.TargetMAC, ev.TargetIP = nil, netip.Addr{}
	// The scan's span: from its first counted probe to its last probe of
	// any target, not to the last target's crossing of the threshold (nmap
	// scans its hosts in parallel: all ten crossed within one second of a
	// scan that went on for seconds, review 35b openvas_declared).
	end := inc.last
	for _, tr := range inc.probes {
		if t := e.timeAt(tr.lastAt); tr.lastAt != 0 && t.After(end) {
			end = t
		}
	}
	ev.Summary = fmt.Sprintf("%s port-scanned %d hosts between %s and %s (%s)", describe(inc.src, ev.IP), inc.n,
		inc.start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339), roundDur(end.Sub(inc.start)))
	ev.Evidence = []inventory.Evidence{
		{Source: "traffic", Detail: fmt.Sprintf("%d targets: %s", inc.n, list)},
		{Source: "traffic", Detail: fmt.Sprintf("probes: %s", strings.Join(kinds, ", "))},
		{Source: "traffic", Detail: fmt.Sprintf("one incident: each target crossed the port-scan threshold within %s of the previous one", scanGather)},
	}
	ev.Evidence = append(fragEvidence(ev.Evidence, frags), inc.first.Evidence[len(inc.first.Evidence)-1])
	e.raiseRecurring(newQuietKey(ev.Type, inc.src, mac{}, netip.Addr{}), ev, inc.src, inc.n, inc.ports(), maps.Keys(inc.seen)) // recurscan.go
}

// Flush reports what the engine still holds back (port scans gathering
// targets, password guessing going on); a replay calls it at the end of its captures.
func (e *Engine) Flush() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.flushSlow() // slowscan.go: into the scans gathering
	e.flushScans(e.now, true)
	e.flushBrute(e.now, true)
	e.flushSweeps()
	flushHeld(e, &e.sweepsHeld, e.clock, true) // sweepsvc.go: the sweeps flushSweeps raised, held for their services
	e.settleStarvation(e.clock, true)
	if len(e.l2.hop.hosts) > 0 {
		e.vlanHopsDue(true) // vlanhop.go: double tags held for a trunk's signs
	}
	e.flushDNSHeld(true) // dnsrace.go
}

// earliest is the sooner of two due times in nanos, 0 meaning none.
func earliest(a, b int64) int64 {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}
