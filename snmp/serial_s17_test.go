package snmp

import (
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"
)

// TestPlaceholderTruth holds the grader's rule for truths that are the
// agent's placeholder: all zeros ignoring separators, or the field's own
// name with no digit; a real value that only resembles one still counts.
func TestPlaceholderTruth(t *testing.T) {
	for _, c := range []struct {
		field int
		v     string
		want  bool
	}{
		{2, "000000000000", true},
		{2, "00-00-00 00", true},
		{2, "SERIALNUMBER", true},
		{2, "<FRAME SERIAL NUMBER>", true},
		{2, "upsserialnum", true},
		{2, "SerialNumber", true},
		{2, "<serial>", true},
		{0, "MODELNUMBER", true},
		{1, "Firmware Version", true},
		{2, "000000000001", false},
		{2, "A00000000", false},
		{2, "SERIAL 42", false},
		{2, "MODELNUMBER", false}, // another field's name: not this field's placeholder
		{0, "Model 2000", false},
		{2, "", false},
		{2, "Unknown", false},
	} {
		if got := placeholderTruth(c.field, c.v); got != c.want {
			t.Errorf("placeholderTruth(%s, %q) = %v, want %v", fieldNames[c.field], c.v, got, c.want)
		}
	}
}

// TestGradeMACSerial holds the grader to comparing two MAC-shaped serials
// as the octets they write, and nothing else as a MAC.
func TestGradeMACSerial(t *testing.T) {
	for _, c := range []struct{ got, truth, want string }{
		{"B8A44F02FE01", "b8:a4:4f:2:fe:1", "exact"},
		{"B8A44F02FE01", "b8-a4-4f-02-fe-01", "exact"},
		{"B8A44F02FE02", "b8:a4:4f:2:fe:1", "wrong"},
		{"B8A44F02FE0", "b8:a4:4f:2:fe:0", "wrong"},    // eleven digits: no MAC
		{"B8A44F02FE01", "b8:a4:4f:2:fe:1:0", "wrong"}, // seven groups: no MAC
		{"", "b8:a4:4f:2:fe:1", "missing"},
	} {
		if g := gradeField(2, c.got, c.truth); g != c.want {
			t.Errorf("gradeField(serial, %q, %q) = %q, want %q", c.got, c.truth, g, c.want)
		}
	}
	if g := gradeField(0, "1:2:3:4:5:6", "01:02:03:04:05:06"); g != "wrong" {
		t.Errorf("a model compared as a MAC: %q", g)
	}
}

// TestSerialNameRefused: a serial that is the field's own name with no
// digit is the agent's template (Arista's "serial", OcNOS's "SERIALNO",
// Eltek's "<serial>"), refused like an all-zero one; a serial that only
// carries the word beside a number stays.
func TestSerialNameRefused(t *testing.T) {
	for v, want := range map[string]bool{"serial": true, "SERIALNO": true, "<serial>": true, "SerialNumber": true,
		"<FRAME SERIAL NUMBER>": true, "Serial 12345": false, "FOC1234X0AB": false, "SSG5-Serial": false} {
		if got := implausible("serial", v) != ""; got != want {
			t.Errorf("implausible(serial, %q) refused %v, want %v", v, got, want)
		}
	}
}

// TestWrappedWordNoSerial: words between punctuation with no digit are a
// placeholder (Centreon's scrub mark "...cut...", "<removed>", "[hidden]"),
// refused; serial numbers with punctuation at one end or a digit stay.
func TestWrappedWordNoSerial(t *testing.T) {
	for v, want := range map[string]bool{"...cut...": true, "<removed>": true, "[hidden]": true, "**REDACTED**": true, "(none)": true,
		"ABCDEFGH": false, "#ZA0921009080": false, "(S)1234567": false, "<1234567>": false, "CN-0ABCDE-": false} {
		if got := implausible("serial", v) != ""; got != want {
			t.Errorf("implausible(serial, %q) refused %v, want %v", v, got, want)
		}
	}
}

