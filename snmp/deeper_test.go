package snmp

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gosnmp/gosnmp"

	"tend/inventory"
)

// writeRec writes an snmprec recording of an agent of enterprise 99999
// whose MIB starts with sensors sensor readings, then its identity group
// (a version and a serial number), and loads it.
func writeRec(t *testing.T, sensors int) *recording {
	t.Helper()
	return recordingOf(t, widgetRec(sensors))
}

// widgetRec is writeRec's recording as snmprec text.
func widgetRec(sensors int) string {
	var b strings.Builder
	b.WriteString("1.3.6.1.2.1.1.1.0|4|Acme Widget controller\n")
	b.WriteString("1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1\n")
	b.WriteString("1.3.6.1.2.1.1.5.0|4|widget\n")
	for i := range sensors {
		fmt.Fprintf(&b, "1.3.6.1.4.1.99999.1.1.1.%d|2|%d\n", i+1, 20+i)
	}
	b.WriteString("1.3.6.1.4.1.99999.1.2.1.0|4|3.4.17\n")
	b.WriteString("1.3.6.1.4.1.99999.1.2.2.0|4|AW2X3K9Q4711\n")
	return b.String()
}

// TestProbeDeeper: an identity group behind more than vendorProbeRows
// sensor readings is read by one continuation, a fifth request; one
// within the first probe costs none; a MIB that ends before the probe
// does not continue.
func TestProbeDeeper(t *testing.T) {
	for _, c := range []struct {
		sensors, wantCalls int
		wantSerial         string
	}{
		{sensors: 5, wantCalls: 4, wantSerial: "AW2X3K9Q4711"},
		{sensors: vendorProbeRows + 10, wantCalls: 5, wantSerial: "AW2X3K9Q4711"},
		{sensors: 2*vendorProbeRows + 10, wantCalls: 5, wantSerial: ""},
	} {
		t.Run(fmt.Sprint(c.sensors), func(t *testing.T) {
			rec := writeRec(t, c.sensors)
			o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
			if err != nil {
				t.Fatal(err)
			}
			if o.Serial != c.wantSerial || rec.calls != c.wantCalls {
				t.Errorf("serial %q in %d requests, want %q in %d", o.Serial, rec.calls, c.wantSerial, c.wantCalls)
			}
		})
	}
}

// TestDeeperColumns: only a full probe's columns still inside the maker's
// MIB continue, from their last object; behind a software agent any
// enterprise but the agent software's counts.
func TestDeeperColumns(t *testing.T) {
	full := func(roots []string, last ...gosnmp.SnmpPDU) []gosnmp.SnmpPDU {
		vars := make([]gosnmp.SnmpPDU, len(roots)*vendorProbeRows-len(last))
		for i := range vars {
			vars[i] = octets(roots[i%len(roots)]+".1.0", "x")
		}
		return append(vars, last...)
	}
	roots := []string{"1.3.6.1.4.1.99999.1", "1.3.6.1.4.1.99999"}
	for _, c := range []struct {
		name  string
		roots []string
		vars  []gosnmp.SnmpPDU
		want  []string
	}{
		{"both inside", roots, full(roots, octets("1.3.6.1.4.1.99999.1.5.0", "a"), octets("1.3.6.1.4.1.99999.7.0", "b")),
			[]string{"1.3.6.1.4.1.99999.1.5.0", "1.3.6.1.4.1.99999.7.0"}},
		{"product branch ended", roots, full(roots, octets("1.3.6.1.4.1.99999.2.1.0", "a"), octets("1.3.6.1.4.1.99999.7.0", "b")),
			[]string{"1.3.6.1.4.1.99999.7.0"}},
		{"end of MIB", roots[1:], full(roots[1:], gosnmp.SnmpPDU{Name: ".1.3.6.1.4.1.99999", Type: gosnmp.EndOfMibView}), nil},
		{"cut short", roots, full(roots)[1:], nil},
		{"behind an agent", agentRoots, full(agentRoots, octets("1.3.6.1.4.1.2021.4.1.0", "ucd"),
			octets("1.3.6.1.4.1.2620.1.6.0", "gaia"), octets("1.3.6.1.4.1.8072.1.0", "net-snmp")),
			[]string{"1.3.6.1.4.1.2620.1.6.0"}},
	} {
		if got := deeperColumns(c.roots, c.vars); !cmp.Equal(c.want, got) {
			t.Errorf("%s: %s", c.name, cmp.Diff(c.want, got))
		}
	}
}

