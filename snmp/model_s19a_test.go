package snmp

import (
	"fmt"
	"testing"
)

// TestModelLineMemberS19a: a description naming one model of a line
// ("D9854 APR", the firmware image's) gives way to the identity group's
// scalar naming another member of the same line beside the unit's
// version and serial number; the model's own variant, or an object of
// another shape, is no other member.
func TestModelLineMemberS19a(t *testing.T) {
	for _, c := range []struct{ object, want string }{
		{"D9859", "D9859"},
		{"D98590", "D9854"},
		{"9859", "D9854"},
	} {
		o := identifyLines(t,
			"1.3.6.1.2.1.1.1.0|4|D9854 APR",
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.2.2.6.5",
			"1.3.6.1.4.1.64999.2.2.5.1.1.1.0|4|1.50(1.11)",
			"1.3.6.1.4.1.64999.2.2.5.1.1.4.0|4|"+c.object,
			"1.3.6.1.4.1.64999.2.2.5.1.1.5.0|4|361356018144")
		if o.Model != c.want {
			t.Errorf("object %q: model %q, want %q", c.object, o.Model, c.want)
		}
	}
	// past the identity group, three letters of the line or more
	for _, c := range []struct{ descr, object, want string }{
		{"DSR-6404  1.13.2.10", "DSR-4410MD", "DSR-4410MD"},
		{"D9854 APR", "D9859", "D9854"},
	} {
		o := identifyLines(t,
			"1.3.6.1.2.1.1.1.0|4|"+c.descr,
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.1.621",
			"1.3.6.1.4.1.64999.1.621.9.2.3.0|4|000292",
			"1.3.6.1.4.1.64999.1.621.11.1.0|2|0",
			"1.3.6.1.4.1.64999.1.621.11.2.0|2|1",
			"1.3.6.1.4.1.64999.1.621.11.3.0|4|Idle",
			"1.3.6.1.4.1.64999.1.621.11.4.0|4|Locked",
			"1.3.6.1.4.1.64999.1.621.11.5.0|4|None",
			"1.3.6.1.4.1.64999.1.621.11.8.0|2|88",
			"1.3.6.1.4.1.64999.1.621.14.2.0|4|"+c.object)
		if o.Model != c.want {
			t.Errorf("%q beside %q: model %q, want %q", c.object, c.descr, o.Model, c.want)
		}
	}
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"DSR-6404", "DSR-4410MD", true},
		{"D9854", "D9854", false},
		{"D9854", "D9854-AC", false},
		{"9854", "9859", false},
		{"D9854 APR", "D9859", false},
	} {
		if got := sameLine(c.a, c.b); got != c.want {
			t.Errorf("sameLine(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestModelConfirmedPartNumberS19a: a management card's description
// whose part number (MN:) the maker's identity row repeats names the
// device (a Dell rPDU's "DELL6606") before the identity group's first
// scalar, the unit's name; a part number the maker's objects do not
// hold is the card's and leaves the identity group's model.
func TestModelConfirmedPartNumberS19a(t *testing.T) {
	const descr = "DELL Web/SNMP Management Card (MB:V1.0f PF:v5.1.4 PN:dell_hw05_aos_514.bin AF1:v5.1.2 AN1:dell_hw05_rpdud_512.bin MN:%s HR:HW01 SN: IN1A234B5678912CD345E67 MD:09/19/2013)"
	for _, c := range []struct{ mn, want string }{
		{"DELL6606", "DELL6606"},
		{"AP9631", "2500-1 Rack PDU"},
	} {
		o := identifyLines(t,
			"1.3.6.1.2.1.1.1.0|4|"+fmt.Sprintf(descr, c.mn),
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.10903.200.3.1",
			"1.3.6.1.4.1.64999.10903.200.2.100.1.0|4|2500-1 Rack PDU",
			"1.3.6.1.4.1.64999.10903.200.2.200.100.2.1.4.1|4|HW01",
			"1.3.6.1.4.1.64999.10903.200.2.200.100.2.1.5.1|4|v5.1.2",
			"1.3.6.1.4.1.64999.10903.200.2.200.100.2.1.7.1|4|DELL6606",
			"1.3.6.1.4.1.64999.10903.200.2.200.100.2.1.8.1|4|IN1A234B5678912CD345E67")
		if o.Model != c.want {
			t.Errorf("MN:%s: model %q, want %q", c.mn, o.Model, c.want)
		}
	}
}

// TestModelPartAndVariantS19a: a description that is a product number
// and its variant letter in parentheses names the product with the
// variant; a trademark's sign after it is no variant.
func TestModelPartAndVariantS19a(t *testing.T) {
	for _, c := range []struct{ descr, want string }{
		{"FSP150CC-XG116PRO (H)", "FSP150CC-XG116PRO (H)"},
		{"FSP150CC-XG116PRO (R)", "FSP150CC-XG116PRO"},
	} {
		o := identifyLines(t,
			"1.3.6.1.2.1.1.1.0|4|"+c.descr,
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.1.12.1.1.41")
		if o.Model != c.want {
			t.Errorf("%q: model %q, want %q", c.descr, o.Model, c.want)
		}
	}
}
