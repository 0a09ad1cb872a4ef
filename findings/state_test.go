package findings

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tend/inventory"
)

func finding(rule, device string, sev inventory.Severity, at time.Time) inventory.Finding {
	return inventory.Finding{ID: ID(rule, device), Rule: rule, Device: device, Severity: sev, Title: rule,
		State: inventory.FindingOpen, FirstSeen: at, LastSeen: at, Evidence: []inventory.Evidence{}}
}

func TestReconcile(t *testing.T) {
	t0, t1 := now.Add(-time.Hour), now
	byID := func(fs []inventory.Finding) map[string]inventory.Finding {
		m := map[string]inventory.Finding{}
		for _, f := range fs {
			m[f.ID] = f
		}
		return m
	}

	ack := finding(RuleUPSOnBattery, "a", inventory.SeverityCritical, t0)
	if err := Apply(&ack, Change{State: inventory.FindingAcknowledged, By: "alice", Note: "on it"}, t0); err != nil {
		t.Fatal(err)
	}
	snoozedOver := finding(RuleLongUptime, "b", inventory.SeverityLow, t0)
	_ = Apply(&snoozedOver, Change{State: inventory.FindingSnoozed, By: "bob", Until: t0.Add(30 * time.Minute)}, t0)
	snoozedOn := finding(RuleLongUptime, "c", inventory.SeverityLow, t0)
	_ = Apply(&snoozedOn, Change{State: inventory.FindingSnoozed, By: "bob", Until: t1.Add(24 * time.Hour)}, t0)
	cleared := finding(RuleDiskSpaceLow, "d", inventory.SeverityMedium, t0)
	back := finding(RuleScan, "e", inventory.SeverityHigh, t0)
	_ = Apply(&back, Change{State: inventory.FindingResolved, By: "alice"}, t0)

	stored := []inventory.Finding{ack, snoozedOver, snoozedOn, cleared, back}
	current := []inventory.Finding{
		finding(RuleUPSOnBattery, "a", inventory.SeverityCritical, t1),
		finding(RuleLongUptime, "b", inventory.SeverityLow, t1),
		finding(RuleLongUptime, "c", inventory.SeverityLow, t1),
		finding(RuleScan, "e", inventory.SeverityHigh, t1),
		finding(RuleSMBv1, "f", inventory.SeverityHigh, t1),
	}
	got := byID(Reconcile(stored, current, t1))
	if len(got) != 6 {
		t.Fatalf("%d findings, want 6", len(got))
	}
	type st struct {
		State     inventory.FindingState
		By        string
		FirstSeen time.Time
	}
	want := map[string]st{
		ack.ID:             {inventory.FindingAcknowledged, "alice", t0},
		snoozedOver.ID:     {inventory.FindingOpen, SystemActor, t0},
		snoozedOn.ID:       {inventory.FindingSnoozed, "bob", t0},
		cleared.ID:         {inventory.FindingResolved, SystemActor, t0},
		back.ID:            {inventory.FindingOpen, SystemActor, t0},
		ID(RuleSMBv1, "f"): {inventory.FindingOpen, "", t1},
	}
	for id, w := range want {
		f := got[id]
		if diff := cmp.Diff(w, st{f.State, f.StateBy, f.FirstSeen}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", id, diff)
		}
	}
	if got[cleared.ID].StateNote != "condition cleared" || got[ack.ID].StateNote != "on it" {
		t.Errorf("notes: %q, %q", got[cleared.ID].StateNote, got[ack.ID].StateNote)
	}
	if got[ack.ID].LastSeen != t1 {
		t.Errorf("last seen not refreshed: %v", got[ack.ID].LastSeen)
	}
}

func TestReconcileDropsOldResolved(t *testing.T) {
	old := finding(RuleScan, "a", inventory.SeverityHigh, now.Add(-365*24*time.Hour))
	_ = Apply(&old, Change{State: inventory.FindingResolved, By: "alice"}, now.Add(-200*24*time.Hour))
	recent := finding(RuleScan, "b", inventory.SeverityHigh, now.Add(-24*time.Hour))
	_ = Apply(&recent, Change{State: inventory.FindingResolved, By: "alice"}, now.Add(-time.Hour))
	got := Reconcile([]inventory.Finding{old, recent}, nil, now)
	if len(got) != 1 || got[0].ID != recent.ID {
		t.Errorf("kept %+v, want only the recently resolved one", got)
	}
}

func TestApplyRefusesBadChanges(t *testing.T) {
	f := finding(RuleScan, "a", inventory.SeverityHigh, now)
	for name, c := range map[string]Change{
		"no user":            {State: inventory.FindingAcknowledged},
		"snooze in the past": {State: inventory.FindingSnoozed, By: "a", Until: now.Add(-time.Hour)},
		"unknown state":      {State: "done", By: "a"},
		"huge note":          {State: inventory.FindingResolved, By: "a", Note: string(make([]byte, 2000))},
	} {
		if err := Apply(&f, c, now); !errors.Is(err, ErrBadChange) {
			t.Errorf("%s: err = %v, want ErrBadChange", name, err)
		}
	}
	if f.State != inventory.FindingOpen {
		t.Errorf("refused change altered state to %s", f.State)
	}
}

func TestScore(t *testing.T) {
	if h := Score(nil, now); h.Score != 100 || len(h.Components) != 5 {
		t.Fatalf("empty site: %+v", h)
	}
	fs := []inventory.Finding{
		finding(RuleARPSpoof, "a", inventory.SeverityCritical, now),
		finding(RuleLongUptime, "b", inventory.SeverityLow, now),
	}
	resolved := finding(RuleUPSOnBattery, "c", inventory.SeverityCritical, now)
	resolved.State = inventory.FindingResolved
	h := Score(append(fs, resolved), now)
	comp := map[Category]Component{}
	for _, c := range h.Components {
		comp[c.Category] = c
	}
	if comp[CategorySecurity].Score != 40 || comp[CategoryLifecycle].Score != 96 || comp[CategoryAvailability].Score != 100 {
		t.Errorf("components: %+v", h.Components)
	}
	// 0.30*40 + 0.25*100 + 0.20*100 + 0.15*96 + 0.10*100 = 81.4
	if h.Score != 81 {
		t.Errorf("score %d, want 81", h.Score)
	}
	many := []inventory.Finding{}
	for i := range 10 {
		many = append(many, finding(RuleRogueDHCP, string(rune('a'+i)), inventory.SeverityCritical, now))
	}
	if c := Score(many, now).Components[0]; c.Score != 0 || c.Findings != 10 {
		t.Errorf("floor at 0: %+v", c)
	}
}
