package traffic

import (
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// raw6Frame is an IPv6 packet of the unassigned next header 253 (RFC
// 3692: experimentation) carrying n bytes: raw IP to the flood count.
func raw6Frame(t testing.TB, srcMAC net.HardwareAddr, src string, dstMAC net.HardwareAddr, dst string, n int) []byte {
	ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: 253, SrcIP: ip6(src), DstIP: ip6(dst)}
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv6}, ip, gopacket.Payload(make([]byte, n)))
}

// TestFloodForgedIPv6OwnAddress (review 43 P8): a dual-stack host's flood
// from the IPv6 address it solicits from is its own, named as sent, with
// no "forged" evidence; the same flood under an address ND binds to
// another host is forged and named by the sender's own address.
func TestFloodForgedIPv6OwnAddress(t *testing.T) {
	evil, pc, nas := hw("b8:27:eb:00:00:66"), hw("3c:52:82:00:00:10"), hw("00:11:32:00:00:30")
	for _, tc := range []struct {
		name, src, wantIP string
		forged            bool
	}{
		{"its own address", "fd43:1::66", "fd43:1::66", false},
		{"the PC's address", "fd43:1::10", "10.43.1.66", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.43.1.1")})
			t0 := time.Date(2026, 12, 8, 1, 0, 0, 0, time.UTC)
			r.feed(t0, arpFrame(t, 2, hw("00:1a:a1:00:00:01"), "10.43.1.1", evil, "10.43.1.66"))
			r.feed(t0, arpFrame(t, 2, evil, "10.43.1.66", hw("00:1a:a1:00:00:01"), "10.43.1.1"))
			r.feed(t0, icmp6Frame(t, evil, "fd43:1::66", hw("33:33:ff:00:00:30"), "ff02::1:ff00:30", 135, nsBody("fd43:1::30", evil)))
			r.feed(t0, icmp6Frame(t, pc, "fd43:1::10", nas, "fd43:1::30", 136, naBody(true, true, "fd43:1::10", pc)))
			for i := range 1500 {
				r.feed(t0.Add(time.Second+time.Duration(i)*100*time.Microsecond), raw6Frame(t, evil, tc.src, nas, "fd43:1::30", 1000))
			}
			got := r.of(inventory.EventFlood)
			if len(got) != 1 {
				t.Fatalf("%d flood events, want 1: %v", len(got), got)
			}
			said := false
			for _, ev := range got[0].Evidence {
				said = said || strings.Contains(ev.Detail, "forged")
			}
			if got[0].MAC.String() != evil.String() || got[0].IP.String() != tc.wantIP || said != tc.forged {
				t.Errorf("flood by %s (%s), forged said %v; want %s (%s), %v: %s %v", got[0].MAC, got[0].IP, said, evil, tc.wantIP, tc.forged, got[0].Summary, got[0].Evidence)
			}
		})
	}
}

