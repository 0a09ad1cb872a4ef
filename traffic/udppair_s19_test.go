package traffic

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestUDPPairTagCollision: two keys that share a slot and its 16-bit tag
// (ports found by search, kept here) are told apart by the key itself: the
// second never reads nor extends the first's count.
func TestUDPPairTagCollision(t *testing.T) {
	a := udpPairKey{0, 0xffff0000 | 0x1e00000a<<32, 0, 0xffff0000 | 0x4200000a<<32, 0x020000000001, 0x04000035}
	b := a
	b.ports = 0x05b2ce68
	ia, ta := udpPairIndex(a)
	if ib, tb := udpPairIndex(b); ib != ia || tb != ta {
		t.Fatalf("the keys no longer collide (slot %d/%d, tag %#x/%#x): udpPairIndex changed, find a new pair", ia, ib, ta, tb)
	}
	var e Engine
	e.udpPair[ia] = udpPairCounter{key: a, window: 5, n: 7}
	e.udpPairTag[ia] = ta
	if c := e.udpPairCount(b, 5); c != nil {
		t.Fatalf("key %+v answered with %+v's count (same slot %d, tag %#x)", b, a, ia, ta)
	}
	if c := e.udpPairCount(a, 4); c != nil {
		t.Fatalf("a's count of window 5 answered for window 4: %+v", c)
	}
	if c := e.udpPairCount(a, 5); c == nil || c.n != 7 {
		t.Fatalf("a's own count lost: %+v", c)
	}
}

// TestUDPPairKeyIs: is agrees with == whichever field differs, and a field
// added to udpPairKey breaks this test until is compares it too.
func TestUDPPairKeyIs(t *testing.T) {
	if n := reflect.TypeOf(udpPairKey{}).NumField(); n != 6 {
		t.Fatalf("udpPairKey has %d fields: make is compare every one, then update this test", n)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		k := udpPairKey{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64(), r.Uint32()}
		if !k.is(k) {
			t.Fatalf("%+v is not itself", k)
		}
		for f := range 6 {
			o, bit := k, uint64(1)<<r.IntN(32)
			switch f {
			case 0:
				o.fromHi ^= bit
			case 1:
				o.fromLo ^= bit
			case 2:
				o.toHi ^= bit
			case 3:
				o.toLo ^= bit
			case 4:
				o.fromMAC ^= bit
			case 5:
				o.ports ^= uint32(bit)
			}
			if o.is(k) || k.is(o) {
				t.Fatalf("field %d differs (%+v vs %+v) but is says equal", f, k, o)
			}
		}
	}
}
