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

// Session 24's false-alarm fixes (issue 14): ordinary shapes of well-run
// small-business LANs that looked like attacks.

// dhcpOpt is a DHCP option holding IPv4 addresses.
func dhcpOpt(code layers.DHCPOpt, addrs ...string) layers.DHCPOption {
	var b []byte
	for _, a := range addrs {
		b = append(b, ip4(a).To4()...)
	}
	return layers.NewDHCPOption(code, b)
}

// dhcpAnswer builds a DHCP OFFER (typ 2) or ACK (5) from server srvIP, as
// the server or a relay (srvMAC) sends it, carrying opts after the message
// type and server identifier.
func dhcpAnswer(t testing.TB, srvMAC net.HardwareAddr, srvIP string, client net.HardwareAddr, yours string, typ byte, opts ...layers.DHCPOption) []byte {
	all := layers.DHCPOptions{
		layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{typ}),
		layers.NewDHCPOption(layers.DHCPOptServerID, ip4(srvIP).To4()),
	}
	all = append(append(all, opts...), layers.NewDHCPOption(layers.DHCPOptEnd, nil))
	d := &layers.DHCPv4{Operation: layers.DHCPOpReply, HardwareType: layers.LinkTypeEthernet, HardwareLen: 6, Xid: 7,
		YourClientIP: ip4(yours), ClientHWAddr: client, Options: all}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip4(srvIP), DstIP: ip4("255.255.255.255")}
	udp := &layers.UDP{SrcPort: 67, DstPort: 68}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srvMAC, DstMAC: bcast, EthernetType: layers.EthernetTypeIPv4}, ip, udp, d)
}

// officeScope is what both of an office's DHCP servers hand out: its /24,
// the gateway as router, the two domain controllers as DNS servers (dns
// first: each server lists itself first) and the domain, with extra
// options after those.
func officeScope(dns string, extra ...layers.DHCPOption) []layers.DHCPOption {
	other := map[string]string{"10.0.0.30": "10.0.0.31", "10.0.0.31": "10.0.0.30"}[dns]
	return append([]layers.DHCPOption{dhcpOpt(layers.DHCPOptSubnetMask, "255.255.255.0"), dhcpOpt(layers.DHCPOptRouter, "10.0.0.1"),
		dhcpOpt(layers.DHCPOptDNS, dns, other), layers.NewDHCPOption(layers.DHCPOptDomainName, []byte("office.lan"))}, extra...)
}

// scope is an answer's options: mask, router, DNS servers, the office's domain.
func scope(mask, router string, dns ...string) []layers.DHCPOption {
	return []layers.DHCPOption{dhcpOpt(layers.DHCPOptSubnetMask, mask), dhcpOpt(layers.DHCPOptRouter, router),
		dhcpOpt(layers.DHCPOptDNS, dns...), layers.NewDHCPOption(layers.DHCPOptDomainName, []byte("office.lan"))}
}

var dc2MAC = hw("00:15:5d:00:00:31") // the second domain controller (a Hyper-V guest)

// twoServers feeds n clients' OFFERs and ACKs from both of an office's DHCP
// servers (a split scope or failover pair: both answer every DISCOVER, each
// from its half of the pool; they take turns answering first).
func twoServers(t *testing.T, r *rig, at time.Time, n int) {
	dc := []struct {
		mac    net.HardwareAddr
		ip     string
		offset int
	}{{nasMAC, "10.0.0.30", 150}, {dc2MAC, "10.0.0.31", 200}}
	for i := range n {
		c := hw(fmt.Sprintf("3c:52:82:00:02:%02x", i))
		for k, s := range []int{i % 2, 1 - i%2} {
			d := dc[s]
			r.feed(at.Add(time.Duration(i)*time.Minute+time.Duration(k)*time.Millisecond),
				dhcpAnswer(t, d.mac, d.ip, c, fmt.Sprintf("10.0.0.%d", d.offset+i), 2, officeScope(d.ip)...))
		}
		first := dc[i%2]
		r.feed(at.Add(time.Duration(i)*time.Minute+time.Second),
			dhcpAnswer(t, first.mac, first.ip, c, fmt.Sprintf("10.0.0.%d", first.offset+i), 5, officeScope(first.ip)...))
	}
}

