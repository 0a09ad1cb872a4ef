package traffic

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

func TestLoginFailure(t *testing.T) {
	for _, tc := range []struct {
		port  uint16
		reply string
		proto string // "" for no failure
	}{
		{21, "530 Login incorrect.\r\n", "FTP"},
		{21, "230 Login successful.\r\n", ""},
		{21, "331 Password required\r\n", ""},
		{587, "535 5.7.8 Authentication credentials invalid\r\n", "SMTP AUTH"},
		{25, "250 OK\r\n", ""},
		{110, "-ERR [AUTH] Authentication failed.\r\n", "POP3"},
		{110, "+OK Logged in.\r\n", ""},
		{143, "a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n", "IMAP"},
		{143, "a3 NO Mailbox doesn't exist: Junk\r\n", ""},
		{143, "a1 OK Logged in\r\n", ""},
		{23, "\r\nLogin incorrect\r\nnas login: ", "telnet"},
		{23, "\r\n% Authentication failed\r\n", "telnet"},
		{23, "Last login: Mon\r\n$ ", ""},
		{445, "\x00\x00\x00\x48\xfeSMB\x40\x00\x01\x00\x6d\x00\x00\xc0\x01\x00\x01\x00\x00\x00", "SMB"},
		{445, "\x00\x00\x00\x48\xfeSMB\x40\x00\x01\x00\x16\x00\x00\xc0\x01\x00\x01\x00\x00\x00", ""}, // more processing required
		{445, "\x00\x00\x00\x48\xfeSMB\x40\x00\x01\x00\x6d\x00\x00\xc0\x03\x00\x01\x00\x00\x00", ""}, // a TREE_CONNECT's
		{139, "\x00\x00\x00\x23\xffSMB\x73\x6d\x00\x00\xc0\x88", "SMB"},
		{139, "\x00\x00\x00\x23\xffSMB\x73\x00\x00\x00\x00\x88", ""},
		{3306, "\x4c\x00\x00\x02\xff\x15\x04#28000Access denied for user 'root'", "MySQL"},
		{3306, "\x07\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00", ""},
		{5432, "E\x00\x00\x00\x64SFATAL\x00VFATAL\x00C28P01\x00Mpassword authentication failed", "PostgreSQL"},
		{5432, "R\x00\x00\x00\x08\x00\x00\x00\x00", ""},
		{8000, "HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"nas\"\r\n\r\n", "HTTP basic auth"},
		{80, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM TlRMTVNTUAACAAAA\r\n\r\n", ""},
		{80, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n", ""},
		{80, "HTTP/1.1 200 OK\r\n\r\n", ""},
		{21, "53", ""},
	} {
		proto, ok := loginFailure(tc.port, []byte(tc.reply))
		if ok != (tc.proto != "") || (ok && proto != tc.proto) {
			t.Errorf("port %d %q: %q %v, want %q", tc.port, tc.reply, proto, ok, tc.proto)
		}
	}
}

// basicGuess is a guessing tool's request: Basic credentials (RFC 7617).
const basicGuess = "GET /admin HTTP/1.1\r\nHost: nas\r\nAuthorization: Basic YWRtaW46MTIzNA==\r\n\r\n"

// session plays one TCP session of a client to the NAS's port: the
// handshake (client ISN 5000, server ISN 9000), the client's first bytes
// (an HTTP guess for an HTTP answer, sessionHello's for a session service),
// the server's answer acknowledging them (sessionReply's when answer is
// ""), the close. An FTP answer acknowledges nothing: its server speaks
// first.
func (r *rig) session(at time.Time, cport, port uint16, answer string) {
	r.feed(at, tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, 5000, 0, nil))
	r.feed(at, tcpSeqFrame(r.t, nasMAC, "10.0.0.30", port, evilMAC, "10.0.0.66", cport, tcpFlags{syn: true, ack: true}, 9000, 5001, nil))
	hello := sessionHello[port]
	if strings.HasPrefix(answer, "HTTP/") {
		hello = basicGuess
	}
	if hello != "" {
		r.feed(at, tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", port, tcpFlags{ack: true, psh: true}, 5001, 9001, []byte(hello)))
		if answer == "" {
			answer = sessionReply[port]
		}
	}
	if answer != "" {
		r.feed(at.Add(time.Millisecond), tcpSeqFrame(r.t, nasMAC, "10.0.0.30", port, evilMAC, "10.0.0.66", cport, tcpFlags{ack: true, psh: true}, 9001, 5001+uint32(len(hello)), []byte(answer)))
	}
	r.feed(at.Add(2*time.Millisecond), tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", port, tcpFlags{fin: true, ack: true}, 5001+uint32(len(hello)), 9001+uint32(len(answer)), nil))
}

// handshake plays a connection that opens and closes without a byte
// (a SYN flood's, a SYN scan's, nmap -O's probes): SYN, SYN+ACK, FIN.
func (r *rig) handshake(at time.Time, cport, port uint16) {
	r.feed(at, tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, 5000, 0, nil))
	r.feed(at, tcpSeqFrame(r.t, nasMAC, "10.0.0.30", port, evilMAC, "10.0.0.66", cport, tcpFlags{syn: true, ack: true}, 9000, 5001, nil))
	r.feed(at.Add(2*time.Millisecond), tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", port, tcpFlags{fin: true, ack: true}, 5001, 9001, nil))
}

// sessionHello and sessionReply are a session service's opening, client's
// and server's: an SSH client's identification and the server's key
// exchange packet, SMB2 NEGOTIATE (command 0) asked and answered, RDP's
// X.224 connection request and confirm, VNC's version and the server's
// challenge, telnet options.
var (
	sessionHello = map[uint16]string{
		22:   "SSH-2.0-libssh_0.10.4\r\n",
		445:  "\x00\x00\x00\x48\xfeSMB\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
		139:  "\x00\x00\x00\x48\xfeSMB\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
		3389: "\x03\x00\x00\x13\x0e\xe0\x00\x00\x00\x00\x00\x01\x00\x08\x00\x03\x00\x00\x00",
		5900: "RFB 003.008\n",
		23:   "\xff\xfb\x18\xff\xfb\x1f",
	}
	sessionReply = map[uint16]string{
		22:   "\x00\x00\x04\x5c\x07\x14\x8f\x3a\x91\x0c\x5e\x77\x20\x41\x9b\x02\xd4\x66\x18\x3c\x50",
		445:  "\x00\x00\x00\x48\xfeSMB\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00\x00\x00",
		139:  "\x00\x00\x00\x48\xfeSMB\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00\x00\x00",
		3389: "\x03\x00\x00\x13\x0e\xd0\x00\x00\x12\x34\x00\x02\x1f\x08\x00\x02\x00\x00\x00",
		5900: "\x6a\x1f\x03\xc2\x99\x40\x12\x7e\x55\xd0\x0b\x31\xe8\x4c\x27\x90",
		23:   "\xff\xfa\x18\x01\xff\xf0",
	}
)

func TestBruteForce(t *testing.T) {
	const basic401 = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"nas\"\r\nContent-Length: 0\r\n\r\n"
	for _, tc := range []struct {
		name   string
		n      int
		every  time.Duration
		port   uint16
		answer string
		want   string // a brute_force summary holds it; "" for none
	}{
		{"FTP guesses", 25, 200 * time.Millisecond, 21, "530 Login incorrect.\r\n", "25 failed logins (FTP)"},
		{"a few FTP typos", bruteFailures - 1, time.Second, 21, "530 Login incorrect.\r\n", ""},
		{"HTTP basic guesses", 40, 50 * time.Millisecond, 8000, basic401, "40 failed logins (HTTP basic auth)"},
		{"a dashboard polling with an expired password", 150, 4 * time.Second, 8000, basic401, ""},
		{"NTLM challenges", 100, 100 * time.Millisecond, 80, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM\r\n\r\n", ""},
		{"SSH sessions, one a guess", 120, 25 * time.Millisecond, 22, "", "SSH on 10.0.0.30 port 22: 120 sessions"},
		{"a script's SSH commands", bruteSessions - 1, time.Second, 22, "", ""},
		{"an SSH session every 12 s", 40, 12 * time.Second, 22, "", ""},
		{"RDP guesses", 60, time.Second, 3389, "", "RDP"},
		{"a browser's HTTP connections", 200, 10 * time.Millisecond, 80, "HTTP/1.1 200 OK\r\n\r\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range tc.n {
				r.session(at.Add(time.Duration(i)*tc.every), uint16(40000+i), tc.port, tc.answer)
			}
			evs := r.of(inventory.EventBruteForce)
			if tc.want == "" {
				if len(evs) != 0 {
					t.Fatalf("want none, got %+v", evs)
				}
				return
			}
			if len(evs) != 1 {
				t.Fatalf("want one brute_force, got %d: %+v", len(evs), r.all())
			}
			ev := evs[0]
			if ev.MAC.String() != evilMAC.String() || ev.IP.String() != "10.0.0.66" || ev.TargetIP.String() != "10.0.0.30" ||
				ev.TargetMAC.String() != nasMAC.String() || !strings.Contains(ev.Summary, tc.want) {
				t.Errorf("event %+v, want culprit %s, target the NAS, summary with %q", ev, evilMAC, tc.want)
			}
		})
	}
}

// TestBruteForceOneIncident: an attack of ten minutes is one event when it
// ends, or one every bruteHold while it goes on, never one per window.
func TestBruteForceOneIncident(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 900 {
		r.session(at.Add(time.Duration(i)*100*time.Millisecond), uint16(20000+i), 21, "530 Login incorrect.\r\n")
	}
	r.baseline(at.Add(90*time.Second+time.Millisecond), 2*time.Minute)
	evs := r.of(inventory.EventBruteForce)
	if len(evs) != 1 || !strings.Contains(evs[0].Summary, "900 failed logins") {
		t.Fatalf("want one event counting all 900 guesses, got %+v", evs)
	}
	// Ten minutes of guessing: reported after bruteHold, the rest inside
	// the cooldown of the same culprit and service.
	r = newRig(t, Config{Learning: time.Minute})
	at = r.baseline(t0, 2*time.Minute)
	for i := range 6000 {
		r.session(at.Add(time.Duration(i)*100*time.Millisecond), uint16(10000+i), 21, "530 Login incorrect.\r\n")
	}
	if evs := r.of(inventory.EventBruteForce); len(evs) != 1 {
		t.Fatalf("want one event, got %d", len(evs))
	}
}

// TestBruteForceNotAFlood: a SYN flood at an open SSH port draws a SYN+ACK
// for every SYN; that is the flood's event, not password guessing.
func TestBruteForceNotAFlood(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 3000 {
		r.handshake(at.Add(time.Duration(i)*time.Millisecond), uint16(1024+i), 22)
	}
	if len(r.of(inventory.EventFlood)) != 1 || len(r.of(inventory.EventBruteForce)) != 0 {
		t.Fatalf("want the flood alone: %+v", r.all())
	}
}

func TestBruteForceBounded(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, MaxTrackers: 8})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 50 {
		// Fifty services of the NAS, one login each.
		r.session(at.Add(time.Duration(i)*time.Millisecond), uint16(30000+i), 21, "530 Login incorrect.\r\n")
		r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", uint16(2000+i), tcpFlags{ack: true, psh: true}, []byte(basicGuess)))
		r.feed(at, tcpFrame(t, nasMAC, "10.0.0.30", uint16(2000+i), evilMAC, "10.0.0.66", 40000, tcpFlags{ack: true, psh: true}, []byte("HTTP/1.1 401 x\r\nWWW-Authenticate: Basic realm=\"a\"\r\n\r\n")))
	}
	if n := len(r.e.brute); n > 8 {
		t.Errorf("%d brute-force trackers, want at most 8", n)
	}
	if r.e.Counters().TrackersDropped == 0 {
		t.Error("dropped trackers not counted")
	}
}

