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
		r.feed(when, echoFrame(t, gwMAC, "203.0.113.9", pcMAC, "10.0.0.10", 0, 1, uint16(i), randomBytes(rng, 8+i*3))) // a command, shorter or longer
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

// hexLabel is n hex digits derived from i: a hash or encrypted bytes.
func hexLabel(rng *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[rng.IntN(16)]
	}
	return string(b)
}

// TestDNSExfilUnderBarRaised: review 35a's exfiltration under the old bar
// (A queries with one 60-hex-digit label and a counter, TXT queries with
// three 31-digit labels) and iodine -T A's base32 labels of 28 are one
// dns_tunnel each. Checked to fail without dense (nothing raised).
func TestDNSExfilUnderBarRaised(t *testing.T) {
	rng := rand.New(rand.NewPCG(36, 2))
	r, at := slowHTTPRig(t)
	for i := range 30 {
		q := dnsQueryMsg(uint16(i), 1, hexLabel(rng, 60), fmt.Sprint(i), "exfil", "example", "com")
		r.feed(at, udpFrame(t, atkMAC, "10.0.0.66", 40000, gwMAC, "10.0.0.1", 53, q))
		q = dnsQueryMsg(uint16(i), 16, hexLabel(rng, 31), hexLabel(rng, 31), hexLabel(rng, 31), fmt.Sprint(i), "x", "example", "org")
		r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 40001, gwMAC, "10.0.0.1", 53, q))
		q = dnsQueryMsg(uint16(i), 1, "p"+b32(i, 27), b32(i+500, 28), "t", "tun", "example", "net")
		r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 40002, gwMAC, "10.0.0.1", 53, q))
		at = at.Add(200 * time.Millisecond)
	}
	evs := r.of(inventory.EventDNSTunnel)
	if len(evs) != 3 {
		t.Fatalf("want three dns_tunnel, got %+v", r.all())
	}
	for i, w := range []struct{ mac, domain, typ string }{{atkMAC.String(), "exfil.example.com", "A 20"}, {pcMAC.String(), "x.example.org", "TXT 20"}, {nasMAC.String(), "t.tun.example.net", "A 20"}} {
		if evs[i].MAC.String() != w.mac || !strings.Contains(evs[i].Summary, "under "+w.domain) || !strings.Contains(evs[i].Evidence[0].Detail, w.typ) {
			t.Errorf("want dns_tunnel by %s under %s (%s), got %+v", w.mac, w.domain, w.typ, evs[i])
		}
	}
}

// TestDNSExfilBenignQuiet: the address and text lookups an office makes
// every day with hashed or random labels stay quiet under the wider test:
// a mail server's Spamhaus DQS lookups (reversed addresses and domains
// under its key) and McAfee GTI, Sophos and ESET reputation hashes (the
// hygiene catalog's), AWS ELB, CloudFront, Azure Traffic Manager and
// storage names, Google ad frames (32 hex digits) and video caches, Teams,
// Chrome's random one-label probes, AD's SRV lookups, a PTR sweep and
// DNS-SD. Checked: the McAfee lookups raise without the catalog test.
func TestDNSExfilBenignQuiet(t *testing.T) {
	rng := rand.New(rand.NewPCG(36, 3))
	r, at := slowHTTPRig(t)
	key := "k7a3m9x2q5w8e1r4t6y0u2i3o5"
	for i := range 120 {
		id := uint16(i)
		qs := [][]byte{
			dnsQueryMsg(id, 1, fmt.Sprint(i%250), fmt.Sprint(i/250+7), "113", "203", key, "zen", "dq", "spamhaus", "net"),
			dnsQueryMsg(id, 1, fmt.Sprintf("sender%d", i), "com", key, "dbl", "dq", "spamhaus", "net"),
			dnsQueryMsg(id, 16, hexLabel(rng, 40), "_email", key, "hbl", "dq", "spamhaus", "net"),
			dnsQueryMsg(id, 1, "0", "0", "0", "0", "1", "0", "0", "4e", hexLabel(rng, 26)+hexLabel(rng, 20), "avqs", "mcafee", "com"),
			dnsQueryMsg(id, 16, hexLabel(rng, 32), hexLabel(rng, 32), "f", "sxl", "sophosxl", "net"),
			dnsQueryMsg(id, 1, hexLabel(rng, 40), hexLabel(rng, 16), "a", "e5", "sk"),
			dnsQueryMsg(id, 1, fmt.Sprintf("internal-app%d-lb-%d", i, 1234567890+i*7919), "eu-west-1", "elb", "amazonaws", "com"),
			dnsQueryMsg(id, 28, "d"+b32(i, 13), "cloudfront", "net"),
			dnsQueryMsg(id, 1, fmt.Sprintf("contoso-web%d", i), "trafficmanager", "net"),
			dnsQueryMsg(id, 1, "st"+hexLabel(rng, 22), "blob", "core", "windows", "net"),
			dnsQueryMsg(id, 1, hexLabel(rng, 32), "safeframe", "googlesyndication", "com"),
			dnsQueryMsg(id, 1, fmt.Sprintf("rr%d---sn-4g5e%dnsl", i%5+1, i%10), "googlevideo", "com"),
			dnsQueryMsg(id, 1, fmt.Sprintf("s-%04d", i), "s-msedge", "net"),
			dnsQueryMsg(id, 1, "teams", "microsoft", "com"),
			dnsQueryMsg(id, 1, b32(i, 10)),
			dnsQueryMsg(id, 33, "_ldap", "_tcp", "dc", "_msdcs", "corp", "example", "com"),
			dnsQueryMsg(id, 12, fmt.Sprint(i%250), "8", "88", "10", "in-addr", "arpa"),
			dnsQueryMsg(id, 12, "_ipp", "_tcp", "local"),
		}
		for j, q := range qs {
			r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", uint16(30000+j), gwMAC, "10.0.0.1", 53, q))
		}
		at = at.Add(500 * time.Millisecond)
	}
	if evs := r.of(inventory.EventDNSTunnel); len(evs) != 0 {
		t.Fatalf("benign lookups raised %+v", evs)
	}
}
