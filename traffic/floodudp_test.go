package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestOneFlowUDPFlood: one fast one-way UDP flow from a LAN host is a
// flood, and so is a slower one in small frames from a flow or two
// (mausezahn, nping); the same rate both ways (a tunnel carrying a backup),
// a camera's one-way stream, a call recorder's forked RTP and an internet
// download through the gateway are not.
func TestOneFlowUDPFlood(t *testing.T) {
	heavyUnderRace(t)
	for _, tc := range []struct {
		name  string
		every time.Duration // between packets toward the NAS
		n     int
		back  int // every back-th packet is answered with one from the NAS (0: none)
		size  int
		flows int // source ports taken in turn (0: one)
		want  bool
	}{
		{"hping3 -2 -k --flood", 60 * time.Microsecond, 40000, 0, 0, 0, true},
		{"mausezahn at 6,000 a second", 166 * time.Microsecond, 20000, 0, 64, 0, true},
		{"a WireGuard backup, acknowledged", 50 * time.Microsecond, 40000, 2, 1400, 0, false},
		{"a 4K camera's RTP stream", 450 * time.Microsecond, 20000, 0, 1400, 0, false},
		{"a camera at 1,000 a second", time.Millisecond, 12000, 0, 1200, 0, false},
		{"empty datagrams at 4,000 a second", 250 * time.Microsecond, 40000, 0, 0, 0, true},
		{"mausezahn at 1,000 a second", time.Millisecond, 12000, 0, 0, 0, true},
		{"two flows of 64 bytes at 2,000 a second", 500 * time.Microsecond, 24000, 0, 64, 2, true},
		{"empty datagrams at 600 a second", 1666 * time.Microsecond, 8000, 0, 0, 0, false},
		{"small datagrams acknowledged", 500 * time.Microsecond, 24000, 40, 20, 0, false},
		{"a call recorder's forked RTP, 20 calls (G.729)", time.Millisecond, 12000, 0, 32, 20, false},
		{"syslog at 1,000 a second", time.Millisecond, 12000, 0, 180, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			payload := make([]byte, tc.size)
			ack := make([]byte, min(tc.size, 80))
			if len(ack) > 0 {
				ack[0] = 1 // the receiver's own bytes, no echo of the data (udpSig)
			}
			for i := range tc.n {
				r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", 51820+uint16(i%max(tc.flows, 1)), nasMAC, "10.0.0.30", 51820, payload))
				if tc.back > 0 && i%tc.back == 0 {
					r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 51820, evilMAC, "10.0.0.66", 51820, ack))
				}
				at = at.Add(tc.every)
			}
			evs := r.of(inventory.EventFlood)
			if !tc.want {
				if len(evs) != 0 {
					t.Fatalf("raised %+v", evs)
				}
				return
			}
			if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].TargetIP.String() != "10.0.0.30" ||
				!strings.Contains(evs[0].Evidence[len(evs[0].Evidence)-1].Detail, "one-way") {
				t.Fatalf("want one flood by %s toward the NAS, one-way in its evidence: %+v", evilMAC, evs)
			}
		})
	}
}

// TestOneWayUDPOffPhase: a steady one-way stream below a flood's rate stays
// quiet for a minute whatever its phase against the gate's clock-aligned
// windows. The flood state starts afresh every floodWindow while the gate
// goes on counting: the first packet after that restart must not be read as
// a rate over no time at all.
func TestOneWayUDPOffPhase(t *testing.T) {
	heavyUnderRace(t)
	for _, tc := range []struct {
		name  string
		every time.Duration
		size  int
	}{
		{"a camera at 1,000 a second", time.Millisecond, 1200},
		{"a camera at 2,200 a second", 454545 * time.Nanosecond, 1400},
		{"empty datagrams at 500 a second", 2 * time.Millisecond, 0},
		{"empty datagrams at 600 a second", 1666 * time.Microsecond, 0},
	} {
		for _, phase := range []time.Duration{0, 2500 * time.Millisecond, 6 * time.Second, 8700 * time.Millisecond} {
			t.Run(fmt.Sprintf("%s, %s off", tc.name, phase), func(t *testing.T) {
				r := newRig(t, Config{Learning: time.Minute})
				at := r.baseline(t0, 2*time.Minute).Add(phase)
				frame := udpFrame(t, evilMAC, "10.0.0.66", 5004, nasMAC, "10.0.0.30", 5004, make([]byte, tc.size))
				for end := at.Add(time.Minute); at.Before(end); at = at.Add(tc.every) {
					r.feed(at, frame)
				}
				if evs := r.of(inventory.EventFlood); len(evs) != 0 {
					t.Fatalf("raised %s: %+v", evs[0].Summary, evs)
				}
			})
		}
	}
}

