package traffic

import (
	"net"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestRAFloodOneIncident replays thc-ipv6's router-advertisement floods
// (each advertisement from its own forged MAC and address): they must make
// one flood incident with no culprit MAC, not one rogue_ra per forged
// router.
func TestRAFloodOneIncident(t *testing.T) {
	for _, file := range []string{"flood-router6-thc.pcap", "flood-router26-thc.pcap"} {
		t.Run(file, func(t *testing.T) {
			evs := replayEvents(t, filepath.Join("testdata", "staged", file), labelled{Gateway: "10.88.8.1"})
			n, flood := 0, false
			for _, ev := range evs {
				if ev.Type != inventory.EventRogueRA {
					continue
				}
				n++
				if ev.MAC == nil && strings.Contains(ev.Summary, "flood") {
					flood = true
				}
			}
			if !flood || n > raFloodMACs {
				t.Errorf("%d rogue_ra events, a flood among them: %v; want one flood incident and at most %d events: %v", n, flood, raFloodMACs, evs)
			}
		})
	}
}

// ndBody is a neighbour solicitation or advertisement (RFC 4861 4.3, 4.4)
// for target, without options.
func ndBody(solicited bool, target netip.Addr) []byte {
	b := make([]byte, 20)
	if solicited {
		b[0] = 0x40
	}
	a := target.As16()
	copy(b[4:], a[:])
	return b
}

// TestNDPFlood: neighbour discovery at flood rate is one flood incident,
// naming the MAC only where one sent it and the target only where one was
// asked for; a busy link's and a solicitation flood's answers are none.
func TestNDPFlood(t *testing.T) {
	nas := netip.MustParseAddr("fd88:8::30")
	attacker := hw("b8:27:eb:00:00:66")
	forged := func(i int) net.HardwareAddr { return net.HardwareAddr{0x00, 0x18, 0, byte(i >> 8), byte(i), 1} }
	src := func(i int) string {
		return netip.AddrFrom16([16]byte{0xfe, 0x80, 14: byte(i >> 8), 15: byte(i)}).String()
	}
	group := hw("33:33:00:00:00:01")
	for _, tc := range []struct {
		name     string
		n        int
		every    time.Duration
		frame    func(i int) []byte
		want     int
		mac      string
		targetIP netip.Addr
	}{
		{"one MAC soliciting one host under forged addresses", 1000, time.Millisecond, func(i int) []byte {
			return icmp6Frame(t, attacker, src(i), group, "ff02::1", 135, ndBody(false, nas))
		}, 1, "b8:27:eb:00:00:66", nas},
		{"forged MACs advertising themselves (flood_advertise6)", 1000, 100 * time.Microsecond, func(i int) []byte {
			return icmp6Frame(t, forged(i), src(i), group, "ff02::1", 136, ndBody(false, netip.MustParseAddr(src(i))))
		}, 1, "", netip.Addr{}},
		{"forged MACs soliciting one host (flood_solicitate6)", 1000, 100 * time.Microsecond, func(i int) []byte {
			return icmp6Frame(t, forged(i), src(i), group, "ff02::1", 135, ndBody(false, nas))
		}, 1, "", nas},
		{"a busy link: 300 hosts, 50 solicitations a second", 1500, 20 * time.Millisecond, func(i int) []byte {
			return icmp6Frame(t, forged(i%300), src(i%300), hw("33:33:ff:00:00:30"), "ff02::1:ff00:30", 135, ndBody(false, nas))
		}, 0, "", netip.Addr{}},
		{"a host answering a solicitation flood", 1000, 100 * time.Microsecond, func(i int) []byte {
			return icmp6Frame(t, hw("00:11:32:00:00:30"), nas.String(), forged(i), src(i), 136, ndBody(true, nas))
		}, 0, "", netip.Addr{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			t0 := time.Date(2026, 12, 3, 19, 0, 0, 0, time.UTC)
			for i := range tc.n {
				r.feed(t0.Add(time.Duration(i)*tc.every), tc.frame(i))
			}
			got := r.of(inventory.EventFlood)
			if len(got) != tc.want {
				t.Fatalf("%d flood events, want %d: %v", len(got), tc.want, got)
			}
			if tc.want == 0 {
				return
			}
			if m := got[0].MAC.String(); m != tc.mac || got[0].TargetIP != tc.targetIP {
				t.Errorf("flood from %q for %v, want from %q for %v: %s", m, got[0].TargetIP, tc.mac, tc.targetIP, got[0].Summary)
			}
		})
	}
}

// TestBusyServerSolicitsNoSweep: a server that forgot its neighbours
// solicits each of forty IPv6 clients (multicast) to answer the frame the
// client just sent, then re-checks it (unicast, RFC 4861 7.3.3): no
// host_sweep. The same solicitations with no frame from the target, or
// one sent too long before, are probes and make one.
func TestBusyServerSolicitsNoSweep(t *testing.T) {
	server, serverIP := hw("00:11:32:00:00:30"), "fd88:8::30"
	for _, tc := range []struct {
		name  string
		heard time.Duration // how long before the solicitation the client spoke; 0: never
		want  int
	}{
		{"answering clients", time.Millisecond, 0},
		{"answering after a slow server", 2 * time.Second, 0},
		{"clients heard too long ago", 5 * time.Second, 1},
		{"nobody spoke", 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.88.8.1")})
			for i := range 40 {
				at := t0.Add(10*time.Second + time.Duration(i)*time.Second)
				client := net.HardwareAddr{0x00, 0x50, 0x56, 0, 1, byte(i)}
				a := netip.AddrFrom16([16]byte{0xfd, 0x88, 0, 8, 14: 1, 15: byte(i)})
				if tc.heard != 0 {
					r.feed(at.Add(-tc.heard), icmp6Frame(t, client, a.String(), server, serverIP, 128, []byte{0, 1, 0, 1}))
				}
				group := net.HardwareAddr{0x33, 0x33, 0xff, 0, 1, byte(i)}
				r.feed(at, icmp6Frame(t, server, serverIP, group, "ff02::1:ff00:"+strconv.FormatInt(int64(0x100+i), 16), 135, ndBody(false, a)))
				r.feed(at.Add(5*time.Second), icmp6Frame(t, server, serverIP, client, a.String(), 135, ndBody(false, a)))
			}
			if got := r.of(inventory.EventHostSweep); len(got) != tc.want {
				t.Fatalf("%d host_sweep events, want %d: %+v", len(got), tc.want, got)
			}
		})
	}
}
