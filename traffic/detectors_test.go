package traffic

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

func ip6(s string) net.IP { return net.IP(netip.MustParseAddr(s).AsSlice()) }

// icmp6Frame builds an ICMPv6 message of type typ with body (after the
// 4-byte ICMPv6 header).
func icmp6Frame(t testing.TB, srcMAC net.HardwareAddr, src string, dstMAC net.HardwareAddr, dst string, typ uint8, body []byte) []byte {
	ip := &layers.IPv6{Version: 6, HopLimit: 255, NextHeader: layers.IPProtocolICMPv6, SrcIP: ip6(src), DstIP: ip6(dst)}
	ic := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(typ, 0)}
	ic.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv6}, ip, ic, gopacket.Payload(body))
}

// raBody is a router advertisement (RFC 4861 4.2) with a source
// link-layer address option.
func raBody(lifetime uint16, slla net.HardwareAddr) []byte {
	b := make([]byte, 12, 20)
	b[0] = 64
	binary.BigEndian.PutUint16(b[2:4], lifetime)
	return append(append(b, 1, 1), slla...)
}

// naBody is a neighbour advertisement (RFC 4861 4.4) for target with a
// target link-layer address option.
func naBody(solicited, override bool, target string, tlla net.HardwareAddr) []byte {
	b := make([]byte, 4, 28)
	if solicited {
		b[0] |= 0x40
	}
	if override {
		b[0] |= 0x20
	}
	b = append(b, ip6(target)...)
	return append(append(b, 2, 1), tlla...)
}

func TestFloods(t *testing.T) {
	victim := "10.0.0.30"
	for _, tc := range []struct {
		name    string
		frame   func(i int) []byte
		n       int
		culprit string // "" for forged sources
	}{
		{"syn flood from one host", func(i int) []byte {
			return tcpFrame(t, evilMAC, "10.0.0.66", uint16(1024+i), nasMAC, victim, 80, tcpFlags{syn: true}, nil)
		}, 1500, evilMAC.String()},
		{"spoofed syn flood through the router", func(i int) []byte {
			return tcpFrame(t, gwMAC, fmt.Sprintf("198.51.%d.%d", i/250, i%250+1), uint16(1024+i), nasMAC, victim, 443, tcpFlags{syn: true}, nil)
		}, 1500, ""},
		{"udp reflection", func(i int) []byte {
			return udpFrame(t, gwMAC, fmt.Sprintf("203.0.%d.%d", i%100, i%200+1), 123, nasMAC, victim, uint16(20000+i%3000), make([]byte, 400))
		}, 2500, ""},
		{"icmp echo flood", func(i int) []byte { return pingFrame(t, evilMAC, "10.0.0.66", nasMAC, victim, 1400) }, 800, evilMAC.String()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			at := t0
			for i := range tc.n {
				r.feed(at, tc.frame(i))
				at = at.Add(time.Millisecond)
			}
			evs := r.of(inventory.EventFlood)
			if len(evs) != 1 {
				t.Fatalf("%d flood events, want 1 (one per incident): %+v", len(evs), evs)
			}
			if ev := evs[0]; ev.MAC.String() != tc.culprit || ev.TargetIP.String() != victim {
				t.Errorf("flood names %q → %s, want %q → %s: %s", ev.MAC, ev.TargetIP, tc.culprit, victim, ev.Summary)
			}
		})
	}
}

