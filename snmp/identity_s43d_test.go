package snmp

import (
	"testing"

	"tend/inventory"
)

// TestVRP3BannerS43d: Huawei VRP 3.x's banner names the product after
// the Quidway brand with or without its series and class words, and the
// release or feature build after the platform version, which is kept
// beside it as VRP 5's "(V200R…)" is.
func TestVRP3BannerS43d(t *testing.T) {
	for _, c := range []struct {
		descr, model, firmware string
	}{
		{"Huawei Versatile Routing Platform Software VRP Software Version 3.40, Release 0311P07 Quidway Series Router AR28-31 Copyright (c) 1998-2011 Huawei Technologies Co., Ltd. All rights reserved. ",
			"AR28-31", "3.40 (Release 0311P07)"},
		{"Huawei Versatile Routing Platform Software,VRP software, Version 3.40, Feature 0121L01.Quidway Router AR18-34E.Copyright (c) 1998-2009 Huawei Technologies Co., Ltd. All rights reserved.",
			"AR18-34E", "3.40 (Feature 0121L01)"},
		{"Huawei Versatile Routing Platform Software, Software Version 3.10, Release 0042P01 Quidway S3928P-EI Copyright(c) 1998-2008 Huawei Technologies Co., Ltd. All rights reserved.",
			"S3928P-EI", "3.10"},
	} {
		o := identifyRec(t, "1.3.6.1.2.1.1.1.0|4|"+c.descr)
		if o.Model != c.model || o.Firmware != c.firmware || o.Make != "Huawei" {
			t.Errorf("%.60q: make %q model %q firmware %q, want Huawei %q %q", c.descr, o.Make, o.Model, o.Firmware, c.model, c.firmware)
		}
	}
}

