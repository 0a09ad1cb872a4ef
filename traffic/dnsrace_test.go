package traffic

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestDNSForgedOffLinkAndRace: dnsspoof answering for an off-LAN resolver
// (8.8.8.8), racing the gateway's answer or alone, is name_poisoning naming
// the forger's MAC and its ARP-bound address; so is a forger winning the
// race against an on-LAN resolver silent for 11 minutes (its own answer
// second). Quiet: a second router (it forwards web traffic) answering for
// 8.8.8.8, the gateway answering twice, DNS from a second off-LAN
// resolver through the gateway, the silent resolver answering twice.
// The forger sending three TCP resets under 8.8.8.8 first (review 33c's
// a-dns-offlink-3rst) is still no router: a router is the next hop LAN
// hosts send off-LAN traffic to, and the PC sent it none.
// (Fails without dnsrace.go: the three attacks raise nothing; the resets'
// case fails with a MAC's own off-LAN frames counted as a router's.)
func TestDNSForgedOffLinkAndRace(t *testing.T) {
	rtr2, resolver := hw("02:00:00:00:00:02"), hw("02:00:00:00:00:53")
	type ans struct {
		from   []byte // MAC
		server string
		addr   string
	}
	gw, evil := ans{gwMAC, "8.8.8.8", "93.184.216.34"}, ans{evilMAC, "8.8.8.8", "10.0.0.66"}
	for _, tc := range []struct {
		name    string
		silent  bool // the on-LAN resolver at 10.0.0.53, silent 11 minutes
		resets  bool // the forger sends three RSTs under 8.8.8.8 first
		answers []ans
		want    bool
	}{
		{"racing the gateway for 8.8.8.8", false, false, []ans{gw, evil}, true},
		{"alone for 8.8.8.8", false, false, []ans{evil}, true},
		{"alone for 8.8.8.8 after resets under it", false, true, []ans{evil}, true},
		{"first, against a resolver silent 11 minutes", true, false, []ans{{evilMAC, "10.0.0.53", "10.0.0.66"}, {resolver, "10.0.0.53", "93.184.216.34"}}, true},
		{"a second router answering for 8.8.8.8", false, false, []ans{{rtr2, "8.8.8.8", "93.184.216.34"}}, false},
		{"the gateway answering twice", false, false, []ans{gw, gw}, false},
		{"a second off-LAN resolver through the gateway", false, false, []ans{{gwMAC, "1.1.1.1", "93.184.216.34"}}, false},
		{"the silent resolver answering twice", true, false, []ans{{resolver, "10.0.0.53", "93.184.216.34"}, {resolver, "10.0.0.53", "93.184.216.34"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, at := injectionRig(t)
			r.feed(at, arpFrame(t, layers.ARPReply, rtr2, "10.0.0.2", pcMAC, "10.0.0.10"))
			r.feed(at, arpFrame(t, layers.ARPReply, resolver, "10.0.0.53", pcMAC, "10.0.0.10"))
			r.feed(at, udpFrame(t, resolver, "10.0.0.53", 53, pcMAC, "10.0.0.10", 39999, spoofDNS(1, "93.184.216.34")))
			if tc.silent {
				at = r.baseline(at, 11*time.Minute)
			}
			for i := range 5 { // both routers forward the PC's web traffic, the next hop of its frames off the LAN
				r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", 50000, gwMAC, "93.184.216.34", 443, tcpFlags{ack: true}, []byte{23, 3, 3, 0, 1, byte(i)}))
				r.feed(at, tcpFrame(t, gwMAC, "93.184.216.34", 443, pcMAC, "10.0.0.10", 50000, tcpFlags{ack: true}, []byte{23, 3, 3, 0, 1, byte(i)}))
				r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", 50001, rtr2, "151.101.1.1", 443, tcpFlags{ack: true}, []byte{23, 3, 3, 0, 1, byte(i)}))
				r.feed(at, tcpFrame(t, rtr2, "151.101.1.1", 443, pcMAC, "10.0.0.10", 50001, tcpFlags{ack: true}, []byte{23, 3, 3, 0, 1, byte(i)}))
			}
			for i := range 3 * b2u(tc.resets) {
				r.feed(at, tcpFrame(t, evilMAC, "8.8.8.8", 853, pcMAC, "10.0.0.10", uint16(40001+i), tcpFlags{rst: true, ack: true}, nil))
			}
			for i, a := range tc.answers {
				at = at.Add(time.Duration(i+1) * time.Millisecond)
				r.feed(at, udpFrame(t, a.from, a.server, 53, pcMAC, "10.0.0.10", 40000, spoofDNS(0x1234, a.addr)))
			}
			r.baseline(at.Add(time.Second), 20*time.Second)
			evs := r.of(inventory.EventNamePoisoning)
			if tc.want != (len(evs) == 1) || len(evs) > 1 || tc.want && (evs[0].MAC.String() != evilMAC.String() || evs[0].IP.String() != "10.0.0.66") {
				t.Fatalf("want name_poisoning by %s at 10.0.0.66 %v: %s", evilMAC, tc.want, fmt.Sprint(evs))
			}
		})
	}
}
