package upstream

import (
	"slices"

	"tend/inventory"
)

// maxKEVIDs bounds the known-exploited CVE ids a summary carries.
const maxKEVIDs = 50

// VulnSummary is the site's known-vulnerability exposure, so the hub can
// show KEV exposure across every client: device counts by verdict and the
// known-exploited CVEs found, with the newest catalog date behind them.
type VulnSummary struct {
	KEVDevices  int      `json:"kev_devices"`          // devices affected by a CISA KEV CVE
	Affected    int      `json:"affected"`             // devices with any matching CVE
	Potentially int      `json:"potentially_affected"` // devices that may be affected
	KEV         []string `json:"kev"`                  // the KEV CVE ids found, sorted, at most maxKEVIDs
	CatalogDate string   `json:"catalog_date,omitempty"`
}

func vulnSummary(devs []inventory.Device) *VulnSummary {
	s := &VulnSummary{KEV: []string{}}
	for i := range devs {
		v := devs[i].Vulnerabilities
		if v == nil {
			continue
		}
		s.CatalogDate = max(s.CatalogDate, v.CatalogDate)
		switch v.Status {
		case inventory.VulnAffected:
			s.Affected++
			if len(v.KEV) > 0 {
				s.KEVDevices++
				s.KEV = append(s.KEV, v.KEV...)
			}
		case inventory.VulnPotentiallyAffected:
			s.Potentially++
		}
	}
	slices.Sort(s.KEV)
	s.KEV = slices.Compact(s.KEV)
	if len(s.KEV) > maxKEVIDs {
		s.KEV = s.KEV[:maxKEVIDs]
	}
	return s
}
