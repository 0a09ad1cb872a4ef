package traffic

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tend/inventory"
)

// An IPv6 neighbour spoofer claims many addresses: parasite6 answers every
// neighbour solicitation on the link with its own MAC, so each host that
// resolves a neighbour hands it one more address, the default router's
// among them (review 32b: six nd_spoof High, one per victim, the router's
// last and no higher). As arphold.go does for ARP, a MAC's first spoofed
// claim raises nd_spoof and its later ones are that incident: the event is
// held for ndGather after the latest new address, at most ndHold after it
// was raised, lists every address claimed and whose it was, and is
// Critical when one is a router's (the default router's or the IPv4
// gateway's MAC owned it): the hosts' traffic off the link goes through
// the spoofer, as arp_spoof with gateway_changed says for IPv4.
const (
	// ndGather: hosts resolve neighbours as their entries go stale, each on
	// its own randomised ReachableTime (RFC 4861 6.3.2), and probe a stale
	// one DELAY_FIRST_PROBE_TIME (5 s) after using it, then up to 3 times
	// RetransTimer (1 s) apart (7.3.3, 10): parasite6's claims come 5 s
	// apart.
	ndGather = 8 * time.Second
	ndHold   = scanGather
	// ndClaimsKept bounds the addresses an incident lists (the count goes
	// on); ndHeldMax the incidents held at once (past it, one is reported
	// as raised).
	ndClaimsKept = 32
	ndHeldMax    = 32
)

// ndIncident is a raised nd_spoof event being gathered.
type ndIncident struct {
	ev      inventory.Event
	culprit mac
	victim  mac
	due     int64 // on the engine's clock
	last    time.Time
	claims  []ndClaimOf // distinct addresses, in the order first claimed
	n       int         // spoofed claims (frames)
	router  *ndClaimOf  // the first router's address claimed, if any
}

// ndClaimOf is an address claimed and the MAC it belonged to.
type ndClaimOf struct {
	ip    netip.Addr
	owner mac
}

// holdNDSpoof holds ev, m's spoofed claim of ip owned by owner, or adds
// the claim to m's incident being gathered.
func (e *Engine) holdNDSpoof(ev inventory.Event, m, owner mac, ip netip.Addr) {
	for _, inc := range e.ndHeld {
		if inc.culprit == m {
			e.addNDClaim(inc, ev.Time, ip, owner)
			return
		}
	}
	if len(e.ndHeld) >= ndHeldMax {
		e.counters.TrackersDropped++
		e.report(ev, m, owner)
		return
	}
	if !e.reserve(newQuietKey(ev.Type, m, owner, ev.TargetIP), ev.Time) {
		return
	}
	inc := &ndIncident{ev: ev, culprit: m, victim: owner}
	e.addNDClaim(inc, ev.Time, ip, owner)
	e.ndHeld = append(e.ndHeld, inc)
}

// addNDClaim counts a spoofed claim of ip (owner's) at t in inc, and puts
// its end off by ndGather when the address is new to it.
func (e *Engine) addNDClaim(inc *ndIncident, t time.Time, ip netip.Addr, owner mac) {
	inc.n++
	inc.last = t
	// The incident stands for this claim as long as an event of its own
	// would (Cooldown): a spoofer that goes on claiming it after the
	// incident was reported raises no event per address.
	if k := newQuietKey(inventory.EventNDSpoof, inc.culprit, owner, ip); len(e.quiet) < e.cfg.MaxTrackers && t.Add(e.cfg.Cooldown).After(e.quiet[k]) {
		e.quiet[k] = t.Add(e.cfg.Cooldown)
	}
	for _, c := range inc.claims {
		if c.ip == ip {
			return
		}
	}
	if len(inc.claims) < ndClaimsKept {
		inc.claims = append(inc.claims, ndClaimOf{ip, owner})
		if inc.router == nil && e.routerMAC(owner) {
			inc.router = &inc.claims[len(inc.claims)-1]
		}
	}
	inc.due = min(e.nanos(t)+int64(ndGather), e.nanos(inc.ev.Time)+int64(ndHold))
	if e.scanDue == 0 || inc.due < e.scanDue {
		e.scanDue = inc.due
	}
}

func (inc *ndIncident) dueAt() int64 { return inc.due }

// event is inc's event with what it gathered: every address claimed and
// whose, and Critical when a router's is among them.
func (inc *ndIncident) event(*Engine) inventory.Event {
	ev := inc.ev
	if len(inc.claims) < 2 && inc.router == nil {
		return ev
	}
	ev.Evidence = append([]inventory.Evidence(nil), ev.Evidence...)
	var parts []string
	for _, c := range inc.claims {
		parts = append(parts, c.ip.String()+" ("+macString(c.owner)+")")
	}
	s := strings.Join(parts, ", ")
	if len(inc.claims) == ndClaimsKept {
		s += " …"
	}
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "ndp", Detail: fmt.Sprintf("%s claimed %s in %s within %s: %s",
		macString(inc.culprit), plural(len(inc.claims), "address"), plural(inc.n, "spoofed advertisement"), roundDur(inc.last.Sub(ev.Time)), s)})
	if len(inc.claims) > 1 {
		ev.Summary = strings.TrimSuffix(ev.Summary, ": IPv6 neighbour spoofing") + ", and " + plural(len(inc.claims)-1, "other address") + ": IPv6 neighbour spoofing"
	}
	if r := inc.router; r != nil {
		ev.Severity = inventory.SeverityCritical
		ev.Summary += fmt.Sprintf("; it claims the router's %s (%s): traffic leaving the link goes through it", r.ip, macString(r.owner))
	}
	return ev
}
