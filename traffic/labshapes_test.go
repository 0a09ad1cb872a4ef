package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// The attack and office shapes that captures staged with the real tools
// (scripts/stage-detections.sh, testdata/staged) showed the detectors
// mishandling, one test each, built frame by frame.

// TestMaimonScan: nmap -sM probes with FIN+ACK, which no connection sends
// to dozens of ports.
func TestMaimonScan(t *testing.T) {
	r := newRig(t, Config{})
	for i := range 40 {
		r.feed(t0.Add(time.Duration(i)*time.Millisecond), tcpFrame(t, evilMAC, "10.0.0.66", 52011, nasMAC, "10.0.0.30", uint16(i+1), tcpFlags{fin: true, ack: true}, nil))
	}
	wantOne(t, r, inventory.EventPortScan, evilMAC.String(), "10.0.0.66")
}

// TestMultiPortClientIsNoScan: a backup or passive-FTP client opens
// connections to 40 open ports of one server within a minute; the server
// accepts each (SYN+ACK). The same client meeting 30 closed ports besides
// ten open ones is probing.
func TestMultiPortClientIsNoScan(t *testing.T) {
	for _, tc := range []struct {
		name   string
		closed int
		want   int
	}{
		{"every port accepted", 0, 0},
		{"most ports refused", 30, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range 40 {
				at := t0.Add(time.Duration(i) * 100 * time.Millisecond)
				port, cport := uint16(5000+i), uint16(40000+i)
				r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", cport, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, nil))
				if i < tc.closed {
					r.feed(at, tcpFrame(t, nasMAC, "10.0.0.30", port, pcMAC, "10.0.0.10", cport, tcpFlags{rst: true, ack: true}, nil))
					continue
				}
				r.feed(at, tcpFrame(t, nasMAC, "10.0.0.30", port, pcMAC, "10.0.0.10", cport, tcpFlags{syn: true, ack: true}, nil))
				r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", cport, nasMAC, "10.0.0.30", port, tcpFlags{ack: true, psh: true}, []byte("RETR f\r\n")))
				r.feed(at, tcpFrame(t, nasMAC, "10.0.0.30", port, pcMAC, "10.0.0.10", cport, tcpFlags{ack: true, psh: true}, make([]byte, 1400)))
			}
			if got := r.of(inventory.EventPortScan); len(got) != tc.want {
				t.Fatalf("%d port_scan events, want %d: %+v", len(got), tc.want, got)
			}
		})
	}
}

