package traffic

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestSweepPollDeadRun: a monitor pings 40 configured hosts every 30 s in
// address order, four adjacent ones down (hosts 20-23: nine in ten of the
// round alive, but 20 of the first 24): the round is judged whole when
// its window ends, and its repeat, the dead hosts included, is a poll
// (review 38 FP 2: fping -C 3 of 63 hosts, three adjacent down).
func TestSweepPollDeadRun(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	for round := range 4 {
		for i := range 40 {
			ts := at.Add(time.Duration(round)*30*time.Second + time.Duration(i)*25*time.Millisecond)
			m, a := hw(fmt.Sprintf("00:50:56:00:02:%02x", i)), fmt.Sprintf("10.0.0.%d", 100+i)
			r.feed(ts, pingFrame(t, pcMAC, "10.0.0.10", m, a, 56))
			if i < 20 || i > 23 {
				r.feed(ts.Add(time.Millisecond), arpFrame(t, layers.ARPReply, m, a, pcMAC, "10.0.0.10"))
			}
		}
		r.e.Tick(at.Add(time.Duration(round)*30*time.Second + 10*time.Second))
	}
	r.e.Flush()
	evs := r.of(inventory.EventHostSweep)
	if n := sweepsAbove(evs, inventory.SeverityInfo); n != 0 {
		t.Fatalf("%d host sweeps above info for a poll with four adjacent hosts down: %+v", n, evs)
	}
	if len(evs) == 0 || !strings.Contains(evs[0].Summary, "polled the same") {
		t.Fatalf("want the poll noted at info: %+v", evs)
	}
}

// TestSweepPollMostlyDeadOnce: the same round with 30 of its 40 hosts
// down is raised at once (an attacker's range; once its services are
// gathered: sweepSvcGather), and a round of 40 hosts
// 28 of them alive and no second round is raised when the hold ends, its
// dead hosts told.
func TestSweepPollMostlyDeadOnce(t *testing.T) {
	for _, alive := range []int{10, 28} {
		r := newRig(t, Config{Learning: time.Minute})
		at := r.baseline(t0, 2*time.Minute)
		for i := range 40 {
			ts := at.Add(time.Duration(i) * 25 * time.Millisecond)
			m, a := hw(fmt.Sprintf("00:50:56:00:02:%02x", i)), fmt.Sprintf("10.0.0.%d", 100+i)
			r.feed(ts, pingFrame(t, pcMAC, "10.0.0.10", m, a, 56))
			if i < alive {
				r.feed(ts.Add(time.Millisecond), arpFrame(t, layers.ARPReply, m, a, pcMAC, "10.0.0.10"))
			}
		}
		r.e.Tick(at.Add(5*time.Second + sweepSvcGather)) // its services gathered (sweepsvc.go)
		if n := sweepsAbove(r.events, inventory.SeverityInfo); (alive == 10) != (n == 1) {
			t.Fatalf("%d alive: %d host sweeps raised within 5 s and sweepSvcGather: %+v", alive, n, r.events)
		}
		r.e.Tick(at.Add(sweepHold + time.Minute))
		evs := r.of(inventory.EventHostSweep)
		if n := sweepsAbove(evs, inventory.SeverityLow); n != 1 {
			t.Fatalf("%d alive: want one High host sweep, got %+v", alive, evs)
		}
		if d := evs[0].Evidence[len(evs[0].Evidence)-1].Detail; alive == 28 && (!strings.Contains(d, "only 2") || !strings.Contains(d, "empty addresses")) {
			t.Errorf("the dead hosts untold: %q", d)
		}
	}
}

// TestWakeRingBounded: the wake log keeps wakeSlots wakes, the oldest
// overwritten and counted when still within wakeMemory.
func TestWakeRingBounded(t *testing.T) {
	r := newRig(t, Config{})
	e := r.e
	e.clock = 1
	for i := range wakeSlots + 10 {
		e.noteWake(mac(hw("00:0c:29:38:00:05")), mac(hw(fmt.Sprintf("f8:bc:12:%02x:%02x:%02x", i>>16, (i>>8)&0xff, i&0xff))))
	}
	if e.wakes.n != wakeSlots || e.counters.TrackersDropped != 10 {
		t.Fatalf("ring holds %d, dropped %d", e.wakes.n, e.counters.TrackersDropped)
	}
	if _, ok := e.wakes.wokeAt(mac(hw("00:0c:29:38:00:05")), mac(hw("f8:bc:12:00:00:00")), e.clock); ok {
		t.Error("the oldest wake was not overwritten")
	}
	if _, ok := e.wakes.wokeAt(mac(hw("00:0c:29:38:00:05")), mac(hw("f8:bc:12:00:02:09")), e.clock+int64(wakeMemory)+1); ok {
		t.Error("a wake older than wakeMemory still counts")
	}
}

// TestSweepStaged38: review 38's monitor (fping of 63 hosts, 3 adjacent
// down, every 30 s) is a poll at info; the RMM's fping of the 30 PCs it
// woke seconds before is a wake check at info naming the magic packets;
// the same wake followed by nmap -sn of the /24 stays a High host sweep.
func TestSweepStaged38(t *testing.T) {
	for _, tc := range []struct{ file, note string }{
		{"benign-monitor-fping-dead-hosts-check-tcp.pcap.gz", "polled the same"},
		{"benign-wol-wake-check-wakeonlan-etherwake-fping.pcap", "it had woken with Wake-on-LAN magic packets"},
		{"host-sweep-after-wol-nmap-sn.pcap", ""},
	} {
		var evs []inventory.Event
		for _, ev := range stagedEvents(t, tc.file) {
			if ev.Type == inventory.EventHostSweep {
				evs = append(evs, ev)
			}
		}
		high := sweepsAbove(evs, inventory.SeverityMedium)
		if tc.note == "" {
			if high != 1 {
				t.Errorf("%s: want one High host sweep: %+v", tc.file, evs)
			}
			continue
		}
		if high != 0 || len(evs) != 1 || !strings.Contains(evs[0].Summary, tc.note) {
			t.Errorf("%s: want one info host sweep with %q: %+v", tc.file, tc.note, evs)
		}
	}
}
