package snmp

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"
)

// writeBMC writes an snmprec recording of a management controller of
// enterprise 99999 that speaks for its server the way Lenovo's XClarity
// does: a Linux banner as sysDescr, then in one group of its MIB a table
// of temperatures (temps rows, six columns), a table of voltages and the
// vital product data (the firmware in a table's first row, the serial
// number and the server's model as scalars).
func writeBMC(t *testing.T, temps int) *recording {
	t.Helper()
	var b strings.Builder
	b.WriteString("1.3.6.1.2.1.1.1.0|4|Linux bmc 4.14.235-xcc #1 SMP PREEMPT Fri Jun 25 00:01:44 EDT 2021 armv7l\n")
	b.WriteString("1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.11.1\n")
	b.WriteString("1.3.6.1.2.1.1.5.0|4|bmc\n")
	const g = "1.3.6.1.4.1.99999.11.1.1"
	fmt.Fprintf(&b, "%s.1.1.0|2|%d\n", g, temps)
	for col := 1; col <= 6; col++ {
		for i := 1; i <= temps; i++ {
			if col == 2 {
				fmt.Fprintf(&b, "%s.1.2.1.%d.%d|4|Temp %d\n", g, col, i, i)
			} else {
				fmt.Fprintf(&b, "%s.1.2.1.%d.%d|2|%d\n", g, col, i, 20+i)
			}
		}
	}
	fmt.Fprintf(&b, "%s.2.1.0|2|1\n%s.2.2.1.2.1|4|CMOS Battery\n%s.2.2.1.3.1|4|3.0940\n", g, g, g)
	fmt.Fprintf(&b, "%s.5.1.1.3.1|4|TEI3C0N 4.83\n%s.5.2.1.3.0|4|S4AVL151\n%s.5.2.1.5.0|4|Widget Server WS250\n", g, g, g)
	return recordingOf(t, b.String())
}

// TestProbeSiblings: a controller whose vital product data lies past
// more sensor rows than the probe and its continuation read is named by
// a sixth request that starts at the next subtrees of the group the walk
// was cut in; one whose table the walk leaves within five requests sends
// no sixth.
func TestProbeSiblings(t *testing.T) {
	for _, c := range []struct {
		temps, wantCalls      int
		wantModel, wantSerial string
	}{
		{temps: 2, wantCalls: 4, wantModel: "Widget Server WS250", wantSerial: "S4AVL151"},
		{temps: 40, wantCalls: 6, wantModel: "Widget Server WS250", wantSerial: "S4AVL151"},
	} {
		t.Run(fmt.Sprint(c.temps), func(t *testing.T) {
			rec := writeBMC(t, c.temps)
			o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
			if err != nil {
				t.Fatal(err)
			}
			if o.Model != c.wantModel || o.Serial != c.wantSerial || rec.calls != c.wantCalls {
				t.Errorf("model %q, serial %q in %d requests, want %q, %q in %d", o.Model, o.Serial, rec.calls, c.wantModel, c.wantSerial, c.wantCalls)
			}
		})
	}
}

// TestSiblingStarts: the next siblingGroups subtrees one level below the
// group pastGroup skips; none for a name no deeper than that, or outside
// the enterprises.
func TestSiblingStarts(t *testing.T) {
	got := siblingStarts("1.3.6.1.4.1.19046.11.1.1.2.2.1.4.2")
	want := []string{"1.3.6.1.4.1.19046.11.1.1.3", "1.3.6.1.4.1.19046.11.1.1.4", "1.3.6.1.4.1.19046.11.1.1.5", "1.3.6.1.4.1.19046.11.1.1.6"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("siblingStarts = %v, want %v", got, want)
	}
	for _, name := range []string{"1.3.6.1.4.1.19046.11.1.1", "1.3.6.1.4.1.19046.11.1.1.7", "1.3.6.1.2.1.47.1.1.1.1.2.1", "1.3.6.1.4.1.1.2.3.4294967295.1"} {
		if s := siblingStarts(name); s != nil {
			t.Errorf("siblingStarts(%q) = %v, want none", name, s)
		}
	}
}

// TestCutShort: only a full continuation whose own column is still
// under a root was cut short; the columns past the group do not count.
func TestCutShort(t *testing.T) {
	roots := []string{"1.3.6.1.4.1.99999.1", "1.3.6.1.4.1.99999"}
	full := func(last0, last1 gosnmp.SnmpPDU) []gosnmp.SnmpPDU {
		vars := make([]gosnmp.SnmpPDU, 2*vendorProbeRows-2)
		for i := range vars {
			vars[i] = octets("1.3.6.1.4.1.99999.1.1.1.0", "x")
		}
		return append(vars, last0, last1)
	}
	in := octets("1.3.6.1.4.1.99999.1.1.1.7.3", "x")
	out := octets("1.3.6.1.4.1.100000.1.0", "x")
	if got := cutShort(roots, full(in, out), 2, 1); got != "1.3.6.1.4.1.99999.1.1.1.7.3" {
		t.Errorf("cut inside the MIB: %q", got)
	}
	if got := cutShort(roots, full(out, in), 2, 1); got != "" {
		t.Errorf("walked out of the MIB: %q, want none", got)
	}
	if got := cutShort(roots, full(in, out)[1:], 2, 1); got != "" {
		t.Errorf("short answer: %q, want none", got)
	}
}

