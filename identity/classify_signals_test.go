package identity

import (
	"net/netip"
	"testing"

	"tend/inventory"
)

// TestClassifySignals types devices from one signal each, the way a LAN
// shows them when they never answer SNMP.
func TestClassifySignals(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	for _, c := range []struct {
		name string
		d    inventory.Device
		want inventory.DeviceType
	}{
		{"fortinet mac block", inventory.Device{Vendor: "Fortinet, Inc."}, inventory.TypeFirewall},
		{"polycom mac block", inventory.Device{Vendor: "Polycom"}, inventory.TypePhone},
		{"mikrotik mac block", inventory.Device{Vendor: "Routerboard.com"}, inventory.TypeRouter},
		{"default gateway", inventory.Device{IP: gw}, inventory.TypeRouter},
		{"gateway with a firewall's mac", inventory.Device{IP: gw, Vendor: "Fortinet, Inc."}, inventory.TypeFirewall},
		{"windows dhcp", inventory.Device{Profile: inventory.Profile{DHCPParams: "1,3,6,15,31,33,43,44,46,47,119,121,249,252"}}, inventory.TypeWorkstation},
		{"android dhcp", inventory.Device{Profile: inventory.Profile{DHCPParams: "1,3,6,15,26,28,51,58,59,43"}}, inventory.TypePhone},
		{"axis mdns", inventory.Device{Profile: inventory.Profile{Services: []string{"_axis-video._tcp"}}}, inventory.TypeCamera},
		{"sonos upnp", inventory.Device{Profile: inventory.Profile{Services: []string{"urn:schemas-upnp-org:device:ZonePlayer:1"}}}, inventory.TypeIoT},
		{"windows default name", inventory.Device{Hostname: "DESKTOP-4F7GH2K"}, inventory.TypeWorkstation},
		{"printer default name", inventory.Device{Hostname: "BRW3C2AF4123456"}, inventory.TypePrinter},
		{"netbios only", inventory.Device{Sources: []inventory.Source{inventory.SourceNBNS}, Hostname: "GURU"}, inventory.TypeWorkstation},
		{"lldp ap", inventory.Device{Profile: inventory.Profile{Capabilities: []string{"wlan-ap"}}}, inventory.TypeAP},
		{"nothing", inventory.Device{}, inventory.TypeUnknown},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := c.d
			ClassifyWith(&d, ClassifyHints{Gateways: []netip.Addr{gw}})
			if d.Type != c.want {
				t.Fatalf("type %s (%.2f, %v), want %s", d.Type, d.TypeConfidence, d.TypeEvidence, c.want)
			}
			if c.want != inventory.TypeUnknown && (d.TypeConfidence <= 0 || len(d.TypeEvidence) == 0) {
				t.Errorf("confidence %.2f evidence %v, want both", d.TypeConfidence, d.TypeEvidence)
			}
		})
	}
}
