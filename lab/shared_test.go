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

// TestUnreadableNumbers: numeric-typed lines whose value is empty or
// redacted are dropped, numbers and other types kept.
func TestUnreadableNumbers(t *testing.T) {
	in := "1.3.6.1.2.1.1.3.0|67|<private>\n1.3.6.1.2.1.1.4.0|4|\n1.3.6.1.4.1.2544.1|2|\n1.3.6.1.4.1.2544.2|2|-3\n" +
		"1.3.6.1.4.1.2007.1|66|<private>\r\n1.3.6.1.4.1.2007.2|4|10.09.26\n1.3.6.1.4.1.2007.3|70|12\n"
	want := "1.3.6.1.2.1.1.4.0|4|\n1.3.6.1.4.1.2544.2|2|-3\n1.3.6.1.4.1.2007.2|4|10.09.26\n1.3.6.1.4.1.2007.3|70|12\n"
	if got := string(unreadableNumbers.Compiled().ReplaceAll([]byte(in), nil)); got != want {
		t.Errorf("unreadableNumbers dropped:\n%q\nwant\n%q", got, want)
	}
}
