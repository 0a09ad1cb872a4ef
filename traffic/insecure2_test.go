package traffic

import (
	"encoding/hex"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestLoginShape: cleartext logins found by their bytes on any port, each
// with the negatives that share its first byte (all missed before
// insecure2.go, which the positives check: DetectInsecure on main found
// none of them).
func TestLoginShape(t *testing.T) {
	ldap := func(s string) []byte { b, _ := hex.DecodeString(s); return b }
	for _, tc := range []struct {
		name         string
		sport, dport uint16
		p            []byte
		want         string // "" for nothing
	}{
		{"SMTP AUTH LOGIN on 25", 50000, 25, []byte("AUTH LOGIN\r\n"), "smtp"},
		{"SMTP AUTH PLAIN on 587", 50000, 587, []byte("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"), "smtp"},
		{"POP3 AUTH PLAIN", 50000, 110, []byte("auth plain AGFsaWNlAHNlY3JldA==\r\n"), "pop3"},
		{"POP3 APOP", 50000, 110, []byte("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"), "pop3"},
		{"SMTP AUTH CRAM-MD5: no password", 50000, 587, []byte("AUTH CRAM-MD5\r\n"), ""},
		{"EHLO answer offering AUTH", 587, 50000, []byte("250-mail.lan\r\n250 AUTH PLAIN LOGIN\r\n"), ""},
		{"FTP 331 on 2121", 2121, 50000, []byte("331 Please specify the password.\r\n"), "ftp"},
		{"another 331", 5060, 50000, []byte("331 nothing about logins\r\n"), ""},
		{"telnet negotiation on 2323", 2323, 50000, []byte{0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20}, "telnet"},
		{"telnet offering START_TLS (then TLS)", 2323, 50000, []byte{0xff, 0xfd, 0x2e, 0xff, 0xfd, 0x18}, ""},
		{"telnet accepting START_TLS", 50000, 2323, []byte{0xff, 0xfb, 0x2e, 0xff, 0xfc, 0x18}, ""},
		{"telnet refusing START_TLS: in clear", 50000, 2323, []byte{0xff, 0xfc, 0x2e, 0xff, 0xfb, 0x18}, "telnet"},
		{"one 0xff byte pair", 443, 50000, []byte{0xff, 0xfd, 0x18, 0x00, 0x01, 0x02}, ""},
		{"a run of 0xff (FTP data, ppa_ftp.pcap)", 7254, 1140, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, ""},
		{"0xff bytes past the options", 7254, 1140, []byte{0xff, 0xfe, 0xff, 0xff, 0xfe, 0xff}, ""},
		{"RFB banner on 5901", 5901, 50000, []byte("RFB 003.008\n"), "vnc"},
		{"RFB banner from the client", 50000, 5901, []byte("RFB 003.008\n"), ""},
		{"LDAP simple bind", 50000, 389, ldap("3021020101601c020103040f636e3d61646d696e2c64633d6c616e8006736563726574"), "ldap"},
		{"LDAP anonymous bind", 50000, 389, ldap("300c020101600702010304008000"), ""},
		{"LDAP search", 50000, 389, ldap("3025020102632004000a01000a0100020100020100010100870b6f626a656374636c6173733000"), ""},
		{"rexec", 1023, 512, []byte("0\x00alice\x00secret\x00id\x00"), "rexec"},
		{"rlogin", 1022, 513, []byte("\x00alice\x00alice\x00xterm/38400\x00"), "rlogin"},
		{"rsh", 1021, 514, []byte("0\x00alice\x00alice\x00id\x00"), "rsh"},
		{"rsh's output", 1021, 514, []byte("uid=1000(alice)\n"), ""},
	} {
		in, ok := DetectInsecure(true, tc.sport, tc.dport, tc.p, nil)
		if got := map[bool]string{true: in.Proto}[ok]; got != tc.want {
			t.Errorf("%s: got %q (%s), want %q", tc.name, got, in.Detail, tc.want)
		}
	}
}

// TestICMPTimestampMonitorQuiet: a monitor asking one host the time every
// 20 s is no fingerprinting (two timestamp requests within the scan window
// are not kOdd), while an address mask request after an echo with a code
// is (xprobe2).
func TestICMPTimestampMonitorQuiet(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 2*time.Minute)
	for range 15 {
		r.feed(at, icmpFrame(t, pcMAC, "10.0.0.10", nasMAC, "10.0.0.30", layers.ICMPv4TypeTimestampRequest))
		at = at.Add(20 * time.Second)
	}
	if s := r.of(inventory.EventPortScan); len(s) != 0 {
		t.Fatalf("timestamp requests raised %v", s)
	}
	r.feed(at, icmpFrame(t, evilMAC, "10.0.0.66", nasMAC, "10.0.0.30", layers.ICMPv4TypeAddressMaskRequest))
	r.feed(at.Add(time.Second), icmpFrame(t, evilMAC, "10.0.0.66", nasMAC, "10.0.0.30", layers.ICMPv4TypeInfoRequest))
	if s := r.of(inventory.EventPortScan); len(s) != 1 {
		t.Fatalf("want xprobe2's address mask and information requests raised, got %v", s)
	}
}

