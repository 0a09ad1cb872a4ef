package traffic

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tend/inventory"
)

// An ARP poisoner claims many addresses at once: ettercap's arp:remote
// tells the gateway every victim is at its MAC and every victim the
// gateway is, bettercap's arp.spoof with fullduplex each target and the
// gateway in turn, every second. Its first conflicting claim raises
// arp_spoof (conflict) and the others are that incident. The event is
// held for arpGather after the latest new claim, at most arpHold after it
// was raised, and lists every address the MAC claimed meanwhile and to
// whom (the target address of the frame), and how many claims it made
// (review 31a: the event named one address of five). It keeps the time it
// was raised.
const (
	arpGather = 2 * time.Second
	arpHold   = scanGather
	// arpClaimsKept bounds the claims (address, target) an incident lists
	// (the count goes on); arpHeldMax the incidents held at once (past it,
	// one is reported as raised).
	arpClaimsKept = 64
	arpHeldMax    = 64
)

// arpIncident is a raised arp_spoof event being gathered.
type arpIncident struct {
	ev      inventory.Event
	culprit mac
	victim  mac
	due     int64 // on the engine's clock
	last    time.Time
	claims  []arpClaimTo // distinct, in the order first made
	n       int          // claims (frames) of addresses other than its own
	// culpritClaimed and victimClaimed: each party claimed the disputed
	// address (the event's TargetIP) in ARP after the event was raised
	// (handedOver, takeover.go).
	culpritClaimed, victimClaimed bool
}

// arpClaimTo is one address claimed, and the target address of the frame.
type arpClaimTo struct{ ip, to netip.Addr }

// holdARPSpoof holds ev, raised at t for culprit against victim.
func (e *Engine) holdARPSpoof(ev inventory.Event, culprit, victim mac) {
	if len(e.arpHeld) >= arpHeldMax {
		e.counters.TrackersDropped++
		e.report(ev, culprit, victim)
		return
	}
	inc := &arpIncident{ev: ev, culprit: culprit, victim: victim, last: ev.Time, due: e.nanos(ev.Time) + int64(arpGather)}
	if !e.reserve(newQuietKey(ev.Type, culprit, victim, ev.TargetIP), ev.Time) {
		return
	}
	hold(e, &e.arpHeld, inc)
}

// noteHeldClaim counts an ARP frame from sha claiming spa, sent to the
// address tpa at t, in sha's incident being gathered, if any: a claim of
// an address other than its own (the event's address).
func (e *Engine) noteHeldClaim(t time.Time, sha mac, spa, tpa netip.Addr) {
	for _, inc := range e.arpHeld {
		if spa == inc.ev.TargetIP && t.After(inc.ev.Time) {
			inc.victimClaimed = inc.victimClaimed || sha == inc.victim
			inc.culpritClaimed = inc.culpritClaimed || sha == inc.culprit
		}
		if inc.culprit != sha || spa == inc.ev.IP {
			continue
		}
		inc.n++
		inc.last = t
		c := arpClaimTo{spa, tpa}
		for _, k := range inc.claims {
			if k == c {
				return
			}
		}
		if len(inc.claims) < arpClaimsKept {
			inc.claims = append(inc.claims, c)
		}
		first := e.nanos(inc.ev.Time)
		inc.due = min(e.nanos(t)+int64(arpGather), first+int64(arpHold))
		return
	}
}

// flushARPHeld reports the held arp_spoof incidents due at now (all when
// all is set), in the order they were raised, and returns when the next
// is due (0: none).
func (e *Engine) flushARPHeld(now int64, all bool) (next int64) {
	kept := e.arpHeld[:0]
	for _, inc := range e.arpHeld {
		if (all || now >= inc.due) && e.handedOver(inc) {
			// The address moved between two hosts (takeover.go): no
			// poisoning, and the culprit's later claims are judged anew.
			e.counters.Events--
			e.counters.EventsSuppressed++
			if h := e.hosts[macKey(inc.culprit)]; h != nil {
				h.spoofed = time.Time{}
			}
			continue
		}
		kept = append(kept, inc)
	}
	clear(e.arpHeld[len(kept):])
	e.arpHeld = kept
	return flushHeld(e, &e.arpHeld, now, all)
}

// heldIncident is an event held while it gathers its evidence (an
// arp_spoof's or nd_spoof's claims, a flood's packets, a sweep's services,
// a client's servers...): when it is due, and the event it makes then,
// emitted (emitHeld: reserved when it was held, or by event itself; none
// when its Type is empty).
type heldIncident interface {
	dueAt() int64
	event(e *Engine) inventory.Event
}