// TestBruteForceNotAFloodLive: the same flood with the engine's clock
// running on, as live: the flood's state is forgotten 10 s after it stops,
// the guessing incident reported 30 s after its last session. The flood
// is decided when the sessions are counted, so no brute_force follows.
func TestBruteForceNotAFloodLive(t *testing.T) {
	for _, port := range []uint16{22, 445, 3389, 23, 5900} {
		r := newRig(t, Config{Learning: time.Minute})
		r.baseline(t0, 2*time.Minute)
		// The flood ends 20 s before the next tick: that tick forgets the
		// flood's state (quiet > 10 s) but holds the incident (quiet < 30 s).
		at := time.Unix(0, r.e.nextTick).UTC().Add(-23 * time.Second)
		for i := range 3000 {
			r.handshake(at.Add(time.Duration(i)*time.Millisecond), uint16(1024+i), port)
		}
		r.baseline(at.Add(3*time.Second), 2*time.Minute) // the ticks, as live
		if n := len(r.events); n == 0 {
			t.Fatalf("port %d: no events before Flush", port)
		}
		if len(r.of(inventory.EventFlood)) != 1 || len(r.of(inventory.EventBruteForce)) != 0 {
			t.Errorf("port %d: want the flood alone: %+v", port, r.all())
		}
	}
}

