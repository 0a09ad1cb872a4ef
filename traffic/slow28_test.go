package traffic

import (
	"fmt"
	"net"
	"testing"
	"time"

	"tend/inventory"
)

// refusedAt feeds a SYN from src (srcIP) to the NAS's port and its RST+ACK.
func (r *rig) refusedAt(at time.Time, src net.HardwareAddr, srcIP string, sport, port uint16) {
	r.feed(at, tcpFrame(r.t, src, srcIP, sport, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, nil))
	r.feed(at.Add(time.Millisecond), tcpFrame(r.t, nasMAC, "10.0.0.30", port, src, srcIP, sport, tcpFlags{rst: true, ack: true}, nil))
}

// TestSlowOnceShape: eight distinct refused ports, none twice, are a slow
// scan only in the low-and-slow shape (slowOnce): the benign traffic of
// review 28c, each a slow port_scan before countRefusal, raises nothing;
// nor does a monitor checking eight stopped services every 15 minutes
// (review 28f: raised while slowHold was 6 minutes; checked).
func TestSlowOnceShape(t *testing.T) {
	type refusal struct {
		after time.Duration
		ip    string
		port  uint16
	}
	var burst, nagios, remote, ftp, monitor []refusal
	for i := range 8 { // Prometheus or curl scraping eight stopped exporters at once
		burst = append(burst, refusal{time.Duration(i) * 100 * time.Millisecond, "10.0.0.10", uint16(9100 + i)})
	}
	for i, port := range []uint16{22, 25, 80, 110, 143, 443, 993, 3306, 5432} { // checks 31 s apart, then the next round
		nagios = append(nagios, refusal{time.Duration(i) * 31 * time.Second, "10.0.0.10", port})
	}
	nagios = append(nagios, refusal{5 * time.Minute, "10.0.0.10", 22})
	for i := range 8 { // remote users through the gateway, each meeting one closed port
		remote = append(remote, refusal{time.Duration(i) * 4 * time.Minute, fmt.Sprintf("203.0.113.%d", 10+i), uint16(8000 + i)})
	}
	for i := range 8 { // passive FTP data connections to ports the server no longer listens on
		ftp = append(ftp, refusal{time.Duration(i) * 40 * time.Second, "10.0.0.10", uint16(50137 + 97*i)})
	}
	for round := range 2 { // review 28f: eight TCP checks 10 s apart every 15 minutes, the services down from the start
		for i := range 8 {
			monitor = append(monitor, refusal{time.Duration(round)*15*time.Minute + time.Duration(i)*10*time.Second, "10.0.0.10", uint16(8080 + i)})
		}
	}
	for name, c := range map[string]struct {
		src  net.HardwareAddr
		refs []refusal
	}{"burst": {pcMAC, burst}, "nagios": {pcMAC, nagios}, "remote": {gwMAC, remote}, "ftp": {pcMAC, ftp}, "monitor every 15 min": {pcMAC, monitor}} {
		r := newRig(t, Config{})
		for i, f := range c.refs {
			r.refusedAt(t0.Add(f.after), c.src, f.ip, uint16(50000+i), f.port)
		}
		if got := r.all(); len(got) != 0 {
			t.Errorf("%s raised %+v", name, got)
		}
	}
}

// TestSlowOnceHeld: nmap -T1 of ten ports is raised once slowHold passed
// with no port refused again (on the engine's tick, not only at a
// replay's end).
func TestSlowOnceHeld(t *testing.T) {
	r := newRig(t, Config{})
	for i, port := range []uint16{21, 22, 23, 25, 80, 110, 139, 443, 445, 3389} {
		r.refusedAt(t0.Add(time.Duration(i)*15*time.Second), evilMAC, "10.0.0.66", 61000, port)
	}
	if n := len(r.events); n != 0 {
		t.Fatalf("raised %+v before the hold ended", r.events)
	}
	r.feed(t0.Add(20*time.Minute), pingFrame(t, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1", 56))
	var n int
	for _, ev := range r.events {
		if ev.Type == inventory.EventPortScan {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d port_scan after the hold, want 1: %+v", n, r.events)
	}
}

// TestUDPServiceSweepAnswered: a network monitor asking DNS, NTP and SNMP
// of 30 routers, each answering, sweeps nothing (udpServiceSilent): the
// devices it watches run those services.
func TestUDPServiceSweepAnswered(t *testing.T) {
	r := newRig(t, Config{})
	for h := range 30 {
		dst := fmt.Sprintf("198.51.100.%d", h+1)
		for i, port := range []uint16{161, 123, 53} {
			at := t0.Add(time.Duration(h)*1500*time.Millisecond + time.Duration(i)*200*time.Millisecond)
			sport := uint16(40000 + 3*h + i)
			r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", sport, gwMAC, dst, port, make([]byte, 40)))
			r.feed(at.Add(time.Millisecond), udpFrame(t, gwMAC, dst, port, pcMAC, "10.0.0.10", sport, make([]byte, 48)))
		}
	}
	if evs := r.of(inventory.EventHostSweep); len(evs) != 0 {
		t.Fatalf("a monitor's answered DNS, NTP and SNMP of 30 routers raised %+v", evs)
	}
}

// TestSlowOnceConnectedBefore: a monitor checking eight services of a
// server every 10 min, 40 s apart, that connected to each (SYN+ACK)
// before the host restarted without them, meets eight refusals in the
// low-and-slow shape: ports it used, no scan (wasConnected).
func TestSlowOnceConnectedBefore(t *testing.T) {
	r := newRig(t, Config{})
	ports := []uint16{22, 25, 80, 110, 143, 443, 3306, 5432}
	for i, port := range ports {
		at, cport := t0.Add(time.Duration(i)*40*time.Second), uint16(50000+i)
		r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", cport, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, nil))
		r.feed(at.Add(time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", port, pcMAC, "10.0.0.10", cport, tcpFlags{syn: true, ack: true}, nil))
		r.feed(at.Add(2*time.Millisecond), tcpFrame(t, pcMAC, "10.0.0.10", cport, nasMAC, "10.0.0.30", port, tcpFlags{rst: true, ack: true}, nil))
	}
	for i, port := range ports {
		r.refusedAt(t0.Add(10*time.Minute+time.Duration(i)*40*time.Second), pcMAC, "10.0.0.10", uint16(51000+i), port)
	}
	if got := r.all(); len(got) != 0 {
		t.Fatalf("a monitor meeting the services it used stopped raised %+v", got)
	}
}
