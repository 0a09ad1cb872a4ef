package findings

import (
	"testing"
	"time"

	"tend/inventory"
)

// TestHistoryPrevious: the previous reading is the one before the latest
// distinct reading, and it holds steady while the same reading is seen again.
func TestHistoryPrevious(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	m, _ := inventory.ParseMAC("00:1b:54:00:00:01")
	at := func(min int, uptime time.Duration) []inventory.Device {
		return []inventory.Device{{MAC: m, LastSeen: t0.Add(time.Duration(min) * time.Minute), Vendor: "Dell",
			SNMP: &inventory.SNMPSystem{Uptime: uptime, SysDescr: "a long banner"}, Health: &inventory.Health{}}}
	}
	var h History
	if p := h.Previous(at(0, time.Hour), t0); p != nil {
		t.Fatalf("first reading: previous %+v, want none", p)
	}
	p := h.Previous(at(5, time.Hour+5*time.Minute), t0.Add(5*time.Minute))
	if p == nil || len(p.Devices) != 1 || p.Devices[0].SNMP.Uptime != time.Hour || !p.Time.Equal(t0) {
		t.Fatalf("second reading: previous %+v, want the first", p)
	}
	// What the rate rules read is kept, the rest of the record is not.
	if d := p.Devices[0]; d.MAC.String() != m.String() || d.Health == nil || d.Vendor != "" || d.SNMP.SysDescr != "" {
		t.Errorf("previous reading %+v: want MAC, LastSeen, uptime and Health only", d)
	}
	p = h.Previous(at(6, time.Hour+5*time.Minute), t0.Add(6*time.Minute))
	if p == nil || p.Devices[0].SNMP.Uptime != time.Hour {
		t.Errorf("the same reading again: previous %+v, want still the first", p)
	}
	if p := h.Previous(nil, t0.Add(7*time.Minute)); p != nil {
		t.Errorf("device gone: previous %+v", p)
	}
}
