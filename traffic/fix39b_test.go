package traffic

import (
	"net/netip"
	"testing"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// TestMailLoginAccount reads the account of cleartext logins: review 39's
// curl AUTHENTICATE PLAIN to dovecot (SASL-IR, "\x00u5\x00Pw-u5-2025"),
// IMAP LOGIN with a quoted name, POP3 and FTP USER; a SELECT names none.
func TestMailLoginAccount(t *testing.T) {
	for _, c := range []struct {
		port      uint16
		seg, want string
	}{
		{143, "A002 AUTHENTICATE PLAIN AHU1AFB3LXU1LTIwMjU=\r\n", "u5"},
		{143, "a1 LOGIN \"Alice.Smith\" secret\r\n", "alice.smith"},
		{143, "a1 login bob secret\r\n", "bob"},
		{110, "USER carol\r\n", "carol"},
		{21, "USER dave\r\n", "dave"},
		{143, "a2 SELECT INBOX\r\n", ""},
		{143, "A002 AUTHENTICATE PLAIN AHU1\r\n", ""}, // no second NUL: no authcid
	} {
		e := &Engine{}
		p := &capture.Packet{Has: capture.HasEthernet | capture.HasIPv4 | capture.HasTCP}
		p.TCP.DstPort, p.TCP.Payload = layers.TCPPort(c.port), []byte(c.seg)
		e.mailLogin(p, c.port)
		got := ""
		if e.spread != nil && e.spread.nuser > 0 {
			u := e.spread.users[0]
			got = string(u.name[:u.len])
		}
		if got != c.want {
			t.Errorf("%d %q: account %q, want %q", c.port, c.seg, got, c.want)
		}
	}
}

// TestStaleOwnAccountsNotSpread: four desks whose two users each retry
// their old password three times (24 LDAP failures, each account from its
// own desk) are no distributed guessing; four hosts guessing one DN are.
func TestStaleOwnAccountsNotSpread(t *testing.T) {
	n := func(file string) int {
		k := 0
		for _, ev := range stagedEvents(t, file) {
			if ev.Type == inventory.EventBruteForce {
				k++
			}
		}
		return k
	}
	if k := n("benign-ldap-stale-own-accounts-ldapwhoami.pcap"); k != 0 {
		t.Errorf("stale own accounts: %d brute_force, want 0", k)
	}
	if k := n("brute-force-ldap-distributed-one-dn-ldapwhoami.pcap"); k != 1 {
		t.Errorf("distributed one DN: %d brute_force, want 1", k)
	}
}

// TestSpreadMoreCountsClients: clients beyond the listed ones are counted
// once each, not once per failure.
func TestSpreadMoreCountsClients(t *testing.T) {
	e := &Engine{}
	srv := netip.AddrFrom4([4]byte{10, 0, 0, 1})
	for c := 0; c < spreadKept+4; c++ {
		cli := netip.AddrFrom4([4]byte{10, 0, 1, byte(c + 2)})
		for i := 0; i < 3; i++ {
			e.spreadFail(t0, bruteKey{cli, srv, 389}, mac{}, mac{}, "LDAP", 0, 0, nil)
		}
	}
	last := e.spread.trs[0]
	if last.n != spreadKept || last.more > 4 || last.more < 3 || last.total != 3*(spreadKept+4) {
		t.Errorf("listed %d, more %d, total %d; want %d, 4 (3 on a collision), %d", last.n, last.more, last.total, spreadKept, 3*(spreadKept+4))
	}
}

// FuzzMailLogin runs mailLogin over any client segment to IMAP, POP3 and
// FTP: it must not panic, and the name it keeps is at most 32 bytes.
func FuzzMailLogin(f *testing.F) {
	f.Add([]byte("A002 AUTHENTICATE PLAIN AHU1AFB3LXU1LTIwMjU=\r\n"))
	f.Add([]byte("a1 LOGIN \"x\" y\r\n"))
	f.Add([]byte("USER z\r\n"))
	f.Add([]byte(" AUTHENTICATE PLAIN "))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, port := range []uint16{143, 110, 21} {
			e := &Engine{}
			p := &capture.Packet{Has: capture.HasEthernet | capture.HasIPv4 | capture.HasTCP}
			p.TCP.DstPort, p.TCP.Payload = layers.TCPPort(port), b
			e.mailLogin(p, port)
			if e.spread != nil && e.spread.users[0].len > 32 {
				t.Fatalf("a name of %d bytes kept", e.spread.users[0].len)
			}
		}
	})
}
