package traffic

import (
	"encoding/binary"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// hsrp2Body is HSRPv2's group state TLV for group grp: the router's MAC,
// priority, hello 3 s, hold 10 s, the virtual address vip.
func hsrp2Body(src net.HardwareAddr, op, state byte, grp uint16, prio uint32, vip netip.Addr) []byte {
	b := []byte{1, 40, 2, op, state, 4, 0, 0}
	if vip.Is6() {
		b[5] = 6
	}
	b = binary.BigEndian.AppendUint16(b[:6], grp)
	b = append(b, src...)
	b = binary.BigEndian.AppendUint32(b, prio)
	b = binary.BigEndian.AppendUint32(b, 3000)
	b = binary.BigEndian.AppendUint32(b, 10000)
	a := vip.As16()
	if vip.Is4() {
		a = [16]byte{}
		copy(a[:], vip.AsSlice())
	}
	return append(b, a[:]...)
}

// hsrp2Frame is an HSRPv2 message over IPv4 for group 1001, virtual 10.0.0.254.
func hsrp2Frame(t testing.TB, src net.HardwareAddr, srcIP string, op, state byte, prio uint32) []byte {
	b := hsrp2Body(src, op, state, 1001, prio, netip.MustParseAddr("10.0.0.254"))
	return udpFrame(t, src, srcIP, hsrpPort, hw("01:00:5e:00:00:66"), "224.0.0.102", hsrpPort, b)
}

func udp6Frame(t testing.TB, src net.HardwareAddr, srcIP string, dst net.HardwareAddr, dstIP string, port uint16, payload []byte) []byte {
	ip := &layers.IPv6{Version: 6, HopLimit: 255, NextHeader: layers.IPProtocolUDP, SrcIP: ip6(srcIP), DstIP: ip6(dstIP)}
	udp := &layers.UDP{SrcPort: layers.UDPPort(port), DstPort: layers.UDPPort(port)}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: layers.EthernetTypeIPv6}, ip, udp, gopacket.Payload(payload))
}

// hsrp6Frame is HSRP for IPv6 (version 2, UDP 2029 to ff02::66), group 2, virtual fe80::5:73ff:fea0:2.
func hsrp6Frame(t testing.TB, src net.HardwareAddr, srcIP string, op, state byte, prio uint32) []byte {
	b := hsrp2Body(src, op, state, 2, prio, netip.MustParseAddr("fe80::5:73ff:fea0:2"))
	return udp6Frame(t, src, srcIP, hw("33:33:00:00:00:66"), "ff02::66", hsrp6Port, b)
}

// vrrp6Frame is a VRRPv3 advertisement over IPv6 for VRID 7 every second, virtual fe80::1.
func vrrp6Frame(t testing.TB, src net.HardwareAddr, srcIP string, prio byte) []byte {
	ip := &layers.IPv6{Version: 6, HopLimit: 255, NextHeader: vrrpProtocol, SrcIP: ip6(srcIP), DstIP: ip6("ff02::12")}
	b := append([]byte{0x31, 7, prio, 1, 0, 100, 0, 0}, ip6("fe80::1")...)
	return serialize(t, &layers.Ethernet{SrcMAC: src, DstMAC: hw("33:33:00:00:00:12"), EthernetType: layers.EthernetTypeIPv6}, ip, gopacket.Payload(b))
}

