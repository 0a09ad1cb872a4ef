package traffic

import (
	"fmt"
	"net/netip"
	"slices"
	"time"

	"tend/capture"
	"tend/inventory"
)

// CARP (OpenBSD's carp(4), pfSense, ucarp) shares VRRP's protocol number
// and group (112, 224.0.0.18) but not its advert: version 2, type 1, the
// vhid, advskew, authlen 7 (a 64-bit counter and a 20-byte SHA-1 HMAC
// follow the 8-byte header: 36 bytes in all), demotion, advbase in
// seconds. The virtual address is not in the advert (only hashed in the
// HMAC), and the Ethernet source is the virtual MAC 00:00:5e:00:0X:vhid
// whichever node sends it: the node is told by the advert's IP source,
// its own address. Only the master advertises; a backup takes over when
// the master is unheard for three advbases (plus advskew/256 s each) and
// then advertises. ucarp keeps the nodes' own MACs for ARP: the new
// master announces the virtual address from its MAC (its up script's
// gratuitous ARP), before or just after its first advert, and the address
// moves from the old master's MAC to its own (review 33a s02).
const (
	carpLen     = 36
	carpAuthLen = 7
	carpGroups  = 8 // vhids tracked at once (beyond: TrackersDropped)
	// carpConfirm is how long after a takeover's announcement the new
	// master has to advertise: ucarp runs its up script (the gratuitous
	// ARPs) before its first advert, 2 s in review 33a's capture.
	carpConfirm = 5 * time.Second
)

// carpState is the CARP groups heard and the one takeover waiting for its
// new master's first advert.
type carpState struct {
	_      [0]func() // not comparable: no equality function linked
	groups [carpGroups]carpGroup
	n      int
	pend   carpPending
}

// carpGroup is one vhid: the node advertising last, when and how often,
// and the one that advertised before it.
type carpGroup struct {
	_        [0]func() // not comparable: no equality function linked
	vhid     byte
	vlan     uint16
	src      netip.Addr
	last     time.Time
	every    time.Duration
	prev     netip.Addr
	prevLast time.Time
}

// carpPending is an address announced by to, which took it from from,
// the master of group g fallen silent: to must advertise in g by due.
type carpPending struct {
	_        [0]func() // not comparable: no equality function linked
	ip       netip.Addr
	from, to mac
	at       time.Time
	due      int64 // on the engine's clock; 0: none
	g        int
}

// isCARP reports whether b, the payload of an IPv4 packet of protocol 112,
// is a CARP advert rather than VRRP's: a VRRPv2 advert naming seven
// addresses is 44 bytes long with its authentication data.
func isCARP(b []byte) bool {
	return len(b) == carpLen && b[0] == 0x21 && b[3] == carpAuthLen
}

// carpAdvert notes a CARP advert from the node at p's IP source: a new master of
// the vhid makes the node before it the previous one, and confirms the
// takeover waiting for its advert.
func (e *Engine) carpAdvert(p *capture.Packet, b []byte) {
	src := p.SrcIP()
	if !src.Is4() || !local(src) {
		return
	}
	g := e.carpGroupOf(b[1], p.VLAN)
	if g == nil {
		return
	}
	if g.src != src {
		g.prev, g.prevLast, g.src = g.src, g.last, src
	}
	g.last = p.Time
	g.every = time.Duration(b[5])*time.Second + time.Duration(b[2])*time.Second/256
	if pd := &e.carp.pend; pd.due != 0 && &e.carp.groups[pd.g] == g && e.carpNode(src, pd.to) {
		*pd = carpPending{} // the new master advertises: a failover
	}
}

// carpGroupOf is vhid's group on vlan, a new one if none.
func (e *Engine) carpGroupOf(vhid byte, vlan uint16) *carpGroup {
	s := &e.carp
	for i := range s.groups[:s.n] {
		if g := &s.groups[i]; g.vhid == vhid && g.vlan == vlan {
			return g
		}
	}
	if s.n == len(s.groups) {
		e.counters.TrackersDropped++
		return nil
	}
	s.groups[s.n] = carpGroup{vhid: vhid, vlan: vlan}
	s.n++
	return &s.groups[s.n-1]
}