// TestHexWordTextS43d: a value written as three or more "0xNN" byte
// words that spell printable ASCII is read as the text they spell; a
// shorter run, a byte outside printable ASCII or a word of another shape
// leaves the text as it is.
func TestHexWordTextS43d(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0x43 0x52 0x30 0x31 0x39 0x30 0x36 0x42 0x42 0x48 0x31 0x31", "CR01906BBH11"},
		{"0X31 0x2E 0x30", "1.0"},
		{"0x41 0x42", "0x41 0x42"},                     // two words: a code as likely
		{"0x43 0x52 0x00 0x31", "0x43 0x52 0x00 0x31"}, // not printable
		{"0x43 0x52 0x3 0x31", "0x43 0x52 0x3 0x31"},
		{"0x43  0x52 0x30", "0x43  0x52 0x30"},
		{"0x43 0x52 0x3G", "0x43 0x52 0x3G"},
		{"0x20 0x20 0x20", "0x20 0x20 0x20"}, // spaces only: nothing
		{"0x1234 firmware", "0x1234 firmware"},
	} {
		if got := hexWordText(c.in); got != c.want {
			t.Errorf("hexWordText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	o := identifyRec(t, `
1.3.6.1.2.1.1.1.0|4|UPS Local
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.3808
1.3.6.1.2.1.33.1.1.1.0|4|CPS
1.3.6.1.2.1.33.1.1.2.0|4|GX1500U
1.3.6.1.2.1.33.1.1.3.0|4|0x43 0x52 0x30 0x31 0x39 0x30 0x36 0x42 0x42 0x48 0x31 0x31
1.3.6.1.2.1.33.1.1.4.0|4|4.9.0`)
	if o.Firmware != "CR01906BBH11" {
		t.Errorf("UPS-MIB software version in byte words: firmware %q, want CR01906BBH11", o.Firmware)
	}
}

// TestModuleRowNamedByDescrS43d: when every ENTITY-MIB row read is a
// part, the row whose model name is a word of sysDescr (bare, in
// brackets) stands for the device; a part sysDescr does not name is
// still passed over; a kernel's name with the comma a banner puts after
// it is no model.
func TestModuleRowNamedByDescrS43d(t *testing.T) {
	const wap = `
1.3.6.1.2.1.1.1.0|4|Linux, Cisco Systems, Inc WAP561 (WAP561-E-K9), Version 1.2.1.6
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.6.1.32.561.1
1.3.6.1.2.1.47.1.1.1.1.2.1|4|WAP561 Wireless-N Dual Radio Selectable-Band Access Point with Single Point Setup
1.3.6.1.2.1.47.1.1.1.1.4.1|2|0
1.3.6.1.2.1.47.1.1.1.1.5.1|2|9
1.3.6.1.2.1.47.1.1.1.1.11.1|4|PSZ1234ABCD
1.3.6.1.2.1.47.1.1.1.1.13.1|4|`
	o := identifyRec(t, wap+"WAP561-E-K9")
	if o.Model != "WAP561-E-K9" || o.Serial != "PSZ1234ABCD" {
		t.Errorf("module row sysDescr names: model %q serial %q, want the row's", o.Model, o.Serial)
	}
	o = identifyRec(t, wap+"PWR-500W-AC")
	if o.Model == "Linux," || o.Model == "PWR-500W-AC" || o.Serial == "PSZ1234ABCD" {
		t.Errorf("module row sysDescr does not name: model %q serial %q, want neither the part's nor the kernel's", o.Model, o.Serial)
	}
	for _, v := range []string{"Linux,", "Linux", "VxWorks;", "FreeBSD:"} {
		if implausible("model", v) == "" {
			t.Errorf("implausible(model, %q) = \"\", want an operating system's name", v)
		}
	}
	if implausible("model", "Linux-Box 5") != "" {
		t.Errorf("implausible(model, Linux-Box 5) names a reason, want none")
	}
}

// TestPrintServerAttachedS43d: a print server's description names the
// printer after "Attached to": that is the model, not the server's own
// name; the maker's word opening the description names the make over a
// print-server OEM's enterprise number; a description without the
// phrase leaves the server's name alone.
func TestPrintServerAttachedS43d(t *testing.T) {
	o := identifyRec(t, `
1.3.6.1.2.1.1.1.0|4|OKI OkiLAN 7400g Rev.01.00 10/100/1000BASE Ethernet Print Server: Attached to MC780 Rev.01.00: Oki Data Corporation.
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.1129.2.3.48.3`)
	if o.Make != "OKI" || o.Model != "MC780" || o.Firmware != "01.00" {
		t.Errorf("OkiLAN attached to MC780: %q %q %q, want OKI MC780 01.00", o.Make, o.Model, o.Firmware)
	}
	o = identifyRec(t, `
1.3.6.1.2.1.1.1.0|4|OKI OkiLAN 7400g Rev.01.00 10/100/1000BASE Ethernet Print Server
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.1129.2.3.48.3`)
	if o.Model == "MC780" || o.Make != "OKI" {
		t.Errorf("OkiLAN alone: %q %q, want OKI and the server's name or none", o.Make, o.Model)
	}
	for _, c := range []struct{ oid, make string }{{"1.3.6.1.4.1.3808", "CyberPower"}, {"1.3.6.1.4.1.20992.2.32", "Cradlepoint"}, {"1.3.6.1.4.1.2001.1.1.1.1", "OKI"}} {
		if _, name := enterprise(c.oid); name != c.make {
			t.Errorf("enterprise(%s) = %q, want the maker's short name %q", c.oid, name, c.make)
		}
	}
}

// TestMakerRowsOnlyS43d: an agent that answers only its maker's rows (no
// system group) is made by the enterprise its rows lie under; an iDRAC
// that answers no drsFirmwareVersion gives its firmware in
// drsProductVersion, the build dropped, and drsFirmwareVersion wins where
// both answer.
func TestMakerRowsOnlyS43d(t *testing.T) {
	const drac = `
1.3.6.1.4.1.674.10892.2.1.1.1.0|4|Integrated Dell Remote Access Controller 6
1.3.6.1.4.1.674.10892.2.1.1.2.0|4|iDRAC6
1.3.6.1.4.1.674.10892.2.1.1.4.0|4|Dell
1.3.6.1.4.1.674.10892.2.1.1.5.0|4|1.98 (Build "08")`
	o := identifyRec(t, drac)
	if o.Make != "Dell" || o.Firmware != "1.98" {
		t.Errorf("DRAC rows only: make %q firmware %q, want Dell 1.98", o.Make, o.Firmware)
	}
	o = identifyRec(t, drac+"\n1.3.6.1.4.1.674.10892.2.1.2.1.0|4|1.99")
	if o.Firmware != "1.99" {
		t.Errorf("DRAC with drsFirmwareVersion: firmware %q, want 1.99", o.Firmware)
	}
	o = identifyRec(t, `
1.3.6.1.4.1.3808.1.1.1.1.1.1.0|4|OR2200LCDRT2U
1.3.6.1.4.1.3808.1.1.1.1.2.1.0|4|BFAD101*781`)
	if o.Make != "CyberPower" {
		t.Errorf("CPS-MIB rows only: make %q, want CyberPower", o.Make)
	}
	o = identifyRec(t, `
1.3.6.1.4.1.8072.1.3.2.1.0|2|1
1.3.6.1.4.1.8072.1.3.2.2.1.2.7.118.101.114.115.105.111.110|4|/bin/echo`)
	if o.Make != "" {
		t.Errorf("net-snmp's rows only: make %q, want none (an agent's, not a maker's)", o.Make)
	}
}

// TestFirmwareBarDateS43d: a release with its build date after a bar is
// the release; a bar before other text stays.
func TestFirmwareBarDateS43d(t *testing.T) {
	for in, want := range map[string]string{
		"V2.90(ABTO.1) | 03/04/2025":   "V2.90(ABTO.1)",
		"V4.70(ABBI.2) | 12/17/2021":   "V4.70(ABBI.2)",
		"V2.90(ABTO.1) | build 7":      "V2.90(ABTO.1) | build 7",
		"V2.90(ABTO.1) | 03/04/2025 x": "V2.90(ABTO.1) | 03/04/2025 x",
	} {
		if got := tidyFirmware(in); got != want {
			t.Errorf("tidyFirmware(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestJetDirectOEMMakerS43d: another maker's print server answering
// under JetDirect's sysObjectID and naming itself first is that maker's;
// HP's own is HP's.
func TestJetDirectOEMMakerS43d(t *testing.T) {
	for descr, want := range map[string]string{
		"Brother NC-6400h, Firmware Ver.1.11  ,MID 8C5-A52,FID 2": "Brother",
		"HP ETHERNET MULTI-ENVIRONMENT,ROM none,JETDIRECT,JD153":  "HP",
	} {
		o := identifyRec(t, "1.3.6.1.2.1.1.1.0|4|"+descr+"\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.11.2.3.9.1")
		if o.Make != want {
			t.Errorf("%q under JetDirect's OID: make %q, want %q", descr, o.Make, want)
		}
	}
}

// TestOceanStorS43d: Huawei's OceanStor arrays (sysObjectID 2011.2.91,
// "ISM SNMP Agent") are storage made by Huawei.
func TestOceanStorS43d(t *testing.T) {
	o := identifyRec(t, "1.3.6.1.2.1.1.1.0|4|ISM SNMP Agent\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2011.2.91")
	if o.Make != "Huawei" || o.Type != inventory.TypeNAS || o.OS != "OceanStor" {
		t.Errorf("OceanStor: make %q type %q os %q, want Huawei nas OceanStor", o.Make, o.Type, o.OS)
	}
}
