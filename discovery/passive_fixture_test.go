package discovery

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tend/inventory"
)

// TestPassiveFixtures replays testdata/passive.pcap (made by
// testdata/gen_fixtures.py) and checks each frame's observation.
func TestPassiveFixtures(t *testing.T) {
	pkts := readCapture(t, "testdata/passive.pcap")
	p := NewPassive(PassiveConfig{})
	var got []inventory.Observation
	for _, pk := range pkts {
		obs := p.Frame(pk.ts, pk.data)
		if len(obs) != 1 {
			t.Fatalf("frame at %s gave %d observations, want 1", pk.ts, len(obs))
		}
		got = append(got, obs[0])
	}
	ts := func(i int) time.Time { return time.Unix(1764000000+int64(i), 0).UTC() }
	mac := func(s string) inventory.MAC { m, _ := inventory.ParseMAC(s); return m }
	ip := netip.MustParseAddr
	want := []inventory.Observation{
		{Time: ts(0), Source: inventory.SourceDHCP, MAC: mac("da:a1:19:00:00:01"), VLAN: 20, Hostname: "Anas-iPhone",
			Names: []string{"Anas-iPhone"}, DHCPClientID: "0070686f6e652d6f662d616e61", DHCPVendor: "android-dhcp-13",
			DHCPParams: "1,3,6,15,119,252", Evidence: []inventory.Evidence{{Source: "dhcp vendor class", Detail: "android-dhcp-13"}}},
		{Time: ts(1), Source: inventory.SourceWSD, MAC: mac("ac:cc:8e:10:00:5a"), IP: ip("10.77.0.90"), Model: "P1435-LE",
			Names: []string{"AXIS Lobby"}, Services: []string{"wsd:NetworkVideoTransmitter", "onvif:video_encoder"},
			Evidence: []inventory.Evidence{{Source: "ws-discovery xaddrs", Detail: "http://10.77.0.90/onvif/device_service"}}},
		{Time: ts(2), Source: inventory.SourceSSDP, MAC: mac("fc:3f:db:10:00:28"), IP: ip("10.77.0.40"), Make: "HP",
			Services: []string{"urn:schemas-upnp-org:device:Printer:1"},
			Evidence: []inventory.Evidence{{Source: "ssdp server", Detail: "HP HTTP Server; HP OfficeJet Pro 9010 UPnP/1.0 HP/1.0"},
				{Source: "ssdp location", Detail: "http://10.77.0.40:8080/desc.xml"}}},
		{Time: ts(3), Source: inventory.SourceMDNS, MAC: mac("00:03:93:10:00:67"), IP: ip("10.77.0.103"), Hostname: "studio",
			Names: []string{"studio"}, Services: []string{"_smb._tcp"}, Model: "MacBookPro18,3", OS: "macOS",
			Evidence: []inventory.Evidence{{Source: "mdns txt model", Detail: "MacBookPro18,3"}}},
		{Time: ts(4), Source: inventory.SourceLLDP, MAC: mac("64:16:7f:10:00:6f"), ChassisMAC: mac("64:16:7f:10:00:6e"),
			Hostname: "SEP64167F10006E", Names: []string{"SEP64167F10006E"}, Capabilities: []string{"phone"},
			Firmware: "8.1.2", Serial: "PX123456", Make: "Polycom", Model: "VVX 450"},
		{Time: ts(5), Source: inventory.SourceNBNS, MAC: mac("00:08:74:10:00:64"), IP: ip("10.77.0.100"), Hostname: "WS-DELL-01",
			Names: []string{"WS-DELL-01"}},
		{Time: ts(6), Source: inventory.SourceND, MAC: mac("4c:5e:0c:10:00:01"), IPv6: ip("fe80::4e5e:cff:fe10:1"),
			Capabilities: []string{"router"}},
		{Time: ts(7), Source: inventory.SourceARPPassive, MAC: mac("00:11:32:10:00:32"), IP: ip("10.77.0.50"),
			Evidence: []inventory.Evidence{{Source: "arp", Detail: "gratuitous announcement of 10.77.0.50"}}},
	}
	for i := range got {
		got[i].Time = got[i].Time.UTC()
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("observations (-want +got):\n%s", diff)
	}
	if st := p.Stats(); st.Frames != uint64(len(pkts)) || st.Decoded != uint64(len(pkts)) || st.Malformed != 0 {
		t.Errorf("stats %+v, want all %d frames decoded", st, len(pkts))
	}
}

