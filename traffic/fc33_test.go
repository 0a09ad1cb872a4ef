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

var (
	webMAC = hw("00:11:32:00:00:80")
	atkMAC = hw("00:1b:21:33:02:66")
)

// seqFrame is tcpFrame with a sequence number: the slow HTTP detector
// follows a request's bytes by it.
func seqFrame(t testing.TB, srcMAC net.HardwareAddr, srcIP string, sport uint16, dstMAC net.HardwareAddr, dstIP string, dport uint16, seq uint32, f tcpFlags, payload []byte) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: ip4(srcIP), DstIP: ip4(dstIP)}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), Seq: seq, SYN: f.syn, ACK: f.ack, FIN: f.fin, RST: f.rst, PSH: f.psh, Window: 1024}
	tcp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip, tcp, gopacket.Payload(payload))
}

// httpConns opens n connections from client (ports from 40000) to the web
// server's port 80, each sending first and then each of more 10 s apart;
// it returns the time after the last.
func httpConns(r *rig, at time.Time, client net.HardwareAddr, clientIP string, n int, first string, more ...string) time.Time {
	t := r.t
	psh := tcpFlags{ack: true, psh: true}
	for i := range n {
		r.feed(at, seqFrame(t, client, clientIP, uint16(40000+i), webMAC, "10.0.0.80", 80, 1000, tcpFlags{syn: true}, nil))
		r.feed(at, seqFrame(t, client, clientIP, uint16(40000+i), webMAC, "10.0.0.80", 80, 1001, psh, []byte(first)))
		at = at.Add(20 * time.Millisecond)
	}
	seq := uint32(1001 + len(first))
	for _, m := range more {
		at = at.Add(10 * time.Second)
		for i := range n {
			r.feed(at, seqFrame(t, client, clientIP, uint16(40000+i), webMAC, "10.0.0.80", 80, seq, psh, []byte(m)))
			at = at.Add(time.Millisecond)
		}
		seq += uint32(len(m))
	}
	return at
}

func slowHTTPRig(t *testing.T) (*rig, time.Time) {
	r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 2*time.Minute)
	r.reset()
	return r, at
}

// TestSlowHTTPRaises: slowloris (headers that never end, a header line
// every 10 s) and slow POST (Content-Length 8192, a few body bytes every
// 10 s) from one client, review 33b s01/s02: one slow_http per client and
// server, Medium for 30 held requests, High for 150. Checked to fail
// without slowhttp.go's hooks (no event).
func TestSlowHTTPRaises(t *testing.T) {
	r, at := slowHTTPRig(t)
	httpConns(r, at, atkMAC, "10.0.0.66", 30, "GET / HTTP/1.1\r\nHost: 10.0.0.80\r\nUser-Agent: x\r\n", "X-a: 1\r\n", "X-b: 2\r\n")
	evs := r.of(inventory.EventSlowHTTP)
	if len(evs) != 1 || evs[0].MAC.String() != atkMAC.String() || evs[0].TargetIP.String() != "10.0.0.80" || evs[0].Severity != inventory.SeverityMedium {
		t.Fatalf("slowloris on 30 connections: want one medium slow_http by %s to 10.0.0.80, got %+v", atkMAC, evs)
	}
	if !strings.Contains(evs[0].Summary, "holds 30 unfinished") || !strings.Contains(evs[0].Summary, "port 80") {
		t.Errorf("summary %q lacks the held count or the port", evs[0].Summary)
	}
	r2, at := slowHTTPRig(t)
	post := "POST / HTTP/1.1\r\nHost: 10.0.0.80\r\nContent-Length: 8192\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nfoo=bar"
	httpConns(r2, at, atkMAC, "10.0.0.66", 150, post, "&a=bcdefgh", "&i=jklmnop")
	evs = r2.of(inventory.EventSlowHTTP)
	if len(evs) != 1 || evs[0].Severity != inventory.SeverityHigh || !strings.Contains(evs[0].Summary, "slow POST") {
		t.Fatalf("slow POST on 150 connections: want one high slow_http, got %+v", evs)
	}
}