// TestPortScanDecoys: nmap -D sends every probe from decoy addresses too,
// through the scanner's own MAC; the event names the address that MAC
// claims in ARP, not the first decoy.
func TestPortScanDecoys(t *testing.T) {
	r := newRig(t, Config{})
	r.feed(t0, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.30"))
	for i := range 30 {
		at := t0.Add(time.Second + time.Duration(i)*time.Millisecond)
		for _, src := range []string{"10.0.0.77", "10.0.0.78", "10.0.0.66"} {
			r.feed(at, tcpFrame(t, evilMAC, src, 61000, nasMAC, "10.0.0.30", uint16(i+1), tcpFlags{syn: true}, nil))
		}
	}
	ev := wantOne(t, r, inventory.EventPortScan, evilMAC.String(), "10.0.0.66")
	if !strings.Contains(evidenceText(ev), "decoys") {
		t.Errorf("evidence does not mention the decoys: %q", evidenceText(ev))
	}
}

// TestRogueDHCPWithTheGatewayAsRouter: a rogue server that hands out the
// real gateway as router (and itself as DNS server) answers before the
// gateway's own DHCP server; once the gateway answers, the rogue is named,
// never the gateway.
func TestRogueDHCPWithTheGatewayAsRouter(t *testing.T) {
	rogue, client := hw("00:0c:29:00:00:99"), hw("3c:52:82:00:00:11")
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	// The gateway as router, itself as DNS server: the names it hijacks.
	evil := []layers.DHCPOption{dhcpOpt(layers.DHCPOptRouter, "10.0.0.1"), dhcpOpt(layers.DHCPOptDNS, "10.0.0.99")}
	r.feed(t0, dhcpAnswer(t, rogue, "10.0.0.99", client, "10.0.0.210", 2, evil...))
	r.feed(t0.Add(time.Second), dhcpReply(t, gwMAC, "10.0.0.1", client, "10.0.0.150", "10.0.0.1", 2))
	r.feed(t0.Add(2*time.Second), dhcpReply(t, gwMAC, "10.0.0.1", client, "10.0.0.150", "10.0.0.1", 5))
	r.feed(t0.Add(3*time.Second), dhcpAnswer(t, rogue, "10.0.0.99", client, "10.0.0.210", 5, evil...))
	wantOne(t, r, inventory.EventRogueDHCP, rogue.String(), "10.0.0.99")

	t.Run("a DHCP server beside the gateway", func(t *testing.T) {
		// An office's Windows server hands out the gateway; the gateway serves no DHCP.
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		for i := range 5 {
			r.feed(t0.Add(time.Duration(i)*time.Minute), dhcpReply(t, nasMAC, "10.0.0.30", client, "10.0.0.150", "10.0.0.1", 5))
		}
		if len(r.all()) != 0 {
			t.Fatalf("the only server raised %+v", r.all())
		}
	})
}

// TestSecondDefaultRouter: during the learning period, a host that
// advertises itself as the IPv6 default router beside the gateway
// (fake_router6) is rogue whichever advertises first; a router
// advertisement with lifetime 0 (a Thread border router's routes) is not.
func TestSecondDefaultRouter(t *testing.T) {
	allNodes := hw("33:33:00:00:00:01")
	gwRA := func(r *rig, at time.Time) {
		r.feed(at, icmp6Frame(t, gwMAC, "fe80::21a:a1ff:fe00:1", allNodes, "ff02::1", 134, raBody(1800, gwMAC)))
	}
	evilRA := func(r *rig, at time.Time, lifetime uint16) {
		r.feed(at, icmp6Frame(t, evilMAC, "fe80::ba27:ebff:fe00:66", allNodes, "ff02::1", 134, raBody(lifetime, evilMAC)))
	}
	for _, tc := range []struct {
		name        string
		gatewayLast bool
		lifetime    uint16
		want        int
	}{
		{"after the gateway", false, 1800, 1},
		{"before the gateway", true, 1800, 1},
		{"lifetime 0", false, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
			r.baseline(t0, 20*time.Second)
			at := t0.Add(30 * time.Second)
			if !tc.gatewayLast {
				gwRA(r, at)
			}
			evilRA(r, at.Add(time.Second), tc.lifetime)
			evilRA(r, at.Add(2*time.Second), tc.lifetime)
			if tc.gatewayLast {
				gwRA(r, at.Add(3*time.Second))
			}
			got := r.of(inventory.EventRogueRA)
			if len(got) != tc.want {
				t.Fatalf("%d rogue_ra events, want %d: %+v", len(got), tc.want, got)
			}
			if tc.want == 1 && (got[0].MAC.String() != evilMAC.String() || got[0].TargetMAC.String() != gwMAC.String()) {
				t.Errorf("rogue_ra names %s against %s", got[0].MAC, got[0].TargetMAC)
			}
		})
	}
}

// mdnsAnswer is an mDNS response announcing name at the address at.
func mdnsAnswer(t testing.TB, srcMAC net.HardwareAddr, src, name, at string) []byte {
	d := &layers.DNS{QR: true, AA: true,
		Answers: []layers.DNSResourceRecord{{Name: []byte(name), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 120, IP: ip4(at)}}}
	ip := &layers.IPv4{Version: 4, TTL: 255, Protocol: layers.IPProtocolUDP, SrcIP: ip4(src), DstIP: ip4("224.0.0.251")}
	udp := &layers.UDP{SrcPort: 5353, DstPort: 5353}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: hw("01:00:5e:00:00:fb"), EthernetType: layers.EthernetTypeIPv4}, ip, udp, d)
}

