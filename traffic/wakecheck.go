package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/inventory"
)

// An RMM or patch server ("wake and patch": PDQ, ManageEngine, WSUS wake
// scripts) wakes the PCs it is about to patch with Wake-on-LAN magic
// packets (UDP to port 9 or 7, or ethertype 0x0842: six 0xff and the PC's
// MAC sixteen times) and pings them a few seconds later to see which came
// up (review 38 FP 3: fping -c 2 of the 30 PCs it woke). A sweep of the
// hosts one just woke by their MACs is a check of known hosts, not
// discovery: an attacker's sweep looks for hosts it does not know.

// wakeMemory is how long a wake is remembered: a PC takes a minute or two
// to boot, and the tools check for some minutes.
const wakeMemory = 15 * time.Minute

// wakeSlots is how many wakes are remembered, the oldest overwritten first
// (an office's RMM wakes a few hundred PCs at most).
const wakeSlots = 512

type wakeRec struct {
	src, target mac
	at          int64 // in nanoseconds (nanos)
}

// wakeLog holds the latest magic packets' senders and targets.
type wakeLog struct {
	recs [wakeSlots]wakeRec
	next int
	n    int
}

// noteWake remembers that src sent a magic packet waking target.
func (e *Engine) noteWake(src, target mac) {
	if e.wakes == nil {
		e.wakes = &wakeLog{}
	}
	w := e.wakes
	for i := range w.n {
		if r := &w.recs[i]; r.src == src && r.target == target {
			r.at = e.clock
			return
		}
	}
	r := &w.recs[w.next]
	if w.n == wakeSlots && e.clock-r.at <= int64(wakeMemory) {
		e.counters.TrackersDropped++ // an unexpired wake given up
	}
	*r = wakeRec{src, target, e.clock}
	w.next = (w.next + 1) % wakeSlots
	w.n = min(w.n+1, wakeSlots)
}

// wokeAt returns when src last woke target, and whether it did within
// wakeMemory.
func (w *wakeLog) wokeAt(src, target mac, now int64) (int64, bool) {
	for i := range w.n {
		if r := &w.recs[i]; r.src == src && r.target == target && now-r.at <= int64(wakeMemory) {
			return r.at, true
		}
	}
	return 0, false
}

// wokenBy reports whether src woke the MAC bound to address a within
// wakeMemory, and when.
func (e *Engine) wokenBy(src mac, a netip.Addr) (int64, bool) {
	if e.wakes == nil {
		return 0, false
	}
	if b := e.sweptBinding(a); b != nil {
		return e.wakes.wokeAt(src, b.mac, e.clock)
	}
	return 0, false
}

// countWoken counts tr's hosts whose MACs src woke (wokenBy), and returns
// the earliest wake.
func (e *Engine) countWoken(tr *sweepTracker, src mac) (n int, first int64) {
	if e.wakes == nil {
		return 0, 0
	}
	for a := range tr.hosts {
		if at, ok := e.wokenBy(src, a); ok {
			n++
			if first == 0 || at < first {
				first = at
			}
		}
	}
	return n, first
}

// wakeCheck raises tr's held sweep at info when nine in ten of its hosts
// are MACs its source woke with magic packets within wakeMemory (their
// addresses' bindings name the MAC), and reports whether it did. It
// counts the hosts again: a round's woken hosts are judged on the whole
// round.
func (e *Engine) wakeCheck(tr *sweepTracker) bool {
	if e.wakes == nil || tr.held == nil || len(tr.hosts) == 0 {
		return false
	}
	woken, first := e.countWoken(tr, tr.heldSrc)
	if tr.heldWoken = woken; 10*woken < sweepAliveTenths*len(tr.hosts) {
		return false
	}
	ev, src, n := *tr.held, tr.heldSrc, len(tr.hosts)
	e.unhold(tr)
	ev.Severity = inventory.SeverityInfo
	ev.Summary = fmt.Sprintf("%s checked %d hosts, %d of them MACs it had woken with Wake-on-LAN magic packets %s before (a wake check)",
		describe(src, tr.srcIP), n, woken, roundDur(time.Duration(tr.start-first).Abs()))
	e.reportKey(quietKey{inventory.EventHostSweep, src, mac{}, "poll"}, ev)
	return true
}