// TestSlowHTTPBenignQuiet: complete requests held idle (keep-alive, long
// polling), WebSocket upgrades whose frames come after pauses, a large
// upload at line rate, and a slow client trickling on a few connections
// raise no slow_http. Checked: the WebSocket and keep-alive cases raise
// when the header-end test is dropped (every request taken as unfinished).
func TestSlowHTTPBenignQuiet(t *testing.T) {
	r, at := slowHTTPRig(t)
	at = httpConns(r, at, pcMAC, "10.0.0.10", 40, "GET /poll HTTP/1.1\r\nHost: 10.0.0.80\r\n\r\n", "GET /poll HTTP/1.1\r\nHost: 10.0.0.80\r\n\r\n")
	ws := "GET /chat HTTP/1.1\r\nHost: 10.0.0.80\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	at = httpConns(r, at, hw("3c:52:82:00:00:11"), "10.0.0.11", 40, ws, "\x81\x85abcdhello", "\x81\x85abcdworld")
	// A 1 MB upload at line rate on 30 connections.
	for i := range 30 {
		port := uint16(50000 + i)
		hdr := "PUT /up HTTP/1.1\r\nHost: 10.0.0.80\r\nContent-Length: 1048576\r\n\r\n"
		seq := uint32(1)
		r.feed(at, seqFrame(t, nasMAC, "10.0.0.30", port, webMAC, "10.0.0.80", 80, seq, tcpFlags{ack: true, psh: true}, []byte(hdr)))
		seq += uint32(len(hdr))
		chunk := make([]byte, 1448)
		for sent := 0; sent < 1048576; sent += len(chunk) {
			at = at.Add(100 * time.Microsecond)
			r.feed(at, seqFrame(t, nasMAC, "10.0.0.30", port, webMAC, "10.0.0.80", 80, seq, tcpFlags{ack: true}, chunk))
			seq += uint32(len(chunk))
		}
	}
	// A slow client on 5 connections.
	httpConns(r, at, hw("3c:52:82:00:00:12"), "10.0.0.12", 5, "GET / HTTP/1.1\r\nHost: 10.0.0.80\r\n", "X-a: 1\r\n", "X-b: 2\r\n", "\r\n")
	if evs := r.of(inventory.EventSlowHTTP); len(evs) != 0 {
		t.Fatalf("benign HTTP raised %+v", evs)
	}
	if n := len(r.e.shttp.conns); n != 0 {
		t.Errorf("%d requests still tracked after every one finished", n)
	}
}

// dnsQueryMsg is a DNS query for name (its labels as given, raw bytes
// kept) of type qtype.
func dnsQueryMsg(id uint16, qtype uint16, labels ...string) []byte {
	b := []byte{byte(id >> 8), byte(id), 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0}
	for _, l := range labels {
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0, byte(qtype>>8), byte(qtype), 0, 1)
}

// b32 is n base32 characters derived from i: a tunnel's encoded data.
func b32(i, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	var sb strings.Builder
	x := uint64(i)*0x9e3779b97f4a7c15 + 1
	for range n {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		sb.WriteByte(alphabet[x%32])
	}
	return sb.String()
}

