package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// binding is who owns an IPv4 address according to ARP: the established
// owner and, during a conflict, the rival claiming it too.
type binding struct {
	_     [0]func() // not comparable: no equality function linked
	mac   mac
	last  time.Time
	since time.Time // when mac took the address
	// claimed is when mac last claimed the address in ARP itself (last
	// counts its other frames too); zero when not known (leftAddress).
	claimed time.Time
	rival   mac
	// rivalAt is when the rival's run of claims began: its first claim,
	// or, after a retake, its first after a pause longer than rivalPause;
	// rivalLast is its latest claim.
	rivalAt, rivalLast time.Time
	claims             int // ARP claims by the rival
	// announced counts the rival's claims made as announcements: replies
	// nobody asked for or gratuitous ARP (sender address = target
	// address), not requests or the answers to them.
	announced int
	// rivalAsked is whether the rival made a claim in its run that was
	// no announcement (a request, an answer): it uses the address;
	// rivalUnasked whether one was a reply nobody asked for naming another
	// host (a poisoner's; a card taking over announces by gratuitous ARP).
	rivalAsked, rivalUnasked bool
	// prev is the owner a handover took the address from, at handed, and
	// prevAnnounced the claimant's announcements then: prev speaking
	// again within ConflictWindow undoes the handover.
	prev          mac
	handed        time.Time
	prevAnnounced int
	// handedRun is when the run of claims that was handed the address
	// began (the rival's rivalAt then), prevLast when prev was last heard
	// before it: the claimant announcing on (announcesOn) gives them back.
	handedRun, prevLast time.Time
	// leased is whether the handover was a DHCP hand-on (leftAddress),
	// which only prev's own claim of the address undoes, and, after
	// undoHandover, whether the undone one was: the rival's runs then
	// never restart (rivalPause).
	leased bool
	// retaken is when prev took the address back (undoHandover): the
	// rival's claims within ConflictWindow after it are spoofing.
	retaken time.Time
	// vrrpPrev is the owner an FHRP handover took the address from, and
	// vrrpPrevSince when that owner had taken it: only it fails back
	// (failback), and only if it advertised while it held the address.
	vrrpPrev      mac
	vrrpPrevSince time.Time
	// quietBefore is whether the owner had been silent for sleepQuiet when
	// the rival's run began, woken whether the rival (or, after a handover,
	// the new owner) sent a Wake-on-LAN magic packet for the owner's (prev's)
	// MAC: a sleep proxy's shape (sleepproxy.go).
	quietBefore, woken bool
}

type floodTracker struct {
	start   time.Time
	replies int
	targets map[netip.Addr]struct{}
}

const (
	arpRequest = 1
	arpReply   = 2
)

// arpAsk is a request seen: who asked (its address) for which address, in
// ARP or, IPv6 addresses, in a neighbour solicitation.
type arpAsk struct{ asker, asked netip.Addr }

// arpAnswerWithin is how long after a request a reply still answers it
// (Linux retransmits requests every second, three times).
const arpAnswerWithin = 5 * time.Second

// spoofAnnouncements is how many announcements (unsolicited replies, gratuitous ARP)
// of an address whose owner still answers make poisoning even when the
// claimant shows no address of its own: a host given a duplicate address
// speaks with requests and announces it once or twice when its link comes
// up (RFC 5227 2.3: two announcements); arpspoof repeats every two seconds.
const spoofAnnouncements = 3

// unsolicitedIPs is how many addresses one MAC may claim in replies nobody
// asked for before it is poisoning: a host answers for itself, a
// gratuitous announcement carries its own address as the target.
const unsolicitedIPs = 2

