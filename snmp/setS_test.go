package snmp

import "testing"

// TestSetSGrammars: setS's general causes (session 40): an image name's
// release with its build after "_" before the embedded OS's version, a
// release whose first group ends in a letter, VRP's platform version with
// the product release beside it and the full model its first line names,
// any revision letter in Aruba's part code, a DDMONYYYY date no serial.
func TestSetSGrammars(t *testing.T) {
	for _, c := range []struct{ oid, descr, model, firmware string }{
		{"", "IBM PDU 46W1608(46M4003) OPDP_sIBM_v01.3_8 FreeRTOS_4.2.1 Lwip_1.2.0", "46W1608", "01.3_8"},
		{"1.3.6.1.4.1.1588.3.3.1.2000", "Extreme BR-SLX9850-4 Router, SLX Operating System Version 18r.1.00a.", "BR-SLX9850-4", "18r.1.00a"},
		{"1.3.6.1.4.1.2011.2.23.343", "S6720-54C-EI-48S-AC\nHuawei Versatile Routing Platform Software\nVRP (R) software,Version 5.170 (S6720 V200R010C00SPC600)\nCopyright (C) 2007 Huawei Technologies Co., Ltd.", "S6720-54C-EI-48S-AC", "5.170 (V200R010C00SPC600)"},
		{"1.3.6.1.4.1.47196.4.1.1.1.309", "Aruba JL728B 6200F 48G CL4 4SFP+740W Swch ML.10.13.1030", "6200F 48G CL4 4SFP+740W", "ML.10.13.1030"},
	} {
		vs := newValues(c.descr)
		id := identify(c.oid, candidates(c.oid, vs.descr), vs)
		if id.Model != c.model || id.Firmware != c.firmware {
			t.Errorf("%.30q: model %q firmware %q, want %q %q", c.descr, id.Model, id.Firmware, c.model, c.firmware)
		}
		if c.oid == "1.3.6.1.4.1.47196.4.1.1.1.309" && id.Family != "aruba-cx" {
			t.Errorf("JL728B: rule %q, want aruba-cx", id.Family)
		}
	}
	if !dateLike.MatchString("04NOV2011") || serialShape("04NOV2011", "") || dateLike.MatchString("CYQ2618K539") {
		t.Error("04NOV2011 is a date, CYQ2618K539 none")
	}
}

// TestLeadingMaker: with no sysObjectID, the maker whose name opens
// sysDescr; none for a system's banner or an agent's name.
func TestLeadingMaker(t *testing.T) {
	for descr, want := range map[string]string{
		"HP J9774A 2530-8G-PoEP Switch, revision YA.16.03.0004": "HP",
		"IBM PDU 46W1608(46M4003) OPDP_sIBM_v01.3_8":            "IBM",
		"Extreme Networks X460-48t":                             "Extreme Networks",
		"HPE OfficeConnect Switch 1820 24G J9980A":              "HPE",
		"Linux host 5.10.0":                                     "",
		"Net-SNMP 5.9":                                          "",
		"HPX 12":                                                "",
	} {
		vs := newValues(descr)
		if got := identify("", candidates("", vs.descr), vs).Make; got != want {
			t.Errorf("%q: make %q, want %q", descr, got, want)
		}
	}
}

// TestIBMModels: IBM's part number that starts with digits, and the model
// after a product line's name at the end of a long description.
func TestIBMModels(t *testing.T) {
	for _, c := range [][3]string{
		{"", "IBM PDU 46W1608(46M4003) OPDP_sIBM_v01.3_8 FreeRTOS_4.2.1 Lwip_1.2.0", "46W1608"},
		{"1.3.6.1.4.1.26543.1.7.7", "IBM Networking Operating System RackSwitch G8052", "RackSwitch G8052"},
	} {
		vs := newValues(c[1])
		if got := identify(c[0], candidates(c[0], vs.descr), vs).Model; got != c[2] {
			t.Errorf("%q: model %q, want %q", c[1], got, c[2])
		}
	}
}
