package traffic

import (
	"fmt"
	"iter"
	"maps"
	"net/netip"
	"time"

	"tend/inventory"
)

// A source that sweeps or scans on a schedule (a monitoring server's
// fping -g every five minutes, an inventory tool's nightly nmap) is one
// incident, not one every cooldown: 144 Highs a day at the hub for a
// five-minute poller nobody declared. So once a source's host sweep or
// port scan is raised, its later ones of the same kind within
// recurWindow of that raise are folded into it: an info event saying it
// continues, with the running count of rounds and when the incident was
// first and last seen (once per cooldown, as any event). The evidence was
// fair the first time and is shown once; the operator declares the source
// (known-scanner) or deals with it. A round that reaches further raises
// again at once: a target outside every /24 (IPv6: /64) of the raised round
// (the next subnet, a VLAN, the server range), or recurGrowth times its
// hosts (a sweep of a few live hosts that turns into one of the whole
// range). A port scan is folded only when every host it scanned was a
// target of the raised incident and it probed fewer than recurGrowth
// times the ports (review 32c E1: a scan of other hosts of the same /24
// hours later is a new incident, not a poller's round). After recurWindow the next round raises again: a daily
// reminder that an undeclared scanner still scans. An incident is a
// source's: its MAC, and its address where the MAC carries others' too (a
// router's, which every routed scanner comes through, or an off-LAN
// address, which only a router forwards): two scanners behind the router
// are two incidents (recurKeyOf).
const (
	recurWindow = 24 * time.Hour // a nightly or daily job is one incident per day
	recurGrowth = 4              // a poll's rounds differ by the hosts down; four times the hosts is another sweep
	recurNets   = 256            // /24s remembered per incident (a /16); past it, an unlisted one is new
	recurHosts  = 4096           // a port scan's targets remembered per incident; past it, an unlisted one is new
)

// recurKey is one source's incident of one kind (host_sweep or port_scan):
// its MAC, and its address when routed (recurKeyOf).
type recurKey struct {
	typ inventory.EventType
	src mac
	ip  netip.Addr
}

// recurKeyOf is the incident key of a typ event from the MAC src and the
// address ip: the address counts where src forwards others' traffic (a
// router's MAC: traceRouter) or ip is a public IPv4 address (an IPv6
// host's global addresses rotate, RFC 8981: its MAC is the source).
func (e *Engine) recurKeyOf(typ inventory.EventType, src mac, ip netip.Addr) recurKey {
	if ip.IsValid() && (ip.Is4() && !local(ip) || e.traceRouter(src)) {
		return recurKey{typ, src, ip.Unmap()}
	}
	return recurKey{typ, src, netip.Addr{}}
}

// recurInc is a raised sweep or scan and its later rounds.
type recurInc struct {
	raised      time.Time // the High (or Medium) raised
	first, last time.Time
	rounds      int
	hosts       int // the raised round's hosts: the most seen of it
	sized       bool
	nets        map[netip.Prefix]struct{}
	ports       int                     // a port scan's: the most ports probed on a target
	targets     map[netip.Addr]struct{} // a port scan's: its targets (nil for a sweep)
}

// recurNet is the subnet a target counts in.
func recurNet(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	bits := 24
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits)
	return p
}

// reach reports whether targets (n of them) reach beyond inc: a subnet
// it never saw, or recurGrowth times its hosts; for a port scan, a host
// it never scanned or recurGrowth times its ports.
func (inc *recurInc) reach(n int, targets iter.Seq[netip.Addr]) bool {
	if n >= recurGrowth*inc.hosts {
		return true
	}
	for a := range targets {
		if _, ok := inc.nets[recurNet(a)]; !ok {
			return true
		}
		if _, ok := inc.targets[a]; inc.targets != nil && !ok {
			return true
		}
	}
	return false
}

// widen adds a round's hosts to the raised round's size (a sweep's round
// is complete only when its window ended: see raiseSweepIncident).
func (inc *recurInc) widen(n int, targets iter.Seq[netip.Addr]) {
	inc.hosts = max(inc.hosts, n)
	for a := range targets {
		if inc.targets != nil && len(inc.targets) < recurHosts {
			inc.targets[a] = struct{}{}
		}
		if len(inc.nets) < recurNets {
			inc.nets[recurNet(a)] = struct{}{}
		}
	}
}

