package snmp

import (
	"testing"

	"tend/inventory"
)

// TestEatonUPSFirmwareFirst: an Eaton MGE card gives the UPS's own
// firmware (upsmgIdentSoftwareVersion, else UPS-MIB's
// upsIdentUPSSoftwareVersion) before its own (upsIdentAgentSoftwareVersion):
// setU's 9135 answers one byte where the first is, "INV: 02" where the second.
func TestEatonUPSFirmwareFirst(t *testing.T) {
	const oid = "1.3.6.1.4.1.705.1"
	for _, c := range []struct{ mge, ups, want string }{
		{"01.16.4638", "INV: 01.16.4638", "01.16.4638"},
		{"", "INV: 02", "INV: 02"},
		{"", "", "Network Management Card V6.00 HB"},
	} {
		vs := newValues("")
		vs.scalar["1.3.6.1.4.1.705.1.1.4.0"] = value{text: c.mge}
		vs.scalar[upsIdentUPSSw] = value{text: c.ups}
		vs.scalar[upsIdentAgentSw] = value{text: "Network Management Card V6.00 HB"}
		if id := identify(oid, candidates(oid, vs.descr), vs); id.Firmware != c.want {
			t.Errorf("upsmg %q, UPS-MIB %q: firmware %q, want %q", c.mge, c.ups, id.Firmware, c.want)
		}
	}
}

// TestJuniperVirtualSRXFirewall: the virtual SRX (sysDescr "vsrx", and
// "junosv-firefly" when it was Firefly Perimeter) is a firewall as the
// SRX is; an MX stays a router.
func TestJuniperVirtualSRXFirewall(t *testing.T) {
	const oid = "1.3.6.1.4.1.2636.1.1.1.2.96"
	for descr, want := range map[string]inventory.DeviceType{
		"Juniper Networks, Inc. junosv-firefly internet router, kernel JUNOS 12.1X44-D20.3": inventory.TypeFirewall,
		"Juniper Networks, Inc. vsrx internet router, kernel JUNOS 15.1X49-D100.6":          inventory.TypeFirewall,
		"Juniper Networks, Inc. srx340 internet router, kernel JUNOS 19.4R3":                inventory.TypeFirewall,
		"Juniper Networks, Inc. mx80 internet router, kernel JUNOS 16.1R7":                  inventory.TypeRouter,
	} {
		vs := newValues(descr)
		if id := identify(oid, candidates(oid, vs.descr), vs); id.Type != want {
			t.Errorf("%q: type %s, want %s", descr, id.Type, want)
		}
	}
}
