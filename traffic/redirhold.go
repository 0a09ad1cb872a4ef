package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// An ICMPv6 redirect flood (review 43 P1): atk6-flood_redir6 sent 24,000
// redirects in a second under the router's address to one host, each
// naming a new random first hop and target link-layer address, in frames
// carrying the victim's own MAC as their source. Keyed by the forged first
// hop, each was an incident of its own: 8,192 nd_spoof High, then a full
// incident table. What the sender cannot vary for free is the address it
// claims (a host takes a redirect only from its current first-hop router's
// address, RFC 4861 8.1) and the host it redirects, so a redirect's
// incident is (that address, the victim). The event is held for
// redirGather after the incident's latest redirect, at most redirHold
// after it was raised, and counts the redirects and the first hops they
// named. Its culprit is the first hop when there is one (atk6-redir6
// names its own MAC: the traffic goes through it), else, when each
// redirect names another, the frames' source MAC, which a flood tool
// forges but does not vary.
const (
	redirGather = 2 * time.Second
	redirHold   = scanGather
	// redirHeldMax bounds the incidents held at once (past it, one is
	// reported as raised).
	redirHeldMax = 32
)

// redirIncident is a raised redirect nd_spoof being gathered.
type redirIncident struct {
	ev          inventory.Event
	victim, src mac        // src: the first redirect's frame's source MAC
	from, to    netip.Addr // the redirect's source (the router it claims to be) and destination (the redirected host)
	due         int64      // on the engine's clock
	last        time.Time
	n           int // redirects
	unseen      int // of them naming a first hop never heard on the link
	lastVia     mac
	vias        int // first hops named, counted as they change
}

func (inc *redirIncident) dueAt() int64 { return inc.due }

// heldRedirect is the incident of redirects under from's address of
// victim (of to when its MAC is not known) being gathered, or nil.
func (e *Engine) heldRedirect(victim mac, from, to netip.Addr) *redirIncident {
	for _, inc := range e.redirHeld {
		if inc.victim == victim && inc.from == from && (victim != (mac{}) || inc.to == to) {
			return inc
		}
	}
	return nil
}

// redirectKey is the quiet key of redirects under from's address of
// victim (of to when its MAC is not known): the redirected destination,
// the first hop and the frame's MACs, which a flood tool may vary per
// frame, are not in it.
func redirectKey(victim mac, from, to netip.Addr) quietKey {
	k := quietKey{inventory.EventNDSpoof, mac{}, victim, "redirect from " + from.String()}
	if victim == (mac{}) {
		k.detail += " to " + to.String()
	}
	return k
}

// holdRedirect raises ev, a redirect of victim (its address to) under
// from's address naming via, in a frame from src, held to gather the
// incident's later redirects.
func (e *Engine) holdRedirect(ev inventory.Event, src, victim, via mac, seen bool, from, to netip.Addr) {
	k := redirectKey(victim, from, to)
	if len(e.redirHeld) >= redirHeldMax {
		e.counters.TrackersDropped++
		e.reportKey(k, ev)
		return
	}
	if !e.reserve(k, ev.Time) {
		return
	}
	inc := &redirIncident{ev: ev, src: src, victim: victim, from: from, to: to}
	e.countRedirect(inc, ev.Time, via, seen)
	hold(e, &e.redirHeld, inc) // arphold.go
}

// countRedirect counts a redirect naming via at t in inc and puts its end
// off by redirGather.
func (e *Engine) countRedirect(inc *redirIncident, t time.Time, via mac, seen bool) {
	inc.n++
	inc.last = t
	if !seen {
		inc.unseen++
	}
	if inc.vias == 0 || via != inc.lastVia {
		inc.vias++
		inc.lastVia = via
	}
	inc.due = min(e.nanos(t)+int64(redirGather), e.nanos(inc.ev.Time)+int64(redirHold))
	e.scanDue = earliest(e.scanDue, inc.due)
}

// event is inc's event with its counts: a flood of redirects when there
// was more than one.
func (inc *redirIncident) event(*Engine) inventory.Event {
	ev := inc.ev
	if inc.n < 2 {
		return ev
	}
	ev.Evidence = append([]inventory.Evidence(nil), ev.Evidence...)
	d := fmt.Sprintf("%s under %s's address to %s within %s, naming %s", plural(inc.n, "redirect"), inc.from, describeOpt(inc.victim, inc.to), roundDur(inc.last.Sub(ev.Time)), plural(inc.vias, "first hop"))
	if inc.unseen > 0 {
		d += fmt.Sprintf(" (%d never heard on the link: forged, random)", inc.unseen)
	}
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "ndp", Detail: d})
	if inc.vias > 1 {
		ev.TargetIP, ev.MAC = inc.to, macOf(inc.src)
		ev.Summary = fmt.Sprintf("ICMPv6 redirect flood: %s under %s's address to %s within %s, naming %s, in frames from %s",
			plural(inc.n, "redirect"), inc.from, describeOpt(inc.victim, inc.to), roundDur(inc.last.Sub(ev.Time)), plural(inc.vias, "first hop"), macString(inc.src))
	}
	return ev
}

// redirectVictim is the host a redirect to dst in a frame to dstMAC
// redirects: dstMAC when unicast, else dst's owner by ND (a flood tool
// sends to a group MAC), else none.
func (e *Engine) redirectVictim(dstMAC mac, dst netip.Addr) mac {
	if unicast(dstMAC) {
		return dstMAC
	}
	if b := e.nd[dst]; b != nil {
		return b.mac
	}
	return mac{}
}

// describeOpt is describe, or ip alone when m is not known.
func describeOpt(m mac, ip netip.Addr) string {
	if m == (mac{}) {
		return ip.String()
	}
	return describe(m, ip)
}

// forgedSourceNote says that a redirect's frame carries its victim's own
// MAC as source: a forged frame.
func forgedSourceNote(p *capture.Packet, victim mac, to netip.Addr) string {
	src := capture.MAC6(p.Eth.SrcMAC)
	if src == victim && victim != (mac{}) || victim == (mac{}) && !unicast(capture.MAC6(p.Eth.DstMAC)) {
		return fmt.Sprintf("; the frame, from %s to %s, is no router's: forged (thc's flood_redir6 sends the redirected host's own MAC to a group MAC)", macString(src), macString(capture.MAC6(p.Eth.DstMAC)))
	}
	return ""
}

// whose is m, or ip when m is not known.
func whose(m mac, ip netip.Addr) string {
	if m == (mac{}) {
		return ip.String()
	}
	return macString(m)
}
