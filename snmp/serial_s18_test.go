package snmp

import "testing"

// TestRedactedSerialShape: a serial whose last characters a published
// recording masks with lower-case x's ("NS083300xxxx") keeps a serial
// number's shape; a product name's mixed case and a bare mask still do
// not.
func TestRedactedSerialShape(t *testing.T) {
	for _, c := range []struct {
		v    string
		want bool
	}{
		{"NS083300xxxx", true}, {"FR60Fxxxxxxxxxxx", true}, {"NS0833001234", true}, {"CZXXXXXXXX", true},
		{"xxxxxxxx", false}, {"XXXXXXXXXXXX", false}, {"Proxxx", false}, {"RAy3-24", false}, {"NS083300xx", false}, {"CZXXX", false},
	} {
		if got := serialShape(c.v, ""); got != c.want {
			t.Errorf("serialShape(%q) = %v, want %v", c.v, got, c.want)
		}
	}
}

// TestRedactedSerialOverCard: with no family rule, a UPS whose maker's
// identity group gives its (redacted) serial beside its model answers
// that, not the management card's serial its description gives.
func TestRedactedSerialOverCard(t *testing.T) {
	o := identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|ACME Web/SNMP Management Card (MB:v4.1.1 PF:v3.9.4 AF1:v3.9.3 MN:AP9619 HR:A10 SN: PA063013xxxx MD:07/20/2006)",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.1.3.2.17",
		"1.3.6.1.4.1.64999.1.1.1.1.1.1.0|4|Widget UPS RT 3000",
		"1.3.6.1.4.1.64999.1.1.1.1.2.1.0|4|4.1",
		"1.3.6.1.4.1.64999.1.1.1.1.2.3.0|4|NS083300xxxx",
		"1.3.6.1.4.1.64999.1.1.1.2.2.3.0|67|1952600")
	if o.Serial != "NS083300xxxx" {
		t.Errorf("serial %q, want the UPS's NS083300xxxx (evidence %v)", o.Serial, o.Evidence)
	}
}

// TestOSVersionOverChassisRow: the release sysDescr gives after the
// operating system's name ("XOS version 4.15.3F running on …") is the
// running one over a chassis row's software revision of the same line
// that differs; a row of another line, or one that starts with it and
// says more, still answers.
func TestOSVersionOverChassisRow(t *testing.T) {
	for _, c := range []struct{ row, want string }{
		{"4.18.10M", "4.15.3F"}, {"4.15.3F-2.1", "4.15.3F-2.1"}, {"7.2.0", "7.2.0"},
	} {
		o := identifyLines(t,
			"1.3.6.1.2.1.1.1.0|4|Acme Networks XOS version 4.15.3F running on an Acme Networks AX-7050",
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.1.7050",
			"1.3.6.1.2.1.47.1.1.1.1.2.1|4|AX-7050 chassis",
			"1.3.6.1.2.1.47.1.1.1.1.5.1|2|3",
			"1.3.6.1.2.1.47.1.1.1.1.10.1|4|"+c.row,
			"1.3.6.1.2.1.47.1.1.1.1.11.1|4|JPE12345678",
			"1.3.6.1.2.1.47.1.1.1.1.13.1|4|AX-7050")
		if o.Firmware != c.want {
			t.Errorf("chassis row %q: firmware %q, want %q (evidence %v)", c.row, o.Firmware, c.want, o.Evidence)
		}
	}
}

// TestProductSoftwareOverPlatform: a description that gives the
// platform's version first and the product's software release after
// "Software, Version" and the product's words answers the product's;
// a plain "Software, Version <number>" still reads as before.
func TestProductSoftwareOverPlatform(t *testing.T) {
	for _, c := range []struct{ descr, want string }{
		{"ACME10 ROS Version V4.08.23 ACME10_5928 Software, Version ACME10 5900 V2.8.23.A.19.P02 Copyright (c) 2000-2011 by Acme Compiled Oct 12 2011, 11:04:37", "2.8.23.A.19.P02"},
		{"Acme Switch ROS Version V4.08.23 Software, Version 5.1.2", "5.1.2"},
	} {
		o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|"+c.descr, "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.3.100.20")
		if o.Firmware != c.want {
			t.Errorf("%.40q: firmware %q, want %q (evidence %v)", c.descr, o.Firmware, c.want, o.Evidence)
		}
	}
}

