package traffic

import (
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestNewFloodKey checks that the key's words are those of the address's
// As16 bytes for every kind of address (IPv4 takes a shortcut), so that
// keys and gate slots are what they were with the [16]byte key: an IPv4
// address and its IPv4-mapped IPv6 form share a key, other addresses do not.
func TestNewFloodKey(t *testing.T) {
	addrs := []netip.Addr{{}, netip.MustParseAddr("0.0.0.0"), netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("192.168.255.254"),
		netip.MustParseAddr("255.255.255.255"), netip.MustParseAddr("::ffff:10.0.0.1"), netip.MustParseAddr("::"),
		netip.MustParseAddr("fe80::1"), netip.MustParseAddr("2001:db8::dead:beef"), netip.MustParseAddr("ff02::1:ff00:1")}
	seen := map[floodKey]netip.Addr{}
	for _, a := range addrs {
		d16 := a.As16()
		want := floodKey{binary.LittleEndian.Uint64(d16[:8]), binary.LittleEndian.Uint64(d16[8:]), fICMP}
		got := newFloodKey(a, fICMP)
		if got != want {
			t.Errorf("newFloodKey(%v) = %x, want %x", a, got, want)
		}
		if !a.IsValid() {
			continue // as ::, as before; floodPacket never keys an invalid address
		}
		if b, ok := seen[got]; ok && b.Unmap() != a.Unmap() {
			t.Errorf("%v and %v share the key %x", a, b, got)
		}
		seen[got] = a
	}
	if newFloodKey(addrs[2], fUDP) == newFloodKey(addrs[2], fICMP) {
		t.Error("two kinds share a key")
	}
}

// TestFloodSummaryArticle: a flood's summary takes the article its name is
// said with: "an ICMP echo flood", "a UDP flood".
func TestFloodSummaryArticle(t *testing.T) {
	for _, tc := range []struct {
		frame func(t *testing.T) []byte
		want  string
	}{
		{func(t *testing.T) []byte { return pingFrame(t, evilMAC, "10.0.0.66", nasMAC, "10.0.0.30", 56) }, " sent an ICMP echo flood toward "},
		{func(t *testing.T) []byte {
			return udpFrame(t, evilMAC, "10.0.0.66", 5004, nasMAC, "10.0.0.30", 5004, nil)
		}, " sent a UDP flood toward "},
	} {
		t.Run(tc.want, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			frame := tc.frame(t)
			for range 40000 {
				r.feed(at, frame)
				at = at.Add(60 * time.Microsecond)
			}
			evs := r.of(inventory.EventFlood)
			if len(evs) != 1 || !strings.Contains(evs[0].Summary, tc.want) {
				t.Fatalf("want one flood whose summary says %q, raised %+v", tc.want, evs)
			}
		})
	}
}
