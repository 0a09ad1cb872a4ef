package traffic

import (
	"net"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestLoneDADDenial: a host's one duplicate address probe answered by a
// MAC whose answer is its first frame on the link is DAD denial
// (dos-new-ip6, review 32b), one nd_spoof naming that MAC; a host that
// claimed the address before, or talked before, defends it (a real
// duplicate, RFC 4862 5.4.4) and raises nothing.
func TestLoneDADDenial(t *testing.T) {
	target := netip.MustParseAddr("fd32:b::99")
	prober, defender := hw("00:1b:21:32:00:13"), hw("00:1b:7b:56:46:50")
	dad := icmp6Frame(t, prober, "::", hw("33:33:ff:00:00:99"), "ff02::1:ff00:99", 135, ndBody(false, target))
	na := func(m net.HardwareAddr) []byte {
		b := ndBody(false, target)
		b[0] = 0x20 // override, unsolicited
		return icmp6Frame(t, m, target.String(), hw("33:33:00:00:00:01"), "ff02::1", 136, b)
	}
	later := icmp6Frame(t, prober, "fe80::21b:21ff:fe32:13", hw("33:33:00:00:00:02"), "ff02::2", 133, []byte{0, 0, 0, 0})
	for _, tc := range []struct {
		name   string
		before []byte // a frame of the defender before the probe
		after  []byte // a frame a minute after it (dadGather)
		want   int
	}{
		{"a MAC never heard", nil, later, 1},
		{"a host that answered for the address", na(defender), later, 0},
		{"a host that talked before", icmp6Frame(t, defender, "fe80::21b:7bff:fe56:4650", hw("33:33:00:00:00:02"), "ff02::2", 133, []byte{0, 0, 0, 0}), later, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			if tc.before != nil {
				r.feed(t0.Add(time.Second), tc.before)
			}
			r.feed(t0.Add(5*time.Second), dad)
			r.feed(t0.Add(5*time.Second+500*time.Microsecond), na(defender))
			r.feed(t0.Add(5*time.Second+3*time.Millisecond), na(defender))
			r.feed(t0.Add(66*time.Second), tc.after)
			got := r.of(inventory.EventNDSpoof)
			if len(got) != tc.want {
				t.Fatalf("%d nd_spoof events, want %d: %v", len(got), tc.want, got)
			}
			if tc.want == 1 && (got[0].MAC.String() != defender.String() || got[0].TargetMAC.String() != prober.String() || got[0].TargetIP != target) {
				t.Errorf("nd_spoof by %v against %v for %v, want %v, %v, %v", got[0].MAC, got[0].TargetMAC, got[0].TargetIP, defender, prober, target)
			}
		})
	}
}

// TestDADDenialFixtures: the recorded dos-new-ip6 run makes one nd_spoof
// naming no MAC where three addresses were answered by three forged MACs.
// (dos-new-ip6-one-address-thc.pcap ends 8 s after its one denial, within
// dadGather: TestSilentHolderDefends.)
func TestDADDenialFixtures(t *testing.T) {
	for _, tc := range []struct{ file, gw, mac string }{
		{"dos-new-ip6-thc.pcap", "10.88.8.1", ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var got []inventory.Event
			for _, ev := range replayEvents(t, filepath.Join("testdata", "staged", tc.file), labelled{Gateway: tc.gw}) {
				if ev.Type == inventory.EventNDSpoof {
					got = append(got, ev)
				}
			}
			if len(got) != 1 || (tc.mac == "") != (got[0].MAC == nil) || tc.mac != "" && got[0].MAC.String() != tc.mac {
				t.Fatalf("nd_spoof events %v, want one by %q", got, tc.mac)
			}
		})
	}
}