// TestISSTemplateRow: a chassis row Aricent's ISS left with its own
// defaults (named "ISS") gives the stack's template revisions, never the
// product's firmware: the maker's MIB answers. A row the maker named
// keeps its entPhysicalFirmwareRev (stackSDKRevision).
func TestISSTemplateRow(t *testing.T) {
	for _, c := range []struct{ name, want string }{{"ISS", "01.05.00"}, {"sw39.example", "10.3.5"}} {
		fw := "6.7.2"
		if c.name != "ISS" {
			fw = "10.3.5"
		}
		o := identifyLines(t,
			"1.3.6.1.2.1.1.1.0|4|WidgetPlus2 - Acme Microwave",
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.1103",
			"1.3.6.1.2.1.47.1.1.1.1.2.1|4|Network Element",
			"1.3.6.1.2.1.47.1.1.1.1.5.1|2|3",
			"1.3.6.1.2.1.47.1.1.1.1.7.1|4|"+c.name,
			"1.3.6.1.2.1.47.1.1.1.1.8.1|4|5.9.1",
			"1.3.6.1.2.1.47.1.1.1.1.9.1|4|"+fw,
			"1.3.6.1.2.1.47.1.1.1.1.10.1|4|6.2.0",
			"1.3.6.1.2.1.47.1.1.1.1.12.1|4|Aricent",
			"1.3.6.1.4.1.64999.1103.6.2.1.11.1|4|GC8503",
			"1.3.6.1.4.1.64999.1103.7.2.0|4|N50052  01.05.00")
		if o.Firmware != c.want {
			t.Errorf("row named %q: firmware %q, want %q (evidence %v)", c.name, o.Firmware, c.want, o.Evidence)
		}
	}
}

// TestCodeVersionGuess: a firmware's part code then its release is the
// version among the maker's objects; a code then a word is not.
func TestCodeVersionGuess(t *testing.T) {
	for _, c := range []struct{ text, want string }{{"N50052  01.05.00", "01.05.00"}, {"X100 rev A", ""}, {"N50052 01.05", ""}} {
		vs := newValues("WidgetPlus2 - Acme Microwave")
		vs.subtree = []value{{text: "GC8503", name: "1.3.6.1.4.1.64999.1103.6.2.1.11.1"}, {text: c.text, name: "1.3.6.1.4.1.64999.1103.7.2.0"}}
		if got := vs.guess(guessVersion); got != c.want {
			t.Errorf("%q: version %q, want %q", c.text, got, c.want)
		}
	}
}

// TestModelRelease: the release sysDescr gives right after the model
// found is the model's, over a fingerprint's first release (a print
// server's, before the printer it serves); a version a model merely
// contains, or none after it, gives none.
func TestModelRelease(t *testing.T) {
	for _, c := range []struct{ descr, model, want string }{
		{"ACME NetCard 9450g Rev.00.69 Ethernet PrintServer: Attached to MX873 Rev.07.87 : Copyright", "MX873", "07.87"},
		{"Widget WX-100 version 4.2.1 (build 7)", "WX-100", "4.2.1"},
		{"Widget WX-1000 v2.0", "WX-100", ""},
		{"Widget WX-100, SNMP V1.0", "WX-100", ""},
		{"Widget WX-100 Rev.1.2", "WX", ""},
	} {
		if got := releaseAfter(c.descr, c.model); got != c.want {
			t.Errorf("releaseAfter(%q, %q) = %q, want %q", c.descr, c.model, got, c.want)
		}
	}
	o := identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|OKI OkiLAN 9450g Rev.00.69 10/100/1000BASE Ethernet PrintServer: Attached to MC873 Rev.07.87 : Copyright (c) 2015 Oki Data Corporation.",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.1.1.1.1",
		"1.3.6.1.4.1.11.2.3.9.1.1.7.0|4|MFG:OKI DATA CORP;CMD:PCL;MDL:MC873;CLS:PRINTER;")
	if o.Model != "MC873" || o.Firmware != "07.87" {
		t.Errorf("model %q firmware %q, want MC873 07.87 (evidence %v)", o.Model, o.Firmware, o.Evidence)
	}
}
