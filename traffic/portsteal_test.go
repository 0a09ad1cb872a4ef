package traffic

import (
	"net"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// zeroARPFrame is ettercap's port-stealing frame: an ARP request with
// every address zero under the victim's source MAC, sent to thief.
func zeroARPFrame(t testing.TB, victim, thief net.HardwareAddr) []byte {
	zero := hw("00:00:00:00:00:00")
	return serialize(t,
		&layers.Ethernet{SrcMAC: victim, DstMAC: thief, EthernetType: layers.EthernetTypeARP},
		&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
			Operation: layers.ARPRequest, SourceHwAddress: zero, SourceProtAddress: ip4("0.0.0.0"), DstHwAddress: zero, DstProtAddress: ip4("0.0.0.0")})
}

// TestPortStealing: ettercap -M port between the PC and the gateway is one
// arp_spoof naming the MAC the forged frames go to, never a victim.
func TestPortStealing(t *testing.T) {
	r := newRig(t, Config{})
	at := r.baseline(t0, 30*time.Second)
	r.feed(at, arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.66", gwMAC, "10.0.0.1"))
	for i := range 2000 {
		victim := pcMAC
		if i%2 == 1 {
			victim = gwMAC
		}
		r.feed(at.Add(time.Duration(i)*500*time.Microsecond), zeroARPFrame(t, victim, evilMAC))
	}
	ev := wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "10.0.0.66")
	if ev.Severity != inventory.SeverityCritical || ev.TargetMAC.String() != pcMAC.String() {
		t.Errorf("severity %s target %s, want critical and the first victim %s", ev.Severity, ev.TargetMAC, pcMAC)
	}
	if n := len(r.all()); n != 1 {
		t.Errorf("%d events, want the port stealing alone: %+v", n, r.all())
	}
}

// TestNoPortStealingFromProbes: a host checking its addresses (RFC 5227
// probes: its own MAC, sender 0.0.0.0, the probed address) and a switch's
// keep-alives to itself raise nothing, however many.
func TestNoPortStealingFromProbes(t *testing.T) {
	r := newRig(t, Config{})
	at := r.baseline(t0, 30*time.Second)
	for i := range 200 {
		r.feed(at.Add(time.Duration(i)*10*time.Millisecond), arpFrame(t, layers.ARPRequest, nasMAC, "0.0.0.0", nil, "10.0.0.30"))
	}
	// A few all-zero frames (a broken stack) stay under the threshold.
	for i := range stealFrames - 1 {
		r.feed(at.Add(time.Duration(i)*100*time.Millisecond), zeroARPFrame(t, pcMAC, bcast))
	}
	for _, ev := range r.all() {
		if ev.Severity.Rank() > 0 {
			t.Errorf("raised %s %s: %s", ev.Type, ev.Severity, ev.Summary)
		}
	}
}
