package snmp

import (
	"strconv"
	"strings"

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
var typeScalars = []string{oidSysServices, oidIPForwarding, oidDot1dBaseNumPort, upsBatteryStatus, lldpLocSysCapEnabled, lldpLocSysCapSupported}

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
	caps, _ = vs.lldpLocalCaps(caps)
	return caps
}

// LLDP-MIB's local system capabilities (IEEE 802.1AB-2005 12.2,
// lldpLocSysCapSupported and lldpLocSysCapEnabled): what the agent's own
// LLDP announces the device is, the same bits tend reads from an LLDPDU
// on the wire (discovery's lldpCapNames), asked for in the identity GET.
const (
	lldpLocSysCapSupported = "1.0.8802.1.1.2.1.3.5.0"
	lldpLocSysCapEnabled   = "1.0.8802.1.1.2.1.3.6.0"
)

// lldpCapsObject reports whether name (with or without its leading dot)
// is one of them.
func lldpCapsObject(name string) bool {
	name = strings.TrimPrefix(name, ".")
	return name == lldpLocSysCapEnabled || name == lldpLocSysCapSupported
}

// lldpCapBits names LldpSystemCapabilitiesMap's bits in order: other(0),
// repeater(1), bridge(2), wlanAccessPoint(3), router(4), telephone(5),
// docsisCableDevice(6), stationOnly(7), and LLDP-V2-MIB's cVLAN(8),
// sVLAN(9), twoPortMacRelay(10); the names are the wire decoder's, so
// that both paths give a device the same capabilities.
var lldpCapBits = []string{"other", "repeater", "bridge", "wlan-ap", "router", "phone", "docsis", "station", "cvlan", "svlan", "tpmr"}

// lldpLocalCaps appends to caps the capabilities lldpLocSysCapEnabled
// sets, or lldpLocSysCapSupported's when none is enabled (as the wire
// decoder falls back on the supported ones), and returns which object
// it read ("" when neither set a bit).
func (vs *values) lldpLocalCaps(caps []string) ([]string, string) {
	for _, oid := range [2]string{lldpLocSysCapEnabled, lldpLocSysCapSupported} {
		if names := capBits(vs.scalarOctets(oid)); len(names) > 0 {
			return append(caps, names...), oid
		}
	}
	return caps, ""
}

// lldpCapsEvidence appends to ev which LLDP-MIB object named the
// capabilities lldpLocalCaps reported, for the type they are a clue to.
func (vs *values) lldpCapsEvidence(ev []inventory.Evidence) []inventory.Evidence {
	names, oid := vs.lldpLocalCaps(nil)
	if oid == "" {
		return ev
	}
	obj := "lldpLocSysCapEnabled"
	if oid == lldpLocSysCapSupported {
		obj = "lldpLocSysCapSupported"
	}
	return append(ev, inventory.Evidence{Source: "LLDP-MIB", Detail: obj + ": " + strings.Join(names, ", ")})
}

// capBits reads an SNMP BITS value (RFC 2578 section 7.1.4: bit 0 is the
// first octet's most significant) as lldpCapBits' names. More octets than
// the bits need is no capabilities map: nothing.
func capBits(b []byte) []string {
	if len(b) == 0 || len(b) > (len(lldpCapBits)+7)/8 {
		return nil
	}
	var names []string
	for i, n := range lldpCapBits {
		if i/8 < len(b) && b[i/8]&(0x80>>(i%8)) != 0 {
			names = append(names, n)
		}
	}
	return names
}

// scalarOctets is the raw octets of a scalar the identity GET read: its
// kept octets (keepOctets), else its text, which then said all of them.
func (vs *values) scalarOctets(oid string) []byte {
	if b, ok := vs.octets[oid]; ok {
		return b
	}
	return []byte(vs.scalar[oid].text)
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
