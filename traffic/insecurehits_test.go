package traffic

import (
	"fmt"
	"testing"
	"time"

	"tend/inventory"
)

// TestInsecureForgetsPastMaxTrackers: past MaxTrackers pairs the pairs
// reported are forgotten, and only the cooldown holds a repeat back; once
// it is over, a forgotten pair is raised again (reportInsecure's slots of
// recent keys are forgotten with the map: a stale one held the pair back
// for good).
func TestInsecureForgetsPastMaxTrackers(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, MaxTrackers: 2, Cooldown: time.Minute})
	telnet := func(at time.Time, i int) {
		cli := hw(fmt.Sprintf("3c:52:82:00:01:%02x", i))
		r.feed(at, tcpFrame(t, cli, fmt.Sprintf("10.0.0.%d", 100+i), 40000, nasMAC, "10.0.0.30", 23, tcpFlags{ack: true, psh: true}, []byte("\xff\xfd\x18")))
	}
	telnet(t0, 0)
	telnet(t0, 1)
	telnet(t0.Add(time.Second), 0) // reported: passed over
	telnet(t0.Add(time.Second), 1)
	if n := len(r.of(inventory.EventInsecureProtocol)); n != 2 {
		t.Fatalf("%d events, want 2 (one per client)", n)
	}
	// Past the cooldown: a third pair has the first two forgotten, and
	// client 0's next segment is its session's news again.
	telnet(t0.Add(3*time.Minute), 2)
	telnet(t0.Add(3*time.Minute), 0)
	evs := r.of(inventory.EventInsecureProtocol)
	if len(evs) != 4 {
		t.Fatalf("%d events, want 4: client 2, then client 0 again after the cooldown", len(evs))
	}
	if got := evs[3].TargetIP.String(); got != "10.0.0.100" {
		t.Errorf("the last event is about %s, want client 0 (10.0.0.100)", got)
	}
}
