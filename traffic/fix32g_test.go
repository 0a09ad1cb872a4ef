package traffic

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// tcpSeqAck is a TCP segment with sequence number seq and acknowledgement
// number ack.
func tcpSeqAck(t testing.TB, srcMAC net.HardwareAddr, src string, sport uint16, dstMAC net.HardwareAddr, dst string, dport uint16, f tcpFlags, seq, ack uint32, payload []byte) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: ip4(src), DstIP: ip4(dst)}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), SYN: f.syn, ACK: f.ack, RST: f.rst, PSH: f.psh, Seq: seq, Ack: ack, Window: 1024}
	tcp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip, tcp, gopacket.Payload(payload))
}

// shakeCase is one client behaviour of TestHandshakeNeedsSynAck: which
// segments follow each SYN.
type shakeCase struct {
	name   string
	synAck bool             // the target answers with a SYN-ACK
	ackMAC net.HardwareAddr // the SYN-ACK's source MAC (nasMAC: the target's)
	ackAck bool             // the client's ACK acknowledges the SYN-ACK (else ack 0)
	data   bool             // the client sends a request on the connection
	flood  bool
}

// feedShakes feeds 3,000 SYNs at 500 a second from one ARP-bound client
// to 10.0.0.30:8080, each followed as tc says.
func feedShakes(t *testing.T, r *rig, at time.Time, tc shakeCase) {
	r.feed(at, arpFrame(t, layers.ARPRequest, clientMAC(1), clientIP(1), nil, "10.0.0.30"))
	for i := range 3000 {
		at = at.Add(2 * time.Millisecond)
		port, seq, sseq := uint16(20000+i%40000), uint32(i)*7919+1, uint32(i)*104729+3
		r.feed(at, tcpSeqAck(t, clientMAC(1), clientIP(1), port, nasMAC, "10.0.0.30", 8080, tcpFlags{syn: true}, seq, 0, nil))
		if tc.synAck {
			r.feed(at, tcpSeqAck(t, tc.ackMAC, "10.0.0.30", 8080, clientMAC(1), clientIP(1), port, tcpFlags{syn: true, ack: true}, sseq, seq+1, nil))
		}
		ack := uint32(0)
		if tc.ackAck {
			ack = sseq + 1
		}
		r.feed(at, tcpSeqAck(t, clientMAC(1), clientIP(1), port, nasMAC, "10.0.0.30", 8080, tcpFlags{ack: true}, seq+1, ack, nil))
		if tc.data {
			r.feed(at, tcpSeqAck(t, clientMAC(1), clientIP(1), port, nasMAC, "10.0.0.30", 8080, tcpFlags{ack: true, psh: true}, seq+1, ack, []byte("GET /x HTTP/1.1\r\n\r\n")))
		}
	}
}

// TestHandshakeNeedsSynAck (review 32c A1/A3/A4): a bare ACK carrying the
// SYN's sequence number plus one completes no handshake the target never
// answered, nor one whose SYN-ACK came from another MAC than the one the
// target is bound to, nor one whose ACK does not acknowledge the SYN-ACK
// (RFC 9293 3.5): those SYNs stay a flood (checked: the three fail without
// noteSynAck, no flood raised). Nor does one after which the client sends
// no data (review 32c A2/A5, a connection flood; checked: fails without
// noteHandshake's payload test). A handshake completed against the
// target's own SYN-ACK, a request following, is none.
func TestHandshakeNeedsSynAck(t *testing.T) {
	for _, tc := range []shakeCase{
		{"completed", true, nasMAC, true, true, false},
		{"bare ACK, no SYN-ACK", false, nil, true, true, true},
		{"SYN-ACK from the client's MAC", true, clientMAC(1), true, true, true},
		{"ACK not acknowledging the SYN-ACK", true, nasMAC, false, true, true},
		{"connected, no request", true, nasMAC, true, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			r.feed(at, arpFrame(t, layers.ARPReply, nasMAC, "10.0.0.30", clientMAC(1), clientIP(1)))
			feedShakes(t, r, at, tc)
			if f := r.of(inventory.EventFlood); (len(f) != 0) != tc.flood {
				t.Fatalf("flood %v, raised %v", tc.flood, f)
			}
		})
	}
}

// TestTFTPLockStepNeedsTransfer (review 32c C1): ACKs toward a TFTP server
// from 80 clients (more flows than floodFlows, so that a fan-in's answers
// no longer tell) count as lock-step only on a transfer a read request to port 69 began
// (RFC 1350 4) and answered with DATA blocks of 512 bytes, only the last
// shorter: an ACK flood answered by 4-byte opcode-3 frames forged from the
// victim's MAC, or ACKs with no request heard whose block numbers are not
// those of the DATA blocks (RFC 1350 lock-step), stay floods (checked: both
// fail without tftpAsked, ackedBlock and the size test, no flood raised).
// Lock-step whose requests the capture lost is a transfer still (review
// 32a's 60-client storm; checked: 'request lost' fails without ackedBlock,
// a UDP flood High).
func TestTFTPLockStepNeedsTransfer(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rrq   bool
		block int    // DATA bytes after the 4-byte header
		skew  uint16 // DATA block number minus the ACK's
		flood bool
	}{
		{"transfer", true, 512, 0, false},
		{"4-byte DATA", true, 0, 0, true},
		{"request lost", false, 512, 0, false},
		{"no request, out of step", false, 512, 7, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			for i := range 80 {
				r.feed(at, arpFrame(t, layers.ARPRequest, clientMAC(i), clientIP(i), nil, "10.0.0.30"))
				if tc.rrq {
					r.feed(at, udpFrame(t, clientMAC(i), clientIP(i), uint16(2000+i), nasMAC, "10.0.0.30", 69, []byte("\x00\x01pxelinux.0\x00octet\x00")))
				}
			}
			at = at.Add(time.Second)
			for k := range 1500 {
				for i := range 80 {
					at = at.Add(time.Second / 10000)
					tid, port := uint16(40000+i), uint16(2000+i)
					n := uint16(k) + tc.skew
					data := append([]byte{0, 3, byte(n >> 8), byte(n)}, make([]byte, tc.block)...)
					r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", tid, clientMAC(i), clientIP(i), port, data))
					r.feed(at, udpFrame(t, clientMAC(i), clientIP(i), port, nasMAC, "10.0.0.30", tid, []byte{0, 4, byte(k >> 8), byte(k)}))
				}
			}
			if f := r.of(inventory.EventFlood); (len(f) != 0) != tc.flood {
				t.Fatalf("flood %v, raised %v", tc.flood, f)
			}
		})
	}
}