// TestNoFloodFromBusyTraffic: a big download, a busy resolver and a burst
// of pings at office rates are not floods.
func TestNoFloodFromBusyTraffic(t *testing.T) {
	r := newRig(t, Config{})
	at := t0
	for i := range 20000 {
		// A QUIC download: one flow, 20k packets in 2 s.
		r.feed(at, udpFrame(t, gwMAC, "142.250.1.1", 443, pcMAC, "10.0.0.10", 50000, make([]byte, 1200)))
		if i%20 == 0 { // DNS answers from 200 servers, 100 per second
			r.feed(at, udpFrame(t, gwMAC, fmt.Sprintf("192.0.2.%d", i%200+1), 53, pcMAC, "10.0.0.10", uint16(30000+i%5000), make([]byte, 90)))
		}
		if i%100 == 0 {
			r.feed(at, pingFrame(t, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1", 56))
		}
		at = at.Add(100 * time.Microsecond)
	}
	if evs := r.of(inventory.EventFlood); len(evs) != 0 {
		t.Fatalf("busy traffic raised %+v", evs)
	}
}

func TestRogueRA(t *testing.T) {
	router, attacker := hw("64:00:6a:5b:8e:b3"), hw("00:50:b6:19:e6:50")
	allNodes := hw("33:33:00:00:00:01")
	t.Run("forged router address", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, icmp6Frame(t, router, "fe80::6600:6aff:fe5b:8eb3", allNodes, "ff02::1", 134, raBody(1800, router)))
		if evs := r.of(inventory.EventRogueRA); len(evs) != 0 {
			t.Fatalf("the router's own RA raised %+v", evs)
		}
		// kill_router6: the router's link-local address, lifetime 0, from another MAC.
		r.feed(t0.Add(time.Second), icmp6Frame(t, attacker, "fe80::6600:6aff:fe5b:8eb3", allNodes, "ff02::1", 134, raBody(0, attacker)))
		wantOne(t, r, inventory.EventRogueRA, attacker.String(), "")
		r.feed(t0.Add(2*time.Second), icmp6Frame(t, router, "fe80::6600:6aff:fe5b:8eb3", allNodes, "ff02::1", 134, raBody(1800, router)))
		if evs := r.of(inventory.EventRogueRA); len(evs) != 1 {
			t.Fatalf("the real router was blamed after the forgery: %+v", evs)
		}
	})
	t.Run("second router after learning", func(t *testing.T) {
		r := newRig(t, Config{Learning: time.Minute, LearnPackets: -1})
		r.feed(t0, icmp6Frame(t, router, "fe80::6600:6aff:fe5b:8eb3", allNodes, "ff02::1", 134, raBody(1800, router)))
		r.feed(t0.Add(2*time.Minute), icmp6Frame(t, evilMAC, "fe80::ba27:ebff:fe00:66", allNodes, "ff02::1", 134, raBody(1800, evilMAC)))
		wantOne(t, r, inventory.EventRogueRA, evilMAC.String(), "")
	})
}

func TestNDSpoof(t *testing.T) {
	owner, victim, attacker := hw("00:00:00:00:00:0a"), hw("00:00:00:00:00:0b"), hw("00:00:00:00:00:0c")
	r := newRig(t, Config{})
	r.feed(t0, icmp6Frame(t, owner, "fe80::1", victim, "fe80::2", 136, naBody(true, true, "fe80::1", owner)))
	// A host changing nothing answers again: no event.
	r.feed(t0.Add(time.Second), icmp6Frame(t, owner, "fe80::1", victim, "fe80::2", 136, naBody(true, true, "fe80::1", owner)))
	if len(r.all()) != 0 {
		t.Fatalf("ordinary ND raised %+v", r.all())
	}
	for i := range 3 {
		r.feed(t0.Add(time.Duration(8+5*i)*time.Second), icmp6Frame(t, attacker, "fe80::1", victim, "fe80::2", 136, naBody(false, true, "fe80::1", attacker)))
	}
	ev := wantOne(t, r, inventory.EventNDSpoof, attacker.String(), "")
	if ev.TargetMAC.String() != owner.String() || ev.TargetIP.String() != "fe80::1" {
		t.Errorf("target %s %s", ev.TargetMAC, ev.TargetIP)
	}
}