// TestDHCPFailoverPartners: two DHCP servers that hand out the same subnet,
// router, DNS server set (in either order) and options are a failover pair
// or a split scope, not a rogue, whether the gateway is known or not and
// whether they answer directly or through a relay.
func TestDHCPFailoverPartners(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	for _, cfg := range []Config{{Gateway: gw}, {}, {DHCPServers: []netip.Addr{netip.MustParseAddr("10.0.0.30")}}} {
		t.Run(fmt.Sprintf("gateway %v, servers %v", cfg.Gateway, cfg.DHCPServers), func(t *testing.T) {
			r := newRig(t, cfg)
			twoServers(t, r, t0, 12)
			if evs := r.all(); len(evs) != 0 {
				t.Fatalf("two servers of one scope raised %+v", evs)
			}
		})
	}
	t.Run("two servers behind the gateway's relay", func(t *testing.T) {
		r := newRig(t, Config{Gateway: gw})
		for i := range 6 {
			c := hw(fmt.Sprintf("3c:52:82:00:03:%02x", i))
			for k, srv := range []string{"10.9.0.5", "10.9.0.6"} {
				b := dhcpAnswer(t, gwMAC, srv, c, fmt.Sprintf("10.0.0.%d", 150+i+50*k), 2, officeScope([]string{"10.0.0.30", "10.0.0.31"}[k])...)
				copy(b[26:30], ip4("10.0.0.1").To4()) // the relay sends it (RFC 1542): its own address, the server's identifier
				r.feed(t0.Add(time.Duration(i)*time.Minute+time.Duration(k)*time.Millisecond), b)
			}
		}
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("two relayed servers raised %+v", evs)
		}
	})
	t.Run("the gateway and a server beside it", func(t *testing.T) {
		// The server answers first and hands out the gateway as router; then
		// the gateway's own DHCP server answers alike: a split scope.
		r := newRig(t, Config{Gateway: gw})
		c := hw("3c:52:82:00:04:01")
		r.feed(t0, dhcpAnswer(t, nasMAC, "10.0.0.30", c, "10.0.0.150", 2, officeScope("10.0.0.30")...))
		r.feed(t0.Add(time.Millisecond), dhcpAnswer(t, gwMAC, "10.0.0.1", c, "10.0.0.200", 2, officeScope("10.0.0.31")...))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("a split scope with the gateway raised %+v", evs)
		}
	})
}

// TestDHCPRogueBesidePartners: beside a failover pair, a server that hands
// out anything a client would use differently is still a rogue, and so is a
// partner that later does.
func TestDHCPRogueBesidePartners(t *testing.T) {
	for _, tc := range []struct {
		name, why string
		opts      []layers.DHCPOption
	}{
		{"its own router", "routers", scope("255.255.255.0", "10.0.0.66", "10.0.0.30", "10.0.0.31")},
		{"the gateway, its own DNS server", "DNS servers", scope("255.255.255.0", "10.0.0.1", "10.0.0.66")},
		{"one DNS server swapped", "DNS servers", scope("255.255.255.0", "10.0.0.1", "10.0.0.30", "10.0.0.66")},
		{"another subnet", "subnet", scope("255.255.0.0", "10.0.0.1", "10.0.0.30", "10.0.0.31")},
		{"classless routes (TunnelVision)", "static routes", officeScope("10.0.0.30", layers.NewDHCPOption(121, []byte{1, 0, 10, 0, 0, 66, 1, 128, 10, 0, 0, 66}))},
		{"a WPAD URL", "WPAD", officeScope("10.0.0.30", layers.NewDHCPOption(252, []byte("http://10.0.0.66/wpad.dat")))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
			twoServers(t, r, t0, 4)
			r.feed(t0.Add(time.Hour), dhcpAnswer(t, evilMAC, "10.0.0.66", pcMAC, "10.0.0.240", 2, tc.opts...))
			ev := wantOne(t, r, inventory.EventRogueDHCP, evilMAC.String(), "10.0.0.66")
			if !strings.Contains(evidenceText(ev), tc.why) {
				t.Errorf("evidence does not say what differs (%s): %q", tc.why, evidenceText(ev))
			}
		})
	}
	t.Run("a partner that changes what it hands out", func(t *testing.T) {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		twoServers(t, r, t0, 4)
		r.feed(t0.Add(time.Hour), dhcpAnswer(t, dc2MAC, "10.0.0.31", pcMAC, "10.0.0.240", 2, scope("255.255.255.0", "10.0.0.1", "10.0.0.31")...))
		wantOne(t, r, inventory.EventRogueDHCP, dc2MAC.String(), "10.0.0.31")
	})
}