// TestUDPFloodRateOneBase: the one-way flood's decision and its report
// read the same rate (floodState.rate, from the first packet the gate
// counted). A stream that trickled before it sped up was raised on the
// fast part alone while its evidence, counting from the trickle's first
// packet, put it below the threshold; and a steady stream's report must
// show its own rate whatever its phase against the gate's clock windows.
func TestUDPFloodRateOneBase(t *testing.T) {
	heavyUnderRace(t)
	perSecond := regexp.MustCompile(`, (\d+) per second`)
	for _, tc := range []struct {
		name       string
		slow       int // packets 16 ms apart first (62 a second)
		every      time.Duration
		n          int
		lo, hi     int // the reported rate's bounds
		wantRaised bool
	}{
		{"a trickle, then 750 empty datagrams a second", 499, 1333 * time.Microsecond, 45000, udpSmallRate, 800, true},
		{"mausezahn at 1,000 a second", 0, time.Millisecond, 30000, 900, 1100, true},
		{"a trickle, then 650 a second", 499, 1538 * time.Microsecond, 40000, 0, 0, false},
	} {
		for _, phase := range []time.Duration{0, 4 * time.Second, 9900 * time.Millisecond} {
			t.Run(fmt.Sprintf("%s, %s off", tc.name, phase), func(t *testing.T) {
				r := newRig(t, Config{Learning: time.Minute})
				at := r.baseline(t0, 2*time.Minute).Add(phase)
				frame := udpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 5004, nil)
				for range tc.slow {
					r.feed(at, frame)
					at = at.Add(16 * time.Millisecond)
				}
				for range tc.n {
					r.feed(at, frame)
					at = at.Add(tc.every)
				}
				evs := r.of(inventory.EventFlood)
				if !tc.wantRaised {
					if len(evs) != 0 {
						t.Fatalf("raised %s", evs[0].Evidence[0].Detail)
					}
					return
				}
				if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() {
					t.Fatalf("want one flood by %s: %+v", evilMAC, evs)
				}
				m := perSecond.FindStringSubmatch(evs[0].Evidence[0].Detail)
				if m == nil {
					t.Fatalf("no rate in %q", evs[0].Evidence[0].Detail)
				}
				if rate, _ := strconv.Atoi(m[1]); rate < tc.lo || rate > tc.hi {
					t.Errorf("reported at %d a second, want %d to %d: %s", rate, tc.lo, tc.hi, evs[0].Evidence[0].Detail)
				}
			})
		}
	}
}

// TestUDPFanInServed: datagrams from many flows that their target answers
// are a service at work, not a flood: a resolver at a login storm (40
// clients, a source port a lookup, 500 a second) and a conference bridge
// (30 participants' audio, video and RTCP, 3,000 a second, the mix sent
// back). The same fan-in unanswered is a flood, and so is an answered one
// at a one-way flood's rate (a query flood at 6,000 a second).
func TestUDPFanInServed(t *testing.T) {
	heavyUnderRace(t)
	for _, tc := range []struct {
		name    string
		every   time.Duration
		n       int
		clients int
		ports   int // source ports a client takes in turn
		answer  bool
		want    bool
	}{
		{"a resolver's login storm, answered", 2 * time.Millisecond, 15000, 40, 500, true, false},
		{"a conference bridge, answered", 333 * time.Microsecond, 60000, 30, 4, true, false},
		{"the same fan-in unanswered", 2 * time.Millisecond, 15000, 40, 500, false, true},
		{"a query flood at 6,000 a second, answered", 166 * time.Microsecond, 40000, 40, 500, true, true},
		{"a log server's intake from 100 switches", 2 * time.Millisecond, 15000, 100, 1, false, false},
	} {
		for _, phase := range []time.Duration{0, 6 * time.Second} {
			t.Run(fmt.Sprintf("%s, %s off", tc.name, phase), func(t *testing.T) {
				r := newRig(t, Config{Learning: time.Minute})
				at := r.baseline(t0, 2*time.Minute).Add(phase)
				payload, svc := make([]byte, 40), uint16(53)
				if tc.ports == 1 {
					payload, svc = []byte("<187>%LINK-3-UPDOWN: Interface Gi1/0/5, changed state to down"), 514
				}
				for i := range tc.n {
					c := i % tc.clients
					cmac := hw(fmt.Sprintf("00:50:56:00:02:%02x", c))
					cip := fmt.Sprintf("10.0.0.%d", 100+c)
					port := uint16(20000 + (i/tc.clients)%tc.ports)
					r.feed(at, udpFrame(t, cmac, cip, port, gwMAC, "10.0.0.1", svc, payload))
					if tc.answer {
						r.feed(at.Add(time.Millisecond/10), udpFrame(t, gwMAC, "10.0.0.1", svc, cmac, cip, port, payload))
					}
					at = at.Add(tc.every)
				}
				if evs := r.of(inventory.EventFlood); (len(evs) == 1) != tc.want || len(evs) > 1 {
					t.Fatalf("want a flood %v, raised %d: %+v", tc.want, len(evs), evs)
				}
			})
		}
	}
}