// TestBruteForceSpoofedFlood: a SYN flood from forged sources at an SSH
// port draws a SYN+ACK to each; past the flood gate they open no
// trackers (one per forged client filled the table), and guessing that
// follows is still seen.
func TestBruteForceSpoofedFlood(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, MaxTrackers: 1000})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 3000 {
		src := fmt.Sprintf("10.%d.%d.%d", 100+i>>16, i>>8&255, i&255)
		ts := at.Add(time.Duration(i) * time.Millisecond)
		r.feed(ts, tcpFrame(t, evilMAC, src, 40000, nasMAC, "10.0.0.30", 22, tcpFlags{syn: true}, nil))
		r.feed(ts, tcpFrame(t, nasMAC, "10.0.0.30", 22, gwMAC, src, 40000, tcpFlags{syn: true, ack: true}, nil))
	}
	if n := len(r.e.brute); n > int(floodMin[fTCP]/4) {
		t.Errorf("%d brute-force trackers after the spoofed flood, want at most %d (the gate's)", n, floodMin[fTCP]/4)
	}
	at = r.baseline(at.Add(3*time.Second), 30*time.Second)
	for i := range 40 {
		r.session(at.Add(time.Duration(i)*200*time.Millisecond), uint16(50000+i), 22, "")
	}
	r.baseline(at.Add(10*time.Second), time.Minute)
	if evs := r.of(inventory.EventBruteForce); len(evs) != 1 || !strings.Contains(evs[0].Summary, "40 sessions") {
		t.Fatalf("want the guessing after the flood: %+v (counters %+v) %+v", evs, r.e.Counters(), r.all())
	}
}

