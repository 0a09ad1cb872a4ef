package traffic

import (
	"bytes"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
)

// stagedFrames reads the frames of a staged recording.
func stagedFrames(t testing.TB, name string) []capture.Frame {
	t.Helper()
	src, err := capture.OpenFile(filepath.Join("testdata", "staged", name))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var fs []capture.Frame
	for {
		f, err := src.ReadFrame()
		if err != nil {
			return fs
		}
		f.Data = bytes.Clone(f.Data)
		fs = append(fs, f)
	}
}

// ntlmAuthenticates returns the NTLMSSP AUTHENTICATE messages (from their
// signature to the frame's end) the clients of a staged recording sent,
// keyed by the client's address and port.
func ntlmAuthenticates(t *testing.T, name string) map[string][]byte {
	d := capture.NewDecoder()
	out := map[string][]byte{}
	for _, f := range stagedFrames(t, name) {
		p := d.Decode(f)
		if p.Has&capture.HasTCP == 0 || p.TCP.DstPort != 445 {
			continue
		}
		b := p.TCP.Payload
		if i := bytes.Index(b, []byte("NTLMSSP\x00\x03\x00\x00\x00")); i >= 0 {
			out[p.SrcIP().String()+":"+strconv.Itoa(int(p.TCP.SrcPort))] = bytes.Clone(b[i:])
		}
	}
	return out
}

// TestNTLMAnonymous reads real AUTHENTICATE messages: rpcclient -U ” -N's
// (anonymous flag, no user, no responses), smbclient -N's first try (the
// local user's name, no responses: no proof of a password), and the
// backup server's and the user's logons with a password (NTLMv2 responses).
func TestNTLMAnonymous(t *testing.T) {
	anon := ntlmAuthenticates(t, "smb-rid-cycling-rpcclient.pcap")
	if len(anon) != 6 {
		t.Fatalf("want 6 AUTHENTICATE messages in the RID cycling, got %d", len(anon))
	}
	for k, b := range anon {
		if a, ok := ntlmAnonymous(b); !a || !ok {
			t.Errorf("%s: rpcclient -U '' -N's logon: anonymous %v ok %v", k, a, ok)
		}
		// The message cut short of its 64-byte header: not read.
		if _, ok := ntlmAnonymous(b[:63]); ok {
			t.Errorf("%s: a 63-byte AUTHENTICATE read", k)
		}
		// Inside a SPNEGO wrapping, as SMB2 carries it.
		if a, ok := ntlmAnonymous(append([]byte("\xa1\x81\xd0\x30\x81\xcd\xa2\x81\xca\x04\x81\xc7"), b...)); !a || !ok {
			t.Errorf("%s: wrapped: anonymous %v ok %v", k, a, ok)
		}
	}
	var users, noPassword int
	for k, b := range ntlmAuthenticates(t, "benign-smb-users-smbclient.pcap") {
		a, ok := ntlmAnonymous(b)
		if !ok {
			t.Fatalf("%s: AUTHENTICATE not read", k)
		}
		if a {
			noPassword++
		} else {
			users++
		}
	}
	// smbclient -N -L tries the local user without a password, then
	// anonymously, on one connection (one key): 1; the others use a password.
	if noPassword != 1 || users < 4 {
		t.Errorf("benign logons: %d without a password (want 1), %d with one (want 4 or more)", noPassword, users)
	}
	// A NEGOTIATE message is no AUTHENTICATE.
	if _, ok := ntlmAnonymous([]byte("NTLMSSP\x00\x01\x00\x00\x00" + strings.Repeat("\x00", 60))); ok {
		t.Error("a NEGOTIATE message read as an AUTHENTICATE")
	}
}

func FuzzNTLMAnonymous(f *testing.F) {
	f.Add([]byte("NTLMSSP\x00\x03\x00\x00\x00" + strings.Repeat("\x00", 60)))
	f.Add([]byte("\xa1\x05NTLMSSP\x00\x03\x00\x00\x00" + strings.Repeat("\xff", 52)))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, ok := ntlmAnonymous(b)
		if a && !ok {
			t.Fatal("anonymous without a message read")
		}
	})
}

