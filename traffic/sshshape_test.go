package traffic

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// sshPacket is a cleartext SSH binary packet (RFC 4253 6) of message msg
// with body bytes of payload and the least padding.
func sshPacket(msg byte, body int) []byte {
	n := 1 + 1 + body
	pad := 8 - (4+n)%8
	if pad < 4 {
		pad += 8
	}
	b := make([]byte, 4+n+pad)
	l := n + pad
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(l>>24), byte(l>>16), byte(l>>8), byte(l), byte(pad), msg
	return b
}

// sshConnFrames feeds one SSH connection from the attacker to the NAS:
// the handshake, the server's version line, KEXINIT, the key exchange's
// reply with NEWKEYS and OpenSSH's EXT_INFO in one segment, then encrypted
// segments of the sizes given, and the server's FIN after last.
func (r *rig) sshConnFrames(at time.Time, cport uint16, sizes []int, last time.Duration) {
	r.sshConnFramesFin(at, cport, sizes, last, nil)
}

// sshSides returns the senders of one SSH connection's segments, at
// offsets from at: c from the attacker's port cport to the NAS's port 22,
// s back.
func (r *rig) sshSides(at time.Time, cport uint16) (c, s func(time.Duration, tcpFlags, []byte)) {
	c = func(d time.Duration, f tcpFlags, b []byte) {
		r.feed(at.Add(d), tcpFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", 22, f, b))
	}
	s = func(d time.Duration, f tcpFlags, b []byte) {
		r.feed(at.Add(d), tcpFrame(r.t, nasMAC, "10.0.0.30", 22, evilMAC, "10.0.0.66", cport, f, b))
	}
	return c, s
}

// sshConnFramesFin is sshConnFrames with fin carried by the server's FIN.
func (r *rig) sshConnFramesFin(at time.Time, cport uint16, sizes []int, last time.Duration, fin []byte) {
	c, s := r.sshSides(at, cport)
	ack := tcpFlags{ack: true, psh: true}
	c(0, tcpFlags{syn: true}, nil)
	s(time.Millisecond, tcpFlags{syn: true, ack: true}, nil)
	c(2*time.Millisecond, ack, []byte("SSH-2.0-libssh_0.10.5\r\n"))
	s(3*time.Millisecond, ack, []byte("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"))
	s(4*time.Millisecond, ack, sshPacket(20, 1070))
	reply := append(sshPacket(31, 180), sshPacket(21, 0)...)
	s(6*time.Millisecond, ack, append(reply, make([]byte, 316)...))
	for i, n := range sizes {
		s(time.Duration(8+i)*time.Millisecond, ack, make([]byte, n))
	}
	s(last, tcpFlags{fin: true, ack: true, psh: fin != nil}, fin)
	c(last+time.Millisecond, tcpFlags{fin: true, ack: true}, nil)
}

// TestSSHAuthOnlySessions: SSH sessions that end in the authentication
// phase (the server sending only small encrypted messages, then closing)
// are guessing when they are many, or a few carrying many exchanges, at
// low below a tool's pace and medium at it; key logins that run a command
// (OpenSSH's host keys, the output), a person's retries and sessions held
// open are not.
func TestSSHAuthOnlySessions(t *testing.T) {
	failed := []int{44, 52, 52, 52, 52, 52, 52, 76} // SERVICE_ACCEPT, six failures, DISCONNECT
	keyLogin := []int{44, 52, 100, 28, 264, 192, 72, 124}
	for _, tc := range []struct {
		name  string
		n     int
		every time.Duration
		sizes []int
		last  time.Duration
		want  inventory.Severity // "" for nothing above info
	}{
		{"hydra -t 1 -W 3: six passwords a session every 32 s", 7, 32 * time.Second, failed, 300 * time.Millisecond, inventory.SeverityLow},
		{"hydra -t 4: a session every 3 s", 12, 3 * time.Second, failed, 300 * time.Millisecond, inventory.SeverityMedium},
		{"one guess a session every 20 s", 9, 20 * time.Second, []int{44, 52, 52}, 200 * time.Millisecond, inventory.SeverityLow},
		{"key logins running a command, 16 in two minutes", 16, 8 * time.Second, keyLogin, 2 * time.Second, ""},
		{"a person retyping a password", 2, 20 * time.Second, []int{44, 52, 52, 52, 76}, 15 * time.Second, ""},
		{"failed-looking sessions held open", 10, 10 * time.Second, failed, 200 * time.Second, ""},
		{"hydra -t 1 against LoginGraceTime: sessions of 100 s", 8, 30 * time.Second, failed, 100 * time.Second, inventory.SeverityLow},
		{"an agent offering six keys, three sessions in 9 s", 3, 3 * time.Second, failed, 100 * time.Millisecond, ""},
		{"three keys and three mistyped passwords, four sessions", 4, 20 * time.Second, []int{44, 52, 52, 52, 52, 52, 52, 76}, 20 * time.Second, ""},
		{"ssh-keyscan every 10 s: the key exchange, no login", 30, 10 * time.Second, nil, 100 * time.Millisecond, ""},
		{"a key scan that asks for the service, then leaves", 30, 10 * time.Second, []int{44}, 100 * time.Millisecond, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range tc.n {
				r.sshConnFrames(at.Add(time.Duration(i)*tc.every), uint16(40000+i), tc.sizes, tc.last)
			}
			var loud []inventory.Event
			for _, ev := range r.of(inventory.EventBruteForce) {
				if ev.Severity != inventory.SeverityInfo {
					loud = append(loud, ev)
				}
			}
			if tc.want == "" {
				if len(loud) != 0 {
					t.Fatalf("want nothing above info, got %+v", loud)
				}
				return
			}
			if len(loud) != 1 || loud[0].Severity != tc.want || loud[0].MAC.String() != evilMAC.String() ||
				loud[0].TargetIP.String() != "10.0.0.30" || !strings.Contains(loud[0].Summary, "ended in the authentication phase") {
				t.Fatalf("want one %s brute_force by %s against the NAS, got %+v", tc.want, evilMAC, loud)
			}
		})
	}
}

