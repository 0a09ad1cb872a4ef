package traffic

import (
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
)

// TestSecondDHCPLateTwin: the staged split-scope pair (dnsmasq on h128 and
// h129 beside the gateway's), re-timed so that h128 is first heard 57 s
// after the start (within dhcpPairEarly) and h129 6 s later (past it),
// while h128 is still held: h129's answers hand out what h128's last did
// (dhcpTwin on s.last), so it joins the second service (one Medium naming
// both) instead of being raised a rogue at High.
func TestSecondDHCPLateTwin(t *testing.T) {
	frames := stagedFrames(t, "dhcp-split-scope-pair-beside-gateway-dnsmasq.pcap")
	late := string([]byte{0x00, 0x50, 0x56, 0x00, 0x01, 0x81}) // h129
	gap := time.Date(2026, 12, 7, 11, 16, 13, 0, time.UTC)     // just before h128's first answer
	for i := range frames {
		if frames[i].Time.After(gap) {
			frames[i].Time = frames[i].Time.Add(36 * time.Second)
		}
		if len(frames[i].Data) > 12 && string(frames[i].Data[6:12]) == late {
			frames[i].Time = frames[i].Time.Add(6 * time.Second)
		}
	}
	slices.SortStableFunc(frames, func(a, b capture.Frame) int { return a.Time.Compare(b.Time) })
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.88.8.1")})
	for _, f := range frames {
		r.e.Packet(r.d.Decode(f))
	}
	evs := r.of(inventory.EventRogueDHCP)
	if len(evs) != 1 || evs[0].Severity != inventory.SeverityMedium || !strings.Contains(evs[0].Summary, "10.88.8.129") {
		for _, ev := range evs {
			t.Logf("%s %s %s: %s", ev.Severity, ev.MAC, ev.IP, ev.Summary)
		}
		t.Fatalf("rogue_dhcp: %d events, want one Medium second service naming 10.88.8.129", len(evs))
	}
}

// TestLDAPSprayRefused: hydra's ldap2 module binding 30 DNs, each bind
// refused with protocolError (slapd refuses LDAPv2), is brute_force High
// on the client; an application's one DN refused 25 times and an old
// client's one refused bind are none.
func TestLDAPSprayRefused(t *testing.T) {
	var n int
	for _, ev := range stagedEvents(t, "brute-force-ldap-spray-v2-refused-hydra.pcap") {
		if ev.Type == inventory.EventBruteForce && ev.Severity == inventory.SeverityHigh && ev.MAC.String() == "3c:52:82:00:39:11" &&
			strings.Contains(ev.Summary, "30 of them binds as different DNs") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d brute_force High on c1 naming 30 refused DNs, want 1", n)
	}
	for _, ev := range stagedEvents(t, "benign-ldap-v2-one-dn-refused-ldapsearch.pcap") {
		if ev.Type == inventory.EventBruteForce {
			t.Errorf("one DN refused again raised %s", ev.Summary)
		}
	}
}

// TestDNSLoadNoFlood: review 38's office resolver asked ~140 ordinary
// queries a second from 70 addresses, each query a flow of its own, is no
// flood (dnsLoad); the staged query floods and reflections stay raised
// (TestStagedCaptures).
func TestDNSLoadNoFlood(t *testing.T) {
	hy, err := NewDefaultHygiene() // as tend replay runs: its DNS reading on
	if err != nil {
		t.Fatal(err)
	}
	evs := replayFile(t, filepath.Join("testdata", "staged", "benign-dns-resolver-office-load-dnsperf-r38.pcap.gz"), Config{Gateway: netip.MustParseAddr("192.168.38.1"), Hygiene: hy})
	for _, ev := range evs {
		if ev.Severity.Rank() > inventory.SeverityInfo.Rank() {
			t.Errorf("an office resolver's load raised %s %s: %s", ev.Type, ev.Severity, ev.Summary)
		}
	}
}
