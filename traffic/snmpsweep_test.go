package traffic

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestSNMPCommunitySweep: onesixtyone -c dict -i hosts (review 32b's
// onesixtyone-live.pcap) sends one word list to seven hosts; one runs an
// agent and answers, six answer each datagram ICMP port unreachable (RFC
// 792 3/3). One event for the sweep, naming the agent, the hosts counted;
// with no agent anywhere, one event at low.
func TestSNMPCommunitySweep(t *testing.T) {
	for _, agent := range []bool{true, false} {
		t.Run(fmt.Sprint("agent=", agent), func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range 30 {
				for h := range 7 {
					ip, m := fmt.Sprintf("10.0.0.%d", 30+h), hw(fmt.Sprintf("02:00:00:00:01:%02x", h))
					if h == 0 {
						m = nasMAC
					}
					cport := uint16(40000 + i)
					when := at.Add(time.Duration(i*7+h) * 10 * time.Millisecond)
					r.feed(when, udpFrame(t, evilMAC, "10.0.0.66", cport, m, ip, 161, snmpGet(fmt.Sprintf("w%d", i))))
					if h == 0 && agent && i == 3 {
						r.feed(when.Add(time.Millisecond), udpFrame(t, m, ip, 161, evilMAC, "10.0.0.66", cport, snmpGet("w3")))
					} else if h > 0 || !agent {
						r.feed(when.Add(time.Millisecond), portUnreachableFrom(t, m, ip, evilMAC, "10.0.0.66", cport, 161))
					}
				}
			}
			r.e.Tick(at.Add(3 * time.Minute))
			evs := r.of(inventory.EventBruteForce)
			if len(evs) != 1 {
				t.Fatalf("want one brute_force for the sweep, got %d: %+v", len(evs), evs)
			}
			ev := evs[0]
			want := map[bool]inventory.Severity{true: inventory.SeverityHigh, false: inventory.SeverityLow}[agent]
			if ev.Severity != want || ev.TargetIP.String() != "10.0.0.30" || !strings.Contains(ev.Summary, "a sweep of 7 hosts") ||
				!strings.Contains(fmt.Sprint(ev.Evidence), "no agent (ICMP port unreachable) on 10.0.0.31") {
				t.Errorf("event %+v, want %s on 10.0.0.30, the sweep of 7 hosts in evidence", ev, want)
			}
		})
	}
}
