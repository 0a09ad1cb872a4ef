package traffic

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestOneFlowUDPFlood: one fast one-way UDP flow from a LAN host is a
// flood, and so is a slower one in small frames from a flow or two
// (mausezahn, nping); the same rate both ways (a tunnel carrying a backup),
// a camera's one-way stream, a call recorder's forked RTP and an internet
// download through the gateway are not.
func TestOneFlowUDPFlood(t *testing.T) {
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
			for i := range tc.n {
				r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", 51820+uint16(i%max(tc.flows, 1)), nasMAC, "10.0.0.30", 51820, payload))
				if tc.back > 0 && i%tc.back == 0 {
					r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 51820, evilMAC, "10.0.0.66", 51820, payload[:min(len(payload), 80)]))
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
