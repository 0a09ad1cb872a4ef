package traffic

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// tftpEvents are the tftp insecure_protocol events of the staged capture
// file replayed with the lab's gateway gw.
func tftpEvents(t *testing.T, file, gw string) []inventory.Event {
	t.Helper()
	var out []inventory.Event
	for _, ev := range replayEvents(t, filepath.Join("testdata", "staged", file), labelled{Gateway: gw}) {
		if ev.Type == inventory.EventInsecureProtocol && strings.HasPrefix(ev.Summary, "tftp ") {
			out = append(out, ev)
		}
	}
	return out
}

// nmap -sU's TFTP probe (a read request for "r7tftp.txt") that no host
// answered names no TFTP server (review 33b n04); a server that answered
// (DATA blocks of a PXE boot storm, lock-step transfers) stays raised, one
// event per server.
func TestTFTPServerIsOneThatAnswered(t *testing.T) {
	if evs := tftpEvents(t, "udp-top100-scan-tftp-probe-nmap.pcap", "10.33.2.1"); len(evs) != 0 {
		t.Errorf("unanswered TFTP probes raised %d events: %s", len(evs), evs[0].Summary)
	}
	for _, f := range []string{"benign-tftp-20-clients-lockstep-cut.pcap.gz", "benign-pxe-bootstorm-35-tftp-cut.pcap.gz"} {
		if evs := tftpEvents(t, f, "10.32.0.1"); len(evs) != 1 {
			t.Errorf("%s: %d tftp events, want 1 (the answering server's)", f, len(evs))
		}
	}
}

// A LAN forwarder (dnsmasq; unbound, its names in random case) relaying a client's tunnel queries upstream is
// the client's path, not a second client (issue 14): the staged lab
// capture raises one dns_tunnel naming the client, its evidence naming the
// forwarder (checked: fails without dnsForwarded, two events, the
// forwarder's the second).
func TestDNSTunnelForwarderIsThePath(t *testing.T) {
	for _, f := range []string{"dns-tunnel-via-lan-forwarder-dnsmasq-scapy.pcap", "dns-tunnel-via-lan-forwarder-unbound-0x20-scapy.pcap"} {
		var tun []inventory.Event
		for _, ev := range replayEvents(t, filepath.Join("testdata", "staged", f), labelled{Gateway: "10.33.9.1"}) {
			if ev.Type == inventory.EventDNSTunnel {
				tun = append(tun, ev)
			}
		}
		if len(tun) != 1 || tun[0].MAC.String() != "00:1b:21:33:09:50" {
			t.Fatalf("%s: dns_tunnel events %+v, want one naming the client 00:1b:21:33:09:50", f, tun)
		}
		if !strings.Contains(fmt.Sprint(tun[0].Evidence), "forwarded upstream by 10.33.9.2 (00:1b:21:33:09:02)") {
			t.Errorf("%s: evidence %v does not name the forwarder", f, tun[0].Evidence)
		}
	}
}

// TestDNSTunnelForwarderRules: a LAN resolver (it answered a PC's query
// from port 53) that asks upstream the encoded names a client asked it is
// the client's path: one dns_tunnel, the client's, naming the resolver;
// the resolver asking encoded names no client asked it is raised, and so
// is a host that re-asks a client's names without ever answering DNS
// (checked: "forwarded" fails without dnsForwarded, two events).
func TestDNSTunnelForwarderRules(t *testing.T) {
	for _, tc := range []struct {
		name            string
		answers, client bool
		want            []string // culprits
	}{
		{"forwarded", true, true, []string{atkMAC.String()}},
		{"resolver's own", true, false, []string{nasMAC.String()}},
		{"no DNS server", false, true, []string{atkMAC.String(), nasMAC.String()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, at := slowHTTPRig(t)
			if tc.answers {
				ans := dnsQueryMsg(7, 1, "www", "example", "com")
				ans[2] |= 0x80
				r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 53, pcMAC, "10.0.0.10", 40000, ans))
			}
			for i := range 30 {
				q := dnsQueryMsg(uint16(i), 16, b32(i, 56), b32(i+1000, 52), "c2", "exfil", "example")
				if tc.client {
					r.feed(at, udpFrame(t, atkMAC, "10.0.0.66", uint16(30000+i), nasMAC, "10.0.0.30", 53, q))
				}
				r.feed(at.Add(3*time.Millisecond), udpFrame(t, nasMAC, "10.0.0.30", uint16(50000+i), gwMAC, "9.9.9.9", 53, q))
				at = at.Add(300 * time.Millisecond)
			}
			var got []string
			for _, ev := range r.of(inventory.EventDNSTunnel) {
				got = append(got, ev.MAC.String())
				if fw := strings.Contains(fmt.Sprint(ev.Evidence), "forwarded upstream by 10.0.0.30"); fw != (tc.name == "forwarded") {
					t.Errorf("forwarder evidence %v: %v", fw, ev.Evidence)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("dns_tunnel culprits %v, want %v", got, tc.want)
			}
		})
	}
}

// TestTFTPAnswerAfterClockStepsBack (the corpus's ndpi_tftp.pcap, captures
// joined with their time stepping back an hour): a request whose frame is
// older than the engine's clock still waits tftpGather for its server's
// DATA (checked: fails with the incident due on the frame's time, dropped
// as unanswered at the next frame).
func TestTFTPAnswerAfterClockStepsBack(t *testing.T) {
	r := newRig(t, Config{})
	r.feed(t0.Add(time.Hour), udpFrame(t, pcMAC, "10.0.0.10", 40000, gwMAC, "10.0.0.1", 123, make([]byte, 48)))
	r.feed(t0, udpFrame(t, pcMAC, "10.0.0.10", 41000, nasMAC, "10.0.0.30", 69, []byte("\x00\x01rfc1350.txt\x00octet\x00")))
	r.feed(t0.Add(100*time.Millisecond), udpFrame(t, nasMAC, "10.0.0.30", 3445, pcMAC, "10.0.0.10", 41000, append([]byte{0, 3, 0, 1}, make([]byte, 512)...)))
	wantOne(t, r, inventory.EventInsecureProtocol, nasMAC.String(), "10.0.0.30")
}
