package discovery

import (
	"bytes"
	"maps"
	"math/rand/v2"
	"net"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"tend/capture"
)

// quietFrame is an Ethernet frame from src over IPv4 (or IPv6) carrying
// protocol proto with a 20-byte header of zeros but TCP's data offset
// (UDP to mDNS's port for 17).
func quietFrame(src []byte, v6 bool, from byte, proto byte) []byte {
	b := append([]byte{0x02, 0, 0, 0, 0, 9}, src...)
	l4 := make([]byte, 20)
	switch proto {
	case 6:
		l4[12] = 5 << 4
	case 17:
		l4[0], l4[1], l4[2], l4[3], l4[5] = 0x14, 0xe9, 0x14, 0xe9, 20
	}
	if v6 {
		b = append(b, 0x86, 0xdd, 0x60, 0, 0, 0, 0, 20, proto, 64)
		b = append(b, netip.MustParseAddr("fe80::1").AsSlice()...)
		b[len(b)-1] = from
		b = append(b, netip.MustParseAddr("2001:db8::1").AsSlice()...)
		return append(b, l4...)
	}
	b = append(b, 0x08, 0x00, 0x45, 0, 0, 40, 0, 1, 0, 0, 57, proto, 0, 0)
	b = append(b, 10, 0, 0, from, 10, 0, 0, 200)
	return append(b, l4...)
}

// passiveState is what of a Passive appendPacket may change.
type passiveState struct {
	heard map[uint64]time.Time
	fwd   map[uint64]fwdSeen
	stats PassiveStats
}

func stateOf(p *Passive) passiveState {
	s := passiveState{heard: maps.Clone(p.heard), fwd: map[uint64]fwdSeen{}, stats: p.stats}
	for k, v := range p.fwd {
		s.fwd[k] = *v
	}
	return s
}

// TestQuietSame replays random frames (TCP, AH, ICMP, mDNS, ICMPv6 over
// IPv4 and IPv6, some cut after the IP header, from unicast, group and the box's own MACs, with a few source
// addresses each and times that jump back and forth) through a Passive
// that takes quiet's short cut and one that always goes the whole way:
// the same observations, throttle, forwarding state and counters, and the
// short cut taken for most frames (it fails without quiet).
func TestQuietSame(t *testing.T) {
	own := net.HardwareAddr{0x02, 0xbb, 0, 0, 0, 1}
	macs := [][]byte{own, {0x01, 0, 0x5e, 0, 0, 1}, {0, 0, 0, 0, 0, 0}}
	for i := range 6 {
		macs = append(macs, []byte{0x00, 0x24, 0x7e, 0xe0, 0x1d, byte(i)})
	}
	d := capture.NewDecoder()
	r := rand.New(rand.NewPCG(3, 14))
	short := NewPassive(PassiveConfig{Own: []net.HardwareAddr{own}, HeardEvery: 5 * time.Second})
	whole := NewPassive(PassiveConfig{Own: []net.HardwareAddr{own}, HeardEvery: 5 * time.Second})
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	quiet, mac := 0, 0
	for i := range 20000 {
		at = at.Add(time.Duration(r.IntN(400)-20) * time.Millisecond)
		if r.IntN(15) == 0 {
			at = at.Add(-time.Duration(r.IntN(12000)) * time.Millisecond) // a capture's times go back now and then
		}
		if r.IntN(5) == 0 {
			mac = r.IntN(len(macs)) // else runs of frames from one sender, as flows come
		}
		ts := at
		if r.IntN(50) == 0 {
			ts = at.Local() // a time that is not UTC: the slow comparison
		}
		f := quietFrame(macs[mac], r.IntN(4) == 0, []byte{1, 2, 3, 4, 0, 255, 224}[r.IntN(7)]+byte(r.IntN(2)), []byte{6, 6, 6, 51, 1, 17, 58}[r.IntN(7)])
		if f[30] == 224 {
			f[30], f[31] = 224, 1 // a multicast source: not counted by forwarding
		}
		if r.IntN(10) == 0 {
			f = f[:len(f)-20] // no transport header: a UDP or ICMPv6 layer that did not decode
		}
		var ns int64
		if ts.Location() == time.UTC && r.IntN(2) == 0 {
			ns = ts.UnixNano() // as a pcap file's reader gives it (capture.Frame.UnixNano)
		}
		pk := d.Decode(capture.Frame{Time: ts, Data: f, Length: len(f), UnixNano: ns})
		if short.quiet(pk) {
			quiet++
		}
		got := short.appendPacket(nil, pk)
		want := whole.appendWhole(nil, pk)
		if len(got)+len(want) > 0 {
			if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
				t.Fatalf("frame %d: observations differ (-whole +short):\n%s", i, diff)
			}
		}
		if sw, ss := stateOf(whole), stateOf(short); !reflect.DeepEqual(sw, ss) {
			t.Fatalf("frame %d: state differs (-whole +short):\n%s", i, cmp.Diff(sw, ss, cmp.AllowUnexported(passiveState{}, fwdSeen{}), cmpopts.EquateComparable(netip.Addr{})))
		}
	}
	if quiet < 10000 {
		t.Errorf("quiet took %d of 20000 frames, want most", quiet)
	}
}

