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

// TestVRRPForgedResignThenClaim: a priority-0 advert forged under the live
// master's MAC, the attacker's claim at priority 200 10 ms later (review
// 28d W1; recorded with keepalived 2.2.7, which ignores the forged advert
// from its own address and steps down for the higher priority): a takeover,
// Critical, as a backup at 200 waits its skew time (219 ms) after a
// priority 0; a backup below the master (100) claiming 620 ms after a real
// resignation (its skew: 609 ms; keepalived's claimed 610 to 640 ms after,
// session 30) stays quiet (a claimant above the resigned master is a
// stranger: TestVRRPResignThenStranger). Early low claims are Critical too
// (review 29c E5, session 30): priority 1 600 ms after (its skew 996 ms) and
// 100 400 ms after (609 ms); keepalived's backups claimed 0 to 31 ms after
// their skew, which half of it used to allow.
func TestVRRPForgedResignThenClaim(t *testing.T) {
	for _, c := range []struct {
		after time.Duration
		prio  byte
		want  int
	}{{10 * time.Millisecond, 200, 1}, {620 * time.Millisecond, 100, 0}, {600 * time.Millisecond, 1, 1}, {400 * time.Millisecond, 100, 1}} {
		r := newRig(t, Config{})
		vrrpMaster(t, r, 20)
		resign := t0.Add(19300 * time.Millisecond)
		r.feed(resign, vrrpFrame(t, gwMAC, "10.0.0.1", 0))
		vrrpClaim(t, r, resign.Add(c.after), c.prio)
		evs := r.of(inventory.EventFHRPTakeover)
		if len(evs) != c.want || c.want > 0 && (evs[0].Severity != inventory.SeverityCritical || evs[0].MAC.String() != evilMAC.String()) {
			t.Errorf("a claim %s after the master's priority 0 raised %+v, want %d Critical fhrp_takeover", c.after, r.all(), c.want)
		}
		if c.want == 0 && len(r.all()) != 0 {
			t.Errorf("a backup taking over after its skew raised %+v", r.all())
		}
	}
}

// TestVRRPAdvertsOnlyAroundTakeover: the gateway's MAC held 10.0.0.254 for
// 20 s without a VRRP advert; three adverts under it spread over 2.1 s, a
// priority 0 and the attacker's claim at 255 with gratuitous ARPs (review
// 28d W5): the address moving is arp_spoof, as the adverts appeared only
// around the takeover. The same with the master advertising from the start
// is a failover, quiet.
func TestVRRPAdvertsOnlyAroundTakeover(t *testing.T) {
	for _, from := range []time.Duration{20 * time.Second, 0} {
		r := newRig(t, Config{})
		r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
		var last time.Time
		for at := from; at <= 22100*time.Millisecond; at += 1050 * time.Millisecond {
			last = t0.Add(at)
			r.feed(last, vrrp3Frame(t, gwMAC, "10.0.0.1", 255, 100))
		}
		r.feed(last.Add(100*time.Millisecond), vrrp3Frame(t, gwMAC, "10.0.0.1", 0, 100))
		vrrpClaim(t, r, last.Add(110*time.Millisecond), 255)
		spoof := len(r.of(inventory.EventARPSpoof))
		if from > 0 && spoof == 0 {
			t.Errorf("adverts only around the takeover raised %+v, want arp_spoof", r.all())
		}
		if from == 0 && len(r.all()) != 0 {
			t.Errorf("a resignation and failover of a master advertising all along raised %+v", r.all())
		}
	}
}

