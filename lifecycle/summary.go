package lifecycle

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"tend/inventory"
)

// The file names tend serve looks for in its data directory: newer
// catalogs the hub pushes there replace the embedded ones (see Current).
const (
	CatalogFileName = "catalog.json.gz"
	VulnsFileName   = "vulns.json.gz"
)

// DataDirConfig is the CurrentConfig of a data directory: its catalog files
// (absent ones are fine) override the embedded catalogs when newer.
func DataDirConfig(dir string) CurrentConfig {
	return CurrentConfig{Path: filepath.Join(dir, CatalogFileName), VulnPath: filepath.Join(dir, VulnsFileName)}
}

// ForecastSummary sums up a forecast for a log or status line.
func ForecastSummary(due []DeviceDue) string {
	var n3, n6, n12 int
	for _, d := range due {
		switch d.Within {
		case 3:
			n3++
		case 6:
			n6++
		default:
			n12++
		}
	}
	return fmt.Sprintf("end of support within 3 months: %d devices, 3-6 months: %d, 6-12 months: %d", n3, n6, n12)
}

// VulnSummary sums up the devices' vulnerability verdicts for a status line.
func VulnSummary(c *VulnCatalog, devs []inventory.Device) string {
	var kev, affected, maybe int
	for _, d := range devs {
		v := d.Vulnerabilities
		switch {
		case v == nil:
		case v.Status == inventory.VulnAffected && len(v.KEV) > 0:
			kev++
			affected++
		case v.Status == inventory.VulnAffected:
			affected++
		case v.Status == inventory.VulnPotentiallyAffected:
			maybe++
		}
	}
	return fmt.Sprintf("vulnerability catalog dated %s: %d devices with known-exploited CVEs, %d with known CVEs, %d possibly affected",
		c.Date().Format(time.DateOnly), kev, affected, maybe)
}

// ProductVerdict is the lifecycle and vulnerability verdicts for one
// product and version (`tend catalog judge`).
type ProductVerdict struct {
	Product         string                    `json:"product"`
	Version         string                    `json:"version"`
	Model           string                    `json:"model,omitempty"`
	AsOf            string                    `json:"as_of"`
	Lifecycle       inventory.Lifecycle       `json:"lifecycle"`
	Vulnerabilities inventory.Vulnerabilities `json:"vulnerabilities"`
	Notice          string                    `json:"notice"`
}

// JudgeProduct judges a vulnerability catalog product key (fortios,
// cisco-ios-xe, …) at a version, for a model when given, as of now.
func (j *Current) JudgeProduct(product, version, model string, now time.Time) ProductVerdict {
	id := Facts{Make: productMake(product), Model: model, OS: product, Firmware: version}
	return ProductVerdict{Product: product, Version: version, Model: model, AsOf: now.Format(time.DateOnly),
		Lifecycle:       j.Catalog().Judge(id, now),
		Vulnerabilities: j.Vulns().JudgeVulns(VulnQuery{Product: product, Raw: version, Model: model, Field: "version"}, now),
		Notice:          VulnNotice}
}

// WriteText prints the verdicts for people.
func (v ProductVerdict) WriteText(w io.Writer) {
	lc, vv := v.Lifecycle, v.Vulnerabilities
	fmt.Fprintf(w, "%s %s as of %s\n", v.Product, v.Version, v.AsOf)
	fmt.Fprintf(w, "lifecycle: %s %s %s (catalog %s)\n", lc.Status, lc.Product, lc.Cycle, lc.CatalogDate)
	fmt.Fprintf(w, "vulnerabilities: %s — %s (catalog %s)\n", vv.Status, vv.Reason, vv.CatalogDate)
	if len(vv.KEV) > 0 {
		fmt.Fprintf(w, "  known exploited: %s\n", strings.Join(vv.KEV, ", "))
	}
	if vv.Status == inventory.VulnAffected {
		fix := vv.FixedIn
		if fix == "" {
			fix = "no fixed release in this train"
		}
		fmt.Fprintf(w, "  %d CVEs, highest CVSS %.1f, fixed in: %s\n", len(vv.CVEs), vv.MaxCVSS, fix)
	}
	fmt.Fprintln(w, v.Notice)
}

// productMake names the vendor of a catalog product key, so the lifecycle
// grammars recognise the product from the make alone.
func productMake(product string) string {
	switch {
	case strings.HasPrefix(product, "cisco-ios-xe"):
		return "Cisco IOS XE"
	case strings.HasPrefix(product, "cisco-ios"):
		return "Cisco IOS"
	case strings.HasPrefix(product, "cisco-nx-os"):
		return "Cisco NX-OS"
	case product == "fortios":
		return "FortiOS"
	case product == "pan-os":
		return "PAN-OS"
	case product == "routeros":
		return "RouterOS"
	case product == "synology-dsm":
		return "Synology DSM"
	case product == "vmware-esxi":
		return "VMware ESXi"
	case strings.HasPrefix(product, "junos"):
		return "Junos"
	}
	return product
}
