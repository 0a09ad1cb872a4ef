package capture

import (
	"strings"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// TestTrimmedDecoders checks third_party/gopacket's second change: layers
// tend never decodes have no decoder registered (so their code stays out of
// the binary) and say so in an error layer, while the layers tend decodes
// still decode through the registry, down to UDP and DNS.
func TestTrimmedDecoders(t *testing.T) {
	frame := make([]byte, 60)
	copy(frame[0:6], []byte{0x01, 0x80, 0xc2, 0, 0, 0x0e})
	copy(frame[6:12], []byte{0x02, 0, 0, 0, 0, 1})
	frame[12], frame[13] = 0x88, 0xcc // LLDP: not decoded by tend's copy
	p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	el := p.ErrorLayer()
	if el == nil {
		t.Fatal("an LLDP frame decoded without an error layer")
	}
	if got := el.Error().Error(); !strings.Contains(got, "LinkLayerDiscovery: not decoded") {
		t.Errorf("error = %q, want the not-decoded error naming LinkLayerDiscovery", got)
	}
	if got := layers.EthernetTypeLinkLayerDiscovery.String(); got != "LinkLayerDiscovery" {
		t.Errorf("name = %q, want it kept", got)
	}

	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	eth := &layers.Ethernet{SrcMAC: frame[6:12], DstMAC: frame[0:6], EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: []byte{10, 0, 0, 1}, DstIP: []byte{10, 0, 0, 2}}
	udp := &layers.UDP{SrcPort: 5353, DstPort: 53}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	dns := &layers.DNS{ID: 7, Questions: []layers.DNSQuestion{{Name: []byte("printer.local"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, dns); err != nil {
		t.Fatal(err)
	}
	p = gopacket.NewPacket(buf.Bytes(), layers.LayerTypeEthernet, gopacket.Default)
	if el := p.ErrorLayer(); el != nil {
		t.Fatalf("a DNS query failed to decode: %v", el.Error())
	}
	d, ok := p.Layer(layers.LayerTypeDNS).(*layers.DNS)
	if !ok || len(d.Questions) != 1 || string(d.Questions[0].Name) != "printer.local" {
		t.Errorf("DNS layer = %+v, want the one question", p.Layer(layers.LayerTypeDNS))
	}
}

// TestPortNamesOnFirstUse checks the third change: the IANA port names are
// built on first use rather than at start-up, and still name ports.
func TestPortNamesOnFirstUse(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{layers.TCPPort(80).String(), "80(http)"},
		{layers.UDPPort(53).String(), "53(domain)"},
		{layers.SCTPPort(9).String(), "9(discard)"},
		{layers.TCPPort(0).String(), "0"},
	} {
		if c.got != c.want {
			t.Errorf("port name %q, want %q", c.got, c.want)
		}
	}
	if n := len(layers.UDPPortNames()); n < 5000 {
		t.Errorf("UDPPortNames has %d entries, want the IANA registry's thousands", n)
	}
}
