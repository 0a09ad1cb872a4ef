package traffic

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// dhcpRequestFor builds a client's broadcast REQUEST from its own MAC m
// asking for the address ip (option 50).
func dhcpRequestFor(t testing.TB, m net.HardwareAddr, ip string, xid uint32) []byte {
	d := &layers.DHCPv4{Operation: layers.DHCPOpRequest, HardwareType: layers.LinkTypeEthernet, HardwareLen: 6, Xid: xid,
		ClientHWAddr: m, Options: layers.DHCPOptions{
			layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{byte(layers.DHCPMsgTypeRequest)}),
			layers.NewDHCPOption(layers.DHCPOptRequestIP, ip4(ip).To4()),
			layers.NewDHCPOption(layers.DHCPOptEnd, nil),
		}}
	ip4h := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip4("0.0.0.0"), DstIP: ip4("255.255.255.255")}
	udp := &layers.UDP{SrcPort: 68, DstPort: 67}
	udp.SetNetworkLayerForChecksum(ip4h)
	return serialize(t, &layers.Ethernet{SrcMAC: m, DstMAC: bcast, EthernetType: layers.EthernetTypeIPv4}, ip4h, udp, d)
}

func ownMAC(i int) net.HardwareAddr {
	return net.HardwareAddr{0x00, 0x5a, 0x17, byte(i >> 16), byte(i >> 8), byte(i)} // burned in (burnedIn)
}

func starvations(r *rig) int {
	n := 0
	for _, ev := range r.events {
		if ev.Type == inventory.EventDHCPStarvation {
			n++
		}
	}
	return n
}

// TestStarvationPendingVerdict: a count waiting for its boot-storm verdict
// starts no fresh window, so an attack that keeps going (or one more
// DISCOVER after Window) neither hides nor erases it.
func TestStarvationPendingVerdict(t *testing.T) {
	t.Run("20 own-MAC DISCOVERs a second for 5 min", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 20 * 300 {
			r.feed(t0.Add(time.Duration(i)*50*time.Millisecond), dhcpDiscover(t, ownMAC(i), ownMAC(i), uint32(i)))
		}
		if n := starvations(r); n != 1 {
			t.Fatalf("%d dhcp_starvation events before any flush, want 1", n)
		}
	})
	t.Run("300 in 3 s, one more at 60.2 s, then quiet", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 300 {
			r.feed(t0.Add(time.Duration(i)*10*time.Millisecond), dhcpDiscover(t, ownMAC(i), ownMAC(i), uint32(i)))
		}
		r.feed(t0.Add(60200*time.Millisecond), dhcpDiscover(t, ownMAC(999), ownMAC(999), 999))
		r.baseline(t0.Add(61*time.Second), 5*time.Minute)
		if n := len(r.of(inventory.EventDHCPStarvation)); n != 1 {
			t.Fatalf("%d dhcp_starvation events, want 1", n)
		}
	})
	t.Run("DHCPig's pace", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 165 { // one every 0.4 s from a new source MAC = chaddr: 150 in 60 s, then 6 s more
			r.feed(t0.Add(time.Duration(i)*400*time.Millisecond), dhcpDiscover(t, ownMAC(i), ownMAC(i), uint32(i)))
		}
		if n := len(r.of(inventory.EventDHCPStarvation)); n != 1 {
			t.Fatalf("%d dhcp_starvation events, want 1", n)
		}
	})
}

// TestStarvationWholePopulation: a few real clients ahead of a flood of
// forged ones buy it no boot-storm pass, whether their lease is seen in
// an ACK or only asked for in a REQUEST; a storm whose ACKs are unseen
// (unicast, off the mirror) is still a storm.
func TestStarvationWholePopulation(t *testing.T) {
	for _, ack := range []bool{true, false} {
		t.Run(fmt.Sprintf("40 real then 960 forged, ACK seen %v", ack), func(t *testing.T) {
			r := newRig(t, Config{})
			feedClients(t, r, 0, 40, ack, true)
			feedForged(t, r, 960, t0.Add(2*time.Second), 5*time.Millisecond)
			r.baseline(t0.Add(10*time.Second), 3*time.Minute)
			if n := len(r.of(inventory.EventDHCPStarvation)); n != 1 {
				t.Fatalf("%d dhcp_starvation events, want 1", n)
			}
		})
	}
	t.Run("a storm of 80, ACKs unseen", func(t *testing.T) {
		r := newRig(t, Config{})
		feedClients(t, r, 0, 80, false, true)
		r.baseline(t0.Add(10*time.Second), 3*time.Minute)
		if n := len(r.of(inventory.EventDHCPStarvation)); n != 0 {
			t.Fatalf("%d dhcp_starvation events for a boot storm, want 0", n)
		}
	})
}