// TestNICFailover: a server's address moving to its second network card
// (Linux bonding active-backup with fail_over_mac=active, Windows NIC
// teaming: the old MAC falls silent, the new one announces the address in
// one gratuitous ARP and uses it) is no duplicate address; the same shape
// while the old card goes on speaking is, and the gateway's address moving
// so is still gateway_changed.
func TestNICFailover(t *testing.T) {
	slaveB := hw("00:1b:21:aa:00:41")
	failover := func(r *rig, at time.Time, oldSpeaks bool) {
		r.feed(at, arpFrame(t, layers.ARPRequest, slaveB, "10.0.0.30", nil, "10.0.0.30")) // netdev_notify_peers
		for i := range 5 {
			if oldSpeaks {
				r.feed(at.Add(time.Duration(i)*time.Second+time.Millisecond), pingFrame(t, nasMAC, "10.0.0.30", gwMAC, "10.0.0.1", 56))
			}
			r.feed(at.Add(time.Duration(i+1)*time.Second), pingFrame(t, slaveB, "10.0.0.30", gwMAC, "10.0.0.1", 56))
			r.feed(at.Add(time.Duration(i+1)*time.Second), arpFrame(t, layers.ARPRequest, slaveB, "10.0.0.30", nil, fmt.Sprintf("10.0.0.%d", 10+i)))
		}
	}
	t.Run("old card silent", func(t *testing.T) {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		failover(r, r.baseline(t0, 30*time.Second), false)
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("a NIC failover raised %+v", evs)
		}
		// Failing back later (the primary card's link returns) is a move too.
		at := t0.Add(2 * time.Minute)
		r.feed(at, arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.30"))
		r.feed(at.Add(time.Second), arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.1"))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("failing back raised %+v", evs)
		}
	})
	t.Run("old card still speaking", func(t *testing.T) {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		failover(r, r.baseline(t0, 30*time.Second), true)
		wantOne(t, r, inventory.EventDuplicateIP, slaveB.String(), "")
	})
	t.Run("failing back within ConflictWindow", func(t *testing.T) {
		// The backup card falls silent as the primary announces the
		// address again: quiet, and the address is the primary's.
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		at := r.baseline(t0, 30*time.Second)
		failover(r, at, false)
		r.feed(at.Add(20*time.Second), arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.30"))
		r.feed(at.Add(21*time.Second), arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.1"))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("failing back raised %+v", evs)
		}
		if b := r.e.arp[netip.MustParseAddr("10.0.0.30")]; b == nil || b.mac != mac(nasMAC) {
			t.Fatalf("the address is not the primary card's after failing back: %+v", b)
		}
	})
	t.Run("an active host's address announced in a pause", func(t *testing.T) {
		// A poisoner announces the address and asks with it a moment later
		// while the owner pings every half second: not handed over.
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		at := r.baseline(t0, 30*time.Second)
		r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.30", nil, "10.0.0.30"))
		r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.30", nil, "10.0.0.10"))
		for i := range 10 {
			r.feed(at.Add(time.Duration(i+1)*500*time.Millisecond), pingFrame(t, nasMAC, "10.0.0.30", gwMAC, "10.0.0.1", 56))
			if i%2 == 1 {
				r.feed(at.Add(time.Duration(i+1)*500*time.Millisecond+time.Millisecond), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.30", nil, fmt.Sprintf("10.0.0.%d", 10+i)))
			}
		}
		if len(r.all()) == 0 {
			t.Fatal("another MAC claiming an active host's address raised nothing")
		}
		if b := r.e.arp[netip.MustParseAddr("10.0.0.30")]; b == nil || b.mac != mac(nasMAC) {
			t.Fatalf("the address moved to the claimant: %+v", b)
		}
	})
	t.Run("the owner speaks again after a handover", func(t *testing.T) {
		// The owner was silent long enough for the address to move, then
		// speaks (any frame); the claimant claims the address still.
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		at := r.baseline(t0, 30*time.Second)
		r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.30", nil, "10.0.0.30"))
		for i := range 5 {
			r.feed(at.Add(time.Duration(i+1)*time.Second), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.30", nil, fmt.Sprintf("10.0.0.%d", 10+i)))
		}
		r.feed(at.Add(10*time.Second), pingFrame(t, nasMAC, "10.0.0.30", gwMAC, "10.0.0.1", 56))
		r.feed(at.Add(11*time.Second), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.30", nil, "10.0.0.20"))
		wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "")
	})
	t.Run("the gateway's address", func(t *testing.T) {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		at := r.baseline(t0, 30*time.Second)
		r.feed(at, arpFrame(t, layers.ARPRequest, slaveB, "10.0.0.1", nil, "10.0.0.1"))
		r.feed(at.Add(time.Second), arpFrame(t, layers.ARPRequest, slaveB, "10.0.0.1", nil, "10.0.0.10"))
		if len(r.all()) == 0 {
			t.Fatal("another MAC taking the gateway's address while its MAC was heard raised nothing")
		}
	})
}

// networkDiscovery feeds the PC's WS-Discovery Probe (or SSDP M-SEARCH, by
// port) and n devices' answers, each announcing itself in ARP first, then
// (answered) the PC's connections to each device's 5357 and 445 a second
// later, accepted; a device that did not answer gets them all the same.
func networkDiscovery(t *testing.T, r *rig, at time.Time, n int, port uint16, answered bool) {
	r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 53000, hw("01:00:5e:7f:ff:fa"), "239.255.255.250", port, discoveryQuery(port)))
	for i := range n {
		m, ip := hw(fmt.Sprintf("f8:bc:12:00:01:%02x", i)), fmt.Sprintf("10.0.0.%d", 150+i)
		t1 := at.Add(time.Duration(i+1) * 10 * time.Millisecond)
		r.feed(t1, arpFrame(t, layers.ARPRequest, m, ip, nil, "10.0.0.10"))
		if answered {
			r.feed(t1.Add(time.Millisecond), udpFrame(t, m, ip, port, pcMAC, "10.0.0.10", 53000, discoveryAnswerOf(port, ip, 2869)))
		}
		for k, dport := range []uint16{5357, 445} {
			t2 := t1.Add(time.Second + time.Duration(k)*time.Millisecond)
			r.feed(t2, tcpFrame(t, pcMAC, "10.0.0.10", uint16(49700+2*i+k), m, ip, dport, tcpFlags{syn: true}, nil))
			r.feed(t2.Add(time.Millisecond/2), tcpFrame(t, m, ip, dport, pcMAC, "10.0.0.10", uint16(49700+2*i+k), tcpFlags{syn: true, ack: true}, nil))
		}
	}
}

// discoveryQuery is a WS-Discovery Probe (port 3702) or an SSDP M-SEARCH (1900).
func discoveryQuery(port uint16) []byte {
	if port == 1900 {
		return []byte("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n")
	}
	return []byte(`<?xml version="1.0" encoding="utf-8"?><soap:Envelope><soap:Header><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>` +
		`<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action></soap:Header><soap:Body><wsd:Probe/></soap:Body></soap:Envelope>`)
}

// discoveryAnswerOf is ip's answer to discoveryQuery(port): a ProbeMatches,
// or an SSDP answer whose LOCATION names ip's locPort.
func discoveryAnswerOf(port uint16, ip string, locPort int) []byte {
	if port == 1900 {
		return fmt.Appendf(nil, "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nLocation: http://%s:%d/rootDesc.xml\r\nST: upnp:rootdevice\r\n\r\n", ip, locPort)
	}
	return []byte(`<soap:Envelope><soap:Header><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></soap:Header></soap:Envelope>`)
}

// TestNetworkDiscoveryFollowUps: Windows network discovery's connections
// to each device that answered its WS-Discovery Probe or SSDP M-SEARCH
// (metadata on 5357, shares on 445) are no host sweep; the same connections
// to as many hosts that did not answer it still are.
func TestNetworkDiscoveryFollowUps(t *testing.T) {
	for _, port := range []uint16{3702, 1900} {
		t.Run(fmt.Sprintf("answers from port %d", port), func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
			networkDiscovery(t, r, r.baseline(t0, 30*time.Second), 40, port, true)
			if evs := r.all(); len(evs) != 0 {
				t.Fatalf("network discovery raised %+v", evs)
			}
		})
	}
	t.Run("no answers", func(t *testing.T) {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		networkDiscovery(t, r, r.baseline(t0, 30*time.Second), 40, 3702, false)
		wantOne(t, r, inventory.EventHostSweep, pcMAC.String(), "10.0.0.10")
	})
	t.Run("answers long before", func(t *testing.T) {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		at := r.baseline(t0, 30*time.Second)
		networkDiscovery(t, r, at, 40, 3702, true)
		// A sweep of the same hosts an hour later follows no answer.
		for i := range 40 {
			ip := fmt.Sprintf("10.0.0.%d", 150+i)
			r.feed(at.Add(time.Hour+time.Duration(i)*10*time.Millisecond), tcpFrame(t, pcMAC, "10.0.0.10", uint16(40000+i), hw(fmt.Sprintf("f8:bc:12:00:01:%02x", i)), ip, 22, tcpFlags{syn: true}, nil))
		}
		wantOne(t, r, inventory.EventHostSweep, pcMAC.String(), "10.0.0.10")
	})
}