// TestSSHCleartextLost: a stream the tracker cannot follow (no version
// line: the capture began mid-connection; a length out of bounds) is
// never classed.
func TestSSHCleartextLost(t *testing.T) {
	for name, b := range map[string][]byte{
		"no version line":  sshPacket(20, 100),
		"a huge length":    append([]byte("SSH-2.0-x\r\n"), 0x7f, 0, 0, 0, 4, 20),
		"a header cut off": append([]byte("SSH-2.0-x\r\n"), 0, 0),
	} {
		c := &sshConn{}
		c.cleartext(b)
		if !c.lost || c.kex {
			t.Errorf("%s: %+v, want lost", name, c)
		}
	}
	c := &sshConn{}
	c.cleartext([]byte("SSH-2.0-x\r\n"))
	kexinit := sshPacket(20, 1070)
	c.cleartext(kexinit[:600]) // a packet over two segments
	c.cleartext(append(kexinit[600:], sshPacket(21, 0)...))
	if c.lost || !c.kex {
		t.Errorf("split KEXINIT then NEWKEYS: %+v, want the key exchange done", c)
	}
}

func FuzzSSHCleartext(f *testing.F) {
	f.Add([]byte("SSH-2.0-OpenSSH_9.2\r\n"), append(sshPacket(31, 180), sshPacket(21, 0)...))
	f.Add([]byte("SSH-2.0-x\r\n\x00\x00"), []byte{0, 12, 10, 21})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		c := &sshConn{}
		c.cleartext(a)
		c.cleartext(b)
		if c.skip < 0 {
			t.Fatalf("skip %d", c.skip)
		}
	})
}

// snmpGet is an SNMPv2c GetRequest for sysDescr.0 under community.
func snmpGet(community string) []byte {
	oid := []byte{0x06, 0x08, 0x2b, 6, 1, 2, 1, 1, 1, 0}
	vb := append([]byte{0x30, byte(len(oid) + 2)}, append(oid, 0x05, 0x00)...)
	vbl := append([]byte{0x30, byte(len(vb))}, vb...)
	pdu := append([]byte{0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00}, vbl...)
	pdu = append([]byte{0xa0, byte(len(pdu))}, pdu...)
	msg := append([]byte{0x02, 0x01, 0x01, 0x04, byte(len(community))}, community...)
	msg = append(msg, pdu...)
	return append([]byte{0x30, byte(len(msg))}, msg...)
}

// TestSNMPCommunityGuessing: many different communities from one client to
// one agent are guessing, raised once, the client the culprit; a poller's
// one or two communities, however often, and a tool's retries of a few
// are not.
func TestSNMPCommunityGuessing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		every time.Duration
		comm  func(i int) string
		want  string
	}{
		{"a word list, a community every 300 ms", 60, 300 * time.Millisecond, func(i int) string { return fmt.Sprintf("Winter%d!", 2000+i) }, "different SNMP communities"},
		{"hydra's retries: 30 communities, each three times", 90, time.Second, func(i int) string { return fmt.Sprintf("w%d", i/3) }, "different SNMP communities"},
		{"a poller with public and private", 400, 100 * time.Millisecond, func(i int) string { return []string{"public", "private"}[i%2] }, ""},
		{"a discovery trying a site's five communities, again and again", 200, 200 * time.Millisecond, func(i int) string { return fmt.Sprintf("site%d", i%5) }, ""},
		{"9 communities a minute", 45, 6700 * time.Millisecond, func(i int) string { return fmt.Sprintf("c%d", i) }, ""},
		{"nmap's snmp-brute: its 18 communities in under a second", 18, 40 * time.Millisecond, func(i int) string { return fmt.Sprintf("c%d", i) }, "18 different SNMP communities"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range tc.n {
				r.feed(at.Add(time.Duration(i)*tc.every), udpFrame(t, evilMAC, "10.0.0.66", uint16(40000+i), nasMAC, "10.0.0.30", 161, snmpGet(tc.comm(i))))
			}
			wantBruteOnNAS(t, r.of(inventory.EventBruteForce), tc.want)
		})
	}
}

