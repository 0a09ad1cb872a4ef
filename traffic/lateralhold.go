package traffic

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tend/inventory"
)

// A remote execution push is one incident per client: a deployment tool
// (PDQ, SCCM's client push, an admin's psexec loop) or an attacker moving
// through the servers creates a service or a task on many of them within
// seconds (review 39's smb_deploy: impacket psexec to 10 servers raised 10
// High events). The first creation from a client is held until lateralGather
// passes without a new server (lateralHoldMax at most); the servers it
// reached are listed in that one event (up to lateralServers, the rest
// counted); a later one within the cooldown is a repeat of the client's
// event and suppressed (counted) as any repeat is.
const (
	lateralGather  = 10 * time.Second
	lateralHoldMax = 2 * time.Minute
	lateralServers = 16 // servers listed per incident
	lateralHeldMax = 16 // clients held at once; past it an event goes out unheld
)

// lateralHold is one client's remote executions held for lateralGather.
type lateralHold struct {
	_        [0]func()
	ev       inventory.Event // the first, its target the first server
	src, dst mac
	what     string
	start    int64
	due      int64
	servers  []netip.Addr
	more     int
}

// holdLateral holds ev, a service or task created by the client src on the
// server ev.TargetIP (reached through the MAC dst), with the client's
// other servers of the next lateralGather.
func (e *Engine) holdLateral(ev inventory.Event, src, dst mac, what string) {
	for _, h := range e.lateral {
		if h.src != src {
			continue
		}
		for _, a := range h.servers {
			if a == ev.TargetIP {
				return
			}
		}
		if len(h.servers) < lateralServers {
			h.servers = append(h.servers, ev.TargetIP)
		} else {
			h.more++
		}
		h.due = min(e.pktNS+int64(lateralGather), h.start+int64(lateralHoldMax))
		return
	}
	if len(e.lateral) >= lateralHeldMax {
		e.counters.TrackersDropped++
		e.emitHeld((&lateralHold{ev: ev, src: src, dst: dst, what: what, servers: []netip.Addr{ev.TargetIP}}).event(e)) // arphold.go
		return
	}
	hold(e, &e.lateral, &lateralHold{ev: ev, src: src, dst: dst, what: what, start: e.pktNS, due: e.pktNS + int64(lateralGather), servers: []netip.Addr{ev.TargetIP}}) // arphold.go
}

func (h *lateralHold) dueAt() int64 { return h.due }

// event is h's client's event naming its servers, keyed by the client
// alone (none within the cooldown of its last: reserved here, not when it
// was held).
func (h *lateralHold) event(e *Engine) inventory.Event {
	ev := h.ev
	on := " on " + h.ev.TargetIP.String()
	if n := len(h.servers) + h.more; n > 1 {
		names := make([]string, len(h.servers))
		for i, a := range h.servers {
			names[i] = a.String()
		}
		if h.more > 0 {
			names = append(names, fmt.Sprintf("%d more", h.more))
		}
		on = fmt.Sprintf(" on %d servers (%s)", n, strings.Join(names, ", "))
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
			"one incident: the same client created services or tasks on %d servers, each within %s of the last (a deployment tool's push, or an attacker moving through them); the target is the first", n, lateralGather)})
	}
	c, who := e.webCulprit(&ev, h.src, ev.IP)
	ev.Summary, ev.TargetMAC = who+" "+h.what+on+": remote command execution (lateral movement)", macOf(h.dst)
	e.declare(&ev)                                                         // knownscanner.go, as reportKey
	if !e.reserve(newQuietKey(ev.Type, c, mac{}, netip.Addr{}), ev.Time) { // one per client and cooldown, whichever servers
		return inventory.Event{}
	}
	return ev
}
