package traffic

import (
	"strings"
	"testing"

	"github.com/google/gopacket/layers"
)

// TestBruteDull: a segment tcpSegment passes over (dullTCP, bruteIdle) is one no reader in
// bruteSegment would read: for answers each reader looks for (a login's
// failure in every protocol loginFailure knows, greetings, prompts, SMB,
// DCE/RPC, HTTP) on every port a reader keys on and on ordinary ones, a
// segment some reader takes is never dull; a TLS record between 443 and an
// ephemeral port is, until a web scan, SSH session or learned service
// is tracked.
func TestBruteDull(t *testing.T) {
	payloads := [][]byte{
		[]byte("530 Login incorrect.\r\n"), []byte("535 5.7.8 Authentication failed\r\n"), []byte("-ERR [AUTH] failed\r\n"),
		[]byte("a1 NO [AUTHENTICATIONFAILED] login failed\r\n"), []byte("\r\nLogin incorrect\r\n"),
		[]byte("\x00\x00\x00\x48\xfeSMB\x40\x00\x00\x00\x6d\x00\x00\xc0\x01\x00\x01\x00\x01\x00\x00\x00"),
		[]byte("\x00\x00\x00\x48\xffSMB\x73\x6d\x00\x00\xc0\x88\x00\x00\x00"),
		{0x30, 0x0c, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0a, 0x01, 0x31, 0x04, 0x00, 0x04, 0x00},
		{0x17, 0x00, 0x00, 0x02, 0xff, 0x15, 0x04, '#', '2', '8', '0', '0', '0'},
		[]byte("E\x00\x00\x00\x60SFATAL\x00C28P01\x00Mpassword authentication failed\x00\x00"),
		[]byte("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n"),
		[]byte("SSH-2.0-OpenSSH_9.2\r\n"), []byte("220 ftp ready\r\n"), []byte("+OK ready\r\n"), []byte("* OK ready\r\n"),
		[]byte("user@host:~$ "), []byte("C:\\Users\\x>"), []byte("root@box:/# "), []byte("bash: x: command not found\n"),
		{5, 0, 11, 3, 0x10, 0, 0, 0, 0x48, 0, 0, 0},
		{0x17, 0x03, 0x03, 0x00, 0x20, 0xde, 0xad},
	}
	ports := []uint16{21, 22, 23, 25, 53, 88, 110, 139, 143, 389, 443, 445, 587, 636, 2222, 3268, 3306, 3389, 5432, 5900, 5901, 8080, 50123}
	for p := range 65536 {
		want := p == dnsPort || p == 389 || p == 3268 || standardLogin(uint16(p))
		if got := brutePorts[p>>6]&(1<<(p&63)) != 0; got != want {
			t.Errorf("port %d in brutePorts: %v, want %v", p, got, want)
		}
	}
	for c := range 256 {
		if got, want := bruteCue[c>>6]&(1<<(c&63)) != 0, strings.IndexByte("HS\xff2+*bsurM(W\x05", byte(c)) >= 0; got != want {
			t.Errorf("byte %#x in bruteCue: %v, want %v", c, got, want)
		}
	}
	e := New(Config{}, nil)
	dull := func(t *layers.TCP) bool { return dullTCP(t) && e.bruteIdle(t) } // tcpSegment's test
	// read: some reader in bruteSegment takes the segment.
	read := func(sp, dp uint16, b []byte) bool {
		_, fail := loginFailure(sp, b)
		c := b[0]
		return fail || sessionService(sp) != "" || shellCue(b) || barePrompt(b) || c == 'H' || c == 'S' || c == 0xff || c == '2' || c == '+' || c == '*' ||
			sp == 445 || sp == 139 || dp == 445 || dp == 139 || sp == dnsPort || dp == dnsPort || len(b) >= 3 && b[0] == 5 && b[1] == 0 && b[2] == 11
	}
	for _, b := range payloads {
		for _, sp := range ports {
			for _, dp := range ports {
				seg := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), ACK: true, PSH: true}
				seg.Payload = b
				if dull(seg) && read(sp, dp, b) {
					t.Errorf("%d -> %d %q: dull, but a reader takes it", sp, dp, b)
				}
				for _, flag := range []*bool{&seg.SYN, &seg.FIN, &seg.RST} {
					*flag = true
					if dull(seg) {
						t.Errorf("%d -> %d %q with SYN, FIN or RST: dull", sp, dp, b)
					}
					*flag = false
				}
			}
		}
	}
	tls := &layers.TCP{SrcPort: 443, DstPort: 50123, ACK: true}
	tls.Payload = payloads[len(payloads)-1]
	if !dull(tls) {
		t.Fatal("a TLS record from 443: not dull")
	}
	e.svc = &svcLearned{}
	e.svc.ports[443/64] |= 1 << (443 % 64)
	if dull(tls) {
		t.Error("a TLS record from 443, a port a service was learned on: dull")
	}
	e.svc = nil
	e.ssh = map[sshConnKey]*sshConn{{}: nil}
	if dull(tls) {
		t.Error("a TLS record while an SSH session is tracked: dull")
	}
	e.ssh = nil
	e.webScans = map[webScanKey]*webScan{{}: nil}
	if dull(tls) {
		t.Error("a TLS record while a web scan is tracked: dull")
	}
}