// TestChassisSerialShapedModel: a chassis row whose model name is a
// part's serial-shaped code gives way to the row's description; a
// product's name in that column stays.
func TestChassisSerialShapedModel(t *testing.T) {
	for _, c := range []struct{ model, want string }{
		{"FP1ZZ5654001A", "Cumulus Networks arm-accton_as4610_54-r0 4610-54P-O-AC-F Chassis"},
		{"N9K-C93180YC-FX3", "N9K-C93180YC-FX3"},
		{"DCS7050TX128", "DCS7050TX128"},
	} {
		vs := newValues("Cumulus Linux 3.5.3 (Linux Kernel 4.1.33-1+cl3u12)")
		setEntity(vs, entColClass, [2]string{"1", "3"})
		setEntity(vs, entColDescr, [2]string{"1", "Cumulus Networks arm-accton_as4610_54-r0 4610-54P-O-AC-F Chassis"})
		setEntity(vs, entColModel, [2]string{"1", c.model})
		id := identify("1.3.6.1.4.1.40310", candidates("1.3.6.1.4.1.40310", vs.descr), vs)
		if id.Model != c.want {
			t.Errorf("model name %q: model %q, want %q", c.model, id.Model, c.want)
		}
	}
	for s, want := range map[string]bool{"FP1ZZ5654001A": true, "EC1713000000": true, "1234567890": false, "JL635A": false, "S4128F-ON": false, "ABCDEFGH1234": false} {
		if serialShaped(s) != want {
			t.Errorf("serialShaped(%q) = %v, want %v", s, !want, want)
		}
	}
}

// writeAppliance writes an snmprec recording of an appliance of
// enterprise 99999 shaped like Check Point's Gaia: a Linux banner, the
// release, then a table of sensors whose rows end in .0 ("….2.N.0" names,
// "….3.N.0" readings), and after it the identity group with the server's
// product name.
func writeAppliance(t *testing.T) *recording {
	t.Helper()
	var b strings.Builder
	b.WriteString("1.3.6.1.2.1.1.1.0|4|Linux fw-log 3.10.0-957.5.1cpx86_64 #1 SMP Tue Sep 8 20:25:16 IDT 2020 x86_64\n")
	b.WriteString("1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1.6.123.1.49\n")
	b.WriteString("1.3.6.1.2.1.1.5.0|4|fw-log\n")
	b.WriteString("1.3.6.1.4.1.99999.1.6.4.1.0|4|R80.30\n")
	for col := 2; col <= 3; col++ {
		for i := 1; i <= 29; i++ {
			v := fmt.Sprintf("%02d-Zone %d", i, i)
			if col == 3 {
				v = fmt.Sprint(20 + i)
			}
			fmt.Fprintf(&b, "1.3.6.1.4.1.99999.1.6.7.8.1.1.%d.%d.0|4|%s\n", col, i, v)
		}
	}
	b.WriteString("1.3.6.1.4.1.99999.1.6.16.3.0|4|\n")
	b.WriteString("1.3.6.1.4.1.99999.1.6.16.7.0|4|ProLiant DL380 Gen9\n")
	return recordingOf(t, b.String())
}

// TestZeroIndexedRowsModel: a table whose rows end in .0 is not taken
// for the identity group, whose product name then replaces the Linux
// banner's last resort.
func TestZeroIndexedRowsModel(t *testing.T) {
	rec := writeAppliance(t)
	o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Model != "ProLiant DL380 Gen9" {
		t.Errorf("model %q, want ProLiant DL380 Gen9", o.Model)
	}
}

// TestZeroIndexedRows: two columns numbering the same rows, each row's
// index ending in .0, are a table's; groups of scalars numbered
// differently, or a column alone, are not.
func TestZeroIndexedRows(t *testing.T) {
	var vars []gosnmp.SnmpPDU
	for _, n := range []string{
		"1.3.6.1.4.1.2620.1.6.7.8.1.1.2.1.0", "1.3.6.1.4.1.2620.1.6.7.8.1.1.2.2.0",
		"1.3.6.1.4.1.2620.1.6.7.8.1.1.3.1.0", "1.3.6.1.4.1.2620.1.6.7.8.1.1.3.2.0",
		"1.3.6.1.4.1.4555.1.1.7.1.1.1.0", "1.3.6.1.4.1.4555.1.1.7.1.1.2.0", "1.3.6.1.4.1.4555.1.1.7.1.1.5.0",
		"1.3.6.1.4.1.4555.1.1.7.1.2.1.0", "1.3.6.1.4.1.4555.1.1.7.1.2.2.0", "1.3.6.1.4.1.4555.1.1.7.1.2.3.0",
		"1.3.6.1.4.1.2620.1.6.16.3.0", "1.3.6.1.4.1.2620.1.6.16.7.0",
		"1.3.6.1.4.1.25053.1.1.2.1.1.1.1.0", "1.3.6.1.4.1.25053.1.1.2.1.1.1.2.0",
		"1.3.6.1.4.1.25053.1.1.11.1.1.1.1.0", "1.3.6.1.4.1.25053.1.1.11.1.1.1.2.0",
	} {
		vars = append(vars, octets(n, "x"))
	}
	checkZeroRows(t, vars, func(name string) bool { return strings.HasPrefix(name, "1.3.6.1.4.1.2620.1.6.7.8.") })
}

