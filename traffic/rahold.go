package traffic

import (
	"time"

	"tend/inventory"
)

// flood_router26 forges a MAC and address per router advertisement: the
// first few, before raFlood has seen raFloodMACs new routers, each raised
// rogue_ra Critical naming an invented MAC, then the flood its own event
// (review 32b). A rogue_ra of a router first heard in that advertisement
// is held for raHoldFor: when the flood is declared meanwhile, the held
// events are folded into its one incident (which takes their severity);
// else they are reported as raised.

// raHoldFor is how long a new router's rogue_ra waits for a flood: the
// flood tools send an advertisement every few milliseconds, and a rogue
// router worth its name goes on advertising (an alert a second late).
const raHoldFor = time.Second

// raHeldEvent is a held rogue_ra.
type raHeldEvent struct {
	ev          inventory.Event
	src, victim mac
	due         int64 // on the engine's clock
}

// reportRA reports ev, a rogue_ra from src, or holds it when src was
// first heard in this advertisement (at ev.Time); while src's first is
// held, its next advertisements are that event.
func (e *Engine) reportRA(ev inventory.Event, src, victim mac) {
	for _, h := range e.raHeld {
		if h.src == src && h.victim == victim {
			return // its first, held, stands for it
		}
	}
	r := e.routers[src]
	if r == nil || !r.first.Equal(ev.Time) || len(e.raHeld) >= raFloodMACs {
		e.report(ev, src, victim)
		return
	}
	h := raHeldEvent{ev: ev, src: src, victim: victim, due: e.nanos(ev.Time) + int64(raHoldFor)}
	e.raHeld = append(e.raHeld, h)
	if e.scanDue == 0 || h.due < e.scanDue {
		e.scanDue = h.due
	}
}

// foldRAHeld drops the held rogue_ra events, now part of a flood, and
// returns the highest severity among them (Info: none).
func (e *Engine) foldRAHeld() inventory.Severity {
	sev := inventory.SeverityInfo
	for _, h := range e.raHeld {
		if h.ev.Severity.Rank() > sev.Rank() {
			sev = h.ev.Severity
		}
	}
	e.raHeld = e.raHeld[:0]
	return sev
}

// flushRAHeld reports the held rogue_ra events due at now (all when all is
// set), in order, and returns when the next is due (0: none).
func (e *Engine) flushRAHeld(now int64, all bool) (next int64) {
	n := 0
	for _, h := range e.raHeld {
		if !all && now < h.due {
			break
		}
		e.report(h.ev, h.src, h.victim)
		n++
	}
	e.raHeld = append(e.raHeld[:0], e.raHeld[n:]...)
	if len(e.raHeld) > 0 {
		return e.raHeld[0].due
	}
	return 0
}
