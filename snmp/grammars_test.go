package snmp

import (
	"slices"
	"strconv"
	"testing"
)

// setEntity fills ENTITY-MIB columns of vs: col → rows of index, value.
func setEntity(vs *values, col int, rows ...[2]string) {
	key := entPhysicalEntry + "." + strconv.Itoa(col)
	for _, r := range rows {
		vs.column[key] = append(vs.column[key], row{index: r[0], value: value{text: r[1]}})
	}
}

// TestEntityStackUnit: an empty stack row gives way, per field, to the
// unit row under it (model, serial) and to the management module under
// that (firmware); a port's or power supply's values never answer.
func TestEntityStackUnit(t *testing.T) {
	vs := newValues("ECS2100-28P")
	setEntity(vs, entColClass, [2]string{"1", "11"}, [2]string{"101", "5"}, [2]string{"201", "9"}, [2]string{"1001", "10"})
	setEntity(vs, entColContainedIn, [2]string{"1", "0"}, [2]string{"101", "1"}, [2]string{"201", "101"}, [2]string{"1001", "101"})
	setEntity(vs, entColModel, [2]string{"1", ""}, [2]string{"101", "ECS2100-28P"}, [2]string{"1001", "PORTMODEL1"})
	setEntity(vs, entColSerial, [2]string{"1", ""}, [2]string{"101", "EC1806001051"}, [2]string{"201", "EC1806001051"})
	setEntity(vs, entColFirmwareRev, [2]string{"1", ""}, [2]string{"201", "1.2.2.17"}, [2]string{"1001", "9.9.9"})
	id := identify("1.3.6.1.4.1.259.10.1.43.105", candidates("1.3.6.1.4.1.259.10.1.43.105", "ECS2100-28P"), vs)
	if id.Model != "ECS2100-28P" || id.Serial != "EC1806001051" || id.Firmware != "1.2.2.17" {
		t.Errorf("model %q firmware %q serial %q, want the unit's model and serial and the module's firmware", id.Model, id.Firmware, id.Serial)
	}
	// The port's model never stands for the device.
	vs = newValues("Acme")
	setEntity(vs, entColClass, [2]string{"1", "11"}, [2]string{"1001", "10"})
	setEntity(vs, entColContainedIn, [2]string{"1", "0"}, [2]string{"1001", "1"})
	setEntity(vs, entColModel, [2]string{"1001", "SFP-10G-LR"})
	if got := vs.entityValue(entColModel, vs.chassis()); got != "" {
		t.Errorf("model %q from a port", got)
	}
}

// TestEntityDescriptionsOnly: an agent that fills only entPhysicalDescr
// names the product in its first row; an order number yields to it.
func TestEntityDescriptionsOnly(t *testing.T) {
	vs := newValues("Ericsson IPOS-18.1.1.9.98p30-Release")
	setEntity(vs, entColDescr, [2]string{"1", "SSR 8020 chassis"}, [2]string{"2", "SSR 8020 backplane SN:DH80092734"})
	id := identify("1.3.6.1.4.1.193.218.1.17", candidates("1.3.6.1.4.1.193.218.1.17", vs.descr), vs)
	if id.Model != "SSR 8020" {
		t.Errorf("model %q, want the first row's description less its class noun (classNoun)", id.Model)
	}
	vs = newValues("Acme")
	setEntity(vs, entColClass, [2]string{"1", "3"})
	setEntity(vs, entColDescr, [2]string{"1", "SHELF"})
	setEntity(vs, entColName, [2]string{"1", "XG116Pro"})
	setEntity(vs, entColModel, [2]string{"1", "1078904455-01"})
	id = identify("1.3.6.1.4.1.2544.1.12.1.1", candidates("1.3.6.1.4.1.2544.1.12.1.1", vs.descr), vs)
	if id.Model != "XG116Pro" {
		t.Errorf("model %q, want the name XG116Pro before the order number", id.Model)
	}
}

