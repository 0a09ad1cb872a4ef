package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestBindingTablesBounded: a flood of random ARP and neighbour bindings
// (random MACs claiming random addresses, as arpspoof or flood_advertise6
// under random addresses send) after an office's baseline keeps both tables
// within 2×MaxHosts after every frame, counts what it pushed out, never
// pushes out the gateway's binding, and leaves room for a device joining
// afterwards, whose conflict with the gateway is still seen.
func TestBindingTablesBounded(t *testing.T) {
	r := newRig(t, Config{MaxHosts: 100, Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, time.Minute)
	gw6 := "fe80::21a:a1ff:fe00:1"
	r.feed(at, icmp6Frame(t, gwMAC, gw6, pcMAC, "fe80::2", 136, naBody(true, true, gw6, gwMAC)))
	limit := 2 * r.e.cfg.MaxHosts
	for i := range 5000 {
		m := net.HardwareAddr{0x02, 0xf1, 0, byte(i >> 16), byte(i >> 8), byte(i)}
		at = at.Add(time.Millisecond)
		r.feed(at, arpFrame(t, layers.ARPReply, m, fmt.Sprintf("10.%d.%d.%d", 1+i>>16, byte(i>>8), byte(i)), pcMAC, "10.0.0.10"))
		v6 := fmt.Sprintf("fd00::%x", i+1)
		r.feed(at, icmp6Frame(t, m, v6, pcMAC, "fe80::2", 136, naBody(false, true, v6, m)))
		if len(r.e.arp) > limit || len(r.e.nd) > limit {
			t.Fatalf("after %d forged bindings: arp %d nd %d bindings, cap %d", i+1, len(r.e.arp), len(r.e.nd), limit)
		}
	}
	c := r.e.Counters()
	if c.BindingsEvicted < 2*(5000-uint64(limit)) {
		t.Errorf("bindings evicted %d, want at least %d: %+v", c.BindingsEvicted, 2*(5000-limit), c)
	}
	if b := r.e.arp[netip.MustParseAddr("10.0.0.1")]; b == nil || b.mac != mac(gwMAC) {
		t.Fatalf("the gateway's ARP binding was evicted: %+v", b)
	}
	if b := r.e.nd[netip.MustParseAddr(gw6)]; b == nil || b.mac != mac(gwMAC) {
		t.Fatalf("the gateway's neighbour binding was evicted: %+v", b)
	}
	late := hw("3c:52:82:00:09:01")
	at = at.Add(time.Second)
	r.feed(at, arpFrame(t, layers.ARPRequest, late, "10.0.0.77", nil, "10.0.0.1"))
	if b := r.e.arp[netip.MustParseAddr("10.0.0.77")]; b == nil || b.mac != mac(late) {
		t.Fatalf("a device joining after the flood has no binding: %+v", b)
	}
	r.reset()
	for i := range 6 {
		r.feed(at.Add(time.Duration(i)*2*time.Second), arpFrame(t, layers.ARPReply, late, "10.0.0.1", pcMAC, "10.0.0.10"))
	}
	wantOne(t, r, inventory.EventARPSpoof, late.String(), "")
}

// FuzzBindingTables: any sequence of ARP and neighbour claims (address,
// MAC, time) keeps both tables within their caps, the gateway's binding
// where it was, and the counters consistent with the tables' sizes.
func FuzzBindingTables(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte("\x01\xff\xff\x07\x00\x01\x00\x01\x80\x00\x02\x05"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e := New(Config{MaxHosts: 4, Gateway: netip.MustParseAddr("10.0.0.1"), ConflictWindow: time.Second}, nil)
		gw := mac{0x00, 0x1a, 0xa1, 0, 0, 1}
		now := t0
		e.claim(now, e.cfg.Gateway, gw, false, false)
		for len(b) >= 4 {
			op, hi, lo, m := b[0], b[1], b[2], mac{0x02, 0, 0, 0, 0, b[3]}
			b = b[4:]
			now = now.Add(time.Duration(op>>2) * 100 * time.Millisecond)
			if op&1 == 0 {
				e.claim(now, netip.AddrFrom4([4]byte{10, 0, hi, lo}), m, op&2 != 0, op&2 != 0)
			} else {
				e.ndClaim(now, netip.AddrFrom16([16]byte{0xfe, 0x80, 14: hi, 15: lo}), m, op&2 != 0)
			}
			if len(e.arp) > 2*e.cfg.MaxHosts || len(e.nd) > 2*e.cfg.MaxHosts {
				t.Fatalf("tables past their cap %d: arp %d nd %d", 2*e.cfg.MaxHosts, len(e.arp), len(e.nd))
			}
			if g := e.arp[e.cfg.Gateway]; g == nil {
				t.Fatal("the gateway's binding was evicted")
			}
		}
	})
}
