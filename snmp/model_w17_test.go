package snmp

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"tend/inventory"
)

// identifyLines identifies an agent recorded as the snmprec lines given.
func identifyLines(t *testing.T, lines ...string) inventory.Observation {
	t.Helper()
	o, _ := identifyCounted(t, lines...)
	return o
}

// identifyCounted is identifyLines that also says how many requests the
// identification sent.
func identifyCounted(t *testing.T, lines ...string) (inventory.Observation, int) {
	t.Helper()
	rec := recordingOf(t, strings.Join(lines, "\n")+"\n")
	o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	return o, rec.calls
}

// TestModelNotHostW17: a description that is the host's numbered name
// (BlueCat's "labbdds01") or holds the redacted host's "hostname" word
// (Isilon's "Isilon OneFS hostname v7.1.1.8 …") names no model; a
// lower-case product code still does.
func TestModelNotHostW17(t *testing.T) {
	for _, c := range []struct{ descr, notWant string }{
		{"labbdds01", "labbdds01"},
		{"srv-web-02", "srv-web-02"},
		{"Widget Store hostname v7.1.1.8 Widget Store v7.1.1.8 B_7_1_1_283(RELEASE) amd64", "hostname"},
	} {
		o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|"+c.descr, "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.1")
		if strings.Contains(o.Model, c.notWant) {
			t.Errorf("%q: model %q, a host's name", c.descr, o.Model)
		}
	}
	if hostCounter.MatchString("sti410C") || hostCounter.MatchString("vedge-1000") || hostCounter.MatchString("AN5516-01") {
		t.Error("hostCounter takes a product code")
	}
}

// TestModelNotDriverW17: a printer's first device named by its generic
// driver ("Generic 28C-1") is not the printer's model.
func TestModelNotDriverW17(t *testing.T) {
	o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|ACME Office Printer",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.2",
		"1.3.6.1.2.1.25.3.2.1.2.1|6|1.3.6.1.2.1.25.3.1.5",
		"1.3.6.1.2.1.25.3.2.1.3.1|4|Generic 28C-1")
	if strings.Contains(o.Model, "Generic") {
		t.Errorf("model %q, the driver's name", o.Model)
	}
	if notDriver("MFC-L2710DW") != "MFC-L2710DW" {
		t.Error("notDriver drops a printer's model")
	}
}

// TestModelHoldsSerialW17: a description naming the unit by its serial
// number ("SFD 130128673", which the maker's MIB repeats) names no model.
func TestModelHoldsSerialW17(t *testing.T) {
	o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|SFD 130128673",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.3",
		"1.3.6.1.4.1.23.99.3.1.1.0|4|130128673")
	if o.Serial != "130128673" {
		t.Fatalf("serial %q, want 130128673", o.Serial)
	}
	if o.Model != "" {
		t.Errorf("model %q, the unit's name with its serial number", o.Model)
	}
}

// TestModelMakerTypedW17: the Open Firmware "<maker>,<type-model>" object
// names the machine ("Novell,8233-E8B" of enterprise 23) before the
// description's hexadecimal machine type, which answers only for the
// agent without it.
func TestModelMakerTypedW17(t *testing.T) {
	descr := "1.3.6.1.2.1.1.1.0|4|ACME PowerPC CHRP Computer Machine Type: 0x0800004c Processor id: 00F61F574C00"
	o := identifyLines(t, descr, "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.4",
		"1.3.6.1.4.1.23.99.4.1.6.0|4|Novell,8233-E8B", "1.3.6.1.4.1.23.99.4.1.7.0|4|Novell,02061F57P")
	if o.Model != "8233-E8B" {
		t.Errorf("model %q, want 8233-E8B", o.Model)
	}
	o = identifyLines(t, descr, "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.4")
	if o.Model != "0x0800004c" {
		t.Errorf("without the maker's objects: model %q, want 0x0800004c", o.Model)
	}
	if makerTyped("Novell,8233-E8B", "Novell") != "8233-E8B" || makerTyped("Other,8233-E8B", "Novell") != "Other,8233-E8B" {
		t.Error("makerTyped")
	}
}

