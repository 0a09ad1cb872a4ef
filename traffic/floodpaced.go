package traffic

import (
	"fmt"
	"math/bits"
	"net/netip"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// Floods that are not: traffic at a flood's count whose pace the target
// itself sets.
//
// TFTP (RFC 1350) is lock-step: a reader acknowledges each 512-byte DATA
// block with a 4-byte ACK on the transfer's port pair, and the server sends
// the next block only then. A classroom's PXE boot storm is tens of
// clients doing so at once, thousands of ACKs a second toward one server
// from as many flows and addresses as clients (review 32a: 35 clients,
// 7,184 a second). Each ACK comes after the DATA it acknowledges, on the
// reverse of the flow the server sent it on, from an address its own MAC
// claimed in ARP: the server answered every flow and paced every client.
// A flood's datagrams wait for nothing: forged sources were never claimed
// by the MAC that sends them, and a server answers no ACK of a transfer it
// is not in. So a UDP state of which nine in ten datagrams are such paced
// ACKs (pacedACK) is no flood, whatever its rate.
//
// A SYN flood is half-open connections (RFC 4987): SYNs whose handshake
// the sender never completes, from forged sources or from a tool whose
// kernel answers the SYN-ACKs with RST (hping3 -S --flood). A web content
// scanner (dirb, 200 connections a second) or a load generator without
// keep-alive (ab) completes every handshake: its ACK to the SYN-ACK carries
// the SYN's sequence number plus one (RFC 9293 3.5). A TCP state of which
// three in four SYNs had their handshake completed so (handshakes) is
// connections, not a SYN flood: the port-scan and brute-force detectors
// judge them.

// tftpACK reports whether b, a UDP payload, is a TFTP acknowledgement
// (RFC 1350 5: opcode 4 and a block number, nothing more).
func tftpACK(b []byte) bool {
	return len(b) == 4 && b[0] == 0 && b[1] == 4
}

// pacedACK reports whether p, a UDP datagram from the MAC src toward dst
// already counted in its pair's slot (countUDPFrom), is a TFTP ACK from an
// address src claimed in ARP or neighbour discovery that came after dst
// answered the earlier datagrams of its flow on the reverse flow, from the
// MAC p's frame went to, with DATA blocks (tftpDataFrame), on a transfer a
// request to port 69 began (tftpAsked): the lock-step of a transfer dst
// serves. Either
// side retransmits its last packet on a timeout (RFC 1350 2), and a
// capture loses some of a storm's frames: the reverse flow may lag by one
// in eight (ackLag). lost reports instead that p is such an ACK whose
// reverse flow's count is not known: its slot, shared, holds another
// pair's count of this window (udpPairIndex), or held one since the
// reverse flow's first datagram of the window (two pairs of a slot take it
// over from each other all window long: review 32a's 60-client storm had
// three such flows), its count far behind. A server that stopped answering
// reads so too; lockStep bounds their share.
func (e *Engine) pacedACK(p *capture.Packet, src mac, dst netip.Addr) (paced, lost bool) {
	from := p.SrcIP()
	if !tftpACK(p.UDP.Payload) || !e.boundTo(from, src) {
		return false, false
	}
	var to mac
	copy(to[:], p.Eth.DstMAC)
	window := e.pktNS / int64(floodWindow)
	fk, dk := udpFromKey(from), udpFromKey(dst)
	fwd := e.udpPairCount(udpPairKey{fk.hi, fk.lo, dk.hi, dk.lo, macKey(src), udpPorts(p.UDP.SrcPort, p.UDP.DstPort)}, window)
	if fwd == nil {
		return false, false
	}
	bk := udpPairKey{dk.hi, dk.lo, fk.hi, fk.lo, macKey(to), udpPorts(p.UDP.DstPort, p.UDP.SrcPort)}
	if !e.tftpAsked(from, p.UDP.SrcPort, dst, p.UDP.DstPort) && !e.ackedBlock(p, from, dst) {
		return false, false
	}
	back := e.udpPairCount(bk, window)
	if back == nil {
		return false, e.pairSlotTaken(bk, window)
	}
	if back.n*ackLag < fwd.n { // restarted: another pair took the slot between
		return false, true
	}
	if back.bytes < (back.n-1)*tftpDataFrame {
		return false, false // DATA blocks of 512 bytes, only the last shorter (RFC 1350 2)
	}
	return back.n+1+fwd.n/ackLag >= fwd.n, false // this ACK is counted in fwd.n
}

// ackLag: a transfer's reverse flow may lag its ACKs by one in ackLag
// (pacedACK).
const ackLag = 8

// pairSlotTaken reports whether k's udpPair slot holds another key's count
// of window.
func (e *Engine) pairSlotTaken(k udpPairKey, window int64) bool {
	i, _ := udpPairIndex(k)
	return e.udpPairTag[i] != 0 && e.udpPair[i].window == window
}

// tftpPort is TFTP's well-known port, where a transfer's request goes
// (RFC 1350 4: the server answers it from a port of its own).
const tftpPort = 69

// tftpDataFrame is the least Ethernet frame of a full TFTP DATA block:
// 14 + 20 (IPv4) + 8 + 4 (opcode, block) + 512 bytes.
const tftpDataFrame = 558

// tftpReqMax bounds tftpReqs: a full table starts over.
const tftpReqMax = 4096

// tftpKey is the key of a TFTP transfer's request from client's port to
// server in tftpReqs.
func tftpKey(client netip.Addr, port uint16, server netip.Addr) uint64 {
	return mix64(ipHash(client)^uint64(port)<<32) ^ ipHash(server)
}

// noteTFTP notes p, a UDP datagram, when it is a TFTP read or write
// request to port 69 (RFC 1350 5: opcode 1 or 2) or a full DATA block
// (noteTFTPData).
func (e *Engine) noteTFTP(p *capture.Packet) {
	b := p.UDP.Payload
	if len(b) < 4 || b[0] != 0 {
		return
	}
	e.noteTFTPAnswer(p, b[1]) // tftpanswer.go
	if b[1] == 3 {
		e.noteTFTPData(p, b)
		return
	}
	if p.UDP.DstPort != tftpPort || (b[1] != 1 && b[1] != 2) {
		return
	}
	if e.tftpReqs == nil || len(e.tftpReqs) >= tftpReqMax {
		e.tftpReqs = make(map[uint64]struct{})
	}
	e.tftpReqs[tftpKey(p.SrcIP(), uint16(p.UDP.SrcPort), p.DstIP())] = struct{}{}
}

// noteTFTPData notes p, a UDP datagram whose payload b has TFTP's DATA
// opcode (3), as its flow's last block when it carries a full block of
// 512 bytes or more (RFC 1350 5; RFC 2348's blksize) by its UDP length
// (a sensor's snap length may cut the frame): the block its reader's ACK
// must carry in lock-step (ackedBlock).
func (e *Engine) noteTFTPData(p *capture.Packet, b []byte) {
	n := int(p.UDP.Length) - 8
	if p.UDP.Length == 0 {
		n = len(b) // a jumbogram (RFC 2675)
	}
	if n < 4+512 || p.UDP.SrcPort == tftpPort {
		return
	}
	if e.tftpBlocks == nil || len(e.tftpBlocks) >= tftpReqMax {
		e.tftpBlocks = make(map[uint64]uint16)
	}
	e.tftpBlocks[tftpFlowKey(p.DstIP(), uint16(p.UDP.DstPort), p.SrcIP(), uint16(p.UDP.SrcPort))] = uint16(b[2])<<8 | uint16(b[3])
}

// tftpFlowKey is the key in tftpBlocks of the TFTP flow between client's
// port cport and server's port sport.
func tftpFlowKey(client netip.Addr, cport uint16, server netip.Addr, sport uint16) uint64 {
	return mix64(tftpKey(client, cport, server) ^ uint64(sport)<<48)
}

// ackedBlock reports whether p, a TFTP ACK from the address from toward
// dst, acknowledges the last full DATA block dst sent on the reverse flow
// (noteTFTPData), or the one before (a duplicate ACK after a retransmission,
// RFC 1350 2): the transfer's own lock-step, which tells a transfer whose
// request and first blocks the capture lost (review 32a's 60-client storm
// lost 24 of its 180 requests and 8 of those transfers' first blocks).
func (e *Engine) ackedBlock(p *capture.Packet, from, dst netip.Addr) bool {
	last, ok := e.tftpBlocks[tftpFlowKey(from, uint16(p.UDP.SrcPort), dst, uint16(p.UDP.DstPort))]
	b := p.UDP.Payload
	ack := uint16(b[2])<<8 | uint16(b[3])
	return ok && (ack == last || ack == last-1)
}

// tftpAsked reports whether an ACK from port sport of from to port dport
// of dst is of a transfer a request to port 69 began: from's read request
// (a reader's ACK) or dst's write request (the server's).
func (e *Engine) tftpAsked(from netip.Addr, sport layers.UDPPort, dst netip.Addr, dport layers.UDPPort) bool {
	_, r := e.tftpReqs[tftpKey(from, uint16(sport), dst)]
	_, w := e.tftpReqs[tftpKey(dst, uint16(dport), from)]
	return r || w
}

// lockStep reports whether nine in ten of the UDP state f's own datagrams
// whose pace is known were paced ACKs (pacedACK), those of unknown pace
// one in lostShare at most. Until the state saw pacedSample of its own, it reports
// whether fewer than one in ten of pacedSample were not: a state that
// restarts mid-window reaches its count at its first own datagram (the
// gate counted thousands), and one retransmitted ACK among its first
// seven was a flood (review 32a, s12).
func lockStep(f *floodState) bool {
	own := f.pkts - f.gated
	known := own - min(f.lostPace, own)
	if own < pacedSample {
		return (known-f.paced)*10 < pacedSample
	}
	return f.lostPace*lostShare <= own && f.paced*10 >= known*9
}

// lostShare: one in lostShare of a lock-step state's datagrams may be ACKs
// of unknown pace (pacedACK's lost): a 4,096-slot table's collisions among
// a storm's hundred pairs are a few in a hundred.
const lostShare = 5

// pacedSample is how many of a UDP state's own datagrams lockStep judges
// the share of paced ACKs over.
const pacedSample = 64

// synSlots is how many SYNs a TCP state remembers for their handshakes:
// ab -c 50 keeps 50 in flight.
const synSlots = 64

// synTag is the tag of a SYN from the address whose ipHash is ih on port
// sport with sequence number seq (never 0, an empty slot).
func synTag(ih uint64, sport uint16, seq uint32) uint32 {
	return uint32(mix64(ih^uint64(sport)<<32^uint64(seq))) | 1
}

// noteSYN remembers p, a SYN toward f's target from the address whose
// ipHash is ih, for its handshake's ACK (noteHandshake).
func (f *floodState) noteSYN(p *capture.Packet, ih uint64) {
	f.syns[f.pkts%synSlots] = synTag(ih, uint16(p.TCP.SrcPort), p.TCP.Seq)
	f.answered &^= 1 << (f.pkts % synSlots)
}

// ackTag is the tag a SYN's slot takes once its target answered it with a
// SYN-ACK (noteSynAck): the client at ipHash ih, its port sport, and the
// sequence and acknowledgement numbers its handshake's ACK must carry.
func ackTag(ih uint64, sport uint16, seq, ack uint32) uint32 {
	return uint32(mix64(mix64(ih^uint64(sport)<<32^uint64(seq))^uint64(ack))) | 1
}

// shakeState is dst's TCP state while its handshakes count: dst's SYNs
// passed the gate in this window and the state is not raised yet, or
// raised and held (shaking: its event names connections, floodconn.go).
func (e *Engine) shakeState(dst netip.Addr) *floodState {
	k := newFloodKey(dst, fTCP)
	if g := e.gateSlot(k); g.n < floodMin[fTCP]/4 || g.window != e.pktNS/int64(floodWindow) {
		return nil
	}
	if f := e.floodsTo[k]; f != nil && (!f.reported || f.shaking) && f.live {
		return f
	}
	return nil
}

// noteSynAck notes p, a SYN-ACK from the MAC src and the address target
// toward client, as the answer to a SYN counted toward target (its
// acknowledgement number the SYN's sequence number plus one), when target
// answered from its MAC (answersFor): the handshake's ACK must then
// acknowledge it (RFC 9293 3.5). A bare ACK after a SYN no target answered completes nothing.
func (e *Engine) noteSynAck(p *capture.Packet, src mac, target, client netip.Addr) {
	f := e.shakeState(target)
	if f == nil || !e.answersFor(target, src, f) {
		return
	}
	ih := ipHash(client)
	tag := synTag(ih, uint16(p.TCP.DstPort), p.TCP.Ack-1)
	for i, s := range f.syns {
		if s == tag {
			f.syns[i] = ackTag(ih, uint16(p.TCP.DstPort), p.TCP.Ack, p.TCP.Seq+1)
			f.answered |= 1 << i
			return
		}
	}
}

// answersFor reports whether a SYN-ACK from the MAC src may be target's
// answer to the SYNs of f: src is the MAC target is bound to (ARP,
// neighbour discovery) or, target bound to none yet (a capture begun after
// its ARP), not the MAC of f's first SYN: a flood's sender answers none.
func (e *Engine) answersFor(target netip.Addr, src mac, f *floodState) bool {
	if b := e.arpBinding(target); b != nil {
		return b.mac == src
	}
	return src != f.srcMAC
}

// noteHandshake counts p, a TCP segment with ACK (not SYN, not RST) from
// the address from toward dst, as a completed handshake of a SYN counted
// toward dst that dst answered (noteSynAck): its sequence number is the
// SYN's plus one and it acknowledges the SYN-ACK's (RFC 9293 3.5), and it
// carries data, the client's request (ab, dirb and every load test send
// one): a connection flood connects and resets, thousands a second, with
// no data (nping --tcp-connect). Each SYN's handshake counts once. Only the
// slots holding a SYN-ACK's tag (answered's bits) are compared: a busy
// server's every later segment with data came here and compared all
// synSlots of them (2 % of a replay of the office mix, cachegrind).
func (e *Engine) noteHandshake(p *capture.Packet, from, dst netip.Addr) {
	f := e.shakeState(dst)
	if f == nil || len(p.TCP.Payload) == 0 || f.answered == 0 {
		return
	}
	tag := ackTag(ipHash(from), uint16(p.TCP.SrcPort), p.TCP.Seq, p.TCP.Ack)
	for m := f.answered; m != 0; m &= m - 1 {
		if i := bits.TrailingZeros64(m); f.syns[i] == tag {
			f.syns[i], f.answered = 0, f.answered&^(1<<i)
			f.handshakes++
			f.requests += uint64(b2u(webPort(p.TCP.DstPort) && httpRequest(p.TCP.Payload))) // floodconn.go
			return
		}
	}
}

// A floodState's answered is a bitmap of its syns slots: at most 64.
var _ [64 - synSlots]struct{}

// handshakes reports whether three in four of the TCP state f's own SYNs
// had their handshake completed (noteHandshake): connections, no SYN flood.
func handshakes(f *floodState) bool {
	own := f.pkts - f.gated
	return own > 0 && f.handshakes*4 >= own*3
}

// slowPings reports whether the echo state f, at now, came slower than its
// threshold's rate, floodMin[fICMP] within floodWindow: the gate carries a
// share of the last window's count into the next, so a steady 40 a second
// from a few on-link hosts reached the count in a window without the rate
// (review 32b: five hosts pinging a router, 39 a second). A burst of the
// count within a window is a flood still, as a smurf's fiftieth request is.
func slowPings(now int64, f *floodState) bool {
	return !f.smurf && f.rate(now, floodWindow) < float64(floodMin[fICMP])/floodWindow.Seconds()
}

// spreadEvidence is the evidence of a flood f whose frames came from
// several MACs, none carrying nine in ten: no next hop is named, the
// first frame's MAC with its share.
func spreadEvidence(f *floodState) inventory.Evidence {
	own := max(f.pkts, 1)
	return inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
		"no single attacker address: the frames came from several MACs, none carrying nine in ten (%s, the first, %d %%)",
		macString(f.srcMAC), f.same*100/own)}
}

