package traffic

import (
	"net/netip"
	"slices"
	"time"

	"tend/capture"
)

// A boot storm is a DHCP server's busiest minute that is no attack: the
// power comes back and every PC, phone and printer of the office asks for
// a lease within seconds, 50, 100, 300 of them, each under its own MAC as
// a starvation tool's forged clients are (yersinia's and scapy's DISCOVERs
// carry a new source MAC each, the client hardware address the same, and
// so do DHCPig's: every DISCOVER and REQUEST from a new random source MAC
// with chaddr equal to it). What tells them apart is what follows the
// lease: a real client takes the address it was given and uses it (RFC
// 2131 4.4.1: it may ARP for it first, RFC 5227; then it resolves its
// gateway and talks), so its MAC turns up in ARP and IP under a LAN address
// within seconds of its ACK; a forged client is a MAC that exists for one
// frame and never speaks again. So a count past starveClients that came
// mostly under the clients' own MACs is settled starveSettle later, and
// while it waits no new window starts (an attack that keeps going, or one
// more DISCOVER after Window, must not erase it). The whole population of
// own-MAC clients is judged (up to MaxHosts, the host table's own bound;
// those beyond it count as not alive), every client that asked starveGrace
// or more before the verdict: if most of them (starveMostNum in
// starveMostDen) have since used the address a server acknowledged to them,
// or the one their broadcast REQUEST asked for (option 50) where no ACK was
// seen (a server's ACK is often unicast, invisible off a mirror port), or
// kept sending since they first asked frames only a configured stack sends
// (showsStack: a camera or sensor that never uses its lease on the wire
// still probes it, RFC 5227, or solicits a router from its link-local
// address, and retries as those protocols do; an arbitrary frame, an ARP
// for another address or LLDP is what a tool sends from each forged MAC as
// easily as its DISCOVER, and a single probe or solicitation is what a
// tool that completes the exchange sends), the server
// had a boot storm; if not, it is starvation. A handful of real
// clients buys no pass for a flood behind them: their share of the whole is
// what counts, and the clients too young to be judged are carried into the
// next count. A minute, because a server the storm itself slows answers
// the last clients tens of seconds after the first (dnsmasq pings each
// address before offering it, RFC 2131 4.4.1; the lab's storm of 60 took
// 70 s on a loaded machine); the pool is as gone a minute later either way.
// A tool that asks from one MAC under forged client addresses (dhcpstarv)
// is raised at once: where half the distinct clients or more were never
// seen under their own MAC (counted by client, not by message: a tool that
// pads each forged DISCOVER with REQUESTs under its own MAC for its own
// address gains nothing), and in the verdict those clients count as judged
// and not alive. A tool that also sent IP from each forged MAC after
// its lease would pass as a storm; none of those staged does (see
// testdata/staged/README.md).
const (
	starveSettle  = time.Minute
	starveGrace   = 20 * time.Second
	starveMostNum = 3
	starveMostDen = 4
)

// ownClient is a client that asked under its own MAC: when it first
// asked, the address it was given (acked) or asked for, and whether its
// MAC has since shown a configured stack (showsStack), with the signs of
// one seen so far.
type ownClient struct {
	_       [0]func() // not comparable: no equality function linked
	first   int64     // on the engine's clock (nanos), as the signs' times
	lease   netip.Addr
	offered netip.Addr // the address a server's OFFER named for it
	acked   bool
	stack   bool
	// probes counts its ARP probes of its address at least probeGap
	// apart, from probeFirst to probeLast (probe); solicitFirst is when
	// it first solicited over IPv6, where solicited (solicit).
	probes                int
	probeFirst, probeLast int64
	solicitFirst          int64
	solicited             bool
	// xid and last are its latest message's transaction id and time;
	// retried, that it sent one again under the same id retryGap or more
	// after the last (waiting (RFC 2131 4.1), see waiting).
	xid     uint32
	last    int64
	retried bool
}

