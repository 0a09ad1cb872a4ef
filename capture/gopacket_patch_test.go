package capture

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// TestUnknownEtherTypeAfterPatch checks third_party/gopacket's change: the
// unknown EtherType and PPP type entries are no longer filled at init, yet
// decode and name as upstream's did, and the known ones still decode.
func TestUnknownEtherTypeAfterPatch(t *testing.T) {
	frame := make([]byte, 60)
	copy(frame[0:6], []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	copy(frame[6:12], []byte{0x02, 0, 0, 0, 0, 1})
	frame[12], frame[13] = 0x88, 0xb5 // IEEE local experimental: no decoder
	p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	el := p.ErrorLayer()
	if el == nil {
		t.Fatal("an unknown EtherType decoded without an error layer")
	}
	if got := el.Error().Error(); !strings.Contains(got, "Unable to decode EthernetType 34997") {
		t.Errorf("error = %q, want upstream's \"Unable to decode EthernetType 34997\"", got)
	}
	if got := layers.EthernetType(0x88b5).String(); got != "UnknownEthernetType" {
		t.Errorf("String() = %q, want UnknownEthernetType", got)
	}
	if got := layers.PPPType(0x1234).String(); got != "UnknownPPPType" {
		t.Errorf("PPPType String() = %q, want UnknownPPPType", got)
	}
	if got := layers.EthernetTypeARP.String(); got != "ARP" {
		t.Errorf("ARP String() = %q", got)
	}
	if layers.EthernetTypeIPv4.LayerType() != layers.LayerTypeIPv4 {
		t.Error("IPv4's layer type lost")
	}
	if layers.EthernetType(0x88b5).LayerType() != gopacket.LayerTypeZero {
		t.Error("an unknown EtherType has a layer type")
	}
}

// enumsHelperEnv makes TestEnumsFilledOnFirstUse's child process run
// TestEnumsHelper: a fresh process, where no test has used an enum yet.
const enumsHelperEnv = "TEND_TEST_ENUMS_HELPER"

// TestEnumsFilledOnFirstUse checks third_party/gopacket's lazy enums: the
// enums' metadata tables (IPProtocolMetadata and the others) are empty
// after init and filled on the first use of an enum's method, which names
// and decodes as upstream's tables filled at init did. Filling them at
// init touched ~50 pages of globals in every tend process (a page fault
// each, 20-30 µs apiece on a virtual machine).
func TestEnumsFilledOnFirstUse(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestEnumsHelper$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), enumsHelperEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestEnumsHelper") {
		t.Fatalf("helper process: %v\n%s", err, out)
	}
}

// TestEnumsHelper is TestEnumsFilledOnFirstUse's child: it skips unless
// run by it.
func TestEnumsHelper(t *testing.T) {
	if os.Getenv(enumsHelperEnv) == "" {
		t.Skip("run by TestEnumsFilledOnFirstUse")
	}
	if m := layers.IPProtocolMetadata[layers.IPProtocolTCP]; m.Name != "" || m.DecodeWith != nil {
		t.Fatalf("IPProtocolMetadata[TCP] = %+v before any use, want it empty (filled at init)", m)
	}
	if m := layers.LinkTypeMetadata[200]; m.Name != "" {
		t.Fatalf("LinkTypeMetadata[200] = %+v before any use, want it empty (filled at init)", m)
	}
	for _, c := range []struct{ got, want string }{
		{layers.IPProtocolTCP.String(), "TCP"},
		{layers.IPProtocol(253).String(), "UnknownIPProtocol"},
		{layers.LinkTypeEthernet.String(), "Ethernet"},
		{layers.LinkType(200).String(), "UnknownLinkType"},
		{layers.EthernetTypeIPv6.String(), "IPv6"},
	} {
		if c.got != c.want {
			t.Errorf("String() = %q, want %q", c.got, c.want)
		}
	}
	if layers.IPProtocolUDP.LayerType() != layers.LayerTypeUDP {
		t.Error("UDP's layer type lost")
	}
	if m := layers.IPProtocolMetadata[layers.IPProtocolTCP]; m.Name != "TCP" {
		t.Errorf("IPProtocolMetadata[TCP] = %+v after use, want it filled", m)
	}
	err := layers.IPProtocol(253).Decode(nil, nil)
	if err == nil || err.Error() != "Unable to decode IPProtocol 253" {
		t.Errorf("Decode of an unknown protocol: %v, want upstream's error", err)
	}
}

// TestPortLayerTypes checks third_party/gopacket's port switch: the ports
// upstream's 65,536-entry arrays named still name their layers, any other
// is payload, and a registration overrides or clears a port.
func TestPortLayerTypes(t *testing.T) {
	for _, c := range []struct {
		got, want gopacket.LayerType
	}{
		{layers.TCPPort(53).LayerType(), layers.LayerTypeDNS},
		{layers.TCPPort(993).LayerType(), layers.LayerTypeTLS},
		{layers.TCPPort(502).LayerType(), layers.LayerTypeModbusTCP},
		{layers.TCPPort(80).LayerType(), gopacket.LayerTypePayload},
		{layers.UDPPort(53).LayerType(), layers.LayerTypeDNS},
		{layers.UDPPort(68).LayerType(), layers.LayerTypeDHCPv4},
		{layers.UDPPort(4789).LayerType(), layers.LayerTypeVXLAN},
		{layers.UDPPort(1812).LayerType(), layers.LayerTypeRADIUS},
		{layers.UDPPort(9).LayerType(), gopacket.LayerTypePayload},
	} {
		if c.got != c.want {
			t.Errorf("layer type %v, want %v", c.got, c.want)
		}
	}
	layers.RegisterUDPPortLayerType(9999, layers.LayerTypeDNS)
	layers.RegisterUDPPortLayerType(53, 0)
	defer layers.RegisterUDPPortLayerType(9999, 0)
	defer layers.RegisterUDPPortLayerType(53, layers.LayerTypeDNS)
	if got := layers.UDPPort(9999).LayerType(); got != layers.LayerTypeDNS {
		t.Errorf("registered port 9999: %v, want DNS", got)
	}
	if got := layers.UDPPort(53).LayerType(); got != gopacket.LayerTypePayload {
		t.Errorf("port 53 cleared: %v, want payload", got)
	}
}