// TestDHCPPartnerNotExempt: a second server whose answers match the known
// one's is quiet as a partner, but its MAC gains none of a known server's
// exemptions: its DHCPv6 Advertise (mitm6) and its ARP and ping sweeps are
// still raised (review 24a, item 1).
func TestDHCPPartnerNotExempt(t *testing.T) {
	sweeps := map[string]func(r *rig, at time.Time, i int){
		"DHCPv6 Advertise": func(r *rig, at time.Time, i int) {
			if i == 0 {
				r.feed(at, dhcp6Advert(t, dc2MAC, "fe80::215:5dff:fe00:31", pcMAC))
			}
		},
		"ARP sweep": func(r *rig, at time.Time, i int) {
			r.feed(at, arpFrame(t, layers.ARPRequest, dc2MAC, "10.0.0.31", nil, fmt.Sprintf("10.0.0.%d", 100+i)))
		},
		"ping sweep": func(r *rig, at time.Time, i int) {
			r.feed(at, pingFrame(t, dc2MAC, "10.0.0.31", gwMAC, fmt.Sprintf("10.0.0.%d", 100+i), 56))
		},
	}
	for name, probe := range sweeps {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 30*time.Second)
			twoServers(t, r, at, 4)
			if evs := r.all(); len(evs) != 0 {
				t.Fatalf("two servers of one scope raised %+v", evs)
			}
			for i := range 60 {
				probe(r, at.Add(5*time.Minute+time.Duration(i)*50*time.Millisecond), i)
			}
			if len(r.all()) == 0 {
				t.Fatalf("a partner's %s raised nothing", name)
			}
		})
	}
}

