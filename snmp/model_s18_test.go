package snmp

import "testing"

// TestModelNotAttachedUnitS18: a maker's table whose rows point into the
// table itself (Opengear's ogEmdStatusTable) lists attached units, and
// the unit's name ("EMD5000") is not the console server's model; a
// chassis table whose type column points at the maker's registration of
// the product keeps its model ("OD-16-HD").
func TestModelNotAttachedUnitS18(t *testing.T) {
	o := identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|Linux hostname 1.2.3-uc1 #1 Thu Feb 28 03:10:00 UTC 2018 armv5tel",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.25049.1.61",
		"1.3.6.1.4.1.25049.17.1.1|4|1.2.3u1 ba4323ca ()",
		"1.3.6.1.4.1.25049.17.1.2|4|12345678954321",
		"1.3.6.1.4.1.25049.17.9.1.2.1.1|6|1.3.6.1.4.1.25049.17.9.1.1.1",
		"1.3.6.1.4.1.25049.17.9.1.3.1.1|4|EMD5000",
		"1.3.6.1.4.1.25049.17.9.1.5.1.1|2|32")
	if o.Model == "EMD5000" {
		t.Errorf("model %q: an attached monitor's name", o.Model)
	}
	o = identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|Linux hostname 1.2.3-uc1 #1 Thu Feb 28 03:10:00 UTC 2018 armv5tel",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.25049.1.61",
		"1.3.6.1.4.1.25049.17.1.1|4|1.2.3u1 ba4323ca ()",
		"1.3.6.1.4.1.25049.17.1.2|4|12345678954321",
		"1.3.6.1.4.1.25049.17.9.1.2.1.1|6|1.3.6.1.4.1.25049.200.1.2.30",
		"1.3.6.1.4.1.25049.17.9.1.3.1.1|4|EMD5000",
		"1.3.6.1.4.1.25049.17.9.1.5.1.1|2|32")
	if o.Model != "EMD5000" {
		t.Errorf("model %q, want EMD5000: a type column pointing at a registration", o.Model)
	}
	if columnArc([]string{"1", "2", "3"}, []string{"1", "2", "4"}) != 0 || columnArc([]string{"1", "2", "3", "4"}, []string{"1", "5", "3", "4"}) != 1 {
		t.Error("columnArc")
	}
}

// TestModelClassNounS18: a chassis row's description that ends with the
// row's class as a common noun ("MP-118 chassis") names the product
// before it; a capitalised "Chassis" is the product name's and stays.
func TestModelClassNounS18(t *testing.T) {
	for _, c := range []struct{ descr, want string }{
		{"MP-118 chassis", "MP-118"},
		{"Aruba 8325 1-slot Chassis", "Aruba 8325 1-slot Chassis"},
	} {
		o := identifyLines(t,
			"1.3.6.1.2.1.1.1.0|4|Product: GW 8 FXS;SW Version: 6.60A.309.001",
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.5003.8.1.1.56",
			"1.3.6.1.2.1.47.1.1.1.1.2.67112960|4|"+c.descr,
			"1.3.6.1.2.1.47.1.1.1.1.5.67112960|2|3",
			"1.3.6.1.2.1.47.1.1.1.1.7.67112960|4|Default Physical Name")
		if o.Model != c.want {
			t.Errorf("%q: model %q, want %q", c.descr, o.Model, c.want)
		}
	}
	if classNoun("Cumulus Networks VX chassis") != "Cumulus Networks VX chassis" {
		t.Error("classNoun dropped the noun of a name with no number")
	}
}

// TestModelOrderedProductS18: a chassis row's model name that is the
// product number sysDescr gives without its hyphens and with a variant's
// digits ("PL1000IL0005") is the product's ordering code: the product
// number names the model.
func TestModelOrderedProductS18(t *testing.T) {
	o := identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|PL-1000IL",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.4515.100.1.1000.7",
		"1.3.6.1.2.1.47.1.1.1.1.2.1001|4|Main Board",
		"1.3.6.1.2.1.47.1.1.1.1.5.1001|2|3",
		"1.3.6.1.2.1.47.1.1.1.1.7.1001|4|PL-1000IL",
		"1.3.6.1.2.1.47.1.1.1.1.13.1001|4|PL1000IL0005")
	if o.Model != "PL-1000IL" {
		t.Errorf("model %q, want PL-1000IL", o.Model)
	}
	for _, c := range [][2]string{{"PL1000IL0005", "PL 1000IL"}, {"PL1000ILX5", "PL-1000IL"}, {"AB12-3", "AB-12"}} {
		if got := orderedProduct(c[0], c[1]); got != c[0] {
			t.Errorf("orderedProduct(%q, %q) = %q, want it kept", c[0], c[1], got)
		}
	}
}

// TestModelSeriesMemberS18: a description that names the series and,
// as a software image does, the member joined to it by an underscore
// ("ZXR10 ROS … ZXR10_5928 Software") names the member: "ZXR10 5928".
func TestModelSeriesMemberS18(t *testing.T) {
	o := identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|ZXR10 ROS Version V4.08.23 ZXR10_5928 Software, Version ZXR10 5900 V2.8.23.A.19.P02 Copyright (c) 2000-2011 by ZTE Corporation Compiled",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.3.100.20")
	if o.Model != "ZXR10 5928" {
		t.Errorf("model %q, want ZXR10 5928", o.Model)
	}
	if seriesMember("ZXR10", "ZXR10 ROS ZXR10_ab Software") != "" || seriesMember("ZXR10", "ZXR10 5928") != "" {
		t.Error("seriesMember named a member the description does not join to the series")
	}
}

