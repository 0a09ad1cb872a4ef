package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"tend/capture"
	"tend/inventory"
)

// fhrpGroup is one HSRP or VRRP group: the router active for it now and
// the routers heard speaking for it.
type fhrpGroup struct {
	kind     fhrpKind
	group    uint16
	vlan     uint16 // a trunk's mirror shows each VLAN's groups apart
	active   mac
	activeIP netip.Addr
	vip      netip.Addr    // the virtual address the active router names
	more     [3]netip.Addr // VRRP's next ones (IPv6's first is link-local)
	prio     byte
	last     time.Time     // when the active router was last heard
	hold     time.Duration // how long it stays active unheard
	every    time.Duration // VRRP: the active router's advertisement interval (setEvery)
	v2       bool          // VRRP: the active router advertises version 2 (skew)
	// pend is a shorter interval the active router advertised, pendN
	// how many of its adverts in a row named it (setEvery), pendAt when
	// the last one counted
	pend     time.Duration
	pendN    uint8
	pendAt   time.Time
	speakers [4]fhrpSpeaker // routers heard in the group (beyond: TrackersDropped)
	// srcs are the source addresses of the last adverts heard in the
	// group, one per router (use_vmac's adverts all come from the virtual
	// MAC: fhrpOwnMAC finds the routers' own MACs through them).
	srcs [4]netip.Addr

	// rival is a second router claiming the active role while the active
	// one lives: a lower priority, or the router a known speaker displaced.
	rival      mac
	rivalIP    netip.Addr
	rivalPrio  byte
	rivalN     uint32
	rivalFirst time.Time
	// resignAt is when the active router last gave the role up (priority
	// 0): the next claim is judged against the backups' skew (beforeSkew).
	resignAt time.Time
	// resignBy is the router that resigned at resignAt, heir the one that
	// took the role it left, backAt when resignBy claimed it again
	// (forgedResign).
	resignBy, heir mac
	backAt         time.Time
	flagged        mac // the culprit of the group's last alarm
	newcomer       mac // the router reportStranger named, until another alarm (fhrpNewcomer)
	// newcomerFrom is the active router newcomer took the role from,
	// newcomerAfter when its next advert was due after its last: the
	// address's owner must be it (or the group's virtual MAC), unheard
	// since (fhrpNewcomer).
	newcomerFrom  mac
	newcomerAfter time.Time
	_             [0]func() // never compared: no generated equality in the binary
}

// fhrpKind is the protocol and family of a group: HSRP version 1 and 2
// number their groups apart, and IPv6 groups apart from IPv4's.
type fhrpKind byte

const (
	kindHSRP fhrpKind = iota
	kindHSRP2
	kindHSRP6
	kindVRRP
	kindVRRP6
)

func (k fhrpKind) String() string {
	return [...]string{"HSRP", "HSRPv2", "HSRPv2 (IPv6)", "VRRP", "VRRPv3 (IPv6)"}[k]
}

// fhrpSpeaker is a router heard in a group: how often, first and last.
type fhrpSpeaker struct {
	_           [0]func() // not comparable: no equality function linked
	m           mac
	first, last time.Time
	n           uint32
	active      bool // it held the active role without an alarm
	// vip is the virtual address it last named claiming the active role,
	// claims how many times it claimed it in a row, from claimFirst to
	// claimLast (fhrpHandover).
	vip                   netip.Addr
	claims                uint32
	claimFirst, claimLast time.Time
	peer                  mac // where it last sent an advert unicast (fhrpTo)
	// sure is whether its adverts reached the group's routers (reached):
	// only then can it be known or have held the role (handedFrom).
	sure bool
}

// A speaker is known to its group once it was active without an alarm, or
// sent fhrpKnownHellos messages over at least fhrpKnownSpan (a standby
// HSRP router's hellos every 3 s for 10 s; VRRP backups are silent): one
// standby or low-priority hello is not enough to make a later coup a
// failover. A known speaker unheard for fhrpForget may give its slot to a
// new one; an unknown one always may.
const (
	fhrpKnownHellos = 3
	fhrpKnownSpan   = 10 * time.Second
	fhrpForget      = 30 * time.Minute
)

func (sp *fhrpSpeaker) known() bool {
	return sp.sure && (sp.active || sp.n >= fhrpKnownHellos && sp.last.Sub(sp.first) >= fhrpKnownSpan)
}

func (g *fhrpGroup) find(m mac) *fhrpSpeaker {
	for i := range g.speakers {
		if g.speakers[i].n > 0 && g.speakers[i].m == m {
			return &g.speakers[i]
		}
	}
	return nil
}

func (g *fhrpGroup) knows(m mac) bool {
	sp := g.find(m)
	return sp != nil && sp.known()
}

// hear counts a message from m at t, taking a free slot, else an unknown
// speaker's, else a known one's unheard for fhrpForget (the least recently
// heard): a stream of one-hello MACs cannot push an established router out.
func (e *Engine) hear(g *fhrpGroup, m mac, t time.Time) *fhrpSpeaker {
	if sp := g.find(m); sp != nil {
		sp.n++
		sp.last = t
		return sp
	}
	var slot *fhrpSpeaker
	for i := range g.speakers {
		sp := &g.speakers[i]
		switch {
		case sp.n == 0:
			slot = sp
		case slot != nil && slot.n == 0:
		case !sp.known() || since(t, sp.last) > fhrpForget:
			if slot == nil || slot.known() && !sp.known() || slot.known() == sp.known() && sp.last.Before(slot.last) {
				slot = sp
			}
		}
	}
	if slot == nil {
		e.counters.TrackersDropped++
		return nil
	}
	*slot = fhrpSpeaker{m: m, first: t, last: t, n: 1}
	return slot
}

// fhrpRouter reports whether m is a router known in an HSRP or VRRP group.
func (e *Engine) fhrpRouter(m mac) bool {
	for i := range e.l2.fhrp[:e.l2.nFHRP] {
		if e.l2.fhrp[i].knows(m) {
			return true
		}
	}
	return false
}