// Every form of HSRP and VRRP the routers speak: a stranger's coup while
// the active router lives is a takeover, a failover after the hold time
// is none.
func TestFHRPVersions(t *testing.T) {
	standby := hw("00:1a:a1:00:00:02")
	cases := []struct {
		name    string
		frame   func(m net.HardwareAddr, ip6, ip4 string, active bool, prio byte) []byte
		every   time.Duration
		evilIP  string
		virtual string
	}{
		{"HSRPv2", func(m net.HardwareAddr, _, ip4 string, active bool, prio byte) []byte {
			st := byte(5)
			if active {
				st = hsrp2Active
			}
			return hsrp2Frame(t, m, ip4, 0, st, uint32(prio))
		}, 3 * time.Second, "10.0.0.66", "10.0.0.254"},
		{"HSRPv2 IPv6", func(m net.HardwareAddr, ip6, _ string, active bool, prio byte) []byte {
			st := byte(5)
			if active {
				st = hsrp2Active
			}
			return hsrp6Frame(t, m, ip6, 0, st, uint32(prio))
		}, 3 * time.Second, "fe80::66", "fe80::5:73ff:fea0:2"},
		{"VRRPv3 IPv6", func(m net.HardwareAddr, ip6, _ string, active bool, prio byte) []byte {
			if !active {
				return nil // a backup is silent
			}
			return vrrp6Frame(t, m, ip6, prio)
		}, time.Second, "fe80::66", "fe80::1"},
	}
	for _, c := range cases {
		hello := func(r *rig, at time.Time, m net.HardwareAddr, ip6, ip4 string, active bool, prio byte) {
			if f := c.frame(m, ip6, ip4, active, prio); f != nil {
				r.feed(at, f)
			}
		}
		t.Run(c.name+" coup", func(t *testing.T) {
			r := newRig(t, Config{})
			for i := 0; i < 4; i++ {
				at := t0.Add(time.Duration(i) * c.every)
				hello(r, at, gwMAC, "fe80::1:1", "10.0.0.1", true, 110)
				hello(r, at, standby, "fe80::1:2", "10.0.0.2", false, 100)
			}
			hello(r, t0.Add(4*c.every), evilMAC, "fe80::66", "10.0.0.66", true, 255)
			ev := wantOne(t, r, inventory.EventFHRPTakeover, evilMAC.String(), c.evilIP)
			if ev.TargetIP.String() != c.virtual || ev.TargetMAC.String() != gwMAC.String() {
				t.Errorf("target %s %s, want %s and the active router", ev.TargetIP, ev.TargetMAC, c.virtual)
			}
		})
		t.Run(c.name+" failover", func(t *testing.T) {
			r := newRig(t, Config{})
			for i := 0; i < 4; i++ {
				at := t0.Add(time.Duration(i) * c.every)
				hello(r, at, gwMAC, "fe80::1:1", "10.0.0.1", true, 110)
				hello(r, at, standby, "fe80::1:2", "10.0.0.2", false, 100)
			}
			for i := 0; i < 5; i++ { // the active router is gone; the standby takes over after the hold time
				hello(r, t0.Add(15*time.Second+time.Duration(i)*c.every), standby, "fe80::1:2", "10.0.0.2", true, 100)
			}
			if evs := r.all(); len(evs) != 0 {
				t.Fatalf("a failover raised %+v", evs)
			}
		})
	}
}

// hsrpHellos plays m's HSRP v1 hellos every 3 s from from for n hellos.
func hsrpHellos(t *testing.T, r *rig, from time.Time, n int, m net.HardwareAddr, ip string, op, state, prio byte) {
	for i := 0; i < n; i++ {
		r.feed(from.Add(time.Duration(i)*3*time.Second), hsrpFrame(t, m, ip, op, state, prio))
	}
}

