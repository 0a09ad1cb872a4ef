package snmp

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestFullerFirmware: a bare two-number version a generic rule read from
// sysDescr gives way to the maker's identity group's fuller one, never to
// a date, a two-number one or one that says no more, and a version read
// elsewhere than sysDescr stays.
func TestFullerFirmware(t *testing.T) {
	for _, c := range []struct {
		descr, firmware string
		fromDescr       bool
		objects         []string
		want            string
	}{
		{"Sx800 OSEDelta 4.6", "4.6", true, []string{"000000", "1.46.2", "50.0"}, "1.46.2"},
		{"Raid Subsystem V1.00", "1.00", true, []string{"ARC-8066", "ES-6642B", "A116EHDEPR900010", "V1.50 2012-06-13"}, "V1.50 2012-06-13"},
		{"TSW212 V1.0", "1.0", true, []string{"6001244780", "TSW2_R_00.01.02.2"}, "00.01.02.2"},
		{"DualSwitch 1000 V3.59", "3.59", true, []string{"12.02.2008"}, "3.59"},   // a date
		{"Acme Box V2.1", "2.1", true, []string{"2.4"}, "2.1"},                    // no more said
		{"Acme Box 6.20.014", "6.20.014", true, []string{"7.00.014"}, "6.20.014"}, // three numbers already
		{"Acme Box", "4.6", false, []string{"1.46.2"}, "4.6"},                     // not sysDescr's
		{"Acme Box V1.0", "1.0", true, nil, "1.0"},                                // no maker's MIB
	} {
		vs := newValues(c.descr)
		for _, o := range c.objects {
			vs.subtree = append(vs.subtree, value{text: o})
		}
		id := identity{Firmware: c.firmware, descrFirmware: c.fromDescr}
		id.fullerFirmware(&rule{family: "entity-mib"}, vs)
		if id.Firmware != c.want {
			t.Errorf("%q with %q: firmware %q, want %q", c.descr, c.objects, id.Firmware, c.want)
		}
		// a maker's own rule read sysDescr on purpose: it stays
		own := identity{Firmware: c.firmware, descrFirmware: c.fromDescr}
		if own.fullerFirmware(&rule{family: "rs"}, vs); own.Firmware != c.firmware {
			t.Errorf("%q with %q under a maker's rule: firmware %q, want %q", c.descr, c.objects, own.Firmware, c.firmware)
		}
	}
}

// TestMACSerial: the serial number's last resort is a burned-in MAC
// address opening a group of the maker's scalars, never a placeholder, a
// table's cell, one further down its group or one beside an IP address.
func TestMACSerial(t *testing.T) {
	const g = "1.3.6.1.4.1.99999.1."
	for _, c := range []struct {
		objects map[string]string // name → text; "ip" marks an IpAddress object
		want    string
		because string
	}{
		{map[string]string{g + "1.0": "00A0BA0BD1EC", g + "3.0": "3"}, "00A0BA0BD1EC", "the identity group's MAC"},
		{map[string]string{g + "1.0": "UISP Fiber OLT XGS", g + "2.0": "04:18:d6:a2:fe:6a"}, "04:18:d6:a2:fe:6a", "after the model"},
		{map[string]string{g + "1.0": "00:11:22:33:44:55"}, "", "a placeholder"},
		{map[string]string{g + "1.0": "FFFFFFFFFFFF"}, "", "one digit repeated"},
		{map[string]string{g + "1.0": "ip", g + "3.0": "00-0B-DC-34-D1-06"}, "", "a network settings group's"},
		{map[string]string{g + "4.1.2.1": "00A0BA0BD1EC"}, "", "a table's cell"},
		{map[string]string{g + "1.0": "02A0BA0BD1EC"}, "", "locally administered"},
		{map[string]string{g + "1.0": "Vigor165", g + "2.0": "r13107", g + "8.0": "001DAA943004"}, "", "a network setting down the group (LanMac)"},
	} {
		vs := newValues("Acme")
		for _, n := range slices.Sorted(maps.Keys(c.objects)) {
			v := value{name: n, text: c.objects[n]}
			if v.text == "ip" {
				v = value{name: n, address: true}
			} else if strings.HasSuffix(n, ".0") {
				vs.subtree = append(vs.subtree, v)
				vs.subtreeScalars++
			} else {
				vs.subtree = append(vs.subtree, v)
			}
			if vs.walked == nil {
				vs.walked = map[string]value{}
			}
			vs.walked[n] = v
		}
		if got := vs.macSerial(); got != c.want {
			t.Errorf("%v: %q, want %q: %s", c.objects, got, c.want, c.because)
		}
	}
}
