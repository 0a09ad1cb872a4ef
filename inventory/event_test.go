package inventory

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestSeverityRank(t *testing.T) {
	order := []Severity{SeverityInfo, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}
	for i, s := range order {
		if s.Rank() != i {
			t.Errorf("%s ranks %d, want %d", s, s.Rank(), i)
		}
	}
	if Severity("bogus").Rank() != 0 {
		t.Error("an unknown severity should rank as info")
	}
}

func TestEventJSONOmitsAbsentTarget(t *testing.T) {
	mac, err := ParseMAC("00:11:22:33:44:55")
	if err != nil {
		t.Fatal(err)
	}
	ev := Event{Time: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Type: EventPortScan, Severity: SeverityHigh,
		MAC: mac, IP: netip.MustParseAddr("10.0.0.5"), Summary: "scan"}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"type":"port_scan"`, `"mac":"00:11:22:33:44:55"`, `"ip":"10.0.0.5"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
	if strings.Contains(string(b), "target") {
		t.Errorf("%s has a target though none was set", b)
	}
}

func TestNamePrefersLabel(t *testing.T) {
	d := Device{Hostname: "nas01", Label: "Backup NAS (cupboard)"}
	if d.Name() != "Backup NAS (cupboard)" {
		t.Errorf("Name() = %q, want the label", d.Name())
	}
}

func TestNameSkipsPlaceholders(t *testing.T) {
	ip := netip.MustParseAddr("10.0.0.7")
	for _, tc := range []struct {
		d    Device
		want string
	}{
		{Device{Hostname: "<private>", SNMP: &SNMPSystem{SysName: "core-sw"}}, "core-sw"},
		{Device{Hostname: "localhost", Model: "MFC-L2710DW", IP: ip}, "MFC-L2710DW (10.0.0.7)"},
		{Device{SNMP: &SNMPSystem{SysName: "00:11:22:33:44:55"}, IP: ip}, "10.0.0.7"},
		{Device{SNMP: &SNMPSystem{SysName: "0011.2233.4455"}, Model: "C9200"}, "C9200"},
		{Device{Hostname: "reception-pc", Model: "OptiPlex", IP: ip}, "reception-pc"},
		{Device{Hostname: "cafe"}, "cafe"}, // hex letters, but a name
		{Device{Hostname: "localhost", Model: "DS920+", IP: ip, Profile: Profile{Names: []string{"localhost", "backup-nas"}}}, "backup-nas"},
		{Device{SNMP: &SNMPSystem{SysName: "<private>"}, Model: "FortiGate-60F", IP: ip, Profile: Profile{Names: []string{"<private>"}}}, "FortiGate-60F (10.0.0.7)"},
	} {
		if got := tc.d.Name(); got != tc.want {
			t.Errorf("Name() of %+v = %q, want %q", tc.d, got, tc.want)
		}
	}
	// A placeholder a later frame reports never replaces a real host name.
	var d Device
	Merge(&d, Observation{Source: SourceMDNS, Hostname: "backup-nas"})
	Merge(&d, Observation{Source: SourceDHCP, Hostname: "localhost"})
	if d.Hostname != "backup-nas" {
		t.Errorf("host name %q after a placeholder, want backup-nas", d.Hostname)
	}
}
