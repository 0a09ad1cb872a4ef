package traffic

import (
	"bytes"
	"encoding/hex"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// Frames of fake-router6-alone-thc.pcap (stage-detections.sh
// v6_fake_router6_alone): evil's kernel soliciting routers at link-up, then
// atk6-fake_router6's advertisement (lifetime 2048, hop limit 255, RIOs
// ::/0, 2000::/3, fc00::/7, RDNSS).
const (
	evilRS37 = "333300000002b827eb00006686dd6000000000103afffe80000000000000ba27ebfffe000066ff02000000000000000000000000000285003411000000000101b827eb000066"
	evilRA37 = "333300000001b827eb00006686dd6e00000000a03afffe80000000000000ba27ebfffe000066ff0200000000000000000000000000018600f45dff080800000000000000040005010000000005dc030440c0111111110404040400000000fd8800080066000000000000000000000101b827eb0000661803000800001111000000000000000000000000000000001803030800001111200000000000000000000000000000001803070800001111fc0000000000000000000000000000001903000001010101ff0200000000000000000000000000fb"
)

// asSender rewrites a recorded neighbour discovery frame's sender MAC
// (Ethernet source and link-layer option) and link-local source to m's.
func asSender(t *testing.T, s string, from, m string) []byte {
	b := raBytes(t, s)
	old, _ := hex.DecodeString(strings.ReplaceAll(from, ":", ""))
	nm := hw(m)
	b = bytes.ReplaceAll(b, old, nm)
	ll := netip.AddrFrom16([16]byte{0: 0xfe, 1: 0x80, 8: nm[0] ^ 2, 9: nm[1], 10: nm[2], 11: 0xff, 12: 0xfe, 13: nm[3], 14: nm[4], 15: nm[5]}).As16()
	copy(b[14+8:14+24], ll[:])
	return b
}

// TestHostRA: a default router advertisement on a LAN where no router
// advertises and none is configured (review 36a P5, r36a's no-router
// scenarios): raised High when its sender solicited routers (a host's
// kernel), or carries thc's hop limit 255 or a route for half of IPv6;
// radvd's plain advertisement from a router (review 36b's r2) stays quiet,
// as does the gateway's own after it solicited routers.
func TestHostRA(t *testing.T) {
	evil, r2 := "b8:27:eb:00:00:66", "00:1b:21:36:00:02"
	for _, tc := range []struct {
		name, rs, ra, sender string
		want                 []string
	}{
		{"thc after its kernel's solicitation", evilRS37, evilRA37, evil, []string{"solicited routers", "hop limit 255", "2000::/3"}},
		{"thc alone", "", evilRA37, evil, []string{"hop limit 255", "2000::/3"}},
		{"radvd from a router", "", r2RA36b, r2, nil},
		{"radvd from a host that solicited routers", asHex(asSender(t, evilRS37, evil, r2)), r2RA36b, r2, []string{"solicited routers"}},
		{"the gateway after soliciting routers", asHex(asSender(t, evilRS37, evil, "00:1a:a1:36:00:01")), gwRA36b, "00:1a:a1:36:00:01", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("192.168.36.1")})
			at := time.Date(2026, 12, 7, 4, 49, 50, 0, time.UTC)
			gw, host := hw("00:1a:a1:36:00:01"), hw("f8:bc:12:36:01:65")
			r.feed(at, arpFrame(t, layers.ARPRequest, host, "192.168.36.101", nil, "192.168.36.1"))
			r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPReply, gw, "192.168.36.1", host, "192.168.36.101"))
			if tc.rs != "" {
				r.feed(at.Add(time.Second), raBytes(t, tc.rs))
			}
			for i := 0; i < 3; i++ {
				r.feed(at.Add(time.Duration(2+5*i)*time.Second), raBytes(t, tc.ra))
			}
			evs := r.of(inventory.EventRogueRA)
			if tc.want == nil {
				if len(evs) != 0 {
					t.Fatalf("got %+v", evs)
				}
				return
			}
			if len(evs) != 1 || evs[0].Severity != inventory.SeverityHigh || evs[0].MAC.String() != tc.sender {
				t.Fatalf("got %+v", evs)
			}
			why := evs[0].Evidence[0].Detail
			for _, w := range tc.want {
				if !strings.Contains(why, w) {
					t.Fatalf("evidence %q lacks %q", why, w)
				}
			}
		})
	}
}

func asHex(b []byte) string { return hex.EncodeToString(b) }