// TestModelNotComponentW17: a model after another company's name in the
// maker's MIB is a component's (a cellular modem's "MC7304" after "Sierra
// Wireless, Incorporated"); an identity group's unit name with its
// ordinal ("AM3_RECT_01") and the maker's name with what the device is
// ("Novell Power System") name no model.
func TestModelNotComponentW17(t *testing.T) {
	o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|Linux box 3.10.0-uc0 #1 Mon Nov 14 16:53:28 EST 2016 armv4tl",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.5",
		"1.3.6.1.4.1.23.99.5.1.1|4|4.3.0 f5ad8650 ()", "1.3.6.1.4.1.23.99.5.1.2|4|70081804019547",
		"1.3.6.1.4.1.23.99.5.17.1.2.1|4|Sierra Wireless, Incorporated", "1.3.6.1.4.1.23.99.5.17.1.3.1|4|MC7304")
	if o.Model == "MC7304" {
		t.Errorf("model %q, the modem's", o.Model)
	}
	o = identifyLines(t, "1.3.6.1.2.1.1.1.0|4|Novell Power System",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.6",
		"1.3.6.1.4.1.23.99.6.2.4.0|4|Tampnet", "1.3.6.1.4.1.23.99.6.2.6.0|4|AM3_RECT_01",
		"1.3.6.1.4.1.23.99.6.2.7.0|4|163209001523")
	if o.Model != "" {
		t.Errorf("model %q, want none", o.Model)
	}
	if instanceName.MatchString("AN5516-01") || instanceName.MatchString("FGT_VM64") || makerGeneric("Novell NetWare 6", "Novell") {
		t.Error("a product taken for a unit's name or the maker's line")
	}
}

// TestModelDescrGrammarsW17: a small switch's "<number> … Switch <product
// number>, <release>" names its model without the word "Switch"; a
// description opening with its release names the product number after it.
func TestModelDescrGrammarsW17(t *testing.T) {
	for _, c := range []struct{ descr, want string }{
		{"Acme Instant On 1930 24G 4SFP/SFP+ Switch JL682A, InstantOn_1930_1.0.5.0 (139), Linux 4.4.120", "1930 24G 4SFP/SFP+ JL682A"},
		{"Acme 1820-24G Switch J9980A, PT.01.14, Linux 3.6.5-79c95a77", "1820-24G J9980A"},
		{"R6.5.02r NFXS-F FANT-F ACME ACCESS Copyright (c) 2016 Acme.", "NFXS-F"},
	} {
		o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|"+c.descr, "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.7")
		if o.Model != c.want {
			t.Errorf("%q: model %q, want %q", c.descr, o.Model, c.want)
		}
	}
}

// TestModelNotMACNameW17: a unit's default name after its MAC address
// ("WEBIO-06B8B7") in the maker's identity group names no model; product
// codes of the same length do.
func TestModelNotMACNameW17(t *testing.T) {
	o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4| ", "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.8",
		"1.3.6.1.4.1.23.99.8.3.1.1.1.0|4|WEBIO-06B8B7", "1.3.6.1.4.1.23.99.8.3.1.2.1.1.0|2|1")
	if o.Model == "WEBIO-06B8B7" {
		t.Errorf("model %q, the unit's default name", o.Model)
	}
	for _, m := range []string{"WS-C4948E", "DEVA-DB7001", "ACME-1A2B"} {
		if macTailName(m) {
			t.Errorf("%s taken for a default name", m)
		}
	}
}

// TestModelBesideSerialOfTwoW17: of two product numbers opening the
// identity group, the one beside the serial number is the product's (a
// storage subsystem's RAID controller "ARC-8066", then "ES-6642B").
func TestModelBesideSerialOfTwoW17(t *testing.T) {
	o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|Raid Subsystem V1.00", "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.9",
		"1.3.6.1.4.1.23.99.9.1.1.0|4|ARC-8066", "1.3.6.1.4.1.23.99.9.1.2.0|4|ES-6642B",
		"1.3.6.1.4.1.23.99.9.1.3.0|4|A116EHDEPR900010", "1.3.6.1.4.1.23.99.9.1.4.0|4|V1.50 2012-06-13")
	if o.Model != "ES-6642B" {
		t.Errorf("model %q, want ES-6642B", o.Model)
	}
}

// TestModelOrderCodeBeforeSerialW17: the order code the maker's MIB lists
// just before the serial number ("MS440217PM-48G6+", too many digits in a
// run for a product name's shape) names the product.
func TestModelOrderCodeBeforeSerialW17(t *testing.T) {
	o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|ACME G6 Switch, Version: 10.8.1", "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.10",
		"1.3.6.1.4.1.23.99.10.1.32.1.0|4|MS440217PM-48G6+", "1.3.6.1.4.1.23.99.10.1.32.2.0|4|01079167",
		"1.3.6.1.4.1.23.99.10.1.32.5.0|4|1.1")
	if o.Model != "MS440217PM-48G6+" {
		t.Errorf("model %q, want MS440217PM-48G6+", o.Model)
	}
}

