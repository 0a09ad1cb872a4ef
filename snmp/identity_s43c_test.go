package snmp

import "testing"

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