// An attacker claiming the active role before the real router's first
// hello in the capture, or after establishing itself as a standby
// speaker: both routers then go on claiming it.
func TestFHRPTwoActives(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	t.Run("coup before the active router spoke", func(t *testing.T) {
		r := newRig(t, Config{Gateway: gw})
		r.feed(t0, hsrpFrame(t, evilMAC, "10.0.0.66", hsrpCoup, hsrpActive, 255))
		hsrpHellos(t, r, t0.Add(time.Second), 5, evilMAC, "10.0.0.66", 0, hsrpActive, 255)
		hsrpHellos(t, r, t0.Add(2*time.Second), 5, gwMAC, "10.0.0.1", 0, hsrpActive, 110)
		ev := wantOne(t, r, inventory.EventFHRPTakeover, evilMAC.String(), "10.0.0.66")
		if ev.TargetMAC.String() != gwMAC.String() {
			t.Errorf("target %s, want the gateway", ev.TargetMAC)
		}
	})
	t.Run("standby speaker first, then a coup", func(t *testing.T) {
		r := newRig(t, Config{Gateway: gw})
		hsrpHellos(t, r, t0, 10, gwMAC, "10.0.0.1", 0, hsrpActive, 110)
		hsrpHellos(t, r, t0.Add(time.Second), 5, evilMAC, "10.0.0.66", 0, 8, 100) // standby for 12 s: known
		r.feed(t0.Add(16*time.Second), hsrpFrame(t, evilMAC, "10.0.0.66", hsrpCoup, hsrpActive, 255))
		hsrpHellos(t, r, t0.Add(17*time.Second), 5, evilMAC, "10.0.0.66", 0, hsrpActive, 255)
		hsrpHellos(t, r, t0.Add(30*time.Second), 3, gwMAC, "10.0.0.1", 0, hsrpActive, 110)
		wantOne(t, r, inventory.EventFHRPTakeover, evilMAC.String(), "10.0.0.66")
	})
	t.Run("no gateway named: priority 255", func(t *testing.T) {
		r := newRig(t, Config{})
		other := hw("00:1a:a1:00:00:09")
		hsrpHellos(t, r, t0, 5, other, "10.0.0.9", 0, hsrpActive, 255)
		hsrpHellos(t, r, t0.Add(time.Second), 5, gwMAC, "10.0.0.1", 0, hsrpActive, 110)
		wantOne(t, r, inventory.EventFHRPTakeover, other.String(), "10.0.0.9")
	})
	t.Run("benign", func(t *testing.T) {
		standby := hw("00:1a:a1:00:00:02")
		for name, play := range map[string]func(r *rig){
			// The active router reboots: the standby takes over after the
			// hold time; the router comes back, speaks, and preempts with a
			// coup; the standby resigns and says standby again.
			"preemption after a reboot": func(r *rig) {
				hsrpHellos(t, r, t0, 4, gwMAC, "10.0.0.1", 0, hsrpActive, 110)
				hsrpHellos(t, r, t0, 4, standby, "10.0.0.2", 0, 8, 100)
				hsrpHellos(t, r, t0.Add(22*time.Second), 10, standby, "10.0.0.2", 0, hsrpActive, 100)
				hsrpHellos(t, r, t0.Add(40*time.Second), 2, gwMAC, "10.0.0.1", 0, 4, 110) // speak
				r.feed(t0.Add(47*time.Second), hsrpFrame(t, gwMAC, "10.0.0.1", hsrpCoup, hsrpActive, 110))
				r.feed(t0.Add(47*time.Second), hsrpFrame(t, standby, "10.0.0.2", hsrpResign, hsrpActive, 100))
				hsrpHellos(t, r, t0.Add(48*time.Second), 10, gwMAC, "10.0.0.1", 0, hsrpActive, 110)
				hsrpHellos(t, r, t0.Add(49*time.Second), 10, standby, "10.0.0.2", 0, 8, 100)
			},
			// A planned priority change: the standby is raised to 120 and
			// preempts; the old active router says active once more before
			// it hears the coup.
			"planned priority change": func(r *rig) {
				hsrpHellos(t, r, t0, 5, gwMAC, "10.0.0.1", 0, hsrpActive, 110)
				hsrpHellos(t, r, t0, 5, standby, "10.0.0.2", 0, 8, 100)
				r.feed(t0.Add(14*time.Second), hsrpFrame(t, standby, "10.0.0.2", hsrpCoup, hsrpActive, 120))
				r.feed(t0.Add(14500*time.Millisecond), hsrpFrame(t, gwMAC, "10.0.0.1", 0, hsrpActive, 110))
				hsrpHellos(t, r, t0.Add(15*time.Second), 10, standby, "10.0.0.2", 0, hsrpActive, 120)
				hsrpHellos(t, r, t0.Add(16*time.Second), 10, gwMAC, "10.0.0.1", 0, 8, 110)
			},
			// The same group number on two subnets of an untagged mirror.
			"one group on two subnets": func(r *rig) {
				other := hw("00:1a:a1:00:00:09")
				hsrpHellos(t, r, t0, 5, gwMAC, "10.0.0.1", 0, hsrpActive, 110)
				for i := 0; i < 5; i++ {
					b := []byte{0, 0, hsrpActive, 3, 10, 100, 1, 0, 'c', 'i', 's', 'c', 'o', 0, 0, 0, 10, 1, 0, 254}
					r.feed(t0.Add(time.Duration(i)*3*time.Second+time.Second), udpFrame(t, other, "10.1.0.1", hsrpPort, hw("01:00:5e:00:00:02"), "224.0.0.2", hsrpPort, b))
				}
			},
			// keepalived's masters (own MACs) of VRID 7 on two subnets,
			// both at the default priority 100.
			"one VRID on two subnets at equal priority": func(r *rig) {
				a, b := hw("52:54:00:00:00:0a"), hw("52:54:00:00:00:0b")
				for i := range 20 {
					at := t0.Add(time.Duration(i) * time.Second)
					r.feed(at, vrrpFrame(t, a, "10.0.0.2", 100))
					f := vrrpFrame(t, b, "10.1.0.2", 100)
					f[14+20+8+1] = 1 // the virtual address 10.1.0.254 (checksums unread)
					r.feed(at.Add(500*time.Millisecond), f)
				}
			},
		} {
			t.Run(name, func(t *testing.T) {
				r := newRig(t, Config{Gateway: gw})
				play(r)
				if evs := r.all(); len(evs) != 0 {
					t.Fatalf("raised %+v", evs)
				}
			})
		}
	})
}

