package storage

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"tend/identity"
	"tend/inventory"
)

// TestDeviceKey checks the hand-made key against the prefix and the MAC's
// own string form, for every length a MAC may have.
func TestDeviceKey(t *testing.T) {
	macs := []inventory.MAC{nil, {}, {0x0a}, {0x00, 0x1b, 0x21, 0xff, 0xa0, 0x9f}, {0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03},
		{0xf0, 0x0f, 0x10, 0x01, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}}
	for _, m := range macs {
		if got, want := deviceKey(m), prefixDevice+m.String(); got != want {
			t.Errorf("deviceKey(%x) = %q, want %q", []byte(m), got, want)
		}
	}
}

// TestDeviceIP checks the index's address reader on records with an
// address, an empty one, none, and a bad one.
func TestDeviceIP(t *testing.T) {
	for _, tc := range []struct {
		rec  string
		want netip.Addr
	}{
		{`{"mac":"00:11:22:33:44:55","ip":"10.0.0.7"}`, netip.MustParseAddr("10.0.0.7")},
		{`{"mac":"00:11:22:33:44:55","ip":"fe80::1"}`, netip.MustParseAddr("fe80::1")},
		{`{"mac":"00:11:22:33:44:55","ip":""}`, netip.Addr{}},
		{`{"mac":"00:11:22:33:44:55"}`, netip.Addr{}},
		{`{"ip":"not an address"}`, netip.Addr{}},
	} {
		if got := deviceIP(tc.rec); got != tc.want {
			t.Errorf("deviceIP(%s) = %v, want %v", tc.rec, got, tc.want)
		}
	}
}

// TestApplyClassifiedAcrossBatches checks that a record Apply wrote is
// folded in a later batch exactly as when it is classified again on loading
// (Store.classified forgotten before every batch), over random sightings of
// a few devices in batches of random sizes, with the hints changing midway.
func TestApplyClassifiedAcrossBatches(t *testing.T) {
	macs := []inventory.MAC{{0x00, 0x1b, 0x63, 0x84, 0x45, 0xe6}, {0x3c, 0x52, 0x82, 0x01, 0x02, 0x03}, {0x00, 0x0c, 0x29, 0xaa, 0xbb, 0xcc}}
	pool := []inventory.Observation{
		{Source: inventory.SourceARPPassive, IP: netip.MustParseAddr("10.0.0.7")},
		{Source: inventory.SourceARPPassive, IP: netip.MustParseAddr("10.0.0.1")},
		{Source: inventory.SourceMDNS, Names: []string{"lobby-printer.local"}, Services: []string{"_ipp._tcp"}},
		{Source: inventory.SourceMDNS, Hostname: "MacBook-Pro"},
		{Source: inventory.SourceNBNS, Hostname: "DESKTOP-4F7GH2K"},
		{Source: inventory.SourceDHCP, DHCPParams: "1,3,6,15,26,28,51,58,59,43", DHCPVendor: "android-dhcp-13"},
		{Source: inventory.SourceLLDP, Capabilities: []string{"wlan-ap"}, Type: inventory.TypeAP},
		{Source: inventory.SourceTraffic},
	}
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	// The gateway's hint arrives between two identical sightings: the
	// second batch must classify the stored record again.
	gw := openMemory(t, Config{LastSeenResolution: time.Nanosecond})
	sighting := inventory.Observation{Source: inventory.SourceARPPassive, MAC: macs[1], IP: netip.MustParseAddr("10.0.0.1"), Time: t0}
	if _, err := gw.Apply(sighting); err != nil {
		t.Fatal(err)
	}
	gw.SetClassifyHints(identity.ClassifyHints{Gateways: []netip.Addr{sighting.IP}})
	sighting.Time = t0.Add(time.Second)
	if _, err := gw.Apply(sighting); err != nil {
		t.Fatal(err)
	}
	if d, err := gw.Device(macs[1]); err != nil || d.Type != inventory.TypeRouter {
		t.Fatalf("the gateway after the hint: %v, %v; want a router", d.Type, err)
	}
	for seed := uint64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewPCG(seed, 8))
		var obs []inventory.Observation
		for i := range 300 {
			o := pool[r.IntN(len(pool))]
			o.MAC = slices.Clone(macs[r.IntN(len(macs))])
			o.Time = t0.Add(time.Duration(i) * time.Second)
			obs = append(obs, o)
		}
		cfg := Config{LastSeenResolution: time.Nanosecond}
		remember, forget := openMemory(t, cfg), openMemory(t, cfg)
		for i := 0; i < len(obs); {
			n := 1 + r.IntN(20)
			if i+n > len(obs) {
				n = len(obs) - i
			}
			if i > len(obs)/2 && i-n <= len(obs)/2 {
				h := identity.ClassifyHints{Gateways: []netip.Addr{netip.MustParseAddr("10.0.0.1")}}
				remember.SetClassifyHints(h)
				forget.SetClassifyHints(h)
			}
			clear(forget.classified)
			if _, err := remember.Apply(obs[i : i+n]...); err != nil {
				t.Fatal(err)
			}
			if _, err := forget.Apply(obs[i : i+n]...); err != nil {
				t.Fatal(err)
			}
			i += n
		}
		got, err := remember.Devices()
		if err != nil {
			t.Fatal(err)
		}
		want, err := forget.Devices()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
			t.Fatalf("seed %d: devices (-classified again +remembered):\n%s", seed, diff)
		}
	}
}

// TestScratchKey checks applyScratch.key against deviceKey for more MACs
// than its slots hold, each asked for twice in turn (slots shared and taken
// over), and for MACs of other lengths, which it does not keep; and that a
// key asked for again is not made again (Apply keys every observation).
func TestScratchKey(t *testing.T) {
	var sc applyScratch
	var macs []inventory.MAC
	for i := range 4 << deviceKeyBits {
		macs = append(macs, inventory.MAC{0x02, 0, byte(i % 7), 0, byte(i >> 8), byte(i)})
	}
	macs = append(macs, inventory.MAC{0x0a}, inventory.MAC{0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03})
	for range 2 {
		for _, m := range macs {
			if got, want := sc.key(m), deviceKey(m); got != want {
				t.Fatalf("key(%x) = %q, want %q", []byte(m), got, want)
			}
		}
	}
	m := macs[0]
	sc.key(m)
	if allocs := testing.AllocsPerRun(100, func() { sc.key(m) }); allocs != 0 {
		t.Errorf("key of the MAC keyed last allocates %v times, want 0", allocs)
	}
}
