package snmp

import (
	"os"
	"strconv"
	"testing"

	"github.com/gosnmp/gosnmp"
)

func octets(name, s string) gosnmp.SnmpPDU {
	return gosnmp.SnmpPDU{Name: "." + name, Type: gosnmp.OctetString, Value: []byte(s)}
}

// TestBehindAgent: an appliance whose sysObjectID is net-snmp's keeps its
// maker's MIB in another enterprise (one without vendor rows: makerBehind
// reads those of one with them); the probe keeps those objects (not
// UCD-SNMP's or net-snmp's own), and their version and serial come before
// the kernel's release. A plain server (nothing found) keeps the kernel.
func TestBehindAgent(t *testing.T) {
	const netSNMP = "1.3.6.1.4.1.8072.3.2.10"
	const banner = "Linux router 3.18.44 #1 Fri Jun 7 08:39:02 UTC 2019 mips"
	for _, oid := range []string{netSNMP, "1.3.6.1.4.1.0", "0.0", ""} {
		if got := vendorRoots(oid); len(got) != len(agentRoots) {
			t.Fatalf("roots %v for %q, want agentRoots", got, oid)
		}
	}
	vs := newValues(banner)
	vs.addSubtree(agentRoots, []gosnmp.SnmpPDU{
		octets("1.3.6.1.4.1.2021.10.1.3.1", "0.15"), // laLoad: the agent's, skipped
		octets("1.3.6.1.4.1.8072.1.3.2.3.1.1.4.116.101.115.116", "1.2.3"),
		octets("1.3.6.1.4.1.59999.1.5.0", "1101612740"),
		octets("1.3.6.1.4.1.59999.1.6.0", "RUT2XX_R_00.01.07.1"),
		octets("1.3.6.1.4.1.59999.1.7.0", "2.6.1"),
		octets("1.3.6.1.4.1.59999.1.7.0", "2.6.1"), // a second root's walk reaching the same object
	})
	if len(vs.subtree) != 3 || !vs.behindAgent {
		t.Fatalf("subtree %v (behind %v), want the three maker's objects", vs.subtree, vs.behindAgent)
	}
	id := identify(netSNMP, candidates(netSNMP, banner), vs)
	if id.Firmware != "2.6.1" || id.Serial != "1101612740" {
		t.Errorf("firmware %q serial %q, want the maker's 2.6.1 and 1101612740", id.Firmware, id.Serial)
	}
	vs = newValues(banner)
	vs.addSubtree(agentRoots, []gosnmp.SnmpPDU{octets("1.3.6.1.4.1.2021.10.1.3.1", "0.15")})
	if id := identify(netSNMP, candidates(netSNMP, banner), vs); id.Firmware != "3.18.44" || vs.behindAgent {
		t.Errorf("firmware %q (behind %v), want the kernel's 3.18.44 when no maker's MIB answers", id.Firmware, vs.behindAgent)
	}
}

// TestGuessVersionShapes: what a vendor MIB's first objects give as a version.
func TestGuessVersionShapes(t *testing.T) {
	for _, c := range []struct {
		objects []string
		want    string
	}{
		{[]string{"3.3VCC", "5VSB", "0.000", "1.4.2"}, "1.4.2"}, // sensor rails and zeros are no version
		{[]string{"TCW241-v1.252"}, "1.252"},
		{[]string{"1.12.0 rev 54574"}, "1.12.0 rev 54574"},
		{[]string{"12.0 V"}, ""},
		{[]string{"1.1E-5", "RUT9_R_00.07.06.16"}, "00.07.06.16"},
		{[]string{"KomaracEngRel 22.9.12311"}, "KomaracEngRel 22.9.12311"}, // a release's name and number
		{[]string{"lowerRel 22.9.12311"}, ""},
	} {
		vs := newValues("")
		for _, o := range c.objects {
			vs.subtree = append(vs.subtree, value{text: o})
		}
		if got := vs.guess(guessVersion); got != c.want {
			t.Errorf("%q: version %q, want %q", c.objects, got, c.want)
		}
	}
}

// TestDescrFirmwareSerial: sysDescr grammars for firmware and serial.
func TestDescrFirmwareSerial(t *testing.T) {
	for _, c := range []struct{ descr, firmware, serial string }{
		{"IPBS2[10.3.9], Bootcode[10.3.9], Hardware[IPBS2-C3/1B1]", "10.3.9", ""},
		{"SSG5-Serial version 6.3.0r24.0 (SN: 0008012007001234, Firewall+VPN)", "", "0008012007001234"},
		{"SN4971/1E15VHardware Release 3 Version 1, Software R6.10 2017-09-08", "", ""},
		{"ARRIS APEX1000, VxWorks SNMPv1/v2c Agent", "", ""},
		{"Access Point, Serial number FFFFFFFFFF", "", "FFFFFFFFFF"},
		{"PDU S/N=000076.", "", "000076"},
	} {
		vs := newValues(c.descr)
		if c.firmware != "" {
			if got := vs.read(releaseFirmware[len(releaseFirmware)-1], ""); got != c.firmware {
				t.Errorf("%q: firmware %q, want %q", c.descr, got, c.firmware)
			}
		}
		if got := vs.read(genericSerial, ""); got != c.serial {
			t.Errorf("%q: serial %q, want %q", c.descr, got, c.serial)
		}
	}
}