func TestPassiveOwnFramesAndPresenceThrottle(t *testing.T) {
	own := []byte{0x02, 0x7e, 0x4e, 0xd0, 0x00, 0xfa}
	// A plain TCP segment from a host: no identity, only presence.
	tcp := func(src []byte) []byte {
		f := append([]byte{0x02, 0, 0, 0, 0, 1}, src...)
		f = append(f, 0x08, 0x00, 0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 10, 77, 0, 7, 10, 77, 0, 1)
		return append(f, make([]byte, 20)...)
	}
	host := []byte{0x00, 0x08, 0x74, 0, 0, 7}
	p := NewPassive(PassiveConfig{Own: []net.HardwareAddr{own}, HeardEvery: time.Minute, Prefixes: []netip.Prefix{netip.MustParsePrefix("10.77.0.0/24")}})
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	if obs := p.Frame(t0, tcp(own)); len(obs) != 0 {
		t.Errorf("the box's own frame gave %v", obs)
	}
	obs := p.Frame(t0, tcp(host))
	if len(obs) != 1 || obs[0].Source != inventory.SourceTraffic || obs[0].IP != netip.MustParseAddr("10.77.0.7") {
		t.Fatalf("first frame from a host: %+v", obs)
	}
	if obs := p.Frame(t0.Add(30*time.Second), tcp(host)); len(obs) != 0 {
		t.Errorf("presence inside the throttle window: %+v", obs)
	}
	if obs := p.Frame(t0.Add(61*time.Second), tcp(host)); len(obs) != 1 {
		t.Errorf("presence after the throttle window: %+v", obs)
	}
	outside := NewPassive(PassiveConfig{})
	if obs := outside.Frame(t0, tcp(host)); len(obs) != 1 || obs[0].IP.IsValid() {
		t.Errorf("without prefixes presence must carry no IP (a router forwards the world): %+v", obs)
	}
}

// FuzzPassiveFrame feeds arbitrary bytes to every decoder: nothing may
// panic, and every observation must name a unicast MAC.
func FuzzPassiveFrame(f *testing.F) {
	for _, pk := range readCapture(f, "testdata/passive.pcap") {
		f.Add(pk.data)
	}
	// The corpus captures, when present, seed every decoder with real frames.
	if dir := filepath.Join("..", "..", "shared", "corpus", "pcap"); fileExists(filepath.Join(dir, "manifest.jsonl")) {
		for _, name := range []string{"l2disc/3560_CDP.pcap", "l2disc/cdp-v1.pcap", "l2disc/lldp.pcap", "l2disc/wireshark-lldp.pcap",
			"synthetic/lab_discovery_announcements_scapy.pcap", "discovery/ubntac2.pcap", "discovery/mdns.pcap", "discovery/nbns.pcap",
			"discovery/upnp.pcap", "dhcp/dhcp.pcap", "dhcp/wireshark-dhcp.pcap", "arp/arp-leak.pcap", "synthetic/lab_rogue_dhcp_scapy.pcap",
			"l2disc/802.1D_spanning_tree.pcap", "train/benign/packetlife_DTP.cap", "office/ntp.pcap"} {
			for i, pk := range readCapture(f, filepath.Join(dir, name)) {
				if i < 20 {
					f.Add(pk.data)
				}
			}
		}
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		p := NewPassive(PassiveConfig{})
		for _, o := range p.Frame(time.Unix(0, 0), b) {
			if !unicastMAC([]byte(o.MAC)) {
				t.Fatalf("observation with MAC %v", o.MAC)
			}
			if o.IP.IsValid() && !o.IP.Is4() {
				t.Fatalf("IPv6 in the IPv4 field: %v", o.IP)
			}
			if slices.ContainsFunc(append([]string{o.Hostname, o.Model, o.Firmware}, o.Names...), func(s string) bool {
				return len([]rune(s)) > 255
			}) {
				t.Fatal("unbounded text")
			}
		}
	})
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// BenchmarkPassiveFrame measures the per-frame cost: ordinary traffic (the
// bulk of what a mirror port carries: must not allocate once throttled) and
// identity frames from the fixtures.
func BenchmarkPassiveFrame(b *testing.B) {
	tcp := append([]byte{0x02, 0, 0, 0, 0, 1, 0x00, 0x08, 0x74, 0, 0, 7, 0x08, 0x00,
		0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 10, 77, 0, 7, 10, 77, 0, 1}, make([]byte, 20)...)
	b.Run("ordinary", func(b *testing.B) {
		p := NewPassive(PassiveConfig{})
		ts := time.Unix(1764000000, 0)
		p.Frame(ts, tcp)
		b.ReportAllocs()
		for b.Loop() {
			p.Frame(ts, tcp)
		}
	})
	b.Run("identity", func(b *testing.B) {
		pkts := readCapture(b, "testdata/passive.pcap")
		p := NewPassive(PassiveConfig{})
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			pk := pkts[i%len(pkts)]
			p.Frame(pk.ts, pk.data)
			i++
		}
	})
}
