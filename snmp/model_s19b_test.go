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
