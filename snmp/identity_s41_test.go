package snmp

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tend/inventory"
)

// identifyRec identifies the device an snmprec text records.
func identifyRec(t *testing.T, rec string) inventory.Observation {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dev.snmprec")
	if err := os.WriteFile(path, []byte(strings.TrimSpace(rec)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o, err := newPoller(Config{}, nil, loadRecording(t, path).session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestXUPSSerialNotPartNumber: XUPS-MIB's xupsIdentSerialNumber (534.1.1.6)
// is the serial, not xupsIdentPartNumber (534.1.1.5), which comes first in
// the walk; with the sysObjectID (the eaton-powerware rule) and without
// one (an agent answering only its private tree: the walked maker's
// vendor rows stand for the enterprise), where the five-word product
// name is the model, not a serial-shaped token.
func TestXUPSSerialNotPartNumber(t *testing.T) {
	ident := `
1.3.6.1.4.1.534.1.1.1.0|4|EATON
1.3.6.1.4.1.534.1.1.2.0|4|Eaton 5PX 1500i RT2U G2
1.3.6.1.4.1.534.1.1.3.0|4|01.12.0024
1.3.6.1.4.1.534.1.1.4.0|2|16
1.3.6.1.4.1.534.1.1.5.0|4|5PX1500IRT2UG2
1.3.6.1.4.1.534.1.1.6.0|4|GF21A01234
1.3.6.1.4.1.534.1.2.1.0|2|3760`
	named := "1.3.6.1.2.1.1.1.0|4|Network Management Card\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.534.1\n" + ident
	for name, rec := range map[string]string{"named": named, "unnamed": ident} {
		o := identifyRec(t, rec)
		if o.Model != "Eaton 5PX 1500i RT2U G2" || o.Firmware != "01.12.0024" || o.Serial != "GF21A01234" {
			t.Errorf("%s: model %q firmware %q serial %q", name, o.Model, o.Firmware, o.Serial)
		}
	}
}

// TestUnnamedAgentMakerRows: with no sysObjectID the walked enterprise's
// vendor rows are read (CPS-MIB's UPS firmware before the card's dotted
// one, GEIST-MIB-V3's productTitle before the user's friendly name); a
// bogus sysObjectID is not missing and keeps its own reading.
func TestUnnamedAgentMakerRows(t *testing.T) {
	cps := `
1.3.6.1.4.1.3808.1.1.1.1.1.1.0|4|OR2200LCDRT2U
1.3.6.1.4.1.3808.1.1.1.1.1.2.0|4|RMCARD205
1.3.6.1.4.1.3808.1.1.1.1.2.1.0|4|BFAD101*781
1.3.6.1.4.1.3808.1.1.1.1.2.4.0|4|1.2.0`
	if o := identifyRec(t, cps); o.Model != "OR2200LCDRT2U" || o.Firmware != "BFAD101*781" {
		t.Errorf("CPS-MIB: model %q firmware %q", o.Model, o.Firmware)
	}
	geist := `
1.3.6.1.4.1.21239.2.1.1.0|4|RSMICRO
1.3.6.1.4.1.21239.2.1.2.0|4|3.16.3
1.3.6.1.4.1.21239.2.1.3.0|4|GS-ENV-02
1.3.6.1.4.1.21239.2.1.4.0|4|00:19:85:E3:3C:91`
	if o := identifyRec(t, geist); o.Model != "RSMICRO" || o.Firmware != "3.16.3" {
		t.Errorf("GEIST-MIB-V3: model %q firmware %q", o.Model, o.Firmware)
	}
	vs := newValues("")
	vs.behindAgent, vs.maker = true, 3808
	if vs.makerBehind(0) != 0 {
		t.Error("a bogus sysObjectID (enterprise 0, not unnamed) read the walked maker's rows")
	}
	vs.unnamed = true
	if vs.makerBehind(0) != 3808 {
		t.Error("no sysObjectID: the walked maker's rows not read")
	}
}

// TestModelGrammarsS41: the product before its hardware revision, a
// dual-image banner's product, and RouterOS's board after its release
// and channel (LLDP's local description), with and without the rule.
func TestModelGrammarsS41(t *testing.T) {
	for _, c := range []struct{ oid, descr, want string }{
		{"1.3.6.1.4.1.4294967295.3.2.16", "D-LINK DGS-F3008P-4S HW V1 Firmware V5.2.10.1-ged9dba8ff SerialNo H3008P200400085, L2 Ethernet PoE Switch", "DGS-F3008P-4S"},
		{"1.3.6.1.4.1.171.10.1", "D-LINK DGS-F3008P-4S HW V1 Firmware V5.2.10.1", "DGS-F3008P-4S"},
		{"1.3.6.1.4.1.16177", "Westermo Lynx, primary: v4.32.5, backup: v4.32.2, bootloader: v2017.12.0-8", "Westermo Lynx"},
		{"1.3.6.1.4.1.14988.1", "MikroTik RouterOS 7.20.6 (stable) CRS305-1G-4S+", "CRS305-1G-4S+"},
		{"1.3.6.1.4.1.14988.1", "RouterOS RB4011iGS+", "RB4011iGS+"},
		{"", "MikroTik RouterOS 7.20.6 (stable) CRS305-1G-4S+", "CRS305-1G-4S+"},
	} {
		vs := newValues(c.descr)
		if id := identify(c.oid, candidates(c.oid, c.descr), vs); id.Model != c.want {
			t.Errorf("%s %q: model %q, want %q", c.oid, c.descr, id.Model, c.want)
		}
	}
}

// TestRouterOSCloudRouterSwitch: MikroTik's CRS line is typed a switch,
// its routers stay routers.
func TestRouterOSCloudRouterSwitch(t *testing.T) {
	const oid = "1.3.6.1.4.1.14988.1"
	for descr, want := range map[string]inventory.DeviceType{
		"RouterOS CRS317-1G-16S+":     inventory.TypeSwitch,
		"RouterOS CCR2004-1G-12S+2XS": inventory.TypeRouter,
	} {
		if id := identify(oid, candidates(oid, descr), newValues(descr)); id.Type != want {
			t.Errorf("%q: type %s, want %s", descr, id.Type, want)
		}
	}
}

// TestFastpathOEMMaker: Broadcom's FASTPATH number (4413) is Ubiquiti's
// only where the description names an EdgeSwitch, UniFi or UISP product;
// another OEM's switch (Quanta's LB4M) gets no maker from the number.
func TestFastpathOEMMaker(t *testing.T) {
	const oid = "1.3.6.1.4.1.4413.1.2.2"
	for descr, want := range map[string]string{
		"EdgeSwitch 24-Port 250W, 1.8.0.5106045, Linux 3.6.5": "Ubiquiti",
		"US-24-250W, 5.43.18.12487, Linux 3.6.5":              "Ubiquiti",
		"FASTPATH Switching":                                  "",
		"LB4M 48x1G 2x10G, *, VxWorks 6.6":                    "",
	} {
		id := identify(oid, candidates(oid, descr), newValues(descr))
		if id.Make != want || id.Type != inventory.TypeSwitch {
			t.Errorf("%q: make %q type %s, want %q, switch", descr, id.Make, id.Type, want)
		}
	}
}
