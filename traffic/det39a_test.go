package traffic

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// rogueDHCPSeverities replays a staged capture with its gateway and returns
// the rogue_dhcp events' severities by the culprit's MAC.
func rogueDHCPSeverities(t *testing.T, name, gw string) map[string]inventory.Severity {
	t.Helper()
	evs := replayFile(t, filepath.Join("testdata", "staged", name), Config{Gateway: netip.MustParseAddr(gw)})
	out := map[string]inventory.Severity{}
	for _, ev := range evs {
		if ev.Type == inventory.EventRogueDHCP {
			out[ev.MAC.String()] = ev.Severity
		}
	}
	return out
}

// TestSecondDHCPNeedsKnownDNS: a DHCP server heard in the first minute that
// hands out the real gateway but a DNS server at a third address no known
// server hands out is a rogue (High); one handing out the known server's
// DNS server, or a split-scope pair agreeing with each other, is a second
// service (Medium).
func TestSecondDHCPNeedsKnownDNS(t *testing.T) {
	for _, c := range []struct {
		file, gw, culprit string
		want              inventory.Severity
	}{
		{"rogue-dhcp-same-router-third-dns-dnsmasq.pcap", "10.88.8.1", "b8:27:eb:00:00:66", inventory.SeverityHigh},
		{"dhcp-second-service-gateway-dns-dnsmasq.pcap", "10.88.8.1", "00:50:56:00:01:7d", inventory.SeverityMedium},
		{"dhcp-split-scope-pair-beside-gateway-dnsmasq.pcap", "10.88.8.1", "00:50:56:00:01:80", inventory.SeverityMedium},
		// session 39 det40: a resolver is one the LAN uses only if heard
		// answering before the server's first offer (dnsInUse).
		{"rogue-dhcp-own-resolver-third-address-dnsmasq.pcap", "10.88.8.1", "b8:27:eb:00:00:66", inventory.SeverityHigh},
		{"dhcp-second-service-office-resolver-dnsmasq.pcap", "10.88.8.1", "00:50:56:00:01:7d", inventory.SeverityMedium},
	} {
		got := rogueDHCPSeverities(t, c.file, c.gw)
		if len(got) != 1 || got[c.culprit] != c.want {
			t.Errorf("%s: rogue_dhcp %v, want only %s at %s", c.file, got, c.culprit, c.want)
		}
	}
}

// TestKerberoastOneSPN: review 37a's getST asks one service ticket with RC4
// first (23, 16, 3, 18) after a logon asking AES alone: ad_attack High
// naming the service. Three TGS-REQs listing RC4 first and AES after from a
// client never heard asking AES first, for one or two services, are
// nothing; AES-first requests for many services are nothing.
func TestKerberoastOneSPN(t *testing.T) {
	var got []string
	for _, ev := range stagedEvents(t, "kerberos-gettgt-getst-one-spn-impacket.pcap") {
		if ev.Type == inventory.EventADAttack && ev.Severity == inventory.SeverityHigh {
			got = append(got, ev.Summary)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "MSSQLSvc/sql1.lab37.lan:1433") {
		t.Errorf("getST: %q, want one ad_attack naming MSSQLSvc/sql1.lab37.lan:1433", got)
	}
	for _, c := range []struct {
		etypes []byte
		hosts  []string
		want   int
	}{
		{[]byte{23, 18}, []string{"sql1", "sql2", "sql1"}, 0},
		{[]byte{18, 17, 23}, []string{"sql1", "sql2", "web1", "web2"}, 0},
		{[]byte{23, 16, 3, 18}, []string{"sql1", "sql2", "web1"}, 1},
	} {
		r := newRig(t, Config{})
		at := t0
		for i, host := range c.hosts {
			at = at.Add(time.Second)
			r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", uint16(50000+i), nasMAC, "10.0.0.30", krbPort, tgsReq(host, c.etypes...)))
		}
		if n := len(r.of(inventory.EventADAttack)); n != c.want {
			t.Errorf("etypes %v for %v: %d ad_attack, want %d", c.etypes, c.hosts, n, c.want)
		}
	}
}

// TestKerberosEtypeOrder reads the etype list's first entry and the
// service's name as text.
func TestKerberosEtypeOrder(t *testing.T) {
	for _, c := range []struct {
		etypes         []byte
		rc4, aes, only bool
	}{{[]byte{23}, true, false, true}, {[]byte{23, 16, 3, 18}, true, false, false}, {[]byte{18, 17, 23}, false, true, false}, {[]byte{16, 23}, false, false, false}} {
		m, ok := parseKerberos(tgsReq("sql1", c.etypes...))
		if !ok || m.rc4First != c.rc4 || m.aesFirst != c.aes || m.rc4Only != c.only {
			t.Errorf("etypes %v read as %+v", c.etypes, m)
		}
		if s := krbNameText(m.sname); s != "MSSQLSvc/sql1" {
			t.Errorf("service name %q", s)
		}
	}
	m, _ := parseKerberos(tgsReq("a\x01b", 23))
	if s := krbNameText(m.sname); s != "MSSQLSvc/a?b" {
		t.Errorf("a name with a control byte: %q", s)
	}
	var short [5]byte
	if h := krbName(m.sname, short[:]); h != m.name || string(short[:]) != "MSSQL" {
		t.Errorf("cut to 5 bytes: %q, hash %x want %x", short, h, m.name)
	}
}

// TestLDAPAccountSpread: four hosts guessing one DN's password over LDAP
// simple binds (resultCode 49) are one distributed brute_force naming the
// DN; ordinary binds with a user mistyping twice and a service account's
// stale password retried four times are no brute_force; hydra's spray of
// 30 DNs from one host names no account.
func TestLDAPAccountSpread(t *testing.T) {
	var got []string
	for _, ev := range replayFile(t, filepath.Join("testdata", "staged", "brute-force-ldap-distributed-one-dn-ldapwhoami.pcap"), Config{}) {
		if ev.Type == inventory.EventBruteForce {
			got = append(got, ev.Summary)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "for the account cn=admin,dc=lab,dc=lan from 4 clients") {
		t.Errorf("distributed LDAP guessing: %q, want one event naming cn=admin,dc=lab,dc=lan", got)
	}
	for _, ev := range stagedEvents(t, "benign-ldap-mistype-stale-service-ldapwhoami.pcap") {
		if ev.Type == inventory.EventBruteForce {
			t.Errorf("ordinary binds raised %s", ev.Summary)
		}
	}
	for _, ev := range stagedEvents(t, "brute-force-ldap-spray-hydra.pcap") {
		if strings.Contains(ev.Summary, "account") {
			t.Errorf("a spray of 30 DNs named an account: %s", ev.Summary)
		}
	}
	dn := ldapBindDN([]byte("\x30\x2b\x02\x01\x01\x60\x26\x02\x01\x03\x04\x16cn=admin,dc=lab,dc=lan\x80\x09Guess1c1!"))
	if string(dn) != "cn=admin,dc=lab,dc=lan" {
		t.Errorf("bind DN %q", dn)
	}
}
