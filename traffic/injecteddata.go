package traffic

import (
	"bytes"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Session hijacking: data injected into another host's TCP session (the
// Joncheray attack, scapy or shijack: a sniffing host sends a segment with
// the right sequence numbers under one end's address, and the other end
// takes it as that end's, RFC 793 3.3; the ACK storm between the ends
// follows, each acknowledging data the other never sent). The segment
// comes from the hijacker's own MAC, which ARP binds to its own address,
// while ARP binds the address it carries to the session end's MAC:
// injectedFrom's rule, as tcpkill's resets (injected.go). A man in the
// middle's forwarded copies of the end's own segments are arp_spoof's
// business, not injection: it claims the address in ARP (the binding's
// rival; injectedFrom's takingOver covers its first 10 s), or the end's
// frames with that peer went through it or through two MACs (its peer
// table's next hop: a relay, a router's copy).
//
// Cost: account already compares a LAN IPv4 source with the address its
// sender's frames first carried (to note it on the receiver: noteForged);
// when they differ it marks the frame (e.otherSrcN, the frame's number),
// and only a marked segment with payload that injectedReset is handed (4
// bytes of data or more, a prompt) reaches injectedData: no test in the
// engine's loop (one there cost 7 instructions a frame on office.pcap).
// An injected keystroke of 1 to 3 bytes alone is not seen.

// noteForged notes on h, the receiver of a frame whose LAN IPv4 source ip
// is not its sender's first address, that ip reached it at at, and marks
// the frame for injectedData.
func (e *Engine) noteForged(h *host, ip netip.Addr, at int64) {
	e.otherSrcN = e.counters.Packets
	h.noteForged(ip, at)
}

// injectedData raises p, a TCP segment with payload from src under a LAN
// address not its sender's first, when it is sent under another LAN
// host's address: one spoofed_source High per culprit and victim and
// Cooldown, naming the session.
func (e *Engine) injectedData(p *capture.Packet, src, dst mac) {
	srcIP, dstIP := p.SrcIP(), p.DstIP()
	owner, own, ok := e.injectedFrom(src, srcIP)
	if !ok {
		return
	}
	if b := e.arp[srcIP]; b != nil && b.rival == src {
		return // it claims the address in ARP: a spoofer's relay (arp_spoof)
	}
	if o := e.hosts[macKey(owner)]; o != nil && o.peerThrough(dstIP, src) {
		return // the owner's frames with that peer go through src, or two MACs: a relay
	}
	k := quietKey{inventory.EventSpoofedSource, src, owner, "tcp"}
	if e.quieted(k, p.Time) {
		return
	}
	session := fmt.Sprintf("%s:%d - %s:%d", srcIP, p.TCP.SrcPort, dstIP, p.TCP.DstPort)
	kind := "binary" // never the bytes themselves: the evidence goes to the hub, and a false alarm's data is a user's session (cookies, credentials)
	if bytes.IndexFunc(p.TCP.Payload, func(r rune) bool { return r > 0x7e || r < 0x20 && r != '\r' && r != '\n' && r != '\t' }) < 0 {
		kind = "printable text"
	}
	e.reportKey(k, inventory.Event{
		Time: p.Time, Type: inventory.EventSpoofedSource, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: own, TargetMAC: macOf(owner), TargetIP: srcIP,
		Summary: fmt.Sprintf("%s injected %d bytes into the TCP session %s under the address of %s: a session hijack, %s takes them as that host's",
			describe(src, own), len(p.TCP.Payload), session, describe(owner, srcIP), dstIP),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("TCP %s, seq %d ack %d, %d bytes of data (%s, not recorded), from %s to %s at %s",
				session, p.TCP.Seq, p.TCP.Ack, len(p.TCP.Payload), kind, macString(src), macString(dst), p.Time.UTC().Format(time.RFC3339Nano))},
			{Source: "arp", Detail: fmt.Sprintf("ARP binds %s to %s and %s to %s: the segment is %s's, sent under another host's address into its session",
				srcIP, macString(owner), own, macString(src), macString(src))},
		},
	})
}

// peerThrough reports whether h's frames with its peer ip went through m
// (the MAC they last went to or came from) or through more than one MAC
// (a relay between them, a router's copy).
func (h *host) peerThrough(ip netip.Addr, m mac) bool {
	for i := range h.peers[:h.nPeers%(topPeers+1)] {
		if h.peers[i].ip == ip {
			return h.peerVia[i] == m || h.peerMixed&(1<<i) != 0
		}
	}
	return false
}