// TestMDNSPoisoning: Responder answers mDNS queries for three names, all
// at its own address; a sleep proxy answers for as many sleeping hosts at
// their addresses, which is its job.
func TestMDNSPoisoning(t *testing.T) {
	names := []string{"nas.local", "printer.local", "fileserver.local"}
	r := newRig(t, Config{})
	for i, n := range names {
		r.feed(t0.Add(time.Duration(i)*time.Second), mdnsAnswer(t, evilMAC, "10.0.0.66", n, "10.0.0.66"))
	}
	wantOne(t, r, inventory.EventNamePoisoning, evilMAC.String(), "10.0.0.66")

	proxy := newRig(t, Config{})
	for i, n := range names {
		proxy.feed(t0.Add(time.Duration(i)*time.Second), mdnsAnswer(t, pcMAC, "10.0.0.10", n, fmt.Sprintf("10.0.0.%d", 40+i)))
	}
	if got := proxy.all(); len(got) != 0 {
		t.Fatalf("a sleep proxy raised %+v", got)
	}
}

// TestGratuitousClaimsWithoutOwnAddress: a poisoner that never ARPs for an
// address of its own and keeps announcing the gateway's in gratuitous ARP
// is spoofing, not a duplicate address; a host misconfigured with the
// NAS's address announces it once and then speaks with requests while the
// NAS goes on speaking.
func TestGratuitousClaimsWithoutOwnAddress(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 30*time.Second)
	for i := range 4 {
		r.feed(at.Add(time.Duration(i)*2*time.Second), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.1", nil, "10.0.0.1"))
	}
	ev := wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "")
	if ev.Severity != inventory.SeverityCritical || ev.TargetMAC.String() != gwMAC.String() {
		t.Errorf("arp_spoof %s against %s", ev.Severity, ev.TargetMAC)
	}

	dup := hw("00:0c:29:00:00:31")
	r = newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	at = r.baseline(t0, 30*time.Second)
	r.feed(at, arpFrame(t, layers.ARPRequest, dup, "10.0.0.30", nil, "10.0.0.30"))
	for i := range 5 {
		r.feed(at.Add(time.Duration(i+1)*time.Second-time.Millisecond), pingFrame(t, nasMAC, "10.0.0.30", gwMAC, "10.0.0.1", 56))
		r.feed(at.Add(time.Duration(i+1)*time.Second), arpFrame(t, layers.ARPRequest, dup, "10.0.0.30", nil, "10.0.0.1"))
	}
	if got := r.of(inventory.EventARPSpoof); len(got) != 0 {
		t.Errorf("a duplicate address raised %+v", got)
	}
	wantOne(t, r, inventory.EventDuplicateIP, dup.String(), "")
}

// TestFloodAcrossWindowBoundary: 600 pings in two seconds to one host (300
// a second; the threshold is 500 within 10 s) that straddle a boundary of
// the clock-aligned counting windows are one flood (hping3 -1 -i u3333
// for 2 s, started at any moment).
func TestFloodAcrossWindowBoundary(t *testing.T) {
	r := newRig(t, Config{})
	start := t0.Add(-time.Second) // t0 is on a window boundary
	for i := range 600 {
		r.feed(start.Add(time.Duration(i)*time.Second/300), pingFrame(t, evilMAC, "10.0.0.66", nasMAC, "10.0.0.30", 56))
	}
	wantOne(t, r, inventory.EventFlood, evilMAC.String(), "10.0.0.66")
}

