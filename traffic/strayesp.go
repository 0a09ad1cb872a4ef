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

// espPace is the least time (in units of 2^espTick ns, 8.4 ms: 24 of
// them, 201 ms) between two packets of one SA for the later to continue
// it (espNext): a peer's telemetry, a packet every second or every few,
// continues its SA; a forger keeping a fixed SPI and climbing sequence
// numbers on each of its forged sources sends each of them faster (500
// SAs at 5,000 packets/s: one every 100 ms), and those count toward the
// flood as any stray's. A peer's burst (a report in several datagrams)
// counts, its first packet not: no share of a one-way peer's packets
// that makes a flood.
const (
	espTick = 23
	espPace = 24
)

// espNext reports whether p, from the address from outside, is an ESP
// packet continuing an SA toward its target: its source, target and SPI
// heard before, espPace ago or more, with a sequence number up to
// espClimb below p's. It notes p's sequence number and time as the SA's
// last either way (a table slot holds a 16-bit tag of the SA's hash, the
// time in ticks of 2^espTick ns, 16 bits, and the number).
func (e *Engine) espNext(p *capture.Packet, from netip.Addr) bool {
	spi, seq, ok := espHeader(p)
	if !ok {
		return false
	}
	h := mix64(ipHash(from) ^ turned(ipHash(p.DstIP())) ^ uint64(spi)<<17)
	s, tag, t := &e.stray.esp[h>>(64-espBits)], h<<48, uint64(e.pktNS>>espTick)&0xffff // the tag: bits the slot's index does not hold
	last := *s
	*s = tag | t<<32 | uint64(seq)
	known := last>>48<<48 == tag
	e.stray.espFirst = !known
	return known && seq-uint32(last)-1 < espClimb && (t-last>>32)&0xffff >= espPace
}

// espWaiting reports whether f, a tunnel flood state toward dst, is SAs'
// beginnings (espStart, of SAs not heard before: seven in eight of the
// packets it counted) begun less than espWait ago, and no flood of them
// toward dst was waiting up to espMemory before (espFloodAge): peers that
// send again soon continue their SAs. A forger's bursts of SAs'
// beginnings, each shorter than espWait with pauses between (review 29b
// E2: 15 s on, 12 s off), wait once, not once a burst.
func (e *Engine) espWaiting(f *floodState, dst netip.Addr, now int64) bool {
	if f.espStarts*8 < (f.pkts-f.gated)*7 || time.Duration(now-f.began) >= espWait {
		return false
	}
	return time.Duration(e.espFloodAge(dst, f.began, now))<<30 < espWait
}

// espMemory is how long (in units of 2^30 ns, about a second) a target
// keeps that a flood of SAs' beginnings toward it waited (espFloodAge)
// after the last: five minutes, past a pulsing forger's pauses; a
// concentrator's peers that all rekey at once do so hours apart.
const espMemory = 300

// espFloodBits sizes the table of targets a flood of SAs' beginnings
// waited toward (espFloodAge): 256 slots, 2 KB.
const espFloodBits = 8

// espFloodAge notes that a flood of SAs' beginnings toward dst, its state
// begun at began, waits at now, and returns how long ago (in units of
// 2^30 ns) the first such flood toward it began, one not more than
// espMemory after the one before. A slot holds dst's tag (the top 32
// bits of its hash), the first flood's time and the last note's (16 bits
// each, in 2^30 ns units).
func (e *Engine) espFloodAge(dst netip.Addr, began, now int64) uint64 {
	h := ipHash(dst)
	s, tag, t := &e.stray.espFloods[h>>(64-espFloodBits)], h>>32<<32, uint64(now>>30)&0xffff
	if *s>>32<<32 != tag || (t-*s)&0xffff > espMemory {
		*s = tag | (uint64(began>>30)&0xffff)<<16
	}
	*s = *s&^0xffff | t
	return (t - *s>>16) & 0xffff
}