// TestVNCSecurityType: a VNC session is cleartext only when the security
// type agreed (RFC 6143 7.1.2) is None or VNC Authentication: the client's
// one-byte choice from RFB 3.7 on, the server's 4-byte type in 3.3.
// TigerVNC's VeNCrypt (19), RealVNC's RA2 (6) and TLS (18) are encrypted
// (before, the banner alone raised all of them: review 27c item 3).
func TestVNCSecurityType(t *testing.T) {
	for _, tc := range []struct {
		name         string
		client       string // the client's version
		list, choice []byte // 3.7+: the server's list, the client's choice; 3.3: list is the server's type
		want         int
	}{
		{"3.8 VeNCrypt", "RFB 003.008\n", []byte{1, 19}, []byte{19}, 0},
		{"3.8 RA2", "RFB 003.008\n", []byte{2, 6, 5}, []byte{6}, 0},
		{"3.8 VNC Authentication", "RFB 003.008\n", []byte{2, 19, 2}, []byte{2}, 1},
		{"3.7 None", "RFB 003.007\n", []byte{1, 1}, []byte{1}, 1},
		{"3.3 VNC Authentication", "RFB 003.003\n", []byte{0, 0, 0, 2}, nil, 1},
		{"3.3 TLS", "RFB 003.003\n", []byte{0, 0, 0, 18}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			srv := func(b []byte) []byte {
				return tcpFrame(t, nasMAC, "10.0.0.30", 5900, pcMAC, "10.0.0.10", 50123, tcpFlags{ack: true, psh: true}, b)
			}
			cli := func(b []byte) []byte {
				return tcpFrame(t, pcMAC, "10.0.0.10", 50123, nasMAC, "10.0.0.30", 5900, tcpFlags{ack: true, psh: true}, b)
			}
			frames := [][]byte{srv([]byte("RFB 003.008\n")), cli([]byte(tc.client)), srv(tc.list)}
			if tc.choice != nil {
				frames = append(frames, cli(tc.choice))
			}
			frames = append(frames, srv(make([]byte, 16)), cli(make([]byte, 16)), srv([]byte{0, 0, 0, 0}))
			for _, f := range frames {
				r.feed(at, f)
				at = at.Add(20 * time.Millisecond)
			}
			var vnc []inventory.Event
			for _, e := range r.of(inventory.EventInsecureProtocol) {
				if strings.HasPrefix(e.Summary, "vnc ") {
					vnc = append(vnc, e)
				}
			}
			if len(vnc) != tc.want {
				t.Fatalf("want %d vnc events, got %v", tc.want, vnc)
			}
		})
	}
}

// TestVNCWaitEnds: a session whose security type never comes is waited
// for rfbWait at most: the table empties (every TCP payload looks it up
// while it holds any), and a late choice raises nothing.
func TestVNCWaitEnds(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 2*time.Minute)
	r.feed(at, tcpFrame(t, nasMAC, "10.0.0.30", 5900, pcMAC, "10.0.0.10", 50123, tcpFlags{ack: true, psh: true}, []byte("RFB 003.008\n")))
	r.feed(at.Add(time.Second), tcpFrame(t, pcMAC, "10.0.0.10", 50123, nasMAC, "10.0.0.30", 5900, tcpFlags{ack: true, psh: true}, []byte("RFB 003.008\n")))
	if len(r.e.rfb) != 1 {
		t.Fatalf("want the session waited for, got %v", r.e.rfb)
	}
	// Another connection's segment after the wait empties the table.
	r.feed(at.Add(rfbWait+2*time.Second), tcpFrame(t, pcMAC, "10.0.0.10", 50200, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true, psh: true}, []byte{1, 2, 3}))
	if len(r.e.rfb) != 0 {
		t.Fatalf("want the wait over, got %v", r.e.rfb)
	}
	r.feed(at.Add(rfbWait+3*time.Second), tcpFrame(t, pcMAC, "10.0.0.10", 50123, nasMAC, "10.0.0.30", 5900, tcpFlags{ack: true, psh: true}, []byte{2}))
	if len(r.of(inventory.EventInsecureProtocol)) != 0 {
		t.Fatalf("a late choice raised %v", r.of(inventory.EventInsecureProtocol))
	}
}
