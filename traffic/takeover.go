package traffic

import (
	"net/netip"
	"time"
)

// Cluster address takeover (review 37b cluster_ip, cluster_planned): a
// Pacemaker IPaddr2 resource, a Windows failover cluster, CTDB, ucarp or an
// SQL availability-group listener moves a service address between nodes
// that each keep an address of their own. The new node adds the address
// and announces it (IPaddr2: arp_count 5 gratuitous ARPs; iputils arping
// -U), then serves the clients' connections itself; the old node, crashed
// or having released the address, sends nothing more from it, not even
// ARP, though it speaks on for its own address. A poisoner keeps claiming
// the address while its owner goes on using it (arpspoof's victim keeps
// talking, and is why the poisoner forwards), or announces an idle host's
// address and serves nothing from it. So an arp_spoof over one address,
// whose parties never claimed it in a reply nobody asked for (a takeover
// announces by gratuitous ARP), is a handover when, by the time the
// incident is due, one party sent IPv4 from the address since it was
// raised and the other neither sent from it nor claimed it in ARP: the
// address moved (handedOver). The owner speaking for the address again
// later is judged as any claim then (undoHandover, retaken).

// handedOver reports whether inc, a held arp_spoof due now, is an address
// moving between two hosts rather than a poisoning (see above).
func (e *Engine) handedOver(inc *arpIncident) bool {
	ip := inc.ev.TargetIP
	if !ip.Is4() || e.isGateway(ip) || e.fhrpVirtual(ip) {
		return false // the gateway's and FHRP addresses have their own rules
	}
	for _, c := range inc.claims {
		if c.ip != ip {
			return false // a poisoner of several addresses (ettercap, bettercap)
		}
	}
	if e.claimedUnasked(inc.culprit, ip) || e.claimedUnasked(inc.victim, ip) {
		return false
	}
	since := e.nanos(inc.ev.Time)
	culpritUses, victimUses := e.sentFromAfter(inc.culprit, ip, since), e.sentFromAfter(inc.victim, ip, since)
	// The culprit named by conflictParties' flip, the old node, had served
	// from the address before it fell silent on it; a claimant that only
	// announced an address its owner goes on using is poisoning.
	released := victimUses && !culpritUses && !inc.culpritClaimed && e.sentFromAfter(inc.culprit, ip, 0)
	return culpritUses && !victimUses && !inc.victimClaimed || released
}

// claimedUnasked reports whether m claimed ip in an ARP reply nobody asked
// for (arpspoof's, ettercap's shape; unsolicitedClaim's uclaims).
func (e *Engine) claimedUnasked(m mac, ip netip.Addr) bool {
	h := e.hosts[macKey(m)]
	return h != nil && slicesContains(h.uclaims[:], ip)
}

// sentFromAfter reports whether m sent an IPv4 frame from ip after since
// (nanos on the engine's clock; noteSent).
func (e *Engine) sentFromAfter(m mac, ip netip.Addr, since int64) bool {
	h := e.hosts[macKey(m)]
	if h == nil {
		return false
	}
	b := ip.As4()
	for _, s := range h.sentFrom {
		if s.ip == b && s.at > since {
			return true
		}
	}
	return false
}

// takeoverWithin is how long after its latest announcement of an address
// whose owner fell silent a MAC's frames under it are the new owner's
// (takingOver): IPaddr2's five gratuitous ARPs take a second or five, and
// the old node's connections are reset by the new node in the seconds
// after (CTDB and Pacemaker's portblock send tickle ACKs to provoke it).
const takeoverWithin = 10 * time.Second

// takingOver reports whether m, sending under ip which ARP binds to
// another MAC, is taking ip over: it announced ip lately (its run's
// latest claim within takeoverWithin) and the owner had sent nothing from
// ip nor claimed it for sleepQuiet before that announcement. Its RSTs
// answering the old node's stale connections are the new owner's, not
// tcpkill's, which announces nothing.
func (e *Engine) takingOver(m mac, ip netip.Addr) bool {
	b := e.arp[ip]
	if b == nil || b.rival != m || b.announced == 0 || e.clock-e.nanos(b.rivalLast) > int64(takeoverWithin) {
		return false
	}
	quiet := b.rivalLast.Add(-sleepQuiet)
	return !e.sentFromAfter(b.mac, ip, e.nanos(quiet)) && !b.claimed.After(quiet)
}
