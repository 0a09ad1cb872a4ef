package snmp

import (
	"encoding/hex"
	"testing"

	"tend/inventory"
)

// TestBracketedSystemS43c: SonicWall's "<maker> <series> <number>
// (<system> [<edition>] <release>)" names the product before the
// bracket, from SonicOS Enhanced to 7; a fingerprint that takes the
// bracket for the product gives no model.
func TestBracketedSystemS43c(t *testing.T) {
	for descr, want := range map[string]string{
		"SonicWALL TZ 670 (SonicOS 7.1.1-7058)":            "TZ 670",
		"SonicWALL NSv 270 (SonicOSX 7.1.3-7015-R6965)":    "NSv 270",
		"SonicWALL NSA 220 (SonicOS Enhanced 5.8.1.2-20o)": "NSA 220",
		"SonicWALL TZ 210 (SonicOS Enhanced 5.9.1.6-5o)":   "TZ 210",
		"SonicWALL StrongARM / 233 Mhz (PRO 230)":          "PRO 230",
	} {
		o := identifyRec(t, "1.3.6.1.2.1.1.1.0|4|"+descr+"\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8741.1")
		if o.Model != want {
			t.Errorf("%q: model %q, want %q", descr, o.Model, want)
		}
	}
	// the same grammar under another maker's name is no SonicWall's
	o := identifyRec(t, "1.3.6.1.2.1.1.1.0|4|Acme TZ 670 (SonicOS 7.1.1-7058)\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8741.1")
	if o.Model == "TZ 670" || o.Model == "SonicOS 7.1.1-7058" {
		t.Errorf("Acme banner under SonicWall's enterprise: model %q", o.Model)
	}
}

// TestFortiSwitchS43c: an agent under FORTINET-FORTISWITCH-MIB's arc is
// a switch running FortiSwitchOS, not a FortiGate; with "Fortiswitch"
// alone in sysDescr its fsModel number names the model (the MIB's
// product list), and fsSysVersion, when it answers, still does.
func TestFortiSwitchS43c(t *testing.T) {
	for rec, want := range map[string]string{
		"1.3.6.1.2.1.1.1.0|4|Fortiswitch\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.12356.106.1.5482":                                                    "FortiSwitch-548D",
		"1.3.6.1.2.1.1.1.0|4|Fortiswitch\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.12356.106.1.1246":                                                    "FortiSwitch-124E-FPOE",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.12356.106.1.42404":                                                                                    "FortiSwitch-424E-Fiber",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.12356.106.1.2482\n1.3.6.1.4.1.12356.106.4.1.1.0|4|FortiSwitch-248D-FPOE v3.3.3,build4047,160219 (GA)": "FortiSwitch-248D-FPOE",
		"1.3.6.1.2.1.1.1.0|4|Fortiswitch\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.12356.106.1.99999":                                                   "",
	} {
		o := identifyRec(t, rec)
		if o.Model != want || o.Type != inventory.TypeSwitch || o.OS != "FortiSwitchOS" || o.Make != "Fortinet" {
			t.Errorf("%q: %s %q %s %q, want Fortinet %q switch FortiSwitchOS", rec, o.Make, o.Model, o.Type, o.OS, want)
		}
	}
	// a FortiGate stays a firewall running FortiOS
	if o := identifyRec(t, "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.12356.101.1.1004"); o.Type != inventory.TypeFirewall || o.OS != "FortiOS" {
		t.Errorf("FortiGate: %s %q", o.Type, o.OS)
	}
}

