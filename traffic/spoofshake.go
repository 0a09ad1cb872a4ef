package traffic

import (
	"net/netip"

	"tend/capture"
)

// Handshakes completed under off-link sources (review 33c). A router
// forwarding a remote client's connection to a LAN host sends the
// client's SYN, gets the host's SYN+ACK (the host routes the client's
// address through it) and sends the client's ACK, which acknowledges the
// SYN+ACK's sequence number plus one (RFC 9293 3.5). A host forging
// sources never gets the SYN+ACKs: the target sends them to its gateway.
// Only such ACKs, more than one, make a MAC's off-link SYNs forwarded
// ones: a bare ACK under a forged source (hping3 -A) acknowledges nothing.

// spoofShakes is how many of a MAC's latest off-link SYNs are held for
// their SYN+ACKs: a LAN host answers within a millisecond.
const spoofShakes = 8

// spoofShakesDone is how many completed handshakes make a MAC a router.
const spoofShakesDone = 2

// synShake is one SYN's 4-tuple and the ACK number that completes it.
type synShake struct {
	_            [0]func() // not comparable: no equality function linked
	peer, target uint32    // the off-link source and the LAN destination (IPv4)
	ports        uint32    // source port << 16 | destination port, as in the SYN
	ack          uint32    // the SYN+ACK's sequence number + 1
	answered     bool      // a SYN+ACK to the SYN's MAC was seen
	counted      bool      // its ACK was counted
}

// find is the held handshake of the SYN from peer:sport to target:dport.
func (o *offLinkSYNs) find(peer, target uint32, sport, dport uint16) *synShake {
	ports := uint32(sport)<<16 | uint32(dport)
	for i := range o.shakes[:min(o.nShake, spoofShakes)] {
		if s := &o.shakes[i]; s.peer == peer && s.target == target && s.ports == ports {
			return s
		}
	}
	return nil
}

// noteSYN holds the SYN p from the off-link address from.
func (o *offLinkSYNs) noteSYN(p *capture.Packet, from netip.Addr) {
	peer, target := ip4Of(from), ip4Of(p.DstIP())
	if o.find(peer, target, uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort)) != nil {
		return // a retransmission
	}
	o.shakes[o.nShake%spoofShakes] = synShake{peer: peer, target: target, ports: uint32(p.TCP.SrcPort)<<16 | uint32(p.TCP.DstPort)}
	o.nShake++
}

// synAckToRouter notes the SYN+ACK p sent to the MAC whose SYN it answers.
func (e *Engine) synAckToRouter(p *capture.Packet) {
	o := e.offLinkOf(capture.MAC6(p.Eth.DstMAC), false)
	if o == nil {
		return
	}
	if s := o.find(ip4Of(p.DstIP()), ip4Of(p.SrcIP()), uint16(p.TCP.DstPort), uint16(p.TCP.SrcPort)); s != nil {
		s.ack, s.answered = p.TCP.Seq+1, true
	}
}

// shakeACK counts the ACK p from src under the off-link address from when
// it completes a handshake of src's (the SYN+ACK's sequence number plus
// one); more than one make src a router (forwards).
func (e *Engine) shakeACK(p *capture.Packet, src mac, from netip.Addr) {
	o := e.offLinkOf(src, false)
	if o == nil {
		return
	}
	s := o.find(ip4Of(from), ip4Of(p.DstIP()), uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort))
	if s == nil || s.counted || s.answered && p.TCP.Ack != s.ack {
		return // no SYN of its own, or not the SYN+ACK's number (a capture of one direction has none)
	}
	s.counted = true
	o.done++
	o.forwards = o.done >= spoofShakesDone
}
