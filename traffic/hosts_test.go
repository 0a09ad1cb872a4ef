package traffic

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"tend/inventory"
)

// TestLocal: local's byte tests give netip's answer for every first two
// bytes of an IPv4 address, and for IPv6 and IPv4-mapped ones.
func TestLocal(t *testing.T) {
	ref := func(ip netip.Addr) bool {
		return ip.IsPrivate() || ip.IsLinkLocalUnicast() || sharedSpace.Contains(ip)
	}
	for a := range 256 {
		for b := range 256 {
			for _, ip := range []netip.Addr{netip.AddrFrom4([4]byte{byte(a), byte(b), 7, 9}), netip.AddrFrom16(netip.AddrFrom4([4]byte{byte(a), byte(b), 0, 1}).As16()),
				netip.AddrFrom16([16]byte{0: byte(a), 1: byte(b), 15: 1}), netip.AddrFrom16([16]byte{0: byte(a), 1: byte(b), 15: 1}).WithZone("eth0")} {
				if got, want := local(ip), ref(ip); got != want {
					t.Errorf("local(%s) = %v, want %v", ip, got, want)
				}
			}
		}
	}
	for _, s := range []string{"fd00::1", "fc12::1", "fe80::1", "fe80::1%eth0", "febf::1", "fec0::1", "2001:db8::1", "::", "::1"} {
		ip := netip.MustParseAddr(s)
		if got, want := local(ip), ref(ip); got != want {
			t.Errorf("local(%s) = %v, want %v", ip, got, want)
		}
	}
	if local(netip.Addr{}) {
		t.Error("local(zero Addr) = true")
	}
}

// TestMulticast: multicast and a flood key's multicast (floodKey.multicast,
// from newFloodKey's words) give netip's IsMulticast for every first byte
// of an IPv4, IPv4-mapped and IPv6 address (zoned or not), the zero Addr
// and addresses whose other bytes look like a group's.
func TestMulticast(t *testing.T) {
	var addrs []netip.Addr
	for a := range 256 {
		v4 := netip.AddrFrom4([4]byte{byte(a), 1, 2, 3})
		v6 := netip.AddrFrom16([16]byte{0: byte(a), 12: 0xe0, 15: 1})
		addrs = append(addrs, v4, netip.AddrFrom16(v4.As16()), v6, v6.WithZone("eth0"), netip.AddrFrom4([4]byte{1, 2, 3, byte(a)}),
			netip.AddrFrom16([16]byte{10: 0xff, 11: 0xff, 12: byte(a)}), netip.AddrFrom16([16]byte{1: byte(a), 10: 0xff, 11: 0xff, 12: 0xe0}))
	}
	addrs = append(addrs, netip.Addr{}, netip.MustParseAddr("::"), netip.MustParseAddr("ff02::1%eth0"), netip.MustParseAddr("::ffff:239.1.1.1%x"))
	for _, a := range addrs {
		want := a.IsMulticast()
		if got := multicast(a); got != want {
			t.Errorf("multicast(%s) = %v, want %v", a, got, want)
		}
		if got := newFloodKey(a, fUDP).multicast(); got != want {
			t.Errorf("newFloodKey(%s).multicast() = %v, want %v", a, got, want)
		}
	}
}

// floodHosts sends n frames as macof does: each from an invented MAC and
// a public address to another invented MAC, at 1 ms apart from at.
func floodHosts(t *testing.T, r *rig, at time.Time, n int) {
	for i := range n {
		src := netHW{0x02, 0xaa, 0, 0, byte(i >> 8), byte(i)}
		dst := netHW{0x02, 0xbb, 0, 0, byte(i >> 8), byte(i)}
		r.feed(at.Add(time.Duration(i)*time.Millisecond), tcpFrame(t, src, "198.51.100.7", 40000, dst, "203.0.113.9", 80, tcpFlags{syn: true}, nil))
	}
}

// checkHostTable fails unless e.hosts, e.order and the cache agree: every
// cached or ordered host is the one the table holds for its MAC.
func checkHostTable(t *testing.T, e *Engine) {
	t.Helper()
	if len(e.order) != len(e.hosts) {
		t.Fatalf("order holds %d hosts, the table %d", len(e.order), len(e.hosts))
	}
	for _, h := range e.order {
		if e.hosts[macKey(h.mac)] != h {
			t.Fatalf("order holds %s, not in the table", macString(h.mac))
		}
	}
	for _, h := range e.hostCache {
		if h != nil && e.hosts[macKey(h.mac)] != h {
			t.Fatalf("cache holds %s, evicted", macString(h.mac))
		}
	}
}

