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

// TestRecurringRoutedScanners: two scanners behind the gateway (one MAC
// carries both) sweeping the same /24 an hour apart are two incidents, and
// so are two public sources; each one's next round is folded, and a LAN
// host's rounds from a new address stay one incident. (Fails without
// recurKeyOf: the second routed scanner folded to info.)
func TestRecurringRoutedScanners(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1"), Cooldown: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	var got []inventory.Severity
	r.e.emit = func(ev inventory.Event) { got = append(got, ev.Severity) }
	gw, host := mac(gwMAC), mac(pcMAC)
	sweep := func(src mac, from string, d time.Duration) {
		ev := inventory.Event{Time: at.Add(d), Type: inventory.EventHostSweep, Severity: inventory.SeverityHigh, MAC: macOf(src), IP: netip.MustParseAddr(from), Summary: "sweep"}
		var hosts []netip.Addr
		for i := range 30 {
			hosts = append(hosts, netip.AddrFrom4([4]byte{10, 0, 0, byte(20 + i)}))
		}
		r.e.raiseRecurring(newQuietKey(ev.Type, src, mac{}, netip.Addr{}), ev, src, len(hosts), 0, slices.Values(hosts))
		flushHeld(r.e, &r.e.sweepsHeld, r.e.nanos(ev.Time.Add(sweepSvcGather)), false) // sweepsvc.go: raised sweeps are held for their services
	}
	sweep(gw, "10.9.0.5", 0)                        // high
	sweep(gw, "10.9.0.6", time.Hour)                // high: another scanner behind the router
	sweep(gw, "10.9.0.5", 2*time.Hour)              // info: the first one's next round
	sweep(gw, "198.51.100.7", 3*time.Hour)          // high: a public source
	sweep(host, "10.0.0.10", 4*time.Hour)           // high
	sweep(host, "10.0.0.11", 5*time.Hour)           // info: the same LAN host, a new address
	sweep(gw, "198.51.100.7", 6*time.Hour)          // info
	sweep(mac(evilMAC), "203.0.113.9", 7*time.Hour) // high
	h, i := inventory.SeverityHigh, inventory.SeverityInfo
	if want := []inventory.Severity{h, h, i, h, h, i, i, h}; !slices.Equal(got, want) {
		t.Errorf("severities %v, want %v", got, want)
	}
}
