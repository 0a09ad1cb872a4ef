package traffic

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestPingMonitorsFanIn (review 28e B2): 700 outside monitors each sending
// the NAS one echo or timestamp request every 10 s for 40 s (70 a second)
// are no flood (fails without pingFanIn: an ICMP flood High). Forged
// sources at 500 a second (V1-v6-echoflood's rate), 40 bots each pinging
// four times a second (160 a second), and one LAN host sending 70 a
// second under 700 forged addresses are floods.
func TestPingMonitorsFanIn(t *testing.T) {
	for _, tc := range []struct {
		name    string
		typ     uint8
		sources int           // distinct source addresses, taken in turn
		every   time.Duration // between two requests toward the NAS
		n       int
		lan     bool // from one LAN host's MAC, not through the gateway
		flood   bool
	}{
		{"echo monitors", layers.ICMPv4TypeEchoRequest, 700, time.Second / 70, 2800, false, false},
		{"timestamp monitors", layers.ICMPv4TypeTimestampRequest, 700, time.Second / 70, 2800, false, false},
		{"forged 500/s", layers.ICMPv4TypeEchoRequest, 1 << 20, 2 * time.Millisecond, 3000, false, true},
		{"40 bots at 4/s", layers.ICMPv4TypeEchoRequest, 40, time.Second / 160, 3000, false, true},
		{"LAN host forging", layers.ICMPv4TypeEchoRequest, 700, time.Second / 70, 2800, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			from := gwMAC
			if tc.lan {
				from = evilMAC
				r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
			}
			for i := range tc.n {
				r.feed(at.Add(time.Duration(i)*tc.every), icmpFrame(t, from, forgedAddr(i%tc.sources), nasMAC, "10.0.0.30", tc.typ))
			}
			f := r.of(inventory.EventFlood)
			if !tc.flood && len(f) != 0 {
				t.Fatalf("monitors raised %v", f)
			} else if tc.flood && (len(f) != 1 || !strings.Contains(f[0].Summary, "toward 10.0.0.30")) {
				t.Fatalf("want one flood toward the NAS, got %v", f)
			}
		})
	}
}
