package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/inventory"
)

// A monitoring server sweeps the same hosts on a fixed period: Nagios's
// host checks (check_ping) and SmokePing's fping every minute, an SNMP
// poller walking every switch every one to five minutes (PRTG 60 s,
// LibreNMS and Cacti 5 min). Every host it checks is one it knows, so
// nearly every one answers, and the few that do not are what it watches
// for (a laptop off, a retired printer, often adjacent addresses); an
// attacker's discovery sweep probes a range to find who is there, and the
// empty addresses never answer. So a sweep is held back for sweepHold
// unless most of its hosts are empty (fewer than half heard since it
// began: arp-scan of a /24) or its source woke them (wakecheck.go): if the
// same source sweeps the same hosts again (dead ones included) within
// sweepPollMemory of the first, it is a poll, raised at info (once per
// Cooldown); if not, it is raised as a host sweep when the hold ends (or
// at the end of a replay). The alive share is judged on the whole round,
// when its window ends: a share counted as the round grows counts the
// replies still in flight as down, and fping walks its list in address
// order, so three adjacent down hosts tipped a round 95% alive (review
// 38 FP 2). No learning and no setting: the second sweep tells.
const (
	sweepAliveTenths = 9                // tenths of the swept hosts that must be alive: one down host in ten is what a poll watches for
	sweepHold        = 6 * time.Minute  // a five-minute poller's second sweep, and a minute's slack
	sweepPollMemory  = 16 * time.Minute // the last sweep is remembered so long: a quarter-hour poll is a poll too
	sweepKeepHosts   = 1024             // hosts a sweep records after its threshold, to compare the next one with
)

// sweepPoll is what a sweep tracker keeps beyond its window: the hosts of
// the source's last sweep, and the report held back.
type sweepPoll struct {
	prev      map[netip.Addr]struct{} // the hosts of the last sweep (nil: none yet)
	prevStart int64                   // in nanoseconds (nanos)
	held      *inventory.Event        // a sweep of live hosts waiting for its second round
	heldUntil time.Time
	heldSrc   mac
	heldAlive int // sweepAlive when last counted while held: it only grows (recheckHeld)
	heldN     int // the held round's hosts when its window ended (0: not yet; endRound)
	heldWoken int // the held round's hosts its source woke (wakecheck.go), counted as they come
	// raised says the window's round was raised as a host sweep,
	// prevRaised the last round's: its repeat is no poll (samePoll).
	raised, prevRaised bool
	// resolved holds the held ARP sweep's hosts, talked those the source
	// has sent a datagram or segment with data to in a later round
	// (watchResolved).
	resolved, talked map[netip.Addr]struct{}
	// fetch holds, per host resolved, what its connections from the
	// source showed (webfetch.go).
	fetch map[netip.Addr]uint16
	// later holds the hosts a watched sweep went on to probe while held.
	later map[netip.Addr]struct{}
	// refused holds the held round's hosts that refused a port its
	// source probed (sweepRefused).
	refused map[netip.Addr]struct{}
}

// sweepAlive counts the swept hosts heard since the sweep began: an ARP
// or neighbour binding names the MAC that owns the address, and that
// host sent a frame since.
func (e *Engine) sweepAlive(tr *sweepTracker) int {
	n := 0
	for a := range tr.hosts {
		if b := e.sweptBinding(a); b != nil {
			if h := e.hosts[macKey(b.mac)]; h != nil && h.last >= tr.start {
				n++
			}
		}
	}
	return n
}

// sweptBinding returns the ARP or neighbour binding of a swept host, or nil.
func (e *Engine) sweptBinding(a netip.Addr) *binding {
	if a.Is6() && !a.Is4In6() {
		return e.nd[a]
	}
	return e.arp[a]
}

// rollSweep ends tr's window: a sweep's hosts become the last sweep.
func (tr *sweepTracker) rollSweep() {
	if tr.done {
		tr.prev, tr.hosts = tr.hosts, tr.prev
		if tr.hosts == nil {
			tr.hosts = map[netip.Addr]struct{}{}
		}
		tr.prevStart, tr.prevRaised = tr.start, tr.raised
	}
	tr.raised = false
	clear(tr.hosts)
	clear(tr.kinds)
	tr.done, tr.last = false, netip.Addr{}
}

// arpOnly reports whether tr's sweep is made of ARP requests alone.
func (tr *sweepTracker) arpOnly() bool { return len(tr.kinds) == 1 && tr.kinds["ARP"] > 0 }

