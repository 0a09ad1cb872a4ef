package findings

import (
	"fmt"
	"strings"

	"tend/inventory"
)

// RuleKnownVulnerabilities raises one finding per device whose firmware
// has known vulnerabilities (the device's Vulnerabilities verdict): critical
// when a CVE is in CISA's Known Exploited Vulnerabilities catalog, high or
// medium by the highest CVSS otherwise.
const RuleKnownVulnerabilities = "known_vulnerabilities"

// maxCVEEvidence bounds the CVEs a finding lists; the device page has all.
const maxCVEEvidence = 8

func knownVulnerabilities(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		v := d.Vulnerabilities
		if v == nil {
			return nil
		}
		name := identity(d)
		running := strings.TrimSpace(v.Product + " " + v.Version)
		var f inventory.Finding
		switch {
		case v.Status == inventory.VulnAffected && len(v.KEV) > 0:
			f.Severity = inventory.SeverityCritical
			f.Title = fmt.Sprintf("Exploited in the wild: %s on %s", strings.Join(firstN(v.KEV, 3), ", "), name)
			f.Action = fmt.Sprintf("Exploited in the wild — update to %s now (CISA KEV).", fixOr(v.KEVFixedIn, v.FixedIn, running))
		case v.Status == inventory.VulnAffected:
			f.Severity = inventory.SeverityMedium
			if v.MaxCVSS >= 7 {
				f.Severity = inventory.SeverityHigh
			}
			f.Title = fmt.Sprintf("%d known vulnerabilities (CVSS up to %.1f) on %s", len(v.CVEs), v.MaxCVSS, name)
			f.Action = fmt.Sprintf("Update to %s.", fixOr(v.FixedIn, "", running))
		case v.Status == inventory.VulnPotentiallyAffected:
			f.Severity = inventory.SeverityLow
			if len(v.KEVUnknown) > 0 {
				f.Severity = inventory.SeverityMedium
			}
			f.Title = "Possibly vulnerable firmware on " + name
			f.Action = "Check the vendor advisories for " + strings.Join(firstN(append(append([]string{}, v.KEVUnknown...), cveIDs(v.CVEs)...), 3), ", ") +
				" against " + running + "; the catalog cannot tell whether this version is affected."
		default:
			return nil
		}
		f.Evidence = append(f.Evidence, ev("firmware", "running %s (reported %q)", running, v.Raw), ev("catalog", "%s", v.Reason))
		for i, c := range v.CVEs {
			if i == maxCVEEvidence {
				f.Evidence = append(f.Evidence, ev("catalog", "and %d more CVEs", len(v.CVEs)-i))
				break
			}
			detail := fmt.Sprintf("CVSS %.1f, %s (%s)", c.CVSS, c.Range, c.Source)
			if c.KEV {
				detail += fmt.Sprintf("; CISA KEV since %s, due %s", c.KEVDateAdded, c.KEVDue)
				if c.Ransomware {
					detail += ", used by ransomware"
				}
			}
			f.Evidence = append(f.Evidence, ev(c.ID, "%s", detail))
		}
		f.Evidence = append(f.Evidence, ev("catalog date", "%s", v.CatalogDate))
		return &f
	})
}

func fixOr(fix, fallback, running string) string {
	switch {
	case fix != "":
		return fix
	case fallback != "":
		return fallback
	}
	return "a release that fixes them (no fixed release of " + running + "'s train is known: move to a newer train or isolate the device)"
}

func cveIDs(cs []inventory.VulnCVE) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