// onLinkPings reports whether the echo state f toward dst, at now, is a
// few on-link hosts' small requests below icmpFanInRate: nine in ten of
// its own requests from addresses their senders' MACs claimed (bound), no
// MAC sending nine in ten of them, and a monitor's mean size (pingFanIn's
// icmpMonitorData). Five hosts pinging a router ten times a second each
// (review 32b, 50 a second, 5 KB/s) are no flood; one host at that rate,
// forged sources (claimed by no MAC that sends them), large requests and
// any source mix at icmpFanInRate or more stay floods.
func onLinkPings(now int64, f *floodState, dst netip.Addr) bool {
	own := f.pkts - f.gated
	if f.smurf || own == 0 || f.same*10 >= f.pkts*9 || f.bound*10 < own*9 {
		return false
	}
	return f.bytes <= own*icmpMonitorFrame(dst) && f.rate(now, time.Second) < icmpFanInRate
}

// noteShake notes p, a TCP segment with ACK (not RST) from the MAC src and
// the LAN address from, in its handshake: a SYN-ACK (noteSynAck) or the
// client's ACK (noteHandshake).
func (e *Engine) noteShake(p *capture.Packet, src mac, from netip.Addr) {
	if p.TCP.SYN {
		e.noteSynAck(p, src, from, p.DstIP())
	} else {
		e.noteHandshake(p, from, p.DstIP())
	}
}
