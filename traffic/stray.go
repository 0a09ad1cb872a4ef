package traffic

import (
	"net/netip"

	"github.com/google/gopacket/layers"
)

// Stray floods: what a victim behind a router receives in a reflection or
// forged-source attack that is neither a SYN, UDP nor an echo request. A
// capture at the victim (StopDDoS's are one-way) holds TCP segments with
// ACK or RST (hping3 -A/-R/-SA --rand-source, PSH+ACK floods, the SYN+ACKs
// of a reflection through web servers), ICMP echo replies and errors
// (a reflected ping flood, forged unreachables), and IP fragments past the
// first (an amplification's large answers arrive in pieces; only the first
// carries the ports). Every office host receives all of these, from its
// connections and its own pings, so they count (fStrayTCP, fStrayICMP,
// fStrayFrag) only at a flood's volume and only when the sources are
// forged: about one packet per source address in the window. A busy
// server's clients each send several segments per connection (the
// handshake's ACK, a request, FIN, the last ACK) and a fragmented stream
// comes from a few senders; a flood draws a fresh forged address for
// nearly every packet (StopDDoS: 37,623 sources for 37,841 SYNs). Answers
// to the target's own probes are none: a host sending SYNs or echo
// requests to many addresses (a sweep) gets SYN+ACKs, RSTs and echo
// replies from as many, which count as answers (askedLately).

// A fragmented datagram's pieces come back to back from one source, so
// fragments count about once per datagram (sameStraySource): 500 of them
// in floodWindow, each of an amplified answer's three or more pieces.

// strayShare is, per stray kind, the share of a flood's packets (counted
// as sameStraySource lets them) that must come from distinct source
// addresses, as a fraction: two in three TCP segments or ICMP messages (a
// reflection reuses its reflectors: StopDDoS's ISAKMP capture has 2,767
// for 3,984 packets; forged ACKs draw a fresh address each), one in eight
// fragmented datagrams. A busy server's clients, each seen thrice, stay
// below.
var strayShare = [nFloodKinds][2]int{fStrayTCP: {2, 3}, fStrayICMP: {2, 3}, fStrayFrag: {1, 8}}

// strayCheck is how often (in packets) a stray state over its threshold
// asks whether its sources are forged: a busy server's ACK stream passes
// the threshold every window, and the estimate is a logarithm.
const strayCheck = 64

// strayICMPv4 reports whether t is an ICMP type a forged flood sends a
// victim: echo replies and errors (RFC 792), timestamp and address-mask replies.
func strayICMPv4(t uint8) bool {
	switch t {
	case layers.ICMPv4TypeEchoReply, layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4TypeSourceQuench,
		layers.ICMPv4TypeTimeExceeded, layers.ICMPv4TypeParameterProblem, layers.ICMPv4TypeTimestampReply, layers.ICMPv4TypeAddressMaskReply:
		return true
	}
	return false
}

// The stray kinds count only packets from outside the LAN's private
// ranges (a LAN's own clients, a broker's thousand sensors pinging it, are
// its hosts: floodPacket), and only where the source differs from the last
// one counted toward the same target and kind (sameStraySource): a
// download's thousands of segments from one server count once, a forged
// flood's every packet. Most of a LAN's TCP segments stop at one of the two.

// sameStraySource reports whether from sent the last stray packet counted
// toward k's target and kind, and notes it as the last. The slot is the
// gate's (gateIndex): two targets sharing one only count more.
func (e *Engine) sameStraySource(k floodKey, from netip.Addr) bool {
	h, s := uint32(ipHash(from)>>32), &e.stray.last[gateIndex(k)]
	if *s == h {
		return true
	}
	*s = h
	return false
}

// strayFlood reports whether f, a stray kind's state over its threshold,
// is a flood toward dst: strayCheck packets apart, its sources forged
// (strayShare of its packets from distinct addresses, floodSpoofed of
// them at least), not the segments of connections opened to dst
// (connectedTo) and not the answers to what dst sent lately. A target refusing the
// segments with RSTs is left to the ACK flood's count (fACK), which names
// them so.
func (e *Engine) strayFlood(kind int, f *floodState, dst netip.Addr) bool {
	n := f.pkts - f.gated // what srcs saw
	if share := strayShare[kind]; n%strayCheck != 0 || !f.srcs.atLeast(floodSpoofedBits) || f.srcs.count()*share[1] < int(n)*share[0] {
		return false
	}
	if kind == fStrayTCP && (e.refusing(dst) || e.connectedTo(dst, f)) {
		return false
	}
	return e.askedLately(dst)*8 < f.pkts
}

// connectedTo reports whether dst's segments belong to connections its
// clients opened: SYNs toward it in this window (the gate's count, fTCP)
// from one in eight of f's source addresses at least. Every connection
// begins with a SYN (RFC 9293 3.5); forged ACKs and reflected SYN+ACKs
// come without one.
func (e *Engine) connectedTo(dst netip.Addr, f *floodState) bool {
	g := e.gateSlot(newFloodKey(dst, fTCP))
	return g.window == e.pktNS/int64(floodWindow) && g.n*8 >= uint64(f.srcs.count())
}

// refusing reports whether a is refusing ACK segments now (ackflood.go).
func (e *Engine) refusing(a netip.Addr) bool {
	for i := range e.ackRefusers {
		if r := &e.ackRefusers[i]; r.addr == a && e.pktNS <= r.refusing {
			return true
		}
	}
	return false
}

// strayTables are the stray kinds' own tables, allocated apart from the
// Engine: 48 KB inside it moved the fields after them to other cache lines
// and cost BenchmarkDecodeAndDetect more than the code that uses them.
type strayTables struct {
	asked [1 << askedBits]askedCounter // SYNs and echo requests each address sent lately (noteAsked)
	last  [1 << floodGateBits]uint32   // the source last counted toward each gate slot's stray kind (sameStraySource)
}

// askedBits sizes the table of what hosts asked lately (noteAsked).
const askedBits = 10

// askedCounter counts the SYNs and echo requests one address sent in this
// window of floodWindow and the one before.
type askedCounter struct {
	key     uint64 // ipHash of the address; 0 for an empty slot
	window  int64
	n, prev uint64
}

// noteAsked counts a SYN or echo request from a: what answers it draws
// are no flood. A slot held by another address is taken over (a sweeper
// lost to a collision makes its answers count, at worst raised only if
// they come from forged-looking sources at a flood's rate).
func (e *Engine) noteAsked(a netip.Addr) {
	h := ipHash(a) | 1
	c, w := &e.stray.asked[h>>(64-askedBits)], e.pktNS/int64(floodWindow)
	if c.key != h {
		*c = askedCounter{key: h, window: w}
	}
	if c.window != w {
		c.prev = 0
		if c.window == w-1 {
			c.prev = c.n
		}
		c.window, c.n = w, 0
	}
	c.n++
}

// askedLately is how many SYNs and echo requests a sent in this window and
// the one before.
func (e *Engine) askedLately(a netip.Addr) uint64 {
	h := ipHash(a) | 1
	c, w := &e.stray.asked[h>>(64-askedBits)], e.pktNS/int64(floodWindow)
	switch {
	case c.key != h:
		return 0
	case c.window == w:
		return c.n + c.prev
	case c.window == w-1:
		return c.n
	}
	return 0
}