// TestBruteForceSeverity: sessions alone are what monitoring and backup
// tools open too, so they are Medium and say no failure was seen, but SSH
// sessions faster than one a second, none logging in, are a tool's
// guessing: High (session 39); failed logins are High.
func TestBruteForceSeverity(t *testing.T) {
	for _, tc := range []struct {
		port   uint16
		answer string
		sev    inventory.Severity
		note   bool
	}{
		{22, "", inventory.SeverityHigh, true},
		{3389, "", inventory.SeverityMedium, true},
		{21, "530 Login incorrect.\r\n", inventory.SeverityHigh, false},
		{23, "\r\nLogin incorrect\r\nnas login: ", inventory.SeverityHigh, false},
	} {
		r := newRig(t, Config{Learning: time.Minute})
		at := r.baseline(t0, 2*time.Minute)
		for i := range 40 {
			r.session(at.Add(time.Duration(i)*200*time.Millisecond), uint16(40000+i), tc.port, tc.answer)
		}
		evs := r.of(inventory.EventBruteForce)
		if len(evs) != 1 {
			t.Fatalf("port %d: want one brute_force, got %+v", tc.port, evs)
		}
		var note bool
		for _, v := range evs[0].Evidence {
			note = note || strings.Contains(v.Detail, "no failed login seen")
		}
		if evs[0].Severity != tc.sev || note != tc.note {
			t.Errorf("port %d: severity %s, no-failure note %v; want %s, %v", tc.port, evs[0].Severity, note, tc.sev, tc.note)
		}
	}
}

