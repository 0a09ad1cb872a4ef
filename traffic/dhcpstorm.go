package traffic

import (
	"net/netip"
	"slices"
	"time"
)

// A boot storm is a DHCP server's busiest minute that is no attack: the
// power comes back and every PC, phone and printer of the office asks for
// a lease within seconds, 50, 100, 300 of them, each under its own MAC as
// a starvation tool's forged clients are (yersinia and scapy's DISCOVERs
// carry a new source MAC each, the client hardware address the same). What
// tells them apart is what follows the lease: a real client takes the
// address it was given and uses it (RFC 2131 4.4.1: it may ARP for it
// first, RFC 5227; then it resolves its gateway and talks), so its MAC
// turns up in ARP and IP under a LAN address within seconds of its ACK;
// a forged client is a MAC that exists for one frame and never speaks
// again. So a count past starveClients that came mostly under the clients'
// own MACs is settled starveSettle later: if half or more of the first
// starveSample of those clients have since used the address a server
// acknowledged to them (an IPv4 source or an ARP claim of it), the server
// had a boot storm; if not, it is starvation. A minute, because a server
// the storm itself slows answers the last clients tens of seconds after
// the first (dnsmasq pings each address before offering it, RFC 2131
// 4.4.1; the lab's storm of 60 took 70 s on a loaded machine); the pool is
// as gone a minute later either way. A tool that asks from one
// MAC under forged client addresses (dhcpig, dhcpstarv) is raised at once.
// A tool that also sent IP from each forged MAC after its lease would pass
// as a storm; none of those staged does (see testdata/staged/README.md).
const (
	starveSample = 64
	starveSettle = time.Minute
)

// sampleOwn keeps m, a client that asked under its own MAC, among the
// first starveSample such clients.
func (s *starveState) sampleOwn(m mac) {
	if s.nOwn == len(s.own) {
		return
	}
	for _, x := range s.own[:s.nOwn] {
		if x == m {
			return
		}
	}
	s.own[s.nOwn] = m
	s.nOwn++
}

// settleLater reports whether the starvation count past its threshold at t
// waits to be settled (the clients asked mostly under their own MACs and
// starveSettle has not passed since the count got there); once it has
// passed, a boot storm is settled as no starvation.
func (e *Engine) settleLater(t time.Time) bool {
	s := &e.starve
	if s.mismatch*2 >= s.msgs {
		return false // one MAC asking under forged client addresses
	}
	if s.due.IsZero() {
		s.due = t.Add(starveSettle)
	}
	if t.Before(s.due) {
		return true
	}
	return e.bootStorm()
}

// leased records the address a server's ACK gave the client m, if m is
// among the sampled clients.
func (s *starveState) leased(m mac, ip netip.Addr) {
	for i, x := range s.own[:s.nOwn] {
		if x == m {
			s.lease[i] = ip
			return
		}
	}
}

// bootStorm reports whether half or more of the sampled own-MAC clients
// have used the address they were given; a storm's count is dropped.
func (e *Engine) bootStorm() bool {
	s := &e.starve
	alive := 0
	for i, m := range s.own[:s.nOwn] {
		if e.usesLease(m, s.lease[i]) {
			alive++
		}
	}
	if alive*2 < s.nOwn {
		return false
	}
	*s = starveState{} // a storm: nothing to raise, and the next count starts afresh (no cooldown to hide an attack in)
	return true
}

// settleStarvation settles a count waiting in settleLater once its time
// has come (at now, or at once when flushing: a replay that ends during
// the wait).
func (e *Engine) settleStarvation(now time.Time, flush bool) {
	s := &e.starve
	if s.reported || s.due.IsZero() || (!flush && now.Before(s.due)) {
		return
	}
	if !e.bootStorm() {
		e.reportStarvation(now)
	}
}

// usesLease reports whether the MAC m sent IPv4 from, or claimed in ARP,
// the leased address ip.
func (e *Engine) usesLease(m mac, ip netip.Addr) bool {
	h := e.hosts[macKey(m)]
	if h == nil || !ip.IsValid() || ip.IsUnspecified() {
		return false
	}
	return h.ip == ip || slices.Contains(h.claims[:], ip)
}
