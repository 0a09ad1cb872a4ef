package traffic

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestPingMonitorsFanIn (review 28e B2): 700 outside monitors each sending
// the NAS one small echo or timestamp request every 10 s through the
// gateway for 40 s (70 a second) are no flood (fails without pingFanIn: an
// ICMP flood High). Forged sources at 500 a second (V1-v6-echoflood's
// rate), 40 bots each pinging four times a second (160 a second), one LAN
// host sending 70 a second under 700 forged addresses (from its own MAC,
// or half of them from random MACs: review 30b L3), a forger with no
// gateway known (L1, noarp), and 2,000 sources' 1,472-byte requests at 190
// a second through the gateway (A1: 2.2 Mbit/s) are floods.
func TestPingMonitorsFanIn(t *testing.T) {
	gw := func(int) []byte { return gwMAC }
	for _, tc := range []struct {
		name    string
		typ     uint8
		sources int           // distinct source addresses, taken in turn
		every   time.Duration // between two requests toward the NAS
		n       int
		data    int                // ICMP data bytes
		from    func(i int) []byte // the MAC of request i
		lan     bool               // evilMAC claims a LAN address in ARP first
		noGW    bool               // no gateway configured: none known
		flood   bool
	}{
		{"echo monitors", layers.ICMPv4TypeEchoRequest, 700, time.Second / 70, 2800, 56, gw, false, false, false},
		{"timestamp monitors", layers.ICMPv4TypeTimestampRequest, 700, time.Second / 70, 2800, 12, gw, false, false, false},
		{"Windows monitors", layers.ICMPv4TypeEchoRequest, 700, time.Second / 70, 2800, 32, gw, false, false, false},
		{"forged 500/s", layers.ICMPv4TypeEchoRequest, 1 << 20, 2 * time.Millisecond, 3000, 56, gw, false, false, true},
		{"40 bots at 4/s", layers.ICMPv4TypeEchoRequest, 40, time.Second / 160, 3000, 56, gw, false, false, true},
		{"LAN host forging", layers.ICMPv4TypeEchoRequest, 700, time.Second / 70, 2800, 56, func(int) []byte { return evilMAC }, true, false, true},
		{"LAN host half from random MACs", layers.ICMPv4TypeEchoRequest, 700, time.Second / 70, 2800, 56, func(i int) []byte {
			if i%2 == 0 {
				return evilMAC
			}
			return []byte{0x02, 0x5e, 0, byte(i >> 16), byte(i >> 8), byte(i)}
		}, true, false, true},
		{"forger, no gateway known", layers.ICMPv4TypeEchoRequest, 700, time.Second / 70, 2800, 56, func(int) []byte { return evilMAC }, false, true, true},
		{"large requests 190/s", layers.ICMPv4TypeEchoRequest, 2000, time.Second / 190, 5700, 1472, gw, false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")}
			if tc.noGW {
				cfg.Gateway = netip.Addr{}
			}
			r := newRig(t, cfg)
			at := r.baseline(t0, 2*time.Minute)
			if tc.lan {
				r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
			}
			for i := range tc.n {
				r.feed(at.Add(time.Duration(i)*tc.every), icmpSized(t, tc.from(i), forgedAddr(i%tc.sources), nasMAC, "10.0.0.30", tc.typ, tc.data))
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

// icmpSized is an ICMPv4 message of type typ from src to dst with data
// bytes of data.
func icmpSized(t testing.TB, srcMAC []byte, src string, dstMAC []byte, dst string, typ uint8, data int) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 60, Protocol: layers.IPProtocolICMPv4, SrcIP: ip4(src), DstIP: ip4(dst)}
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip,
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: 9, Seq: 1}, gopacket.Payload(make([]byte, data)))
}
