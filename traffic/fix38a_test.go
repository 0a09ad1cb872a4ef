package traffic

import (
	"context"
	"path/filepath"
	"testing"

	"tend/capture"
	"tend/inventory"
)

// TestKerberosLogonsWithoutPreauth: review 38's krb_mit, 30 users each
// kinit their own account on their own PC against an MIT KDC whose
// principals need no pre-authentication, then kvno three services. Every
// AS-REP answers a request without pre-authentication, and every TGT is
// used within a second (TGS-REPs): nothing. The same capture with the
// TGS-REPs taken out is 30 hashes asked for and never used: brute_force
// Medium on each PC, one account roasted.
func TestKerberosLogonsWithoutPreauth(t *testing.T) {
	const name = "benign-kerberos-mit-no-preauth-logons-kinit-kvno.pcap"
	for _, ev := range stagedEvents(t, name) {
		if ev.Severity.Rank() > inventory.SeverityInfo.Rank() {
			t.Errorf("30 logons raised %s %s: %s", ev.Type, ev.Severity, ev.Summary)
		}
	}
	var evs []inventory.Event
	e := New(Config{}, func(ev inventory.Event) { evs = append(evs, ev) })
	src, err := capture.OpenFile(filepath.Join("testdata", "staged", name))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var dropped int
	err = capture.Run(context.Background(), src, func(p *capture.Packet) {
		tcp := p.Has&capture.HasTCP != 0
		if (tcp && p.TCP.SrcPort == krbPort) || (p.Has&capture.HasUDP != 0 && p.UDP.SrcPort == krbPort) {
			if m, ok := parseKerberos(krbPayload(p.Payload(), tcp)); ok && m.kind == krbTGSRep {
				dropped++
				return
			}
		}
		e.Packet(p)
	})
	if err != nil {
		t.Fatal(err)
	}
	e.Flush()
	if dropped < 30 {
		t.Fatalf("%d TGS-REPs read, want 90", dropped)
	}
	var roasted int
	for _, ev := range evs {
		if ev.Type == inventory.EventBruteForce && ev.Severity == inventory.SeverityMedium && ev.TargetIP.String() == "192.168.38.10" {
			roasted++
		}
	}
	if roasted != 30 {
		t.Errorf("%d clients whose TGT went unused raised brute_force Medium, want 30", roasted)
	}
}

// TestDNSResolverServed: review 38's dns_wan, an office resolver (dnsmasq,
// forwarding) asked by 70 LAN clients at 85-130 queries a second, 98 %
// answered, then a 30-second WAN outage and the retries after it: no
// flood (the gate's carry and the resolver's upstream answers were
// counted as unanswered queries).
func TestDNSResolverServed(t *testing.T) {
	for _, ev := range stagedEvents(t, "benign-dns-resolver-70-clients-wan-outage-dnsperf.pcap.gz") {
		if ev.Severity.Rank() > inventory.SeverityInfo.Rank() {
			t.Errorf("a served resolver raised %s %s: %s", ev.Type, ev.Severity, ev.Summary)
		}
	}
}
