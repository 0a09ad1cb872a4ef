package traffic

import (
	"encoding/binary"
	"net"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// vtpBody is a VTP v2 advert (code 1 summary, 2 subset) for domain at rev.
func vtpBody(code byte, domain string, rev uint32) []byte {
	b := make([]byte, 72)
	b[0], b[1], b[3] = 2, code, byte(len(domain))
	copy(b[4:], domain)
	binary.BigEndian.PutUint32(b[36:], rev)
	return b
}

// TestVTPFromHost (review 43 P7): VTP adverts from a MAC never heard as a
// switch are rogue_switch Medium naming it; High when the revision outbids
// the domain's switch; a switch's own adverts (BPDUs beside them) stay
// quiet, and one advert alone (a switch's before its second BPDU) too.
func TestVTPFromHost(t *testing.T) {
	sw := hw("00:19:06:ea:b8:85")
	swBridge := bridgeKey(0x8000, hw("00:19:06:ea:b8:80"))
	vtp := func(src net.HardwareAddr, code byte, rev uint32) []byte {
		return frame8023(ciscoDst, src, snap(0x2003, vtpBody(code, "CORP", rev)))
	}
	for _, tc := range []struct {
		name     string
		withSwit bool
		rev      uint32
		want     inventory.Severity
	}{
		{"host alone", false, 999999, inventory.SeverityMedium},
		{"host outbids the switch", true, 999999, inventory.SeverityHigh},
		{"host below the switch", true, 3, inventory.SeverityMedium},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			at := t0
			for i := 0; i < 5; i++ {
				r.feed(at, configBPDU(sw, swBridge, swBridge))
				if tc.withSwit && i%2 == 0 {
					r.feed(at, vtp(sw, 1, 42))
					r.feed(at, vtp(sw, 2, 42))
				}
				at = at.Add(2 * time.Second)
			}
			if evs := r.all(); len(evs) != 0 {
				t.Fatalf("the switch's own adverts raised %+v", evs)
			}
			r.feed(at, vtp(evilMAC, 1, tc.rev))
			r.feed(at.Add(10*time.Millisecond), vtp(evilMAC, 2, tc.rev))
			// Review 43 item 9: a one-shot bomb outbidding the switches is
			// High at once; anything else waits for switchConfirm.
			if evs := r.all(); (len(evs) != 0) != (tc.want == inventory.SeverityHigh) {
				t.Fatalf("one advert raised %+v, want %s only if High", evs, tc.want)
			}
			r.feed(at.Add(time.Second), vtp(evilMAC, 1, tc.rev))
			evs := r.of(inventory.EventRogueSwitch)
			if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].Severity != tc.want {
				t.Fatalf("got %+v, want one rogue_switch %s by %s", evs, tc.want, evilMAC)
			}
		})
	}
}

// ripBody is a RIPv2 message (command 2 response, 1 request) of routes
// (prefix, metric).
func ripBody(cmd byte, routes ...any) []byte {
	b := []byte{cmd, 2, 0, 0}
	for i := 0; i+1 < len(routes); i += 2 {
		p := netip.MustParsePrefix(routes[i].(string))
		e := make([]byte, 20)
		binary.BigEndian.PutUint16(e, 2)
		a := p.Addr().As4()
		copy(e[4:], a[:])
		if p.Bits() > 0 {
			binary.BigEndian.PutUint32(e[8:], ^uint32(0)<<(32-p.Bits()))
		}
		binary.BigEndian.PutUint32(e[16:], uint32(routes[i+1].(int)))
		b = append(b, e...)
	}
	return b
}

