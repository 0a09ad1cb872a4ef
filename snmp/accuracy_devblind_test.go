package snmp

import (
	"context"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// setCDevBlindTarget holds the development families' models scored blind
// the way the held-out fifth is (each family without the rule-table
// entries and vendor rows only it answers): the generic sources'
// coverage where the held-out fifth is too small to show it. It ratchets
// up with setCTargets.
const setCDevBlindTarget = 64.0

// TestIdentifySetCDevBlind identifies every development family's devices
// without that family's own rule-table entries and the vendor rows only it
// holds a value in, and holds the share of right models to
// setCDevBlindTarget; -v lists the misses.
func TestIdentifySetCDevBlind(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: 922 recordings twice (-short)")
	}
	dir := setDir(t, "setC")
	ip := netip.MustParseAddr("192.0.2.1")
	written := map[string]map[string]bool{}
	rowFamilies := map[vendorRow][]string{}
	type device struct {
		m   manifestEntry
		rec *recording
	}
	var devs []device
	for _, m := range readManifest(t, dir) {
		rec := loadRecording(t, filepath.Join(dir, m.File))
		o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), ip)
		if err != nil {
			t.Fatalf("%s: %v", m.File, err)
		}
		if f := ruleFamily(o); f != "" && !blindGeneric[f] {
			if written[f] == nil {
				written[f] = map[string]bool{}
			}
			written[f][m.OS] = true
		}
		for _, row := range rec.heldRows(o.SNMP.SysObjectID, vendorOIDs()) {
			rowFamilies[row] = append(rowFamilies[row], m.OS)
		}
		if !heldOut(m.OS) {
			devs = append(devs, device{m, rec})
		}
	}
	right, known := 0, 0
	for _, d := range devs {
		truth := d.m.Hardware
		if truth == "" || strings.Contains(truth, "<private>") || disagreement(d.m, 0) != "" {
			continue
		}
		fam := d.m.OS
		rows := vendorOIDs().without(func(r vendorRow) bool {
			return len(rowFamilies[r]) > 0 && !slices.ContainsFunc(rowFamilies[r], func(f string) bool { return f != fam })
		})
		p := newPoller(Config{}, nil, d.rec.session)
		o, cred, err := p.system(context.Background(), ip)
		if err != nil {
			t.Fatalf("%s: %v", d.m.File, err)
		}
		p.identifyWith(context.Background(), ip, cred, &o, knowledge{vendor: rows, rules: blindRules(written, fam)})
		known++
		if g := grade(o.Model, truth); g == "exact" || g == "match" {
			right++
			continue
		}
		t.Logf("%s: model %q, truth %q (sysDescr %.80q)", d.m.File, o.Model, truth, o.SNMP.SysDescr)
	}
	pct := 100 * float64(right) / float64(known)
	t.Logf("development families, each blind: model %d/%d (%.1f %%)", right, known, pct)
	if pct < setCDevBlindTarget {
		t.Errorf("development families blind: model right for %.1f %% of %d devices, want ≥ %.0f %%", pct, known, setCDevBlindTarget)
	}
}
