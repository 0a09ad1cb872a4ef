// Package vulncatalog builds lifecycle's embedded vulnerability catalog from the
// corpus's vuln directory (vulns.jsonl.gz and products.json: NVD CPE
// configurations, vendor advisories and CISA's Known Exploited
// Vulnerabilities catalog, merged per CVE) and defines the catalog's file
// format, which package lifecycle decodes.
//
// The output keeps only what a verdict needs: CVE ids, the highest CVSS
// base score, KEV dates, and per tend product the CPE, the version ranges
// or exact versions and the vendor's fixed releases. Descriptions are left
// out (they are the bulk of the input and some are vendor advisory titles
// of unclear licence). Every family carries the coverage the corpus README
// states for it, so a verdict can say how far "no CVE found" goes.
//
// The catalog is written in vulnfile's chunked form (see Chunked): each
// family's records deflated apart, as package lifecycle holds them once
// open, so opening the embedded catalog is slicing it. The output depends
// on nothing but the input bytes (and the Go release's compress/flate): CVEs
// keep the corpus's order, families are sorted by key, and encoding/json
// sorts map keys.
package vulncatalog

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"tend/lifecycle/internal/vulnfile"
)

// The catalog's format lives in package vulnfile (shared with the
// runtime); these names keep the generator's code short.
const (
	Format          = vulnfile.Format
	Notice          = vulnfile.Notice
	CoverageDeep    = vulnfile.CoverageDeep
	CoveragePartial = vulnfile.CoveragePartial
	CoverageThin    = vulnfile.CoverageThin
	CoverageNone    = vulnfile.CoverageNone
)

type (
	File   = vulnfile.File
	Family = vulnfile.Family
	CVE    = vulnfile.CVE
	KEV    = vulnfile.KEV
	Match  = vulnfile.Match
)

// The corpus files Generate reads, relative to its directory argument.
const (
	VulnsFile    = "vulns.jsonl.gz"
	ProductsFile = "products.json"
)

// coverage is the corpus README's "coverage" section, per product key.
var coverage = map[string]struct{ level, through, note string }{
	"fortios":             {CoverageDeep, "2026-07-21", "all Fortinet PSIRT advisories 2012 to July 2026"},
	"fortiap":             {CoverageDeep, "2026-07-21", "all Fortinet PSIRT advisories 2012 to July 2026"},
	"pan-os":              {CoverageDeep, "2025-04-02", "Palo Alto Networks' own CVE records up to 2025-04-02"},
	"cisco-ios":           {CoverageDeep, "2025-03-27", "NVD to 2016, then Cisco CSAF advisories to 2025-03-27; advisories that name no versions are missing"},
	"cisco-ios-xe":        {CoverageDeep, "2025-03-27", "NVD to 2016, then Cisco CSAF advisories to 2025-03-27; advisories that name no versions are missing"},
	"cisco-nx-os":         {CoverageDeep, "2025-03-27", "NVD to 2016, then Cisco CSAF advisories to 2025-03-27; advisories that name no versions are missing"},
	"cisco-asa":           {CoverageDeep, "2025-03-27", "NVD to 2016, then Cisco CSAF advisories to 2025-03-27; advisories that name no versions are missing"},
	"swos":                {CoverageNone, "", "no records for this family"},
	"arubaos-cx":          {CoverageNone, "", "no records for this family"},
	"truenas":             {CoverageNone, "", "no records for this family"},
	"ubiquiti-edgeos":     {CoverageNone, "", "no records for this family"},
	"ubiquiti-edgeswitch": {CoverageNone, "", "no records for this family"},
	"apc-nmc":             {CoverageNone, "", "no records for this family"},
	"routeros":            {CoverageThin, "2025-01-24", "KEV plus a sample of CVEs (NVD to 2016 and a few later records)"},
	"synology-dsm":        {CoverageThin, "2025-01-24", "KEV plus a sample of CVEs (NVD to 2016 and a few later records)"},
	"vmware-esxi":         {CoverageThin, "2025-01-24", "KEV plus a sample of CVEs (NVD to 2016 and a few later records)"},
	"pfsense":             {CoverageThin, "2025-01-24", "KEV plus a sample of CVEs (NVD to 2016 and a few later records)"},
	"opnsense":            {CoverageThin, "2025-01-24", "KEV plus a sample of CVEs (NVD to 2016 and a few later records)"},
	"openwrt":             {CoverageThin, "2025-01-24", "KEV plus a sample of CVEs (NVD to 2016 and a few later records)"},
	"proxmox-ve":          {CoverageThin, "2025-01-24", "KEV plus a sample of CVEs (NVD to 2016 and a few later records)"},
}

