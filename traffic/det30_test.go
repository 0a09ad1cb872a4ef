package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// traceExceeded is the first hop's (the gateway's, 10.0.0.1) time
// exceeded in transit for frame, a probe whose TTL ran out there.
func traceExceeded(t testing.TB, frame []byte) []byte {
	quoted := append([]byte(nil), frame[14:14+28]...)
	quoted[8] = 1
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: ip4("10.0.0.1"), DstIP: ip4("10.0.0.10")}
	return serialize(t, &layers.Ethernet{SrcMAC: gwMAC, DstMAC: pcMAC, EthernetType: layers.EthernetTypeIPv4}, ip,
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeTimeExceeded, layers.ICMPv4CodeTTLExceeded)}, gopacket.Payload(quoted))
}

// tracerouteRuns plays Linux traceroute's default, runs times in a row,
// to each of dsts two hops away: 16 probes (3 a TTL from 1, ports 33434
// and up, the same each run), the first hop's time exceeded for TTL 1
// when exceeded, the destination's port unreachable for the other 13.
func tracerouteRuns(t *testing.T, r *rig, dsts []string, runs int, exceeded bool) {
	at := t0
	for run := 0; run < runs; run++ {
		for _, dst := range dsts {
			for i := 0; i < 16; i++ {
				ttl := uint8(1 + i/3)
				f := traceFrame(t, dst, uint16(33434+i), ttl)
				r.feed(at, f)
				switch {
				case ttl >= 2:
					r.feed(at.Add(time.Millisecond), traceUnreachable(t, dst, f, ttl-1))
				case exceeded:
					r.feed(at.Add(time.Millisecond), traceExceeded(t, f))
				}
				at = at.Add(2 * time.Millisecond)
			}
			at = at.Add(100 * time.Millisecond)
		}
	}
}

// TestTraceRouterFromTimeExceeded: with no gateway known (a replay without
// --gateway, no DHCP seen), Linux traceroute run 3 times to 6
// destinations beyond the prober's /24 (13 ports refused each run) is no
// scan: the time exceeded its TTL-1 probes draw makes the MAC they went to
// a router. It raised port_scan High before (the slow-scan count: 12
// refused ports; review 29a b4, b5). The same without any time exceeded,
// or to LAN addresses (the prober's /24) through the relaying MAC, still
// raises.
func TestTraceRouterFromTimeExceeded(t *testing.T) {
	var beyond, lan []string
	for i := 0; i < 6; i++ {
		beyond = append(beyond, fmt.Sprintf("198.51.100.%d", 10+i))
		lan = append(lan, fmt.Sprintf("10.0.0.%d", 100+i))
	}
	r := newRig(t, Config{})
	tracerouteRuns(t, r, beyond, 3, true)
	if evs := r.all(); len(evs) != 0 {
		t.Errorf("traceroute 3 times to 6 destinations, no gateway known, raised %+v", evs)
	}
	for _, c := range []struct {
		name     string
		dsts     []string
		exceeded bool
	}{{"no time exceeded", beyond, false}, {"LAN addresses", lan, true}} {
		r := newRig(t, Config{})
		tracerouteRuns(t, r, c.dsts, 3, c.exceeded)
		if len(r.of(inventory.EventPortScan)) == 0 {
			t.Errorf("%s: no port_scan", c.name)
		}
	}
}

// silentRig is a rig with the NAS (10.0.0.30) bound in ARP: a LAN host
// that is up.
func silentRig(t *testing.T) *rig {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	r.feed(t0.Add(-2*time.Second), garpFrame(t, gwMAC, "10.0.0.1"))
	r.feed(t0.Add(-time.Second), garpFrame(t, nasMAC, "10.0.0.30"))
	return r
}

// silentSYNs feeds a SYN from m's ip (source port sport) to the NAS's
// port at at, and its retransmission (same port pair) a second later.
func silentSYNs(t *testing.T, r *rig, at time.Time, m net.HardwareAddr, ip string, sport, port uint16) {
	f := tcpFrame(t, m, ip, sport, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, nil)
	r.feed(at, f)
	r.feed(at.Add(time.Second), f)
}

