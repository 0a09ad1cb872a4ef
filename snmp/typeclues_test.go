package snmp

import (
	"testing"

	"tend/inventory"
)

// TestTypeOfBannerAndVendorRules: an OS banner's server type stands for a
// general-purpose host only (net-snmp's own sysObjectID, no embedded
// processor in the banner), a vendor rule's fixed type yields to what the
// agent says of its kind but not to its maker's usual kind or a print
// queue a host lists, and a type the general clues gave carries their
// score as its weight while a rule's carries none.
func TestTypeOfBannerAndVendorRules(t *testing.T) {
	const windows, netSNMP = "1.3.6.1.4.1.311.1.1.3.1.2", "1.3.6.1.4.1.8072.3.2.10"
	for _, c := range []struct {
		name, sysOID, descr string
		printerQueue        bool
		want                inventory.DeviceType
		weighed             bool // the type came from the general clues
	}{
		{"server banner", netSNMP, "Linux web01 4.19.0-6-amd64 #1 SMP Debian 4.19.67-2 (2019-08-28) x86_64", false, inventory.TypeServer, false},
		{"Raspberry Pi", netSNMP, "Linux raspberrypi 5.4.51-v7+ #1333 SMP Mon Aug 10 16:45:19 BST 2020 armv7l", false, inventory.TypeServer, false},
		{"MIPS router", netSNMP, "Linux Teltonika-RUT240.com 3.18.44 #1 Fri Jun 7 08:39:02 UTC 2019 mips", false, inventory.TypeUnknown, false},
		{"PowerPC appliance", netSNMP, "Linux hostname1 7.5.4 #1 12:38:14 Feb 15 2021 UTC ppc", false, inventory.TypeUnknown, false},
		{"ARMv5 UPS card", netSNMP, "Linux GSE200M 2.6.27-SPEAr310 #5 Fri Mar 9 23:07:56 CST 2012 armv5tejl", false, inventory.TypeUnknown, false},
		{"maker's sysObjectID", "1.3.6.1.4.1.17163.1.1", "Linux hostname 2.6.32 #1 SMP Tue May 10 23:49:24 PDT 2016 x86_64", false, inventory.TypeUnknown, false},
		{"banner, but a PDU", netSNMP, "Linux pdu 4.4.9 #6 SMP Thu Apr 27 15:48:52 EDT 2017 armv7l Metered PDU", false, inventory.TypeUPS, true},
		{"windows server listing a print queue first", windows, "Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)", true, inventory.TypeServer, false},
	} {
		vs := newValues(c.descr)
		if c.printerQueue {
			vs.scalar[hrDeviceType1] = value{text: hrDevicePrinter}
		}
		id := identify(c.sysOID, candidates(c.sysOID, c.descr), vs)
		got := id.Type
		if got == "" {
			got = inventory.TypeUnknown
		}
		if got != c.want {
			t.Errorf("%s: type %q, want %q (evidence %v)", c.name, got, c.want, id.Evidence)
		}
		if c.weighed != (id.typeWeight > 0) || id.typeWeight > 1 {
			t.Errorf("%s: type weight %.2f, want it set %v", c.name, id.typeWeight, c.weighed)
		}
	}
}

// TestTypeCluesSaid: what the agent says of its own kind is told apart
// from its maker's usual kind, which alone never overrules a rule.
func TestTypeCluesSaid(t *testing.T) {
	vs := newValues("EdgeSwitch 24-Port Lite, 1.9.0")
	typ, score, said, ev := typeClues(vs, "", "Ubiquiti Networks")
	if typ != inventory.TypeSwitch || said < minSaidScore || score < said || len(ev) == 0 {
		t.Errorf("EdgeSwitch: %q score %.2f said %.2f, want switch said at least %.2f", typ, score, said, minSaidScore)
	}
	vs = newValues("")
	if typ, _, said, _ := typeClues(vs, "", "Fortinet, Inc."); typ != inventory.TypeFirewall || said != 0 {
		t.Errorf("maker alone: %q said %.2f, want firewall said 0", typ, said)
	}
	vs = newValues("")
	vs.scalar[hrDeviceType1] = value{text: hrDevicePrinter}
	if typ, _, said, _ := typeClues(vs, "", ""); typ != inventory.TypePrinter || said != 0 {
		t.Errorf("print queue alone: %q said %.2f, want printer said 0", typ, said)
	}
}
