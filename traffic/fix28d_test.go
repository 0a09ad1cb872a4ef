package traffic

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// vrrp3Frame is a VRRPv3 advertisement for VRID 7, 10.0.0.254, at prio,
// naming an interval of cs centiseconds.
func vrrp3Frame(t testing.TB, src net.HardwareAddr, srcIP string, prio byte, cs uint16) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 255, Protocol: vrrpProtocol, SrcIP: ip4(srcIP), DstIP: ip4("224.0.0.18")}
	return serialize(t, &layers.Ethernet{SrcMAC: src, DstMAC: hw("01:00:5e:00:00:12"), EthernetType: layers.EthernetTypeIPv4}, ip,
		gopacket.Payload([]byte{0x31, 7, prio, 1, byte(cs >> 8 & 0xf), byte(cs), 0, 0, 10, 0, 0, 254}))
}

// vrrpMaster plays gwMAC announcing 10.0.0.254 and advertising it (VRRPv2,
// every second, priority 110) n times from t0.
func vrrpMaster(t *testing.T, r *rig, n int) {
	r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
	for i := 0; i < n; i++ {
		r.feed(t0.Add(time.Duration(i)*time.Second), vrrpFrame(t, gwMAC, "10.0.0.1", 110))
	}
}

// vrrpClaim plays evilMAC advertising at prio from at on and announcing
// the virtual address five times, as keepalived does becoming master.
func vrrpClaim(t *testing.T, r *rig, at time.Time, prio byte) {
	r.feed(at, vrrpFrame(t, evilMAC, "10.0.0.66", prio))
	for i := 0; i < 5; i++ {
		r.feed(at.Add(time.Duration(10+i)*time.Millisecond), garpFrame(t, evilMAC, "10.0.0.254"))
	}
	for i := 1; i < 4; i++ {
		r.feed(at.Add(time.Duration(i)*time.Second), vrrpFrame(t, evilMAC, "10.0.0.66", prio))
	}
}

// TestVRRPForgedShortInterval: one VRRPv3 advert forged under the live
// master's MAC naming an interval of 10 ms, the attacker's own claim 30 ms
// later, is a takeover (was nothing when the group took the forged
// interval and its master for down after 29 ms); so are three forged
// adverts in 20 ms on a LAN whose gateway runs no VRRP, the attacker's
// claim 40 ms later (three claims of the owner in 20 ms made the move a
// handover).
func TestVRRPForgedShortInterval(t *testing.T) {
	r := newRig(t, Config{})
	vrrpMaster(t, r, 10)
	forged := t0.Add(9500 * time.Millisecond)
	r.feed(forged, vrrp3Frame(t, gwMAC, "10.0.0.1", 110, 1))
	vrrpClaim(t, r, forged.Add(30*time.Millisecond), 200)
	if len(r.of(inventory.EventFHRPTakeover)) == 0 || len(r.of(inventory.EventARPSpoof)) != 0 {
		t.Errorf("a forged 10 ms interval, then a claim 30 ms later, raised %+v, want fhrp_takeover, its ARPs folded in (review 37a P12a)", r.all())
	}
	r = newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.254")})
	r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
	for i := 0; i < 3; i++ {
		r.feed(t0.Add(time.Second+time.Duration(i)*10*time.Millisecond), vrrp3Frame(t, gwMAC, "10.0.0.254", 100, 1))
	}
	vrrpClaim(t, r, t0.Add(time.Second+60*time.Millisecond), 200)
	if len(r.of(inventory.EventFHRPTakeover)) == 0 || len(r.of(inventory.EventARPSpoof)) != 0 {
		t.Errorf("three forged adverts in 20 ms, then a claim, raised %+v, want fhrp_takeover, its ARPs folded in (review 37a P12a)", r.all())
	}
}

// TestVRRPClaimBeforeSkew: a claimant at priority 200 advertising 3.05 s
// after the master's last advertisement (interval 1 s) claims before its
// Master_Down_Interval (RFC 5798 6.1: 3 s + (256-200)/256 s = 3.22 s): a
// takeover of a live master, Critical (was quiet from 2.875 s on).
func TestVRRPClaimBeforeSkew(t *testing.T) {
	r := newRig(t, Config{})
	vrrpMaster(t, r, 10)
	vrrpClaim(t, r, t0.Add(9*time.Second+3050*time.Millisecond), 200)
	evs := r.of(inventory.EventFHRPTakeover)
	if len(evs) == 0 || evs[0].Severity != inventory.SeverityCritical {
		t.Errorf("a claim at priority 200 3.05 s after the master's last advert raised %+v, want fhrp_takeover Critical", r.all())
	}
}

// TestVRRPQuickFailback: the master resigns (priority 0), the backup
// advertises twice and announces the address, the master comes back and
// announces it again: a failback to the group's earlier master, quiet as
// at 981099b (was arp_spoof High on the master: the backup's two claims
// did not make it a master that handed the address on).
func TestVRRPQuickFailback(t *testing.T) {
	backup := hw("f0:1f:af:00:00:11")
	r := newRig(t, Config{})
	vrrpMaster(t, r, 10)
	r.feed(t0.Add(9500*time.Millisecond), vrrpFrame(t, gwMAC, "10.0.0.1", 0))
	up := t0.Add(10 * time.Second)
	for i := 0; i < 2; i++ {
		r.feed(up.Add(time.Duration(i)*time.Second), vrrpFrame(t, backup, "10.0.0.11", 100))
		r.feed(up.Add(time.Duration(i)*time.Second+10*time.Millisecond), garpFrame(t, backup, "10.0.0.254"))
	}
	back := up.Add(1500 * time.Millisecond)
	for i := 0; i < 5; i++ {
		at := back.Add(time.Duration(i) * time.Second)
		r.feed(at, vrrpFrame(t, gwMAC, "10.0.0.1", 110))
		r.feed(at.Add(10*time.Millisecond), garpFrame(t, gwMAC, "10.0.0.254"))
	}
	if evs := r.all(); len(evs) != 0 {
		t.Errorf("a quick failback raised %+v", evs)
	}
}

// TestVRRPBackupAfterImpostor: a backup never heard in the group becoming
// master 3.5 s after an impostor (already raised) fell silent is no
// stranger's claim: the Medium is for a router taking over from a master
// that raised nothing (real-arpspoof-vrrp: the real backup after the
// attacker's advertisements stopped).
func TestVRRPBackupAfterImpostor(t *testing.T) {
	backup := hw("f0:1f:af:00:00:11")
	r := newRig(t, Config{})
	vrrpMaster(t, r, 10)
	vrrpClaim(t, r, t0.Add(9500*time.Millisecond), 255)
	up := t0.Add(16 * time.Second)
	for i := 0; i < 4; i++ {
		r.feed(up.Add(time.Duration(i)*time.Second), vrrpFrame(t, backup, "10.0.0.11", 100))
	}
	for _, ev := range r.of(inventory.EventFHRPTakeover) {
		if ev.MAC.String() == backup.String() {
			t.Errorf("the backup taking over from a silent impostor raised %+v", ev)
		}
	}
	if len(r.of(inventory.EventFHRPTakeover)) == 0 {
		t.Errorf("the impostor raised %+v, want fhrp_takeover", r.all())
	}
}
