package traffic

import (
	"encoding/hex"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// Router advertisements as recorded in reviews 36b (dual_ra: the gateway's
// radvd and r2's, AdvDefaultPreference low) and 36a (atk6-fake_router26
// -l 0 -D fd36:1::66 -L corp.lab; the gateway's scapy advertisement).
const (
	gwRA36b      = "333300000001001aa136000186dd600e247600503afffe80000000000000021aa1fffe360001ff0200000000000000000000000000018600157e40c0000f0000000000000000030440c0000151800000384000000000fd3600010000000000000000000000001903000000000005fd3600010000000000000000000000010101001aa1360001"
	r2RA36b      = "333300000001001b2136000286dd6006c81700383afffe80000000000000021b21fffe360002ff02000000000000000000000000000186002c7b4018000f0000000000000000030440c0000151800000384000000000fd3600020000000000000000000000000101001b21360002"
	dnsOnlyRA36a = "333300000001b827eb00006686dd6e00000000503afffe80000000000000ba27ebfffe000066ff0200000000000000000000000000018600210dff080000000000000000000005010000000005dc0101b827eb0000661903000000001000fd3600010000000000000000000000661f0300000000100004636f7270036c616200000000000000"
	gwRA36a      = "333300000001001aa100000186dd6000000000383afffe80000000000000021aa1fffe000001ff0200000000000000000000000000018600efc30008070800000000000000000101001aa1000001030440c0ffffffffffffffff00000000fd360001000000000000000000000000"
)

func raBytes(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSecondRouterWeighed: a second router advertising beside the gateway
// at low preference, or at medium during learning, is Medium, naming its
// prefix and preference, with its link-local address as the event's IP;
// at high preference (every attack tool's) it stays Critical, and so
// does one at medium first heard after learning (review 36b FP 3).
func TestSecondRouterWeighed(t *testing.T) {
	for _, tc := range []struct {
		name     string
		flags    byte // the RA's flags byte (preference in bits 4-3)
		learning time.Duration
		want     inventory.Severity
	}{
		{"low preference, after learning", 0x18, time.Second, inventory.SeverityMedium},
		{"medium preference, during learning", 0x00, time.Hour, inventory.SeverityMedium},
		{"medium preference, after learning", 0x00, time.Second, inventory.SeverityCritical},
		{"high preference, during learning", 0x08, time.Hour, inventory.SeverityCritical},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("192.168.36.1"), Learning: tc.learning})
			at := time.Date(2026, 12, 7, 4, 49, 50, 0, time.UTC)
			gw, host := hw("00:1a:a1:36:00:01"), hw("f8:bc:12:36:01:65")
			r.feed(at, arpFrame(t, layers.ARPRequest, host, "192.168.36.101", nil, "192.168.36.1"))
			r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPReply, gw, "192.168.36.1", host, "192.168.36.101"))
			r.feed(at.Add(2*time.Second), raBytes(t, gwRA36b))
			r2 := raBytes(t, r2RA36b)
			r2[14+40+5] = tc.flags
			r.feed(at.Add(4*time.Second), r2)
			r.feed(at.Add(8*time.Second), raBytes(t, gwRA36b))
			evs := r.of(inventory.EventRogueRA)
			if len(evs) != 1 || evs[0].Severity != tc.want || evs[0].MAC.String() != "00:1b:21:36:00:02" || evs[0].IP.String() != "fe80::21b:21ff:fe36:2" {
				t.Fatalf("got %+v", evs)
			}
			ev := evs[0]
			if last := ev.Evidence[len(ev.Evidence)-1].Detail; !strings.Contains(last, "prefix fd36:2::/64") || !strings.Contains(last, "preference") {
				t.Fatalf("evidence %+v", ev.Evidence)
			}
			if tc.want == inventory.SeverityMedium && !strings.Contains(ev.Summary, "--ipv6-router") {
				t.Fatalf("summary %q", ev.Summary)
			}
		})
	}
}

// TestDNSOnlyRA: fake_router26 -l 0 -D: router lifetime 0 with RDNSS and
// DNSSL, a DNS hijack without a default route (review 36a P5): Medium on
// a LAN without an IPv6 router, High beside one; the gateway's own and a
// configured router's never.
func TestDNSOnlyRA(t *testing.T) {
	for _, tc := range []struct {
		name   string
		beside bool
		router string
		want   inventory.Severity
	}{
		{"alone", false, "", inventory.SeverityMedium},
		{"beside the gateway's advertisements", true, "", inventory.SeverityHigh},
		{"a configured router", false, "b8:27:eb:00:00:66", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Gateway: netip.MustParseAddr("10.36.1.1")}
			if tc.router != "" {
				cfg.IPv6Routers = []netHW{hw(tc.router)}
			}
			r := newRig(t, cfg)
			at := time.Date(2026, 12, 7, 4, 45, 10, 0, time.UTC)
			if tc.beside {
				r.feed(at, raBytes(t, gwRA36a))
			}
			for i := 0; i < 3; i++ {
				r.feed(at.Add(time.Duration(1+2*i)*time.Second), raBytes(t, dnsOnlyRA36a))
			}
			evs := r.of(inventory.EventRogueRA)
			if tc.want == "" {
				if len(evs) != 0 {
					t.Fatalf("got %+v", evs)
				}
				return
			}
			if len(evs) != 1 || evs[0].Severity != tc.want || evs[0].MAC.String() != "b8:27:eb:00:00:66" || !strings.Contains(evs[0].Summary, "DNS server fd36:1::66") {
				t.Fatalf("got %+v", evs)
			}
		})
	}
}