func (inc *arpIncident) dueAt() int64 { return inc.due }

// hold appends inc to *held and has the engine flush it when it is due
// (flushScans).
func hold[T heldIncident](e *Engine, held *[]T, inc T) {
	*held = append(*held, inc)
	e.scanDue = earliest(e.scanDue, inc.dueAt())
}

// flushHeld raises *held's incidents due at now (all when all is set), in
// the order they were held, keeps the others and returns when the next is
// due (0: none).
func flushHeld[T heldIncident](e *Engine, held *[]T, now int64, all bool) (next int64) {
	kept := (*held)[:0]
	for _, inc := range *held {
		if due := inc.dueAt(); !all && now < due {
			kept = append(kept, inc)
			next = earliest(next, due)
			continue
		}
		e.emitHeld(inc.event(e))
	}
	clear((*held)[len(kept):])
	*held = kept
	return next
}

// event is inc's event with the claims it gathered: the count of
// conflicting claims, and every address claimed and to whom.
func (inc *arpIncident) event(*Engine) inventory.Event {
	ev := inc.ev
	if inc.n == 0 {
		return ev
	}
	ev.Evidence = append([]inventory.Evidence(nil), ev.Evidence...)
	ips := inc.addresses()
	for i, x := range ev.Evidence {
		if strings.HasSuffix(x.Detail, " conflicting claims so far") {
			ev.Evidence[i].Detail = fmt.Sprintf("%s of %s by %s", plural(inc.n, "conflicting claim"), plural(len(ips), "address"), macString(inc.culprit))
			if inc.last.After(ev.Time) {
				ev.Evidence[i].Detail += " within " + roundDur(inc.last.Sub(ev.Time)).String()
			}
		}
	}
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "arp", Detail: "claimed " + inc.claimList(ips)})
	if len(ips) > 1 {
		ev.Summary = strings.TrimSuffix(ev.Summary, ": ARP spoofing") + ", and " + plural(len(ips)-1, "other address") + ": ARP spoofing"
	}
	return ev
}

// addresses is the distinct addresses inc's claims name, in order.
func (inc *arpIncident) addresses() []netip.Addr {
	var ips []netip.Addr
	for _, c := range inc.claims {
		if !slicesContains(ips, c.ip) {
			ips = append(ips, c.ip)
		}
	}
	return ips
}

// claimList is every address of ips claimed and to whom: "10.0.0.1 to
// 10.0.0.11, 10.0.0.12; 10.0.0.11 to 10.0.0.1".
func (inc *arpIncident) claimList(ips []netip.Addr) string {
	var parts []string
	for _, ip := range ips {
		var to []string
		for _, c := range inc.claims {
			switch {
			case c.ip != ip:
			case !c.to.IsValid() || c.to.IsUnspecified() || c.to == c.ip:
				to = append(to, "everyone (gratuitous or blind)")
			default:
				to = append(to, c.to.String())
			}
		}
		parts = append(parts, ip.String()+" to "+strings.Join(to, ", "))
	}
	s := strings.Join(parts, "; ")
	if len(inc.claims) == arpClaimsKept {
		s += " …"
	}
	return s
}

// reserve does what report does for an event of k raised at t but emit
// it: the event is held (gathered) and emitted later (emitHeld), while
// the events it suppresses are suppressed from t, as if it had been
// reported then. It reports whether the event is to be emitted.
func (e *Engine) reserve(k quietKey, t time.Time) bool {
	if e.quieted(k, t) {
		return false
	}
	if len(e.quiet) >= e.cfg.MaxTrackers && !e.makeQuietRoom(k.typ) {
		e.counters.EventsDropped++
		return false
	}
	if e.quiet[k] = t.Add(e.cfg.Cooldown); e.quietN != nil {
		e.quietN[k.typ]++
	}
	e.counters.Events++
	return true
}

// emitHeld emits ev, a held event reserve counted (none if its Type is
// empty: heldIncident's event made none).
func (e *Engine) emitHeld(ev inventory.Event) {
	if e.emit != nil && ev.Type != "" {
		e.nameSIPTool(&ev) // siptool.go
		e.emit(ev)
	}
}

// plural is n and noun, in the plural unless n is 1: "1 address", "2
// addresses", "3 claims".
func plural(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "s"):
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
