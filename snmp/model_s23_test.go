package snmp

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"tend/inventory"
)

// TestModelSansRelease: a model loses the firmware release it carries
// after the product's number, written apart from it; a release inside
// the number, one after a name without a number, or none, leave it
// whole.
func TestModelSansRelease(t *testing.T) {
	for _, c := range []struct {
		model, firmware, want string
	}{
		{"SiteBoss 572 2.12.570 STD", "2.12.570", "SiteBoss 572"},
		{"PowerConnect 6248, 3.3.7.3, VxWorks", "3.3.7.3", "PowerConnect 6248"},
		{"XG6846_4.12ITT01.99", "4.12ITT01.99", "XG6846"},
		{"Acme AX-1000 v2.4.1", "2.4.1", "Acme AX-1000"},
		{"Apex Lynx-2.0.2", "2.0.2", ""},                             // a line's name, its release sets it apart
		{"RouterOS 6.40.5 (stable) on RB952Ui-5ac2nD", "6.40.5", ""}, // the system's name, not a product number
		{"XXX2.8", "2.8", ""},                                        // the number is the product's
		{"SiteBoss 572 2.12.570 STD", "2.12", ""},                    // inside a longer number
		{"SiteBoss 572", "2.12.570", ""},                             // no release in it
		{"AX-1000 Router", "V1", ""},
		{"Smart-UPS RT 3000 2200", "2200", ""},                                      // a bare number may be the product's                                                // too short to be sure of
		{"2.12.570 SiteBoss", "2.12.570", ""},                                       // nothing before it
		{"TL-SG3428 1.0", "1.0", "TL-SG3428"},                                       // a release of two numbers, apart
		{"Model 1.0.2", "1.0.2", ""},                                                // no product number left
		{"FortiGate-60F v7.2.8,build1639,240313 (GA.M)", "v7.2.8", "FortiGate-60F"}, // the release as found, "v" and all
	} {
		if got := modelSansRelease(c.model, c.firmware); got != c.want {
			t.Errorf("modelSansRelease(%q, %q) = %q, want %q", c.model, c.firmware, got, c.want)
		}
	}
}

// TestModelWithoutRelease: an agent whose sysDescr names the product and
// its release in one run of words ("SiteBoss 572 2.12.570 STD") is the
// product without the release, which is the firmware.
func TestModelWithoutRelease(t *testing.T) {
	rec := recordingOf(t, `1.3.6.1.2.1.1.1.0|4|SiteBoss 572 2.12.570 STD
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.20.3.2
`)
	o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Model != "SiteBoss 572" || o.Firmware != "2.12.570" {
		t.Errorf("model %q firmware %q, want SiteBoss 572 and 2.12.570 (evidence %v)", o.Model, o.Firmware, o.Evidence)
	}
	want := "model SiteBoss 572: SiteBoss 572 2.12.570 STD without the release 2.12.570"
	if !slices.ContainsFunc(o.Evidence, func(e inventory.Evidence) bool { return e.Detail == want }) {
		t.Errorf("no evidence %q in %v", want, o.Evidence)
	}
}

// FuzzModelSansRelease: any model and firmware, valid UTF-8 or not, give
// "" or a shorter part of the model before the release, without
// separators at its ends, and never panic.
func FuzzModelSansRelease(f *testing.F) {
	f.Add("SiteBoss 572 2.12.570 STD", "2.12.570")
	f.Add("XG6846_4.12ITT01.99", "4.12ITT01.99")
	f.Add("\xffAX-1 v\xfe1.2", "\xfe1.2")
	f.Add("İ1 v1.2.3", "1.2.3")
	f.Fuzz(func(t *testing.T, model, firmware string) {
		got := modelSansRelease(model, firmware)
		if got == "" {
			return
		}
		if i := strings.Index(model, got); i < 0 || !strings.Contains(model[i+len(got):], firmware) || strings.TrimFunc(got, releaseSeparator) != got {
			t.Errorf("modelSansRelease(%q, %q) = %q: not the model's trimmed words before the release", model, firmware, got)
		}
	})
}

// TestSystemOnPlatform: a model that is a system's name, release and
// "on" the platform is the platform; anything else is left alone.
func TestSystemOnPlatform(t *testing.T) {
	for _, c := range []struct{ model, want string }{
		{"RouterOS 6.40.5 (stable) on RB952Ui-5ac2nD", "RB952Ui-5ac2nD"},
		{"RouterOS 7.20.6 (stable) on RB5009UPr+S+", "RB5009UPr+S+"},
		{"RouterOS 6.45.7 (stable) on RBLHGR", "RBLHGR"},
		{"FooOS v2.1.4 on X-200", "X-200"},
		{"RB952Ui-5ac2nD", ""},
		{"Agent 1.2.3 on linux", ""},           // no product's name after "on"
		{"Runs on RB952Ui-5ac2nD", ""},         // no release before it
		{"RouterOS 6.40.5 on RB952 rev 2", ""}, // more words after the platform
		{"Multiprotocol Agent running on QNX", ""},
	} {
		if got := systemOnPlatform(c.model); got != c.want {
			t.Errorf("systemOnPlatform(%q) = %q, want %q", c.model, got, c.want)
		}
	}
}