// TestGenericFirmwareSkipsParts: the generic grammars read the product's
// version, not the kernel's, boot loader's, library's or SNMP agent's a
// description names after it, nor a part number's dotted digits.
func TestGenericFirmwareSkipsParts(t *testing.T) {
	for _, c := range []struct{ descr, want string }{
		{"HP 1820-8G Switch J9979A, PT.01.14, Linux 3.6.5-79c95a77, U-Boot 2012.10-00116-g", "PT.01.14"},
		{"HP 1810-24G, PL.1.9, eCos-3.0, 1_12_8-customized-h", "PL.1.9"},
		{"Linux 3.10.0-1160.62.1.F5.1.el7_8.x86_64 : Appliance services version 1.3.2-13054", "1.3.2-13054"},
		{"FreeCooling Controller, SNMP V1.0", ""},
		{"WebPower(402414.003) 4.11, Apr  4 2016 OS:2.7", "4.11"},
		// DOCSIS's "<<…BOOTR: …>>" is the boot ROM's: the release is the image's "_V…"
		{"CMTS_V08.02.00.97, <<HW_REV: 3.1; VENDOR: ARRIS; BOOTR: V00.01.00>>", "08.02.00.97"},
		{"Cable Modem <<HW_REV: 1; VENDOR: Acme; BOOTR: V2.1.6>>", ""},
		{"GAM-12 GigaBit Ethernet Switch, firmware GAM-12/24-C_v1.5.4", "1.5.4"},
		{"PWT_v3.10.6", "3.10.6"},
	} {
		vs := newValues(c.descr)
		got := ""
		for _, s := range genericFirmware {
			if got = vs.read(s, ""); got != "" {
				break
			}
		}
		if got != c.want {
			t.Errorf("%q: firmware %q, want %q", c.descr, got, c.want)
		}
	}
}

// TestFirmwareNotModelNumber: a bare number the model ends with is its
// generation ("Integrated Lights-Out 4"), not the firmware after it.
func TestFirmwareNotModelNumber(t *testing.T) {
	vs := newValues("Integrated Lights-Out 4 2.50 Sep 23 2016")
	id := identity{}
	id.Model = "Integrated Lights-Out 4"
	got := id.first("firmware", []source{sysDescr(`Out (\d+)`), sysDescr(` (\d+\.\d+) `)}, vs, "")
	if got != "2.50" {
		t.Errorf("firmware %q, want 2.50 after refusing the generation", got)
	}
}

// TestGuessSerialNotNames: a date or a lower-case name (a sensor's, a
// host's, a flash device's) among a vendor's first objects is no serial.
func TestGuessSerialNotNames(t *testing.T) {
	vs := newValues("")
	for _, o := range []string{"fan1-speed", "2018-7-13", "rm145d-ap130", "flash1", "ZM145S015127"} {
		vs.subtree = append(vs.subtree, value{text: o})
	}
	if got := vs.guess(guessSerial); got != "ZM145S015127" {
		t.Errorf("serial %q, want ZM145S015127", got)
	}
}

// TestVendorOIDsGzipCurrent: the embedded vendor_oids.tsv.gz holds what
// vendor_oids.tsv says (a row added to the .tsv and not regenerated would
// silently not be read).
func TestVendorOIDsGzipCurrent(t *testing.T) {
	disk, err := os.ReadFile("vendor_oids.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if string(disk) != vendorOIDsText() {
		t.Fatal("vendor_oids.tsv.gz is older than vendor_oids.tsv: run go generate ./snmp (gzip -9n)")
	}
}

// TestUPSChecksumNotFirmware: a UPS whose upsIdentUPSSoftwareVersion is a
// checksum ("692A950B") reports the agent's version instead; a version
// there still wins.
func TestUPSChecksumNotFirmware(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1"
	for _, c := range []struct{ ups, want string }{
		{"692A950B", "20.1.0.87"},
		{"208", "20.1.0.87"},
		{"01.20.5072", "01.20.5072"},
		{"V100R001C00SPC602", "V100R001C00SPC602"},
	} {
		vs := newValues("UPS Agent")
		vs.scalar[upsIdentUPSSw] = value{text: c.ups}
		vs.scalar[upsIdentAgentSw] = value{text: "20.1.0.87"}
		if id := identify(oid, candidates(oid, vs.descr), vs); id.Firmware != c.want {
			t.Errorf("UPS software %q: firmware %q, want %q", c.ups, id.Firmware, c.want)
		}
	}
}

