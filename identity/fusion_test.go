package identity

import (
	"net/netip"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"tend/inventory"
)

func mustMAC(t testing.TB, s string) inventory.MAC {
	t.Helper()
	m, err := inventory.ParseMAC(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func hasMAC(list []inventory.MAC, m inventory.MAC) bool {
	return slices.ContainsFunc(list, func(x inventory.MAC) bool { return x.String() == m.String() })
}

func TestFusion(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	ip := netip.MustParseAddr
	rnd1, rnd2, rnd3 := mustMAC(t, "da:00:00:00:00:01"), mustMAC(t, "7a:00:00:00:00:02"), mustMAC(t, "3e:00:00:00:00:03")
	lap1, lap2 := mustMAC(t, "00:08:74:00:00:01"), mustMAC(t, "00:08:74:00:00:02")
	chassis, port := mustMAC(t, "00:1b:54:00:00:00"), mustMAC(t, "00:1b:54:00:00:05")
	dhcp := func(when time.Time, mac inventory.MAC, id, host string) inventory.Observation {
		return inventory.Observation{Time: when, Source: inventory.SourceDHCP, MAC: mac, DHCPClientID: id, Hostname: host, Names: []string{host}}
	}
	arp := func(when time.Time, mac inventory.MAC, a string) inventory.Observation {
		return inventory.Observation{Time: when, Source: inventory.SourceARP, MAC: mac, IP: ip(a)}
	}
	tests := []struct {
		name    string
		obs     []inventory.Observation
		devices int
		check   func(t *testing.T, tr *Tracker)
	}{
		{"randomised MAC rotates, same client id and host name: one device", []inventory.Observation{
			dhcp(at(0), rnd1, "ff00aa", "anas-phone"), arp(at(1), rnd1, "10.0.0.20"),
			dhcp(at(10), rnd2, "ff00aa", "anas-phone"), arp(at(11), rnd2, "10.0.0.21"),
			dhcp(at(20), rnd3, "ff00aa", "anas-phone"),
		}, 1, func(t *testing.T, tr *Tracker) {
			d, _ := tr.Device(rnd3)
			if d.MAC.String() != rnd1.String() || !hasMAC(d.OtherMACs, rnd2) || !hasMAC(d.OtherMACs, rnd3) {
				t.Errorf("device %s other MACs %v", d.MAC, d.OtherMACs)
			}
			if len(d.IPHistory) != 2 || d.IP != ip("10.0.0.21") {
				t.Errorf("ip %s history %+v", d.IP, d.IPHistory)
			}
		}},
		{"randomised MAC rotates, host name only: one device", []inventory.Observation{
			dhcp(at(0), rnd1, "", "anas-phone"), dhcp(at(5), rnd2, "", "anas-phone"),
		}, 1, nil},
		{"ARP saw the new MAC before its DHCP: the record is absorbed", []inventory.Observation{
			dhcp(at(0), rnd1, "ff00aa", "anas-phone"), arp(at(10), rnd2, "10.0.0.20"), dhcp(at(11), rnd2, "ff00aa", "anas-phone"),
		}, 1, func(t *testing.T, tr *Tracker) {
			d, _ := tr.Device(rnd2)
			if d.MAC.String() != rnd1.String() || d.IP != ip("10.0.0.20") {
				t.Errorf("got %s %s", d.MAC, d.IP)
			}
		}},
		{"new network card, same client id, after a quiet spell: one device", []inventory.Observation{
			dhcp(at(0), lap1, "ff00cc", "ws-bob"), dhcp(at(30), lap2, "ff00cc", "ws-bob"),
		}, 1, nil},
		{"generic host name does not merge", []inventory.Observation{
			dhcp(at(0), rnd1, "", "android"), dhcp(at(5), rnd2, "", "android"),
		}, 2, nil},
		{"two burnt-in MACs with one host name (wifi and cable): suggestion, no merge", []inventory.Observation{
			dhcp(at(0), lap1, "", "ws-ana"), dhcp(at(5), lap2, "", "ws-ana"),
		}, 2, func(t *testing.T, tr *Tracker) {
			d, _ := tr.Device(lap2)
			if len(d.MergeSuggestions) != 1 || d.MergeSuggestions[0].MAC.String() != lap1.String() {
				t.Errorf("suggestions %+v", d.MergeSuggestions)
			}
		}},
		{"one client id on two live MACs (cloned VM): suggestion, no merge", []inventory.Observation{
			dhcp(at(0), lap1, "ff00bb", ""), dhcp(at(1), lap2, "ff00bb", ""), arp(at(2), lap1, "10.0.0.5"), dhcp(at(3), lap2, "ff00bb", ""),
		}, 2, func(t *testing.T, tr *Tracker) {
			d, _ := tr.Device(lap2)
			if len(d.MergeSuggestions) != 1 || d.MergeSuggestions[0].Confidence < 0.6 {
				t.Errorf("suggestions %+v", d.MergeSuggestions)
			}
		}},
		{"router with many addresses on one MAC stays one device", []inventory.Observation{
			arp(at(0), chassis, "10.0.0.1"), arp(at(0), chassis, "10.0.1.1"), arp(at(0), chassis, "10.0.2.1"), arp(at(1), chassis, "10.0.0.1"),
		}, 1, func(t *testing.T, tr *Tracker) {
			d, _ := tr.Device(chassis)
			if len(d.IPs) != 3 {
				t.Errorf("ips %v", d.IPs)
			}
		}},
		{"two MACs using one address in turn stay two devices", []inventory.Observation{
			arp(at(0), lap1, "10.0.0.9"), arp(at(60), lap2, "10.0.0.9"),
		}, 2, nil},
		{"LLDP chassis MAC differs from the port MAC: one device", []inventory.Observation{
			arp(at(0), chassis, "10.0.0.2"),
			{Time: at(1), Source: inventory.SourceLLDP, MAC: port, ChassisMAC: chassis, Hostname: "core-sw", Capabilities: []string{"bridge"}},
		}, 1, func(t *testing.T, tr *Tracker) {
			d, _ := tr.Device(port)
			if d.MAC.String() != chassis.String() || d.Hostname != "core-sw" || !hasMAC(d.OtherMACs, port) {
				t.Errorf("got %+v", d)
			}
		}},
		{"LLDP first, port MAC already a device: absorbed into the chassis", []inventory.Observation{
			{Time: at(0), Source: inventory.SourceTraffic, MAC: port},
			{Time: at(1), Source: inventory.SourceLLDP, MAC: port, ChassisMAC: chassis, Hostname: "core-sw"},
			arp(at(2), chassis, "10.0.0.2"),
		}, 1, nil},
		{"gateway lists its other interface: one device", []inventory.Observation{
			arp(at(0), lap2, "192.168.2.21"),
			{Time: at(1), Source: inventory.SourceUbiquiti, MAC: lap1, IP: ip("192.168.1.1"), OtherMACs: []inventory.MAC{lap2}},
		}, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTracker(TrackerConfig{})
			for _, o := range tt.obs {
				tr.Observe(o)
			}
			devs := tr.Devices()
			if len(devs) != tt.devices {
				for _, d := range devs {
					t.Logf("%s other=%v names=%v sugg=%+v", d.MAC, d.OtherMACs, d.Names, d.MergeSuggestions)
				}
				t.Fatalf("%d devices, want %d", len(devs), tt.devices)
			}
			if tt.check != nil {
				tt.check(t, tr)
			}
		})
	}
}

func TestPresence(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	tr := NewTracker(TrackerConfig{Grace: 3 * time.Minute})
	m := mustMAC(t, "00:08:74:00:00:01")
	d, changed := tr.Observe(inventory.Observation{Time: t0, Source: inventory.SourceARP, MAC: m, IP: netip.MustParseAddr("10.0.0.5")})
	if !changed || !d.Online || !d.StatusChanged.Equal(t0) {
		t.Fatalf("first sighting: online=%v changed=%v at %v", d.Online, changed, d.StatusChanged)
	}
	if tr := tr.Expire(t0.Add(3 * time.Minute)); len(tr) != 0 {
		t.Errorf("offline at the edge of the window: %+v", tr)
	}
	if _, changed := tr.Observe(inventory.Observation{Time: t0.Add(2 * time.Minute), Source: inventory.SourceARP, MAC: m, IP: netip.MustParseAddr("10.0.0.5")}); changed {
		t.Error("a repeat sighting while online reported a change")
	}
	if got := tr.Expire(t0.Add(5*time.Minute + time.Second)); len(got) != 1 || got[0].Online {
		t.Fatalf("silent past the window: %+v", got)
	}
	if got := tr.Expire(t0.Add(10 * time.Minute)); len(got) != 0 {
		t.Errorf("offline reported twice: %+v", got)
	}
	d, changed = tr.Observe(inventory.Observation{Time: t0.Add(11 * time.Minute), Source: inventory.SourceMDNS, MAC: m})
	if !changed || !d.Online || d.FirstSeen != t0 || d.LastSeen != t0.Add(11*time.Minute) {
		t.Errorf("back: online=%v first=%v last=%v", d.Online, d.FirstSeen, d.LastSeen)
	}
}

// TestClassifyCorpus classifies the devices the corpus captures describe.
func TestClassifyCorpus(t *testing.T) {
	dir := corpusPcap(t)
	tr := NewTracker(TrackerConfig{})
	p := NewPassive(PassiveConfig{})
	for _, f := range []string{"l2disc/3560_CDP.pcap", "l2disc/cdp-v1.pcap", "l2disc/lldp.pcap", "synthetic/lab_discovery_announcements_scapy.pcap",
		"discovery/ubntac2.pcap", "dhcp/dhcp.pcap", "synthetic/lab_rogue_dhcp_scapy.pcap"} {
		for _, pk := range readCapture(t, filepath.Join(dir, f)) {
			for _, o := range p.Frame(pk.ts, pk.data) {
				tr.Observe(o)
			}
		}
	}
	want := map[string]inventory.DeviceType{
		"00:19:06:ea:b8:85": inventory.TypeSwitch,  // WS-C3560G via CDP
		"00:e0:1e:d5:d5:15": inventory.TypeRouter,  // cisco 1601
		"00:22:2d:81:db:10": inventory.TypeSwitch,  // SMC via LLDP
		"00:1a:a1:00:00:01": inventory.TypeSwitch,  // WS-C2960X via CDP+LLDP
		"00:80:77:00:00:20": inventory.TypePrinter, // Brother via mDNS
		"00:11:32:00:00:30": inventory.TypeNAS,     // Synology via SSDP
		"80:2a:a8:8d:69:2c": inventory.TypeRouter,  // UniFi Security Gateway
		"3c:52:82:00:00:10": inventory.TypeWorkstation,
	}
	for mac, wt := range want {
		d, ok := tr.Device(mustMAC(t, mac))
		if !ok {
			t.Errorf("no device %s", mac)
			continue
		}
		if d.Type != wt || d.TypeConfidence <= 0 || len(d.TypeEvidence) == 0 {
			t.Errorf("%s (%s %s): type %s confidence %.2f evidence %+v, want %s", mac, d.Make, d.Model, d.Type, d.TypeConfidence, d.TypeEvidence, wt)
		}
	}
	for _, d := range tr.Devices() {
		t.Logf("%s %s %.2f %v", d.MAC, d.Type, d.TypeConfidence, d.TypeEvidence)
	}
}

func TestFuserBounded(t *testing.T) {
	f := NewFuser()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for i := range maxTracked + 10 {
		m := inventory.MAC{0x02, 0, byte(i >> 16), byte(i >> 8), byte(i), 1}
		f.Resolve(inventory.Observation{Time: t0.Add(time.Duration(i) * time.Millisecond), MAC: m})
	}
	if n := len(f.firstSeen); n > maxTracked {
		t.Errorf("remembers %d MACs, bound %d", n, maxTracked)
	}
}
