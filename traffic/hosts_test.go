package traffic

import (
	"net/netip"
	"testing"
)

// TestLocal: local's byte tests give netip's answer for every first two
// bytes of an IPv4 address, and for IPv6 and IPv4-mapped ones.
func TestLocal(t *testing.T) {
	ref := func(ip netip.Addr) bool {
		return ip.IsPrivate() || ip.IsLinkLocalUnicast() || sharedSpace.Contains(ip)
	}
	for a := range 256 {
		for b := range 256 {
			for _, ip := range []netip.Addr{netip.AddrFrom4([4]byte{byte(a), byte(b), 7, 9}), netip.AddrFrom16(netip.AddrFrom4([4]byte{byte(a), byte(b), 0, 1}).As16())} {
				if got, want := local(ip), ref(ip); got != want {
					t.Errorf("local(%s) = %v, want %v", ip, got, want)
				}
			}
		}
	}
	for _, s := range []string{"fd00::1", "fc12::1", "fe80::1", "fe80::1%eth0", "febf::1", "fec0::1", "2001:db8::1", "::", "::1"} {
		ip := netip.MustParseAddr(s)
		if got, want := local(ip), ref(ip); got != want {
			t.Errorf("local(%s) = %v, want %v", ip, got, want)
		}
	}
	if local(netip.Addr{}) {
		t.Error("local(zero Addr) = true")
	}
}