func (e *Engine) arpPacket(p *capture.Packet, src mac) {
	a := &p.ARP
	if a.AddrType != 1 || a.Protocol != 0x0800 || len(a.SourceHwAddress) != 6 || len(a.SourceProtAddress) != 4 || len(a.DstProtAddress) != 4 {
		e.counters.Malformed++
		return
	}
	sha := capture.MAC6(a.SourceHwAddress)
	spa, tpa := addr4(a.SourceProtAddress), addr4(a.DstProtAddress)
	// A sweep asks everyone (broadcast): a request sent to one MAC checks
	// that a neighbour already known still answers (Linux's NUD probe,
	// RFC 1122 2.3.2.1), and one for the source of a frame just received
	// from another MAC resolves whom to answer. A router's requests resolve
	// what it forwards, on demand (RFC 826, RFC 1812 3.3.2): an inbound
	// sweep, or masscan's probes sent to its MAC, make it ask for every
	// empty address of the range (review 31a m1), as ndAsk leaves routers'
	// solicitations uncounted.
	if a.Operation == arpRequest && !e.isSelf(sha) && spa != tpa && capture.MAC6(p.Eth.DstMAC) == (mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) && !e.answering(sha, tpa, p.Time) && !e.traceRouter(src) {
		e.sweepProbe(src, spa, tpa, "ARP")
	}
	if a.Operation == arpRequest && spa != tpa {
		e.noteAsk(spa, tpa, p.Time)
	}
	unsolicited := false
	if a.Operation == arpReply {
		if at, ok := e.arpAsks[arpAsk{tpa, spa}]; spa != tpa && tpa.IsValid() && !tpa.IsUnspecified() && (!ok || since(p.Time, at) > arpAnswerWithin) {
			unsolicited = true
			// Only replies nobody asked for count toward a flood: a host
			// answering the requests it is sent (a gateway during an ARP
			// sweep, every victim of ettercap's forged pings asking each
			// other) is busy, not poisoning.
			e.arpFlood(p, src)
		}
	}
	if spa.IsUnspecified() && a.Operation == arpRequest && sha == src {
		e.showsStack(src, tpa, e.nanosOf(p.Time)) // a DHCP client probing its lease (dhcpstorm.go)
	}
	if spa.IsUnspecified() || !unicast(sha) {
		if sha == (mac{}) && spa.IsUnspecified() && tpa.IsUnspecified() {
			e.zeroARP(p, src) // port stealing (portsteal.go)
		}
		return // an address probe (RFC 5227) claims nothing
	}
	if h := e.host(sha, false); h != nil {
		h.ip = spa
		h.addClaim(spa)
		if unsolicited && unicast(sha) && !e.isSelf(sha) {
			e.unsolicitedClaim(p, h, spa, tpa)
		}
	}
	// A reply naming no target address (0.0.0.0, to broadcast) answers no
	// request: arpspoof without -t sends its is-at so every two seconds.
	blind := a.Operation == arpReply && tpa.IsUnspecified()
	e.claim(p.Time, spa, sha, a.Operation == arpReply && spa != tpa, unsolicited || spa == tpa || blind)
	if len(e.arpHeld) > 0 {
		e.noteHeldClaim(p.Time, sha, spa, tpa) // arphold.go
	}
}

// noteAsk records that asker asked for asked at t: an ARP request or a
// neighbour solicitation (ipv6.go), which a reply or an advertisement
// within arpAnswerWithin (ndAnswerWithin) answers.
func (e *Engine) noteAsk(asker, asked netip.Addr, t time.Time) {
	if len(e.arpAsks) >= e.cfg.MaxTrackers {
		e.counters.TrackersDropped++
		clear(e.arpAsks)
	}
	e.arpAsks[arpAsk{asker, asked}] = t
}

func (h *host) addClaim(ip netip.Addr) {
	for i, c := range h.claims {
		if c == ip {
			return
		}
		if !c.IsValid() {
			h.claims[i] = ip
			return
		}
	}
	copy(h.claims[:], h.claims[1:])
	h.claims[len(h.claims)-1] = ip
}

// claimsOther reports another address m has claimed besides ip.
func (e *Engine) claimsOther(m mac, ip netip.Addr) netip.Addr {
	if h := e.hosts[macKey(m)]; h != nil {
		for _, c := range h.claims {
			if c.IsValid() && c != ip {
				return c
			}
		}
	}
	return netip.Addr{}
}

