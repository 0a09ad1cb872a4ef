package identity

import (
	"fmt"
	"testing"
	"time"

	"tend/inventory"
)

// TestResolveKnownDoesNotAllocate holds ResolveIn to no allocation for a
// MAC resolved before, with a name and other names: the MAC's string comes
// from Fuser.macs and the names are walked in place (a replay resolves
// every observation it folds).
func TestResolveKnownDoesNotAllocate(t *testing.T) {
	f := NewFuser()
	m, err := inventory.ParseMAC("00:11:22:33:44:55")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"printer.local"}
	obs := func() inventory.Observation {
		return inventory.Observation{MAC: m, Time: time.Unix(1e9, 0), Hostname: "printer", Names: names}
	}
	o := obs()
	f.ResolveIn(&o)
	allocs := testing.AllocsPerRun(100, func() {
		o := obs()
		f.ResolveIn(&o)
	})
	if allocs != 0 {
		t.Errorf("ResolveIn of a known MAC allocates %v times, want 0", allocs)
	}
}

// TestMACStringCache checks Fuser.macString against MAC.String for more
// MACs than Fuser.macs holds, each asked for twice in turn (slots shared
// and taken over), and for an EUI-64, which it does not keep.
func TestMACStringCache(t *testing.T) {
	f := NewFuser()
	var macs []inventory.MAC
	for i := range 4 << macStringBits {
		m, err := inventory.ParseMAC(fmt.Sprintf("02:00:%02x:00:%02x:%02x", i%7, i>>8, i&0xff))
		if err != nil {
			t.Fatal(err)
		}
		macs = append(macs, m)
	}
	eui, err := inventory.ParseMAC("00:11:22:ff:fe:33:44:55")
	if err != nil {
		t.Fatal(err)
	}
	macs = append(macs, eui)
	for range 2 {
		for _, m := range macs {
			if got, want := f.macString(m), m.String(); got != want {
				t.Fatalf("macString(%v) = %q, want %q", []byte(m), got, want)
			}
		}
	}
}

// TestResolveLeavesCallersObservation checks that Resolve, now a wrapper
// of ResolveIn, still returns the rewritten observation and leaves the
// one it was given as it was.
func TestResolveLeavesCallersObservation(t *testing.T) {
	f := NewFuser()
	a, _ := inventory.ParseMAC("02:00:00:00:00:01")
	b, _ := inventory.ParseMAC("02:00:00:00:00:02")
	t0 := time.Unix(1e9, 0)
	f.Resolve(inventory.Observation{MAC: a, Time: t0, DHCPClientID: "id-1"})
	in := inventory.Observation{MAC: b, Time: t0.Add(time.Hour), DHCPClientID: "id-1"}
	out, fu := f.Resolve(in)
	if in.MAC.String() != b.String() || len(in.OtherMACs) != 0 {
		t.Errorf("Resolve changed its argument: MAC %v, other MACs %v", in.MAC, in.OtherMACs)
	}
	if out.MAC.String() != a.String() || len(out.OtherMACs) != 1 || out.OtherMACs[0].String() != b.String() || len(fu.Absorb) != 1 {
		t.Errorf("Resolve = MAC %v, other MACs %v, absorbed %v; want %v, [%v], one absorbed", out.MAC, out.OtherMACs, fu.Absorb, a, b)
	}
}
