package traffic

import (
	"encoding/binary"
	"net/netip"
)

// arpFront answers the probe path's lookups of IPv4 addresses in the ARP
// table (routedCopy, boundTo) before the map, whose netip.Addr key hashes
// through the generic hash: every TCP probe asks it for its source address
// (routedCopy), 2 % of a corpus replay's instructions. Exact, not a guess:
//
//   - bound has a bit, by hash, for every IPv4 address ever bound (bind): a
//     clear bit means the map holds no binding of the address, the answer
//     for a SYN flood's forged sources and remote addresses; bits are never
//     cleared (an evicted binding leaves its bit, which only sends the
//     lookup on to the map);
//   - slots hold the last answers, direct-mapped by address, each valid in
//     the generation it was made in: gen moves on at every binding made or
//     evicted (bindingsChanged), so a slot never holds a nil the map no
//     longer has nor a binding it dropped. A binding's MAC changes in place
//     (arp.go rewrites *b), which a slot's pointer sees.
type arpFront struct {
	_     [0]func() // not comparable: no equality function linked
	bound [1 << arpBoundBits / 64]uint64
	gen   uint64
	slots [1 << arpFrontBits]arpFrontSlot
}

// arpFrontSlot is one answer: ip's binding (nil: none) in generation gen.
// The zero slot answers 0.0.0.0 in generation 0, before any binding: nil,
// as the map does.
type arpFrontSlot struct {
	_   [0]func() // not comparable: no equality function linked
	ip  uint32
	gen uint64
	b   *binding
}

// arpBoundBits sizes arpFront.bound: 16,384 bits (2 KB), one for every
// address of a /18, so a LAN's few hundred bindings leave most clear.
// arpFrontBits sizes its slots: 256 of them (6 KB), a scanner's and its
// targets' addresses.
const (
	arpBoundBits = 14
	arpFrontBits = 8
)

// arpFrontHash mixes an IPv4 address (as a big-endian word) for both
// tables.
func arpFrontHash(a uint32) uint32 { return a * 0x9e3779b1 }

// noteBound records a binding made or evicted in the ARP or neighbour table
// (ip, any family): slots made before it are void, and an IPv4 address's bit
// is set.
func (f *arpFront) noteBound(ip netip.Addr) {
	f.gen++
	if ip.Is4() {
		a4 := ip.As4()
		h := arpFrontHash(binary.BigEndian.Uint32(a4[:])) >> (32 - arpBoundBits)
		f.bound[h/64] |= 1 << (h % 64)
	}
}

// arpBinding is e.arp[ip] for an IPv4 address ip, e.nd[ip] for another.
func (e *Engine) arpBinding(ip netip.Addr) *binding {
	if !ip.Is4() {
		return e.nd[ip]
	}
	f := e.arpFront
	a4 := ip.As4()
	a := binary.BigEndian.Uint32(a4[:])
	h := arpFrontHash(a)
	if b := h >> (32 - arpBoundBits); f.bound[b/64]&(1<<(b%64)) == 0 {
		return nil
	}
	s := &f.slots[h>>(32-arpFrontBits)]
	if s.ip == a && s.gen == f.gen {
		return s.b
	}
	b := e.arp[ip]
	*s = arpFrontSlot{ip: a, gen: f.gen, b: b}
	return b
}
