package inventory

import "time"

// LifecycleStatus is the verdict on a device's firmware or OS release, as
// in design.md.
type LifecycleStatus string

// Lifecycle statuses from design.md's JSON contract.
const (
	StatusCurrent      LifecycleStatus = "current"       // supported, latest known version
	StatusBehind       LifecycleStatus = "behind"        // supported, newer release in the same cycle
	StatusSecurityOnly LifecycleStatus = "security_only" // active support over, security fixes continue
	StatusEOL          LifecycleStatus = "eol"           // no more security fixes, or older than any tracked cycle
	StatusUnknown      LifecycleStatus = "unknown"
)

// Evidence is one fact behind a verdict: where it came from and what it said,
// so an engineer can check it ("sysDescr", "Version 16.6.7"; "catalog",
// "cisco-ios-xe 16.6 eol 2020-10-31").
type Evidence struct {
	Source string `json:"source"`
	Detail string `json:"detail"`
}

// Lifecycle is the firmware-currency verdict on a device.
type Lifecycle struct {
	Product    string          `json:"product"`          // catalog product, e.g. "fortios"
	Cycle      string          `json:"cycle"`            // release cycle, e.g. "7.2"
	Status     LifecycleStatus `json:"status"`           // see the constants
	EOL        *time.Time      `json:"eol"`              // end of security support, when known
	Latest     string          `json:"latest"`           // latest version in the cycle, when known
	Behind     int             `json:"behind,omitempty"` // releases behind latest in the cycle
	Confidence float64         `json:"confidence"`       // 0..1
	Evidence   []Evidence      `json:"evidence"`
	// Hardware is the verdict on the hardware model, where the catalog
	// has it (Cisco part numbers, Synology models, FortiGate and PowerEdge
	// models); EOL above is then the earlier of the two ends of support.
	Hardware *HardwareLifecycle `json:"hardware,omitempty"`
	// CatalogDate is the data date (YYYY-MM-DD) of the catalog the verdict
	// rests on: a verdict is only as fresh as its catalog.
	CatalogDate string `json:"catalog_date,omitempty"`
}

// HardwareLifecycle is the end-of-sale and end-of-support verdict on a
// hardware model.
type HardwareLifecycle struct {
	Product   string          `json:"product"` // catalog product, e.g. "cisco-hardware"
	Model     string          `json:"model"`   // the part number or model the catalog matched
	Status    LifecycleStatus `json:"status"`
	EndOfSale *time.Time      `json:"end_of_sale,omitempty"`
	EOL       *time.Time      `json:"eol,omitempty"` // end of support or of security fixes
}

// Age is an estimate of how old a piece of equipment is, as a band.
type Age struct {
	MinYears float64    `json:"min_years"`
	MaxYears float64    `json:"max_years"`
	Evidence []Evidence `json:"evidence"`
}