// claim records that m says it owns ip and decides whether that is a
// conflict (the first owner still answers) or a move.
func (e *Engine) claim(t time.Time, ip netip.Addr, m mac, reply, announce bool) {
	b := e.arp[ip]
	if b == nil {
		e.bind(e.arp, ip, m, t)
		return
	}
	undone, own := e.undoHandover(t, ip, b, m)
	if own {
		return
	}
	if b.mac == m {
		b.last, b.claimed = t, t
		if handedBack(t, b) {
			return // a sleep proxy gave the woken owner its address back
		}
		if announce && e.announcesOn(t, ip, b) {
			e.conflict(t, ip, b, m, reply, announce)
		}
		return
	}
	if e.leftAddress(ip, b, m) {
		// The owner's DHCP client has since asked for another address or
		// none, the claimant's for this one: the address was handed on (a
		// lease reshuffle).
		*b = binding{mac: m, last: t, since: t, claimed: t, prev: b.mac, handed: t, leased: true}
		return
	}
	// The owner still answers if it claimed the address or sent any frame
	// recently.
	if h := e.hosts[macKey(b.mac)]; h != nil && e.laterThan(h.last, b.last) {
		b.last = e.timeAt(h.last)
	}
	if t.Sub(b.last) > e.cfg.ConflictWindow {
		// The owner went quiet: the address moved (DHCP gave it to another
		// device, or the gateway was replaced).
		old, oldLast := b.mac, b.last
		*b = binding{mac: m, last: t, since: t, claimed: t}
		if e.isGateway(ip) {
			e.gatewayChanged(t, ip, m, old, fmt.Sprintf("previous gateway MAC last heard %s before", roundDur(t.Sub(oldLast))), inventory.SeverityMedium)
		}
		return
	}
	if !(reply && announce) && e.fhrpHandover(ip, b, m, t) {
		// Never a reply nobody asked for naming another host: a router
		// taking over announces by gratuitous ARP (sender = target).
		*b = binding{mac: m, last: t, since: t, claimed: t, vrrpPrev: b.mac, vrrpPrevSince: b.since} // a virtual address moved to the new active router
		return
	}
	if !(reply && announce) && e.carp.n > 0 && e.carpTakeover(t, ip, b.mac, m) {
		*b = binding{mac: m, last: t, since: t, claimed: t} // carp.go: the address moved to the new CARP master
		return
	}
	if !reply && !announce && e.fhrpOwnMAC(ip, b.mac, m, t) {
		return // the master behind the virtual MAC asks from its own: the address stays the virtual MAC's
	}
	if !undone && !announce && b.rival != m && b.announced > 0 && t.Sub(b.rivalLast) <= rivalPause {
		e.asideClaim(t, ip, b, m, reply)
		return
	}
	if undone {
		// The owner spoke since it was handed the address away, and this
		// claim came next: the run that took it goes on, whichever MAC
		// claims now (a failover's cards do not announce a live host's
		// address in turn).
		b.rival = m
	} else if b.rival != m || e.newRun(t, ip, b) {
		b.rival, b.rivalAt, b.claims, b.announced, b.rivalAsked, b.rivalUnasked = m, t, 0, 0, false, false
		b.quietBefore, b.woken = t.Sub(b.last) >= sleepQuiet, false
	}
	b.rivalLast = t
	b.claims++
	if announce {
		b.announced++
	} else {
		b.rivalAsked = true
	}
	b.rivalUnasked = b.rivalUnasked || reply && announce
	e.conflict(t, ip, b, m, reply, announce)
}

