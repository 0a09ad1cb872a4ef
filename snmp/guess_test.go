package snmp

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"
)

// TestStackWithoutChassis: an agent with stack rows and no chassis row
// (Allied Telesis) stands for its first unit, the container that names
// the serial number, and the model is that row's name.
func TestStackWithoutChassis(t *testing.T) {
	vs := newValues("Allied Telesis router/switch, Software (AlliedWare Plus) Version 5.4.8-2.1")
	col := func(c int, cells ...string) {
		for i, v := range cells {
			vs.column[entPhysicalEntry+"."+strconv.Itoa(c)] = append(vs.column[entPhysicalEntry+"."+strconv.Itoa(c)],
				row{index: strconv.Itoa(i + 1), value: value{text: v}})
		}
	}
	col(entColClass, "11", "11", "5", "9")
	col(entColContainedIn, "0", "1", "2", "3")
	col(entColName, "x930 Stack", "x930", "AT-x930-28GSTX", "AT-StackQS")
	col(entColSerial, "", "", "A04881A151300018", "A04882A143100104X4")
	if got := vs.chassis(); got != "3" {
		t.Fatalf("chassis row %q, want 3 (the first unit's base row)", got)
	}
	id := identify("1.3.6.1.4.1.207.1.14.120", candidates("1.3.6.1.4.1.207.1.14.120", vs.descr), vs)
	if id.Model != "AT-x930-28GSTX" || id.Serial != "A04881A151300018" {
		t.Errorf("model %q serial %q, want AT-x930-28GSTX and A04881A151300018", id.Model, id.Serial)
	}
	vs.column[entPhysicalEntry+".11"][0].text = "STACK0001"
	if got := vs.chassis(); got != "1" {
		t.Errorf("chassis row %q, want the stack row 1 when it names a serial", got)
	}
}