// TestModelLabelledNameW17: an agent's sysName that labels its product
// after what the device is ("Sensor Gateway: SC-TS01") names the model
// when nothing else does; an administrator's host name does not.
func TestModelLabelledNameW17(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"Sensor Gateway: SC-TS01", "SC-TS01"},
		{"gw-sc-ts01", ""},
	} {
		o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|Temperature & Sensor Gateway", "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.11",
			"1.3.6.1.2.1.1.5.0|4|"+c.name)
		if o.Model != c.want {
			t.Errorf("sysName %q: model %q, want %q", c.name, o.Model, c.want)
		}
	}
}

// TestModelProcurveNumberedSwitchW17: HPE's switch rule reads the
// product and its number before its own grammars, which keep the line's
// words ("Instant On 1930 …" without the product number).
func TestModelProcurveNumberedSwitchW17(t *testing.T) {
	o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|Aruba Instant On 1930 48G Class4 PoE 4SFP/SFP  370W Switch JL686A, InstantOn_1930_1.0.5.0 (139), Linux 4.4.120",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.11.2.3.7.11.181.42")
	if o.Model != "1930 48G Class4 PoE 4SFP/SFP 370W JL686A" {
		t.Errorf("model %q", o.Model)
	}
}

// TestModelOwnMakerNotComponentW17 (review of s17-blindw17): the maker's
// own name ("HP Inc.", "F5 Networks, Inc.", whose short names have two
// letters) or a component's words with a legal form's letters ("Power
// Supply AB") before a model keep the model; another company's name
// ("Sierra Wireless, Incorporated") still drops it.
func TestModelOwnMakerNotComponentW17(t *testing.T) {
	for _, c := range []struct{ ent, maker, want string }{
		{"11", "HP Inc.", "WX-4200"},
		{"3375", "F5 Networks, Inc.", "WX-4200"},
		{"23", "Power Supply AB", "WX-4200"},
		{"23", "Fan Module SA", "WX-4200"},
	} {
		o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|Linux box 3.10.0-uc0 #1 Mon Nov 14 16:53:28 EST 2016 armv4tl",
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1."+c.ent+".99.5",
			"1.3.6.1.4.1."+c.ent+".99.5.1.1|4|"+c.maker, "1.3.6.1.4.1."+c.ent+".99.5.1.2|4|WX-4200",
			"1.3.6.1.4.1."+c.ent+".99.5.1.3|4|SG81234567")
		if o.Model != c.want {
			t.Errorf("%s %q: model %q, want %q", c.ent, c.maker, o.Model, c.want)
		}
	}
	for _, c := range []string{"Sierra Wireless, Incorporated", "Ericsson AB", "Acme Ltd.", "ACME SYSTEMS, INC.", "Hangzhou H3C Technologies Co., Ltd."} {
		if companyWords(c) == nil {
			t.Errorf("%q: no company", c)
		}
	}
	for _, c := range []string{"Power Supply AB", "Fan Module SA", "Power AG", "Port co", "power inc"} {
		if companyWords(c) != nil {
			t.Errorf("%q taken for a company", c)
		}
	}
}

// TestModelLabelNotAdminW17 (review): an administrator's label before a
// colon in sysName ("Server Room: UPS-1") names no model; only the
// agent's own words for what it is, which sysDescr repeats, do.
func TestModelLabelNotAdminW17(t *testing.T) {
	for _, name := range []string{"Server Room: UPS-1", "Main Office: SW01", "Core Switch: C9300"} {
		o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|Temperature & Sensor Gateway", "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.11",
			"1.3.6.1.2.1.1.5.0|4|"+name)
		if o.Model != "" {
			t.Errorf("sysName %q: model %q, an administrator's label", name, o.Model)
		}
	}
}

// TestModelReleaseNotAgentW17 (review): a description's words after its
// leading release ("SNMP-AGENT") name no part.
func TestModelReleaseNotAgentW17(t *testing.T) {
	for _, d := range []string{"R2.3.1 SNMP-AGENT foo", "R1.0 SYSTEM-AGENT bar"} {
		o := identifyLines(t, "1.3.6.1.2.1.1.1.0|4|"+d, "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.23.99.7")
		if strings.HasSuffix(o.Model, "-AGENT") {
			t.Errorf("%q: model %q", d, o.Model)
		}
	}
}