// TestRIPFromHost (review 43 P9): a RIP response advertising a default
// route from a host is rogue_ra High naming it, more-specific routes
// Medium; requests, unreachable routes and the gateway's responses stay
// quiet, and so does a router heard speaking RIP since the learning period.
func TestRIPFromHost(t *testing.T) {
	ripDst := hw("01:00:5e:00:00:09")
	resp := func(src net.HardwareAddr, ip string, body []byte) []byte {
		return udpFrame(t, src, ip, ripPort, ripDst, "224.0.0.9", ripPort, body)
	}
	cfg := Config{Gateway: netip.MustParseAddr("10.0.0.1"), Learning: time.Second, LearnPackets: -1}
	t.Run("host", func(t *testing.T) {
		r := newRig(t, cfg)
		at := r.baseline(t0, 20*time.Second)
		r.feed(at, resp(gwMAC, "10.0.0.1", ripBody(2, "0.0.0.0/0", 1)))
		r.feed(at, resp(pcMAC, "10.0.0.10", ripBody(1, "0.0.0.0/0", 16)))
		r.feed(at, resp(nasMAC, "10.0.0.30", ripBody(2, "10.9.0.0/16", 16)))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("the gateway, a request and an unreachable route raised %+v", evs)
		}
		r.feed(at, resp(evilMAC, "10.0.0.66", ripBody(2, "10.9.0.0/16", 1, "0.0.0.0/0", 1)))
		evs := r.of(inventory.EventRogueRA)
		if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].Severity != inventory.SeverityHigh || evs[0].TargetMAC.String() != gwMAC.String() {
			t.Fatalf("got %+v, want one rogue_ra High by %s against the gateway", evs, evilMAC)
		}
		r.reset()
		r.feed(at, resp(nasMAC, "10.0.0.30", ripBody(2, "10.9.0.0/16", 2)))
		if evs := r.of(inventory.EventRogueRA); len(evs) != 1 || evs[0].Severity != inventory.SeverityMedium {
			t.Fatalf("more-specific route: got %+v, want one rogue_ra Medium", evs)
		}
	})
	t.Run("router since learning", func(t *testing.T) {
		r := newRig(t, Config{Gateway: cfg.Gateway, Learning: time.Minute, LearnPackets: -1})
		router := hw("00:0c:29:00:00:02")
		at := t0
		for i := 0; i < 10; i++ {
			r.baseline(at, 10*time.Second)
			r.feed(at, resp(router, "10.0.0.2", ripBody(2, "0.0.0.0/0", 2)))
			at = at.Add(30 * time.Second)
		}
		// Review 43 item 3: learned during the learning period, at Info
		// only (a backup router advertising 0/0 at every start).
		for _, ev := range r.all() {
			if ev.Severity != inventory.SeverityInfo {
				t.Fatalf("the LAN's RIP router during learning raised %+v", ev)
			}
		}
		r.reset()
		r.feed(at, resp(router, "10.0.0.2", ripBody(2, "0.0.0.0/0", 2)))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("the LAN's RIP router after learning raised %+v", evs)
		}
	})
}

// ntpBody is an NTPv4 packet of mode at transmit time tx, stratum 1.
func ntpBody(mode byte, tx time.Time) []byte {
	b := make([]byte, 48)
	b[0], b[1], b[2] = 4<<3|mode, 1, 6
	binary.BigEndian.PutUint32(b[40:], uint32(tx.Unix()+2208988800))
	return b
}

// TestNTPBroadcastRogueTime (review 43 P9): an NTP broadcast a year ahead
// from a host is rogue_time High naming it; broadcasts on time, and a
// server's answer (mode 4) a year ahead, stay quiet.
func TestNTPBroadcastRogueTime(t *testing.T) {
	bcast := hw("ff:ff:ff:ff:ff:ff")
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 20*time.Second)
	r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", ntpPort, bcast, "10.0.0.255", ntpPort, ntpBody(5, at.Add(2*time.Second))))
	r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", ntpPort, pcMAC, "10.0.0.10", 40123, ntpBody(4, at.AddDate(1, 0, 0))))
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("a broadcast on time and a server's answer raised %+v", evs)
	}
	// Review 43 item 4: a server's answer (mode 4, from another MAC) is the
	// reference: the server says tend's clock is a year behind, so a
	// broadcast a year ahead of it is right and one on tend's time wrong.
	r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", ntpPort, bcast, "10.0.0.255", ntpPort, ntpBody(5, at.AddDate(1, 0, 0))))
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("a broadcast agreeing with the LAN's server raised %+v", evs)
	}
	r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", ntpPort, bcast, "10.0.0.255", ntpPort, ntpBody(5, at)))
	if evs := r.of(inventory.EventRogueTime); len(evs) != 1 || evs[0].MAC.String() != pcMAC.String() || !strings.Contains(evs[0].Evidence[1].Detail, "NTP server answer") {
		t.Fatalf("a broadcast a year off the LAN's server: got %+v", evs)
	}
	r = newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	at = r.baseline(t0, 20*time.Second)
	r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", ntpPort, bcast, "10.0.0.255", ntpPort, ntpBody(5, at.AddDate(1, 0, 0))))
	evs := r.of(inventory.EventRogueTime)
	if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].Severity != inventory.SeverityHigh || !strings.Contains(evs[0].Evidence[1].Detail, "tend's clock") {
		t.Fatalf("got %+v, want one rogue_time High by %s saying tend's clock may be wrong", evs, evilMAC)
	}
	if off, _, ok := ntpBroadcast(ntpBody(5, at.Add(-time.Hour)), at); !ok || off != -time.Hour {
		t.Fatalf("an hour behind read as %s, %v", off, ok)
	}
}

