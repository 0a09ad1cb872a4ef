package discovery

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/gopacket/pcapgo"

	"tend/capture"
	"tend/inventory"
)

// corpusPcap is the reference captures folder (see ../shared/corpus/README.md).
func corpusPcap(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", "pcap")
	if d := os.Getenv("TEND_CORPUS"); d != "" {
		dir = filepath.Join(filepath.Dir(d), "pcap")
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.jsonl")); err != nil {
		t.Skipf("corpus captures not found at %s (it sits beside the project in CI): %v", dir, err)
	}
	return dir
}

type packet struct {
	ts   time.Time
	data []byte
}

// readCapture reads a pcap or pcapng file with gopacket's pure-Go readers.
func readCapture(t testing.TB, path string) []packet {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	magic, err := br.Peek(4)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []packet
	if string(magic) == "\x0a\x0d\x0d\x0a" {
		r, err := pcapgo.NewNgReader(br, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for {
			data, ci, err := r.ReadPacketData()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			out = append(out, packet{ci.Timestamp, data})
		}
		return out
	}
	r, err := pcapgo.NewReader(br)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for {
		data, ci, err := r.ReadPacketData()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, packet{ci.Timestamp, data})
	}
	return out
}

// replay runs captures through a Passive and merges the observations into
// devices keyed by MAC, the way the wiring does.
func replay(t testing.TB, paths ...string) (map[string]*inventory.Device, PassiveStats) {
	t.Helper()
	p := NewPassive(PassiveConfig{})
	devs := map[string]*inventory.Device{}
	for _, path := range paths {
		for _, pk := range readCapture(t, path) {
			for _, o := range p.Frame(pk.ts, pk.data) {
				d := devs[o.MAC.String()]
				if d == nil {
					d = &inventory.Device{}
					devs[o.MAC.String()] = d
				}
				inventory.Merge(d, o)
				inventory.Track(d, o)
			}
		}
	}
	return devs, p.Stats()
}

