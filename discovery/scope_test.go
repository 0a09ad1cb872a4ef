package discovery

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckScope(t *testing.T) {
	for _, tt := range []struct {
		name        string
		prefixes    []string
		allowPublic bool
		wantErr     error  // nil: accepted
		wantText    string // must appear in the error
	}{
		{name: "rfc1918 10", prefixes: []string{"10.1.2.0/24"}},
		{name: "rfc1918 172.16", prefixes: []string{"172.31.255.0/24"}},
		{name: "rfc1918 192.168 host bits", prefixes: []string{"192.168.7.99/24"}},
		{name: "rfc6598", prefixes: []string{"100.127.0.0/16"}},
		{name: "exactly /16", prefixes: []string{"10.20.0.0/16"}},
		{name: "single host", prefixes: []string{"10.0.0.7/32"}},
		{name: "empty list", prefixes: nil},
		{name: "public refused", prefixes: []string{"198.51.100.0/24"}, wantErr: ErrNotPrivate, wantText: "198.51.100.0/24"},
		{name: "public allowed", prefixes: []string{"198.51.100.0/24"}, allowPublic: true},
		{name: "straddles 172.16/12", prefixes: []string{"172.15.255.0/23"}, wantErr: ErrNotPrivate, wantText: "172.15.254.0/23"},
		{name: "next to rfc6598", prefixes: []string{"100.128.0.0/24"}, wantErr: ErrNotPrivate},
		{name: "too large private", prefixes: []string{"10.0.0.0/15"}, wantErr: ErrTooLarge, wantText: "too large"},
		{name: "too large even when public allowed", prefixes: []string{"10.0.0.0/8"}, allowPublic: true, wantErr: ErrTooLarge, wantText: "10.0.0.0/8"},
		{name: "ipv6 ula", prefixes: []string{"fd00:1::/64"}, wantErr: ErrNotSweepable, wantText: "IPv4-only"},
		{name: "ipv6 ula even when public allowed", prefixes: []string{"fd00:1::/64"}, allowPublic: true, wantErr: ErrNotSweepable},
		{name: "loopback", prefixes: []string{"127.0.0.0/24"}, allowPublic: true, wantErr: ErrNotSweepable},
		{name: "multicast", prefixes: []string{"224.0.0.0/24"}, allowPublic: true, wantErr: ErrNotSweepable},
		{name: "limited broadcast", prefixes: []string{"255.255.255.255/32"}, allowPublic: true, wantErr: ErrNotSweepable},
		{name: "one bad among good", prefixes: []string{"10.0.0.0/24", "203.0.113.0/24"}, wantErr: ErrNotPrivate, wantText: "203.0.113.0/24"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ps []netip.Prefix
			for _, s := range tt.prefixes {
				ps = append(ps, netip.MustParsePrefix(s))
			}
			err := CheckScope(ps, tt.allowPublic)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("CheckScope(%v) = %v, want nil", ps, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("CheckScope(%v) = %v, want %v", ps, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q does not mention %q", err, tt.wantText)
			}
		})
	}
	if err := CheckScope([]netip.Prefix{{}}, true); !errors.Is(err, ErrNotSweepable) {
		t.Errorf("zero prefix: %v", err)
	}
}

func TestHostAddrs(t *testing.T) {
	for _, tt := range []struct {
		prefixes  []string
		wantN     int
		wantFirst string
		wantLast  string
	}{
		{[]string{"10.0.0.0/24"}, 254, "10.0.0.1", "10.0.0.254"},
		{[]string{"10.0.0.77/24"}, 254, "10.0.0.1", "10.0.0.254"},
		{[]string{"10.0.0.4/30"}, 2, "10.0.0.5", "10.0.0.6"},
		{[]string{"10.0.0.4/31"}, 2, "10.0.0.4", "10.0.0.5"},
		{[]string{"10.0.0.4/32"}, 1, "10.0.0.4", "10.0.0.4"},
		{[]string{"10.0.0.0/16"}, 65534, "10.0.0.1", "10.0.255.254"},
		{[]string{"10.0.0.0/24", "10.0.0.128/25", "10.0.1.0/30"}, 256, "10.0.0.1", "10.0.1.2"},
	} {
		var ps []netip.Prefix
		for _, s := range tt.prefixes {
			ps = append(ps, netip.MustParsePrefix(s))
		}
		got := hostAddrs(ps)
		if len(got) != tt.wantN || got[0].String() != tt.wantFirst || got[len(got)-1].String() != tt.wantLast {
			t.Errorf("hostAddrs(%v): %d addresses %v..%v, want %d %s..%s",
				tt.prefixes, len(got), got[0], got[len(got)-1], tt.wantN, tt.wantFirst, tt.wantLast)
		}
	}
}

func TestPrefixOf(t *testing.T) {
	for _, tt := range []struct {
		in   net.Addr
		want string
	}{
		{&net.IPNet{IP: net.ParseIP("10.1.2.3"), Mask: net.CIDRMask(24, 32)}, "10.1.2.3/24"},
		{&net.IPNet{IP: net.ParseIP("10.1.2.3"), Mask: net.CIDRMask(120, 128)}, "10.1.2.3/24"}, // 16-byte form
		{&net.IPNet{IP: net.ParseIP("fd00::1"), Mask: net.CIDRMask(64, 128)}, "fd00::1/64"},
		{&net.IPAddr{IP: net.ParseIP("10.1.2.3")}, "invalid Prefix"},
	} {
		got, _ := prefixOf(tt.in)
		if diff := cmp.Diff(tt.want, got.String()); diff != "" {
			t.Errorf("prefixOf(%v) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestPrivateAddr(t *testing.T) {
	for ip, want := range map[string]bool{
		"10.77.0.4": true, "172.20.1.9": true, "192.168.254.1": true, "100.64.3.2": true,
		"143.160.92.10": false, "8.8.8.8": false, "172.32.0.1": false, "fd00::1": false,
	} {
		if got := PrivateAddr(netip.MustParseAddr(ip)); got != want {
			t.Errorf("PrivateAddr(%s) = %v, want %v", ip, got, want)
		}
	}
}