// A client the server has offered an address but not yet acknowledged,
// that retransmits its REQUEST or DISCOVER under the same transaction id
// (RFC 2131 4.1: 4 s and doubling, randomised by a second; busybox udhcpc
// every 3 s), is waiting on the server, which has given it nothing to use
// yet: on a server a power cut's storm slows (review 35b: dnsmasq pinging
// each address, 56 of 101 clients acknowledged within the minute), half the
// clients are still mid-exchange at the verdict. Such a client is left out
// of the judged, not counted as dead. A tool retransmits as well (the
// staged scapy tools do, as real clients time it), so this is no sign of a
// stack: it only keeps a slow server's backlog from passing for forged
// clients. It applies where the clients left to judge are at least half of
// those it would otherwise judge (waitingShare), so that a flood of
// retransmitting forged clients whose ACKs are unseen (a server's unicast
// ACK is often invisible off a mirror port) cannot leave a handful of real
// clients to speak for it.
const (
	retryGap   = 2 * time.Second
	waitingNum = 1
	waitingDen = 2
)

// waiting reports whether c is a client the server offered an address to
// and has not acknowledged, that has retransmitted.
func (c *ownClient) waiting() bool {
	return c.retried && !c.acked && c.offered.IsValid()
}

// A stack shows by its signs repeated as its protocol retries them, and a
// tool that completes a DISCOVER/OFFER/REQUEST/ACK from each forged MAC
// and then probes the lease or solicits a router once, or twice, or
// faster than the protocol retries, has shown nothing (a host that got its
// address goes on to use it, usesLease, and needs none of this):
//   - RFC 5227 2.1.1: a host probing an address sends PROBE_NUM (probeNum)
//     probes, each PROBE_MIN to PROBE_MAX (1 to 2 s) after the last: three
//     probes, probeGap apart at least (half PROBE_MIN, for the capture's
//     and the host's timers) and spanning stackRetry (twice PROBE_MIN)
//     less probeGap;
//   - RFC 4861 6.3.7: a host soliciting a router sends its solicitations
//     RTR_SOLICITATION_INTERVAL (4 s) apart until one answers, RFC 7559 3
//     less a tenth at random: two, solicitRetry apart at least. A
//     neighbour solicitation carrying the host's MAC from its own address
//     counts as one (a host whose IPv6 came up).
const (
	probeNum     = 3
	probeGap     = 500 * time.Millisecond
	stackRetry   = 2 * time.Second
	solicitRetry = 3600 * time.Millisecond
)

// showsStack records that the MAC m, where it is a client that asked under
// its own MAC, sent a frame that shows a configured stack: an ARP probe
// (RFC 5227 2.1.1) for probed, where that is the address a server gave it
// (its ACK's) or offered it (its OFFER's: a server's word, not the
// client's), or (probed invalid) an IPv6 router or neighbour solicitation
// whose source link-layer option is m (RFC 4861 4.1, 4.3: a host whose
// IPv6 came up with its link-local address), at now. The caller checks the
// frame. The address a client asked for (option 50) is its own word: a
// tool probing what its forged REQUEST named shows nothing. A stack shows
// once the signs of one kind are repeated as their protocol retries them
// (probeNum), and only from a burned-in MAC (burnedIn).
func (e *Engine) showsStack(m mac, probed netip.Addr, now int64) {
	s := &e.starve
	c, ok := s.own[m]
	if !ok || c.stack || !burnedIn(m) || (probed.IsValid() && !(c.acked && probed == c.lease || c.offered.IsValid() && probed == c.offered)) {
		return
	}
	if probed.IsValid() {
		c.stack = c.probe(now)
	} else {
		c.stack = c.solicit(now)
	}
	s.own[m] = c
}

