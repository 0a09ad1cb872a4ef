package traffic

import (
	"encoding/binary"
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

// TestAnnouncerPausingBetweenBursts: a MAC with no address of its own that
// is handed the NAS's address (two gratuitous ARPs, a request 3 s later,
// the NAS quiet in ARP), and then every 45 s announces it twice and asks
// with it within a fraction of a second while the NAS goes on pinging
// between its bursts, is ARP spoofing by its second burst: the pause past
// rivalPause began no new run, as neither the undoing claim nor the
// owner's frames since the run began let it (base: nothing in 15 min).
// Also with the whole burst within 3 s (every burst handed over anew),
// and from a fresh MAC every burst, every 10 s or 45 s (base: nothing; a
// failover's cards do not take a live host's address in turn). A failover
// flapping back and over again stays quiet (TestFailover*,
// benign-nic-failover-flap.pcap).
func TestAnnouncerPausingBetweenBursts(t *testing.T) {
	for _, tc := range []struct {
		gap, period time.Duration
		rotate      bool
	}{{100 * time.Millisecond, 45 * time.Second, false}, {1500 * time.Millisecond, 45 * time.Second, false},
		{1500 * time.Millisecond, 10 * time.Second, true}, {1500 * time.Millisecond, 45 * time.Second, true}} {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		at := r.baseline(t0, 30*time.Second).Add(10 * time.Second)
		var fs []timed
		for c := range 20 {
			s := at.Add(time.Duration(c) * tc.period)
			g, m := tc.gap, evilMAC
			if c == 0 {
				g = 1500 * time.Millisecond
			}
			if tc.rotate {
				m = hw(fmt.Sprintf("02:00:00:00:04:%02x", c))
			}
			fs = append(fs, timed{s, garpFrame(t, m, "10.0.0.30")}, timed{s.Add(g), garpFrame(t, m, "10.0.0.30")},
				timed{s.Add(2 * g), arpFrame(t, layers.ARPRequest, m, "10.0.0.30", nil, "10.0.0.1")})
		}
		for _, x := range every(at.Add(5*time.Second), 10*time.Second, int(20*tc.period/(10*time.Second))) {
			fs = append(fs, timed{x, pingFrame(t, nasMAC, "10.0.0.30", gwMAC, "10.0.0.1", 56)})
		}
		play(r, fs)
		evs := r.of(inventory.EventARPSpoof)
		if len(evs) == 0 || evs[0].Time.After(at.Add(tc.period+time.Second)) {
			t.Errorf("burst gap %s every %s, fresh MACs %v: arp_spoof %+v, want by the second burst", tc.gap, tc.period, tc.rotate, evs)
		}
		if !tc.rotate && len(evs) != 1 {
			t.Errorf("burst gap %s: %d arp_spoof events, want 1", tc.gap, len(evs))
		}
		notNaming(t, r, nasMAC)
	}
}

// spikeThrough plays the NAS quiet for two hours beside a DHCP server on
// the gateway (offering router 10.0.0.1 every 10 min), then prep at the
// end of it, then a minute of 40 MB from the NAS (the frame up, 1400
// bytes of iSCSI, every 2 ms), and returns the NAS's traffic_spike
// severities.
func spikeThrough(t *testing.T, prep func(r *rig, at time.Time), up []byte) []inventory.Severity {
	r := newRig(t, Config{Learning: 10 * time.Minute, SpikeMinBytes: 1 << 20, Gateway: netip.MustParseAddr("10.0.0.1")})
	at := t0
	for n := 0; at.Before(t0.Add(2 * time.Hour)); at, n = at.Add(3*time.Second), n+1 {
		if n%200 == 0 {
			r.feed(at, dhcpReply(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10", "10.0.0.1", 5))
			r.feed(at, arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.1"))
			r.feed(at, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", nasMAC, "10.0.0.30"))
		}
		r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 50000, pcMAC, "10.0.0.10", 40000, make([]byte, 1000)))
	}
	prep(r, at)
	at = at.Add(2 * time.Second)
	for end := at.Add(time.Minute); at.Before(end); at = at.Add(2 * time.Millisecond) {
		r.feed(at, up)
	}
	r.feed(at.Add(time.Minute), udpFrame(t, nasMAC, "10.0.0.30", 50000, pcMAC, "10.0.0.10", 40000, nil))
	var got []inventory.Severity
	for _, ev := range r.of(inventory.EventTrafficSpike) {
		if ev.MAC.String() == nasMAC.String() {
			got = append(got, ev.Severity)
		}
	}
	return got
}

// TestSpikeForgedDHCPRouter: an offer forged under the known DHCP server's
// identifier from another MAC, naming a VPN site's address as the router,
// and one gratuitous ARP binding that address to the forger's MAC, do not
// make an upload to it through that MAC Low (base: Low), nor does one
// forged under the server's MAC too: the router a server hands out is
// learned only from the MAC seen answering for it, and moves only once
// its answers handed the new one out for a minute (a renumbered gateway
// then is the router, and an upload to its address Low). A
// server that moved to a new MAC and alone answers from it for minutes
// is followed (its router then counts), and the gateway's own address
// stays an endpoint.
func TestSpikeForgedDHCPRouter(t *testing.T) {
	forge := func(n int, step time.Duration) func(r *rig, at time.Time) {
		return func(r *rig, at time.Time) {
			for i := range n {
				r.feed(at.Add(time.Duration(i-n)*step), dhcpReply(t, evilMAC, "10.0.0.1", pcMAC, "10.0.0.10", "10.99.0.5", 2))
			}
			r.feed(at, garpFrame(t, evilMAC, "10.99.0.5"))
		}
	}
	fromServerMAC := func(r *rig, at time.Time) {
		r.feed(at.Add(-time.Second), dhcpReply(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10", "10.99.0.5", 2))
		r.feed(at, garpFrame(t, evilMAC, "10.99.0.5"))
	}
	renumbered := func(r *rig, at time.Time) {
		for i := range 4 {
			r.feed(at.Add(time.Duration(i-4)*30*time.Second), dhcpReply(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10", "10.99.0.7", 5))
		}
		r.feed(at, arpFrame(t, layers.ARPReply, evilMAC, "10.99.0.7", nasMAC, "10.0.0.30"))
	}
	for _, tc := range []struct {
		name string
		prep func(r *rig, at time.Time)
		m    net.HardwareAddr
		ip   string
		want inventory.Severity
	}{
		{"one forged offer", forge(1, time.Second), evilMAC, "10.99.0.5", inventory.SeverityMedium},
		{"one offer forged under the server's own MAC", fromServerMAC, evilMAC, "10.99.0.5", inventory.SeverityMedium},
		{"the server handing out a new router for 2 min", renumbered, evilMAC, "10.99.0.7", inventory.SeverityLow},
		{"three forged offers in a second", forge(3, 300*time.Millisecond), evilMAC, "10.99.0.5", inventory.SeverityMedium},
		{"the server moved, answering alone for 2 min", forge(5, 30*time.Second), evilMAC, "10.99.0.5", inventory.SeverityLow},
		{"the gateway's own address", func(*rig, time.Time) {}, gwMAC, "10.0.0.1", inventory.SeverityLow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := tcpFrame(t, nasMAC, "10.0.0.30", 40000, tc.m, tc.ip, 3260, tcpFlags{ack: true, psh: true}, make([]byte, 1400))
			if got := spikeThrough(t, tc.prep, up); len(got) != 1 || got[0] != tc.want {
				t.Errorf("the NAS's traffic_spike severities %v, want [%s]", got, tc.want)
			}
		})
	}
}

// tcp6Frame is a TCP segment with the ACK and PSH flags over IPv6.
func tcp6Frame(t testing.TB, srcMAC net.HardwareAddr, src string, dstMAC net.HardwareAddr, dst string, dport uint16, payload []byte) []byte {
	ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolTCP, SrcIP: ip6(src), DstIP: ip6(dst)}
	tcp := &layers.TCP{SrcPort: 40000, DstPort: layers.TCPPort(dport), ACK: true, PSH: true, Window: 1024}
	tcp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv6}, ip, tcp, gopacket.Payload(payload))
}

// raPrefixBody is raBody with a prefix information option (RFC 4861
// 4.6.2) for pf, its on-link flag set if onLink.
func raPrefixBody(lifetime uint16, slla net.HardwareAddr, pf string, onLink bool) []byte {
	p := netip.MustParsePrefix(pf)
	o := make([]byte, 32)
	o[0], o[1], o[2], o[3] = 3, 4, byte(p.Bits()), 0x40
	if onLink {
		o[3] |= 0x80
	}
	binary.BigEndian.PutUint32(o[4:8], 86400)
	binary.BigEndian.PutUint32(o[8:12], 14400)
	a := p.Addr().As16()
	copy(o[16:], a[:])
	return append(raBody(lifetime, slla), o...)
}

// TestSpikeIPv6PeerOnLink: an upload from the NAS over IPv6 is Low (one
// transfer between LAN hosts) only to a peer in a prefix the LAN's router
// advertises on-link, or link-local, bound to the MAC the frames go to by
// an advertisement answering the NAS's own solicitation: an unsolicited
// advertisement binding another site's ULA to the IPv6 router's MAC
// (base: Low), or binding an on-link address, or an on-link prefix without
// the L flag, or a remote ULA that answered, also when another host's RA
// with router lifetime 0 put its prefix on-link, stay Medium, and so does
// one the router's own MAC advertised on-link and answered a solicitation
// for (base of fix27d: Low): through a router's MAC only its own address
// is a LAN peer (routerMAC).
func TestSpikeIPv6PeerOnLink(t *testing.T) {
	v6Router := hw("3c:52:82:00:00:fe")
	const nas = "fd00::30"
	ra := func(pf string, onLink bool) func(r *rig, at time.Time) {
		return func(r *rig, at time.Time) {
			r.feed(at.Add(-time.Minute), icmp6Frame(t, v6Router, "fe80::1", hw("33:33:00:00:00:01"), "ff02::1", 134, raPrefixBody(1800, v6Router, pf, onLink)))
		}
	}
	bind := func(pf string, onLink, solicited bool, m net.HardwareAddr, peer string) func(r *rig, at time.Time) {
		return func(r *rig, at time.Time) {
			ra(pf, onLink)(r, at)
			if solicited {
				r.feed(at, icmp6Frame(t, nasMAC, nas, hw("33:33:ff:00:00:05"), "ff02::1:ff00:5", 135, nsBody(peer, nasMAC)))
			}
			r.feed(at.Add(time.Millisecond), icmp6Frame(t, m, peer, nasMAC, nas, 136, naBody(solicited, !solicited, peer, m)))
		}
	}
	noDefault := func(r *rig, at time.Time) { // another host's lifetime-0 RA putting fd99::/64 on-link
		r.feed(at.Add(-2*time.Minute), icmp6Frame(t, evilMAC, "fe80::66", hw("33:33:00:00:00:01"), "ff02::1", 134, raPrefixBody(0, evilMAC, "fd99::/64", true)))
		bind("fd00::/64", true, true, v6Router, "fd99::5")(r, at)
	}
	for _, tc := range []struct {
		name string
		prep func(r *rig, at time.Time)
		m    net.HardwareAddr
		peer string
		want inventory.Severity
	}{
		{"an on-link peer that answered", bind("fd00::/64", true, true, pcMAC, "fd00::10"), pcMAC, "fd00::10", inventory.SeverityLow},
		{"a link-local peer that answered", bind("fd00::/64", true, true, pcMAC, "fe80::10"), pcMAC, "fe80::10", inventory.SeverityLow},
		{"another site's ULA bound to the router's MAC unasked", bind("fd00::/64", true, false, v6Router, "fd99::5"), v6Router, "fd99::5", inventory.SeverityMedium},
		{"another site's ULA that answered", bind("fd00::/64", true, true, v6Router, "fd99::5"), v6Router, "fd99::5", inventory.SeverityMedium},
		{"an on-link peer bound unasked", bind("fd00::/64", true, false, pcMAC, "fd00::10"), pcMAC, "fd00::10", inventory.SeverityMedium},
		{"another site's ULA put on-link with lifetime 0", noDefault, v6Router, "fd99::5", inventory.SeverityMedium},
		{"a prefix not on-link", bind("fd00::/64", false, true, pcMAC, "fd00::10"), pcMAC, "fd00::10", inventory.SeverityMedium},
		{"another site's ULA the router's MAC advertised on-link and answered for", bind("fd99::/64", true, true, v6Router, "fd99::5"), v6Router, "fd99::5", inventory.SeverityMedium},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := tcp6Frame(t, nasMAC, nas, tc.m, tc.peer, 3260, make([]byte, 1400))
			if got := spikeThrough(t, tc.prep, up); len(got) != 1 || got[0] != tc.want {
				t.Errorf("the NAS's traffic_spike severities %v, want [%s]", got, tc.want)
			}
		})
	}
}

// TestPortScanNotDatedFromALoneRefusal: one refused connection to the NAS
// 50 s before nmap probes 30 of its ports does not date the scan (base:
// "within 50.18s" from the refusal); neither do two refusals 20 s apart
// before it; ports probed 3 s apart (nmap --scan-delay 3s) stay one run
// from the first.
func TestPortScanNotDatedFromALoneRefusal(t *testing.T) {
	syn := tcpFlags{syn: true}
	for _, tc := range []struct {
		name   string
		before []time.Duration // refused ports before the scan at +50 s
		step   time.Duration
		within string
	}{
		{"one refusal 50 s before", []time.Duration{0}, 10 * time.Millisecond, "within 180ms"},
		{"two refusals 20 s apart", []time.Duration{10 * time.Second, 30 * time.Second}, 10 * time.Millisecond, "within 170ms"},
		{"a probe every 3 s", nil, 3 * time.Second, "within 57s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			scan := t0.Add(50 * time.Second)
			if tc.step > time.Second {
				scan = t0
			}
			for i, d := range tc.before {
				r.feed(t0.Add(d), tcpFrame(t, pcMAC, "10.0.0.10", uint16(40000+i), nasMAC, "10.0.0.30", uint16(8000+i), syn, nil))
				r.feed(t0.Add(d+time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", uint16(8000+i), pcMAC, "10.0.0.10", uint16(40000+i), tcpFlags{rst: true, ack: true}, nil))
			}
			for p := range 30 {
				r.feed(scan.Add(time.Duration(p)*tc.step), tcpFrame(t, pcMAC, "10.0.0.10", 50000, nasMAC, "10.0.0.30", uint16(1+p), syn, nil))
			}
			if ev := wantOne(t, r, inventory.EventPortScan, pcMAC.String(), "10.0.0.10"); !strings.Contains(ev.Summary, tc.within) {
				t.Errorf("summary %q, want %s", ev.Summary, tc.within)
			}
		})
	}
}

// TestDHCPServerNotMovedWhileAlive: five ACKs forged under the known DHCP
// server's identifier and address (the gateway's) from another MAC, every
// 30 s from 120 s, naming the forger as router, while the server's MAC
// goes on answering ARP and pings, then three answers from the server
// itself, then ARP replies binding the gateway's address to the forger:
// the server never moved (its MAC alive), so the gateway stays 10.0.0.1
// and the spoof is Critical with gateway_changed (base of this branch:
// arp_spoof High only), and the two MACs answering as one server within
// ConflictWindow are rogue_dhcp naming the forger.
func TestDHCPServerNotMovedWhileAlive(t *testing.T) {
	r := newRig(t, Config{Learning: 1})
	var fs []timed
	for _, x := range every(t0, 10*time.Second, 60) {
		fs = append(fs, timed{x, arpFrame(t, layers.ARPRequest, pcMAC, "10.0.0.10", nil, "10.0.0.1")},
			timed{x.Add(time.Millisecond), arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10")},
			timed{x.Add(2 * time.Millisecond), pingFrame(t, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1", 56)},
			timed{x.Add(3 * time.Millisecond), pingFrame(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10", 56)})
	}
	for _, s := range []int{5, 250, 270, 290} {
		fs = append(fs, timed{t0.Add(time.Duration(s)*time.Second + 5*time.Millisecond), dhcpReply(t, gwMAC, "10.0.0.1", nasMAC, "10.0.0.30", "10.0.0.1", 5)})
	}
	for _, x := range every(t0.Add(120*time.Second), 30*time.Second, 5) {
		fs = append(fs, timed{x.Add(5 * time.Millisecond), dhcpReply(t, evilMAC, "10.0.0.1", pcMAC, "10.0.0.10", "10.0.0.66", 5)})
	}
	for _, x := range every(t0.Add(300*time.Second), 2*time.Second, 15) {
		fs = append(fs, timed{x.Add(7 * time.Millisecond), arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.1", pcMAC, "10.0.0.10")})
	}
	play(r, fs)
	if evs := r.of(inventory.EventARPSpoof); len(evs) == 0 || evs[0].Severity != inventory.SeverityCritical {
		t.Errorf("arp_spoof %+v, want Critical", evs)
	}
	if evs := r.of(inventory.EventGatewayChanged); len(evs) != 1 {
		t.Errorf("gateway_changed %+v, want one", evs)
	}
	if evs := r.of(inventory.EventRogueDHCP); len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() {
		t.Errorf("rogue_dhcp %+v, want one naming %s", evs, evilMAC)
	}
}

// TestPortScanBurstsDatedFromTheFirst: a scan in bursts of filtered ports
// (SYNs unanswered) 15 s or more apart is dated from its first burst:
// three bursts of 7 ports 16 s apart read "within 32.05s" (base of this
// branch: 16.05s, the first burst dropped as a lone refusal), four of 5
// every 15.5 s "within 46.54s"; only a leading run of scanLoneRun ports or
// fewer is set apart (TestPortScanNotDatedFromALoneRefusal).
func TestPortScanBurstsDatedFromTheFirst(t *testing.T) {
	for _, tc := range []struct {
		bursts, ports int
		gap           time.Duration
		within        string
	}{{3, 7, 16 * time.Second, "within 32.05s"}, {4, 5, 15500 * time.Millisecond, "within 46.54s"}} {
		r := newRig(t, Config{})
		p := 0
		for b := range tc.bursts {
			for i := range tc.ports {
				at := t0.Add(time.Duration(b)*tc.gap + time.Duration(i)*10*time.Millisecond)
				r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 50000, nasMAC, "10.0.0.30", uint16(1+p), tcpFlags{syn: true}, nil))
				p++
			}
		}
		if ev := wantOne(t, r, inventory.EventPortScan, evilMAC.String(), "10.0.0.66"); !strings.Contains(ev.Summary, tc.within) {
			t.Errorf("%d bursts of %d: summary %q, want %s", tc.bursts, tc.ports, ev.Summary, tc.within)
		}
	}
}

// dhcpMasked is dhcpReply with a subnet mask (option 1) of 255.255.255.0.
func dhcpMasked(t testing.TB, srvMAC net.HardwareAddr, srvIP string, client net.HardwareAddr, yours, router string) []byte {
	d := &layers.DHCPv4{Operation: layers.DHCPOpReply, HardwareType: layers.LinkTypeEthernet, HardwareLen: 6, Xid: 7,
		YourClientIP: ip4(yours), ClientHWAddr: client,
		Options: layers.DHCPOptions{
			layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{5}),
			layers.NewDHCPOption(layers.DHCPOptServerID, ip4(srvIP).To4()),
			layers.NewDHCPOption(layers.DHCPOptSubnetMask, []byte{255, 255, 255, 0}),
			layers.NewDHCPOption(layers.DHCPOptRouter, ip4(router).To4()),
			layers.NewDHCPOption(layers.DHCPOptEnd, nil),
		}}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip4(srvIP), DstIP: ip4("255.255.255.255")}
	udp := &layers.UDP{SrcPort: 67, DstPort: 68}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srvMAC, DstMAC: bcast, EthernetType: layers.EthernetTypeIPv4}, ip, udp, d)
}

// TestSpikeThroughARouterMAC: an upload through a MAC that is a router's
// reaches a LAN peer only at that router's own address in the LAN's
// prefix: three ACKs over 61 s from the server's own MAC (or six over
// 150 s from another) naming 10.99.0.5, outside the 10.0.0.0/24 the
// server hands out, as router, then one gratuitous ARP binding it, leave
// an upload to it Medium (base of fix27d: Low), as does an upload to a
// LAN address bound to a MAC that carried frames for three addresses
// outside the prefix (a router); a LAN host's stays Low
// (TestSpikeLANTransferIsLow).
func TestSpikeThroughARouterMAC(t *testing.T) {
	forged := func(m net.HardwareAddr, n int, step time.Duration) func(r *rig, at time.Time) {
		return func(r *rig, at time.Time) {
			r.feed(at.Add(-time.Hour), dhcpMasked(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10", "10.0.0.1"))
			for i := range n {
				r.feed(at.Add(time.Duration(i-n)*step), dhcpMasked(t, m, "10.0.0.1", pcMAC, "10.0.0.10", "10.99.0.5"))
			}
			r.feed(at, garpFrame(t, evilMAC, "10.99.0.5"))
		}
	}
	carrier := func(r *rig, at time.Time) {
		for i := range 3 {
			r.feed(at.Add(-time.Minute), udpFrame(t, pcMAC, "10.0.0.10", 5000, evilMAC, fmt.Sprintf("172.16.5.%d", i+1), 53, nil))
		}
		r.feed(at, garpFrame(t, evilMAC, "10.0.0.50"))
	}
	lanHost := func(r *rig, at time.Time) { r.feed(at, garpFrame(t, evilMAC, "10.0.0.50")) }
	for _, tc := range []struct {
		name string
		prep func(r *rig, at time.Time)
		ip   string
		want inventory.Severity
	}{
		{"3 forged over 61 s from the server's MAC", forged(gwMAC, 3, 30500*time.Millisecond), "10.99.0.5", inventory.SeverityMedium},
		{"6 forged over 150 s from another MAC", forged(evilMAC, 6, 30*time.Second), "10.99.0.5", inventory.SeverityMedium},
		{"a MAC carrying three remote addresses", carrier, "10.0.0.50", inventory.SeverityMedium},
		{"a LAN host", lanHost, "10.0.0.50", inventory.SeverityLow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := tcpFrame(t, nasMAC, "10.0.0.30", 40000, evilMAC, tc.ip, 3260, tcpFlags{ack: true, psh: true}, make([]byte, 1400))
			if got := spikeThrough(t, tc.prep, up); len(got) != 1 || got[0] != tc.want {
				t.Errorf("the NAS's traffic_spike severities %v, want [%s]", got, tc.want)
			}
		})
	}
}