// keepalived (no virtual MAC) announces the virtual address from its own
// MAC when it becomes master: after a failover that is the address
// moving, not ARP spoofing; the same announcement from a stranger is.
func TestFHRPHandoverARP(t *testing.T) {
	backup := hw("f0:1f:af:00:00:11")
	play := func(r *rig, claimant net.HardwareAddr) {
		for i := 0; i < 5; i++ {
			at := t0.Add(time.Duration(i) * time.Second)
			r.feed(at, vrrpFrame(t, gwMAC, "10.0.0.1", 110))
			r.feed(at, arpFrame(t, 2, gwMAC, "10.0.0.254", hw("ff:ff:ff:ff:ff:ff"), "10.0.0.254"))
		}
		r.feed(t0.Add(5*time.Second), vrrpFrame(t, gwMAC, "10.0.0.1", 0)) // it stops: priority 0
		r.feed(t0.Add(5500*time.Millisecond), vrrpFrame(t, backup, "10.0.0.11", 100))
		for i := 0; i < 5; i++ {
			r.feed(t0.Add(5600*time.Millisecond+time.Duration(i)*time.Second), arpFrame(t, 2, claimant, "10.0.0.254", hw("ff:ff:ff:ff:ff:ff"), "10.0.0.254"))
		}
	}
	r := newRig(t, Config{})
	play(r, backup)
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("a VRRP failover raised %+v", evs)
	}
	r = newRig(t, Config{})
	play(r, evilMAC)
	if len(r.of(inventory.EventARPSpoof)) == 0 {
		t.Fatalf("a stranger's claim of the virtual address raised %+v, want arp_spoof", r.all())
	}
}

// A stranger active at a low priority before the gateway's first hello:
// the gateway (the MAC ARP ties to its address) outbids it at once, and
// the stranger is the culprit.
func TestFHRPGatewayOutbidsStranger(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	r.feed(t0, arpFrame(t, 2, gwMAC, "10.0.0.1", hw("ff:ff:ff:ff:ff:ff"), "10.0.0.1"))
	hsrpHellos(t, r, t0, 3, evilMAC, "10.0.0.66", 0, hsrpActive, 50)
	hsrpHellos(t, r, t0.Add(7*time.Second), 3, gwMAC, "10.0.0.1", 0, hsrpActive, 110)
	ev := wantOne(t, r, inventory.EventFHRPTakeover, evilMAC.String(), "10.0.0.66")
	if ev.TargetMAC.String() != gwMAC.String() {
		t.Errorf("target %s, want the gateway", ev.TargetMAC)
	}
}

// An HSRP coup whose IP source is forged to the gateway's address is a
// stranger's all the same: no router sends hellos from the virtual address.
func TestFHRPCoupFromGatewayAddress(t *testing.T) {
	vmac := hw("00:00:0c:07:ac:01")
	for _, src := range []string{"10.0.0.66", "10.0.0.254"} {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.254")})
		hsrpHellos(t, r, t0, 6, vmac, "10.0.0.2", 0, hsrpActive, 110)
		r.feed(t0.Add(18*time.Second), hsrpFrame(t, evilMAC, src, hsrpCoup, hsrpActive, 255))
		hsrpHellos(t, r, t0.Add(19*time.Second), 10, evilMAC, src, 0, hsrpActive, 255)
		wantOne(t, r, inventory.EventFHRPTakeover, evilMAC.String(), src)
	}
}

