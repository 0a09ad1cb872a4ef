package traffic

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// echoFrame is an ICMP echo request (typ 8) or reply (0) with payload pl.
func echoFrame(t testing.TB, srcMAC net.HardwareAddr, srcIP string, dstMAC net.HardwareAddr, dstIP string, typ uint8, id, seq uint16, pl []byte) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: ip4(srcIP), DstIP: ip4(dstIP)}
	eth := &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}
	return serialize(t, eth, ip, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: id, Seq: seq}, gopacket.Payload(pl))
}

// pingPayload is iputils ping's: a 16-byte timeval, then bytes counting up.
func pingPayload(n int, at time.Time) []byte {
	b := make([]byte, n)
	binary.LittleEndian.PutUint64(b, uint64(at.Unix()))
	binary.LittleEndian.PutUint64(b[8:], uint64(at.Nanosecond()/1000))
	for i := 16; i < n; i++ {
		b[i] = byte(i)
	}
	return b
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// TestICMPTunnelRaised: ptunnel's shape (1,024-byte requests of changing
// data, the peer's kernel mirroring them) and icmpsh's (32-byte requests,
// replies carrying other bytes, the command's output) are one icmp_tunnel
// each, the pinging host the culprit and its peer the target (review 35a
// icmp_tunnel.pcap: nothing raised). Checked to fail without
// icmpTunRequest's count (the first) and without the reply comparison (the
// second).
func TestICMPTunnelRaised(t *testing.T) {
	rng := rand.New(rand.NewPCG(36, 1))
	r, at := spoofRig(t)
	for i := range 60 {
		when := at.Add(time.Duration(i) * 20 * time.Millisecond)
		pl := append([]byte{0xd5, 0x20, 0x08, 0x80}, randomBytes(rng, 1020)...)
		r.feed(when, echoFrame(t, evilMAC, "10.0.0.66", nasMAC, "10.0.0.30", 8, 77, uint16(i), pl))
		r.feed(when, echoFrame(t, nasMAC, "10.0.0.30", evilMAC, "10.0.0.66", 0, 77, uint16(i), pl))
	}
	for i := range 15 {
		when := at.Add(time.Duration(i) * time.Second)
		r.feed(when, echoFrame(t, pcMAC, "10.0.0.10", gwMAC, "203.0.113.9", 8, 1, uint16(i), randomBytes(rng, 32)))
		r.feed(when, echoFrame(t, gwMAC, "203.0.113.9", pcMAC, "10.0.0.10", 0, 1, uint16(i), randomBytes(rng, 48)))
	}
	evs := r.of(inventory.EventICMPTunnel)
	if len(evs) != 2 {
		t.Fatalf("want two icmp_tunnel, got %+v", r.all())
	}
	if evs[0].MAC.String() != evilMAC.String() || evs[0].TargetIP != netip.MustParseAddr("10.0.0.30") || !strings.Contains(evs[0].Evidence[0].Detail, "change from one to the next") {
		t.Errorf("want the first by %s toward 10.0.0.30 on changing requests, got %+v", evilMAC, evs[0])
	}
	if evs[1].MAC.String() != pcMAC.String() || evs[1].TargetIP != netip.MustParseAddr("203.0.113.9") || !strings.Contains(evs[1].Summary, "10 ICMP echoes") ||
		!strings.Contains(evs[1].Evidence[0].Detail, "10 echo replies not echoing") {
		t.Errorf("want the second by %s toward 203.0.113.9 on 10 replies not echoing, got %+v", pcMAC, evs[1])
	}
}

// TestICMPTunnelBenign: the pings a LAN sends every day stay quiet: ping -s
// 1400 (a timestamp and counting bytes) for 300 rounds, MTU probes of
// shrinking sizes (ping -M do), Windows' 32-byte alphabet, fping's zeros
// from a poller to 10 hosts, and a host replying with a shorter (truncated)
// payload. Checked to fail with icmpTunStamp 0 and icmpTunDiffer 1 (a
// timestamp's change read as data).
func TestICMPTunnelBenign(t *testing.T) {
	r, at := spoofRig(t)
	for i := range 300 {
		when := at.Add(time.Duration(i) * 200 * time.Millisecond)
		pl := pingPayload(1400, when)
		r.feed(when, echoFrame(t, pcMAC, "10.0.0.10", gwMAC, "198.51.100.7", 8, 9, uint16(i), pl))
		r.feed(when, echoFrame(t, gwMAC, "198.51.100.7", pcMAC, "10.0.0.10", 0, 9, uint16(i), pl))
		pl = pingPayload(1472-i*4, when)
		r.feed(when, echoFrame(t, pcMAC, "10.0.0.10", nasMAC, "10.0.0.30", 8, 10, uint16(i), pl))
		r.feed(when, echoFrame(t, nasMAC, "10.0.0.30", pcMAC, "10.0.0.10", 0, 10, uint16(i), pl[:min(len(pl), 500)]))
		win := []byte("abcdefghijklmnopqrstuvwabcdefghi")
		r.feed(when, echoFrame(t, evilMAC, "10.0.0.66", gwMAC, "10.0.0.1", 8, 1, uint16(i), win))
		r.feed(when, echoFrame(t, gwMAC, "10.0.0.1", evilMAC, "10.0.0.66", 0, 1, uint16(i), win))
		dst := fmt.Sprintf("10.0.0.%d", 100+i%10)
		r.feed(when, echoFrame(t, nasMAC, "10.0.0.30", gwMAC, dst, 8, 3, uint16(i), make([]byte, 56)))
		r.feed(when, echoFrame(t, gwMAC, dst, nasMAC, "10.0.0.30", 0, 3, uint16(i), make([]byte, 56)))
	}
	r.e.Flush()
	if evs := r.of(inventory.EventICMPTunnel); len(evs) != 0 {
		t.Fatalf("want no icmp_tunnel, got %+v", evs)
	}
}