func (e *Engine) conflict(t time.Time, ip netip.Addr, b *binding, claimant mac, reply, announce bool) {
	owner, ownerLast, claims := b.mac, b.last, b.claims // before conflictParties rebinds b to the claimant
	culprit, victim, culpritIP := e.conflictParties(t, ip, b, claimant)
	ev := []inventory.Evidence{
		{Source: "arp", Detail: fmt.Sprintf("%s claimed by %s (last %s) and by %s (last %s)", ip,
			macString(owner), ownerLast.UTC().Format(time.RFC3339Nano), macString(claimant), t.UTC().Format(time.RFC3339Nano))},
		{Source: "arp", Detail: fmt.Sprintf("%d conflicting claims so far", claims)},
	}
	gw := e.isGateway(ip)
	alive, stillAnnounces := e.rivalRun(t, ip, b, gw, announce)
	if !culpritIP.IsValid() && b.announced >= spoofAnnouncements && (alive || stillAnnounces || reply && announce) {
		// No address of its own, but it keeps announcing this one over its
		// owner, or past handoverQuiet over a silent one whether or not it
		// asked with it too: a poisoner that never spoke for itself. A reply nobody
		// asked for that names another host (arpspoof's, ettercap's,
		// bettercap's) is one whether or not the owner is alive: a card
		// taking over announces with gratuitous ARP.
		culpritIP = ip
	}
	if !culpritIP.IsValid() && !b.retaken.IsZero() && t.Sub(b.retaken) <= e.cfg.ConflictWindow && alive {
		// It took the address while the owner was briefly silent; the
		// owner spoke again and it claims the address still.
		culpritIP = ip
		ev = append(ev, inventory.Evidence{Source: "arp", Detail: fmt.Sprintf("%s announced %s and took it at %s while %s was silent; %s spoke again at %s",
			macString(claimant), ip, b.rivalAt.UTC().Format(time.RFC3339Nano), macString(owner), macString(owner), b.retaken.UTC().Format(time.RFC3339Nano))})
	}
	if !culpritIP.IsValid() && announce {
		// An announcement alone is not yet a duplicate address: a host
		// using the address soon asks with it (a request), a poisoner
		// announces again; many at once from other MACs are forged
		// (forgedarp.go).
		if b.announced == 1 {
			e.forgedClaim(t, ip, claimant, owner)
		}
		return
	}
	if !culpritIP.IsValid() && e.handover(t, ip, b, claimant) {
		return
	}
	if !culpritIP.IsValid() {
		e.report(inventory.Event{
			Time: t, Type: inventory.EventDuplicateIP, Severity: inventory.SeverityMedium,
			MAC: macOf(claimant), IP: ip, TargetMAC: macOf(owner), TargetIP: ip,
			Summary:  fmt.Sprintf("%s is used by two devices: %s and %s", ip, macString(owner), macString(claimant)),
			Evidence: ev,
		}, claimant, owner)
		return
	}
	if culpritIP == ip {
		culpritIP = netip.Addr{}
		ev = append(ev, inventory.Evidence{Source: "arp", Detail: fmt.Sprintf("%s announced %s %d times (replies or gratuitous ARP) while %s still answers", macString(culprit), ip, b.announced, macString(victim))})
	} else {
		ev = append(ev, inventory.Evidence{Source: "arp", Detail: fmt.Sprintf("%s also claims its own address %s", macString(culprit), culpritIP)})
	}
	if reply {
		ev = append(ev, inventory.Evidence{Source: "arp", Detail: "unsolicited is-at replies"})
	}
	folded := culprit == claimant && (!b.rivalUnasked && e.fhrpNewcomer(ip, b, claimant, t) || e.fhrpTookOver(claimant, ip))
	already := folded || e.spoofedLately(t, culprit) // a folded claim is no arp_spoof: it must not silence the MAC's other poisoning
	sev := inventory.SeverityHigh
	what := ip.String()
	if gw {
		sev, what = inventory.SeverityCritical, "the gateway "+ip.String()
	}
	if already {
		// The same poisoning, seen from another angle: one event per incident.
		e.counters.EventsSuppressed++
	} else {
		e.reportConflictSpoof(t, ip, culprit, culpritIP, victim, sev, what, ev)
	}
	if gw && culprit == claimant && !folded {
		e.gatewayChanged(t, ip, claimant, owner, "while the known gateway MAC still answers", inventory.SeverityCritical)
	}
}

// asideClaim judges m's claim of ip, a request asking with it (no
// announcement), on its own while another MAC's run of announcements of
// ip goes on: m gets a run of its own, and the announcer's run is kept
// once m's is judged. A router behind a virtual MAC asks from its own MAC
// with the virtual address as sender at each reply it sends (keepalived's
// use_vmac: fhrpOwnMAC), and its requests between a poisoner's
// gratuitous ARPs right after a failover reset the poisoner's count each
// time: the poisoner was never named (review 30c b1, b2).
func (e *Engine) asideClaim(t time.Time, ip netip.Addr, b *binding, m mac, reply bool) {
	run := *b
	b.rival, b.rivalAt, b.rivalLast, b.claims, b.announced, b.rivalAsked, b.rivalUnasked = m, t, t, 1, 0, true, false
	e.conflict(t, ip, b, m, reply, false)
	if b.mac == run.mac {
		b.rival, b.rivalAt, b.rivalLast, b.claims, b.announced, b.rivalAsked, b.rivalUnasked = run.rival, run.rivalAt, run.rivalLast, run.claims, run.announced, run.rivalAsked, run.rivalUnasked
	}
}

// spoofedLately reports whether m was named a spoofer within the
// cooldown before t, and notes t as its latest.
func (e *Engine) spoofedLately(t time.Time, m mac) bool {
	h := e.hosts[macKey(m)]
	if h == nil {
		return false
	}
	already := !h.spoofed.IsZero() && t.Sub(h.spoofed) < e.cfg.Cooldown
	h.spoofed = t
	return already
}

