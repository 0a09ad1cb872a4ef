package traffic

import (
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestSCTPCookieEchoScan: nmap -sZ's COOKIE ECHOs to ports that never sent
// an INIT ACK count as probes, as INITs do (RFC 9260 5.1: a client sends
// one only after the port's INIT ACK); the COOKIE ECHOs of associations'
// own four-way handshakes to 30 open ports do not.
func TestSCTPCookieEchoScan(t *testing.T) {
	scanner, target := "10.0.0.66", "10.0.0.30"
	for _, tc := range []struct {
		name      string
		handshake bool // INIT, INIT ACK before each COOKIE ECHO
		reply     byte // the target's answer to each COOKIE ECHO, or 0 for none
		want      bool
	}{
		{"cookie echo scan, closed ports abort", false, sctpAbort, true},
		{"cookie echo scan, open ports silent", false, 0, true},
		{"associations to open ports", true, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range 30 {
				at, port := t0.Add(time.Duration(i)*time.Millisecond), uint16(1000+37*i)
				if tc.handshake {
					r.feed(at, sctpFrame(t, evilMAC, scanner, 40000, nasMAC, target, port, sctpInit))
					r.feed(at.Add(100*time.Microsecond), sctpFrame(t, nasMAC, target, port, evilMAC, scanner, 40000, sctpInitAck))
				}
				r.feed(at.Add(200*time.Microsecond), sctpFrame(t, evilMAC, scanner, 40000, nasMAC, target, port, sctpCookieEcho))
				if tc.reply != 0 {
					r.feed(at.Add(300*time.Microsecond), sctpFrame(t, nasMAC, target, port, evilMAC, scanner, 40000, tc.reply))
				}
			}
			if !tc.want {
				if evs := r.of(inventory.EventPortScan); len(evs) != 0 {
					t.Fatalf("port_scan raised: %+v", evs)
				}
				return
			}
			ev := wantOne(t, r, inventory.EventPortScan, evilMAC.String(), scanner)
			all := ev.Summary
			for _, e := range ev.Evidence {
				all += "\n" + e.Detail
			}
			if ev.TargetIP.String() != target || !strings.Contains(all, "SCTP COOKIE ECHO") {
				t.Errorf("port_scan %+v, want SCTP COOKIE ECHO in it", ev)
			}
		})
	}
}
