package snmp

import (
	"testing"

	"github.com/gosnmp/gosnmp"
)

// TestExtendRelease: the "version" extend of a system built on Linux or
// FreeBSD names its release before the banner's kernel, from its output
// or the text an echo prints; a command's arguments that are no release
// ("-c cat /etc/version") leave the kernel's.
func TestExtendRelease(t *testing.T) {
	const netSNMP = "1.3.6.1.4.1.8072.3.2.10"
	for _, c := range []struct {
		descr, oid, text, want string
	}{
		{"FreeBSD fw1 11.2-RELEASE-p16-HBSD FreeBSD 11.2-RELEASE-p16-HBSD amd64", extendVersionFull, "OPNsense 20.1.2 (amd64/OpenSSL)", "20.1.2"},
		{"Linux TomatoWifi 2.6.22.19 #13 Wed Sep 23 16:39:18 CEST 2020 mips", extendVersionArgs, "FreshTomato 2020.6 MIPSR2 K26AC USB AIO-64K", "2020.6"},
		{"Linux gw 4.14.0 #1 SMP x86_64", extendVersionFull, "Acme v3.1.4-rc2", "3.1.4-rc2"},
		{"Linux gw 4.14.0 #1 SMP x86_64", extendVersionArgs, "-c cat /etc/version", "4.14.0"},
		{"Linux gw 4.14.0 #1 SMP x86_64", extendVersionFull, "unknown", "4.14.0"},
	} {
		vs := newValues(c.descr)
		vs.scalar[c.oid] = value{text: c.text}
		if id := identify(netSNMP, candidates(netSNMP, c.descr), vs); id.Firmware != c.want {
			t.Errorf("%q in %s: firmware %q, want %q", c.text, c.oid, id.Firmware, c.want)
		}
	}
}

// TestSupermicroBMCFirmware: a Supermicro BMC's firmware is its major
// and minor revision (ATEN-IPMI-MIB), the minor's two BCD digits, never
// the BIOS version beside them; an agent without them keeps the others.
func TestSupermicroBMCFirmware(t *testing.T) {
	const biosVesion = "1.3.6.1.4.1.21317.1.5.4.0"
	for _, c := range []struct {
		oid, major, minor, want string
	}{
		{"1.3.6.1.4.1.21317", "1", "74", "1.74"},
		{"1.3.6.1.4.1.8072.3.2.10", "3", "88", "3.88"},
		{"1.3.6.1.4.1.8072.3.2.10", "3", "5", "3.05"},
		{"1.3.6.1.4.1.8072.3.2.10", "3", "250", ""}, // no BCD revision: nothing rather than garbage
		{"1.3.6.1.4.1.8072.3.2.10", "3", "", ""},
	} {
		vs := newValues("Linux (none) 3.18.0 #1 Thu Oct 27 10:50:39 CST 2022 armv6l")
		vs.scalar[atenBMCMajor] = value{text: c.major}
		if c.minor != "" {
			vs.scalar[atenBMCMinor] = value{text: c.minor}
		}
		vs.scalar[biosVesion] = value{text: "3.8a"}
		id := identify(c.oid, candidates(c.oid, vs.descr), vs)
		if c.minor == "" {
			if id.Family == "supermicro-bmc" {
				t.Errorf("%s without bmcMinorVesion: rule %s", c.oid, id.Family)
			}
			continue
		}
		if id.Firmware != c.want || id.Make != "Supermicro" {
			t.Errorf("%s %s %s: %s firmware %q, want Supermicro %q", c.oid, c.major, c.minor, id.Make, id.Firmware, c.want)
		}
	}
}

