package traffic

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"
)

// TestSince checks since against time.Time.Sub: equal for times close
// together, far apart (Sub saturates), zero, in other zones, and with
// monotonic clock readings on one side or both.
func TestSince(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2024, 3, 31, 1, 59, 59, 999_999_999, time.UTC)
	mono := time.Now()
	times := []time.Time{{}, base, base.Add(1), base.Add(-1), base.Local(), time.Unix(0, 0), time.Unix(1<<32, 5),
		time.Unix(-62135596800, 0), time.Date(2262, 4, 11, 23, 47, 16, 0, time.UTC), time.Date(1677, 9, 21, 0, 12, 44, 0, time.UTC),
		time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), mono, mono.Add(time.Hour), mono.Round(0), mono.Add(-3 * time.Second).Round(0), mono.UTC(), mono.Add(2 * time.Second).UTC()}
	for range 2000 {
		times = append(times, base.Add(time.Duration(r.Int64N(int64(400*24*time.Hour)))-200*24*time.Hour))
		times = append(times, time.Unix(r.Int64N(1<<40)-1<<39, r.Int64N(1e9)))
	}
	for i, a := range times {
		for j, b := range times {
			if i > 40 && j > 40 && r.IntN(20) != 0 {
				continue // a sample of the random pairs
			}
			if got, want := since(a, b), a.Sub(b); got != want {
				t.Fatalf("since(%v, %v) = %v, want %v (Sub)", a, b, got, want)
			}
		}
	}
}

// TestIPHash checks ipHash's IPv4 shortcut against the general form over
// the address's 16-byte IPv4-mapped form.
func TestIPHash(t *testing.T) {
	general := func(a netip.Addr) uint64 {
		b := a.As16()
		return mix64(binary.LittleEndian.Uint64(b[8:]) ^ mix64(binary.BigEndian.Uint64(b[:8])))
	}
	r := rand.New(rand.NewPCG(3, 4))
	addrs := []netip.Addr{{}, netip.MustParseAddr("0.0.0.0"), netip.MustParseAddr("255.255.255.255"), netip.MustParseAddr("10.0.0.1"),
		netip.MustParseAddr("::ffff:10.0.0.1"), netip.MustParseAddr("fe80::1"), netip.MustParseAddr("fe80::1%eth0")}
	for range 10000 {
		var b4 [4]byte
		var b16 [16]byte
		binary.LittleEndian.PutUint32(b4[:], r.Uint32())
		binary.LittleEndian.PutUint64(b16[:], r.Uint64())
		binary.LittleEndian.PutUint64(b16[8:], r.Uint64())
		addrs = append(addrs, netip.AddrFrom4(b4), netip.AddrFrom16(b16))
	}
	for _, a := range addrs {
		if got, want := ipHash(a), general(a); got != want {
			t.Fatalf("ipHash(%v) = %#x, want %#x", a, got, want)
		}
		b := a.As16()
		if got, want := newFloodKey(a, fUDP), (floodKey{binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:]), fUDP}); got != want {
			t.Fatalf("newFloodKey(%v) = %#x, want %#x", a, got, want)
		}
	}
}

// TestDecayStep checks that decay's step x -= spikeAlpha*x is bit for bit
// the EWMA step with a zero sample, x += spikeAlpha*(0-x), over normal,
// subnormal and special values.
func TestDecayStep(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	xs := []float64{0, math.Copysign(0, -1), 1, -1, math.MaxFloat64, math.SmallestNonzeroFloat64, 0x1p-1022, math.Inf(1), math.Inf(-1)}
	for range 200000 {
		xs = append(xs, math.Float64frombits(r.Uint64()), r.Float64()*1e9, r.ExpFloat64())
	}
	for _, x := range xs {
		got, want := x, x
		got -= spikeAlpha * got
		want += spikeAlpha * (0 - want)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("step of %v: %v, want %v", x, got, want)
		}
	}
}

// TestMacKeyUnicast: macKey and unicast, read as two loads each, answer as
// the byte-by-byte forms do, for every position of every bit.
func TestMacKeyUnicast(t *testing.T) {
	ms := []mac{{}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {1, 0, 0x5e, 0, 0, 1}, {0x3c, 0x52, 0x82, 0, 1, 7}}
	for i := range 48 {
		var m mac
		m[i/8] = 1 << (i % 8)
		ms = append(ms, m)
	}
	for _, m := range ms {
		want := uint64(m[0])<<40 | uint64(m[1])<<32 | uint64(m[2])<<24 | uint64(m[3])<<16 | uint64(m[4])<<8 | uint64(m[5])
		if got := macKey(m); got != want {
			t.Errorf("macKey(%x) = %#x, want %#x", m, got, want)
		}
		if got, want := unicast(m), m != (mac{}) && m[0]&1 == 0; got != want {
			t.Errorf("unicast(%x) = %v, want %v", m, got, want)
		}
	}
}
