package snmp

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tend/internal/lazyre"
	"tend/inventory"
)

// Frequently read objects, named for the table below.
const (
	hrDeviceDescr1   = "1.3.6.1.2.1.25.3.2.1.3.1"    // HOST-RESOURCES-MIB, first device (a printer's model)
	prtSerial1       = "1.3.6.1.2.1.43.5.1.1.17.1"   // Printer-MIB prtGeneralSerialNumber
	ifPhysAddress    = "1.3.6.1.2.1.2.2.1.6"         // IF-MIB
	upsIdentModel    = "1.3.6.1.2.1.33.1.1.2.0"      // UPS-MIB (RFC 1628)
	upsIdentAgentSw  = "1.3.6.1.2.1.33.1.1.4.0"      // UPS-MIB upsIdentAgentSoftwareVersion
	probeSoftwareRev = "1.3.6.1.2.1.16.19.2.0"       // RMON2 probeSoftwareRev
	probeHardwareRev = "1.3.6.1.2.1.16.19.3.0"       // RMON2 probeHardwareRev
	synoModel        = "1.3.6.1.4.1.6574.1.5.1.0"    // SYNOLOGY-SYSTEM-MIB modelName
	unifiModel       = "1.3.6.1.4.1.41112.1.6.3.3.0" // UBNT-UniFi-MIB unifiApSystemModel
	grandstreamSN    = "1.3.6.1.4.1.42397.1.1.1.0.0"

	// NET-SNMP-EXTEND-MIB nsExtendOutput1Line and nsExtendOutputFull of
	// the extends named "hardware" and "distro", the way Linux hosts and
	// OpenWrt routers publish their board and release to monitoring.
	extendHardware1Line = "1.3.6.1.4.1.8072.1.3.2.3.1.1.8.104.97.114.100.119.97.114.101"
	extendHardwareFull  = "1.3.6.1.4.1.8072.1.3.2.3.1.2.8.104.97.114.100.119.97.114.101"
	extendDistro1Line   = "1.3.6.1.4.1.8072.1.3.2.3.1.1.6.100.105.115.116.114.111"

	// The extend named "version": nsExtendOutputFull (whose first line
	// nsExtendOutput1Line repeats: the GET's room is scarce) and
	// nsExtendArgs (the text an "extend version /bin/echo …" line prints),
	// where a system built on Linux or FreeBSD publishes its own release
	// ("OPNsense 20.1.2 (amd64/OpenSSL)", "FreshTomato 2020.6 MIPSR2 …"),
	// which its banner names only the kernel of.
	extendVersionFull = "1.3.6.1.4.1.8072.1.3.2.3.1.2.7.118.101.114.115.105.111.110"
	extendVersionArgs = "1.3.6.1.4.1.8072.1.3.2.2.1.3.7.118.101.114.115.105.111.110"

	// The extend named "device": nsExtendArgs, the text an "extend device
	// /bin/echo …" line prints, where router firmware built on Linux names
	// the board it was built for beside its "version" extend (FreshTomato:
	// "Asus RT-N66U"), which the kernel's banner does not.
	extendDeviceArgs = "1.3.6.1.4.1.8072.1.3.2.2.1.3.6.100.101.118.105.99.101"

	// The same extend rooted where monitoring guides have snmpd.conf put
	// it ("extend .1.3.6.1.4.1.2021.7890.2 hardware cat
	// /sys/devices/virtual/dmi/id/product_name"): the root's
	// nsExtendOutput1Line and first nsExtendOutLine (columns 3.1.1 and
	// 4.1.2 under it), the machine's DMI product name ("PowerEdge R250",
	// "VMware Virtual Platform", "KVM").
	extendDMIHardware1Line = "1.3.6.1.4.1.2021.7890.2.3.1.1.8.104.97.114.100.119.97.114.101"
	extendDMIHardwareLine1 = "1.3.6.1.4.1.2021.7890.2.4.1.2.8.104.97.114.100.119.97.114.101.1"
)

// extendSerial are the sources of a host's serial number an extend named
// "serial" publishes, at net-snmp's own table (nsExtendOutput1Line) or
// rooted where LibreNMS's snmpd.conf example puts it ("extend
// .1.3.6.1.4.1.2021.7890.4 serial cat
// /sys/devices/virtual/dmi/id/product_serial", on ARM boards the device
// tree's serial-number): the first nsExtendOutLine under the root.
var extendSerial = []source{
	{oids: []string{"1.3.6.1.4.1.2021.7890.4.4.1.2.6.115.101.114.105.97.108.1"}},
	{oids: []string{"1.3.6.1.4.1.8072.1.3.2.3.1.1.6.115.101.114.105.97.108"}},
}

// dmiHardware are the sources of a host's DMI product name an extend
// publishes, for the operating systems' entries.
var dmiHardware = []source{{oids: []string{extendHardware1Line}}, {oids: []string{extendHardwareFull}}, {oids: []string{extendDMIHardware1Line}}, {oids: []string{extendDMIHardwareLine1}}}

// pfSenseBranch is pfSense's release branch in its FreeBSD kernel's
// ident, after the build number and the commit: see the pfsense rule.
const pfSenseBranch = `\sFreeBSD \d+\.\d+-\w+ #\d+ [0-9a-f]{7,12}\((?:[\w\-]+-)?RELENG_(\d+_\d+(?:_\d+)?)\)`

// extendRelease is the release a "version" extend names after the
// system's name, for the operating systems' entries: a name, the version,
// then perhaps its build's notes ("OPNsense 20.1.2 (amd64/OpenSSL)").
var extendRelease = func() []source {
	const release = `^[A-Za-z][\w\-.]*\s+[vV]?(\d+(?:\.\d+)+[\w.\-]*)(?:\s|$)`
	return []source{{oids: []string{extendVersionFull}, re: lazyre.New(release)}, {oids: []string{extendVersionArgs}, re: lazyre.New(release)}}
}()

// ATEN-IPMI-MIB (Supermicro's BMCs) bmcMajorVesion and bmcMinorVesion,
// spelled as the MIB spells them.
const (
	atenBMCMajor = "1.3.6.1.4.1.21317.1.5.1.0"
	atenBMCMinor = "1.3.6.1.4.1.21317.1.5.2.0"
)

// ibmcActiveFirmware is HUAWEI-SERVER-IBMC-MIB's firmwareVersion
// (1.3.6.1.4.1.2011.2.235.1.1.11.50.1.4) of the row named "Active iBMC"
// (a string index: its length, then its characters).
const ibmcActiveFirmware = "1.3.6.1.4.1.2011.2.235.1.1.11.50.1.4.11.65.99.116.105.118.101.32.105.66.77.67"

// ipmiRevision writes a BMC's major and minor firmware revision, given
// as two numbers ("1 74"), the way IPMI's Get Device ID gives them: the
// minor revision is two BCD digits (IPMI v2.0 section 20.1), "1.74",
// "3.05".
func ipmiRevision(s string) string {
	major, minor, _ := strings.Cut(s, " ")
	n, err := strconv.Atoi(minor)
	if err != nil || n > 99 {
		return ""
	}
	return fmt.Sprintf("%s.%02d", major, n)
}