// TestEntityDescrVersion: a chassis description that opens with the
// system's name and version gives the firmware when nothing else does; a
// kernel's banner there does not.
func TestEntityDescrVersion(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1"
	for descr, want := range map[string]string{
		"RouterOS 6.40.5 (stable) on RB952Ui-5ac2nD": "6.40.5",
		"Linux 5.6.3 xhci-hcd xHCI Host Controller":  "",
		"DGS-3420-28TC Gigabit Ethernet Switch":      "",
	} {
		vs := newValues("router")
		vs.column[entPhysicalEntry+".2"] = []row{{index: "1", value: value{text: descr}}}
		vs.column[entPhysicalEntry+".5"] = []row{{index: "1", value: value{text: entClassChassis}}}
		if id := identify(oid, candidates(oid, vs.descr), vs); id.Firmware != want {
			t.Errorf("chassis %q: firmware %q, want %q", descr, id.Firmware, want)
		}
	}
}

// TestManagementCardSerial: behind a management card's description, whose
// serial number is the card's, the device's serial the maker's MIB gives
// comes first; without one, or with only a product number's shape, the
// card's still answers.
func TestManagementCardSerial(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1"
	const descr = "Acme Network Management Card (MB:v4.1.0 PF:v6.7.2 SN: ZA1349002368 MN:AP9631)"
	vs := newValues(descr)
	vs.subtree = []value{{text: "Smart-UPS X 750"}, {text: "AS1342225176"}}
	if id := identify(oid, candidates(oid, descr), vs); id.Serial != "AS1342225176" {
		t.Errorf("serial %q, want the UPS's AS1342225176", id.Serial)
	}
	vs.subtree = []value{{text: "AP9512T"}}
	if id := identify(oid, candidates(oid, descr), vs); id.Serial != "ZA1349002368" {
		t.Errorf("serial %q, want the card's ZA1349002368 before a product number", id.Serial)
	}
	vs.subtree = nil
	if id := identify(oid, candidates(oid, descr), vs); id.Serial != "ZA1349002368" {
		t.Errorf("serial %q, want the card's ZA1349002368 when nothing else answers", id.Serial)
	}
}

// TestDMIHardwareExtend: a Linux or FreeBSD host whose snmpd publishes the
// DMI product name through an extend, at net-snmp's own table or rooted
// where monitoring guides put it (2021.7890.2), is named by it rather
// than by its architecture.
func TestDMIHardwareExtend(t *testing.T) {
	const netSNMP = "1.3.6.1.4.1.8072.3.2.10"
	for _, c := range []struct{ descr, oid, want string }{
		{"Linux host 6.1.0 #1 SMP x86_64", extendDMIHardwareLine1, "PowerEdge R250"},
		{"Linux host 6.1.0 #1 SMP x86_64", extendDMIHardware1Line, "PowerEdge R250"},
		{"FreeBSD host 9.2-RELEASE FreeBSD 9.2-RELEASE #0 amd64", extendDMIHardwareLine1, "PowerEdge R250"},
		{"Linux host 6.1.0 #1 SMP x86_64", "", "Generic x86 64-bit"},
	} {
		vs := newValues(c.descr)
		if c.oid != "" {
			vs.addScalars([]gosnmp.SnmpPDU{octets(c.oid, "PowerEdge R250")})
		}
		if id := identify(netSNMP, candidates(netSNMP, c.descr), vs); id.Model != c.want {
			t.Errorf("%q with %s: model %q, want %q", c.descr, c.oid, id.Model, c.want)
		}
	}
}

// TestZeroSerialPlaceholder: a serial number of only zeros is the agent's
// placeholder (an unprogrammed board): no source reports it, and the
// subtree guess goes on to the object after it (Avocent's ACS 8000 holds
// "000-000" before its serial number).
func TestZeroSerialPlaceholder(t *testing.T) {
	for v, want := range map[string]bool{"000000000000": true, "000-000": true, "0000 0000": true, "0": true,
		"000000000001": false, "0530050907": false, "A0000000": false, "": false, "--": false} {
		if got := zeroSerial(v); got != want {
			t.Errorf("zeroSerial(%q) = %v, want %v", v, got, want)
		}
	}
	if why := implausible("serial", "0000000000000000"); why == "" {
		t.Error("all-zero serial accepted")
	}
	vs := newValues("Avocent ACS 8000")
	vs.addSubtree([]string{"1.3.6.1.4.1.10418"}, []gosnmp.SnmpPDU{
		octets("1.3.6.1.4.1.10418.26.2.1.2.0", "ACS8048 with internal MODEM and dual power supply"),
		octets("1.3.6.1.4.1.10418.26.2.1.3.0", "000-000"),
		octets("1.3.6.1.4.1.10418.26.2.1.4.0", "0530050907"),
	})
	if got := vs.guess(guessSerial); got != "0530050907" {
		t.Errorf("serial %q, want 0530050907 after the placeholder", got)
	}
}