func TestPassiveCorpus(t *testing.T) {
	dir := corpusPcap(t)
	type want struct {
		mac                                      string
		ip, hostname, make, model, os, firmware  string
		clientID, vendor, params, ipv6           string
		names, services, caps, sources, otherMAC []string
	}
	tests := []struct {
		file string
		want []want
	}{
		{"l2disc/3560_CDP.pcap", []want{{mac: "00:19:06:ea:b8:85", ip: "192.168.0.1", hostname: "Switch", make: "Cisco",
			model: "WS-C3560G-24PS", os: "Cisco IOS", firmware: "12.2(25)SEB4", caps: []string{"switch", "igmp"}, sources: []string{"cdp"}}}},
		{"l2disc/cdp-v1.pcap", []want{{mac: "00:e0:1e:d5:d5:15", ip: "192.168.10.1", hostname: "R1", make: "Cisco", model: "1601",
			os: "Cisco IOS", firmware: "11.2(12)P", caps: []string{"router"}}}},
		{"l2disc/lldp.pcap", []want{{mac: "00:22:2d:81:db:10", ip: "192.168.2.10", hostname: "SMCGS8P-Smart", firmware: "3.20",
			caps: []string{"bridge"}, sources: []string{"lldp"}}}},
		{"l2disc/wireshark-lldp.pcap", []want{{mac: "00:01:30:f9:ad:a0", hostname: "Summit300-48", firmware: "7.4e.1",
			caps: []string{"bridge", "router"}}}},
		{"synthetic/lab_discovery_announcements_scapy.pcap", []want{
			{mac: "00:1a:a1:00:00:01", ip: "10.213.0.1", hostname: "SW-CORE-01.office.lan", make: "Cisco", model: "WS-C2960X-24PS-L",
				os: "Cisco IOS", firmware: "15.2(7)E3", sources: []string{"cdp", "lldp", "nd"}, ipv6: "fe80::21a:a1ff:fe00:1"},
			{mac: "00:80:77:00:00:20", ip: "10.213.0.20", hostname: "BRN008077000020", make: "Brother", model: "MFC-L2710DW series",
				names: []string{"BRN008077000020", "Brother MFC-L2710DW series"}, services: []string{"_ipp._tcp"}, sources: []string{"mdns"}},
			{mac: "00:11:32:00:00:30", ip: "10.213.0.30", make: "Synology", services: []string{"upnp:rootdevice"}, sources: []string{"ssdp"}},
			{mac: "3c:52:82:00:00:10", ip: "10.213.0.10", sources: []string{"nbns"}},
		}},
		{"discovery/ubntac2.pcap", []want{{mac: "80:2a:a8:8d:69:2c", ip: "192.168.1.1", hostname: "ubnt", make: "Ubiquiti",
			model: "UGW3", firmware: "4.3.33.4936086", otherMAC: []string{"80:2a:a8:8d:69:2b"}, sources: []string{"ubiquiti"}}}},
		{"dhcp/dhcp.pcap", []want{{mac: "90:b1:1c:99:49:29", ip: "128.2.6.189", hostname: "btest.is.cool", sources: []string{"dhcp"}}}},
		{"dhcp/dhcp_nolease_initialization.pcapng", []want{{mac: "00:0c:29:59:fd:21", ip: "192.168.1.10", hostname: "ubuntu2",
			params: "1,28,2,3,15,6,119,12,44,47,26,121,42"}}},
		{"dhcp/wireshark-dhcp.pcap", []want{{mac: "00:0b:82:01:fc:42", ip: "192.168.0.10", clientID: "01000b8201fc42", params: "1,3,6,42"}}},
		{"synthetic/lab_rogue_dhcp_scapy.pcap", []want{{mac: "3c:52:82:00:00:10", hostname: "WS-ACCT-01", vendor: "MSFT 5.0"},
			// the rogue server offers itself as the gateway (option 3)
			{mac: "00:0c:29:00:00:99", ip: "10.213.0.99", services: []string{"dhcp-server", "dhcp-gateway"}}}},
		{"discovery/mdns.pcap", []want{{mac: "8a:3c:d6:e1:4d:c4", ip: "10.0.2.7", hostname: "johanna-QEMU-Virtual-Machine",
			ipv6: "fd52:429e:c03c:8235:883c:d6ff:fee1:4dc4", sources: []string{"mdns"}}}},
		{"arp/arp_gratuitous.pcapng", []want{{mac: "00:03:47:b7:f2:f5", ip: "24.6.125.19", sources: []string{"arp_passive"}}}},
		{"discovery/nbns.pcap", []want{{mac: "00:50:56:33:78:9e", ip: "192.168.239.129", hostname: "MDJR98", sources: []string{"nbns"}}}},
		{"discovery/netbios.pcap", []want{{mac: "00:1c:c4:10:79:0f", ip: "10.0.4.24", hostname: "GUNNAR"},
			{ip: "10.0.5.9", hostname: "NVR9", os: "Windows NT 6.1", caps: []string{"workstation"}},
			{mac: "ec:a8:6b:f4:60:77", ip: "10.0.5.1", hostname: "GURU"}}},
		{"discovery/upnp.pcap", []want{{mac: "18:db:f2:2f:a0:18", ip: "192.168.61.66", sources: []string{"wsd"}}}},
		{"arp/arp-leak.pcap", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			devs, st := replay(t, filepath.Join(dir, tt.file))
			t.Logf("%d frames, %d decoded, %d malformed, %d devices", st.Frames, st.Decoded, st.Malformed, len(devs))
			if tt.file == "arp/arp-leak.pcap" && st.Malformed == 0 {
				t.Error("the malformed ARP frames were not counted as malformed")
			}
			for _, d := range devs {
				t.Logf("  %s ip=%s host=%q make=%q model=%q os=%q fw=%q names=%q svc=%q caps=%q src=%v",
					d.MAC, d.IP, d.Hostname, d.Make, d.Model, d.OS, d.Firmware, d.Names, d.Services, d.Capabilities, d.Sources)
			}
			for _, w := range tt.want {
				d := devs[w.mac]
				if w.mac == "" { // the test knows the address, not the MAC
					for _, x := range devs {
						if x.IP.IsValid() && x.IP.String() == w.ip {
							d = x
						}
					}
				}
				if d == nil {
					t.Errorf("no device %s", w.mac)
					continue
				}
				check := func(field, got, want string) {
					if want != "" && got != want {
						t.Errorf("%s %s = %q, want %q", w.mac, field, got, want)
					}
				}
				ip := ""
				if d.IP.IsValid() {
					ip = d.IP.String()
				}
				check("ip", ip, w.ip)
				check("hostname", d.Hostname, w.hostname)
				check("make", d.Make, w.make)
				check("model", d.Model, w.model)
				check("os", d.OS, w.os)
				check("firmware", d.Firmware, w.firmware)
				check("dhcp vendor", d.DHCPVendor, w.vendor)
				check("dhcp params", d.DHCPParams, w.params)
				if w.clientID != "" && !slices.Contains(d.ClientIDs, w.clientID) {
					t.Errorf("%s client ids %q lack %q", w.mac, d.ClientIDs, w.clientID)
				}
				if w.ipv6 != "" && !slices.Contains(d.IPv6, netip.MustParseAddr(w.ipv6)) {
					t.Errorf("%s ipv6 %v lack %s", w.mac, d.IPv6, w.ipv6)
				}
				for _, n := range w.names {
					if !slices.Contains(d.Names, n) {
						t.Errorf("%s names %q lack %q", w.mac, d.Names, n)
					}
				}
				for _, s := range w.services {
					if !slices.Contains(d.Services, s) {
						t.Errorf("%s services %q lack %q", w.mac, d.Services, s)
					}
				}
				for _, c := range w.caps {
					if !slices.Contains(d.Capabilities, c) {
						t.Errorf("%s capabilities %q lack %q", w.mac, d.Capabilities, c)
					}
				}
				for _, s := range w.sources {
					if !slices.Contains(d.Sources, inventory.Source(s)) {
						t.Errorf("%s sources %v lack %s", w.mac, d.Sources, s)
					}
				}
				for _, m := range w.otherMAC {
					if !slices.ContainsFunc(d.OtherMACs, func(x inventory.MAC) bool { return x.String() == m }) {
						t.Errorf("%s other macs %v lack %s", w.mac, d.OtherMACs, m)
					}
				}
				if strings.ContainsAny(d.Hostname+d.Model+d.Firmware, "\x00\n") {
					t.Errorf("%s: control characters kept: %q", w.mac, d.Hostname+d.Model+d.Firmware)
				}
			}
		})
	}
}

