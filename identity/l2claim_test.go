package identity

import (
	"net/netip"
	"strings"
	"testing"

	"tend/inventory"
)

// TestDistrustL2Claim (review 37a P9): a Raspberry Pi's MAC announcing
// the core switch by CDP or LLDP keeps none of that identity (evidence
// only); Cisco's own MAC, a VMware guest's CSR1000v, a Linux host's lldpd
// and an HPE switch announcing itself as Aruba keep theirs.
func TestDistrustL2Claim(t *testing.T) {
	for _, c := range []struct {
		name, mac, vendor, make, os string
		src                         inventory.Source
		kept                        bool
	}{
		{"Pi as a Cisco C2960X by CDP", "b8:27:eb:00:00:66", "Raspberry Pi Foundation", "Cisco", "Cisco IOS", inventory.SourceCDP, false},
		{"Pi as Cisco IOS by LLDP", "b8:27:eb:00:00:66", "Raspberry Pi Foundation", "", "Cisco IOS", inventory.SourceLLDP, false},
		{"the Cisco switch", "00:1b:d4:00:00:02", "Cisco Systems, Inc", "Cisco", "Cisco IOS", inventory.SourceCDP, true},
		{"a CSR1000v guest", "00:50:56:00:01:02", "VMware, Inc.", "Cisco", "Cisco IOS XE", inventory.SourceCDP, true},
		{"lldpd on a Pi", "b8:27:eb:00:00:10", "Raspberry Pi Foundation", "", "Linux", inventory.SourceLLDP, true},
		{"an Aruba switch on HPE's block", "94:18:82:00:00:01", "Hewlett Packard Enterprise", "", "ArubaOS", inventory.SourceLLDP, true},
		{"an unknown block", "02:00:00:00:00:01", "", "Cisco", "Cisco IOS", inventory.SourceCDP, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, _ := inventory.ParseMAC(c.mac)
			o := inventory.Observation{Source: c.src, MAC: m, Vendor: c.vendor, Hostname: "core-sw1", Names: []string{"core-sw1"}, Make: c.make,
				Model: "WS-C2960X-24PS-L", OS: c.os, Capabilities: []string{"bridge"}, IP: netip.MustParseAddr("10.88.8.2"), ChassisMAC: inventory.MAC{0, 0x1b, 0xd4, 0, 0, 2}}
			FillVendor(nil, &o)
			kept := o.Hostname == "core-sw1" && o.OS == c.os && len(o.Capabilities) == 1 && o.IP.IsValid() && len(o.ChassisMAC) == 6
			if kept != c.kept {
				t.Fatalf("kept %v, want %v: %+v", kept, c.kept, o)
			}
			if !c.kept && (o.Make != "" || o.Model != "" || len(o.Names) != 0 || len(o.Evidence) != 1 || !strings.Contains(o.Evidence[0].Detail, "core-sw1") || !strings.Contains(o.Evidence[0].Detail, c.vendor)) {
				t.Errorf("not adopted, but %+v", o)
			}
		})
	}
}