// A client whose lease shows only in probes or solicitations is a device
// that speaks only when spoken to (a camera, a sensor): its NIC's address
// is the one its maker burned in, universally administered (IEEE 802 8.2:
// the U/L bit of the first octet clear, an OUI the IEEE assigned) and
// individual (the I/G bit clear: a source address is never a group's). A
// host that makes its own MAC (a phone's or laptop's private address, a
// VM's, a container's: the U/L bit set) runs a full stack that uses its
// lease within seconds, in IP or in ARP from it, and usesLease counts
// that at once. A starvation tool invents its clients' MACs: random
// octets (yersinia: 163 of its 300 locally administered), or a local
// prefix (the staged scapy tools' 02:...); a tool that completes the
// exchange from each and then probes its lease as RFC 5227 times the
// probes passed as a storm of such devices. So the signs count only from
// a burned-in MAC; a tool that picks universally administered MACs still
// passes (telling an assigned OUI from an invented one needs the
// registry, which package identity holds).
func burnedIn(m mac) bool { return m[0]&0x03 == 0 }

// probe counts an ARP probe of c's address at now, where it is c's first
// or comes probeGap or more after the last counted, and reports whether
// c's probes now show a stack: probeNum of them spanning stackRetry, less
// probeGap for the host's and the capture's timers.
func (c *ownClient) probe(now int64) bool {
	if c.probes > 0 && now-c.probeLast < int64(probeGap) {
		return false
	}
	if c.probes == 0 {
		c.probeFirst = now
	}
	c.probes++
	c.probeLast = now
	return c.probes >= probeNum && now-c.probeFirst >= int64(stackRetry-probeGap) // a timer a millisecond early still counts
}

// solicit notes an IPv6 solicitation from c at now and reports whether
// c's solicitations now show a stack: one solicitRetry or more after its
// first.
func (c *ownClient) solicit(now int64) bool {
	if !c.solicited {
		c.solicited, c.solicitFirst = true, now
		return false
	}
	return now-c.solicitFirst >= int64(solicitRetry)
}

// sampleOwn records m, a client that asked under its own MAC at now in
// the transaction xid, with the address its REQUEST asked for (option 50)
// if any.
func (e *Engine) sampleOwn(m mac, now int64, xid uint32, asked netip.Addr) {
	s := &e.starve
	c, ok := s.own[m]
	if !ok {
		s.nOwn++
		if len(s.own) >= e.cfg.MaxHosts {
			return
		}
		if s.own == nil {
			s.own = map[mac]ownClient{}
		}
		c.first = now
	} else if xid == c.xid && now-c.last >= int64(retryGap) {
		c.retried = true
	}
	c.xid, c.last = xid, now
	if !c.acked && asked.IsValid() {
		c.lease = asked
	}
	s.own[m] = c
}

// requested is the address a REQUEST asks for (option 50), if any.
func requested(d *capture.DHCP) netip.Addr {
	if v := d.Option(50); len(v) == 4 {
		return netip.AddrFrom4([4]byte(v))
	}
	return netip.Addr{}
}

// settleLater reports whether the starvation count past its threshold at
// now waits to be settled (the clients asked mostly under their own MACs
// and starveSettle has not passed since the count got there); once it has
// passed, a boot storm is settled as no starvation.
func (e *Engine) settleLater(now int64) bool {
	s := &e.starve
	if s.forged.count()*2 >= s.clients.count() {
		return false // one MAC asking under forged client addresses
	}
	if !s.settling {
		s.settling, s.due = true, now+int64(starveSettle)
	}
	if now < s.due {
		return true
	}
	return e.bootStorm(now, starveGrace)
}

// pending reports whether a count waits in settleLater for its verdict.
func (s *starveState) pending() bool {
	return !s.reported && s.settling
}

// leased records the address a server's ACK gave the client m, if m is
// among the recorded clients.
func (s *starveState) leased(m mac, ip netip.Addr) {
	if c, ok := s.own[m]; ok {
		c.lease, c.acked = ip, true
		s.own[m] = c
	}
}

// offer records the address a server's OFFER named for the client m, if
// m is among the recorded clients.
func (s *starveState) offer(m mac, ip netip.Addr) {
	if c, ok := s.own[m]; ok && ip.IsValid() && !ip.IsUnspecified() {
		c.offered = ip
		s.own[m] = c
	}
}

