package traffic

import (
	"net/netip"
	"testing"
)

// TestMulticastIsNetip: multicast, the engine's inline test, answers as
// netip's IsMulticast for IPv4, IPv4-mapped, zoned and plain IPv6 and the
// zero Addr.
func TestMulticastIsNetip(t *testing.T) {
	addrs := []netip.Addr{{}, netip.IPv6Unspecified(), netip.IPv4Unspecified()}
	for _, s := range []string{
		"224.0.0.1", "239.255.255.250", "223.255.255.255", "240.0.0.1", "255.255.255.255", "10.0.0.1", "0.0.0.0",
		"::ffff:224.0.0.251", "::ffff:10.1.2.3", "::ffff:239.1.1.1", "::224.0.0.1",
		"ff02::1", "ff05::1:3", "fe80::1", "fe80::1%eth0", "ff02::1%eth0", "2001:db8::ff", "::1", "::",
		"fe80::ffff:e000:1", "::ffff:224.0.0.1%eth0",
	} {
		addrs = append(addrs, netip.MustParseAddr(s))
	}
	for _, a := range addrs {
		if got, want := multicast(a), a.IsMulticast(); got != want {
			t.Errorf("multicast(%v) = %v, IsMulticast %v", a, got, want)
		}
	}
}
