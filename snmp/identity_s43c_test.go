package snmp

import (
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
