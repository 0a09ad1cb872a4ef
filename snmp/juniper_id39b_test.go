package snmp

import "testing"

// Juniper's sysObjectIDs sit in JUNIPER-CHASSIS-DEFINES-MIB's
// jnxProductName branch: the table names the platform without the
// branch's prefix, and a J-series agent's internal "jsr" token in
// sysDescr gives way to it.
func TestJuniperProductName(t *testing.T) {
	for oid, want := range map[string]string{
		"1.3.6.1.4.1.2636.1.1.1.2.20":   "J6350",
		".1.3.6.1.4.1.2636.1.1.1.2.25":  "MX480",
		"1.3.6.1.4.1.2636.1.1.1.2.135":  "SRX340",
		"1.3.6.1.4.1.2636.1.1.1.2.12":   "", // never assigned
		"1.3.6.1.4.1.2636.1.1.1.4.82.5": "", // a variation, not a product name
		"1.3.6.1.4.1.9.1.359":           "catalyst2950t24",
	} {
		if got := mibProduct(oid); got != want {
			t.Errorf("mibProduct(%s) = %q, want %q", oid, got, want)
		}
	}
	for in, want := range map[string]string{"mx80": "MX80", "jsr6350": "", "jsr": "JSR", "qfx5100-48s-6q": "QFX5100-48S-6Q"} {
		if got := junosPlatform(in); got != want {
			t.Errorf("junosPlatform(%q) = %q, want %q", in, got, want)
		}
	}
}
