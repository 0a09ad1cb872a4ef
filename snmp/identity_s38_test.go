package snmp

import "testing"

// TestSCTEHMSCommonGroup: an HFC element answers the SCTE HMS common MIB's
// administration group (5591.1.3.1) under its maker's sysObjectID: model,
// serial and the software release its vendor-information string holds,
// not a module's version-shaped object further on in the HMS tree.
func TestSCTEHMSCommonGroup(t *testing.T) {
	for _, oid := range []string{"1.3.6.1.4.1.926.1.99.1.4.2", "1.3.6.1.4.1.5591.1.11.1"} {
		o := identifyText(t, `1.3.6.1.2.1.1.2.0|6|`+oid+`
1.3.6.1.2.1.1.5.0|4|<private>
1.3.6.1.4.1.5591.1.3.1.3.0|4|Acme Model PX9
1.3.6.1.4.1.5591.1.3.1.4.0|4|1932F58N0001
1.3.6.1.4.1.5591.1.3.1.5.0|4|PX9-5.7.1mp1_02.30_02.30-NA
1.3.6.1.4.1.5591.1.4.2.1.3.1|4|1.14.0
1.3.6.1.4.1.5591.1.4.2.1.4.1|4|ACME/XM3-915HP
`)
		if o.Model != "Acme Model PX9" || o.Firmware != "PX9-5.7.1mp1_02.30_02.30-NA" || o.Serial != "1932F58N0001" {
			t.Errorf("%s: model, firmware, serial %q, %q, %q; want the common group's", oid, o.Model, o.Firmware, o.Serial)
		}
	}
}