// FuzzSMBSegment feeds segments to a server's port 445 after an anonymous
// logon of the same connection: nothing may panic or grow past the caps.
func FuzzSMBSegment(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x50\xfeSMB@\x00\x00\x00\x00\x00\x00\x00\x0b\x00"))
	f.Add([]byte("\x00\x00\x00\x40\xffSMB\x2f\x00\x00\x00\x00\x18\x07\xc8"))
	logon := ntlmLogonSegment()
	f.Fuzz(func(t *testing.T, b []byte) {
		r := newRig(t, Config{Learning: time.Minute})
		r.feed(t0, tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true}, logon))
		r.feed(t0.Add(time.Millisecond), tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true}, b))
		r.feed(t0.Add(2*time.Millisecond), tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true}, append(logon[:4:4], b...)))
		r.e.Flush()
		if r.e.smb == nil || len(r.e.smb.conns) > smbEnumConns || len(r.e.smb.pairs) > smbEnumPairs {
			t.Fatal("state missing or past its caps")
		}
	})
}

// ntlmLogonSegment is an SMB2 SESSION_SETUP request carrying an anonymous
// AUTHENTICATE (rpcclient -U ” -N's fields).
func ntlmLogonSegment() []byte {
	auth := []byte("NTLMSSP\x00\x03\x00\x00\x00" + strings.Repeat("\x00", 48) + "\x15\x8a\x00\x62")
	m := make([]byte, 64+24)
	copy(m, "\xfeSMB\x40\x00")
	m[12] = 1                             // SESSION_SETUP
	m[64], m[64+12], m[64+14] = 25, 88, 0 // structure size, the blob's offset (88) and length below
	m[64+14] = byte(len(auth))
	m = append(m, auth...)
	return append([]byte{0, 0, byte(len(m) >> 8), byte(len(m))}, m...)
}

// TestSMBEnumerationStaged replays the staged SMB recordings: rpcclient's
// null-session enumeration, its RID cycling alone, nmap's SMB1
// smb-enum-users, and the NAS's users with accounts (quiet).
func TestSMBEnumerationStaged(t *testing.T) {
	for _, tc := range []struct {
		file, want string
		conns      string
	}{
		{"smb-null-session-enum-rpcclient.pcap", "asked for its users, groups and aliases from the SAM", "11 anonymous SMB logons"},
		{"smb-rid-cycling-rpcclient.pcap", "RID cycling", "6 anonymous SMB logons"},
		{"smb1-enum-users-nmap.pcap", "asked for its users, groups and aliases from the SAM", "anonymous SMB logons"},
		{"benign-smb-users-smbclient.pcap", "", ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			evs := replayFile(t, filepath.Join("testdata", "staged", tc.file), Config{Gateway: netip.MustParseAddr("10.88.8.1")})
			var got []inventory.Event
			for _, ev := range evs {
				if ev.Type == inventory.EventPortScan {
					got = append(got, ev)
				}
			}
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("want no port_scan, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one port_scan, got %+v", got)
			}
			ev := got[0]
			if ev.MAC.String() != "b8:27:eb:00:00:66" || ev.TargetIP.String() != "10.88.8.30" || ev.Severity != inventory.SeverityMedium ||
				!strings.HasPrefix(ev.Summary, "SMB null-session enumeration:") || !strings.Contains(ev.Summary, tc.want) ||
				!strings.Contains(ev.Evidence[0].Detail, tc.conns) {
				t.Errorf("got %+v", ev)
			}
		})
	}
}