// carpNode reports whether a, a CARP node's address, is m's: ARP binds
// it to m, m claimed it in ARP, or m sent IPv4 from it lately (a backup
// that never needed ARP on the LAN: its IGMP reports).
func (e *Engine) carpNode(a netip.Addr, m mac) bool {
	if !a.IsValid() {
		return false
	}
	if b := e.arp[a]; b != nil && b.mac == m {
		return true
	}
	h := e.hosts[macKey(m)]
	if h == nil {
		return false
	}
	a4 := a.As4()
	return h.ip == a || slices.Contains(h.claims[:], a) || h.sentFrom[0].ip == a4 || h.sentFrom[1].ip == a4
}

// carpDead is the time a backup waits for the master's adverts before it
// takes over (three advbases, advskew included), at least 3 s.
func (g *carpGroup) carpDead() time.Duration {
	return max(3*g.every, 3*time.Second)
}

// carpTakeover reports whether m's announcement of ip at t, which owner
// holds, is a CARP failover: owner advertised in a group, and either m
// advertises in it now, after owner (a preempting or new master), or the
// group fell silent for its dead interval (the master failed: m must
// advertise within carpConfirm, else it is raised then). An announcement
// while owner still advertises is no failover, nor is one from a MAC that
// never advertises.
func (e *Engine) carpTakeover(t time.Time, ip netip.Addr, owner, m mac) bool {
	for i := range e.carp.groups[:e.carp.n] {
		g := &e.carp.groups[i]
		alive := since(t, g.last) <= g.carpDead()
		switch {
		case alive && e.carpNode(g.src, m) && e.carpNode(g.prev, owner):
			return true // the new master advertised first, then announced
		case !alive && e.carpNode(g.src, owner) && e.carp.pend.due == 0:
			e.carp.pend = carpPending{ip: ip, from: owner, to: m, at: t, due: e.nanos(t.Add(carpConfirm)), g: i}
			if e.scanDue == 0 || e.carp.pend.due < e.scanDue {
				e.scanDue = e.carp.pend.due
			}
			return true
		}
	}
	return false
}

// flushCARP raises the takeover waiting for its new master's advert if
// due at now (at the end, all: it never advertised), and returns when it
// is due (0: none).
func (e *Engine) flushCARP(now int64, all bool) (next int64) {
	pd := e.carp.pend
	if pd.due == 0 {
		return 0
	}
	if !all && now < pd.due {
		return pd.due
	}
	e.carp.pend = carpPending{}
	g := e.carp.groups[pd.g]
	ev := inventory.Event{
		Time: pd.at, Type: inventory.EventARPSpoof, Severity: inventory.SeverityHigh,
		MAC: macOf(pd.to), TargetMAC: macOf(pd.from), TargetIP: pd.ip,
		Evidence: []inventory.Evidence{
			{Source: "arp", Detail: fmt.Sprintf("%s announced %s at %s, held by %s, the CARP master of vhid %d last heard at %s", macString(pd.to), pd.ip, pd.at.UTC().Format(time.RFC3339Nano), macString(pd.from), g.vhid, g.last.UTC().Format(time.RFC3339Nano))},
			{Source: "carp", Detail: fmt.Sprintf("no CARP advert from %s within %s: a new master advertises as it takes the address over", macString(pd.to), carpConfirm)},
		},
	}
	if h := e.hosts[macKey(pd.to)]; h != nil && h.ip.IsValid() && h.ip != pd.ip {
		ev.IP = h.ip
	}
	ev.Summary = fmt.Sprintf("%s took %s over from %s, the silent CARP master, without advertising: ARP spoofing", describe(pd.to, ev.IP), pd.ip, macString(pd.from))
	e.report(ev, pd.to, pd.from)
	return 0
}
