package storage

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"tend/inventory"
)

func hasMAC(list []inventory.MAC, m inventory.MAC) bool {
	return slices.ContainsFunc(list, func(x inventory.MAC) bool { return x.String() == m.String() })
}

// TestFusion: through Apply (the one fold), observations of one physical
// thing under several MACs become one device, and weak evidence leaves a
// merge suggestion instead.
func TestFusion(t *testing.T) {
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	ip := netip.MustParseAddr
	rnd1, rnd2, rnd3 := mac(t, "da:00:00:00:00:01"), mac(t, "7a:00:00:00:00:02"), mac(t, "3e:00:00:00:00:03")
	lap1, lap2 := mac(t, "00:08:74:00:00:01"), mac(t, "00:08:74:00:00:02")
	chassis, port := mac(t, "00:1b:54:00:00:00"), mac(t, "00:1b:54:00:00:05")
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
		check   func(t *testing.T, tr *Store)
	}{
		{"randomised MAC rotates, same client id and host name: one device", []inventory.Observation{
			dhcp(at(0), rnd1, "ff00aa", "anas-phone"), arp(at(1), rnd1, "10.0.0.20"),
			dhcp(at(10), rnd2, "ff00aa", "anas-phone"), arp(at(11), rnd2, "10.0.0.21"),
			dhcp(at(20), rnd3, "ff00aa", "anas-phone"),
		}, 1, func(t *testing.T, tr *Store) {
			d, _ := tr.DeviceOf(rnd3)
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
		}, 1, func(t *testing.T, tr *Store) {
			d, _ := tr.DeviceOf(rnd2)
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
		}, 2, func(t *testing.T, tr *Store) {
			d, _ := tr.DeviceOf(lap2)
			if len(d.MergeSuggestions) != 1 || d.MergeSuggestions[0].MAC.String() != lap1.String() {
				t.Errorf("suggestions %+v", d.MergeSuggestions)
			}
		}},
		{"one client id on two live MACs (cloned VM): suggestion, no merge", []inventory.Observation{
			dhcp(at(0), lap1, "ff00bb", ""), dhcp(at(1), lap2, "ff00bb", ""), arp(at(2), lap1, "10.0.0.5"), dhcp(at(3), lap2, "ff00bb", ""),
		}, 2, func(t *testing.T, tr *Store) {
			d, _ := tr.DeviceOf(lap2)
			if len(d.MergeSuggestions) != 1 || d.MergeSuggestions[0].Confidence < 0.6 {
				t.Errorf("suggestions %+v", d.MergeSuggestions)
			}
		}},
		{"router with many addresses on one MAC stays one device", []inventory.Observation{
			arp(at(0), chassis, "10.0.0.1"), arp(at(0), chassis, "10.0.1.1"), arp(at(0), chassis, "10.0.2.1"), arp(at(1), chassis, "10.0.0.1"),
		}, 1, func(t *testing.T, tr *Store) {
			d, _ := tr.DeviceOf(chassis)
			if len(d.IPs) != 3 {
				t.Errorf("ips %v", d.IPs)
			}
		}},
		{"two MACs using one address in turn stay two devices", []inventory.Observation{
			arp(at(0), lap1, "10.0.0.9"), arp(at(60), lap2, "10.0.0.9"),
		}, 2, nil},
		{"LLDP naming a live device's MAC, unconfirmed: suggestion, no merge", []inventory.Observation{
			arp(at(0), chassis, "10.0.0.2"),
			{Time: at(1), Source: inventory.SourceLLDP, MAC: port, ChassisMAC: chassis, Hostname: "core-sw", Capabilities: []string{"bridge"}},
		}, 2, func(t *testing.T, tr *Store) {
			d, _ := tr.DeviceOf(port)
			if len(d.MergeSuggestions) != 1 || d.MergeSuggestions[0].MAC.String() != chassis.String() || hasMAC(d.OtherMACs, chassis) {
				t.Errorf("port device %s suggestions %+v other MACs %v", d.MAC, d.MergeSuggestions, d.OtherMACs)
			}
		}},
		{"LLDP chassis MAC differs from the port MAC, chassis polled over SNMP as core-sw: one device", []inventory.Observation{
			arp(at(0), chassis, "10.0.0.2"),
			{Time: at(0), Source: inventory.SourceSNMP, MAC: chassis, IP: ip("10.0.0.2"), SNMP: &inventory.SNMPSystem{SysName: "core-sw"}},
			{Time: at(1), Source: inventory.SourceLLDP, MAC: port, ChassisMAC: chassis, Hostname: "core-sw", Capabilities: []string{"bridge"}},
		}, 1, func(t *testing.T, tr *Store) {
			d, _ := tr.DeviceOf(port)
			if d.MAC.String() != chassis.String() || d.Hostname != "core-sw" || !hasMAC(d.OtherMACs, port) {
				t.Errorf("got %+v", d)
			}
		}},
		{"LLDP first, port MAC already a device: absorbed into the chassis", []inventory.Observation{
			{Time: at(0), Source: inventory.SourceTraffic, MAC: port},
			{Time: at(1), Source: inventory.SourceLLDP, MAC: port, ChassisMAC: chassis, Hostname: "core-sw"},
			arp(at(2), chassis, "10.0.0.2"),
		}, 1, nil},
		{"gateway lists its other interface, unconfirmed: suggestion, no merge", []inventory.Observation{
			arp(at(0), lap2, "192.168.2.21"),
			{Time: at(1), Source: inventory.SourceUbiquiti, MAC: lap1, IP: ip("192.168.1.1"), OtherMACs: []inventory.MAC{lap2}},
		}, 2, nil},
		{"gateway polled over SNMP lists its other interface: one device", []inventory.Observation{
			{Time: at(0), Source: inventory.SourceSNMP, MAC: lap1, IP: ip("192.168.1.1"), SNMP: &inventory.SNMPSystem{SysName: "gw"}},
			arp(at(0), lap2, "192.168.2.21"),
			{Time: at(1), Source: inventory.SourceUbiquiti, MAC: lap1, IP: ip("192.168.1.1"), OtherMACs: []inventory.MAC{lap2}},
		}, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := openMemory(t, Config{})
			for _, o := range tt.obs {
				if _, err := tr.Apply(o); err != nil {
					t.Fatal(err)
				}
			}
			devs, err := tr.Devices()
			if err != nil {
				t.Fatal(err)
			}
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
	tr := openMemory(t, Config{})
	const grace = 3 * time.Minute
	m := mac(t, "00:08:74:00:00:01")
	observe := func(o inventory.Observation) (inventory.Device, bool) {
		t.Helper()
		n, err := tr.Apply(o)
		if err != nil {
			t.Fatal(err)
		}
		d, err := tr.Device(m)
		if err != nil {
			t.Fatal(err)
		}
		return d, n > 0
	}
	expire := func(now time.Time) []inventory.Device {
		t.Helper()
		var gone []inventory.Device
		if _, err := tr.UpdateDevices(func(d *inventory.Device) bool {
			if inventory.Offline(d, now, grace) {
				gone = append(gone, *d)
				return true
			}
			return false
		}); err != nil {
			t.Fatal(err)
		}
		return gone
	}
	d, changed := observe(inventory.Observation{Time: t0, Source: inventory.SourceARP, MAC: m, IP: netip.MustParseAddr("10.0.0.5")})
	if !changed || !d.Online || !d.StatusChanged.Equal(t0) {
		t.Fatalf("first sighting: online=%v changed=%v at %v", d.Online, changed, d.StatusChanged)
	}
	if gone := expire(t0.Add(3 * time.Minute)); len(gone) != 0 {
		t.Errorf("offline at the edge of the window: %+v", gone)
	}
	if _, changed := observe(inventory.Observation{Time: t0.Add(2 * time.Minute), Source: inventory.SourceARP, MAC: m, IP: netip.MustParseAddr("10.0.0.5")}); changed {
		t.Error("a repeat sighting while online reported a change")
	}
	if got := expire(t0.Add(5*time.Minute + time.Second)); len(got) != 1 || got[0].Online {
		t.Fatalf("silent past the window: %+v", got)
	}
	if got := expire(t0.Add(10 * time.Minute)); len(got) != 0 {
		t.Errorf("offline reported twice: %+v", got)
	}
	d, changed = observe(inventory.Observation{Time: t0.Add(11 * time.Minute), Source: inventory.SourceMDNS, MAC: m})
	if !changed || !d.Online || d.FirstSeen != t0 || d.LastSeen != t0.Add(11*time.Minute) {
		t.Errorf("back: online=%v first=%v last=%v", d.Online, d.FirstSeen, d.LastSeen)
	}
}