// TestLinuxArchLastResort: on a hardware maker's own agent the kernel's
// architecture and release yield to what the maker reports; on net-snmp's
// they still answer.
func TestLinuxArchLastResort(t *testing.T) {
	descr := "Linux hostname1 7.5.4 #1 12:38:14 Feb 15 2021 UTC ppc"
	vs := newValues(descr)
	setEntity(vs, entColDescr, [2]string{"1", "Carrier 5U"})
	id := identify("1.3.6.1.4.1.3652.3", candidates("1.3.6.1.4.1.3652.3", descr), vs)
	if id.Model != "Carrier 5U" {
		t.Errorf("model %q, want the maker's Carrier 5U before Generic PowerPC", id.Model)
	}
	vs.subtree = []value{{text: "PD04405001"}, {text: "7.20"}}
	if id = identify("1.3.6.1.4.1.3652.3", candidates("1.3.6.1.4.1.3652.3", descr), vs); id.Firmware != "7.20" {
		t.Errorf("firmware %q, want the vendor MIB's 7.20 before the kernel's 7.5.4", id.Firmware)
	}
	vs = newValues(descr)
	id = identify("1.3.6.1.4.1.8072.3.2.10", candidates("1.3.6.1.4.1.8072.3.2.10", descr), vs)
	if id.Model != "Generic PowerPC" || id.Firmware != "7.5.4" {
		t.Errorf("net-snmp: model %q firmware %q, want Generic PowerPC and 7.5.4", id.Model, id.Firmware)
	}
}

// TestSysDescrGrammars: the generic grammars read vendors' ways of
// writing a version and a model, and leave what is not one.
func TestSysDescrGrammars(t *testing.T) {
	for descr, want := range map[string][2]string{ // model, firmware; "-": not checked
		"Linux dev-giga 2.6.34-GIGAMONsmp GigaVUE-OS 5.16.00 #327068 SMP ppc":                {"", ""}, // a kernel banner: no grammar runs
		"V5812G NOS 6.07p1/00:d0:cb:f5:b9:8b":                                                {"-", "6.07p1"},
		"Nokia 1830 PSD 10G R23.6":                                                           {"-", "R23.6"},
		"IBM OS/400 V7R1M0":                                                                  {"-", "V7R1M0"},
		"Dell S5830dn version NH62.YS.N636 kernel 3.0.0":                                     {"S5830dn", "NH62.YS.N636"},
		"CC8800D-E;hardware version:V2.2.4;software version:V2.3.0.54-C.BT":                  {"CC8800D-E", "V2.3.0.54-C.BT"},
		"illustra IFS03D1OCWIT Network camera 05-27-2019":                                    {"IFS03D1OCWIT", "-"},
		"Cambium cnWave V3000 Distribution Node, Version 1.2.2.1":                            {"V3000", "1.2.2.1"},
		"ExtremeXOS (X480-24x(10G4X)) version 15.3.5.2 v1535b2-patch1-13":                    {"X480-24x(10G4X)", "15.3.5.2"},
		"Cisco IOS Software, C2960S Software (C2960S-UNIVERSALK9-M), Version 15.2(2a)E1":     {"", ""},
		"Pica8, Inc. PicOS for as7326_56x":                                                   {"as7326_56x", "-"},
		"SAF microwave radio;CFIP Integra-X IDU v1.10.2;Model:5;HW:2":                        {"CFIP Integra-X IDU", "-"},
		"Acme Internetwork Operating System Software  XG2200 Series Software, Version 3.0.1": {"XG2200", "-"},
		"\"BDCOM(tm) S2900-24S8C4X Software, Version 123539\nhardware version: A\"":          {"S2900-24S8C4X", "-"},
		"Cisco NX-OS(tm) n5000, Software (n5000-uk9), Version 7.3(3)N1(1), RELEASE SOFTWARE": {"", "-"},
		"FB2901 FB2900 Hamman+ (V1.55.126 2021-03-10T14:00:34)":                              {"FB2901", "-"}, // the first part number, not the maker's name
		"GbE2c L2/L3 Ethernet Blade Switch for HP c-Class BladeSystem":                       {"GbE2c", "-"},
		"TiMOS-B-9.0.R11 both/hops Nokia 7705 SAR Copyright (c) 2000-2020 Nokia.":            {"7705 SAR", "-"},
		"Netgear GS108Tv3 8-Port Gigabit Smart Managed Plus Switch":                          {"GS108Tv3", "-"},
	} {
		vs := newValues(descr)
		vendor, standard := fallbacks(99999, vs)
		id := &identity{}
		got := [2]string{id.first("model", slices2(vendor[0], standard[0]), vs, ""), id.first("firmware", slices2(vendor[1], standard[1]), vs, "")}
		if descr[:5] == "Cisco" {
			got[1] = "" // the Cisco rules read its version; here only the model matters
		}
		for i := range want {
			if want[i] == "-" {
				got[i] = "-"
			}
		}
		if got != want {
			t.Errorf("%q: model, firmware %q, want %q", descr, got, want)
		}
	}
}

