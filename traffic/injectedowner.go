package traffic

import (
	"net/netip"
	"time"
)

// The owner's own traffic. tcpkill resets a live session: the address it
// forges is a session end's, whose MAC (the one ARP binds it to) sends the
// session's segments itself; dnsspoof answers under a resolver's address,
// whose MAC answers queries from it itself (the race) or did before ARP
// spoofing turned the client's queries away. A host whose ARP binding
// never sends IP from the address is another case: a Linux host with two
// NICs on one subnet (arp_ignore=1, arp_announce=2) binds each address to
// its NIC in ARP but sends everything through the first NIC's route, and a
// real server behind an LVS director (direct routing) answers from the
// virtual address, ARP-bound to the director, which only forwards the
// clients' frames (their addresses, not its own). So a frame under an
// address ARP binds to another MAC is injected only where that MAC sent IP
// from the address within ownerSendsWithin.

// ownerSendsWithin is how lately the owner must have sent IP from the
// address: a resolver answers its clients, a session end sends segments,
// far more often than this.
const ownerSendsWithin = 10 * time.Minute

// noteSent records that h sent an IPv4 frame from the LAN address ip at at
// (nanos), in sentFrom's two slots: a host's own addresses, rarely more.
func (h *host) noteSent(ip netip.Addr, at int64) {
	b := ip.As4()
	switch {
	case h.sentFrom[0].ip == b:
		h.sentFrom[0].at = at
	case h.sentFrom[1].ip == b:
		h.sentFrom[1].at = at
	case h.sentFrom[0].at <= h.sentFrom[1].at:
		h.sentFrom[0] = forgedSrc{b, at}
	default:
		h.sentFrom[1] = forgedSrc{b, at}
	}
}

// ownerSends reports whether owner sent an IPv4 frame from ip within
// ownerSendsWithin of the engine's clock.
func (e *Engine) ownerSends(owner mac, ip netip.Addr) bool {
	h := e.hosts[macKey(owner)]
	if h == nil {
		return false
	}
	b, now := ip.As4(), e.clock
	for _, s := range h.sentFrom {
		if s.ip == b && s.at != 0 && now-s.at <= int64(ownerSendsWithin) {
			return true
		}
	}
	return false
}
