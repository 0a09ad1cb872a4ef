package snmp

import (
	"testing"

	"tend/inventory"
)

// TestHPEPDUType: HPE's PDUs answer under the enterprise arc its iLO
// rule names (232); a sysDescr naming a PDU or its metered and switched
// outlets makes the device power gear, not a server.
func TestHPEPDUType(t *testing.T) {
	for _, c := range []struct {
		oid, descr string
		want       inventory.DeviceType
	}{
		{"1.3.6.1.4.1.232.165.7", "Assy 3.6kVA 100-240V 16A WW maPDU", inventory.TypeUPS},
		{"1.3.6.1.4.1.232.165.11", "Outlet Metered, Outlet Switched SN:P0000A PN:Device Model:230V, 32A", inventory.TypeUPS},
		{"1.3.6.1.4.1.232.9.4.10", "Integrated Lights-Out 4 2.70 May 07 2019", inventory.TypeServer},
	} {
		o := identifyText(t, `1.3.6.1.2.1.1.1.0|4|`+c.descr+`
1.3.6.1.2.1.1.2.0|6|`+c.oid+`
1.3.6.1.2.1.1.5.0|4|<private>
`)
		if o.Type != c.want {
			t.Errorf("%s %q: type %s, want %s", c.oid, c.descr, o.Type, c.want)
		}
	}
}