// fhrpHandover reports whether ip is a virtual address of a group b's
// owner spoke in and m its live active router, taken over without an alarm: a
// router that does not use the virtual MAC (keepalived's default, HSRP's
// use-bia) announces the virtual address from its own MAC when it becomes
// active, so it moves from the last active router's MAC to its own. The
// owner must have claimed the active role naming the same virtual address
// (handedFrom), as the last master did before it failed: one message
// forged under the owner's MAC, or a group the owner never spoke in, does
// not make a poisoning of the address a failover.
func (e *Engine) fhrpHandover(ip netip.Addr, b *binding, m mac, t time.Time) bool {
	owner := b.mac
	for i := range e.l2.fhrp[:e.l2.nFHRP] {
		g := &e.l2.fhrp[i]
		if (ip == g.vip || slices.Contains(g.more[:], ip)) && g.active == m && g.flagged != m && since(t, g.last) <= g.hold && g.find(owner) != nil && ((g.handedFrom(owner) || g.resignedTo(owner, m)) && g.spokeWhileHeld(b.mac, b.since) || g.failback(m, b)) {
			return true
		}
	}
	return false
}

// fhrpOwnMAC reports whether m, asking in ARP with ip as its sender
// address (a request: neither reply nor announcement), is a router of the
// group serving ip behind the virtual MAC owner: owner is a group's
// virtual MAC (RFC 5798 7.3: 00:00:5e:00:01:VRID), its active router heard
// within its hold time and no culprit, ip one of its virtual addresses,
// and m either that active router (keepalived's vmac_xmit_base advertises
// from the router's own MAC) or the MAC the source address of a router's
// adverts in the group is bound to in ARP (RFC 5798 5.1.1.1: the
// router's primary address). keepalived's use_vmac puts the address on a
// macvlan answering from the virtual MAC, while the kernel resolves the
// replies it sends from the address on the router's own interface and MAC
// (arp_announce 0: the packet's source as sender), the master before a
// failover and the new one after. Any other MAC is judged as before, the
// MAC of an address never bound too: a broadcast request updates every
// host holding ip in its cache (Linux), not only the asked one.
func (e *Engine) fhrpOwnMAC(ip netip.Addr, owner, m mac, t time.Time) bool {
	kind, grp, ok := fhrpVirtual(owner)
	if !ok {
		return false
	}
	for i := range e.l2.fhrp[:e.l2.nFHRP] {
		g := &e.l2.fhrp[i]
		if g.kind != kind || g.group != grp || g.flagged == g.active || since(t, g.last) > g.hold || ip != g.vip && !slices.Contains(g.more[:], ip) {
			continue
		}
		if g.active != owner {
			return g.active == m // vmac_xmit_base: the master advertises from its own MAC
		}
		return e.routerOf(g, m)
	}
	return false
}

// routerOf reports whether m is the MAC a source address of g's adverts
// is bound to in ARP.
func (e *Engine) routerOf(g *fhrpGroup, m mac) bool {
	for _, a := range g.srcs {
		if !a.IsValid() {
			continue
		}
		if b := e.arp[a]; b != nil && b.mac == m {
			return true
		}
	}
	return false
}

// heardFrom notes a, the source address of an advert in g, first in
// g.srcs: the least recently heard gives way to a new one.
func (g *fhrpGroup) heardFrom(a netip.Addr) {
	if !a.IsValid() {
		return
	}
	n := slices.Index(g.srcs[:], a)
	if n < 0 {
		n = len(g.srcs) - 1
	}
	copy(g.srcs[1:n+1], g.srcs[:n])
	g.srcs[0] = a
}

// failback reports whether m, g's active router taking the address from
// b's owner, held the role before the owner did (handedFrom, its claims
// begun first) and is a master taking back what it handed on: the address
// was bound to m before an FHRP handover gave it to the owner (vrrpPrev),
// and m advertised while it held it (spokeWhileHeld). VRRP claims alone
// prove nothing: an attacker advertising the address from its own MAC on
// a LAN without VRRP never held it (review 29c W7).
func (g *fhrpGroup) failback(m mac, b *binding) bool {
	sm, so := g.find(m), g.find(b.mac)
	return b.vrrpPrev == m && g.handedFrom(m) && so != nil && sm.claimFirst.Before(so.claimFirst) && g.spokeWhileHeld(m, b.vrrpPrevSince)
}

// spokeWhileHeld reports whether m, bound to the address since held,
// spoke in g from then on: its first message no later than a hold time
// after. A master
// advertises from the moment it takes the address (RFC 5798 6.4.1: the
// advertisement, then the gratuitous ARPs), every interval; adverts that
// appear only around a takeover, from a MAC that held the address long
// without any (a LAN whose gateway runs no VRRP), were forged to make the
// takeover look like a handover (review 28d W5).
func (g *fhrpGroup) spokeWhileHeld(m mac, held time.Time) bool {
	sp := g.find(m)
	return sp != nil && !held.IsZero() && !sp.first.After(held.Add(g.hold))
}

// handedFrom reports whether owner held g's active role before, naming
// the virtual address its active router names now, in fhrpKnownHellos
// claims or more (a master advertises every interval, an HSRP active
// router hellos every 3 s).
func (g *fhrpGroup) handedFrom(owner mac) bool {
	sp := g.find(owner)
	return sp != nil && sp.sure && sp.active && sp.vip == g.vip && sp.claims >= fhrpKnownHellos &&
		sp.claimLast.Sub(sp.claimFirst) >= max(2*g.every, fhrpClaimSpan)
}

