package traffic

import (
	"maps"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// TestSweptLast drives sweepProbe with random probes from a few sources
// to a few targets over a clock that moves by random steps, and checks
// that whenever sweptLast says a probe would leave its source's tracker as
// it is, the probe does: no field of the tracker changes and no event is
// raised. It also checks that sweptLast says so at all, for a target
// probed twice in a row.
func TestSweptLast(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2))
	events := 0
	e := New(Config{SweepHosts: 4, LearnPackets: -1}, func(inventory.Event) { events++ })
	srcs := []mac{{2, 0, 0, 0, 0, 1}, {2, 0, 0, 0, 0, 2}, {2, 0, 0, 0, 0, 3}}
	var targets []netip.Addr
	for i := range 6 {
		targets = append(targets, netip.AddrFrom4([4]byte{10, 0, 0, byte(10 + i)}))
	}
	clock, skipped := time.Unix(1_700_000_000, 0).UTC(), 0
	for range 20000 {
		clock = clock.Add(time.Duration(r.Int64N(int64(3 * time.Second))))
		e.now, e.clock = clock, e.nanos(clock)
		src, target := srcs[r.IntN(len(srcs))], targets[r.IntN(len(targets))]
		if r.IntN(3) == 0 {
			target = e.sweepHitLast(src, target)
		}
		srcIP := netip.AddrFrom4([4]byte{10, 0, 1, src[5]})
		if !e.sweptLast(src, target) {
			e.sweepProbe(src, srcIP, target, "TCP")
			continue
		}
		skipped++
		tr := e.sweeps[macKey(src)]
		before, hosts, kinds, n := *tr, maps.Clone(tr.hosts), maps.Clone(tr.kinds), events
		e.sweepProbe(src, srcIP, target, "TCP")
		if tr.start != before.start || tr.srcIP != before.srcIP || tr.last != before.last || tr.done != before.done ||
			tr.router != before.router || !maps.Equal(tr.hosts, hosts) || !maps.Equal(tr.kinds, kinds) || events != n {
			t.Fatalf("sweepProbe(%v, %s) changed a tracker sweptLast said it would leave as it is", src, target)
		}
	}
	if skipped == 0 || events == 0 {
		t.Fatalf("%d probes skipped, %d sweeps raised: the test exercised nothing", skipped, events)
	}
}

// sweepHitLast is the target src's tracker counted last when the tracker
// looked up last is src's, else target: a probe of it is one sweptLast may
// skip.
func (e *Engine) sweepHitLast(src mac, target netip.Addr) netip.Addr {
	if tr := e.sweepHit.tr; tr != nil && e.sweepHit.k == macKey(src) && tr.last.IsValid() {
		return tr.last
	}
	return target
}

// TestSilentFilter makes and looks up silent slots for random pairs,
// more than silentRefilter times the filter's rebuild, and checks the
// filter against the tags: every slot's tag may be held (mayHold), and a
// lookup without creating finds the slot a full scan of the set finds.
func TestSilentFilter(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 1))
	e := New(Config{}, func(inventory.Event) {})
	e.silent = &silentTable{}
	var keys []portKey
	for i := range 3000 {
		keys = append(keys, newPortKey(mac{2, 0, 0, 0, byte(i >> 8), byte(i)}, netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})))
	}
	srcIP := netip.AddrFrom4([4]byte{192, 0, 2, 1})
	for i := range 40000 {
		k := keys[r.IntN(len(keys))]
		h := silentHash(k, srcIP)
		if r.IntN(4) == 0 {
			e.silentSlot(k, srcIP, h, true, int64(i))
			continue
		}
		var want *silentScan
		set, tags := &e.silent.set[h>>(64-silentSetBits)], &e.silent.tags[h>>(64-silentSetBits)]
		for j, g := range tags {
			if g == h|1 && set[j].k == k && set[j].srcIP == srcIP {
				want = &set[j]
			}
		}
		if got := e.silentSlot(k, srcIP, h, false, int64(i)); got != want {
			t.Fatalf("silentSlot found %p, the set holds %p", got, want)
		}
	}
	for i := range e.silent.tags {
		for _, g := range e.silent.tags[i] {
			if g != 0 && !e.silent.mayHold(g) {
				t.Fatalf("the filter has no bit for the tag %#x", g)
			}
		}
	}
}

// TestWords6 checks words6 against the address's 16 bytes, zones dropped,
// and the zero Addr's zeros.
func TestWords6(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	addrs := []netip.Addr{{}, netip.MustParseAddr("::"), netip.MustParseAddr("fe80::1%eth0"), netip.MustParseAddr("::ffff:10.0.0.1"), netip.MustParseAddr("ff02::1")}
	for range 1000 {
		var b [16]byte
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		addrs = append(addrs, netip.AddrFrom16(b))
	}
	for _, a := range addrs {
		b := a.As16()
		var hi, lo uint64
		for i := range 8 {
			hi, lo = hi<<8|uint64(b[i]), lo<<8|uint64(b[8+i])
		}
		if gotHi, gotLo := words6(a); gotHi != hi || gotLo != lo {
			t.Fatalf("words6(%s) = %#x, %#x, want %#x, %#x", a, gotHi, gotLo, hi, lo)
		}
	}
}

// TestPairMemo sets pair hashes for random segments, runs of the same
// source MAC and target among them, and checks each against the hashes
// made anew, and the source's memo floodCount reads.
func TestPairMemo(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 7))
	e := New(Config{}, func(inventory.Event) {})
	macs := []mac{{}, {2, 0, 0, 0, 0, 1}, {2, 0, 0, 0, 0, 2}}
	addrs := []netip.Addr{{}, netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2"), netip.MustParseAddr("::"), netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("::ffff:10.0.0.1")}
	for range 5000 {
		src, srcIP, dstIP := macs[r.IntN(len(macs))], addrs[r.IntN(len(addrs))], addrs[r.IntN(len(addrs))]
		var ph pairHash
		ph.set(src, srcIP, dstIP, e)
		want := pairHash{newPortKey(src, dstIP), mix64(macKey(src)), ipHash(srcIP), ipHash(dstIP)}
		if ph != want || e.ihMemo != (ipHashMemo{srcIP, want.src}) {
			t.Fatalf("set(%v, %s, %s) = %+v, want %+v", src, srcIP, dstIP, ph, want)
		}
	}
}

// TestProbeless checks probeless against the cases of probe's switch and
// refusalOf's: over every next header and the layer bits, a packet
// probeless is one neither reads (no TCP, UDP or ICMPv4 layer, no IPv4
// layer, no IPv6 fragment, no SCTP payload).
func TestProbeless(t *testing.T) {
	bits := []capture.Has{capture.HasTCP, capture.HasUDP, capture.HasICMPv4, capture.HasIPv4, capture.HasICMPv6}
	payload := make([]byte, 20)
	for nh := range 256 {
		for mask := range 1 << len(bits) {
			p := &capture.Packet{}
			p.Has = capture.HasEthernet | capture.HasIPv6
			for i, b := range bits {
				if mask&(1<<i) != 0 {
					p.Has |= b
				}
			}
			p.IPv6.NextHeader = layers.IPProtocol(nh)
			p.IPv6.Payload = payload
			read := p.Has&(capture.HasTCP|capture.HasUDP|capture.HasICMPv4|capture.HasIPv4) != 0 ||
				p.IPv6.NextHeader == layers.IPProtocolIPv6Fragment || sctpPayload(p) != nil
			if probeless(p) == read {
				t.Fatalf("probeless = %v for layers %b, next header %d", !read, p.Has, nh)
			}
		}
	}
}
