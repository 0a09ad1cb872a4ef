package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// macofFrame is macof's shape: a TCP SYN from a random source MAC and
// address to a random destination MAC and address, one per index.
func macofFrame(t testing.TB, i int) []byte {
	src := net.HardwareAddr{0x5e, byte(i >> 16), byte(i >> 8), byte(i), 0x11, 0x22}
	dst := net.HardwareAddr{0x7a, byte(i), byte(i >> 8), byte(i >> 16), 0x33, 0x44}
	return tcpFrame(t, src, fmt.Sprintf("%d.%d.%d.9", 20+i>>16, byte(i>>8), byte(i)), uint16(i), dst,
		fmt.Sprintf("%d.%d.%d.7", 100+i>>16, byte(i), byte(i>>8)), uint16(i*7), tcpFlags{syn: true}, nil)
}

// TestMACFlood: macof at 1,000 frames a second (the loaded lab's pace; on
// a free core it sends a hundred times more) is one mac_flood naming no
// MAC, and nothing else above info.
func TestMACFlood(t *testing.T) {
	r := newRig(t, Config{})
	at := r.baseline(t0, 30*time.Second)
	for i := range 3000 {
		r.feed(at, macofFrame(t, i))
		at = at.Add(time.Millisecond)
	}
	ev := wantOne(t, r, inventory.EventMACFlood, "", "")
	if ev.Severity != inventory.SeverityHigh {
		t.Errorf("severity %s, want high", ev.Severity)
	}
	for _, ev := range r.all() {
		if ev.Type != inventory.EventMACFlood && ev.Severity.Rank() > 0 {
			t.Errorf("also raised %s %s: %s", ev.Type, ev.Severity, ev.Summary)
		}
	}
	if !strings.Contains(ev.Summary, "1000 never-seen source MACs within 999ms") {
		t.Errorf("summary %q, want the count and span at the threshold", ev.Summary)
	}
}

// TestNoMACFloodFromBusyLAN: a sensor starting on a mirror port of a LAN of
// 4,000 hosts (each broadcasting an ARP request within the first minute), a
// boot storm of 600 machines over a minute, and a LAN larger than the host
// table (its untracked hosts are not new each frame) raise no mac_flood.
func TestNoMACFloodFromBusyLAN(t *testing.T) {
	arp := func(r *rig, at time.Time, i int) {
		m := net.HardwareAddr{0x00, 0x50, 0x56, byte(i >> 16), byte(i >> 8), byte(i)}
		r.feed(at, arpFrame(t, layers.ARPRequest, m, fmt.Sprintf("10.1.%d.%d", byte(i>>8), byte(i)), nil, "10.1.0.1"))
	}
	for _, tc := range []struct {
		name   string
		hosts  int
		over   time.Duration
		rounds int
		cfg    Config
	}{
		{"sensor start, 4,000 hosts", 4000, time.Minute, 1, Config{}},
		{"boot storm", 600, time.Minute, 1, Config{}},
		{"LAN past the host table", 3000, 20 * time.Second, 5, Config{MaxHosts: 500}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, tc.cfg)
			at := t0
			step := tc.over / time.Duration(tc.hosts)
			for range tc.rounds {
				for i := range tc.hosts {
					arp(r, at, i)
					at = at.Add(step)
				}
			}
			if n := len(r.of(inventory.EventMACFlood)); n != 0 {
				t.Errorf("%d mac_flood events: %+v", n, r.of(inventory.EventMACFlood))
			}
		})
	}
}

// A sensor starting on a mirror port where 1,200 hosts talk meets them all
// within a second or so, each by an ARP from its own address: no flood.
func TestMACFloodNotAtSensorStart(t *testing.T) {
	r := newRig(t, Config{})
	for i := range 1200 {
		m := net.HardwareAddr{0x00, 0x50, 0x56, byte(i >> 8), byte(i), 0x01}
		ip := netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})
		r.feed(t0.Add(time.Duration(i)*time.Millisecond), arpFrame(t, 1, m, ip.String(), hw("ff:ff:ff:ff:ff:ff"), "10.0.255.254"))
	}
	if evs := r.of(inventory.EventMACFlood); len(evs) != 0 {
		t.Fatalf("sensor start raised %s", evs[0].Summary)
	}
}

// Invented MACs from one local address while the sensor learns are no
// hosts met at start (each host has its own address): a flood.
func TestMACFloodFromOneLocalAddressAtStart(t *testing.T) {
	r := newRig(t, Config{})
	for i := range 2000 {
		m := net.HardwareAddr{0x02, 0x01, 0x00, byte(i >> 8), byte(i), 0x01}
		d := net.HardwareAddr{0x02, 0xfe, 0x00, byte(i >> 8), byte(i), 0x02}
		r.feed(t0.Add(time.Duration(i)*100*time.Microsecond), udpFrame(t, m, "10.9.9.9", 1234, d, "10.8.8.8", 80, []byte("x")))
	}
	if n := len(r.of(inventory.EventMACFlood)); n != 1 {
		t.Errorf("%d mac_flood, want 1", n)
	}
}
