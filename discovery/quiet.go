package discovery

import (
	"encoding/binary"
	"net/netip"
	"slices"

	"tend/capture"
)

// quiet reports whether appendPacket would turn pk into nothing and
// change nothing of p but the frame count: an IP frame that no identity
// decoder reads (neither UDP nor ICMPv6, nor a protocol number that says
// so), from a source MAC that is not unicast, or is the box's own, or
// whose IPv4 source forwarding has noted already (or need not note) and
// whose sighting the presence throttle holds back. Most frames of a
// replay are such (TCP, AH, ICMPv4 between known hosts); answering that
// from the decoded layers and the two caches, with no frame filled and no
// decoder asked, took a replay of the corpus mix from 4,037 to 3,801
// instructions a packet (cachegrind; discovery's share from ~490 to
// ~250). Anything it is not sure of goes the whole way (appendWhole),
// which reaches the same verdict; TestQuietSame holds the two together.
func (p *Passive) quiet(pk *capture.Packet) bool {
	has := pk.Has
	if has&capture.HasEthernet == 0 || has&(capture.HasARP|capture.HasUDP|capture.HasICMPv6) != 0 {
		return false
	}
	var proto uint8
	switch {
	case has&capture.HasIPv4 != 0: // frameOf's order: IPv4 first
		proto = uint8(pk.IPv4.Protocol)
	case has&capture.HasIPv6 != 0:
		proto = uint8(pk.IPv6.NextHeader)
	default:
		return false
	}
	if proto == 17 || proto == 58 || len(pk.Data) < 12 {
		return false // a datagram or ND message whose layer did not decode: the whole way
	}
	src := pk.Eth.SrcMAC
	if !unicastMAC(src) {
		return true // nothing sees a group or zero source
	}
	for _, own := range p.cfg.Own {
		if slices.Equal(own, pk.Data[6:12]) {
			return true
		}
	}
	k := macKey(src)
	if has&capture.HasIPv4 != 0 && !p.fwdNoted(k, pk.SrcIP()) {
		return false
	}
	return p.cfg.HeardEvery < 0 || p.heardWithin(k, pk)
}

// fwdNoted reports whether appendForwarding would leave an IPv4 frame from
// MAC key k with source a as it is: a source it does not count, or one its
// cached entry for k holds or no longer counts (the verdict went out).
func (p *Passive) fwdNoted(k uint64, a netip.Addr) bool {
	if !usableIPv4Quick(a) {
		return true
	}
	c := p.fwdSlotOf(k)
	s := c.s
	if s == nil || c.k != k {
		return false // not cached: appendForwarding looks it up (and may add it)
	}
	if s.said {
		return true
	}
	for _, x := range s.addrs[:s.n] {
		if x == a {
			return true
		}
	}
	return false
}

// usableIPv4Quick is usableIPv4(a) && !linkLocal4(a) for an IPv4 a, as
// one word: not 0.0.0.0, multicast, 255.255.255.255 or 169.254/16.
func usableIPv4Quick(a netip.Addr) bool {
	if !a.Is4() {
		return false
	}
	b := a.As4()
	v := binary.BigEndian.Uint32(b[:])
	return v != 0 && v>>28 != 0xe && v != 0xffffffff && v>>16 != 0xa9fe
}

// heardWithin reports whether appendPresence would hold back a sighting of
// MAC key k at pk's time: its cached last sighting is less than HeardEvery
// old and not after it. Both times in nanoseconds (a file's, UTC) answer
// that in a subtraction, where Before and sub were 100 instructions.
func (p *Passive) heardWithin(k uint64, pk *capture.Packet) bool {
	s := p.recentSlot(k)
	if !s.ok || s.k != k {
		return false
	}
	if now := packetNanos(pk); now >= 0 && s.ns >= 0 {
		d := now - s.ns
		return d >= 0 && d < int64(p.cfg.HeardEvery)
	}
	return !pk.Time.Before(s.t) && sub(pk.Time, s.t) < p.cfg.HeardEvery
}
