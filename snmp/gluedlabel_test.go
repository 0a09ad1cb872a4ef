package snmp

import "testing"

// TestPartNumberGluedLabel: the label of the next field an agent runs
// into the part number goes; a name that merely ends in the word
// (no part number before it) is left alone.
func TestPartNumberGluedLabel(t *testing.T) {
	for in, want := range map[string]string{
		"SN4971/1E15VHardware": "SN4971/1E15V",
		"AX-2200Software":      "AX-2200",
		"SN4971/1E15V":         "SN4971/1E15V",
		"TotalHardware":        "TotalHardware",
		"X2Release":            "",
	} {
		if got := partNumber(in); got != want {
			t.Errorf("partNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
