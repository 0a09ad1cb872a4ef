package traffic

import (
	"bytes"
	"strings"
	"testing"

	"tend/capture"
	"tend/inventory"
)

// TestMiraiTelnetTakeover replays session 39's staged Mirai-shaped bot
// against a BusyBox telnetd camera (scapy's SYN sweep of 23 and 2323 with
// seq = target address, default pairs one per connection, then enable,
// system, shell, sh, /bin/busybox MIRAI at the shell prompt): the sweep
// names an infected device and is critical, and the login that worked is
// a brute_force critical, the sweeper the culprit and the camera the
// target.
func TestMiraiTelnetTakeover(t *testing.T) {
	evs := stagedEvents(t, "mirai-telnet-takeover-busybox-scapy.pcap")
	var sweep, takeover bool
	for _, ev := range evs {
		switch {
		case ev.Type == inventory.EventHostSweep && ev.MAC.String() == "b8:27:eb:00:00:66":
			sweep = ev.Severity == inventory.SeverityCritical && strings.Contains(ev.Summary, "Telnet (23)") && strings.Contains(ev.Summary, "Telnet (2323)") && strings.Contains(ev.Summary, "infected device")
		case ev.Type == inventory.EventBruteForce && ev.Severity == inventory.SeverityCritical:
			takeover = ev.MAC.String() == "b8:27:eb:00:00:66" && ev.TargetMAC.String() == "44:19:b6:00:00:60" && strings.Contains(ev.Summary, "login succeeded")
		}
	}
	if !sweep || !takeover {
		t.Errorf("sweep critical naming an infected device %v, takeover of the camera by the sweeper %v; events %v", sweep, takeover, evs)
	}
}

// TestAdminTelnetQuiet: an administrator's telnet login to a BusyBox
// telnetd (ls, show version, enable, sh at the "# " prompt) sweeps
// nothing: no brute_force, only telnet's insecure_protocol.
func TestAdminTelnetQuiet(t *testing.T) {
	for _, ev := range stagedEvents(t, "benign-telnet-admin-busybox-login.pcap") {
		if ev.Type != inventory.EventInsecureProtocol {
			t.Errorf("admin telnet session raised %s %s: %s", ev.Type, ev.Severity, ev.Summary)
		}
	}
}

// TestBotCommand reads the bot's lines as they crossed the wire and an
// administrator's as not.
func TestBotCommand(t *testing.T) {
	for _, s := range []string{"enable\r\n", "sh\r\n", "/bin/busybox MIRAI\r\n", "/bin/busybox ECCHI\n"} {
		if botCommand([]byte(s)) == nil {
			t.Errorf("%q not read as a bot's command", s)
		}
	}
	for _, s := range []string{"ls\r\n", "show version\r\n", "/bin/busybox\r\n", "/bin/busybox wget http://x/y\r\n", "shell scripts\r\n"} {
		if botCommand([]byte(s)) != nil {
			t.Errorf("%q read as a bot's command", s)
		}
	}
	for s, want := range map[string]byte{"\r\n# ": '#', "MIRAI: applet not found\r\n# \x1b[6n": '#', "Switch>": '>', "admin@nas:~$ ": '$', "Password: ": 0, "Login incorrect\r\n(none) login: ": 0} {
		if got := telnetPromptChar([]byte(s)); got != want {
			t.Errorf("prompt of %q: %q, want %q", s, got, want)
		}
	}
}

// TestSMB1RefusedClient replays medusa's smbnt module against Samba 4
// refusing SMB1 (every NEGOTIATE answered DialectIndex 0xFFFF, then the
// client's SESSION_SETUP_ANDX anyway): the client's SMB1 requests prove
// nothing about the server, so no smbv1 insecure_protocol; the server's
// SMB1 answers of the staged SMB1 captures still do.
func TestSMB1RefusedClient(t *testing.T) {
	var client, answer int
	for _, b := range stagedPayloads(t, "smb1-refused-medusa.pcap", func(p *capture.Packet) bool {
		return p.Has&capture.HasTCP != 0 && len(p.TCP.Payload) > 4+32
	}) {
		if string(b[4:8]) != "\xffSMB" {
			continue
		}
		if b[4+9]&0x80 == 0 && b[8] == 0x73 {
			client++
			if _, ok := smb1(40000, 445, b); ok {
				t.Fatal("a client's SESSION_SETUP_ANDX read as SMBv1 in use")
			}
		}
		if b[4+9]&0x80 != 0 {
			answer++
			if _, ok := smb1(445, 40000, b); ok {
				t.Fatalf("a refusal read as SMBv1 in use: % x", b[:4+40])
			}
		}
	}
	if client == 0 || answer == 0 {
		t.Fatalf("%d client SESSION_SETUP_ANDX, %d answers: the capture holds no refused SMB1", client, answer)
	}
	for _, ev := range stagedEvents(t, "smb1-refused-medusa.pcap") {
		if ev.Type == inventory.EventInsecureProtocol && strings.HasPrefix(ev.Summary, "smbv1") {
			t.Errorf("refused SMB1 raised %s", ev.Summary)
		}
	}
	for _, f := range []string{"brute-force-smb1-hydra.pcap", "smb1-enum-users-nmap.pcap"} {
		n := 0
		for _, ev := range stagedEvents(t, f) {
			if ev.Type == inventory.EventInsecureProtocol && strings.HasPrefix(ev.Summary, "smbv1") {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: no smbv1 insecure_protocol from the server's SMB1 answers", f)
		}
	}
}

// FuzzTelnetBot feeds any bytes to the telnet readers: no panic, and a
// command found is the segment's first line.
func FuzzTelnetBot(f *testing.F) {
	for _, s := range []string{"/bin/busybox MIRAI\r\n", "enable\r\n", "\r\n# \x1b[6n", "\x1b", "Switch>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if c := botCommand(b); c != nil && !bytes.HasPrefix(b, c) {
			t.Fatalf("command %q is not the start of %q", c, b)
		}
		telnetPromptChar(b)
	})
}
