package lifecycle

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"tend/inventory"
)

// TestAssessAllSameAsAssess: judging a LAN's devices in parallel gives
// every device the verdicts Assess gives it alone (run with -race: the
// catalogs are shared by the workers).
func TestAssessAllSameAsAssess(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	j, err := NewCurrent(CurrentConfig{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	kinds := []inventory.Device{
		{OS: "routeros", Firmware: "7.20.6"},
		{Model: "FortiGate-60E", Firmware: "v7.4.3,build2573,240201 (GA.M)", Make: "Fortinet"},
		{SNMP: &inventory.SNMPSystem{SysDescr: "VMware ESXi 7.0.0 build-15843807"}},
		{Make: "Cisco", Model: "WS-C3560-48TS-S", OS: "IOS", Firmware: "12.2(55)SE12"},
		{Hostname: "not judged"},
	}
	var devs []inventory.Device
	for i := range 40 {
		d := kinds[i%len(kinds)]
		d.MAC, _ = inventory.ParseMAC(fmt.Sprintf("02:00:00:00:00:%02x", i))
		d.FirstSeen = now.AddDate(-1, 0, 0)
		devs = append(devs, d)
	}
	want := make([]inventory.Device, len(devs))
	for i := range devs {
		d := devs[i]
		if d.SNMP != nil {
			s := *d.SNMP
			d.SNMP = &s
		}
		j.Assess(&d)
		want[i] = d
	}
	j.AssessAll(devs)
	if diff := cmp.Diff(want, devs, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("AssessAll (-Assess +AssessAll):\n%s", diff)
	}
	judged := 0
	for _, d := range devs {
		if d.Lifecycle != nil && d.Lifecycle.Product != "" {
			judged++
		}
	}
	if judged < 24 {
		t.Errorf("%d of 40 devices judged, want at least the 32 with an identity the catalog knows less the ESXi ones", judged)
	}
	j.AssessAll(nil) // no devices, no workers
}
