package traffic

import (
	"fmt"
	"testing"
	"time"

	"tend/inventory"
)

// TestSilentScanThroughSYNFlood: a SYN flood from forged sources (one SYN
// each, 600 in the 12 s between two of the scanner's) to the NAS takes no slot of
// the unanswered-SYN table: a pair's first port waits in its "seen once"
// filter. The scanner walking 14 filtered ports 15 s apart keeps its
// slot and is raised; before, each forged SYN made a slot and the flood
// evicted the scanner's.
func TestSilentScanThroughSYNFlood(t *testing.T) {
	r := silentRig(t)
	for i := 0; i < 14; i++ {
		at := t0.Add(time.Duration(i) * 15 * time.Second)
		silentSYNs(t, r, at, evilMAC, "10.0.0.66", 40000, uint16(20+i*7))
		for j := 0; j < 600; j++ {
			ip := fmt.Sprintf("172.%d.%d.%d", 16+i, j>>8, j&0xff)
			r.feed(at.Add(2*time.Second+time.Duration(j)*20*time.Millisecond), tcpFrame(t, gwMAC, ip, uint16(1024+j), nasMAC, "10.0.0.30", 80, tcpFlags{syn: true}, nil))
		}
	}
	for _, ev := range r.of(inventory.EventPortScan) {
		if ev.IP.String() == "10.0.0.66" {
			return
		}
	}
	t.Errorf("a slow scan of 14 filtered ports through a SYN flood: no port_scan of 10.0.0.66 (%+v)", r.of(inventory.EventPortScan))
}
