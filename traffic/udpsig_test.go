package traffic

import (
	"math/rand/v2"
	"testing"
)

// TestUDPSigWords: udpSig reads a payload's first 16 bytes as two
// little-endian words; the signature is the one its definition gives byte
// by byte (the little-endian packing of up to 16 bytes), for every length
// up to and past 16, so an echo is told as before.
func TestUDPSigWords(t *testing.T) {
	bytewise := func(b []byte) uint64 {
		var w [2]uint64
		for i := range min(len(b), 16) {
			w[i/8] |= uint64(b[i]) << (8 * (i % 8))
		}
		return (w[0]*0x9e3779b97f4a7c15^w[1]*0xc4ceb9fe1a85ec53^uint64(len(b)))*0xff51afd7ed558ccd | 1
	}
	r := rand.New(rand.NewPCG(20, 5))
	for n := range 41 {
		for range 20 {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			if got, want := udpSig(b), bytewise(b); got != want {
				t.Fatalf("udpSig(% x) = %#x, want %#x", b, got, want)
			}
		}
	}
}