// viptelaStatusModel is VIPTELA-OPER-SYSTEM::systemStatusModel.0.
const viptelaStatusModel = "1.3.6.1.4.1.41916.11.1.47.0"

// viptelaModels are systemStatusModel's labels for the platforms that
// run Viptela's own OS and answer under its enterprise (VIPTELA-OPER-SYSTEM
// revision 20.3): the enumeration's later values are Cisco routers, which
// report Cisco's sysObjectID.
var viptelaModels = map[string]string{"1": "vsmart", "2": "vmanage", "3": "vbond", "4": "vedge-1000", "5": "vedge-2000",
	"6": "vedge-100", "7": "vedge-100-W2", "8": "vedge-100-WM", "9": "vedge-100-M2", "10": "vedge-100-M", "11": "vedge-100-B",
	"12": "vedge-cloud", "13": "vcontainer", "14": "vedge-5000"}

// viptelaModel is the label of a systemStatusModel value, "" for one
// outside viptelaModels.
func viptelaModel(s string) string { return viptelaModels[s] }

// apcProduct is the product an APC agent's description names, unless it
// is the management card's own name or only says what the device is
// ("Environmental Management System").
func apcProduct(s string) string {
	if managementCard.MatchString(s) {
		return ""
	}
	return properName(s)
}

