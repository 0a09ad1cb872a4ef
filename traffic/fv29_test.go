package traffic

import (
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestVRRPResignThenStranger: a priority 0 under the live master's MAC,
// then a claim by a router never heard in the group 10 ms later at
// priority 254 (after its skew/2: beforeSkew does not fire) and its
// gratuitous ARPs (review 29c E1, keepalived kc-real-forged-resign): the
// claimant is a stranger, Medium, and the address moving is arp_spoof
// (was quiet: the resignation emptied last and reportStranger never ran).
func TestVRRPResignThenStranger(t *testing.T) {
	r := newRig(t, Config{})
	vrrpMaster(t, r, 20)
	resign := t0.Add(19300 * time.Millisecond)
	r.feed(resign, vrrpFrame(t, gwMAC, "10.0.0.1", 0))
	vrrpClaim(t, r, resign.Add(10*time.Millisecond), 254)
	evs := r.of(inventory.EventFHRPTakeover)
	if len(evs) != 1 || evs[0].Severity != inventory.SeverityMedium || evs[0].MAC.String() != evilMAC.String() {
		t.Errorf("a stranger's claim right after a resignation raised %+v, want one Medium fhrp_takeover", r.all())
	}
	if s := r.of(inventory.EventARPSpoof); len(s) == 0 || s[0].MAC.String() != evilMAC.String() {
		t.Errorf("the stranger's gratuitous ARPs raised %+v, want arp_spoof naming it", r.all())
	}
}

// TestVRRPFailbackNeedsBinding: on a LAN whose gateway runs no VRRP, the
// attacker advertises the gateway's address from its own MAC four times
// over 3 s and resigns, four adverts forged under the gateway's MAC at 255
// and its priority 0 follow, then the attacker claims again and announces
// the address (review 29c W7): arp_spoof (was quiet: failback took the
// attacker's earlier claims for a master taking its address back, though
// ARP never bound the address to it).
func TestVRRPFailbackNeedsBinding(t *testing.T) {
	r := newRig(t, Config{})
	r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	for k := 0; k < 4; k++ {
		r.feed(at(5+float64(k)), vrrp3Frame(t, evilMAC, "10.0.0.66", 100, 100))
	}
	r.feed(at(8.5), vrrp3Frame(t, evilMAC, "10.0.0.66", 0, 100))
	for k := 0; k < 4; k++ {
		r.feed(at(8.51+float64(k)), vrrp3Frame(t, gwMAC, "10.0.0.254", 255, 100))
	}
	r.feed(at(12), vrrp3Frame(t, gwMAC, "10.0.0.254", 0, 100))
	for k := 0; k < 10; k++ {
		r.feed(at(12.4+float64(k)), vrrp3Frame(t, evilMAC, "10.0.0.66", 100, 100))
	}
	for k := 0; k < 3; k++ {
		r.feed(at(12.41+2*float64(k)), garpFrame(t, evilMAC, "10.0.0.254"))
	}
	if s := r.of(inventory.EventARPSpoof); len(s) == 0 || s[0].MAC.String() != evilMAC.String() {
		t.Errorf("a failback by a MAC that never held the address raised %+v, want arp_spoof naming it", r.all())
	}
}

// TestVRRPUnicastToHostNotHeard: on a LAN whose gateway runs no VRRP, 20
// adverts forged under the gateway's MAC from when it took the address,
// unicast to a PC (no VRRP router sees them), a priority 0 the same way,
// then the attacker's claim below them after its skew and its gratuitous
// ARPs (review 29c, toPeer): arp_spoof (was quiet: the unseen adverts made
// the gateway's MAC a master handing the address on). The same adverts
// sent to VRRP's group are TestVRRPAdvertsOnlyAroundTakeover's failover.
func TestVRRPUnicastToHostNotHeard(t *testing.T) {
	r := newRig(t, Config{})
	r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
	r.feed(t0.Add(time.Millisecond), arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.1", nil, "10.0.0.10"))
	r.feed(t0.Add(2*time.Millisecond), arpFrame(t, layers.ARPReply, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1"))
	for i := 0; i < 20; i++ {
		r.feed(t0.Add(time.Duration(i)*time.Second+10*time.Millisecond), vrrpUnicast(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10", 255))
	}
	resign := t0.Add(19500 * time.Millisecond)
	r.feed(resign, vrrpUnicast(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10", 0))
	vrrpClaim(t, r, resign.Add(800*time.Millisecond), 100)
	if s := r.of(inventory.EventARPSpoof); len(s) == 0 || s[0].MAC.String() != evilMAC.String() {
		t.Errorf("a takeover excused by adverts unicast to a host raised %+v, want arp_spoof naming the attacker", r.all())
	}
}

// TestVRRPUnicastSplitBrain: keepalived unicast_peer routers A (150) and B
// (50) each advertising to the other, both master (review 29c kb: a broken
// unicast_peer list): a fault, Medium (was Critical x3).
func TestVRRPUnicastSplitBrain(t *testing.T) {
	peer := hw("00:1a:a1:00:00:03")
	r := newRig(t, Config{})
	r.feed(t0, arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.1", nil, "10.0.0.3"))
	r.feed(t0.Add(time.Millisecond), arpFrame(t, layers.ARPReply, peer, "10.0.0.3", gwMAC, "10.0.0.1"))
	for i := 1; i < 20; i++ {
		at := t0.Add(time.Duration(i) * time.Second)
		r.feed(at, vrrpUnicast(t, gwMAC, "10.0.0.1", peer, "10.0.0.3", 150))
		if i > 2 {
			r.feed(at.Add(400*time.Millisecond), vrrpUnicast(t, peer, "10.0.0.3", gwMAC, "10.0.0.1", 50))
		}
	}
	evs := r.of(inventory.EventFHRPTakeover)
	if len(evs) == 0 {
		t.Fatalf("a split brain raised %+v, want a Medium fhrp_takeover", r.all())
	}
	for _, ev := range evs {
		if ev.Severity != inventory.SeverityMedium {
			t.Errorf("a split brain raised %+v, want Medium at most", ev)
		}
	}
}
