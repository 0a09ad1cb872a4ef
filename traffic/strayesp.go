package traffic

import (
	"encoding/binary"
	"net/netip"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
)

// IPsec peers that only send. ESP (RFC 4303) carries each security
// association's SPI, fixed for the SA's life, and a sequence number that
// starts at 1 and climbs by one with every packet the sender sends on it
// (2.2; the receiver's anti-replay window drops repeats, 3.4.3). A branch
// office's telemetry over IPsec, one-way, comes from a thousand peers,
// each a packet every few seconds on its own SA: the stray count sees a
// fresh source per packet, as in a forged flood. A forged ESP flood
// (hping3 -0 -H 50 --rand-source) draws a fresh source per packet, with
// whatever its payload makes of SPI and sequence number: zeros (SPI 0 is
// reserved), one fill byte repeated (the same "sequence number" in every
// packet), random bytes. So an ESP packet that continues an SA heard
// lately, from the same source to the same target with the same SPI and a
// sequence number just above the last, counts toward no flood (espNext),
// and a flood whose packets all look like SAs' beginnings (espStart) is
// given espWait before it is raised, for its peers to send again. A flood
// forging SAs' beginnings from fresh sources is raised after espWait.

// espBits sizes the table of SAs heard from outside (espSA): 8,192 slots,
// 64 KB, for a concentrator's thousands of peers.
const espBits = 13

// espClimb is the most a peer's sequence number may climb between two of
// its packets the sensor sees: packets lost on the way, or sent while
// the capture dropped, leave gaps; a random 32-bit number lands in it
// once in four million.
const espClimb = 1024

// espSeqStart is the highest sequence number of an SA's plausible
// beginning (espStart): an SA rekeys long before (RFC 4303 2.2: its
// sender must not cycle the counter; IKE's soft lifetimes rekey within
// hours), and a packet every second takes 8 years to reach it; a random
// number falls below it once in sixteen.
const espSeqStart = 1 << 28

// espWait is how long a flood of SAs' beginnings (espStart) waits before
// it is raised: two windows, in which peers sending every 20 s or more
// often continue their SAs (espNext), and count no more.
const espWait = 2 * floodWindow

// espHeader is the SPI and sequence number of p's ESP header (RFC 4303
// 2.1): ok is false for any other packet, a fragment past the first, or
// one too short to hold them.
func espHeader(p *capture.Packet) (spi, seq uint32, ok bool) {
	var b []byte
	switch {
	case p.Has&capture.HasIPv4 != 0:
		if p.IPv4.Protocol != layers.IPProtocolESP || p.IPv4.FragOffset != 0 {
			return 0, 0, false
		}
		b = p.IPv4.Payload
	case p.Has&capture.HasIPv6 != 0 && p.IPv6.NextHeader == layers.IPProtocolESP:
		b = p.IPv6.Payload
	}
	if len(b) < 8 {
		return 0, 0, false
	}
	return binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:]), true
}

// espStart reports whether p is an ESP packet that may be an SA's own:
// an SPI outside the reserved 0-255 (RFC 4303 2.1) and a sequence number
// from 1 to espSeqStart.
func espStart(p *capture.Packet) bool {
	spi, seq, ok := espHeader(p)
	return ok && spi > 255 && seq != 0 && seq < espSeqStart
}

// espNext reports whether p, from the address from outside, is an ESP
// packet continuing an SA toward its target: its source, target and SPI
// heard before with a sequence number up to espClimb below p's. It notes
// p's sequence number as the SA's last either way (a table slot holds a
// tag of the SA's hash and the number).
func (e *Engine) espNext(p *capture.Packet, from netip.Addr) bool {
	spi, seq, ok := espHeader(p)
	if !ok {
		return false
	}
	h := mix64(ipHash(from) ^ turned(ipHash(p.DstIP())) ^ uint64(spi)<<17)
	s, tag := &e.stray.esp[h>>(64-espBits)], h<<32
	last := *s
	*s = tag | uint64(seq)
	return last&^0xffffffff == tag && seq-uint32(last)-1 < espClimb
}

// espWaiting reports whether f, a tunnel flood state, is SAs' beginnings
// (espStart: seven in eight of the packets it counted) begun less than
// espWait ago: peers that send again soon continue their SAs.
func espWaiting(f *floodState, now int64) bool {
	return f.espStarts*8 >= (f.pkts-f.gated)*7 && time.Duration(now-f.began) < espWait
}