// TestVRRPOwnClaimsNoFailback: on the same LAN without VRRP, the attacker
// announces the address only from two seconds after its claim, its own
// three adverts spanning two intervals by then (the staged arping
// recording): arp_spoof. Its claims since it took the role from the
// gateway do not make it an earlier master taking the address back (was
// quiet: handedFrom(m) counted them).
func TestVRRPOwnClaimsNoFailback(t *testing.T) {
	r := newRig(t, Config{})
	r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
	for i := 0; i < 3; i++ {
		r.feed(t0.Add(20*time.Second+time.Duration(i)*1100*time.Millisecond), vrrp3Frame(t, gwMAC, "10.0.0.1", 255, 100))
	}
	claim := t0.Add(22300 * time.Millisecond)
	r.feed(claim.Add(-10*time.Millisecond), vrrp3Frame(t, gwMAC, "10.0.0.1", 0, 100))
	for i := 0; i < 8; i++ {
		r.feed(claim.Add(time.Duration(i)*time.Second), vrrp3Frame(t, evilMAC, "10.0.0.66", 255, 100))
	}
	for i := 0; i < 3; i++ {
		r.feed(claim.Add(2100*time.Millisecond+time.Duration(i)*2*time.Second), garpFrame(t, evilMAC, "10.0.0.254"))
	}
	if evs := r.of(inventory.EventARPSpoof); len(evs) == 0 || evs[0].MAC.String() != evilMAC.String() {
		t.Errorf("announcements 2 s after a claim over a LAN without VRRP raised %+v, want arp_spoof naming the attacker", r.all())
	}
}

// TestARPBlindRepliesPoison: arpspoof without -t sends "gateway is-at
// <its MAC>" to broadcast every 2 s naming no target (0.0.0.0): replies
// nobody asked for, announcements, while the gateway still answers. The
// third is arp_spoof naming the attacker (was duplicate_ip Medium: a reply
// without a target counted as a use of the address, not an announcement).
func TestARPBlindRepliesPoison(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	r.feed(t0, arpFrame(t, layers.ARPRequest, pcMAC, "10.0.0.10", nil, "10.0.0.1"))
	r.feed(t0.Add(time.Millisecond), arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
	for i := 0; i < 4; i++ {
		at := t0.Add(time.Duration(1+2*i) * time.Second)
		r.feed(at, arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.1", bcast, "0.0.0.0"))
		r.feed(at.Add(500*time.Millisecond), arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
	}
	evs := r.of(inventory.EventARPSpoof)
	if len(evs) == 0 || evs[0].MAC.String() != evilMAC.String() || len(r.of(inventory.EventDuplicateIP)) != 0 {
		t.Errorf("arpspoof's replies without a target raised %+v, want arp_spoof naming it and no duplicate_ip", r.all())
	}
}

// vrrpUnicast is a VRRPv2 advertisement for VRID 7 sent to a peer's own
// address, as keepalived's unicast_peer sends it.
func vrrpUnicast(t testing.TB, src net.HardwareAddr, srcIP string, dst net.HardwareAddr, dstIP string, prio byte) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 255, Protocol: vrrpProtocol, SrcIP: ip4(srcIP), DstIP: ip4(dstIP)}
	return serialize(t, &layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: layers.EthernetTypeIPv4}, ip,
		gopacket.Payload([]byte{0x21, 7, prio, 1, 0, 1, 0, 0, 10, 0, 0, 254}))
}

// TestVRRPUnicastPeer: keepalived with unicast_peer advertises to its
// peer's address, not 224.0.0.18; a mirror port shows the copies. A
// stranger's claim beside the live master, sent to the same peer, is a
// takeover (was unseen: only the group address was read); adverts to an
// address no LAN host holds at that MAC are not read.
func TestVRRPUnicastPeer(t *testing.T) {
	peer := hw("00:1a:a1:00:00:03")
	for _, bound := range []bool{true, false} {
		r := newRig(t, Config{})
		if bound {
			r.feed(t0, arpFrame(t, layers.ARPRequest, gwMAC, "10.0.0.1", nil, "10.0.0.3"))
			r.feed(t0.Add(time.Millisecond), arpFrame(t, layers.ARPReply, peer, "10.0.0.3", gwMAC, "10.0.0.1"))
		}
		for i := 1; i < 10; i++ {
			r.feed(t0.Add(time.Duration(i)*time.Second), vrrpUnicast(t, gwMAC, "10.0.0.1", peer, "10.0.0.3", 110))
		}
		r.feed(t0.Add(9500*time.Millisecond), vrrpUnicast(t, evilMAC, "10.0.0.66", peer, "10.0.0.3", 200))
		if n := len(r.of(inventory.EventFHRPTakeover)); bound != (n == 1) {
			t.Errorf("unicast adverts to a peer bound in ARP %v raised %+v", bound, r.all())
		}
	}
}