func slices2(a []source, b [][]source) []source { return slices.Concat(append([][]source{a}, b...)...) }

// TestSubtreeGuesses: among an unknown vendor's first objects the model
// guess takes a product name, not the serial, version, a label, a path,
// an interface, a hash or a power rail; the version guess takes build and date
// suffixes.
func TestSubtreeGuesses(t *testing.T) {
	vs := newValues("Acme")
	for _, s := range []string{"eth0", "PS1 Status", "Version 8.0n", "sys/switch-A/fan-1", "vThunder3ac80f21f3ad31e1", "5VCC", "3.3VSB",
		"FCH2126720R", "1.17 Build 21091612", "UCSC-C220-M4S"} {
		vs.subtree = append(vs.subtree, value{text: s})
	}
	if got := vs.guess(guessModel); got != "UCSC-C220-M4S" {
		t.Errorf("model guess %q, want UCSC-C220-M4S", got)
	}
	if got := vs.guess(guessSerial); got != "FCH2126720R" {
		t.Errorf("serial guess %q, want FCH2126720R", got)
	}
	if got := vs.guess(guessVersion); got != "1.17 Build 21091612" {
		t.Errorf("version guess %q, want 1.17 Build 21091612", got)
	}
	vs.subtree = []value{{text: "Temperature & SensorGateway"}, {text: "Release 3.04"}, {text: "27.5"}}
	if got := vs.guess(guessVersion); got != "3.04" {
		t.Errorf("version guess %q, want 3.04 after its label", got)
	}
	for v, want := range map[string]bool{"V6.2  build 20080519": true, "5.36.0069Rel / 20.04.2022": true, "6.1.1 (2019-04-18)": true,
		"7.05 1 Dec 2022": true, "1.2.3 and more words": false, "Version 8.0n": false} {
		if versionShape(v) != want {
			t.Errorf("versionShape(%q) = %v", v, !want)
		}
	}
	for v, want := range map[string]bool{"1113-8637-D091": false, "00:11:22:33:44:55": true, "001122334455": true, "00-11-22-33-44-55": true} {
		if macLike.MatchString(v) != want {
			t.Errorf("macLike(%q) = %v", v, !want)
		}
	}
}

// TestSeriesAndTrailingCode: the "<line> Series <what> <model>, <OS>
// <version>" description and a short one ending in a lower-case product
// code name the model (products no recording has); an architecture at
// the end is no product code (the OpenBSD entry names the machine).
func TestSeriesAndTrailingCode(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1"
	for descr, want := range map[string]string{
		"AX Series Advanced Traffic Manager AX3200-12, ACOS 2.7.2-P4-SP1,":      "AX3200-12",
		"Thunder Series Unified Application Service Gateway TH1040, ACOS 5.2.1": "TH1040",
		"Acme two channel DVB-C to IP streamer dci220":                          "dci220",
		"Acme four channel compact IP video encoder enc12B":                     "enc12B",
		"OpenBSD gw.example.net 7.4 GENERIC.MP#1397 amd64":                      "Generic x86 64-bit",
	} {
		if got := identify(oid, candidates(oid, descr), newValues(descr)).Model; got != want {
			t.Errorf("%q: model %q, want %q", descr, got, want)
		}
	}
}

