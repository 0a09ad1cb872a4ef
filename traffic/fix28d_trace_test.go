package traffic

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// lanUDP is an empty UDP datagram from the PC to a LAN host's MAC and
// address, port at ttl (nmap -PU, or traceroute's shape aimed at the LAN).
func lanUDP(t testing.TB, n int, port uint16, ttl uint8, payload int) []byte {
	ip := &layers.IPv4{Version: 4, TTL: ttl, Protocol: layers.IPProtocolUDP, SrcIP: ip4("10.0.0.10"), DstIP: ip4(fmt.Sprintf("10.0.0.%d", 100+n))}
	udp := &layers.UDP{SrcPort: 45000, DstPort: layers.UDPPort(port)}
	udp.SetNetworkLayerForChecksum(ip)
	dst := hw(fmt.Sprintf("02:00:00:00:01:%02x", n))
	return serialize(t, &layers.Ethernet{SrcMAC: pcMAC, DstMAC: dst, EthernetType: layers.EthernetTypeIPv4}, ip, udp, gopacket.Payload(make([]byte, payload)))
}

// lanUnreachable is LAN host n's port unreachable for frame (lanUDP).
func lanUnreachable(t testing.TB, n int, frame []byte) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: ip4(fmt.Sprintf("10.0.0.%d", 100+n)), DstIP: ip4("10.0.0.10")}
	return serialize(t, &layers.Ethernet{SrcMAC: hw(fmt.Sprintf("02:00:00:00:01:%02x", n)), DstMAC: pcMAC, EthernetType: layers.EthernetTypeIPv4}, ip,
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4CodePort)}, gopacket.Payload(frame[14:14+28]))
}

// TestTraceroutePortsAtFixedTTL: traceroute's ports are exempt only to a
// router with TTLs rising with the port: nmap -sn -PU33434 --ttl 30 of 60
// LAN hosts is a sweep, traceroute's shape (16 ports, TTLs from 1) aimed
// at 60 LAN hosts a scan, and one datagram to 33434 at TTL 30 through the
// gateway to 60 hosts beyond a sweep (each was nothing under traceProbe).
func TestTraceroutePortsAtFixedTTL(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	for n := 0; n < 60; n++ {
		r.feed(t0.Add(time.Duration(n)*5*time.Millisecond), lanUDP(t, n, 33434, 30, 0))
	}
	if len(r.of(inventory.EventHostSweep)) == 0 {
		t.Errorf("UDP discovery of 60 LAN hosts at TTL 30 raised %+v, want host_sweep", r.all())
	}
	r = newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	for n := 0; n < 60; n++ {
		for i := 0; i < 16; i++ {
			at := t0.Add(time.Duration(n)*20*time.Millisecond + time.Duration(i)*100*time.Microsecond)
			f := lanUDP(t, n, uint16(33434+i), uint8(1+i/3), 32)
			r.feed(at, f)
			r.feed(at.Add(time.Millisecond), lanUnreachable(t, n, f))
		}
	}
	if len(r.of(inventory.EventPortScan))+len(r.of(inventory.EventHostSweep)) == 0 {
		t.Errorf("traceroute's shape aimed at 60 LAN hosts raised %+v, want a scan", r.all())
	}
	r = newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	r.feed(t0, garpFrame(t, gwMAC, "10.0.0.1"))
	for d := 0; d < 60; d++ {
		f := traceFrame(t, fmt.Sprintf("198.51.100.%d", d+1), 33434, 30)
		f[14+20+4], f[14+20+5] = 0, 8 // empty: UDP length 8 (checksum left as is)
		r.feed(t0.Add(time.Duration(d)*5*time.Millisecond), f[:14+28])
	}
	if len(r.of(inventory.EventHostSweep)) == 0 {
		t.Errorf("UDP discovery of 60 hosts beyond the gateway at TTL 30 raised %+v, want host_sweep", r.all())
	}
}