// resignedTo reports whether owner, the master of g naming its virtual
// address, gave the role up with a priority-0 advert (RFC 5798 6.4.3, HSRP's
// resign) after its last claim, and m was the first router to claim the
// role after it (noteHeir): a handover announced in the group, however
// briefly owner was master. keepalived stopped seconds after it started
// (a flapping pair) resigns after one or two adverts, short of handedFrom's
// claims (review 42 b_vrrp_flap: arp_spoof High at the backup). A priority 0
// forged under owner's MAC while it lives leaves it advertising on: the heir
// is then a rival in the group (forgedResign), flagged there.
func (g *fhrpGroup) resignedTo(owner, m mac) bool {
	sp := g.find(owner)
	return sp != nil && sp.sure && sp.active && sp.vip == g.vip && sp.claims > 0 && g.resignBy == owner && g.heir == m && !g.resignAt.Before(sp.claimLast)
}

// fhrpClaimSpan is the least time a router's claims of the active role
// span before it counts as a master that handed the address on: two
// intervals of keepalived's default second, two of HSRP's 3 s hellos; a
// burst of forged adverts under its MAC spans milliseconds.
const fhrpClaimSpan = 2 * time.Second

// claimed counts a claim of the active role naming vip at t.
func (sp *fhrpSpeaker) claimed(vip netip.Addr, t time.Time) {
	if sp.vip != vip || sp.claims == 0 {
		sp.vip, sp.claims, sp.claimFirst = vip, 0, t
	}
	sp.claims++
	sp.claimLast = t
}

// fhrpActiveFor reports whether m is the active router of a group heard
// naming ip as its virtual address.
func (e *Engine) fhrpActiveFor(ip netip.Addr, m mac) bool {
	for i := range e.l2.fhrp[:e.l2.nFHRP] {
		if g := &e.l2.fhrp[i]; g.active == m && (ip == g.vip || slices.Contains(g.more[:], ip)) {
			return true
		}
	}
	return false
}

// fhrpVirtual reports whether ip is a virtual address of a group heard:
// it moves by the group's election (fhrpHandover), never because its last
// holder fell silent.
func (e *Engine) fhrpVirtual(ip netip.Addr) bool {
	for i := range e.l2.fhrp[:e.l2.nFHRP] {
		if g := &e.l2.fhrp[i]; ip == g.vip || slices.Contains(g.more[:], ip) {
			return true
		}
	}
	return false
}

// HSRP's and VRRP's multicast groups (224.0.0.2, 224.0.0.18; HSRPv2's
// 224.0.0.102 and ff02::66, VRRP's ff02::12) and numbers (RFC 2281 5,
// RFC 5798 5.1; HSRPv2 is Cisco's, on UDP 2029 over IPv6).
const (
	hsrpGroup    = 0xe0000002
	hsrp2Group   = 0xe0000066
	vrrpGroup    = 0xe0000012
	hsrpPort     = 1985
	hsrp6Port    = 2029
	vrrpProtocol = 112
	hsrpActive   = 16 // state
	hsrp2Active  = 6  // HSRPv2's state
	hsrpCoup     = 1  // op code
	hsrpResign   = 2
)

var (
	hsrp6Group = netip.MustParseAddr("ff02::66")
	vrrp6Group = netip.MustParseAddr("ff02::12")
)

// ip4Of is a's IPv4 address as a number, 0 for another address.
func ip4Of(a netip.Addr) uint32 {
	if !a.Is4() {
		return 0
	}
	b := a.As4()
	return binary.BigEndian.Uint32(b[:])
}

// hsrp reads an HSRP version 0/1 message (RFC 2281 5: version, op code,
// state, hello time, hold time, priority, group, reserved, authentication,
// virtual IP), or a version 2 one (to 224.0.0.102 or ff02::66).
func (e *Engine) hsrp(p *capture.Packet, src mac) {
	b := p.UDP.Payload
	if !unicast(src) {
		return
	}
	if ip4Of(p.DstIP()) != hsrpGroup {
		e.hsrp2(p, src, b)
		return
	}
	if len(b) < 20 || b[0] > 1 {
		return
	}
	op, state, hold, prio, grp := b[1], b[2], time.Duration(b[4])*time.Second, b[5], b[6]
	claims := op == hsrpCoup || op == 0 && state == hsrpActive
	e.fhrpMessage(p, src, kindHSRP, uint16(grp), prio, max(hold, 3*time.Second), claims, op == hsrpResign, netip.AddrFrom4([4]byte(b[16:20])), op == hsrpCoup)
}

// hsrp2 reads HSRP version 2's group state TLV (type 1, 40 bytes: version,
// op code, state, IP version, group (2), the router's MAC (6), priority
// (4), hello and hold time in ms (4 each), virtual address (16)); the
// authentication TLVs after it are passed over.
func (e *Engine) hsrp2(p *capture.Packet, src mac, b []byte) {
	kind := kindHSRP2
	switch {
	case p.UDP.DstPort == hsrpPort && ip4Of(p.DstIP()) == hsrp2Group:
	case p.UDP.DstPort == hsrp6Port && p.DstIP() == hsrp6Group:
		kind = kindHSRP6
	default:
		return
	}
	if len(b) < 42 || b[0] != 1 || b[1] < 40 || b[2] != 2 {
		return
	}
	op, state := b[3], b[4]
	prio := byte(min(binary.BigEndian.Uint32(b[14:18]), 255))
	hold := time.Duration(binary.BigEndian.Uint32(b[22:26])) * time.Millisecond
	vip := netip.AddrFrom4([4]byte(b[26:30]))
	if b[5] == 6 {
		vip = netip.AddrFrom16([16]byte(b[26:42]))
	}
	claims := op == hsrpCoup || op == 0 && state == hsrp2Active
	e.fhrpMessage(p, src, kind, binary.BigEndian.Uint16(b[6:8]), prio, min(max(hold, 3*time.Second), time.Minute), claims, op == hsrpResign, vip, op == hsrpCoup)
}

