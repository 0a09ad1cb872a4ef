package traffic

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tend/capture"
	"tend/inventory"
)

// DHCP messages forged under another host's address (review 33b).
//
// A server sends its answers from the address its server identifier names
// (RFC 2131 4.1: option 54 is "the address of the server", the address
// clients unicast to; a relay agent forwards answers from its own giaddr,
// so its frames carry another source address than the identifier). An
// answer sent from the identifier's address by a MAC other than the one
// ARP binds that address to is a rogue posing as the known server (scapy
// racing dnsmasq with the gateway's identifier): the client takes whichever
// answer comes first and later unicasts its renewals to the real server,
// so nothing on the client shows the forgery. Such an answer is raised
// when it hands out another router, DNS server or route than the server's
// own answers (dhcpforgeref.go), or, before the server answered, when it
// hands out as router or DNS server the sender's own address (the one the
// host table binds to its MAC, not the identifier): a server
// moved to new hardware, a balance-tlb bond sending from its other
// slave's MAC, or a keepalived VIP moving between dhcpd nodes answer from
// a MAC ARP does not (yet) bind to the identifier too, but hand out the
// identifier, the gateway or the scope's servers, as the server does
// (review 27b, where two MACs under one identifier were raised and
// reverted). A failover or split-scope
// partner has its own identifier and address; a relay's answers come from
// giaddr. A gateway behind HSRP or VRRP is skipped: its virtual MAC is what
// ARP binds, the active router's own MAC what it sends from.
//
// A DHCPRELEASE is sent by the client holding the lease only (RFC 2131
// 4.4.6), from its own MAC and address: one whose frame comes from another
// MAC than its client hardware address, for an address ARP binds to a third
// MAC or to that client, frees a victim's lease under its name (dhcpatk's
// release): the server gives the address to the next client that asks, and
// the victim is cut off by the conflict. A real client releasing its lease
// (dhclient -r) sends from its own MAC; a release routed from another
// subnet has an address ARP never binds here.

// dhcpRelease is DHCPRELEASE's message type (RFC 2132 9.6).
const dhcpRelease = 7

// serverForged raises a rogue_dhcp for the answer m from the MAC src when
// its source address is its server identifier, ARP binds that to another
// MAC (recently, within ConflictWindow) and it hands out src's own address
// as router or DNS server, and reports whether it did so: the answer is
// then left out of the servers' trust.
func (e *Engine) serverForged(p *capture.Packet, src mac, m DHCPMessage) bool {
	id := m.Server
	if !id.IsValid() || p.SrcIP() != id {
		return false
	}
	a := e.noteIDAnswer(p.Time, src, m) // dhcpforgeref.go
	b := e.arp[id]
	if b == nil || p.Time.Sub(b.last) > e.cfg.ConflictWindow {
		return false
	}
	if _, _, v := fhrpVirtual(b.mac); v {
		return false
	}
	if b.mac == src {
		e.judgeHeld(p.Time, id, b) // the server's own answer: the others' held before it
		return false
	}
	if _, _, v := fhrpVirtual(src); v {
		return false
	}
	if owner := e.idOwner(id, b.mac); owner != nil && handsOtherThan(&m, owner) {
		a.done = true
		e.reportForgedServer(p.Time, src, b, m, ownerGave(owner))
		return true
	}
	if own := e.ownAddr(src); !own.IsValid() || own == id || (m.Router != own && m.DNS != own) {
		return false // no answer that points the clients at its sender's own address
	}
	a.done = true
	e.reportForgedServer(p.Time, src, b, m, "")
	return true
}

