package lifecycle

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tend/inventory"
)

func device(t *testing.T, mac string, d inventory.Device) inventory.Device {
	t.Helper()
	m, err := inventory.ParseMAC(mac)
	if err != nil {
		t.Fatal(err)
	}
	d.MAC = m
	d.IP = netip.MustParseAddr("10.0.0.1")
	d.FirstSeen = asOf
	return d
}

// TestAssess judges devices as the inventory holds them: from the system
// group alone, and from the identity fields SNMP fills in when it can.
func TestAssess(t *testing.T) {
	c := openCatalog(t)
	purchased := time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		dev        inventory.Device
		status     inventory.LifecycleStatus
		product    string
		hardware   string // hardware model judged, "" for none
		ageSources []string
	}{
		{"esxi from sysDescr only", inventory.Device{SNMP: &inventory.SNMPSystem{
			SysDescr: "VMware ESXi 7.0.0 build-15843807 VMware, Inc. x86_64", SysObjectID: "1.3.6.1.4.1.6876.4.1"}},
			inventory.StatusEOL, "vmware-esxi", "", []string{"catalog", "first_seen", "assumption"}},
		{"fortigate from the identity fields (empty sysDescr)", inventory.Device{Make: "Fortinet", Model: "FortiGate 60F",
			Firmware: "v7.2.6,build1575,230926 (GA.F)", SNMP: &inventory.SNMPSystem{SysObjectID: "1.3.6.1.4.1.12356.101.1.644"}},
			inventory.StatusEOL, "fortios", "", []string{"firmware", "first_seen", "assumption"}},
		{"fortigate 60e hardware", inventory.Device{Model: "FortiGate-60E", Firmware: "v7.4.3,build2573,240201 (GA.M)",
			SNMP: &inventory.SNMPSystem{SysObjectID: "1.3.6.1.4.1.12356.101.1.641"}},
			inventory.StatusCurrent, "fortios", "fg-60e", []string{"catalog", "firmware", "first_seen"}},
		{"routeros from firmware field", inventory.Device{Model: "RB5009UPr+S+", Firmware: "7.20.6",
			SNMP: &inventory.SNMPSystem{SysDescr: "RouterOS RB5009UPr+S+", SysObjectID: "1.3.6.1.4.1.14988.1"}},
			inventory.StatusEOL, "routeros", "", []string{"catalog", "first_seen", "assumption"}},
		{"purchase date overrides", inventory.Device{PurchaseDate: &purchased, SNMP: &inventory.SNMPSystem{
			SysDescr: "Cisco IOS Software [Everest], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 16.6.7, RELEASE SOFTWARE (fc2)"}},
			inventory.StatusEOL, "cisco-ios-xe", "", []string{"purchase_date"}},
		{"mfg date from identity evidence", inventory.Device{Model: "X", Evidence: []inventory.Evidence{{Source: "entPhysicalMfgDate", Detail: "2018-05-21"}}},
			inventory.StatusUnknown, "", "", []string{"mfg_date", "first_seen"}},
		{"arp only", inventory.Device{Vendor: "Intel Corporate"}, inventory.StatusUnknown, "", "", []string{"first_seen", "assumption"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := device(t, "02:00:00:00:00:0"+string(rune('1'+i)), tt.dev)
			c.Assess(&d, asOf)
			v := d.Lifecycle
			if v == nil {
				t.Fatal("no verdict")
			}
			if v.Status != tt.status || v.Product != tt.product {
				t.Errorf("verdict %s %s, want %s %s; evidence %+v", v.Status, v.Product, tt.status, tt.product, v.Evidence)
			}
			if v.CatalogDate != c.Date().Format(time.DateOnly) {
				t.Errorf("catalog date %q, want %s", v.CatalogDate, c.Date().Format(time.DateOnly))
			}
			switch {
			case tt.hardware == "" && v.Hardware != nil:
				t.Errorf("unexpected hardware verdict %+v", v.Hardware)
			case tt.hardware != "" && (v.Hardware == nil || v.Hardware.Model != tt.hardware):
				t.Errorf("hardware %+v, want model %s", v.Hardware, tt.hardware)
			}
			var got []string
			if d.Age != nil {
				for _, e := range d.Age.Evidence {
					got = append(got, e.Source)
				}
			}
			if diff := cmp.Diff(tt.ageSources, got); diff != "" {
				t.Errorf("age evidence sources (-want +got):\n%s\nage %+v", diff, d.Age)
			}
		})
	}
}