// TestDHCPPartnerOptions: a partner is judged option by option against the
// union of what the known server handed out: an answer to a client that
// asked for fewer options, or other options the known server also hands
// out, is a partner's (review 24a, item 6); an option the known server
// never hands out, a value it never handed out, or an offered address that
// is the gateway's, a known server's or another host's in ARP is a rogue
// (item 5).
func TestDHCPPartnerOptions(t *testing.T) {
	printer := hw("00:1b:a9:00:00:02")
	wpad := layers.NewDHCPOption(252, []byte("http://wpad.office.lan/wpad.dat"))
	t.Run("answers to clients asking for other options", func(t *testing.T) {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		at := r.baseline(t0, 30*time.Second)
		// The known server answers a PC with WPAD and a printer with the
		// mask and router only; its partner the other way round.
		r.feed(at, dhcpAnswer(t, nasMAC, "10.0.0.30", pcMAC, "10.0.0.10", 5, officeScope("10.0.0.30", wpad)...))
		r.feed(at.Add(time.Second), dhcpAnswer(t, nasMAC, "10.0.0.30", printer, "10.0.0.150", 5,
			dhcpOpt(layers.DHCPOptSubnetMask, "255.255.255.0"), dhcpOpt(layers.DHCPOptRouter, "10.0.0.1")))
		r.feed(at.Add(time.Minute), dhcpAnswer(t, dc2MAC, "10.0.0.31", printer, "10.0.0.150", 5,
			dhcpOpt(layers.DHCPOptSubnetMask, "255.255.255.0"), dhcpOpt(layers.DHCPOptRouter, "10.0.0.1")))
		r.feed(at.Add(time.Minute+time.Second), dhcpAnswer(t, dc2MAC, "10.0.0.31", pcMAC, "10.0.0.10", 5, officeScope("10.0.0.31", wpad)...))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("a partner answering clients that ask for other options raised %+v", evs)
		}
	})
	for _, tc := range []struct {
		name, why, yours string
		opts             []layers.DHCPOption
	}{
		{"a boot server and file (PXE)", "TFTP server", "10.0.0.240", officeScope("10.0.0.30", layers.NewDHCPOption(66, []byte("10.0.0.66")), layers.NewDHCPOption(67, []byte("evil.efi")))},
		{"its own NTP server", "NTP servers", "10.0.0.240", officeScope("10.0.0.30", dhcpOpt(42, "10.0.0.66"))},
		{"IPv6-only preferred", "option 108", "10.0.0.240", officeScope("10.0.0.30", layers.NewDHCPOption(108, []byte{0, 0, 7, 8}))},
		{"another WPAD URL", "WPAD", "10.0.0.240", officeScope("10.0.0.30", layers.NewDHCPOption(252, []byte("http://10.0.0.66/wpad.dat")))},
		{"the known server's address", "known DHCP server's address", "10.0.0.30", officeScope("10.0.0.30")},
		{"the gateway's address", "gateway's address", "10.0.0.1", officeScope("10.0.0.30")},
		{"a host's address in ARP", "which " + pcMAC.String() + " uses", "10.0.0.10", officeScope("10.0.0.30")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 30*time.Second)
			r.feed(at, dhcpAnswer(t, nasMAC, "10.0.0.30", printer, "10.0.0.150", 5, officeScope("10.0.0.30", wpad)...))
			r.feed(at.Add(time.Second), pingFrame(t, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1", 56))
			r.feed(at.Add(2*time.Second), dhcpAnswer(t, evilMAC, "10.0.0.66", hw("3c:52:82:00:09:01"), tc.yours, 2, tc.opts...))
			ev := wantOne(t, r, inventory.EventRogueDHCP, evilMAC.String(), "10.0.0.66")
			if !strings.Contains(evidenceText(ev), tc.why) {
				t.Errorf("evidence does not say what differs (%s): %q", tc.why, evidenceText(ev))
			}
		})
	}
}