// rivalRun describes the run of claims of ip by b's rival at t. alive:
// the owner was heard since the run began, both MACs alive at once; a card
// taking over from a failed one (bonding's num_grat_arp gratuitous ARPs,
// up to 255) announces while the owner is silent, and so does a failover
// flapping back, while the gateway's and FHRP virtual addresses (gw: the
// gateway's) never move so. stillAnnounces: the claim at t is an
// announcement handoverQuiet or more after the run began, whether or not
// the rival asked with the address meanwhile. A card that took over sends
// its gratuitous ARPs at once (bonding: num_grat_arp, one per miimon
// tick, one by default; the kernel's arp_notify: one) and then uses the
// address; a poisoner of a silent host's peers goes on announcing, and
// one request with the address early in its run (asked at +0.5 s, before
// handoverQuiet lets the address move) does not make it a card.
func (e *Engine) rivalRun(t time.Time, ip netip.Addr, b *binding, gw, announce bool) (alive, stillAnnounces bool) {
	alive = gw || b.last.After(b.rivalAt) || e.fhrpVirtual(ip)
	return alive, announce && t.Sub(b.rivalAt) >= handoverQuiet
}

// conflictParties names the culprit and the victim of claimant's claim of
// ip, which b binds to another MAC: the spoofer is the one that also claims
// an address of its own (culpritIP); if neither does, culpritIP is the zero
// Addr and two devices may have been given the same address.
func (e *Engine) conflictParties(t time.Time, ip netip.Addr, b *binding, claimant mac) (culprit, victim mac, culpritIP netip.Addr) {
	owner := b.mac
	culprit, victim = claimant, owner
	culpritIP = e.claimsOther(claimant, ip)
	// An owner whose DHCP client shows it moved to its other address
	// (ownerLeft) is no spoofer: the claimant took the address it left.
	// Nor is it when the claimant is the active router an FHRP group names
	// for ip (fhrpActiveFor): it took the role before the address, and a
	// router serving a virtual address beside its own is the owner's shape,
	// and so is the owner the active router names (review 30: keepalived
	// answering a lower priority's claim with its gratuitous ARPs).
	if !culpritIP.IsValid() && !e.ownerLeft(ip, b) && !e.fhrpActiveFor(ip, claimant) && !e.fhrpActiveFor(ip, owner) {
		if o := e.claimsOther(owner, ip); o.IsValid() {
			culprit, victim, culpritIP = owner, claimant, o
			// The first claim heard was the spoofer's (the capture or the
			// watch began mid-attack): the address is the claimant's, so
			// the gateway's MAC and later claims are judged against it.
			b.mac, b.rival, b.last, b.claimed, b.claims, b.announced = claimant, owner, t, t, 0, 0
		}
	}
	return culprit, victim, culpritIP
}

// handover reports whether claimant's claim of ip, with no address of its
// own, is the address moving to another network card of the same host, and
// if so rebinds ip to claimant: the claimant announced the address
// (gratuitous ARP) and the owner has not been heard since the claimant's
// first claim. Linux bonding in active-backup mode with fail_over_mac=active
// (drivers/net/bonding: the new active slave's MAC, then num_grat_arp
// gratuitous ARPs, one by default), Windows NIC teaming and a replaced USB
// adapter do so: the old MAC falls silent as the new one announces the
// address and uses it. A device given an address in use announces it too,
// but the owner goes on speaking. The gateway's address is left to the
// gateway and FHRP rules.
//
// The claim stays pending (quiet) until the owner has been silent for
// handoverQuiet after it: a poisoner that announces an active host's
// address and asks with it a moment later is not handed the address, nor
// is a claimant whose run held a reply nobody asked for naming another
// host (rivalUnasked: arpspoof's shape, which then asks with the address
// to pass for a card taking over an idle host's). The
// owner heard again within ConflictWindow of a handover undoes it
// (undoHandover).
func (e *Engine) handover(t time.Time, ip netip.Addr, b *binding, claimant mac) bool {
	if e.isGateway(ip) || b.announced == 0 || b.last.After(b.rivalAt) || b.rivalUnasked {
		return false
	}
	if t.Sub(b.rivalAt) < handoverQuiet {
		return true // pending: the owner may yet speak
	}
	*b = binding{mac: claimant, last: t, since: t, claimed: t, prev: b.mac, handed: t, prevAnnounced: b.announced, handedRun: b.rivalAt, prevLast: b.last, woken: b.woken}
	return true
}