// ruleTable is the identity knowledge: one entry per vendor family, in the
// order they are tried. Grammars are per family (the way a vendor writes
// sysDescr or fills its MIB), never per model, so they cover devices of the
// family no recording shows.
var ruleTable = []rule{
	// Cisco: IOS, IOS XE, NX-OS, ASA name the release in sysDescr; the
	// chassis row of ENTITY-MIB has model and serial.
	{family: "cisco-iosxe", make: "Cisco", os: "IOS XE", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.9"},
		descr: &lazyre.Regexp{Expr: `IOS[-_ ]?XE|IOSXE|CAT9K|Denali|Everest|Fuji|Gibraltar|Amsterdam|Bengaluru|Cupertino|Dublin|Cisco IOS Software \[`},
		types: routerHints, firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `Version ([0-9][\w.()]*)`}}}, entity: true},
	{family: "cisco-ios", make: "Cisco", os: "IOS", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.9"},
		descr: &lazyre.Regexp{Expr: `Cisco (IOS|Internetwork Operating System)`},
		types: routerHints, firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `Version ([0-9][\w.()]*)`}}}, entity: true},
	{family: "cisco-nxos", make: "Cisco", os: "NX-OS", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.9"},
		descr: &lazyre.Regexp{Expr: `NX-OS`}, firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `Version ([0-9][\w.()]*)`}}}, entity: true},
	{family: "cisco-asa", make: "Cisco", os: "ASA", typ: inventory.TypeFirewall, oids: []string{"1.3.6.1.4.1.9"},
		descr: &lazyre.Regexp{Expr: `Adaptive Security Appliance|Firepower`}, firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `Version ([0-9][\w.()]*)`}}}, entity: true},
	{family: "cisco-spa", make: "Cisco", os: "Linux", typ: inventory.TypePhone, oids: []string{"1.3.6.1.4.1.9.6.1.23"},
		model: []source{{descr: true, re: &lazyre.Regexp{Expr: `^Linux (SPA\w+)`}}}, entity: true},
	{family: "cisco-sb", make: "Cisco", os: "Cisco Small Business", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.9.6.1"},
		types:    []typeHint{{re: &lazyre.Regexp{Expr: `^Cisco Business Wireless`}, typ: inventory.TypeAP}}, // CBW access points under the same arc
		model:    []source{{entity: entColModel}, {descr: true, re: &lazyre.Regexp{Expr: `^(\S+)`}}},
		firmware: []source{{entity: entColSoftwareRev}},
		serial:   []source{{entity: entColSerial}, {oids: []string{"1.3.6.1.4.1.9.6.1.101.53.14.1.5.1"}}}, entity: true},
	{family: "cisco", make: "Cisco", oids: []string{"1.3.6.1.4.1.9"}, firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `Version ([0-9][\w.()]*)`}}}, entity: true},

	// HPE/Aruba.
	{family: "hp-procurve", make: "HPE", os: "ProCurve", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.11.2.3.7.11"},
		model: []source{numberedSwitch, {descr: true, re: &lazyre.Regexp{Expr: `\b(J\d{4}[A-Z] (?:Switch )?[^ ,]+)`}, fix: productBeforeWord}, {descr: true, re: &lazyre.Regexp{Expr: `^(?:HP|Hewlett-Packard|ProCurve|Aruba) (.+?) Switch`}},
			{descr: true, re: &lazyre.Regexp{Expr: `^HPE? (?:OfficeConnect )?(?:Switch )?(\d{4}[\w\-]*(?: [\w+/]+)*?), [A-Z]{2}\.\d`}}}, // "HPE OfficeConnect Switch 1820 8G J9979A, PT.02.01, …"
		firmware: []source{{oids: []string{"1.3.6.1.4.1.11.2.14.11.5.1.1.3.0"}}, {descr: true, re: &lazyre.Regexp{Expr: `revision ([A-Z]{1,2}\.[\w.]+)`}}, {descr: true, re: &lazyre.Regexp{Expr: `, ([A-Z]{1,2}\.\d{1,2}\.\d{1,2}(?:\.\d+)?),`}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.11.2.36.1.1.2.9.0"}}}, entity: true},
	{family: "hp-printer", make: "HP", os: "JetDirect", typ: inventory.TypePrinter, oids: []string{"1.3.6.1.4.1.11.2.3.9"},
		model:    []source{{oids: []string{"1.3.6.1.4.1.11.2.3.9.1.1.7.0"}, re: &lazyre.Regexp{Expr: `MDL:(?:HP )?([^;]+)`}}, {descr: true, re: &lazyre.Regexp{Expr: `PID:(?:HP )?([^,]+)`}}, {oids: []string{hrDeviceDescr1}, fix: dropMake}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.11.2.3.9.4.2.1.1.3.5.0"}}, {descr: true, re: &lazyre.Regexp{Expr: `(?:ROM|FW:?) ?([\w.]+)`}}},
		serial:   []source{{oids: []string{prtSerial1}}, {oids: []string{"1.3.6.1.4.1.11.2.3.9.4.2.1.1.3.3.0"}}, {descr: true, re: &lazyre.Regexp{Expr: `SN:(\w+)`}}}},
	{family: "aruba-cx", make: "Aruba", os: "ArubaOS-CX", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.47196.4"},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `^(?:Aruba|HPE ANW|HPE) J[A-Z]\d{3}[A-Z] (.+?) Swch\b`}}, {entity: entColDescr}},
		firmware: []source{{entity: entColSoftwareRev}, {descr: true, re: &lazyre.Regexp{Expr: `^([A-Z]{2}\.[\d.]+)`}}}, entity: true},
	{family: "aruba-instant", make: "Aruba", os: "ArubaOS", typ: inventory.TypeAP, oids: []string{"1.3.6.1.4.1.14823"},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `MODEL: ([\w-]+)`}}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `Version ([\w.\-]+)`}}},
		serial:   []source{{column: "1.3.6.1.4.1.14823.2.3.3.1.2.1.1.4"}}, entity: true},
	{family: "hpe-ilo", make: "HPE", os: "iLO", typ: inventory.TypeServer, oids: []string{"1.3.6.1.4.1.232"},
		types:    []typeHint{{re: &lazyre.Regexp{Expr: `(?i)pdu\b|\boutlet (?:metered|switched)`}, typ: inventory.TypeUPS}}, // HPE's PDUs answer under the same arc
		model:    []source{{oids: []string{"1.3.6.1.4.1.232.2.2.4.2.0"}}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `Lights-Out \d+ ([\d.]+)`}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.232.2.2.2.1.0"}}}, entity: true},

	// Juniper.
	{family: "juniper-junos", make: "Juniper", os: "Junos", typ: inventory.TypeRouter, oids: []string{"1.3.6.1.4.1.2636"},
		types: []typeHint{{re: &lazyre.Regexp{Expr: `(?i)\bex\d|\bqfx|Ethernet Switch`}, typ: inventory.TypeSwitch}, {re: &lazyre.Regexp{Expr: `(?i)\bv?srx|\bjunosv-firefly\b`}, typ: inventory.TypeFirewall}}, // vSRX, once Firefly Perimeter
		model: []source{{oids: []string{"1.3.6.1.4.1.2636.3.1.2.0"}}, {descr: true, re: &lazyre.Regexp{Expr: `Juniper Networks, Inc\. (\S+)`}, fix: junosPlatform}, {product: true}},
		// HOST-RESOURCES hrSWInstalledName lists the release where sysDescr
		// has none ("Juniper SRX240B …": "JUNOS Software Release [12.1X46-D86]").
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `JUNOS ([\w.\-]+)`}}, {column: "1.3.6.1.2.1.25.6.3.1.2", re: &lazyre.Regexp{Expr: `^JUNOS (?:Software Release|Base OS Software Suite) \[([\w.\-]+)\]`}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.2636.3.1.3.0"}}}, entity: true},

	// Switch makers with their version in sysDescr or a private MIB.
	{family: "netgear", make: "Netgear", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.4526"},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `^(\S+)`}}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `, ?V?(\d+\.\d+\.\d+[\w.]*)`}}}, entity: true},
	{family: "tplink-jetstream", make: "TP-Link", os: "JetStream", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.11863"},
		model:    []source{{oids: []string{"1.3.6.1.4.1.11863.6.1.1.5.0"}}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.11863.6.1.1.6.0"}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.11863.6.1.1.8.0"}}}, entity: true},
	// 4413 is Broadcom's FASTPATH, whose OEMs (Quanta, Netgear, Zyxel,
	// Dell, Inteno, Ubiquiti's EdgeSwitch) keep its number: Ubiquiti only
	// where the description names its products or its short name, UBNT
	// ("UBNT US48PRO - 48 GE POE + 4 XE, …", session 41); the others' maker is
	// their chassis row's (fastpathOEM), not the number's.
	{family: "ubiquiti-edgeswitch", make: "Ubiquiti", os: "EdgeSwitch", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.4413"},
		descr:    &lazyre.Regexp{Expr: `^(?:EdgeSwitch|USW?-|ES-|UISP|UFiber|EdgePoint|UniFi|Ubiquiti|UBNT )`},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `^((?:EdgeSwitch|USW|ES-)[^,]*)`}}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `, (\d+\.\d+\.\d+[\w.]*)`}}}, entity: true},
	{family: "fastpath", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.4413"},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `, (\d+\.\d+\.\d+[\w.]*)`}}}, entity: true},
	{family: "dlink", make: "D-Link", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.171"},
		// D-Link's series letters: DAP access points, DCS cameras
		types:    []typeHint{{re: &lazyre.Regexp{Expr: `\bDAP-\d`}, typ: inventory.TypeAP}, {re: &lazyre.Regexp{Expr: `\bDCS-\d`}, typ: inventory.TypeCamera}},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `^(?:(?i:D-Link) )?([A-Z]{2,4}-[\w/\-]+)`}}},
		firmware: []source{{oids: []string{probeSoftwareRev}}, {entity: entColFirmwareRev}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.171.12.1.1.12.0"}}}, entity: true},
	{family: "mikrotik-swos", make: "MikroTik", os: "SwOS", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.14988.2"},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `^(\S+) SwOS`}}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `SwOS v?([\d.]+)`}}, {oids: []string{"1.3.6.1.4.1.14988.1.1.7.4.0"}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.14988.1.1.7.3.0"}}}},
	{family: "mikrotik-routeros", make: "MikroTik", os: "RouterOS", typ: inventory.TypeRouter, oids: []string{"1.3.6.1.4.1.14988"},
		// CRS, MikroTik's Cloud Router Switch line, is its switches
		types: []typeHint{{re: &lazyre.Regexp{Expr: `\bCRS\d`}, typ: inventory.TypeSwitch}},
		// the board after the release and its channel where LLDP's
		// description stands for sysDescr ("MikroTik RouterOS 7.20.6
		// (stable) CRS305-1G-4S+"): not the release
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `RouterOS (?:v?\d+(?:\.\d+)+\S*\s+(?:\([\w\-]+\)\s+)?)?([^\s\d]\S*)`}}, {oids: []string{"1.3.6.1.4.1.14988.1.1.7.8.0"}}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.14988.1.1.4.4.0"}}, {entity: entColDescr, re: &lazyre.Regexp{Expr: `RouterOS ([\d.]+)`}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.14988.1.1.7.3.0"}}}, entity: true},

	// Firewalls and routers.
	{family: "fortinet-fortiap", make: "Fortinet", os: "FortiAP", typ: inventory.TypeAP, oids: []string{"1.3.6.1.4.1.12356.120"},
		// fapVersion opens with the platform: FP221E for the FortiAP 221E,
		// PU231F and PS221E for the U and S series' U231F and S221E.
		model:    []source{{oids: []string{"1.3.6.1.4.1.12356.120.1.1.0"}, re: &lazyre.Regexp{Expr: `^F?P(\w+?)-`}, fix: prefix("FortiAP ")}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.12356.120.1.1.0"}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.12356.120.1.2.0"}}}},
	// FORTINET-FORTISWITCH-MIB's arc: FortiSwitchOS, a switch's system
	// (not FortiOS, whose releases and advisories are the FortiGate's).
	// The vendor rows read fsSysVersion "<model> v<release>,build…"; the
	// model is sysObjectID's fsModel number's (products.tsv.bz2) where
	// the agent answers nothing else ("Fortiswitch" alone in sysDescr).
	{family: "fortinet-fortiswitch", make: "Fortinet", os: "FortiSwitchOS", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.12356.106"},
		model: []source{{entity: entColModel, fix: fortiModel}}, serial: []source{{entity: entColSerial}}, entity: true},
	{family: "fortinet-fortigate", make: "Fortinet", os: "FortiOS", typ: inventory.TypeFirewall, oids: []string{"1.3.6.1.4.1.12356"},
		model:    []source{{entity: entColModel, fix: fortiModel}, {entity: entColName, fix: fortiModel}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.12356.101.4.1.1.0"}}},
		serial:   []source{{entity: entColSerial}, {column: "1.3.6.1.4.1.12356.101.13.2.1.1.2"}}, entity: true},
	{family: "sonicwall", make: "SonicWall", os: "SonicOS", typ: inventory.TypeFirewall, probe: "1.3.6.1.4.1.8741.2.1.1.1.0",
		model:    []source{{oids: []string{"1.3.6.1.4.1.8741.2.1.1.1.0"}}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.8741.2.1.1.3.0"}}, {descr: true, re: &lazyre.Regexp{Expr: `\((SonicOS [^)]+)\)`}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.8741.2.1.1.2.0"}}}},
	// pfSense names itself first, or (its kernel's FreeBSD banner, as
	// Netgate's factory builds leave it) in the kernel's ident: the
	// release branch it builds from, RELENG_<major>_<minor>[_<patch>]
	// ("FreeBSD host 11.3-STABLE FreeBSD 11.3-STABLE #233
	// 2c992b2181a(factory-RELENG_2_4_5): …", "…(RELENG_2_5_0)"), the
	// release where the banner's own is FreeBSD's.
	{family: "pfsense", make: "Netgate", os: "pfSense", typ: inventory.TypeFirewall, descr: &lazyre.Regexp{Expr: `^pfSense |` + pfSenseBranch},
		model: []source{{descr: true, re: &lazyre.Regexp{Expr: ` (amd64|i386|arm64|armv[67])$`}}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `^pfSense (?:\S+ )?(\d[\w.\-]*)`}},
			{descr: true, re: &lazyre.Regexp{Expr: pfSenseBranch}, fix: func(s string) string { return strings.ReplaceAll(s, "_", ".") }}}},
	{family: "opnsense", make: "Deciso", os: "OPNsense", typ: inventory.TypeFirewall, descr: &lazyre.Regexp{Expr: `OPNsense`},
		model: []source{{descr: true, re: &lazyre.Regexp{Expr: ` (amd64|i386|arm64)$`}}}, firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `OPNsense (?:\S+ )?(\d[\w.\-]*)`}}}},
	{family: "watchguard", make: "WatchGuard", os: "Fireware", typ: inventory.TypeFirewall, oids: []string{"1.3.6.1.4.1.3097"},
		model: []source{{descr: true, re: &lazyre.Regexp{Expr: `^(\w+)$`}}}, firmware: []source{{oids: []string{"1.3.6.1.4.1.3097.6.3.1.0"}}}, entity: true},
	{family: "draytek", make: "DrayTek", typ: inventory.TypeRouter, oids: []string{"1.3.6.1.4.1.7367"},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `Model: ?([\w\-]+)`}}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `Version: ?([\w.\-]+)`}}}},
	// ZLD also runs the NXC wireless LAN controllers.
	{family: "zyxel", make: "Zyxel", os: "ZLD", typ: inventory.TypeFirewall, oids: []string{"1.3.6.1.4.1.890.1.15"},
		types:    []typeHint{{re: &lazyre.Regexp{Expr: `^NXC\d`}, typ: inventory.TypeAP}},
		model:    []source{{oids: []string{"1.3.6.1.4.1.890.1.15.3.1.11.0"}}, {descr: true, re: &lazyre.Regexp{Expr: `^(\S+)$`}}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.890.1.15.3.1.6.0"}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.890.1.15.3.1.12.0"}}}},
	// IES5206-MIB::sysProductDescr (the IES-52xxM/62xxM system group,
	// 16.12, whose 16.12.5 is sysSerialNumber) names the chassis with its
	// management card ("IES5206 MSC") where sysDescr names the card alone
	// (MSC1240XA); the group's sysBootupFwVersion (16.1) the firmware
	// running ("V1.10(AAWC.1)"), past the port tables the subtree probe
	// reads first.
	// sysDescr's first word last: a gateway's description opens with its
	// Wi-Fi class ("AC2800 (4x4 11ac …) … IAD"), its identity group
	// names the model (XMG3927-B50A).
	{family: "zyxel", make: "Zyxel", typ: inventory.TypeSwitch, oids: []string{"1.3.6.1.4.1.890"},
		model:    []source{{oids: []string{"1.3.6.1.4.1.890.1.5.13.13.16.12.2.0"}}, {descr: true, re: &lazyre.Regexp{Expr: `^(\S+)`}, lastResort: true}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.890.1.5.13.13.16.1.0"}}}, entity: true},

	// Wireless.
	{family: "ruckus", make: "Ruckus", typ: inventory.TypeAP, oids: []string{"1.3.6.1.4.1.25053"},
		model:    []source{{oids: []string{"1.3.6.1.4.1.25053.1.15.1.1.1.1.9.0"}}, {oids: []string{"1.3.6.1.4.1.25053.1.2.1.1.1.1.9.0"}}, {descr: true, re: &lazyre.Regexp{Expr: `Ruckus Wireless (\S+)`}}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.25053.1.15.1.1.1.1.18.0"}}, {oids: []string{"1.3.6.1.4.1.25053.1.2.1.1.1.1.18.0"}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.25053.1.15.1.1.1.1.15.0"}}, {oids: []string{"1.3.6.1.4.1.25053.1.2.1.1.1.1.15.0"}}}},
	{family: "ubiquiti-unifi", make: "Ubiquiti", os: "UniFi", typ: inventory.TypeAP, oids: []string{"1.3.6.1.4.1.8072", "1.3.6.1.4.1.41112"}, probe: unifiModel,
		model:    []source{{oids: []string{unifiModel}}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.41112.1.6.3.6.0"}}, {descr: true, re: &lazyre.Regexp{Expr: ` ([\d.]+)$`}}}},
	{family: "ubiquiti-airos", make: "Ubiquiti", os: "airOS", typ: inventory.TypeAP, oids: []string{"1.3.6.1.4.1.41112", "1.3.6.1.4.1.10002"},
		types: []typeHint{{re: &lazyre.Regexp{Expr: `^(?:EdgeOS|EdgeRouter)\b`}, typ: inventory.TypeRouter}}, // EdgeMAX routers and OLTs answer under the same arc
		model: []source{{oids: []string{"1.2.840.10036.3.1.2.1.3.5"}}}, firmware: []source{{oids: []string{"1.2.840.10036.3.1.2.1.4.5"}, re: &lazyre.Regexp{Expr: `v([\d.]+)`}}}},
	// Cambium's (formerly Motorola's) point-to-point bridges: sysDescr
	// names the product code, the band's two digits then the series'
	// three ("Cambium PTP 50670 PTP Wireless Ethernet Bridge": PTP 670;
	// "PTP 58600" is a PTP 600 for 5.8 GHz); the series is the model
	// Cambium sells and releases software and notices for.
	{family: "cambium-ptp", make: "Cambium", oids: []string{"1.3.6.1.4.1.17713"}, descr: ptpCode,
		model: []source{source{descr: true, re: ptpCode}.then(prefix("PTP "))}, entity: true},

	// Printers: vendor MIBs first, then the Printer-MIB and HOST-RESOURCES.
	{family: "brother", make: "Brother", typ: inventory.TypePrinter, oids: []string{"1.3.6.1.4.1.2435"},
		model:    []source{{oids: []string{"1.3.6.1.4.1.2435.2.4.3.2435.5.13.3.0"}, fix: dropMake}, {oids: []string{hrDeviceDescr1}, fix: dropMake}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.2435.2.4.3.1240.6.5.0"}, re: &lazyre.Regexp{Expr: `Firmware Ver\.?\s*(\S+)`}}, {descr: true, re: &lazyre.Regexp{Expr: `Firmware Ver\.?\s*([\w.]+)`}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.2435.2.3.9.4.2.1.5.5.1.0"}}, {oids: []string{prtSerial1}}}},
	{family: "ricoh", make: "Ricoh", typ: inventory.TypePrinter, oids: []string{"1.3.6.1.4.1.367"},
		// sysDescr opens with the brand Ricoh sold the unit under, its own
		// or one of its OEM brands' (infotec, nashuatec and Rex-Rotary
		// with NRG, Savin, Lanier and Gestetner)
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `^(?:RICOH|NRG|SAVIN|LANIER|Gestetner|infotec|nashuatec|Rex-Rotary) (.+?) \d+\.\d+\S* /`}}, {oids: []string{hrDeviceDescr1}, fix: dropMake}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.367.3.2.1.1.1.2.0"}}, {descr: true, re: &lazyre.Regexp{Expr: ` (\d+\.\d+\S*) /`}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.367.3.2.1.2.1.4.0"}}, {oids: []string{prtSerial1}}}},
	{family: "canon", make: "Canon", typ: inventory.TypePrinter, oids: []string{"1.3.6.1.4.1.1602"},
		model:    []source{{oids: []string{"1.3.6.1.4.1.1602.1.1.1.1.0"}}, {oids: []string{hrDeviceDescr1}, fix: dropMake}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.1602.1.1.1.4.0"}}},
		serial:   []source{{oids: []string{prtSerial1}}, {oids: []string{"1.3.6.1.4.1.1602.1.2.1.4.0"}}}},
	{family: "kyocera", make: "Kyocera", typ: inventory.TypePrinter, oids: []string{"1.3.6.1.4.1.1347"},
		model:    []source{{oids: []string{"1.3.6.1.4.1.1347.43.5.1.1.1.1"}}, {oids: []string{hrDeviceDescr1}, fix: dropMake}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.1347.43.5.4.1.5.1.1"}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.1347.43.5.1.1.28.1"}}, {oids: []string{prtSerial1}}}},
	// Samsung's printers answer under 236.11.5 (the M4080FX, the
	// SCX-3400), with or without the Printer-MIB; the fields are the
	// standard ones.
	{family: "samsung-printer", make: "Samsung", typ: inventory.TypePrinter, oids: []string{"1.3.6.1.4.1.236.11.5"}, entity: true},
	// Epson's interfaces spell their name in sysObjectID (epsonNamed).
	{family: "epson", make: "Epson", typ: inventory.TypePrinter, oids: []string{epsonNamed},
		model:  []source{{oids: []string{hrDeviceDescr1}, fix: dropMake}, source{product: true}.then(ifModelLike)},
		serial: []source{{oids: []string{prtSerial1}}}, entity: true},
	{family: "printer", typ: inventory.TypePrinter, probe: prtSerial1,
		model: []source{{oids: []string{hrDeviceDescr1}, fix: dropMake}}, serial: []source{{oids: []string{prtSerial1}}}, entity: true},

	// NAS: Synology and TrueNAS speak through net-snmp.
	{family: "synology-dsm", make: "Synology", os: "DSM", typ: inventory.TypeNAS, probe: synoModel,
		model:    []source{{oids: []string{synoModel}}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.6574.1.5.3.0"}, re: &lazyre.Regexp{Expr: `(?:DSM )?(\S+)`}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.6574.1.5.2.0"}}}},
	{family: "qnap", make: "QNAP", os: "QTS", typ: inventory.TypeNAS, oids: []string{"1.3.6.1.4.1.24681", "1.3.6.1.4.1.55062"},
		model:    []source{{entity: entColModel}, {oids: []string{"1.3.6.1.4.1.24681.1.2.12.0"}}},
		firmware: []source{{entity: entColSoftwareRev}, {entity: entColFirmwareRev}},
		serial:   []source{{entity: entColSerial}}, entity: true},
	{family: "truenas", make: "iXsystems", os: "TrueNAS", typ: inventory.TypeNAS, descr: &lazyre.Regexp{Expr: `^(TrueNAS|FreeNAS)-`},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `Hardware: (.+?)(?:\. Software|$)`}}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `^(?:TrueNAS|FreeNAS)-(?:SCALE-)?(\d[\w.\-]*?)\.?(?: |$)`}}}},

	// UPS.
	{family: "apc", make: "APC", typ: inventory.TypeUPS, oids: []string{"1.3.6.1.4.1.318"},
		// PowerNet-MIB's system arc (318.1.3) names the product family:
		// monitors (8: environmental monitors, the EMS) and networkAir (14:
		// InRow and room cooling units) are environment gear, not UPSes.
		types: []typeHint{{re: &lazyre.Regexp{Expr: `(?i)rack PDU|Switched|Metered`}, typ: inventory.TypeIoT},
			{oid: "1.3.6.1.4.1.318.1.3.8", typ: inventory.TypeIoT}, {oid: "1.3.6.1.4.1.318.1.3.14", typ: inventory.TypeIoT}},
		// The product the agent's description names before the card's
		// revisions ("APC InRow DX 300mm (MB:v4.1.0 … MN:0N-9580AC …)")
		// comes before the part number MN: gives; a management card's own
		// description ("APC Web/SNMP Management Card (MB:…") names the card.
		model: []source{{oids: []string{"1.3.6.1.4.1.318.1.1.1.1.1.1.0"}}, {oids: []string{"1.3.6.1.4.1.318.1.1.12.1.5.0"}},
			{descr: true, re: &lazyre.Regexp{Expr: `^APC ([^()]{3,40}?) \(MB:`}, fix: apcProduct}, {descr: true, re: &lazyre.Regexp{Expr: `MN:([\w\-]+)`}}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `AF1:(v\d+(?:\.\w+)+)`}}, {descr: true, re: &lazyre.Regexp{Expr: `PF:(v[\d.]+)`}}, {oids: []string{"1.3.6.1.4.1.318.1.1.1.1.2.1.0"}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.318.1.1.1.1.2.3.0"}}, {oids: []string{"1.3.6.1.4.1.318.1.1.12.1.6.0"}}, {descr: true, re: &lazyre.Regexp{Expr: `SN: ?(\w+)`}}}},
	// Firmware: the UPS's own (LibreNMS's too), then UPS-MIB's copy of it
	// ("INV: 02" where upsmgIdentSoftwareVersion is one byte), then the card's.
	{family: "eaton-mge", make: "Eaton", typ: inventory.TypeUPS, oids: []string{"1.3.6.1.4.1.705"},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `^((?:Eaton|MGE) .+)$`}}, {oids: []string{"1.3.6.1.4.1.705.1.1.1.0"}}, {oids: []string{upsIdentModel}}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.705.1.1.4.0"}}, {oids: []string{upsIdentUPSSw}}, {oids: []string{upsIdentAgentSw}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.705.1.1.7.0"}}}},
	{family: "eaton-powerware", make: "Eaton", typ: inventory.TypeUPS, oids: []string{"1.3.6.1.4.1.534"},
		model:    []source{{oids: []string{"1.3.6.1.4.1.534.1.1.2.0"}}, {oids: []string{upsIdentModel}}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.534.1.1.3.0"}}, {oids: []string{upsIdentAgentSw}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.534.1.1.6.0"}}}}, // XUPS-MIB::xupsIdentSerialNumber (534.1.1.5 is the part number)

	// Servers, BMCs, hypervisors.
	// Dell's remote access controllers answer under DELL-RAC-MIB's
	// drsOutofBandGroup (674.10892.2, DRAC) and IDRAC-MIB-SMIv2's
	// outOfBandGroup (674.10892.5, iDRAC): a server's BMC. Their fields
	// are vendor_oids.tsv's rows of those MIBs.
	{family: "dell-rac", make: "Dell", typ: inventory.TypeServer, oids: []string{"1.3.6.1.4.1.674.10892.2", "1.3.6.1.4.1.674.10892.5"}},
	// Dell's storage branch (674.10893: StorageManagement-MIB is
	// 674.10893.1.20), where its PowerVault MD arrays name their
	// sysObjectID (674.10893.2.31, an MD38xxi), as 674.10892 is its servers'.
	{family: "dell-storage", make: "Dell", typ: inventory.TypeNAS, oids: []string{"1.3.6.1.4.1.674.10893"}},
	{family: "vmware-esxi", make: "VMware", os: "ESXi", typ: inventory.TypeHypervisor, oids: []string{"1.3.6.1.4.1.6876"},
		model:    []source{{entity: entColDescr}, {entity: entColModel}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.6876.1.2.0"}}, {descr: true, re: &lazyre.Regexp{Expr: `ESXi ([\d.]+)`}}}, entity: true},
	{family: "windows-server", make: "Microsoft", os: "Windows", typ: inventory.TypeServer,
		oids:     []string{"1.3.6.1.4.1.311.1.1.3.1.2", "1.3.6.1.4.1.311.1.1.3.1.3"},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `Hardware: (\w+)`}, fix: windowsArch}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `Build (\d+)`}, fix: windowsRelease(windowsServerBuilds)}}},
	{family: "windows", make: "Microsoft", os: "Windows", typ: inventory.TypeWorkstation, oids: []string{"1.3.6.1.4.1.311"},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `Hardware: (\w+)`}, fix: windowsArch}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `Build (\d+)`}, fix: windowsRelease(windowsBuilds)}}},
	{family: "grandstream", make: "Grandstream", os: "Linux", typ: inventory.TypePhone, probe: grandstreamSN,
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `^Linux (G\w+)`}}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.42397.1.1.3.2.0.0"}}},
		serial:   []source{{oids: []string{grandstreamSN}}}},
	// Supermicro's BMCs (ATEN-IPMI-MIB, net-snmp's sysObjectID or their
	// own): the firmware is bmcMajorVesion.bmcMinorVesion, two numbers;
	// biosVesion beside them ("3.8a") is the host's BIOS, not the BMC's.
	{family: "supermicro-bmc", make: "Supermicro", typ: inventory.TypeServer, oids: []string{"1.3.6.1.4.1.8072", "1.3.6.1.4.1.21317"},
		probe: atenBMCMinor, firmware: []source{{oids: []string{atenBMCMajor, atenBMCMinor}, re: &lazyre.Regexp{Expr: `^\d{1,3} \d{1,3}$`}, fix: ipmiRevision}}},
	// Huawei's iBMC (HUAWEI-SERVER-IBMC-MIB): the firmware table is
	// indexed by the part's name, the BIOS's row ("BIOS", 1.08) before the
	// controller's ("Active iBMC", 2.55), which is read by its name.
	{family: "huawei-ibmc", make: "Huawei", typ: inventory.TypeServer, oids: []string{"1.3.6.1.4.1.2011.2.235"},
		firmware: []source{{oids: []string{ibmcActiveFirmware}}}, entity: true},
	// Huawei's OceanStor storage arrays answer under 2011.2.91 (LibreNMS's
	// oceanstor OS, type storage), their sysDescr the ISM management
	// software's agent ("ISM SNMP Agent"), their objects under 34774.
	{family: "huawei-oceanstor", make: "Huawei", os: "OceanStor", typ: inventory.TypeNAS, oids: []string{"1.3.6.1.4.1.2011.2.91"}, entity: true},
	{family: "axis", make: "Axis", os: "AXIS OS", typ: inventory.TypeCamera, oids: []string{"1.3.6.1.4.1.368"},
		types:    []typeHint{{re: &lazyre.Regexp{Expr: `(?i)encoder|audio|door`}, typ: inventory.TypeIoT}},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `(AXIS [^;]+?)\s*;`}}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `;\s*(\d+\.\d+[\d.]*)\s*;`}}},
		serial:   []source{{column: ifPhysAddress, mac: true}}},
	{family: "dahua", make: "Dahua", typ: inventory.TypeCamera, oids: []string{"1.3.6.1.4.1.1004849"},
		types:    []typeHint{{re: &lazyre.Regexp{Expr: `NVR|XVR|DVR`}, typ: inventory.TypeCamera}},
		model:    []source{{oids: []string{"1.3.6.1.4.1.1004849.2.1.2.6.0"}}, {descr: true, re: &lazyre.Regexp{Expr: `^(\S+)$`}}},
		firmware: []source{{oids: []string{"1.3.6.1.4.1.1004849.2.1.1.1.0"}}},
		serial:   []source{{oids: []string{"1.3.6.1.4.1.1004849.2.1.2.4.0"}}}},
	{family: "hikvision", make: "Hikvision", typ: inventory.TypeCamera, oids: []string{"1.3.6.1.4.1.39165", "1.3.6.1.4.1.50001"},
		model: []source{{oids: []string{"1.3.6.1.4.1.39165.1.1.0"}}}, firmware: []source{{oids: []string{"1.3.6.1.4.1.39165.1.3.0"}}}},
	// LANCOM LCOS routers and access points: "LANCOM <model> <release> /
	// <build date> <serial number>".
	{family: "lancom-lcos", os: "LCOS", typ: inventory.TypeRouter, oids: []string{"1.3.6.1.4.1.2356"},
		descr:  &lazyre.Regexp{Expr: `^LANCOM \S.* \d+\.\d+\.\d+\w* / \d{2}\.\d{2}\.\d{4}`},
		types:  []typeHint{{re: &lazyre.Regexp{Expr: `^LANCOM (?:[IO]AP|L[NWX]?)-\d`}, typ: inventory.TypeAP}},
		model:  []source{{descr: true, re: &lazyre.Regexp{Expr: `^LANCOM (\S+) `}}},
		serial: []source{{descr: true, re: &lazyre.Regexp{Expr: ` / \d{2}\.\d{2}\.\d{4} (\d{10,20})$`}}}, entity: true},
	// Nokia (Alcatel-Lucent) SR OS: sysDescr "TiMOS-B-9.0.R11 both/hops
	// Nokia 7705 SAR Copyright …" names the release and the platform.
	{family: "timos", make: "Nokia", os: "SR OS", typ: inventory.TypeRouter, oids: []string{"1.3.6.1.4.1.6527"},
		descr:    &lazyre.Regexp{Expr: `^TiMOS-`},
		model:    []source{{descr: true, re: &lazyre.Regexp{Expr: `^TiMOS-\S+ \S+ (?:Nokia|NOKIA|ALCATEL|Alcatel-Lucent|ALCATEL-LUCENT) (.+?) Copyright`}}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `^TiMOS-[A-Z]+-(\d[\w.]*)`}}},
		// TIMETRA-CHASSIS-MIB tmnxHwSerialNumber of chassis 1's hardware
		// index 0x03000001: class chassis(3) in the top byte, the first
		// one. A 7705's table lists its control cards first (0x0101xxxx),
		// which the vendor row's first row would read.
		serial: []source{{oids: []string{"1.3.6.1.4.1.6527.3.1.2.2.1.8.1.5.1.50331649"}}}, entity: true},
	// IBM AIX and VIOS: sysDescr names the machine type, processor id and
	// the runtime's version with zero-padded parts ("06.01.0009.0300");
	// IBM-AIX-MIB has the model and serial as "IBM,<value>"; net-snmp on
	// AIX prints uname ("AIX host 1 7": release 1 of version 7).
	{family: "aix", make: "IBM", os: "AIX", typ: inventory.TypeServer,
		descr: &lazyre.Regexp{Expr: `^AIX \S+ \d+ \d+|\b(?:AIX|VIOS) version: \d`},
		model: []source{{oids: []string{"1.3.6.1.4.1.2.6.191.1.3.6.0"}, re: &lazyre.Regexp{Expr: `^(?:IBM,)?(\S+)`}}, {descr: true, re: &lazyre.Regexp{Expr: `Machine Type: (0x[0-9A-Fa-f]+)`}}},
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `(?:AIX|VIOS) version: (\d+(?:\.\d+){1,3})`}, fix: aixVersion},
			{descr: true, re: &lazyre.Regexp{Expr: `^AIX \S+ (\d+ \d+)`}, fix: aixVersion}},
		serial: []source{{oids: []string{"1.3.6.1.4.1.2.6.191.1.3.7.0"}, re: &lazyre.Regexp{Expr: `^(?:IBM,)?(\S+)`}}, {descr: true, re: &lazyre.Regexp{Expr: `Processor id: (\w+)`}}}, entity: true},
	{family: "linux", os: "Linux", typ: inventory.TypeServer, descr: &lazyre.Regexp{Expr: `^Linux `},
		model: slices.Concat([]source{{entity: entColModel}}, dmiHardware,
			[]source{{oids: []string{extendDeviceArgs}, fix: numbered}, {descr: true, re: &lazyre.Regexp{Expr: ` (x86_64|i[3-6]86|aarch64|armv\w+|mips\w*|ppc\w*)$`}, fix: linuxArch, lastResort: true}}),
		firmware: slices.Concat([]source{{oids: []string{extendDistro1Line}, re: &lazyre.Regexp{Expr: `^(?:OpenWrt|LEDE) (\d[\w.\-]*)$`}}}, extendRelease,
			[]source{{descr: true, re: &lazyre.Regexp{Expr: `^Linux\s+(?:\S+\s+)?(\d[\w.\-+]*)`}, lastResort: true}}), serial: extendSerial, entity: true},
	// FreeBSD's banner, also inside a derived system's ("pfSense host
	// 2.4.5-RELEASE-p1 pfSense FreeBSD 11.3-STABLE amd64"): the machine
	// architecture it ends with is the model when nothing names the
	// hardware, as the Linux entry's is.
	{family: "freebsd", os: "FreeBSD", typ: inventory.TypeServer, descr: &lazyre.Regexp{Expr: `^FreeBSD |\sFreeBSD \d+\.\d+-(?:RELEASE|STABLE|CURRENT)`},
		model: append(slices.Clone(dmiHardware), source{descr: true, re: &lazyre.Regexp{Expr: `\bFreeBSD \d+\.\d+-\S+.* (amd64|i386|arm64|armv[67]|powerpc64|riscv64)$`}, lastResort: true}),
		// the derived system's release comes first ("pfSense host 2.4.5-RELEASE-p1 pfSense FreeBSD 11.3-STABLE")
		firmware: slices.Concat(extendRelease, []source{{descr: true, re: &lazyre.Regexp{Expr: `^[A-Za-z][\w\-]* (?:\S+ )?(\d+\.\d[\w.\-]*) .*\sFreeBSD \d`}}, {descr: true, re: &lazyre.Regexp{Expr: `^FreeBSD \S+ (\S+)`}}}), entity: true},
	// OpenBSD's and NetBSD's banners end with the machine too ("OpenBSD
	// host 5.3 GENERIC.MP#58 i386"), named as the Linux entry names it.
	{family: "openbsd", os: "OpenBSD", typ: inventory.TypeServer, descr: &lazyre.Regexp{Expr: `^(?:Open|Net)BSD `},
		model:    append(slices.Clone(dmiHardware), source{descr: true, re: &lazyre.Regexp{Expr: `^(?:Open|Net)BSD \S+ \d+\.\d+\S* .* (amd64|i386|arm64|armv7|powerpc|mips64\w*)$`}, fix: bsdArch, lastResort: true}),
		firmware: []source{{descr: true, re: &lazyre.Regexp{Expr: `^(?:Open|Net)BSD \S+ (\d+\.\d+[\w.\-]*)`}}}, entity: true},

	// ZTE's ZXR10 switches and routers open sysDescr with the series and
	// name the member where the software image is named ("ZXR10 ROS
	// Version V4.08.23 ZXR10_5928 Software, Version ZXR10 5900 …").
	{family: "zte-zxr10", oids: []string{"1.3.6.1.4.1.3902"}, descr: &lazyre.Regexp{Expr: `\bZXR10_\w+ Software\b`},
		model: []source{{descr: true, re: &lazyre.Regexp{Expr: `\bZXR10_(\w+) Software\b`}, fix: func(s string) string { return "ZXR10 " + s }}}, entity: true},
	// Ciena's (formerly Nortel's) 6500 packet-optical shelves name the
	// shelf type before the software load and build ("6500 7-SLOT OPTICAL
	// SW:1271 BN:AH (c) Ciena (R) Corporation"); the chassis row's
	// description ("6500 7-Slot Shelf") is the frame's.
	{family: "ciena-6500", oids: []string{"1.3.6.1.4.1.562.68"}, descr: &lazyre.Regexp{Expr: `\sSW:\S+ BN:\S+ \(c\) Ciena\b`},
		model: []source{{descr: true, re: &lazyre.Regexp{Expr: `^(.{3,40}?)\s+SW:\S+ BN:`}}}, entity: true},

	// Viptela (Cisco SD-WAN) vEdge routers and controllers name their
	// model only as VIPTELA-OPER-SYSTEM's systemStatusModel, an
	// enumeration (sysDescr says "Viptela SNMP agent").
	{family: "viptela", typ: inventory.TypeRouter, oids: []string{"1.3.6.1.4.1.41916"},
		model: []source{{oids: []string{viptelaStatusModel}, fix: viptelaModel}}, entity: true},

	// Anything else: the ENTITY-MIB chassis row, the way most managed
	// gear reports itself.
	{family: "entity-mib", entity: true},
}

