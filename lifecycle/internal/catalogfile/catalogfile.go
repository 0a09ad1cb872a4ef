// Package catalogfile is the end-of-life catalog's file format: what the
// generator (lifecycle/internal/eolcatalog) writes and package lifecycle
// decodes at run time. It holds types only, so the binary carries the
// format but not the generator.
package catalogfile

// Format is the catalog format version; package lifecycle refuses others.
const Format = 1

// File is the whole catalog.
type File struct {
	Format int `json:"format"`
	// Date is the catalog's data date: the newest release date in the
	// endoflife.date data, so a stale catalog shows as stale.
	Date     string          `json:"date"`
	Sources  []string        `json:"sources"`
	Products []Product       `json:"products"`
	Cisco    Cisco           `json:"cisco"`
	Synology []SynologyModel `json:"synology"`
}

// Product is one endoflife.date product.
type Product struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Category string `json:"category,omitempty"`
	// EOLMeaning and SupportMeaning are endoflife.date's column_semantics:
	// what this vendor's eol and support dates stand for.
	EOLMeaning     string `json:"eol_meaning,omitempty"`
	SupportMeaning string `json:"support_meaning,omitempty"`
	// Unreviewed marks drafts endoflife.date never published.
	Unreviewed bool    `json:"unreviewed,omitempty"`
	Source     string  `json:"source,omitempty"`
	Cycles     []Cycle `json:"cycles"`
	// Versions maps individual versions to their release dates.
	Versions map[string]string `json:"versions,omitempty"`
}

// Cycle is one release cycle (or, for hardware products, one model). Date
// fields hold "YYYY-MM-DD", "true" when the milestone passed on an unknown
// date, or "" when it has not passed or is unknown.
type Cycle struct {
	Cycle        string `json:"cycle"`
	Label        string `json:"label,omitempty"`
	Released     string `json:"released,omitempty"`
	Support      string `json:"support,omitempty"`
	EOL          string `json:"eol,omitempty"`
	Extended     string `json:"extended,omitempty"`
	Discontinued string `json:"discontinued,omitempty"`
	Latest       string `json:"latest,omitempty"`
	LatestDate   string `json:"latest_date,omitempty"`
	LTS          bool   `json:"lts,omitempty"`
}

// Cisco holds end-of-life bulletins and the part numbers they cover.
type Cisco struct {
	Bulletins []CiscoBulletin `json:"bulletins"`
	// Parts maps a part number to its bulletin's index.
	Parts map[string]int `json:"parts"`
}

// CiscoBulletin is one end-of-life bulletin's milestones.
type CiscoBulletin struct {
	ID             string `json:"id"`
	Series         string `json:"series"`
	SeriesReleased string `json:"series_released,omitempty"`
	Announced      string `json:"announced,omitempty"`
	EndOfSale      string `json:"end_of_sale,omitempty"`
	LastShip       string `json:"last_ship,omitempty"`
	EndOfSWMaint   string `json:"end_of_sw_maintenance,omitempty"`
	EndOfSecurity  string `json:"end_of_security,omitempty"`
	LastSupport    string `json:"last_support,omitempty"`
}

// SynologyModel is one model's first and last DSM build.
type SynologyModel struct {
	Model       string `json:"model"`
	First       string `json:"first"`
	FirstBuild  int    `json:"first_build"`
	Latest      string `json:"latest"`
	LatestBuild int    `json:"latest_build"`
	EOL         bool   `json:"eol,omitempty"`
}