// TestUnwrittenSerialNoGuess: when the maker's serial object holds its
// placeholder (Nokia SR Linux's tmnxHwSerialNumber "SERIAL", all zeros),
// the subtree guess does not take another object of the row instead (the
// part number "3HE17645AARA01" beside it); with no serial object the guess
// still answers, and a written serial is read.
func TestUnwrittenSerialNoGuess(t *testing.T) {
	const oid = "1.3.6.1.4.1.6527.1.20.26"
	const descr = "SRLinux-v24.10.1-492-gf8858c5836 7220 IXR-D2L"
	const serialCol, partCol = "1.3.6.1.4.1.6527.3.1.2.2.1.8.1.5", "1.3.6.1.4.1.6527.3.1.2.2.1.8.1.4"
	root := []string{"1.3.6.1.4.1.6527.3"}
	for _, c := range []struct{ serial, want string }{
		{"SERIAL", ""},
		{"000000000000", ""},
		{"", "3HE17645AARA01"},
		{"NS1637S2845", "NS1637S2845"},
	} {
		vs := newValues(descr)
		vs.vendor = vendorOIDs()
		if c.serial != "" {
			vs.addRows([]string{serialCol}, []gosnmp.SnmpPDU{octets(serialCol+".1.50331649", c.serial)})
		}
		vs.addSubtree(root, []gosnmp.SnmpPDU{octets(partCol+".1.50331649", "3HE17645AARA01")})
		if id := identify(oid, candidates(oid, descr), vs); id.Serial != c.want {
			t.Errorf("serial object %q: serial %q, want %q", c.serial, id.Serial, c.want)
		}
	}
}

// TestMACBesideModel: a burned-in MAC address in the maker's identity
// group right beside the object that names the model is the unit's
// serial (Silver Peak numbers its appliances by their MAC address, after
// spsSystemVersion and spsProductModel); one further down, behind another
// object, is a network setting and stays out.
func TestMACBesideModel(t *testing.T) {
	const oid = "1.3.6.1.4.1.23867.1.2.48"
	const descr = "Silver Peak Systems, Inc. ECS"
	const group = "1.3.6.1.4.1.23867.3.1.1.1."
	rows := vendorOIDs().without(func(r vendorRow) bool { return strings.HasPrefix(r.oid, "1.3.6.1.4.1.23867.") })
	for _, c := range []struct {
		between bool
		want    string
	}{{false, "00-1B-BC-0A-1B-2C"}, {true, ""}} {
		pdus := []gosnmp.SnmpPDU{octets(group+"1.0", "8.1.9.8_77260"), octets(group+"2.0", "ECS")}
		if c.between {
			pdus = append(pdus, octets(group+"4.0", "appliance-7"))
		}
		pdus = append(pdus, octets(group+"6.0", "00-1B-BC-0A-1B-2C"))
		vs := newValues(descr)
		vs.vendor = rows
		vs.addSubtree([]string{oid, "1.3.6.1.4.1.23867"}, pdus)
		if id := identify(oid, candidates(oid, descr), vs); id.Serial != c.want {
			t.Errorf("another object between: %v: serial %q (model %q), want %q", c.between, id.Serial, id.Model, c.want)
		}
	}
}

// TestMakerElsewhere: an agent whose sysObjectID names an enterprise that
// holds no object (a SyncServer naming Microsemi's number and answering
// under Symmetricom's) is read from the private tree's start, as behind a
// software agent: the maker's identity group gives the serial, within five
// requests. Where the named enterprise holds an object, nothing more is
// read.
func TestMakerElsewhere(t *testing.T) {
	for _, c := range []struct {
		own       bool
		want      string
		wantCalls int
	}{{false, "1126A67238", 5}, {true, "", 4}} {
		lines := []string{
			"1.3.6.1.2.1.1.1.0|4|Linux timeserver 2.6.10 #18 Thu Mar 1 12:00:00 UTC 2012 i686",
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.60999.1.6",
			"1.3.6.1.2.1.1.5.0|4|timeserver",
			"1.3.6.1.4.1.2021.11.2.0|4|systemStats",
			"1.3.6.1.4.1.30999.1.2.3.1.1.0|4|Example TimeServer",
			"1.3.6.1.4.1.30999.1.2.3.6.1.0|4|2.83.2",
			"1.3.6.1.4.1.30999.1.2.3.6.2.0|4|1126A67238",
		}
		if c.own {
			lines = append(lines, "1.3.6.1.4.1.60999.1.1.0|2|3")
		}
		lines = append(lines, "1.3.6.1.6.3.10.2.1.3.0|2|240186")
		o, calls := identifyCounted(t, lines...)
		if o.Serial != c.want || calls != c.wantCalls {
			t.Errorf("own enterprise object %v: serial %q in %d requests, want %q in %d", c.own, o.Serial, calls, c.want, c.wantCalls)
		}
	}
}