// routerHints tell a Cisco router from a switch by sysDescr.
var routerHints = []typeHint{
	{re: &lazyre.Regexp{Expr: `(?i)\b(ISR|ASR|C8[0-9]{3}|CSR1000|router|C[0-9]{3,4}[A-Z]* Software \(C?(1[0-9]{3}|2[89]00|39[0-9]{2}|8[0-9]{2})\b)`}, typ: inventory.TypeRouter},
}

// dropMake removes the maker's name and a trailing "series" from a model
// string ("Brother MFC-L2710DW series" → "MFC-L2710DW").
func dropMake(s string) string {
	for _, m := range []string{"Brother ", "HP ", "Hewlett-Packard ", "RICOH ", "Canon ", "KYOCERA ", "Kyocera ", "Xerox ", "Lexmark ", "EPSON ", "Epson ", "Samsung ", "OKI ", "Sharp ", "Konica Minolta ", "TOSHIBA "} {
		s = strings.TrimPrefix(s, m)
	}
	return strings.TrimSuffix(strings.TrimSuffix(s, " series"), " Series")
}

// ptpCode is a Cambium or Motorola PTP bridge's product code in
// sysDescr, its series the group.
var ptpCode = &lazyre.Regexp{Expr: `^(?:Cambium|Motorola) PTP \d{2}(\d{3})\b`}

