package snmp

import "testing"

// TestModelAgentSoftwareS19b: a management card's sysDescr names the
// card ("NetVision-8"), which the maker's MIB gives with a version ("Net
// Vision 8 v8.00"): the identity group's opening product before the
// serial ("NETYS RT") is the device's model. A device whose MIB gives its
// own name with a version and opens with no other product keeps it.
func TestModelAgentSoftwareS19b(t *testing.T) {
	o := identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|NetVision-8",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.59999.1.1.7",
		"1.3.6.1.4.1.59999.1.1.7.1.1.1.0|4|NETYS RT",
		"1.3.6.1.4.1.59999.1.1.7.1.1.2.0|4|2D22451188",
		"1.3.6.1.4.1.59999.1.1.7.1.1.5.0|4|Net Vision 8 v8.00",
		"1.3.6.1.4.1.59999.1.1.7.1.2.1.0|2|3")
	if o.Model != "NETYS RT" {
		t.Errorf("model %q, want NETYS RT", o.Model)
	}
	o = identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|sensorProbe8",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.59999.1.1.7",
		"1.3.6.1.4.1.59999.1.1.7.1.1.1.0|4|sensorProbe8 v2.0",
		"1.3.6.1.4.1.59999.1.1.7.1.1.2.0|4|2D22451188",
		"1.3.6.1.4.1.59999.1.1.7.1.2.1.0|2|3")
	if o.Model != "sensorProbe8" {
		t.Errorf("model %q, want sensorProbe8", o.Model)
	}
	if !sameName("NetVision-8", "Net Vision 8") || sameName("", "-") || sameName("NetVision-8", "NetVision-9") {
		t.Error("sameName")
	}
}

// TestModelLineMemberS19b: sysDescr names a product line with its
// family's number ("Nokia 1830 PSS v23.6.0"), the maker's shelf table
// its member ("PSS8"): the member is the model. A member of another
// line ("PSD8") leaves sysDescr's.
func TestModelLineMemberS19b(t *testing.T) {
	for _, c := range []struct{ row, want string }{{"PSS8", "PSS8"}, {"PSD8", "Nokia 1830 PSS"}} {
		o := identifyLines(t,
			"1.3.6.1.2.1.1.1.0|4|Nokia 1830 PSS v23.6.0 SONET ADM",
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.59999.1.3.1.6",
			"1.3.6.1.4.1.59999.2.1.1.2.1.1.0|4|SNMP Location",
			"1.3.6.1.4.1.59999.2.2.1.1.2.1.1.1.2.1|4|Master Shelf",
			"1.3.6.1.4.1.59999.2.2.1.1.2.1.1.1.4.1|2|1",
			"1.3.6.1.4.1.59999.2.2.1.1.2.1.3.1.1.1|4|NOK",
			"1.3.6.1.4.1.59999.2.2.1.1.2.1.3.1.2.1|4|"+c.row)
		if o.Model != c.want {
			t.Errorf("shelf %q: model %q, want %q", c.row, o.Model, c.want)
		}
	}
	for _, c := range []struct {
		model, line string
		want        bool
	}{{"PSS32", "Nokia 1830 PSS", true}, {"PSS", "Nokia 1830 PSS", false}, {"PSSX8", "Nokia 1830 PSS", false},
		{"OS8", "Nokia OS", false}, {"PSS8", "PSS", false}} {
		if got := lineNumbered(c.model, c.line); got != c.want {
			t.Errorf("lineNumbered(%q, %q) = %v", c.model, c.line, got)
		}
	}
}

// TestModelConfiguredProductS19b: a storage node's model object gives
// the product code and its configuration joined by hyphens, the ports
// counted, too long for a model ("F710-1U-Dual-512GB-2x1GE-2x100GE
// QSFP+-300TB SSD"): the code opening it (F710) is the model. Text
// without a port count, or short enough to be a model, is not read so.
func TestModelConfiguredProductS19b(t *testing.T) {
	o := identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|Isilon OneFS hostname v7.1.1.8 Isilon OneFS v7.1.1.8 B_7_1_1_283(RELEASE) amd64",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.59999.1",
		"1.3.6.1.4.1.59999.2.51.1.3.1|4|XXXXXX",
		"1.3.6.1.4.1.59999.2.51.1.4.1|4|F710-1U-Dual-512GB-2x1GE-2x100GE QSFP+-300TB SSD")
	if o.Model != "F710" {
		t.Errorf("model %q, want F710", o.Model)
	}
	for _, c := range [][2]string{
		{"H400-4U-Single-96GB-2x1GE-2x10GE SFP+-120TB-3200GB SSD", "H400"},
		{"F710-1U-Dual-512GB-2x1GE", ""},                              // short enough to be the model
		{"F710-1U-Dual-512GB-Eight-Drives-300TB-SSD-Spare-Rails", ""}, // no ports counted
		{"Building-1U-Dual-512GB-2x1GE-2x100GE QSFP+-300TB SSD", ""},  // no product code
	} {
		if got := configuredProduct(c[0]); got != c[1] {
			t.Errorf("configuredProduct(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}