// TestSyslogBurstNoFlood: a switch logging an event storm to its syslog
// server, 2,000 short messages a second one way from one socket, is no
// flood; the same rate of empty datagrams (mausezahn) and of datagrams that
// only look alike ("<" without a PRI) is, and so is syslog at a one-way
// flood's rate.
func TestSyslogBurstNoFlood(t *testing.T) {
	heavyUnderRace(t)
	for _, tc := range []struct {
		name    string
		every   time.Duration
		payload string
		want    bool
	}{
		{"a switch's syslog storm", 500 * time.Microsecond, "<187>%LINK-3-UPDOWN: Interface Gi1/0/5, changed state to down", false},
		{"RFC 5424 messages", 500 * time.Microsecond, "<14>1 2026-12-04T16:30:00Z sw1 - - - - port 5 down", false},
		{"empty datagrams", 500 * time.Microsecond, "", true},
		{"no PRI", 500 * time.Microsecond, "<html>%LINK-3-UPDOWN: Interface Gi1/0/5, down", true},
		{"a PRI beyond 191", 500 * time.Microsecond, "<999>%LINK-3-UPDOWN: Interface Gi1/0/5, down", true},
		{"syslog at 6,000 a second", 166 * time.Microsecond, "<187>%LINK-3-UPDOWN: Interface Gi1/0/5, changed state to down", true},
		{"a PRI before a flood's garbage at 4,000 a second", 250 * time.Microsecond, "<13>\x00\x00\x00\x00\x00\x00\x00\x00", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			frame := udpFrame(t, evilMAC, "10.0.0.66", 51514, nasMAC, "10.0.0.30", 514, []byte(tc.payload))
			for end := at.Add(15 * time.Second); at.Before(end); at = at.Add(tc.every) {
				r.feed(at, frame)
			}
			if evs := r.of(inventory.EventFlood); (len(evs) == 1) != tc.want || len(evs) > 1 {
				t.Fatalf("want a flood %v, raised %d: %+v", tc.want, len(evs), evs)
			}
		})
	}
}

// FuzzSyslogMessage: any payload is read without a panic, and a syslog
// message has its PRI closed within five bytes.
func FuzzSyslogMessage(f *testing.F) {
	for _, s := range []string{"<187>x", "<0>", "<191>", "<192>", "<>", "<1234>", "<", "", "<14>1 2026"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if syslogMessage(b) && (b[0] != '<' || !strings.Contains(string(b[:min(len(b), 5)]), ">")) {
			t.Fatalf("%q read as a syslog message", b)
		}
	})
}