// reportForgedServer raises the rogue_dhcp of serverForged: src answered
// under the identifier m.Server, which ARP binds to b.mac.
func (e *Engine) reportForgedServer(t time.Time, src mac, b *binding, m DHCPMessage, why string) {
	k := rogueDHCPKey(src) // dhcpone.go: the same incident as its answers under its own identifier
	if e.quieted(k, t) {
		return
	}
	own := e.ownAddr(src)
	ev := []inventory.Evidence{
		{Source: "dhcp", Detail: fmt.Sprintf("DHCP%s from %s (frame from %s) offering %s to %s", dhcpTypes[m.Type], m.Server, macString(src), m.YourIP, macString(m.ClientHW))},
		{Source: "dhcp", Detail: fmt.Sprintf("its server identifier (option 54) and source address %s is %s's (ARP, last heard %s before), not %s's: the answer is forged under that server's name",
			m.Server, macString(b.mac), roundDur(t.Sub(b.last)), macString(src))},
	}
	if own.IsValid() {
		ev = append(ev, inventory.Evidence{Source: "arp", Detail: fmt.Sprintf("%s's own address is %s", macString(src), own)})
	}
	ev = append(ev, handedOut(m)...)
	if why != "" {
		ev = append(ev, inventory.Evidence{Source: "dhcp", Detail: why})
	}
	ev = append(ev, inventory.Evidence{Source: "dhcp", Detail: fmt.Sprintf("one incident: its answers to other clients within %s are not reported again", e.cfg.Cooldown)})
	e.reportKey(k, inventory.Event{
		Time: t, Type: inventory.EventRogueDHCP, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: own, TargetMAC: macOf(m.ClientHW), TargetIP: m.YourIP,
		Summary:  fmt.Sprintf("rogue DHCP server %s answered %s posing as the DHCP server %s (%s)", macString(src), macString(m.ClientHW), m.Server, macString(b.mac)),
		Evidence: ev,
	})
}

// ownAddr is the IPv4 address the host table holds for m, if any.
func (e *Engine) ownAddr(m mac) netip.Addr {
	if h := e.hosts[macKey(m)]; h != nil && h.ip.Is4() {
		return h.ip
	}
	return netip.Addr{}
}

// handedOut is the evidence of what the answer m makes its client use: the
// router, the DNS server and the classless static routes, which a client
// that gets them uses instead of the router option (RFC 3442: TunnelVision
// routes 0/1 and 128/1 through the attacker under a harmless router).
func handedOut(m DHCPMessage) []inventory.Evidence {
	var ev []inventory.Evidence
	if m.Router.IsValid() {
		ev = append(ev, inventory.Evidence{Source: "dhcp", Detail: "offered router " + m.Router.String()})
	}
	if m.DNS.IsValid() {
		ev = append(ev, inventory.Evidence{Source: "dhcp", Detail: "offered DNS server " + m.DNS.String()})
	}
	if m.Routes != "" {
		ev = append(ev, inventory.Evidence{Source: "dhcp", Detail: "offered classless static routes (option 121, RFC 3442): " + m.Routes +
			"; a client given option 121 ignores the router option (RFC 3442 section 2), so these routes carry its traffic"})
	}
	return ev
}

// classlessOf formats d's classless static routes: option 121's, or
// Microsoft's option 249's where 121 is absent. An option given more than
// once is one value, its instances concatenated (RFC 3396, which RFC 3442
// section 2 names for long route lists: scapy's and TunnelVision's tools
// send one instance per route).
func classlessOf(d *capture.DHCP) string {
	for _, code := range [2]byte{121, 249} {
		if v, ok := d.AppendOption(nil, code); ok {
			return classlessRoutes(v)
		}
	}
	return ""
}

// classlessRoutes formats option 121's (or 249's) routes (RFC 3442 section
// 2: a prefix length, the significant octets of the destination, a router),
// or returns "" when v is empty or malformed.
func classlessRoutes(v []byte) string {
	var out []string
	for len(v) > 0 {
		bits := int(v[0])
		n := (bits + 7) / 8
		if bits > 32 || len(v) < 1+n+4 {
			return ""
		}
		var dst [4]byte
		copy(dst[:], v[1:1+n])
		gw := netip.AddrFrom4([4]byte(v[1+n : 5+n]))
		out = append(out, fmt.Sprintf("%s via %s", netip.PrefixFrom(netip.AddrFrom4(dst), bits), gw))
		v = v[5+n:]
	}
	return strings.Join(out, ", ")
}

// releasedSlots is how many of clients' own RELEASEs releasedBy remembers.
const releasedSlots = 8

