package findings

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"tend/inventory"
)

// Hygiene rules read what the wire showed of each endpoint's protection,
// patching, backups and remote access (inventory.Hygiene). They are fair:
// a gap is reported only for a product the endpoint had a pattern of
// (seen on LearnDays distinct days), only while the endpoint was otherwise
// active on the LAN (ActiveDays after the last match), and in the words
// "no … seen", never "unprotected": absence of evidence is weak evidence
// (a local update cache, encrypted DNS, a laptop working from home).
const (
	RuleHygieneProtectionGap = "hygiene_protection_gap"
	RuleHygieneUpdateGap     = "hygiene_update_gap"
	RuleHygieneBackupGap     = "hygiene_backup_gap"
	RuleRemoteAccessTool     = "remote_access_tool"
)

// hygieneGap is one category's gap rule.
type hygieneGap struct {
	what    string // "protection heartbeat", …
	gap     func(c Config) time.Duration
	learn   func(c Config) int
	sev     inventory.Severity
	action  string
	product func(h *inventory.Hygiene) []inventory.HygieneProduct
	counts  func(p *inventory.HygieneProduct) bool
	// reportedBy, when set, says another rule reports the device's gap
	// with this one's evidence (one finding, not two).
	reportedBy func(x *input, d *inventory.Device) bool
}

var (
	protectionGap = hygieneGap{what: "protection heartbeat", sev: inventory.SeverityMedium,
		gap: func(c Config) time.Duration { return c.ProtectionGap }, learn: func(c Config) int { return c.HygieneLearnDays },
		product: func(h *inventory.Hygiene) []inventory.HygieneProduct { return h.EndpointProtection },
		counts:  func(p *inventory.HygieneProduct) bool { return p.Heartbeat && !p.Weak },
		action:  "Check the agent on this endpoint (service running, licence, console shows it checking in). If it was replaced or the site uses a local relay, acknowledge this action."}
	updateGap = hygieneGap{what: "OS update traffic", sev: inventory.SeverityLow,
		gap: func(c Config) time.Duration { return c.UpdateGap }, learn: func(c Config) int { return c.HygieneLearnDays },
		product: func(h *inventory.Hygiene) []inventory.HygieneProduct { return h.OSUpdate },
		counts:  func(p *inventory.HygieneProduct) bool { return !p.Weak },
		action:  "Check the endpoint's update status (Windows Update history, softwareupdate, apt logs). If it now updates through a local cache (WSUS, Connected Cache, apt-cacher), acknowledge this action."}
	backupGap = hygieneGap{what: "backup traffic", sev: inventory.SeverityMedium,
		gap: func(c Config) time.Duration { return c.BackupGap }, learn: func(c Config) int { return 2 * c.HygieneLearnDays },
		product: func(h *inventory.Hygiene) []inventory.HygieneProduct { return h.Backup },
		counts:  func(p *inventory.HygieneProduct) bool { return !p.Weak },
		action:  "Check the backup jobs of this endpoint in the backup console: its traffic to the backup service stopped while it was on the LAN.",
		// A backup target (role) that receives nothing and has stopped
		// sending to its own backup service (a NAS copying off site) is
		// one problem: backup_target_idle reports it, with this evidence.
		reportedBy: func(x *input, d *inventory.Device) bool { _, idle := idleBackupTarget(x, d); return idle }}
)

// check raises at most one finding per device: the products of the
// category that had a pattern and stopped while the endpoint was active.
func (g hygieneGap) check(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if g.reportedBy != nil && g.reportedBy(x, d) {
			return nil
		}
		return g.finding(x, d)
	})
}

// finding is the category's gap on one device, or nil.
func (g hygieneGap) finding(x *input, d *inventory.Device) *inventory.Finding {
	gap, learn := g.gap(x.cfg), g.learn(x.cfg)
	days := int(gap / (24 * time.Hour))
	h := d.Hygiene
	if h == nil || x.now.Sub(d.LastSeen) > 24*time.Hour {
		return nil // gone: a laptop at home is not a gap
	}
	var stopped []inventory.HygieneProduct
	for _, p := range g.product(h) {
		if !g.counts(&p) {
			continue
		}
		if x.now.Sub(p.LastSeen) <= gap {
			return nil // another product of the category is alive (an agent replaced, say)
		}
		if p.DaysSeen >= learn && h.ActiveSince(p.LastSeen) >= min(days, 3) {
			stopped = append(stopped, p)
		}
	}
	if len(stopped) == 0 {
		return nil
	}
	var names []string
	f := &inventory.Finding{Severity: g.sev, Action: g.action}
	for _, p := range stopped {
		names = append(names, p.Product)
		f.Evidence = append(f.Evidence, ev("traffic", "%s: last seen %s, before that on %d days since %s", p.Product,
			p.LastSeen.UTC().Format("2006-01-02 15:04"), p.DaysSeen, p.FirstSeen.UTC().Format(time.DateOnly)))
	}
	f.Evidence = append(f.Evidence, ev("traffic", "the endpoint was active on the LAN on %d days since, last %s", h.ActiveSince(stopped[0].LastSeen), d.LastSeen.UTC().Format("2006-01-02 15:04")))
	f.Title = fmt.Sprintf("No %s %s seen from %s for %d days", strings.Join(names, " / "), g.what, d.Name(), int(x.now.Sub(stopped[0].LastSeen)/(24*time.Hour)))
	return f
}

