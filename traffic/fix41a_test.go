package traffic

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// asteriskReply is Asterisk 18's answer (its bytes as review 41 recorded
// them) to a REGISTER of the extension ext in the call callID.
func asteriskReply(status, ext, callID string, cseq int) []byte {
	s := "SIP/2.0 " + status + "\r\nVia: SIP/2.0/UDP 10.0.0.66:5060;branch=z9hG4bK-2975040719;rport\r\n" +
		"From: \"" + ext + "\" <sip:" + ext + "@10.0.0.30>;tag=3206210844\r\nTo: \"" + ext + "\" <sip:" + ext + "@10.0.0.30>;tag=as610adc\r\n" +
		"Call-Id: " + callID + fmt.Sprintf("\r\nCseq: %d REGISTER\r\nServer: Asterisk PBX 18.10.0\r\n", cseq)
	if status[0] == '4' && status[2] == '1' {
		s += "WWW-Authenticate: Digest algorithm=MD5, realm=\"asterisk\", nonce=\"d3d893fb\"\r\n"
	}
	return []byte(s + "Content-Length: 0\r\n\r\n")
}

// TestSIPChallenges: review 41 P1, eight phones re-registering every 30 s
// to a hosted PBX (401 challenge, then 200 to the credentialled REGISTER
// in the same call) raised distributed guessing High; P9, svcrack's
// challenge and refusal were two failures a guess and its success unsaid.
func TestSIPChallenges(t *testing.T) {
	t.Run("phones re-registering", func(t *testing.T) {
		r := newRig(t, Config{Learning: time.Minute})
		at := r.baseline(t0, 2*time.Minute)
		for round := range 10 {
			for ph := range 8 {
				when := at.Add(time.Duration(round)*30*time.Second + time.Duration(ph)*time.Second)
				ip, m := fmt.Sprintf("10.0.0.%d", 100+ph), hw(fmt.Sprintf("80:5e:c0:00:00:%02x", ph))
				call := fmt.Sprintf("f6fef68981b%d@%s", ph, ip)
				r.feed(when, udpFrame(t, nasMAC, "10.0.0.30", 5060, m, ip, 5060, asteriskReply("401 Unauthorized", "20"+fmt.Sprint(ph), call, 2*round+1)))
				r.feed(when.Add(2*time.Millisecond), udpFrame(t, nasMAC, "10.0.0.30", 5060, m, ip, 5060, asteriskReply("200 OK", "20"+fmt.Sprint(ph), call, 2*round+2)))
			}
		}
		if evs := r.of(inventory.EventBruteForce); len(evs) != 0 {
			t.Fatalf("phones' logins raised %+v", evs)
		}
	})
	for _, tc := range []struct {
		name, refusal string
		want          string
	}{
		{"svcrack refused by 403", "403 Forbidden", "60 failed logins (SIP); then a password worked: the registrar accepted a login as 201"},
		{"svcrack challenged again", "401 Unauthorized", "60 failed logins (SIP); then a password worked: the registrar accepted a login as 201"},
		{"svwar's challenges never answered", "", "failed logins (SIP)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range 61 {
				when := at.Add(time.Duration(i) * 20 * time.Millisecond)
				call := fmt.Sprint(3106578398 + i)
				r.feed(when, udpFrame(t, nasMAC, "10.0.0.30", 5060, evilMAC, "10.0.0.66", 5060, asteriskReply("401 Unauthorized", "201", call, 1)))
				answer := tc.refusal
				if i == 60 {
					answer = "200 OK"
				}
				if tc.refusal != "" {
					r.feed(when.Add(5*time.Millisecond), udpFrame(t, nasMAC, "10.0.0.30", 5060, evilMAC, "10.0.0.66", 5060, asteriskReply(answer, "201", call, 2)))
				}
			}
			wantBruteOnNAS(t, r.of(inventory.EventBruteForce), tc.want)
		})
	}
}

// TestDeclaredScannerFindsTelnet: review 41 P10, nmap -sV from a declared
// scanner reading a camera's telnet options raised insecure_protocol High
// as if an incident; it is the camera's finding (culprit the camera),
// medium, worded so. Another client's sight of it stays high.
func TestDeclaredScannerFindsTelnet(t *testing.T) {
	k, _ := ParseKnownScanner("10.0.0.66")
	for _, tc := range []struct {
		name, peer string
		peerMAC    string
		scanners   []KnownScanner
		sev        inventory.Severity
	}{
		{"declared scanner", "10.0.0.66", "b8:27:eb:00:00:66", []KnownScanner{k}, inventory.SeverityMedium},
		{"no scanner declared", "10.0.0.66", "b8:27:eb:00:00:66", nil, inventory.SeverityHigh},
		{"another client", "10.0.0.67", "b8:27:eb:00:00:67", []KnownScanner{k}, inventory.SeverityHigh},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, KnownScanners: tc.scanners})
			at := r.baseline(t0, 2*time.Minute)
			// busybox telnetd's opening: DO TERMINAL-TYPE, DO TSPEED, DO XDISPLOC, DO NEW-ENVIRON.
			r.feed(at, tcpFrame(t, nasMAC, "10.0.0.30", 23, hw(tc.peerMAC), tc.peer, 40000, tcpFlags{ack: true, psh: true}, []byte("\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27")))
			evs := r.of(inventory.EventInsecureProtocol)
			if len(evs) != 1 || evs[0].Severity != tc.sev || evs[0].MAC.String() != nasMAC.String() {
				t.Fatalf("want one insecure_protocol %s on the server, got %+v", tc.sev, evs)
			}
			if offered := strings.Contains(evs[0].Summary, "telnet offered by 10.0.0.30"); offered != (tc.sev == inventory.SeverityMedium) {
				t.Fatalf("summary %q", evs[0].Summary)
			}
		})
	}
}