// TestARPUnsolicitedReplies: one MAC claiming two addresses in replies
// nobody asked for, even when the owners never speak (lucaderi's capture);
// a reply to a request seen is not.
func TestARPUnsolicitedReplies(t *testing.T) {
	a, b := hw("b0:7f:b9:4e:f0:9c"), hw("dc:f5:05:75:0b:cd")
	r := newRig(t, Config{})
	r.feed(t0, arpFrame(t, layers.ARPRequest, a, "10.0.0.157", nil, "10.0.0.1"))
	r.feed(t0, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", a, "10.0.0.157"))
	r.feed(t0, arpFrame(t, layers.ARPRequest, a, "10.0.0.157", nil, "10.0.0.2"))
	r.feed(t0, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.2", a, "10.0.0.157")) // proxy ARP, asked for
	if len(r.all()) != 0 {
		t.Fatalf("solicited replies raised %+v", r.all())
	}
	for i := range 5 {
		at := t0.Add(time.Duration(10+i*5) * time.Second)
		r.feed(at, arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.153", a, "10.0.0.157"))
		r.feed(at, arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.157", b, "10.0.0.153"))
	}
	wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "")
}

func TestScanShapes(t *testing.T) {
	scanner, target := "10.0.0.66", "10.0.0.30"
	for _, tc := range []struct {
		name  string
		typ   inventory.EventType
		frame func(i int) []byte
		n     int
	}{
		{"ack scan", inventory.EventPortScan, func(i int) []byte {
			return tcpFrame(t, evilMAC, scanner, 53073, nasMAC, target, uint16(i+1), tcpFlags{ack: true}, nil)
		}, 30},
		{"ip protocol scan", inventory.EventPortScan, func(i int) []byte {
			ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocol(100 + i), SrcIP: ip4(scanner), DstIP: ip4(target)}
			return serialize(t, &layers.Ethernet{SrcMAC: evilMAC, DstMAC: nasMAC, EthernetType: layers.EthernetTypeIPv4}, ip, gopacket.Payload(nil))
		}, 10},
		{"os fingerprinting", inventory.EventPortScan, func(i int) []byte {
			// nmap -O's T3 (SYN+FIN+PSH+URG) and a SYN+FIN.
			return tcpFrame(t, evilMAC, scanner, 40000, nasMAC, target, 22, tcpFlags{syn: true, fin: true, psh: i == 0, urg: i == 0}, nil)
		}, 2},
		{"ack ping sweep", inventory.EventHostSweep, func(i int) []byte {
			return tcpFrame(t, evilMAC, scanner, 62528, nasMAC, fmt.Sprintf("10.0.0.%d", i+1), 80, tcpFlags{ack: true}, nil)
		}, 40},
		{"udp scan from port 53", inventory.EventPortScan, func(i int) []byte {
			// nping --udp's default source port, nmap -g 53: empty datagrams, most to higher ports.
			return udpFrame(t, evilMAC, scanner, 53, nasMAC, target, uint16(i+1), nil)
		}, 100},
		{"empty udp sweep", inventory.EventHostSweep, func(i int) []byte {
			return udpFrame(t, evilMAC, "246.237.45.150", 60806, gwMAC, fmt.Sprintf("246.237.103.%d", i+1), 40125, nil)
		}, 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range tc.n {
				r.feed(t0.Add(time.Duration(i)*time.Millisecond), tc.frame(i))
			}
			wantOne(t, r, tc.typ, evilMAC.String(), "")
		})
	}
}

// TestNoScanFromOrdinaryTCP: a client's ACKs inside its connections and an
// ECN-capable SYN are not probes.
func TestNoScanFromOrdinaryTCP(t *testing.T) {
	r := newRig(t, Config{})
	for i := range 200 {
		at := t0.Add(time.Duration(i) * time.Millisecond)
		r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", uint16(50000+i%8), nasMAC, "10.0.0.30", 445, tcpFlags{ack: true}, nil))
		r.feed(at, tcpFrame(t, nasMAC, "10.0.0.30", 445, pcMAC, "10.0.0.10", uint16(50000+i%8), tcpFlags{ack: true, psh: true}, make([]byte, 1000)))
	}
	if len(r.all()) != 0 {
		t.Fatalf("ordinary TCP raised %+v", r.all())
	}
}

func TestSMB1OverNetBIOSAndNetBEUI(t *testing.T) {
	smb := append([]byte("\xffSMB\x25"), make([]byte, 40)...)
	dgm := append(append([]byte{0x11, 0x0e, 0, 1, 10, 0, 0, 10, 0, 138, 0, 100, 0, 0}, make([]byte, 68)...), smb...)
	t.Run("udp 138", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, udpFrame(t, pcMAC, "10.0.0.10", 138, bcast, "10.0.0.255", 138, dgm))
		wantOne(t, r, inventory.EventInsecureProtocol, pcMAC.String(), "10.0.0.10")
	})
	t.Run("netbeui", func(t *testing.T) {
		r := newRig(t, Config{})
		llc := append([]byte{0xf0, 0xf0, 0x03, 0x2c, 0x00, 0x0e, 0xff, 0xef}, smb...)
		frame := append(append(append([]byte{}, nasMAC...), pcMAC...), byte(len(llc)>>8), byte(len(llc)))
		r.feed(t0, append(frame, llc...))
		wantOne(t, r, inventory.EventInsecureProtocol, pcMAC.String(), "")
	})
	t.Run("smb2 client's smb1 negotiate", func(t *testing.T) {
		r := newRig(t, Config{})
		neg := append([]byte{0, 0, 0, 60}, "\xffSMB\x72\x00\x00\x00\x00\x18"...)
		neg = append(append(neg, make([]byte, 30)...), "\x02NT LM 0.12\x00\x02SMB 2.002\x00"...)
		r.feed(t0, tcpFrame(t, pcMAC, "10.0.0.10", 50000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true, psh: true}, neg))
		r.feed(t0, tcpFrame(t, nasMAC, "10.0.0.30", 445, pcMAC, "10.0.0.10", 50000, tcpFlags{ack: true, psh: true}, append([]byte{0, 0, 0, 64}, "\xfeSMB"...)))
		if len(r.all()) != 0 {
			t.Fatalf("an SMB2 session raised %+v", r.all())
		}
	})
}