// remoteAccessTools raises an info finding per endpoint and tool seen in
// the last RemoteAccessWindow; each has its own ID, so acknowledging one
// approves that tool on that endpoint and a new tool shows up afresh.
func remoteAccessTools(x *input) []inventory.Finding {
	var out []inventory.Finding
	for i := range x.Snapshot.Devices {
		d := &x.Snapshot.Devices[i]
		if d.Hygiene == nil {
			continue
		}
		for _, p := range d.Hygiene.RemoteAccess {
			if p.Weak || x.now.Sub(p.LastSeen) > x.cfg.RemoteAccessWindow {
				continue
			}
			out = append(out, inventory.Finding{
				ID: ID(RuleRemoteAccessTool, d.MAC.String()+" "+p.Product), Device: d.MAC.String(), Severity: inventory.SeverityInfo,
				Title: fmt.Sprintf("Remote-access tool %s on %s", p.Product, d.Name()),
				Evidence: []inventory.Evidence{ev("traffic", "%s (%s) service names looked up or connected to on %d days, first %s, last %s",
					p.Product, p.Vendor, p.DaysSeen, p.FirstSeen.UTC().Format("2006-01-02 15:04"), p.LastSeen.UTC().Format("2006-01-02 15:04"))},
				Action: "If you or the client use " + p.Product + " here on purpose, acknowledge this action: that approves it on this endpoint. Otherwise find out who installed it and remove it.",
			})
		}
	}
	return out
}

// endpoint reports whether a device counts in the site's hygiene shares.
func endpoint(d *inventory.Device) bool {
	switch d.Type {
	case inventory.TypeWorkstation, inventory.TypeServer, inventory.TypeUnknown, "":
		return true
	}
	return d.Hygiene != nil && !d.Hygiene.Empty()
}

// HygieneSite sums the devices' hygiene up for the site at now.
func HygieneSite(devs []inventory.Device, now time.Time) inventory.HygieneSite {
	s := inventory.HygieneSite{BackupTargets: []inventory.HygieneBackupTarget{}, RemoteAccess: []inventory.HygieneRemoteAccessHost{}}
	within := func(t time.Time, d time.Duration) bool { return !t.IsZero() && now.Sub(t) <= d }
	const day, fortnight = 24 * time.Hour, 14 * 24 * time.Hour
	targets := map[string]*inventory.HygieneBackupTarget{}
	for i := range devs {
		d := &devs[i]
		if !endpoint(d) {
			continue
		}
		h := d.Hygiene
		if h == nil {
			h = &inventory.Hygiene{}
		} else if !h.Empty() {
			s.Seen++
		}
		if within(d.LastSeen, day) {
			s.Endpoints24h++
			if slices.ContainsFunc(h.EndpointProtection, func(p inventory.HygieneProduct) bool {
				return p.Heartbeat && !p.Weak && within(p.LastSeen, day)
			}) {
				s.Protected24h++
			}
		}
		if within(d.LastSeen, fortnight) {
			s.Endpoints14d++
			if slices.ContainsFunc(h.OSUpdate, func(p inventory.HygieneProduct) bool { return !p.Weak && within(p.LastSeen, fortnight) }) {
				s.Updated14d++
			}
			if within(h.EncryptedDNS, fortnight) {
				s.EncryptedDNS++
			}
		}
		for _, p := range h.Backup {
			t := targets[p.Product]
			if t == nil {
				t = &inventory.HygieneBackupTarget{Product: p.Product, Vendor: p.Vendor, Weak: true}
				targets[p.Product] = t
			}
			t.Endpoints++
			t.Weak = t.Weak && p.Weak
			if p.LastSeen.After(t.LastSent) {
				t.LastSent = p.LastSeen
			}
		}
		var tools []string
		for _, p := range h.RemoteAccess {
			if !p.Weak && within(p.LastSeen, 30*day) {
				tools = append(tools, p.Product)
			}
		}
		if len(tools) > 0 {
			s.RemoteAccess = append(s.RemoteAccess, inventory.HygieneRemoteAccessHost{MAC: d.MAC.String(), Name: d.Name(), Tools: tools})
		}
	}
	for _, t := range targets {
		s.BackupTargets = append(s.BackupTargets, *t)
	}
	slices.SortFunc(s.BackupTargets, func(a, b inventory.HygieneBackupTarget) int { return cmp.Compare(a.Product, b.Product) })
	return s
}
