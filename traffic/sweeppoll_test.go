package traffic

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// pollRound is one round of a poller (pcMAC at 10.0.0.10) over 30 hosts
// from at: an echo request each (or, with arp, a broadcast ARP request and
// then an SNMP get), answered by the first answering hosts.
func pollRound(r *rig, at time.Time, arp bool, answering int) {
	for i := range 30 {
		ts := at.Add(time.Duration(i) * 200 * time.Millisecond)
		m, a := hw(fmt.Sprintf("00:50:56:00:01:%02x", i)), fmt.Sprintf("10.0.0.%d", 100+i)
		if arp {
			r.feed(ts, arpFrame(r.t, layers.ARPRequest, pcMAC, "10.0.0.10", nil, a))
		} else {
			r.feed(ts, pingFrame(r.t, pcMAC, "10.0.0.10", m, a, 56))
		}
		if i >= answering {
			continue
		}
		r.feed(ts, arpFrame(r.t, layers.ARPReply, m, a, pcMAC, "10.0.0.10"))
		if arp {
			r.feed(ts, udpFrame(r.t, pcMAC, "10.0.0.10", 40000, m, a, 161, []byte("0&\x02\x01\x01\x04\x06public")))
		}
	}
}

func sweepsAbove(evs []inventory.Event, sev inventory.Severity) (n int) {
	for _, ev := range evs {
		if ev.Type == inventory.EventHostSweep && ev.Severity.Rank() > sev.Rank() {
			n++
		}
	}
	return n
}

// TestSweepPoll: a poller's rounds over the same live hosts every minute
// (Nagios's check_ping, SmokePing's fping) are noted at info; the same
// sweep once is a host sweep, raised when no second round follows; a sweep
// that finds empty addresses is raised at once (once its services are
// gathered: sweepSvcGather).
func TestSweepPoll(t *testing.T) {
	for _, tc := range []struct {
		name      string
		rounds    int
		arp       bool
		answering int
		high      int    // host sweeps above info, after the rounds and a flush
		note      string // an info host_sweep's summary holds it
	}{
		{"pings every minute", 4, false, 30, 0, "polled the same 24 hosts again"},
		{"pings every minute, a host down", 4, false, 28, 0, "polled the same"},
		{"pings once", 1, false, 30, 1, ""},
		{"pings once, few answers", 1, false, 10, 1, ""},
		{"ARP then SNMP, every minute", 3, true, 30, 0, "resolved 24 live hosts' addresses and then talked to each"},
		{"ARP once", 1, true, 30, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range tc.rounds {
				if !tc.arp || i == 0 {
					pollRound(r, at.Add(time.Duration(i)*time.Minute), tc.arp, tc.answering)
				} else { // the cache warm: SNMP gets alone
					for j := range 30 {
						r.feed(at.Add(time.Duration(i)*time.Minute+time.Duration(j)*time.Second),
							udpFrame(t, pcMAC, "10.0.0.10", 40000, hw(fmt.Sprintf("00:50:56:00:01:%02x", j)), fmt.Sprintf("10.0.0.%d", 100+j), 161, []byte("0&\x02\x01\x01")))
					}
				}
			}
			if tc.answering < 27 {
				r.e.Tick(at.Add(6*time.Second + sweepSvcGather)) // the round's end, its services gathered (sweepsvc.go)
			}
			if tc.answering < 27 && sweepsAbove(r.events, inventory.SeverityInfo) != 1 {
				t.Fatalf("a sweep that found empty addresses must be raised at once: %+v", r.events)
			}
			evs := r.of(inventory.EventHostSweep)
			if n := sweepsAbove(evs, inventory.SeverityInfo); n != tc.high {
				t.Fatalf("%d host sweeps above info, want %d: %+v", n, tc.high, evs)
			}
			if tc.note == "" {
				return
			}
			for _, ev := range evs {
				if ev.Severity == inventory.SeverityInfo && strings.Contains(ev.Summary, tc.note) {
					return
				}
			}
			t.Errorf("no info host_sweep with %q: %+v", tc.note, evs)
		})
	}
}

