package identity

import (
	"math/rand/v2"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"tend/inventory"
)

// TestFoldClassifiedSameAsFoldWith: folding sighting after sighting of one
// device with FoldClassified (after a first FoldWith) leaves the very record
// and change reports that FoldWith on every sighting leaves, whatever the
// sightings add (names, services, addresses, a sensor's type) and in
// whatever order their times come.
func TestFoldClassifiedSameAsFoldWith(t *testing.T) {
	mac, _ := inventory.ParseMAC("00:1b:63:84:45:e6")
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	h := ClassifyHints{Gateways: []netip.Addr{netip.MustParseAddr("10.0.0.1")}}
	pool := []inventory.Observation{
		{Source: inventory.SourceARPPassive, IP: netip.MustParseAddr("10.0.0.7")},
		{Source: inventory.SourceARPPassive, IP: netip.MustParseAddr("10.0.0.1")},
		{Source: inventory.SourceMDNS, Names: []string{"lobby-printer.local"}, Services: []string{"_ipp._tcp"}},
		{Source: inventory.SourceMDNS, Hostname: "MacBook-Pro"},
		{Source: inventory.SourceNBNS, Hostname: "DESKTOP-4F7GH2K"},
		{Source: inventory.SourceDHCP, DHCPParams: "1,3,6,15,26,28,51,58,59,43", DHCPVendor: "android-dhcp-13"},
		{Source: inventory.SourceLLDP, Capabilities: []string{"wlan-ap"}, Type: inventory.TypeAP},
		{Source: inventory.SourceARPPassive, Vendor: "Apple, Inc."},
		{Source: inventory.SourceARPPassive},
	}
	for seed := uint64(1); seed <= 50; seed++ {
		r := rand.New(rand.NewPCG(seed, 14))
		var every, skip inventory.Device
		for i := range 40 {
			o := pool[r.IntN(len(pool))]
			o.MAC = mac
			o.Time = t0.Add(time.Duration(r.IntN(600)-60) * time.Second)
			want := FoldWith(&every, o, h)
			fold := FoldClassified
			if i == 0 {
				fold = FoldWith
			}
			if got := fold(&skip, o, h); got != want {
				t.Fatalf("seed %d sighting %d (%+v): changed %v, FoldWith says %v", seed, i, o, got, want)
			}
			if !reflect.DeepEqual(every, skip) {
				t.Fatalf("seed %d sighting %d (%+v):\n got %+v\nwant %+v", seed, i, o, skip, every)
			}
		}
	}
}
