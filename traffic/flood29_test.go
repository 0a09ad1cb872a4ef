package traffic

import (
	"encoding/binary"
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
