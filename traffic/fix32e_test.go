package traffic

import (
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// The monitoring server's two rounds of fping -g and snmpget (review 32a,
// staged), 100 s apart.
const nmsCapture = "nms-fping-snmpget-2rounds.pcap"

func nmsEvents(t *testing.T, cfg Config) []inventory.Event {
	t.Helper()
	cfg.Gateway = netip.MustParseAddr("10.32.0.1")
	var out []inventory.Event
	for _, ev := range replayFile(t, filepath.Join("testdata", "staged", nmsCapture), cfg) {
		if ev.Type == inventory.EventHostSweep || ev.Type == inventory.EventPortScan {
			out = append(out, ev)
		}
	}
	return out
}

// TestKnownScannerSweepIsInfo: the declared monitoring server's sweep is
// raised at info quoting the setting; by its MAC or by a prefix holding
// its address, not by a prefix that misses it. (Fails without
// knownscanner.go: High in every case.)
func TestKnownScannerSweepIsInfo(t *testing.T) {
	for _, c := range []struct {
		setting string
		info    bool
	}{{"00:1b:21:32:00:14", true}, {"10.32.0.14", true}, {"10.32.0.0/28", true}, {"10.32.0.16/28", false}, {"00:1b:21:32:00:16", false}} {
		k, err := ParseKnownScanner(c.setting)
		if err != nil {
			t.Fatal(err)
		}
		evs := nmsEvents(t, Config{KnownScanners: []KnownScanner{k}})
		if len(evs) != 1 || evs[0].MAC.String() != "00:1b:21:32:00:14" {
			t.Fatalf("%s: want the one sweep of 00:1b:21:32:00:14, got %v", c.setting, evs)
		}
		ev := evs[0]
		quoted := slices.ContainsFunc(ev.Evidence, func(e inventory.Evidence) bool {
			return e.Detail == "declared scanner (setting known-scanner = "+c.setting+")"
		})
		if c.info != (ev.Severity == inventory.SeverityInfo) || c.info != quoted {
			t.Errorf("%s: %s, evidence %v; want info %v", c.setting, ev.Severity, ev.Evidence, c.info)
		}
	}
}

// TestKnownScannerOnlyScans: a declared scanner's ARP spoofing, floods and
// login guessing are judged as anyone's; its SNMP community guessing is
// its trade. (The SNMP case fails without knownscanner.go.)
func TestKnownScannerOnlyScans(t *testing.T) {
	k, _ := ParseKnownScanner("10.32.0.14")
	e := New(Config{KnownScanners: []KnownScanner{k}}, nil)
	who := netip.MustParseAddr("10.32.0.14")
	target := netip.MustParseAddr("10.32.0.20")
	for _, c := range []struct {
		ev   inventory.Event
		info bool
	}{
		{inventory.Event{Type: inventory.EventARPSpoof, IP: who}, false},
		{inventory.Event{Type: inventory.EventFlood, IP: who, TargetIP: target}, false},
		{inventory.Event{Type: inventory.EventBruteForce, IP: who, TargetIP: target, Evidence: []inventory.Evidence{{Detail: "14 failed logins (SSH) from 10.32.0.14 to 10.32.0.20 port 22"}}}, false},
		{inventory.Event{Type: inventory.EventBruteForce, IP: who, TargetIP: target, Evidence: []inventory.Evidence{{Detail: "12 different SNMP communities from 10.32.0.14 to 10.32.0.20 port 161"}}}, true},
		{inventory.Event{Type: inventory.EventPortScan, IP: who}, true},
		{inventory.Event{Type: inventory.EventHostSweep, IP: netip.MustParseAddr("10.32.0.15")}, false},
	} {
		ev := c.ev
		ev.Severity = inventory.SeverityHigh
		if e.declare(&ev) != c.info || (ev.Severity == inventory.SeverityInfo) != c.info {
			t.Errorf("%s %v: %s; want info %v", ev.Type, ev.Evidence, ev.Severity, c.info)
		}
	}
}

// TestRecurringSweepFolded: with a cooldown shorter than the poller's
// period, its second round is folded into the incident at info with the
// count of rounds, not a second High. (Fails without recurscan.go: two
// Highs.)
func TestRecurringSweepFolded(t *testing.T) {
	evs := nmsEvents(t, Config{Cooldown: time.Minute})
	if len(evs) != 2 {
		t.Fatalf("want the High and its continuation, got %d: %v", len(evs), evs)
	}
	if evs[0].Severity != inventory.SeverityHigh || evs[1].Severity != inventory.SeverityInfo {
		t.Fatalf("severities %s, %s; want high then info", evs[0].Severity, evs[1].Severity)
	}
	last := evs[1].Evidence[len(evs[1].Evidence)-1].Detail
	if !strings.Contains(evs[1].Summary, "continues: round 2") || !strings.HasPrefix(last, "one incident: 2 rounds from this source between 2026-12-06T19:06:10Z and 2026-12-06T19:08:03Z, none beyond") {
		t.Errorf("continuation %q, evidence %q", evs[1].Summary, last)
	}
}

// recurEv is a sweep of n hosts of net from src at t, as raiseRecurring
// is handed it.
func recurRaise(e *Engine, src mac, t time.Time, prefix string, n int) {
	var hosts []netip.Addr
	a := netip.MustParseAddr(prefix)
	for range n {
		a = a.Next()
		hosts = append(hosts, a)
	}
	ev := inventory.Event{Time: t, Type: inventory.EventHostSweep, Severity: inventory.SeverityHigh, MAC: macOf(src), Summary: "sweep"}
	e.raiseRecurring(newQuietKey(ev.Type, src, mac{}, netip.Addr{}), ev, src, n, 0, slices.Values(hosts))
}

// TestRecurringSweepReachesFurther: within a day the same source's rounds
// are one incident; a round into another /24, one of four times the hosts,
// another source, and a round a day after the raise are raised again.
// (Fails without recurscan.go: every round High.)
func TestRecurringSweepReachesFurther(t *testing.T) {
	var evs []inventory.Event
	e := New(Config{Cooldown: time.Minute}, func(ev inventory.Event) { evs = append(evs, ev) })
	a, b := mac{2, 0, 0, 0, 0, 1}, mac{2, 0, 0, 0, 0, 2}
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	recurRaise(e, a, t0, "10.0.0.0", 30)                     // high
	recurRaise(e, a, t0.Add(5*time.Minute), "10.0.0.0", 100) // info: same /24, 3.3x
	recurRaise(e, b, t0.Add(6*time.Minute), "10.0.0.0", 30)  // high: another source
	recurRaise(e, a, t0.Add(time.Hour), "10.0.1.0", 30)      // high: a new /24
	recurRaise(e, a, t0.Add(2*time.Hour), "10.0.0.0", 30)    // info: within the raised round's /24s
	recurRaise(e, a, t0.Add(3*time.Hour), "10.0.0.0", 120)   // high: four times the hosts
	recurRaise(e, a, t0.Add(28*time.Hour), "10.0.0.0", 120)  // high: a day after the raise
	e.Flush()                                                // a raised sweep is held for its services (sweepsvc.go): in the order of their times
	slices.SortStableFunc(evs, func(a, b inventory.Event) int { return a.Time.Compare(b.Time) })
	var got []inventory.Severity
	for _, ev := range evs {
		got = append(got, ev.Severity)
	}
	h, i := inventory.SeverityHigh, inventory.SeverityInfo
	if want := []inventory.Severity{h, i, h, h, i, h, h}; !slices.Equal(got, want) {
		t.Errorf("severities %v, want %v", got, want)
	}
}
