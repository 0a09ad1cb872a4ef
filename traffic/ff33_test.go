package traffic

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestSNMPTrapStormPerManager: twelve agents sending v2c traps with the
// default community to one manager's 162 within a second (review 33a s11,
// a trap storm after a power event) are one insecure_protocol on the
// manager counting and listing the agents, not twelve; the community is
// only named as the default. One agent's traps stay the pair's event, on
// the agent. Checked to fail without snmptraps.go (12 events).
func TestSNMPTrapStormPerManager(t *testing.T) {
	trap := []byte{0x30, 0x0d, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa7, 0x00}
	r := newRig(t, Config{})
	at := t0
	for round := range 3 {
		for i := range 12 {
			agent := hw(fmt.Sprintf("02:33:0a:00:01:%02x", i))
			r.feed(at, udpFrame(t, agent, fmt.Sprintf("10.0.0.%d", 100+i), uint16(40000+round*12+i), pcMAC, "10.0.0.10", 162, trap))
			at = at.Add(20 * time.Millisecond)
		}
	}
	evs := r.of(inventory.EventInsecureProtocol)
	if len(evs) != 1 || evs[0].MAC.String() != pcMAC.String() || evs[0].TargetIP.IsValid() || evs[0].Severity != inventory.SeverityMedium {
		t.Fatalf("trap storm of 12 agents: want one medium insecure_protocol on the manager %s, got %d: %+v", pcMAC, len(evs), evs)
	}
	if s := evs[0].Summary; !strings.Contains(s, "from 12 agents") || !strings.Contains(s, "port 162") {
		t.Errorf("summary %q lacks the agents counted or the manager's port", s)
	}
	if d := evs[0].Evidence[0].Detail; !strings.Contains(d, "10.0.0.100") || !strings.Contains(d, "4 more") || !strings.Contains(d, `default community "public"`) {
		t.Errorf("evidence %q lacks the agents listed or the default community", d)
	}
	r = newRig(t, Config{})
	r.feed(t0, udpFrame(t, nasMAC, "10.0.0.30", 36100, pcMAC, "10.0.0.10", 162, trap))
	r.feed(t0.Add(time.Second), udpFrame(t, nasMAC, "10.0.0.30", 36101, pcMAC, "10.0.0.10", 162, trap))
	ev := wantOne(t, r, inventory.EventInsecureProtocol, nasMAC.String(), "10.0.0.30")
	if ev.TargetIP.String() != "10.0.0.10" || !strings.Contains(ev.Summary, "(agent, traps to port 162)") {
		t.Errorf("one agent's traps: %+v, want the pair's event naming the manager as target", ev)
	}
}