// announcesOn reports whether the announcement at t by b's owner, handed
// ip by handover from a silent owner, makes the run that took it one that
// went on announcing past handoverQuiet (rivalRun's stillAnnounces) and
// if so gives ip back to the silent owner with the announcer as its rival,
// its run and announcements kept: two gratuitous ARPs, a request with the
// address at +3 s and more gratuitous ARPs is a poisoner's shape, as a
// card that took over stops announcing once it uses the address. A DHCP
// hand-on (leased) is left to undoHandover.
func (e *Engine) announcesOn(t time.Time, ip netip.Addr, b *binding) bool {
	if b.handed.IsZero() || b.leased || t.Sub(b.handed) > e.cfg.ConflictWindow {
		return false
	}
	b.prevAnnounced++
	if b.prevAnnounced < spoofAnnouncements || t.Sub(b.handedRun) < handoverQuiet {
		return false
	}
	*b = binding{mac: b.prev, last: b.prevLast, since: b.prevLast, claimed: b.prevLast, rival: b.mac, rivalAt: b.handedRun, rivalLast: t,
		claims: b.prevAnnounced, announced: b.prevAnnounced, rivalAsked: true}
	return true
}

// leftAddress reports whether b's owner gave ip up to m: since the owner
// last claimed it in ARP, the owner's DHCP client asked for another address
// or for none, and m's for ip (leaseSeen). Every client does so when a
// DHCP server restarted with its leases lost, or with its scope moved,
// renumbers the LAN: a device that reboots DISCOVERs and is given an
// address another device held a minute before, that device having been
// given another. The gateway's address is left to the gateway and FHRP
// rules.
//
// It takes the clients' own broadcasts, which any switch port hears, not
// a server's answers, which anyone can forge to any client: to hide a
// poisoning so, an attacker has to send DHCP under the victim's MAC and
// its own, and the victim's next ARP claim of its address undoes the hand-on
// (undoHandover), as a device that really moved never claims its old
// address again.
func (e *Engine) leftAddress(ip netip.Addr, b *binding, m mac) bool {
	if !e.ownerLeft(ip, b) {
		return false
	}
	c := e.hosts[macKey(m)]
	return c != nil && c.leaseAt != 0 && c.lease == ip && e.laterThan(c.leaseAt, b.claimed)
}

// ownerLeft reports whether b's owner's DHCP client asked for an address
// other than ip, or for none, since the owner last claimed ip in ARP.
func (e *Engine) ownerLeft(ip netip.Addr, b *binding) bool {
	if b.claimed.IsZero() || e.isGateway(ip) {
		return false
	}
	h := e.hosts[macKey(b.mac)]
	return h != nil && h.leaseAt != 0 && e.laterThan(h.leaseAt, b.claimed) && h.lease != ip
}

// leaseSeen records the address m's DHCP client asks for in its own
// DISCOVER or REQUEST (d, from m, at now on the engine's clock): the
// requested address (option 50) of a REQUEST selecting an offer or
// confirming a lease after a reboot, or of a DISCOVER suggesting the
// address it last held (RFC 2131 4.4.1; dhclient's recorded lease), ciaddr
// of a REQUEST renewing (4.3.2), else none (a client in INIT has no
// address).
func (e *Engine) leaseSeen(m mac, now int64, d *capture.DHCP) {
	h := e.host(m, false)
	if h == nil {
		return
	}
	h.leaseAt, h.lease = now, requested(d)
	if d.Type() == capture.DHCPRequest && !h.lease.IsValid() {
		h.lease = d.ClientIP
	}
}

// rivalPause is how long the rival of an address its owner took back after
// a handover (retaken) may fall silent before its next claim begins a new
// run (rivalAt): a backup card that took over, failed back and takes over
// again minutes later is a new run. Any other rival keeps its run however
// long it pauses, and so does one a DHCP hand-on's undoing made: arpspoof
// re-announces every 2 s, bettercap every second, ettercap every 10 s, but
// a router keeps an ARP entry for hours (Cisco IOS: 4 h) and a poisoner
// re-announcing every minute holds it as well.
const rivalPause = 30 * time.Second

// newRun reports whether the claim at t by b's rival, which took ip and
// lost it again (retaken), begins a new run of claims: it paused past
// rivalPause, and the owner was not heard after its last run began (that
// run's rivalAt, at or after the retake; an undone run's own start, the
// handover, is before it). A backup card that took over, failed back (the
// primary announces the address, retaken) and takes over again minutes
// later is a new run, as the old card falls silent; a MAC that announces
// the address twice and asks with it every minute while the owner goes
// on speaking between its bursts (review 26b) goes on with the run it
// began, its announcements counted and the owner alive.
func (e *Engine) newRun(t time.Time, ip netip.Addr, b *binding) bool {
	if t.Sub(b.rivalLast) <= rivalPause || e.isGateway(ip) || b.retaken.IsZero() || b.leased {
		return false
	}
	return !b.last.After(b.rivalAt) || b.rivalAt.Before(b.retaken)
}