func tracked(e *Engine, m netHW) bool {
	for _, h := range e.Hosts() {
		if h.MAC.String() == m.String() {
			return true
		}
	}
	return false
}

// TestFloodDoesNotBlind: after a MAC flood fills the host table, its
// invented MACs are let go once silent, and a device that joins later is
// tracked (without eviction it stayed in HostsUntracked for good).
func TestFloodDoesNotBlind(t *testing.T) {
	r := newRig(t, Config{MaxHosts: 200})
	r.baseline(t0, time.Minute)
	floodHosts(t, r, t0.Add(2*time.Minute), 1000)
	if c := r.e.Counters(); c.Hosts != 200 || c.HostsUntracked == 0 {
		t.Fatalf("the flood did not fill the table: %+v", c)
	}
	checkHostTable(t, r.e)
	late := hw("3c:52:82:00:09:01")
	at := t0.Add(5 * time.Minute)
	for i := range 3 {
		r.feed(at.Add(time.Duration(i)*time.Second), pingFrame(t, late, "10.0.0.77", gwMAC, "10.0.0.1", 64))
	}
	if !tracked(r.e, late) {
		t.Fatalf("a device joining after the flood is not tracked: %+v", r.e.Counters())
	}
	c := r.e.Counters()
	if c.HostsEvicted < 190 || c.Hosts > 20 {
		t.Errorf("flood hosts not evicted: %+v", c)
	}
	checkHostTable(t, r.e)
	// An evicted MAC that sends again is a new host, not a stale pointer.
	floodHosts(t, r, at.Add(time.Minute), 5)
	checkHostTable(t, r.e)
	if !tracked(r.e, netHW{0x02, 0xaa, 0, 0, 0, 4}) {
		t.Error("an evicted MAC sending again is not tracked")
	}
}

// TestEvictKeepsRealHosts: eviction drops only the MACs of a frame or two
// with no address: a busy host, a host with an address and one that
// claimed an address in ARP stay however long they are silent.
func TestEvictKeepsRealHosts(t *testing.T) {
	r := newRig(t, Config{MaxHosts: 200})
	r.baseline(t0, time.Minute) // pc, server and gateway, busy with addresses
	quiet, claimer := hw("3c:52:82:00:09:02"), hw("3c:52:82:00:09:03")
	r.feed(t0.Add(time.Minute), pingFrame(t, quiet, "10.0.0.78", gwMAC, "10.0.0.1", 64))
	r.feed(t0.Add(time.Minute), arpFrame(t, 1, claimer, "10.0.0.79", nil, "10.0.0.1"))
	before := len(r.e.Hosts())
	floodHosts(t, r, t0.Add(2*time.Minute), 1000)
	for m := range 30 {
		r.e.Tick(t0.Add(time.Duration(3+m) * time.Minute))
	}
	if c := r.e.Counters(); c.HostsEvicted == 0 || c.Hosts != before {
		t.Errorf("%d hosts before the flood, %+v after", before, c)
	}
	for _, m := range []netHW{pcMAC, nasMAC, gwMAC, quiet, claimer} {
		if !tracked(r.e, m) {
			t.Errorf("%s evicted", m)
		}
	}
	checkHostTable(t, r.e)
}

// TestLongFloodOneIncident: a MAC flood that goes on for minutes keeps
// refilling the evicted slots; it stays one mac_flood and its invented
// MACs are never announced as new devices, while a device that joins once
// it stops is.
func TestLongFloodOneIncident(t *testing.T) {
	heavyUnderRace(t)
	r := newRig(t, Config{Learning: time.Second, LearnPackets: -1})
	r.baseline(t0, time.Minute)
	frame := tcpFrame(t, hw("02:aa:00:00:00:00"), "198.51.100.7", 40000, hw("02:bb:00:00:00:00"), "203.0.113.9", 80, tcpFlags{syn: true}, nil)
	at := t0.Add(2 * time.Minute)
	for i := range 240000 { // 1,000 a second for 4 minutes
		f := slices.Clone(frame)
		f[3], f[4], f[5], f[9], f[10], f[11] = byte(i>>16), byte(i>>8), byte(i), byte(i>>16), byte(i>>8), byte(i)
		r.feed(at.Add(time.Duration(i)*time.Millisecond), f)
	}
	late := hw("3c:52:82:00:09:01")
	for i := range 3 {
		r.feed(at.Add(5*time.Minute+time.Duration(i)*time.Second), pingFrame(t, late, "10.0.0.77", gwMAC, "10.0.0.1", 64))
	}
	r.e.Tick(at.Add(6 * time.Minute))
	if n := len(r.of(inventory.EventMACFlood)); n != 1 {
		t.Errorf("%d mac_flood events, want 1", n)
	}
	if nd := r.of(inventory.EventNewDevice); len(nd) != 1 || nd[0].IP != netip.MustParseAddr("10.0.0.77") {
		t.Errorf("new devices %+v, want only 10.0.0.77", nd)
	}
	if c := r.e.Counters(); !tracked(r.e, late) || c.HostsEvicted < 4096 {
		t.Errorf("late device tracked %v, %+v", tracked(r.e, late), c)
	}
	checkHostTable(t, r.e)
}

