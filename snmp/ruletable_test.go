package snmp

import (
	"regexp"
	"strings"
	"testing"
	"unsafe"

	"tend/internal/lazyre"
	"tend/inventory"
)

// TestRulesGeneralise checks the vendor grammars on sysDescr strings of
// models and releases no setA recording has, written as those families
// write them, so the rules are not fitted to the corpus files. Where
// nothing names the model, the vendor's product MIB names the platform
// its sysObjectID stands for (Cisco's 9.1.1208 is cat29xxStack, shown
// as "Cat 29xx Stack").
func TestRulesGeneralise(t *testing.T) {
	cases := []struct {
		oid, descr                string
		make, model, firmware, os string
		typ                       inventory.DeviceType
	}{
		{"1.3.6.1.4.1.9.1.1208", "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)",
			"Cisco", "Cat 29xx Stack", "15.2(7)E4", "IOS", inventory.TypeSwitch},
		{"1.3.6.1.4.1.9.1.2068", "Cisco IOS Software [Gibraltar], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 16.12.4, RELEASE SOFTWARE (fc5)",
			"Cisco", "Cisco ISR 4331", "16.12.4", "IOS XE", inventory.TypeRouter},
		{"1.3.6.1.4.1.9.12.3.1.3.1084", "Cisco NX-OS(tm) n9000, Software (n9000-dk9), Version 9.3(8), RELEASE SOFTWARE",
			"Cisco", "", "9.3(8)", "NX-OS", inventory.TypeSwitch},
		{"1.3.6.1.4.1.2636.1.1.1.2.133", "Juniper Networks, Inc. srx300 internet router, kernel JUNOS 19.4R3-S1.3, Build date: 2020-10-01",
			"Juniper", "SRX300", "19.4R3-S1.3", "Junos", inventory.TypeFirewall},
		{"1.3.6.1.4.1.14988.1", "RouterOS CCR2004-1G-12S+2XS", "MikroTik", "CCR2004-1G-12S+2XS", "", "RouterOS", inventory.TypeRouter},
		{"1.3.6.1.4.1.12325.1.1.2.1.1", "pfSense 2.7.2-RELEASE pfSense FreeBSD 14.0-CURRENT amd64", "Netgate", "amd64", "2.7.2-RELEASE", "pfSense", inventory.TypeFirewall},
		{"1.3.6.1.4.1.11.2.3.7.11.181", "HP J9772A 2530-48G-PoE+ Switch, revision YA.16.10.0016, ROM YA.15.20 (/ws/swbuildm/rel_yakima_qaoff/code/build/lakes(swbuildm_rel_yakima_qaoff_rel_yakima))",
			"HPE", "J9772A 2530-48G-PoE+", "YA.16.10.0016", "ProCurve", inventory.TypeSwitch},
		{"1.3.6.1.4.1.4526.100.4.51", "GS108Tv3 8-Port Gigabit Smart Managed Plus Switch, 7.0.6.3, B2.0.0.4", "Netgear", "GS108Tv3", "7.0.6.3", "", inventory.TypeSwitch},
		{"1.3.6.1.4.1.311.1.1.3.1.1", "Hardware: AMD64 Family 25 Model 80 Stepping 0 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 22631 Multiprocessor Free)",
			"Microsoft", "AMD x64", "11 (23H2)", "Windows", inventory.TypeWorkstation},
		{"1.3.6.1.4.1.311.1.1.3.1.2", "Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 20348 Multiprocessor Free)",
			"Microsoft", "Intel x64", "Server 2022 (21H2)", "Windows", inventory.TypeServer},
		{"1.3.6.1.4.1.8072.3.2.10", "Linux web01 5.15.0-91-generic #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 x86_64", "", "Generic x86 64-bit", "5.15.0-91-generic", "Linux", inventory.TypeServer},
		{"1.3.6.1.4.1.7367", "DrayTek Corporation, Router Model: Vigor2865, Version: 4.4.3.1, Build Date/Time:Nov 16 2023 11:10:20", "DrayTek", "Vigor2865", "4.4.3.1", "", inventory.TypeRouter},
		{"1.3.6.1.4.1.368.1.1", " ; AXIS M3106-L Mk II; Network Camera; 10.12.220; Sep 06 2023 10:51; 1E7; 1;", "Axis", "AXIS M3106-L Mk II", "10.12.220", "AXIS OS", inventory.TypeCamera},
		{"1.3.6.1.4.1.14823.1.2.108", "ArubaOS (MODEL: 515), Version 8.10.0.6-8.10.0.6", "Aruba", "515", "8.10.0.6-8.10.0.6", "ArubaOS", inventory.TypeAP},
		{"1.3.6.1.4.1.14988.2", "CRS310-8G+2S+ SwOS v2.17", "MikroTik", "CRS310-8G+2S+", "2.17", "SwOS", inventory.TypeSwitch},
		{"1.3.6.1.4.1.4413", "EdgeSwitch 48-Port 500W, 1.9.3.5398283, Linux 3.6.5-f4a26ed5, 1.0.0.4857129", "Ubiquiti", "EdgeSwitch 48-Port 500W", "1.9.3.5398283", "EdgeSwitch", inventory.TypeSwitch},
		{"1.3.6.1.4.1.8072.3.2.8", "TrueNAS-12.0-U8.1 (b0b1e1dc3a). Hardware: amd64 AMD EPYC 7302 16-Core Processor running at 3000. Software: FreeBSD 12.2-RELEASE-p12",
			"iXsystems", "amd64 AMD EPYC 7302 16-Core Processor running at 3000", "12.0-U8.1", "TrueNAS", inventory.TypeNAS},
		{"1.3.6.1.4.1.2.3.1.2.1.1.3", "IBM PowerPC CHRP Computer\nMachine Type: 0x0800004c Processor id: 00C8F1A24C00\nBase Operating System Runtime AIX version: 07.02.0005.0100\nTCP/IP Client Support  version: 07.02.0005.0100",
			"IBM", "0x0800004c", "7.2.5.100", "AIX", inventory.TypeServer},
		{"1.3.6.1.4.1.8072.3.2.15", "AIX lpar07 3 7 00C8F1A24C00", "IBM", "", "7.3", "AIX", inventory.TypeServer},
		{"1.3.6.1.4.1.6527.1.3.17", "TiMOS-C-20.10.R7 cpm/hops64 Nokia 7750 SR Copyright (c) 2000-2021 Nokia.\r\nAll rights reserved. All use subject to applicable license agreements.",
			"Nokia", "7750 SR", "20.10.R7", "SR OS", inventory.TypeRouter},
		{"1.3.6.1.4.1.6527.1.3.4", "TiMOS-B-7.0.R9 both/i386 ALCATEL SR 7750 Copyright (c) 2000-2009 Alcatel-Lucent.", "Nokia", "SR 7750", "7.0.R9", "SR OS", inventory.TypeRouter},
		{"1.3.6.1.4.1.2356.11.1.99", "LANCOM 1793VA 10.80.0123 / 04.03.2024 4005512345100077", "LANCOM Systems", "1793VA", "10.80.0123", "LCOS", inventory.TypeRouter},
		{"1.3.6.1.4.1.2356.11.1.98", "LANCOM LW-600 10.72.0484RU6 / 10.11.2023 4006379899100012", "LANCOM Systems", "LW-600", "10.72.0484RU6", "LCOS", inventory.TypeAP},
		{"1.3.6.1.4.1.99999.1", "", "", "", "", "", inventory.TypeUnknown},
	}
	for _, c := range cases {
		t.Run(c.descr, func(t *testing.T) {
			id := identify(c.oid, candidates(c.oid, c.descr), newValues(c.descr))
			got := [5]string{id.Make, id.Model, id.Firmware, id.OS, string(id.Type)}
			want := [5]string{c.make, c.model, c.firmware, c.os, string(c.typ)}
			if got != want {
				t.Errorf("make, model, firmware, os, type\n got %q\nwant %q", got, want)
			}
		})
	}
}

