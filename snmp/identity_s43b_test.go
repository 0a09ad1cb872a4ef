package snmp

import (
	"slices"
	"testing"

	"tend/inventory"
)

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
		{"Gaia R80.10", "Gaia R80.10, 64-bit", false},
		{"V200R010C00", "V200R010C00, Huawei", false},
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

// TestCapBitsS43b: LLDP-MIB's capability maps are SNMP BITS, bit 0 the
// first octet's most significant: 0x20 is bridge, 0x28 bridge and
// router (a Catalyst 3750's supported), 0x10 a WLAN access point, the
// second octet LLDP-V2's VLAN components; more octets than the map
// needs, or none, is nothing.
func TestCapBitsS43b(t *testing.T) {
	for _, c := range []struct {
		b    []byte
		want []string
	}{
		{[]byte{0x20, 0x00}, []string{"bridge"}},
		{[]byte{0x20}, []string{"bridge"}},
		{[]byte{0x28, 0x00}, []string{"bridge", "router"}},
		{[]byte{0x10}, []string{"wlan-ap"}},
		{[]byte{0x04}, []string{"phone"}},
		{[]byte{0x80, 0x40}, []string{"other", "svlan"}},
		{[]byte{0x00, 0x00}, nil},
		{nil, nil},
		{[]byte{0x28, 0x00, 0x00}, nil},
	} {
		if got := capBits(c.b); !slices.Equal(got, c.want) {
			t.Errorf("capBits(% x) = %q, want %q", c.b, got, c.want)
		}
	}
}

// FuzzCapBits: any octets give at most the map's names, each once, in
// the map's order, and no more octets than the map needs give any.
func FuzzCapBits(f *testing.F) {
	for _, b := range [][]byte{{0x20, 0x00}, {0x28}, {}, {0xff, 0xff}, {0xff, 0xff, 0xff}} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := capBits(b)
		if len(b) > 2 && got != nil {
			t.Fatalf("capBits(% x) = %q from more octets than the map has", b, got)
		}
		last := -1
		for _, n := range got {
			i := slices.Index(lldpCapBits, n)
			if i <= last {
				t.Fatalf("capBits(% x) = %q: not the map's names in order", b, got)
			}
			last = i
		}
	})
}

// TestLLDPLocalCapsTypeS43b: an agent that answers only LLDP-MIB's local
// system data (no system group) is typed from the capabilities its LLDP
// has enabled, with the object named in the evidence: bridge alone a
// switch, a WLAN access point an AP; none enabled falls back on the
// supported ones, as the wire decoder does. A single octet " " (bridge),
// which the text would trim away, is read as octets.
func TestLLDPLocalCapsTypeS43b(t *testing.T) {
	const descr = "1.0.8802.1.1.2.1.3.4.0|4x|22436973636f20494f5320536f6674776172652c20433337353020536f667477617265202843333735302d4950424153452d4d292c2056657273696f6e2031322e32283530295345352c2052454c4541534520534f465457415245202866633129\n"
	for _, c := range []struct {
		name, rec string
		want      inventory.DeviceType
		evidence  string
	}{
		{"enabled bridge", descr + "1.0.8802.1.1.2.1.3.5.0|4x|2800\n1.0.8802.1.1.2.1.3.6.0|4x|2000", inventory.TypeSwitch, "lldpLocSysCapEnabled: bridge"},
		{"one octet", descr + "1.0.8802.1.1.2.1.3.6.0|4x|20", inventory.TypeSwitch, "lldpLocSysCapEnabled: bridge"},
		{"supported only", descr + "1.0.8802.1.1.2.1.3.5.0|4x|1000\n1.0.8802.1.1.2.1.3.6.0|4x|0000", inventory.TypeAP, "lldpLocSysCapSupported: wlan-ap"},
		{"no capabilities", descr, inventory.TypeUnknown, ""},
	} {
		o := scanType(identifyRec(t, c.rec))
		if o.Type != c.want {
			t.Errorf("%s: type %s, want %s (capabilities %q)", c.name, o.Type, c.want, o.Capabilities)
		}
		found := slices.ContainsFunc(o.Evidence, func(e inventory.Evidence) bool { return e.Source == "LLDP-MIB" && e.Detail == c.evidence })
		if found != (c.evidence != "") {
			t.Errorf("%s: evidence %v, want LLDP-MIB %q", c.name, o.Evidence, c.evidence)
		}
	}
}

// TestZyxelIESFirmwareS43b: an IES-52xxM names its running firmware in
// IES5206-MIB's system group (sysBootupFwVersion, 16.1), beside the
// product's name (sysProductDescr, 16.12.2) the rule reads already.
func TestZyxelIESFirmwareS43b(t *testing.T) {
	o := identifyRec(t, `
1.3.6.1.2.1.1.1.0|4|MSC1240XA
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.890.1.5.13.13
1.3.6.1.4.1.890.1.5.13.13.16.1.0|4|V1.10(AAWC.1)
1.3.6.1.4.1.890.1.5.13.13.16.12.2.0|4|IES5206 MSC`)
	if o.Model != "IES5206 MSC" || o.Firmware != "V1.10(AAWC.1)" {
		t.Errorf("IES-52xxM: model %q firmware %q", o.Model, o.Firmware)
	}
}