// TestSweepPollThenSweep: a poller that later sweeps the subnet's empty
// addresses is raised: its polls' notes do not mute it.
func TestSweepPollThenSweep(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 3 {
		pollRound(r, at.Add(time.Duration(i)*time.Minute), false, 30)
	}
	at = at.Add(3*time.Minute + 5*time.Second)
	for i := range 40 {
		r.feed(at.Add(time.Duration(i)*100*time.Millisecond), pingFrame(t, pcMAC, "10.0.0.10", gwMAC, fmt.Sprintf("10.0.0.%d", 200+i), 56))
	}
	r.e.Tick(at.Add(4*time.Second + sweepSvcGather)) // its services gathered (sweepsvc.go)
	if n := sweepsAbove(r.events, inventory.SeverityInfo); n != 1 {
		t.Fatalf("%d host sweeps above info, want the sweep of empty addresses: %+v", n, r.events)
	}
}

// TestSweepHeldLive: live, a held sweep that no second round follows is
// raised by the ticks once its hold has passed, without a flush:
// sweepHold for pings, sweepResolveHold for ARP requests alone.
func TestSweepHeldLive(t *testing.T) {
	for _, tc := range []struct {
		arp  bool
		hold time.Duration
	}{{false, sweepHold}, {true, sweepResolveHold}} {
		r := newRig(t, Config{Learning: time.Minute})
		at := r.baseline(t0, 2*time.Minute)
		for i := range 30 { // only ARP answers, no data
			ts := at.Add(time.Duration(i) * 200 * time.Millisecond)
			m, a := hw(fmt.Sprintf("00:50:56:00:01:%02x", i)), fmt.Sprintf("10.0.0.%d", 100+i)
			if tc.arp {
				r.feed(ts, arpFrame(t, layers.ARPRequest, pcMAC, "10.0.0.10", nil, a))
			} else {
				r.feed(ts, pingFrame(t, pcMAC, "10.0.0.10", m, a, 56))
			}
			r.feed(ts, arpFrame(t, layers.ARPReply, m, a, pcMAC, "10.0.0.10"))
		}
		r.e.Tick(at.Add(tc.hold - 20*time.Second))
		if n := sweepsAbove(r.events, inventory.SeverityInfo); n != 0 {
			t.Fatalf("arp %v: raised within the hold: %+v", tc.arp, r.events)
		}
		r.e.Tick(at.Add(tc.hold + 20*time.Second))
		if n := sweepsAbove(r.events, inventory.SeverityInfo); n != 1 || !strings.Contains(r.events[len(r.events)-1].Evidence[3].Detail, "no second round") {
			t.Fatalf("arp %v: want the held sweep raised after %s: %+v", tc.arp, tc.hold, r.events)
		}
	}
}

// TestSweepHeldThenPortScan: nmap's discovery of live neighbours (ARP
// requests, every host answering) held as a possible poll is raised at
// once when the same source port-scans (once its services are gathered:
// sweepSvcGather): the demo's staged incident.
func TestSweepHeldThenPortScan(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 30 {
		ts := at.Add(time.Duration(i) * 20 * time.Millisecond)
		m, a := hw(fmt.Sprintf("00:50:56:00:01:%02x", i)), fmt.Sprintf("10.0.0.%d", 100+i)
		r.feed(ts, arpFrame(t, layers.ARPRequest, pcMAC, "10.0.0.10", nil, a))
		r.feed(ts, arpFrame(t, layers.ARPReply, m, a, pcMAC, "10.0.0.10"))
	}
	if n := sweepsAbove(r.events, inventory.SeverityInfo); n != 0 {
		t.Fatalf("a sweep of live hosts raised before its hold: %+v", r.events)
	}
	at = at.Add(2 * time.Second)
	for p := range 30 {
		r.feed(at.Add(time.Duration(p)*10*time.Millisecond), tcpFrame(t, pcMAC, "10.0.0.10", 40000, hw("00:50:56:00:01:00"), "10.0.0.100", uint16(1+p), tcpFlags{syn: true}, nil))
	}
	r.e.Tick(at.Add(sweepSvcGather)) // its services gathered (sweepsvc.go); its sweepHold is minutes off
	if n := sweepsAbove(r.events, inventory.SeverityInfo); n != 1 {
		t.Fatalf("want the held sweep raised with the port scan: %+v", r.events)
	}
}

