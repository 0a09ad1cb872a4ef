package traffic

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestPortScanStartsAtItsFirstProbe: the workstation nmap runs on fetched
// a page from the first target every 15 s before the scan (inside the
// target's one-minute window), or opened one connection to it 55 s before:
// the scan is dated from nmap's first probe, not from that traffic, and so
// is one target's "within"; a scan probing every 3 s keeps its start at its
// first probe.
func TestPortScanStartsAtItsFirstProbe(t *testing.T) {
	syn := tcpFlags{syn: true}
	t.Run("a page every 15 s before the scan", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 4 { // a page from the first target every 15 s (demolife's workstations)
			at := t0.Add(time.Duration(i) * 15 * time.Second)
			r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", uint16(40000+i), nasMAC, "10.0.0.30", 80, syn, nil))
			r.feed(at.Add(time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", 80, pcMAC, "10.0.0.10", uint16(40000+i), tcpFlags{syn: true, ack: true}, nil))
		}
		scan := t0.Add(55 * time.Second)
		for h := range 4 {
			for p := range 100 {
				at := scan.Add(time.Duration(h*100+p) * 5 * time.Millisecond)
				r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", 50000, hw(fmt.Sprintf("00:11:32:00:01:%02x", h)), fmt.Sprintf("10.0.0.%d", 30+h), uint16(1+p), syn, nil))
			}
		}
		ev := wantOne(t, r, inventory.EventPortScan, pcMAC.String(), "10.0.0.10")
		if want := "between " + scan.UTC().Format(time.RFC3339) + " and"; !strings.Contains(ev.Summary, want) {
			t.Errorf("summary %q, want %q", ev.Summary, want)
		}
	})
	t.Run("one target", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, tcpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", 443, syn, nil))
		r.feed(t0.Add(time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", 443, pcMAC, "10.0.0.10", 40000, tcpFlags{syn: true, ack: true}, nil))
		for p := range 30 {
			r.feed(t0.Add(55*time.Second+time.Duration(p)*10*time.Millisecond), tcpFrame(t, pcMAC, "10.0.0.10", 50000, nasMAC, "10.0.0.30", uint16(1+p), syn, nil))
		}
		ev := wantOne(t, r, inventory.EventPortScan, pcMAC.String(), "10.0.0.10")
		if !strings.Contains(ev.Summary, "within 290ms") {
			t.Errorf("summary %q, want within 290ms (nmap's first to its last port, the incident's span since fix35a; 443 was accepted)", ev.Summary)
		}
	})
	t.Run("19 ports, a pause of 22 s, 5 more", func(t *testing.T) {
		r := newRig(t, Config{})
		for p := range 24 {
			at := t0.Add(time.Duration(p) * 50 * time.Millisecond)
			if p >= 19 {
				at = at.Add(22 * time.Second)
			}
			r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", 50000, nasMAC, "10.0.0.30", uint16(1+p), syn, nil))
		}
		ev := wantOne(t, r, inventory.EventPortScan, pcMAC.String(), "10.0.0.10")
		if !strings.Contains(ev.Summary, "within 23.15s") {
			t.Errorf("summary %q, want within 23.15s (from the first of the 20 ports counted to the last probe)", ev.Summary)
		}
	})
	t.Run("a probe every 3 s", func(t *testing.T) {
		r := newRig(t, Config{})
		for h := range 2 {
			for p := range 21 {
				r.feed(t0.Add(time.Duration(p)*3*time.Second+time.Duration(h)*time.Millisecond), tcpFrame(t, pcMAC, "10.0.0.10", 50000, hw(fmt.Sprintf("00:11:32:00:01:%02x", h)), fmt.Sprintf("10.0.0.%d", 30+h), uint16(1+p), syn, nil))
			}
		}
		ev := wantOne(t, r, inventory.EventPortScan, pcMAC.String(), "10.0.0.10")
		if want := "between " + t0.UTC().Format(time.RFC3339) + " and"; !strings.Contains(ev.Summary, want) {
			t.Errorf("summary %q, want %q", ev.Summary, want)
		}
	})
}

// TestSpikeStagedLANBackupVPNUpload replays the staged recording of rsync
// copying 22 MB to the NAS over the LAN, then uploading it to a 10.x VPN
// site through the gateway: the backup's two hosts read Low, the uploader
// Medium (Low before its peer had to be on the segment), the gateway
// forwarding it Low (its top peer is the uploader).
func TestSpikeStagedLANBackupVPNUpload(t *testing.T) {
	heavyUnderRace(t)
	evs := replayEvents(t, "testdata/staged/traffic-spike-lan-backup-vpn-upload-rsync.pcap", labelled{Gateway: "10.88.8.1"})
	got := map[string]inventory.Severity{}
	for _, ev := range evs {
		if ev.Type == inventory.EventTrafficSpike {
			got[ev.MAC.String()] = ev.Severity
		}
	}
	want := map[string]inventory.Severity{
		"f0:1f:af:00:00:11": inventory.SeverityLow, "00:11:32:00:00:30": inventory.SeverityLow, // pc2 -> NAS
		"3c:52:82:00:00:10": inventory.SeverityMedium, "00:1a:a1:00:00:01": inventory.SeverityLow, // PC -> 10.99.0.5 via the gateway
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("traffic_spike severities by MAC %v, want %v", got, want)
	}
}
