package lab

import (
	"strings"
	"testing"
)

// TestTwoArcOIDs: a one-arc OBJECT IDENTIFIER value ("|6|0", how walks
// print zeroDotZero) gains a second arc, which snmpsimd can encode; every
// other line, OID values of two or more arcs and other tags, is kept.
func TestTwoArcOIDs(t *testing.T) {
	in := strings.Join([]string{
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.27514.1.3.46",
		"1.3.6.1.2.1.2.2.1.22.1|6|0",
		"1.3.6.1.2.1.47.1.1.1.1.3.2|6|0\r",
		"1.3.6.1.2.1.47.1.1.1.1.4.1|2|0",
		"1.3.6.1.2.1.47.1.1.1.1.2.1|4|0",
		"1.3.6.1.2.1.2.2.1.22.2|6|0.0",
	}, "\n") + "\n"
	want := strings.Join([]string{
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.27514.1.3.46",
		"1.3.6.1.2.1.2.2.1.22.1|6|0.0",
		"1.3.6.1.2.1.47.1.1.1.1.3.2|6|0.0\r",
		"1.3.6.1.2.1.47.1.1.1.1.4.1|2|0",
		"1.3.6.1.2.1.47.1.1.1.1.2.1|4|0",
		"1.3.6.1.2.1.2.2.1.22.2|6|0.0",
	}, "\n") + "\n"
	if got := string(twoArcOIDs([]byte(in))); got != want {
		t.Errorf("twoArcOIDs:\n%q\nwant\n%q", got, want)
	}
}