func TestSNMPTrapNamesTheAgent(t *testing.T) {
	trap := []byte{0x30, 0x26, 0x02, 0x01, 0x00, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa4, 0x19}
	r := newRig(t, Config{})
	r.feed(t0, udpFrame(t, nasMAC, "10.0.0.30", 1040, pcMAC, "10.0.0.10", 162, trap))
	wantOne(t, r, inventory.EventInsecureProtocol, nasMAC.String(), "10.0.0.30")
}

// TestSNMPCommunityNoAlloc: a default-community packet is found without
// allocating (most repeat a pair already reported); the evidence is
// formatted when an event is.
func TestSNMPCommunityNoAlloc(t *testing.T) {
	get := []byte{0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa0, 0x19}
	communities := []string{"public", "private"}
	in, ok := DetectInsecure(false, 40000, 161, get, communities)
	if want := `SNMPv2c with the default community "public" on the wire`; !ok || in.Proto != "snmp" || !in.ToServer || in.Evidence() != want {
		t.Fatalf("got %+v (%v), evidence %q; want %q", in, ok, in.Evidence(), want)
	}
	if n := testing.AllocsPerRun(100, func() { DetectInsecure(false, 40000, 161, get, communities) }); n != 0 {
		t.Fatalf("%v allocations per default-community packet", n)
	}
	r := newRig(t, Config{})
	r.feed(t0, udpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", 161, get))
	r.feed(t0, udpFrame(t, nasMAC, "10.0.0.30", 161, pcMAC, "10.0.0.10", 40000, get)) // the agent's answer
	evs := r.of(inventory.EventInsecureProtocol)
	if len(evs) != 1 || len(evs[0].Evidence) == 0 || evs[0].Evidence[0].Detail != in.Evidence() {
		t.Fatalf("event %+v: want the evidence %q", evs, in.Evidence())
	}
}

// dhcpDiscover builds a client's DISCOVER for chaddr sent from frame source src.
func dhcpDiscover(t testing.TB, src, chaddr net.HardwareAddr, xid uint32) []byte {
	return dhcpClient(t, src, chaddr, xid, layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{byte(layers.DHCPMsgTypeDiscover)}))
}

// dhcpClient builds a client's broadcast BOOTREQUEST for chaddr from frame
// source src carrying opts (the End option added).
func dhcpClient(t testing.TB, src, chaddr net.HardwareAddr, xid uint32, opts ...layers.DHCPOption) []byte {
	d := &layers.DHCPv4{Operation: layers.DHCPOpRequest, HardwareType: layers.LinkTypeEthernet, HardwareLen: 6, Xid: xid,
		ClientHWAddr: chaddr, Options: append(opts, layers.NewDHCPOption(layers.DHCPOptEnd, nil))}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip4("0.0.0.0"), DstIP: ip4("255.255.255.255")}
	udp := &layers.UDP{SrcPort: 68, DstPort: 67}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: src, DstMAC: bcast, EthernetType: layers.EthernetTypeIPv4}, ip, udp, d)
}

