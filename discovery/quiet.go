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
//
// The layers are told apart by one switch on their bits, the MAC key is
// two loads, both caches are read at one index and the box's own MACs
// are looked for only when the caches do not answer (a frame of its own
// is quiet either way): 80 fewer instructions a frame than testing each in turn through
// helpers (the corpus mix's quiet frames from ~200 to ~120).
func (p *Passive) quiet(pk *capture.Packet) bool {
	has := pk.Has
	var proto uint8
	switch has & (capture.HasEthernet | capture.HasARP | capture.HasUDP | capture.HasICMPv6 | capture.HasIPv4) {
	case capture.HasEthernet | capture.HasIPv4: // frameOf's order: IPv4 first
		proto = uint8(pk.IPv4.Protocol)
	case capture.HasEthernet:
		if has&capture.HasIPv6 == 0 {
			return false
		}
		proto = uint8(pk.IPv6.NextHeader)
	default:
		return false
	}
	if proto == 17 || proto == 58 || len(pk.Data) < 12 {
		return false // a datagram or ND message whose layer did not decode: the whole way
	}
	src := pk.Eth.SrcMAC
	if len(src) != 6 {
		return true // not unicastMAC: nothing sees it
	}
	k := uint64(binary.BigEndian.Uint32(src))<<16 | uint64(binary.BigEndian.Uint16(src[4:])) // macKey(src)
	if k == 0 || k&(1<<40) != 0 {
		return true // nothing sees a group or zero source
	}
	i := (k * 0x9e3779b97f4a7c15) >> (64 - recentBits) // recentSlot's and fwdSlotOf's index
	if has&capture.HasIPv4 != 0 {
		if a := pk.SrcIP(); usableIPv4Quick(pk.IPv4.SrcIP) {
			// A slot whose key is k (never 0) holds a fwdSeen; absent, appendForwarding looks it up (and may add it).
			if c := &p.fwdRecent[i]; c.k != k || !c.s.noted(a) {
				return p.own(pk.Data[6:12])
			}
		}
	}
	if p.cfg.HeardEvery < 0 {
		return true
	}
	s := &p.recent[i]
	if s.k != k || !s.ok {
		return p.own(pk.Data[6:12])
	}
	now := pk.UnixNano
	if now <= 0 {
		now = utcNanos(pk.Time)
	}
	if now >= 0 && s.ns >= 0 {
		if d := now - s.ns; d >= 0 && d < int64(p.cfg.HeardEvery) {
			return true
		}
	} else if !pk.Time.Before(s.t) && sub(pk.Time, s.t) < p.cfg.HeardEvery {
		return true
	}
	return p.own(pk.Data[6:12])
}

// own reports whether src is one of the box's own MACs.
func (p *Passive) own(src []byte) bool {
	for _, own := range p.cfg.Own {
		if slices.Equal(own, src) {
			return true
		}
	}
	return false
}

// noted reports whether appendForwarding would leave s as it is for an
// IPv4 source a it counts: one s holds, or any once the verdict went out.
func (s *fwdSeen) noted(a netip.Addr) bool {
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

// usableIPv4Quick is usableIPv4(a) && !linkLocal4(a) for the IPv4 a whose
// bytes are b (the IPv4 layer's source, which SrcIP made a of), as one
// word: not 0.0.0.0, multicast, 255.255.255.255 or 169.254/16. From the
// bytes, not the Addr: As4's panics put it over the inlining budget, and
// the call was 0.4 % of a replay's instructions (cachegrind, corpus mix).
func usableIPv4Quick(b []byte) bool {
	if len(b) != 4 {
		return false
	}
	v := binary.BigEndian.Uint32(b)
	return v != 0 && v>>28 != 0xe && v != 0xffffffff && v>>16 != 0xa9fe
}
