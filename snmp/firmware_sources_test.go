package snmp

import "testing"

// TestStackSDKRevision: an Aricent ISS chassis row ("Network Element")
// keeps its SDK's release in entPhysicalSoftwareRev and the product's
// firmware in entPhysicalFirmwareRev; any other chassis row keeps
// entPhysicalSoftwareRev first.
func TestStackSDKRevision(t *testing.T) {
	const oid = "1.3.6.1.4.1.35265.1.176" // an enterprise no rule reads the firmware of
	for _, c := range []struct {
		descr, firmwareRev, want string
	}{
		{"Network Element", "10.3.5", "10.3.5"},
		{"Network Element", "", "6.2.0"}, // nothing else to say: the only revision stays
		{"MES2424B AC", "10.3.5", "6.2.0"},
	} {
		vs := newValues("MES2424B AC 28-port 1G/10G Managed Switch")
		setEntity(vs, entColClass, [2]string{"1", entClassChassis})
		setEntity(vs, entColDescr, [2]string{"1", c.descr})
		setEntity(vs, entColSoftwareRev, [2]string{"1", "6.2.0"})
		setEntity(vs, entColFirmwareRev, [2]string{"1", c.firmwareRev})
		if id := identify(oid, candidates(oid, vs.descr), vs); id.Firmware != c.want {
			t.Errorf("chassis %q, firmware revision %q: firmware %q, want %q", c.descr, c.firmwareRev, id.Firmware, c.want)
		}
	}
}

// TestSysApplFirmware: SYSAPPL-MIB's first installed package names the
// appliance's release before a Linux banner's kernel.
func TestSysApplFirmware(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1" // an enterprise without vendor rows
	vs := newValues("Linux release:2.6.32-573.18.1.el6.x86_64 machine:x86_64")
	vs.column[sysApplInstallPkgVersion] = []row{{index: "1", value: value{text: "11.5.1.15900-18"}}, {index: "2", value: value{text: "1.0"}}}
	if id := identify(oid, candidates(oid, vs.descr), vs); id.Firmware != "11.5.1.15900-18" {
		t.Errorf("firmware %q, want the first package's 11.5.1.15900-18", id.Firmware)
	}
	vs = newValues(vs.descr)
	if id := identify(oid, candidates(oid, vs.descr), vs); id.Firmware == "11.5.1.15900-18" {
		t.Errorf("firmware %q without SYSAPPL-MIB", id.Firmware)
	}
}

// TestDescrFirmwareShapes: a labelled build with underscores and a
// description that is nothing but the release give the firmware, the
// boot loader's build in parentheses does not; a bare model or a word
// gives none.
func TestDescrFirmwareShapes(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1"
	for descr, want := range map[string]string{
		"DrayTek Corporation, Router Model: Vigor165, Version: r13107_788_b947ce1af_beta, Build Date/Time:Jul 25 2022": "r13107_788_b947ce1af_beta",
		"1.00(AAJZ.16)C0": "1.00(AAJZ.16)C0",
		"Aruba Instant On 1930 48G Switch JL686A, InstantOn_1930_1.0.5.0 (139), Linux 4.4.120, U-Boot 2013.01 (V1.0.1.29)": "1.0.5.0",
		"Sinetica UPSController. Versions: App. 6.04.03,   OS 6.3,   Btldr 1.06.09,   H/w ZBBNC2 Rev 1.01.06":              "6.04.03",
		"Cisco IOS Software, C3560E Software (C3560E-UNIVERSALK9-M), Version 15.0(2)SE7, RELEASE SOFTWARE (fc1)":           "15.0(2)SE7",
		"V1600D":       "",
		"Switched PDU": "",
	} {
		vs := newValues(descr)
		if id := identify(oid, candidates(oid, descr), vs); id.Firmware != want {
			t.Errorf("%q: firmware %q, want %q", descr, id.Firmware, want)
		}
	}
}

