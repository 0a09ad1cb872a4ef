package snmp

import "testing"

// TestGuessSerialNotAnotherPart: the serial guess passes over a
// transceiver's serial (its group gives a power in dBm) and a power
// supply's (its row names a product other than the device's, on every
// row of its table), and takes the next candidate; the same row with
// the device's own model, or a product named on one row only, keeps
// its serial.
func TestGuessSerialNotAnotherPart(t *testing.T) {
	obj := func(name, text string) value { return value{name: name, text: text} }
	cases := []struct {
		name, model string
		objs        []value
		want        string
	}{
		{"optic group", "XG6846", []value{
			obj("1.3.6.1.4.1.99.6.3.0", "SFP-GE-BX"), obj("1.3.6.1.4.1.99.6.8.0", "-6.11 dBm"),
			obj("1.3.6.1.4.1.99.6.10.0", "F176CO09730"), obj("1.3.6.1.4.1.99.12.1.0", "684624H197019306")}, "684624H197019306"},
		{"unit group", "XG6846", []value{
			obj("1.3.6.1.4.1.99.6.3.0", "SFP-GE-BX"), obj("1.3.6.1.4.1.99.6.8.0", "3.32 Volts"),
			obj("1.3.6.1.4.1.99.6.10.0", "F176CO09730"), obj("1.3.6.1.4.1.99.12.1.0", "684624H197019306")}, "F176CO09730"},
		{"power supplies", "S5810-48TS-P", []value{
			obj("1.3.6.1.4.1.99.41.1.4.1.1", "PSM-C440WACP"), obj("1.3.6.1.4.1.99.41.1.4.1.2", "PSM-C440WACP"),
			obj("1.3.6.1.4.1.99.41.1.8.1.1", "R523A2233101507"), obj("1.3.6.1.4.1.99.41.1.8.1.2", "R523A2233101690")}, ""},
		{"one unit's row", "S5810-48TS-P", []value{
			obj("1.3.6.1.4.1.99.41.1.4.1.1", "PSM-C440WACP"), obj("1.3.6.1.4.1.99.41.1.4.1.2", "PSM-C150WACP"),
			obj("1.3.6.1.4.1.99.41.1.8.1.1", "R523A2233101507"), obj("1.3.6.1.4.1.99.41.1.8.1.2", "R523A2233101690")}, "R523A2233101507"},
		{"an add-on's group", "", []value{
			obj("1.3.6.1.4.1.99.9.1.18.1.0", "eNexus WebPack for .118"), obj("1.3.6.1.4.1.99.9.1.18.3.0", "141571185254"),
			obj("1.3.6.1.4.1.99.9.2.1.3.7.0", "142308329523")}, "142308329523"},
		{"a column of kinds", "NetBotz 750", []value{
			obj("1.3.6.1.4.1.99.500.4.1.1.1.4.314", "Appliance"), obj("1.3.6.1.4.1.99.500.4.1.1.1.4.623", "AP9520TH")}, ""},
		{"the device's rows", "S5810-48TS-P", []value{
			obj("1.3.6.1.4.1.99.41.1.4.1.1", "S5810-48TS-P"), obj("1.3.6.1.4.1.99.41.1.4.1.2", "S5810-48TS-P"),
			obj("1.3.6.1.4.1.99.41.1.8.1.1", "R523A2233101507"), obj("1.3.6.1.4.1.99.41.1.8.1.2", "R523A2233101690")}, "R523A2233101507"},
	}
	for _, c := range cases {
		vs := newValues("")
		vs.model, vs.walked = c.model, map[string]value{}
		for _, o := range c.objs {
			vs.walked[o.name] = o
			vs.subtree = append(vs.subtree, o)
		}
		if got := vs.guess(guessSerial); got != c.want {
			t.Errorf("%s: serial %q, want %q", c.name, got, c.want)
		}
	}
}

// TestGuessSerialAfterModelName: a serial number printed as the model's
// name (or its tail) and the unit's number is taken though its letters
// mix cases; one whose tail is no number (an order code), and a name followed
// by too few digits, are not.
func TestGuessSerialAfterModelName(t *testing.T) {
	cases := []struct{ descr, model, obj, want string }{
		{"Terra DVB-S/S2 to IP streamer sdi410C", "DVB-S2", "sdi410C020340429", "sdi410C020340429"},
		{"AX Series Advanced Traffic Manager AXvThunder, ACOS 2.7.2", "AXvThunder", "vThunder3ac80f21f3ad31e1", "vThunder3ac80f21f3ad31e1"},
		{"Terra streamer sdi410C", "sdi410C", "sdi410C0203XXXX", ""},
		{"Terra streamer sdi410C", "sdi410C", "sdi410Cab12cdef", ""},
	}
	for _, c := range cases {
		vs := newValues(c.descr)
		vs.model = c.model
		vs.subtree = []value{{name: "1.3.6.1.4.1.99.4.2.0", text: c.obj}}
		if got := vs.guess(guessSerial); got != c.want {
			t.Errorf("%q beside %q: serial %q, want %q", c.obj, c.model, got, c.want)
		}
	}
}

