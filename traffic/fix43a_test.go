package traffic

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestRedirectFloodOneIncident (review 43 P1, atk6-flood_redir6): 3,000
// redirects under the router's address to one host, each naming a new
// random first hop, in frames carrying the host's own MAC to a group MAC,
// are one nd_spoof High by that MAC with the counts, not one per forged
// first hop.
func TestRedirectFloodOneIncident(t *testing.T) {
	r := newRig(t, Config{})
	r.baseline(t0, 20*time.Second)
	// The victim is known on the link by ND (its neighbour advertisement).
	r.feed(t0.Add(20*time.Second), icmp6Frame(t, pcMAC, "fd88:8::10", gwMAC, "fd88:8::1", 136, naBody(false, true, "fd88:8::10", pcMAC)))
	at := t0.Add(21 * time.Second)
	for i := range 3000 {
		via := net.HardwareAddr{0, 2, byte(i >> 8), byte(i), 0xa8, 0x0c}
		r.feed(at.Add(time.Duration(i)*40*time.Microsecond), icmp6Frame(t, pcMAC, "fd88:8::1", hw("33:33:00:00:00:10"), "fd88:8::10", 137,
			redirectBody(fmt.Sprintf("fe80::%x:2", i+1), fmt.Sprintf("2004:%x::1", i+1), via)))
	}
	got := r.of(inventory.EventNDSpoof)
	if len(got) != 1 {
		t.Fatalf("%d nd_spoof events, want one incident: %+v", len(got), got[:min(3, len(got))])
	}
	ev := got[0]
	if ev.MAC.String() != pcMAC.String() || ev.Severity != inventory.SeverityHigh || ev.TargetIP.String() != "fd88:8::10" ||
		!strings.Contains(ev.Summary, "3000 redirects under fd88:8::1's address to fd88:8::10") || !strings.Contains(ev.Summary, "3000 first hops") {
		t.Fatalf("event: %s %s %s %s", ev.MAC, ev.Severity, ev.TargetIP, ev.Summary)
	}
	if c := r.e.Counters(); c.EventsDropped != 0 {
		t.Fatalf("%d events dropped", c.EventsDropped)
	}
}

// TestQuietTableFullOtherTypes (review 43 P1b): a full incident table
// refuses a new incident of the type that fills it (counted dropped) but
// makes room for another type's, by forgetting some of the first type's.
func TestQuietTableFullOtherTypes(t *testing.T) {
	r := newRig(t, Config{MaxTrackers: 64})
	at := t0
	for i := range 64 {
		if !r.e.reserve(quietKey{typ: inventory.EventNDSpoof, culprit: mac{2, 0, 0, 0, 0, byte(i)}}, at) {
			t.Fatalf("key %d refused below the cap", i)
		}
	}
	if r.e.reserve(quietKey{typ: inventory.EventNDSpoof, culprit: mac{2, 0, 0, 0, 1, 0}}, at) {
		t.Fatal("the type filling the table took a 65th slot")
	}
	for i := range 3 {
		if !r.e.reserve(quietKey{typ: inventory.EventPortScan, culprit: mac{2, 0, 0, 0, 2, byte(i)}}, at) {
			t.Fatalf("port_scan %d refused: one type's storm starves the others", i)
		}
	}
	if r.e.reserve(quietKey{typ: inventory.EventNDSpoof, culprit: mac{2, 0, 0, 0, 1, 1}}, at) {
		t.Fatal("the type filling the table took a slot after giving some")
	}
	c := r.e.Counters()
	if c.EventsDropped != 2 || c.EventsEvicted == 0 || len(r.e.quiet) > 64 {
		t.Fatalf("dropped %d (want 2), evicted %d, %d keys", c.EventsDropped, c.EventsEvicted, len(r.e.quiet))
	}
}

// rsFrame is atk6-flood_rs6's router solicitation from the attacker's own
// MAC and link-local address to ff02::1 with its source link-layer
// address option (review 43 P2).
func rsFrame(t testing.TB) []byte {
	return icmp6Frame(t, evilMAC, "fe80::ba27:ebff:fe00:66", hw("33:33:00:00:00:01"), "ff02::1", 133, append([]byte{0, 0, 0, 0, 1, 1}, evilMAC...))
}

// TestOneFrameFloodNoLoop (review 43 P2): one byte-identical router
// solicitation repeated 3,000 times in 100 ms by one MAC, no other frame
// repeating in that second, is that MAC's flood, High, not a switching loop naming it the
// victim; the same with another host's broadcast coming round beside it
// is a loop (TestSwitchingLoop).
func TestOneFrameFloodNoLoop(t *testing.T) {
	r := newRig(t, Config{})
	frame := rsFrame(t)
	for i := range 3000 {
		r.feed(t0.Add(time.Duration(i)*33*time.Microsecond), frame)
	}
	for i := range stormGate + 1 { // the flood goes on: its window closes
		r.feed(t0.Add(1100*time.Millisecond+time.Duration(i)*33*time.Microsecond), frame)
	}
	if l := r.of(inventory.EventSwitchingLoop); len(l) != 0 {
		t.Fatalf("one sender's repeated frame called a loop: %+v", l)
	}
	f := r.of(inventory.EventFlood)
	if len(f) != 1 || f[0].MAC.String() != evilMAC.String() || f[0].Severity != inventory.SeverityHigh || !strings.Contains(f[0].Summary, "RouterSolicitation") {
		t.Fatalf("flood: %+v", f)
	}
}
