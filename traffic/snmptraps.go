package traffic

import (
	"fmt"
	"net/netip"
	"strings"

	"tend/capture"
	"tend/inventory"
)

// SNMP agents send their traps and informs to the manager's port 162 (RFC
// 3416 4.2.6-4.2.7, RFC 3417 3); a default community on them shows each
// agent configured with it, but an event storm (a power cut, a flapping
// link) sends every agent's traps to the one manager at once: twelve
// Medium events for one finding, the manager's trap service taking
// cleartext communities. Traps and informs are gathered per manager and
// its port (like TFTP per server, tftpheld.go), held trapGather after the
// latest new agent (trapHold at most); one agent's stays the event of the
// pair, agent and manager; more make one event on the manager listing and
// counting the agents. The community is never in it (Insecure.Evidence
// names only a default one).
const (
	trapGather     = tftpGather
	trapHold       = tftpHold
	trapAgentsKept = 8
	trapHeldMax    = 64
)

// trapIncident is a manager's trap insecure_protocol event being gathered.
type trapIncident struct {
	ev      inventory.Event // the first agent's
	in      Insecure
	manager netip.Addr
	port    uint16
	mgr     string // the manager described
	due     int64  // on the engine's clock
	first   int64
	agents  []netip.Addr // the first trapAgentsKept
	nAgents int
	// poll is set for a manager's polls (snmppolls.go), whose agents are
	// all named ("MAC address"), up to pollAgentsMax.
	poll  bool
	named []string
}

func (inc *trapIncident) dueAt() int64 { return inc.due }

// isTrap says whether in, a default SNMP community from the agent srvPort
// names, is a trap or inform: sent from another port than 161.
func isTrap(in Insecure, srvPort uint16) bool {
	return in.Proto == "snmp" && srvPort != 161
}

// snmpTrap gathers a trap or inform of a new agent (srvMAC, srvIP) to the
// manager (cliMAC, cliIP) into the manager's held incident, opening one
// with ev, the pair's event, when there is none.
func (e *Engine) snmpTrap(p *capture.Packet, in Insecure, ev inventory.Event, cliMAC mac, srvIP, cliIP netip.Addr) {
	if p.Has&capture.HasUDP == 0 {
		return
	}
	port, now := uint16(p.UDP.DstPort), e.pktNS
	for _, inc := range e.trapHeld {
		if inc.manager == cliIP && inc.port == port {
			inc.add(srvIP)
			inc.due = min(now+int64(trapGather), inc.first+int64(trapHold))
			return
		}
	}
	k := quietKey{inventory.EventInsecureProtocol, cliMAC, mac{}, fmt.Sprintf("snmp traps %d", port)}
	if len(e.trapHeld) >= trapHeldMax || !e.reserve(k, p.Time) {
		return
	}
	inc := &trapIncident{ev: ev, in: in, manager: cliIP, port: port, mgr: describe(cliMAC, cliIP), first: now, due: now + int64(trapGather)}
	inc.add(srvIP)
	hold(e, &e.trapHeld, inc) // arphold.go
}

// add counts a new agent.
func (inc *trapIncident) add(agent netip.Addr) {
	inc.nAgents++
	if len(inc.agents) < trapAgentsKept {
		inc.agents = append(inc.agents, agent)
	}
}

// event is the first agent's event when it was alone, else the manager's
// with the agents listed and counted.
func (inc *trapIncident) event(*Engine) inventory.Event {
	ev := inc.ev
	if inc.nAgents < 2 {
		return ev
	}
	a := make([]string, len(inc.agents))
	for i, x := range inc.agents {
		a[i] = x.String()
	}
	if inc.nAgents > len(a) {
		a = append(a, fmt.Sprintf("%d more", inc.nAgents-len(a)))
	}
	ev.MAC, ev.IP = ev.TargetMAC, ev.TargetIP
	ev.TargetMAC, ev.TargetIP = nil, netip.Addr{}
	if inc.poll {
		return inc.pollEvent(ev, strings.Join(a, ", "))
	}
	ev.Summary = fmt.Sprintf("snmp traps to %s (manager, port %d) from %s", inc.mgr, inc.port, plural(inc.nAgents, "agent"))
	ev.Evidence = append([]inventory.Evidence{
		{Source: "traffic", Detail: fmt.Sprintf("traps or informs from %s (%s): %s", plural(inc.nAgents, "agent"), strings.Join(a, ", "), inc.in.Evidence())},
	}, ev.Evidence[1:]...)
	return ev
}
