package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// espFrame is an ESP packet (RFC 4303 2.1) on the SA spi, sequence
// number seq, from src through the gateway to the NAS.
func espFrame(t testing.TB, src string, spi, seq uint32) []byte {
	b := make([]byte, 96)
	binary.BigEndian.PutUint32(b, spi)
	binary.BigEndian.PutUint32(b[4:], seq)
	for i := 8; i < len(b); i++ {
		b[i] = byte(i * 37) // IV, ciphertext, ICV: opaque
	}
	ip := &layers.IPv4{Version: 4, TTL: 60, Protocol: layers.IPProtocolESP, SrcIP: ip4(src), DstIP: ip4("10.0.0.30")}
	return serialize(t, &layers.Ethernet{SrcMAC: gwMAC, DstMAC: nasMAC, EthernetType: layers.EthernetTypeIPv4}, ip, gopacket.Payload(b))
}

// TestESPPeersContinuingSAs: 1,500 branch peers sending the NAS one-way
// ESP every 10 s for 40 s, each on its own SA (its SPI, the sequence
// number climbing by one), are no flood (review 28e B1; fails without
// espNext and espWaiting: a GRE/ESP flood). The same peers replaying
// one SPI and sequence number (the anti-replay window drops them), and
// fresh forged sources each sending an SA's first packet (sequence
// number 1) for 30 s, are floods with no culprit.
func TestESPPeersContinuingSAs(t *testing.T) {
	const peers, period = 1500, 10 * time.Second
	for _, tc := range []struct {
		name  string
		frame func(t *testing.T, round, i int) []byte
		flood bool
	}{
		{"telemetry", func(t *testing.T, round, i int) []byte {
			return espFrame(t, forgedAddr(i), uint32(0x1000+i*7919), uint32(100+i+round))
		}, false},
		{"replayed", func(t *testing.T, round, i int) []byte {
			return espFrame(t, forgedAddr(i), 0x65656565, 0x65656565)
		}, true},
		{"forged SA starts", func(t *testing.T, round, i int) []byte {
			return espFrame(t, forgedAddr(round*peers+i), uint32(0x1000+(round*peers+i)*7919), 1)
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			for round := range 4 {
				for i := range peers {
					r.feed(at.Add(time.Duration(round)*period+time.Duration(i)*period/peers), tc.frame(t, round, i))
				}
			}
			f := r.of(inventory.EventFlood)
			if !tc.flood && len(f) != 0 {
				t.Fatalf("peers continuing their SAs raised %v", f)
			} else if tc.flood && (len(f) != 1 || !strings.Contains(f[0].Summary, "GRE/ESP") || len(f[0].MAC) != 0) {
				t.Fatalf("want one GRE/ESP flood with no culprit, got %v", f)
			}
		})
	}
}