// TestModelProCurveNumberS18: ProCurve's "J8697A Switch 5406zl" names the
// product number and the model, not the word between them.
func TestModelProCurveNumberS18(t *testing.T) {
	o := identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|ProCurve J8697A Switch 5406zl, revision K.15.04.0007, ROM K.15.13 (/sw/code/build/btm(K_15_04))",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.11.2.3.7.11.50")
	if o.Model != "J8697A 5406zl" {
		t.Errorf("model %q, want J8697A 5406zl", o.Model)
	}
}

// TestModelZyxelDescrLastS18: a Zyxel gateway's description opens with
// its Wi-Fi class ("AC2800 (4x4 11ac …) … IAD"); the maker's identity
// group names the model, which comes before sysDescr's first word.
func TestModelZyxelDescrLastS18(t *testing.T) {
	o := identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|AC2800 (4x4 11ac + 3x3 11n) G.fast/VDSL 35b (Vplus) selectable IAD",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.890",
		"1.3.6.1.4.1.890.1.2.1.1.1.0|4|V5.13(ABMT.0)C0",
		"1.3.6.1.4.1.890.1.2.1.1.2.0|4|XMG3927-B50A",
		"1.3.6.1.4.1.890.1.2.1.1.10.0|4|S204135008819")
	if o.Model != "XMG3927-B50A" {
		t.Errorf("model %q, want XMG3927-B50A", o.Model)
	}
	o = identifyLines(t, "1.3.6.1.2.1.1.1.0|4|GS1900-8", "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.890.1.15.9")
	if o.Model != "GS1900-8" {
		t.Errorf("model %q, want GS1900-8: sysDescr still answers alone", o.Model)
	}
}

// TestModelOpeningProductS18: behind a Linux agent, a maker's identity
// group that opens with the product's name in capitals and then its
// serial ("MODULYS GP 2.0", "PD04405001") names the model; an
// administrator's label there ("Server room") does not.
func TestModelOpeningProductS18(t *testing.T) {
	for _, c := range []struct{ first, want string }{{"MODULYS GP 2.0", "MODULYS GP 2.0"}, {"Server room", ""}} {
		o := identifyLines(t,
			"1.3.6.1.2.1.1.1.0|4|Linux localhost.localdomain 2.6.37.6-lsp-3.2.5_stm24_0012-spear3xx #105 Mon Dec 24 14:49:28 CST 2018 armv5tejl",
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10",
			"1.3.6.1.4.1.64555.1.1.7.1.1.1.0|4|"+c.first,
			"1.3.6.1.4.1.64555.1.1.7.1.1.2.0|4|PD04405001",
			"1.3.6.1.4.1.64555.1.1.7.1.1.5.0|4|Net Vision 7 v7.20")
		if got := o.Model; got != c.want && (c.want != "" || got == c.first) {
			t.Errorf("%q: model %q, want %q", c.first, got, c.want)
		}
	}
}

// TestModelPortsLeadS18: a chassis description too long for a model
// that lists the ports after the product's name names the product, not
// the digits-only part number beside it.
func TestModelPortsLeadS18(t *testing.T) {
	o := identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|Waveserver Platform",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.1271.3.4.6",
		"1.3.6.1.2.1.47.1.1.1.1.2.1|4|Waveserver 40x10GE/10x40GE/4x100GE QSFP+/QSFP28, 2x100G/2x150G/2x200G Wavelogic 3 Extreme Coherent Optical Processors",
		"1.3.6.1.2.1.47.1.1.1.1.5.1|2|3",
		"1.3.6.1.2.1.47.1.1.1.1.7.1|4|Chassis",
		"1.3.6.1.2.1.47.1.1.1.1.13.1|4|186-2003-901")
	if o.Model != "Waveserver" {
		t.Errorf("model %q, want Waveserver", o.Model)
	}
	if classNoun("Switch 24x1G") != "Switch 24x1G" {
		t.Error("portsLead cut a description short enough for a model")
	}
}

// TestModelNotReleaseS18: a release in the VRB shape among the maker's
// first objects ("V1R12B192sp18") is the software's, not the model.
func TestModelNotReleaseS18(t *testing.T) {
	o := identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|EasyPath Ethernet-PON",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.10072.2.20",
		"1.3.6.1.4.1.10072.2.20.1.1.1.1.1.7.1|4|V5.2.59.0",
		"1.3.6.1.4.1.10072.2.20.1.1.1.1.1.8.1|4|V1R12B192sp18",
		"1.3.6.1.4.1.10072.2.20.1.1.1.1.1.9.1|4|V2.3B1",
		"1.3.6.1.4.1.10072.2.20.1.1.2.1.1.18.1.1|4|4PA0S16091000090")
	if o.Model == "V1R12B192sp18" {
		t.Errorf("model %q: a release", o.Model)
	}
}