// TestFloodExemptionsNotForged: what makes a UDP stream a service (the
// target answers) or logging (syslog messages to syslog's port) cannot be
// forged into a flood: syslog-looking datagrams to another port, the
// target's own multicast chatter, datagrams forged from the target to
// itself or answers under its address from a MAC not its own are no
// answer, and another address's count is never lent.
func TestFloodExemptionsNotForged(t *testing.T) {
	heavyUnderRace(t)
	pri := []byte("<13>\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	t.Run("syslog PRI to another port at 1,000 a second", func(t *testing.T) {
		r := newRig(t, Config{Learning: time.Minute})
		at := r.baseline(t0, 2*time.Minute)
		frame := udpFrame(t, evilMAC, "10.0.0.66", 51514, nasMAC, "10.0.0.30", 9999, pri)
		for end := at.Add(15 * time.Second); at.Before(end); at = at.Add(time.Millisecond) {
			r.feed(at, frame)
		}
		if evs := r.of(inventory.EventFlood); len(evs) != 1 {
			t.Fatalf("want one flood, raised %d: %+v", len(evs), evs)
		}
	})
	for _, tc := range []struct {
		name  string
		reply func(t *testing.T, cip string, port uint16) []byte
	}{
		{"the target's mDNS chatter", func(t *testing.T, _ string, _ uint16) []byte {
			return udpFrame(t, nasMAC, "10.0.0.30", 5353, hw("01:00:5e:00:00:fb"), "224.0.0.251", 5353, make([]byte, 40))
		}},
		{"datagrams forged from the target to itself", func(t *testing.T, _ string, port uint16) []byte {
			return udpFrame(t, evilMAC, "10.0.0.30", port, nasMAC, "10.0.0.30", 9999, make([]byte, 40))
		}},
		{"answers under the target's address from another MAC", func(t *testing.T, cip string, port uint16) []byte {
			return udpFrame(t, evilMAC, "10.0.0.30", 9999, hw("00:50:56:00:02:00"), cip, port, make([]byte, 40))
		}},
	} {
		t.Run("a fan-in 'answered' by "+tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range 15000 {
				c := i % 40
				cip := fmt.Sprintf("10.0.0.%d", 100+c)
				port := uint16(20000 + (i/40)%500)
				r.feed(at, udpFrame(t, hw(fmt.Sprintf("00:50:56:00:02:%02x", c)), cip, port, nasMAC, "10.0.0.30", 9999, make([]byte, 40)))
				r.feed(at.Add(time.Millisecond/10), tc.reply(t, cip, port))
				at = at.Add(2 * time.Millisecond)
			}
			if evs := r.of(inventory.EventFlood); len(evs) != 1 {
				t.Fatalf("want one flood, raised %d: %+v", len(evs), evs)
			}
		})
	}
}

// TestOneWayUDPAnsweredByTarget: a one-way flood is "answered" only by UDP
// from its target. UDP the flooder receives from a third host (a stream
// it plays, a second machine of its own sending to it to look two-way) is
// no answer, nor is what the target sends its other clients (a server
// answering a third host at 5 % of the flood's rate), nor UDP under the
// target's address from a MAC other than the one ARP bound it to (the
// flooder forging answers to earn the exemption); the target's own
// answers to the flooder are.
func TestOneWayUDPAnsweredByTarget(t *testing.T) {
	heavyUnderRace(t)
	for _, tc := range []struct {
		name  string
		reply func(t *testing.T) []byte
		want  int
	}{
		{"UDP toward the flooder from a third host", func(t *testing.T) []byte {
			return udpFrame(t, gwMAC, "10.0.0.1", 5004, evilMAC, "10.0.0.66", 5004, make([]byte, 160))
		}, 1},
		{"the target's answers to a third host", func(t *testing.T) []byte {
			return udpFrame(t, nasMAC, "10.0.0.30", 53, hw("00:50:56:00:03:01"), "10.0.0.77", 40000, make([]byte, 80))
		}, 1},
		{"the target's answers to the flooder", func(t *testing.T) []byte {
			return udpFrame(t, nasMAC, "10.0.0.30", 51820, evilMAC, "10.0.0.66", 51820, make([]byte, 80))
		}, 0},
		{"answers forged under the target's address from the flooder's MAC", func(t *testing.T) []byte {
			return udpFrame(t, evilMAC, "10.0.0.30", 51820, evilMAC, "10.0.0.66", 51820, make([]byte, 80))
		}, 1},
		{"answers forged under the target's address from a third MAC", func(t *testing.T) []byte {
			return udpFrame(t, hw("00:50:56:00:03:02"), "10.0.0.30", 51820, evilMAC, "10.0.0.66", 51820, make([]byte, 80))
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			flood := udpFrame(t, evilMAC, "10.0.0.66", 51820, nasMAC, "10.0.0.30", 51820, nil)
			reply := tc.reply(t)
			streamAnswered(t, r, at, flood, reply, tc.want)
		})
	}
}

// streamAnswered feeds 10 s of a one-way stream at 4,000 datagrams a
// second (below udpOneWayRate, where one answer in a hundred makes a stream
// two-way) with reply after every 20th, and wants that many floods.
func streamAnswered(t *testing.T, r *rig, at time.Time, flood, reply []byte, want int) {
	t.Helper()
	for i := range 40000 {
		r.feed(at, flood)
		if i%20 == 0 {
			r.feed(at, reply)
		}
		at = at.Add(250 * time.Microsecond)
	}
	if evs := r.of(inventory.EventFlood); len(evs) != want {
		t.Fatalf("want %d flood(s), raised %d: %+v", want, len(evs), evs)
	}
}

