package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestIPv6RoutersSetting: with the gateway's MAC known, the default
// routers are the gateway and the configured IPv6 routers, learning or not
// and whether or not the gateway speaks IPv6; a router announcing no
// default route (lifetime 0) claims nothing.
func TestIPv6RoutersSetting(t *testing.T) {
	second := hw("f0:1f:af:00:00:11")
	allNodes := hw("33:33:00:00:00:01")
	ra := func(r *rig, at time.Time, m net.HardwareAddr, lifetime uint16) {
		r.feed(at, icmp6Frame(r.t, m, fmt.Sprintf("fe80::%x", m[5]), allNodes, "ff02::1", 134, raBody(lifetime, m)))
	}
	gw := Config{Gateway: netip.MustParseAddr("10.0.0.1")}
	for _, tc := range []struct {
		name    string
		routers []net.HardwareAddr
		from    net.HardwareAddr
		life    uint16
		gwRA    bool
		want    string // culprit MAC, "" for no rogue_ra
	}{
		// IPv6 from another box than the IPv4 gateway (the ISP's router,
		// an L3 switch) has this shape too: only the setting tells.
		{"fake_router6 in learning, gateway without IPv6", nil, evilMAC, 1800, false, ""},
		{"fake_router6 in learning, gateway without IPv6, a router configured", []net.HardwareAddr{second}, evilMAC, 1800, false, evilMAC.String()},
		{"second router not configured", nil, second, 1800, true, second.String()},
		{"second router configured", []net.HardwareAddr{second}, second, 1800, true, ""},
		{"configured router alone", []net.HardwareAddr{second}, second, 1800, false, ""},
		{"another beside the configured one", []net.HardwareAddr{second}, evilMAC, 1800, true, evilMAC.String()},
		{"route-only router (lifetime 0)", nil, second, 0, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := gw
			cfg.IPv6Routers = tc.routers
			r := newRig(t, cfg)
			at := r.baseline(t0, 30*time.Second) // the gateway's ARP: its MAC is known
			if tc.gwRA {
				ra(r, at, gwMAC, 1800)
			}
			ra(r, at.Add(time.Second), tc.from, tc.life)
			if tc.want == "" {
				if evs := r.of(inventory.EventRogueRA); len(evs) != 0 {
					t.Fatalf("rogue_ra raised: %+v", evs)
				}
				return
			}
			wantOne(t, r, inventory.EventRogueRA, tc.want, "")
		})
	}
	t.Run("configured routers, gateway unknown", func(t *testing.T) {
		r := newRig(t, Config{IPv6Routers: []net.HardwareAddr{second}})
		ra(r, t0, second, 1800)
		ra(r, t0.Add(time.Second), evilMAC, 1800)
		wantOne(t, r, inventory.EventRogueRA, evilMAC.String(), "")
	})
}

// routerNA is a solicited neighbour advertisement with the Router flag.
func routerNA(target string, tlla net.HardwareAddr) []byte {
	b := naBody(true, true, target, tlla)
	b[0] |= 0x80
	return b
}

// TestRogueRABesideGateway: without --ipv6-router, routers beside the
// IPv4 gateway are learned (IPv6 may come from another box), and behind an
// HSRP virtual MAC the group's routers advertise from their own MACs: no
// rogue_ra for them; a router beside a gateway that advertises, or first
// heard after learning, still is one.
func TestRogueRABesideGateway(t *testing.T) {
	allNodes := hw("33:33:00:00:00:01")
	ra := func(r *rig, at time.Time, m net.HardwareAddr) {
		r.feed(at, icmp6Frame(r.t, m, fmt.Sprintf("fe80::%x", m[5]), allNodes, "ff02::1", 134, raBody(1800, m)))
	}
	virtual, r1, r2 := hw("00:00:0c:07:ac:01"), hw("00:1a:a1:00:00:11"), hw("00:1a:a1:00:00:12")
	hsrp := func(r *rig, at time.Time) {
		// The active router speaks from the virtual MAC, the standby from
		// its own, a hello every 3 s (a standby is known after three over
		// 10 s); hosts resolve the gateway to the virtual MAC.
		for i := range 5 {
			hello := at.Add(time.Duration(i) * 3 * time.Second)
			r.feed(hello, hsrpFrame(t, virtual, "10.0.0.2", 0, hsrpActive, 110))
			r.feed(hello, hsrpFrame(t, r2, "10.0.0.3", 0, 8, 100))
		}
		at = at.Add(12 * time.Second)
		r.feed(at, arpFrame(t, layers.ARPReply, virtual, "10.0.0.254", pcMAC, "10.0.0.10"))
		r.feed(at, arpFrame(t, layers.ARPReply, r1, "10.0.0.2", pcMAC, "10.0.0.10"))
	}
	t.Run("HSRP routers advertise from their own MACs", func(t *testing.T) {
		r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.254")})
		hsrp(r, t0)
		ra(r, t0.Add(13*time.Second), r1)
		ra(r, t0.Add(14*time.Second), r2)
		if evs := r.of(inventory.EventRogueRA); len(evs) != 0 {
			t.Fatalf("rogue_ra for the HSRP routers: %+v", evs)
		}
		ra(r, t0.Add(15*time.Second), evilMAC)
		wantOne(t, r, inventory.EventRogueRA, evilMAC.String(), "")
	})
	t.Run("IPv6 from another box", func(t *testing.T) {
		isp := hw("f0:1f:af:00:00:11")
		r := newRig(t, Config{Learning: time.Minute, LearnPackets: -1, Gateway: netip.MustParseAddr("10.0.0.1")})
		at := r.baseline(t0, 30*time.Second)
		ra(r, at, isp)
		if evs := r.of(inventory.EventRogueRA); len(evs) != 0 {
			t.Fatalf("rogue_ra for the LAN's IPv6 router: %+v", evs)
		}
		at = r.baseline(at, time.Minute)
		ra(r, at, isp)
		ra(r, at.Add(time.Second), evilMAC) // after learning, a second router
		wantOne(t, r, inventory.EventRogueRA, evilMAC.String(), "")
	})
}

