package inventory

// VulnStatus is the verdict on a device's known vulnerabilities.
type VulnStatus string

// Vulnerability statuses (issue 17's JSON contract).
const (
	// VulnAffected: at least one CVE's version range or list contains the
	// device's version.
	VulnAffected VulnStatus = "affected"
	// VulnPotentiallyAffected: a CVE may apply but the version or model is
	// uncertain, or a known-exploited CVE exists for the family without
	// version data. Never read it as "not affected".
	VulnPotentiallyAffected VulnStatus = "potentially_affected"
	// VulnNone: the catalog has data for the family and no CVE matches.
	VulnNone VulnStatus = "none"
	// VulnUnknown: no data for the family, or no version could be read.
	VulnUnknown VulnStatus = "unknown"
)

// Vulnerabilities is the known-vulnerability verdict on a device's firmware,
// derived from its identity and the vulnerability catalog.
type Vulnerabilities struct {
	CatalogDate string     `json:"catalog_date"`
	Status      VulnStatus `json:"status"`
	// KEV lists the ids of the CVEs in CISA's Known Exploited
	// Vulnerabilities catalog that affect this version.
	KEV []string `json:"kev"`
	// KEVUnknown lists known-exploited CVEs of the family for which the
	// catalog cannot say whether this version is affected.
	KEVUnknown []string  `json:"kev_unknown,omitempty"`
	CVEs       []VulnCVE `json:"cves"`
	MaxCVSS    float64   `json:"max_cvss"`
	// FixedIn is the lowest release in the device's train that clears every
	// matched CVE, "" when none is known (see Reason and Evidence).
	FixedIn string `json:"fixed_in"`
	// KEVFixedIn is the lowest release in the train that clears the
	// known-exploited CVEs, the urgent part of FixedIn.
	KEVFixedIn string `json:"kev_fixed_in,omitempty"`
	// Product and Version are the catalog family and the parsed version the
	// verdict was made for; Raw is the string the device reported.
	Product string `json:"product,omitempty"`
	Version string `json:"version,omitempty"`
	Raw     string `json:"raw,omitempty"`
	Train   string `json:"train,omitempty"`
	// Coverage is the catalog's coverage of the family (deep, partial,
	// thin, none) and what it means.
	Coverage string `json:"coverage,omitempty"`
	// Reason says in one sentence why the status is what it is.
	Reason   string     `json:"reason,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"`
}

// VulnCVE is one CVE that affects, or may affect, a device.
type VulnCVE struct {
	ID           string  `json:"id"`
	CVSS         float64 `json:"cvss"`
	KEV          bool    `json:"kev"`
	KEVDateAdded string  `json:"kev_date_added,omitempty"`
	KEVDue       string  `json:"kev_due,omitempty"`
	Ransomware   bool    `json:"ransomware"`
	// Range is the version range or list entry that matched, in the
	// catalog's words ("7.2.0 <= v <= 7.2.6", "listed: 16.6.7").
	Range string `json:"range"`
	CPE   string `json:"cpe,omitempty"`
	// Source is where the range came from (nvd, fortinet-psirt, cisco-csaf,
	// paloalto-cna, cisa-adp, cna, anchore, kev).
	Source string `json:"source,omitempty"`
	// Unknown is true when the CVE may apply but the catalog cannot say for
	// this version (a KEV entry without version data, an uncertain build).
	Unknown bool `json:"unknown,omitempty"`
}
