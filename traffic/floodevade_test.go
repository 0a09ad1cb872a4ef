package traffic

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestUDPFloodAnsweredInKind: at a one-way flood's rate a stream's answers
// from a request/response service's port (an echo service, RFC 862; a DNS
// server whose answers outweigh the queries) exempt nothing: that flood is
// raised. Answers from any other port, once per two datagrams, make a
// stream two-way (a tunnel, TFTP, an NFS read), unless they are the
// stream's own datagrams sent back: an echo responder on a port of its
// own (9999 here) answers in kind, and the flood is raised; the same
// sizes with content of the answerer's own (a tunnel's far end) are
// two-way.
func TestUDPFloodAnsweredInKind(t *testing.T) {
	heavyUnderRace(t)
	for _, tc := range []struct {
		name           string
		port           uint16
		size, backSize int
		own            bool // the answers carry content of their own
		want           int
	}{
		{"empty datagrams echoed by port 7", 7, 0, 0, false, 1},
		{"small datagrams echoed by port 9999", 9999, 40, 40, false, 1},
		{"full frames echoed by port 9999", 9999, 1400, 1400, false, 1},
		{"full frames answered in full frames of its own by port 9999", 9999, 1400, 1400, true, 0},
		{"queries to port 53 answered in full frames", 53, 40, 1400, false, 1},
		{"small requests to port 2049 answered in full frames", 2049, 100, 1400, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			req := udpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", tc.port, make([]byte, tc.size))
			payload := make([]byte, tc.backSize)
			if tc.own {
				copy(payload, "far end's own header")
			}
			back := udpFrame(t, nasMAC, "10.0.0.30", tc.port, pcMAC, "10.0.0.10", 40000, payload)
			for range 8 * 20000 { // 8 s at 20,000 a second, every datagram answered
				r.feed(at, req)
				r.feed(at, back)
				at = at.Add(time.Second / 20000)
			}
			if evs := r.of(inventory.EventFlood); len(evs) != tc.want || tc.want == 1 && evs[0].TargetIP.String() != "10.0.0.30" {
				t.Fatalf("want %d flood(s) toward the NAS, raised %d: %+v", tc.want, len(evs), evs)
			}
		})
	}
}

// TestBulkUDPServiceTriggered: a flood in full frames at a DNS server's
// port, with a query among it once per 500 datagrams that the server
// answers on the flood's own flow, earns no transfer's exemption: a
// system port's answers are replies, not feedback; nor does a high port's
// "feedback" that echoes the stream's full frames.
func TestBulkUDPServiceTriggered(t *testing.T) {
	for _, tc := range []struct {
		name     string
		port     uint16
		backSize int
	}{{"port 53, small answers", 53, 60}, {"port 9000, full-frame answers", 9000, 1400}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			data := udpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", tc.port, make([]byte, 1400))
			back := udpFrame(t, nasMAC, "10.0.0.30", tc.port, pcMAC, "10.0.0.10", 40000, make([]byte, tc.backSize))
			for i := range 8 * 6000 {
				r.feed(at, data)
				if i%500 == 250 {
					r.feed(at, back)
				}
				at = at.Add(time.Second / 6000)
			}
			if evs := r.of(inventory.EventFlood); len(evs) != 1 {
				t.Fatalf("want 1 flood, raised %d: %+v", len(evs), evs)
			}
		})
	}
}

// TestBulkUDPGratuitousBeforeFlood: with no binding of the target's
// address heard, a flooder's gratuitous ARP naming a second MAC of its own
// for it, sent before the flood, does not make that MAC the target's: the
// stream's frames go to the target's own, and answers from the second MAC
// exempt nothing. The target's own reports still make a transfer.
func TestBulkUDPGratuitousBeforeFlood(t *testing.T) {
	second, target := hw("02:66:66:00:00:02"), hw("3c:52:82:00:00:77")
	for _, tc := range []struct {
		name string
		by   net.HardwareAddr
		want int
	}{{"reports from the claiming MAC", second, 1}, {"reports from the target's MAC, no claim", target, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			if tc.want == 1 {
				r.feed(at, arpFrame(t, layers.ARPReply, second, "10.0.0.77", bcast, "10.0.0.77"))
				at = at.Add(time.Second)
			}
			data := udpFrame(t, pcMAC, "10.0.0.10", 9000, target, "10.0.0.77", 9000, make([]byte, 1400))
			report := udpFrame(t, tc.by, "10.0.0.77", 9000, pcMAC, "10.0.0.10", 9000, make([]byte, 12))
			for i := range 8 * 6000 {
				r.feed(at, data)
				if i%500 == 250 {
					r.feed(at, report)
				}
				at = at.Add(time.Second / 6000)
			}
			if evs := r.of(inventory.EventFlood); len(evs) != tc.want {
				t.Fatalf("want %d flood(s), raised %d: %+v", tc.want, len(evs), evs)
			}
		})
	}
}

// TestUDPFanInAnsweredByFlow: a fan-in's target is "serving" only where it
// answers the fan-in's own flows. The same number of datagrams sent to a
// third host, or to the clients from another port, answers none of it.
func TestUDPFanInAnsweredByFlow(t *testing.T) {
	for _, tc := range []struct {
		name string
		back func(cmac net.HardwareAddr, cip string, port uint16) []byte
		want int
	}{
		{"answered on each flow", func(cmac net.HardwareAddr, cip string, port uint16) []byte {
			return udpFrame(t, gwMAC, "10.0.0.1", 53, cmac, cip, port, make([]byte, 40))
		}, 0},
		{"as much sent to a third host", func(net.HardwareAddr, string, uint16) []byte {
			return udpFrame(t, gwMAC, "10.0.0.1", 5004, nasMAC, "10.0.0.30", 5004, make([]byte, 40))
		}, 1},
		{"as much sent to the clients from another port", func(cmac net.HardwareAddr, cip string, port uint16) []byte {
			return udpFrame(t, gwMAC, "10.0.0.1", 123, cmac, cip, port, make([]byte, 40))
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range 15000 { // 40 clients, a port a query, 500 a second
				c := i % 40
				cmac, cip := hw(fmt.Sprintf("00:50:56:00:02:%02x", c)), fmt.Sprintf("10.0.0.%d", 100+c)
				port := uint16(20000 + (i/40)%500)
				r.feed(at, udpFrame(t, cmac, cip, port, gwMAC, "10.0.0.1", 53, make([]byte, 40)))
				r.feed(at.Add(time.Millisecond/10), tc.back(cmac, cip, port))
				at = at.Add(2 * time.Millisecond)
			}
			if evs := r.of(inventory.EventFlood); len(evs) != tc.want {
				t.Fatalf("want %d flood(s), raised %d: %+v", tc.want, len(evs), evs)
			}
		})
	}
}