func TestJudgeHardwareFortiGate(t *testing.T) {
	c := openCatalog(t)
	v, ok := c.JudgeHardware(Facts{Model: "FortiGate-60E"}, asOf)
	if !ok || v.Hardware == nil {
		t.Fatalf("FortiGate-60E not judged: %+v", v)
	}
	day := func(s string) *time.Time { t, _ := time.Parse(time.DateOnly, s); return &t }
	want := &inventory.HardwareLifecycle{Product: "fortigate", Model: "fg-60e", Status: inventory.StatusCurrent,
		EndOfSale: day("2021-12-29"), EOL: day("2026-12-29")}
	if diff := cmp.Diff(want, v.Hardware); diff != "" {
		t.Errorf("hardware (-want +got):\n%s", diff)
	}
	if v, _ := c.JudgeHardware(Facts{Model: "FortiGate-60E"}, asOf.AddDate(1, 0, 0)); v.Status != inventory.StatusEOL {
		t.Errorf("a year later: %s, want eol", v.Status)
	}
	if _, ok := c.JudgeHardware(Facts{Model: "FortiGate 60F"}, asOf); ok {
		t.Error("FortiGate 60F has no end-of-support data in the catalog, yet was judged")
	}
}

func TestForecastDevices(t *testing.T) {
	c := openCatalog(t)
	devs := []inventory.Device{
		device(t, "02:00:00:00:01:01", inventory.Device{Hostname: "fw", Model: "FortiGate-60E", Firmware: "v7.4.3,build2573,240201 (GA.M)"}),
		device(t, "02:00:00:00:01:02", inventory.Device{Hostname: "esxi", SNMP: &inventory.SNMPSystem{SysDescr: "VMware ESXi 7.0.0 build-15843807"}}),
		device(t, "02:00:00:00:01:03", inventory.Device{Hostname: "new-fw", Firmware: "v7.6.1,build3459,241106 (GA.M)", Make: "Fortinet"}),
		device(t, "02:00:00:00:01:04", inventory.Device{Hostname: "not judged"}),
	}
	for i := range devs[:3] {
		c.Assess(&devs[i], asOf)
	}
	got := ForecastDevices(devs, asOf)
	want := []DeviceDue{{MAC: devs[0].MAC, Name: "fw", What: "fortigate fg-60e", EOL: time.Date(2026, 12, 29, 0, 0, 0, 0, time.UTC), Within: 3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("forecast (-want +got):\n%s", diff)
	}
	// FortiOS 7.6 ends 2030-01-25: eleven months ahead it is due within 12.
	if got := ForecastDevices(devs[2:3], time.Date(2029, 3, 1, 0, 0, 0, 0, time.UTC)); len(got) != 1 || got[0].Within != 12 || got[0].What != "fortios 7.6" {
		t.Errorf("fortios 7.6 forecast from 2029-03 = %+v", got)
	}
}

// TestEstimateAgeLowerBoundOnly covers evidence that bounds the age from
// above only (a CPU generation's release): the band runs from zero to it.
func TestEstimateAgeLowerBoundOnly(t *testing.T) {
	c := openCatalog(t)
	a := c.EstimateAge(Facts{SysDescr: "Hardware: Intel64 Family 6 Model 63 Stepping 2 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)"}, asOf)
	if a == nil || a.MinYears != 0 || a.MaxYears != 13.5 || len(a.Evidence) != 1 || !strings.Contains(a.Evidence[0].Detail, "Haswell") {
		t.Errorf("age %+v, want 0-13.5 years from the Haswell Xeon release", a)
	}
}

// BenchmarkAssess measures judging one device, which serve does for every
// stored device after each sweep.
func BenchmarkAssess(b *testing.B) {
	c := openCatalog(b)
	purchased := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	devs := []inventory.Device{
		{Model: "C9300-48P", Serial: "FCW2204L050", FirstSeen: asOf, SNMP: &inventory.SNMPSystem{
			SysDescr: "Cisco IOS Software [Everest], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 16.6.7, RELEASE SOFTWARE (fc2)", SysObjectID: "1.3.6.1.4.1.9.1.2494"}},
		{Model: "FortiGate 60F", Firmware: "v7.2.6,build1575,230926 (GA.F)", FirstSeen: asOf, SNMP: &inventory.SNMPSystem{SysObjectID: "1.3.6.1.4.1.12356.101.1.644"}},
		{FirstSeen: asOf, PurchaseDate: &purchased, SNMP: &inventory.SNMPSystem{SysDescr: "Hardware: Intel64 Family 6 Model 63 Stepping 2 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)"}},
		{Vendor: "Intel Corporate", FirstSeen: asOf},
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		d := devs[i%len(devs)]
		c.Assess(&d, asOf)
	}
}
