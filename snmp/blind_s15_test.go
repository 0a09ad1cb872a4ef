package snmp

import (
	"maps"
	"slices"
	"testing"
)

// subtreeOf builds the subtree probe's values from names and texts
// ("#" before a text marks a number-typed object), scalars first as
// addSubtree keeps them.
func subtreeOf(objects map[string]string) *values {
	vs := newValues("Acme")
	vs.walked = map[string]value{}
	var cells []value
	for _, n := range slices.Sorted(maps.Keys(objects)) {
		v := value{name: n, text: objects[n]}
		if len(v.text) > 0 && v.text[0] == '#' {
			v.text, v.number = v.text[1:], true
			vs.walked[n] = v
			continue
		}
		vs.walked[n] = v
		if n[len(n)-2:] == ".0" {
			vs.subtree = append(vs.subtree, v)
			vs.subtreeScalars++
		} else {
			cells = append(cells, v)
		}
	}
	vs.subtree = append(vs.subtree, cells...)
	return vs
}

// TestBesideVersion: the serial number's last resort is a text of
// decimal digits just before the object that gives the version, in the
// same group or row, never a number-typed object (a reading), zeros, a
// round number, a lone digit or two, nor one elsewhere in the group.
func TestBesideVersion(t *testing.T) {
	const g = "1.3.6.1.4.1.99999.640.2."
	for _, c := range []struct {
		objects map[string]string
		want    string
		because string
	}{
		{map[string]string{g + "1.0": "239", g + "2.0": "1.2.0.14"}, "239", "the FM receiver's unit number"},
		{map[string]string{g + "4.0": "21327", g + "6.0": "v8.6.07"}, "21327", "the next object after a gap"},
		{map[string]string{g + "1.5.1": "0051", g + "1.7.1": "1.0.5d", g + "1.8.1": "x.x.x"}, "0051", "a table row's"},
		{map[string]string{g + "1.0": "#239", g + "2.0": "1.2.0.14"}, "", "a number-typed object"},
		{map[string]string{g + "1.0": "0000", g + "2.0": "1.2.0.14"}, "", "zeros"},
		{map[string]string{g + "1.0": "4096", g + "2.0": "1.2.0.14"}, "", "a round number"},
		{map[string]string{g + "1.0": "12", g + "2.0": "1.2.0.14"}, "", "too short"},
		{map[string]string{g + "1.0": "239", g + "2.0": "Acme", g + "3.0": "1.2.0.14"}, "", "not beside the version"},
		{map[string]string{g + "1.0": "1.2.0.14", g + "2.0": "239"}, "", "after the version"},
	} {
		vs := subtreeOf(c.objects)
		if got := vs.besideVersion(); got != c.want {
			t.Errorf("%s (%v): %q, want %q", c.because, c.objects, got, c.want)
		}
	}
}

// TestBesideSerial: a model's last resort is a part number of hyphenated
// digits just after the object the serial guess took, never a date, a
// number-typed object or one elsewhere in the group.
func TestBesideSerial(t *testing.T) {
	const g = "1.3.6.1.4.1.99999.2.3.1.6.1."
	for _, c := range []struct {
		objects map[string]string
		want    string
		because string
	}{
		{map[string]string{g + "2.0": "DW0123456789", g + "3.0": "60-000367-02"}, "60-000367-02", "the radio's part number"},
		{map[string]string{g + "2.0": "A2002DED0259", g + "3.0": "186-2003-901"}, "186-2003-901", "three digits each side"},
		{map[string]string{g + "2.0": "DW0123456789", g + "3.0": "2016-10-19"}, "", "a date"},
		{map[string]string{g + "2.0": "DW0123456789", g + "3.0": "#60"}, "", "a number-typed object"},
		{map[string]string{g + "2.0": "DW0123456789", g + "3.0": "up", g + "4.0": "60-000367-02"}, "", "not beside the serial"},
		{map[string]string{g + "2.0": "60-000367-02", g + "3.0": "DW0123456789"}, "", "before the serial"},
	} {
		vs := subtreeOf(c.objects)
		if got := vs.besideSerial(); got != c.want {
			t.Errorf("%s (%v): %q, want %q", c.because, c.objects, got, c.want)
		}
	}
}

// TestShortPartNumber: one letter and three digits opening the identity
// group is the model ("R500"); one letter and four digits (a short serial
// number, "G0290") and the host's name are not.
func TestShortPartNumber(t *testing.T) {
	const g = "1.3.6.1.4.1.99999.1.1.2.1.1.1."
	for _, c := range []struct {
		first, sysName, want string
	}{
		{"R500", "", "R500"},
		{"T300", "ap-lobby", "T300"},
		{"G0290", "", ""},
		{"R500", "R500", ""},
	} {
		vs := subtreeOf(map[string]string{g + "1.0": c.first, g + "2.0": "lobby"})
		vs.sysName = c.sysName
		if got := vs.identityModel(); got != c.want {
			t.Errorf("%q (sysName %q): model %q, want %q", c.first, c.sysName, got, c.want)
		}
	}
}

// TestVariantLetter: the identity group's product name may end with its
// variant's capital letter ("Smartpack S"); a lone letter elsewhere is
// noise.
func TestVariantLetter(t *testing.T) {
	const g = "1.3.6.1.4.1.99999.10.2."
	for _, c := range []struct {
		name, want string
	}{
		{"Smartpack S", "Smartpack S"},
		{"Micropack System", "Micropack System"},
		{"f X", ""},
		{"Site A", ""}, // a place, not a product
		{"Smartpack s", ""},
	} {
		vs := subtreeOf(map[string]string{g + "6.0": c.name, g + "7.0": "999999999999"})
		if got := vs.namedIdentity(); got != c.want {
			t.Errorf("%q: model %q, want %q", c.name, got, c.want)
		}
	}
}

// TestNumberedSensor: a sensor's name after its number ("08-HD Max") is
// no model, even where the maker's MIB lists its sensors as scalars; a
// product number that opens with digits and a hyphen stays one.
func TestNumberedSensor(t *testing.T) {
	const g = "1.3.6.1.4.1.99999.1.6.7.8.1.1.2."
	vs := subtreeOf(map[string]string{g + "6.0": "08-HD Max", g + "7.0": "10-Chipset"})
	if got := vs.identityModel(); got != "" {
		t.Errorf("sensor names: model %q, want none", got)
	}
	if numberedItem.MatchString("60-000367-02") || numberedItem.MatchString("3Com 4200") {
		t.Error("a part number taken for a numbered sensor")
	}
}