// TestSlowScanFiltered: SYNs to 14 distinct ports of a LAN host that
// answers none (a firewall dropping them), one every 15 s (nmap -T1),
// each retransmitted once, are a slow scan of filtered ports: quiet
// before (4 ports a minute, no refusal). A monitor checking 11 ports of
// the host every 5 minutes for 40 minutes, a client retrying a dead
// server's port for an hour, 40 clients behind the gateway's NAT trying
// 2 ports each, 14 ports answered SYN+ACK, and 14 silent ports of a host
// beyond the gateway are none.
func TestSlowScanFiltered(t *testing.T) {
	r := silentRig(t)
	for i := 0; i < 14; i++ {
		silentSYNs(t, r, t0.Add(time.Duration(i)*15*time.Second), evilMAC, "10.0.0.66", 40000, uint16(20+i*7))
	}
	if len(r.of(inventory.EventPortScan)) == 0 {
		t.Errorf("SYNs to 14 filtered ports, 15 s apart: no port_scan (%+v)", r.all())
	}
	for _, c := range []struct {
		name string
		play func(r *rig)
	}{
		{"monitor", func(r *rig) {
			for round := 0; round < 8; round++ {
				for i, p := range []uint16{22, 25, 80, 110, 143, 443, 993, 3306, 5432, 6379, 8080} {
					silentSYNs(t, r, t0.Add(time.Duration(round)*5*time.Minute+time.Duration(i)*25*time.Second), pcMAC, "10.0.0.10", uint16(40000+round*20+i), p)
				}
			}
		}},
		{"retrying client", func(r *rig) {
			for i := 0; i < 60; i++ {
				silentSYNs(t, r, t0.Add(time.Duration(i)*time.Minute), pcMAC, "10.0.0.10", uint16(40000+i), 443)
			}
		}},
		{"NAT", func(r *rig) {
			for i := 0; i < 40; i++ {
				at := t0.Add(time.Duration(i) * 20 * time.Second)
				ip := fmt.Sprintf("203.0.113.%d", i+1)
				silentSYNs(t, r, at, gwMAC, ip, 50000, uint16(1000+i))
				silentSYNs(t, r, at.Add(5*time.Second), gwMAC, ip, 50001, uint16(2000+i))
			}
		}},
		{"answered", func(r *rig) {
			for i := 0; i < 14; i++ {
				at := t0.Add(time.Duration(i) * 15 * time.Second)
				silentSYNs(t, r, at, pcMAC, "10.0.0.10", 40000, uint16(20+i*7))
				r.feed(at.Add(1500*time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", uint16(20+i*7), pcMAC, "10.0.0.10", 40000, tcpFlags{syn: true, ack: true}, nil))
			}
		}},
		{"beyond the gateway", func(r *rig) {
			for i := 0; i < 14; i++ {
				f := tcpFrame(t, pcMAC, "10.0.0.10", 40000, gwMAC, "198.51.100.7", uint16(20+i*7), tcpFlags{syn: true}, nil)
				r.feed(t0.Add(time.Duration(i)*15*time.Second), f)
			}
		}},
	} {
		r := silentRig(t)
		c.play(r)
		if evs := r.of(inventory.EventPortScan); len(evs) != 0 {
			t.Errorf("%s raised %+v", c.name, evs)
		}
	}
}

// dnsRequest is a DNS request's header (ID 0): opcode, and the question
// and additional record counts; an OPT record follows when ar is 1.
func dnsRequest(opcode byte, qd, ar uint16) []byte {
	b := []byte{0, 0, opcode << 3, 0, byte(qd >> 8), byte(qd), 0, 0, 0, 0, byte(ar >> 8), byte(ar)}
	if qd > 0 {
		b = append(b, "\x07example\x03com\x00\x00\x01\x00\x01"...)
	}
	if ar > 0 {
		b = append(b, 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 12, 0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8) // OPT, a client COOKIE
	}
	return b
}

// TestDNSAsksNothingSweep: nmap -sU -Pn -p 53,161 of 40 hosts beyond the
// gateway sends each a DNS STATUS request with no question (and an SNMP
// request): a host_sweep, quiet before (two services a host, under
// udpServiceSweep; review 28c a3). A bare DNS QUERY header (no
// question, no record) is one too. An NMS asking the same 40 hosts a real
// question and SNMP through an outage, and a client asking 40 servers
// for a cookie only (no question, an OPT record: RFC 7873 5.4), are none.
func TestDNSAsksNothingSweep(t *testing.T) {
	snmp := []byte("\x30\x26\x02\x01\x01\x04\x06public\xa0\x19\x02\x01\x00\x02\x01\x00\x02\x01\x00\x30\x0e\x30\x0c\x06\x08\x2b\x06\x01\x02\x01\x01\x03\x00\x05\x00")
	play := func(dns []byte) *rig {
		r := traceRig(t)
		for i := 0; i < 40; i++ {
			at := t0.Add(time.Duration(i) * 50 * time.Millisecond)
			dst := fmt.Sprintf("198.51.100.%d", i+1)
			r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 40000, gwMAC, dst, 53, dns))
			r.feed(at.Add(time.Millisecond), udpFrame(t, pcMAC, "10.0.0.10", 40000, gwMAC, dst, 161, snmp))
		}
		return r
	}
	for name, dns := range map[string][]byte{"STATUS": dnsRequest(2, 0, 0), "QUERY without a question": dnsRequest(0, 0, 0)} {
		if r := play(dns); len(r.of(inventory.EventHostSweep)) == 0 {
			t.Errorf("%s to 40 hosts: no host_sweep (%+v)", name, r.all())
		}
	}
	for name, dns := range map[string][]byte{"a question": dnsRequest(0, 1, 0), "a cookie only": dnsRequest(0, 0, 1)} {
		if evs := play(dns).all(); len(evs) != 0 {
			t.Errorf("%s to 40 hosts raised %+v", name, evs)
		}
	}
}

// TestDNSAsksNothing: the DNS requests dnsAsksNothing calls probes.
func TestDNSAsksNothing(t *testing.T) {
	for _, c := range []struct {
		b    []byte
		want bool
	}{
		{dnsRequest(2, 0, 0), true}, {dnsRequest(2, 1, 0), true}, {dnsRequest(0, 0, 0), true},
		{dnsRequest(0, 1, 0), false}, {dnsRequest(0, 0, 1), false}, {dnsRequest(4, 1, 0), false}, // NOTIFY
		{append(dnsRequest(0, 0, 0), make([]byte, 28)...), false}, // counts that do not describe the bytes after them
		{append(dnsRequest(2, 0, 0)[:2:2], 0x90, 0), false},       // a response, cut short
		{[]byte{0x80, 0, 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0}, false}, // QR: a response
	} {
		if got := dnsAsksNothing(c.b, len(c.b)); got != c.want {
			t.Errorf("dnsAsksNothing(% x) = %v, want %v", c.b, got, c.want)
		}
	}
}
