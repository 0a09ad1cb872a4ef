package snmp

import (
	"cmp"
	"context"
	"net/netip"
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
		{[]string{"MA5603V800R018C10B085"}, guessVersion, "MA5603V800R018C10B085", "a VRP release after its product's code"},
		{[]string{"GMC.ipq5018.v3.4.0.cd580eac.241001.1122"}, guessVersion, "3.4.0.cd580eac.241001.1122", "an image's name with its commit"},
		{[]string{"RLS-02.04.02.0052"}, guessVersion, "02.04.02.0052", "a product's short name and its release"},
		{[]string{"ROS_6.2.0_20200614"}, guessVersion, "6.2.0", "a system's short name, its release and date"},
		{[]string{"EX-H12"}, guessVersion, "", "a part's name, not a release"},
		{[]string{"G2-6KL", "VERFW:01428.1400"}, guessVersion, "01428.1400", "a firmware version's label run together"},
		{[]string{"dhcp/192.168.1.100/255.255.255.0", "s4.82-091002-1cb24s"}, guessVersion, "s4.82-091002-1cb24s", "a letter before the version"},
		{[]string{"ab4.82"}, guessVersion, "", "two letters: a name"},
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
		{[]string{"1.0", "be.IP plus", "V.10.2.9.102 IPv6, IPSec, PBX from 2021/03/16 00:00:00"}, guessVersion, "10.2.9.102", "a version opening a text before a bare two-number one"},
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
	// sysName is refused, but for the group's first object: a camera
	// names itself after its model ("SNO-7084R", then its video
	// standard "PAL"); later on it is a name the user gave.
	for _, c := range []struct {
		objects []string
		want    string
	}{
		{[]string{"SNO-7084R", "3.00_140915", "PAL"}, "SNO-7084R"},
		{[]string{"Acme Corp", "SNO-7084R", "EN1814"}, "EN1814"},
	} {
		vs := newValues("SAMSUNG iPolis H.264 Premium Level IP Camera")
		vs.sysName = "SNO-7084R"
		for _, o := range c.objects {
			vs.subtree = append(vs.subtree, value{text: o})
		}
		if got := vs.guess(guessModel); got != c.want {
			t.Errorf("model guess of %q beside sysName SNO-7084R = %q, want %q", c.objects, got, c.want)
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

// TestOtherDeviceFromHostResources: an appliance whose first
// HOST-RESOURCES device is of type other names its model there when it
// is shaped like one; a processor's description never is.
func TestOtherDeviceFromHostResources(t *testing.T) {
	sysOID, descr := "1.3.6.1.4.1.1248.1.1.2.1.3", "EPSON 10/100/1000 Ethernet USB Ext. Scan Server"
	k := knowledge{rules: func(string, string) []*rule { return []*rule{&ruleTable[len(ruleTable)-1]} }} // entity-mib only
	for _, c := range []struct{ typ, descr, want string }{
		{hrDeviceOther, "DS-860", "DS-860"},
		{hrDeviceOther, "network interface", ""},
		{"1.3.6.1.2.1.25.3.1.3", "DS-860", ""}, // a processor's row
	} {
		vs := newValues(descr)
		vs.scalar[hrDeviceType1] = value{text: c.typ}
		vs.scalar[hrDeviceDescr1] = value{text: c.descr}
		if id := identify(sysOID, k.candidates(sysOID, descr), vs); id.Model != c.want {
			t.Errorf("%s %q: model %q, want %q", c.typ, c.descr, id.Model, c.want)
		}
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

// TestIdentityGroupModel: the identity group's model comes before the
// generic sysDescr grammars and Recog (a management card's name in
// sysDescr, the device's in its MIB), takes the scalar sysDescr names
// over a serial before it, skips a processor's name and stops at the
// group's end (sensor names further on).
func TestIdentityGroupModel(t *testing.T) {
	for _, c := range []struct {
		descr   string
		scalars []string
		cells   []string
		want    string
	}{
		{"APC Web/SNMP Management Card (MB:v3.9.2 PF:v3.7.3 PN:apc_hw02_aos_373.bin AF1:v3.7.2 AN1:apc_hw02_sumx_372.bin MN:AP9619 HR:A10 SN: ZA0000000000 MD:01/01/2008)",
			[]string{"Smart-UPS 750", "UPS_IDEN", "651.12.I"}, nil, "Smart-UPS 750"},
		{"DELL     MD38xxi          0123", []string{"ABCD123", "MD38xxi"}, nil, "MD38xxi"},
		{"Integrated Lights-Out 6 1.54 Nov 15 2023", []string{"1.54", "Intel(R) Xeon(R) Gold 6426Y", "ProLiant DL380 Gen11"}, nil, "ProLiant DL380 Gen11"},
		{"VSP-9012 (4.1.4.1) (GA)", []string{"LBNNTMRJ0003NP"}, nil, "VSP-9012"}, // a serial number's run of letters, not the model
		{"Room Alert 12E v3.3.0", []string{"3.3.0", "1", "2", "3", "Switch Sen 1"}, []string{"Switch Sen 2"}, "Room Alert 12E"},
		{"RNX UPDU RN3214 (UPDU-Right), SW 1.2.3", []string{"Module 1"}, nil, "RN3214"}, // a numbered part
	} {
		vs := newValues(c.descr)
		for _, s := range c.scalars {
			vs.subtree = append(vs.subtree, value{text: s})
		}
		vs.subtreeScalars = len(c.scalars)
		for _, s := range c.cells {
			vs.subtree = append(vs.subtree, value{text: s})
		}
		id := identify("1.3.6.1.4.1.99999.1", candidates("1.3.6.1.4.1.99999.1", c.descr), vs)
		if id.Model != c.want {
			t.Errorf("%.30q: model %q, want %q", c.descr, id.Model, c.want)
		}
	}
}

// TestGeneration: a bare number between a product's name and a dotted
// version in sysDescr is the product's generation, not its firmware.
func TestGeneration(t *testing.T) {
	for _, c := range []struct {
		descr, n string
		want     bool
	}{
		{"Integrated Lights-Out 4 2.50 Sep 23 2016", "4", true},
		{"Integrated Lights-Out 4", "4", false},
		{"Acme OS 4 build 12", "4", false},
		{"4 2.50", "4", false},
	} {
		if got := generation(c.descr, c.n); got != c.want {
			t.Errorf("generation(%q, %q) = %v, want %v", c.descr, c.n, got, c.want)
		}
	}
}

// TestSpelledOut: a maker's model code gives way to the product name the
// agent's own banner spells it out as, and only to that.
func TestSpelledOut(t *testing.T) {
	for _, c := range []struct {
		model string
		texts []string
		want  string
	}{
		{"FGT_501E", []string{"FortiGate-501E v5.6.4,build1575b1575,180425 (GA)"}, "FortiGate-501E"},
		{"FGR_60F_3G4G", []string{"", "FortiGateRugged-60F-3G4G v6.4.8,build1914,211117 (GA)"}, "FortiGateRugged-60F-3G4G"},
		{"FGT_501E", []string{"FortiGate-500E v5.6.4,build1575"}, ""}, // another model
		{"FGT_VM64", []string{"v6.4.12,build2060,230221 (GA.M)"}, ""}, // no name to spell it
		{"AS7712-32X", []string{"Edgecore-AS7712-32X v1.0"}, ""},      // not a code
	} {
		if got := spelledOut(c.model, c.texts...); got != c.want {
			t.Errorf("spelledOut(%q, %q) = %q, want %q", c.model, c.texts, got, c.want)
		}
	}
}

// TestHyphenatedPart: hyphen-joined groups of up to ten characters are a
// product number; a prefix and a run of twelve a serial number.
func TestHyphenatedPart(t *testing.T) {
	for s, want := range map[string]bool{
		"EKI-7708G-4FP": true, "DS-2CD2185FWD-I": true, "CW-24V2C458C1": true, "ICT200DB-12IRC": true,
		"FAZ-VMTM2201XXXX": false, "FAC-VM0A12345678": false, "8WM8ST3": false, "A--B": false,
	} {
		if got := hyphenatedPart(s); got != want {
			t.Errorf("hyphenatedPart(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestLongProductNames: a long hyphen-joined product name is a model, a
// hash, an identifier or a place and a number is not; a product banner's
// build after a comma leaves the product and the release (Fortinet's
// whole, as its own objects and FortiGate's truth in setC give it).
func TestLongProductNames(t *testing.T) {
	for s, want := range map[string]bool{
		"FortiSwitch-424E-Fiber": true, "FortiGateRugged-60F-3G4G": true, "VS5704-1x32-Telnevia": true,
		"vThunder3ac80f21f3ad31e1": false, "c0ed2a63-117c-6741-11d9da218714": false, "TamTechRoom-7705": false,
		"256QAM": false, "QPSK": false, // a radio's modulation
	} {
		if got := modelLike(s); got != want {
			t.Errorf("modelLike(%q) = %v, want %v", s, got, want)
		}
	}
	vs := newValues("")
	vs.subtree = []value{{text: "FortiSwitch-248D-FPOE v3.3.3,build4047,160219 (GA)"}}
	if m, v := vs.guess(guessModel), vs.guess(guessVersion); m != "FortiSwitch-248D-FPOE" || v != "v3.3.3,build4047,160219 (GA)" {
		t.Errorf("banner guesses: model %q version %q, want FortiSwitch-248D-FPOE and Fortinet's whole release, v3.3.3,build4047,160219 (GA)", m, v)
	}
}

// TestRevisionSuffix: a product number and its hardware revision give
// the product number; a version alone or a reading gives nothing.
func TestRevisionSuffix(t *testing.T) {
	for obj, want := range map[string]string{"T2600G-28TS 3.0": "T2600G-28TS", "3.0": "", "PSU1 12.5": ""} {
		vs := newValues("JetStream 24-Port Gigabit L2 Managed Switch with 4 SFP Slots")
		vs.subtree = []value{{text: obj}}
		if got := vs.guess(guessModel); got != want {
			t.Errorf("model guess of %q = %q, want %q", obj, got, want)
		}
	}
}

// TestChassisDescrBeforeGrammars: the chassis row's description names
// the product before sysDescr's grammars do, unless it repeats sysDescr.
func TestChassisDescrBeforeGrammars(t *testing.T) {
	for _, c := range []struct{ descr, chassis, want string }{
		{"OmniStack LS 6200", "OmniStack LS 6224P", "OmniStack LS 6224P"},
		{"S3290-42 GigaBit Ethernet Switch", "S3290-42 GigaBit Ethernet Switch", "S3290-42"},
	} {
		vs := newValues(c.descr)
		for col, v := range map[int]string{entColClass: entClassChassis, entColContainedIn: "0", entColDescr: c.chassis} {
			vs.column[entPhysicalEntry+"."+strconv.Itoa(col)] = []row{{index: "1", value: value{text: v}}}
		}
		id := identify("1.3.6.1.4.1.99999.1", candidates("1.3.6.1.4.1.99999.1", c.descr), vs)
		if id.Model != c.want {
			t.Errorf("sysDescr %q, chassis %q: model %q, want %q", c.descr, c.chassis, id.Model, c.want)
		}
	}
}

// TestHearsayModelProbes: a model read from sysDescr's words sends
// identity to the vendor MIB even when every field is set, and the MIB's
// identity group names the device (the UPS behind a management card).
func TestHearsayModelProbes(t *testing.T) {
	rec := strings.Join([]string{
		"1.3.6.1.2.1.1.1.0|4|Acme Network Management Card (MB:v3.9.2 PF:v3.7.3 MN:AC9619 SN: ZA0000000001)",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1.1",
		"1.3.6.1.2.1.1.5.0|4|ups1",
		"1.3.6.1.4.1.99999.1.1.1.1.0|4|Acme-UPS 1500 RM",
		"1.3.6.1.4.1.99999.1.1.1.2.0|4|617.3.I",
		"1.3.6.1.4.1.99999.1.1.2.1.1.1|4|Output 1",
	}, "\n") + "\n"
	r := recordingOf(t, rec)
	o, err := newPoller(Config{}, nil, r.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Model != "Acme-UPS 1500 RM" || o.Serial != "ZA0000000001" || o.Firmware == "" {
		t.Errorf("model %q firmware %q serial %q, want the UPS's model, the card's firmware and serial", o.Model, o.Firmware, o.Serial)
	}
}

// TestFullCode: a maker's model code gives way to the vendor MIB's part
// number that starts with its model part, and only to that.
func TestFullCode(t *testing.T) {
	vs := newValues("Hardware Model:UFI_S9600-32X, Software version: OcNOS,6.0.1.11")
	vs.subtree = []value{{text: "S9600-32X"}, {text: "S9600-32XR"}, {text: "S9600-32X-R"}}
	if got := vs.fullCode("UFI_S9600-32X"); got != "S9600-32X-R" {
		t.Errorf("fullCode = %q, want S9600-32X-R", got)
	}
	vs.subtree = append(vs.subtree, value{text: "7712-32X-O-AC-F"})
	if got := vs.fullCode("EC_AS7712-32X"); got != "7712-32X-O-AC-F" {
		t.Errorf("fullCode = %q, want 7712-32X-O-AC-F (the code without the platform's letters)", got)
	}
	if got := vs.fullCode("S9600-32X"); got != "" {
		t.Errorf("fullCode of a model that is no code = %q, want none", got)
	}
}

// TestFingerprintProductLine: a fingerprint's model without a digit (a
// product line) yields to the vendor MIB's part number, and still names
// the device when the MIB holds none.
func TestFingerprintProductLine(t *testing.T) {
	for _, c := range []struct {
		cells []string
		want  string
	}{
		{[]string{"Tower A", "CW-24V2C458C1"}, "CW-24V2C458C1"},
		{nil, "Sentry Switched CDU"},
	} {
		vs := newValues("Sentry Switched CDU")
		for _, s := range c.cells {
			vs.subtree = append(vs.subtree, value{text: s})
		}
		id := identify("1.3.6.1.4.1.1718.3", candidates("1.3.6.1.4.1.1718.3", vs.descr), vs)
		if id.Model != c.want {
			t.Errorf("subtree %q: model %q, want %q", c.cells, id.Model, c.want)
		}
	}
}

// TestNamedIdentity: a product's name without a number in the identity
// group names the device when nothing else does, before a Linux
// banner's architecture; the host's name, a state, a site's label or
// noise never do.
func TestNamedIdentity(t *testing.T) {
	for _, c := range []struct {
		descr   string
		scalars []string
		want    string
	}{
		{"Linux bigip1.lab 2.6.32-279.19.1.el6.f5.x86_64 #1 SMP Wed Mar 12 15:01:03 PDT 2014 x86_64", []string{"BIG-IP Virtual Edition"}, "BIG-IP Virtual Edition"},
		{"Linux ABB-acd364-201f0a 6.6.0-qno #1 Fri Dec 20 10:36:54 UTC 2024 armv5tejl", []string{"ABB", "PowerScale"}, "PowerScale"},
		{"Linux gw 4.4.0 #1 SMP Tue Oct 1 11:03:45 UTC 2024 x86_64", []string{"On Hook", "GOLF CLUB", "f X", "Intake Temp"}, "Generic x86 64-bit"},
	} {
		vs := newValues(c.descr)
		for _, s := range c.scalars {
			vs.subtree = append(vs.subtree, value{text: s})
		}
		vs.subtreeScalars = len(c.scalars)
		sysOID := "1.3.6.1.4.1.99999.1"
		id := identify(sysOID, candidates(sysOID, c.descr), vs)
		if id.Model != c.want {
			t.Errorf("%q: model %q, want %q", c.scalars, id.Model, c.want)
		}
	}
}

// TestModelNotAddressOrOutlet: a name with a MAC address in it, or an
// outlet's, is no model.
func TestModelNotAddressOrOutlet(t *testing.T) {
	for _, s := range []string{"CMM4 0a-00-3e-e8-12-20", "OUTLET1", "AP 00:11:22:33:44:55"} {
		if modelLike(s) {
			t.Errorf("modelLike(%q) = true, want false", s)
		}
	}
}

// TestMIBIdentifierAfterGuess: a product table name that is a MIB
// identifier yields to the vendor MIB's part number.
func TestMIBIdentifierAfterGuess(t *testing.T) {
	for s, want := range map[string]string{"ciscoUCSC220M4": "", "fgt501E": "", "DCS-7050S-52": "DCS-7050S-52", "FortiGate": "FortiGate"} {
		if got := notIdentifier(s); got != want {
			t.Errorf("notIdentifier(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestNotOrderNumber: an order number or an "ABC 123 456/1" product
// number gives way to the chassis row's description.
func TestNotOrderNumber(t *testing.T) {
	for s, want := range map[string]string{"186-2003-901": "", "BFL 510 110/1": "", "BFD 599 031/2": "", "DCS-7050S-52": "DCS-7050S-52", "JL635A": "JL635A"} {
		if got := notOrderNumber(s); got != want {
			t.Errorf("notOrderNumber(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestDescribedPart: a part number and what it comes with, or a
// product's options and its part number after a dash, give the part
// number; a fan's speed is no model.
func TestDescribedPart(t *testing.T) {
	for obj, want := range map[string]string{
		"ACS6048 with auxiliary port and dual power supply": "ACS6048",
		"RW5000/HSU/5550/F58/FCC/SFF/INT/23 - RW-5550-0H50": "RW-5550-0H50",
		"9600RPM": "",
	} {
		vs := newValues("Wireless Link")
		vs.subtree = []value{{text: obj}}
		if got := vs.guess(guessModel); got != want {
			t.Errorf("model guess of %q = %q, want %q", obj, got, want)
		}
	}
}

// TestLowerCaseBanner: a product banner whose name starts in lower case
// names the model after the maker's object ("AKCP").
func TestLowerCaseBanner(t *testing.T) {
	vs := newValues("SensorProbe")
	vs.subtree = []value{{text: "AKCP"}, {text: "sensorProbe8 v2.0"}}
	vs.subtreeScalars = 2
	if m := vs.guess(guessScalarModel); m != "sensorProbe8" {
		t.Errorf("identity group model %q, want sensorProbe8", m)
	}
}

// TestSubtreeOnce: the product's branch and the enterprise's root walk
// over the same objects; each is kept once, so the identity group holds
// four distinct objects.
func TestSubtreeOnce(t *testing.T) {
	octets := func(oid, v string) gosnmp.SnmpPDU {
		return gosnmp.SnmpPDU{Name: "." + oid, Type: gosnmp.OctetString, Value: []byte(v)}
	}
	vs := newValues("ELTEK Power System")
	vs.addSubtree([]string{"1.3.6.1.4.1.12148.10", "1.3.6.1.4.1.12148"}, []gosnmp.SnmpPDU{
		octets("1.3.6.1.4.1.12148.10.2.4.0", "<private>"), octets("1.3.6.1.4.1.12148.10.2.4.0", "<private>"),
		octets("1.3.6.1.4.1.12148.10.2.5.0", "<private>"), octets("1.3.6.1.4.1.12148.10.2.5.0", "<private>"),
		octets("1.3.6.1.4.1.12148.10.2.6.0", "Micropack System"), octets("1.3.6.1.4.1.12148.10.2.6.0", "Micropack System"),
	})
	if len(vs.subtree) != 3 || vs.subtreeScalars != 3 {
		t.Errorf("subtree %v (%d scalars), want the three objects once", vs.subtree, vs.subtreeScalars)
	}
	if got := vs.namedIdentity(); got != "Micropack System" {
		t.Errorf("named identity %q, want Micropack System", got)
	}
}

// TestIdentityGroupOpensDescr: the identity group's product name that
// sysDescr opens with is the model, many words or digits as it has; a
// version, a single word or a name sysDescr does not open with is not.
func TestIdentityGroupOpensDescr(t *testing.T) {
	for _, c := range []struct {
		descr string
		group []string
		want  string
	}{
		{"DualSwitch 1000 BM+ I af Desk 2SFP SECURE/SNMP/TELNET/WEB/V3.59", []string{"DualSwitch 1000 BM+ I af Desk 2SFP", "88303905"}, "DualSwitch 1000 BM+ I af Desk 2SFP"},
		{"", []string{"ML-60-30-18", "1.1.9-9791-1b3b6d8c"}, "ML-60-30-18"},
		{"", []string{"G0290"}, ""},                                              // a short serial number's shape as often
		{"6.2.1 build 77 for the lab", []string{"6.2.1 build 77"}, ""},           // a version
		{"Acme Box 12 running 3.1", []string{"Acme Box 12 in rack B row 4"}, ""}, // not what sysDescr opens with
	} {
		vs := newValues(c.descr)
		for _, g := range c.group {
			vs.subtree = append(vs.subtree, value{text: g})
		}
		vs.subtreeScalars = len(c.group)
		if got := vs.identityModel(); got != c.want {
			t.Errorf("identityModel(%q, %q) = %q, want %q", c.descr, c.group, got, c.want)
		}
	}
}

// TestNamedIdentityNotSensorOrAgent: a name without a number among
// readings is a sensor's place, and one another object gives a version
// after is the agent software's: neither is the model; a product's name
// in the identity group still is.
func TestNamedIdentityNotSensorOrAgent(t *testing.T) {
	for _, c := range []struct {
		group []string
		want  string
	}{
		{[]string{"sensor", "Sec Colo", "20.4", "OPEN"}, ""},
		{[]string{"OMI SNMP V4.00", "OMI", "341"}, ""},
		{[]string{"<private>", "<private>", "Micropack System", "<private>"}, "Micropack System"},
		{[]string{"PowerScale", "2.6"}, "PowerScale"},
	} {
		vs := newValues("")
		for _, g := range c.group {
			vs.subtree = append(vs.subtree, value{text: g})
		}
		vs.subtreeScalars = len(c.group)
		if got := vs.namedIdentity(); got != c.want {
			t.Errorf("namedIdentity(%q) = %q, want %q", c.group, got, c.want)
		}
	}
}

// TestMakerModel: among the maker's objects, a numbered product named
// after the maker is the model; a sensor, a version or the maker's bare
// name is not.
func TestMakerModel(t *testing.T) {
	const checkPoint = "1.3.6.1.4.1.2620.1.6.123.1.49"
	for _, c := range []struct {
		objects []string
		want    string
	}{
		{[]string{"R80.10", "CPU Temp", "54.50", "VBAT3", "3.06", "2000AB4000", "Check Point 3200"}, "Check Point 3200"},
		{[]string{"Check Point", "Check Point R80.10", "Check 12.5"}, ""},
		{[]string{"VCC 12V", "Intake Temp"}, ""},
	} {
		vs := newValues("Linux hostname 2.6.18-92cpx86_64 #1 SMP Tue Sep 20 14:57:58 IDT 2016 x86_64")
		vs.sysOID = checkPoint
		for _, o := range c.objects {
			vs.subtree = append(vs.subtree, value{text: o})
		}
		if got := vs.makerModel(); got != c.want {
			t.Errorf("makerModel(%q) = %q, want %q", c.objects, got, c.want)
		}
	}
}

// TestChassisNameInDescr: the chassis row's name is the model when
// sysDescr names the same product, before a guess among the maker's
// first objects; a name sysDescr does not hold comes after the guess.
func TestChassisNameInDescr(t *testing.T) {
	const huawei = "1.3.6.1.4.1.2011.2.224.62"
	for _, c := range []struct{ descr, want string }{
		{"Huawei AR169F Huawei Versatile Routing Platform Software", "AR169F"},
		{"Huawei Versatile Routing Platform Software", "XYZ-100"},
	} {
		vs := newValues(c.descr)
		col := func(n int) string { return entPhysicalEntry + "." + strconv.Itoa(n) }
		vs.addRows([]string{col(entColClass), col(entColName), col(entColContainedIn)}, []gosnmp.SnmpPDU{
			{Name: col(entColClass) + ".3", Type: gosnmp.Integer, Value: 3},
			{Name: col(entColContainedIn) + ".3", Type: gosnmp.Integer, Value: 0},
			octets(col(entColName)+".3", "AR169F"),
		})
		vs.subtree, vs.subtreeScalars = []value{{text: "XYZ-100"}}, 1
		if id := identify(huawei, candidates(huawei, c.descr), vs); id.Model != c.want {
			t.Errorf("%q: model %q, want %q", c.descr, id.Model, c.want)
		}
	}
}

// TestSerialBesideModel: the serial number is the object beside the one
// that names the model, in its row or group, before a management card's
// serial the maker's MIB lists first; five characters will do there, a
// code that opens with the model's name will not, nor a round number
// (a reading: a frequency in kHz, a memory's or a disk's bytes).
func TestSerialBesideModel(t *testing.T) {
	octets := func(oid, v string) gosnmp.SnmpPDU {
		return gosnmp.SnmpPDU{Name: ".1.3.6.1.4.1.1718." + oid, Type: gosnmp.OctetString, Value: []byte(v)}
	}
	gauge := func(oid string, v uint) gosnmp.SnmpPDU {
		return gosnmp.SnmpPDU{Name: ".1.3.6.1.4.1.1718." + oid, Type: gosnmp.Gauge32, Value: v}
	}
	const sysOID = "1.3.6.1.4.1.1718.3"
	for _, c := range []struct {
		name string
		vars []gosnmp.SnmpPDU
		want string
	}{
		{"the row's serial before the model", []gosnmp.SnmpPDU{octets("3.1.1.0", "Smart CDU Version 7.1f"), octets("3.1.2.0", "8025492"),
			octets("3.2.1.1.3.1", "TowerA"), octets("3.2.1.1.6.1", "KAXV1234567"), octets("3.2.1.1.7.1", "CS-24V4-P32MA"), octets("3.2.1.1.8.1", "P")}, "KAXV1234567"},
		{"five characters after the model", []gosnmp.SnmpPDU{octets("3.1.2.0", "Acme CS-24V4-P32MA Router"), octets("3.1.3.0", "F8223")}, "F8223"},
		{"no order code", []gosnmp.SnmpPDU{octets("3.1.1.0", "1115481520"), octets("3.1.2.0", "CS-24V4-P32MA"), octets("3.1.3.0", "CS-24V4-P32MA002XXX")}, "1115481520"},
		{"five characters away from the model are no serial", []gosnmp.SnmpPDU{octets("3.1.1.0", "F8223"), octets("3.1.3.0", "U"), octets("3.1.5.0", "CS-24V4-P32MA")}, ""},
		{"five characters without a letter are no serial", []gosnmp.SnmpPDU{octets("3.1.2.0", "CS-24V4-P32MA"), octets("3.1.3.0", "02-02")}, ""},
		{"a number beside the model", []gosnmp.SnmpPDU{octets("3.1.1.0", "CS-24V4-P32MA"),
			{Name: ".1.3.6.1.4.1.1718.3.1.2.0", Type: gosnmp.Gauge32, Value: uint(1801456327)}, octets("3.1.3.0", "U")}, "1801456327"},
		{"a serial and its revision's letter", []gosnmp.SnmpPDU{octets("3.1.2.0", "CS-24V4-P32MA"), octets("3.1.3.0", "YD17190028  A")}, "YD17190028 A"},
		{"a short number beside the model", []gosnmp.SnmpPDU{octets("3.1.1.0", "CS-24V4-P32MA"), {Name: ".1.3.6.1.4.1.1718.3.1.2.0", Type: gosnmp.Integer, Value: 35}}, ""},
		{"a frequency in kHz beside the model", []gosnmp.SnmpPDU{octets("3.1.1.0", "CS-24V4-P32MA"), gauge("3.1.2.0", 5180000)}, ""},
		{"a counter's maximum beside the model", []gosnmp.SnmpPDU{octets("3.1.1.0", "CS-24V4-P32MA"), gauge("3.1.2.0", 1<<31-1)}, ""},
		{"a memory's bytes beside the model", []gosnmp.SnmpPDU{octets("3.1.1.0", "CS-24V4-P32MA"), gauge("3.1.2.0", 16777216)}, ""},
		{"a disk's bytes beside the model", []gosnmp.SnmpPDU{octets("3.1.1.0", "CS-24V4-P32MA"), gauge("3.1.2.0", 3221225472)}, ""},
		{"a number before the model", []gosnmp.SnmpPDU{gauge("3.1.1.0", 3525618), octets("3.1.2.0", "CS-24V4-P32MA")}, "3525618"},
	} {
		vs := newValues("Smart CDU")
		vs.addSubtree([]string{sysOID, "1.3.6.1.4.1.1718"}, c.vars)
		vs.model = "CS-24V4-P32MA"
		got := cmp.Or(vs.guess(guessBesideModel), vs.guess(guessSerial))
		if got != c.want {
			t.Errorf("%s: serial %q, want %q", c.name, got, c.want)
		}
	}
}

// TestSelfIndexedNotIdentity: a table cell whose row index spells its
// own text lists another device by name (an OLT's ONUs): neither the
// model nor the serial guess takes it.
func TestSelfIndexedNotIdentity(t *testing.T) {
	vs := newValues("EdgeOS v4.4.2")
	vs.addSubtree([]string{"1.3.6.1.4.1.41112"}, []gosnmp.SnmpPDU{
		{Name: ".1.3.6.1.4.1.41112.1.5.6.2.1.1.12.85.66.78.84.50.48.55.51.49.56.56.56", Type: gosnmp.OctetString, Value: []byte("UBNT20731888")},
		{Name: ".1.3.6.1.4.1.41112.1.5.6.2.1.2.1", Type: gosnmp.OctetString, Value: []byte("UBNT20731889")},
	})
	if got := vs.guess(guessSerial); got != "UBNT20731889" {
		t.Errorf("serial guess %q, want the row not named by its value (UBNT20731889)", got)
	}
	if !selfIndexed("1.3.6.1.4.1.9.1.3.65.66.67", []byte("ABC")) || selfIndexed("1.3.6.1.4.1.9.1.3.65.66.68", []byte("ABC")) {
		t.Error("selfIndexed: want the index spelling ABC, not another")
	}
}

// TestDeeperSerialBesideModel: after the continuation, the serial beside
// the model the deeper objects name replaces the first objects' guess
// (Check Point's serial beside "Check Point 3200", where the first probe
// met a disk's size); one beside the model found first stays.
func TestDeeperSerialBesideModel(t *testing.T) {
	first := identity{Serial: "33283751936"}
	if got := first.fillFrom(identity{Model: "Check Point 3200", Serial: "2000AB4000", besideSerial: true}); got.Serial != "2000AB4000" {
		t.Errorf("serial %q, want the deeper one beside the model, 2000AB4000", got.Serial)
	}
	if got := first.fillFrom(identity{Serial: "2000AB4000"}); got.Serial != "33283751936" {
		t.Errorf("serial %q, want the first guess kept against a plain deeper guess", got.Serial)
	}
	first.besideSerial = true
	if got := first.fillFrom(identity{Serial: "2000AB4000", besideSerial: true}); got.Serial != "33283751936" {
		t.Errorf("serial %q, want the first serial beside the model kept", got.Serial)
	}
}

// TestNoModelFromStorageLists: in the enterprise the walk ran into next,
// a list's entries (a storage array's LUNs) and a pool's numbered name
// are no model.
func TestNoModelFromStorageLists(t *testing.T) {
	octets := func(oid, v string) gosnmp.SnmpPDU {
		return gosnmp.SnmpPDU{Name: ".1.3.6.1.4.1.34774." + oid, Type: gosnmp.OctetString, Value: []byte(v)}
	}
	vs := newValues("ISM SNMP Agent")
	vs.addSubtree([]string{"1.3.6.1.4.1.2011.2.91", "1.3.6.1.4.1.2011"}, []gosnmp.SnmpPDU{
		octets("4.1.1.1.0", "2102351NSB10K1000012"), octets("4.1.23.4.2.1.2.1.49", "Pool-1"),
		octets("4.1.23.4.8.1.2.1.48", "LUN-03"), octets("4.1.23.4.8.1.2.1.49", "LUN-01"),
	})
	if !vs.behindAgent || len(vs.subtree) != 4 {
		t.Fatalf("subtree %v, want the next enterprise's four objects", vs.subtree)
	}
	if got := vs.guess(guessModel); got != "" {
		t.Errorf("model guess %q, want none from a pool's name or a list of LUNs", got)
	}
}

// TestSerialNotShortGroups: hyphen-joined groups of at most three
// characters are a code (a model, its revision and build), not a serial;
// a serial in longer groups stays.
func TestSerialNotShortGroups(t *testing.T) {
	for _, c := range []struct{ text, want string }{{"330-2-C1", ""}, {"2935-3BAB-7549", "2935-3BAB-7549"}} {
		vs := newValues("Firewall")
		vs.addSubtree([]string{"1.3.6.1.4.1.47565"}, []gosnmp.SnmpPDU{{Name: ".1.3.6.1.4.1.47565.1.1.1.19.9.0", Type: gosnmp.OctetString, Value: []byte(c.text)}})
		if got := vs.guess(guessSerial); got != c.want {
			t.Errorf("serial guess of %q: %q, want %q", c.text, got, c.want)
		}
	}
}

// TestGuessTaggedFirmware: an identity scalar in the maker's own shape
// that names its firmware or build is the version guess's last resort,
// taken whole; a table cell, a date's build or a bare version elsewhere
// is not taken for it.
func TestGuessTaggedFirmware(t *testing.T) {
	for _, c := range []struct {
		scalars, cells []string
		want           string
	}{
		{[]string{"F2_1 1", "DKT_F2_Firmware_v05_29"}, nil, "DKT_F2_Firmware_v05_29"},
		{[]string{"B8.35Build03"}, nil, "B8.35Build03"},
		{[]string{"3303302", "PT3080", "SWPTTDVBTT2_P3_1_02_157 build 1441109757"}, nil, "SWPTTDVBTT2_P3_1_02_157 build 1441109757"},
		{[]string{"DKT_F2_Firmware_v05_29"}, []string{"2.0.4.3"}, "2.0.4.3"}, // a version's own shape comes first
		{nil, []string{"DKT_F2_Firmware_v05_29"}, ""},                        // a table's cell: a part's
		{[]string{"Build date Jan 2020"}, nil, ""},
	} {
		vs := newValues("Acme")
		for _, o := range c.scalars {
			vs.subtree = append(vs.subtree, value{text: o})
		}
		vs.subtreeScalars = len(c.scalars)
		for _, o := range c.cells {
			vs.subtree = append(vs.subtree, value{text: o})
		}
		if got := vs.guess(guessVersion); got != c.want {
			t.Errorf("scalars %q, cells %q: version %q, want %q", c.scalars, c.cells, got, c.want)
		}
	}
}

// TestGroupVersion: the identity group's one-word object beside the model
// and serial found is the firmware; a unit's code, a reading, an
// identifier's digits and a group that holds neither the model nor the
// serial give none.
func TestGroupVersion(t *testing.T) {
	for _, c := range []struct {
		group               []string
		model, serial, want string
	}{
		{[]string{"Scalar i6000", "800Q.GS25700", "263102381"}, "Scalar i6000", "263102381", "800Q.GS25700"},
		{[]string{"G20", "011300", "E2000861"}, "", "E2000861", "011300"},
		{[]string{"VS5782", "257800162401710412", "rev2125"}, "VS5782", "257800162401710412", "rev2125"},
		{[]string{"AS5812", "9600RPM"}, "AS5812", "", ""},
		{[]string{"ClickShare", "1874830543"}, "ClickShare", "", ""},
		{[]string{"amplifier28", "Host Controller"}, "Host Controller", "", ""},
		{[]string{"Acme 100", "2950"}, "Other 200", "", ""},
	} {
		vs := newValues("Acme")
		for _, o := range c.group {
			vs.subtree = append(vs.subtree, value{text: o})
		}
		vs.subtreeScalars = len(c.group)
		if got := vs.groupVersion(c.model, c.serial); got != c.want {
			t.Errorf("group %q, model %q, serial %q: firmware %q, want %q", c.group, c.model, c.serial, got, c.want)
		}
	}
}
