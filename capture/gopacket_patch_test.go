package capture

import (
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
