package traffic

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// routedScan plays a masscan-like scan with --router-mac: from scanIP
// (under scanMAC when sent, skipped when empty) every SYN goes to the
// gateway's MAC, which ARPs for each of 30 addresses and forwards the
// probes for 10.0.0.30 and .31 (40 ports each) to their hosts, the source
// address kept.
func routedScan(t *testing.T, r *rig, scanMAC netHW, scanIP string) {
	at := t0.Add(time.Second)
	r.feed(at, arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.1", nil, "10.0.0.30"))
	r.feed(at, arpFrame(t, layers.ARPReply, nasMAC, "10.0.0.30", gwMAC, "10.0.0.1"))
	r.feed(at, arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.1", nil, "10.0.0.31"))
	r.feed(at, arpFrame(t, layers.ARPReply, pcMAC, "10.0.0.31", gwMAC, "10.0.0.1"))
	for i := 0; i < 30; i++ {
		at = at.Add(10 * time.Millisecond)
		dst := fmt.Sprintf("10.0.0.%d", 100+i)
		if scanMAC != nil {
			r.feed(at, tcpFrame(t, scanMAC, scanIP, 40000, gwMAC, dst, 80, tcpFlags{syn: true}, nil))
		}
		r.feed(at, arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.1", nil, dst))
	}
	for p := uint16(1); p <= 40; p++ {
		for _, h := range []struct {
			m  netHW
			ip string
		}{{nasMAC, "10.0.0.30"}, {pcMAC, "10.0.0.31"}} {
			at = at.Add(time.Millisecond)
			if scanMAC != nil {
				r.feed(at, tcpFrame(t, scanMAC, scanIP, 40000, gwMAC, h.ip, p, tcpFlags{syn: true}, nil))
			}
			r.feed(at, tcpFrame(t, gwMAC, scanIP, 40000, h.m, h.ip, p, tcpFlags{syn: true}, nil))
		}
	}
}

// TestRouterForwardedScan: a scanner sending every probe to the gateway's
// MAC (masscan --router-mac, review 31a m1 and m2) is the culprit of its
// sweep and scan, the gateway, which ARPs for the empty addresses and
// forwards the probes back onto the LAN under the scanner's address, of
// none (was host_sweep and port_scan High naming the gateway's MAC); a
// scan from a remote address through the gateway stays a port scan under
// the gateway's MAC with the remote address, as before, and its ARP
// requests are no host sweep by the gateway (was host_sweep High).
func TestRouterForwardedScan(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	r.feed(t0, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
	r.feed(t0, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", evilMAC, "10.0.0.66"))
	routedScan(t, r, evilMAC, "10.0.0.66")
	var byEvil, byGW []inventory.Event
	for _, ev := range r.all() {
		if ev.Severity.Rank() == 0 {
			continue
		}
		switch ev.MAC.String() {
		case evilMAC.String():
			byEvil = append(byEvil, ev)
		case gwMAC.String():
			byGW = append(byGW, ev)
		}
	}
	if len(byGW) != 0 {
		t.Errorf("the gateway's ARP requests and forwarded probes raised %+v under its MAC, want nothing", byGW)
	}
	if !hasType(byEvil, inventory.EventHostSweep) || !hasType(byEvil, inventory.EventPortScan) {
		t.Errorf("the scanner raised %+v, want host_sweep and port_scan", byEvil)
	}

	r = newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	r.feed(t0, arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.1", nil, "10.0.0.10"))
	routedScan(t, r, nil, "198.51.100.7")
	var scans int
	for _, ev := range r.all() {
		switch {
		case ev.Type == inventory.EventPortScan && ev.MAC.String() == gwMAC.String() && ev.IP == netip.MustParseAddr("198.51.100.7"):
			scans++
		case ev.Type == inventory.EventHostSweep && ev.Severity.Rank() > 0:
			t.Errorf("an inbound scan's ARP requests by the gateway raised %s %s: %s", ev.Severity, ev.Type, ev.Summary)
		}
	}
	if scans == 0 {
		t.Errorf("a remote scan through the gateway raised %+v, want port_scan under the gateway's MAC by 198.51.100.7", r.all())
	}
}

func hasType(evs []inventory.Event, typ inventory.EventType) bool {
	for _, ev := range evs {
		if ev.Type == typ {
			return true
		}
	}
	return false
}