// TestMRDAdvertFromHost (review 43 P9): an MLD multicast router
// advertisement (RFC 4286) from a host is rogue_ra Medium naming it; the
// gateway's stays quiet, and so does a multicast router heard since the
// learning period.
func TestMRDAdvertFromHost(t *testing.T) {
	mrd := func(src net.HardwareAddr, ip string) []byte {
		ip6h := &layers.IPv6{Version: 6, HopLimit: 1, NextHeader: layers.IPProtocolICMPv6, SrcIP: ip6(ip), DstIP: ip6("ff02::6a")}
		ic := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(mrdAdvertType, 20)}
		ic.SetNetworkLayerForChecksum(ip6h)
		return serialize(t, &layers.Ethernet{SrcMAC: src, DstMAC: hw("33:33:00:00:00:6a"), EthernetType: layers.EthernetTypeIPv6}, ip6h, ic, gopacket.Payload([]byte{0, 125, 0, 2}))
	}
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1"), Learning: time.Minute, LearnPackets: -1})
	router := hw("00:0c:29:00:00:02")
	at := t0
	for i := 0; i < 10; i++ {
		r.baseline(at, 10*time.Second)
		r.feed(at, mrd(gwMAC, "fe80::1"))
		r.feed(at, mrd(router, "fe80::2"))
		at = at.Add(20 * time.Second)
	}
	for _, ev := range r.all() { // review 43 item 3: Info only while learning
		if ev.Severity != inventory.SeverityInfo {
			t.Fatalf("a multicast router during learning raised %+v", ev)
		}
	}
	r.reset()
	r.feed(at, mrd(router, "fe80::2"))
	r.feed(at, mrd(gwMAC, "fe80::1"))
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("the gateway and a multicast router since learning raised %+v", evs)
	}
	r.feed(at, mrd(evilMAC, "fe80::66"))
	evs := r.of(inventory.EventRogueRA)
	if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].Severity != inventory.SeverityMedium {
		t.Fatalf("got %+v, want one rogue_ra Medium by %s", evs, evilMAC)
	}
	// Review 43 item 3: with no gateway known the sender may be the router.
	r = newRig(t, Config{Learning: time.Second, LearnPackets: -1})
	at = r.baseline(t0, 20*time.Second)
	r.feed(at, mrd(evilMAC, "fe80::66"))
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("no gateway known: raised %+v", evs)
	}
}

// TestStagedRogueInfrastructure replays the review's recordings (fix43d).
func TestStagedRogueInfrastructure(t *testing.T) {
	for _, tc := range []struct {
		file string
		typ  inventory.EventType
	}{
		{"vtp-bomb-summary-advert-scapy.pcap", inventory.EventRogueSwitch},
		{"rip2-rogue-default-route-scapy.pcap", inventory.EventRogueRA},
		{"ntp-broadcast-rogue-time-scapy.pcap", inventory.EventRogueTime},
		{"mld-router-advertise-fake_mldrouter6-thc.pcap", inventory.EventRogueRA},
	} {
		evs := replayFile(t, filepath.Join("testdata", "staged", tc.file), Config{Gateway: netip.MustParseAddr("10.43.1.1")})
		if len(evs) != 1 || evs[0].Type != tc.typ || evs[0].MAC.String() != evilMAC.String() {
			t.Errorf("%s: got %+v, want one %s by %s", tc.file, evs, tc.typ, evilMAC)
		}
	}
}

func FuzzVTPMsg(f *testing.F) {
	f.Add(vtpBody(1, "CORP", 999999))
	f.Add(vtpBody(2, "", 1))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, d, _, ok := vtpMsg(b); ok && len(d) > 32 {
			t.Fatal("domain past 32 bytes")
		}
	})
}

func FuzzRIPRoute(f *testing.F) {
	f.Add(ripBody(2, "0.0.0.0/0", 1, "10.43.0.0/16", 1))
	f.Add(ripBody(2, "10.0.0.0/8", 16))
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, def, n, ok := ripRoute(b); ok && (!p.IsValid() || def != (p.Bits() == 0) || n == 0) {
			t.Fatalf("%v %v %d", p, def, n)
		}
	})
}

func FuzzNTPBroadcast(f *testing.F) {
	f.Add(ntpBody(5, t0), int64(0))
	f.Add(ntpBody(4, t0), int64(1<<40))
	f.Fuzz(func(t *testing.T, b []byte, at int64) {
		ntpBroadcast(b, time.Unix(0, at))
	})
}
