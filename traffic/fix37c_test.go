package traffic

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
)

// stagedPayloads returns the payloads of the staged capture name that
// keep accepts, in order.
func stagedPayloads(t *testing.T, name string, keep func(p *capture.Packet) bool) [][]byte {
	t.Helper()
	src, err := capture.OpenFile(filepath.Join("testdata", "staged", name))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var out [][]byte
	if err := capture.Run(context.Background(), src, func(p *capture.Packet) {
		if keep(p) {
			out = append(out, append([]byte(nil), p.Payload()...))
		}
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func stagedEvents(t *testing.T, name string) []inventory.Event {
	t.Helper()
	return replayFile(t, filepath.Join("testdata", "staged", name), Config{})
}

// TestKerberosParse reads review 37a's impacket requests and the Samba
// KDC's answers: GetNPUsers' AS-REQs (no pre-authentication, RC4 alone,
// a client name), KRB-ERROR 6 and 25.
func TestKerberosParse(t *testing.T) {
	msgs := stagedPayloads(t, "kerberos-asrep-roast-getnpusers-impacket.pcap", func(p *capture.Packet) bool {
		return p.Has&capture.HasTCP != 0 && (p.TCP.SrcPort == krbPort || p.TCP.DstPort == krbPort) && len(p.TCP.Payload) > 0
	})
	counts := map[[2]int32]int{}
	names := map[uint64]bool{}
	for _, b := range msgs {
		m, ok := parseKerberos(krbPayload(b, true))
		if !ok {
			continue
		}
		counts[[2]int32{int32(m.kind), m.code}]++
		if m.kind == krbASReq {
			if m.preauth || !m.rc4Only || m.name == 0 {
				t.Errorf("AS-REQ read as %+v, want no pre-authentication, RC4 alone, a name", m)
			}
			names[m.name] = true
		}
	}
	if counts[[2]int32{krbASReq, 0}] != 31 || counts[[2]int32{krbError, 6}] != 26 || counts[[2]int32{krbError, 25}] != 5 || len(names) != 30 {
		t.Errorf("read %v, %d names; want 31 AS-REQs for 30 names, 26 errors 6, 5 errors 25", counts, len(names))
	}
	if n := testing.AllocsPerRun(50, func() { parseKerberos(krbPayload(msgs[0], true)) }); n != 0 {
		t.Errorf("parseKerberos allocates %v times", n)
	}
	// The ordinary logon's second AS-REQ carries PA-ENC-TIMESTAMP; its
	// TGS-REQ lists AES beside RC4.
	var pre, tgs int
	for _, b := range stagedPayloads(t, "kerberos-gettgt-getst-one-spn-impacket.pcap", func(p *capture.Packet) bool {
		return p.Has&capture.HasTCP != 0 && p.TCP.DstPort == krbPort && len(p.TCP.Payload) > 0
	}) {
		m, ok := parseKerberos(krbPayload(b, true))
		switch {
		case ok && m.kind == krbASReq && m.preauth:
			pre++
		case ok && m.kind == krbTGSReq && !m.rc4Only && m.name != 0:
			tgs++
		}
	}
	if pre != 1 || tgs != 1 {
		t.Errorf("logon: %d AS-REQs with pre-authentication, %d TGS-REQs not RC4 alone; want 1 and 1", pre, tgs)
	}
}

// TestDERElem checks the reader's bounds: a primitive element longer than
// what is present is refused, a constructed one cut; a four-byte length
// that overflows is refused for a primitive element.
func TestDERElem(t *testing.T) {
	if _, _, _, ok := derElem([]byte{0x02, 0x05, 1, 2}); ok {
		t.Error("a cut INTEGER was read")
	}
	if tag, body, _, ok := derElem([]byte{0x30, 0x84, 0x00, 0x00, 0x01, 0x00, 0x02, 0x01}); !ok || tag != 0x30 || len(body) != 2 {
		t.Errorf("a cut SEQUENCE: %v %x", ok, body)
	}
	if _, _, _, ok := derElem([]byte{0x04, 0x84, 0xff, 0xff, 0xff, 0xff, 0}); ok {
		t.Error("an OCTET STRING of 4 GB was read")
	}
	if _, _, _, ok := derElem([]byte{0x1f, 0x01, 0x00}); ok {
		t.Error("a high tag number was read")
	}
	if _, ok := derInt([]byte{0x02, 0x05, 1, 2, 3, 4, 5}); ok {
		t.Error("a five-byte INTEGER was read as an int32")
	}
}

// TestKerberosStaged: impacket's spraying and AS-REP roasting against a
// Samba DC are brute_force High on the attacker; one ordinary logon
// raises no brute_force.
func TestKerberosStaged(t *testing.T) {
	for _, name := range []string{"kerberos-spray-gettgt-impacket.pcap", "kerberos-asrep-roast-getnpusers-impacket.pcap"} {
		var found bool
		for _, ev := range stagedEvents(t, name) {
			if ev.Type == inventory.EventBruteForce && ev.Severity == inventory.SeverityHigh &&
				ev.MAC.String() == "b8:27:eb:00:00:66" && ev.TargetIP.String() == "10.37.1.40" && strings.Contains(ev.Summary, "Kerberos") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no brute_force High against Kerberos from .66", name)
		}
	}
	// The logon alone is nothing; its one TGS-REQ asking RC4 first while
	// the logon asked AES is kerberoasting (labels.jsonl says so).
	for _, ev := range stagedEvents(t, "kerberos-gettgt-getst-one-spn-impacket.pcap") {
		if ev.Severity.Rank() > inventory.SeverityInfo.Rank() && ev.Type != inventory.EventADAttack {
			t.Errorf("an ordinary logon raised %s %s: %s", ev.Type, ev.Severity, ev.Summary)
		}
	}
}

// TestLDAPBindFailed reads BindResponses: OpenLDAP's invalidCredentials
// from hydra's spray (one-byte lengths), Active Directory's four-byte
// lengths, and the protocolError slapd answers an LDAPv2 bind with (review
// 37a's spray_ldap: no failed login).
func TestLDAPBindFailed(t *testing.T) {
	var n int
	for _, b := range stagedPayloads(t, "brute-force-ldap-spray-hydra.pcap", func(p *capture.Packet) bool {
		return p.Has&capture.HasTCP != 0 && p.TCP.SrcPort == 389 && len(p.TCP.Payload) > 0
	}) {
		if ldapBindResult(b) == 49 {
			n++
		}
	}
	if n != 30 {
		t.Errorf("%d bind failures read in hydra's spray, want 30", n)
	}
	ad := []byte("\x30\x84\x00\x00\x00\x10\x02\x01\x01\x61\x84\x00\x00\x00\x07\x0a\x01\x31\x04\x00\x04\x00")
	v2 := []byte("\x30\x45\x02\x01\x01\x61\x40\x0a\x01\x02\x04\x00\x04\x39historical protocol version requested, use LDAPv3 instead")
	ok := []byte("\x30\x0c\x02\x01\x01\x61\x07\x0a\x01\x00\x04\x00\x04\x00")
	if ldapBindResult(ad) != 49 || ldapBindResult(v2) != 2 || ldapBindResult(ok) != 0 {
		t.Errorf("AD failure %d, protocolError %d, success %d; want 49, 2, 0", ldapBindResult(ad), ldapBindResult(v2), ldapBindResult(ok))
	}
	if proto, failed := loginFailure(389, ad); proto != "LDAP" || !failed {
		t.Errorf("loginFailure(389, AD's invalidCredentials) = %q, %v", proto, failed)
	}
	for _, ev := range stagedEvents(t, "benign-ldap-binds-ldapwhoami.pcap") {
		if ev.Type == inventory.EventBruteForce {
			t.Errorf("eight binds, one mistyped, raised %s", ev.Summary)
		}
	}
}

// TestSNMPSetAccepted: writes net-snmp's agent accepted (a default and a
// custom community) are insecure_protocol High naming agent and writer,
// the communities nowhere in the event; reads and a refused write are not.
func TestSNMPSetAccepted(t *testing.T) {
	var high int
	for _, ev := range stagedEvents(t, "snmp-set-accepted-snmpset.pcap") {
		text := ev.Summary
		for _, e := range ev.Evidence {
			text += e.Detail
		}
		if strings.Contains(text, "n3tw0rk37") {
			t.Errorf("the write community printed: %s", text)
		}
		if ev.Type == inventory.EventInsecureProtocol && ev.Severity == inventory.SeverityHigh && ev.MAC.String() == "00:11:32:00:03:30" &&
			ev.TargetMAC.String() == "b8:27:eb:00:03:66" && strings.Contains(ev.Summary, "write accepted") {
			high++
		}
	}
	if high != 1 {
		t.Errorf("%d accepted-write events, want 1", high)
	}
	for _, ev := range stagedEvents(t, "benign-snmp-reads-refused-set-netsnmp.pcap") {
		if ev.Severity.Rank() > inventory.SeverityMedium.Rank() || strings.Contains(ev.Summary, "write") {
			t.Errorf("reads and a refused write raised %s %s: %s", ev.Type, ev.Severity, ev.Summary)
		}
	}
	req := stagedPayloads(t, "snmp-set-accepted-snmpset.pcap", func(p *capture.Packet) bool {
		return p.Has&capture.HasUDP != 0 && p.UDP.DstPort == 161
	})
	if tag, _, _, _, ok := snmpPDU(req[0]); !ok || tag != 0xa3 {
		t.Fatalf("the first request read as %x, %v; want a SetRequest", tag, ok)
	}
	if n := testing.AllocsPerRun(50, func() { snmpPDU(req[0]) }); n != 0 {
		t.Errorf("snmpPDU allocates %v times", n)
	}
}

// FuzzKerberosLDAPSNMP runs the three readers of untrusted bytes over any
// input: they must not panic nor read past it.
func FuzzKerberosLDAPSNMP(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x10\x6a\x0e\x30\x0c\xa1\x03\x02\x01\x05\xa2\x03\x02\x01\x0a"))
	f.Add([]byte("\x7e\x0a\x30\x08\xa6\x03\x02\x01\x06\xa0\x01\x00"))
	f.Add([]byte("\x30\x84\x00\x00\x00\x10\x02\x01\x01\x61\x84\x00\x00\x00\x07\x0a\x01\x31\x04\x00\x04\x00"))
	f.Add([]byte("\x30\x1a\x02\x01\x01\x04\x07private\xa3\x0c\x02\x02\x12\x34\x02\x01\x00\x02\x01\x00\x30\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		parseKerberos(krbPayload(b, true))
		parseKerberos(krbPayload(b, false))
		ldapBindResult(b)
		snmpPDU(b)
		if m, ok := parseKerberos(b); ok {
			krbNameText(m.sname) // det39a: the service's name as text
		}
		if dn := ldapBindDN(b); len(dn) > len(b) {
			t.Fatalf("a DN of %d bytes read from %d", len(dn), len(b))
		}
	})
}

// der builds one DER element of short length (test messages are small).
func der(tag byte, parts ...[]byte) []byte {
	var body []byte
	for _, p := range parts {
		body = append(body, p...)
	}
	return append([]byte{tag, byte(len(body))}, body...)
}

// tgsReq is a TGS-REQ (RFC 4120 5.4.1) for the service MSSQLSvc/host
// listing etypes, without padata (the reader skips the AP-REQ).
func tgsReq(host string, etypes ...byte) []byte {
	var et [][]byte
	for _, e := range etypes {
		et = append(et, der(0x02, []byte{e}))
	}
	sname := der(0x30, der(0xa0, der(0x02, []byte{2})), der(0xa1, der(0x30, der(0x1b, []byte("MSSQLSvc")), der(0x1b, []byte(host)))))
	body := der(0x30, der(0xa0, der(0x03, []byte{0, 0x40, 0x81, 0, 0x10})), der(0xa2, der(0x1b, []byte("LAB.LAN"))),
		der(0xa3, sname), der(0xa7, der(0x02, []byte{1})), der(0xa8, der(0x30, et...)))
	return der(0x6c, der(0x30, der(0xa1, der(0x02, []byte{5})), der(0xa2, der(0x02, []byte{12})), der(0xa4, body)))
}

// TestKerberoasting: service tickets for 3 services asked with RC4 alone
// (GetUserSPNs, Rubeus) are ad_attack High naming them; a client listing AES first,
// as Windows and MIT do, for as many is nothing.
func TestKerberoasting(t *testing.T) {
	for _, c := range []struct {
		etypes []byte
		want   int
	}{{[]byte{23}, 1}, {[]byte{18, 17, 23}, 0}} {
		r := newRig(t, Config{})
		at := t0
		for i, host := range []string{"sql1", "sql2", "web1", "sql1"} {
			at = at.Add(time.Second)
			r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", uint16(50000+i), nasMAC, "10.0.0.30", krbPort, tgsReq(host, c.etypes...)))
		}
		var got int
		for _, ev := range r.of(inventory.EventADAttack) {
			if ev.Severity == inventory.SeverityHigh && strings.Contains(ev.Summary, "MSSQLSvc/sql1, MSSQLSvc/sql2, MSSQLSvc/web1") {
				got++
			}
		}
		if got != c.want {
			t.Errorf("etypes %v: %d kerberoasting events, want %d: %+v", c.etypes, got, c.want, r.events)
		}
	}
}
