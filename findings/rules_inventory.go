package findings

import (
	"time"

	"tend/inventory"
)

// Inventory rules: what the site does not yet know about its own devices.

func unknownDevice(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		// Randomised MACs are phones and laptops with privacy addresses:
		// they change address per network and day, so a label would not
		// stick; triage is for the gear that stays.
		if (d.Type != "" && d.Type != inventory.TypeUnknown) || d.Label != "" || d.Role != "" || d.RandomMAC {
			return nil
		}
		if d.FirstSeen.IsZero() || x.now.Sub(d.FirstSeen) < x.cfg.TriageAfter {
			return nil
		}
		e := []inventory.Evidence{ev("inventory", "first seen %s, type unknown, no label", d.FirstSeen.UTC().Format(time.DateTime))}
		if d.Vendor != "" {
			e = append(e, ev("mac_registry", "MAC %s belongs to %s", d.MAC, d.Vendor))
		}
		return &inventory.Finding{Severity: inventory.SeverityInfo, Title: "Unknown device awaiting triage: " + d.Name(), Evidence: e,
			Action: "Identify it (switch port, vendor, hostname) and give it a label, or remove it from the network."}
	})
}