// TestAddPeerSpaceSaving checks addPeer, with its guess of the last slot
// and its count of filled ones, against the plain space-saving scan over
// all eight: the same slots, addresses and counts after every frame.
func TestAddPeerSpaceSaving(t *testing.T) {
	ref := func(peers *[topPeers]peer, ip netip.Addr, n uint64) {
		minI := 0
		for i := range peers {
			pe := &peers[i]
			if pe.ip == ip {
				pe.bytes += n
				return
			}
			if !pe.ip.IsValid() {
				pe.ip, pe.bytes = ip, n
				return
			}
			if pe.bytes < peers[minI].bytes {
				minI = i
			}
		}
		peers[minI].ip = ip
		peers[minI].bytes += n
	}
	r := rand.New(rand.NewPCG(15, 4))
	for _, pool := range []int{3, 8, 9, 40} {
		var h host
		var want [topPeers]peer
		for i := range 20000 {
			ip := netip.AddrFrom4([4]byte{10, 0, 0, byte(r.IntN(pool))})
			if r.IntN(4) == 0 {
				ip = netip.AddrFrom16([16]byte{0xfe, 0x80, 15: byte(r.IntN(pool))})
			}
			n := uint64(r.IntN(1500) + 1)
			h.addPeer(ip, n, mac{}, false)
			ref(&want, ip, n)
			if h.peers != want {
				t.Fatalf("pool %d frame %d: peers %v, want %v", pool, i, h.peers, want)
			}
		}
	}
}

// TestByteHits checks byteHits, addPeerScan's filter of its slots' tags,
// against a plain scan of the eight bytes: words of random bytes, and of
// bytes each one away from b (the borrows of the zero-byte test). Every
// byte that is b has its bit, the lowest bit is one that is b, and none is
// set without one.
func TestByteHits(t *testing.T) {
	r := rand.New(rand.NewPCG(36, 2))
	for range 200000 {
		b := uint8(r.IntN(256))
		var w [8]byte
		for i := range w {
			switch r.IntN(3) {
			case 0:
				w[i] = uint8(r.IntN(256))
			case 1:
				w[i] = b + 1
			default:
				w[i] = b - 1
			}
		}
		if r.IntN(4) == 0 {
			w[r.IntN(8)] = b
		}
		hits := byteHits(binary.LittleEndian.Uint64(w[:]), b)
		first := bytes.IndexByte(w[:], b)
		if first < 0 && hits != 0 || first >= 0 && bits.TrailingZeros64(hits)>>3 != first {
			t.Fatalf("byteHits(% x, %#x) = %#x: lowest hit is not byte %d", w, b, hits, first)
		}
		for i, c := range w {
			if c == b && hits&(0x80<<(8*i)) == 0 {
				t.Fatalf("byteHits(% x, %#x) = %#x misses byte %d", w, b, hits, i)
			}
		}
	}
}

// TestLeastPeer checks leastPeer against the loop it writes out: the
// first slot with the fewest bytes, ties included.
func TestLeastPeer(t *testing.T) {
	r := rand.New(rand.NewPCG(36, 3))
	for range 20000 {
		var p [topPeers]peer
		for i := range p {
			p[i].bytes = uint64(r.IntN(4))
		}
		wantI := 0
		for i := range p {
			if p[i].bytes < p[wantI].bytes {
				wantI = i
			}
		}
		if i, least := leastPeer(&p); i != wantI || least != p[wantI].bytes {
			t.Fatalf("leastPeer(%v) = %d, %d, want %d", p, i, least, wantI)
		}
	}
}
