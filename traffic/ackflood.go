package traffic

import (
	"net/netip"
	"slices"
	"time"

	"tend/capture"
)

// An ACK flood (hping3 -A, -A -P) sends segments with ACK set that belong
// to no connection, each from a fresh source port: the flood detector's
// TCP count leaves ACK segments out, since every connection's data and
// acknowledgements carry ACK. What tells the flood apart is its target's
// answer: a segment with ACK for no connection draws a RST without ACK
// whose sequence number is the segment's acknowledgement, sent back on
// the segment's ports and addresses swapped (RFC 9293 3.10.7.1). Only the
// segments so refused count (fACK), each at its refusal, as from the MAC
// and address the segment came from: a connection the target answers
// sends none, and a server restart's or failover's stale connections
// draw one or two refusals each before their clients give up and
// reconnect (SYNs, never counted), far below a flood's thousand in
// floodWindow, whatever the clients send on their new connections.
//
// Matching a refusal needs the segment it answers, which costs a store
// per segment: segments are noted only toward a host that sent
// ackRefusedMin RSTs without ACK within floodWindow, until floodWindow
// after its last. An ACK scan (nmap -sA) draws the same refusals, but its
// segments go to many ports, which scanNotFlood tells apart.

// ackRefusers is how many hosts refusing ACK segments are followed at once.
const ackRefusers = 4

// ackRefusedMin is how many RSTs without ACK within floodWindow make a host
// one whose ACK segments are noted (ackSegs): what a flood's first tenth
// of a second draws; a few stale connections after a restart stay below.
const ackRefusedMin = 64

// ackSegBits sizes ackSegs, the segments toward refusing hosts that wait
// for their answer: a RST comes back within milliseconds, and a flood of
// thousands a second overwrites a slot only after hundreds of others.
const ackSegBits = 9

type ackRefuser struct {
	addr     netip.Addr
	start    int64 // the window's start (Engine.nanos)
	n        int   // RSTs without ACK it sent in the window
	refusing int64 // until when ACK segments toward it are noted; 0 for not
}

// ackSeg is an ACK segment toward a refusing host, noted until its answer:
// key (ackSegKey) its addresses, ports and acknowledgement number.
type ackSeg struct {
	_   [0]func() // not comparable: no equality function linked
	key uint64
	at  int64 // when it came (Engine.nanos); 0 for an empty slot
	src mac   // the MAC its frame came from
}

// ackSegKey identifies the segment from from:fport to to:tport whose
// acknowledgement number is ack, and the RST that refuses it (RFC 9293
// 3.10.7.1: sent from to:tport to from:fport with sequence number ack).
func ackSegKey(from, to netip.Addr, fport, tport uint16, ack uint32) uint64 {
	return ipHash(from) ^ turned(ipHash(to)) ^ mix64(uint64(fport)<<48|uint64(tport)<<32|uint64(ack))
}

// turned turns a hash so that (a, b) and (b, a) key differently.
func turned(h uint64) uint64 { return h<<23 | h>>41 }

// ackRefused is called for a TCP segment the flood kinds leave out: a RST,
// or any segment while a host is refusing (its caller's two comparisons
// keep ordinary traffic from calling). It notes an ACK segment toward a
// refusing host, counts a RST without ACK toward its sender's refusals,
// and reports the MAC of the noted segment such a RST refuses (ok false
// for none).
func (e *Engine) ackRefused(p *capture.Packet, src mac, now int64) (from mac, ok bool) {
	t := &p.TCP
	switch {
	case t.RST && !t.ACK:
		e.noteACKRefusal(p.SrcIP(), now)
		k := ackSegKey(p.DstIP(), p.SrcIP(), uint16(t.DstPort), uint16(t.SrcPort), t.Seq)
		s := &e.ackSegs[k>>(64-ackSegBits)]
		if s.at == 0 || s.key != k || time.Duration(now-s.at) > floodWindow {
			return mac{}, false
		}
		from, *s = s.src, ackSeg{} // one refusal per segment
		return from, true
	case t.RST || !t.ACK || t.SYN || t.FIN || now > e.ackRefusing:
		return mac{}, false
	}
	dst := p.DstIP()
	for i := range e.ackRefusers {
		if r := &e.ackRefusers[i]; r.addr == dst && now <= r.refusing {
			k := ackSegKey(p.SrcIP(), dst, uint16(t.SrcPort), uint16(t.DstPort), t.Ack)
			e.ackSegs[k>>(64-ackSegBits)] = ackSeg{key: k, at: now, src: src}
			break
		}
	}
	return mac{}, false
}

