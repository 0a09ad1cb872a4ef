package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// A reflection whose requests come slower than a flood (review 40
// memcached_amp: 300 forged 17-byte gets, 50 a second, answered with
// 107,501 datagrams, 147 MB): reflection (reflect.go) needs the requests'
// own flood; but each request is forged under a LAN host's address
// (reflectreq.go, shown by ARP), so the answers' flood from the service's
// port toward that host, from the address the requests went to, is the
// sender's attack: raised as its spoofed_source High with the reflector,
// the answers and the amplification, and the reflector's flood folded in.
// The last forgedSlots forged requests' incidents are kept.
//
// The first forged request's spoofed_source (Medium, reflectRequest) is
// held for reflectGather: when the answers' flood is decided meanwhile,
// the incident is one event, High, from that first request, with the
// reflector and the amplification (review 40 memcached_amp raised Medium,
// then High 2 s later). A request answered by no flood is raised Medium
// when the hold ends. At most reflectHeldMax are held; past it, one is
// raised as it comes.
const (
	forgedSlots    = 4
	reflectGather  = floodWindow
	reflectHeldMax = 8
)

type forgedReq struct {
	_               [0]func() // not comparable: no equality function linked
	sender          mac
	own, victim, to netip.Addr
	port            uint16
	n               int
	bytes           uint64
	first, last     int64
}

type forgedReqs struct {
	r    [forgedSlots]forgedReq
	next int
	held []*heldReflect
}

// heldReflect is a forged request's spoofed_source event held for
// reflectGather, and its sender.
type heldReflect struct {
	ev     inventory.Event
	sender mac
	due    int64
}

func (h *heldReflect) dueAt() int64                  { return h.due }
func (h *heldReflect) event(*Engine) inventory.Event { return h.ev }

// holdReflect holds ev, src's forged request keyed k, for reflectGather.
func (e *Engine) holdReflect(k quietKey, ev inventory.Event, src mac) {
	if len(e.forgedReq.held) >= reflectHeldMax {
		e.counters.TrackersDropped++
		e.reportKey(k, ev)
		return
	}
	e.declare(&ev) // knownscanner.go, as reportKey
	if !e.reserve(k, ev.Time) {
		return
	}
	hold(e, &e.forgedReq.held, &heldReflect{ev: ev, sender: src, due: e.pktNS + int64(reflectGather)}) // arphold.go
}

// takeHeldReflect removes and returns sender's held forged request under
// victim's address, if any.
func (e *Engine) takeHeldReflect(sender mac, victim netip.Addr) (inventory.Event, bool) {
	held := e.forgedReq.held
	for i, h := range held {
		if h.sender == sender && h.ev.TargetIP == victim {
			copy(held[i:], held[i+1:])
			held[len(held)-1] = nil
			e.forgedReq.held = held[:len(held)-1]
			return h.ev, true
		}
	}
	return inventory.Event{}, false
}

// note counts p, a request from sender (own its address) forged under
// another host's address, toward its incident.
func (s *forgedReqs) note(p *capture.Packet, sender mac, own netip.Addr, now int64) {
	victim, to, port := p.SrcIP(), p.DstIP(), uint16(p.UDP.DstPort)
	for i := range s.r {
		if r := &s.r[i]; r.n > 0 && r.sender == sender && r.victim == victim && r.to == to && r.port == port && time.Duration(now-r.last) <= floodWindow {
			r.n, r.bytes, r.last = r.n+1, r.bytes+uint64(p.Length), now
			return
		}
	}
	s.r[s.next] = forgedReq{sender: sender, own: own, victim: victim, to: to, port: port, n: 1, bytes: uint64(p.Length), first: now, last: now}
	s.next = (s.next + 1) % forgedSlots
}

// forgedReflection reports whether f, a UDP flood toward dst about to be
// raised at now, answers forged requests: from the port and address they
// went to, toward the address they forged, within floodWindow of the last,
// from another MAC than their sender's. It raises the sender's incident.
func (e *Engine) forgedReflection(p *capture.Packet, f *floodState, kind int, dst netip.Addr, now int64) bool {
	if kind != fUDP {
		return false
	}
	for i := range e.forgedReq.r {
		r := &e.forgedReq.r[i]
		if r.n == 0 || r.victim != dst || r.to != f.srcIP || r.port != uint16(f.flow>>16) || r.sender == f.srcMAC || time.Duration(now-r.last) > floodWindow {
			continue
		}
		f.reflected = true
		k := quietKey{inventory.EventSpoofedSource, r.sender, f.dstMAC, "reflected"}
		if e.quieted(k, p.Time) {
			return true
		}
		ev := inventory.Event{
			Time: p.Time, Type: inventory.EventSpoofedSource, Severity: inventory.SeverityHigh,
			MAC: macOf(r.sender), IP: r.own, TargetMAC: macOf(f.dstMAC), TargetIP: dst,
			Summary: fmt.Sprintf("%s sent %d UDP requests to %s port %d under %s's address, answered by a flood, amplification %.0f×: a reflection attack",
				describe(r.sender, r.own), r.n, r.to, r.port, dst, float64(f.bytes)/float64(max(r.bytes, 1))),
			Evidence: []inventory.Evidence{{Source: "traffic",
				Detail: fmt.Sprintf("reflected through %s: %d packets (%s) toward %s for %d request bytes; the reflector is not the culprit", r.to, f.pkts, human(float64(f.bytes)), dst, r.bytes)}},
		}
		if first, ok := e.takeHeldReflect(r.sender, dst); ok {
			// The first forged request's event, held: this incident's start
			// and its proof; one event counted.
			ev.Time, ev.Evidence = first.Time, append(first.Evidence, ev.Evidence...)
			e.counters.Events--
		}
		e.reportKey(k, ev)
		return true
	}
	return false
}