// TestChassisSystemOnPlatform: a chassis row that describes the unit by
// the system it runs and the board it runs on ("RouterOS 6.40.5 (stable)
// on RB952Ui-5ac2nD", where sysDescr says only "router") gives the board
// for the model and the release for the firmware, whoever the maker.
func TestChassisSystemOnPlatform(t *testing.T) {
	rec := recordingOf(t, `1.3.6.1.2.1.1.1.0|4|router
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1
1.3.6.1.2.1.47.1.1.1.1.2.65536|4|RouterOS 6.40.5 (stable) on RB952Ui-5ac2nD
1.3.6.1.2.1.47.1.1.1.1.5.65536|2|3
`)
	o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Model != "RB952Ui-5ac2nD" || o.Firmware != "6.40.5" {
		t.Errorf("model %q firmware %q, want RB952Ui-5ac2nD and 6.40.5 (evidence %v)", o.Model, o.Firmware, o.Evidence)
	}
}

// TestDescrModelWord: sysDescr's "<what it is> model <code>" names the
// product (Teldat's routers), in whichever maker's agent; a bare number
// after "Model" (a processor's, in Windows's "Family 6 Model 3") or a
// code-less word is none.
func TestDescrModelWord(t *testing.T) {
	for _, c := range []struct{ descr, want string }{
		{"Router model M1 1GEWAN 4GESW SLOT1 WL IPSec SNA VoIP T+ 34 84 CPU QorIQ P101X  S/N: 1  Teldat               (c)1996 - 2016", "M1"},
		{"Router model RS123w-4G S/N: RNPFDK019380272  SWL: BASE  Teldat               (c)1996 - 2019", "RS123w-4G"},
		{"Router model TV BASE VDSL2/ADSL WLAN 30 10 CPU MIPS32  S/N: 1  Teldat               (c)1996 - 2017", ""},
		{"Hardware: x86 Family 6 Model 3 Stepping 4 AT/AT COMPATIBLE", ""},
	} {
		rec := recordingOf(t, "1.3.6.1.2.1.1.1.0|4|"+c.descr+"\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1.1.199\n")
		o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
		if err != nil {
			t.Fatal(err)
		}
		if o.Model != c.want {
			t.Errorf("%.40q: model %q, want %q (evidence %v)", c.descr, o.Model, c.want, o.Evidence)
		}
	}
}

// TestPTPSeries: a Cambium (or Motorola, enterprise 17713 before Cambium)
// point-to-point bridge's sysDescr gives the product code, band and
// series; the model is the series.
func TestPTPSeries(t *testing.T) {
	for _, c := range []struct{ descr, oid, want string }{
		{"Cambium PTP 50670 PTP Wireless Ethernet Bridge, Version 50670-02-00", "1.3.6.1.4.1.17713.11", "PTP 670"},
		{"Motorola PTP 58600 PTP Wireless Ethernet Bridge, Version 58600-10-04", "1.3.6.1.4.1.17713.6", "PTP 600"},
	} {
		rec := recordingOf(t, "1.3.6.1.2.1.1.1.0|4|"+c.descr+"\n1.3.6.1.2.1.1.2.0|6|"+c.oid+"\n")
		o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
		if err != nil {
			t.Fatal(err)
		}
		if o.Model != c.want || o.Make != "Cambium" {
			t.Errorf("%.30q: make %q model %q, want Cambium %q (evidence %v)", c.descr, o.Make, o.Model, c.want, o.Evidence)
		}
	}
}

// TestModelTidied: a model loses the words an agent's name adds, the
// punctuation a description opens with and the hyphen a cut-short name
// ends with; a product number after a line's name without one joins it;
// a semicolon-separated description is not a model whole.
func TestModelTidied(t *testing.T) {
	for _, c := range []struct{ descr, oid, want string }{
		{"=Meraki MR28 Cloud Managed AP", "1.3.6.1.4.1.99999.1", "Meraki MR28 Cloud Managed AP"},
		{"NWA-", "1.3.6.1.4.1.890.1.15", "NWA"},
		{"SonicWALL TZ 210 (SonicOS Enhanced 5.9.1.6-5o)", "1.3.6.1.4.1.99999.1", "TZ 210"},
		{"McAfee Web Gateway 7;VMWare;VMware, Inc.", "1.3.6.1.4.1.99999.1", "McAfee Web Gateway 7"},
	} {
		rec := recordingOf(t, "1.3.6.1.2.1.1.1.0|4|"+c.descr+"\n1.3.6.1.2.1.1.2.0|6|"+c.oid+"\n")
		o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
		if err != nil {
			t.Fatal(err)
		}
		if o.Model != c.want {
			t.Errorf("%q: model %q, want %q (evidence %v)", c.descr, o.Model, c.want, o.Evidence)
		}
	}
}

