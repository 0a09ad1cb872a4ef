package traffic

import (
	"net/netip"
	"time"

	"tend/capture"
)

// An ACK flood (hping3 -A, -A -P) sends segments with ACK set that belong
// to no connection, each from a fresh source port: the flood detector's
// TCP count leaves ACK segments out, since every connection's data and
// acknowledgements carry ACK. What tells the flood apart is its target's
// answer: a segment with ACK for no connection draws a RST that takes its
// sequence number from the segment's acknowledgement and carries no ACK
// itself (RFC 9293 3.10.7.1), which no open connection's close or abort
// sends (Linux aborts with RST+ACK). A host that sends ackRefusedMin such
// RSTs within floodWindow is refusing ACK segments; from then on, for
// floodWindow after its last such RST, the ACK segments toward it count
// as a flood's (fACK). An ACK scan (nmap -sA) draws the same RSTs, but its
// segments go to many ports, which scanNotFlood tells apart.

// ackRefusers is how many hosts refusing ACK segments are followed at once.
const ackRefusers = 4

// ackRefusedMin is how many RSTs without ACK within floodWindow make a
// host one refusing ACK segments: a quarter of a TCP flood's count, what
// the flood gate lets through; a client's stray segments after a server
// restart draw one or two per connection.
const ackRefusedMin = 250

type ackRefuser struct {
	addr     netip.Addr
	start    int64 // the window's start (Engine.nanos)
	n        int   // RSTs without ACK it sent in the window
	refusing int64 // until when its ACK segments count as a flood's; 0 for not
}

// ackFloodKind reports whether p, a TCP segment the flood kinds leave out,
// is an ACK segment toward a host refusing them, and notes p when it is
// such a refusal. Its caller asks only for RSTs and while a host refuses:
// ordinary traffic costs two comparisons and no call.
func (e *Engine) ackFloodKind(p *capture.Packet, now int64) bool {
	t := &p.TCP
	if t.RST {
		if !t.ACK {
			e.noteACKRefusal(p.SrcIP(), now)
		}
		return false
	}
	if now > e.ackRefusing || !t.ACK || t.SYN || t.FIN {
		return false
	}
	dst := p.DstIP()
	for i := range e.ackRefusers {
		if r := &e.ackRefusers[i]; r.addr == dst && now <= r.refusing {
			return true
		}
	}
	return false
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
