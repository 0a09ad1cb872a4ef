package traffic

import (
	"math/rand/v2"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket/layers"
)

// TestGlobal4 checks global4 against netip's IsGlobalUnicast on every
// first two bytes (with the last two zero, one and 255) and on random
// addresses.
func TestGlobal4(t *testing.T) {
	check := func(b [4]byte) {
		a := netip.AddrFrom4(b)
		if got, want := global4(a), a.IsGlobalUnicast(); got != want {
			t.Fatalf("global4(%s) = %v, IsGlobalUnicast %v", a, got, want)
		}
	}
	for hi := range 1 << 16 {
		for _, lo := range []byte{0, 1, 255} {
			check([4]byte{byte(hi >> 8), byte(hi), lo, lo})
		}
	}
	r := rand.New(rand.NewPCG(3, 5))
	for range 100000 {
		check([4]byte{byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32())})
	}
}

// TestGatewayBindingFollowsARP replays ARP replies under a small pool of
// addresses (the gateway's and the DHCP router's among them) from a few
// MACs into a table small enough to evict, moving the DHCP router now and
// then, and checks gatewayBinding's kept answer against the ARP map after
// every frame: new bindings, evictions and a router change all void it.
func TestGatewayBindingFollowsARP(t *testing.T) {
	for _, gw := range []string{"10.0.0.1", ""} {
		cfg := Config{MaxHosts: 3}
		if gw != "" {
			cfg.Gateway = netip.MustParseAddr(gw)
		}
		r := newRig(t, cfg)
		pool := []string{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8", "10.0.0.9"}
		macs := []net.HardwareAddr{gwMAC, pcMAC, nasMAC, evilMAC, hw("00:11:22:33:44:55"), hw("00:11:22:33:44:66")}
		rnd := rand.New(rand.NewPCG(7, uint64(len(gw))))
		at := t0
		hits := 0
		for i := range 3000 {
			at = at.Add(time.Duration(rnd.IntN(200)) * time.Second) // bindings go stale, so evictions take either pass
			if rnd.IntN(50) == 0 {
				r.e.dhcp.router = netip.MustParseAddr(pool[rnd.IntN(3)])
			}
			ip := pool[rnd.IntN(len(pool))]
			r.feed(at, arpFrame(t, layers.ARPReply, macs[rnd.IntN(len(macs))], ip, pcMAC, "10.0.0.10"))
			var want *binding
			for _, a := range [2]netip.Addr{r.e.gateway, r.e.dhcp.router} {
				if b := r.e.arp[a]; a.IsValid() && b != nil {
					want = b
					break
				}
			}
			got := r.e.gatewayBinding(r.e.gateway, r.e.dhcp.router)
			if got != want {
				t.Fatalf("gateway %q, frame %d: kept binding %p, the ARP map's %p", gw, i, got, want)
			}
			if want != nil {
				if m, ok := r.e.gatewayMAC(); !ok || m != want.mac {
					t.Fatalf("gateway %q, frame %d: gatewayMAC %v %v, want %v", gw, i, m, ok, want.mac)
				}
				hits++
			}
		}
		if r.e.counters.BindingsEvicted == 0 || hits == 0 {
			t.Fatalf("gateway %q: %d evictions, %d frames with a gateway binding: the replay did not exercise the cache", gw, r.e.counters.BindingsEvicted, hits)
		}
	}
}
