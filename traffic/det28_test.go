package traffic

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// fragPair is a UDP datagram from src:sport to dst:dport in two IPv4
// fragments (RFC 791): the first (More Fragments, offset 0, the UDP
// header and 1,472 bytes) and the last (offset 1480 bytes).
func fragPair(t testing.TB, src string, sport uint16, dst string, dport uint16, id uint16) [2][]byte {
	var b [2][]byte
	udp := make([]byte, 1480)
	udp[0], udp[1], udp[2], udp[3] = byte(sport>>8), byte(sport), byte(dport>>8), byte(dport)
	for i, f := range []struct {
		flags  layers.IPv4Flag
		offset uint16
		body   []byte
	}{{layers.IPv4MoreFragments, 0, udp}, {0, 185, make([]byte, 900)}} {
		ip := &layers.IPv4{Version: 4, TTL: 60, Protocol: layers.IPProtocolUDP, SrcIP: ip4(src), DstIP: ip4(dst), Id: id, Flags: f.flags, FragOffset: f.offset}
		b[i] = serialize(t, &layers.Ethernet{SrcMAC: gwMAC, DstMAC: nasMAC, EthernetType: layers.EthernetTypeIPv4}, ip, gopacket.Payload(f.body))
	}
	return b
}

// TestStrayFragmentAnswersQuiet: fragmented UDP the target asked for is
// no flood. A LAN resolver querying 1,500 internet servers at 150 a
// second gets each big EDNS answer in two fragments; a VPN concentrator's
// 400 peers each send a fragmented datagram to UDP 4500 every 2 s, which
// it answers (the capture begins mid-stream: each peer's first datagram
// comes before its first answer). Base raised an IP fragment flood High
// on both (review 27c), and a raw IP flood once the fragments counted
// answered: the first pieces, whose UDP header the decoder leaves unread,
// counted as raw IP (fails without answeredSources for fragments, and
// without firstFragment). Forged fragmented answers the target never
// asked for are still a flood, with no culprit.
func TestStrayFragmentAnswersQuiet(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 1800 {
		srv, port := forgedAddr(i%1500), uint16(20000+i)
		r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", port, gwMAC, srv, 53, make([]byte, 40)))
		for j, f := range fragPair(t, srv, 53, "10.0.0.10", port, uint16(i)) {
			r.feed(at.Add(time.Duration(3+j)*time.Millisecond), f)
		}
		at = at.Add(time.Second / 150)
	}
	if f := r.of(inventory.EventFlood); len(f) != 0 {
		t.Fatalf("a resolver's fragmented answers raised a flood: %v", f)
	}
	at = at.Add(time.Minute)
	for round := range 6 {
		for i := range 400 {
			peer := forgedAddr(2000 + i)
			for _, f := range fragPair(t, peer, 4500, "10.0.0.30", 4500, uint16(round*400+i)) {
				r.feed(at, f)
			}
			r.feed(at.Add(2*time.Millisecond), udpFrame(t, nasMAC, "10.0.0.30", 4500, gwMAC, peer, 4500, make([]byte, 200)))
			at = at.Add(2 * time.Second / 400)
		}
	}
	if f := r.of(inventory.EventFlood); len(f) != 0 {
		t.Fatalf("a VPN concentrator's peers raised a flood: %v", f)
	}
	at = at.Add(time.Minute)
	for i := range 1200 {
		for _, f := range fragPair(t, forgedAddr(5000+i), 53, "10.0.0.30", 80, uint16(i)) {
			r.feed(at, f)
		}
		at = at.Add(time.Millisecond)
	}
	if f := r.of(inventory.EventFlood); len(f) != 1 || f[0].TargetIP.String() != "10.0.0.30" || len(f[0].MAC) != 0 {
		t.Fatalf("want one forged fragment flood toward 10.0.0.30 with no culprit, got %v", f)
	}
}

// TestFragmentFloodArticle: a fragment flood by a LAN host under forged
// sources is "an IP fragment flood" (base: "a IP fragment flood").
func TestFragmentFloodArticle(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 1400 {
		r.feed(at, fragFrame(t, evilMAC, forgedAddr(i), nasMAC, "10.0.0.30", uint16(i)))
		at = at.Add(500 * time.Microsecond)
	}
	if f := r.of(inventory.EventFlood); len(f) != 1 || !strings.Contains(f[0].Summary, " sent an IP fragment flood toward ") {
		t.Fatalf("want one flood whose summary says %q, got %v", " sent an IP fragment flood toward ", f)
	}
}