func TestDHCPStarvation(t *testing.T) {
	forged := func(i int) net.HardwareAddr { return net.HardwareAddr{0x02, 0xde, 0xad, 0, byte(i >> 8), byte(i)} }
	t.Run("one source, forged chaddr", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 300 {
			r.feed(t0.Add(time.Duration(i)*10*time.Millisecond), dhcpDiscover(t, evilMAC, forged(i), uint32(i)))
		}
		wantOne(t, r, inventory.EventDHCPStarvation, evilMAC.String(), "")
	})
	t.Run("forged sources", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 300 {
			r.feed(t0.Add(time.Duration(i)*10*time.Millisecond), dhcpDiscover(t, forged(i), forged(i), uint32(i)))
		}
		wantOne(t, r, inventory.EventDHCPStarvation, "", "")
	})
	t.Run("forged sources, raised by the clock", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 120 {
			r.feed(t0.Add(time.Duration(i)*10*time.Millisecond), dhcpDiscover(t, forged(i), forged(i), uint32(i)))
		}
		r.baseline(t0.Add(2*time.Second), 2*time.Minute) // no flush: the engine's minute tick settles the count
		n := 0
		for _, ev := range r.events {
			if ev.Type == inventory.EventDHCPStarvation {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d dhcp_starvation events before any flush, want 1", n)
		}
	})
	t.Run("a boot storm", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 80 { // 80 clients within 4 s, each using the address it was given 2 to 40 s later
			m, at := forged(i), t0.Add(time.Duration(i)*50*time.Millisecond)
			r.feed(at, dhcpDiscover(t, m, m, uint32(i)))
			r.feed(at.Add(time.Second), dhcpDiscover(t, m, m, uint32(i)))
			ip := fmt.Sprintf("10.0.0.%d", 100+i)
			used := at.Add(time.Duration(2+i/2) * time.Second)
			r.feed(used.Add(-time.Second), dhcpReply(t, gwMAC, "10.0.0.1", m, ip, "10.0.0.1", 5))
			r.feed(used, arpFrame(t, layers.ARPRequest, m, ip, nil, "10.0.0.1"))
			r.feed(used, pingFrame(t, m, ip, gwMAC, "10.0.0.1", 56))
		}
		r.baseline(t0.Add(time.Minute), 2*time.Minute)
		if evs := r.of(inventory.EventDHCPStarvation); len(evs) != 0 {
			t.Fatalf("a boot storm raised %+v", evs)
		}
		for i := range 120 { // an attack after the storm is no storm
			m := forged(1000 + i)
			r.feed(t0.Add(3*time.Minute+time.Duration(i)*10*time.Millisecond), dhcpDiscover(t, m, m, uint32(i)))
		}
		wantOne(t, r, inventory.EventDHCPStarvation, "", "")
	})
	t.Run("a morning of arrivals", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 60 { // 60 laptops, one every 20 s, each asking twice
			at := t0.Add(time.Duration(i) * 20 * time.Second)
			r.feed(at, dhcpDiscover(t, forged(i), forged(i), uint32(i)))
			r.feed(at.Add(time.Second), dhcpDiscover(t, forged(i), forged(i), uint32(i)))
		}
		if evs := r.of(inventory.EventDHCPStarvation); len(evs) != 0 {
			t.Fatalf("arrivals raised %+v", evs)
		}
	})
}

// llmnrAnswer is Responder's answer to an LLMNR query for name: "name is
// at me".
func llmnrAnswer(t testing.TB, srcMAC net.HardwareAddr, src string, dstMAC net.HardwareAddr, dst, name string, port uint16) []byte {
	d := &layers.DNS{ID: 7, QR: true, Questions: []layers.DNSQuestion{{Name: []byte(name), Type: layers.DNSTypeA, Class: layers.DNSClassIN}},
		Answers: []layers.DNSResourceRecord{{Name: []byte(name), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 30, IP: ip4(src)}}}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip4(src), DstIP: ip4(dst)}
	udp := &layers.UDP{SrcPort: layers.UDPPort(port), DstPort: 50000}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip, udp, d)
}

// nbnsAnswer is a positive NBT-NS name query response (RFC 1002 4.2.13).
func nbnsAnswer(t testing.TB, srcMAC net.HardwareAddr, src string, dstMAC net.HardwareAddr, dst, name string) []byte {
	enc := []byte{32}
	padded := fmt.Sprintf("%-15s", strings.ToUpper(name)) + "\x20"
	for _, c := range []byte(padded) {
		enc = append(enc, 'A'+c>>4, 'A'+c&0x0f)
	}
	enc = append(enc, 0)
	b := []byte{0, 7, 0x85, 0x00, 0, 0, 0, 1, 0, 0, 0, 0}
	b = append(b, enc...)
	b = append(b, 0, 0x20, 0, 1, 0, 0, 0, 30, 0, 6, 0, 0)
	b = append(b, ip4(src).To4()...)
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip4(src), DstIP: ip4(dst)}
	udp := &layers.UDP{SrcPort: 137, DstPort: 137}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip, udp, gopacket.Payload(b))
}

