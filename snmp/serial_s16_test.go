package snmp

import (
	"testing"

	"github.com/gosnmp/gosnmp"
)

// TestSerialAfterMakerPrefix: IBM's Power systems give the serial number
// after the maker's name and a comma (the Open Firmware convention); the
// machine's type and model, hyphenated, stays out.
func TestSerialAfterMakerPrefix(t *testing.T) {
	vs := newValues("IBM PowerPC CHRP Computer\nMachine Type: 0x0800004c Processor id: 00F61F574C00")
	vs.sysOID = "1.3.6.1.4.1.2.3.1.2.1.1.3"
	vs.subtree = []value{
		{text: "IBM,8233-E8B", name: "1.3.6.1.4.1.2.6.191.1.3.6.0"},
		{text: "IBM,02061F57P", name: "1.3.6.1.4.1.2.6.191.1.3.7.0"},
	}
	vs.subtreeScalars = 2
	if got := vs.guess(guessSerial); got != "02061F57P" {
		t.Errorf("guess(serial) = %q, want 02061F57P", got)
	}
	for _, c := range []struct{ in, maker, want string }{
		{"IBM,02061F57P", "IBM", "02061F57P"},
		{"ibm,02061F57P", "IBM", "02061F57P"},
		{"IBM,8233-E8B", "IBM", "IBM,8233-E8B"},     // the type and model
		{"Acme,02061F57P", "IBM", "Acme,02061F57P"}, // another maker's name
		{"IBM,02061F57P", "", "IBM,02061F57P"},
		{"IBM,A,B", "IBM", "IBM,A,B"}, // a list
	} {
		if got := makerPrefixed(c.in, c.maker); got != c.want {
			t.Errorf("makerPrefixed(%q, %q) = %q, want %q", c.in, c.maker, got, c.want)
		}
	}
}

// TestLoneShortSerial: a five-character serial number (Juniper's
// jnxBoxSerialNo "G0290") is taken when it is the only scalar of the
// maker's MIB the probe found, and not beside other scalars.
func TestLoneShortSerial(t *testing.T) {
	descr := "Juniper Networks, Inc. mx80 internet router, kernel JUNOS 16.2R2.8"
	vs := newValues(descr)
	vs.sysOID = "1.3.6.1.4.1.2636.1.1.1.2.57"
	vs.subtree = []value{{text: "G0290", name: "1.3.6.1.4.1.2636.3.1.3.0"}}
	vs.subtreeScalars = 1
	if got := vs.guess(guessSerial); got != "G0290" {
		t.Errorf("lone scalar: guess(serial) = %q, want G0290", got)
	}
	vs = newValues(descr)
	vs.sysOID = "1.3.6.1.4.1.2636.1.1.1.2.57"
	vs.subtree = []value{{text: "G0290", name: "1.3.6.1.4.1.2636.3.1.3.0"}, {text: "Up", name: "1.3.6.1.4.1.2636.3.1.4.0"}}
	vs.subtreeScalars = 2
	if got := vs.guess(guessSerial); got != "" {
		t.Errorf("beside another scalar: guess(serial) = %q, want none", got)
	}
	for _, s := range []string{"g0290", "10290", "ABCDE", "1500W", "220VA", "1E-05"} { // a rating or a level: a reading
		vs.subtree, vs.subtreeScalars = []value{{text: s, name: "1.3.6.1.4.1.2636.3.1.3.0"}}, 1
		if got := vs.guess(guessSerial); got != "" {
			t.Errorf("guess(serial) of %q = %q, want none", s, got)
		}
	}
}

// TestSerialExtend: a Linux host whose snmpd publishes its serial number
// through an extend named "serial", at net-snmp's own table or rooted
// where LibreNMS's example configuration puts it (2021.7890.4), gives it.
func TestSerialExtend(t *testing.T) {
	const netSNMP = "1.3.6.1.4.1.8072.3.2.10"
	const descr = "Linux host 6.1.0 #1 SMP x86_64"
	for _, c := range []struct{ oid, want string }{
		{"1.3.6.1.4.1.2021.7890.4.4.1.2.6.115.101.114.105.97.108.1", "8WM8ST3"},
		{"1.3.6.1.4.1.8072.1.3.2.3.1.1.6.115.101.114.105.97.108", "8WM8ST3"},
		{"1.3.6.1.4.1.8072.1.3.2.3.1.1.6.100.105.115.116.114.111", ""}, // the "distro" extend
	} {
		vs := newValues(descr)
		vs.addScalars([]gosnmp.SnmpPDU{octets(c.oid, "8WM8ST3")})
		if id := identify(netSNMP, candidates(netSNMP, descr), vs); id.Serial != c.want {
			t.Errorf("%s: serial %q, want %q", c.oid, id.Serial, c.want)
		}
	}
}

// TestRunningFirmware: the maker's identity group's release in sysDescr's
// shape but other digits replaces the one sysDescr gave (Meinberg's
// "Meinberg LANTIME V6.20.014" beside the MIB's "7.00.014"); another
// shape or a two-number version stays.
func TestRunningFirmware(t *testing.T) {
	const oid = "1.3.6.1.4.1.5597.3"
	for _, c := range []struct{ descr, object, want string }{
		{`"Meinberg LANTIME  V6.20.014"`, "7.00.014", "7.00.014"},
		{`"Meinberg LANTIME  V6.20.014"`, "v7.00.014", "7.00.014"},
		{`"Meinberg LANTIME  V6.20.014"`, "6.20.014", "6.20.014"},
		{`"Meinberg LANTIME  V6.20.014"`, "7.0.14", "6.20.014"}, // another shape: a part's
	} {
		vs := newValues(c.descr)
		vs.subtree = []value{{text: c.object, name: "1.3.6.1.4.1.5597.30.0.0.2.0"}, {text: "<private>", name: "1.3.6.1.4.1.5597.30.0.0.3.0"}}
		vs.subtreeScalars = 2
		if id := identify(oid, candidates(oid, c.descr), vs); id.Firmware != c.want {
			t.Errorf("%q beside the MIB's %q: firmware %q, want %q", c.descr, c.object, id.Firmware, c.want)
		}
	}
	// a vendor rule's version stays
	id := identity{Firmware: "6.20.014", descrFirmware: true}
	vs := newValues("TiMOS-B-6.20.014")
	vs.subtree, vs.subtreeScalars = []value{{text: "7.00.014", name: "1.3.6.1.4.1.6527.1.0"}}, 1
	if id.runningFirmware(&rule{family: "timos"}, vs); id.Firmware != "6.20.014" {
		t.Errorf("a vendor rule's firmware: %q, want 6.20.014", id.Firmware)
	}
}
