package traffic

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestAnnouncerPausingBetweenBursts: a MAC with no address of its own that
// is handed the NAS's address (two gratuitous ARPs, a request 3 s later,
// the NAS quiet in ARP), and then every 45 s announces it twice and asks
// with it within a fraction of a second while the NAS goes on pinging
// between its bursts, is ARP spoofing by its second burst: the pause past
// rivalPause began no new run, as neither the undoing claim nor the
// owner's frames since the run began let it (base: nothing in 15 min).
// Also with the whole burst within 3 s (every burst handed over anew),
// and from a fresh MAC every burst, every 10 s or 45 s (base: nothing; a
// failover's cards do not take a live host's address in turn). A failover
// flapping back and over again stays quiet (TestFailover*,
// benign-nic-failover-flap.pcap).
func TestAnnouncerPausingBetweenBursts(t *testing.T) {
	for _, tc := range []struct {
		gap, period time.Duration
		rotate      bool
	}{{100 * time.Millisecond, 45 * time.Second, false}, {1500 * time.Millisecond, 45 * time.Second, false},
		{1500 * time.Millisecond, 10 * time.Second, true}, {1500 * time.Millisecond, 45 * time.Second, true}} {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		at := r.baseline(t0, 30*time.Second).Add(10 * time.Second)
		var fs []timed
		for c := range 20 {
			s := at.Add(time.Duration(c) * tc.period)
			g, m := tc.gap, evilMAC
			if c == 0 {
				g = 1500 * time.Millisecond
			}
			if tc.rotate {
				m = hw(fmt.Sprintf("02:00:00:00:04:%02x", c))
			}
			fs = append(fs, timed{s, garpFrame(t, m, "10.0.0.30")}, timed{s.Add(g), garpFrame(t, m, "10.0.0.30")},
				timed{s.Add(2 * g), arpFrame(t, layers.ARPRequest, m, "10.0.0.30", nil, "10.0.0.1")})
		}
		for _, x := range every(at.Add(5*time.Second), 10*time.Second, int(20*tc.period/(10*time.Second))) {
			fs = append(fs, timed{x, pingFrame(t, nasMAC, "10.0.0.30", gwMAC, "10.0.0.1", 56)})
		}
		play(r, fs)
		evs := r.of(inventory.EventARPSpoof)
		if len(evs) == 0 || evs[0].Time.After(at.Add(tc.period+time.Second)) {
			t.Errorf("burst gap %s every %s, fresh MACs %v: arp_spoof %+v, want by the second burst", tc.gap, tc.period, tc.rotate, evs)
		}
		if !tc.rotate && len(evs) != 1 {
			t.Errorf("burst gap %s: %d arp_spoof events, want 1", tc.gap, len(evs))
		}
		notNaming(t, r, nasMAC)
	}
}

// TestPortScanNotDatedFromALoneRefusal: one refused connection to the NAS
// 50 s before nmap probes 30 of its ports does not date the scan (base:
// "within 50.18s" from the refusal); neither do two refusals 20 s apart
// before it; ports probed 3 s apart (nmap --scan-delay 3s) stay one run
// from the first.
func TestPortScanNotDatedFromALoneRefusal(t *testing.T) {
	syn := tcpFlags{syn: true}
	for _, tc := range []struct {
		name   string
		before []time.Duration // refused ports before the scan at +50 s
		step   time.Duration
		within string
	}{
		{"one refusal 50 s before", []time.Duration{0}, 10 * time.Millisecond, "within 290ms"}, // to the last probe (fix35a: the incident's span)
		{"two refusals 20 s apart", []time.Duration{10 * time.Second, 30 * time.Second}, 10 * time.Millisecond, "within 290ms"},
		{"a probe every 3 s", nil, 3 * time.Second, "within 57s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			scan := t0.Add(50 * time.Second)
			if tc.step > time.Second {
				scan = t0
			}
			for i, d := range tc.before {
				r.feed(t0.Add(d), tcpFrame(t, pcMAC, "10.0.0.10", uint16(40000+i), nasMAC, "10.0.0.30", uint16(8000+i), syn, nil))
				r.feed(t0.Add(d+time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", uint16(8000+i), pcMAC, "10.0.0.10", uint16(40000+i), tcpFlags{rst: true, ack: true}, nil))
			}
			for p := range 30 {
				r.feed(scan.Add(time.Duration(p)*tc.step), tcpFrame(t, pcMAC, "10.0.0.10", 50000, nasMAC, "10.0.0.30", uint16(1+p), syn, nil))
			}
			if ev := wantOne(t, r, inventory.EventPortScan, pcMAC.String(), "10.0.0.10"); !strings.Contains(ev.Summary, tc.within) {
				t.Errorf("summary %q, want %s", ev.Summary, tc.within)
			}
		})
	}
}

// TestPortScanBurstsDatedFromTheFirst: a scan in bursts of filtered ports
// (SYNs unanswered) 15 s or more apart is dated from its first burst:
// three bursts of 7 ports 16 s apart read "within 32.06s" (to the last
// probe since fix35a; 32.05s to the 20th before it; base of this
// branch: 16.05s, the first burst dropped as a lone refusal), four of 5
// every 15.5 s "within 46.54s"; only a leading run of scanLoneRun ports or
// fewer is set apart (TestPortScanNotDatedFromALoneRefusal).
func TestPortScanBurstsDatedFromTheFirst(t *testing.T) {
	for _, tc := range []struct {
		bursts, ports int
		gap           time.Duration
		within        string
	}{{3, 7, 16 * time.Second, "within 32.06s"}, {4, 5, 15500 * time.Millisecond, "within 46.54s"}} {
		r := newRig(t, Config{})
		p := 0
		for b := range tc.bursts {
			for i := range tc.ports {
				at := t0.Add(time.Duration(b)*tc.gap + time.Duration(i)*10*time.Millisecond)
				r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 50000, nasMAC, "10.0.0.30", uint16(1+p), tcpFlags{syn: true}, nil))
				p++
			}
		}
		if ev := wantOne(t, r, inventory.EventPortScan, evilMAC.String(), "10.0.0.66"); !strings.Contains(ev.Summary, tc.within) {
			t.Errorf("%d bursts of %d: summary %q, want %s", tc.bursts, tc.ports, ev.Summary, tc.within)
		}
	}
}
