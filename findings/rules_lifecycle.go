package findings

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"tend/inventory"
)

// Lifecycle rules read the verdict the wiring put on each device, and the
// age and uptime of the gear.

func firmwareBehind(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		l := d.Lifecycle
		if l == nil || l.Status != inventory.StatusBehind {
			return nil
		}
		sev := inventory.SeverityLow
		if infrastructure(d.Type) || l.Behind >= 3 {
			sev = inventory.SeverityMedium
		}
		e := append([]inventory.Evidence{ev("firmware", "running %s", cmp.Or(d.Firmware, d.OS, "?"))}, l.Evidence...)
		if l.Latest != "" {
			e = append(e, ev("catalog", "latest in the %s %s cycle: %s (%d releases behind)", l.Product, l.Cycle, l.Latest, l.Behind))
		}
		return &inventory.Finding{Severity: sev, Title: "Firmware update available on " + identity(d), Evidence: e,
			Action: fmt.Sprintf("Schedule an update to %s in the next maintenance window; read the release notes for security fixes.", cmp.Or(l.Latest, "the latest release of the cycle"))}
	})
}

func firmwareEOL(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		l := d.Lifecycle
		if l == nil || l.Status != inventory.StatusEOL {
			return nil
		}
		sev := inventory.SeverityMedium
		if infrastructure(d.Type) {
			sev = inventory.SeverityHigh
		}
		e := append([]inventory.Evidence{ev("firmware", "running %s %s", l.Product, cmp.Or(d.Firmware, d.OS, l.Cycle))}, l.Evidence...)
		if l.EOL != nil {
			e = append(e, ev("catalog", "security support ended %s", l.EOL.Format(time.DateOnly)))
		}
		return &inventory.Finding{Severity: sev, Title: "Firmware/OS out of security support on " + identity(d), Evidence: e,
			Action: "Upgrade to a supported release; if the hardware cannot run one, budget its replacement and isolate it meanwhile."}
	})
}

func firmwareSecurityOnly(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		l := d.Lifecycle
		if l == nil || l.Status != inventory.StatusSecurityOnly {
			return nil
		}
		e := slices.Clone(l.Evidence)
		if l.EOL != nil {
			e = append(e, ev("catalog", "security fixes end %s", l.EOL.Format(time.DateOnly)))
		}
		return &inventory.Finding{Severity: inventory.SeverityLow, Title: "Firmware/OS in security-only support on " + identity(d), Evidence: e,
			Action: "Plan the move to a release in active support before security fixes end."}
	})
}

func hardwareEOL(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		v, ok := x.Hardware[d.MAC.String()]
		if !ok || (v.Status != inventory.StatusEOL && v.Status != inventory.StatusSecurityOnly) {
			return nil
		}
		sev, title := inventory.SeverityHigh, "Hardware out of vendor support: "
		if v.Status == inventory.StatusSecurityOnly {
			sev, title = inventory.SeverityMedium, "Hardware past end of software maintenance: "
		}
		e := slices.Clone(v.Evidence)
		if v.EOL != nil {
			e = append(e, ev("catalog", "end of support %s", v.EOL.Format(time.DateOnly)))
		}
		return &inventory.Finding{Severity: sev, Title: title + identity(d), Evidence: e,
			Action: "Budget a replacement with the client at the next review; no more security fixes will come for this model."}
	})
}

// replacementYears is how long equipment usually serves before providers
// replace it: the common 3-5-7 rule (workstations 5, infrastructure 7,
// UPS 5 with batteries every 3-5).
func replacementYears(t inventory.DeviceType) float64 {
	switch t {
	case inventory.TypeRouter, inventory.TypeSwitch, inventory.TypeFirewall, inventory.TypeAP, inventory.TypeNAS:
		return 7
	case inventory.TypeServer, inventory.TypeHypervisor, inventory.TypePrinter:
		return 6
	case inventory.TypeUnknown, "":
		return 0 // no basis to judge
	}
	return 5
}

func replacementAge(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		limit := replacementYears(d.Type)
		if limit == 0 {
			return nil
		}
		var age float64
		var e []inventory.Evidence
		switch {
		case d.PurchaseDate != nil:
			age = x.now.Sub(*d.PurchaseDate).Hours() / (24 * 365.25)
			e = append(e, ev("purchase_date", "bought %s (entered by a person)", d.PurchaseDate.Format(time.DateOnly)))
		case d.Age != nil:
			age = d.Age.MinYears // the conservative end of the band
			e = append(e, ev("age", "estimated %.1f-%.1f years old", d.Age.MinYears, d.Age.MaxYears))
			e = append(e, d.Age.Evidence...)
		default:
			return nil
		}
		if age < limit {
			return nil
		}
		e = append(e, ev("policy", "%s gear is usually replaced after %.0f years", cmp.Or(d.Type, inventory.TypeUnknown), limit))
		return &inventory.Finding{Severity: inventory.SeverityLow, Title: fmt.Sprintf("%s is past its replacement age (%.0f years)", identity(d), math.Floor(age)), Evidence: e,
			Action: "Add it to the client's replacement budget for the coming year."}
	})
}

func longUptime(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.SNMP == nil || d.SNMP.Uptime < x.cfg.LongUptime {
			return nil
		}
		days := int(d.SNMP.Uptime / (24 * time.Hour))
		return &inventory.Finding{Severity: inventory.SeverityLow, Title: fmt.Sprintf("%s has run %d days without a reboot", identity(d), days),
			Evidence: []inventory.Evidence{ev("snmp", "sysUpTime %d days", days)},
			Action:   "A device that never reboots is not getting firmware updates: check its version and schedule an update with a reboot."}
	})
}
