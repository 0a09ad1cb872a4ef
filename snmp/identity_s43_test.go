package snmp

import (
	"slices"
	"testing"

	"tend/inventory"
)

// TestTypeScalarsNeverCutS43: a net-snmp agent's identity GET lists more
// objects than maxIdentifyOIDs (the Linux entry's sources and the vendor
// rows of makers whose gear runs net-snmp); the structural scalars are
// asked all the same, and a UPS card's upsBatteryStatus says ups.
func TestTypeScalarsNeverCutS43(t *testing.T) {
	const netSNMP = "1.3.6.1.4.1.8072.3.2.10"
	descr := "Linux SNMP-System"
	vals := newValues(descr)
	scalars, _ := reads(netSNMP, knowledge{}.candidates(netSNMP, descr), vals.vendorTable())
	if len(scalars) < maxIdentifyOIDs {
		t.Fatalf("a net-snmp agent's GET lists %d objects: the bound no longer bites, the test checks nothing", len(scalars))
	}
	for _, o := range typeScalars {
		if !slices.Contains(scalars, o) {
			t.Errorf("type scalar %s cut from the GET", o)
		}
	}
	if len(scalars)+1 > 60 { // lldpLocSysDesc may come on top; gosnmp.MaxOids
		t.Errorf("the GET lists %d objects, more than gosnmp sends", len(scalars)+1)
	}
	o := identifyRec(t, `
1.3.6.1.2.1.1.1.0|4|Linux SNMP-System
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10
1.3.6.1.2.1.33.1.2.1.0|2|2`)
	if o.Type = scanType(o).Type; o.Type != inventory.TypeUPS {
		t.Errorf("net-snmp UPS card answering upsBatteryStatus: type %s, want ups", o.Type)
	}
}

// TestDellStorageArcS43: Dell's storage branch (674.10893) names a
// PowerVault array: storage, as its server branch's DRACs are servers.
func TestDellStorageArcS43(t *testing.T) {
	o := identifyRec(t, `
1.3.6.1.2.1.1.1.0|4|DELL     MD38xxi          0123
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.674.10893.2.31`)
	if got := scanType(o).Type; got != inventory.TypeNAS || o.Make != "Dell" {
		t.Errorf("PowerVault MD: make %q type %s, want Dell nas", o.Make, got)
	}
}
