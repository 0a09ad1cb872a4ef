package traffic

import (
	"net"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// vrrpCrash plays a keepalived pair with their own MACs (no use_vmac): the
// master (gwMAC, priority 110) advertises 10.0.0.254 every second for
// masterAdverts seconds, having announced it, and falls silent (its link
// went down: no priority-0 advertisement); the backup (priority 100)
// becomes master 3.7 s after its last advertisement (Master_Down_Interval:
// three intervals and a skew of 0.61 s, as recorded) and claims the address
// with claim five times at once after its first advertisement, as
// keepalived does (garp_master_repeat 5), then advertises every second.
func vrrpCrash(t *testing.T, r *rig, masterAdverts int, backup net.HardwareAddr, claim func(at time.Time) []byte) {
	r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
	for i := 0; i < masterAdverts; i++ {
		r.feed(t0.Add(time.Duration(i)*time.Second), vrrpFrame(t, gwMAC, "10.0.0.1", 110))
	}
	up := t0.Add(time.Duration(masterAdverts-1)*time.Second + 3700*time.Millisecond)
	r.feed(up, vrrpFrame(t, backup, "10.0.0.11", 100))
	for i := 0; i < 5; i++ {
		at := up.Add(time.Duration(10+i) * time.Millisecond)
		r.feed(at, claim(at))
	}
	for i := 1; i < 5; i++ {
		r.feed(up.Add(time.Duration(i)*time.Second), vrrpFrame(t, backup, "10.0.0.11", 100))
	}
}

// TestVRRPCrashFailoverOwnMACs: a VRRP backup that becomes master after
// the master fell silent (no priority 0) takes the virtual address from
// three intervals on, before the hold time tend allowed (3 intervals + 1 s):
// its gratuitous ARPs move the address (failed with arp_spoof before the
// VRRP lapse). The same move made by unsolicited replies to one host, or
// from an owner whose only advertisement was one forged under its MAC, is
// still arp_spoof.
func TestVRRPCrashFailoverOwnMACs(t *testing.T) {
	backup := hw("f0:1f:af:00:00:11")
	garp := func(time.Time) []byte { return garpFrame(t, backup, "10.0.0.254") }
	r := newRig(t, Config{})
	vrrpCrash(t, r, 6, backup, garp)
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("a VRRP failover after the master crashed raised %+v", evs)
	}
	r = newRig(t, Config{})
	vrrpCrash(t, r, 6, backup, func(time.Time) []byte {
		return arpFrame(t, layers.ARPReply, backup, "10.0.0.254", pcMAC, "10.0.0.10")
	})
	if len(r.of(inventory.EventARPSpoof)) == 0 {
		t.Fatalf("unsolicited replies poisoning one host with the virtual address raised %+v, want arp_spoof", r.all())
	}
	r = newRig(t, Config{})
	vrrpCrash(t, r, 1, backup, garp)
	if len(r.of(inventory.EventARPSpoof)) == 0 {
		t.Fatalf("a move from an owner with one advertisement raised %+v, want arp_spoof", r.all())
	}
}

// TestVRRPLiveMasterKeepsAddress: a lower-priority speaker advertising
// between a live master's advertisements (two intervals after one) is no
// master, and its gratuitous ARPs of the virtual address are arp_spoof.
func TestVRRPLiveMasterKeepsAddress(t *testing.T) {
	r := newRig(t, Config{})
	r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
	for i := 0; i < 10; i++ {
		r.feed(t0.Add(time.Duration(i)*time.Second), vrrpFrame(t, gwMAC, "10.0.0.1", 110))
	}
	for i := 0; i < 5; i++ {
		at := t0.Add(2500*time.Millisecond + time.Duration(i)*time.Second)
		r.feed(at, vrrpFrame(t, evilMAC, "10.0.0.66", 100))
		r.feed(at.Add(10*time.Millisecond), garpFrame(t, evilMAC, "10.0.0.254"))
	}
	if len(r.of(inventory.EventARPSpoof)) == 0 {
		t.Fatalf("gratuitous ARPs beside a live master raised %+v, want arp_spoof", r.all())
	}
}