// TestFillFrom: the continuation fills empty fields only; a field found
// before stays, with its evidence.
func TestFillFrom(t *testing.T) {
	first := identity{Model: "OAP-321", Evidence: []inventory.Evidence{{Source: "sysDescr", Detail: "model OAP-321"}}}
	deeper := identity{Model: "A13-H08-OBL", Serial: "4002024918100043", Evidence: []inventory.Evidence{
		{Source: "guessed", Detail: "model A13-H08-OBL"}, {Source: "guessed", Detail: "serial 4002024918100043"}}}
	want := identity{Model: "OAP-321", Serial: "4002024918100043", Evidence: []inventory.Evidence{
		{Source: "guessed", Detail: "serial 4002024918100043"}, {Source: "sysDescr", Detail: "model OAP-321"}}}
	if diff := cmp.Diff(want, first.fillFrom(deeper), cmp.AllowUnexported(identity{})); diff != "" {
		t.Errorf("fillFrom (-want +got):\n%s", diff)
	}
	// A serial only a product number fills (a stack member's "J9829A") is left empty.
	deeper = identity{Serial: "J9829A", Evidence: []inventory.Evidence{{Source: "guessed", Detail: "serial J9829A"}}}
	if got := (identity{}).fillFrom(deeper); got.Serial != "" || len(got.Evidence) != 0 {
		t.Errorf("fillFrom took the product number as a serial: %+v", got)
	}
	// The serial beside the add-on is the add-on's: the guess passes over
	// it (anotherPart), so one the deeper objects give is the system's.
	if got := (identity{}).fillFrom(identity{Model: "eNexus WebPack for .118", Serial: "142308329523"}); got.Model != "" || got.Serial != "142308329523" {
		t.Errorf("fillFrom took an add-on's name as the model, or dropped the system's serial: %+v", got)
	}
	deeper = identity{Serial: "2MZZZZZZZZZZ"}
	if got := (identity{}).fillFrom(deeper); got.Serial != "2MZZZZZZZZZZ" {
		t.Errorf("fillFrom dropped a serial: %+v", got)
	}
	// A last resort (the architecture) gives way to a product the maker
	// names after itself or a part number, not to another guess ("VBAT3",
	// a rail).
	arch := identity{Model: "Generic x86 64-bit", fallbackModel: true}
	if got := arch.fillFrom(identity{Model: "Check Point 3200", makerModel: true}); got.Model != "Check Point 3200" {
		t.Errorf("fillFrom kept the architecture over the maker's product: %+v", got)
	}
	for _, m := range []string{"VBAT3", "VCC 12V", "PRIVATE3", "FlowSync/Monitor"} {
		if got := arch.fillFrom(identity{Model: m}); got.Model != "Generic x86 64-bit" {
			t.Errorf("fillFrom took the guess %q over the architecture: %+v", m, got)
		}
	}
	if got := arch.fillFrom(identity{Model: "VMR-8HD20"}); got.Model != "VMR-8HD20" {
		t.Errorf("fillFrom kept the architecture over a part number: %+v", got)
	}
}

// TestIdentityShaped keeps of the continuation's objects only the scalars
// without sibling rows and tables' first rows: the rows after them name a
// device's parts, not the device.
func TestIdentityShaped(t *testing.T) {
	pdu := func(name string) gosnmp.SnmpPDU {
		return gosnmp.SnmpPDU{Name: name, Type: gosnmp.OctetString, Value: []byte(name)}
	}
	more := []gosnmp.SnmpPDU{
		pdu(".1.3.6.1.4.1.9999.1.1.0"),                   // a scalar: kept
		pdu(".1.3.6.1.4.1.9999.2.3.0"),                   // row .0 of a column with more rows: dropped
		pdu(".1.3.6.1.4.1.9999.2.3.1"),                   // that column's first row: kept
		pdu(".1.3.6.1.4.1.9999.2.3.2"),                   // a later row: dropped
		pdu(".1.3.6.1.4.1.9999.3.1.81788928"),            // a row by a large index: dropped
		pdu(".1.3.6.1.4.1.9999.4.1.6.87.76.65.78.45.49"), // a row named by its index ("WLAN-1"): dropped
		pdu(".1.3.6.1.4.1.9999.5.1.10"),                  // row 10, not row 1: dropped
		{Name: ".1.3.6.1.4.1.9999.6.3.1", Type: gosnmp.OctetString, Value: []byte("DS18B20")}, // a first row the next repeats: dropped
		{Name: ".1.3.6.1.4.1.9999.6.3.2", Type: gosnmp.OctetString, Value: []byte("DS18B20")},
		// a sensor table: a column of readings, then the next column's
		// first row, a threshold: dropped; a version in another table: kept
		{Name: ".1.3.6.1.4.1.9999.7.1.3.2", Type: gosnmp.OctetString, Value: []byte("3.2292")},
		{Name: ".1.3.6.1.4.1.9999.7.1.3.3", Type: gosnmp.OctetString, Value: []byte("5.014")},
		{Name: ".1.3.6.1.4.1.9999.7.1.3.4", Type: gosnmp.OctetString, Value: []byte("11.770")},
		{Name: ".1.3.6.1.4.1.9999.7.1.4.1", Type: gosnmp.OctetString, Value: []byte("3.0160")},
		{Name: ".1.3.6.1.4.1.9999.8.1.4.1", Type: gosnmp.OctetString, Value: []byte("4.83")},
	}
	var got []string
	for _, v := range identityShaped(more) {
		got = append(got, v.Name)
	}
	want := []string{".1.3.6.1.4.1.9999.1.1.0", ".1.3.6.1.4.1.9999.2.3.1", ".1.3.6.1.4.1.9999.8.1.4.1"}
	if !slices.Equal(got, want) {
		t.Errorf("identityShaped kept %q, want %q", got, want)
	}
}

