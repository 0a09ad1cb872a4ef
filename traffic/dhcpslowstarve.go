package traffic

import (
	"fmt"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Slow starvation: a tool pacing its DISCOVERs under forged client
// addresses below starveClients a Window (review 36a dhcp_starve_2s: scapy,
// one DISCOVER every 2 s from one MAC, each with a new random client
// address, 65 over 130 s) still empties a small pool: the server offers
// each address and holds it a while. A client asking under a client
// address other than its frame's source is rare on a LAN (relayed
// messages, carrying giaddr, are left out before): a Wi-Fi repeater that
// rewrites its clients' source MACs does, but each of its clients goes on
// to REQUEST the address it was offered, under the same client address.
// So the client addresses one source MAC asks for under another, in a
// DISCOVER and never in a REQUEST, are counted over slowStarveWindow: at
// slowStarveClients it is starvation. Clients asking under their own MAC
// (a power cut's, a guest network's phones with random MACs) are never
// counted here.
const (
	slowStarveClients = 50
	slowStarveWindow  = 10 * time.Minute
	slowStarveSources = 16 // source MACs counted at once
)

// slowStarve is one source MAC's count: the forged client addresses it
// asked for, true once one was REQUESTed.
type slowStarve struct {
	start    int64 // the engine's clock
	clients  map[mac]bool
	pending  int // clients never REQUESTed
	reported bool
}

// slowStarveNote counts d, a DISCOVER or REQUEST from src under another
// client address, at now on the engine's clock.
func (e *Engine) slowStarveNote(t time.Time, now int64, src mac, d *capture.DHCP) {
	typ := d.Type()
	s := e.slowStarve[src]
	if s != nil && now-s.start > int64(slowStarveWindow) {
		delete(e.slowStarve, src)
		s = nil
	}
	if s == nil {
		if typ != capture.DHCPDiscover {
			return
		}
		if len(e.slowStarve) >= slowStarveSources {
			e.expireSlowStarve(now)
			if len(e.slowStarve) >= slowStarveSources {
				return
			}
		}
		if e.slowStarve == nil {
			e.slowStarve = map[mac]*slowStarve{}
		}
		s = &slowStarve{start: now, clients: map[mac]bool{}}
		e.slowStarve[src] = s
	}
	c := d.ClientHW
	asked, seen := s.clients[c]
	switch {
	case typ == capture.DHCPRequest:
		if seen && !asked {
			s.pending--
		}
		if seen || len(s.clients) < 4*slowStarveClients {
			s.clients[c] = true
		}
		return
	case typ != capture.DHCPDiscover || seen || len(s.clients) >= 4*slowStarveClients:
		return
	}
	s.clients[c] = false
	s.pending++
	if s.reported || s.pending < slowStarveClients {
		return
	}
	s.reported = true
	ev := inventory.Event{
		Time: t, Type: inventory.EventDHCPStarvation, Severity: inventory.SeverityHigh, MAC: macOf(src),
		Summary: fmt.Sprintf("%s asked for %d forged client addresses over %s, none of them ever REQUESTed: slow DHCP starvation",
			macString(src), s.pending, roundDur(time.Duration(now-s.start))),
		Evidence: []inventory.Evidence{
			{Source: "dhcp", Detail: fmt.Sprintf("%d DISCOVERs each under a client address other than the frame's source and new, none followed by a REQUEST under it", s.pending)},
			{Source: "dhcp", Detail: fmt.Sprintf("threshold: %d such client addresses from one MAC within %s", slowStarveClients, slowStarveWindow)},
		},
	}
	e.report(ev, src, mac{})
}

// expireSlowStarve forgets the counts whose window ended.
func (e *Engine) expireSlowStarve(now int64) {
	for k, s := range e.slowStarve {
		if now-s.start > int64(slowStarveWindow) {
			delete(e.slowStarve, k)
		}
	}
}
