package traffic

import (
	"fmt"
	"net/netip"
	"strings"

	"tend/capture"
	"tend/inventory"
)

// A manager polling its agents with a default community (Nagios, Cacti,
// LibreNMS, a print server walking its printers) has every agent answer
// it from port 161 under the community (the answer, not the request, names
// the agent: insecure.go): one insecure_protocol per agent and manager
// was fifty Medium events for one setting on fifty agents (review
// 35b nagios_undeclared). So polls are gathered per manager as traps are
// (snmptraps.go): held trapGather after the latest new agent, trapHold at
// most; one agent's stays the pair's event, more make one event on the
// manager listing and counting the agents. Each agent is named in the
// event (its MAC and address, up to pollAgentsMax, in one "snmp agents"
// evidence line), because the finding is the agent's: it answers the
// default community (package findings, snmpDefaultCommunity). An agent
// first polled after the manager's event, within its cooldown, has its
// own pair's event as before, and so do agents at a public address or
// behind the gateway's MAC: a manager polls its own LAN, while thousands
// of internet hosts answering "public" to one address are reflectors of
// an SNMP amplification (forged requests under the victim's address; the
// corpus's stopddos_amp.UDP.snmp), each its own finding, and an agent
// behind a router shows only the router's MAC. The gateway's own agent
// (at the gateway's address) is one of the LAN's and is gathered: a
// printer manager's sweep made it a second Medium event beside the 20
// agents' (review 37b snmp_sweep).
const pollAgentsMax = 256

// snmpPoll gathers a poll of a new agent (srvMAC, srvIP) by the manager
// (cliMAC, cliIP) into the manager's held incident, opening one with ev,
// the pair's event, when there is none; it reports whether it did.
func (e *Engine) snmpPoll(p *capture.Packet, in Insecure, ev inventory.Event, srvMAC, cliMAC mac, srvIP, cliIP netip.Addr) bool {
	now := e.pktNS
	for _, inc := range e.trapHeld {
		if inc.poll && inc.manager == cliIP {
			inc.add(srvIP)
			inc.addAgent(srvMAC, srvIP)
			inc.due = e.pollDue(now, inc.first, cliMAC)
			return true
		}
	}
	k := quietKey{inventory.EventInsecureProtocol, cliMAC, mac{}, "snmp polls"}
	if len(e.trapHeld) >= trapHeldMax || !e.reserve(k, p.Time) {
		return false
	}
	inc := &trapIncident{ev: ev, in: in, manager: cliIP, port: 161, poll: true, mgr: describe(cliMAC, cliIP), first: now}
	inc.due = e.pollDue(now, now, cliMAC)
	inc.add(srvIP)
	inc.addAgent(srvMAC, srvIP)
	hold(e, &e.trapHeld, inc) // arphold.go
	return true
}

// addAgent names a polled agent, up to pollAgentsMax.
func (inc *trapIncident) addAgent(m mac, ip netip.Addr) {
	if len(inc.named) < pollAgentsMax {
		inc.named = append(inc.named, macString(m)+" "+ip.String())
	}
}

// pollEvent is a manager's polls of several agents as one event.
func (inc *trapIncident) pollEvent(ev inventory.Event, listed string) inventory.Event {
	ev.Summary = fmt.Sprintf("snmp polls from %s (manager, to port 161) of %s with a default community", inc.mgr, plural(inc.nAgents, "agent"))
	ev.Evidence = append([]inventory.Evidence{
		{Source: "traffic", Detail: fmt.Sprintf("polls of %s (%s): %s", plural(inc.nAgents, "agent"), listed, inc.in.Evidence())},
		{Source: "snmp agents", Detail: strings.Join(inc.named, ", ")},
	}, ev.Evidence[1:]...)
	return ev
}

// A manager walking a subnet (a printer manager's snmpwalk of every
// address, 24 at a time) waits out each empty address's timeouts: its
// agents answer in bursts with tens of seconds between them (review 37b
// snmp_sweep: the gateway's agent 25 s before the 20 others, two events).
// While its own host sweep is live (sweepProbe), its polls are held
// trapHold from the first.

// pollDue is when a manager's (cliMAC's) poll incident begun at first is
// due after a new agent at now.
func (e *Engine) pollDue(now, first int64, cliMAC mac) int64 {
	if tr := e.sweeps[macKey(cliMAC)]; tr != nil && len(tr.hosts) >= 2 && e.clock-tr.start <= int64(e.cfg.Window) {
		return first + int64(trapHold)
	}
	return min(now+int64(trapGather), first+int64(trapHold))
}
