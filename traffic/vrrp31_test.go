package traffic

import (
	"cmp"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// vrrpVerFrame is a VRRP advertisement of version ver for VRID 7,
// 10.0.0.254, at prio, naming an interval of every (version 2: whole
// seconds; version 3: centiseconds).
func vrrpVerFrame(t testing.TB, ver byte, src net.HardwareAddr, srcIP string, prio byte, every time.Duration) []byte {
	n := uint16(every / time.Second)
	if ver == 3 {
		n = uint16(every / (10 * time.Millisecond))
	}
	ip := &layers.IPv4{Version: 4, TTL: 255, Protocol: vrrpProtocol, SrcIP: ip4(srcIP), DstIP: ip4("224.0.0.18")}
	return serialize(t, &layers.Ethernet{SrcMAC: src, DstMAC: hw("01:00:5e:00:00:12"), EthernetType: layers.EthernetTypeIPv4}, ip,
		gopacket.Payload([]byte{ver<<4 | 1, 7, prio, 1, byte(n >> 8 & 0xf), byte(n), 0, 0, 10, 0, 0, 254}))
}

// vrrpSlowFailover plays keepalived at advert_int 3 in version ver: the
// backup (priority 100) was master a minute before, the master (gwMAC,
// 150) announces 10.0.0.254 and advertises six times, then crashes; the
// claimant m (at ip, prio) advertises after down and announces the
// address as keepalived does (five gratuitous ARPs), then every interval.
func vrrpSlowFailover(t *testing.T, ver byte, m net.HardwareAddr, ip string, prio byte, down time.Duration) *rig {
	const every = 3 * time.Second
	backup := hw("f0:1f:af:00:00:11")
	r := newRig(t, Config{})
	for i := 0; i < 5; i++ {
		r.feed(t0.Add(-time.Minute+time.Duration(i)*every), vrrpVerFrame(t, ver, backup, "10.0.0.11", 100, every))
	}
	r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
	for i := 0; i < 6; i++ {
		r.feed(t0.Add(time.Duration(i)*every), vrrpVerFrame(t, ver, gwMAC, "10.0.0.1", 150, every))
	}
	up := t0.Add(5*every + down)
	r.feed(up, vrrpVerFrame(t, ver, m, ip, prio, every))
	for i := 0; i < 5; i++ {
		r.feed(up.Add(time.Duration(10+i)*time.Millisecond), garpFrame(t, m, "10.0.0.254"))
	}
	for i := 1; i < 4; i++ {
		r.feed(up.Add(time.Duration(i)*every), vrrpVerFrame(t, ver, m, ip, prio, every))
	}
	return r
}

// TestVRRPv2SlowIntervalFailover: keepalived's VRRPv2 backup at priority
// 100 under a master advertising every 3 s takes over 9.61 s after the
// master's last advert (RFC 3768 6.1: Skew_Time (256-100)/256 s, in
// seconds whatever the interval; recorded: v31-v2-ai3-fail), quiet (was
// arp_spoof: lapsed took the skew as 156/256 of 3 s, 10.45 s); VRRPv3's
// skew is of the interval (RFC 5798: 10.83 s), its claim at 9.61 s and a
// stranger's v2 claim at 8.8 s still raise.
func TestVRRPv2SlowIntervalFailover(t *testing.T) {
	backup := hw("f0:1f:af:00:00:11")
	r := vrrpSlowFailover(t, 2, backup, "10.0.0.11", 100, 9610*time.Millisecond)
	if evs := r.all(); len(evs) != 0 {
		t.Errorf("a VRRPv2 failover at advert_int 3 after its Master_Down_Interval raised %+v", evs)
	}
	r = vrrpSlowFailover(t, 3, backup, "10.0.0.11", 100, 9610*time.Millisecond)
	if len(r.all()) == 0 {
		t.Errorf("a VRRPv3 claim at advert_int 3 1.2 s before its Master_Down_Interval raised nothing")
	}
	r = vrrpSlowFailover(t, 2, evilMAC, "10.0.0.66", 120, 8800*time.Millisecond)
	if len(r.of(inventory.EventARPSpoof)) == 0 {
		t.Errorf("a stranger's VRRPv2 claim before any Master_Down_Interval raised %+v, want arp_spoof", r.all())
	}
}

// TestVRRPFirstFailoverOneIncident: a backup never heard in the group
// becoming master after the master crashed (keepalived, the gateway's
// address) announces the address right after its first advert: one
// incident, the fhrp_takeover Medium naming it, no arp_spoof High or
// gateway_changed Critical beside it (recorded: v31-v2-ai3-fail; was
// both). The same MAC's unsolicited replies to one host (no router announces so),
// and another MAC announcing the address while the new master advertises,
// stay arp_spoof.
func TestVRRPFirstFailoverOneIncident(t *testing.T) {
	backup := hw("f0:1f:af:00:00:11")
	garp := func(time.Time) []byte { return garpFrame(t, backup, "10.0.0.254") }
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.254")})
	vrrpCrash(t, r, 6, backup, garp)
	if evs := r.all(); len(evs) != 1 || evs[0].Type != inventory.EventFHRPTakeover || evs[0].Severity != inventory.SeverityMedium {
		t.Errorf("a first failover raised %+v, want one Medium fhrp_takeover", evs)
	}
	r = newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.254")})
	vrrpCrash(t, r, 6, backup, func(time.Time) []byte {
		return arpFrame(t, layers.ARPReply, backup, "10.0.0.254", pcMAC, "10.0.0.10")
	})
	if len(r.of(inventory.EventARPSpoof)) == 0 {
		t.Errorf("unsolicited replies poisoning one host raised %+v, want arp_spoof", r.all())
	}
	r = newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.254")})
	vrrpCrash(t, r, 6, backup, func(time.Time) []byte { return garpFrame(t, evilMAC, "10.0.0.254") })
	if len(r.of(inventory.EventARPSpoof)) == 0 {
		t.Errorf("another MAC announcing the address as the new master advertises raised %+v, want arp_spoof", r.all())
	}
}

// TestVRRPUseVMACGARPsBetweenOwnRequests: right after a use_vmac failover
// the new master's kernel asks from its own MAC with the virtual address
// as sender (its address never bound: duplicate_ip, as before) between an
// attacker's gratuitous ARPs of the address (review 30c b1; recorded:
// v31-vmac-arping2): the attacker is arp_spoof, the routers are not (was
// duplicate_ip on the router only: each request reset the attacker's
// count of announcements).
func TestVRRPUseVMACGARPsBetweenOwnRequests(t *testing.T) {
	router := hw("f0:1f:af:00:00:11")
	r := newRig(t, Config{})
	type frame struct {
		at time.Duration
		b  []byte
	}
	var fs []frame
	for i := 0; i < 6; i++ {
		at := time.Duration(i) * time.Second
		fs = append(fs, frame{at, vrrpFrame(t, vmac7, "10.0.0.2", 100)},
			frame{at + 270*time.Millisecond, arpFrame(t, layers.ARPRequest, router, "10.0.0.254", pcMAC, "10.0.0.10")},
			frame{at + 580*time.Millisecond, arpFrame(t, layers.ARPRequest, router, "10.0.0.254", pcMAC, "10.0.0.10")})
	}
	for i := 0; i < 5; i++ {
		fs = append(fs, frame{time.Duration(100+200*i) * time.Millisecond, garpFrame(t, evilMAC, "10.0.0.254")})
	}
	slices.SortStableFunc(fs, func(a, b frame) int { return cmp.Compare(a.at, b.at) })
	r.feed(t0, garpFrame(t, vmac7, "10.0.0.254"))
	for _, f := range fs {
		r.feed(t0.Add(f.at), f.b)
	}
	spoofs := r.of(inventory.EventARPSpoof)
	if len(spoofs) != 1 || spoofs[0].MAC.String() != evilMAC.String() {
		t.Errorf("gratuitous ARPs between the master's own requests raised %+v, want one arp_spoof naming the attacker", r.all())
	}
}

// TestVRRPFoldKeepsOtherPoisoning: a first failover's announcements
// folded into the fhrp_takeover Medium must not silence the same MAC's
// poisoning of other hosts (review 31d fold-once: arpspoof -t .10 .20 and
// back after one advert and five gratuitous ARPs of the address were
// never raised: the folded claim noted the MAC as reported).
func TestVRRPFoldKeepsOtherPoisoning(t *testing.T) {
	backup, peer := hw("f0:1f:af:00:00:11"), hw("3c:52:82:00:00:20")
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.254")})
	vrrpCrash(t, r, 6, backup, func(time.Time) []byte { return garpFrame(t, backup, "10.0.0.254") })
	for i := 0; i < 10; i++ {
		at := t0.Add(time.Duration(14+2*i) * time.Second)
		r.feed(at, arpFrame(t, layers.ARPReply, backup, "10.0.0.20", pcMAC, "10.0.0.10"))
		r.feed(at.Add(10*time.Millisecond), arpFrame(t, layers.ARPReply, backup, "10.0.0.10", peer, "10.0.0.20"))
	}
	if spoofs := r.of(inventory.EventARPSpoof); len(spoofs) == 0 || spoofs[0].MAC.String() != backup.String() {
		t.Errorf("the new master's poisoning of two hosts after a folded failover raised %+v, want arp_spoof naming it", r.all())
	}
}

// TestVRRPInventedGroupOverLiveGateway: adverts invented for a gateway
// that runs no VRRP (a "master" that falls silent, then a "backup" that
// announces the address) do not make the poisoning of the live gateway a
// first failover: the address's owner must be the silent master (or the
// group's virtual MAC), unheard since its next advert was due (review
// 31d fake-group-garp: was the fhrp_takeover Medium alone). Forged under
// the gateway's own MAC, the gateway still talks: the same.
func TestVRRPInventedGroupOverLiveGateway(t *testing.T) {
	for _, master := range []net.HardwareAddr{hw("de:ad:be:ef:00:77"), gwMAC} {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.254")})
		r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
		for i := 0; i < 30; i++ { // the gateway answers the PC every second
			at := t0.Add(time.Duration(i)*time.Second + 500*time.Millisecond)
			r.feed(at, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.254", pcMAC, "10.0.0.10"))
		}
		for i := 0; i < 6; i++ {
			r.feed(t0.Add(time.Duration(i)*time.Second), vrrpFrame(t, master, "10.0.0.77", 200))
		}
		up := t0.Add(8700 * time.Millisecond)
		r.feed(up, vrrpFrame(t, evilMAC, "10.0.0.66", 100))
		for i := 0; i < 5; i++ {
			r.feed(up.Add(time.Duration(10+i)*time.Millisecond), garpFrame(t, evilMAC, "10.0.0.254"))
		}
		if len(r.of(inventory.EventARPSpoof)) == 0 {
			t.Errorf("master %s: a claim of the live gateway's address after an invented group raised %+v, want arp_spoof", master, r.all())
		}
	}
}