// TestProperName: a short description without a digit is a model only
// when a word of it names something.
func TestProperName(t *testing.T) {
	for s, want := range map[string]bool{
		"Peplink FusionHub": true, "Meraki MS": true, "Last Mile Gear CTM": true, "CXC": true, "ServerIron": true,
		"Switch": false, "Wireless Link": false, "FM Transmitter": false, "Network Management Card for UPS": false,
		"Viptela SNMP agent": false, "Mini-SNMP": false, "User input...": false, "Loop Telecom.": false,
		"Schleifenbauer": false, "our firewall": false, "Linux": false,
	} {
		if got := properName(s) != ""; got != want {
			t.Errorf("properName(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestGuessVersionsAndSerials: the subtree guess's shapes.
func TestGuessVersionsAndSerials(t *testing.T) {
	for _, c := range []struct {
		objects       []string
		kind          int
		want, because string
	}{
		{[]string{"2.4", "15.2.16"}, guessVersion, "15.2.16", "a two-number version is often the hardware's"},
		{[]string{"2.4"}, guessVersion, "2.4", "the only version"},
		{[]string{"4.9.00_b0016_Jan  8 2017"}, guessVersion, "4.9.00_b0016_Jan", "a build date follows"},
		{[]string{"Forcepoint NGFW version 6.10.10.26506"}, guessVersion, "6.10.10.26506", "the product names its version"},
		{[]string{"11250.00", "3600.000"}, guessVersion, "", "fan speeds"},
		{[]string{"R80.10", "1.80"}, guessVersion, "R80.10", "a release named by its shape comes first"},
		{[]string{"V100R002C01B104SP04"}, guessVersion, "V100R002C01B104SP04", "a VRP release"},
		{[]string{"R2D2"}, guessVersion, "", "a name, not a release"},
		{[]string{"Tempus LX CDMA 6010-0042-000 v 5.70 - Wed Oct 1 04:39:21 UTC 2014"}, guessVersion, "5.70", "a product's banner"},
		{[]string{"CS121 v 5.14.50"}, guessVersion, "5.14.50", "a product's banner"},
		{[]string{"10.45.125.89", "192.168.2.160", "2.4"}, guessVersion, "2.4", "private addresses, not versions"},
		{[]string{"1.2.0.14"}, guessVersion, "1.2.0.14", "a version in public address space"},
		{[]string{"v7.0.6,build0366,220606 (GA.F)"}, guessVersion, "v7.0.6,build0366,220606 (GA.F)", "version, build and date"},
		{[]string{"Acme-248D-FPOE v3.3.3,build4047,160219 (GA)"}, guessVersion, "v3.3.3,build4047,160219 (GA)", "the product's name before it"},
		{[]string{"Version 5.5 SG6000-M-2-5.5R3P7.bin 2017/11/08 15:33:42"}, guessVersion, "5.5", "a label, the version and an image"},
		{[]string{"Rev 2.44d"}, guessVersion, "2.44d", "a revision's label"},
		{[]string{"1.0.7, Mon, 04 Dec 2017 10:31:09"}, guessVersion, "1.0.7", "a date after a comma"},
		{[]string{"SFOS 17.5.5 MR-5"}, guessVersion, "17.5.5", "a system's short name and a tag"},
		{[]string{"PDU System v1.05 (SN 1113016920004)"}, guessVersion, "1.05", "a banner and a note in brackets"},
		{[]string{"DSM 7.1-42962"}, guessVersion, "7.1-42962", "a system's name, its version and build"},
		{[]string{"XC.qca955x.v8.5.1.37185.180307.0931"}, guessVersion, "8.5.1.37185.180307.0931", "an image's name"},
		{[]string{".v1.1.1-BETA2.00015.180314.0503"}, guessVersion, "1.1.1-BETA2.00015.180314.0503", "an image's name without its platform"},
		{[]string{"BaiCE_BM_2.5.26.2_NA"}, guessVersion, "2.5.26.2", "a product, a region"},
		{[]string{"PrimeKeyAppliance.3.4.3"}, guessVersion, "3.4.3", "a product and a dot"},
		{[]string{"SMU V500R001C10_02B19"}, guessVersion, "V500R001C10_02B19", "a product and a VRP release"},
		{[]string{"eth0.v1.2"}, guessVersion, "", "an interface, not an image"},
		{[]string{"14.1", "RUT2XX_R_00.01.07.1"}, guessVersion, "00.01.07.1", "a named version before a bare two-number one"},
		{[]string{"v6.0.11(GA), build285, 2022.03.28"}, guessVersion, "v6.0.11(GA), build285, 2022.03.28", "a dotted date"},
		{[]string{"1.18", "2.0.3.3542+685+35+11"}, guessVersion, "2.0.3.3542+685+35+11", "build metadata after a plus"},
		{[]string{"SW: L3E-09.1.03 CH: 1.04 BP: 101"}, guessVersion, "L3E-09.1.03", "a label, a software level and the version"},
		{[]string{"Rev 33.9"}, guessVersion, "", "a label before a reading"},
		{[]string{"PDU System v1.05 (SN 1113016920004)", "a-1"}, guessSerial, "1113016920004", "a serial a label names"},
		{[]string{"AC1234", "Box SN: 99887766"}, guessSerial, "AC1234", "a bare serial before a labelled one"},
		{[]string{"051608001610"}, guessSerial, "051608001610", "twelve decimal digits are a serial, not a MAC"},
		{[]string{"130128673"}, guessSerial, "130128673", "the digits sysDescr ends with"},
		{[]string{"16386292"}, guessSerial, "", "the build number sysDescr names"},
		{[]string{"AX12345"}, guessSerial, "", "a word of sysDescr: the product"},
		{[]string{"B8A44F02FE01"}, guessSerial, "", "a MAC address"},
		{[]string{"CN-0K804N-75162-2CH-0081-A03"}, guessSerial, "CN-0K804N-75162-2CH-0081-A03", "28 characters"},
		{[]string{"S9600-32X-R", "AAA0A0A00000A0"}, guessSerial, "AAA0A0A00000A0", "a hyphenated product number is not the serial"},
		{[]string{"EDS-G516E-T"}, guessSerial, "", "a hyphenated product number only"},
	} {
		vs := newValues("Acme AX12345 device 130128673 build 16386292")
		for _, o := range c.objects {
			vs.subtree = append(vs.subtree, value{text: o})
		}
		if got := vs.guess(c.kind); got != c.want {
			t.Errorf("guess(%d) of %q = %q, want %q: %s", c.kind, c.objects, got, c.want, c.because)
		}
	}
}

// TestGuessModel: the model guess takes a product number the serial
// guess only fell back on, and never a port's, sensor's or host's name.
func TestGuessModel(t *testing.T) {
	for _, c := range []struct {
		descr   string
		objects []string
		want    string
	}{
		{"Enlogic PDU", []string{"EN1814", "2.0.4.3"}, "EN1814"},
		{"Switch", []string{"GE8", "System Fan1", "01-Inlet Ambient", "512 MB"}, ""},
		{"Linux NTSCBOTNTP1 2.4.26-1 #0 Wed Aug 18 17:28:45 UTC 2004 i486", []string{"NTSCBOTNTP1"}, ""},
		{"Acme", []string{"E2NF3572D8XT"}, ""}, // a serial number's shape
		{"Linux NTS 2.4.26-1 #0 i486", []string{"Tempus LX CDMA 6010-0042-000 v 5.70 - Wed Oct 1 2014"}, "Tempus LX CDMA 6010-0042-000"},
		{"Acme", []string{"Temp1 Sensor", "Temperature2 Description"}, ""},
		{"Switch", []string{"EKI-7708G-4FP"}, "EKI-7708G-4FP"}, // hyphenated short groups: a product number
		{"Dell UPS Rack 3750W High Efficiency Online HV", []string{"Dell UPS Rack 3750W High Efficiency Online HV"}, "Dell UPS Rack 3750W High Efficiency Online HV"},
		{"Switch", []string{"Switch"}, ""},         // repeated, but names nothing
		{"Acme", []string{"FAZ-VMTM2201XXXX"}, ""}, // a prefix and a long run: a serial number
	} {
		vs := newValues(c.descr)
		for _, o := range c.objects {
			vs.subtree = append(vs.subtree, value{text: o})
		}
		if got := vs.guess(guessModel); got != c.want {
			t.Errorf("model guess of %q = %q, want %q", c.objects, got, c.want)
		}
	}
}

// TestNextEnterprise: when nothing answers under the agent's enterprise,
// the subtree probe keeps the objects of the enterprise its walk ran into
// next, but not agent software's, and only that one enterprise's.
func TestNextEnterprise(t *testing.T) {
	octets := func(oid, v string) gosnmp.SnmpPDU {
		return gosnmp.SnmpPDU{Name: "." + oid, Type: gosnmp.OctetString, Value: []byte(v)}
	}
	vs := newValues("Videoconferencing Device")
	vs.addSubtree([]string{"1.3.6.1.4.1.2684.1", "1.3.6.1.4.1.2684"}, []gosnmp.SnmpPDU{
		octets("1.3.6.1.4.1.8072.1.1.0", "net-snmp"),
		octets("1.3.6.1.4.1.13885.101.1.1.4.0", "StudioX50"),
		octets("1.3.6.1.4.1.13885.101.1.1.5.0", "12345678"),
		octets("1.3.6.1.4.1.20000.1.0", "other maker"),
	})
	if len(vs.subtree) != 2 || vs.subtree[0].text != "StudioX50" || !vs.behindAgent {
		t.Errorf("subtree %v (elsewhere %v), want the next enterprise's two objects", vs.subtree, vs.behindAgent)
	}
	vs = newValues("Acme")
	vs.addSubtree([]string{"1.3.6.1.4.1.9999"}, []gosnmp.SnmpPDU{
		octets("1.3.6.1.4.1.9999.1.0", "V1"), octets("1.3.6.1.4.1.13885.1.0", "not ours"),
	})
	if len(vs.subtree) != 1 || vs.behindAgent {
		t.Errorf("subtree %v (elsewhere %v), want only the agent's own object", vs.subtree, vs.behindAgent)
	}
}

// TestSubtreeScalarsFirst: the subtree probe's scalars come before its
// table cells, whatever the walk order.
func TestSubtreeScalarsFirst(t *testing.T) {
	vs := newValues("Switch")
	vs.addSubtree([]string{"1.3.6.1.4.1.10297"}, []gosnmp.SnmpPDU{
		{Name: ".1.3.6.1.4.1.10297.1.2.1", Type: gosnmp.OctetString, Value: []byte("3.280")},
		{Name: ".1.3.6.1.4.1.10297.100.1.4.0", Type: gosnmp.OctetString, Value: []byte("1.01.01")},
	})
	if got := vs.guess(guessVersion); got != "1.01.01" {
		t.Errorf("version guess %q, want the scalar's 1.01.01", got)
	}
}

// TestPrinterFromHostResources: a printer's model is its first
// HOST-RESOURCES device's description when that device is a printer.
func TestPrinterFromHostResources(t *testing.T) {
	sysOID, descr := "1.3.6.1.4.1.11.2.3.9.1", "HP ETHERNET MULTI-ENVIRONMENT,ROM none,JETDIRECT,JD149"
	vs := newValues(descr)
	vs.scalar[hrDeviceType1] = value{text: hrDevicePrinter}
	vs.scalar[hrDeviceDescr1] = value{text: "HP Color LaserJet flow MFP M880"}
	k := knowledge{rules: func(string, string) []*rule { return []*rule{&ruleTable[len(ruleTable)-1]} }} // entity-mib only
	if id := identify(sysOID, k.candidates(sysOID, descr), vs); id.Model != "Color LaserJet flow MFP M880" {
		t.Errorf("model %q, want Color LaserJet flow MFP M880", id.Model)
	}
}

// TestKernelPartVersion: "Linux <host> <release>" in a description is the
// kernel's version, which the generic firmware grammars read past.
func TestKernelPartVersion(t *testing.T) {
	d := "Silver Peak Systems, Inc. ECS Linux hostname 2.6.38.6-rc1 #1 VXOA 8.1.9.8_77260 SMP"
	vs := newValues(d)
	for _, s := range genericFirmware {
		if v := vs.read(s, ""); v != "" {
			if v != "8.1.9.8_77260" {
				t.Errorf("firmware %q from %q, want 8.1.9.8_77260", v, d)
			}
			return
		}
	}
	t.Errorf("no firmware from %q", d)
}

// TestFreeBSDBanner: a FreeBSD banner, also inside a derived system's,
// gives its architecture for the model, and a product grammar never
// takes the host's name.
func TestFreeBSDBanner(t *testing.T) {
	for descr, want := range map[string]string{
		"OPNsense OPNsense.7p.lan 18.1.1-a5575d7bd OPNsense FreeBSD 11.1-RELEASE-p6 amd64": "amd64",
		"pfSense localhost 2.4.5-RELEASE-p1 pfSense FreeBSD 11.3-STABLE amd64":             "amd64",
		"FreeBSD host 10.0-RELEASE-p11 FreeBSD 10.0-RELEASE-p11 #0: Mon Jan  8 2018":       "",
	} {
		const oid = "1.3.6.1.4.1.99999.1"
		vs := newValues(descr)
		var cands []*rule
		for i := range ruleTable {
			if r := &ruleTable[i]; r.family == "freebsd" {
				cands = append(cands, r)
			}
		}
		if len(cands) != 1 || !cands[0].descr.MatchString(descr) {
			t.Fatalf("the freebsd entry does not match %q", descr)
		}
		id := identify(oid, cands, vs)
		if id.Model != want {
			t.Errorf("%q: model %q, want %q", descr, id.Model, want)
		}
		if strings.HasPrefix(descr, "pfSense") && id.Firmware != "2.4.5-RELEASE-p1" {
			t.Errorf("%q: firmware %q, want pfSense's 2.4.5-RELEASE-p1", descr, id.Firmware)
		}
	}
	if got := productName("OPNsense OPNsense.7p.lan"); got != "" {
		t.Errorf("productName took %q, a host's name", got)
	}
}

// TestServerAgentOnOS: on an operating system's agent the HP Insight
// agents' product name and serial number are read and come before the
// OS banner's architecture.
func TestServerAgentOnOS(t *testing.T) {
	const oid = "1.3.6.1.4.1.311.1.1.3.1.3"
	descr := "Hardware: x86 Family 15 Model 2 Stepping 5 AT/AT COMPATIBLE - Software: Windows 2000 Version 5.0 (Build 2195 Multiprocessor Free)"
	cands := candidates(oid, descr)
	scalars, _ := reads(oid, cands, vendorOIDs())
	for _, want := range []string{"1.3.6.1.4.1.232.2.2.4.2.0", "1.3.6.1.4.1.232.2.2.2.1.0"} {
		if !slices.Contains(scalars, want) {
			t.Errorf("reads %v, want %s among them", scalars, want)
		}
	}
	vs := newValues(descr)
	vs.scalar["1.3.6.1.4.1.232.2.2.4.2.0"] = value{text: "ProLiant ML350 Gen6"}
	vs.scalar["1.3.6.1.4.1.232.2.2.2.1.0"] = value{text: "AB123456CD"}
	if id := identify(oid, cands, vs); id.Model != "ProLiant ML350 Gen6" || id.Serial != "AB123456CD" || id.Firmware != "2000" {
		t.Errorf("model %q serial %q firmware %q, want the ProLiant's and Windows 2000", id.Model, id.Serial, id.Firmware)
	}
	vs = newValues(descr)
	if id := identify(oid, cands, vs); id.Model != "Generic x86" {
		t.Errorf("model %q without HP's agent, want the architecture", id.Model)
	}
}