// TestComwareSmallSwitchS43c: the banner of Comware's smaller switches
// opens with the model, perhaps after the maker's name, then "Switch
// Software Version"; the copyright holder of an H3C-made unit is the
// brand it is sold under (HP), and a line's later sellers are named by
// their notices (Nortel's number, Avaya's and Extreme's switches).
func TestComwareSmallSwitchS43c(t *testing.T) {
	for _, c := range []struct{ rec, make, model string }{
		{"1.3.6.1.2.1.1.1.0|4x|" + hex.EncodeToString([]byte("1920-16G Switch Software Version 5.20.99, Release 1108\nCopyright(c)2010-2015 Hewlett-Packard Development Company, L.P.")) +
			"\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.25506.11.1.165", "HP", "1920-16G"},
		{"1.3.6.1.2.1.1.1.0|4|HP V1910-24G Switch Software Version 5.20, Release 1513\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.25506.11.1.82", "HP", "V1910-24G"},
		{"1.3.6.1.2.1.1.1.0|4|H3C S1850-10P Switch Software Version 5.20.99, Release 1104\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.25506.11.1.200", "H3C", "S1850-10P"},
		{"1.3.6.1.2.1.1.1.0|4|Ethernet Routing Switch 4950GTS-PWR+     HW:02       FW:7.5.0.2   SW:v7.6.1.033 BN:33 (c) Extreme Networks\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.45.3.82.4", "Extreme Networks", ""},
		{"1.3.6.1.2.1.1.1.0|4|Ethernet Routing Switch 5530-24TFD    HW:32       FW:6.0.0.18  SW:v6.3.2.011 BN:11 (c) Avaya Networks\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.45.3.65", "Avaya", ""},
		// a holder tend knows no maker by leaves the enterprise's name
		{"1.3.6.1.2.1.1.1.0|4|Cisco IOS Software, C2960 Software, Copyright (c) 1986-2015 by Acme Systems, Inc.\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.1.1208", "Cisco", ""},
	} {
		o := identifyRec(t, c.rec)
		if o.Make != c.make || c.model != "" && o.Model != c.model {
			t.Errorf("%q: make %q model %q, want %q %q", c.rec, o.Make, o.Model, c.make, c.model)
		}
	}
	for word, want := range map[string]string{"Hewlett-Packard": "HP", "Extreme": "Extreme Networks", "Avaya": "Avaya", "Force10": "", "Hewlett": "", "Dell": "Dell", "Nokia": "Nokia"} {
		if got := knownMaker(word); got != want {
			t.Errorf("knownMaker(%q) = %q, want %q", word, got, want)
		}
	}
}

// TestPfSenseBranchS43c: a FreeBSD banner whose kernel ident names
// pfSense's release branch is pfSense at that release, not FreeBSD at
// the kernel's; another kernel's ident (OPNsense's stable/20.1, a plain
// FreeBSD build) leaves the FreeBSD entry.
func TestPfSenseBranchS43c(t *testing.T) {
	for descr, want := range map[string][2]string{
		"FreeBSD firewall.example.com 11.3-STABLE FreeBSD 11.3-STABLE #233 2c992b2181a(factory-RELENG_2_4_5): Tue Mar 24 15:26:54 EDT 2020 root@buildbot1-nyi.netgate.com:/build/factory-crossbuild-245-amd64/obj/amd64/kkVaWThR/build/factory-": {"pfSense", "2.4.5"},
		"FreeBSD fw 11.3-STABLE FreeBSD 11.3-STABLE #243 abf8cba50ce(RELENG_2_5_0): Mon Feb 15 2021":                                                                         {"pfSense", "2.5.0"},
		"FreeBSD fw1-eri1.OPN 11.2-RELEASE-p16-HBSD FreeBSD 11.2-RELEASE-p16-HBSD  fc65add89c3(stable/20.1) amd64":                                                           {"FreeBSD", "11.2-RELEASE-p16-HBSD"},
		"FreeBSD some.example.org 9.2-RELEASE FreeBSD 9.2-RELEASE #0 r255898: Thu Sep 26 22:50:31 UTC 2013     root@bake.isc.freebsd.org:/usr/obj/usr/src/sys/GENERIC amd64": {"FreeBSD", "9.2-RELEASE"},
	} {
		o := identifyRec(t, "1.3.6.1.2.1.1.1.0|4|"+descr)
		if o.OS != want[0] || want[1] != "" && o.Firmware != want[1] {
			t.Errorf("%q: os %q firmware %q, want %q %q", descr, o.OS, o.Firmware, want[0], want[1])
		}
	}
}

// TestDeltaUPSv5S43c: DeltaUPSv5-MIB's ident group names the UPS's own
// firmware (dupsIdentUPSSoftwareVersion) before the network card's
// (dupsIdentAgentSoftwareVersion), as its DESCRIPTIONs say and as
// UPS-MIB's are read.
func TestDeltaUPSv5S43c(t *testing.T) {
	o := identifyRec(t, `1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2254.2.5
1.3.6.1.4.1.2254.2.5.1.1.0|4|Delta
1.3.6.1.4.1.2254.2.5.1.2.0|4|UPS302R2RT2B035
1.3.6.1.4.1.2254.2.5.1.3.0|4|0F0006AR00.02.00
1.3.6.1.4.1.2254.2.5.1.4.0|4|01.12.20a`)
	if o.Model != "UPS302R2RT2B035" || o.Firmware != "0F0006AR00.02.00" {
		t.Errorf("model %q firmware %q, want UPS302R2RT2B035 0F0006AR00.02.00", o.Model, o.Firmware)
	}
}

