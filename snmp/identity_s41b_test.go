package snmp

import (
	"testing"

	"tend/inventory"
)

// TestDescrDeviceID: a sysDescr that is an IEEE 1284 device ID (a
// printer answering its ID as its description) gives the model without
// the trailing " series" and the maker as MFG spells it, over a long
// registrant's name; a short name tend keeps wins, and a description
// that only mentions the keys is no device ID.
func TestDescrDeviceID(t *testing.T) {
	for _, c := range []struct {
		oid, descr, model, make string
	}{
		{"1.3.6.1.4.1.40093.1.1", "MFG:Pantum;CMD:PJL,PCL;MDL:BM5100ADW series;CLS:PRINTER;", "BM5100ADW", "Pantum"},
		{"1.3.6.1.4.1.40093.1.1", "MANUFACTURER:Acme Imaging;COMMAND SET:PCL;MODEL:Acme P2500dw;", "Acme P2500dw", "Acme Imaging"},
		{"1.3.6.1.4.1.2435.2.3.9.1", "MFG:Brother;CMD:PJL;MDL:HL-L2350DW series;CLS:PRINTER;", "HL-L2350DW", "Brother"},
		{"1.3.6.1.4.1.40093.1.1", "Printer CMD:PJL; MDL:BM5100ADW;", "", "Zhuhai Seine Technology Co., Ltd"},
	} {
		id := identify(c.oid, candidates(c.oid, c.descr), newValues(c.descr))
		if c.model != "" && id.Model != c.model || id.Make != c.make {
			t.Errorf("%q: model %q make %q, want %q %q", c.descr, id.Model, id.Make, c.model, c.make)
		}
	}
}

// TestProductLineInSubtree: a maker's product line naming the model and
// the serial together ("Router model H2Rail S/N: 899/000841 …", Teldat's
// object of it) gives both where the agent answers no system group,
// before a component's model in a table after it (the cellular modem's
// MC7455); a component row alone still gives its guess.
func TestProductLineInSubtree(t *testing.T) {
	const line = "1.3.6.1.4.1.2007.4.1.1.2.1.0|4|Router model H2Rail S/N: 899/000841 SWL: BASE GPS WLAN  Teldat (c)1996 - 2021\n"
	const modem = "1.3.6.1.4.1.2007.4.1.2.2.2.18.1.1.2.2|4|Sierra Wireless, Incorporated\n1.3.6.1.4.1.2007.4.1.2.2.2.18.1.1.3.2|4|MC7455\n"
	o := identifyRec(t, line+modem)
	if o.Model != "H2Rail" || o.Serial != "899/000841" {
		t.Errorf("product line and modem: model %q serial %q, want H2Rail 899/000841", o.Model, o.Serial)
	}
	if o := identifyRec(t, modem); o.Model == "H2Rail" || o.Serial == "899/000841" {
		t.Errorf("modem alone: model %q serial %q", o.Model, o.Serial)
	}
}

// TestMakerShortNamesS41: Raisecom's number names the brand, not the
// registrant ("Beijing Raisecom Scientific & Technology Development Co.,
// Ltd."); under Broadcom's FASTPATH number a description opening with
// Ubiquiti's short name, UBNT, is Ubiquiti's switch.
func TestMakerShortNamesS41(t *testing.T) {
	for _, c := range []struct{ oid, descr, make string }{
		{"1.3.6.1.4.1.8886.1.12600006", " ISCOM S2600-8S4T4X-AC Sw Ver RESP V7.02.18,Hw Ver A.00", "Raisecom"},
		{"1.3.6.1.4.1.4413", "UBNT US48PRO - 48 GE POE + 4 XE, 4.0.19.9951, Linux 3.6.5", "Ubiquiti"},
		{"1.3.6.1.4.1.4413", "UBNTX 48G, 1.0.0, Linux 3.6.5", ""},
	} {
		id := identify(c.oid, candidates(c.oid, c.descr), newValues(c.descr))
		if id.Make != c.make {
			t.Errorf("%q: make %q, want %q", c.descr, id.Make, c.make)
		}
		if c.make == "Ubiquiti" && (id.Type != inventory.TypeSwitch || id.Model != "US48PRO" || id.Firmware != "4.0.19.9951") {
			t.Errorf("%q: type %s model %q firmware %q, want switch US48PRO 4.0.19.9951", c.descr, id.Type, id.Model, id.Firmware)
		}
	}
}
