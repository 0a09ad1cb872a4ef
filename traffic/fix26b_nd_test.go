package traffic

import (
	"net"
	"testing"
	"time"

	"tend/inventory"
)

// nsBody is a neighbour solicitation (RFC 4861 4.3) for target with a
// source link-layer address option.
func nsBody(target string, slla net.HardwareAddr) []byte {
	b := append(make([]byte, 4, 28), ip6(target)...)
	return append(append(b, 1, 1), slla...)
}

// TestNDForgedSolicitedFlag: an advertisement with the solicited and
// override flags set that no solicitation from its destination asked for
// within ndAnswerWithin is poisoning, as one with the solicited flag clear
// is; a second MAC answering the gateway's solicitation for the PC's
// address (a duplicate address) is not.
func TestNDForgedSolicitedFlag(t *testing.T) {
	pc, gw := "fd00::10", "fd00::1"
	pcSolicit, gwSolicit := hw("33:33:ff:00:00:10"), hw("33:33:ff:00:00:01")
	start := func(t *testing.T) *rig {
		r := newRig(t, Config{})
		r.feed(t0, icmp6Frame(t, pcMAC, pc, gwSolicit, "ff02::1:ff00:1", 135, nsBody(gw, pcMAC)))
		r.feed(t0.Add(time.Millisecond), icmp6Frame(t, gwMAC, gw, pcMAC, pc, 136, naBody(true, true, gw, gwMAC)))
		r.feed(t0.Add(100*time.Millisecond), icmp6Frame(t, gwMAC, gw, pcSolicit, "ff02::1:ff00:10", 135, nsBody(pc, gwMAC)))
		r.feed(t0.Add(101*time.Millisecond), icmp6Frame(t, pcMAC, pc, gwMAC, gw, 136, naBody(true, true, pc, pcMAC)))
		return r
	}
	t.Run("forged solicited flag", func(t *testing.T) {
		r := start(t)
		for i := range 5 {
			at := t0.Add(time.Duration(5+2*i) * time.Second)
			r.feed(at.Add(-time.Second), icmp6Frame(t, pcMAC, pc, gwMAC, gw, 128, []byte{0, 1, 0, byte(i)}))
			r.feed(at, icmp6Frame(t, evilMAC, pc, gwMAC, gw, 136, naBody(true, true, pc, evilMAC)))
		}
		wantOne(t, r, inventory.EventNDSpoof, evilMAC.String(), "")
	})
	t.Run("an answer to a solicitation", func(t *testing.T) {
		r := start(t)
		r.feed(t0.Add(5*time.Second), icmp6Frame(t, pcMAC, pc, gwMAC, gw, 128, []byte{0, 1, 0, 1}))
		r.feed(t0.Add(6*time.Second), icmp6Frame(t, gwMAC, gw, pcSolicit, "ff02::1:ff00:10", 135, nsBody(pc, gwMAC)))
		r.feed(t0.Add(6*time.Second+time.Millisecond), icmp6Frame(t, evilMAC, pc, gwMAC, gw, 136, naBody(true, true, pc, evilMAC)))
		if evs := r.of(inventory.EventNDSpoof); len(evs) != 0 {
			t.Fatalf("an answer to a solicitation raised %+v", evs)
		}
	})
}