// handoverQuiet is how long the owner must stay silent after another MAC
// announced its address before the address moves to that MAC: bonding
// and teaming switch at once and the old card never speaks again, while
// an active host sends within a second or two.
const handoverQuiet = 3 * time.Second

// undoHandover reports whether m's claim of ip, or a frame from the owner
// a handover took ip from, shows that owner alive within ConflictWindow
// of the handover (undone), and if so gives ip back to it, and whether m
// is that owner (own: nothing more to judge). The claimant becomes the
// rival again, its announcements kept, and any claim it makes within
// ConflictWindow is arp_spoof (conflict): it took an active host's
// address while the host was briefly silent. A card failing back (the
// backup falls silent as the primary announces the address) stays quiet.
// A DHCP hand-on (leased) is undone only by the old owner's claim of ip
// (undoable): it speaks on from its new address, and never claims its old
// one again unless its DHCP was forged. A claim of the claimant's that
// undoes it goes on with the claimant's run however long it paused
// (newRun): the owner spoke while it held the address.
func (e *Engine) undoHandover(t time.Time, ip netip.Addr, b *binding, m mac) (undone, own bool) {
	if !e.undoable(t, ip, b) {
		return false, false
	}
	back := m == b.prev
	if h := e.hosts[macKey(b.prev)]; !back && !b.leased && h != nil && e.laterThan(h.last, b.handed) {
		back = true // it sent a frame since a handover that was no DHCP hand-on
	}
	if !back {
		return false, false
	}
	if b.woken {
		// A sleep proxy handed the address back to the owner it woke.
		*b = binding{mac: b.prev, last: t, since: b.handed, claimed: t}
		return false, m == b.mac
	}
	*b = binding{mac: b.prev, last: t, since: b.handed, rival: b.mac, rivalAt: b.handed, rivalLast: b.claimed, rivalAsked: true, announced: b.prevAnnounced, retaken: t, claimed: t, leased: b.leased}
	return true, m == b.mac
}

// undoable reports whether b's handover may still be undone at t: within
// ConflictWindow of it, or, a DHCP hand-on, until the old owner's own DHCP
// client asks for ip again (a server giving it back; a device that really
// moved never claims its old address otherwise, however long after).
func (e *Engine) undoable(t time.Time, ip netip.Addr, b *binding) bool {
	if b.handed.IsZero() {
		return false
	}
	if !b.leased {
		return t.Sub(b.handed) <= e.cfg.ConflictWindow
	}
	h := e.hosts[macKey(b.prev)]
	return h == nil || h.lease != ip || !e.laterThan(h.leaseAt, b.handed)
}

func (e *Engine) reportConflictSpoof(t time.Time, ip netip.Addr, culprit mac, culpritIP netip.Addr, victim mac, sev inventory.Severity, what string, ev []inventory.Evidence) {
	e.holdARPSpoof(inventory.Event{ // arphold.go: gathers the incident's other claims
		Time: t, Type: inventory.EventARPSpoof, Severity: sev,
		MAC: macOf(culprit), IP: culpritIP, TargetMAC: macOf(victim), TargetIP: ip,
		Summary:  fmt.Sprintf("%s claims %s, which %s owns: ARP spoofing", describe(culprit, culpritIP), what, macString(victim)),
		Evidence: ev,
	}, culprit, victim)
}

func (e *Engine) gatewayChanged(t time.Time, ip netip.Addr, now, was mac, why string, sev inventory.Severity) {
	e.report(inventory.Event{
		Time: t, Type: inventory.EventGatewayChanged, Severity: sev,
		MAC: macOf(now), IP: ip, TargetMAC: macOf(was), TargetIP: ip,
		Summary: fmt.Sprintf("gateway %s is now claimed by %s instead of %s", ip, macString(now), macString(was)),
		Evidence: []inventory.Evidence{
			{Source: "arp", Detail: fmt.Sprintf("%s is-at %s at %s, %s", ip, macString(now), t.UTC().Format(time.RFC3339Nano), why)},
		},
	}, now, was)
}