// TestShortSlowScan: nmap --scan-delay 1s -p 20-35 probes 16 closed ports
// in 16 s, under the per-minute threshold of 20 ports; the refusals give it
// away. A discovery app trying six closed ports of a printer again and
// again does not.
func TestShortSlowScan(t *testing.T) {
	probe := func(r *rig, at time.Time, src net.HardwareAddr, srcIP string, sport, port uint16) {
		r.feed(at, tcpFrame(t, src, srcIP, sport, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, nil))
		r.feed(at.Add(time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", port, src, srcIP, sport, tcpFlags{rst: true, ack: true}, nil))
	}
	r := newRig(t, Config{})
	for i := range 16 {
		probe(r, t0.Add(time.Duration(i)*time.Second), evilMAC, "10.0.0.66", 45123, uint16(20+i))
	}
	wantOne(t, r, inventory.EventPortScan, evilMAC.String(), "10.0.0.66")

	r = newRig(t, Config{})
	for i := range 60 {
		for j, port := range []uint16{9100, 515, 631, 80, 443, 8080} {
			probe(r, t0.Add(time.Duration(i)*time.Minute+time.Duration(j)*time.Second), pcMAC, "10.0.0.10", uint16(50000+i*6+j), port)
		}
	}
	if got := r.all(); len(got) != 0 {
		t.Fatalf("a discovery app raised %+v", got)
	}
}

// TestDHCPServerPingChecksAreNoSweep: during a starvation attack the
// gateway's DHCP server checks each address it is about to offer (ARP, then
// an echo request: dnsmasq, ISC dhcpd's ping-check, Windows conflict
// detection); forty in a minute are no host sweep by the gateway. (The
// first check precedes the first offer, which makes the server known.)
func TestDHCPServerPingChecksAreNoSweep(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	for i := range 40 {
		at := t0.Add(time.Duration(i) * time.Second)
		addr := fmt.Sprintf("10.0.0.%d", 150+i)
		client := net.HardwareAddr{0x02, 0, 0, 0, 0, byte(i)}
		r.feed(at, arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.1", nil, addr))
		if i%4 == 0 { // an address in use answers, and gets the echo request
			r.feed(at.Add(10*time.Millisecond), pingFrame(t, gwMAC, "10.0.0.1", pcMAC, addr, 56))
		}
		r.feed(at.Add(500*time.Millisecond), dhcpReply(t, gwMAC, "10.0.0.1", client, addr, "10.0.0.1", 2))
	}
	if got := r.of(inventory.EventHostSweep); len(got) != 0 {
		t.Fatalf("the DHCP server's ping checks raised %+v", got)
	}
}

// TestDuplicateAddressAnswering: a host given the NAS's address answers the
// PC's requests for it beside the NAS: answers to requests are no
// announcements, so it stays a duplicate address, not spoofing.
func TestDuplicateAddressAnswering(t *testing.T) {
	dup := hw("00:0c:29:00:00:31")
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 30*time.Second)
	for i := range 5 {
		at := at.Add(time.Duration(i) * 10 * time.Second)
		r.feed(at, arpFrame(t, layers.ARPRequest, pcMAC, "10.0.0.10", nil, "10.0.0.30"))
		r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPReply, nasMAC, "10.0.0.30", pcMAC, "10.0.0.10"))
		r.feed(at.Add(2*time.Millisecond), arpFrame(t, layers.ARPReply, dup, "10.0.0.30", pcMAC, "10.0.0.10"))
	}
	if got := r.of(inventory.EventARPSpoof); len(got) != 0 {
		t.Errorf("a duplicate address raised %+v", got)
	}
	wantOne(t, r, inventory.EventDuplicateIP, dup.String(), "")
}

// TestMidAttackStartTakesTheRealOwner: a capture that begins while
// arpspoof runs hears the spoofer claim the gateway first; once the
// conflict names it, the gateway's address belongs to the real gateway
// (what the flood and router-advertisement rules take as the gateway's
// MAC), and the spoofer's next claim is a gateway change.
func TestMidAttackStartTakesTheRealOwner(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	r.feed(t0, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.10"))
	r.feed(t0.Add(time.Second), arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
	r.feed(t0.Add(2*time.Second), arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
	wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "10.0.0.66")
	if m, ok := r.e.gatewayMAC(); !ok || m != mac(gwMAC) {
		t.Errorf("gateway MAC %s, want %s", net.HardwareAddr(m[:]), gwMAC)
	}
	r.feed(t0.Add(3*time.Second), arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
	wantOne(t, r, inventory.EventGatewayChanged, evilMAC.String(), "")
}
