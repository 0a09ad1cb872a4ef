package traffic

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// TestTFTPRetransmittedACKs (review 32a H1, s12 and s04): 80 PXE clients
// (more flows than floodFlows: a fan-in's answers no longer tell)
// in RFC 1350 lock-step at 10,000 ACKs a second, each re-sending an ACK
// once in 40 blocks (a timeout's retransmission, RFC 1350 2: the server's
// reverse flow lags its ACKs for the rest of the window) are no flood
// (checked: fails without ackLag, a UDP flood High). The same ACKs under
// the clients' addresses from one MAC stay a flood.
func TestTFTPRetransmittedACKs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		forged bool
		flood  bool
	}{
		{"retransmitted ACKs", false, false},
		{"forged sources", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			for i := range 80 {
				r.feed(at, arpFrame(t, layers.ARPRequest, clientMAC(i), clientIP(i), nil, "10.0.0.30"))
				r.feed(at, udpFrame(t, clientMAC(i), clientIP(i), uint16(2000+i), nasMAC, "10.0.0.30", 69, []byte("\x00\x01pxelinux.0\x00octet\x00")))
			}
			at = at.Add(time.Second)
			for k := range 1500 {
				for i := range 80 {
					at = at.Add(time.Second / 10000)
					tid, port := uint16(40000+i), uint16(2000+i)
					data := append([]byte{0, 3, byte(k >> 8), byte(k)}, make([]byte, 512)...)
					r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", tid, clientMAC(i), clientIP(i), port, data))
					from := clientMAC(i)
					if tc.forged {
						from = evilMAC
					}
					ack := udpFrame(t, from, clientIP(i), port, nasMAC, "10.0.0.30", tid, []byte{0, 4, byte(k >> 8), byte(k)})
					r.feed(at, ack)
					if (k+i)%40 == 0 {
						r.feed(at.Add(time.Second/40000), ack)
					}
				}
			}
			if f := r.of(inventory.EventFlood); (len(f) != 0) != tc.flood {
				t.Fatalf("flood %v, raised %v", tc.flood, f)
			}
		})
	}
}

// TestLockStepSample (review 32a H1, s12): a state that restarts mid-window
// with the gate's 20,778 datagrams reached its count at its first own
// datagram; 6 paced ACKs of its first 7 are no flood yet (checked: fails
// without pacedSample), 12 unpaced of 12 are. ACKs of unknown pace (a
// reverse flow's count lost) are left out, up to one in lostShare.
func TestLockStepSample(t *testing.T) {
	for _, tc := range []struct {
		name              string
		pkts, paced, lost uint64
		gated             uint64
		lockStep          bool
	}{
		{"6 paced of 7 after a restart", 20785, 6, 0, 20778, true},
		{"none paced of 12 after a restart", 20790, 0, 0, 20778, false},
		{"nine in ten of the known paced", 2000, 1300, 150, 499, true},
		{"a third of unknown pace", 2000, 900, 500, 499, false},
		{"eight in ten paced", 2000, 1200, 0, 499, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &floodState{pkts: tc.pkts, gated: tc.gated, paced: tc.paced, lostPace: tc.lost}
			if got := lockStep(f); got != tc.lockStep {
				t.Fatalf("lockStep %v, want %v", got, tc.lockStep)
			}
		})
	}
}

// TestRestartCreditsOwnShare (review 32a M2): a state that restarts while
// its traffic goes on credits the gate's count before it to the first
// packet's MAC only by that MAC's share of the last window (checked: fails
// without gatedFrom, every gated packet credited to the first MAC and a
// client that sent 3 % named as the one MAC that sent nine in ten). A
// fresh state's gated packets stay the first MAC's.
func TestRestartCreditsOwnShare(t *testing.T) {
	var p capture.Packet
	a, b := mac{0, 0x50, 0x56, 0, 0, 1}, mac{0, 0x50, 0x56, 0, 0, 2}
	from := netip.MustParseAddr("10.0.0.101")
	now := int64(100 * time.Second)
	for _, tc := range []struct {
		name string
		f    floodState
		src  mac
		same uint64
	}{
		{"another MAC first", floodState{live: true, last: now - int64(time.Millisecond), srcMAC: a, pkts: 10000, same: 300}, b, 0},
		{"the same MAC, 3 %", floodState{live: true, last: now - int64(time.Millisecond), srcMAC: a, pkts: 10000, same: 300}, a, 600},
		{"one MAC's flood", floodState{live: true, last: now - int64(time.Millisecond), srcMAC: a, pkts: 10000, same: 10000}, a, 20000},
		{"fresh", floodState{}, b, 20000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			f.restart(&p, now, tc.src, from, 69, 20001, now-int64(3*time.Second))
			if f.same != tc.same || f.pkts != 20000 {
				t.Fatalf("same %d of %d, want %d", f.same, f.pkts, tc.same)
			}
		})
	}
}