// TestESPForgedSAsFlood (review 29b): forged ESP keeping a fixed SPI and
// a sequence number climbing by one on each of 700 forged sources, 5,000
// packets/s (each SA's packets 140 ms apart), is a flood (fails without
// espPace: every packet after an SA's first continued it); bursts of
// SAs' first packets, 15 s on and 12 s off, are a flood on the second
// burst (fails without espFloodAge: each burst's state waited espWait
// anew). A peer's telemetry (TestESPPeersContinuingSAs) stays quiet.
func TestESPForgedSAsFlood(t *testing.T) {
	spi := func(i int) uint32 { return uint32(0x1000 + i*7919) }
	for _, tc := range []struct {
		name string
		feed func(r *rig, at time.Time)
	}{
		{"climbing", func(r *rig, at time.Time) {
			for n := range 15000 {
				r.feed(at.Add(time.Duration(n)*200*time.Microsecond), espFrame(t, forgedAddr(n%700), spi(n%700), uint32(1+n/700)))
			}
		}},
		{"pulsed starts", func(r *rig, at time.Time) {
			for burst := range 2 {
				for n := range 15000 {
					k := burst*15000 + n
					r.feed(at.Add(time.Duration(burst)*27*time.Second+time.Duration(n)*time.Millisecond), espFrame(t, forgedAddr(k), spi(k), 1))
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			tc.feed(r, r.baseline(t0, 2*time.Minute))
			if f := r.of(inventory.EventFlood); len(f) != 1 || !strings.Contains(f[0].Summary, "GRE/ESP") {
				t.Fatalf("want one GRE/ESP flood, got %v", f)
			}
		})
	}
}

// TestResolverAnswersOnItsFlows: a LAN resolver (the NAS) asking 1,500
// servers 300 times a second, each query from a fresh port to port 53 and
// answered on its flow reversed, is no UDP flood (fails without
// noteAskedFlow and askedFlow: a UDP flood, no server past the gate to
// hold an echo ring). The same answers sent to ports it never asked
// from (a reflection forging its address) are a flood; so are 50
// datagrams at 5,000/s back on each flow it asked on once (review 29b
// H1; fails without askedFlow's two answers a query: all counted
// answers). (A flooder the host echoes opens the flows itself: the
// staged udp-flood-echo-highport-hping3 stays raised.)
func TestResolverAnswersOnItsFlows(t *testing.T) {
	for _, tc := range []struct {
		name     string
		shift    uint16 // added to the port the answers go to
		answers  int    // datagrams back on each query's flow
		queries  int
		interval time.Duration // between datagrams back
		flood    bool
	}{{"answered", 0, 1, 9000, time.Second / 300, false}, {"other ports", 1, 1, 9000, time.Second / 300, true},
		{"50 a query", 0, 50, 600, time.Second / 5000, true}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			body := make([]byte, 80)
			for i := range tc.queries {
				srv, port := forgedAddr(i%1500), uint16(1024+i*7%60000)
				r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", port, gwMAC, srv, 53, body))
				for range tc.answers {
					at = at.Add(tc.interval)
					r.feed(at.Add(20*time.Millisecond), udpFrame(t, gwMAC, srv, 53, nasMAC, "10.0.0.30", port+tc.shift, body))
				}
			}
			f := r.of(inventory.EventFlood)
			if !tc.flood && len(f) != 0 {
				t.Fatalf("a resolver's answers raised %v", f)
			} else if tc.flood && (len(f) != 1 || !strings.Contains(f[0].Summary, "UDP flood toward 10.0.0.30")) {
				t.Fatalf("want one UDP flood toward 10.0.0.30, got %v", f)
			}
		})
	}
}

// TestStrayIPv6ForgedByLANHost: once the link's router advertised its
// on-link prefix, a LAN host sending strays from its own MAC under global
// sources from no prefix of the link (forged: a host's addresses are made
// from the link's prefixes) is a flood it sent, its MAC named (fails
// without outside6's known prefixes: the LAN's own, never counted).
// Sources from the on-link prefix stay the LAN's own, as before; so do a
// LAN host's when no prefix was advertised (TestStrayIPv6's lan-host).
func TestStrayIPv6ForgedByLANHost(t *testing.T) {
	r6MAC := hw("00:1a:a1:00:00:06")
	for _, tc := range stray6Cases {
		for _, base := range []string{"2a01:db8:%x::7", "2001:db8:88:%x::7"} {
			t.Run(tc.name+"/"+base, func(t *testing.T) {
				r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
				r.feed(t0, icmp6Frame(t, r6MAC, "fe80::6", hw("33:33:00:00:00:01"), "ff02::1", layers.ICMPv6TypeRouterAdvertisement, raWithPrefix(r6MAC, netip.MustParsePrefix("2001:db8:88::/48"))))
				at := r.baseline(t0.Add(time.Second), 2*time.Minute)
				for i := range 1400 {
					r.feed(at, tc.in(t, evilMAC, fmt.Sprintf(base, 0x100+i), i))
					at = at.Add(500 * time.Microsecond)
				}
				f := r.of(inventory.EventFlood)
				if forged := base[:4] == "2a01"; !forged && len(f) != 0 {
					t.Fatalf("on-link sources raised %v", f)
				} else if forged && (len(f) != 1 || f[0].TargetIP.String() != host6 || f[0].MAC.String() != evilMAC.String()) {
					t.Fatalf("want one flood toward %s by %s, got %v", host6, evilMAC, f)
				}
			})
		}
	}
}
