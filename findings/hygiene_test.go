package findings

import (
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// activeDays lists the n UTC days before now's day.
func activeDays(n int) []string {
	var out []string
	for i := n; i >= 1; i-- {
		out = append(out, now.AddDate(0, 0, -i).Format(time.DateOnly))
	}
	return out
}

func defender(first, last time.Time, days int) inventory.HygieneProduct {
	return inventory.HygieneProduct{Product: "Microsoft Defender Antivirus", Vendor: "Microsoft", FirstSeen: first, LastSeen: last, DaysSeen: days, Heartbeat: true}
}

func TestHygieneProtectionGap(t *testing.T) {
	day := 24 * time.Hour
	cases := []struct {
		name string
		h    inventory.Hygiene
		seen time.Time // the device's last_seen
		want int
	}{
		{"learned, stopped 5 days ago, active since", inventory.Hygiene{EndpointProtection: []inventory.HygieneProduct{defender(now.Add(-20*day), now.Add(-5*day), 14)}, ActiveDays: activeDays(10)}, now, 1},
		{"still learning: seen on 2 days only", inventory.Hygiene{EndpointProtection: []inventory.HygieneProduct{defender(now.Add(-6*day), now.Add(-5*day), 2)}, ActiveDays: activeDays(10)}, now, 0},
		{"endpoint away during the gap", inventory.Hygiene{EndpointProtection: []inventory.HygieneProduct{defender(now.Add(-20*day), now.Add(-5*day), 14)}, ActiveDays: activeDays(1)}, now, 0},
		{"endpoint gone now", inventory.Hygiene{EndpointProtection: []inventory.HygieneProduct{defender(now.Add(-20*day), now.Add(-5*day), 14)}, ActiveDays: activeDays(10)}, now.Add(-2 * day), 0},
		{"within the gap", inventory.Hygiene{EndpointProtection: []inventory.HygieneProduct{defender(now.Add(-20*day), now.Add(-2*day), 14)}, ActiveDays: activeDays(10)}, now, 0},
		{"replaced by another agent", inventory.Hygiene{EndpointProtection: []inventory.HygieneProduct{defender(now.Add(-20*day), now.Add(-5*day), 14),
			{Product: "CrowdStrike Falcon sensor", FirstSeen: now.Add(-5 * day), LastSeen: now, DaysSeen: 5, Heartbeat: true}}, ActiveDays: activeDays(10)}, now, 0},
		{"weak matches never count", inventory.Hygiene{EndpointProtection: []inventory.HygieneProduct{func() inventory.HygieneProduct {
			p := defender(now.Add(-20*day), now.Add(-5*day), 14)
			p.Weak = true
			return p
		}()}, ActiveDays: activeDays(10)}, now, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := dev(t, 1, inventory.TypeWorkstation, func(d *inventory.Device) { d.Hygiene = &tc.h; d.LastSeen = tc.seen; d.Hostname = "pc-12" })
			got := fired(snap(d), RuleHygieneProtectionGap)
			if len(got) != tc.want {
				t.Fatalf("%d findings, want %d: %+v", len(got), tc.want, got)
			}
			for _, f := range got {
				if !strings.HasPrefix(f.Title, "No Microsoft Defender Antivirus protection heartbeat seen from pc-12 for 5 days") {
					t.Errorf("title %q", f.Title)
				}
				if strings.Contains(strings.ToLower(f.Title+f.Action), "unprotected") {
					t.Errorf("says unprotected: %+v", f)
				}
			}
		})
	}
}

func TestHygieneUpdateGap(t *testing.T) {
	day := 24 * time.Hour
	wu := inventory.HygieneProduct{Product: "Windows Update / Microsoft Update", FirstSeen: now.Add(-29 * day), LastSeen: now.Add(-25 * day), DaysSeen: 3}
	d := dev(t, 1, inventory.TypeWorkstation, func(d *inventory.Device) {
		d.Hygiene = &inventory.Hygiene{OSUpdate: []inventory.HygieneProduct{wu}, ActiveDays: activeDays(20)}
	})
	if got := fired(snap(d), RuleHygieneUpdateGap); len(got) != 1 || !strings.Contains(got[0].Title, "OS update traffic seen") {
		t.Errorf("%+v", got)
	}
	d.Hygiene.ActiveDays = activeDays(2) // barely there since
	if got := fired(snap(d), RuleHygieneUpdateGap); len(got) != 0 {
		t.Errorf("a gap while the endpoint was away: %+v", got)
	}
}

