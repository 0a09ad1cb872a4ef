package traffic

import (
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// greetSession plays one TCP session of a client to the NAS's port whose
// server speaks first (greeting), then answers a login (answer, if any).
func (r *rig) greetSession(at time.Time, cport, port uint16, greeting, answer string) {
	r.feed(at, tcpFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, nil))
	r.feed(at, tcpFrame(r.t, nasMAC, "10.0.0.30", port, evilMAC, "10.0.0.66", cport, tcpFlags{syn: true, ack: true}, nil))
	r.feed(at.Add(time.Millisecond), tcpFrame(r.t, nasMAC, "10.0.0.30", port, evilMAC, "10.0.0.66", cport, tcpFlags{ack: true, psh: true}, []byte(greeting)))
	if answer != "" {
		r.feed(at.Add(2*time.Millisecond), tcpFrame(r.t, nasMAC, "10.0.0.30", port, evilMAC, "10.0.0.66", cport, tcpFlags{ack: true, psh: true}, []byte(answer)))
	}
	r.feed(at.Add(3*time.Millisecond), tcpFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", port, tcpFlags{fin: true, ack: true}, nil))
}

// TestBruteForceOffStandardPort: review 35a P2, ncrack against sshd on
// 2200 raised nothing: a service is known by its greeting on any port
// (svcbanner.go), and a greeting that is none of them, or a client's own
// banner, teaches nothing.
func TestBruteForceOffStandardPort(t *testing.T) {
	const ssh = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"
	const telnet = "\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27"
	for _, tc := range []struct {
		name              string
		n                 int
		every             time.Duration
		port              uint16
		greeting, answer  string
		want              string // a brute_force summary holds it; "" for none
		wantInfoOrNothing bool
	}{
		{"ncrack against SSH on 2200", 70, 60 * time.Millisecond, 2200, ssh, "", "SSH on 10.0.0.30 port 2200", false},
		{"hydra against telnet on 2323", 30, 100 * time.Millisecond, 2323, telnet, "\r\nLogin incorrect\r\nlogin: ", "failed logins (telnet)", false},
		{"hydra against FTP on 2121", 30, 100 * time.Millisecond, 2121, "220 (vsFTPd 3.0.3)\r\n", "530 Login incorrect.\r\n", "failed logins (FTP)", false},
		{"hydra against POP3 on 1110", 30, 100 * time.Millisecond, 1110, "+OK Dovecot ready.\r\n", "-ERR [AUTH] Authentication failed.\r\n", "failed logins (POP3)", false},
		{"check_ssh on 2200 every 12 s", 40, 12 * time.Second, 2200, ssh, "", "", true},
		{"a script's SSH commands on 2200", bruteSessions, time.Second, 2200, ssh, "", "", true},
		{"a web server on 8080 answering 220 bytes", 60, 50 * time.Millisecond, 8080, "HTTP/1.1 200 OK\r\n\r\n", "220 bytes", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range tc.n {
				r.greetSession(at.Add(time.Duration(i)*tc.every), uint16(40000+i), tc.port, tc.greeting, tc.answer)
			}
			evs := r.of(inventory.EventBruteForce)
			if tc.want == "" {
				if tc.wantInfoOrNothing {
					evs = r.loudBrute()
				}
				if len(evs) != 0 {
					t.Fatalf("want none, got %+v", evs)
				}
				return
			}
			if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].TargetIP.String() != "10.0.0.30" || !strings.Contains(evs[0].Summary, tc.want) {
				t.Fatalf("want one brute_force by %s against the NAS saying %q, got %+v", evilMAC, tc.want, evs)
			}
		})
	}
}

// TestClientBannerTeachesNothing: an SSH client's own identification
// string, from its ephemeral port, names no service there.
func TestClientBannerTeachesNothing(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 2200, tcpFlags{ack: true, psh: true}, []byte("SSH-2.0-OpenSSH_9.2\r\n")))
	r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 50000, nasMAC, "10.0.0.30", 22, tcpFlags{ack: true, psh: true}, []byte("SSH-2.0-OpenSSH_9.2\r\n")))
	if r.e.svc != nil && len(r.e.svc.m) != 0 {
		t.Fatalf("learned %v from a client's banner", r.e.svc.m)
	}
}
