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

// fa33GW is the tests' gateway.
var fa33GW = netip.MustParseAddr("10.0.0.1")

// evidenceOf joins an event's evidence details.
func evidenceOf(ev inventory.Event) string {
	var s []string
	for _, x := range ev.Evidence {
		s = append(s, x.Detail)
	}
	return strings.Join(s, "; ")
}

// relayed rewrites an answer built by dhcpAnswer as a relay agent on the
// LAN sends it: from relayIP (its giaddr).
func relayed(b []byte, relayIP string) []byte {
	copy(b[26:30], ip4(relayIP).To4())
	return b
}

// Review 33b d_spoofid: scapy races the gateway's dnsmasq with answers sent
// from the gateway's address under the gateway's server identifier, from
// its own MAC. Fails without dhcpforge.go's serverForged (the rogue's
// answer, naming the gateway, was trusted as the gateway's: no event).
func TestRogueDHCPForgedServerID(t *testing.T) {
	rogue := scope("255.255.255.0", "10.0.0.66", "10.0.0.66")
	t.Run("forged identifier raised", func(t *testing.T) {
		r := newRig(t, Config{Gateway: fa33GW})
		r.feed(t0, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
		r.feed(t0, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
		r.feed(t0.Add(time.Second), dhcpAnswer(t, evilMAC, "10.0.0.1", pcMAC, "10.0.0.200", 2, rogue...))
		r.feed(t0.Add(5*time.Second), dhcpAnswer(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.150", 2, scope("255.255.255.0", "10.0.0.1", "10.0.0.1")...))
		evs := r.of(inventory.EventRogueDHCP)
		if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].IP.String() != "10.0.0.66" {
			t.Fatalf("want one rogue_dhcp naming %s at 10.0.0.66, got %+v", evilMAC, evs)
		}
		ev := evidenceOf(evs[0])
		for _, want := range []string{"10.0.0.1 is " + gwMAC.String() + "'s", "offered router 10.0.0.66", "offered DNS server 10.0.0.66"} {
			if !strings.Contains(ev, want) {
				t.Errorf("evidence lacks %q: %s", want, ev)
			}
		}
	})
	quiet := map[string]func(r *rig){
		"the gateway answering": func(r *rig) {
			r.feed(t0.Add(time.Second), dhcpAnswer(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.150", 2, scope("255.255.255.0", "10.0.0.1", "10.0.0.1")...))
		},
		"a relay forwarding the NAS's answers": func(r *rig) {
			r.feed(t0, arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.1"))
			r.feed(t0.Add(time.Second), relayed(dhcpAnswer(t, gwMAC, "10.0.0.30", pcMAC, "10.0.0.150", 2, officeScope("10.0.0.30")...), "10.0.0.1"))
		},
		"a VRRP gateway answering from the master's MAC": func(r *rig) {
			r.feed(t0, arpFrame(t, layers.ARPReply, hw("00:00:5e:00:01:01"), "10.0.0.1", pcMAC, "10.0.0.10"))
			r.feed(t0.Add(time.Second), dhcpAnswer(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.150", 2, scope("255.255.255.0", "10.0.0.1", "10.0.0.1")...))
		},
	}
	for name, play := range quiet {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: fa33GW})
			r.feed(t0, arpFrame(t, layers.ARPRequest, pcMAC, "10.0.0.10", nil, "10.0.0.1"))
			play(r)
			if evs := r.of(inventory.EventRogueDHCP); len(evs) != 0 {
				t.Fatalf("raised %+v", evs)
			}
		})
	}
}

// Review 33b d_opt121: TunnelVision's routes (two instances of option 121,
// concatenated per RFC 3396) are the evidence. Fails without classlessOf
// (the evidence named only the router and DNS server).
func TestRogueDHCPClasslessRoutesInEvidence(t *testing.T) {
	r := newRig(t, Config{Gateway: fa33GW})
	r.feed(t0, dhcpAnswer(t, gwMAC, "10.0.0.1", nasMAC, "10.0.0.150", 5, scope("255.255.255.0", "10.0.0.1", "10.0.0.1")...))
	routes := []layers.DHCPOption{layers.NewDHCPOption(121, []byte{1, 0, 10, 0, 0, 66}), layers.NewDHCPOption(121, []byte{1, 128, 10, 0, 0, 66})}
	r.feed(t0.Add(time.Second), dhcpAnswer(t, evilMAC, "10.0.0.66", pcMAC, "10.0.0.200", 2, append(scope("255.255.255.0", "10.0.0.1", "10.0.0.1"), routes...)...))
	evs := r.of(inventory.EventRogueDHCP)
	if len(evs) != 1 {
		t.Fatalf("want one rogue_dhcp, got %+v", evs)
	}
	if ev := evidenceOf(evs[0]); !strings.Contains(ev, "0.0.0.0/1 via 10.0.0.66, 128.0.0.0/1 via 10.0.0.66") || !strings.Contains(ev, "ignores the router option") {
		t.Errorf("evidence lacks the classless routes: %s", ev)
	}
}

func TestClasslessRoutes(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{[]byte{0, 10, 0, 0, 1}, "0.0.0.0/0 via 10.0.0.1"},
		{[]byte{24, 192, 168, 5, 10, 0, 0, 66, 32, 1, 2, 3, 4, 10, 0, 0, 1}, "192.168.5.0/24 via 10.0.0.66, 1.2.3.4/32 via 10.0.0.1"},
		{[]byte{33, 0, 0, 0, 0, 0, 10, 0, 0, 1}, ""}, // prefix too long
		{[]byte{24, 192, 168}, ""},                   // cut short
		{nil, ""},
	} {
		if got := classlessRoutes(tc.in); got != tc.want {
			t.Errorf("classlessRoutes(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// dhcpReleaseFrame builds a DHCPRELEASE for chaddr's lease ciaddr, unicast
// to the server 10.0.0.1 from frame source src.
func dhcpReleaseFrame(t testing.TB, src, chaddr net.HardwareAddr, ciaddr string) []byte {
	d := &layers.DHCPv4{Operation: layers.DHCPOpRequest, HardwareType: layers.LinkTypeEthernet, HardwareLen: 6, Xid: 9,
		ClientIP: ip4(ciaddr), ClientHWAddr: chaddr, Options: layers.DHCPOptions{
			layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{byte(layers.DHCPMsgTypeRelease)}),
			dhcpOpt(layers.DHCPOptServerID, "10.0.0.1"), layers.NewDHCPOption(layers.DHCPOptEnd, nil)}}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip4(ciaddr), DstIP: ip4("10.0.0.1")}
	udp := &layers.UDP{SrcPort: 68, DstPort: 67}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: src, DstMAC: gwMAC, EthernetType: layers.EthernetTypeIPv4}, ip, udp, d)
}

// Review 33b d01_release: DHCPRELEASEs of other clients' leases from the
// attacker's MAC. Fails without releaseForged (no event).
func TestDHCPReleaseForged(t *testing.T) {
	start := func(t *testing.T) *rig {
		r := newRig(t, Config{Gateway: fa33GW})
		r.feed(t0, arpFrame(t, layers.ARPRequest, pcMAC, "10.0.0.10", nil, "10.0.0.1"))
		r.feed(t0, arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.1"))
		r.feed(t0, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
		return r
	}
	r := start(t)
	r.feed(t0.Add(time.Second), dhcpReleaseFrame(t, evilMAC, pcMAC, "10.0.0.10"))
	r.feed(t0.Add(2*time.Second), dhcpReleaseFrame(t, evilMAC, nasMAC, "10.0.0.30"))
	evs := r.of(inventory.EventDHCPReleaseForged)
	if len(evs) != 2 {
		t.Fatalf("want one dhcp_release_forged per victim, got %+v", evs)
	}
	for i, victim := range []net.HardwareAddr{pcMAC, nasMAC} {
		ev := evs[i]
		if ev.MAC.String() != evilMAC.String() || ev.TargetMAC.String() != victim.String() || ev.Severity != inventory.SeverityMedium || ev.IP.String() != "10.0.0.66" {
			t.Errorf("event %d: %+v", i, ev)
		}
	}
	for name, frame := range map[string][]byte{
		"the client releasing its own lease":               dhcpReleaseFrame(t, pcMAC, pcMAC, "10.0.0.10"),
		"a release routed from another subnet by a router": dhcpReleaseFrame(t, gwMAC, hw("3c:52:82:00:00:99"), "10.9.0.10"),
	} {
		t.Run(name, func(t *testing.T) {
			r := start(t)
			r.feed(t0.Add(time.Second), frame)
			if evs := r.of(inventory.EventDHCPReleaseForged); len(evs) != 0 {
				t.Fatalf("raised %+v", evs)
			}
		})
	}
}

// Review 33b d02_decline: a DECLINE flood says it declined the addresses.
// Fails without starveState.what (it said it "asked for" leases).
func TestDHCPDeclineFloodWording(t *testing.T) {
	r := newRig(t, Config{Gateway: fa33GW})
	for i := 0; i < 55; i++ {
		chaddr := hw(fmt.Sprintf("02:00:00:00:01:%02x", i))
		r.feed(t0.Add(time.Duration(i)*200*time.Millisecond), dhcpClient(t, evilMAC, chaddr, uint32(i),
			layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{byte(layers.DHCPMsgTypeDecline)}),
			dhcpOpt(layers.DHCPOptRequestIP, fmt.Sprintf("10.0.0.%d", 100+i))))
	}
	evs := r.of(inventory.EventDHCPStarvation)
	if len(evs) != 1 {
		t.Fatalf("want one dhcp_starvation, got %+v", evs)
	}
	if s := evs[0].Summary; !strings.Contains(s, " declined ") || !strings.Contains(s, "DHCP addresses (the server marks each declined address in use)") || strings.Contains(s, "asked for") {
		t.Errorf("summary: %s", s)
	}
}

// Review 33d s4 without --gateway: a router forwards a client's unicast
// RELEASE from another subnet (a trunk's mirror sees the client's frame,
// then the router's copy from its MAC). The copy of the client's own
// message is no forgery; the same RELEASE from the router's MAC with no
// such message before it (or one older than releaseCopyWithin) is raised.
// Fails without releasedBy (the copy raised Medium naming the router).
func TestDHCPReleaseRoutedCopyNoGateway(t *testing.T) {
	client, router := hw("3c:52:82:aa:00:10"), hw("00:11:22:33:44:01")
	for _, c := range []struct {
		name  string
		own   time.Duration // when the client's own RELEASE came before the copy (0: never)
		raise bool
	}{{"the client's own release forwarded", 100 * time.Microsecond, false}, {"no release of the client's own", 0, true}, {"the client's release long before", 5 * time.Second, true}} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, Config{})
			r.feed(t0, arpFrame(t, layers.ARPRequest, client, "10.20.0.50", nil, "10.20.0.1"))
			r.feed(t0, arpFrame(t, layers.ARPReply, router, "10.20.0.1", client, "10.20.0.50"))
			at := t0.Add(10 * time.Second)
			if c.own > 0 {
				r.feed(at.Add(-c.own), dhcpReleaseFrame(t, client, client, "10.20.0.50"))
			}
			r.feed(at, dhcpReleaseFrame(t, router, client, "10.20.0.50"))
			if evs := r.of(inventory.EventDHCPReleaseForged); (len(evs) == 1) != c.raise || len(evs) > 1 {
				t.Fatalf("want raised %v: %+v", c.raise, evs)
			}
		})
	}
}
