package snmp

import "testing"

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