// checkZeroRows checks zeroIndexedRows over vars: the names isRow accepts
// (without their leading dot) are rows, the others not.
func checkZeroRows(t *testing.T, vars []gosnmp.SnmpPDU, isRow func(name string) bool) {
	t.Helper()
	got := zeroIndexedRows(vars)
	for _, v := range vars {
		name := strings.TrimPrefix(v.Name, ".")
		if want := isRow(name); got[name] != want {
			t.Errorf("%s: table row %v, want %v", v.Name, got[name], want)
		}
	}
}

// TestZeroIndexedRowsAddressed: rows indexed by an address and .0
// (Check Point's gateways by their IP) are a table's too.
func TestZeroIndexedRowsAddressed(t *testing.T) {
	var vars []gosnmp.SnmpPDU
	for _, ip := range []string{"192.0.2.30", "192.0.2.53", "198.51.100.7"} {
		vars = append(vars, octets("1.3.6.1.4.1.2620.500.9002.1.1."+ip+".0", ip), octets("1.3.6.1.4.1.2620.500.9002.1.2."+ip+".0", "GW_"+ip))
	}
	vars = append(vars, octets("1.3.6.1.4.1.2620.1.6.16.7.0", "Standard PC"), vars[0])
	// a scalar of a group read twice (the walks of two roots) is not a row
	vars = append(vars, octets("1.3.6.1.4.1.2620.1.16.22.1.1.3.1.0", "gw1"), octets("1.3.6.1.4.1.2620.1.16.22.1.1.9.1.0", "Active"))
	vars = append(vars, vars[len(vars)-2:]...)
	checkZeroRows(t, vars, func(name string) bool { return strings.Contains(name, ".9002.") })
}

// TestZeroRowNotModel: a row of a table indexed by an address and .0 (a
// gateway's peers by name) is never the model, whatever its shape.
func TestZeroRowNotModel(t *testing.T) {
	vs := newValues("Linux gw1 2.6.18-92cpx86_64 #1 SMP Tue Sep 4 13:46:30 IDT 2018 x86_64")
	var vars []gosnmp.SnmpPDU
	for _, ip := range []string{"192.0.2.30", "192.0.2.53"} {
		vars = append(vars, gosnmp.SnmpPDU{Name: ".1.3.6.1.4.1.2620.500.9002.1.1." + ip + ".0", Type: gosnmp.IPAddress, Value: ip},
			octets("1.3.6.1.4.1.2620.500.9002.1.2."+ip+".0", "GW_TESTE"+ip[len(ip)-2:]))
	}
	vs.addSubtree([]string{"1.3.6.1.4.1.2620"}, vars)
	if m := vs.modelFromSubtree(vs.subtree); m != "" {
		t.Errorf("model %q, want none from the peers' names", m)
	}
}

// TestDescrLeadAgrees: where sysDescr's words before its version and
// the chassis row's description agree, they name the product over the
// row's model name; a row's description that sysDescr does not repeat
// leaves the model name first.
func TestDescrLeadAgrees(t *testing.T) {
	for _, c := range []struct{ descr, entDescr, entModel, want string }{
		{"USW GigaBit Ethernet Switch, firmware 5.76.7.13442", "USW GigaBit Ethernet Switch", "UBNT-USW", "USW GigaBit Ethernet Switch"},
		{"Falcon-MX, firmware 7.4.4.24", "Falcon-MX", "Jaguar2-cu8sfp16", "Falcon-MX"},
		{"Acme switch, firmware 1.2.3", "Acme AS-2400 Switch", "AS-2400", "AS-2400"},
		{"USW GigaBit Ethernet Switch", "USW GigaBit Ethernet Switch", "UBNT-USW", "UBNT-USW"},
	} {
		vs := newValues(c.descr)
		setEntity(vs, entColClass, [2]string{"1", "3"})
		setEntity(vs, entColDescr, [2]string{"1", c.entDescr})
		setEntity(vs, entColModel, [2]string{"1", c.entModel})
		id := identify("1.3.6.1.4.1.99999.1", candidates("1.3.6.1.4.1.99999.1", vs.descr), vs)
		if id.Model != c.want {
			t.Errorf("%q: model %q, want %q", c.descr, id.Model, c.want)
		}
	}
}
