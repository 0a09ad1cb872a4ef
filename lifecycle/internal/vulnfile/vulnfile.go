// Package vulnfile is the vulnerability catalog's file format: what the
// generator (lifecycle/internal/vulncatalog) writes and package lifecycle
// decodes at run time. It holds types and constants only, so the binary
// carries the format but not the generator.
package vulnfile

// Format is the catalog format version; package lifecycle refuses others.
const Format = 1

// Notice is the attribution NVD asks every product using its data to carry.
const Notice = "This product uses data from the NVD API but is not endorsed or certified by the NVD."

// Coverage levels: how complete the catalog is for a family.
const (
	CoverageDeep    = "deep"    // vendor advisories or NVD throughout: no match means no known CVE up to Through
	CoveragePartial = "partial" // NVD to 2016, then mostly CVEs published 2023-2024 and KEV entries
	CoverageThin    = "thin"    // KEV plus a sample of CVEs
	CoverageNone    = "none"    // no records at all
)

// File is the whole catalog.
type File struct {
	Format int `json:"format"`
	// Date is the catalog's data date: the newest publication, modification
	// or KEV date in the input, so a stale catalog shows as stale.
	Date     string   `json:"date"`
	Notice   string   `json:"notice"`
	Sources  []string `json:"sources"`
	Families []Family `json:"families"`
	CVEs     []CVE    `json:"cves"`
}

// Family is one tend product key of the corpus's products.json with the
// coverage the corpus states for it.
type Family struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Coverage string `json:"coverage"`
	// Through is the date of the newest source snapshot that covers the
	// family; CVEs published later are missing or KEV-only.
	Through string `json:"through,omitempty"`
	Note    string `json:"note"`
	// PerModel families match on the model's *_firmware CPE product.
	PerModel bool `json:"per_model,omitempty"`
	CVEs     int  `json:"cves"`
	KEV      int  `json:"kev"`
	KEVOnly  int  `json:"kev_only"`
}

// CVE is one vulnerability with its matches for tend products.
type CVE struct {
	ID        string  `json:"id"`
	Published string  `json:"pub,omitempty"` // YYYY-MM-DD
	CVSS      float64 `json:"cvss,omitempty"`
	// CVSSVersion is the CVSS version of the score: "3.1", "4.0" or "3.0".
	CVSSVersion string `json:"cvssv,omitempty"`
	KEV         *KEV   `json:"kev,omitempty"`
	// KEVProducts are the tend families a KEV entry with no version data
	// names (the corpus's kevProducts, guessed from KEV's vendor and product).
	KEVProducts []string `json:"kevp,omitempty"`
	Matches     []Match  `json:"m,omitempty"`
}

// KEV is a CISA Known Exploited Vulnerabilities entry.
type KEV struct {
	Added      string `json:"added"`
	Due        string `json:"due"`
	Ransomware bool   `json:"ransomware,omitempty"`
}

// Match is one vulnerable cpeMatch for a tend product, in NVD's semantics:
// every bound present must hold; Version (with Update) is an exact CPE
// version, Versions a list of them; "-" names no version.
type Match struct {
	Product  string   `json:"p"`
	CPE      string   `json:"cpe"` // part:vendor:product, unescaped
	Version  string   `json:"v,omitempty"`
	Update   string   `json:"u,omitempty"`
	Versions []string `json:"vs,omitempty"`
	SI       string   `json:"si,omitempty"` // versionStartIncluding
	SE       string   `json:"se,omitempty"` // versionStartExcluding
	EI       string   `json:"ei,omitempty"` // versionEndIncluding
	EE       string   `json:"ee,omitempty"` // versionEndExcluding
	Fixed    []string `json:"fix,omitempty"`
	Source   string   `json:"src"`
}

// ChunkedMagic opens a catalog in the chunked form, the one embedded in the
// binary: it is the catalog as package lifecycle holds it once open, so
// opening it is slicing, not decompressing, checking and compressing again.
//
// The chunked form is, in order:
//
//	ChunkedMagic (8 bytes)
//	the header's length, 4 bytes big-endian
//	the header: a Header, JSON, raw deflate (RFC 1951)
//	every family's chunk, in the header's Chunks order, back to back
//
// A family's chunk is raw deflate (RFC 1951) of its CVE records, each a
// CVE as JSON on a line of its own, in the catalog's order: the records
// with a match for the family, holding that family's matches only, or, for
// a KEV entry without version data, those whose KEVProducts name it. A
// record naming several families is in each of their chunks. An override file (LoadVulnCatalog) may be in this
// form (or in ChunkedMagicV1's) or be a File, plain or gzip or bzip2 compressed.
const ChunkedMagic = "TENDVC2\n"

// ChunkedMagicV1 opens the chunked form as it was before the header was
// deflated (the same but for a header in plain JSON); still read.
const ChunkedMagicV1 = "TENDVC1\n"

// Header is the chunked form's header: the File without its records, the
// catalog's counts and each family's chunk size.
type Header struct {
	File
	Stats  Stats   `json:"stats"`
	Chunks []Chunk `json:"chunks"`
}

// Stats counts the catalog's records: CVEs, those with a KEV entry, the KEV
// entries without version data, and the matches of all records.
type Stats struct {
	CVEs    int `json:"cves"`
	KEV     int `json:"kev"`
	KEVOnly int `json:"kev_only"`
	Matches int `json:"matches"`
}

// Chunk locates one family's records in the chunked form.
type Chunk struct {
	Key  string `json:"key"`
	Size int    `json:"size"` // bytes of deflate
}