// TestNDSpoofOneIncident: one MAC's spoofed neighbour advertisements for
// several hosts' addresses are one nd_spoof listing them all (parasite6,
// review 32b), High; Critical once a router's address is among them.
func TestNDSpoofOneIncident(t *testing.T) {
	spoofer := hw("00:1b:21:32:00:66")
	for _, tc := range []struct {
		name   string
		router bool
		want   inventory.Severity
	}{
		{"hosts only", false, inventory.SeverityHigh},
		{"and the router", true, inventory.SeverityCritical},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			at := t0
			if tc.router {
				ra := make([]byte, 12, 20)
				ra[0], ra[2] = 64, 0x07 // hop limit, router lifetime 1792 s
				r.feed(at, icmp6Frame(t, gwMAC, "fe80::1", hw("33:33:00:00:00:01"), "ff02::1", 134, append(append(ra, 1, 1), gwMAC...)))
			}
			owners := []net.HardwareAddr{hw("00:1b:21:32:00:11"), hw("00:1b:21:32:00:12"), hw("00:1b:21:32:00:13")}
			addrs := []string{"fd32:b::11", "fd32:b::12", "fd32:b::13"}
			if tc.router {
				owners, addrs = append(owners, gwMAC), append(addrs, "fe80::1")
			}
			for i, o := range owners {
				if addrs[i] != "fe80::1" { // a solicitation from the address with its MAC binds it (RFC 4861 7.2.3)
					ns := append(ndBody(false, netip.MustParseAddr("fd32:b::1")), 1, 1)
					r.feed(at.Add(time.Second), icmp6Frame(t, o, addrs[i], hw("33:33:ff:00:00:01"), "ff02::1:ff00:1", 135, append(ns, o...)))
				}
			}
			for round := range 3 {
				for i := range owners {
					na := ndBody(false, netip.MustParseAddr(addrs[i]))
					na[0] = 0x20 // override, unsolicited
					r.feed(at.Add(2*time.Second+time.Duration(round*2+i)*100*time.Millisecond), icmp6Frame(t, spoofer, addrs[i], hw("33:33:00:00:00:01"), "ff02::1", 136, na))
				}
			}
			got := r.of(inventory.EventNDSpoof)
			if len(got) != 1 || got[0].Severity != tc.want || got[0].MAC.String() != spoofer.String() {
				t.Fatalf("nd_spoof events %v, want one %s by %s", got, tc.want, spoofer)
			}
			for _, a := range addrs {
				if !strings.Contains(got[0].Evidence[len(got[0].Evidence)-1].Detail, a+" (") {
					t.Errorf("%s not listed: %v", a, got[0].Evidence)
				}
			}
		})
	}
}

// TestParasite6Fixtures: parasite6's recorded runs are one nd_spoof
// Critical each (the gateway's address among those claimed).
func TestParasite6Fixtures(t *testing.T) {
	for _, tc := range []struct{ file, gw string }{
		{"parasite6-six-hosts-and-router-thc.pcap", "10.32.2.1"},
		{"parasite6-thc.pcap", "10.88.8.1"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var got []inventory.Event
			for _, ev := range replayEvents(t, filepath.Join("testdata", "staged", tc.file), labelled{Gateway: tc.gw}) {
				if ev.Type == inventory.EventNDSpoof {
					got = append(got, ev)
				}
			}
			if len(got) != 1 || got[0].Severity != inventory.SeverityCritical {
				t.Fatalf("nd_spoof events %v, want one Critical", got)
			}
		})
	}
}

// TestRAFloodFoldsFirstRouters: the rogue_ra events of the first forged
// routers of a router advertisement flood are folded into its one
// incident (flood_router26, review 32b), which keeps their Critical; one
// rogue router is still raised (a second late).
func TestRAFloodFoldsFirstRouters(t *testing.T) {
	ra := func(m net.HardwareAddr) []byte {
		b := make([]byte, 12, 20)
		b[0], b[1], b[2] = 64, 0x08, 0x07 // hop limit, preference high (flood_router6's and flood_router26's), router lifetime 1792 s
		return append(append(b, 1, 1), m...)
	}
	lla := func(m net.HardwareAddr) string {
		return netip.AddrFrom16([16]byte{0xfe, 0x80, 8: m[0] ^ 2, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]}).String()
	}
	for _, tc := range []struct {
		name  string
		n     int
		want  int
		noMAC bool // the one event names no MAC
	}{
		{"a flood of forged routers", 50, 1, true},
		{"one rogue router", 1, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
			r.feed(t0, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
			r.feed(t0, icmp6Frame(t, gwMAC, lla(gwMAC), hw("33:33:00:00:00:01"), "ff02::1", 134, ra(gwMAC)))
			for i := range tc.n {
				m := net.HardwareAddr{0x58, 0x10, 0x9c, byte(i), 0, 0}
				r.feed(t0.Add(time.Second+time.Duration(i)*2*time.Millisecond), icmp6Frame(t, m, lla(m), hw("33:33:00:00:00:01"), "ff02::1", 134, ra(m)))
			}
			got := r.of(inventory.EventRogueRA)
			if len(got) != tc.want || got[0].Severity != inventory.SeverityCritical || (got[0].MAC == nil) != tc.noMAC {
				t.Fatalf("rogue_ra events %v, want %d Critical, no MAC: %v", got, tc.want, tc.noMAC)
			}
		})
	}
}
