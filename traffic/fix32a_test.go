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

// clientMAC is the MAC of LAN client i of the fix32a tests.
func clientMAC(i int) net.HardwareAddr {
	return net.HardwareAddr{0x00, 0x50, 0x56, 0x32, 0x01, byte(i)}
}

// clientIP is LAN client i's address.
func clientIP(i int) string { return fmt.Sprintf("10.0.0.%d", 100+i) }

// TestTFTPLockStepNotFlood (review 32a H1): 20 PXE clients, each claiming
// its address from its own MAC in ARP, reading from a TFTP server in RFC
// 1350 lock-step (DATA block k, then the client's ACK k on the same port
// pair) at 10,000 ACKs a second are no flood (checked: fails without
// lockStep, a UDP flood High "under 19+ forged source addresses"). The same
// ACKs from one MAC under the clients' addresses (claimed by none of it)
// stay a flood.
func TestTFTPLockStepNotFlood(t *testing.T) {
	for _, tc := range []struct {
		name           string
		forged, silent bool
		flood          bool
	}{
		{"lock-step", false, false, false},
		{"forged sources", true, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			for i := range 20 {
				r.feed(at, arpFrame(t, layers.ARPRequest, clientMAC(i), clientIP(i), nil, "10.0.0.30"))
				r.feed(at, udpFrame(t, clientMAC(i), clientIP(i), uint16(2000+i), nasMAC, "10.0.0.30", 69, []byte("\x00\x01pxelinux.0\x00octet\x00")))
			}
			at = at.Add(time.Second)
			for k := range 6000 {
				for i := range 20 {
					at = at.Add(time.Second / 10000)
					tid, port := uint16(40000+i), uint16(2000+i)
					if !tc.silent {
						data := append([]byte{0, 3, byte(k >> 8), byte(k)}, make([]byte, 512)...)
						r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", tid, clientMAC(i), clientIP(i), port, data))
					}
					from := clientMAC(i)
					if tc.forged {
						from = evilMAC
					}
					r.feed(at, udpFrame(t, from, clientIP(i), port, nasMAC, "10.0.0.30", tid, []byte{0, 4, byte(k >> 8), byte(k)}))
				}
			}
			if f := r.of(inventory.EventFlood); (len(f) != 0) != tc.flood {
				t.Fatalf("flood %v, raised %v", tc.flood, f)
			}
		})
	}
}

// tcpSeq is a TCP segment with sequence number seq.
func tcpSeq(t testing.TB, srcMAC net.HardwareAddr, src string, sport uint16, dstMAC net.HardwareAddr, dst string, dport uint16, f tcpFlags, seq uint32, payload []byte) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: ip4(src), DstIP: ip4(dst)}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), SYN: f.syn, ACK: f.ack, RST: f.rst, PSH: f.psh, Seq: seq, Ack: 1, Window: 1024}
	tcp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip, tcp, gopacket.Payload(payload))
}

// TestCompletedHandshakesNotSYNFlood (review 32b M2): a web content
// scanner's or a load generator's 3,000 connections at 500 a second, each
// handshake completed (the ACK carries the SYN's sequence number plus one,
// then the request on the same number) are no SYN flood (checked: fails
// without handshakes, a TCP SYN flood High). SYNs whose SYN-ACKs the
// sender's kernel answers with RST (hping3 -S --flood), and SYNs with no
// answer at all, stay floods.
func TestCompletedHandshakesNotSYNFlood(t *testing.T) {
	for _, tc := range []struct {
		name  string
		third tcpFlags // the client's segment after the SYN-ACK
		none  bool     // no third segment
		flood bool
	}{
		{"completed", tcpFlags{ack: true}, false, false},
		{"answered with RST", tcpFlags{rst: true}, false, true},
		{"half-open", tcpFlags{}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			r.feed(at, arpFrame(t, layers.ARPRequest, clientMAC(1), clientIP(1), nil, "10.0.0.30"))
			for i := range 3000 {
				at = at.Add(2 * time.Millisecond)
				port, seq := uint16(20000+i%40000), uint32(i)*7919+1
				r.feed(at, tcpSeq(t, clientMAC(1), clientIP(1), port, nasMAC, "10.0.0.30", 8080, tcpFlags{syn: true}, seq, nil))
				r.feed(at, tcpSeqAck(t, nasMAC, "10.0.0.30", 8080, clientMAC(1), clientIP(1), port, tcpFlags{syn: true, ack: true}, 5, seq+1, nil))
				if tc.none {
					continue
				}
				r.feed(at, tcpSeqAck(t, clientMAC(1), clientIP(1), port, nasMAC, "10.0.0.30", 8080, tc.third, seq+1, 6, nil))
				if tc.third.ack {
					r.feed(at, tcpSeqAck(t, clientMAC(1), clientIP(1), port, nasMAC, "10.0.0.30", 8080, tcpFlags{ack: true, psh: true}, seq+1, 6, []byte("GET /x HTTP/1.1\r\n\r\n")))
				}
			}
			f := r.of(inventory.EventFlood)
			if (len(f) != 0) != tc.flood {
				t.Fatalf("flood %v, raised %v", tc.flood, f)
			}
		})
	}
}

// TestOnLinkPingers (review 32b L3): five on-link hosts, each claiming its
// address in ARP, pinging a router 12 times a second each (60 a second),
// and one host pinging at 45 a second for 40 s (the gate's carry reached
// 500 in a window without 50 a second), are no flood (checked: both fail
// without onLinkPings and slowPings). Five hosts at 400 a second and one
// host at 60 a second are floods; the five hosts' evidence names no next
// hop when no MAC carried most of it.
func TestOnLinkPingers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hosts int
		every time.Duration
		n     int
		flood bool
	}{
		{"five at 60/s", 5, time.Second / 60, 2400, false},
		{"one at 45/s", 1, time.Second / 45, 1800, false},
		{"five at 400/s", 5, time.Second / 400, 3000, true},
		{"one at 60/s", 1, time.Second / 60, 1800, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			for i := range tc.hosts {
				r.feed(at, arpFrame(t, layers.ARPRequest, clientMAC(i), clientIP(i), nil, "10.0.0.1"))
			}
			for k := range tc.n {
				i := k % tc.hosts
				r.feed(at.Add(time.Duration(k)*tc.every), pingFrame(t, clientMAC(i), clientIP(i), gwMAC, "10.0.0.1", 56))
			}
			f := r.of(inventory.EventFlood)
			if (len(f) != 0) != tc.flood {
				t.Fatalf("flood %v, raised %v", tc.flood, f)
			}
			if tc.flood && tc.hosts > 1 {
				ev := fmt.Sprint(f[0].Evidence)
				if strings.Contains(ev, "next hop") || !strings.Contains(ev, "none carrying nine in ten") {
					t.Fatalf("evidence names a next hop: %s", ev)
				}
			}
		})
	}
}
