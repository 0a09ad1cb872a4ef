package snmp

import (
	"slices"
	"testing"

	"tend/inventory"
)

// TestLeadingMakerS42: the maker named first in sysDescr, its whole short
// name or the first word of a two-word one (Extreme for Extreme
// Networks), never a parenthesised holder's first word alone.
func TestLeadingMakerS42(t *testing.T) {
	for descr, want := range map[string]string{
		"Extreme BR-SLX9850-4 Router, SLX Operating System Version 18r.1.00a.": "Extreme Networks",
		"Extreme Networks, Inc. B5G124-48P2 Rev 06.81.05.0003":                 "Extreme Networks",
		"HP J9774A 2530-8G-PoEP Switch, revision YA.16.03.0004":                "HP",
		"Dell Networking OS Operating System Version: 2.0":                     "Dell",
		"Mellanox MSN2410, 48 port 25GbE + 8 port 100GbE Switch System":        "Mellanox",
		"Onyx,MSN2410,SWv3.6.6107":                                             "",
		"Printer Working Group agent":                                          "",
		"Extreme":                                                              "",
	} {
		if got := leadingMaker(descr); got != want {
			t.Errorf("leadingMaker(%q) = %q, want %q", descr, got, want)
		}
	}
}

// TestMakerNamedFirstS42: a maker sysDescr names first wins over the
// enterprise number's holder (Extreme's SLX under Brocade's 1588); with
// no sysObjectID the chassis description's maker is the make.
func TestMakerNamedFirstS42(t *testing.T) {
	o := identifyRec(t, `
1.3.6.1.2.1.1.1.0|4|Extreme BR-SLX9850-4 Router, SLX Operating System Version 18r.1.00a.
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.1588.3.3.1.2000`)
	if o.Make != "Extreme Networks" {
		t.Errorf("SLX: make %q", o.Make)
	}
	o = identifyRec(t, `
1.3.6.1.2.1.1.1.0|4|Onyx,MSN2410,SWv3.6.6107
1.3.6.1.2.1.47.1.1.1.1.2.1|4|Mellanox MSN2410, 48 port 25GbE + 8 port 100GbE Switch System`)
	if o.Make != "Mellanox" || o.Model != "MSN2410" {
		t.Errorf("Onyx: make %q model %q", o.Make, o.Model)
	}
}

// TestTypesS42: the types session 41 read from the makers' MIBs and the
// standard ones: PowerNet-MIB's monitors and networkAir arcs are
// environment gear, Cisco Business Wireless an AP under the Small
// Business arc, Dell's DRAC and iDRAC arcs a server's BMC.
func TestTypesS42(t *testing.T) {
	for _, c := range []struct {
		oid, descr string
		want       inventory.DeviceType
	}{
		{"1.3.6.1.4.1.318.1.3.14.10", "APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.1.0 AN1:apc_hw06_acrc2g_610.bin MN:0N-9580AC)", inventory.TypeIoT},
		{"1.3.6.1.4.1.318.1.3.8.2", "APC Environmental Management System (MB:v3.6.9 PF:v2.6.4)", inventory.TypeIoT},
		{"1.3.6.1.4.1.318.1.3.2.12", "APC Web/SNMP Management Card (MB:v3.9.2 PF:v3.7.3)", inventory.TypeUPS},
		{"1.3.6.1.4.1.9.6.1.37.240.1", "Cisco Business Wireless", inventory.TypeAP},
		{"1.3.6.1.4.1.9.6.1.80.28.1", "SG200-26 26-Port Gigabit Smart Switch", inventory.TypeSwitch},
		{"1.3.6.1.4.1.674.10892.5", "", inventory.TypeServer},
		{"1.3.6.1.4.1.674.10892.2", "Linux hostname 2.6.23.1 #1 PREEMPT armv5tejl", inventory.TypeServer},
	} {
		rec := "1.3.6.1.2.1.1.2.0|6|" + c.oid
		if c.descr != "" {
			rec = "1.3.6.1.2.1.1.1.0|4|" + c.descr + "\n" + rec
		}
		if o := identifyRec(t, rec); o.Type != c.want {
			t.Errorf("%s %q: type %s, want %s", c.oid, c.descr, o.Type, c.want)
		}
	}
}

// TestUPSGroupS42: UPS-MIB's manufacturer alone or its battery group
// answering, or the maker's own UPS identity group (CPS-MIB walked
// without a system group), is UPS-MIB answering; a camera's private
// rows are not.
func TestUPSGroupS42(t *testing.T) {
	for name, c := range map[string]struct {
		rec  string
		want bool
	}{
		"manufacturer": {"1.3.6.1.2.1.1.1.0|4|Linux dnpower 2.6\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2021.1.1.1\n1.3.6.1.2.1.33.1.1.1.0|4|Marathon Power", true},
		"battery":      {"1.3.6.1.2.1.1.1.0|4|UPS agent\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1\n1.3.6.1.2.1.33.1.2.1.0|2|2", true},
		"battery-junk": {"1.3.6.1.2.1.1.1.0|4|agent\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1\n1.3.6.1.2.1.33.1.2.1.0|2|7", false},
		"cps-mib": {`1.3.6.1.4.1.3808.1.1.1.1.1.1.0|4|OR2200LCDRT2U
1.3.6.1.4.1.3808.1.1.1.1.2.1.0|4|BFAD101*781`, true},
		"camera": {"1.3.6.1.4.1.39165.1.1.0|4|DS-2CD2185FWD-I\n1.3.6.1.4.1.39165.1.3.0|4|V5.5.3 build 171025", false},
	} {
		o := identifyRec(t, c.rec)
		if got := slices.Contains(o.Capabilities, inventory.CapUPSMIB); got != c.want {
			t.Errorf("%s: UPS-MIB %v, want %v (capabilities %v)", name, got, c.want, o.Capabilities)
		}
	}
}

// TestFortiAPPlatformS42: fapVersion's platform names the model for the
// FortiAP U and S series too, not the host name sysDescr holds.
func TestFortiAPPlatformS42(t *testing.T) {
	for version, want := range map[string]string{"PU231F-v7.0-build0084": "FortiAP U231F", "FP221E-v6.4-build0460": "FortiAP 221E"} {
		o := identifyRec(t, `
1.3.6.1.2.1.1.1.0|4|FAP-LOBBY-01
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.12356.120.10.23122
1.3.6.1.2.1.1.5.0|4|FAP-LOBBY-01
1.3.6.1.4.1.12356.120.1.1.0|4|`+version)
		if o.Model != want || o.Firmware != version {
			t.Errorf("%s: model %q firmware %q", version, o.Model, o.Firmware)
		}
	}
}
