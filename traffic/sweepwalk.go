package traffic

import (
	"fmt"
)

// A held sweep (sweeppoll.go) waits sweepHold, six minutes, for the second
// round that makes it a poll, since a monitor's first round after the box
// starts looks like any sweep of live hosts. One shape needs no second
// round (notes 37-40: nmap -sn and nmap -6 sweeps of a mostly-live range
// raised only after the hold): a round that walked a run of consecutive
// addresses, sweepWalkRun or more, making up nine in ten of its hosts,
// with one in ten or more of them silent. A poller probes the hosts it
// knows; a silent one among them is a host that went down, and a full
// run of addresses with several silent is a range walked to find who is
// there. Judged when the round's window ends (endRound), with its
// replies in; a round nine in ten alive (a poll with a host or two down,
// review 38's monitor_dead 60 of 63) keeps its hold.
const sweepWalkRun = 32

// raiseWalk raises tr's held sweep of heldN hosts, heldAlive of them
// heard, when it walked a range (above): it reports whether it did.
func (e *Engine) raiseWalk(tr *sweepTracker) bool {
	n, alive := tr.heldN, tr.heldAlive
	if n < sweepWalkRun || 10*alive >= sweepAliveTenths*n || n-alive < 3 {
		return false
	}
	best := 0
	for a := range tr.hosts {
		if _, ok := tr.hosts[a.Prev()]; ok {
			continue // not a run's first address
		}
		run := 0
		for b := a; b.IsValid(); b = b.Next() {
			if _, ok := tr.hosts[b]; !ok {
				break
			}
			run++
		}
		best = max(best, run)
	}
	if best < sweepWalkRun || 10*best < sweepAliveTenths*n {
		return false
	}
	e.raiseHeld(tr, fmt.Sprintf("it walked %d consecutive addresses, %d of its %d hosts silent: a range swept to find who is there, no poll of known hosts", best, n-alive, n))
	return true
}