func prefix(p string) func(string) string { return func(s string) string { return p + s } }

// fortiModel turns Fortinet's part names ("FGT_60F", "FGT60F", "FGR_60F",
// "FWB_AZURE") into the product name ("FortiGate 60F").
func fortiModel(s string) string {
	for short, long := range map[string]string{"FGT": "FortiGate", "FGR": "FortiGate Rugged", "FWF": "FortiWiFi", "FAP": "FortiAP", "FSW": "FortiSwitch", "FS": "FortiSwitch", "FWB": "FortiWeb"} {
		if rest, ok := strings.CutPrefix(s, short); ok && rest != "" && (rest[0] == '_' || rest[0] == '-' || rest[0] >= '0' && rest[0] <= '9') {
			return long + " " + strings.TrimLeft(rest, "_-")
		}
	}
	return s
}

// aixVersion writes AIX's version the way IBM does: the zero-padded
// "06.01.0009.0300" as 6.1.9.300, uname's release and version "1 7" as 7.1.
func aixVersion(s string) string {
	if rel, ver, ok := strings.Cut(s, " "); ok {
		return ver + "." + rel
	}
	parts := strings.Split(s, ".")
	for i, p := range parts {
		if t := strings.TrimLeft(p, "0"); t != "" {
			parts[i] = t
		} else {
			parts[i] = "0"
		}
	}
	return strings.Join(parts, ".")
}