// bootStorm reports whether most clients, the own-MAC ones that asked
// grace or more before now and every forged one (never alive), have used
// the address they were given; a storm's count is dropped, but for the
// clients too young to judge, which start the next.
func (e *Engine) bootStorm(now int64, grace time.Duration) bool {
	judged, alive := e.liveShare(now, grace)
	if judged == 0 || alive*starveMostDen < judged*starveMostNum {
		return false
	}
	e.carryYoung(now, grace)
	return true
}

// liveShare counts the clients judged at now (own-MAC ones grace old or
// more; beyond MaxHosts, and never seen under their own MAC: judged, not
// alive) and those of them alive (usesLease); the clients still waiting
// on the server are left out where the rest are waitingShare of all.
func (e *Engine) liveShare(now int64, grace time.Duration) (judged, alive int) {
	s := &e.starve
	judged = s.nOwn - len(s.own) + s.forged.count()
	wait := 0
	for m, c := range s.own {
		if now-c.first < int64(grace) {
			continue
		}
		judged++
		if e.usesLease(m, c.lease) || c.stack {
			alive++
		} else if c.waiting() {
			wait++
		}
	}
	if (judged-wait)*waitingDen >= judged*waitingNum {
		judged -= wait
	}
	return judged, alive
}

// carryYoung starts the count afresh after a storm's verdict at now with
// the clients too young to have been judged (no blanket wipe: a burst of
// real clients buys no pass for a flood behind it).
func (e *Engine) carryYoung(now int64, grace time.Duration) {
	old := e.starve.own
	e.starve = starveState{live: true, start: now}
	s := &e.starve
	for m, c := range old {
		if now-c.first >= int64(grace) {
			continue
		}
		if s.own == nil {
			s.own = map[mac]ownClient{}
		}
		s.own[m] = c
		s.nOwn++
		s.msgs++
		s.clients.add(macKey(m))
		s.start = min(s.start, c.first)
	}
	if s.clients.count() >= starveClients {
		s.settling, s.due = true, now+int64(starveSettle)
	}
}

// settleStarvation settles a count waiting in settleLater once its time
// has come (at now, or at once when flushing: a replay that ends during
// the wait judges the clients starveGrace old; where none is, settleYoung:
// 60 clients that used their lease and 30 still asking, 8 s into a storm,
// are no starvation).
func (e *Engine) settleStarvation(now int64, flush bool) {
	s := &e.starve
	if s.reported || !s.settling || (!flush && now < s.due) {
		return
	}
	if flush && !s.judgeable(now) {
		e.settleYoung(now)
		return
	}
	if !e.bootStorm(now, starveGrace) {
		e.reportStarvation(e.timeAt(now), now)
	}
}

// settleYoung settles at now, when flushing, a count none of whose
// clients is starveGrace old: it is raised only where hardly any client
// (under one in starveMostDen) already uses its lease. A tool's forged
// clients never do (yersinia's 300 DISCOVERs in a second, the recording
// ending); a storm seconds in has its first clients on the network.
func (e *Engine) settleYoung(now int64) {
	judged, alive := e.liveShare(now, 0)
	if judged > 0 && alive*starveMostDen < judged*(starveMostDen-starveMostNum) {
		e.reportStarvation(e.timeAt(now), now)
	}
}

// judgeable reports whether any own-MAC client asked starveGrace or more
// before now (those beyond MaxHosts are not dated: they count).
func (s *starveState) judgeable(now int64) bool {
	if s.nOwn > len(s.own) {
		return true
	}
	for _, c := range s.own {
		if now-c.first >= int64(starveGrace) {
			return true
		}
	}
	return false
}

// usesLease reports whether the MAC m sent IPv4 from, or claimed in ARP,
// the leased address ip (any IPv4 from a LAN address sets the host's
// address: a device that sends UDP to a cloud from its lease and never
// ARPs uses it so).
func (e *Engine) usesLease(m mac, ip netip.Addr) bool {
	h := e.hosts[macKey(m)]
	if h == nil || !ip.IsValid() || ip.IsUnspecified() {
		return false
	}
	return h.ip == ip || slices.Contains(h.claims[:], ip)
}
