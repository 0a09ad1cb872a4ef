package traffic

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestFloodScanFolded: t50 --protocol T50 toward the NAS (review 32b's
// t50-mix), 2,500 frames a second for 6 s from one MAC under random
// source addresses: TCP with no flags and UDP to random ports, a tenth each, and raw IP
// (IGMP, EGP, RSVP, AH, EIGRP, OSPF).
// It is one flood High; the NULL segments that crossed the port-scan
// threshold on the way are noted at info, not raised as a port_scan High.
// The same flood with a NULL scan from the host's own address beside it
// raises the scan, and so does a FIN scan from another constant address
// the MAC answers ARP for (review 33c's d-finscan-inside-udpflood), and a
// slow FIN scan (one probe in 25 frames) under a forged address the MAC
// never answers for (review 33c: the scan hidden in the flood). (Fails
// without floodScan: a port_scan High beside the flood; the answered case
// fails without steadyScan, the forged one without noteSource: the scan
// folded to info.)
func TestFloodScanFolded(t *testing.T) {
	heavyUnderRace(t)
	for _, c := range []struct{ own, answered, forged bool }{{false, false, false}, {true, false, false}, {false, true, false}, {false, false, true}} {
		own, answered, forged := c.own, c.answered, c.forged
		t.Run(fmt.Sprintf("scan from its own address %v, from one it answers ARP for %v, from a forged one %v", own, answered, forged), func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			r.feed(at, arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.66", gwMAC, "10.0.0.1")) // its own address, as the lab's host
			protos := []layers.IPProtocol{2, 8, 46, 51, 88, 89}
			rng := rand.New(rand.NewPCG(33, 2))
			for i := range 15000 {
				at = at.Add(400 * time.Microsecond)
				src := fmt.Sprintf("%d.%d.%d.%d", 11+rng.IntN(200), rng.IntN(256), rng.IntN(256), 1+rng.IntN(254))
				sport, dport := uint16(rng.IntN(65536)), uint16(1+rng.IntN(65535))
				switch i % 10 { // t50-mix: a tenth TCP, a tenth UDP, the rest IGMP, EGP, RSVP, AH, EIGRP, OSPF
				case 0:
					r.feed(at, tcpFrame(t, evilMAC, src, sport, nasMAC, "10.0.0.30", dport, tcpFlags{}, nil))
				case 1:
					r.feed(at, udpFrame(t, evilMAC, src, sport, nasMAC, "10.0.0.30", dport, []byte("t50")))
				default:
					r.feed(at, rawFrame(t, evilMAC, src, nasMAC, "10.0.0.30", protos[rng.IntN(len(protos))]))
				}
				if own && i%200 == 0 && i < 6000 {
					r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 50000, nasMAC, "10.0.0.30", uint16(20+i/200), tcpFlags{}, nil))
				}
				if answered && i == 10 {
					r.feed(at, arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.77", nasMAC, "10.0.0.30")) // the target asked for the scanner's address
				}
				if answered && i > 10 && i%3 == 0 && i < 3000 {
					r.feed(at, tcpFrame(t, evilMAC, "10.0.0.77", 41234, nasMAC, "10.0.0.30", uint16(1+i/3), tcpFlags{fin: true}, nil))
				}
				if forged && i > 10 && i%25 == 0 {
					r.feed(at, tcpFrame(t, evilMAC, "10.0.0.99", 41234, nasMAC, "10.0.0.30", uint16(1+i/25), tcpFlags{fin: true}, nil))
				}
			}
			r.e.Flush()
			floods, scans := r.of(inventory.EventFlood), r.of(inventory.EventPortScan)
			if len(floods) != 1 || floods[0].Severity != inventory.SeverityHigh || floods[0].MAC.String() != evilMAC.String() {
				t.Fatalf("want one High flood by the t50 host: %+v", floods)
			}
			if len(scans) != 1 || (scans[0].Severity == inventory.SeverityHigh) != (own || answered || forged) {
				t.Fatalf("want one port_scan, High only beside a scan from the host's own address, one it answers for or one forged source: %+v", scans)
			}
		})
	}
}
