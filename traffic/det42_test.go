package traffic

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"tend/capture"
	"tend/inventory"
)

// TestSIPScannerAgent reads svwar's requests (real bytes: "User-Agent:
// friendly-scanner") and agents of scanners and of phones and PBXes.
func TestSIPScannerAgent(t *testing.T) {
	reqs := stagedPayloads(t, "sip-extension-scan-svwar.pcap", func(p *capture.Packet) bool {
		return p.Has&capture.HasUDP != 0 && p.UDP.DstPort == sipPort && !strings.HasPrefix(string(p.Payload()), "SIP/2.0 ")
	})
	if len(reqs) == 0 {
		t.Fatal("no SIP request in the fixture")
	}
	for _, b := range reqs {
		if ua, i := sipScannerAgent(b); i != 0 || string(ua) != "friendly-scanner" {
			t.Fatalf("svwar's request read as %q, %d", ua, i)
		}
	}
	for _, tc := range []struct {
		ua   string
		want int
	}{
		{"sipcli/v1.8", 2},
		{"VaxSIPUserAgent/3.1", 3},
		{"pplsip", 4},
		{"sundayddr", 5},
		{"Yealink SIP-T46S 66.86.0.15", -1},
		{"Asterisk PBX 20.5.0", -1},
		{"Grandstream GXP2170 1.0.11.23", -1},
	} {
		b := []byte("OPTIONS sip:100@10.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.66:5060\r\nUser-Agent: " + tc.ua + "\r\nContent-Length: 0\r\n\r\n")
		if _, i := sipScannerAgent(b); i != tc.want {
			t.Errorf("%q: got %d, want %d", tc.ua, i, tc.want)
		}
	}
}

// TestSIPToolNamed replays svwar (brute_force) and the PBX's phones: the
// scanner's event names its tool, the phones raise nothing.
func TestSIPToolNamed(t *testing.T) {
	evs := replayFile(t, filepath.Join("testdata", "staged", "sip-extension-scan-svwar.pcap"), Config{})
	named := 0
	for _, ev := range evs {
		for _, x := range ev.Evidence {
			if strings.HasPrefix(x.Detail, "tool: friendly-scanner (SIPVicious)") {
				named++
				if ev.Type != inventory.EventBruteForce || ev.IP != netip.MustParseAddr("10.35.1.66") {
					t.Errorf("named in %+v", ev)
				}
			}
		}
	}
	if named != 1 {
		t.Errorf("want the tool named once, got %d in %+v", named, evs)
	}
}

// FuzzSIPScannerAgent: any request reads within its bounds; a named agent
// is part of the bytes read and names a table row.
func FuzzSIPScannerAgent(f *testing.F) {
	f.Add([]byte("OPTIONS sip:100@1.2.3.4 SIP/2.0\r\nUser-Agent: friendly-scanner\r\n\r\n"))
	f.Add([]byte("REGISTER sip:x SIP/2.0\nuser-agent:\n"))
	f.Add([]byte("\nUser-Agent: sipcli"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ua, i := sipScannerAgent(b)
		if i >= len(sipScanners) || i < 0 && ua != nil || i >= 0 && !containsFold(ua, sipScanners[i]) {
			t.Fatalf("got %q, %d", ua, i)
		}
	})
}