// samePoll reports whether tr's hosts are those of the source's last
// sweep, begun within sweepPollMemory: nine in ten of them again. A sweep
// of ARP requests alone is no poll round: a poller's later rounds find its
// cache warm (see maxResolving), arp-scan run twice does not.
func (tr *sweepTracker) samePoll() bool {
	if tr.prev == nil || tr.arpOnly() || time.Duration(tr.start-tr.prevStart) > sweepPollMemory {
		return false
	}
	same := 0
	for a := range tr.hosts {
		if _, ok := tr.prev[a]; ok {
			same++
		}
	}
	return 10*same >= sweepAliveTenths*len(tr.hosts)
}

// raiseSweep decides what a sweep that crossed the threshold is: a poll
// (info now), a sweep to judge on its whole round (held), or a host sweep
// of mostly empty addresses (now).
func (e *Engine) raiseSweep(tr *sweepTracker, src mac, ev inventory.Event) {
	alive := e.sweepAlive(tr)
	// A ping to all nodes (alive6) is answered by every host, but no
	// poller checks its hosts so: it addresses each.
	if tr.kinds["ICMPv6 all-nodes echo"] > 0 || e.scans[macKey(src)] != nil {
		e.raiseSweepIncident(tr, src, ev) // recurscan.go
		return
	}
	// A repeat of a round held or polled is a poll, its dead hosts
	// included; one of a round raised is a poll only nine in ten alive,
	// as an attacker's second run of the same range is not.
	if tr.samePoll() && (!tr.prevRaised || 10*alive >= sweepAliveTenths*len(tr.hosts)) {
		e.pollRound(tr, src, alive, ev)
		return
	}
	woken, _ := e.countWoken(tr, src) // wakecheck.go
	if 2*alive < len(tr.hosts) && 10*woken < sweepAliveTenths*len(tr.hosts) {
		tr.raised = true
		e.raiseSweepIncident(tr, src, ev) // recurscan.go: mostly empty addresses
		return
	}
	if tr.held != nil {
		return
	}
	held := ev
	tr.held, tr.heldUntil, tr.heldSrc, tr.heldAlive, tr.heldN, tr.heldWoken = &held, ev.Time.Add(sweepHold), src, alive, 0, woken
	if tr.arpOnly() && len(e.resolving) < maxResolving {
		tr.resolved, tr.talked = make(map[netip.Addr]struct{}, len(tr.hosts)), map[netip.Addr]struct{}{}
		for a := range tr.hosts {
			tr.resolved[a] = struct{}{}
		}
		e.resolving = append(e.resolving, tr)
		tr.heldUntil = ev.Time.Add(sweepResolveHold)
	}
}

// pollRound raises tr's round, the same hosts as its last (samePoll), as
// a poll at info.
func (e *Engine) pollRound(tr *sweepTracker, src mac, alive int, ev inventory.Event) {
	e.unhold(tr) // its second round came: a poll
	ev.Severity = inventory.SeverityInfo
	ev.Summary = fmt.Sprintf("%s polled the same %d hosts again %s after its last round (a monitoring poll)",
		describe(src, tr.srcIP), len(tr.hosts), roundDur(time.Duration(tr.start-tr.prevStart)))
	ev.Evidence = append(ev.Evidence,
		inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("%d of the %d hosts answered; the last round of the same hosts began at %s",
			alive, len(tr.hosts), e.timeAt(tr.prevStart).UTC().Format(time.RFC3339))})
	// Its own quiet key: a poll's note must not mute a real sweep by the same source.
	e.reportKey(quietKey{inventory.EventHostSweep, src, mac{}, "poll"}, ev)
}

// recheckHeld raises tr's held sweep at once when the hosts its sweep went
// on to probe leave fewer than half alive: empty addresses, which no poll
// has (an ARP sweep of 150 addresses of which the first 26 answer), unless
// its source woke them. The sweep probe calls it as the held sweep adds a
// host (tr.last). Hosts are counted again only when those counted last are
// too few for the sweep's size: counting at every host made a held sweep
// of 1,000 live hosts cost 12 times as much. The nine in ten a poll's
// hosts answer is judged when the round ends (endRound).
func (e *Engine) recheckHeld(tr *sweepTracker) {
	tr.noteLater() // webfetch.go
	if _, ok := e.wokenBy(tr.heldSrc, tr.last); ok {
		tr.heldWoken++
	}
	if 2*tr.heldAlive >= len(tr.hosts) || 10*tr.heldWoken >= sweepAliveTenths*len(tr.hosts) {
		return
	}
	if tr.heldAlive = e.sweepAlive(tr); 2*tr.heldAlive < len(tr.hosts) {
		e.raiseEmpty(tr, len(tr.hosts))
	}
}