// raiseRecurring reports ev, a host sweep or port scan from src of n
// targets (a port scan: of up to ports ports each), under quiet key k:
// folded into src's incident of that kind when one was raised within
// recurWindow and this round reaches no further, raised (and remembered)
// otherwise.
func (e *Engine) raiseRecurring(k quietKey, ev inventory.Event, src mac, n, ports int, targets iter.Seq[netip.Addr]) {
	if src == (mac{}) || e.declaredScanner(&ev) != nil {
		e.reportKey(k, ev) // declared: info (reportKey)
		return
	}
	rk := e.recurKeyOf(ev.Type, src, ev.IP)
	inc := e.recur[rk]
	if inc != nil && ev.Time.Sub(inc.raised) > recurWindow {
		inc = nil
	}
	if inc != nil && !inc.reach(n, targets) && ports < recurGrowth*max(inc.ports, 1) {
		inc.rounds++
		inc.last = ev.Time
		e.reportKey(k, continues(ev, inc))
		return
	}
	if !e.reserve(k, ev.Time) {
		return
	}
	if ev.Type == inventory.EventHostSweep {
		e.holdSweep(ev, src) // sweepsvc.go: the services it hunts for
	} else if e.emit != nil {
		e.emit(ev)
	}
	e.remember(rk, ev.Time, n, ports, targets, inc)
}

// remember opens src's incident at t, dropping those past recurWindow
// when the table is full (bounded as the trackers are). An incident raised
// again because it reached further (prev) keeps what it covered: going
// back to the first subnet is no new reach.
func (e *Engine) remember(rk recurKey, t time.Time, n, ports int, targets iter.Seq[netip.Addr], prev *recurInc) {
	if e.recur == nil {
		e.recur = map[recurKey]*recurInc{}
	}
	if _, ok := e.recur[rk]; !ok && len(e.recur) >= e.cfg.MaxTrackers {
		maps.DeleteFunc(e.recur, func(_ recurKey, inc *recurInc) bool { return t.Sub(inc.raised) > recurWindow })
		if len(e.recur) >= e.cfg.MaxTrackers {
			e.counters.TrackersDropped++
			return
		}
	}
	inc := &recurInc{raised: t, first: t, last: t, rounds: 1, nets: map[netip.Prefix]struct{}{}, ports: ports}
	if rk.typ == inventory.EventPortScan {
		inc.targets = map[netip.Addr]struct{}{}
	}
	if prev != nil {
		inc.hosts, inc.nets, inc.targets = prev.hosts, prev.nets, prev.targets
		inc.ports = max(inc.ports, prev.ports)
	}
	inc.widen(n, targets)
	e.recur[rk] = inc
}

// continues turns a later round into the incident's info event.
func continues(ev inventory.Event, inc *recurInc) inventory.Event {
	kind := "sweep"
	if ev.Type == inventory.EventPortScan {
		kind = "scan"
	}
	ev.Severity = inventory.SeverityInfo
	ev.Summary = fmt.Sprintf("%s (the %s raised at %s continues: round %d)", ev.Summary, kind, inc.raised.UTC().Format(time.RFC3339), inc.rounds)
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
		"one incident: %d rounds from this source between %s and %s, none beyond the raised round's subnets or %d times its %d hosts; raised again after %s or when it reaches further (declare a monitoring server with the setting known-scanner)",
		inc.rounds, inc.first.UTC().Format(time.RFC3339), inc.last.UTC().Format(time.RFC3339), recurGrowth, inc.hosts, recurWindow)})
	return ev
}

// raiseSweepIncident raises tr's sweep (ev) as a recurring incident. A
// sweep's round goes on after its threshold (tr.hosts grows until its
// window ends), so the raised round is sized at the next round from the
// tracker's last complete one (tr.prev); then later rounds are compared
// with it, each by its hosts so far and its last complete round.
func (e *Engine) raiseSweepIncident(tr *sweepTracker, src mac, ev inventory.Event) {
	k := newQuietKey(ev.Type, src, mac{}, netip.Addr{})
	inc := e.recur[e.recurKeyOf(ev.Type, src, ev.IP)]
	if inc != nil && tr.prev != nil && time.Duration(tr.start-tr.prevStart) <= recurWindow {
		if !inc.sized {
			inc.sized = true
			inc.widen(len(tr.prev), maps.Keys(tr.prev))
		} else if inc.reach(len(tr.prev), maps.Keys(tr.prev)) {
			inc.hosts = 0 // the last round reached further: raised again below
		}
	}
	e.raiseRecurring(k, ev, src, len(tr.hosts), 0, maps.Keys(tr.hosts))
}

// ports is the most ports probed on one of inc's targets (recurscan.go).
func (inc *scanIncident) ports() int {
	n := 0
	for _, tr := range inc.probes {
		n = max(n, tr.portCount())
	}
	return n
}