// linuxArch names a kernel's machine the way inventories do.
func linuxArch(s string) string {
	switch {
	case s == "x86_64":
		return "Generic x86 64-bit"
	case strings.HasPrefix(s, "i") && strings.HasSuffix(s, "86"):
		return "Generic x86"
	case s == "aarch64":
		return "Generic ARM 64-bit"
	case s == "armv6l" || s == "armv7l":
		return "Generic ARMv" + s[4:5]
	case strings.HasPrefix(s, "arm"):
		return "Generic ARM"
	case strings.HasPrefix(s, "mips"):
		return "Generic MIPS"
	case strings.HasPrefix(s, "ppc"):
		return "Generic PowerPC"
	}
	return s
}

// bsdArch names a BSD kernel's machine as linuxArch names Linux's.
func bsdArch(s string) string {
	switch s {
	case "amd64":
		return linuxArch("x86_64")
	case "arm64":
		return linuxArch("aarch64")
	}
	return linuxArch(s)
}

func windowsArch(s string) string {
	switch s {
	case "Intel64", "EM64T":
		return "Intel x64"
	case "AMD64":
		return "AMD x64"
	case "x86":
		return "Generic x86"
	case "ARM64":
		return "ARM64"
	}
	return s
}

// Windows build numbers (the only version Windows' sysDescr gives) and the
// releases they are.
var (
	windowsServerBuilds = map[string]string{
		"2195": "2000", "3790": "Server 2003", "6001": "Server 2008", "6002": "Server 2008 SP2", "7600": "Server 2008 R2",
		"7601": "Server 2008 R2 SP1", "9200": "Server 2012", "9600": "Server 2012 R2", "14393": "Server 2016 (1607)",
		"16299": "Server (1709)", "17134": "Server (1803)", "17763": "Server 2019 (1809)", "18362": "Server (1903)",
		"18363": "Server (1909)", "19041": "Server (2004)", "19042": "Server (20H2)", "20348": "Server 2022 (21H2)",
		"25398": "Server (23H2)", "26100": "Server 2025 (24H2)",
	}
	windowsBuilds = map[string]string{
		"2195": "2000", "2600": "XP", "6000": "Vista", "6001": "Vista SP1", "6002": "Vista SP2", "7600": "7", "7601": "7 SP1",
		"9200": "8", "9600": "8.1", "10240": "10 (1507)", "10586": "10 (1511)", "14393": "10 (1607)",
		"15063": "10 (1703)", "16299": "10 (1709)", "17134": "10 (1803)", "17763": "10 (1809)", "18362": "10 (1903)",
		"18363": "10 (1909)", "19041": "10 (2004)", "19042": "10 (20H2)", "19043": "10 (21H1)", "19044": "10 (21H2)",
		"19045": "10 (22H2)", "22000": "11 (21H2)", "22621": "11 (22H2)", "22631": "11 (23H2)", "26100": "11 (24H2)",
	}
)

func windowsRelease(builds map[string]string) func(string) string {
	return func(b string) string {
		if r, ok := builds[b]; ok {
			return r
		}
		return "Build " + b
	}
}