// feedClients feeds n clients from ownMAC(first) on, 50 ms apart, each
// asking (DISCOVER, REQUEST with option 50), acknowledged if ack, and
// announcing its lease in one gratuitous ARP if use.
func feedClients(t *testing.T, r *rig, first, n int, ack, use bool) {
	for i := range n {
		m, at := ownMAC(first+i), t0.Add(time.Duration(i)*50*time.Millisecond)
		ip := fmt.Sprintf("10.0.1.%d", 10+i)
		r.feed(at, dhcpDiscover(t, m, m, uint32(i)))
		r.feed(at.Add(time.Second), dhcpRequestFor(t, m, ip, uint32(i)))
		if ack {
			r.feed(at.Add(1100*time.Millisecond), dhcpReply(t, gwMAC, "10.0.0.1", m, ip, "10.0.0.1", 5))
		}
		if use {
			r.feed(at.Add(2*time.Second), arpFrame(t, layers.ARPRequest, m, ip, nil, ip))
		}
	}
}

// feedForged feeds n forged clients from ownMAC(1000) on, one DISCOVER
// each, every gap from start: a starvation tool's loop.
func feedForged(t *testing.T, r *rig, n int, start time.Time, gap time.Duration) {
	for i := range n {
		m := ownMAC(1000 + i)
		r.feed(start.Add(time.Duration(i)*gap), dhcpDiscover(t, m, m, uint32(i)))
	}
}

// TestStarvationAfterStorm: a storm's verdict keeps counting the clients
// too young to be judged (a flood behind real clients is raised), and a
// storm needs most of its clients alive, not half.
func TestStarvationAfterStorm(t *testing.T) {
	t.Run("80 real, then 300 forged 50 s later", func(t *testing.T) {
		r := newRig(t, Config{})
		feedClients(t, r, 0, 80, true, true)
		feedForged(t, r, 300, t0.Add(50*time.Second), 10*time.Millisecond)
		r.baseline(t0.Add(60*time.Second), 3*time.Minute)
		if n := starvations(r); n != 1 {
			t.Fatalf("%d dhcp_starvation events, want 1", n)
		}
	})
	t.Run("60 of 100 alive", func(t *testing.T) {
		r := newRig(t, Config{})
		feedClients(t, r, 0, 60, true, true)
		feedClients(t, r, 60, 40, true, false)
		r.baseline(t0.Add(10*time.Second), 3*time.Minute)
		if n := starvations(r); n != 1 {
			t.Fatalf("%d dhcp_starvation events, want 1", n)
		}
	})
}

// TestStarvationPaddedWithOwnMAC: dhcpstarv's loop (one MAC, a forged
// client address per DISCOVER) padded with REQUESTs under its own MAC for
// its own, used address is raised at once: "at once" counts distinct
// forged clients, not messages, and forged clients are never alive.
func TestStarvationPaddedWithOwnMAC(t *testing.T) {
	for _, pad := range []int{0, 2, 5} {
		t.Run(fmt.Sprintf("%d own REQUESTs per forged DISCOVER", pad), func(t *testing.T) {
			r := newRig(t, Config{})
			at := t0
			r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
			for i := range 10 * 300 {
				at = at.Add(100 * time.Millisecond)
				r.feed(at, dhcpDiscover(t, evilMAC, net.HardwareAddr{0x02, 0xde, 0xad, 0, byte(i >> 8), byte(i)}, uint32(i)))
				for range pad {
					r.feed(at, dhcpRequestFor(t, evilMAC, "10.0.0.66", uint32(100000+i)))
				}
				if i%50 == 0 {
					r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
				}
			}
			if n := starvations(r); n != 1 {
				t.Fatalf("%d dhcp_starvation events before any flush, want 1", n)
			}
		})
	}
}

