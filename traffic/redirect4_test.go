package traffic

import (
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// redirect4Frame is an ICMP host redirect (RFC 792, type 5 code 1) from
// srcIP at srcMAC to the PC: its datagram to dest should go through via.
// It carries that datagram's header and first 8 bytes, as a router's does.
func redirect4Frame(t testing.TB, srcMAC net.HardwareAddr, srcIP, via, dest string) []byte {
	orig := serialize(t, &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: ip4("10.0.0.10"), DstIP: ip4(dest)},
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 7, Seq: 1})
	v := ip4(via).To4()
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: pcMAC, EthernetType: layers.EthernetTypeIPv4},
		&layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: ip4(srcIP), DstIP: ip4("10.0.0.10")},
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeRedirect, 1), Id: uint16(v[0])<<8 | uint16(v[1]), Seq: uint16(v[2])<<8 | uint16(v[3])},
		gopacket.Payload(orig))
}

// TestICMPRedirect4: a redirect forged under the gateway's address by
// another MAC is a high arp_spoof naming the sender and the redirected
// host; one sent under the sender's own address is medium; the gateway's
// own redirects, a second router's sending the host to the gateway, and one
// naming no original datagram, raise nothing.
func TestICMPRedirect4(t *testing.T) {
	for _, tc := range []struct {
		name        string
		from        net.HardwareAddr
		fromIP, via string
		gateway     bool // the gateway is configured (else known only from ARP as the DHCP router would be: not at all)
		want        inventory.Severity
		dest        string // the redirected datagram's destination; 192.0.2.1 if empty
	}{
		{"forged under the gateway's address", evilMAC, "10.0.0.1", "10.0.0.66", true, inventory.SeverityHigh, ""},
		{"forged under the NAS's address", evilMAC, "10.0.0.30", "10.0.0.66", true, inventory.SeverityHigh, ""},
		{"under the sender's own address", evilMAC, "10.0.0.66", "10.0.0.66", true, inventory.SeverityMedium, ""},
		{"from the gateway, which forwards there", gwMAC, "10.0.0.1", "10.0.0.30", true, "", ""},
		{"a second router's, to the gateway", evilMAC, "10.0.0.66", "10.0.0.1", true, "", ""},
		{"routed in from the internet, naming no LAN host", evilMAC, "203.0.113.5", "203.0.113.6", true, "", ""},
		{"under the gateway's address, gateway not configured", evilMAC, "10.0.0.1", "10.0.0.66", false, inventory.SeverityHigh, ""},
		{"on-link: the destination itself as first hop", evilMAC, "10.0.0.66", "10.0.0.77", false, "", "10.0.0.77"},
		{"on-link, the destination bound to another MAC", evilMAC, "10.0.0.66", "10.0.0.30", false, inventory.SeverityMedium, "10.0.0.30"},
		{"forged, the destination itself as first hop", evilMAC, "10.0.0.1", "10.0.0.30", true, inventory.SeverityHigh, "10.0.0.30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{}
			if tc.gateway {
				cfg.Gateway = netip.MustParseAddr("10.0.0.1")
			}
			r := newRig(t, cfg)
			at := r.baseline(t0, time.Minute)
			r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
			r.reset()
			dest := tc.dest
			if dest == "" {
				dest = "192.0.2.1"
			}
			for i := range 5 {
				r.feed(at.Add(time.Duration(i)*time.Second), redirect4Frame(t, tc.from, tc.fromIP, tc.via, dest))
				if strings.Contains(tc.name, "forwards") { // the datagram redirected, on to the first hop named (RFC 1812 5.2.7.2)
					r.feed(at.Add(time.Duration(i)*time.Second+time.Millisecond), pingFrame(t, gwMAC, "10.0.0.10", nasMAC, dest, 56))
				}
			}
			r.feed(at.Add(10*time.Second), pingFrame(t, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1", 56)) // a held redirect's judgement
			if tc.want == "" {
				if evs := r.all(); len(evs) != 0 {
					t.Fatalf("raised %+v", evs)
				}
				return
			}
			ev := wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "10.0.0.66")
			if ev.Severity != tc.want || ev.TargetIP.String() != "10.0.0.10" || ev.TargetMAC.String() != pcMAC.String() {
				t.Errorf("severity %s target %s %s, want %s toward the PC: %s", ev.Severity, ev.TargetIP, ev.TargetMAC, tc.want, ev.Summary)
			}
		})
	}
	t.Run("no original datagram", func(t *testing.T) {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		at := r.baseline(t0, time.Minute)
		r.reset()
		f := redirect4Frame(t, evilMAC, "10.0.0.1", "10.0.0.66", "192.0.2.1")
		r.feed(at, f[:14+20+8+12]) // cut inside the original header
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("raised %+v", evs)
		}
	})
}
