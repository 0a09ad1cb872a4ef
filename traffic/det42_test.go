package traffic

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

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

// TestSweepWalkLive: live, a ping sweep of 40 consecutive addresses, 8 of
// them silent, is raised when its round's window ends, not after
// sweepHold; the same pings to 40 scattered known hosts (every other
// address), 8 silent, keep the hold (a poll's first round).
func TestSweepWalkLive(t *testing.T) {
	for _, tc := range []struct {
		step int
		want int // host sweeps above info once the round's window has passed
	}{{1, 1}, {2, 0}} {
		r := newRig(t, Config{Learning: time.Minute})
		at := r.baseline(t0, 2*time.Minute)
		for i := range 40 {
			ts := at.Add(time.Duration(i) * 100 * time.Millisecond)
			m, a := hw(fmt.Sprintf("00:50:56:00:02:%02x", i)), fmt.Sprintf("10.0.0.%d", 100+tc.step*i)
			r.feed(ts, pingFrame(t, pcMAC, "10.0.0.10", m, a, 56))
			if i%5 != 4 {
				r.feed(ts, arpFrame(t, layers.ARPReply, m, a, pcMAC, "10.0.0.10"))
			}
		}
		r.e.Tick(at.Add(r.e.cfg.Window + 10*time.Second))
		r.e.Tick(at.Add(r.e.cfg.Window + 10*time.Second + sweepSvcGather))
		if n := sweepsAbove(r.events, inventory.SeverityInfo); n != tc.want {
			t.Fatalf("step %d: %d host sweeps above info before sweepHold, want %d: %+v", tc.step, n, tc.want, r.events)
		}
		if tc.want == 1 && !strings.Contains(r.events[len(r.events)-1].Evidence[len(r.events[len(r.events)-1].Evidence)-1].Detail+fmt.Sprint(r.events), "consecutive addresses") {
			t.Errorf("no walk named: %+v", r.events)
		}
	}
}
