package traffic

import (
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// SESSION_SETUP responses as smbd sends them after the 4-byte session
// header: SMB2 (status, command 0x0001, SMB2_FLAGS_SERVER_TO_REDIR) and
// SMB1 (SESSION_SETUP_ANDX 0x73, status, the reply flag 0x80).
const (
	smb2SetupOK      = "\x00\x00\x00\x48\xfeSMB\x40\x00\x01\x00\x00\x00\x00\x00\x01\x00\x01\x00\x01\x00\x00\x00"
	smb2SetupMore    = "\x00\x00\x00\x48\xfeSMB\x40\x00\x01\x00\x16\x00\x00\xc0\x01\x00\x01\x00\x01\x00\x00\x00"
	smb2SetupFailed  = "\x00\x00\x00\x48\xfeSMB\x40\x00\x01\x00\x6d\x00\x00\xc0\x01\x00\x01\x00\x01\x00\x00\x00"
	smb2SetupRequest = "\x00\x00\x00\x48\xfeSMB\x40\x00\x01\x00\x00\x00\x00\x00\x01\x00\x01\x00\x00\x00\x00\x00"
	smb2TreeOK       = "\x00\x00\x00\x48\xfeSMB\x40\x00\x01\x00\x00\x00\x00\x00\x03\x00\x01\x00\x01\x00\x00\x00"
	smb1SetupOK      = "\x00\x00\x00\x23\xffSMB\x73\x00\x00\x00\x00\x88\x01\xc8\x00\x00\x00\x00\x00\x00"
	smb1SetupRequest = "\x00\x00\x00\x23\xffSMB\x73\x00\x00\x00\x00\x18\x01\xc8\x00\x00\x00\x00\x00\x00"
)

func TestSMBAccepted(t *testing.T) {
	for _, tc := range []struct {
		port  uint16
		b     string
		login bool
	}{
		{445, smb2SetupOK, true},
		{139, smb2SetupOK, true},
		{445, smb2SetupMore, false},
		{445, smb2SetupFailed, false},
		{445, smb2SetupRequest, false},
		{445, smb2TreeOK, false},
		{139, smb1SetupOK, true},
		{445, smb1SetupOK, true},
		{139, smb1SetupRequest, false},
		{80, smb2SetupOK, false},
		{445, "\x82\x00\x00\x00", false},       // NetBIOS positive session response
		{139, "\x85" + smb1SetupOK[1:], false}, // a keepalive's type, no session message
	} {
		if got := smbAccepted(tc.port, []byte(tc.b)); got != tc.login {
			t.Errorf("port %d %q: %v, want %v", tc.port, tc.b, got, tc.login)
		}
	}
}

// TestBruteForceSMBLogins: SMB sessions whose login worked are no guesses
// (an office's smbclient per copied file, review 31b's 40 in 51 s), over
// SMB2 on 445 or SMB1 on NetBIOS 139; sessions without a login seen and
// failed logins still raise.
func TestBruteForceSMBLogins(t *testing.T) {
	for _, tc := range []struct {
		name    string
		port    uint16
		answers []string
		want    string // a brute_force summary holds it; "" for none
		sev     inventory.Severity
	}{
		{"SMB2 logins that worked", 445, []string{smb2SetupMore, smb2SetupOK, smb2TreeOK}, "", ""},
		{"SMB1 logins on NetBIOS that worked", 139, []string{smb1SetupOK}, "", ""},
		{"SMB2 wrong passwords", 445, []string{smb2SetupMore, smb2SetupFailed}, "40 failed logins (SMB) over 40 sessions", inventory.SeverityHigh},
		{"SMB sessions with no login seen", 445, []string{smb2SetupMore}, "40 sessions in", inventory.SeverityMedium},
		{"SMB2 setup requests echoed", 445, []string{smb2SetupRequest}, "40 sessions in", inventory.SeverityMedium},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range 40 {
				r.smbSession(at.Add(time.Duration(i)*200*time.Millisecond), uint16(40000+i), tc.port, tc.answers)
			}
			checkBrute(t, r.of(inventory.EventBruteForce), tc.want, tc.sev)
		})
	}
}

// smbSession plays one SMB connection: the handshake, the server's
// answers, the close.
func (r *rig) smbSession(at time.Time, cport, port uint16, answers []string) {
	r.session(at, cport, port, "")
	for i, a := range answers {
		r.feed(at.Add(time.Duration(3+i)*time.Millisecond), tcpFrame(r.t, nasMAC, "10.0.0.30", port, evilMAC, "10.0.0.66", cport, tcpFlags{ack: true, psh: true}, []byte(a)))
	}
}

func checkBrute(t *testing.T, evs []inventory.Event, want string, sev inventory.Severity) {
	t.Helper()
	if want == "" {
		if len(evs) != 0 {
			t.Fatalf("want none, got %+v", evs)
		}
		return
	}
	if len(evs) != 1 || !strings.Contains(evs[0].Summary, want) || evs[0].Severity != sev {
		t.Fatalf("want one %s brute_force with %q, got %+v", sev, want, evs)
	}
}

// TestBruteForceSMBConnectedAtOnce: forty smbclients connecting at once
// cross the sessions threshold at their NEGOTIATE answers, before any
// login is answered; their logins then work, and no incident is reported. A login
// that worked is counted once a connection: one connection's many
// successes do not hide others' sessions.
func TestBruteForceSMBConnectedAtOnce(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 40 {
		r.session(at.Add(time.Duration(i)*10*time.Millisecond), uint16(40000+i), 445, "")
	}
	for i := range 40 {
		r.feed(at.Add(time.Second+time.Duration(i)*10*time.Millisecond), tcpFrame(r.t, nasMAC, "10.0.0.30", 445, evilMAC, "10.0.0.66", uint16(40000+i), tcpFlags{ack: true, psh: true}, []byte(smb2SetupOK)))
	}
	checkBrute(t, r.of(inventory.EventBruteForce), "", "")

	r = newRig(t, Config{Learning: time.Minute})
	at = r.baseline(t0, 2*time.Minute)
	for i := range 40 {
		r.session(at.Add(time.Duration(i)*10*time.Millisecond), uint16(40000+i), 445, "")
	}
	for i := range 40 {
		r.feed(at.Add(time.Second+time.Duration(i)*10*time.Millisecond), tcpFrame(r.t, nasMAC, "10.0.0.30", 445, evilMAC, "10.0.0.66", 40000, tcpFlags{ack: true, psh: true}, []byte(smb2SetupOK)))
	}
	checkBrute(t, r.of(inventory.EventBruteForce), "39 sessions (and 1 more whose login worked", inventory.SeverityMedium)
}
