package traffic

import (
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// asReq is an AS-REQ (RFC 4120 5.4.1) for the user name listing etypes,
// without padata (a logon's first request).
func asReq(user string, etypes ...byte) []byte {
	var et [][]byte
	for _, e := range etypes {
		et = append(et, der(0x02, []byte{e}))
	}
	cname := der(0x30, der(0xa0, der(0x02, []byte{1})), der(0xa1, der(0x30, der(0x1b, []byte(user)))))
	body := der(0x30, der(0xa0, der(0x03, []byte{0, 0x40, 0x81, 0, 0x10})), der(0xa1, cname), der(0xa2, der(0x1b, []byte("LAB.LAN"))),
		der(0xa7, der(0x02, []byte{1})), der(0xa8, der(0x30, et...)))
	return der(0x6a, der(0x30, der(0xa1, der(0x02, []byte{5})), der(0xa2, der(0x02, []byte{10})), der(0xa4, body)))
}

// TestKerberoastTwoSPNs: review 43's GetUserSPNs against a domain of two
// service accounts logs on asking RC4 alone, then asks each account's
// ticket with 23, 16, 3, 23: a list its own logon contradicts, ad_attack
// High naming both. A client configured for RC4 alone asks its two
// services with RC4 alone, again and again: nothing; so is one service
// asked the tool's way, and two asked so by a client whose logon was not
// seen.
func TestKerberoastTwoSPNs(t *testing.T) {
	var got []string
	for _, ev := range stagedEvents(t, "kerberoast-2-spns-getuserspns-impacket-samba-dc.pcap") {
		if ev.Type == inventory.EventADAttack && ev.Severity == inventory.SeverityHigh && ev.MAC.String() == "b8:27:eb:00:00:66" {
			got = append(got, ev.Summary)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "svc_sql, svc_web") {
		t.Errorf("GetUserSPNs for 2 accounts: %q, want one ad_attack naming svc_sql, svc_web", got)
	}
	for _, name := range []string{"benign-legacy-app-rc4-service-tickets-2-spns-mit-kvno.pcap", "benign-nas-cloud-backup-300MB-night-python.pcap"} {
		for _, ev := range stagedEvents(t, name) {
			if ev.Severity != inventory.SeverityInfo {
				t.Errorf("%s: %s %s %s", name, ev.Type, ev.Severity, ev.Summary)
			}
		}
	}
	for _, c := range []struct {
		logon, tgs []byte // nil logon: none seen
		hosts      []string
		want       int
	}{
		{[]byte{23}, []byte{23, 16, 3, 23}, []string{"sql1", "web1"}, 1},
		{[]byte{23}, []byte{23, 16, 3, 23}, []string{"sql1", "sql1"}, 0},
		{[]byte{23}, []byte{23}, []string{"sql1", "web1", "sql1", "web1"}, 0},
		{nil, []byte{23, 16, 3, 23}, []string{"sql1", "web1"}, 0},
		{[]byte{23, 3, 1}, []byte{23, 3, 1}, []string{"sql1", "web1"}, 0}, // an old client's one list
	} {
		r := newRig(t, Config{})
		at := t0
		if c.logon != nil {
			r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 49999, nasMAC, "10.0.0.30", krbPort, asReq("alice", c.logon...)))
		}
		for i, host := range c.hosts {
			at = at.Add(time.Second)
			r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", uint16(50000+i), nasMAC, "10.0.0.30", krbPort, tgsReq(host, c.tgs...)))
		}
		if n := len(r.of(inventory.EventADAttack)); n != c.want {
			t.Errorf("logon %v, tickets %v for %v: %d ad_attack, want %d: %+v", c.logon, c.tgs, c.hosts, n, c.want, r.events)
		}
	}
}