// vrrp reads a VRRP advertisement (RFC 5798 5.2: version and type, VRID,
// priority, address count, interval, checksum, then the virtual
// addresses, IPv4's or, over IPv6, IPv6's): only the master advertises,
// and at priority 0 it gives the role up.
func (e *Engine) vrrp(p *capture.Packet, src mac, b []byte) {
	kind, alen, oldest := kindVRRP, 4, byte(2)
	if p.DstIP() == vrrp6Group || p.DstIP().Is6() && e.toPeer(p) {
		kind, alen, oldest = kindVRRP6, 16, 3 // IPv6 is version 3's only
	} else if ip4Of(p.DstIP()) != vrrpGroup && !e.toPeer(p) {
		return
	}
	if kind == kindVRRP && isCARP(b) {
		e.carpAdvert(p, b) // carp.go
		return
	}
	if len(b) < 8+alen || b[0]>>4 < oldest || b[0]>>4 > 3 || b[0]&0xf != 1 || !unicast(src) {
		return
	}
	every := time.Duration(b[5]) * time.Second // version 2: seconds
	if b[0]>>4 == 3 {
		every = time.Duration(uint16(b[4]&0xf)<<8|uint16(b[5])) * 10 * time.Millisecond // version 3: centiseconds
	}
	vip, _ := netip.AddrFromSlice(b[8 : 8+alen])
	e.l2.fhrpTo, e.l2.fhrpSplit = mac{}, false
	if ip4Of(p.DstIP()) != vrrpGroup && p.DstIP() != vrrp6Group {
		e.l2.fhrpTo = capture.MAC6(p.Eth.DstMAC)
		defer func() { e.l2.fhrpTo, e.l2.fhrpSplit = mac{}, false }()
	}
	e.fhrpMessage(p, src, kind, uint16(b[1]), b[2], max(3*every+time.Second, 3*time.Second), b[2] > 0, b[2] == 0, vip, false)
	if g := e.fhrpGroupOf(kind, uint16(b[1]), p.VLAN); g != nil && g.active == src {
		g.setEvery(p.Time, every)
		g.v2 = b[0]>>4 == 2
		for i := range g.more {
			g.more[i] = netip.Addr{}
			if at := 8 + (i+1)*alen; i+1 < int(b[3]) && at+alen <= len(b) {
				g.more[i], _ = netip.AddrFromSlice(b[at : at+alen])
			}
		}
	}
}

// reached notes that sp sent an advert to the MAC to (zero: VRRP's
// group): one to the group, or unicast to a peer that itself advertised in
// g, reached the group's routers, and both ends of the latter are sure.
// An advert unicast to any other host is seen by the sensor alone: one
// forged to a LAN address from a MAC new to the group must not make a
// later takeover look like a handover (review 29c).
func (g *fhrpGroup) reached(sp *fhrpSpeaker, to mac) {
	if sp == nil {
		return
	}
	if to == (mac{}) {
		sp.sure = true
		return
	}
	sp.peer = to
	if pp := g.find(to); pp != nil {
		sp.sure, pp.sure = true, true
	}
}

// split reports whether src's advert at prio, unicast to the MAC to
// (zero: to VRRP's group), is a split brain's: to is a router that
// advertises in g unicast itself, either to a router of g that advertises
// too (each advertising to the other: their unicast_peer lists or the
// link between them broken) or as the active router src advertises below
// (a master discards a lower priority's adverts, RFC 5798 6.4.3: nothing
// is taken). A fault to look at, Medium; an advert forged to a master
// whose backup is silent, at a priority above it, stays a takeover.
func (g *fhrpGroup) split(src, to mac, prio byte) bool {
	pp := g.find(to)
	if to == (mac{}) || pp == nil || pp.peer == (mac{}) || pp.peer == to {
		return false
	}
	return g.find(pp.peer) != nil || g.active == to && prio < g.prio && src != to
}

// toPeer reports whether a VRRP advertisement goes to a LAN host rather
// than VRRP's group: keepalived's unicast_peer sends each peer its own
// copy, which a mirror port shows. The destination must be a host ARP or
// neighbour discovery binds to the frame's destination MAC: an advert to
// a routed address crosses the gateway's MAC and is no router's on this
// LAN.
func (e *Engine) toPeer(p *capture.Packet) bool {
	tbl := e.arp
	if p.DstIP().Is6() {
		tbl = e.nd
	}
	b := tbl[p.DstIP()]
	return b != nil && b.mac == capture.MAC6(p.Eth.DstMAC)
}

// fhrpVirtual reads a group's virtual MAC: HSRP's 00:00:0c:07:ac:GG,
// HSRPv2's 00:00:0c:9f:fG:GG, HSRP for IPv6's 00:05:73:a0:0G:GG, VRRP's
// 00:00:5e:00:01:ID and VRRP for IPv6's 00:00:5e:00:02:ID. The active
// router speaks from it.
func fhrpVirtual(m mac) (fhrpKind, uint16, bool) {
	low := uint16(m[4]&0xf)<<8 | uint16(m[5])
	switch {
	case m[0] == 0 && m[1] == 0 && m[2] == 0x0c && m[3] == 0x07 && m[4] == 0xac:
		return kindHSRP, uint16(m[5]), true
	case m[0] == 0 && m[1] == 0 && m[2] == 0x0c && m[3] == 0x9f && m[4]&0xf0 == 0xf0:
		return kindHSRP2, low, true
	case m[0] == 0 && m[1] == 0x05 && m[2] == 0x73 && m[3] == 0xa0 && m[4]&0xf0 == 0:
		return kindHSRP6, low, true
	case m[0] == 0 && m[1] == 0 && m[2] == 0x5e && m[3] == 0 && (m[4] == 1 || m[4] == 2):
		return kindVRRP + fhrpKind(m[4]-1), uint16(m[5]), true
	}
	return 0, 0, false
}

// fhrpContested is how many active claims a second router makes while the
// active one goes on claiming too before two active routers are an
// incident: an election settles within a hello or two (the loser resigns,
// a lower priority router hears the higher one), an attacker and the real
// router both keep claiming.
const fhrpContested = 3