// TestTidyFirmwareSentence: the software's sentence around its version
// gives the number; a Cisco IOS banner's release, whose parentheses are
// its own, stays whole.
func TestTidyFirmwareSentence(t *testing.T) {
	for in, want := range map[string]string{
		"VRP (R) software, Version 8.200(CN), RELEASE 0000":                              "8.200",
		"Acme software, version 2.4.1":                                                   "2.4.1",
		"C2960 Software (C2960-LANBASEK9-M), Version 12.2(55)SE, RELEASE SOFTWARE (fc2)": "C2960 Software (C2960-LANBASEK9-M), Version 12.2(55)SE, RELEASE SOFTWARE (fc2)",
		"7.1a": "7.1a",
	} {
		if got := tidyFirmware(in); got != want {
			t.Errorf("tidyFirmware(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestProductCommaVersion: a description that is the product's name and
// its version names the firmware before the chassis row's revision.
func TestProductCommaVersion(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1"
	for descr, want := range map[string]string{
		"USW-Flex-XG, 6.2.14.13855": "6.2.14.13855",
		"VMware-vCenter-Server-Appliance 7.0.0.10100 generic build 16386292 VMware, Inc. x86_64": "7.0.0.10100",
		"Acme-Switch 7.0 generic":                    "1.0.1.0",
		"USW-Flex-XG, switch with a revision 6.2.14": "1.0.1.0",
	} {
		vs := newValues(descr)
		setEntity(vs, entColClass, [2]string{"1", entClassChassis})
		setEntity(vs, entColSoftwareRev, [2]string{"1", "1.0.1.0"})
		if id := identify(oid, candidates(oid, descr), vs); id.Firmware != want {
			t.Errorf("%q: firmware %q, want %q", descr, id.Firmware, want)
		}
	}
}

// TestSoleSoftwareAndApplVersion: hrSWInstalledName's only row names the
// system image's release, a host's package list does not; NETWORK-
// SERVICES-MIB's first application names an appliance's.
func TestSoleSoftwareAndApplVersion(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1"
	image := row{index: "2", value: value{text: "JUNOS Software Release [12.1X46-D86]"}}
	pkg := row{index: "3", value: value{text: "perl-open-1.11-416.el8"}}
	for _, c := range []struct {
		rows []row
		want string
	}{
		{[]row{image}, "12.1X46-D86"},
		{[]row{image, pkg}, ""},
		{[]row{pkg}, ""},
	} {
		vs := newValues("Acme SRX240B gsm-fw")
		vs.column[hrSWInstalledName] = c.rows
		if id := identify(oid, candidates(oid, vs.descr), vs); id.Firmware != c.want {
			t.Errorf("%d rows: firmware %q, want %q", len(c.rows), id.Firmware, c.want)
		}
	}
	vs := newValues("Allworx Connect 731")
	vs.column[applVersion] = []row{{index: "1", value: value{text: "8.3.5.4"}}}
	if id := identify(oid, candidates(oid, vs.descr), vs); id.Firmware != "8.3.5.4" {
		t.Errorf("firmware %q, want applVersion's 8.3.5.4", id.Firmware)
	}
}

// TestGuessSoftwareAfterHardware: a version the next object follows with
// a longer one is the hardware's revision; two of the same length keep
// the first.
func TestGuessSoftwareAfterHardware(t *testing.T) {
	for _, c := range []struct {
		subtree []string
		want    string
	}{
		{[]string{"S5750E-16X-SI", "1.0.1", "7.5.3.0(R0016.0036)"}, "7.5.3.0(R0016.0036)"},
		{[]string{"2.22.0.31.8", "2.8.0.17.1"}, "2.22.0.31.8"},
		{[]string{"9.13.3.0.145", "3.7"}, "9.13.3.0.145"},
	} {
		vs := newValues("Acme")
		for _, s := range c.subtree {
			vs.subtree = append(vs.subtree, value{text: s})
		}
		if got := vs.guess(guessVersion); got != c.want {
			t.Errorf("%q: version %q, want %q", c.subtree, got, c.want)
		}
	}
}

// TestGradeFirmwareUnpadded: the accuracy grading compares a firmware's
// numbers without their leading zeros, and no other field's; a firmware's
// match does not start inside a dotted number.
func TestGradeFirmwareUnpadded(t *testing.T) {
	for _, c := range []struct {
		field            int
		got, truth, want string
	}{
		{1, "06.01.0009.0300", "6.1.9.300", "exact"},
		{1, "17.03.01", "ARMV8EL_LINUX_IOSD-UNIVERSALK9_IOT-M 17.3.1", "match"},
		{1, "6.1.9.30", "6.1.9.300", "wrong"},
		{2, "0000292", "292", "wrong"},
		{1, "V1.0", "[TDCM V1.1.1 - EDFA V1.1.0]", "wrong"}, // a part of a version is none
		{1, "V1.1.0", "[TDCM V1.1.1 - EDFA V1.1.0]", "match"},
		{1, "5.20.99 Release 2222P08", "5.20.99", "match"},
		{1, "1.8.0.4853089.160219.1607", "1.8.0", "match"},
		{1, "1.6.0", "EP.v1.6.0", "match"},
		{1, "4.4.2.4598", "UF-OLT.ER-e600.v4.4.2.4598", "match"},
		{1, "0.2.00", "1.10.2.0", "wrong"},
	} {
		if g := gradeField(c.field, c.got, c.truth); g != c.want {
			t.Errorf("%s %q against %q: %q, want %q", fieldNames[c.field], c.got, c.truth, g, c.want)
		}
	}
}

// TestKernelNotFirmware: a Linux banner's kernel release is a host's
// firmware when the agent is the stock net-snmp one, never an appliance's
// whose sysObjectID names its maker (FireEye's "4.19.71" for NX 9.1.3).
func TestKernelNotFirmware(t *testing.T) {
	const descr = "Linux nx1 4.19.71 #1 SMP PREEMPT Fri Jun 10 12:11:13 PDT 2022 x86_64"
	for oid, want := range map[string]string{
		"1.3.6.1.4.1.8072.3.2.10": "4.19.71", // net-snmp's own: a Linux host
		"1.3.6.1.4.1.99999.1":     "",        // a maker's appliance: its release is elsewhere
	} {
		vs := newValues(descr)
		if id := identify(oid, candidates(oid, descr), vs); id.Firmware != want {
			t.Errorf("sysObjectID %s: firmware %q, want %q", oid, id.Firmware, want)
		}
	}
}
