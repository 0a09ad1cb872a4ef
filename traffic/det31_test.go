package traffic

import (
	"fmt"
	"net"
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

// TestSilentBurstOnePortBack: a held burst of filtered ports (nmap -T4
// -p1-12, under the per-minute count) stays held when the scanner probes
// one of them again 31 s later (nmap -p1), and when 8 of 19 come back:
// raised when the hold ends (before, one port back dropped it: counted
// fell under silentPorts). A monitor's round brings its whole set back
// (TestSilentBurstHeld).
func TestSilentBurstOnePortBack(t *testing.T) {
	for _, c := range []struct{ n, back int }{{12, 1}, {19, 8}} {
		r := silentRig(t)
		for i := 0; i < c.n; i++ {
			silentSYNs(t, r, t0.Add(time.Duration(i)*200*time.Millisecond), evilMAC, "10.0.0.66", uint16(40000+i), uint16(1+i))
		}
		for i := 0; i < c.back; i++ {
			silentSYNs(t, r, t0.Add(31*time.Second+time.Duration(i)*200*time.Millisecond), evilMAC, "10.0.0.66", uint16(41000+i), uint16(1+i))
		}
		if len(r.of(inventory.EventPortScan)) == 0 {
			t.Errorf("a burst of %d filtered ports, %d probed again 31 s later: no port_scan", c.n, c.back)
		}
	}
}

// TestSilentHeldNotEvicted: a held burst of 12 filtered ports keeps its
// slot (or is raised) while 2,000 LAN clients each try two ports of the
// NAS within the hold, making slots of the table's sets (before, the
// oldest slot gave way, held report and all).
func TestSilentHeldNotEvicted(t *testing.T) {
	r := silentRig(t)
	for i := 0; i < 12; i++ {
		silentSYNs(t, r, t0.Add(time.Duration(i)*100*time.Millisecond), evilMAC, "10.0.0.66", uint16(40000+i), uint16(1+i))
	}
	for c := 0; c < 2000; c++ {
		at := t0.Add(2*time.Second + time.Duration(c)*300*time.Millisecond)
		m := net.HardwareAddr{0x02, 0x31, 0xc1, byte(c >> 8), byte(c), 1}
		ip := fmt.Sprintf("10.1.%d.%d", c>>8, c&0xff)
		for j, p := range []uint16{445, 139} {
			r.feed(at.Add(time.Duration(j)*time.Millisecond), tcpFrame(t, m, ip, uint16(50000+j), nasMAC, "10.0.0.30", p, tcpFlags{syn: true}, nil))
		}
	}
	for _, ev := range r.of(inventory.EventPortScan) {
		if ev.IP.String() == "10.0.0.66" {
			return
		}
	}
	t.Errorf("a held burst of 12 filtered ports among 2,000 clients' slots: no port_scan of 10.0.0.66")
}

// TestSilentMACClientsFewPorts: a Wi-Fi bridge's MAC (proxy ARP) carrying
// seven clients, each trying the two ports of its service of a firewalled
// host in turn over minutes, is no scan: an address counts for its MAC
// from its third counted port (silentMACPorts); 14 ports counted per MAC
// raised before. A scanner rotating aliases walks more
// (TestSilentScanRotatingAddresses).
func TestSilentMACClientsFewPorts(t *testing.T) {
	r := silentRig(t)
	br := net.HardwareAddr{0x02, 0x31, 0xc0, 0x0b, 0x0b, 1}
	sets := [][2]uint16{{445, 139}, {80, 443}, {22, 3389}, {5900, 8080}, {548, 631}, {9100, 515}, {21, 23}}
	for c := range sets {
		r.feed(t0, garpFrame(t, br, fmt.Sprintf("10.0.0.%d", 100+c)))
	}
	for round := 0; round < 3; round++ {
		for c, ps := range sets {
			at := t0.Add(time.Duration(round*7+c) * 30 * time.Second)
			for j, p := range ps {
				silentSYNs(t, r, at.Add(time.Duration(j)*500*time.Millisecond), br, fmt.Sprintf("10.0.0.%d", 100+c), uint16(50000+c*10+round), p)
			}
		}
	}
	if evs := r.of(inventory.EventPortScan); len(evs) != 0 {
		t.Errorf("a bridge's 7 clients trying 2 ports each of a firewalled host raised %+v", evs)
	}
}