// TestSpoofedSourceIPv6 (review 43 P6): an ICMPv6 echo request or Packet
// Too Big under an address ND binds to another MAC, from a MAC with an
// address of its own, is one spoofed_source naming the sender; the
// gateway forwarding, a MAC that claimed the address itself, one host
// behind two MACs, a MAC with no address of its own and any MAC while
// the gateway's is unknown are not.
func TestSpoofedSourceIPv6(t *testing.T) {
	evil, pc, nas, gw := hw("b8:27:eb:00:00:66"), hw("3c:52:82:00:00:10"), hw("00:11:32:00:00:30"), hw("00:1a:a1:00:00:01")
	ptb := make([]byte, 4+48) // MTU and the quoted packet's start (RFC 4443 3.2)
	ptb[2] = 0x05             // MTU 1280
	for _, tc := range []struct {
		name   string
		sender net.HardwareAddr
		setup  func(r *rig, at time.Time)
		typ    uint8
		want   int
		noGW   bool // the gateway not given: any MAC may be a router's
	}{
		{"Packet Too Big under the PC's address", evil, func(r *rig, at time.Time) {
			r.feed(at, icmp6Frame(t, evil, "fd43:1::66", hw("33:33:ff:00:00:30"), "ff02::1:ff00:30", 135, nsBody("fd43:1::30", evil)))
		}, 2, 1, false},
		{"echo requests under the PC's address", evil, func(r *rig, at time.Time) {
			r.feed(at, icmp6Frame(t, evil, "fe80::66", hw("33:33:ff:00:00:30"), "ff02::1:ff00:30", 135, nsBody("fd43:1::30", evil)))
		}, 128, 1, false},
		{"the sender has no address of its own", evil, func(*rig, time.Time) {}, 2, 0, false},
		{"the gateway's MAC unknown", evil, func(r *rig, at time.Time) {
			r.feed(at, icmp6Frame(t, evil, "fd43:1::66", hw("33:33:ff:00:00:30"), "ff02::1:ff00:30", 135, nsBody("fd43:1::30", evil)))
		}, 2, 0, true},
		{"the sender claimed the address too", evil, func(r *rig, at time.Time) {
			r.feed(at, icmp6Frame(t, evil, "fd43:1::66", hw("33:33:ff:00:00:30"), "ff02::1:ff00:30", 135, nsBody("fd43:1::30", evil)))
			r.feed(at, icmp6Frame(t, evil, "fd43:1::10", hw("33:33:ff:00:00:30"), "ff02::1:ff00:30", 135, nsBody("fd43:1::30", evil)))
		}, 2, 0, false},
		{"the gateway forwarding", gw, func(r *rig, at time.Time) {
			r.feed(at, icmp6Frame(t, gw, "fd43:1::1", hw("33:33:ff:00:00:30"), "ff02::1:ff00:30", 135, nsBody("fd43:1::30", gw)))
		}, 128, 0, false},
		{"one host behind two MACs (bonding)", evil, func(r *rig, at time.Time) {
			r.feed(at, arpFrame(t, 2, pc, "10.43.1.10", gw, "10.43.1.1"))
			r.feed(at, arpFrame(t, 2, evil, "10.43.1.10", gw, "10.43.1.1"))
			r.feed(at, icmp6Frame(t, evil, "fd43:1::66", hw("33:33:ff:00:00:30"), "ff02::1:ff00:30", 135, nsBody("fd43:1::30", evil)))
		}, 2, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Gateway: netip.MustParseAddr("10.43.1.1")}
			if tc.noGW {
				cfg.Gateway = netip.Addr{}
			}
			r := newRig(t, cfg)
			t0 := time.Date(2026, 12, 8, 1, 0, 0, 0, time.UTC)
			r.feed(t0, arpFrame(t, 2, gw, "10.43.1.1", pc, "10.43.1.10"))
			r.feed(t0, icmp6Frame(t, pc, "fd43:1::10", nas, "fd43:1::30", 136, naBody(true, true, "fd43:1::10", pc)))
			tc.setup(r, t0.Add(time.Millisecond))
			body := []byte{0, 1, 0, 1}
			if tc.typ == 2 {
				body = ptb
			}
			for i := range 3 {
				r.feed(t0.Add(time.Duration(i+1)*time.Second), icmp6Frame(t, tc.sender, "fd43:1::10", nas, "fd43:1::30", tc.typ, body))
			}
			got := r.of(inventory.EventSpoofedSource)
			if len(got) != tc.want {
				t.Fatalf("%d spoofed_source events, want %d: %v", len(got), tc.want, got)
			}
			if tc.want == 1 && (got[0].MAC.String() != evil.String() || got[0].Severity != inventory.SeverityMedium || got[0].TargetIP != netip.MustParseAddr("fd43:1::10") || got[0].TargetMAC.String() != pc.String()) {
				t.Errorf("got %s %s for %s (%s), want evil Medium for fd43:1::10 (the PC): %s", got[0].MAC, got[0].Severity, got[0].TargetIP, got[0].TargetMAC, got[0].Summary)
			}
		})
	}
}

// TestNDPExhaustion (review 43 P3): a host sending packets to random
// addresses of the /64 through the router, which solicits each, is the
// neighbour discovery flood's culprit, the router its target; the
// router's solicitations with no host's packets before them (traffic from
// beyond it) still name the router.
func TestNDPExhaustion(t *testing.T) {
	evil, gw := hw("b8:27:eb:00:00:66"), hw("00:1a:a1:00:00:01")
	target := func(i int) string {
		return netip.AddrFrom16([16]byte{0xfd, 0x43, 0, 1, 12: byte(i >> 24), 13: byte(i >> 16), 14: byte(i >> 8), 15: byte(i)}).String()
	}
	for _, tc := range []struct {
		name      string
		triggered bool
		want      string
	}{
		{"a host's packets through the router", true, "b8:27:eb:00:00:66"},
		{"no host's packets: the router named", false, "00:1a:a1:00:00:01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.43.1.1")})
			t0 := time.Date(2026, 12, 8, 1, 0, 0, 0, time.UTC)
			r.feed(t0, arpFrame(t, 2, gw, "10.43.1.1", evil, "10.43.1.66"))
			r.feed(t0, arpFrame(t, 2, evil, "10.43.1.66", gw, "10.43.1.1"))
			for i := range 1000 {
				at := t0.Add(time.Second + time.Duration(i)*200*time.Microsecond)
				dst := target(i*7919 + 1)
				if tc.triggered {
					r.feed(at, raw6Frame(t, evil, "fd43:1::66", gw, dst, 100))
				}
				r.feed(at.Add(50*time.Microsecond), icmp6Frame(t, gw, "fe80::21a:a1ff:fe00:1", hw("33:33:ff:00:00:01"), "ff02::1:ff00:1", 135, nsBody(dst, gw)))
			}
			got := r.of(inventory.EventFlood)
			if len(got) != 1 {
				t.Fatalf("%d flood events, want 1: %v", len(got), got)
			}
			if got[0].MAC.String() != tc.want {
				t.Errorf("flood from %s, want %s: %s", got[0].MAC, tc.want, got[0].Summary)
			}
			if tc.triggered && (got[0].TargetMAC.String() != gw.String() || !strings.Contains(got[0].Summary, "exhaustion")) {
				t.Errorf("target %s, want the router %s: %s", got[0].TargetMAC, gw, got[0].Summary)
			}
		})
	}
}