// fhrpMessage judges a router's message for a group: a router never heard
// in the group that claims the active role, at a priority at least the
// active router's, while that router is still alive, takes the LAN's
// gateway address over (yersinia's HSRP attacks, a VRRP master forged the
// same way). A standby router taking over, or the active one gone silent
// or resigned, is a failover. Two routers that both go on claiming the
// active role are a coup too, whichever spoke first in the capture (an
// attacker that claimed before the real router's first hello, or one
// known as a standby speaker first): see contest.
func (e *Engine) fhrpMessage(p *capture.Packet, src mac, kind fhrpKind, grp uint16, prio byte, hold time.Duration, claims, resign bool, vip netip.Addr, coup bool) {
	g := e.fhrpGroupOf(kind, grp, p.VLAN)
	if g == nil {
		return
	}
	if resign && g.active != src {
		return // resigns nothing: a router not active counts no priority 0 toward known (RFC 5798 6.4.3 sends it leaving master)
	}
	known := g.knows(src) // before this message counts
	sp := e.hear(g, src, p.Time)
	g.heardFrom(p.SrcIP())
	g.reached(sp, e.l2.fhrpTo)
	e.l2.fhrpSplit = g.split(src, e.l2.fhrpTo, prio)
	if resign && g.active == src {
		g.last, g.resignAt = time.Time{}, p.Time // the successor takes over after its skew (beforeSkew)
		g.resignBy, g.heir, g.backAt = src, mac{}, time.Time{}
	}
	if !claims {
		return
	}
	g.noteHeir(src, p.Time)
	var before time.Time // src's last claim before this one
	wasMaster := sp != nil && sp.active
	if sp != nil {
		before = sp.claimLast
		sp.claimed(vip, p.Time)
	}
	lapsed := g.lapsed(p.Time, prio)
	if g.active != src && !lapsed && twoSubnets(vip, g.vip) {
		return // one group number on two untagged subnets of a mirror
	}
	switch {
	case g.active != src && g.beforeSkew(p.Time, prio, before):
		e.reportBeforeSkew(p, src, g, prio, vip)
		g.take(src, p, prio, hold, vip)
	case g.active == src || g.active == (mac{}) || lapsed:
		if g.active == (mac{}) && g.flagged == (mac{}) {
			e.fhrpFirstClaim(p, src, g, prio, vip) // fhrpfirst.go
		}
		if g.active != src && g.active != (mac{}) && g.flagged != g.active && g.stranger(p.Time, prio, known, wasMaster) {
			e.reportStranger(p, src, g, prio, vip)
		}
		g.take(src, p, prio, hold, vip)
		if sp != nil && g.flagged != src {
			sp.active = true
		}
	case !known && prio >= g.prio:
		c, act := fhrpClaimant{src, p.SrcIP(), prio}, fhrpClaimant{g.active, g.activeIP, g.prio}
		switch {
		case e.fhrpGateway(g, c) && !e.fhrpGateway(g, act):
			// The gateway outbids a stranger that claimed the role before
			// the gateway's first hello in the capture: the stranger is the culprit.
			e.reportTwoActives(p, g, act, c, vip)
		case e.fhrpGateway(g, c): // two of the gateway's own routers
		default:
			e.reportTakeover(p, src, g, coup, prio, vip)
			g.flagged, g.rival, g.newcomer = src, mac{}, mac{}
		}
		g.take(src, p, prio, hold, vip)
	case prio >= g.prio: // a known router preempts: the one it displaced gives way
		g.rival, g.rivalIP, g.rivalPrio, g.rivalN, g.rivalFirst = g.active, g.activeIP, g.prio, 0, p.Time
		g.take(src, p, prio, hold, vip)
	default:
		e.contest(p, src, g, prio, vip)
	}
}

// noteHeir notes a claim by src at t after g's last resignation: the
// first router to claim the role the resigner left is its heir, and the
// resigner claiming again is back (forgedResign).
func (g *fhrpGroup) noteHeir(src mac, t time.Time) {
	switch {
	case g.resignAt.IsZero():
	case src == g.resignBy:
		if g.backAt.IsZero() {
			g.backAt = t
		}
	case g.heir == (mac{}) && g.last.IsZero():
		g.heir = src
	}
}

// forgedResign reports whether a and b, two routers claiming g's active
// role, are one that resigned (priority 0) and the heir that took the role
// it left, the resigner back within its own Master_Down_Interval of the
// resignation (RFC 5798 6.1: three intervals and its skew) and
// heirFirst whether the heir is a. A master that resigns shuts down (6.4.3)
// and stays silent: keepalived restarted comes back after its start and a
// Master_Down_Interval as a backup (5 s and more in the recorded restarts),
// and its heir yields to it. A resigner advertising on at its interval never
// resigned: the priority 0 was forged under its MAC, and the heir, claiming
// on beside it, is the culprit (review 29c E5).
func (g *fhrpGroup) forgedResign(a, b fhrpClaimant) (heirFirst, ok bool) {
	if g.heir == (mac{}) || g.backAt.IsZero() || g.every <= 0 {
		return false, false
	}
	resigner := b
	switch {
	case a.m == g.heir && b.m == g.resignBy:
		heirFirst = true
	case b.m == g.heir && a.m == g.resignBy:
		resigner = a
	default:
		return false, false
	}
	down := 3*g.every + g.skew(resigner.prio)
	return heirFirst, since(g.backAt, g.resignAt) <= down
}

// lapsed reports whether g's active router is down at t for a claimant
// at prio: unheard past its hold time or, VRRP, past the claimant's
// Master_Down_Interval (RFC 5798 6.1, 6.4.2: three advertisement
// intervals and its skew; a backup becomes master no sooner, and a master
// that advertises on misses none), less an eighth of an interval for the
// capture's timing, and never within fhrpDownFloor.
func (g *fhrpGroup) lapsed(t time.Time, prio byte) bool {
	d := since(t, g.last)
	if d > g.hold {
		return true
	}
	return g.every > 0 && d >= max(3*g.every+g.skew(prio)-g.every/8, fhrpDownFloor)
}