// TestProbePastTable: a maker's MIB that opens with a sensor table longer
// than both probes (a BMC's) keeps its identity group after it; the
// continuation reads past the table's group in the same fifth request.
func TestProbePastTable(t *testing.T) {
	var b strings.Builder
	b.WriteString("1.3.6.1.2.1.1.1.0|4|Acme BMC\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999\n")
	for col := 1; col <= 2; col++ {
		for i := range 3 * vendorProbeRows {
			fmt.Fprintf(&b, "1.3.6.1.4.1.99999.1.3.1.%d.%d|2|%d\n", col, i+1, 20+i)
		}
	}
	b.WriteString("1.3.6.1.4.1.99999.1.16.1.0|4|3.4.17\n1.3.6.1.4.1.99999.1.16.2.0|4|AW2X3K9Q4711\n")
	rec := recordingOf(t, b.String())
	o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Serial != "AW2X3K9Q4711" || o.Firmware != "3.4.17" || rec.calls != 5 {
		t.Errorf("serial %q firmware %q in %d requests, want AW2X3K9Q4711 and 3.4.17 in 5", o.Serial, o.Firmware, rec.calls)
	}
	for name, want := range map[string]string{
		"1.3.6.1.4.1.99999.1.3.1.1.30":  "1.3.6.1.4.1.99999.1.3.1.4294967295",
		"1.3.6.1.4.1.99999.1.3.1.30":    "",
		"1.3.6.1.2.1.2.2.1.2.1.2.3.4.5": "",
	} {
		if got := pastGroup(name); got != want {
			t.Errorf("pastGroup(%s) = %q, want %q", name, got, want)
		}
	}
}

// TestReadingCells: decimal numbers in a table that holds three or more
// are a sensor's readings, whatever the column; a table's version, a
// scalar and a lone decimal cell are not.
func TestReadingCells(t *testing.T) {
	cell := func(name, v string) gosnmp.SnmpPDU {
		return gosnmp.SnmpPDU{Name: name, Type: gosnmp.OctetString, Value: []byte(v)}
	}
	vars := []gosnmp.SnmpPDU{
		cell(".1.3.6.1.4.1.9999.1.1.1.1.4.2.1", "5.00"), // a two-arc index: columns of one entry
		cell(".1.3.6.1.4.1.9999.1.1.1.1.5.2.1", "15.00"),
		cell(".1.3.6.1.4.1.9999.1.1.1.1.10.2.1", "-5.20"),
		cell(".1.3.6.1.4.1.9999.2.1.1.1.4.1", "V1.1.1"), // a version in another table
		cell(".1.3.6.1.4.1.9999.2.1.1.1.8.1", "36.29"),  // that table's one reading
		cell(".1.3.6.1.4.1.9999.3.1.0", "2.4"),          // a scalar
	}
	got := readingCells(vars)
	want := map[string]bool{".1.3.6.1.4.1.9999.1.1.1.1.4.2.1": true, ".1.3.6.1.4.1.9999.1.1.1.1.5.2.1": true, ".1.3.6.1.4.1.9999.1.1.1.1.10.2.1": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("readingCells (-want +got):\n%s", diff)
	}
}