// TestTidyFirmware: a firmware string loses the product number it opens
// with and a build number given twice, nothing else.
func TestTidyFirmware(t *testing.T) {
	for in, want := range map[string]string{
		"FortiGate-501E v5.6.4,build1575b1575,180425 (GA)": "v5.6.4,build1575,180425 (GA)",
		"v5.6.4,build1575b1576,180425 (GA)":                "v5.6.4,build1575b1576,180425 (GA)",
		"Cumulus Linux 3.5.3":                              "Cumulus Linux 3.5.3",
		"OS-10 v2.1":                                       "v2.1",
		"Version 5.170 V200R010C00SPC600":                  "Version 5.170 V200R010C00SPC600",
	} {
		if got := tidyFirmware(in); got != want {
			t.Errorf("tidyFirmware(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBracketModel: a bracketed product number refining a model word
// before it is the model; a release's code name, a version glued to a
// product and a bracket naming no earlier word's stem are not.
func TestBracketModel(t *testing.T) {
	for descr, want := range map[string]string{
		"ALAXALA AX2430 AX-2430-24TE-B [AX2430S-24T] Switching software Ver. 11.1.C [OS-L2]":   "AX2430S-24T",
		"ALAXALA AX3640S AX-3640-24TE-A [AX3640S-24T] Switching software Ver. 11.7.A [OS-L3A]": "AX3640S-24T",
	} {
		id := identify("1.3.6.1.4.1.21839.1.2.6", candidates("1.3.6.1.4.1.21839.1.2.6", descr), newValues(descr))
		if id.Model != want {
			t.Errorf("%q: model %q, want %q", descr, id.Model, want)
		}
	}
	for _, descr := range []string{
		"Cisco IOS Software [Everest], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 16.6.7",
		"IPBS2[10.3.9], Bootcode[10.3.9], Hardware[IPBS2-C3/1B1]",
		"Acme Switch X200 [QZ100-8T] software 1.0",
	} {
		if got := bracketModel.re.FindStringSubmatch(descr); got != nil && refinedInBrackets(got[1]) != "" {
			t.Errorf("%q: bracketed model %q", descr, refinedInBrackets(got[1]))
		}
	}
}

// TestCopyrightMaker: the copyright holder names the maker only where
// tend keeps no short name and the registry's owner is another company.
func TestCopyrightMaker(t *testing.T) {
	for _, c := range []struct {
		descr string
		ent   int
		want  string
	}{
		{"GSS-G3004700-BZ Groove G30 4.7.0 2023-11-22_1 Copyright 2023 Infinera", 42229, "Infinera"},
		{"6500 7-SLOT OPTICAL SW:1271 BN:AH (c) Ciena (R) Corporation", 562, "Ciena"},
		{"FHN switch Copyright (c) 2000-2012 by FiberHome Networks Co., Ltd", 3807, "FiberHome"},
		{"ZXR10 ROS Version V4.8.23 Copyright (c) 2000-2011 by ZTE Corporation Compiled", 3902, ""}, // the owner "(abbr. ZTE)"
		{"R6.5.02r NFXS-E FANT-H NOKIA ISAM Copyright (c) 2016 Nokia. All rights reserved.", 637, ""},
		{"Cisco IOS Software, Version 15.2 Copyright (c) 1986-2017 by Cisco Systems, Inc.", 9, ""}, // tend's short name stands
		{"Groove G30 4.7.0", 42229, ""},
	} {
		if got := copyrightMaker(c.descr, c.ent, enterpriseName(c.ent)); got != c.want {
			t.Errorf("%q (enterprise %d): maker %q, want %q", c.descr, c.ent, got, c.want)
		}
	}
}
