package traffic

import (
	"bytes"
	"encoding/hex"
	"net/netip"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// Frames of fake-router6-alone-thc.pcap (stage-detections.sh
// v6_fake_router6_alone): evil's kernel soliciting routers at link-up, then
// atk6-fake_router6's advertisement (lifetime 2048, hop limit 255, RIOs
// ::/0, 2000::/3, fc00::/7, RDNSS).
const (
	evilRS37 = "333300000002b827eb00006686dd6000000000103afffe80000000000000ba27ebfffe000066ff02000000000000000000000000000285003411000000000101b827eb000066"
	evilRA37 = "333300000001b827eb00006686dd6e00000000a03afffe80000000000000ba27ebfffe000066ff0200000000000000000000000000018600f45dff080800000000000000040005010000000005dc030440c0111111110404040400000000fd8800080066000000000000000000000101b827eb0000661803000800001111000000000000000000000000000000001803030800001111200000000000000000000000000000001803070800001111fc0000000000000000000000000000001903000001010101ff0200000000000000000000000000fb"
)

// asSender rewrites a recorded neighbour discovery frame's sender MAC
// (Ethernet source and link-layer option) and link-local source to m's.
func asSender(t *testing.T, s string, from, m string) []byte {
	b := raBytes(t, s)
	old, _ := hex.DecodeString(strings.ReplaceAll(from, ":", ""))
	nm := hw(m)
	b = bytes.ReplaceAll(b, old, nm)
	ll := netip.AddrFrom16([16]byte{0: 0xfe, 1: 0x80, 8: nm[0] ^ 2, 9: nm[1], 10: nm[2], 11: 0xff, 12: 0xfe, 13: nm[3], 14: nm[4], 15: nm[5]}).As16()
	copy(b[14+8:14+24], ll[:])
	return b
}

// TestHostRA: a default router advertisement on a LAN where no router
// advertises and none is configured (review 36a P5, r36a's no-router
// scenarios): raised High when its sender solicited routers (a host's
// kernel), or carries thc's hop limit 255 or a route for half of IPv6;
// radvd's plain advertisement from a router (review 36b's r2) stays quiet,
// as does the gateway's own after it solicited routers.
func TestHostRA(t *testing.T) {
	evil, r2 := "b8:27:eb:00:00:66", "00:1b:21:36:00:02"
	for _, tc := range []struct {
		name, rs, ra, sender string
		want                 []string
	}{
		{"thc after its kernel's solicitation", evilRS37, evilRA37, evil, []string{"solicited routers", "hop limit 255", "2000::/3"}},
		{"thc alone", "", evilRA37, evil, []string{"hop limit 255", "2000::/3"}},
		{"radvd from a router", "", r2RA36b, r2, nil},
		{"radvd from a host that solicited routers", asHex(asSender(t, evilRS37, evil, r2)), r2RA36b, r2, []string{"solicited routers"}},
		{"the gateway after soliciting routers", asHex(asSender(t, evilRS37, evil, "00:1a:a1:36:00:01")), gwRA36b, "00:1a:a1:36:00:01", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("192.168.36.1")})
			at := time.Date(2026, 12, 7, 4, 49, 50, 0, time.UTC)
			gw, host := hw("00:1a:a1:36:00:01"), hw("f8:bc:12:36:01:65")
			r.feed(at, arpFrame(t, layers.ARPRequest, host, "192.168.36.101", nil, "192.168.36.1"))
			r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPReply, gw, "192.168.36.1", host, "192.168.36.101"))
			if tc.rs != "" {
				r.feed(at.Add(time.Second), raBytes(t, tc.rs))
			}
			for i := 0; i < 3; i++ {
				r.feed(at.Add(time.Duration(2+5*i)*time.Second), raBytes(t, tc.ra))
			}
			evs := r.of(inventory.EventRogueRA)
			if tc.want == nil {
				if len(evs) != 0 {
					t.Fatalf("got %+v", evs)
				}
				return
			}
			if len(evs) != 1 || evs[0].Severity != inventory.SeverityHigh || evs[0].MAC.String() != tc.sender {
				t.Fatalf("got %+v", evs)
			}
			why := evs[0].Evidence[0].Detail
			for _, w := range tc.want {
				if !strings.Contains(why, w) {
					t.Fatalf("evidence %q lacks %q", why, w)
				}
			}
		})
	}
}

func asHex(b []byte) string { return hex.EncodeToString(b) }

func staged(name string) string { return filepath.Join("testdata", "staged", name) }

// TestICMP6Tunnel: ICMPv6 echoes are read as ICMP's (stage-detections.sh
// icmp6_tunnel_python: a file in 480-byte chunks in 60 echo requests to
// the NAS, echoed by its kernel) and raise one icmp_tunnel naming the PC;
// ping -6 -s 1400 and -s 65000, path MTU probes and neighbour discovery
// (benign_icmp6_pings) stay quiet. Fails without icmp6Echo (nothing).
func TestICMP6Tunnel(t *testing.T) {
	cfg := Config{Gateway: netip.MustParseAddr("10.88.8.1")}
	var tun []inventory.Event
	for _, ev := range replayFile(t, staged("icmp6-tunnel-python.pcap"), cfg) {
		if ev.Type == inventory.EventICMPTunnel {
			tun = append(tun, ev)
		}
	}
	if len(tun) != 1 || tun[0].MAC.String() != "3c:52:82:00:00:10" || tun[0].TargetIP != netip.MustParseAddr("fd88:8::30") || tun[0].Severity != inventory.SeverityMedium {
		t.Fatalf("want one Medium icmp_tunnel by the PC toward fd88:8::30, got %+v", tun)
	}
	for _, ev := range replayFile(t, staged("benign-icmp6-pings.pcap.gz"), cfg) {
		if ev.Severity.Rank() > inventory.SeverityInfo.Rank() {
			t.Errorf("benign ping -6: %+v", ev)
		}
	}
}