func TestNamePoisoning(t *testing.T) {
	t.Run("llmnr for many names", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, llmnrAnswer(t, pcMAC, "10.0.0.10", nasMAC, "10.0.0.30", "ws-acct-01", 5355)) // its own name
		for i, n := range []string{"fileserv", "printer2", "sharepoint", "fileserv"} {
			r.feed(t0.Add(time.Duration(i+1)*time.Second), llmnrAnswer(t, evilMAC, "10.0.0.66", pcMAC, "10.0.0.10", n, 5355))
		}
		wantOne(t, r, inventory.EventNamePoisoning, evilMAC.String(), "10.0.0.66")
	})
	t.Run("nbt-ns wpad", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, nbnsAnswer(t, evilMAC, "10.0.0.66", pcMAC, "10.0.0.10", "wpad"))
		ev := wantOne(t, r, inventory.EventNamePoisoning, evilMAC.String(), "10.0.0.66")
		if !strings.Contains(ev.Summary, "wpad") {
			t.Errorf("summary %q", ev.Summary)
		}
	})
	t.Run("hosts answering for themselves", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 20 {
			at := t0.Add(time.Duration(i) * time.Minute)
			r.feed(at, llmnrAnswer(t, pcMAC, "10.0.0.10", nasMAC, "10.0.0.30", "ws-acct-01", 5355))
			r.feed(at, nbnsAnswer(t, nasMAC, "10.0.0.30", pcMAC, "10.0.0.10", "nas01"))
			r.feed(at, llmnrAnswer(t, nasMAC, "10.0.0.30", pcMAC, "10.0.0.10", "nas01.local", 5353))
		}
		if len(r.all()) != 0 {
			t.Fatalf("own names raised %+v", r.all())
		}
	})
}

// FuzzNameAnswer feeds hostile frames to the decoders issue 14 added (name
// answers, DHCP client messages, router and neighbour advertisements)
// through the whole engine.
func FuzzNameAnswer(f *testing.F) {
	f.Add(llmnrAnswer(f, evilMAC, "10.0.0.66", pcMAC, "10.0.0.10", "fileserv", 5355))
	f.Add(nbnsAnswer(f, evilMAC, "10.0.0.66", pcMAC, "10.0.0.10", "wpad"))
	f.Add(dhcpDiscover(f, evilMAC, pcMAC, 1))
	// The other new decoders' inputs: router and neighbour advertisements.
	f.Add(icmp6Frame(f, evilMAC, "fe80::6600:6aff:fe5b:8eb3", hw("33:33:00:00:00:01"), "ff02::1", 134, raBody(0, evilMAC)))
	f.Add(icmp6Frame(f, evilMAC, "fe80::1", pcMAC, "fe80::2", 136, naBody(false, true, "fe80::1", evilMAC)))
	r := newRig(f, Config{})
	f.Fuzz(func(t *testing.T, frame []byte) {
		r.feed(t0, frame)
		r.reset()
	})
}