// raiseEmpty raises tr's held sweep of n hosts, heldAlive of them alive.
func (e *Engine) raiseEmpty(tr *sweepTracker, n int) {
	e.raiseHeld(tr, fmt.Sprintf("the same sweep went on to %d hosts, of which only %d answered: empty addresses, no poll", n, tr.heldAlive))
}

// endRound judges tr's held sweep when its round's window ends, its
// replies in: a round of hosts its source woke is a wake check (info);
// one mostly empty is raised now; else its hosts and those alive are kept
// for reportHeld, the round held for a second.
func (e *Engine) endRound(tr *sweepTracker) {
	if tr.held == nil || !tr.done || tr.heldN > 0 || e.wakeCheck(tr) {
		return
	}
	tr.heldAlive, tr.heldN = e.sweepAlive(tr), len(tr.hosts)
	if 2*tr.heldAlive < tr.heldN {
		e.raiseEmpty(tr, tr.heldN)
	}
}

// sweepRefused notes that target refused a port prober probed (a RST to
// its SYN, an ICMP port unreachable: slowscan.go's refusalOf). A monitor
// checks the services its hosts run and is let in; a hunt for one (nmap
// -p 502,3389 over a range of live PCs) meets closed ports on most hosts.
// So a held sweep half of whose hosts refused is raised at once, however
// many of them are alive, not when its hold ends.
func (e *Engine) sweepRefused(prober mac, target netip.Addr) {
	tr := e.sweeps[macKey(prober)]
	if tr == nil || tr.held == nil {
		return
	}
	hosts := tr.hosts
	if tr.heldN > 0 { // its round ended: rolled into prev
		hosts = tr.prev
	}
	if _, ok := hosts[target]; !ok {
		return
	}
	if tr.refused == nil {
		tr.refused = map[netip.Addr]struct{}{}
	}
	tr.refused[target] = struct{}{}
	if n := len(hosts); 2*len(tr.refused) >= n {
		e.raiseHeld(tr, fmt.Sprintf("%d of its %d hosts refused a port it probed (TCP RST, ICMP port unreachable): a hunt for a service, no poll", len(tr.refused), n))
	}
}

// reportHeld raises a held sweep that no second round followed.
func (e *Engine) reportHeld(tr *sweepTracker) {
	if tr.heldN == 0 { // its round not ended: the end of a replay
		if e.wakeCheck(tr) {
			return
		}
		tr.heldAlive, tr.heldN = e.sweepAlive(tr), len(tr.hosts)
	}
	if 10*tr.heldAlive < sweepAliveTenths*tr.heldN {
		e.raiseHeld(tr, fmt.Sprintf("only %d of its %d hosts answered, and no second round of the same hosts followed within %s: empty addresses, no poll",
			tr.heldAlive, tr.heldN, tr.heldUntil.Sub(tr.held.Time)))
		return
	}
	if len(e.fanOut) > 0 {
		hosts := tr.resolved
		if hosts == nil {
			hosts = tr.hosts
		}
		e.adminFanOut(tr, tr.held, hosts) // fanout.go: Low, an admin's logins to each
	}
	if tr.held.Severity != inventory.SeverityLow {
		e.webFetch(tr, tr.held) // webfetch.go: Low, a crawler's page from each
	}
	e.raiseHeld(tr, fmt.Sprintf("every host answered, but no second round of the same hosts followed within %s: no poll", tr.heldUntil.Sub(tr.held.Time)))
}

func (e *Engine) raiseHeld(tr *sweepTracker, why string) {
	ev := *tr.held
	tr.raised = true
	tr.prevRaised = tr.prevRaised || tr.heldN > 0 // its round ended: the last
	e.unhold(tr)
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: why})
	e.raiseSweepIncident(tr, tr.heldSrc, ev) // recurscan.go
}

// releaseSweep raises src's held sweep at once when src port-scans: a
// poller checks its hosts' services, it does not scan them (nmap's host
// discovery of live neighbours, then its SYNs).
func (e *Engine) releaseSweep(src mac) {
	if tr := e.sweeps[macKey(src)]; tr != nil && tr.held != nil {
		e.raiseHeld(tr, "every host answered, but the same source port-scanned: no poll")
	}
}

