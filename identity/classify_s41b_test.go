package identity

import (
	"testing"

	"tend/inventory"
)

// TestTypesS41b: a SwOS switch whose sysDescr is its model alone
// ("RB260GS") and whose name is its maker's default ("MikroTik") stays
// the switch its rule, OS and sysServices say (a name that is the
// maker's says who made it, which the maker's clue counts); Raisecom's ISCOM S-series is a switch
// though the maker also sells routers and the agent sets the IP layer;
// Raritan's Dominion SX II console server is no UPS (tend types console
// servers as servers), though its maker mostly sells PDUs.
func TestTypesS41b(t *testing.T) {
	for _, c := range []struct {
		rule                         inventory.DeviceType
		make, model, os, name, descr string
		services                     string
		want                         inventory.DeviceType
	}{
		{inventory.TypeSwitch, "MikroTik", "RB260GS", "SwOS", "MikroTik", "RB260GS", "2", inventory.TypeSwitch},
		{"", "Raisecom", "S2600-8S4T4X-AC", "", "", " ISCOM S2600-8S4T4X-AC Sw Ver RESP V7.02.18,Hw Ver A.00", "79", inventory.TypeSwitch},
		{"", "Raritan", "DSX2-32-3", "", "DominionSX", "DSX2-32-3", "72", inventory.TypeServer},
		// a RouterOS board whose sysDescr is its model alone stays a router
		{"", "MikroTik", "RB951Ui-2HnD", "RouterOS", "MikroTik", "RB951Ui-2HnD", "78", inventory.TypeRouter},
	} {
		d := device(c.rule, 0, c.make, c.descr)
		d.Model, d.OS, d.Hostname = c.model, c.os, c.name
		d.Capabilities = append(d.Capabilities, inventory.CapSysServices+c.services)
		Classify(&d)
		if d.Type != c.want {
			t.Errorf("%q: type %s, want %s (%v)", c.descr, d.Type, c.want, d.TypeEvidence)
		}
	}
}