// skew is a VRRP backup's Skew_Time at prio: (256-prio)/256 of a second
// in version 2 whatever the interval (RFC 3768 6.1, as keepalived
// computes it), of the master's interval in version 3 (RFC 5798 6.1).
func (g *fhrpGroup) skew(prio byte) time.Duration {
	unit := g.every
	if g.v2 {
		unit = time.Second
	}
	return time.Duration(256-int(prio)) * unit / 256
}

// beforeSkew reports whether a claim at t at priority prio, by a router
// whose last claim before was at before, came sooner after the active
// router's resignation than a backup takes the role: a VRRP backup hearing
// priority 0 waits its Skew_Time, (256-prio)/256 of the master's interval
// (RFC 5798 6.4.2; RFC 3768's seconds for version 2, as keepalived does),
// less an eighth of an interval for the capture's timing, as lapsed
// allows, or half the skew if more (a claim above the resigned master is
// judged by stranger besides). keepalived's backups claimed 0 to 31 ms
// after their skew in every recorded resignation (priority 100: 610 to
// 640 ms after the priority 0); a backup at priority 1 claiming 600 ms
// after, 396 ms before its skew, claimed regardless (review 29c E5). A
// claim sooner was
// sent regardless of the resignation, which was forged under the master's
// MAC to let it pass (review 28d W1): a real master stepping down for a
// higher priority (6.4.3) sends no priority 0, one leaving sends it and
// falls silent, and a router already claiming before (a contest it goes on
// with: claims within the hold before the resignation) is judged as before.
func (g *fhrpGroup) beforeSkew(t time.Time, prio byte, before time.Time) bool {
	if g.kind < kindVRRP || g.resignAt.IsZero() || !g.last.IsZero() || g.every <= 0 {
		return false
	}
	if !before.IsZero() && since(g.resignAt, before) <= g.hold {
		return false
	}
	skew := g.skew(prio)
	return since(t, g.resignAt) < max(skew/2, skew-min(g.every, time.Second)/8)
}

// reportBeforeSkew reports src claiming group g's active role sooner after
// the active router's priority 0 than any backup would (beforeSkew).
func (e *Engine) reportBeforeSkew(p *capture.Packet, src mac, g *fhrpGroup, prio byte, vip netip.Addr) {
	g.flagged, g.rival, g.newcomer = src, mac{}, mac{}
	skew := g.skew(prio)
	e.fhrpReport(p, src, p.SrcIP(), g.active, g.activeIP, vip, describe(src, p.SrcIP())+" takes over the "+g.kind.String()+" gateway "+vip.String()+" right after a resignation in the name of ",
		fmt.Sprintf("%s group %d: claim at priority %d %s after the active router's priority-0 advertisement", g.kind, g.group, prio, roundDur(since(p.Time, g.resignAt))),
		fmt.Sprintf("a backup at priority %d waits its skew time, %s (RFC 5798 6.4.2): the claim did not follow the resignation, forged under the active router's MAC", prio, roundDur(skew)))
}

// fhrpDownFloor is the least silence taken for a VRRP master's failure
// whatever interval it advertised: an interval is the sender's word, one
// advert forged under the master's MAC names 10 ms (setEvery). A VRRPv3
// group advertising faster fails over by hold time as before.
const fhrpDownFloor = time.Second

// setEvery records the interval the active router advertised at t: a
// longer one at once, a shorter one once fhrpKnownHellos adverts in a row
// named it, each at least one current interval after the last counted (a
// master advertises once per interval, RFC 5798 6.4.3), so adverts forged
// under the master's MAC, one or a burst, cannot make its next second's
// silence a failure.
func (g *fhrpGroup) setEvery(t time.Time, every time.Duration) {
	switch {
	case every >= g.every:
		g.every, g.pendN = every, 0
	case every == g.pend && g.pendN > 0:
		if since(t, g.pendAt) < g.every {
			return
		}
		g.pendAt = t
		if g.pendN++; g.pendN >= fhrpKnownHellos {
			g.every, g.pendN = every, 0
		}
	default:
		g.pend, g.pendN, g.pendAt = every, 1, t
	}
}

// lastHeard is when g's active router was last heard claiming the role,
// or, once it resigned (priority 0 leaves last zero), when it resigned;
// resigned says which.
func (g *fhrpGroup) lastHeard() (at time.Time, resigned bool) {
	if g.last.IsZero() {
		return g.resignAt, true
	}
	return g.last, false
}

// stranger reports whether a claim at t at priority prio, by a router
// known to g or not and master of it before (wasMaster) or not, takes the
// role from an active router heard within its hold time as a stranger
// would: one never heard in the group. After a resignation (priority 0
// empties last), a claimant that never held the role, at a priority above
// the resigned master's: a backup above the master would have preempted
// it (RFC 5798 6.4.2), and an attacker claims above whatever backup may
// answer the resignation; one forged under the live master's MAC left any
// claim after it unjudged (review 29c E1). A backup below the master
// taking over from one that left (keepalived stopped) stays a failover:
// nothing in the timing tells it from a claim after a forged priority 0.
func (g *fhrpGroup) stranger(t time.Time, prio byte, known, wasMaster bool) bool {
	at, resigned := g.lastHeard()
	switch {
	case at.IsZero() || since(t, at) > g.hold:
		return false
	case resigned:
		return prio > g.prio && !wasMaster
	}
	return !known
}