// FuzzQuietSame feeds one arbitrary frame three times (the caches warm
// after the first; the third time goes back by up to a minute) to a
// Passive that takes quiet's short cut and to one that goes the whole way:
// the same observations and state each time.
func FuzzQuietSame(f *testing.F) {
	for _, proto := range []byte{6, 17, 51, 58} {
		for _, v6 := range []bool{false, true} {
			f.Add(quietFrame([]byte{0x00, 0x24, 0x7e, 0xe0, 0x1d, 1}, v6, 7, proto), uint16(500))
		}
	}
	for _, pk := range readCapture(f, "testdata/passive.pcap") {
		f.Add(pk.data, uint16(40000))
	}
	own := net.HardwareAddr{0x02, 0xbb, 0, 0, 0, 1}
	f.Fuzz(func(t *testing.T, b []byte, back uint16) {
		cfg := PassiveConfig{Own: []net.HardwareAddr{own}, HeardEvery: 10 * time.Second}
		short, whole := NewPassive(cfg), NewPassive(cfg)
		d := capture.NewDecoder()
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		for i, ts := range []time.Time{at, at.Add(time.Second), at.Add(time.Second - time.Duration(back)*time.Millisecond)} {
			frame := bytes.Clone(b)
			pk := d.Decode(capture.Frame{Time: ts, Data: frame, Length: len(frame)})
			got := short.appendPacket(nil, pk)
			want := whole.appendWhole(nil, pk)
			if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
				t.Fatalf("feed %d: observations differ (-whole +short):\n%s", i, diff)
			}
			if sw, ss := stateOf(whole), stateOf(short); !reflect.DeepEqual(sw, ss) {
				t.Fatalf("feed %d: state differs (-whole +short):\n%s", i, cmp.Diff(sw, ss, cmp.AllowUnexported(passiveState{}, fwdSeen{}), cmpopts.EquateComparable(netip.Addr{})))
			}
		}
	})
}

// TestPacketNanos checks packetNanos: a pcap reader's UnixNano as given,
// else utcNanos of the packet's time (-1 for a time not in UTC).
func TestPacketNanos(t *testing.T) {
	at := time.Unix(1700000000, 123456789).UTC()
	for _, c := range []struct {
		pk   capture.Packet
		want int64
	}{
		{capture.Packet{Frame: capture.Frame{Time: at, UnixNano: at.UnixNano()}}, at.UnixNano()},
		{capture.Packet{Frame: capture.Frame{Time: at}}, at.UnixNano()},
		{capture.Packet{Frame: capture.Frame{Time: at.In(time.FixedZone("x", 3600))}}, -1},
	} {
		if got := packetNanos(&c.pk); got != c.want {
			t.Errorf("packetNanos(%v, %d) = %d, want %d", c.pk.Time, c.pk.UnixNano, got, c.want)
		}
	}
}
