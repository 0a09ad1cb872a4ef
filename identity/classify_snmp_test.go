package identity

import (
	"slices"
	"testing"

	"tend/inventory"
)

// TestSNMPTypeClues: Classify weighs what the SNMP sensor reports (its
// rule's type, the structure its MIBs show, the words of sysDescr and the
// model, the maker) with one keyword table and one maker table; the
// evidence says what each clue means.
func TestSNMPTypeClues(t *testing.T) {
	for _, c := range []struct {
		name string
		d    inventory.Device
		want inventory.DeviceType
		ev   inventory.Evidence // one of the type's evidence
	}{
		{"a vendor rule's radio type yields to what the agent says of itself",
			device(inventory.TypeAP, 0, "Ubiquiti Networks", "EdgeSwitch 24-Port Lite, 1.9.0", inventory.CapSysServices+"2", inventory.CapBridgePorts+"26"),
			inventory.TypeSwitch, inventory.Evidence{Source: "snmp", Detail: "BRIDGE-MIB counts 26 bridge ports"}},
		{"the maker alone", device("", 0, "Fortinet, Inc.", ""),
			inventory.TypeFirewall, inventory.Evidence{Source: "maker", Detail: "Fortinet, Inc. mostly sells firewalls"}},
		{"a host's print queue does not overrule its rule",
			device(inventory.TypeServer, 0, "", "Hardware: Intel64 - Software: Windows Version 6.3", inventory.CapHRPrinter),
			inventory.TypeServer, inventory.Evidence{Source: "sensor", Detail: "server"}},
		{"an OS banner's server yields to the words of a PDU",
			device(inventory.TypeServer, 0.5, "", "Linux pdu 4.4.9 #6 SMP armv7l Metered PDU"),
			inventory.TypeUPS, inventory.Evidence{Source: "sysDescr", Detail: "Linux pdu 4.4.9 #6 SMP armv7l Metered PDU"}},
		{"sysServices' layers", device("", 0, "", "", inventory.CapSysServices+"78", inventory.CapIPForwarding),
			inventory.TypeRouter, inventory.Evidence{Source: "snmp", Detail: "sysServices 78 says layer 2+3+4+7: routes IP"}},
		{"the application layer alone says nothing", device("", 0, "", "", inventory.CapSysServices+"72"),
			inventory.TypeUnknown, inventory.Evidence{}},
		{"UPS-MIB", device("", 0, "", "", inventory.CapUPSMIB),
			inventory.TypeUPS, inventory.Evidence{Source: "snmp", Detail: "UPS-MIB answers"}},
		{"a maker's name is no product word", device("", 0, "Microwave Data Systems", ""),
			inventory.TypeUnknown, inventory.Evidence{}},
		{"a maker sysDescr names, when no maker was named", device("", 0, "", "APC Web/SNMP Management Card (MB:v4.1.0)"),
			inventory.TypeUPS, inventory.Evidence{Source: "sysDescr", Detail: "names a maker that mostly sells UPSes and power gear: APC Web/SNMP Management Card (MB:v4.1.0)"}},
		{"a named maker's rule is the maker clue, not sysDescr's other maker", device("", 0, "Brocade", "Ruckus ICX7650-48F, IronWare"),
			inventory.TypeSwitch, inventory.Evidence{Source: "maker", Detail: "Brocade mostly sells switches"}},
		{"a switched PDU is no switch", device("", 0, "", "Sentry Switched CDU"),
			inventory.TypeUPS, inventory.Evidence{Source: "sysDescr", Detail: "Sentry Switched CDU"}},
		{"an environment monitor under a power maker's name", device("", 0, "Schneider Electric / APC NetBotz", ""),
			inventory.TypeIoT, inventory.Evidence{Source: "maker", Detail: "Schneider Electric / APC NetBotz mostly sells IoT devices"}},
		{"Brother's DCP series", device("", 0, "", "Brother DCP-L2540DW series"),
			inventory.TypePrinter, inventory.Evidence{Source: "sysDescr", Detail: "Brother DCP-L2540DW series"}},
		{"an optical DCP is no printer: optical transport gear", device("", 0, "SmartOptics AS", "Smartoptics, DCP-M40-PAM4-ZR"),
			inventory.TypeRouter, inventory.Evidence{Source: "maker", Detail: "SmartOptics AS mostly sells routers"}},
		{"a product line by its maker's letter", device("", 0, "", "Meraki MS"),
			inventory.TypeSwitch, inventory.Evidence{Source: "sysDescr", Detail: "Meraki MS"}},
		// session 38's blind sample setZ: product lines and a maker that
		// name no kind in words
		{"Bosch's DINION cameras", device("", 0, "Bosch Sicherheitssysteme Engineering GmbH", "DINION IP starlight 7000 HD"),
			inventory.TypeCamera, inventory.Evidence{Source: "sysDescr", Detail: "DINION IP starlight 7000 HD"}},
		{"Dell's FluidFS NAS", device("", 0, "", "FluidFS SnmpService SnmpV2c"),
			inventory.TypeNAS, inventory.Evidence{Source: "sysDescr", Detail: "FluidFS SnmpService SnmpV2c"}},
		{"HUBER+SUHNER's Cube Optics", device("", 0, "Cube Optics AG", "Linux SP-MNG 4.14.78-HS_Cube_Optics_2 #12 SMP PREEMPT armv7l"),
			inventory.TypeRouter, inventory.Evidence{Source: "maker", Detail: "Cube Optics AG mostly sells routers"}},
	} {
		Classify(&c.d)
		if c.d.Type != c.want || (c.ev != inventory.Evidence{}) && !slices.Contains(c.d.TypeEvidence, c.ev) {
			t.Errorf("%s: %s %v, want %s with %v", c.name, c.d.Type, c.d.TypeEvidence, c.want, c.ev)
		}
	}
}

// TestMakerCountsOnce: the maker the MAC registry names and the one a
// sensor names go through the one maker table (no product rule names a
// maker); the same maker counts once, two makers of different kinds each
// count.
func TestMakerCountsOnce(t *testing.T) {
	d := device("", 0, "Eaton", "")
	d.Vendor = "Eaton Corporation"
	Classify(&d)
	want := []inventory.Evidence{{Source: "mac registry", Detail: "Eaton Corporation mostly sells UPSes and power gear"}}
	if d.Type != inventory.TypeUPS || !slices.Equal(d.TypeEvidence, want) {
		t.Errorf("Eaton twice: %s %v, want ups with %v", d.Type, d.TypeEvidence, want)
	}
	d = device("", 0, "Synology Inc.", "")
	d.Vendor = "Ubiquiti Inc" // the registry's organisation of another kind
	Classify(&d)
	if ev := (inventory.Evidence{Source: "overruled", Detail: "ap 0.30 (mac registry: Ubiquiti Inc mostly sells access points)"}); d.Type != inventory.TypeNAS || !slices.Contains(d.TypeEvidence, ev) {
		t.Errorf("Synology on a Ubiquiti block: %s %v, want nas with %v", d.Type, d.TypeEvidence, ev)
	}
}

// device is a device as the SNMP sensor leaves it: its type and weight,
// make, sysDescr and structural capabilities.
func device(t inventory.DeviceType, w float64, make, descr string, caps ...string) inventory.Device {
	var d inventory.Device
	d.SensorType, d.SensorWeight, d.Make, d.Capabilities = t, w, make, caps
	if descr != "" {
		d.SNMP = &inventory.SNMPSystem{SysDescr: descr}
	}
	return d
}