// fhrpNewcomer reports whether m, claiming ip in ARP from b's owner, is
// the live active router of a group serving ip that reportStranger named,
// no alarm since, as a backup would be: a router never master before
// taking the role at a priority below the master's (a backup above it
// would have preempted it, RFC 5798 6.4.2) after an established master
// (handedFrom: its claims over two intervals) fell silent, which
// announces the address right after its first advert (6.4.1: the
// advertisement, then gratuitous ARP). The address must be the silent
// master's: b's owner is the router it took the role from or the group's
// virtual MAC (7.3), and nothing was heard from the owner since that
// router's next advert was due (a crashed master forwards and answers
// until it dies, within the interval after its last advert, recorded:
// r31d ka-d2i3, ICMP replies 0.8 s after it; then nothing). A group
// invented over a live gateway that runs no VRRP has another owner, or
// one that still talks (review 31d: fake-group-*). Its announcements are that
// incident, the fhrp_takeover Medium: one event, not an arp_spoof High
// and gateway_changed beside it. A claim after a resignation, at or above
// the master's priority, from an owner with fewer adverts, before the
// claimant's adverts, by another MAC or after its adverts stop is judged
// as any.
func (e *Engine) fhrpNewcomer(ip netip.Addr, b *binding, m mac, t time.Time) bool {
	for i := range e.l2.fhrp[:e.l2.nFHRP] {
		g := &e.l2.fhrp[i]
		if g.newcomer == m && g.active == m && g.flagged == m && !g.last.IsZero() && since(t, g.last) <= g.hold && (ip == g.vip || slices.Contains(g.more[:], ip)) {
			return g.groupMAC(b.mac) || b.mac == g.newcomerFrom && !e.heardSince(b, g.newcomerAfter)
		}
	}
	return false
}

// groupMAC reports whether m is g's virtual MAC. Whoever is master sends
// from it (use_vmac): once the newcomer took the role, it announces the
// address from it too (recorded: r31d ka-d3i1vmacuni), and the group's
// silence (reportStranger) is its former master's. A gateway that runs
// no VRRP never uses it.
func (g *fhrpGroup) groupMAC(m mac) bool {
	kind, grp, ok := fhrpVirtual(m)
	return ok && kind == g.kind && grp == g.group
}

// heardSince reports whether b's owner claimed the address or sent any
// frame after at.
func (e *Engine) heardSince(b *binding, at time.Time) bool {
	if b.last.After(at) {
		return true
	}
	h := e.hosts[macKey(b.mac)]
	return h != nil && e.laterThan(h.last, at)
}

// reportStranger reports src, never heard in group g, taking its active
// role after the active router, not itself the culprit of an alarm, fell
// silent within its hold time (three intervals and a second; past it
// nothing is left to tell): a backup
// first becoming master looks so, and so does an attacker that waited for
// a real failure and advertised first. Medium: the election was kept; the
// address moves to src only as a poisoning would (fhrpHandover refuses it).
func (e *Engine) reportStranger(p *capture.Packet, src mac, g *fhrpGroup, prio byte, vip netip.Addr) {
	g.flagged, g.newcomer = src, mac{}
	at, resigned := g.lastHeard()
	if !resigned && prio < g.prio && g.handedFrom(g.active) {
		step := g.every // VRRP's interval; HSRP's hello, a third of its hold time
		if step <= 0 {
			step = g.hold / 3
		}
		g.newcomer, g.newcomerFrom, g.newcomerAfter = src, g.active, at.Add(step) // a backup below an established master that fell silent (fhrpNewcomer)
	}
	gone, heard := " fell silent", "was last heard"
	if resigned {
		gone, heard = " resigned", "resigned"
	}
	e.l2Event(p.Time, inventory.EventFHRPTakeover, inventory.SeverityMedium, src, p.SrcIP(), g.active, vip,
		describe(src, p.SrcIP())+" became the "+g.kind.String()+" gateway "+vip.String()+"'s active router, never its master before, after "+describe(g.active, g.activeIP)+gone, "fhrp",
		fmt.Sprintf("%s group %d: claim at priority %d, %s after the active router (priority %d) %s", g.kind, g.group, prio, roundDur(since(p.Time, at)), g.prio, heard),
		"a router never heard in the group now serves its virtual address")
}

// twoSubnets reports whether two claims name different virtual addresses:
// the same group number serves two subnets an untagged mirror shows both of.
func twoSubnets(a, b netip.Addr) bool {
	return a.IsValid() && b.IsValid() && !a.IsUnspecified() && !b.IsUnspecified() && a != b
}

// take makes src the group's active router as of p.
func (g *fhrpGroup) take(src mac, p *capture.Packet, prio byte, hold time.Duration, vip netip.Addr) {
	g.active, g.activeIP, g.prio, g.last, g.hold, g.vip = src, p.SrcIP(), prio, p.Time, hold, vip
}

// fhrpGroupOf finds or adds the group (nil beyond the table: TrackersDropped).
func (e *Engine) fhrpGroupOf(kind fhrpKind, grp, vlan uint16) *fhrpGroup {
	s := &e.l2
	for i := range s.fhrp[:s.nFHRP] {
		if s.fhrp[i].kind == kind && s.fhrp[i].group == grp && s.fhrp[i].vlan == vlan {
			return &s.fhrp[i]
		}
	}
	if s.nFHRP == len(s.fhrp) {
		e.counters.TrackersDropped++
		return nil
	}
	s.fhrp[s.nFHRP] = fhrpGroup{kind: kind, group: grp, vlan: vlan}
	s.nFHRP++
	return &s.fhrp[s.nFHRP-1]
}

// contest counts an active claim by src, not the active router, at a
// lower priority while the active one lives. Once src claimed
// fhrpContested times and the active router claimed again since src's
// first, two routers hold the role: one is an impostor. The culprit is
// the one that is not the gateway (fhrpGateway); else the one at priority 255 (yersinia's and
// scapy's choice, the highest there is); else the one the group knew
// less; else the one winning the election (the higher priority), which
// takes the traffic.
func (e *Engine) contest(p *capture.Packet, src mac, g *fhrpGroup, prio byte, vip netip.Addr) {
	if g.rival != src {
		g.rival, g.rivalIP, g.rivalPrio, g.rivalN, g.rivalFirst = src, p.SrcIP(), prio, 0, p.Time
	}
	g.rivalN++
	g.rivalIP, g.rivalPrio = p.SrcIP(), prio
	if g.rivalN < fhrpContested || !g.last.After(g.rivalFirst) || g.flagged == src || g.flagged == g.active {
		return
	}
	e.reportTwoActives(p, g, fhrpClaimant{g.active, g.activeIP, g.prio}, fhrpClaimant{src, g.rivalIP, prio}, vip)
}