// TestOneWayUDPAnswersUnbound: with no ARP heard for the target (a
// recording that begins with warm caches), its answers count only from the
// MAC the stream's frames go to.
func TestOneWayUDPAnswersUnbound(t *testing.T) {
	target := hw("00:50:56:00:03:40")
	for _, tc := range []struct {
		name string
		from net.HardwareAddr
		want int
	}{{"from the MAC the stream goes to", target, 0}, {"from the flooder's MAC", evilMAC, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			flood := udpFrame(t, evilMAC, "10.0.0.66", 51820, target, "10.0.0.40", 51820, nil)
			reply := udpFrame(t, tc.from, "10.0.0.40", 51820, evilMAC, "10.0.0.66", 51820, make([]byte, 80))
			streamAnswered(t, r, at, flood, reply, tc.want)
		})
	}
}

// TestBulkUDPTransfer: a one-way stream in full frames at 6,000 a second
// (a backup, a speed test) whose receiver acknowledges in proportion to
// the data (once per udpFeedbackPer datagrams or more often, as TFTP,
// UDT and udpcast do) is a transfer; the same stream unanswered, answered
// once a second (one answer for 6,000 or 40,000 datagrams) or once per
// 1,024 (a high-port service a flooder makes answer), answered only
// under the target's address from another MAC, or in a flood tool's empty
// datagrams with the same reports, is a flood.
func TestBulkUDPTransfer(t *testing.T) {
	heavyUnderRace(t)
	for _, tc := range []struct {
		name    string
		size    int
		replyBy net.HardwareAddr
		rate    int // datagrams a second
		every   int // a report every this many datagrams (0: none)
		want    int
	}{
		{"full frames, a report every 500 datagrams", 1400, nasMAC, 6000, 500, 0},
		{"full frames, a report every 512 datagrams", 1400, nasMAC, 6000, 512, 0},
		{"full frames, a high-port service made to answer every 1,024", 1400, nasMAC, 6000, 1024, 1},
		{"full frames, a report a second", 1400, nasMAC, 6000, 6000, 1},
		{"full frames at 40,000 a second, a report a second", 1400, nasMAC, 40000, 40000, 1},
		{"full frames, no report", 1400, nasMAC, 6000, 0, 1},
		{"full frames, a report every five seconds", 1400, nasMAC, 6000, 30000, 1},
		{"full frames, reports forged from the sender's MAC", 1400, pcMAC, 6000, 500, 1},
		{"empty datagrams, a report every 500", 0, nasMAC, 6000, 500, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			data := udpFrame(t, pcMAC, "10.0.0.10", 9000, nasMAC, "10.0.0.30", 9000, make([]byte, tc.size))
			report := udpFrame(t, tc.replyBy, "10.0.0.30", 9000, pcMAC, "10.0.0.10", 9000, make([]byte, 12))
			for i := range 8 * tc.rate { // 8 s
				r.feed(at, data)
				if tc.every > 0 && i%tc.every == tc.every/2 {
					r.feed(at, report)
				}
				at = at.Add(time.Second / time.Duration(tc.rate))
			}
			if evs := r.of(inventory.EventFlood); len(evs) != tc.want {
				t.Fatalf("want %d flood(s), raised %d: %+v", tc.want, len(evs), evs)
			}
		})
	}
}

// TestBulkUDPLateBinding: a flooder that claims the target's address in a
// gratuitous ARP from a second MAC once its stream has begun (no binding
// existed), then answers itself from that MAC, earns no transfer's
// exemption: a binding younger than the flood is not the target's.
func TestBulkUDPLateBinding(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	second := hw("02:66:66:00:00:02")
	data := udpFrame(t, pcMAC, "10.0.0.10", 9000, hw("3c:52:82:00:00:77"), "10.0.0.77", 9000, make([]byte, 1400))
	report := udpFrame(t, second, "10.0.0.77", 9000, pcMAC, "10.0.0.10", 9000, make([]byte, 12))
	for i := range 8 * 6000 {
		r.feed(at, data)
		if i == 6000 {
			r.feed(at, arpFrame(t, layers.ARPReply, second, "10.0.0.77", bcast, "10.0.0.77"))
		}
		if i%500 == 250 {
			r.feed(at, report)
		}
		at = at.Add(time.Second / 6000)
	}
	if evs := r.of(inventory.EventFlood); len(evs) != 1 {
		t.Fatalf("want 1 flood, raised %d: %+v", len(evs), evs)
	}
}

