package webui

import (
	"fmt"
	"slices"

	"tend/inventory"
)

// Values of the device list's vulnerability filter (?vuln=).
var vulnFilters = []string{"kev", "affected", "potentially_affected", "none", "unknown"}

// vulnCounts is the dashboard's known-vulnerability summary: devices with a
// CISA KEV CVE, affected devices, possibly affected ones.
type vulnCounts struct {
	KEV         int    `json:"kev"`
	Affected    int    `json:"affected"`
	Potentially int    `json:"potentially_affected"`
	CatalogDate string `json:"catalog_date,omitempty"`
}

func countVulns(devs []inventory.Device) vulnCounts {
	var c vulnCounts
	for i := range devs {
		v := devs[i].Vulnerabilities
		if v == nil {
			continue
		}
		c.CatalogDate = max(c.CatalogDate, v.CatalogDate)
		switch v.Status {
		case inventory.VulnAffected:
			c.Affected++
			if len(v.KEV) > 0 {
				c.KEV++
			}
		case inventory.VulnPotentiallyAffected:
			c.Potentially++
		}
	}
	return c
}

// vulnMatches reports whether a device passes the ?vuln= filter.
func vulnMatches(d *inventory.Device, filter string) bool {
	v := d.Vulnerabilities
	switch filter {
	case "":
		return true
	case "kev":
		return v != nil && v.Status == inventory.VulnAffected && len(v.KEV) > 0
	case "unknown":
		return v == nil || v.Status == inventory.VulnUnknown
	}
	return v != nil && string(v.Status) == filter
}

// filterVulns keeps the devices that pass the ?vuln= filter; an unknown
// filter value keeps them all.
func filterVulns(devs []inventory.Device, filter string) []inventory.Device {
	if !slices.Contains(vulnFilters, filter) {
		return devs
	}
	return slices.DeleteFunc(devs, func(d inventory.Device) bool { return !vulnMatches(&d, filter) })
}

// vulnCell is the device list's vulnerability cell: text and a class.
func vulnCell(d *inventory.Device) (text, class string) {
	v := d.Vulnerabilities
	if v == nil {
		return "", ""
	}
	switch v.Status {
	case inventory.VulnAffected:
		if len(v.KEV) > 0 {
			return fmt.Sprintf("KEV %d · %d CVEs", len(v.KEV), len(v.CVEs)), "critical"
		}
		return fmt.Sprintf("%d CVEs · %.1f", len(v.CVEs), v.MaxCVSS), "high"
	case inventory.VulnPotentiallyAffected:
		return "possibly", "medium"
	case inventory.VulnNone:
		return "none known", "low"
	}
	return "", ""
}
