package snmp

import (
	"testing"

	"tend/inventory"
)

func TestPlacePorts(t *testing.T) {
	mac := func(s string) inventory.MAC {
		m, err := inventory.ParseMAC(s)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	core, access := mac("00:00:0c:00:00:01"), mac("00:00:0c:00:00:02")
	printer, laptop, stranger := mac("3c:2a:f4:00:00:01"), mac("f0:18:98:00:00:01"), mac("00:11:22:33:44:55")
	ports := []PortEntry{
		{MAC: printer, Port: inventory.SwitchPort{Switch: core, Port: "Gi1/0/48"}, PortMACs: 40}, // uplink
		{MAC: printer, Port: inventory.SwitchPort{Switch: access, Port: "Fa0/7", VLAN: 10}, PortMACs: 1},
		{MAC: laptop, Port: inventory.SwitchPort{Switch: access, Port: "Fa0/9"}, PortMACs: 2},
		{MAC: access, Port: inventory.SwitchPort{Switch: core, Port: "Gi1/0/48"}, PortMACs: 40},
		{MAC: core, Port: inventory.SwitchPort{Switch: core, Port: "CPU"}, PortMACs: 1}, // its own
		{MAC: stranger, Port: inventory.SwitchPort{Switch: access, Port: "Fa0/3"}, PortMACs: 1},
	}
	seen := map[string]bool{printer.String(): true, laptop.String(): true, access.String(): true, core.String(): true}
	got := map[string]string{}
	for _, e := range PlacePorts(ports, seen) {
		got[e.MAC.String()] = e.Port.Switch.String() + " " + e.Port.Port
	}
	want := map[string]string{
		printer.String(): access.String() + " Fa0/7",
		laptop.String():  access.String() + " Fa0/9",
		access.String():  core.String() + " Gi1/0/48",
	}
	if len(got) != len(want) {
		t.Errorf("placed %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s on %q, want %q", k, got[k], w)
		}
	}
}