// TestOneWayUDPReverseFlow: a one-way stream's feedback counts only on its
// reverse flow (the target's port to the source's), so the flooder's own
// DNS lookups answered by the target exempt nothing; at udpOneWayRate and
// past it, an answer once in fifty (a probe, a server's occasional error)
// exempts nothing either, while a transfer's reports and a fast two-way
// flow (a download's data in full frames against its ACKs) still do.
func TestOneWayUDPReverseFlow(t *testing.T) {
	heavyUnderRace(t)
	for _, tc := range []struct {
		name       string
		size, rate int
		every      int // an answer on the reverse flow every this many datagrams (0: none)
		perAnswer  int // answers on the reverse flow per answer (2: a download's data against its ACKs)
		answerSize int // the answers' payload
		lookups    int // answers a second to the source on another flow (its own DNS lookups)
		want       int
	}{
		{"full frames 20,000/s, the flooder's lookups 25/s", 1400, 20000, 0, 1, 12, 25, 1},
		{"full frames 8,000/s, the flooder's lookups 10/s", 1400, 8000, 0, 1, 12, 10, 1},
		{"empty datagrams 20,000/s, answered once in 50", 0, 20000, 50, 1, 12, 0, 1},
		{"empty datagrams 8,000/s, answered once in 20", 0, 8000, 20, 1, 12, 0, 1},
		{"full frames 6,000/s, a report every 500", 1400, 6000, 500, 1, 12, 0, 0},
		{"small frames 20,000/s, twice as much back (ACKs of a download)", 60, 20000, 1, 2, 1400, 0, 0},
		{"small frames 2,000/s, answered once in 50 (a call)", 100, 2000, 50, 1, 12, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			data := udpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", 4433, make([]byte, tc.size))
			answer := udpFrame(t, nasMAC, "10.0.0.30", 4433, pcMAC, "10.0.0.10", 40000, make([]byte, tc.answerSize))
			lookup := udpFrame(t, nasMAC, "10.0.0.30", 53, pcMAC, "10.0.0.10", 51000, make([]byte, 60))
			for i := range 10 * tc.rate { // 10 s
				at = at.Add(time.Second / time.Duration(tc.rate))
				r.feed(at, data)
				for j := 0; tc.every > 0 && i%tc.every == 0 && j < tc.perAnswer; j++ {
					r.feed(at, answer)
				}
				if tc.lookups > 0 && i%(tc.rate/tc.lookups) == 0 {
					r.feed(at, lookup)
				}
			}
			if evs := r.of(inventory.EventFlood); len(evs) != tc.want {
				t.Fatalf("want %d flood(s), raised %d: %+v", tc.want, len(evs), evs)
			}
		})
	}
}

// TestUDPPairTags: every udpPair slot written carries its key's tag, and
// a slot of another key (a flood's random ports taking the table over)
// never answers for a pair, which still counts what it sent exactly.
func TestUDPPairTags(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute})
	at := t0
	for i := range 20000 {
		r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", uint16(1024+i%60000), nasMAC, "10.0.0.30", uint16(2000+i%7), nil))
		at = at.Add(100 * time.Microsecond)
	}
	for range 100 {
		r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 5353, evilMAC, "10.0.0.66", 6000, make([]byte, 10)))
	}
	e := r.e
	for i := range e.udpPair {
		c := &e.udpPair[i]
		if e.udpPairTag[i] == 0 {
			if *c != (udpPairCounter{}) {
				t.Fatalf("slot %d written without a tag: %+v", i, c)
			}
			continue
		}
		if j, tag := udpPairIndex(c.key); j != i || tag != e.udpPairTag[i] {
			t.Fatalf("slot %d holds a key of slot %d tag %#x, tagged %#x", i, j, tag, e.udpPairTag[i])
		}
	}
	back := e.udpSentTo(netip.MustParseAddr("10.0.0.30"), mac(nasMAC), netip.MustParseAddr("10.0.0.66"), udpPorts(5353, 6000), e.nanos(at))
	if back.n != 100 || back.bytes == 0 {
		t.Fatalf("the answers' count = %+v, want 100 datagrams", back)
	}
}