// arpSweep is an ARP sweep by the PC from at over n addresses, 50 ms
// apart, the first answering of them answering; once it is done, each
// answered one gets a datagram to port for each payload, 10 ms apart (no
// payloads: ARP alone).
func arpSweep(r *rig, at time.Time, n, answering int, port uint16, payloads ...string) {
	host := func(i int) (net.HardwareAddr, string) {
		return hw(fmt.Sprintf("00:50:56:00:%02x:%02x", i/256, i%256)), fmt.Sprintf("10.0.%d.%d", i/100, 100+i%100)
	}
	for i := range n {
		ts := at.Add(time.Duration(i) * 50 * time.Millisecond)
		m, a := host(i)
		r.feed(ts, arpFrame(r.t, layers.ARPRequest, pcMAC, "10.0.0.10", nil, a))
		if i < answering {
			r.feed(ts, arpFrame(r.t, layers.ARPReply, m, a, pcMAC, "10.0.0.10"))
		}
	}
	at = at.Add(time.Duration(n) * 50 * time.Millisecond)
	for i := range answering {
		m, a := host(i)
		for _, p := range payloads {
			at = at.Add(10 * time.Millisecond)
			r.feed(at, udpFrame(r.t, pcMAC, "10.0.0.10", 40000, m, a, port, []byte(p)))
		}
	}
}

// TestARPSweepNoPoll: an ARP sweep of live hosts is no poll round (a
// poller's later rounds find the cache warm): arp-scan run twice 70 s
// apart is a host sweep, and so is an ARP sweep followed by one datagram
// to each host (onesixtyone's SNMP gets, nbtscan's NBSTAT), even with a
// few community strings at once.
func TestARPSweepNoPoll(t *testing.T) {
	for _, tc := range []struct {
		name     string
		again    time.Duration // a second ARP sweep so long after the first (0: none)
		port     uint16
		payloads []string
	}{
		{"arp-scan twice, 70 s apart", 70 * time.Second, 0, nil},
		{"onesixtyone", 0, 161, []string{"0&\x02\x01\x01\x04\x06public"}},
		{"onesixtyone, three communities", 0, 161, []string{"0&\x02\x01\x01\x04\x06public", "0'\x02\x01\x01\x04\x07private", "0&\x02\x01\x01\x04\x06manage"}},
		{"nbtscan", 0, 137, []string{"\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00 CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\x00\x00\x21\x00\x01"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			arpSweep(r, at, 30, 30, tc.port, tc.payloads...)
			if tc.again > 0 {
				arpSweep(r, at.Add(tc.again), 30, 30, tc.port, tc.payloads...)
			}
			evs := r.of(inventory.EventHostSweep)
			if n := sweepsAbove(evs, inventory.SeverityInfo); n != 1 || len(evs) != 1 {
				t.Fatalf("want one host sweep above info and no note: %+v", evs)
			}
		})
	}
}

// TestSweepFewAliveLater: a sweep whose first hosts answer and whose later
// ones do not is raised as soon as fewer than nine in ten of its hosts are
// alive, not when its hold ends (once its services are gathered:
// sweepSvcGather): ARP requests or pings to 150 addresses, of which the
// first 26 answer.
func TestSweepFewAliveLater(t *testing.T) {
	for _, ping := range []bool{false, true} {
		r := newRig(t, Config{Learning: time.Minute})
		at := r.baseline(t0, 2*time.Minute)
		if ping {
			for i := range 150 {
				ts := at.Add(time.Duration(i) * 50 * time.Millisecond)
				m, a := hw(fmt.Sprintf("00:50:56:00:%02x:%02x", i/256, i%256)), fmt.Sprintf("10.0.%d.%d", i/100, 100+i%100)
				r.feed(ts, pingFrame(t, pcMAC, "10.0.0.10", gwMAC, a, 56))
				if i < 26 {
					r.feed(ts, arpFrame(t, layers.ARPReply, m, a, pcMAC, "10.0.0.10"))
				}
			}
		} else {
			arpSweep(r, at, 150, 26, 0)
		}
		r.e.Tick(at.Add(10*time.Second + sweepSvcGather))
		if n := sweepsAbove(r.events, inventory.SeverityInfo); n != 1 || !strings.Contains(r.events[len(r.events)-1].Evidence[3].Detail, "empty addresses, no poll") {
			t.Fatalf("ping %v: want the sweep raised within 10 s and sweepSvcGather, its empty addresses told: %+v", ping, r.events)
		}
	}
}