// partialNote is the coverage of every other family: NVD to 2016, then
// cisagov/vulnrichment (mostly 2023-2024 CVEs and KEV entries).
const partialNote = "NVD to 2016, then mostly CVEs published 2023-2024 and KEV entries (cisagov/vulnrichment 2025-01-24); 2017-2022 is sparse"

// perModel are the families whose CPEs name the model (`dir-859_firmware`).
var perModel = map[string]bool{"cisco-small-business": true, "cisco-spa": true, "dlink": true, "netgear": true, "tplink": true,
	"draytek": true, "zyxel": true, "hikvision": true, "dahua": true, "hp-printer": true, "brother-printer": true, "ruckus": true}

// excludedCPE are CPEs the corpus's product regexes catch that are not the
// family's firmware: HP's Instant Support tools are not Aruba Instant.
var excludedCPE = map[string]bool{"a:hp:instant_support": true, "a:hp:instant_toptools": true}

// Stats describes one run of Generate, for the generator to print.
type Stats struct {
	Date               string
	CVEs, KEV, KEVOnly int
	Matches, Families  int
	RawBytes, Bytes    int
}

// input mirrors the corpus's vulns.jsonl records (fields used only).
type input struct {
	ID           string       `json:"id"`
	Published    *string      `json:"published"`
	LastModified *string      `json:"lastModified"`
	Matches      []inputMatch `json:"matches"`
	CVSS31       *inputCVSS   `json:"cvss31"`
	CVSS40       *inputCVSS   `json:"cvss40"`
	CVSS30       *inputCVSS   `json:"cvss30"`
	KEV          *inputKEV    `json:"kev"`
	KEVOnly      bool         `json:"kevOnly"`
	KEVProducts  []string     `json:"kevProducts"`
	Sources      []string     `json:"sources"`
}

type inputMatch struct {
	Product    string   `json:"product"`
	Criteria   string   `json:"criteria"`
	Vulnerable bool     `json:"vulnerable"`
	Versions   []string `json:"versions"`
	SI         string   `json:"versionStartIncluding"`
	SE         string   `json:"versionStartExcluding"`
	EI         string   `json:"versionEndIncluding"`
	EE         string   `json:"versionEndExcluding"`
	FixedIn    []string `json:"fixedIn"`
	Source     string   `json:"source"`
}

type inputCVSS struct {
	Score float64 `json:"score"`
}

type inputKEV struct {
	DateAdded  string `json:"dateAdded"`
	DueDate    string `json:"dueDate"`
	Ransomware string `json:"knownRansomwareCampaignUse"`
}

type inputProduct struct {
	Label string `json:"label"`
}

