package traffic

import (
	"encoding/hex"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// wolFrame36 is the magic packet the sleep proxy 28:cf:e9:36:00:61 sent for
// the Mac 3c:22:fb:36:00:60 in review 36b's sleep_proxy2 capture
// (ethertype 0x0842), byte for byte.
const wolFrame36 = "ffffffffffff28cfe93600610842ffffffffffff" +
	"3c22fb3600603c22fb3600603c22fb3600603c22fb3600603c22fb3600603c22fb3600603c22fb3600603c22fb360060" +
	"3c22fb3600603c22fb3600603c22fb3600603c22fb3600603c22fb3600603c22fb3600603c22fb3600603c22fb360060"

func TestMagicTarget(t *testing.T) {
	b, _ := hex.DecodeString(wolFrame36)
	m, ok := magicTarget(b[14:])
	if !ok || m != (mac{0x3c, 0x22, 0xfb, 0x36, 0x00, 0x60}) {
		t.Fatalf("magicTarget = %x %v", m, ok)
	}
	b[14+6+6*9] ^= 1 // one copy differs: no magic packet
	if _, ok := magicTarget(b[14:]); ok {
		t.Fatal("a broken repetition read as a magic packet")
	}
}

// sleepCycles plays sleep_proxy2's shape: the Mac (.60) talks, falls
// silent (asleep), the proxy announces .60 with its own MAC three times
// one second apart, a client connects, the proxy sends wake (when wake is
// set) and the Mac announces .60 again on waking; three cycles.
func sleepCycles(t *testing.T, r *rig, wake bool) time.Time {
	macM, proxy, client := hw("3c:22:fb:36:00:60"), hw("28:cf:e9:36:00:61"), hw("f8:bc:12:36:01:65")
	wol, _ := hex.DecodeString(wolFrame36)
	at := time.Date(2026, 12, 7, 5, 5, 44, 0, time.UTC)
	for c := 0; c < 3; c++ {
		r.feed(at, arpFrame(t, layers.ARPRequest, client, "192.168.36.101", nil, "192.168.36.60"))
		r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPReply, macM, "192.168.36.60", client, "192.168.36.101"))
		r.feed(at.Add(2*time.Second), pingFrame(t, macM, "192.168.36.60", client, "192.168.36.101", 64))
		at = at.Add(5300 * time.Millisecond) // the Mac sleeps 3.3 s before the proxy's first announcement
		for k := 0; k < 3; k++ {
			r.feed(at.Add(time.Duration(k)*time.Second), arpFrame(t, layers.ARPRequest, proxy, "192.168.36.60", nil, "192.168.36.60"))
		}
		if wake {
			r.feed(at.Add(3200*time.Millisecond), wol)
		}
		at = at.Add(7 * time.Second)
		for k := 0; k < 3; k++ {
			r.feed(at.Add(time.Duration(k)*time.Second), arpFrame(t, layers.ARPRequest, macM, "192.168.36.60", nil, "192.168.36.60"))
		}
		at = at.Add(5 * time.Second)
	}
	return at
}

// A Bonjour Sleep Proxy holding a sleeping Mac's address and handing it
// back when the Mac wakes is no spoofing (review 36b FP 1); without the
// magic packet the third cycle's claims of a live owner's address are.
func TestSleepProxyHandBack(t *testing.T) {
	cfg := Config{Gateway: netip.MustParseAddr("192.168.36.1"), ConflictWindow: 5 * time.Minute}
	r := newRig(t, cfg)
	sleepCycles(t, r, true)
	if evs := r.of(inventory.EventARPSpoof); len(evs) != 0 {
		t.Fatalf("sleep proxy raised %+v", evs)
	}
	r = newRig(t, cfg)
	sleepCycles(t, r, false)
	if evs := r.of(inventory.EventARPSpoof); len(evs) == 0 || !strings.Contains(evs[0].Summary, "192.168.36.60") {
		t.Fatalf("claims without a wake-up: %+v", r.all())
	}
}

// A poisoner that wakes its victim (a magic packet for it) and goes on
// claiming the address after the owner spoke again is named: the woken
// owner is alive before the new run.
func TestSleepProxyPoisonerStillRaises(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("192.168.36.1"), ConflictWindow: 5 * time.Minute})
	at := sleepCycles(t, r, true)
	macM, proxy := hw("3c:22:fb:36:00:60"), hw("28:cf:e9:36:00:61")
	for k := 0; k < 6; k++ {
		r.feed(at.Add(time.Duration(k)*2*time.Second), pingFrame(t, macM, "192.168.36.60", proxy, "192.168.36.101", 64))
		r.feed(at.Add(time.Duration(k)*2*time.Second+time.Second), arpFrame(t, layers.ARPRequest, proxy, "192.168.36.60", nil, "192.168.36.60"))
	}
	if evs := r.of(inventory.EventARPSpoof); len(evs) == 0 {
		t.Fatalf("re-poisoning a live owner after a hand-back stayed quiet: %+v", r.all())
	}
}
