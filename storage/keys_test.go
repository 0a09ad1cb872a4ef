package storage

import (
	"net/netip"
	"testing"

	"tend/inventory"
)

// TestDeviceKey checks the hand-made key against the prefix and the MAC's
// own string form, for every length a MAC may have.
func TestDeviceKey(t *testing.T) {
	macs := []inventory.MAC{nil, {}, {0x0a}, {0x00, 0x1b, 0x21, 0xff, 0xa0, 0x9f}, {0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03},
		{0xf0, 0x0f, 0x10, 0x01, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}}
	for _, m := range macs {
		if got, want := deviceKey(m), prefixDevice+m.String(); got != want {
			t.Errorf("deviceKey(%x) = %q, want %q", []byte(m), got, want)
		}
	}
}

// TestDeviceIP checks the index's address reader on records with an
// address, an empty one, none, and a bad one.
func TestDeviceIP(t *testing.T) {
	for _, tc := range []struct {
		rec  string
		want netip.Addr
	}{
		{`{"mac":"00:11:22:33:44:55","ip":"10.0.0.7"}`, netip.MustParseAddr("10.0.0.7")},
		{`{"mac":"00:11:22:33:44:55","ip":"fe80::1"}`, netip.MustParseAddr("fe80::1")},
		{`{"mac":"00:11:22:33:44:55","ip":""}`, netip.Addr{}},
		{`{"mac":"00:11:22:33:44:55"}`, netip.Addr{}},
		{`{"ip":"not an address"}`, netip.Addr{}},
	} {
		if got := deviceIP(tc.rec); got != tc.want {
			t.Errorf("deviceIP(%s) = %v, want %v", tc.rec, got, tc.want)
		}
	}
}
