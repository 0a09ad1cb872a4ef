package traffic

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"tend/inventory"
)

// scanRaise is a port scan from src at t of ports ports on each of hosts,
// as raiseRecurring is handed it.
func scanRaise(e *Engine, src mac, t time.Time, ports int, hosts ...string) {
	var addrs []netip.Addr
	for _, h := range hosts {
		addrs = append(addrs, netip.MustParseAddr(h))
	}
	ev := inventory.Event{Time: t, Type: inventory.EventPortScan, Severity: inventory.SeverityHigh, MAC: macOf(src), Summary: "scan"}
	e.raiseRecurring(newQuietKey(ev.Type, src, mac{}, netip.Addr{}), ev, src, len(addrs), ports, slices.Values(addrs))
}

// TestRecurringScanNewHosts: review 32c E1, a 200-port scan of one host,
// then hours later 1000 ports on three other hosts of its /24: raised
// again (a new host is a new target, whatever its subnet). The same host
// rescanned is folded; four times the ports is raised again. (Fails
// without the check of the targets: the second scan folded to info.)
func TestRecurringScanNewHosts(t *testing.T) {
	var got []inventory.Severity
	e := New(Config{Cooldown: time.Minute}, func(ev inventory.Event) { got = append(got, ev.Severity) })
	a := mac{2, 0, 0, 0, 0, 1}
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	scanRaise(e, a, t0, 200, "10.32.0.10")                                               // high
	scanRaise(e, a, t0.Add(3*time.Hour), 1000, "10.32.0.11", "10.32.0.12", "10.32.0.13") // high: new hosts
	scanRaise(e, a, t0.Add(4*time.Hour), 300, "10.32.0.10", "10.32.0.12")                // info: hosts scanned before
	scanRaise(e, a, t0.Add(5*time.Hour), 4000, "10.32.0.10")                             // high: four times the ports
	h, i := inventory.SeverityHigh, inventory.SeverityInfo
	if want := []inventory.Severity{h, h, i, h}; !slices.Equal(got, want) {
		t.Errorf("severities %v, want %v", got, want)
	}
}
