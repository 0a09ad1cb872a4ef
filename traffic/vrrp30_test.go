package traffic

import (
	"net"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// vmac7 is VRRP VRID 7's virtual MAC (RFC 5798 7.3), vrrpFrame's group.
var vmac7 = hw("00:00:5e:00:01:07")

// TestVRRPUseVMACOwnMACAsks: keepalived with use_vmac announces 10.0.0.254
// from the virtual MAC, and the master's kernel asks ARP from the router's
// own MAC with the virtual address as sender (recorded, session 30): no
// event, whether the adverts come from the virtual MAC (the master's own
// address bound to its MAC) or from the router's MAC (vmac_xmit_base). Was
// arp_spoof High (the router claims 10.0.0.1 too) or duplicate_ip Medium.
// A third MAC asking so, with an address of its own, still raises.
func TestVRRPUseVMACOwnMACAsks(t *testing.T) {
	for _, from := range []net.HardwareAddr{vmac7, gwMAC} {
		r := newRig(t, Config{})
		r.feed(t0, arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.1", nil, "10.0.0.9"))
		r.feed(t0, garpFrame(t, vmac7, "10.0.0.254"))
		for i := 0; i < 6; i++ {
			at := t0.Add(time.Duration(i) * time.Second)
			r.feed(at, vrrpFrame(t, from, "10.0.0.1", 110))
			r.feed(at.Add(100*time.Millisecond), arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.254", nil, "10.0.0.9"))
		}
		if evs := r.all(); len(evs) != 0 {
			t.Errorf("adverts from %s: the master's own MAC asking with the virtual address raised %+v", from, evs)
		}
		r.feed(t0.Add(6*time.Second), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.9"))
		for i := 0; i < 3; i++ {
			r.feed(t0.Add(6*time.Second+time.Duration(i)*time.Second), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.254", nil, "10.0.0.9"))
		}
		if len(r.of(inventory.EventARPSpoof)) == 0 {
			t.Errorf("adverts from %s: another MAC asking with the virtual address raised %+v, want arp_spoof", from, r.all())
		}
	}
}

// TestVRRPUseVMACUnboundAsker: adverts from the virtual MAC whose source
// address (the master's) is never bound in ARP; a MAC claiming no other
// address asks with the virtual address as sender (review 30c a1: an ARP
// request poisons the asked host's cache, and every host's holding the
// address when broadcast): duplicate_ip naming it (was quiet). The MAC an
// earlier master's address is bound to asking so stays quiet.
func TestVRRPUseVMACUnboundAsker(t *testing.T) {
	r := newRig(t, Config{})
	r.feed(t0, garpFrame(t, vmac7, "10.0.0.254"))
	for i := 0; i < 6; i++ {
		at := t0.Add(time.Duration(i) * time.Second)
		r.feed(at, vrrpFrame(t, vmac7, "10.0.0.1", 110))
		r.feed(at.Add(100*time.Millisecond), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.254", nil, "10.0.0.9"))
	}
	evs := r.of(inventory.EventDuplicateIP)
	if len(evs) == 0 || evs[0].MAC.String() != evilMAC.String() {
		t.Errorf("a MAC claiming no other address asking with the virtual address raised %+v, want duplicate_ip naming it", r.all())
	}

	r = newRig(t, Config{})
	r.feed(t0, arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.2", nil, "10.0.0.9"))
	r.feed(t0, garpFrame(t, vmac7, "10.0.0.254"))
	r.feed(t0, vrrpFrame(t, vmac7, "10.0.0.2", 120))
	r.feed(t0.Add(500*time.Millisecond), vrrpFrame(t, vmac7, "10.0.0.2", 0))
	for i := 1; i < 6; i++ {
		at := t0.Add(time.Duration(i) * time.Second)
		r.feed(at, vrrpFrame(t, vmac7, "10.0.0.1", 110))
		r.feed(at.Add(100*time.Millisecond), arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.254", nil, "10.0.0.9"))
	}
	if evs := r.all(); len(evs) != 0 {
		t.Errorf("the MAC of a router heard in the group asking with the virtual address raised %+v", evs)
	}
}

// TestVRRPResignedMasterAdvertisesOn: a priority 0 under the master's MAC
// that the master never heard (sent to another host), a claim at 100 after
// its skew, and the master advertising on every second: two routers claim
// the role and the culprit is the one that took it after the
// "resignation" (was the master, the election's winner).
func TestVRRPResignedMasterAdvertisesOn(t *testing.T) {
	r := newRig(t, Config{})
	vrrpMaster(t, r, 20)
	resign := t0.Add(19300 * time.Millisecond)
	r.feed(resign, vrrpFrame(t, gwMAC, "10.0.0.1", 0))
	for i := 0; i < 8; i++ {
		r.feed(resign.Add(620*time.Millisecond+time.Duration(i)*time.Second), vrrpFrame(t, evilMAC, "10.0.0.66", 100))
		r.feed(t0.Add(time.Duration(20+i)*time.Second), vrrpFrame(t, gwMAC, "10.0.0.1", 110))
	}
	evs := r.of(inventory.EventFHRPTakeover)
	if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() {
		t.Errorf("a master advertising on after a priority 0 in its name raised %+v, want one fhrp_takeover naming the claimant", r.all())
	}
}

// TestARPVirtualOwnerNotCulprit: the master serving 10.0.0.254, which also
// claims its own 10.0.0.1, and another MAC announcing 10.0.0.254 with no
// address of its own: the announcer is the culprit, not the master (was
// the master: the swap for a capture begun mid-attack took it for the
// spoofer).
func TestARPVirtualOwnerNotCulprit(t *testing.T) {
	r := newRig(t, Config{})
	r.feed(t0, arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.1", nil, "10.0.0.9"))
	vrrpMaster(t, r, 10)
	for i := 0; i < 4; i++ {
		r.feed(t0.Add(5*time.Second+time.Duration(i)*time.Second), garpFrame(t, evilMAC, "10.0.0.254"))
	}
	evs := r.of(inventory.EventARPSpoof)
	if len(evs) == 0 || evs[0].MAC.String() != evilMAC.String() {
		t.Errorf("another MAC announcing the master's virtual address raised %+v, want arp_spoof naming it", r.all())
	}
}
