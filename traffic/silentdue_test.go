package traffic

import (
	"testing"
	"time"

	"tend/inventory"
)

// TestSilentHeldRaisedOnTime: a burst's held report is raised at the first
// tick after its hold, not only when the replay ends (Flush), when the
// table was read empty at an earlier tick: expireSilent skips the ticks
// before the earliest hold's end (silentTable.due), which a new hold
// must move.
func TestSilentHeldRaisedOnTime(t *testing.T) {
	ports := []uint16{22, 25, 80, 110, 143, 443, 465, 587, 993, 995, 3306, 5432, 8080, 4190}
	r := silentRig(t)
	silentSYNs(t, r, t0, pcMAC, "10.0.0.10", 40000, 22) // the table, read empty at the next ticks
	for i, p := range ports {
		silentSYNs(t, r, t0.Add(3*time.Minute+time.Duration(i)*50*time.Millisecond), pcMAC, "10.0.0.11", uint16(41000+i), p)
	}
	for m := 4; m <= 3+int(slowHold/time.Minute)+4; m++ {
		r.feed(t0.Add(time.Duration(m)*time.Minute), garpFrame(t, gwMAC, "10.0.0.1"))
	}
	for _, ev := range r.events { // no Flush: raised by the ticks
		if ev.Type == inventory.EventPortScan && ev.IP.String() == "10.0.0.11" {
			return
		}
	}
	t.Errorf("a held burst of 14 filtered ports was not raised within %s after its hold: %+v", 4*time.Minute, r.events)
}
