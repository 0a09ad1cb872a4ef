package findings

import (
	"time"

	"tend/inventory"
)

// hardwareFromDevices reads the hardware verdicts the lifecycle judge put on
// devices (Lifecycle.Hardware, which honours a newer catalog in the data
// directory) into Input.Hardware's form, keyed by MAC.
func hardwareFromDevices(devs []inventory.Device) map[string]inventory.Lifecycle {
	out := map[string]inventory.Lifecycle{}
	for _, d := range devs {
		if d.Lifecycle == nil || d.Lifecycle.Hardware == nil {
			continue
		}
		hw := d.Lifecycle.Hardware
		ev := []inventory.Evidence{{Source: "catalog", Detail: hw.Product + " " + hw.Model + ": " + string(hw.Status)}}
		if hw.EndOfSale != nil {
			ev = append(ev, inventory.Evidence{Source: "end of sale", Detail: hw.EndOfSale.Format(time.DateOnly)})
		}
		if d.Lifecycle.CatalogDate != "" {
			ev = append(ev, inventory.Evidence{Source: "catalog date", Detail: d.Lifecycle.CatalogDate})
		}
		out[d.MAC.String()] = inventory.Lifecycle{Product: hw.Product, Cycle: hw.Model, Status: hw.Status, EOL: hw.EOL,
			Confidence: d.Lifecycle.Confidence, Evidence: ev}
	}
	return out
}
