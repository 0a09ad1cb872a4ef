package snmp

import "testing"

// An agent whose sysDescr says nothing ("community list", or none at
// all) but whose LLDP-MIB local system description is a real one is
// identified from the LLDP description; a real sysDescr is never
// replaced, and a thin LLDP description is not read.
func TestLLDPLocalDescription(t *testing.T) {
	const lldp = "1.0.8802.1.1.2.1.3.4.0|4|Juniper Networks, Inc. mx480 , version 12.1R2.2 Build date: 2012-04-20 08:48:07 UTC\n"
	o := identifyText(t, "1.3.6.1.2.1.1.1.0|4|community list\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2636.1.1.1.2.25\n"+lldp)
	if o.Model != "MX480" || o.Firmware != "12.1R2.2" {
		t.Errorf("thin sysDescr: model %q firmware %q, want MX480 12.1R2.2 (lldpLocSysDesc)", o.Model, o.Firmware)
	}
	o = identifyText(t, "1.3.6.1.2.1.1.5.0|4|core\n1.0.8802.1.1.2.1.3.4.0|4|ProCurve J8697A Switch 5406zl, revision K.15.04.0015m, ROM K.15.28\n")
	if o.Model != "J8697A" || o.Firmware != "K.15.04.0015m" {
		t.Errorf("no sysDescr: model %q firmware %q, want J8697A K.15.04.0015m", o.Model, o.Firmware)
	}
	o = identifyText(t, "1.3.6.1.2.1.1.1.0|4|Juniper Networks, Inc. mx80 internet router, kernel JUNOS 12.1R1.9\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2636.1.1.1.2.57\n"+lldp)
	if o.Model != "MX80" || o.Firmware != "12.1R1.9" {
		t.Errorf("real sysDescr: model %q firmware %q, want MX80 12.1R1.9 (sysDescr, not LLDP)", o.Model, o.Firmware)
	}
	for d, want := range map[string]bool{"": true, "community list": true, "<private>": true, "RouterOS CHR": true,
		"Linux host 5.10.0": false, "a b c d": false, "ProCurve J8697A": false} {
		if got := thinDescr(d); got != want {
			t.Errorf("thinDescr(%q) = %v, want %v", d, got, want)
		}
	}
}