// TestBruteForceDuringFloodOfAnotherPort: SSH guessing that starts during
// a forged-source SYN flood at the same server's web port is still
// guessing: the flood draws SYN+ACKs from port 80 only (medusa during
// hping3, flood-then-ssh-guessing-medusa.pcap). Before, any SYN flood
// toward the host muted the sessions of every port.
func TestBruteForceDuringFloodOfAnotherPort(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, MaxTrackers: 1000})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 6000 {
		src := fmt.Sprintf("10.%d.%d.%d", 100+i>>16, i>>8&255, i&255)
		ts := at.Add(time.Duration(i) * time.Millisecond)
		r.feed(ts, tcpFrame(t, evilMAC, src, 40000, nasMAC, "10.0.0.30", 80, tcpFlags{syn: true}, nil))
		r.feed(ts, tcpFrame(t, nasMAC, "10.0.0.30", 80, gwMAC, src, 40000, tcpFlags{syn: true, ack: true}, nil))
		if i >= 2000 && i%50 == 0 { // from the flood's third second, a session every 50 ms
			r.session(ts, uint16(50000+i), 22, "")
		}
	}
	if len(r.of(inventory.EventFlood)) != 1 {
		t.Fatalf("no flood: %+v", r.all())
	}
	if evs := r.of(inventory.EventBruteForce); len(evs) != 1 || !strings.Contains(evs[0].Summary, "80 sessions") || evs[0].MAC.String() != evilMAC.String() {
		t.Fatalf("want the guessing during the flood, 80 sessions by the attacker: %+v (counters %+v)", evs, r.e.Counters())
	}
}

// TestBruteForceSteadyPace: a Nagios server's twelve check_by_ssh service
// checks a minute on one host (one every five seconds, 48 in four
// minutes) are noted at info, not warned about; the same sessions in a
// guessing tool's burst, faster than one a second and none logging in, are
// High (session 39: sessionsSeverity).
func TestBruteForceSteadyPace(t *testing.T) {
	for _, tc := range []struct {
		every time.Duration
		sev   inventory.Severity
		what  string
	}{
		{5 * time.Second, inventory.SeverityInfo, "at a steady pace"},
		{900 * time.Millisecond, inventory.SeverityHigh, "guessed passwords"},
	} {
		r := newRig(t, Config{Learning: time.Minute})
		at := r.baseline(t0, 2*time.Minute)
		for i := range 48 {
			r.session(at.Add(time.Duration(i)*tc.every), uint16(40000+i), 22, "")
		}
		evs := r.of(inventory.EventBruteForce)
		if len(evs) != 1 || evs[0].Severity != tc.sev || !strings.Contains(evs[0].Summary, tc.what) {
			t.Errorf("every %s: want one %s brute_force saying %q, got %+v", tc.every, tc.sev, tc.what, evs)
		}
	}
}