// TestFirstLineModelSpaceS43c: VRP's first line naming the full model
// completes the series its version line gives also when a space ends it.
func TestFirstLineModelSpaceS43c(t *testing.T) {
	descr := "S5700-52C-PWR-SI \nHuawei Versatile Routing Platform Software\n VRP (R) software, Version 5.150 (S5700 V200R005C00SPC500)\nCopyright (C) 2000-2015 HUAWEI TECH CO., LTD"
	o := identifyRec(t, "1.3.6.1.2.1.1.1.0|4x|"+hex.EncodeToString([]byte(descr))+"\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2011.2.23.210")
	if o.Model != "S5700-52C-PWR-SI" {
		t.Errorf("model %q, want S5700-52C-PWR-SI", o.Model)
	}
}

// TestReleaseAfterHyphenS43c: a v-prefixed release keeps the dotted
// numbers after its hyphen ("AW+ v5.4.7-2.5": AlliedWare Plus's
// maintenance release 5.4.7-2 and its patch 5).
func TestReleaseAfterHyphenS43c(t *testing.T) {
	for descr, want := range map[string]string{
		"Allied Telesis router/switch, AW+ v5.4.7-2.5": "5.4.7-2.5",
		"Allied Telesis router/switch, AW+ v5.4.7-2.1": "5.4.7-2.1",
		"Acme Box v1.2.3-beta build 7":                 "1.2.3-beta",
	} {
		if o := identifyRec(t, "1.3.6.1.2.1.1.1.0|4|"+descr+"\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.207.1.14.118"); o.Firmware != want {
			t.Errorf("%q: firmware %q, want %q", descr, o.Firmware, want)
		}
	}
}

// TestDescribedCodeS43c: words that say what the product is (and the
// maker's name) before a hyphenated product number are no part of the
// model; the maker's name alone, a series' name, or a number without a
// hyphen stay.
func TestDescribedCodeS43c(t *testing.T) {
	for _, c := range []struct{ model, maker, want string }{
		{"SONY Network Camera SNC-CS3", "Sony", "SNC-CS3"},
		{"Stacking System ICX7450-48", "Brocade", "ICX7450-48"},
		{"Host Controller MD2021-261/15", "Vigintos Elektronika", "MD2021-261/15"},
		{"AXIS P1435-LE", "Axis", ""},
		{"Catalyst Switch 2960-24TT", "Cisco", ""},
		{"Network Camera 300", "Sony", ""},
		{"SNC-CS3", "Sony", ""},
	} {
		if got := describedCode(c.model, c.maker); got != c.want {
			t.Errorf("describedCode(%q, %q) = %q, want %q", c.model, c.maker, got, c.want)
		}
	}
	o := identifyRec(t, "1.3.6.1.2.1.1.1.0|4|SONY Network Camera SNC-CS3\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.122.8501")
	if o.Model != "SNC-CS3" {
		t.Errorf("Sony: model %q", o.Model)
	}
}

// TestRicohBrandsS43c: a Ricoh-made printer's sysDescr opens with the
// brand it was sold under, Ricoh's own or an OEM brand's: not the model's.
func TestRicohBrandsS43c(t *testing.T) {
	for descr, want := range map[string]string{
		"infotec  ISC 2432 1.21 / infotec Network Printer C model / infotec Network Scanner C model": "ISC 2432",
		"RICOH Aficio MP C3002 2.20 / RICOH Network Printer C model / RICOH Network Scanner C model": "Aficio MP C3002",
		"nashuatec MP 2352 1.03 / nashuatec Network Printer C model":                                 "MP 2352",
	} {
		if o := identifyRec(t, "1.3.6.1.2.1.1.1.0|4|"+descr+"\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.367.1.1"); o.Model != want {
			t.Errorf("%q: model %q, want %q", descr, o.Model, want)
		}
	}
}
