package identity

import (
	"testing"

	"tend/inventory"
)

// TestProductLinesS41: UniFi's gateways (Dream Router and Wall, UXG, UCG)
// route though their maker mostly sells radios; SwOS is MikroTik's switch
// system (an RB260GS names no switch word) and Westermo's Lynx, RedFox
// and Viper lines are its switches.
func TestProductLinesS41(t *testing.T) {
	for _, c := range []struct {
		rule            inventory.DeviceType
		make, os, descr string
		want            inventory.DeviceType
	}{
		{"", "Ubiquiti", "", "Ubiquiti UniFi UDR7 5.1.19 Linux 5.4.213 ipq5322", inventory.TypeRouter},
		{"", "Ubiquiti", "", "Ubiquiti UniFi UXG-Pro 4.0.6", inventory.TypeRouter},
		{inventory.TypeSwitch, "MikroTik", "SwOS", "RB260GSP", inventory.TypeSwitch}, // the mikrotik-swos rule's switch,
		{"", "Westermo Teleindustri AB", "", "Westermo Lynx, primary: v4.32.5, backup: v4.32.2, bootloader: v2017.12.0-8", inventory.TypeSwitch},
		// Huawei's S-series switch under VRP's "Routing Platform" (session 40, setS); its AR router stays one
		{"", "Huawei", "", "S6720-30C-EI-24S-AC\nHuawei Versatile Routing Platform Software\nVRP (R) software,Version 5.160 (S6720 V200R009C00SPC500)", inventory.TypeSwitch},
		{"", "Huawei", "", "Huawei AR1220 Huawei Versatile Routing Platform Software  VRP (R) software,Version 5.120 (AR1220 V200R003C01SPC900)", inventory.TypeRouter},
	} {
		d := device(c.rule, 0, c.make, c.descr)
		d.OS = c.os
		Classify(&d)
		if d.Type != c.want {
			t.Errorf("%q: type %s, want %s", c.descr, d.Type, c.want)
		}
	}
}
