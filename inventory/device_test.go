package inventory

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustMAC(t *testing.T, s string) MAC {
	t.Helper()
	m, err := ParseMAC(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMerge(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	mac := mustMAC(t, "00:1B:54:AA:BB:CC")
	ip1, ip2 := netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("10.0.0.9")

	var d Device
	if !Merge(&d, Observation{Time: t0, Source: SourceARP, MAC: mac, IP: ip1, Vendor: "Cisco Systems, Inc"}) {
		t.Fatal("first observation reported no change")
	}
	if Merge(&d, Observation{Time: t0.Add(time.Minute), Source: SourceARP, MAC: mac, IP: ip1}) {
		t.Error("a repeat sighting reported a change; storage could not coalesce it")
	}
	if !Merge(&d, Observation{Time: t0.Add(2 * time.Minute), Source: SourceSNMP, IP: ip2,
		SNMP: &SNMPSystem{Version: "2c", SysDescr: "Cisco IOS", Uptime: time.Hour}, Model: "WS-C3560"}) {
		t.Error("snmp identity reported no change")
	}
	if Merge(&d, Observation{Time: t0.Add(3 * time.Minute), Source: SourceSNMP,
		SNMP: &SNMPSystem{Version: "2c", SysDescr: "Cisco IOS", Uptime: 2 * time.Hour}}) {
		t.Error("uptime alone reported a change")
	}
	want := Device{
		MAC: mac, IP: ip2, IPs: []netip.Addr{ip2, ip1}, Vendor: "Cisco Systems, Inc",
		Type: TypeUnknown, Model: "WS-C3560",
		FirstSeen: t0, LastSeen: t0.Add(3 * time.Minute),
		Sources: []Source{SourceARP, SourceSNMP},
		SNMP:    &SNMPSystem{Version: "2c", SysDescr: "Cisco IOS", Uptime: time.Hour},
	}
	if diff := cmp.Diff(want, d, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("Merge (-want +got):\n%s", diff)
	}
}

func TestDeviceJSONContract(t *testing.T) {
	d := Device{MAC: mustMAC(t, "02:00:00:00:00:01"), IP: netip.MustParseAddr("10.1.1.1")}
	Merge(&d, Observation{MAC: d.MAC})
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"mac":"02:00:00:00:00:01"`, `"ip":"10.1.1.1"`, `"ips"`, `"vendor"`, `"hostname"`,
		`"type"`, `"make"`, `"model"`, `"os"`, `"firmware"`, `"serial"`, `"first_seen"`, `"last_seen"`, `"sources"`} {
		if !strings.Contains(string(b), field) {
			t.Errorf("device JSON lacks %s: %s", field, b)
		}
	}
	var back Device
	if err := json.Unmarshal(b, &back); err != nil || back.MAC.String() != "02:00:00:00:00:01" {
		t.Errorf("round trip: %v %v", back.MAC, err)
	}
	if !d.MAC.LocallyAdministered() || mustMAC(t, "00:1b:54:00:00:01").LocallyAdministered() {
		t.Error("locally administered bit misread")
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret("hunter2")
	b, _ := json.Marshal(struct{ C Secret }{s})
	for _, out := range []string{s.String(), string(b), s.GoString()} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("secret leaked: %s", out)
		}
	}
	if s.Reveal() != "hunter2" {
		t.Error("Reveal lost the value")
	}
}

func TestMergeHealthPortNeighborsEvidence(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	sw, _ := ParseMAC("00:1b:54:00:00:01")
	o := Observation{Time: t0, Source: SourceSNMP,
		Health:    &Health{Supplies: []Supply{{Name: "Black Toner", Kind: "toner", Percent: 12}}},
		Port:      &SwitchPort{Switch: sw, Port: "Gi0/7", IfIndex: 10107},
		Neighbors: []Neighbor{{Protocol: "lldp", LocalPort: "Gi0/1", RemoteName: "core"}},
		Evidence:  []Evidence{{Source: "sysDescr", Detail: "HP LaserJet"}},
	}
	var d Device
	if !Merge(&d, o) {
		t.Fatal("first merge reported no change")
	}
	o.Time = t0.Add(time.Minute)
	if Merge(&d, o) {
		t.Error("the same health, port, neighbours and evidence again reported a change")
	}
	o.Health = &Health{Supplies: []Supply{{Name: "Black Toner", Kind: "toner", Percent: 9}}}
	if !Merge(&d, o) || d.Health.Supplies[0].Percent != 9 {
		t.Errorf("a new toner level was not taken: %+v", d.Health)
	}
	o.Health.Supplies[0].Percent = 5 // the device must hold its own copy
	if d.Health.Supplies[0].Percent == 5 {
		t.Error("Merge kept a reference to the observation's health")
	}
	for i := range 2 * maxEvidence {
		Merge(&d, Observation{Time: t0, Evidence: []Evidence{{Source: "test", Detail: strconv.Itoa(i)}}})
	}
	if len(d.Evidence) != maxEvidence || d.Evidence[maxEvidence-1].Detail != strconv.Itoa(2*maxEvidence-1) {
		t.Errorf("evidence not bounded to the newest %d: %d kept, last %+v", maxEvidence, len(d.Evidence), d.Evidence[len(d.Evidence)-1])
	}
}

func TestMergeLifecycleAndAge(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	eol := time.Date(2025, 10, 2, 0, 0, 0, 0, time.UTC)
	var d Device
	Merge(&d, Observation{Time: t0, Source: SourceARP, MAC: mustMAC(t, "00:14:38:00:00:01")})
	v := Observation{MAC: d.MAC, Lifecycle: &Lifecycle{Product: "vmware-esxi", Cycle: "7.0", Status: StatusEOL, EOL: &eol},
		Age: &Age{MinYears: 5, MaxYears: 6, Evidence: []Evidence{{Source: "serial", Detail: "x"}}}}
	if !Merge(&d, v) || d.Lifecycle == nil || d.Lifecycle.Status != StatusEOL || d.Age == nil || d.Age.MaxYears != 6 {
		t.Fatalf("verdict not taken: %+v %+v", d.Lifecycle, d.Age)
	}
	if !d.LastSeen.Equal(t0) || !d.FirstSeen.Equal(t0) {
		t.Errorf("a verdict without a time moved first/last seen: %s %s", d.FirstSeen, d.LastSeen)
	}
	// A stored device comes back from JSON; the same verdict is no change.
	b, _ := json.Marshal(d)
	var back Device
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if Merge(&back, v) {
		t.Error("the same verdict after a JSON round trip reported a change")
	}
	if Merge(&back, Observation{Time: t0, Source: SourceARP, MAC: d.MAC}) || back.Lifecycle == nil {
		t.Error("an observation without a verdict changed or cleared it")
	}
}

func TestMergeUptime(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var d Device
	sys := func(up time.Duration) *SNMPSystem { return &SNMPSystem{Version: "2c", SysName: "sw", Uptime: up} }
	m := mustMAC(t, "00:1b:54:00:00:01")
	Merge(&d, Observation{Time: t0, Source: SourceSNMP, MAC: m, SNMP: sys(10 * 24 * time.Hour)})
	for _, tc := range []struct {
		up      time.Duration
		changed bool
		stored  time.Duration
	}{
		{10*24*time.Hour + 5*time.Minute, false, 10 * 24 * time.Hour}, // a poll later: not worth a write
		{11*24*time.Hour + time.Minute, true, 11*24*time.Hour + time.Minute},
		{3 * time.Minute, true, 3 * time.Minute}, // rebooted
		{0, false, 3 * time.Minute},              // not reported
	} {
		if got := Merge(&d, Observation{Time: t0, Source: SourceSNMP, MAC: m, SNMP: sys(tc.up)}); got != tc.changed || d.SNMP.Uptime != tc.stored {
			t.Errorf("uptime %s: changed %t stored %s, want %t %s", tc.up, got, d.SNMP.Uptime, tc.changed, tc.stored)
		}
	}
}

// BenchmarkMerge folds the sightings replay folds most (repeats of a known
// device: ARP, mDNS, DHCP, an SNMP poll) into one device, so a change to
// Merge's shape can be compared before and after (it runs once per
// observation on replay's hot path).
func BenchmarkMerge(b *testing.B) {
	mac, _ := ParseMAC("00:1b:54:aa:bb:cc")
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	ip := netip.MustParseAddr("10.0.0.5")
	obs := []Observation{
		{Source: SourceARPPassive, MAC: mac, IP: ip, Vendor: "Cisco Systems, Inc"},
		{Source: SourceMDNS, MAC: mac, IP: ip, Hostname: "lobby", Names: []string{"lobby.local"}, Services: []string{"_ipp._tcp"}},
		{Source: SourceDHCP, MAC: mac, IP: ip, DHCPVendor: "MSFT 5.0", DHCPParams: "1,3,6,15", DHCPClientID: "01001b54aabbcc"},
		{Source: SourceSNMP, MAC: mac, IP: ip, Model: "WS-C3560", Firmware: "15.0(2)SE11", SNMP: &SNMPSystem{Version: "2c", SysDescr: "Cisco IOS", Uptime: time.Hour}},
		{Source: SourceTraffic, MAC: mac},
	}
	var d Device
	for i := range obs {
		obs[i].Time = t0
		Merge(&d, obs[i])
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		o := obs[i%len(obs)]
		o.Time = t0.Add(time.Duration(i) * time.Second)
		Merge(&d, o)
		i++
	}
}

// TestPlaceholderName: names that name no one device (and every MAC form
// net.ParseMAC reads) are placeholders; real names, including ones with a
// few hex digits, are not.
func TestPlaceholderName(t *testing.T) {
	for _, s := range []string{"", " <private> ", "localhost", "Localhost.localdomain", "unknown", "(none)",
		"00:1b:54:aa:bb:cc", "00-1B-54-AA-BB-CC", "001b.54aa.bbcc", "001b54aabbcc", "02:00:5e:10:00:00:00:01",
		"00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01"} {
		if !PlaceholderName(s) {
			t.Errorf("PlaceholderName(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"lobby-printer", "DESKTOP-4F7GH2K", "cafe", "ab:cd", "001b54aabbcg", "SEP001B54AABBCC"} {
		if PlaceholderName(s) {
			t.Errorf("PlaceholderName(%q) = true, want false", s)
		}
	}
}
