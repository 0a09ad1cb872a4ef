package identity

import (
	"math/rand/v2"
	"testing"
)

// TestLookupRecentSame: the answers Lookup keeps (Registry.recent) are the
// sections' answers, for addresses met again, for other addresses of the
// same /36 block (one answer per block) and for blocks that take over one
// another's slot: MACs of assigned /24, /28 and /36 blocks and random ones,
// looked up in a random order, three times each.
func TestLookupRecentSame(t *testing.T) {
	r := openRegistry(t)
	rng := rand.New(rand.NewPCG(29, 4))
	macs := benchMACs()
	for range 4000 {
		m := []byte{byte(rng.IntN(256)) &^ 3, byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))}
		macs = append(macs, m)
		if rng.IntN(4) == 0 { // another address of the block: the last 12 bits differ
			macs = append(macs, []byte{m[0], m[1], m[2], m[3], m[4] ^ byte(1+rng.IntN(15)), m[5] ^ 0x5a})
		}
	}
	want := make([]string, len(macs))
	for i, m := range macs {
		want[i] = r.lookup(uint64(m[0])<<40 | uint64(m[1])<<32 | uint64(m[2])<<24 | uint64(m[3])<<16 | uint64(m[4])<<8 | uint64(m[5]))
	}
	named := 0
	for range 3 {
		for _, i := range rng.Perm(len(macs)) {
			org, ok := r.Lookup(macs[i])
			if org != want[i] || ok != (want[i] != "") {
				t.Fatalf("Lookup(% x) = %q, %v; the sections say %q", macs[i], org, ok, want[i])
			}
			if ok {
				named++
			}
		}
	}
	if named < 100 {
		t.Fatalf("only %d answers named a maker: the test meets too few assigned blocks", named)
	}
}
