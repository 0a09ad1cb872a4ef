package traffic

import (
	"encoding/binary"
	"testing"
	"time"

	"tend/inventory"
)

// cdpCapsBody is a CDP frame's body: a device ID, then capabilities.
func cdpCapsBody(deviceID string, caps uint32) []byte {
	return binary.BigEndian.AppendUint32(append(cdpBody(deviceID), 0, 4, 0, 8), caps)
}

// yersinia's single-frame attacks: one BPDU (configuration or TCN) from a
// MAC that announced itself by CDP as a phone is a rogue_switch; the same
// one frame from a MAC tend knows nothing of, or from a switch, is not
// (a flood's first frame, a switch booting, a port flapping).
func TestBPDUFromCDPHost(t *testing.T) {
	swBridge := bridgeKey(0x8000, hw("00:19:06:ea:b8:80"))
	sw := hw("00:19:06:ea:b8:85")
	evilBridge := bridgeKey(0x44f8, hw("dc:8d:7b:73:72:5d"))
	for _, tc := range []struct {
		name  string
		caps  uint32 // 0: no CDP from the sender
		frame []byte
		want  bool
	}{
		{"phone, one configuration BPDU", 0x490, configBPDU(evilMAC, evilBridge, evilBridge), true},
		{"host, one TCN", 0x10, tcnBPDU(evilMAC), true},
		{"unknown MAC, one configuration BPDU", 0, configBPDU(evilMAC, evilBridge, evilBridge), false},
		{"unknown MAC, one TCN", 0, tcnBPDU(evilMAC), false},
		{"a switch that says it is a host too", 0x18, tcnBPDU(evilMAC), false},
		{"a router", 0x01 | 0x10, tcnBPDU(evilMAC), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			r.feed(t0, configBPDU(sw, swBridge, swBridge))
			r.feed(t0.Add(2*time.Second), configBPDU(sw, swBridge, swBridge))
			if tc.caps != 0 {
				r.feed(t0.Add(3*time.Second), frame8023(ciscoDst, evilMAC, snap(0x2000, cdpCapsBody("SEPB827EB000066", tc.caps))))
			}
			r.feed(t0.Add(5*time.Second), tc.frame)
			r.feed(t0.Add(6*time.Second), configBPDU(sw, swBridge, swBridge))
			got := len(r.of(inventory.EventRogueSwitch))
			if tc.want {
				wantOne(t, r, inventory.EventRogueSwitch, evilMAC.String(), "")
			} else if got != 0 {
				t.Fatalf("raised %+v", r.all())
			}
		})
	}
	t.Run("forgotten after 10 min", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, frame8023(ciscoDst, evilMAC, snap(0x2000, cdpCapsBody("SEP", 0x90))))
		r.feed(t0.Add(11*time.Minute), tcnBPDU(evilMAC))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("raised %+v", evs)
		}
	})
}
