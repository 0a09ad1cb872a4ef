package findings

import (
	"time"

	"tend/inventory"
	"tend/lifecycle"
)

// HardwareVerdicts judges every device's hardware against the catalog
// (end of sale and support by model), for Input.Hardware. Devices the
// catalog knows nothing of are left out.
func HardwareVerdicts(cat *lifecycle.Catalog, devs []inventory.Device, now time.Time) map[string]inventory.Lifecycle {
	out := map[string]inventory.Lifecycle{}
	if cat == nil {
		return out
	}
	for i := range devs {
		d := &devs[i]
		if d.Model == "" {
			continue
		}
		id := lifecycle.Identity{Vendor: d.Vendor, Make: d.Make, Model: d.Model, OS: d.OS, Firmware: d.Firmware,
			Serial: d.Serial, FirstSeen: d.FirstSeen}
		if d.SNMP != nil {
			id.SysDescr, id.SysObjectID = d.SNMP.SysDescr, d.SNMP.SysObjectID
		}
		if d.PurchaseDate != nil {
			id.PurchaseDate = *d.PurchaseDate
		}
		if v, ok := cat.JudgeHardware(id, now); ok {
			out[d.MAC.String()] = v
		}
	}
	return out
}
