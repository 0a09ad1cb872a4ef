package traffic

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// forgedSYNs feeds 20 SYNs at 2/s from the attacker under 20 public
// sources toward the NAS, to the port port(i), and the frames after(at)
// after the first.
func forgedSYNs(t *testing.T, r *rig, at time.Time, port func(i int) uint16, after func(at time.Time)) {
	for i := range 20 {
		src := fmt.Sprintf("%d.%d.7.9", 20+i, 3*i+1)
		r.feed(at.Add(time.Duration(i)*500*time.Millisecond), tcpSeqFrame(t, evilMAC, src, uint16(1000+i), nasMAC, "10.0.0.30", port(i), tcpFlags{syn: true}, 0, 0, nil))
		if i == 0 && after != nil {
			after(at)
		}
	}
}

// wantOneSpoofed fails t unless one spoofed_source names the attacker
// (10.0.0.66) toward the NAS.
func wantOneSpoofed(t *testing.T, r *rig) {
	t.Helper()
	evs := r.of(inventory.EventSpoofedSource)
	if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].TargetIP != netip.MustParseAddr("10.0.0.30") {
		t.Fatalf("want one spoofed_source by %s toward 10.0.0.30, got %+v", evilMAC, r.all())
	}
}

// TestOffLinkBareACKNoRouter: one bare ACK under an off-link source 20 ms
// after the first forged SYN acknowledges no SYN+ACK: the forged SYNs are
// still raised (review 33c c-spoof-ack-after-first-syn). Checked to fail
// without spoofshake.go (the ACK made the MAC a router for good).
func TestOffLinkBareACKNoRouter(t *testing.T) {
	r, at := spoofRig(t)
	forgedSYNs(t, r, at, func(int) uint16 { return 80 }, func(at time.Time) {
		r.feed(at.Add(20*time.Millisecond), tcpSeqFrame(t, evilMAC, "198.51.100.7", 1000, nasMAC, "10.0.0.30", 80, tcpFlags{ack: true}, 1, 12345, nil))
	})
	wantOneSpoofed(t, r)
}

// TestOffLinkOneShakeNoRouter: one handshake completed (the SYN+ACK to
// the sender's MAC acknowledged) is not enough: more than one make a
// router. Checked to fail with spoofShakesDone 1.
func TestOffLinkOneShakeNoRouter(t *testing.T) {
	r, at := spoofRig(t)
	forgedSYNs(t, r, at, func(int) uint16 { return 80 }, func(at time.Time) {
		r.feed(at.Add(time.Millisecond), tcpSeqFrame(t, nasMAC, "10.0.0.30", 80, evilMAC, "20.1.7.9", 1000, tcpFlags{syn: true, ack: true}, 900, 1, nil))
		r.feed(at.Add(2*time.Millisecond), tcpSeqFrame(t, evilMAC, "20.1.7.9", 1000, nasMAC, "10.0.0.30", 80, tcpFlags{ack: true}, 1, 901, nil))
	})
	wantOneSpoofed(t, r)
}

// TestOffLinkThreePortsRaised: forged SYNs over 80, 443 and 8080, which
// port_scan does not raise, are a spoofed_source (review 33c
// c-spoof-3ports). Checked to fail without the port scan's done test.
func TestOffLinkThreePortsRaised(t *testing.T) {
	r, at := spoofRig(t)
	forgedSYNs(t, r, at, func(i int) uint16 { return [3]uint16{80, 443, 8080}[i%3] }, nil)
	wantOneSpoofed(t, r)
	if evs := r.of(inventory.EventPortScan); len(evs) != 0 {
		t.Fatalf("want no port_scan, got %+v", evs)
	}
}

// TestRogueDHCPForgedIDThirdHost: answers under the gateway's identifier
// from the attacker's MAC handing out a third host (10.0.0.99) as router
// and DNS server, before the gateway's own answers, are a rogue_dhcp once
// the gateway answered (review 33c h-rogue-dhcp-forged-id-third-host);
// a second MAC answering under the identifier with what the gateway hands
// out (a bond, a failover, new hardware: review 27b) stays quiet, and so
// does a forged answer judged after the server's. Checked to fail without
// dhcpforgeref.go (nothing raised).
func TestRogueDHCPForgedIDThirdHost(t *testing.T) {
	gw := scope("255.255.255.0", "10.0.0.1", "10.0.0.1")
	for name, tc := range map[string]struct {
		forged   []layers.DHCPOption
		gwFirst  bool
		want     int
		wantText string
	}{
		"third host, server after":  {scope("255.255.255.0", "10.0.0.99", "10.0.0.99"), false, 1, "hand out router 10.0.0.1, DNS server 10.0.0.1"},
		"third host, server before": {scope("255.255.255.0", "10.0.0.99", "10.0.0.99"), true, 1, "offered router 10.0.0.99"},
		"same options, after":       {gw, false, 0, ""},
		"same options, before":      {gw, true, 0, ""},
	} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: fa33GW})
			r.feed(t0, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
			r.feed(t0, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
			at := t0.Add(time.Second)
			if tc.gwFirst {
				r.feed(at, dhcpAnswer(t, gwMAC, "10.0.0.1", nasMAC, "10.0.0.150", 5, gw...))
			}
			r.feed(at.Add(time.Second), dhcpAnswer(t, evilMAC, "10.0.0.1", pcMAC, "10.0.0.200", 2, tc.forged...))
			r.feed(at.Add(4*time.Second), dhcpAnswer(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.151", 2, gw...))
			evs := r.of(inventory.EventRogueDHCP)
			if len(evs) != tc.want {
				t.Fatalf("want %d rogue_dhcp, got %+v", tc.want, evs)
			}
			if tc.want == 1 && (evs[0].MAC.String() != evilMAC.String() || !strings.Contains(evidenceOf(evs[0]), tc.wantText)) {
				t.Fatalf("want the attacker named with %q, got %+v", tc.wantText, evs[0])
			}
		})
	}
}