// TestZoneTransferStaged replays the staged DNS recordings: dig and nmap's
// refused AXFRs (dig ixfr=1 among them, not counted), an AXFR answered with
// the zone (High), and a bind9 secondary's NOTIFY, AXFR and IXFRs (quiet).
func TestZoneTransferStaged(t *testing.T) {
	for _, tc := range []struct {
		file, want string
		sev        inventory.Severity
	}{
		{"zone-transfer-refused-dig-nmap.pcap", "4 refused", inventory.SeverityMedium},
		{"zone-transfer-answered-dig.pcap", "1 answered with 5 records", inventory.SeverityHigh},
		{"benign-dns-secondary-bind9.pcap", "", ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var got []inventory.Event
			for _, ev := range replayFile(t, filepath.Join("testdata", "staged", tc.file), Config{Gateway: netip.MustParseAddr("10.88.8.1")}) {
				if ev.Type == inventory.EventPortScan {
					got = append(got, ev)
				}
			}
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("want no port_scan, got %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].MAC.String() != "b8:27:eb:00:00:66" || got[0].TargetIP.String() != "10.88.8.1" || got[0].Severity != tc.sev ||
				!strings.HasPrefix(got[0].Summary, "DNS zone transfer attempt:") || !strings.Contains(got[0].Summary, tc.want) {
				t.Fatalf("want one %s zone transfer attempt (%q) on .66, got %+v", tc.sev, tc.want, got)
			}
		})
	}
}

// TestZoneTransferSecondary: a host the server NOTIFYs is its secondary,
// whose AXFR is no attempt; the same AXFR from another host is one, and
// a question whose name runs past the message is not read.
func TestZoneTransferSecondary(t *testing.T) {
	axfr := []byte("\x12\x34\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03lan\x00\x00\xfc\x00\x01")
	notify := []byte("\x56\x78\x24\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03lan\x00\x00\x06\x00\x01")
	tcp := func(m []byte) []byte { return append([]byte{0, byte(len(m))}, m...) }
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 40000, pcMAC, "10.0.0.10", 53, notify))
	r.feed(at.Add(time.Second), tcpFrame(t, pcMAC, "10.0.0.10", 41000, nasMAC, "10.0.0.30", 53, tcpFlags{ack: true, psh: true}, tcp(axfr)))
	r.feed(at.Add(2*time.Second), tcpFrame(t, evilMAC, "10.0.0.66", 41001, nasMAC, "10.0.0.30", 53, tcpFlags{ack: true, psh: true}, tcp(axfr)))
	cut := tcp(axfr[:len(axfr)-6])
	cut[1] = byte(len(axfr))
	r.feed(at.Add(3*time.Second), tcpFrame(t, evilMAC, "10.0.0.66", 41002, nasMAC, "10.0.0.30", 53, tcpFlags{ack: true, psh: true}, cut))
	evs := r.of(inventory.EventPortScan)
	if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || !strings.Contains(evs[0].Summary, "unanswered") || !strings.Contains(evs[0].Evidence[0].Detail, "1 zone transfer queries") {
		t.Fatalf("want one unanswered attempt by %s (not the secondary %s), got %+v", evilMAC, pcMAC, r.all())
	}
}

// TestSMBShareEnumerationStaged replays smbmap against Samba's guest shares
// (session 41, review 41 P4): one port_scan Medium naming the client, every
// share and write test counted; the same shares in a person's use (a guest
// mapping, files copied, a scratch folder made and removed) stay quiet.
func TestSMBShareEnumerationStaged(t *testing.T) {
	gw := Config{Gateway: netip.MustParseAddr("10.88.8.1")}
	evs := replayFile(t, filepath.Join("testdata", "staged", "smbmap-guest-share-write-test.pcap"), gw)
	if len(evs) != 1 {
		t.Fatalf("want one event, got %+v", evs)
	}
	ev := evs[0]
	if ev.Type != inventory.EventPortScan || ev.Severity != inventory.SeverityMedium || ev.MAC.String() != "b8:27:eb:00:00:66" ||
		ev.TargetIP.String() != "10.88.8.30" || !strings.HasPrefix(ev.Summary, "SMB share enumeration with write tests:") ||
		!strings.Contains(ev.Summary, "5 shares (ADMIN$, data, public, scans, docs)") || !strings.Contains(ev.Summary, "write tests: 4") {
		t.Errorf("got %+v", ev)
	}
	if evs := replayFile(t, filepath.Join("testdata", "staged", "benign-smb-guest-shares-smbclient.pcap"), gw); len(evs) != 0 {
		t.Errorf("benign guest shares: want nothing, got %+v", evs)
	}
}
