package traffic

import (
	"fmt"
	"testing"
	"time"

	"tend/inventory"
)

// withTags inserts VLAN tags (TPID, VID pairs) after frame's MAC addresses.
func withTags(frame []byte, tags ...uint16) []byte {
	out := append([]byte{}, frame[:12]...)
	for i := 0; i+1 < len(tags); i += 2 {
		out = append(out, byte(tags[i]>>8), byte(tags[i]), byte(tags[i+1]>>8), byte(tags[i+1]))
	}
	return append(out, frame[12:]...)
}

// TestVLANDoubleTagging: mausezahn -Q 100,200 from a host whose other
// frames are untagged (review 32b's mz-vlan.pcap) is VLAN hopping, raised
// once; an 802.1ad S-tag over a C-tag, and a trunk mirror where every
// frame is tagged, are not.
func TestVLANDoubleTagging(t *testing.T) {
	for _, tc := range []struct {
		name      string
		untagged  bool   // the host's first frames are untagged
		mirror    bool   // every frame tagged (a trunk's mirror)
		outerTPID uint16 // of the attack's frames
		want      int    // rogue_switch events
	}{
		{"double 802.1Q from an access host", true, false, 0x8100, 1},
		{"802.1ad S-tag over a C-tag", true, false, 0x88a8, 0},
		{"a trunk mirror's double tags", false, true, 0x8100, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range 5 {
				f := udpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 53, []byte("x"))
				if tc.mirror {
					f = withTags(f, 0x8100, 10)
				}
				r.feed(t0.Add(time.Duration(i)*time.Second), f)
			}
			for i := range 200 {
				f := udpFrame(t, evilMAC, "10.0.0.66", 0, bcast, "10.0.0.14", 161, nil)
				r.feed(t0.Add(10*time.Second+time.Duration(i)*10*time.Millisecond), withTags(f, tc.outerTPID, 100, 0x8100, 200))
			}
			if n := len(r.of(inventory.EventRogueSwitch)); n != tc.want {
				t.Errorf("%d rogue_switch events, want %d: %s", n, tc.want, fmt.Sprint(r.all()))
			}
		})
	}
}