// BenchmarkPassivePacket is discovery's share of the per-frame cost: the
// identity decoders over packets capture has decoded (ordinary traffic
// yields a throttled presence sighting at most).
func BenchmarkPassivePacket(b *testing.B) {
	path := filepath.Join("..", "..", "shared", "corpus", "pcap", "synthetic", "lab_nmap_syn_scan.pcap")
	src, err := capture.OpenFile(path)
	if err != nil {
		b.Skipf("corpus capture absent: %v", err)
	}
	var frames [][]byte
	for {
		f, err := src.ReadFrame()
		if err != nil {
			break
		}
		frames = append(frames, bytes.Clone(f.Data))
	}
	src.Close()
	d := capture.NewDecoder()
	p := NewPassive(PassiveConfig{})
	at := time.Unix(1e9, 0)
	for _, f := range frames {
		p.Packet(d.Decode(capture.Frame{Time: at, Data: f}))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		at = at.Add(time.Microsecond)
		p.Packet(d.Decode(capture.Frame{Time: at, Data: frames[i%len(frames)]}))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// TestHold: the held Passive yields what AppendPacket does, and holds the
// lock Stats takes until the release (a deterministic check: no timing
// decides whether Stats blocked).
func TestHold(t *testing.T) {
	router := []byte{0x00, 0x13, 0x7f, 0x4f, 0x8e, 0xf2}
	d := capture.NewDecoder()
	at := time.Unix(1764000000, 0)
	var frames [][]byte
	for i := range 4 {
		frames = append(frames, ipv4Frame(router, [4]byte{208, 80, 152, byte(i)}, [4]byte{10, 0, 0, 5}))
	}
	var want, got []inventory.Observation
	free := NewPassive(PassiveConfig{})
	for _, f := range frames {
		want = free.AppendPacket(want, d.Decode(capture.Frame{Time: at, Data: f}))
	}
	p := NewPassive(PassiveConfig{})
	appendPacket, release := p.Hold()
	for _, f := range frames {
		got = appendPacket(got, d.Decode(capture.Frame{Time: at, Data: f}))
	}
	if len(want) != 2 { // a sighting, then the forwarder
		t.Errorf("free Passive gave %d observations, want 2: %+v", len(want), want)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("held Passive (-free +held):\n%s", diff)
	}
	if p.mu.TryLock() {
		p.mu.Unlock()
		t.Fatal("Hold does not hold the lock Stats takes")
	}
	release()
	release() // once only
	if !p.mu.TryLock() {
		t.Fatal("the release left the lock held")
	}
	p.mu.Unlock()
	if diff := cmp.Diff(PassiveStats{Frames: 4, Decoded: 1}, p.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}
