package findings

import (
	"strings"
	"testing"

	"tend/inventory"
	"tend/lifecycle"
)

func TestKnownVulnerabilities(t *testing.T) {
	c, err := lifecycle.OpenVulnCatalog()
	if err != nil {
		t.Fatal(err)
	}
	verdict := func(product, raw, model string) *inventory.Vulnerabilities {
		v := c.JudgeVulns(lifecycle.VulnQuery{Product: product, Raw: raw, Model: model}, now)
		return &v
	}
	for _, tc := range []struct {
		name          string
		v             *inventory.Vulnerabilities
		want          int
		sev           inventory.Severity
		title, action string
	}{
		{"KEV is critical", verdict("fortios", "v7.2.6,build1575", ""), 1, inventory.SeverityCritical, "CVE-2024-21762", "update to 7.2.7"},
		{"CVSS 5.3 without KEV is medium", verdict("pan-os", "10.1.14-h20", ""), 1, inventory.SeverityMedium, "known vulnerabilities", "10.1.15"},
		{"KEV without version data", verdict("sophos-sfos", "SFOS 19.0.1 MR-1", ""), 1, inventory.SeverityMedium, "Possibly vulnerable", "cannot tell"},
		{"no data is no finding", verdict("truenas", "TrueNAS-13.0-U6", ""), 0, "", "", ""},
		{"no verdict", nil, 0, "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := dev(t, 1, inventory.TypeFirewall, func(d *inventory.Device) { d.Vulnerabilities = tc.v })
			got := fired(snap(d), RuleKnownVulnerabilities)
			if len(got) != tc.want {
				t.Fatalf("%d findings, want %d: %+v", len(got), tc.want, got)
			}
			if tc.want == 0 {
				return
			}
			f := got[0]
			if f.Severity != tc.sev || !strings.Contains(f.Title, tc.title) || !strings.Contains(f.Action, tc.action) {
				t.Errorf("severity %s title %q action %q", f.Severity, f.Title, f.Action)
			}
			if len(f.Evidence) < 3 || f.Evidence[len(f.Evidence)-1].Source != "catalog date" {
				t.Errorf("evidence: %+v", f.Evidence)
			}
		})
	}
}