// TestRepeatedCellNotSerial: a table cell whose value the column's other
// rows repeat names a part's type or version, not the device's serial
// number; a value on one row only may still be one.
func TestRepeatedCellNotSerial(t *testing.T) {
	vs := newValues("")
	vs.addSubtree([]string{"1.3.6.1.4.1.935"}, []gosnmp.SnmpPDU{
		octets("1.3.6.1.4.1.935.10.2.1.2.2.1.2.1", "180500000"),
		octets("1.3.6.1.4.1.935.10.2.1.2.2.1.2.2", "180500000"),
		octets("1.3.6.1.4.1.935.10.2.1.2.2.1.3.1", "KX2145001234"),
	})
	if got := vs.guess(guessSerial); got != "KX2145001234" {
		t.Errorf("serial %q, want KX2145001234, not the modules' repeated 180500000", got)
	}
}

// TestHexSerialNotMAC: twelve hexadecimal digits are a MAC address only
// when the first octet could be a maker's (unicast, universally
// administered); "A2…" has the locally administered bit and is
// Horizon Quantum's serial number, "B4FBE4…" a MAC address.
func TestHexSerialNotMAC(t *testing.T) {
	for v, want := range map[string]bool{"B4FBE41B4808": true, "00A0BA0BD1EC": true, "00-1B-BC-AA-AA-AA": true,
		"A2002DED0259": false, "0300AB12CD34": false, "123456789012": false, "60-000471-02": false} {
		if got := burnedInMAC(v); got != want {
			t.Errorf("burnedInMAC(%q) = %v, want %v", v, got, want)
		}
	}
	vs := newValues("hx50_49_qpsk Omni: 1.3.8")
	for _, o := range []string{"A2002DED0259", "60-000471-02"} {
		vs.subtree = append(vs.subtree, value{text: o})
		vs.subtreeScalars++
	}
	if got := vs.guess(guessSerial); got != "A2002DED0259" {
		t.Errorf("serial %q, want the hexadecimal A2002DED0259", got)
	}
}

// TestNumberedNameNotSerial: a port's or an outlet's name among a PDU's or
// a router's first objects ("OUTLET1", "ETHER4") is no serial number.
func TestNumberedNameNotSerial(t *testing.T) {
	vs := newValues("")
	for _, o := range []string{"OUTLET1", "ETHER4", "SLOT-01", "PX1234567"} {
		vs.subtree = append(vs.subtree, value{text: o})
	}
	if got := vs.guess(guessSerial); got != "PX1234567" {
		t.Errorf("serial %q, want PX1234567", got)
	}
}

// TestEntityDescrSerial: a serial number an entPhysicalDescr labels is
// read where no row gives entPhysicalSerialNum: the chassis row's, else
// the first row that is not a part (Ericsson's IPOS labels it on the
// backplane row); a module's is never the device's.
func TestEntityDescrSerial(t *testing.T) {
	const oid = "1.3.6.1.4.1.193.218.1.17"
	for _, c := range []struct {
		descr, class []string
		want         string
	}{
		{[]string{"SSR 8020 chassis", "SSR 8020 backplane SN:DH80092734 Rev:R3L Mfg.Dt:1-JUL-2020"}, nil, "DH80092734"},
		{[]string{"Fortinet FGT_1500D, HW Serial#: FG1K5D3I10000000", "Ethernet Port"}, []string{"3", "10"}, "FG1K5D3I10000000"},
		{[]string{"Chassis", "Line card SN: LC1234567"}, []string{"3", "9"}, ""},
	} {
		vs := newValues("Ericsson IPOS-18.1.1.9.98p30-Release")
		for i, d := range c.descr {
			idx := strconv.Itoa(i + 1)
			vs.column[entPhysicalEntry+".2"] = append(vs.column[entPhysicalEntry+".2"], row{index: idx, value: value{text: d}})
			if c.class != nil {
				vs.column[entPhysicalEntry+".5"] = append(vs.column[entPhysicalEntry+".5"], row{index: idx, value: value{text: c.class[i]}})
			}
		}
		if id := identify(oid, candidates(oid, vs.descr), vs); id.Serial != c.want {
			t.Errorf("%q: serial %q, want %q", c.descr, id.Serial, c.want)
		}
	}
}