// expireSweeps runs every tick: held sweeps whose time came are raised,
// windows that ended roll over, and trackers with nothing left to
// remember are forgotten.
func (e *Engine) expireSweeps(now time.Time) {
	for k, tr := range e.sweeps {
		if tr.held != nil && !now.Before(tr.heldUntil) {
			e.reportHeld(tr)
		}
		if e.nanos(now)-tr.start <= int64(e.cfg.Window) {
			continue
		}
		e.endRound(tr)
		tr.rollSweep()
		if tr.held == nil && (tr.prev == nil || time.Duration(e.nanos(now)-tr.prevStart) > sweepPollMemory) {
			delete(e.sweeps, k)
		}
	}
	e.sweepHit = sweepHit{}
}

func heldBefore(a, b *sweepTracker) bool {
	if !a.held.Time.Equal(b.held.Time) {
		return a.held.Time.Before(b.held.Time)
	}
	return macKey(a.heldSrc) < macKey(b.heldSrc)
}

// flushSweeps raises every held sweep, in the order they crossed the
// threshold: the end of a replay.
func (e *Engine) flushSweeps() {
	var held []*sweepTracker
	for _, tr := range e.sweeps {
		if tr.held != nil {
			held = append(held, tr)
		}
	}
	for i := 1; i < len(held); i++ { // few: insertion, as flushBrute does
		for j := i; j > 0 && heldBefore(held[j], held[j-1]); j-- {
			held[j], held[j-1] = held[j-1], held[j]
		}
	}
	for _, tr := range held {
		e.reportHeld(tr)
	}
}

// A poller's first round after its ARP cache emptied (a reboot, a new
// target list) resolves every host it polls with a broadcast request, then
// talks to each: SNMP gets, a login, a query. Later rounds find the cache
// warm (Linux and Windows re-check an entry with a unicast request, which is
// no sweep probe) and talk to each again. An ARP sweep (arp-scan, nmap -sn,
// ettercap) only asks, or asks and then tries each host once (onesixtyone's
// community strings, nbtscan's NBSTAT). So while a sweep of live hosts made
// of ARP requests alone is held, the source's datagrams and segments with
// data are watched: once it has sent some in a later round, sweepRoundGap or
// more after the sweep, to nine in ten of the hosts it resolved, they were
// resolved to be polled, and the sweep is raised at info.
const maxResolving = 4 // held ARP sweeps watched at once; the packet path compares each source

// sweepResolveHold is how long a held ARP sweep waits for the data: a
// one-minute poller's next round talks to every host again. A slower
// poller's first round after a reboot is raised; nping --arp or arp-scan
// of live hosts alone waits no longer.
const sweepResolveHold = 90 * time.Second

// sweepRoundGap is how long after the sweep the source's data to a host is
// a later round, the cache warm: less than a one-minute poller's period
// less its first round's length, more than a tool run after the sweep
// takes to try each host once (onesixtyone, nbtscan: well under a second
// a host).
const sweepRoundGap = 20 * time.Second

// watchResolved notes a datagram or segment with data from src to dstIP
// while ARP sweeps are held. The engine calls it only then.
func (e *Engine) watchResolved(src mac, dstIP netip.Addr) {
	for _, tr := range e.resolving {
		if tr.heldSrc != src {
			continue
		}
		if _, ok := tr.resolved[dstIP]; !ok {
			return
		}
		if e.now.Sub(tr.held.Time) < sweepRoundGap {
			return // the sweep's own round: resolving to try each once (onesixtyone, nbtscan), or a poller's first
		}
		tr.talked[dstIP] = struct{}{}
		if 10*len(tr.talked) < sweepAliveTenths*len(tr.resolved) {
			return
		}
		ev, n, again := *tr.held, len(tr.resolved), len(tr.talked)
		e.unhold(tr)
		ev.Severity = inventory.SeverityInfo
		ev.Summary = fmt.Sprintf("%s resolved %d live hosts' addresses and then talked to each, and again a round later (a poller's first rounds)", describe(src, tr.srcIP), n)
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic",
			Detail: fmt.Sprintf("ARP requests only, every host answered, and %d of them then got data from it %s or more after the sweep", again, sweepRoundGap)})
		e.reportKey(quietKey{inventory.EventHostSweep, src, mac{}, "poll"}, ev)
		return
	}
}

// unhold forgets tr's held sweep and stops watching it.
func (e *Engine) unhold(tr *sweepTracker) {
	tr.held, tr.resolved, tr.talked, tr.fetch, tr.later, tr.refused = nil, nil, nil, nil, nil, nil
	for i, w := range e.resolving {
		if w == tr {
			e.resolving = append(e.resolving[:i], e.resolving[i+1:]...)
			break
		}
	}
}