// TestProtocolScanCounts: nmap -sO's port_scan summary says the protocols
// probed up to its report and the span, not the threshold's "8 IP
// protocols within 0s" (review 36a, nmap_sO). Fails with protoProbe's
// count stopping at the report.
func TestProtocolScanCounts(t *testing.T) {
	var scan *inventory.Event
	evs := replayFile(t, staged("protocol-scan-nmap.pcap"), Config{Gateway: netip.MustParseAddr("10.88.8.1")})
	for i := range evs {
		if evs[i].Type == inventory.EventPortScan {
			scan = &evs[i]
		}
	}
	if scan == nil {
		t.Fatalf("no port_scan: %+v", evs)
	}
	m := regexp.MustCompile(`probed (\d+) IP protocols of 10\.88\.8\.30 within ([0-9.]+)s$`).FindStringSubmatch(scan.Summary)
	if m == nil {
		t.Fatalf("summary %q", scan.Summary)
	}
	n, _ := strconv.Atoi(m[1])
	span, _ := strconv.ParseFloat(m[2], 64)
	if n <= protoScanProtos || span < 5 {
		t.Fatalf("want more than %d protocols over 5 s or more, got %q", protoScanProtos, scan.Summary)
	}
}

// TestRemoteShellBarePrompt: dash's and sh's bare prompts ("# ", "$ ",
// two bytes: sh +m -i over ncat --sh-exec, commands that print nothing)
// sent by a client are a reverse shell; the same from a console server
// after the engineer's Enter, and a client's bare "> ", stay quiet. Fails
// with bruteSegment's old 4-byte floor.
func TestRemoteShellBarePrompt(t *testing.T) {
	for _, tc := range []struct {
		name        string
		nasIsClient bool
		port        uint16
		play        []any
		want        bool
	}{
		{"dash's root prompt first", true, 4449, []any{fromCli, "# ", fromSrv, "cd /tmp\n", fromCli, "# "}, true},
		{"sh's user prompt after a command", true, 4450, []any{fromSrv, "umask 077\n", fromCli, "$ "}, true},
		{"a console server's prompt after Enter", false, 2001, []any{fromCli, "\r\n", fromSrv, "# "}, false},
		{"a client's bare quote mark", true, 5555, []any{fromSrv, "hi\n", fromCli, "> "}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			c := &conn{r: r, at: at, cliMAC: evilMAC, cliIP: "10.0.0.66", cport: 51000, srvMAC: nasMAC, srvIP: "10.0.0.30", sport: tc.port}
			if tc.nasIsClient {
				c = &conn{r: r, at: at, cliMAC: nasMAC, cliIP: "10.0.0.30", cport: 48214, srvMAC: evilMAC, srvIP: "10.0.0.66", sport: tc.port}
			}
			c.open().say(tc.play...)
			evs := r.of(inventory.EventRemoteShell)
			if !tc.want {
				if len(evs) != 0 {
					t.Fatalf("want none, got %+v", evs)
				}
				return
			}
			if len(evs) != 1 || evs[0].MAC.String() != nasMAC.String() || !strings.Contains(evs[0].Summary, "reverse shell") {
				t.Fatalf("want one reverse shell on the NAS, got %+v", r.all())
			}
		})
	}
}

// TestLANDOtherPortsNoGateway: hping3 -S -a NAS -p 80 NAS (each SYN from
// the next source port) is a LAND attack with no gateway configured too;
// masscan's probes of the scanner copied back by its router (review 31a
// m1) stay no LAND without the gateway as well. Fails with landOtherPort's
// old gateway condition (nothing for hping3).
func TestLANDOtherPortsNoGateway(t *testing.T) {
	land := func(name string) []inventory.Event {
		var out []inventory.Event
		for _, ev := range replayFile(t, staged(name), Config{}) {
			if ev.Type == inventory.EventSpoofedSource {
				out = append(out, ev)
			}
		}
		return out
	}
	if evs := land("land-ports-hping3.pcap.gz"); len(evs) != 1 || evs[0].MAC.String() != "b8:27:eb:00:00:66" || !strings.Contains(evs[0].Summary, "LAND") {
		t.Fatalf("hping3 LAND across ports: %+v", evs)
	}
	for _, name := range []string{"sweep-24-router-mac-rate100-masscan.pcap", "scan-27-100ports-router-mac-rate10000-masscan.pcap", "subnet-sweep-zmap.pcap"} {
		if evs := land(name); len(evs) != 0 {
			t.Errorf("%s: %+v", name, evs)
		}
	}
}