// TestLineUnit: a line's name without a digit takes the number sysDescr
// writes right after it, and nothing else.
func TestLineUnit(t *testing.T) {
	for _, c := range []struct{ model, descr, want string }{
		{"TZ", "SonicWALL TZ 210 (SonicOS Enhanced 5.9.1.6-5o)", "TZ 210"},
		{"NSA", "SonicWALL NSA 2600, SonicOS 6.5", "NSA 2600"},
		{"TZ", "SonicWALL TZ (SonicOS 7)", ""},
		{"TZ", "SonicWALL TZ 5.9.1.6", ""},     // a release, not a unit
		{"TZ", "SonicWALL UTZ 210", ""},        // inside another word
		{"TZ 210", "SonicWALL TZ 210 300", ""}, // a number already
		{"Z", "Z 210", ""},
	} {
		if got := lineUnit(c.model, c.descr); got != c.want {
			t.Errorf("lineUnit(%q, %q) = %q, want %q", c.model, c.descr, got, c.want)
		}
	}
}

// TestTidyModel: the agent's words after the product, punctuation
// before it and a cut-short name's hyphen go; a model without them, or
// with nothing else, is left.
func TestTidyModel(t *testing.T) {
	for _, c := range []struct{ model, want string }{
		{"TCW241 SNMP Agent", "TCW241"},
		{"=Meraki MR28", "Meraki MR28"},
		{"NWA-", "NWA"},
		{"TCW241", ""},
		{"SNMP Agent", ""},
		{"AX-1000", ""},
		{"=-", ""},
	} {
		if got := tidyModel(c.model); got != c.want {
			t.Errorf("tidyModel(%q) = %q, want %q", c.model, got, c.want)
		}
	}
}

// TestCardNotChassis: an agent that classes its cards as chassis rows
// (ZTE's C320: the shelf a container, the GPON line card a chassis)
// gives neither the card's model nor its serial for the device's;
// sysDescr names the product.
func TestCardNotChassis(t *testing.T) {
	rec := recordingOf(t, `1.3.6.1.2.1.1.1.0|4|C320 Version V2.1.0 Software, Copyright (c) by ZTE Corporation Compiled
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1082.1001.320.2.1
1.3.6.1.2.1.47.1.1.1.1.2.1|4|C320 shelf
1.3.6.1.2.1.47.1.1.1.1.2.10|4|8 ports GPON OLT line card.
1.3.6.1.2.1.47.1.1.1.1.4.1|2|0
1.3.6.1.2.1.47.1.1.1.1.4.10|2|1
1.3.6.1.2.1.47.1.1.1.1.5.1|2|5
1.3.6.1.2.1.47.1.1.1.1.5.10|2|3
1.3.6.1.2.1.47.1.1.1.1.11.10|4|731946300021
1.3.6.1.2.1.47.1.1.1.1.13.1|4|C320_SHELF
1.3.6.1.2.1.47.1.1.1.1.13.10|4|GTGO
`)
	o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Model != "C320" || o.Serial != "" {
		t.Errorf("model %q serial %q, want C320 and none (evidence %v)", o.Model, o.Serial, o.Evidence)
	}
}

// TestModelHoldsLocation: a description the administrator set to the
// device's name, which holds its place (sysLocation), is no model; a
// short location that is also a word of products' names leaves the
// model be.
func TestModelHoldsLocation(t *testing.T) {
	for _, c := range []struct{ descr, location, want string }{
		{"Xmux Torrevieja", "Torrevieja", ""},
		{"Dell UPS Rack 3750W", "Rack", "Dell UPS Rack 3750W"},
		{"Acme XM-40 Edge", "Server room 2", "XM-40"},
	} {
		rec := recordingOf(t, "1.3.6.1.2.1.1.1.0|4|"+c.descr+"\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.2.44.1\n1.3.6.1.2.1.1.6.0|4|"+c.location+"\n")
		o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
		if err != nil {
			t.Fatal(err)
		}
		if o.Model != c.want {
			t.Errorf("%q at %q: model %q, want %q (evidence %v)", c.descr, c.location, o.Model, c.want, o.Evidence)
		}
	}
}
