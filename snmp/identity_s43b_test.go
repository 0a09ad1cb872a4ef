package snmp

import "testing"

// TestDescrHeadS43b: an identity-group scalar that repeats the product
// text sysDescr opens with, before a comma or a semicolon or alone, is
// the model even with dot-separated groups in it; a version by the
// version guess's grammar, a kernel banner, an operating system or a
// text sysDescr does not open with is not.
func TestDescrHeadS43b(t *testing.T) {
	vs := newValues("")
	for _, c := range []struct {
		t, descr string
		want     bool
	}{
		{"2G-2S.0.2.F-BOX-PoE (M-PoE)", "2G-2S.0.2.F-BOX-PoE (M-PoE), fw:60.7050, PoEfw:118", true},
		{"XR-8.1.4.Q-NODE", "XR-8.1.4.Q-NODE; hw:2", true},
		{"XR-8.1.4.Q-NODE", "XR-8.1.4.Q-NODE", true},
		{"XR-8.1.4.Q-NODE", "XR-8.1.4.Q-NODE-2, fw:1.0", false}, // not the whole product text
		{"XR-8.1.4.Q", "XR-8.1.4.Q NODE 2", false},              // a space: opensDescr's case, not this one
		{"Node 2.1.4", "Node 2.1.4, build 7", false},            // a product and its release
		{"2.1.4-r2", "2.1.4-r2, build 7", false},
		{"V2.1", "V2.1, build 7", false},
		{"Linux 5.4", "Linux 5.4, armv7l", false},
		{"Cisco IOS 15", "Cisco IOS 15, RELEASE", false},
		{"Node", "Node, fw 2", false}, // no digit
		{"12.5", "12.5, 3", false},
	} {
		if got := vs.descrHead(c.t, c.descr); got != c.want {
			t.Errorf("descrHead(%q, %q) = %v, want %v", c.t, c.descr, got, c.want)
		}
	}
}

// TestIdentityGroupOverPortTableS43b: a maker's identity group whose
// first scalar repeats sysDescr's product code (dots in it) names the
// model, and a per-port transceiver table's part and serial numbers
// (two rows) stand in for neither the model nor the serial, whether the
// group's scalar is read as the model or not; a MIB of tables alone
// keeps its rows as candidates.
func TestIdentityGroupOverPortTableS43b(t *testing.T) {
	const ports = `
1.3.6.1.4.1.64999.1.1.50.2.1.20.2|4|WWW.EXAMPLE.EU
1.3.6.1.4.1.64999.1.1.50.2.1.20.3|4|
1.3.6.1.4.1.64999.1.1.50.2.1.40.2|4|QX-100-20-W5-L
1.3.6.1.4.1.64999.1.1.50.2.1.40.3|4|
1.3.6.1.4.1.64999.1.1.50.2.1.68.2|4|K226090373
1.3.6.1.4.1.64999.1.1.50.2.1.68.3|4|`
	o := identifyRec(t, `
1.3.6.1.2.1.1.1.0|4|4G-2S.1.3.Q-NODE (Q-PoE), fw:12.305, PoEfw:9
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999
1.3.6.1.4.1.64999.1.1.1.0|4|4G-2S.1.3.Q-NODE (Q-PoE)
1.3.6.1.4.1.64999.1.1.3.0|2|12`+ports)
	if o.Model != "4G-2S.1.3.Q-NODE (Q-PoE)" || o.Serial == "K226090373" {
		t.Errorf("dotted product code: model %q serial %q, want the group's model and no transceiver's serial", o.Model, o.Serial)
	}
	o = identifyRec(t, `
1.3.6.1.2.1.1.1.0|4|Switch controller
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999
1.3.6.1.4.1.64999.1.1.1.0|4|office
1.3.6.1.4.1.64999.1.1.3.0|2|12`+ports)
	if o.Model == "QX-100-20-W5-L" || o.Serial == "K226090373" {
		t.Errorf("group not a model: model %q serial %q, a transceiver's", o.Model, o.Serial)
	}
	o = identifyRec(t, `
1.3.6.1.2.1.1.1.0|4|Switch controller
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999`+ports)
	if o.Model != "QX-100-20-W5-L" {
		t.Errorf("tables alone: model %q, want the row's", o.Model)
	}
}
