package discovery

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
)

// Errors CheckScope wraps, so callers can tell the operator which rule a
// prefix broke.
var (
	// ErrNotPrivate marks a prefix outside the private ranges; only an
	// explicit allowPublic lets the box sweep it.
	ErrNotPrivate = errors.New("not a private range")
	// ErrTooLarge marks a prefix with more addresses than one sweep may touch.
	ErrTooLarge = errors.New("too large to sweep")
	// ErrNotSweepable marks a prefix ARP cannot or must not sweep at all:
	// IPv6, loopback, multicast, reserved.
	ErrNotSweepable = errors.New("not sweepable")
)

// MaxSweepBits is the largest prefix (fewest bits) a sweep accepts: a /16 is
// 65,534 hosts, which at 500 requests/s and two passes already takes over four
// minutes; anything larger is almost certainly a typo for a smaller network.
const MaxSweepBits = 16

// privateRanges are the IPv4 ranges a client LAN may use without being told:
// RFC 1918 section 3 and RFC 6598 (shared address space, carrier-grade NAT).
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
}

// neverRanges can never hold ARP-reachable hosts, so no flag unlocks them:
// "this network" (RFC 791), loopback (RFC 1122), multicast (RFC 5771) and the
// reserved block with limited broadcast (RFC 1112, RFC 919).
var neverRanges = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("224.0.0.0/4"),
	netip.MustParsePrefix("240.0.0.0/4"),
}

// CheckScope is the guard between an operator's target list and the wire. The
// box runs on a client's network, and a mistyped --cidr must not make it sweep
// someone else's, so it refuses, naming each offending prefix:
//
//   - IPv6 prefixes (ARP is IPv4-only; even ULA fc00::/7, private as it is);
//   - prefixes larger than a /16 (too many hosts), whatever allowPublic says;
//   - loopback, multicast and reserved IPv4 space, whatever allowPublic says;
//   - IPv4 prefixes not wholly inside 10/8, 172.16/12, 192.168/16 (RFC 1918)
//     or 100.64/10 (RFC 6598), unless allowPublic.
//
// Host bits are ignored: 10.1.2.3/24 means 10.1.2.0/24.
func CheckScope(prefixes []netip.Prefix, allowPublic bool) error {
	var errs []error
	for _, p := range prefixes {
		if err := checkPrefix(p, allowPublic); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func checkPrefix(p netip.Prefix, allowPublic bool) error {
	if !p.IsValid() {
		return fmt.Errorf("discovery: prefix %s is invalid: %w", p, ErrNotSweepable)
	}
	if !p.Addr().Is4() {
		return fmt.Errorf("discovery: prefix %s is IPv6, and ARP sweeps are IPv4-only: %w", p, ErrNotSweepable)
	}
	p = p.Masked()
	if p.Bits() < MaxSweepBits {
		return fmt.Errorf("discovery: prefix %s has %d addresses, more than a /%d (%d hosts) allows: %w",
			p, uint64(1)<<(32-p.Bits()), MaxSweepBits, 1<<(32-MaxSweepBits)-2, ErrTooLarge)
	}
	for _, r := range neverRanges {
		if r.Overlaps(p) {
			return fmt.Errorf("discovery: prefix %s lies in %s (loopback, multicast or reserved): %w", p, r, ErrNotSweepable)
		}
	}
	if allowPublic || insidePrivate(p) {
		return nil
	}
	return fmt.Errorf("discovery: prefix %s is not wholly inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918) "+
		"or 100.64.0.0/10 (RFC 6598); sweeping it needs an explicit allow-public: %w", p, ErrNotPrivate)
}

// PrivateAddr reports whether ip lies in the RFC 1918 or RFC 6598 ranges:
// the client's own networks, as opposed to the internet.
func PrivateAddr(ip netip.Addr) bool {
	return ip.Is4() && insidePrivate(netip.PrefixFrom(ip, 32))
}

// insidePrivate reports whether the masked prefix p lies wholly in one private range.
func insidePrivate(p netip.Prefix) bool {
	return slices.ContainsFunc(privateRanges, func(r netip.Prefix) bool {
		return r.Bits() <= p.Bits() && r.Contains(p.Addr())
	})
}

// InterfacePrefixes lists the IPv4 networks attached to ifi, host bits
// cleared and duplicates removed: the default sweep targets, since the box
// should only look at the LAN it was plugged into.
func InterfacePrefixes(ifi *net.Interface) ([]netip.Prefix, error) {
	addrs, err := ifi.Addrs()
	if err != nil {
		return nil, fmt.Errorf("discovery: addresses of %s: %w", ifi.Name, err)
	}
	var out []netip.Prefix
	for _, a := range addrs {
		p, ok := prefixOf(a)
		if !ok || !p.Addr().Is4() {
			continue
		}
		if p = p.Masked(); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// interfaceAddrs lists ifi's own IPv4 addresses.
func interfaceAddrs(ifi *net.Interface) ([]netip.Addr, error) {
	addrs, err := ifi.Addrs()
	if err != nil {
		return nil, fmt.Errorf("discovery: addresses of %s: %w", ifi.Name, err)
	}
	var out []netip.Addr
	for _, a := range addrs {
		if p, ok := prefixOf(a); ok && p.Addr().Is4() && !slices.Contains(out, p.Addr()) {
			out = append(out, p.Addr())
		}
	}
	return out, nil
}

// prefixOf converts what net.Interface.Addrs returns (*net.IPNet on Linux)
// into an unmapped prefix that keeps the host bits.
func prefixOf(a net.Addr) (netip.Prefix, bool) {
	n, ok := a.(*net.IPNet)
	if !ok {
		return netip.Prefix{}, false
	}
	ip, ok := netip.AddrFromSlice(n.IP)
	if !ok {
		return netip.Prefix{}, false
	}
	ip = ip.Unmap()
	ones, bits := n.Mask.Size()
	if bits == 128 && ip.Is4() {
		ones -= 96
	}
	if bits == 0 || ones < 0 {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(ip, ones), true
}