// TestNetworkDiscoveryOnlyFollowUps: only the TCP connections network
// discovery makes (metadata, UPnP, shares, web pages, the LOCATION port)
// follow an answer, and only answers to the asker's multicast query count
// (review 24a, item 4): pings or other ports of the responders, or answers
// to unicast queries, still sweep.
func TestNetworkDiscoveryOnlyFollowUps(t *testing.T) {
	responder := func(i int) (net.HardwareAddr, string) {
		return hw(fmt.Sprintf("f8:bc:12:00:01:%02x", i)), fmt.Sprintf("10.0.0.%d", 150+i)
	}
	for name, probe := range map[string]func(r *rig, at time.Time, i int){
		"RDP to each responder": func(r *rig, at time.Time, i int) {
			m, ip := responder(i)
			r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", uint16(41000+i), m, ip, 3389, tcpFlags{syn: true}, nil))
		},
		"telnet to each responder": func(r *rig, at time.Time, i int) {
			m, ip := responder(i)
			r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", uint16(41000+i), m, ip, 23, tcpFlags{syn: true}, nil))
		},
		"a ping of each responder": func(r *rig, at time.Time, i int) {
			m, ip := responder(i)
			r.feed(at, pingFrame(t, pcMAC, "10.0.0.10", m, ip, 56))
		},
	} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 30*time.Second)
			networkDiscovery(t, r, at, 40, 1900, true)
			for i := range 40 {
				probe(r, at.Add(3*time.Second+time.Duration(i)*10*time.Millisecond), i)
			}
			wantOne(t, r, inventory.EventHostSweep, pcMAC.String(), "10.0.0.10")
		})
	}
	t.Run("answers to unicast queries", func(t *testing.T) {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		at := r.baseline(t0, 30*time.Second)
		for i := range 40 {
			m, ip := responder(i)
			t1 := at.Add(time.Duration(i) * 10 * time.Millisecond)
			r.feed(t1, arpFrame(t, layers.ARPRequest, m, ip, nil, "10.0.0.10"))
			r.feed(t1, udpFrame(t, pcMAC, "10.0.0.10", 53000, m, ip, 1900, discoveryQuery(1900)))
			r.feed(t1.Add(time.Millisecond), udpFrame(t, m, ip, 1900, pcMAC, "10.0.0.10", 53000, discoveryAnswerOf(1900, ip, 2869)))
			r.feed(t1.Add(2*time.Millisecond), tcpFrame(t, pcMAC, "10.0.0.10", uint16(41000+i), m, ip, 445, tcpFlags{syn: true}, nil))
		}
		wantOne(t, r, inventory.EventHostSweep, pcMAC.String(), "10.0.0.10")
	})
	t.Run("the LOCATION port", func(t *testing.T) {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		at := r.baseline(t0, 30*time.Second)
		r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 53000, hw("01:00:5e:7f:ff:fa"), "239.255.255.250", 1900, discoveryQuery(1900)))
		for i := range 40 {
			m, ip := responder(i)
			t1 := at.Add(time.Duration(i+1) * 10 * time.Millisecond)
			r.feed(t1, arpFrame(t, layers.ARPRequest, m, ip, nil, "10.0.0.10"))
			r.feed(t1.Add(time.Millisecond), udpFrame(t, m, ip, 1900, pcMAC, "10.0.0.10", 53000, discoveryAnswerOf(1900, ip, 49152)))
			r.feed(t1.Add(time.Second), tcpFrame(t, pcMAC, "10.0.0.10", uint16(41000+i), m, ip, 49152, tcpFlags{syn: true}, nil))
		}
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("fetching each answer's LOCATION raised %+v", evs)
		}
	})
}

// TestLocationPort: the port of an SSDP answer's LOCATION URL.
func TestLocationPort(t *testing.T) {
	for in, want := range map[string]uint16{
		"HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.5:49152/desc.xml\r\n\r\n": 49152,
		"HTTP/1.1 200 OK\r\nlocation:http://10.0.0.5/desc.xml\r\n":            80,
		"HTTP/1.1 200 OK\r\nLocation: https://printer.lan/\r\n":               443,
		"HTTP/1.1 200 OK\r\nLocation: http://[fe80::1]/x\r\n":                 80,
		"HTTP/1.1 200 OK\r\nLocation: http://[fe80::1]:8081/x\r\n":            8081,
		"HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\n":                          0,
		"HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.5:99999/\r\n":             0,
	} {
		if got := locationPort([]byte(in)); got != want {
			t.Errorf("locationPort(%q) = %d, want %d", in, got, want)
		}
	}
}
