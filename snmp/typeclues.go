package snmp

import (
	"strconv"

	"tend/inventory"
)

// What the standard MIBs show of a device's structure, the evidence of its
// kind only the SNMP sensor can read: RFC 3418's sysServices layers,
// ipForwarding, BRIDGE-MIB's port count, UPS-MIB and Printer-MIB
// answering, the first HOST-RESOURCES device. The sensor reports them as
// capabilities (inventory's snmpcaps.go) and identity.Classify weighs them
// with the words of sysDescr and the model and the maker's usual kind (the
// one keyword table and the one maker table are identity's). Every one is
// read in the identity GET the rules already send (typeScalars), never
// from a walk.
const (
	oidSysServices      = "1.3.6.1.2.1.1.7.0"
	oidIPForwarding     = "1.3.6.1.2.1.4.1.0"
	oidDot1dBaseNumPort = "1.3.6.1.2.1.17.1.2.0"
)

// typeScalars are read with the standard scalars.
var typeScalars = []string{oidSysServices, oidIPForwarding, oidDot1dBaseNumPort, upsBatteryStatus}

// structure returns the structural capabilities the agent's answers show.
func structure(vs *values) []string {
	var caps []string
	if n, err := strconv.Atoi(vs.scalar[oidSysServices].text); err == nil && n > 0 && n < 128 {
		caps = append(caps, inventory.CapSysServices+strconv.Itoa(n))
	}
	if vs.scalar[oidIPForwarding].text == "1" {
		caps = append(caps, inventory.CapIPForwarding)
	}
	if n, err := strconv.Atoi(vs.scalar[oidDot1dBaseNumPort].text); err == nil && n > 0 {
		caps = append(caps, inventory.CapBridgePorts+strconv.Itoa(n))
	}
	if vs.scalar[upsIdentModel].text != "" || vs.scalar[upsIdentManufacturer].text != "" || upsBattery(vs.scalar[upsBatteryStatus].text) || vs.makerUPSIdent() {
		caps = append(caps, inventory.CapUPSMIB)
	}
	if vs.scalar[prtSerial1].text != "" {
		caps = append(caps, inventory.CapPrinterMIB)
	}
	if vs.scalar[hrDeviceType1].text == hrDevicePrinter {
		caps = append(caps, inventory.CapHRPrinter)
	}
	return caps
}

// upsBatteryStatus is UPS-MIB's upsBatteryStatus (RFC 1628): a UPS card
// that leaves the identity group empty answers its battery group.
const upsBatteryStatus = "1.3.6.1.2.1.33.1.2.1.0"

// upsBattery reports whether v is one of upsBatteryStatus's values:
// unknown(1), batteryNormal(2), batteryLow(3), batteryDepleted(4).
func upsBattery(v string) bool { return len(v) == 1 && v[0] >= '1' && v[0] <= '4' }

// makerUPSIdent reports whether the maker's own UPS identity group
// answered (vendor rows marked ups, of the sysObjectID's enterprise or
// the maker the subtree probe found): the maker's UPS-MIB, as telling
// as RFC 1628's (a CyberPower card's CPS-MIB upsBaseIdentModel walked
// without a system group).
func (vs *values) makerUPSIdent() bool {
	ent, _ := enterprise(vs.sysOID)
	for _, e := range [2]int{ent, vs.maker} {
		for _, r := range vs.vendorTable().rows(e) {
			if r.ups && (tidy(vs.scalar[r.oid].text) != "" || tidy(vs.walked[r.oid].text) != "") {
				return true
			}
		}
	}
	return false
}