// TestStarvationFlushMidStorm: a storm still in progress when the watch
// stops is judged by the clients starveGrace old, and raises nothing when
// none is.
func TestStarvationFlushMidStorm(t *testing.T) {
	r := newRig(t, Config{})
	r.baseline(t0.Add(-3*time.Minute), 3*time.Minute)
	feedClients(t, r, 0, 60, false, true) // 60 over 3 s, each using its lease 2 s later
	for i := range 30 {                   // 30 more still waiting for their OFFER
		m := ownMAC(500 + i)
		r.feed(t0.Add(4*time.Second+time.Duration(i)*100*time.Millisecond), dhcpDiscover(t, m, m, uint32(500+i)))
	}
	r.e.Flush()
	if n := starvations(r); n != 0 {
		t.Fatalf("%d dhcp_starvation events after a flush 8 s into a storm, want 0", n)
	}
}

// TestStarvationDevicesThatNeverARP: a power cut bringing back 60 cameras
// and sensors that never ARP for their lease is a boot storm where each
// shows it exists after its ACK: IPv6 router solicitations from its
// link-local address carrying its MAC, 4 s apart as RFC 4861 retries them
// (the only frames some send before their cloud connection). The same 60
// sending nothing more stay raised.
func TestStarvationDevicesThatNeverARP(t *testing.T) {
	for _, speak := range []bool{true, false} {
		t.Run(fmt.Sprintf("a frame after the ACK %v", speak), func(t *testing.T) {
			r := newRig(t, Config{})
			feedClients(t, r, 0, 60, true, false)
			for i := range 60 {
				if m := ownMAC(i); speak {
					rs := icmp6Frame(t, m, fmt.Sprintf("fe80::5a:17%02x", i), hw("33:33:00:00:00:02"), "ff02::2", 133, append(make([]byte, 4), append([]byte{1, 1}, m...)...))
					r.feed(t0.Add(4*time.Second+time.Duration(i)*20*time.Millisecond), rs)
					r.feed(t0.Add(8*time.Second+time.Duration(i)*20*time.Millisecond), rs)
				}
			}
			r.baseline(t0.Add(10*time.Second), 3*time.Minute)
			want := 0
			if !speak {
				want = 1
			}
			if n := starvations(r); n != want {
				t.Fatalf("%d dhcp_starvation events, want %d", n, want)
			}
		})
	}
}

// TestStarvationFullExchangeOneSign: 60 forged clients that each complete
// the exchange (DISCOVER, REQUEST, the server's ACK) and then send one
// sign of a stack, an ARP probe of the address the ACK gave or a router
// solicitation carrying the MAC, are starvation; the same clients probing
// as RFC 5227 does (three probes 1 s apart) or soliciting as RFC 4861 does
// (4 s apart) are a boot storm.
func TestStarvationFullExchangeOneSign(t *testing.T) {
	for _, tc := range []struct {
		name  string
		probe bool            // an ARP probe of the lease, else a router solicitation
		gaps  []time.Duration // after the first sign
		want  int
	}{
		{"one probe of the lease", true, nil, 1},
		{"one router solicitation", false, nil, 1},
		{"two probes within a second", true, []time.Duration{500 * time.Millisecond}, 1},
		{"three probes a second apart", true, []time.Duration{time.Second, 2 * time.Second}, 0},
		{"router solicitations 4 s apart", false, []time.Duration{4 * time.Second}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			feedClients(t, r, 0, 60, true, false)
			for i := range 60 {
				m, at := ownMAC(i), t0.Add(3*time.Second+time.Duration(i)*20*time.Millisecond)
				f := arpFrame(t, layers.ARPRequest, m, "0.0.0.0", nil, fmt.Sprintf("10.0.1.%d", 10+i))
				if !tc.probe {
					f = icmp6Frame(t, m, fmt.Sprintf("fe80::5a:17%02x", i), hw("33:33:00:00:00:02"), "ff02::2", 133, append(make([]byte, 4), append([]byte{1, 1}, m...)...))
				}
				r.feed(at, f)
				for _, g := range tc.gaps {
					r.feed(at.Add(g), f)
				}
			}
			r.baseline(t0.Add(10*time.Second), 3*time.Minute)
			if n := starvations(r); n != tc.want {
				t.Fatalf("%d dhcp_starvation events, want %d", n, tc.want)
			}
		})
	}
}