func (e *Engine) isGateway(ip netip.Addr) bool {
	return ip.IsValid() && (ip == e.gateway || ip == e.dhcp.router)
}

// arpFlood counts ARP replies per sending MAC, the frame's source: a
// poisoning tool floods them. Not the ARP sender address, which the tool
// writes: ettercap restores its victims' caches on exit with thousands of
// true bindings, each naming a victim as sender, all from its own MAC.
func (e *Engine) arpFlood(p *capture.Packet, src mac) {
	if e.isSelf(src) || !unicast(src) {
		return
	}
	f := e.floods[macKey(src)]
	if f == nil || since(p.Time, f.start) > e.cfg.Window {
		if f == nil && len(e.floods) >= e.cfg.MaxTrackers {
			e.counters.TrackersDropped++
			return
		}
		f = &floodTracker{start: p.Time, targets: map[netip.Addr]struct{}{}}
		e.floods[macKey(src)] = f
	}
	f.replies++
	if len(f.targets) < 64 {
		f.targets[addr4(p.ARP.DstProtAddress)] = struct{}{}
	}
	if f.replies != e.cfg.ARPFloodReplies+1 {
		return
	}
	var ip netip.Addr
	if h := e.hosts[macKey(src)]; h != nil {
		ip = h.ip
		if !h.spoofed.IsZero() && p.Time.Sub(h.spoofed) < e.cfg.Cooldown {
			e.counters.EventsSuppressed++ // its poisoning is reported already: one event per incident
			return
		}
		h.spoofed = p.Time
	}
	e.report(inventory.Event{
		Time: p.Time, Type: inventory.EventARPSpoof, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: ip,
		Summary: fmt.Sprintf("%s sent more than %d ARP replies nobody asked for in %s: a poisoning flood", describe(src, ip), e.cfg.ARPFloodReplies, e.cfg.Window),
		Evidence: []inventory.Evidence{
			{Source: "arp", Detail: fmt.Sprintf("%d unsolicited replies since %s to %d addresses", f.replies, f.start.UTC().Format(time.RFC3339), len(f.targets))},
		},
	}, src, mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
}

// unsolicitedClaim records an is-at reply nobody asked for; a MAC that
// claims several addresses so is poisoning caches (arpspoof -t A B and
// -t B A, ettercap, bettercap), even when the owners never speak.
func (e *Engine) unsolicitedClaim(p *capture.Packet, h *host, spa, tpa netip.Addr) {
	h.unsolicited++
	if !h.spoofed.IsZero() && p.Time.Sub(h.spoofed) < e.cfg.Cooldown {
		return // this poisoning was reported already (one event per incident)
	}
	n := 0
	for i, c := range h.uclaims {
		if c == spa {
			return
		}
		if !c.IsValid() {
			h.uclaims[i] = spa
			n = i + 1
			break
		}
		n = i + 1
	}
	if n < unsolicitedIPs {
		return
	}
	claimed := make([]netip.Addr, 0, len(h.uclaims))
	for _, c := range h.uclaims {
		if c.IsValid() {
			claimed = append(claimed, c)
		}
	}
	sev := inventory.SeverityHigh
	for _, c := range claimed {
		if e.isGateway(c) {
			sev = inventory.SeverityCritical
		}
	}
	own := netip.Addr{}
	for _, c := range h.claims {
		if c.IsValid() && !slicesContains(claimed, c) {
			own = c
		}
	}
	h.spoofed = p.Time
	e.report(inventory.Event{
		Time: p.Time, Type: inventory.EventARPSpoof, Severity: sev,
		MAC: macOf(h.mac), IP: own, TargetIP: tpa, TargetMAC: macOf(capture.MAC6(p.ARP.DstHwAddress)),
		Summary: fmt.Sprintf("%s claims %s in ARP replies nobody asked for: ARP poisoning", macString(h.mac), join(claimed)),
		Evidence: []inventory.Evidence{
			{Source: "arp", Detail: fmt.Sprintf("%d unsolicited is-at replies (no request for the address from their target within %s)", h.unsolicited, arpAnswerWithin)},
			{Source: "arp", Detail: fmt.Sprintf("last: %s is-at %s, sent to %s at %s", spa, macString(h.mac), tpa, p.Time.UTC().Format(time.RFC3339Nano))},
		},
	}, h.mac, mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xfe})
}

func slicesContains(xs []netip.Addr, x netip.Addr) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
