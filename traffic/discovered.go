package traffic

import (
	"net/netip"
	"time"

	"tend/capture"
)

// Windows network discovery (Function Discovery) multicasts a WS-Discovery
// Probe (UDP 3702) or an SSDP M-SEARCH (UDP 1900) and every device that
// offers a service answers the asker by unicast from that port; the asker
// then fetches each responder's description (WS-Discovery metadata over
// HTTP on 5357, SSDP's LOCATION URL) and lists its shares (445). Those
// connections go to hosts that have just introduced themselves to the
// asker: they follow an answer, as a client's connection to a server it
// was told of does, so they are no host sweep. A sweep reaches hosts that
// did not answer the sweeper first; a scanner that discovers by multicast
// and then probes many ports of each responder is still a port scan.

// discoveryFollowUp is how long after a responder's answer the asker's
// connections to it follow that answer: Explorer opens them at once and
// refreshes the view within seconds.
const discoveryFollowUp = time.Minute

// answeredAt is one asker a host answered a discovery query of, and when.
type answeredAt struct {
	ip [4]byte
	at int64 // in nanoseconds (nanosOf)
}

// discoveryAnswer notes a unicast WS-Discovery or SSDP answer from src to
// the asker (the frame's IPv4 destination) on the responder's host.
func (e *Engine) discoveryAnswer(p *capture.Packet, src mac) {
	dst := p.DstIP()
	if !dst.Is4() || !local(dst) || !unicast(capture.MAC6(p.Eth.DstMAC)) {
		return
	}
	h := e.hosts[macKey(src)]
	if h == nil {
		return
	}
	b, at := dst.As4(), e.nanosOf(p.Time)
	oldest := 0
	for i, a := range h.answered {
		if a.ip == b {
			h.answered[i].at = at
			return
		}
		if a.at < h.answered[oldest].at {
			oldest = i
		}
	}
	h.answered[oldest] = answeredAt{b, at}
}

// followsDiscovery reports whether target (an IPv4 address bound in ARP)
// answered asker's WS-Discovery or SSDP query within discoveryFollowUp.
func (e *Engine) followsDiscovery(asker, target netip.Addr) bool {
	if !asker.Is4() || !target.Is4() {
		return false
	}
	bd := e.arp[target]
	if bd == nil {
		return false
	}
	h := e.hosts[macKey(bd.mac)]
	if h == nil {
		return false
	}
	b, now := asker.As4(), e.nanosOf(e.now)
	for _, a := range h.answered {
		if a.ip == b && a.at != 0 && now-a.at <= int64(discoveryFollowUp) {
			return true
		}
	}
	return false
}
