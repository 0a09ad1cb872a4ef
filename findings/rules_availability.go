package findings

import (
	"cmp"
	"fmt"
	"math"
	"time"

	"tend/inventory"
)

// Availability rules: power, capacity, reboots, and gear or backups gone quiet.

func upsOnBattery(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.Health == nil || d.Health.Battery == nil || !d.Health.Battery.OnBattery {
			return nil
		}
		b := d.Health.Battery
		e := []inventory.Evidence{ev("ups_mib", "on battery: charge %d%%, %d minutes of runtime left", b.ChargePercent, b.RuntimeMinutes)}
		return &inventory.Finding{Severity: inventory.SeverityCritical, Title: "UPS running on battery: " + identity(d), Evidence: e,
			Action: "Mains power is out or the input is failing: check the feed, and shut servers down cleanly before the runtime ends."}
	})
}

func portNearCapacity(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		pd := x.prev[d.MAC.String()]
		el := x.elapsedFor(d, pd)
		if d.Health == nil || el < time.Minute { // shorter windows measure bursts, not load
			return nil
		}
		var e []inventory.Evidence
		for _, ifc := range d.Health.Interfaces {
			p := prevInterface(pd, ifc.Index)
			if p == nil || ifc.SpeedBps == 0 || !ifc.OperUp {
				continue
			}
			in := float64(delta(p.InOctets, ifc.InOctets)) * 8 / el.Seconds()
			out := float64(delta(p.OutOctets, ifc.OutOctets)) * 8 / el.Seconds()
			pct := 100 * math.Max(in, out) / float64(ifc.SpeedBps)
			if pct < x.cfg.CapacityPercent || pct > 110 { // beyond line rate: a counter glitch
				continue
			}
			e = append(e, ev("if_mib", "%s at %.0f%% of %s over %s (in %.1f Mbit/s, out %.1f Mbit/s)", cmp.Or(ifc.Name, fmt.Sprint(ifc.Index)),
				pct, rate(ifc.SpeedBps), el.Round(time.Second), in/1e6, out/1e6))
		}
		if e == nil {
			return nil
		}
		return &inventory.Finding{Severity: inventory.SeverityMedium, Title: "Link near capacity on " + identity(d), Evidence: e,
			Action: "Find the heavy talker on the traffic page; if the load is legitimate, upgrade the link or add an aggregated one."}
	})
}

func rate(bps uint64) string {
	switch {
	case bps >= 1e9:
		return fmt.Sprintf("%g Gbit/s", float64(bps)/1e9)
	case bps >= 1e6:
		return fmt.Sprintf("%g Mbit/s", float64(bps)/1e6)
	}
	return fmt.Sprintf("%d bit/s", bps)
}

// sysUpTimeWrap is when sysUpTime, 32-bit hundredths of a second (RFC
// 3418), wraps: after 497 days a drop to near zero is not a reboot.
const sysUpTimeWrap = time.Duration(math.MaxUint32) * 10 * time.Millisecond

// unexpectedReboot raises a finding for infrastructure that restarted in
// the last EventWindow while tend was watching it: its boot time (last
// sighting minus uptime) falls after tend first saw it. A previous reading
// just below the counter's wrap means the drop was a wrap, not a reboot.
func unexpectedReboot(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if !infrastructure(d.Type) || d.SNMP == nil || d.SNMP.Uptime <= 0 || d.LastSeen.IsZero() || d.FirstSeen.IsZero() {
			return nil
		}
		boot := d.LastSeen.Add(-d.SNMP.Uptime)
		if !boot.After(d.FirstSeen) || x.now.Sub(boot) > x.cfg.EventWindow {
			return nil
		}
		e := []inventory.Evidence{ev("snmp", "sysUpTime %s at %s: restarted about %s, after tend first saw it on %s",
			d.SNMP.Uptime.Round(time.Minute), d.LastSeen.UTC().Format(time.DateTime), boot.UTC().Format(time.DateTime), d.FirstSeen.UTC().Format(time.DateOnly))}
		if p := x.prev[d.MAC.String()]; p != nil && p.SNMP != nil && p.SNMP.Uptime > d.SNMP.Uptime {
			if p.SNMP.Uptime+x.elapsedFor(d, p) > sysUpTimeWrap-time.Hour {
				return nil // the counter wrapped
			}
			e = append(e, ev("snmp", "uptime fell from %s to %s between two polls", p.SNMP.Uptime.Round(time.Minute), d.SNMP.Uptime.Round(time.Minute)))
		}
		return &inventory.Finding{Severity: inventory.SeverityMedium, Title: "Unexpected reboot of " + identity(d), Evidence: e,
			Action: "If nobody restarted it, check its power (UPS events), logs and temperature; repeated reboots mean failing hardware."}
	})
}

func infrastructureQuiet(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if !infrastructure(d.Type) || d.LastSeen.IsZero() || x.now.Sub(d.LastSeen) < x.cfg.QuietAfter {
			return nil
		}
		return &inventory.Finding{Severity: inventory.SeverityHigh, Title: "Infrastructure device gone quiet: " + identity(d),
			// No "N minutes ago" here: evidence that changes every
			// evaluation would rewrite the finding every minute.
			Evidence: []inventory.Evidence{ev("inventory", "last seen %s at %s, silent for more than %s", d.LastSeen.UTC().Format(time.DateTime), d.IP, x.cfg.QuietAfter)},
			Action:   "Check power and the uplink; if it was removed on purpose, delete it from tend."}
	})
}

func backupTargetIdle(x *input) []inventory.Finding {
	if x.BulkBytes == nil {
		return nil
	}
	return x.each(func(d *inventory.Device) *inventory.Finding {
		n, idle := idleBackupTarget(x, d)
		if !idle {
			return nil
		}
		f := &inventory.Finding{Severity: inventory.SeverityHigh, Title: "No backup traffic to " + identity(d),
			Evidence: []inventory.Evidence{ev("traffic", "%s moved in the last %s (expected at least %s)", inventory.FormatBytes(n), x.cfg.BackupWindow, inventory.FormatBytes(x.cfg.BackupMinBytes)),
				ev("role", "marked as a backup target")},
			Action: "Check the backup jobs: a backup target that receives nothing means backups are not running."}
		if g := backupGap.finding(x, d); g != nil { // its own backup off site stopped too: one finding (hygiene.go)
			f.Evidence = append(append(f.Evidence, ev("traffic", "%s", g.Title)), g.Evidence...)
		}
		return f
	})
}

// idleBackupTarget reports whether d is a backup target that moved less
// than BackupMinBytes in the last BackupWindow, and how much it moved.
func idleBackupTarget(x *input, d *inventory.Device) (uint64, bool) {
	if x.BulkBytes == nil || d.Role != RoleBackupTarget {
		return 0, false
	}
	n, ok := x.BulkBytes(d.MAC, x.now.Add(-x.cfg.BackupWindow), x.now)
	return n, ok && n < x.cfg.BackupMinBytes
}
