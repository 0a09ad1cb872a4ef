package traffic

import (
	"testing"

	"github.com/google/gopacket/layers"

	"tend/capture"
)

// TestHygienic: the inline test in front of hygiene lets through every
// datagram and segment hygiene hands on, and passes over the rest of a
// LAN's traffic (TLS records other than a handshake's, SSDP, empty ACKs).
func TestHygienic(t *testing.T) {
	udp := func(port uint16, b ...byte) *capture.Packet {
		p := &capture.Packet{Has: capture.HasEthernet | capture.HasIPv4 | capture.HasUDP}
		p.UDP.DstPort, p.UDP.Payload = layers.UDPPort(port), b
		return p
	}
	tcp := func(port uint16, b ...byte) *capture.Packet {
		p := &capture.Packet{Has: capture.HasEthernet | capture.HasIPv4 | capture.HasTCP}
		p.TCP.DstPort, p.TCP.Payload = layers.TCPPort(port), b
		return p
	}
	for _, tc := range []struct {
		name string
		p    *capture.Packet
		want bool
	}{
		{"DNS query", udp(53, 0x12, 0x34), true},
		{"QUIC long header to 443", udp(443, 0xc3), true},
		{"DNS over QUIC", udp(853, 0xc0), true},
		{"empty datagram to 53", udp(53), false},
		{"SSDP", udp(1900, 'M'), false},
		{"DNS over TCP", tcp(53, 0, 30), true},
		{"TLS ClientHello on any port", tcp(8443, 22, 3, 1), true},
		{"TLS application data", tcp(443, 23, 3, 3), false},
		{"WSUS", tcp(8530, 'G'), true},
		{"WSUS over TLS", tcp(8531, 23), true},
		{"apt-cacher-ng", tcp(3142, 'G'), true},
		{"a port beside WSUS's", tcp(8532, 'G'), false},
		{"an empty ACK to 53", tcp(53), false},
		{"ICMP", &capture.Packet{Has: capture.HasEthernet | capture.HasIPv4 | capture.HasICMPv4}, false},
	} {
		if got := hygienic(tc.p); got != tc.want {
			t.Errorf("%s: hygienic %v, want %v", tc.name, got, tc.want)
		}
	}
}