// TestBoundedUnderForgedMACFlood: 20,000 forged MACs each claiming an
// address (macof, a starvation tool) after learning leave every table
// within its cap, count what was dropped, and raise a bounded number of
// events.
func TestBoundedUnderForgedMACFlood(t *testing.T) {
	r := newRig(t, Config{Learning: time.Second, LearnPackets: -1, MaxHosts: 1000, MaxTrackers: 500})
	r.baseline(t0, 10*time.Second)
	at := t0.Add(time.Minute)
	for i := range 20000 {
		m := net.HardwareAddr{0x02, 0xf0, 0, byte(i >> 16), byte(i >> 8), byte(i)}
		r.feed(at, arpFrame(t, layers.ARPReply, m, fmt.Sprintf("10.%d.%d.%d", 1+i>>16, byte(i>>8), byte(i)), pcMAC, "10.0.0.10"))
		r.feed(at, dhcpDiscover(t, m, m, uint32(i)))
		at = at.Add(100 * time.Microsecond)
	}
	r.e.Tick(at.Add(time.Minute))
	e := r.e
	if len(e.hosts) > 1000 || len(e.arp) > 2000 || len(e.ports)+len(e.sweeps)+len(e.floods) > 3*500 || len(e.floodsTo) > 500 || len(e.arpAsks) > 500 || len(e.quiet) > 500 {
		t.Errorf("tables past their caps: hosts %d arp %d trackers %d/%d/%d floods %d asks %d quiet %d",
			len(e.hosts), len(e.arp), len(e.ports), len(e.sweeps), len(e.floods), len(e.floodsTo), len(e.arpAsks), len(e.quiet))
	}
	c := e.Counters()
	if c.HostsUntracked == 0 {
		t.Errorf("nothing counted as untracked: %+v", c)
	}
	if n := len(r.of(inventory.EventNewDevice)); n > maxNewDevices {
		t.Errorf("%d new_device events for one flood", n)
	}
	if len(r.of(inventory.EventDHCPStarvation)) != 1 {
		t.Errorf("no single dhcp_starvation event: %d", len(r.of(inventory.EventDHCPStarvation)))
	}
	if len(r.all()) > 100 {
		t.Errorf("%d events for one flood", len(r.all()))
	}
}

// TestFloodForgedSourcesFromALANHost: hping3 --rand-source on the LAN: the
// addresses are forged but every frame comes from the attacker's MAC, which
// is not the gateway's.
func TestFloodForgedSourcesFromALANHost(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	r.feed(t0, arpFrame(t, layers.ARPRequest, pcMAC, "10.0.0.10", nil, "10.0.0.1"))
	r.feed(t0, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
	r.feed(t0, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.30"))
	for i := range 1500 {
		r.feed(t0.Add(time.Duration(i)*time.Millisecond), tcpFrame(t, evilMAC, fmt.Sprintf("198.51.%d.%d", i/250, i%250+1), uint16(1024+i), nasMAC, "10.0.0.30", 80, tcpFlags{syn: true}, nil))
	}
	wantOne(t, r, inventory.EventFlood, evilMAC.String(), "10.0.0.66")
}

// portUnreachable is target's ICMP port unreachable quoting the UDP
// datagram prober sent to port.
func portUnreachable(t testing.TB, targetMAC net.HardwareAddr, target string, proberMAC net.HardwareAddr, prober string, port uint16) []byte {
	return portUnreachableFrom(t, targetMAC, target, proberMAC, prober, 40000, port)
}

func portUnreachableFrom(t testing.TB, targetMAC net.HardwareAddr, target string, proberMAC net.HardwareAddr, prober string, sport, port uint16) []byte {
	quoted := udpFrame(t, proberMAC, prober, sport, targetMAC, target, port, nil)[14:]
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: ip4(target), DstIP: ip4(prober)}
	return serialize(t, &layers.Ethernet{SrcMAC: targetMAC, DstMAC: proberMAC, EthernetType: layers.EthernetTypeIPv4}, ip,
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4CodePort)}, gopacket.Payload(quoted))
}