// releaseCopyWithin is how soon after a client's own RELEASE a copy of it
// from another MAC is that RELEASE forwarded: a router sends it on at once.
const releaseCopyWithin = 2 * time.Second

// ownRelease is a RELEASE a client sent from its own MAC.
type ownRelease struct {
	_   [0]func() // not comparable: no equality function linked
	xid uint32
	hw  mac
	ip  netip.Addr
	at  time.Time
}

// releasedBy reports whether the client d names sent d itself (same
// transaction id, client address and chaddr) from its own MAC within
// releaseCopyWithin before t: a router forwarding a client's unicast
// RELEASE to a server on another subnet sends the client's own message on
// from its MAC (review 33d s4: a trunk's mirror sees both copies, and
// without --gateway the router is not known as one). A forger's RELEASE is
// one the client never sent.
func (d *dhcpState) releasedBy(m *capture.DHCP, t time.Time) bool {
	for _, r := range d.released {
		if r.xid == m.XID && r.hw == mac(m.ClientHW) && r.ip == m.ClientIP && !r.at.IsZero() && t.Sub(r.at) <= releaseCopyWithin && !t.Before(r.at) {
			return true
		}
	}
	return false
}

// releaseForged raises a dhcp_release_forged for the DHCPRELEASE d from
// the MAC src when it is not the client's: src is not its client hardware
// address and ARP binds its client address (ciaddr) to another MAC than
// src, recently (within ConflictWindow).
func (e *Engine) releaseForged(t time.Time, src mac, d *capture.DHCP) {
	victim, ip := mac(d.ClientHW), d.ClientIP
	if src == victim {
		e.dhcp.released[e.dhcp.nRelease%releasedSlots] = ownRelease{xid: d.XID, hw: victim, ip: ip, at: t}
		e.dhcp.nRelease++
		return
	}
	if !ip.Is4() || ip.IsUnspecified() || e.traceRouter(src) || e.dhcp.releasedBy(d, t) { // a router forwards its clients' releases (benign33.go)
		return
	}
	b := e.arp[ip]
	if b == nil || b.mac == src || t.Sub(b.last) > e.cfg.ConflictWindow {
		return
	}
	k := quietKey{typ: inventory.EventDHCPReleaseForged, culprit: src, other: victim, detail: ip.String()}
	if e.quieted(k, t) {
		return
	}
	own := e.ownAddr(src)
	ev := []inventory.Evidence{
		{Source: "dhcp", Detail: fmt.Sprintf("DHCPRELEASE of %s for client %s, sent by %s", ip, macString(victim), macString(src))},
		{Source: "arp", Detail: fmt.Sprintf("%s is %s's address (ARP, last heard %s before)", ip, macString(b.mac), roundDur(t.Sub(b.last)))},
		{Source: "dhcp", Detail: "only the client holding a lease releases it (RFC 2131 4.4.6): the server now hands the address to the next client, and the victim's address conflicts"},
	}
	if own.IsValid() {
		ev = append(ev, inventory.Evidence{Source: "arp", Detail: fmt.Sprintf("%s's own address is %s", macString(src), own)})
	}
	e.reportKey(k, inventory.Event{
		Time: t, Type: inventory.EventDHCPReleaseForged, Severity: inventory.SeverityMedium,
		MAC: macOf(src), IP: own, TargetMAC: macOf(victim), TargetIP: ip,
		Summary:  fmt.Sprintf("%s released %s's DHCP lease of %s in its name", macString(src), macString(victim), ip),
		Evidence: ev,
	})
}

// what says what the starvation counted in s did: asked for n leases, or,
// where most of its messages were DECLINEs, declined them (RFC 2131 4.3.3:
// the server marks each declined address in use, so the pool empties with
// no lease taken). n < 0 leaves the count out.
func (s *starveState) what(n int) string {
	switch {
	case s.declines*2 < s.msgs && n < 0:
		return "asked for DHCP leases"
	case s.declines*2 < s.msgs:
		return fmt.Sprintf("asked for %d DHCP leases", n)
	case n < 0:
		return "declined DHCP addresses (the server marks each in use)"
	}
	return fmt.Sprintf("declined %d DHCP addresses (the server marks each declined address in use)", s.declines)
}