// reportTwoActives reports two routers claiming group g's active role,
// naming the culprit as contest says.
func (e *Engine) reportTwoActives(p *capture.Packet, g *fhrpGroup, a, b fhrpClaimant, vip netip.Addr) {
	gwA, gwB := e.fhrpGateway(g, a), e.fhrpGateway(g, b)
	why := "neither is the gateway, nor at priority 255, nor unknown to the group: the election's winner"
	heirFirst, forged := g.forgedResign(a, b)
	switch {
	case forged:
		why = "it took the role after a priority 0 in the other's name, which advertises on: a resigning master falls silent (RFC 5798 6.4.3)"
		if !heirFirst {
			a, b = b, a
		}
	case gwA != gwB:
		why = "the other is the gateway"
		if gwA {
			a, b = b, a
		}
	case (a.prio == 255) != (b.prio == 255):
		why = "it claims priority 255, the highest there is"
		if b.prio == 255 {
			a, b = b, a
		}
	case g.knows(a.m) != g.knows(b.m):
		why = "the group did not know it before"
		if g.knows(a.m) {
			a, b = b, a
		}
	}
	g.flagged, g.rival, g.newcomer = a.m, mac{}, mac{}
	e.fhrpReport(p, a.m, a.ip, b.m, b.ip, vip, describe(a.m, a.ip)+" claims the "+g.kind.String()+" gateway "+vip.String()+" beside ",
		fmt.Sprintf("two routers claim the active role in group %d, at priorities %d and %d, and neither gives way: an election settles within a hello", g.group, a.prio, b.prio),
		"culprit: "+why)
}

// fhrpReport reports an fhrp_takeover by m (at ip) of the virtual address
// vip from the router other (at otherIP): summary is completed with it.
func (e *Engine) fhrpReport(p *capture.Packet, m mac, ip netip.Addr, other mac, otherIP, vip netip.Addr, summary, ev1, ev2 string) {
	sev := inventory.SeverityCritical
	if e.l2.fhrpSplit {
		// Two routers of the group each advertising to the other: a split
		// brain (their unicast_peer lists or a link between them broken),
		// a fault to look at, not an attack (review 29c kb).
		sev, ev2 = inventory.SeverityMedium, ev2+"; each advertises to the other unicast: a split brain"
	}
	e.l2Event(p.Time, inventory.EventFHRPTakeover, sev, m, ip, other, vip, summary+describe(other, otherIP), "fhrp", ev1, ev2)
	r := &e.l2.fhrpRaised[0]
	for i := range e.l2.fhrpRaised {
		if x := &e.l2.fhrpRaised[i]; x.m == m && x.vip == vip || x.at < r.at {
			r = x
		}
	}
	*r = fhrpRaise{m, vip, e.pktNS}
}

// fhrpRaise is an fhrp_takeover raised: by m, of vip, at (Engine.pktNS).
type fhrpRaise struct {
	m   mac
	vip netip.Addr
	at  int64
}

// fhrpTookOver reports whether m's fhrp_takeover of ip was raised within
// the cooldown (review 37a P12a): its gratuitous ARPs of the address are
// that incident, one event, not an arp_spoof beside it (keepalived's
// claim at 255, scapy's VRRP advert and ARP announcements).
func (e *Engine) fhrpTookOver(m mac, ip netip.Addr) bool {
	for _, r := range e.l2.fhrpRaised {
		if r.m == m && r.vip == ip && r.at != 0 && e.pktNS-r.at <= int64(e.cfg.Cooldown) {
			return true
		}
	}
	return false
}

// fhrpClaimant is a router claiming a group's active role.
type fhrpClaimant struct {
	m    mac
	ip   netip.Addr
	prio byte
}

// fhrpGateway reports whether c is the LAN's gateway: the MAC ARP ties to
// the gateway's address or, while ARP names none, the group's virtual MAC.
// Not its source address, nor the host seen sending from the gateway's
// address (gatewayMAC's fallback): a hello's source address is forged at
// no cost, and no router sends hellos from the virtual address. The
// virtual MAC is no sign once ARP ties the gateway to another MAC
// (keepalived's default, HSRP's use-bia): nobody uses it then.
func (e *Engine) fhrpGateway(g *fhrpGroup, c fhrpClaimant) bool {
	for _, ip := range [2]netip.Addr{e.gateway, e.dhcp.router} {
		if b := e.arp[ip]; ip.IsValid() && b != nil {
			return b.mac == c.m
		}
	}
	kind, grp, ok := fhrpVirtual(c.m)
	return ok && kind == g.kind && grp == g.group
}

// reportTakeover reports src taking group g's active role at prio.
func (e *Engine) reportTakeover(p *capture.Packet, src mac, g *fhrpGroup, coup bool, prio byte, vip netip.Addr) {
	what := "hello in the active state"
	if coup {
		what = "coup"
	}
	if g.kind >= kindVRRP {
		what = "advertisement"
	}
	e.fhrpReport(p, src, p.SrcIP(), g.active, g.activeIP, vip, describe(src, p.SrcIP())+" takes over the "+g.kind.String()+" gateway "+vip.String()+" from ",
		fmt.Sprintf("%s %s for group %d at priority %d", g.kind, what, g.group, prio),
		fmt.Sprintf("the active router (priority %d) was heard %s before; this MAC never spoke in the group", g.prio, roundDur(since(p.Time, g.last))))
}
