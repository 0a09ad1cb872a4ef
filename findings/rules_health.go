package findings

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"tend/inventory"
)

// Health rules read what devices' agents report, and change between the
// previous snapshot and this one.

func printerSupplyLow(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.Health == nil {
			return nil
		}
		var e []inventory.Evidence
		sev := inventory.SeverityLow
		for _, s := range d.Health.Supplies {
			if s.Percent < 0 || s.Percent > x.cfg.SupplyLowPercent || s.Kind == "waste" {
				continue
			}
			e = append(e, ev("printer_mib", "%s (%s) at %.0f%%", s.Name, s.Kind, s.Percent))
			if s.Percent <= 2 {
				sev = inventory.SeverityMedium
			}
		}
		if e == nil {
			return nil
		}
		return &inventory.Finding{Severity: sev, Title: "Printer supplies low on " + identity(d), Evidence: e,
			Action: "Order replacements now so the printer does not stop."}
	})
}

func upsBatteryReplace(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.Health == nil || d.Health.Battery == nil {
			return nil
		}
		b := d.Health.Battery
		if !b.ReplaceNeeded && b.Status != "depleted" {
			return nil
		}
		e := []inventory.Evidence{ev("ups_mib", "battery status %q, replace indicator %t", b.Status, b.ReplaceNeeded)}
		if b.LastReplaced != nil {
			e = append(e, ev("ups_mib", "battery last replaced %s", b.LastReplaced.Format(time.DateOnly)))
		}
		return &inventory.Finding{Severity: inventory.SeverityHigh, Title: "UPS battery needs replacing: " + identity(d), Evidence: e,
			Action: "Order a replacement battery pack; until it is fitted the UPS may not carry the load through a power cut."}
	})
}

func nasDegraded(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.Health == nil {
			return nil
		}
		var e []inventory.Evidence
		sev := inventory.SeverityMedium
		for _, v := range d.Health.Volumes {
			switch v.Status {
			case "degraded":
				sev = worse(sev, inventory.SeverityHigh)
				e = append(e, ev("nas_mib", "volume %s is degraded", v.Name))
			case "failed":
				sev = inventory.SeverityCritical
				e = append(e, ev("nas_mib", "volume %s has failed", v.Name))
			}
		}
		for _, k := range d.Health.Disks {
			switch k.Status {
			case "warning":
				e = append(e, ev("nas_mib", "disk %s %s (serial %s) reports a warning", k.Name, k.Model, k.Serial))
			case "failed":
				sev = worse(sev, inventory.SeverityHigh)
				e = append(e, ev("nas_mib", "disk %s %s (serial %s) has failed", k.Name, k.Model, k.Serial))
			}
		}
		if e == nil {
			return nil
		}
		return &inventory.Finding{Severity: sev, Title: "Storage degraded on " + identity(d), Evidence: e,
			Action: "Replace the failing disk and let the array rebuild; check the last backup is good before the rebuild starts."}
	})
}

// worse returns the more severe of a and b.
func worse(a, b inventory.Severity) inventory.Severity {
	if b.Rank() > a.Rank() {
		return b
	}
	return a
}

// memoryStorage tells RAM, swap and caches in hrStorage from filesystems.
func memoryStorage(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "memory") || strings.Contains(n, "swap") || strings.Contains(n, "ram")
}

func diskSpaceLow(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.Health == nil {
			return nil
		}
		var e []inventory.Evidence
		sev := inventory.SeverityMedium
		for _, s := range d.Health.Storage {
			if s.SizeBytes == 0 || memoryStorage(s.Name) {
				continue
			}
			pct := 100 * float64(s.UsedBytes) / float64(s.SizeBytes)
			if pct < x.cfg.DiskFullPercent {
				continue
			}
			if pct >= 97 {
				sev = inventory.SeverityHigh
			}
			e = append(e, ev("host_resources", "%s %.0f%% full (%s free of %s)", s.Name, pct, inventory.FormatBytes(s.SizeBytes-min(s.UsedBytes, s.SizeBytes)), inventory.FormatBytes(s.SizeBytes)))
		}
		if e == nil {
			return nil
		}
		return &inventory.Finding{Severity: sev, Title: "Disk space low on " + identity(d), Evidence: e,
			Action: "Free space (old backups, logs, snapshots) or grow the volume before writes start failing."}
	})
}

// elapsed is the time between the snapshots, 0 without a usable previous.
func (x *input) elapsed() time.Duration {
	if x.Previous == nil || !x.Previous.Time.Before(x.now) {
		return 0
	}
	return x.now.Sub(x.Previous.Time)
}

// elapsedFor is the time between device d's previous sample p and now:
// the difference of their last sightings when both are known (sensors
// sample at their own pace, not the evaluation's), else the time between
// the snapshots; 0 when there is no previous sample.
func (x *input) elapsedFor(d, p *inventory.Device) time.Duration {
	if p == nil {
		return 0
	}
	if !p.LastSeen.IsZero() && d.LastSeen.After(p.LastSeen) {
		return d.LastSeen.Sub(p.LastSeen)
	}
	return x.elapsed()
}

func prevInterface(p *inventory.Device, idx int) *inventory.Interface {
	if p == nil || p.Health == nil {
		return nil
	}
	for i := range p.Health.Interfaces {
		if p.Health.Interfaces[i].Index == idx {
			return &p.Health.Interfaces[i]
		}
	}
	return nil
}

// delta is b-a, 0 when the counter went backwards (a reboot or a wrap).
func delta(a, b uint64) uint64 {
	if b < a {
		return 0
	}
	return b - a
}

func interfaceErrors(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		pd := x.prev[d.MAC.String()]
		el := x.elapsedFor(d, pd)
		if d.Health == nil || el == 0 {
			return nil
		}
		var e []inventory.Evidence
		for _, ifc := range d.Health.Interfaces {
			p := prevInterface(pd, ifc.Index)
			if p == nil {
				continue
			}
			n := delta(p.InErrors, ifc.InErrors) + delta(p.OutErrors, ifc.OutErrors)
			if n < x.cfg.InterfaceErrors {
				continue
			}
			e = append(e, ev("if_mib", "%s: %d new errors in %s (in %d→%d, out %d→%d)", cmp.Or(ifc.Name, fmt.Sprint(ifc.Index)),
				n, el.Round(time.Second), p.InErrors, ifc.InErrors, p.OutErrors, ifc.OutErrors))
		}
		if e == nil {
			return nil
		}
		return &inventory.Finding{Severity: inventory.SeverityMedium, Title: "Interface errors rising on " + identity(d), Evidence: e,
			Action: "Errors that keep rising mean a failing cable, patch lead, transceiver or port, or a duplex mismatch: reseat or replace the cable, then move the port."}
	})
}