// TestRowSoftware: a unit's row that lists several revisions gives the
// last, the running software's, not the hardware's before it; another
// row's, a scalar group's and a reading's do not count.
func TestRowSoftware(t *testing.T) {
	const unit = "1.3.6.1.4.1.43.10.27.1.1.1."
	for _, c := range []struct {
		objects []gosnmp.SnmpPDU
		want    string
	}{
		{[]gosnmp.SnmpPDU{octets(unit+"5.1", "Switch 4200"), octets(unit+"10.1", "2.03"), octets(unit+"12.1", "3.00"), octets(unit+"13.1", "L3ZV7LJ6449A0")}, "3.00"},
		{[]gosnmp.SnmpPDU{octets(unit+"4.1", "0.0.2.7"), octets(unit+"5.1", "1.0.0.4"), octets(unit+"6.1", "1.0.2.3"), octets(unit+"10.1", "XX00000001")}, "1.0.2.3"},
		{[]gosnmp.SnmpPDU{octets(unit+"10.1", "2.03"), octets(unit+"12.2", "3.00")}, "2.03"}, // another unit's
		{[]gosnmp.SnmpPDU{octets(unit+"10.1", "2.03"), octets(unit+"12.1", "35.5")}, "2.03"}, // a reading
		{[]gosnmp.SnmpPDU{octets(unit+"10.0", "2.03"), octets(unit+"12.0", "3.00")}, "2.03"}, // scalars: no row
	} {
		vs := newValues("")
		vs.addSubtree([]string{"1.3.6.1.4.1.43"}, c.objects)
		if got := vs.guess(guessVersion); got != c.want {
			t.Errorf("%v: version %q, want %q", c.objects, got, c.want)
		}
	}
}

// TestRowContinues: the continuation's version replaces the first walk's
// only when it is the software's in the row of the hardware revision the
// first walk ended on.
func TestRowContinues(t *testing.T) {
	const row = "1.3.6.1.4.1.52326.2.1.1.1."
	vs := newValues("One-U System")
	vs.addSubtree([]string{"1.3.6.1.4.1.52326"}, []gosnmp.SnmpPDU{
		octets(row+"3.1", "V1.0"), octets(row+"3.2", "V2.0"), octets(row+"4.1", "V1.1.1"), octets(row+"4.2", "V1.1.0"),
	})
	for _, c := range []struct {
		first, later string
		want         bool
	}{
		{"V1.0", "V1.1.1", true},
		{"V1.0", "V1.1.0", false}, // the second unit's, beside another revision
		{"V1.0", "2.4.1", false},  // read elsewhere
		{"", "V1.1.1", false},
		{"V1.1.1", "V1.1.1", false},
	} {
		if got := vs.rowContinues(c.first, c.later); got != c.want {
			t.Errorf("rowContinues(%q, %q) = %v, want %v", c.first, c.later, got, c.want)
		}
	}
}

// TestSoftwareLabelledOverChassis: the generic entry takes the software
// version sysDescr labels over the chassis row's revision only when the
// two are releases of one line that differ; a row's revision that starts
// with it, or numbers its releases otherwise, stays.
func TestSoftwareLabelledOverChassis(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1"
	for _, c := range []struct {
		descr, softwareRev, want string
	}{
		{"Dell Networking OS Application Software Version: 9.9(0.0P9) Copyright (c) 1999-2016", "9.13(0.2)", "9.9(0.0P9)"},
		{"VRP (R) software,Version 5.170 (S5720 V200R010C00SPC600)", "Version 5.170 V200R010C00SPC600", "5.170 V200R010C00SPC600"},
		{"VRP (R) software,Version 5.170 (AR169F V200R009C00SPC500)", "V200R009C00SPC500", "V200R009C00SPC500"},
		{"Acme Switch", "2.1.4", "2.1.4"},
	} {
		vs := newValues(c.descr)
		setEntity(vs, entColClass, [2]string{"1", entClassChassis})
		setEntity(vs, entColSoftwareRev, [2]string{"1", c.softwareRev})
		if id := identify(oid, candidates(oid, vs.descr), vs); id.Firmware != c.want {
			t.Errorf("%q, chassis %q: firmware %q, want %q", c.descr, c.softwareRev, id.Firmware, c.want)
		}
	}
}

// TestIBMCActiveFirmware: a Huawei iBMC's firmware is the version of its
// firmware table's "Active iBMC" row, not the BIOS's.
func TestIBMCActiveFirmware(t *testing.T) {
	const oid = "1.3.6.1.4.1.2011.2.235"
	vs := newValues("Hardware management system")
	vs.scalar["1.3.6.1.4.1.2011.2.235.1.1.11.50.1.4.4.66.73.79.83"] = value{text: "1.08"} // "BIOS"
	vs.scalar[ibmcActiveFirmware] = value{text: "2.55"}
	if id := identify(oid, candidates(oid, vs.descr), vs); id.Firmware != "2.55" || id.Make != "Huawei" {
		t.Errorf("%s firmware %q, want Huawei 2.55", id.Make, id.Firmware)
	}
}