// loud is the brute_force events above info.
func (r *rig) loudBrute() []inventory.Event {
	var loud []inventory.Event
	for _, ev := range r.of(inventory.EventBruteForce) {
		if ev.Severity != inventory.SeverityInfo {
			loud = append(loud, ev)
		}
	}
	return loud
}

// TestSSHFinCarriesData: a session whose last server segment carries its
// FIN and the output (a command run, a success) is no authentication-only
// session: the payload is counted before the end.
func TestSSHFinCarriesData(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 10 {
		r.sshConnFramesFin(at.Add(time.Duration(i)*10*time.Second), uint16(40000+i), []int{44, 52}, 300*time.Millisecond, make([]byte, 400))
	}
	if loud := r.loudBrute(); len(loud) != 0 {
		t.Fatalf("want nothing above info, got %+v", loud)
	}
}

// snmpFeed sends n GetRequests from evil to the NAS under
// comm(i), 200 ms apart, and the agent's answer to those answer(i) says.
func (r *rig) snmpFeed(at time.Time, n int, comm func(int) string, answer func(int) bool) {
	for i := range n {
		when := at.Add(time.Duration(i) * 200 * time.Millisecond)
		r.feed(when, udpFrame(r.t, evilMAC, "10.0.0.66", uint16(40000+i), nasMAC, "10.0.0.30", 161, snmpGet(comm(i))))
		if answer(i) {
			r.feed(when.Add(time.Millisecond), udpFrame(r.t, nasMAC, "10.0.0.30", 161, evilMAC, "10.0.0.66", uint16(40000+i), snmpGet(comm(i))))
		}
	}
}

// TestSNMPCommunityGuessingSeverity: guessing the agent answered once is
// high; guessing it never answered (forgeable datagrams, a victim's
// address) medium; a poller's community indexed by VLAN context
// ("public@10") is one community, not 25.
func TestSNMPCommunityGuessingSeverity(t *testing.T) {
	never := func(int) bool { return false }
	for _, tc := range []struct {
		name   string
		n      int
		comm   func(int) string
		answer func(int) bool
		want   inventory.Severity // "" for none
	}{
		{"30 communities, the agent answering the 25th", 30, func(i int) string { return fmt.Sprintf("w%d", i) }, func(i int) bool { return i == 24 }, inventory.SeverityHigh},
		{"30 communities never answered", 30, func(i int) string { return fmt.Sprintf("w%d", i) }, never, inventory.SeverityMedium},
		{"12 communities, the agent answering every one", 12, func(i int) string { return fmt.Sprintf("w%d", i) }, func(int) bool { return true }, ""},
		{"12 communities, the agent answering two", 12, func(i int) string { return fmt.Sprintf("w%d", i) }, func(i int) bool { return i < 2 }, inventory.SeverityHigh},
		{"25 VLAN contexts, 4 GETs each", 100, func(i int) string { return fmt.Sprintf("s3cr3t@%d", 1+i/4) }, func(int) bool { return true }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			r.snmpFeed(r.baseline(t0, 2*time.Minute), tc.n, tc.comm, tc.answer)
			evs := r.of(inventory.EventBruteForce)
			if tc.want == "" {
				if len(evs) != 0 {
					t.Fatalf("want none, got %+v", evs)
				}
				return
			}
			if len(evs) != 1 || evs[0].Severity != tc.want {
				t.Fatalf("want one %s brute_force, got %+v", tc.want, evs)
			}
		})
	}
}

// TestSNMPForgedSourcesKeepSSH: single requests from many forged sources
// fill the SNMP table, not the one SSH guessing is counted in.
func TestSNMPForgedSourcesKeepSSH(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, MaxTrackers: 64})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 300 {
		src := fmt.Sprintf("10.0.%d.%d", 1+i/200, 1+i%200)
		r.feed(at.Add(time.Duration(i)*100*time.Millisecond), udpFrame(t, evilMAC, src, 40000, nasMAC, "10.0.0.30", 161, snmpGet("public")))
	}
	if r.e.counters.TrackersDropped == 0 {
		t.Fatal("want the SNMP trackers past the cap counted as dropped")
	}
	failed := []int{44, 52, 52, 52, 52, 52, 52, 76}
	for i := range 12 {
		r.sshConnFrames(at.Add(31*time.Second+time.Duration(i)*3*time.Second), uint16(40000+i), failed, 300*time.Millisecond)
	}
	if loud := r.loudBrute(); len(loud) != 1 || loud[0].TargetIP.String() != "10.0.0.30" || !strings.Contains(loud[0].Summary, "SSH") {
		t.Fatalf("want SSH guessing raised, got %+v", loud)
	}
}
