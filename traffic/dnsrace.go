package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Forged DNS answers the resolver's ARP binding does not show (dnsforged.go
// needs the resolver on the LAN, its own MAC heard within ownerSendsWithin):
//   - the race itself, against a resolver silent for longer: its own answer
//     (from the MAC ARP binds its address to) comes second, to the same
//     query (ID, client address and port) that another MAC answered first
//     under its address with other content: that MAC forged the first;
//   - a resolver off the LAN (8.8.8.8): its answers can only come through a
//     router, the next hop LAN hosts send their frames to addresses off
//     the LAN to (their queries to the resolver among them); frames a MAC
//     sends under off-LAN sources do not make it one (a forger sends
//     those: review 33c, three TCP resets under 8.8.8.8). An answer under
//     an off-LAN address from a MAC that no LAN host used as its next
//     hop, is no router's
//     (traceRouter, FHRP) and is ARP-bound to a LAN address of its own was
//     sent by that host: held dnsOffLinkHold for the MAC to show itself a
//     router (dnsRouterFrames), then raised as name_poisoning naming the
//     MAC and its address, the router's answer to the same query (the race)
//     in the evidence.
const (
	dnsOffLinkHold  = 10 * time.Second
	dnsRouterFrames = 3 // LAN hosts' frames for off the LAN sent to a MAC that make it a router
	dnsHeldMax      = 16
)

// heldDNS is an off-link answer's event held for its MAC (src) until due.
type heldDNS struct {
	ev  inventory.Event
	src mac
	due int64
}

// dnsUnbound looks at a DNS answer p from src that dnsforged.go's rule
// did not raise, raced by an answer from raced (zero: none).
func (e *Engine) dnsUnbound(p *capture.Packet, src, raced mac) {
	server := p.SrcIP()
	if b := e.arp[server]; b != nil {
		if raced == (mac{}) || b.mac != src {
			return
		}
		// The resolver's own answer, second: raced forged the first.
		if own, ok := e.racedResolver(raced, src, server); ok {
			qk := quietKey{inventory.EventNamePoisoning, raced, mac{}, "dns"}
			if !e.quieted(qk, p.Time) {
				e.reportKey(qk, e.forgedDNSEvent(p, raced, src, own, src, false))
			}
		}
		return
	}
	if !local(server) {
		e.holdOffLinkDNS(p, src, raced)
	}
}

// racedResolver reports whether m, which answered a query under the LAN
// resolver address server before owner (ARP binds server to owner, whose
// answer came second) did, is another host, and its own address: as
// injectedFrom, with the owner's live answer in place of ownerSends.
func (e *Engine) racedResolver(m, owner mac, server netip.Addr) (netip.Addr, bool) {
	own := e.claimsOther(m, server)
	if h := e.hosts[macKey(m)]; !own.IsValid() && h != nil && h.ip != server {
		own = h.ip
	}
	if !own.IsValid() || !local(server) || e.isGatewayMAC(m) || e.traceRouter(m) || e.fhrpVirtual(server) || e.fhrpVirtual(own) || e.oneHost(owner, m, own) {
		return netip.Addr{}, false
	}
	_, _, virtual := fhrpVirtual(owner)
	return own, !virtual
}

// lanOwn is m's own LAN address that ARP binds to m (zero: none).
func (e *Engine) lanOwn(m mac) netip.Addr {
	own := e.claimsOther(m, netip.Addr{})
	if h := e.hosts[macKey(m)]; !own.IsValid() && h != nil {
		own = h.ip
	}
	if b := e.arp[own]; own.IsValid() && b != nil && b.mac == m {
		return own
	}
	return netip.Addr{}
}

// holdOffLinkDNS holds the answer p under an off-LAN address from src, a
// MAC that forwarded no off-LAN traffic, ARP-bound to its own LAN address.
func (e *Engine) holdOffLinkDNS(p *capture.Packet, src, raced mac) {
	if e.dnsQueriedVia(p, src) {
		return // benign33.go: the query was sent to src's MAC, the client's route
	}
	h := e.hosts[macKey(src)]
	if h == nil || h.offLink >= dnsRouterFrames || e.traceRouter(src) || len(e.dnsHeld) >= dnsHeldMax {
		return
	}
	if _, _, virtual := fhrpVirtual(src); virtual {
		return
	}
	own := e.lanOwn(src)
	if !own.IsValid() || e.quieted(quietKey{inventory.EventNamePoisoning, src, mac{}, "dns"}, p.Time) {
		return
	}
	for _, d := range e.dnsHeld {
		if d.src == src {
			return // one per forger
		}
	}
	// Not hold: flushed on the minute's tick and before each answer, not
	// when due (flushScans).
	e.dnsHeld = append(e.dnsHeld, &heldDNS{ev: e.offLinkDNSEvent(p, src, own, raced), src: src, due: e.clock + int64(dnsOffLinkHold)})
}

// flushDNSHeld raises the held answers due (all: the end of a replay)
// whose MAC forwarded no off-LAN traffic meanwhile.
func (e *Engine) flushDNSHeld(all bool) {
	flushHeld(e, &e.dnsHeld, e.clock, all) // arphold.go
}

func (d *heldDNS) dueAt() int64 { return d.due }

// event reports d's answer when its MAC forwarded no off-LAN traffic
// meanwhile; flushHeld has nothing left to emit.
func (d *heldDNS) event(e *Engine) inventory.Event {
	if h := e.hosts[macKey(d.src)]; h != nil && h.offLink < dnsRouterFrames && !e.traceRouter(d.src) {
		e.reportKey(quietKey{inventory.EventNamePoisoning, d.src, mac{}, "dns"}, d.ev)
	}
	return inventory.Event{}
}

// offLinkDNSEvent is the name_poisoning event of the answer p under the
// off-LAN address of a resolver from src, whose own address is own.
func (e *Engine) offLinkDNSEvent(p *capture.Packet, src mac, own netip.Addr, raced mac) inventory.Event {
	b := p.UDP.Payload
	server, client := p.SrcIP(), p.DstIP()
	evs := []inventory.Evidence{
		{Source: "dns", Detail: fmt.Sprintf("response ID %d from %s:53 to %s:%d came from %s, ARP-bound to %s: an address off the LAN reaches it only through a router, and no LAN host sent %s traffic for off the LAN (its next hop: a router)",
			binary.BigEndian.Uint16(b), server, client, p.UDP.DstPort, macString(src), own, macString(src))},
	}
	if raced != (mac{}) {
		evs = append(evs, inventory.Evidence{Source: "dns", Detail: fmt.Sprintf("%s answered the same query (ID and flow) too: two answers race, the client takes the first (RFC 1035 7.3)", macString(raced))})
	}
	if a, ok := dnsFirstA(b); ok {
		evs = append(evs, dnsPoints(a, own))
	}
	return inventory.Event{
		Time: p.Time, Type: inventory.EventNamePoisoning, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: own, TargetMAC: macOf(capture.MAC6(p.Eth.DstMAC)), TargetIP: client,
		Summary:  fmt.Sprintf("%s answers DNS queries of %s under the resolver %s's address, from off the LAN without a router: forged DNS answers (DNS spoofing)", describe(src, own), client, server),
		Evidence: evs,
	}
}
