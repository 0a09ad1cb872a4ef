package traffic

import (
	"fmt"
	"net"
	"testing"
	"time"

	"tend/inventory"
)

// silentAnswered feeds a SYN from the PC to the NAS's port at at and the
// answer (SYN+ACK, or RST+ACK when rst) from from's MAC 2 ms later.
func silentAnswered(t *testing.T, r *rig, at time.Time, from net.HardwareAddr, sport, port uint16, rst bool) {
	r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", sport, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, nil))
	r.feed(at.Add(2*time.Millisecond), tcpFrame(t, from, "10.0.0.30", port, pcMAC, "10.0.0.10", sport, tcpFlags{syn: !rst, rst: rst, ack: true}, nil))
}

// TestSilentMonitorRounds: a monitor checking 14 ports of the NAS every
// minute, answered for 10 minutes, then dropped by a firewall for 2 hours
// (review 30a b1), is no scan: the ports answered before, and checked
// again in rounds (30 s or more apart: no retransmission), do not count.
// It raised port_scan High each hour before (the window's renewal forgot
// the answers). A scan dressed as a monitor, coming back to its first
// port every minute while walking 14 new ports 15 s apart, still raises.
func TestSilentMonitorRounds(t *testing.T) {
	ports := []uint16{21, 22, 25, 53, 80, 110, 143, 443, 445, 993, 3306, 5432, 6379, 8080}
	r := silentRig(t)
	for round := 0; round < 130; round++ {
		for i, p := range ports {
			at := t0.Add(time.Duration(round)*time.Minute + time.Duration(i)*100*time.Millisecond)
			sport := uint16(30000 + round*14 + i)
			if round < 10 {
				silentAnswered(t, r, at, nasMAC, sport, p, false)
			} else {
				silentSYNs(t, r, at, pcMAC, "10.0.0.10", sport, p)
			}
		}
	}
	if evs := r.of(inventory.EventPortScan); len(evs) != 0 {
		t.Errorf("monitor of 14 ports answered then firewalled raised %+v", evs)
	}
	r = silentRig(t)
	for i := 0; i < 14; i++ {
		at := t0.Add(time.Duration(i) * 15 * time.Second)
		silentSYNs(t, r, at, evilMAC, "10.0.0.66", uint16(40000+i), uint16(100+i*7))
		if i%4 == 3 {
			silentSYNs(t, r, at.Add(time.Second), evilMAC, "10.0.0.66", uint16(41000+i), 100)
		}
	}
	if len(r.of(inventory.EventPortScan)) == 0 {
		t.Errorf("scan returning to its first port each minute: no port_scan (%+v)", r.all())
	}
}

// TestSilentFTPPassive: an FTP client whose control connection to port
// 21 is answered, and whose 14 passive data connections (distinct ports
// 32768 and up) a firewall drops (review 30a b2), is no scan: it raised
// port_scan High before. The same 14 ports without the control
// connection still raise.
func TestSilentFTPPassive(t *testing.T) {
	for _, ftp := range []bool{true, false} {
		r := silentRig(t)
		if ftp {
			silentAnswered(t, r, t0.Add(-time.Second), nasMAC, 39999, 21, false)
		}
		for i := 0; i < 14; i++ {
			silentSYNs(t, r, t0.Add(time.Duration(i)*20*time.Second), pcMAC, "10.0.0.10", uint16(40000+i), uint16(32768+i*1111))
		}
		if got := len(r.of(inventory.EventPortScan)) != 0; got == ftp {
			t.Errorf("FTP control %v: port_scan %v (%+v)", ftp, got, r.all())
		}
	}
}

// TestSilentPastKept: 5 ports refused (RST) then 120 filtered ones, 15 s
// apart (review 30a e1), are a slow scan: before, the 16 ports kept were
// full with 5 answered and counting stopped at 11. SYN+ACKs to every
// later SYN forged from a MAC other than the NAS's (an accomplice
// answering for the target) hide nothing either.
func TestSilentPastKept(t *testing.T) {
	for _, from := range []net.HardwareAddr{nasMAC, evilMAC} {
		r := silentRig(t)
		at := t0
		for i := 0; i < 125; i++ {
			port := uint16(1 + i*3)
			switch {
			case i < 5 || from.String() == evilMAC.String():
				silentAnswered(t, r, at, from, uint16(40000+i), port, i < 5)
			default:
				silentSYNs(t, r, at, pcMAC, "10.0.0.10", uint16(40000+i), port)
			}
			at = at.Add(15 * time.Second)
		}
		if len(r.of(inventory.EventPortScan)) == 0 {
			t.Errorf("answers from %s then filtered ports: no port_scan (%+v)", from, r.all())
		}
	}
}

// TestDNSStatusAnyPort: DNS STATUS requests to 40 hosts count toward a
// sweep from a resolver's port 53 or NTP's 123 too (review 30a d2, d3:
// quiet before); no resolver sends that opcode from any port.
func TestDNSStatusAnyPort(t *testing.T) {
	for _, sport := range []uint16{53, 123} {
		r := traceRig(t)
		for i := 0; i < 40; i++ {
			r.feed(t0.Add(time.Duration(i)*50*time.Millisecond), udpFrame(t, pcMAC, "10.0.0.10", sport, gwMAC, fmt.Sprintf("198.51.100.%d", i+1), 53, dnsRequest(2, 0, 0)))
		}
		if len(r.of(inventory.EventHostSweep)) == 0 {
			t.Errorf("STATUS from port %d to 40 hosts: no host_sweep (%+v)", sport, r.all())
		}
	}
}