// TestSerialShapeNotWord: a run of ten letters or more of five different
// ones is a word or a name, not a serial number; a redacted serial's run
// of one letter, and serials with short letter runs, keep the shape.
func TestSerialShapeNotWord(t *testing.T) {
	for s, want := range map[string]bool{
		"PRIVATESTRING01-CB410": false,
		"APPLIANCENAME7":        false,
		"2MZZZZZZZZZZ":          true,
		"FXPA6CSPG9":            true,
		"WTG1D1VV00010P2":       true,
	} {
		if got := serialShape(s, ""); got != want {
			t.Errorf("serialShape(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestBesideModelCode: the serial beside the row that names the part
// number of the maker's model code (UFI_S9510-28DC's "S9510-28DC-B") is
// taken, though its letters and digits alternate as a model's may, over
// a hyphenated label further along the row.
func TestBesideModelCode(t *testing.T) {
	vs := newValues("Hardware Model:UFI_S9510-28DC, Software version: OcNOS,6.5.2.69")
	vs.model, vs.walked = "UFI_S9510-28DC", map[string]value{}
	for _, o := range []value{
		{name: "1.3.6.1.4.1.99.100.1.2.1.1.2.1", text: "S9510-28DC-B"},
		{name: "1.3.6.1.4.1.99.100.1.2.1.1.3.1", text: "WTG1D1VV00010P2"},
		{name: "1.3.6.1.4.1.99.100.1.2.1.1.7.1", text: "951028DC-A-OP611"},
	} {
		vs.walked[o.name] = o
		vs.subtree = append(vs.subtree, o)
	}
	if got := vs.guess(guessBesideModel); got != "WTG1D1VV00010P2" {
		t.Errorf("serial beside the model code's part number %q, want WTG1D1VV00010P2", got)
	}
	vs.model = "UFI_S9600-32X"
	if got := vs.guess(guessBesideModel); got != "" {
		t.Errorf("serial beside another model's row %q, want none", got)
	}
}

// TestGuessSerialNotAFilledSlot: the serial guess passes over a serial
// in a table of slots or ports whose earlier rows are empty (a
// transceiver plugged into a switch's last port, another shelf's serial
// below the master shelf's empty one) and over one beside a column of
// part names with their position ("Fan-1", "Card-1-6"); a table whose
// first row holds the serial, and a column of serials only, keep it.
func TestGuessSerialNotAFilledSlot(t *testing.T) {
	obj := func(name, text string) value { return value{name: name, text: text} }
	cases := []struct {
		name string
		objs []value
		want string
	}{
		{"a port's transceiver", []value{
			obj("1.3.6.1.4.1.99.52.1.6.25", ""), obj("1.3.6.1.4.1.99.52.1.6.26", ""),
			obj("1.3.6.1.4.1.99.52.1.6.28", "GS2201190408")}, ""},
		{"another shelf", []value{
			obj("1.3.6.1.4.1.99.2.1.12.1", ""), obj("1.3.6.1.4.1.99.2.1.12.25", "ACLK0023420080"),
			obj("1.3.6.1.4.1.99.9.2.0", "FH2027A0E3C")}, "FH2027A0E3C"},
		{"the first row", []value{
			obj("1.3.6.1.4.1.99.2.1.12.1", "ACLK0023420080"), obj("1.3.6.1.4.1.99.2.1.12.25", "")}, "ACLK0023420080"},
		{"card types beside slot names", []value{
			obj("1.3.6.1.4.1.99.3.1.1.1.1", "Power Filter-1-A"), obj("1.3.6.1.4.1.99.3.1.1.1.5", "S13X100R"),
			obj("1.3.6.1.4.1.99.3.1.1.1.14", "Fan-1")}, ""},
		{"a column of serials", []value{
			obj("1.3.6.1.4.1.99.3.1.5.1.1", "RT234809707"), obj("1.3.6.1.4.1.99.3.1.5.1.2", "BB1111B0001")}, "RT234809707"},
	}
	for _, c := range cases {
		vs := newValues("")
		vs.walked = map[string]value{}
		for _, o := range c.objs {
			vs.walked[o.name] = o
			vs.subtree = append(vs.subtree, o)
		}
		if got := vs.guess(guessSerial); got != c.want {
			t.Errorf("%s: serial %q, want %q", c.name, got, c.want)
		}
	}
}
