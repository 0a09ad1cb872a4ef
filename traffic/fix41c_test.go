package traffic

import (
	"context"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"tend/capture"
	"tend/inventory"
)

// TestHTTPRequestFlood replays ab without keep-alive past the flood window
// (review 41 P8): the state restarts and is raised at its first own SYN,
// its handshakes noted while it is held; every SYN completed its handshake
// with a GET, so it is an HTTP request flood by evil, still High. hping3's
// SYN floods (answered with RST, or forged sources) keep the SYN name.
func TestHTTPRequestFlood(t *testing.T) {
	cfg := Config{Gateway: netip.MustParseAddr("10.88.8.1")}
	var got []inventory.Event
	for _, ev := range replayFile(t, filepath.Join("testdata", "staged", "flood-http-requests-ab-completed-handshakes-cut.pcap.gz"), cfg) {
		if ev.Type == inventory.EventFlood {
			got = append(got, ev)
		}
	}
	if len(got) != 1 || got[0].Severity != inventory.SeverityHigh || got[0].MAC.String() != "b8:27:eb:00:00:66" ||
		!strings.Contains(got[0].Summary, "sent an HTTP request flood toward 10.88.8.30") ||
		!strings.Contains(evidenceText(got[0]), "completed their handshake and sent data") {
		t.Fatalf("ab: want one High HTTP request flood by evil, got %+v", got)
	}
	for _, name := range []string{"syn-flood-hping3.pcap", "syn-flood-hping3-rst-answers-ns.pcap.gz", "syn-flood-mausezahn.pcap"} {
		n := 0
		for _, ev := range replayFile(t, filepath.Join("testdata", "staged", name), Config{}) {
			if ev.Type == inventory.EventFlood && strings.Contains(ev.Summary, "TCP") {
				n++
				if !strings.Contains(ev.Summary, "TCP SYN") || strings.Contains(evidenceText(ev), "completed their handshake") {
					t.Errorf("%s: a SYN flood renamed: %s", name, ev.Summary)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no TCP SYN flood", name)
		}
	}
}

// TestSocketSweepCount replays svmap and nbtscan sweeping the /24 through
// the kernel's sockets (review 41 P2): the event counts the 254 addresses
// probed by its report (ARP to each, the service's datagram to those that
// answered), not the 24 of its threshold, and names the service.
func TestSocketSweepCount(t *testing.T) {
	cfg := Config{Gateway: netip.MustParseAddr("10.88.8.1")}
	for name, svc := range map[string]string{"host-sweep-sip-svmap.pcap": "for SIP (5060)", "host-sweep-netbios-nbtscan.pcap": "for NetBIOS name service (137)"} {
		var got []inventory.Event
		for _, ev := range replayFile(t, filepath.Join("testdata", "staged", name), cfg) {
			if ev.Type == inventory.EventHostSweep {
				got = append(got, ev)
			}
		}
		if len(got) != 1 || got[0].Severity != inventory.SeverityHigh || !strings.Contains(got[0].Summary, "probed 254 hosts (the first 24 within ") ||
			!strings.HasSuffix(got[0].Summary, svc) || !strings.Contains(evidenceText(got[0]), "hosts probed by this report: 254") {
			t.Errorf("%s: want one High sweep of 254 hosts %s, got %+v", name, svc, got)
		}
	}
}

// TestSamePortProbe reads the fixtures' own datagrams: svmap's OPTIONS
// from 5060 and nbtscan's NBSTAT queries from 137 are sweep probes; the
// targets' answers (a SIP response, an NBSTAT response) are not.
func TestSamePortProbe(t *testing.T) {
	for name, port := range map[string]uint16{"host-sweep-sip-svmap.pcap": 5060, "host-sweep-netbios-nbtscan.pcap": 137} {
		src, err := capture.OpenFile(filepath.Join("testdata", "staged", name))
		if err != nil {
			t.Fatal(err)
		}
		probes, answers := 0, 0
		err = capture.Run(context.Background(), src, func(p *capture.Packet) {
			if p.Has&capture.HasUDP == 0 || uint16(p.UDP.DstPort) != port && uint16(p.UDP.SrcPort) != port {
				return
			}
			u := p.UDP
			if p.SrcIP().String() == "10.88.8.66" {
				probes += int(b2u(samePortProbe(&u)))
				if !samePortProbe(&u) {
					t.Errorf("%s: a probe not taken: % x", name, u.Payload)
				}
			} else if samePortProbe(&u) {
				answers++
			}
		})
		src.Close()
		if err != nil {
			t.Fatal(err)
		}
		if probes < 24 || answers != 0 {
			t.Errorf("%s: %d probes, %d answers taken for probes", name, probes, answers)
		}
	}
}