// noteACKRefusal counts a RST without ACK from addr, in the slot it holds
// or the one whose window ended longest ago (a quiet slot's before a
// refusing host's).
func (e *Engine) noteACKRefusal(addr netip.Addr, now int64) {
	slot := -1
	for i := range e.ackRefusers {
		r := &e.ackRefusers[i]
		if r.addr == addr {
			slot = i
			break
		}
		if slot < 0 || r.start < e.ackRefusers[slot].start {
			slot = i
		}
	}
	r := &e.ackRefusers[slot]
	if r.addr != addr || time.Duration(now-r.start) > floodWindow {
		refusing := r.refusing
		if r.addr != addr {
			refusing = 0
		}
		*r = ackRefuser{addr: addr, start: now, refusing: refusing}
	}
	r.n++
	if r.n >= ackRefusedMin {
		r.refusing = now + int64(floodWindow)
		e.ackRefusing = max(e.ackRefusing, r.refusing)
	}
}

// clientsResending reports whether the refused segments counted in f
// (fACK) toward dst are clients' own, re-sent after their server
// restarted or failed over: from many addresses (floodSpoofed), each
// sending a few (more than one in ackShare's ratio of the segments from a
// fresh address) but no more than ackResendMax on average, and from
// addresses dst had connections with (hadConnections). A client has a few
// connections, each a few segments in flight, and every one draws a RST
// (RFC 9293 3.10.7.1); forged ACKs (hping3 -A --rand-source) draw a fresh
// address each, a flood from one address, or from a botnet's own
// addresses, sends far more than ackResendMax from each, and neither a
// botnet's nor forged addresses ever had a connection with dst.
func (e *Engine) clientsResending(f *floodState, dst netip.Addr) bool {
	n, c := int(f.pkts-f.gated), f.srcs.count()
	return f.srcs.atLeast(floodSpoofedBits) && c*ackShare[1] < n*ackShare[0] && c*ackResendMax >= n && e.hadConnections(dst, f)
}

// hadConnections reports whether dst sent segments carrying data lately
// (noteOwn: noted while its clients' segments count as strays, fStrayTCP;
// sentData) to half the last sources counted toward f at least: the
// clients whose connections a restart cut. A handful of real addresses
// among forged ones stay below half, and a forged source's SYN draws a
// SYN+ACK without data (review 28e: forged sources primed with a SYN each,
// then a few refused ACKs each, were exempt while any segment counted).
//
// Each address counts once however many slots it holds, and half the
// distinct ones (8 at least) must have had data (review 28f: one real address
// fetching a page during a forged flood, sending every other refused ACK,
// held half the slots and exempted 900 forged sources).
func (e *Engine) hadConnections(dst netip.Addr, f *floodState) bool {
	d, n, distinct := ipHash(dst), 0, 0
	for i, h := range f.recent {
		if h == 0 || slices.Contains(f.recent[:i], h) {
			continue
		}
		distinct++
		n += int(b2u(e.sentData(d, h)))
	}
	return distinct*2 >= len(f.recent) && n*2 >= distinct
}

// ackShare is the share of refused segments from distinct addresses (as a
// fraction) at which refusals are forged ACKs: the stray kinds' (strayShare).
var ackShare = strayShare[fStrayTCP]

// ackResendMax is the most refused segments per address, on average, that
// clients re-sending after a restart send: a browser's six connections,
// a segment or two in flight on each (RFC 6298's back-off resends after
// seconds, well within floodWindow, only a segment whose RST was lost).
const ackResendMax = 8