// TestDNSTunnelRaises: TXT, CNAME and MX queries with two 50-63-character
// encoded labels under c2.exfil.example (review 33b t02) and iodine's NULL
// queries with raw 8-bit labels to a LAN host (t01): one dns_tunnel per
// client and domain, naming the domain and the record types. Checked to
// fail without dnsQuery's hook in udpFrame (no event).
func TestDNSTunnelRaises(t *testing.T) {
	r, at := slowHTTPRig(t)
	types := []uint16{16, 5, 15}
	for i := range 40 {
		q := dnsQueryMsg(uint16(i), types[i%3], b32(i, 50+i%14), b32(i+1000, 50+i%13), "c2", "exfil", "example")
		r.feed(at, udpFrame(t, atkMAC, "10.0.0.66", uint16(30000+i), gwMAC, "10.0.0.1", 53, q))
		at = at.Add(300 * time.Millisecond)
	}
	for i := range 40 {
		raw := fmt.Sprintf("0%s\xe9\xfc\xd2%s", b32(i, 20), b32(i+7, 20))
		q := dnsQueryMsg(uint16(i), 10, raw, b32(i+3, 9), "t", "tunnel", "example")
		r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 42359, nasMAC, "10.0.0.30", 53, q))
		at = at.Add(100 * time.Millisecond)
	}
	evs := r.of(inventory.EventDNSTunnel)
	if len(evs) != 2 {
		t.Fatalf("want two dns_tunnel, got %+v", evs)
	}
	c2, iod := evs[0], evs[1]
	if c2.MAC.String() != atkMAC.String() || !strings.Contains(c2.Summary, "under c2.exfil.example") || !strings.Contains(c2.Evidence[0].Detail, "TXT") {
		t.Errorf("c2 tunnel: %+v", c2)
	}
	if iod.MAC.String() != pcMAC.String() || iod.TargetIP.String() != "10.0.0.30" || !strings.Contains(iod.Summary, "under t.tunnel.example") || !strings.Contains(iod.Evidence[0].Detail, "NULL") {
		t.Errorf("iodine tunnel: %+v", iod)
	}
}

// TestDNSTunnelBenignQuiet: DKIM, DMARC, SPF and ACME TXT lookups, Sophos
// reputation lookups with hashed labels (the hygiene catalog's), antivirus
// hash lookups by address, DNS-SD service browsing, DNSSEC and CDN names
// raise no dns_tunnel. Checked: the Sophos lookups raise without the
// catalog test, the DKIM ones without the underscore test.
func TestDNSTunnelBenignQuiet(t *testing.T) {
	r, at := slowHTTPRig(t)
	for i := range 60 {
		id := uint16(i)
		qs := [][]byte{
			dnsQueryMsg(id, 16, b32(i, 40), "_domainkey", fmt.Sprintf("sender%d", i), "com"),
			dnsQueryMsg(id, 16, "_dmarc", fmt.Sprintf("sender%d", i), "com"),
			dnsQueryMsg(id, 16, fmt.Sprintf("sender%d", i), "com"),
			dnsQueryMsg(id, 16, "_acme-challenge", fmt.Sprintf("host%d", i), "example", "com"),
			dnsQueryMsg(id, 16, b32(i, 40), "3", "sxl", "sophosxl", "net"),
			dnsQueryMsg(id, 1, b32(i, 52), "avts", "mcafee", "com"),
			dnsQueryMsg(id, 1, b32(i, 48), "e5", "sk"),
			dnsQueryMsg(id, 12, "_ipp", "_tcp", "local"),
			dnsQueryMsg(id, 33, fmt.Sprintf("Office Printer %d with a long instance name", i), "_ipp", "_tcp", "example", "com"),
			dnsQueryMsg(id, 43, fmt.Sprintf("site%d", i), "example", "org"),
			dnsQueryMsg(id, 48, "example", "org"),
			dnsQueryMsg(id, 5, fmt.Sprintf("e%d", 1000+i), "a", "akamaiedge", "net"),
			dnsQueryMsg(id, 5, fmt.Sprintf("d%s", b32(i, 13)), "cloudfront", "net"),
		}
		for j, q := range qs {
			r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", uint16(30000+j), gwMAC, "10.0.0.1", 53, q))
		}
		at = at.Add(time.Second)
	}
	if evs := r.of(inventory.EventDNSTunnel); len(evs) != 0 {
		t.Fatalf("benign lookups raised %+v", evs)
	}
}
