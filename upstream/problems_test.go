package upstream

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestSummaryCarriesProblems: five devices answering a default community
// travel as one problem with its five devices named; a UPS on battery as
// its own; a resolved finding not at all. The key is stable from one
// summary to the next while devices join.
func TestSummaryCarriesProblems(t *testing.T) {
	t0 := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	in := Inputs{Snapshot: inventory.Snapshot{Time: t0}}
	add := func(i int, rule string, sev inventory.Severity, state inventory.FindingState) {
		mac := inventory.MAC{0, 0x11, 0x22, 0, 0, byte(i)}
		in.Snapshot.Devices = append(in.Snapshot.Devices, inventory.Device{MAC: mac, IP: netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}),
			Hostname: fmt.Sprintf("sw%d", i), FirstSeen: t0, LastSeen: t0})
		in.Findings = append(in.Findings, inventory.Finding{ID: fmt.Sprintf("%s-%d", rule, i), Rule: rule, Severity: sev, Device: mac.String(),
			Title: "one device", Action: "fix", FirstSeen: t0, LastSeen: t0, State: state})
	}
	for i := 1; i <= 5; i++ {
		add(i, "snmp_default_community", inventory.SeverityHigh, inventory.FindingOpen)
	}
	add(6, "ups_on_battery", inventory.SeverityCritical, inventory.FindingOpen)
	add(7, "snmp_default_community", inventory.SeverityHigh, inventory.FindingResolved)
	s, _ := buildSummary(stateView{box: "b"}, in, summaryMeta{site: "acme", now: t0, interval: time.Minute})
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(s.Actions) != 6 || len(s.Problems) != 2 {
		t.Fatalf("%d actions, %d problems (want 6 and 2): %+v", len(s.Actions), len(s.Problems), s.Problems)
	}
	ups, comm := s.Problems[0], s.Problems[1]
	if ups.Rule != "ups_on_battery" || ups.Count != 1 || comm.Count != 5 || len(comm.Devices) != 5 ||
		comm.Devices[0].Name != "sw1" || comm.Devices[0].IP != "10.0.0.1" || !strings.Contains(comm.Title, "on 5 devices") {
		t.Errorf("problems %+v", s.Problems)
	}
	in.Findings[6].State = inventory.FindingOpen // the seventh device joins
	s2, _ := buildSummary(stateView{box: "b", lastSeq: 1}, in, summaryMeta{site: "acme", now: t0.Add(time.Minute), interval: time.Minute})
	if s2.Problems[1].Key != comm.Key || s2.Problems[1].Count != 6 {
		t.Errorf("the problem's key moved or its devices did not grow: %+v then %+v", comm, s2.Problems[1])
	}
}
