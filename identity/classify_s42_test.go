package identity

import (
	"testing"

	"tend/inventory"
)

// TestKindsS42: session 41's kinds from setC's untyped and mistyped
// devices: Dell's PowerConnect W- controllers are ArubaOS WLAN
// controllers, not PowerConnect switches; "mux" names a multiplexer only
// as a word (a "3.6.17-mux" build does not); FreeCooling is cooling; a
// redundant power system (RPS) is power gear; Huawei's OptiX is transport;
// Avocent's ACS console servers; makers of one kind (Riverbed, Seagate,
// Tycon, Allworx, Greenbone); videoconferencing.
func TestKindsS42(t *testing.T) {
	for _, c := range []struct {
		make, descr string
		want        inventory.DeviceType
	}{
		{"Dell", "ArubaOS (MODEL: Dell PowerConnect W-7210 Controller), Version 6.4.4.8 (55228)", inventory.TypeAP},
		{"Dell", "PowerConnect 6248, 3.3.7.3, VxWorks 6.5", inventory.TypeSwitch},
		{"Dell", "Powerconnect 8024F, 5.1.8.2, VxWorks 6.6", inventory.TypeSwitch},
		{"SAF tehnika", "Prod: Integra-W;Vers: 3.6.17-mux;kernel: 3.15.0", inventory.TypeAP},
		{"", "SDH mux 16 E1", inventory.TypeRouter},
		{"", "FreeCooling Controller, SNMP V1.0", inventory.TypeIoT},
		{"", "USP-RPS 6.6.61.15179", inventory.TypeUPS},
		{"Huawei", "Huawei Optix RTN V100R011C00SPC200", inventory.TypeRouter},
		{"", "GW-6420-WDM", inventory.TypeRouter},
		{"Avocent", "Avocent ACS 8000", inventory.TypeServer},
		{"Riverbed", "Linux hostname 2.6.32 #1 SMP x86_64", inventory.TypeRouter},
		{"Seagate Technology", "SEAGATE 4466", inventory.TypeNAS},
		{"Tycon Systems Inc.", "TPDIN-Monitor-WEB3 V2", inventory.TypeUPS},
		{"Allworx", "Allworx Connect 731", inventory.TypePhone},
		{"Greenbone Networks GmbH", "Greenbone Security Manager", inventory.TypeServer},
		{"", "Videoconferencing Device", inventory.TypePhone},
	} {
		d := device("", 0, c.make, c.descr)
		Classify(&d)
		if d.Type != c.want {
			t.Errorf("%q, %q: type %s, want %s (%v)", c.make, c.descr, d.Type, c.want, d.TypeEvidence)
		}
	}
	// the Avocent's routing layer and forwarding do not make it a router
	d := device("", 0, "Avocent", "Avocent ACS 8000", "sysServices:79", "ipForwarding")
	d.Model = "ACS8048"
	if Classify(&d); d.Type != inventory.TypeServer {
		t.Errorf("ACS 8000 with sysServices 79 and ipForwarding: %s", d.Type)
	}
}