// The coup from the gateway's address, then the attacker's ARP for the
// virtual address from its own MAC: a man in the middle, not a handover.
func TestFHRPCoupThenARPForVirtualAddress(t *testing.T) {
	vmac := hw("00:00:0c:07:ac:01")
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.254")})
	for i := range 6 {
		at := t0.Add(time.Duration(i) * 3 * time.Second)
		r.feed(at, hsrpFrame(t, vmac, "10.0.0.2", 0, hsrpActive, 110))
		r.feed(at.Add(time.Second), arpFrame(t, 2, vmac, "10.0.0.254", hw("ff:ff:ff:ff:ff:ff"), "10.0.0.254"))
	}
	r.feed(t0.Add(18*time.Second), hsrpFrame(t, evilMAC, "10.0.0.254", hsrpCoup, hsrpActive, 255))
	for i := range 10 {
		at := t0.Add(19*time.Second + time.Duration(i)*time.Second)
		r.feed(at, hsrpFrame(t, evilMAC, "10.0.0.254", 0, hsrpActive, 255))
		r.feed(at.Add(100*time.Millisecond), arpFrame(t, 2, evilMAC, "10.0.0.254", hw("ff:ff:ff:ff:ff:ff"), "10.0.0.254"))
	}
	wantOne(t, r, inventory.EventFHRPTakeover, evilMAC.String(), "10.0.0.254")
}

// keepalived's master speaks from its own MAC (the one ARP ties to the
// gateway), so nobody uses the group's virtual MAC: an advertisement at 255
// forged from it is a stranger's.
func TestFHRPCoupFromUnusedVirtualMAC(t *testing.T) {
	master, vmac := hw("52:54:00:00:00:0a"), hw("00:00:5e:00:01:07")
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.254")})
	for i := range 10 {
		at := t0.Add(time.Duration(i) * time.Second)
		r.feed(at, vrrpFrame(t, master, "10.0.0.2", 100))
		r.feed(at.Add(100*time.Millisecond), arpFrame(t, 2, master, "10.0.0.254", hw("ff:ff:ff:ff:ff:ff"), "10.0.0.254"))
	}
	for i := range 10 {
		r.feed(t0.Add(10*time.Second+time.Duration(i)*time.Second), vrrpFrame(t, vmac, "10.0.0.66", 255))
	}
	wantOne(t, r, inventory.EventFHRPTakeover, vmac.String(), "10.0.0.66")
}

// tagged puts frame f on VLAN vid.
func tagged(f []byte, vid uint16) []byte {
	return append(append(f[:12:12], 0x81, 0x00, byte(vid>>8), byte(vid)), f[12:]...)
}

// A trunk's mirror shows HSRP group 1 on two VLANs: the gateway's routers
// are those of the group serving the gateway's address, whichever VLAN's
// group was heard first.
func TestGatewayRouterGroupOfTheGatewaysVLAN(t *testing.T) {
	vmac, r1, r2 := hw("00:00:0c:07:ac:01"), hw("00:1a:a1:00:00:01"), hw("00:1a:a1:00:00:02")
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.254")})
	other := hsrpFrame(t, r2, "10.1.0.2", 0, hsrpActive, 110)
	other[14+20+8+17] = 1 // the virtual address 10.1.0.254
	r.feed(t0, tagged(other, 20))
	for i := range 5 {
		at := t0.Add(time.Duration(i) * 3 * time.Second)
		r.feed(at.Add(time.Second), tagged(hsrpFrame(t, vmac, "10.0.0.2", 0, hsrpActive, 110), 10))
		r.feed(at.Add(2*time.Second), tagged(hsrpFrame(t, r1, "10.0.0.3", 0, 8, 100), 10))
	}
	r.feed(t0.Add(15*time.Second), tagged(arpFrame(t, 2, vmac, "10.0.0.254", hw("ff:ff:ff:ff:ff:ff"), "10.0.0.254"), 10))
	if !r.e.gatewayRouter(mac(r1)) {
		t.Error("the standby router of the gateway's group is not the gateway's")
	}
	if r.e.gatewayRouter(mac(r2)) {
		t.Error("the active router of VLAN 20's group is taken for the gateway's")
	}
}

// VRRP over IPv6 is version 3 only (RFC 5798): a version 2 advertisement
// to ff02::12 is no group's.
func TestVRRPv2OverIPv6Ignored(t *testing.T) {
	r := newRig(t, Config{})
	f := vrrp6Frame(t, gwMAC, "fe80::1:1", 100)
	f[14+40] = 0x21
	r.feed(t0, f)
	if n := r.e.l2.nFHRP; n != 0 {
		t.Fatalf("a VRRPv2 advertisement over IPv6 made %d groups", n)
	}
	r.feed(t0, vrrp6Frame(t, gwMAC, "fe80::1:1", 100))
	if n := r.e.l2.nFHRP; n != 1 {
		t.Fatalf("a VRRPv3 advertisement over IPv6 made %d groups, want 1", n)
	}
}