// TestPartNameFixes: Fortinet's part prefixes become product names and
// AIX's zero-padded or uname-style versions read as IBM writes them.
func TestPartNameFixes(t *testing.T) {
	for in, want := range map[string]string{
		"FGT_100F": "FortiGate 100F", "FGR_70F": "FortiGate Rugged 70F", "FWB_VM": "FortiWeb VM",
		"FSW_448E": "FortiSwitch 448E", "FGVM64": "FGVM64", "FWBX": "FWBX",
	} {
		if got := fortiModel(in); got != want {
			t.Errorf("fortiModel(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"07.03.0001.0000": "7.3.1.0", "05.03.0012.0001": "5.3.12.1", "2 7": "7.2"} {
		if got := aixVersion(in); got != want {
			t.Errorf("aixVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMakerNotModel: a grammar that read the maker's name ("Force10" of
// "Dell (Force10)", "Inc" of "Ruckus Wireless, Inc.") gives no model; a
// product whose name holds the maker's ("Synology DS920+") still does.
func TestMakerNotModel(t *testing.T) {
	for _, c := range []struct {
		v, maker string
		want     bool
	}{
		{"Force10", "Dell (Force10)", true}, {"Inc", "Ruckus Wireless, Inc.", true}, {"PICA8", "PICA8 Inc.", true},
		{"Dell (Force10)", "Dell (Force10)", true}, {"DS920+", "Synology Inc.", false},
		{"Synology DS920+", "Synology Inc.", false}, {"S4048-ON", "Dell", false}, {"X", "", false},
	} {
		if got := makerWord(c.v, c.maker); got != c.want {
			t.Errorf("makerWord(%q, %q) = %v, want %v", c.v, c.maker, got, c.want)
		}
	}
	descr := "Force10 Networks Real Time Operating System Software"
	if id := identify("1.3.6.1.4.1.6027.1.3.99", candidates("1.3.6.1.4.1.6027.1.3.99", descr), newValues(descr)); id.Model != "" {
		t.Errorf("model %q, want none: Force10 is the maker", id.Model)
	}
}

// TestAgentNameNotModel: the SNMP agent's own name and an operating
// system's are no model; one with a product's number still names the
// product.
func TestAgentNameNotModel(t *testing.T) {
	for v, want := range map[string]bool{"IMCO SNMP Agent": true, "Viptela SNMP agent": true, "TCW241 SNMP Agent": false, "SNMPv3 Switch X200": false,
		"Cumulus-Linux": true, "Cumulus Linux": true, "RouterOS": true, "Linux Box 3000": false} {
		if got := implausible("model", v) != ""; got != want {
			t.Errorf("implausible(model, %q) refuses: %v, want %v", v, got, want)
		}
	}
}

// TestRulePatternsCompile compiles every pattern of the rule table: they
// compile on first use (internal/lazyre), so one that no test reaches would
// otherwise fail only on the first agent of its family.
func TestRulePatternsCompile(t *testing.T) {
	n := 0
	check := func(family string, re *lazyre.Regexp) {
		if re == nil {
			return
		}
		n++
		if _, err := regexp.Compile(re.String()); err != nil {
			t.Errorf("rule %s: %v", family, err)
		}
	}
	for _, r := range ruleTable {
		check(r.family, r.descr)
		for _, h := range r.types {
			check(r.family, h.re)
		}
		for _, fields := range [][]source{r.model, r.firmware, r.serial} {
			for _, s := range fields {
				check(r.family, s.re)
			}
		}
	}
	for _, p := range recogPrints() {
		check("recog", p.re)
	}
	for _, rows := range vendorOIDs() {
		for _, r := range rows {
			check("vendor_oids.tsv", r.re)
		}
	}
	if n < 50 {
		t.Errorf("checked %d patterns of the rule table, want its 50 or more", n)
	}
}

// TestBelow: below is strings.HasPrefix(oid, prefix+".") without the
// concatenation.
func TestBelow(t *testing.T) {
	for _, c := range []struct {
		oid, prefix string
		want        bool
	}{
		{"1.3.6.1.4.1.9.1.1", "1.3.6.1.4.1.9", true},
		{"1.3.6.1.4.1.9", "1.3.6.1.4.1.9", false},
		{"1.3.6.1.4.1.99", "1.3.6.1.4.1.9", false},
		{"1.3.6.1.4.1.9.", "1.3.6.1.4.1.9", true},
		{"1.3.6.1.4.1.8", "1.3.6.1.4.1.9", false},
		{"", "", false},
		{".1", "", true},
	} {
		if got := below(c.oid, c.prefix); got != c.want || got != strings.HasPrefix(c.oid, c.prefix+".") {
			t.Errorf("below(%q, %q) = %v, want %v", c.oid, c.prefix, got, c.want)
		}
	}
}

// TestSourceSize holds a source to 72 bytes: each pass of identify
// builds lists of a hundred-odd (fieldSources, standardSources), a third
// of an Identify's bytes on setA and setC at 96 bytes a source.
func TestSourceSize(t *testing.T) {
	if n := unsafe.Sizeof(source{}); n > 72 {
		t.Errorf("a source takes %d bytes, want at most 72 (its small numbers and flags packed together)", n)
	}
}
