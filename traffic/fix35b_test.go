package traffic

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// greetSession plays one TCP session of a client to the NAS's port whose
// server speaks first (greeting), the client's answer (for an SSH greeting
// its identification), then the server's answer to it (answer, or a key
// exchange packet for SSH).
func (r *rig) greetSession(at time.Time, cport, port uint16, greeting, answer string) {
	hello := "USER admin\r\n"
	if strings.HasPrefix(greeting, "SSH-") {
		hello = sessionHello[22]
		if answer == "" {
			answer = sessionReply[22]
		}
	}
	r.feed(at, tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, 5000, 0, nil))
	r.feed(at, tcpSeqFrame(r.t, nasMAC, "10.0.0.30", port, evilMAC, "10.0.0.66", cport, tcpFlags{syn: true, ack: true}, 9000, 5001, nil))
	r.feed(at.Add(time.Millisecond), tcpSeqFrame(r.t, nasMAC, "10.0.0.30", port, evilMAC, "10.0.0.66", cport, tcpFlags{ack: true, psh: true}, 9001, 5001, []byte(greeting)))
	r.feed(at.Add(time.Millisecond), tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", port, tcpFlags{ack: true, psh: true}, 5001, 9001+uint32(len(greeting)), []byte(hello)))
	if answer != "" {
		r.feed(at.Add(2*time.Millisecond), tcpSeqFrame(r.t, nasMAC, "10.0.0.30", port, evilMAC, "10.0.0.66", cport, tcpFlags{ack: true, psh: true}, 9001+uint32(len(greeting)), 5001+uint32(len(hello)), []byte(answer)))
	}
	r.feed(at.Add(3*time.Millisecond), tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", port, tcpFlags{fin: true, ack: true}, 5001+uint32(len(hello)), 9001, nil))
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

// sipReply is a registrar's answer with status and the request's CSeq.
func sipReply(status, method string) []byte {
	return []byte("SIP/2.0 " + status + "\r\nVia: SIP/2.0/UDP 10.0.0.66:5060\r\nFrom: <sip:100@10.0.0.30>\r\nTo: <sip:100@10.0.0.30>\r\nCall-ID: 1@10.0.0.66\r\nCSeq: 2 " + method + "\r\nContent-Length: 0\r\n\r\n")
}

// TestSIPGuessing: review 35a P3, svcrack (every REGISTER answered 401)
// and svwar (404 per extension) raised nothing; phones and a PBX's lines,
// challenged then answered 200, and a phone retrying a stale password
// stay quiet.
func TestSIPGuessing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n       int
		every   time.Duration
		answers func(i int) []string // the registrar's answers to the client's i-th REGISTER
		want    string
	}{
		{"svcrack: every guess answered 401", 60, 20 * time.Millisecond, func(int) []string { return []string{"401 Unauthorized"} }, "failed logins (SIP)"},
		{"svwar: extensions answered 404", 60, 20 * time.Millisecond, func(int) []string { return []string{"404 Not Found"} }, "failed logins (SIP)"},
		{"a PBX registering 50 lines: 401 then 200 each", 50, 50 * time.Millisecond, func(int) []string { return []string{"401 Unauthorized", "200 OK"} }, ""},
		{"a phone with a stale password, every 30 s", 20, 30 * time.Second, func(int) []string { return []string{"401 Unauthorized", "401 Unauthorized"} }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range tc.n {
				for j, st := range tc.answers(i) {
					r.feed(at.Add(time.Duration(i)*tc.every+time.Duration(j)*time.Millisecond),
						udpFrame(t, nasMAC, "10.0.0.30", 5060, evilMAC, "10.0.0.66", 5060, sipReply(st, "REGISTER")))
				}
			}
			wantBruteOnNAS(t, r.of(inventory.EventBruteForce), tc.want)
		})
	}
}

// TestWebContentScan: review 35a P8, nmap http-enum (2,208 paths, all
// 404) raised nothing; a browser's few 404s, a crawler answered 200 and a
// dashboard polling one missing path stay quiet.
func TestWebContentScan(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      int
		every  time.Duration
		path   func(i int) string
		status func(i int) string
		want   string
	}{
		{"http-enum: distinct paths, all 404", 300, 2 * time.Millisecond, func(i int) string { return fmt.Sprintf("/admin%d/", i) }, func(int) string { return "404 Not Found" }, "web content scan"},
		{"a browser's favicon and missing assets", 30, 100 * time.Millisecond, func(i int) string { return fmt.Sprintf("/a%d.png", i) }, func(int) string { return "404 Not Found" }, ""},
		{"a crawler of an intranet site", 600, 50 * time.Millisecond, func(i int) string { return fmt.Sprintf("/wiki/page%d", i) }, func(i int) string {
			if i%6 == 0 {
				return "404 Not Found"
			}
			return "200 OK"
		}, ""},
		{"a dashboard polling a missing endpoint", 600, 100 * time.Millisecond, func(int) string { return "/api/v1/status" }, func(int) string { return "404 Not Found" }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range tc.n {
				when := at.Add(time.Duration(i) * tc.every)
				cport := uint16(40000 + i%20000)
				r.feed(when, tcpFrame(t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", 8000, tcpFlags{ack: true, psh: true}, []byte("HEAD "+tc.path(i)+" HTTP/1.1\r\nHost: nas\r\n\r\n")))
				r.feed(when.Add(time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", 8000, evilMAC, "10.0.0.66", cport, tcpFlags{ack: true, psh: true}, []byte("HTTP/1.1 "+tc.status(i)+"\r\nContent-Length: 0\r\n\r\n")))
			}
			evs := r.of(inventory.EventPortScan)
			if tc.want == "" {
				if len(evs) != 0 {
					t.Fatalf("want none, got %+v", evs)
				}
				return
			}
			if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].TargetIP.String() != "10.0.0.30" || !strings.Contains(evs[0].Summary, tc.want) {
				t.Fatalf("want one port_scan by %s against the NAS saying %q, got %+v", evilMAC, tc.want, evs)
			}
		})
	}
}

// wantBruteOnNAS checks evs: none when want is empty, else one brute_force
// by evilMAC against the NAS (10.0.0.30) whose summary says want.
func wantBruteOnNAS(t *testing.T, evs []inventory.Event, want string) {
	t.Helper()
	if want == "" {
		if len(evs) != 0 {
			t.Fatalf("want none, got %+v", evs)
		}
		return
	}
	if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].TargetIP.String() != "10.0.0.30" || !strings.Contains(evs[0].Summary, want) {
		t.Fatalf("want one brute_force by %s against the NAS saying %q, got %+v", evilMAC, want, evs)
	}
}
