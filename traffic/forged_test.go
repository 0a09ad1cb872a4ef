package traffic

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

var zombieMAC = hw("00:00:48:00:01:40")

// TestIdleScanNamesTheScanner: nmap -sI sends SYNs under the zombie's
// address from the scanner's MAC; the target refuses closed ports toward the
// zombie. One port_scan, naming the scanner's MAC and its own address.
func TestIdleScanNamesTheScanner(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.140"))
	r.feed(at, arpFrame(t, layers.ARPReply, zombieMAC, "10.0.0.140", evilMAC, "10.0.0.66"))
	for i := range 40 {
		at = at.Add(50 * time.Millisecond)
		port := uint16(20 + i)
		r.feed(at, tcpFrame(t, evilMAC, "10.0.0.140", 80, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, nil))
		r.feed(at, tcpFrame(t, nasMAC, "10.0.0.30", port, zombieMAC, "10.0.0.140", 80, tcpFlags{rst: true, ack: true}, nil))
	}
	evs := r.of(inventory.EventPortScan)
	if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].IP != netip.MustParseAddr("10.0.0.66") {
		t.Fatalf("want one port_scan by %s at 10.0.0.66, got %+v", evilMAC, evs)
	}
}

func TestForgedSource(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 2*time.Minute)
	r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.30"))
	e := r.e
	for _, tc := range []struct {
		name string
		from netHW
		src  string
		want bool
	}{
		{"a host under the NAS's address", evilMAC, "10.0.0.30", true},
		{"a host under its own address", evilMAC, "10.0.0.66", false},
		{"the gateway forwarding the NAS's traffic back (a wrong netmask)", gwMAC, "10.0.0.30", false},
		{"the gateway forwarding a routed VLAN's host", gwMAC, "10.0.9.5", false},
		{"a host under an address nobody owns on this link", evilMAC, "10.0.9.5", false},
		{"a host under an internet address", evilMAC, "8.8.8.8", false},
		{"a MAC with no address of its own", zombieMAC, "10.0.0.30", false},
	} {
		owner, own, ok := e.forgedSource(mac(tc.from), netip.MustParseAddr(tc.src))
		if ok != tc.want {
			t.Errorf("%s: forged %v (owner %s, own %s), want %v", tc.name, ok, macString(owner), own, tc.want)
		}
	}
	// A binding not heard for longer than ConflictWindow is no evidence:
	// the address may have moved.
	e.now = at.Add(e.cfg.ConflictWindow + time.Minute)
	if _, _, ok := e.forgedSource(mac(evilMAC), netip.MustParseAddr("10.0.0.30")); ok {
		t.Error("a stale binding counted as forgery")
	}
}
