package lifecycle

import (
	"testing"
	"time"

	"tend/inventory"
)

// TestRejudgeCached: Rejudge reports a change only when the verdict or age
// moves: the device's identity, the catalog or the day.
func TestRejudgeCached(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	j, err := NewCurrent(CurrentConfig{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	mac, _ := inventory.ParseMAC("00:0c:42:00:00:01")
	d := inventory.Device{MAC: mac, OS: "routeros", Firmware: "7.20.6", FirstSeen: now.AddDate(-1, 0, 0)}
	if !j.Rejudge(&d) || d.Lifecycle == nil || d.Lifecycle.Product == "" {
		t.Fatalf("first judgement: %+v", d.Lifecycle)
	}
	first := *d.Lifecycle
	if j.Rejudge(&d) {
		t.Error("the same device judged again reported a change")
	}
	d.Firmware = "6.49.10"
	if !j.Rejudge(&d) || d.Lifecycle.Cycle == first.Cycle {
		t.Errorf("new firmware: cycle %q, was %q", d.Lifecycle.Cycle, first.Cycle)
	}
	want := *d.Lifecycle
	fresh := d
	j.Catalog().Assess(&fresh, now)
	if fresh.Lifecycle.Status != want.Status || fresh.Lifecycle.Cycle != want.Cycle {
		t.Errorf("cached verdict %+v differs from Assess %+v", want, *fresh.Lifecycle)
	}
	now = now.AddDate(3, 0, 0)
	if !j.Rejudge(&d) {
		t.Error("three years on: no change (the age estimate at least moves)")
	}
}