// Generate reads the corpus's vuln directory and returns the bzip2 catalog.
func Generate(dir string) ([]byte, Stats, error) {
	var st Stats
	pb, err := os.ReadFile(filepath.Join(dir, ProductsFile))
	if err != nil {
		return nil, st, fmt.Errorf("vulncatalog: %w", err)
	}
	var products map[string]inputProduct
	if err := json.Unmarshal(pb, &products); err != nil {
		return nil, st, fmt.Errorf("vulncatalog: decode %s: %w", ProductsFile, err)
	}
	f, err := os.Open(filepath.Join(dir, VulnsFile))
	if err != nil {
		return nil, st, fmt.Errorf("vulncatalog: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, st, fmt.Errorf("vulncatalog: gunzip %s: %w", VulnsFile, err)
	}
	out := File{Format: Format, Notice: Notice}
	fams := map[string]*Family{}
	for k, p := range products {
		c, ok := coverage[k]
		if !ok {
			c.level, c.through, c.note = CoveragePartial, "2025-01-24", partialNote
		}
		fams[k] = &Family{Key: k, Label: p.Label, Coverage: c.level, Through: c.through, Note: c.note, PerModel: perModel[k]}
	}
	sources := map[string]bool{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		var in input
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			return nil, st, fmt.Errorf("vulncatalog: %s line %d: %w", VulnsFile, line, err)
		}
		c, err := convert(in)
		if err != nil {
			return nil, st, fmt.Errorf("vulncatalog: %s: %w", in.ID, err)
		}
		for _, d := range []*string{in.Published, in.LastModified} {
			if d != nil && len(*d) >= 10 && (*d)[:10] > out.Date {
				out.Date = (*d)[:10]
			}
		}
		if c.KEV != nil && c.KEV.Added > out.Date {
			out.Date = c.KEV.Added
		}
		if len(c.Matches) == 0 && (c.KEV == nil || len(c.KEVProducts) == 0) {
			continue // no tend family to judge with it
		}
		for _, s := range in.Sources {
			sources[s] = true
		}
		if c.KEV != nil {
			sources["kev"] = true
		}
		seen := map[string]bool{}
		for _, m := range c.Matches {
			st.Matches++
			if fam := fams[m.Product]; fam != nil && !seen[m.Product] {
				seen[m.Product] = true
				fam.CVEs++
				if c.KEV != nil {
					fam.KEV++
				}
			}
		}
		for _, p := range c.KEVProducts {
			if fam := fams[p]; fam != nil {
				fam.KEVOnly++
			}
		}
		st.CVEs++
		if c.KEV != nil {
			st.KEV++
			if len(c.Matches) == 0 {
				st.KEVOnly++
			}
		}
		out.CVEs = append(out.CVEs, c)
	}
	if err := sc.Err(); err != nil {
		return nil, st, fmt.Errorf("vulncatalog: read %s: %w", VulnsFile, err)
	}
	if len(out.CVEs) == 0 || out.Date == "" {
		return nil, st, errors.New("vulncatalog: no CVE records")
	}
	for s := range sources {
		out.Sources = append(out.Sources, s)
	}
	slices.Sort(out.Sources)
	for _, k := range slices.Sorted(mapKeys(fams)) {
		out.Families = append(out.Families, *fams[k])
	}
	b, raw, err := Chunked(out, vulnfile.Stats{CVEs: st.CVEs, KEV: st.KEV, KEVOnly: st.KEVOnly, Matches: st.Matches})
	if err != nil {
		return nil, st, fmt.Errorf("vulncatalog: %w", err)
	}
	st.Date, st.Families, st.RawBytes, st.Bytes = out.Date, len(out.Families), raw, len(b)
	return b, st, nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func convert(in input) (CVE, error) {
	c := CVE{ID: in.ID}
	if in.Published != nil && len(*in.Published) >= 10 {
		c.Published = (*in.Published)[:10]
	}
	for _, s := range []struct {
		v   *inputCVSS
		ver string
	}{{in.CVSS31, "3.1"}, {in.CVSS40, "4.0"}, {in.CVSS30, "3.0"}} {
		if s.v != nil && s.v.Score > 0 {
			c.CVSS, c.CVSSVersion = s.v.Score, s.ver
			break
		}
	}
	if in.KEV != nil {
		c.KEV = &KEV{Added: in.KEV.DateAdded, Due: in.KEV.DueDate, Ransomware: strings.EqualFold(in.KEV.Ransomware, "Known")}
		if in.KEVOnly {
			c.KEVProducts = slices.Clone(in.KEVProducts)
		}
	}
	for _, m := range in.Matches {
		if !m.Vulnerable {
			continue // a platform named in an AND configuration
		}
		f := splitCPE(m.Criteria)
		if len(f) < 7 || f[0] != "cpe" {
			return c, fmt.Errorf("criteria %q: not a CPE 2.3 name", m.Criteria)
		}
		if excludedCPE[f[2]+":"+f[3]+":"+f[4]] {
			continue
		}
		out := Match{Product: m.Product, CPE: f[2] + ":" + f[3] + ":" + f[4], Source: m.Source,
			SI: unescape(m.SI), SE: unescape(m.SE), EI: unescape(m.EI), EE: unescape(m.EE),
			Versions: m.Versions, Fixed: m.FixedIn}
		if f[5] != "*" {
			out.Version = f[5]
		}
		if f[6] != "*" && (f[6] != "-" || out.Version != "") {
			out.Update = f[6] // "-" after a version: the release without an update
		}
		c.Matches = append(c.Matches, out)
	}
	return c, nil
}

// splitCPE splits a CPE 2.3 formatted string at its unescaped colons and
// unescapes each field, lower-cased as NVD writes them.
func splitCPE(s string) []string {
	var out []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == ':':
			out = append(out, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(out, b.String())
}

func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return strings.Join(splitCPE(strings.ReplaceAll(s, ":", `\:`)), "")
}
