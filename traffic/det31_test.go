package traffic

import (
	"fmt"
	"testing"
	"time"

	"tend/inventory"
)

// TestSilentScanThroughSYNFlood: a SYN flood from forged sources (one SYN
// each, 600 in the 12 s between two of the scanner's) to the NAS takes no slot of
// the unanswered-SYN table: a pair's first port waits in its "seen once"
// filter. The scanner walking 14 filtered ports 15 s apart keeps its
// slot and is raised; before, each forged SYN made a slot and the flood
// evicted the scanner's.
func TestSilentScanThroughSYNFlood(t *testing.T) {
	r := silentRig(t)
	for i := 0; i < 14; i++ {
		at := t0.Add(time.Duration(i) * 15 * time.Second)
		silentSYNs(t, r, at, evilMAC, "10.0.0.66", 40000, uint16(20+i*7))
		for j := 0; j < 600; j++ {
			ip := fmt.Sprintf("172.%d.%d.%d", 16+i, j>>8, j&0xff)
			r.feed(at.Add(2*time.Second+time.Duration(j)*20*time.Millisecond), tcpFrame(t, gwMAC, ip, uint16(1024+j), nasMAC, "10.0.0.30", 80, tcpFlags{syn: true}, nil))
		}
	}
	for _, ev := range r.of(inventory.EventPortScan) {
		if ev.IP.String() == "10.0.0.66" {
			return
		}
	}
	t.Errorf("a slow scan of 14 filtered ports through a SYN flood: no port_scan of 10.0.0.66 (%+v)", r.of(inventory.EventPortScan))
}

// TestSilentBurstHeld: a monitor checking 14 ports of a host firewalled
// from its first check sends them in a burst and the same set again every
// 5 minutes: quiet (raised at its first round before: 14 unanswered
// ports). The same burst sent once (a quick nmap of 14 filtered ports,
// under the per-minute count) is held for slowHold and raised.
func TestSilentBurstHeld(t *testing.T) {
	ports := []uint16{22, 25, 80, 110, 143, 443, 465, 587, 993, 995, 3306, 5432, 8080, 4190}
	burst := func(r *rig, round int) {
		for i, p := range ports {
			at := t0.Add(time.Duration(round)*5*time.Minute + time.Duration(i)*50*time.Millisecond)
			silentSYNs(t, r, at, pcMAC, "10.0.0.10", uint16(40000+round*20+i), p)
		}
	}
	r := silentRig(t)
	for round := 0; round < 24; round++ {
		burst(r, round)
	}
	if evs := r.of(inventory.EventPortScan); len(evs) != 0 {
		t.Errorf("a monitor's 14 checks of a firewalled host every 5 min raised %+v", evs)
	}
	r = silentRig(t)
	burst(r, 0)
	if len(r.of(inventory.EventPortScan)) == 0 {
		t.Errorf("a burst of 14 filtered ports never repeated: no port_scan (%+v)", r.all())
	}
}

// TestSilentScanRotatingAddresses: a LAN host walking 20 filtered ports
// of the NAS from five addresses of its MAC (aliases it announces), four
// ports each 15 s apart, is a slow scan of filtered ports: counted per
// MAC (no address alone reaches silentPorts). The gateway's MAC carrying
// five remote users trying four ports each is none.
func TestSilentScanRotatingAddresses(t *testing.T) {
	play := func(m []byte, base string, announce bool) *rig {
		r := silentRig(t)
		for j := 0; j < 5; j++ {
			ip := fmt.Sprintf(base, 66+j)
			at := t0.Add(time.Duration(j) * time.Minute)
			if announce {
				r.feed(at, garpFrame(t, m, ip))
			}
			for i := 0; i < 4; i++ {
				silentSYNs(t, r, at.Add(time.Duration(i)*15*time.Second), m, ip, uint16(40000+j), uint16(20+(j*4+i)*7))
			}
		}
		return r
	}
	if len(play(evilMAC, "10.0.0.%d", true).of(inventory.EventPortScan)) == 0 {
		t.Errorf("20 filtered ports from 5 addresses of one LAN MAC: no port_scan")
	}
	if evs := play(gwMAC, "198.51.100.%d", false).of(inventory.EventPortScan); len(evs) != 0 {
		t.Errorf("5 remote users through the gateway, 4 ports each, raised %+v", evs)
	}
}