func TestRemoteAccessToolPerTool(t *testing.T) {
	tv := inventory.HygieneProduct{Product: "TeamViewer", Vendor: "TeamViewer", FirstSeen: now.Add(-time.Hour), LastSeen: now, DaysSeen: 1}
	ad := inventory.HygieneProduct{Product: "AnyDesk", Vendor: "AnyDesk", FirstSeen: now.Add(-time.Hour), LastSeen: now, DaysSeen: 1}
	old := inventory.HygieneProduct{Product: "Splashtop", FirstSeen: now.Add(-90 * 24 * time.Hour), LastSeen: now.Add(-60 * 24 * time.Hour), DaysSeen: 1}
	d := dev(t, 1, inventory.TypeWorkstation, func(d *inventory.Device) {
		d.Hygiene = &inventory.Hygiene{RemoteAccess: []inventory.HygieneProduct{tv, ad, old}}
	})
	got := fired(snap(d), RuleRemoteAccessTool)
	if len(got) != 2 || got[0].ID == got[1].ID || got[0].Severity != inventory.SeverityInfo || got[0].Device != d.MAC.String() {
		t.Fatalf("%+v", got)
	}
	// Acknowledging TeamViewer leaves AnyDesk open.
	stored := []inventory.Finding{got[0]}
	stored[0].State = inventory.FindingAcknowledged
	out := Reconcile(stored, got, now)
	states := map[inventory.FindingState]int{}
	for _, f := range out {
		states[f.State]++
	}
	if states[inventory.FindingAcknowledged] != 1 || states[inventory.FindingOpen] != 1 {
		t.Errorf("states after approving one tool: %v", states)
	}
}

func TestHygieneSite(t *testing.T) {
	day := 24 * time.Hour
	hb := defender(now.Add(-10*day), now.Add(-time.Hour), 10)
	devs := []inventory.Device{
		dev(t, 1, inventory.TypeWorkstation, func(d *inventory.Device) {
			d.Hygiene = &inventory.Hygiene{EndpointProtection: []inventory.HygieneProduct{hb},
				OSUpdate:     []inventory.HygieneProduct{{Product: "Windows Update / Microsoft Update", LastSeen: now.Add(-3 * day)}},
				Backup:       []inventory.HygieneProduct{{Product: "Backblaze B2", LastSeen: now.Add(-day), Weak: true}},
				RemoteAccess: []inventory.HygieneProduct{{Product: "TeamViewer", LastSeen: now}}, EncryptedDNS: now}
		}),
		dev(t, 2, inventory.TypeWorkstation, nil),
		dev(t, 3, inventory.TypeWorkstation, func(d *inventory.Device) { d.LastSeen = now.Add(-3 * day) }),
		dev(t, 4, inventory.TypePrinter, nil),
	}
	s := HygieneSite(devs, now)
	if s.Seen != 1 || s.Endpoints24h != 2 || s.Protected24h != 1 || s.Endpoints14d != 3 || s.Updated14d != 1 || s.EncryptedDNS != 1 {
		t.Errorf("shares %+v", s)
	}
	if len(s.BackupTargets) != 1 || !s.BackupTargets[0].Weak || s.BackupTargets[0].Endpoints != 1 {
		t.Errorf("backup targets %+v", s.BackupTargets)
	}
	if len(s.RemoteAccess) != 1 || s.RemoteAccess[0].Tools[0] != "TeamViewer" {
		t.Errorf("remote access %+v", s.RemoteAccess)
	}
	if inventory.Percent(s.Protected24h, s.Endpoints24h) != 50 || inventory.Percent(0, 0) != -1 {
		t.Error("percent")
	}
}

// TestHygieneBackupGapCombines: a backup target that receives nothing and
// whose own traffic to its backup service stopped is one finding
// (backup_target_idle, carrying the hygiene evidence), not two; either
// alone is reported by its own rule.
func TestHygieneBackupGapCombines(t *testing.T) {
	day := 24 * time.Hour
	veeam := inventory.HygieneProduct{Product: "Veeam Backup & Replication", Vendor: "Veeam", FirstSeen: now.Add(-40 * day), LastSeen: now.Add(-9 * day), DaysSeen: 25}
	in := func(received uint64, offsite bool) Input {
		nas := dev(t, 1, inventory.TypeNAS, func(d *inventory.Device) {
			d.Role, d.Hostname = RoleBackupTarget, "nas-1"
			if offsite {
				d.Hygiene = &inventory.Hygiene{Backup: []inventory.HygieneProduct{veeam}, ActiveDays: activeDays(12)}
			}
		})
		x := snap(nas)
		x.BulkBytes = func(inventory.MAC, time.Time, time.Time) (uint64, bool) { return received, true }
		return x
	}
	count := func(x Input) (idle, gap []inventory.Finding) {
		return fired(x, RuleBackupTargetIdle), fired(x, RuleHygieneBackupGap)
	}
	idle, gap := count(in(1<<10, true))
	if len(idle) != 1 || len(gap) != 0 {
		t.Fatalf("both quiet: %d backup_target_idle, %d hygiene_backup_gap; want 1 and 0", len(idle), len(gap))
	}
	var ev []string
	for _, e := range idle[0].Evidence {
		ev = append(ev, e.Detail)
	}
	if all := strings.Join(ev, "\n"); !strings.Contains(all, "No Veeam Backup & Replication backup traffic seen from nas-1 for 9 days") || !strings.Contains(all, "marked as a backup target") {
		t.Errorf("combined evidence:\n%s", all)
	}
	if idle, gap := count(in(50<<30, true)); len(idle) != 0 || len(gap) != 1 {
		t.Errorf("target busy, off-site copy stopped: %d and %d findings, want 0 and 1", len(idle), len(gap))
	}
	if idle, gap := count(in(1<<10, false)); len(idle) != 1 || len(gap) != 0 || len(idle[0].Evidence) != 2 {
		t.Errorf("target idle, no off-site copy seen: %d and %d findings, want 1 and 0: %+v", len(idle), len(gap), idle)
	}
}
