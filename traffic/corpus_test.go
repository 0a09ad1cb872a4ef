package traffic

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

func corpusDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", "pcap")
	if _, err := os.Stat(filepath.Join(dir, "manifest.jsonl")); err != nil {
		t.Skipf("pcap corpus absent: %v", err)
	}
	return dir
}

func replayFile(t testing.TB, path string, cfg Config) []inventory.Event {
	t.Helper()
	var evs []inventory.Event
	e := New(cfg, func(ev inventory.Event) { evs = append(evs, ev) })
	src, err := capture.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := capture.Run(context.Background(), src, e.Packet); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	return evs
}

// TestCorpusManifest replays every capture in the manifest. The ones whose
// description names an attack or a cleartext protocol must raise it, naming
// the culprit the description names; the rest must raise no attack.
func TestCorpusManifest(t *testing.T) {
	heavyUnderRace(t)
	dir := corpusDir(t)
	f, err := os.Open(filepath.Join(dir, "manifest.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type want struct {
		typ       inventory.EventType
		mac, ip   string
		targetMAC string
	}
	// From the manifest's descriptions.
	expect := map[string][]want{
		"synthetic/lab_arpspoof_dsniff.pcap": {
			{inventory.EventARPSpoof, "b8:27:eb:00:00:66", "10.213.0.66", "00:1a:a1:00:00:01"},
			{inventory.EventGatewayChanged, "b8:27:eb:00:00:66", "10.213.0.1", "00:1a:a1:00:00:01"},
		},
		"synthetic/lab_rogue_dhcp_scapy.pcap": {{inventory.EventRogueDHCP, "00:0c:29:00:00:99", "10.213.0.99", "3c:52:82:00:00:10"}},
		"synthetic/lab_nmap_syn_scan.pcap": {
			{inventory.EventPortScan, "b8:27:eb:00:00:66", "10.213.0.66", ""},
		},
		"synthetic/lab_arp_sweep_arpscan_nmap.pcap": {{inventory.EventHostSweep, "b8:27:eb:00:00:66", "10.213.0.66", ""}},
		"scan/synscan.pcapng":                       {{inventory.EventPortScan, "00:25:b3:bf:91:ee", "172.16.0.8", ""}},
		"scan/tcp_scan.pcapng":                      {{inventory.EventPortScan, "28:37:37:00:6d:c8", "192.168.1.178", ""}},
		"cleartext/telnet.pcap":                     {{inventory.EventInsecureProtocol, "00:00:c0:9f:a0:97", "192.168.0.1", "00:a0:cc:3b:bf:fa"}},
		"cleartext/snmpv1_get.pcap":                 {{inventory.EventInsecureProtocol, "", "", ""}},
		"smb/smbv1.pcap":                            {{inventory.EventInsecureProtocol, "00:50:56:e8:0a:b1", "10.128.0.243", ""}},
		"smb/wireshark-smb-on-windows10.pcap":       {{inventory.EventInsecureProtocol, "", "192.168.199.1", ""}},
		// Browser announcements over NetBIOS datagrams are SMB1.
		"discovery/netbios.pcap": {{inventory.EventInsecureProtocol, "00:30:48:b0:b1:94", "10.0.5.9", ""}},
		"discovery/nbns.pcap":    {{inventory.EventInsecureProtocol, "00:50:56:33:78:9e", "192.168.239.129", ""}},
	}
	attacks := map[inventory.EventType]bool{
		inventory.EventARPSpoof: true, inventory.EventGatewayChanged: true, inventory.EventDuplicateIP: true,
		inventory.EventRogueDHCP: true, inventory.EventPortScan: true, inventory.EventHostSweep: true,
		inventory.EventInsecureProtocol: true, inventory.EventTrafficSpike: true,
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	files := 0
	for sc.Scan() {
		var m struct {
			File, Category, Description string
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		files++
		t.Run(m.File, func(t *testing.T) {
			cfg := Config{}
			if m.Category == "synthetic" {
				// The lab's gateway, as the box knows it from its own route.
				cfg.Gateway = netip.MustParseAddr("10.213.0.1")
			}
			evs := replayFile(t, filepath.Join(dir, m.File), cfg)
			wants, described := expect[m.File]
			if !described {
				for _, ev := range evs {
					if attacks[ev.Type] {
						t.Errorf("%q raised %s: %s", m.Description, ev.Type, ev.Summary)
					}
				}
				return
			}
			for _, w := range wants {
				found := false
				for _, ev := range evs {
					if ev.Type == w.typ && (w.mac == "" || ev.MAC.String() == w.mac) && (w.ip == "" || ev.IP.String() == w.ip) &&
						(w.targetMAC == "" || ev.TargetMAC.String() == w.targetMAC) {
						found = true
					}
				}
				if !found {
					t.Errorf("%q: no %s naming %s %s (target %s); got %+v", m.Description, w.typ, w.mac, w.ip, w.targetMAC, evs)
				}
			}
			// Nothing is blamed on the victims.
			for _, ev := range evs {
				if attacks[ev.Type] && m.Category == "synthetic" && ev.Type != wants[0].typ && ev.Type != inventory.EventGatewayChanged {
					t.Errorf("unexpected %s: %s", ev.Type, ev.Summary)
				}
			}
		})
	}
	if files < 20 {
		t.Errorf("manifest lists %d captures; expected the whole corpus", files)
	}
}

// FuzzEngine feeds arbitrary frames (the malformed-ARP capture among the
// seeds) through decode and every detector.
func FuzzEngine(f *testing.F) {
	if dir := filepath.Join("..", "..", "shared", "corpus", "pcap"); true {
		for _, name := range []string{"arp/arp-leak.pcap", "cleartext/snmpv1_get.pcap", "synthetic/lab_rogue_dhcp_scapy.pcap", "smb/smbv1.pcap"} {
			src, err := capture.OpenFile(filepath.Join(dir, name))
			if err != nil {
				continue
			}
			for {
				fr, err := src.ReadFrame()
				if err != nil {
					break
				}
				f.Add(append([]byte(nil), fr.Data...))
			}
			src.Close()
		}
	}
	// The staged recordings in the repository reach the shapes the corpus
	// lacks (DHCPv6, ICMPv6 redirects and DAD, NDP floods, SCTP, IPv4
	// fragments): their first frames seed the fuzzer without the corpus.
	for _, name := range []string{"fake-dhcps6-thc.pcap", "redirect-redir6-thc.pcap", "dos-new-ip6-thc.pcap", "flood-solicitate6-thc.pcap", "sctp-init-scan-nmap.pcap", "fragmented-scan-nmap.pcap", "protocol-scan-nmap.pcap"} {
		src, err := capture.OpenFile(filepath.Join("testdata", "staged", name))
		if err != nil {
			f.Fatal(err)
		}
		for i := 0; i < 40; i++ {
			fr, err := src.ReadFrame()
			if err != nil {
				break
			}
			f.Add(append([]byte(nil), fr.Data...))
		}
		src.Close()
	}
	// Layer-2 control frames (STP, TCN, CDP, DTP), HSRP and VRRP, IPv6 and
	// SCTP fragments: the staged recordings hold them past their first frames.
	id := bridgeKey(0x8000, gwMAC)
	f.Add(configBPDU(gwMAC, id, id))
	f.Add(tcnBPDU(evilMAC))
	f.Add(frame8023(ciscoDst, evilMAC, snap(0x2000, cdpBody("SEP001B54000001"))))
	f.Add(frame8023(ciscoDst, evilMAC, snap(0x2004, dtpBody(0x03))))
	f.Add(hsrpFrame(f, evilMAC, "10.0.0.66", hsrpCoup, hsrpActive, 255))
	f.Add(vrrpFrame(f, evilMAC, "10.0.0.66", 254))
	f.Add(hsrp2Frame(f, evilMAC, "10.0.0.66", hsrpCoup, hsrp2Active, 255))
	f.Add(hsrp6Frame(f, evilMAC, "fe80::66", hsrpCoup, hsrp2Active, 255))
	f.Add(vrrp6Frame(f, evilMAC, "fe80::66", 254))
	seg := tcpFrame(f, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 80, tcpFlags{syn: true}, nil)[14+20:]
	for _, b := range fragments6(f, evilMAC, "fd00::66", nasMAC, "fd00::30", layers.IPProtocolTCP, seg, 7, 8) {
		f.Add(b)
	}
	for _, b := range sctpFragments(f, evilMAC, "10.0.0.66", nasMAC, "10.0.0.30", 80, 7, 8) {
		f.Add(b)
	}
	f.Add(arpFrame(f, 2, evilMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
	f.Add(dhcpReply(f, gwMAC, "10.0.0.1", pcMAC, "10.0.0.5", "10.0.0.1", 2))
	// One engine takes every input, all at t0 so nothing ages out: small
	// caps let a short run reach every table's cap and its eviction, and
	// keep a worker's state, and the per-input Flush over it, small.
	r := newRig(f, Config{Learning: 1, MaxHosts: 64, MaxTrackers: 64})
	f.Fuzz(func(t *testing.T, frame []byte) {
		r.feed(t0, frame)
		r.reset()
		if over := overCap(r.e); over != "" {
			t.Fatal(over)
		}
	})
}

// overCap names an engine table holding more than its cap, or is empty.
func overCap(e *Engine) string {
	h, tr := e.cfg.MaxHosts, e.cfg.MaxTrackers
	for _, c := range []struct {
		name   string
		n, cap int
	}{
		{"hosts", len(e.hosts), h}, {"order", len(e.order), h}, {"arp", len(e.arp), 2 * h}, {"nd", len(e.nd), 2 * h},
		{"ports", len(e.ports), tr}, {"sweeps", len(e.sweeps), tr}, {"floods", len(e.floods), tr},
		{"insecure", len(e.insecure), tr}, {"quiet", len(e.quiet), tr}, {"floodsTo", len(e.floodsTo), tr},
		{"slow", len(e.slow), tr}, {"scans", len(e.scans), tr}, {"scanSeen", e.scanSeen, tr},
		{"arpAsks", len(e.arpAsks), tr}, {"brute", len(e.brute), tr}, {"ssh", len(e.ssh), tr},
		{"routers", len(e.routers), 64}, {"dhcp servers", len(e.dhcp.seen), 64},
	} {
		if c.n > c.cap {
			return fmt.Sprintf("%s holds %d, past its cap %d", c.name, c.n, c.cap)
		}
	}
	return ""
}

func FuzzParseDHCP(f *testing.F) {
	b := dhcpReply(f, gwMAC, "10.0.0.1", pcMAC, "10.0.0.5", "10.0.0.1", 5)
	f.Add(b[14+20+8:])
	f.Fuzz(func(t *testing.T, b []byte) { ParseDHCP(b) })
}

func FuzzDetectInsecure(f *testing.F) {
	f.Add(true, uint16(445), uint16(40000), []byte("\x00\x00\x00\x40\xffSMB\x72\x00\x00\x00\x00\x98"))
	f.Add(false, uint16(40000), uint16(161), []byte{0x30, 0x82, 0x00, 0x10, 0x02, 0x01, 0x00, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c'})
	f.Add(true, uint16(40000), uint16(80), []byte("GET / HTTP/1.1\r\nAuthorization: Basic eA==\r\n"))
	f.Fuzz(func(t *testing.T, tcp bool, sp, dp uint16, payload []byte) {
		DetectInsecure(tcp, sp, dp, payload, []string{"public", "private"})
	})
}
