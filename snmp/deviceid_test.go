package snmp

import "testing"

// TestDeviceIDModel: a print server's IEEE 1284 device ID names the
// printer behind it, in the short keys and the long; a placeholder, an
// empty field or a value of no model's shape names nothing, and the
// print server's own name in sysDescr does not win over the printer's.
func TestDeviceIDModel(t *testing.T) {
	const oid = "1.3.6.1.4.1.2001.1.1.1.1"
	const descr = "OKI OkiLAN 9450g Rev.00.69 10/100/1000BASE Ethernet PrintServer"
	for id, want := range map[string]string{
		"MANUFACTURE:OKI UK LTD;COMMAND SET:PCL,XPS;MODEL:MC873;CLASS:PRINTER;DESCRIPTION:MC873;": "MC873",
		"MFG:Acme;CMD:PCL;MDL:Acme LaserWriter 4000;CLS:PRINTER;":                                 "Acme LaserWriter 4000",
		"MFG:OKI;MDL:OKI MC562dn;":    "MC562dn",
		"MFG:Acme;MDL:;CLS:PRINTER;":  "",
		"MFG:Acme;MDL:unknown;":       "",
		"MFG:Acme;MDL:1234567890123;": "",
	} {
		vs := newValues(descr)
		vs.scalar[jetdirectDeviceID] = value{text: id}
		got := identify(oid, candidates(oid, descr), vs).Model
		if want != "" && got != want {
			t.Errorf("device ID %q: model %q, want %q", id, got, want)
		}
		if want == "" && got != "" && got != "OkiLAN 9450g" {
			t.Errorf("device ID %q: model %q, want none from the ID", id, got)
		}
	}
}