// redirectBody is an ICMPv6 redirect (RFC 4861 4.5): target, destination
// and a target link-layer address option.
func redirectBody(target, dest string, tlla net.HardwareAddr) []byte {
	b := make([]byte, 4, 44)
	b = append(append(b, ip6(target)...), ip6(dest)...)
	return append(append(b, 2, 1), tlla...)
}

// TestRedirectOffLink: a redirect of an on-link destination (or a
// link-local one) through a host that advertises no routes is redir6's man
// in the middle; one of a destination in another /64 through an internal
// router that sends no advertisements is the gateway doing its job.
func TestRedirectOffLink(t *testing.T) {
	internal := hw("f0:1f:af:00:00:11")
	for _, tc := range []struct {
		name, dest string
		want       bool
	}{
		{"on-link destination", "fd88:8::30", true},
		{"link-local destination", "fe80::211:32ff:fe00:30", true},
		{"destination behind an internal router", "fd88:99::1", false},
		// redir6's main use: an internet address's traffic through a host
		// that never said it is a router.
		{"off-link destination through a host", "2001:db8::1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			r.baseline(t0, 20*time.Second)
			if !strings.Contains(tc.name, "through a host") {
				// The internal router answers the gateway's solicitation
				// with the Router flag (RFC 4861 4.4), as Linux does when
				// it forwards.
				r.feed(t0, icmp6Frame(t, internal, "fe80::f21f:afff:fe00:11", gwMAC, "fe80::21a:a1ff:fe00:1", 136, routerNA("fe80::f21f:afff:fe00:11", internal)))
			}
			r.feed(t0.Add(time.Second), icmp6Frame(t, gwMAC, "fe80::21a:a1ff:fe00:1", pcMAC, "fd88:8::10", 137, redirectBody("fe80::f21f:afff:fe00:11", tc.dest, internal)))
			if !tc.want {
				if evs := r.of(inventory.EventNDSpoof); len(evs) != 0 {
					t.Fatalf("nd_spoof raised: %+v", evs)
				}
				return
			}
			wantOne(t, r, inventory.EventNDSpoof, internal.String(), "")
		})
	}
}

// dhcp6Advert is a DHCPv6 Advertise (RFC 8415 8) from a server's
// link-local address to a client's port 546.
func dhcp6Advert(t testing.TB, srv net.HardwareAddr, srvIP string, client net.HardwareAddr) []byte {
	ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: ip6(srvIP), DstIP: ip6("fe80::3e52:82ff:fe00:10")}
	u := &layers.UDP{SrcPort: 547, DstPort: 546}
	u.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srv, DstMAC: client, EthernetType: layers.EthernetTypeIPv6}, ip, u, gopacket.Payload([]byte{dhcp6Advertise, 0, 0, 1}))
}

// TestDHCPv6FromConfiguredServer: a configured DHCP server (its IPv4
// address, the host sending from it known) answering DHCPv6 before any
// DHCPv4 answer is no rogue; another host is.
func TestDHCPv6FromConfiguredServer(t *testing.T) {
	for _, tc := range []struct {
		name    string
		servers []netip.Addr
		want    bool
	}{
		{"configured", []netip.Addr{netip.MustParseAddr("10.0.0.30")}, false},
		{"not configured", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1"), DHCPServers: tc.servers})
			at := r.baseline(t0, 30*time.Second) // the NAS at 10.0.0.30, the gateway's MAC
			r.feed(at, dhcp6Advert(t, nasMAC, "fe80::211:32ff:fe00:30", pcMAC))
			if !tc.want {
				if evs := r.of(inventory.EventRogueDHCP); len(evs) != 0 {
					t.Fatalf("rogue_dhcp raised: %+v", evs)
				}
				return
			}
			wantOne(t, r, inventory.EventRogueDHCP, nasMAC.String(), "")
		})
	}
}
