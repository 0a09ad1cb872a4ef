package capture

import (
	"net"
	"net/netip"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// TestSrcDstIPPerFrame: the addresses Decode makes once are the frame's own
// with one decoder reused across IPv4, ARP (none: nothing left over from the
// frame before), IPv6, IPv6 inside IPv4 (the outer IPv4's, as before) and a
// truncated IPv4 header (none).
func TestSrcDstIPPerFrame(t *testing.T) {
	ser := func(ls ...gopacket.SerializableLayer) []byte {
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, ls...); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	mac := net.HardwareAddr{2, 0, 0, 0, 0, 1}
	eth := func(et layers.EthernetType) *layers.Ethernet {
		return &layers.Ethernet{SrcMAC: mac, DstMAC: mac, EthernetType: et}
	}
	v6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: net.ParseIP("fe80::1"), DstIP: net.ParseIP("ff02::fb")}
	v4in := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolIPv6, SrcIP: net.IP{192, 0, 2, 1}, DstIP: net.IP{192, 0, 2, 2}}
	udp := &layers.UDP{SrcPort: 5353, DstPort: 5353}
	v4 := buildFrame(t, false)
	cases := []struct {
		name     string
		frame    []byte
		src, dst string
	}{
		{"IPv4", v4, "10.0.0.1", "10.0.0.2"},
		{"ARP", ser(eth(layers.EthernetTypeARP), &layers.ARP{AddrType: 1, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4, Operation: 1,
			SourceHwAddress: mac, SourceProtAddress: []byte{10, 0, 0, 9}, DstHwAddress: make([]byte, 6), DstProtAddress: []byte{10, 0, 0, 1}}), "", ""},
		{"IPv6", ser(eth(layers.EthernetTypeIPv6), v6, udp, gopacket.Payload("x")), "fe80::1", "ff02::fb"},
		{"IPv6 in IPv4", ser(eth(layers.EthernetTypeIPv4), v4in, v6, udp, gopacket.Payload("x")), "192.0.2.1", "192.0.2.2"},
		{"truncated IPv4", v4[:14+10], "", ""},
	}
	d := NewDecoder()
	for _, c := range cases {
		p := d.Decode(Frame{Data: c.frame})
		str := func(a netip.Addr) string {
			if !a.IsValid() {
				return ""
			}
			return a.String()
		}
		if got := str(p.SrcIP()); got != c.src {
			t.Errorf("%s: SrcIP %q, want %q", c.name, got, c.src)
		}
		if got := str(p.DstIP()); got != c.dst {
			t.Errorf("%s: DstIP %q, want %q", c.name, got, c.dst)
		}
	}
}
