package traffic

import (
	"crypto/tls"
	"net"
	"strings"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// dnsMessage serialises a real DNS message with gopacket's encoder.
func dnsMessage(t testing.TB, name string, response bool) []byte {
	t.Helper()
	d := &layers.DNS{ID: 0x1234, QR: response, OpCode: layers.DNSOpCodeQuery, RD: true,
		Questions: []layers.DNSQuestion{{Name: []byte(name), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	if response {
		d.Answers = []layers.DNSResourceRecord{{Name: []byte(name), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 60, IP: net.IPv4(192, 0, 2, 1)}}
	}
	buf := gopacket.NewSerializeBuffer()
	if err := d.SerializeTo(buf, gopacket.SerializeOptions{FixLengths: true}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// clientHello is the first record a real crypto/tls client sends.
func clientHello(t testing.TB, serverName string) []byte {
	t.Helper()
	c, s := net.Pipe()
	defer s.Close()
	go func() {
		cl := tls.Client(c, &tls.Config{ServerName: serverName, InsecureSkipVerify: true})
		cl.Handshake()
		c.Close()
	}()
	buf := make([]byte, 4096)
	n, err := s.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	return buf[:n]
}

func TestDNSQuestion(t *testing.T) {
	dst := make([]byte, 0, MaxNameLen)
	for _, tt := range []struct {
		name, want string
		response   bool
	}{
		{"WDCP.Microsoft.com", "wdcp.microsoft.com", false},
		{"ts01-b.cloudsink.net", "ts01-b.cloudsink.net", true},
		{"a", "a", false},
	} {
		msg := dnsMessage(t, tt.name, tt.response)
		got, resp, ok := DNSQuestion(msg, dst)
		if !ok || string(got) != tt.want || resp != tt.response {
			t.Errorf("%s: got %q response=%v ok=%v, want %q response=%v", tt.name, got, resp, ok, tt.want, tt.response)
		}
		// The same over TCP, with the length prefix.
		tcp := append([]byte{byte(len(msg) >> 8), byte(len(msg))}, msg...)
		m, ok := DNSOverTCP(tcp)
		if !ok {
			t.Fatalf("DNSOverTCP refused a whole message")
		}
		if got, _, ok := DNSQuestion(m, dst); !ok || string(got) != tt.want {
			t.Errorf("over TCP %s: %q %v", tt.name, got, ok)
		}
	}
	good := dnsMessage(t, "example.com", false)
	bad := map[string][]byte{
		"short header":    good[:11],
		"truncated name":  good[:16],
		"no qtype":        good[:len(good)-3],
		"no questions":    append(append([]byte{}, good[:4]...), append([]byte{0, 0}, good[6:]...)...),
		"pointer in name": append(append([]byte{}, good[:12]...), 0xc0, 0x0c, 0, 1, 0, 1),
		"root only":       append(append([]byte{}, good[:12]...), 0, 0, 1, 0, 1),
		"notify opcode":   append(append([]byte{}, good[:2]...), append([]byte{4 << 3}, good[3:]...)...),
	}
	long := append([]byte{}, good[:12]...)
	for range 5 {
		long = append(long, 63)
		long = append(long, strings.Repeat("a", 63)...)
	}
	bad["name over 255"] = append(long, 0, 0, 1, 0, 1)
	for what, msg := range bad {
		if got, _, ok := DNSQuestion(msg, dst); ok {
			t.Errorf("%s: decoded %q", what, got)
		}
	}
}

func TestClientHelloSNI(t *testing.T) {
	dst := make([]byte, 0, MaxNameLen)
	hello := clientHello(t, "Agent.Sophos.COM")
	got, ok := ClientHelloSNI(hello, dst)
	if !ok || string(got) != "agent.sophos.com" {
		t.Fatalf("got %q %v", got, ok)
	}
	// Every truncation is refused or yields the name, never a panic or another name.
	for i := range hello {
		if got, ok := ClientHelloSNI(hello[:i], dst); ok && string(got) != "agent.sophos.com" {
			t.Fatalf("truncated at %d: %q", i, got)
		}
	}
	if _, ok := ClientHelloSNI(clientHello(t, ""), dst); ok {
		t.Error("a ClientHello without server_name gave a name")
	}
	if _, ok := ClientHelloSNI([]byte("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"), dst); ok {
		t.Error("HTTP read as TLS")
	}
}

func TestNamesAllocateNothing(t *testing.T) {
	dst := make([]byte, 0, MaxNameLen)
	msg, hello := dnsMessage(t, "ctldl.windowsupdate.com", false), clientHello(t, "ts01-b.cloudsink.net")
	c, err := OpenHygieneCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() {
		name, _, _ := DNSQuestion(msg, dst)
		c.Match(name)
		name, _ = ClientHelloSNI(hello, dst)
		c.Match(name)
	}); n != 0 {
		t.Errorf("%v allocations per packet", n)
	}
}

func BenchmarkNames(b *testing.B) {
	dst := make([]byte, 0, MaxNameLen)
	msg, hello := dnsMessage(b, "www.example.org", false), clientHello(b, "ts01-b.cloudsink.net")
	c, _ := OpenHygieneCatalog()
	b.ReportAllocs()
	for b.Loop() {
		name, _, _ := DNSQuestion(msg, dst)
		c.Match(name)
		name, _ = ClientHelloSNI(hello, dst)
		c.Match(name)
	}
}

func FuzzDNSQuestion(f *testing.F) {
	f.Add(dnsMessage(f, "wdcp.microsoft.com", false))
	f.Add(dnsMessage(f, "x.y", true))
	dst := make([]byte, 0, MaxNameLen)
	f.Fuzz(func(t *testing.T, b []byte) {
		name, _, ok := DNSQuestion(b, dst)
		if ok && (len(name) == 0 || len(name) > MaxNameLen || cap(name) != cap(dst)) {
			t.Fatalf("name %q (cap %d)", name, cap(name))
		}
		if m, ok := DNSOverTCP(b); ok {
			DNSQuestion(m, dst)
		}
	})
}

func FuzzClientHelloSNI(f *testing.F) {
	f.Add(clientHello(f, "agent.sophos.com"))
	f.Add([]byte{22, 3, 1, 0, 4, 1, 0, 0, 0})
	dst := make([]byte, 0, MaxNameLen)
	f.Fuzz(func(t *testing.T, b []byte) {
		name, ok := ClientHelloSNI(b, dst)
		if ok && (len(name) == 0 || len(name) > MaxNameLen || cap(name) != cap(dst)) {
			t.Fatalf("name %q", name)
		}
	})
}