// TestLowAndSlowScan: nmap -T1 (a probe every 15 s) stays under the
// per-minute threshold but collects refusals from closed ports.
func TestLowAndSlowScan(t *testing.T) {
	for _, udp := range []bool{false, true} {
		t.Run(fmt.Sprint("udp=", udp), func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range 30 {
				at := t0.Add(time.Duration(i) * 15 * time.Second)
				port := uint16(1000 + 37*i)
				if udp {
					r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", port, nil))
					r.feed(at.Add(time.Millisecond), portUnreachable(t, nasMAC, "10.0.0.30", evilMAC, "10.0.0.66", port))
					continue
				}
				r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, nil))
				r.feed(at.Add(time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", port, evilMAC, "10.0.0.66", 40000, tcpFlags{rst: true, ack: true}, nil))
			}
			ev := wantOne(t, r, inventory.EventPortScan, evilMAC.String(), "10.0.0.66")
			if ev.TargetIP.String() != "10.0.0.30" || !strings.Contains(ev.Summary, "slow") {
				t.Errorf("port_scan %+v", ev)
			}
		})
	}
	t.Run("late replies from a service meeting closed client ports", func(t *testing.T) {
		// A switch's SNMP replies arriving after the box's poll timed out
		// and its socket closed: each from port 161 to another ephemeral
		// port of the box, each refused with ICMP port unreachable; and a
		// server's RST answering an active FTP data connection (port 20 to
		// a client's closed ephemeral port) the same way.
		r := newRig(t, Config{})
		for i := range 40 {
			at := t0.Add(time.Duration(i) * 20 * time.Second)
			port := uint16(40000 + 97*i)
			r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 161, boxMAC, "10.0.0.2", port, []byte("late response")))
			r.feed(at.Add(time.Millisecond), portUnreachableFrom(t, boxMAC, "10.0.0.2", nasMAC, "10.0.0.30", 161, port))
			r.feed(at, tcpFrame(t, nasMAC, "10.0.0.30", 20, pcMAC, "10.0.0.10", port, tcpFlags{syn: true}, nil))
			r.feed(at.Add(time.Millisecond), tcpFrame(t, pcMAC, "10.0.0.10", port, nasMAC, "10.0.0.30", 20, tcpFlags{rst: true, ack: true}, nil))
		}
		if len(r.all()) != 0 {
			t.Fatalf("raised %+v", r.all())
		}
	})
	t.Run("a client meeting a few closed ports", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 60 {
			at := t0.Add(time.Duration(i) * time.Minute)
			port := uint16(8080 + i%3)
			r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", uint16(50000+i), nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, nil))
			r.feed(at.Add(time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", port, pcMAC, "10.0.0.10", uint16(50000+i), tcpFlags{rst: true, ack: true}, nil))
		}
		if len(r.all()) != 0 {
			t.Fatalf("raised %+v", r.all())
		}
	})
}

// TestFloodRateFromFirstPacket: a flood's count includes the packets the
// gate let through before its state began, so its span and rate run from
// the first of them: 1,000 SYNs a second read as about 1,000 a second
// whatever the flood's phase against the gate's clock-aligned windows (from
// the state's start they read 1,333, and millions when the state began
// one packet before the report).
func TestFloodRateFromFirstPacket(t *testing.T) {
	perSecond := regexp.MustCompile(`, (\d+) per second`)
	for _, phase := range []time.Duration{0, 3300 * time.Millisecond, 9900 * time.Millisecond, 9999 * time.Millisecond} {
		r := newRig(t, Config{})
		at := t0.Add(phase)
		for i := range 1500 {
			r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", uint16(1024+i), nasMAC, "10.0.0.30", 80, tcpFlags{syn: true}, nil))
			at = at.Add(time.Millisecond)
		}
		evs := r.of(inventory.EventFlood)
		if len(evs) != 1 || len(evs[0].Evidence) == 0 {
			t.Fatalf("phase %s: %d flood events, want 1: %+v", phase, len(evs), evs)
		}
		m := perSecond.FindStringSubmatch(evs[0].Evidence[0].Detail)
		if m == nil {
			t.Fatalf("phase %s: no rate in %q", phase, evs[0].Evidence[0].Detail)
		}
		if rate, _ := strconv.Atoi(m[1]); rate < 900 || rate > 1100 {
			t.Errorf("phase %s: flood of 1,000 packets a second reported at %d a second: %s", phase, rate, evs[0].Evidence[0].Detail)
		}
	}
}

// TestHTTPRequest: the four-byte switch in front of httpRequest's loop
// answers as the loop over httpMethods alone does.
func TestHTTPRequest(t *testing.T) {
	loop := func(b []byte) bool {
		for _, m := range httpMethods {
			if len(b) >= len(m) && string(b[:len(m)]) == m {
				return true
			}
		}
		return false
	}
	in := []string{"", "G", "GET", "GET ", "GET /", "GETX", "get /", "PUT /x", "PUTS", "POST", "POST ", "POSTX", "HEAD /", "HEADX",
		"DELETE /", "DELETE", "DELE", "PATCH /", "PATC", "OPTIONS *", "OPTIONS", "OPTI", "\x16\x03\x01\x02\x00", "\x00\x00\x00\x40\xfeSMB", "CONNECT x:443"}
	for _, m := range httpMethods {
		in = append(in, m, m[:len(m)-1], m+"/")
	}
	for _, s := range in {
		if got, want := httpRequest([]byte(s)), loop([]byte(s)); got != want {
			t.Errorf("httpRequest(%q) = %v, want %v", s, got, want)
		}
	}
}
