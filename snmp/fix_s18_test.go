package snmp

import "testing"

// The review's reproductions of wrong values the session's identity rules
// copied (a synthetic agent, enterprise 64999): each gives none, or the
// right one, now.

// TestFixMaskedPlaceholderSerial: a mask after a placeholder's word, a
// bare mask with hyphens or zeros is no serial; a serial's masked tail is.
func TestFixMaskedPlaceholderSerial(t *testing.T) {
	for _, c := range []struct {
		v    string
		want bool
	}{
		{"XXXX-XXXX-XXXX", false}, {"SNXXXXXXXXXX", false}, {"TBDXXXXXXX", false}, {"NONEXXXX", false}, {"0000XXXXXXXX", false},
		{"NAXXXXXXXX", false}, {"AB1XXXXXXX", false}, {"NONExxxxxxxx", false}, {"TBBIXXXX", false},
		{"CZXXXXXXXX", true}, {"NS083300xxxx", true}, {"PA063013XXXX", true}, {"TBBIxxxxxxxx", true},
	} {
		if got := serialShape(unmasked(c.v), ""); got != c.want {
			t.Errorf("serialShape(unmasked(%q)) = %v, want %v", c.v, got, c.want)
		}
	}
}

// TestFixClassWordsModel: a long chassis description opening with class
// words before its ports, or a row label before " chassis", names no
// model.
func TestFixClassWordsModel(t *testing.T) {
	for _, c := range [][2]string{
		{"Managed Switch 48x1G RJ45 + 4x10G SFP+ uplinks, fanless, dual power supply, rack mount, industrial temperature range", "Managed Switch"},
		{"Gigabit Ethernet Switch 24x10/100/1000Base-T + 4x1000Base-X SFP, Layer 2+ managed, 19 inch rack mount, AC power", "Gigabit Ethernet Switch"},
		{"Unit 1 chassis", "Unit 1"}, {"Stack 2 chassis", "Stack 2"}, {"10-slot chassis", "10-slot"}, {"Fixed 1RU chassis", "Fixed 1RU"},
	} {
		d, wrong := c[0], c[1]
		o := identifyLines(t,
			"1.3.6.1.2.1.1.1.0|4|Acme network device",
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.9.1",
			"1.3.6.1.2.1.47.1.1.1.1.2.1|4|"+d,
			"1.3.6.1.2.1.47.1.1.1.1.5.1|2|3",
			"1.3.6.1.2.1.47.1.1.1.1.7.1|4|Chassis")
		if o.Model == wrong {
			t.Errorf("%.30q: model %q, a class or a row label", d, o.Model)
		}
	}
	if classNoun("Waveserver 40x10GE/10x40GE/4x100GE QSFP+/QSFP28, 2x100G/2x150G/2x200G Wavelogic 3 Extreme Coherent Optical Processors") != "Waveserver" {
		t.Error("classNoun lost a maker's product name")
	}
}

// TestFixCodeReleaseLabels: a setting's label and its address or value is
// no firmware.
func TestFixCodeReleaseLabels(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"NTP-SERVER 192.168.100.200", ""}, {"GATEWAY 10.0.0.1", ""}, {"TEMP 25.5.1", ""}, {"N50052 1.2.3.4", ""},
		{"N50052  01.05.00", "01.05.00"}, {"CODE 7.0.1.1234", "7.0.1.1234"}, // four numbers, not an address
	} {
		got := ""
		codeRelease(c.text, &got)
		if got != c.want {
			t.Errorf("codeRelease(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// TestFixOpeningLabel: an identity group opening with an administrator's
// label ("MAIN UPS", "SERVER ROOM", sysLocation's words) names no model.
func TestFixOpeningLabel(t *testing.T) {
	for _, first := range []string{"MAIN UPS", "SERVER ROOM", "WIDGET HALL 7"} {
		o := identifyLines(t,
			"1.3.6.1.2.1.1.1.0|4|Linux localhost 2.6.37 #105 Mon Dec 24 14:49:28 CST 2018 armv5tejl",
			"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10",
			"1.3.6.1.2.1.1.6.0|4|Widget Hall 7",
			"1.3.6.1.4.1.64999.1.1.7.1.1.1.0|4|"+first,
			"1.3.6.1.4.1.64999.1.1.7.1.1.2.0|4|PD04405001",
			"1.3.6.1.4.1.64999.1.1.7.1.1.5.0|4|Net Vision 7 v7.20")
		if o.Model == first {
			t.Errorf("model %q: a label", o.Model)
		}
	}
}

// TestFixSiblingTablePointer: a sibling table's cell of the same column
// and index pointing at the maker's registration does not make the
// chassis table's type cell an attached unit's.
func TestFixSiblingTablePointer(t *testing.T) {
	vs := newValues("Acme OptiDriver")
	vs.walked = map[string]value{
		"1.3.6.1.4.1.64999.200.9.1.1.4.1": {pointer: "1.3.6.1.4.1.64999.200.1.2.30"},
	}
	if vs.pointingRow(value{name: "1.3.6.1.4.1.64999.200.8.1.1.4.1", text: "OD-16-HD"}) {
		t.Error("a sibling table's pointer refused the model")
	}
	vs.walked = map[string]value{
		"1.3.6.1.4.1.64999.17.9.1.2.1.1": {pointer: "1.3.6.1.4.1.64999.17.9.1.1.1"},
	}
	if !vs.pointingRow(value{name: "1.3.6.1.4.1.64999.17.9.1.3.1.1", text: "EMD5000"}) {
		t.Error("a row pointing into its own table kept its unit's name")
	}
}

// TestFixBIOSVersion: a BIOS's release before the operating system's is
// not the running firmware.
func TestFixBIOSVersion(t *testing.T) {
	o := identifyLines(t,
		"1.3.6.1.2.1.1.1.0|4|Acme server, BIOS version 4.2.1, XOS version 4.15.3F",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.1.7050",
		"1.3.6.1.2.1.47.1.1.1.1.2.1|4|AX-7050 chassis",
		"1.3.6.1.2.1.47.1.1.1.1.5.1|2|3",
		"1.3.6.1.2.1.47.1.1.1.1.10.1|4|4.18.10M",
		"1.3.6.1.2.1.47.1.1.1.1.13.1|4|AX-7050")
	if o.Firmware == "4.2.1" {
		t.Errorf("firmware %q: the BIOS's", o.Firmware)
	}
	if got := osRelease("Acme bootrom XOS version 1.0.1, XOS version 4.15.3F"); got != "4.15.3F" {
		t.Errorf("osRelease = %q, want 4.15.3F", got)
	}
}

// TestFixReleaseAfterAddress: an address after the model is no release.
func TestFixReleaseAfterAddress(t *testing.T) {
	if got := releaseAfter("OKI MC873 version 192.168.1.10 Copyright", "MC873"); got != "" {
		t.Errorf("releaseAfter = %q, want none", got)
	}
}
