// Package eolcatalog builds lifecycle's embedded end-of-life catalog from the
// corpus exports (endoflife.date products, cycles and versions, its unmerged
// drafts, Cisco end-of-life bulletins, Synology DSM builds per model) (its
// file format is package catalogfile, which package lifecycle decodes).
//
// The catalog is JSON, bzip2-compressed (see Compress), so the output
// depends on nothing but the input bytes:
// every list keeps its source order or is sorted, and encoding/json sorts
// map keys.
package eolcatalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"tend/lifecycle/internal/catalogfile"

	"tend/internal/genfile"
	"tend/internal/lazyre"
)

// The catalog's format lives in package catalogfile (shared with the
// runtime); these names keep the generator's code short.
const Format = catalogfile.Format

type (
	File          = catalogfile.File
	Product       = catalogfile.Product
	Cycle         = catalogfile.Cycle
	Cisco         = catalogfile.Cisco
	CiscoBulletin = catalogfile.CiscoBulletin
	SynologyModel = catalogfile.SynologyModel
)

// The corpus files Generate reads, relative to its directory argument.
const (
	ProductsFile   = "endoflife.json"
	VersionsFile   = "endoflife-versions.json"
	UnmergedFile   = "endoflife-unmerged-prs.json"
	CiscoFile      = "hardware/cisco-eol-bulletins.json"
	SynologyFile   = "hardware/synology-dsm-per-model.json"
	DateLayout     = "2006-01-02"
	flagEnded      = "true" // a milestone passed on an unknown date
	maxVersionDate = "9999-12-31"
)

// Stats describes a Generate run, for the generator to print.
type Stats struct {
	Products, Cycles, Versions, Unreviewed int
	CiscoBulletins, CiscoParts             int
	SynologyModels                         int
	RawBytes, Bytes                        int
	Date                                   string
}

// Generate reads the corpus under dir and returns the compressed catalog.
func Generate(dir string) ([]byte, Stats, error) {
	f, err := Build(dir)
	if err != nil {
		return nil, Stats{}, err
	}
	raw, err := json.Marshal(f)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("eolcatalog: encode: %w", err)
	}
	gz, err := Compress(raw)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("eolcatalog: %w", err)
	}
	st := Stats{
		Products: len(f.Products), CiscoBulletins: len(f.Cisco.Bulletins), CiscoParts: len(f.Cisco.Parts),
		SynologyModels: len(f.Synology), RawBytes: len(raw), Bytes: len(gz), Date: f.Date,
	}
	for _, p := range f.Products {
		st.Cycles += len(p.Cycles)
		st.Versions += len(p.Versions)
		if p.Unreviewed {
			st.Unreviewed++
		}
	}
	return gz, st, nil
}

// Build reads the corpus under dir into a catalog.
func Build(dir string) (*File, error) {
	var products, unmerged []rawProduct
	var versions map[string]rawVersions
	var cisco rawCisco
	var syn rawSynology
	for _, in := range []struct {
		name string
		v    any
	}{
		{ProductsFile, &products}, {UnmergedFile, &unmerged}, {VersionsFile, &versions},
		{CiscoFile, &cisco}, {SynologyFile, &syn},
	} {
		b, err := os.ReadFile(filepath.Join(dir, in.name))
		if err != nil {
			return nil, fmt.Errorf("eolcatalog: %w", err)
		}
		if err := json.Unmarshal(b, in.v); err != nil {
			return nil, fmt.Errorf("eolcatalog: parse %s: %w", in.name, err)
		}
	}

	f := &File{Format: Format, Sources: []string{
		"endoflife.date (MIT): " + ProductsFile + ", " + VersionsFile + ", " + UnmergedFile,
		cisco.Source, syn.Source,
	}}
	seen := map[string]bool{}
	for i, rp := range append(products, unmerged...) {
		if rp.Product == "" || seen[rp.Product] {
			return nil, fmt.Errorf("eolcatalog: product %d: empty or repeated id %q", i, rp.Product)
		}
		seen[rp.Product] = true
		p, err := rp.convert()
		if err != nil {
			return nil, err
		}
		if rv, ok := versions[p.ID]; ok && len(rv.Versions) > 0 {
			p.Versions = make(map[string]string, len(rv.Versions))
			for v, d := range rv.Versions {
				if !isDate(d) {
					return nil, fmt.Errorf("eolcatalog: %s version %s: bad date %q", p.ID, v, d)
				}
				p.Versions[v] = d
				f.Date = max(f.Date, d)
			}
		}
		for _, c := range p.Cycles {
			if isDate(c.LatestDate) {
				f.Date = max(f.Date, c.LatestDate)
			}
		}
		f.Products = append(f.Products, p)
	}
	if f.Date == "" {
		return nil, errors.New("eolcatalog: no dated releases: cannot date the catalog")
	}

	var err error
	if f.Cisco, err = cisco.convert(); err != nil {
		return nil, err
	}
	for _, m := range syn.Models {
		if m.Model == "" || m.LatestDSM == "" {
			continue
		}
		f.Synology = append(f.Synology, SynologyModel{
			Model: m.Model, First: m.FirstDSM, FirstBuild: m.First.Build,
			Latest: m.LatestDSM, LatestBuild: m.Latest.Build, EOL: m.EOL,
		})
	}
	slices.SortStableFunc(f.Synology, func(a, b SynologyModel) int { return strings.Compare(a.Model, b.Model) })
	return f, nil
}

type rawProduct struct {
	Product        string                     `json:"product"`
	Label          string                     `json:"label"`
	Category       string                     `json:"category"`
	Source         string                     `json:"source"`
	ColumnSemantic map[string]json.RawMessage `json:"column_semantics"`
	Unreviewed     bool                       `json:"unreviewed"`
	Releases       []rawCycle                 `json:"releases"`
}

type rawCycle struct {
	Cycle        string          `json:"cycle"`
	Label        *string         `json:"release_label"`
	Released     *string         `json:"released"`
	Support      json.RawMessage `json:"support"`
	EOL          json.RawMessage `json:"eol"`
	Extended     json.RawMessage `json:"extended_support"`
	Discontinued json.RawMessage `json:"discontinued"`
	Latest       *string         `json:"latest"`
	LatestDate   *string         `json:"latest_date"`
	LTS          json.RawMessage `json:"lts"`
}

func (rp rawProduct) convert() (Product, error) {
	p := Product{
		ID: rp.Product, Label: rp.Label, Category: rp.Category, Unreviewed: rp.Unreviewed, Source: rp.Source,
		EOLMeaning:     semantic(rp.ColumnSemantic["eolColumn"]),
		SupportMeaning: semantic(rp.ColumnSemantic["eoasColumn"]),
	}
	for _, rc := range rp.Releases {
		c := Cycle{Cycle: rc.Cycle, Label: deref(rc.Label), Released: deref(rc.Released),
			Latest: deref(rc.Latest), LatestDate: deref(rc.LatestDate)}
		var err error
		if c.Support, err = milestone(rc.Support); err == nil {
			if c.EOL, err = milestone(rc.EOL); err == nil {
				if c.Extended, err = milestone(rc.Extended); err == nil {
					c.Discontinued, err = milestone(rc.Discontinued)
				}
			}
		}
		if err != nil {
			return Product{}, fmt.Errorf("eolcatalog: %s %s: %w", rp.Product, rc.Cycle, err)
		}
		if c.Released != "" && !isDate(c.Released) {
			return Product{}, fmt.Errorf("eolcatalog: %s %s: bad release date %q", rp.Product, rc.Cycle, c.Released)
		}
		if c.LatestDate != "" && !isDate(c.LatestDate) {
			c.LatestDate = ""
		}
		c.LTS = string(rc.LTS) == "true" || (len(rc.LTS) > 2 && rc.LTS[0] == '"')
		if c.Cycle == "" {
			return Product{}, fmt.Errorf("eolcatalog: %s: cycle without a name", rp.Product)
		}
		p.Cycles = append(p.Cycles, c)
	}
	return p, nil
}

// semantic turns a column_semantics value (a column title, or true for the
// default title) into text.
func semantic(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if string(raw) == "true" {
		return "default"
	}
	return ""
}

// milestone normalises endoflife.date's date-or-boolean fields.
func milestone(raw json.RawMessage) (string, error) {
	switch string(raw) {
	case "", "null", "false":
		return "", nil
	case "true":
		return flagEnded, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || !isDate(s) {
		return "", fmt.Errorf("milestone %s is neither a date nor a boolean", raw)
	}
	return s, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

var dateRE = &lazyre.Regexp{Expr: `^\d{4}-\d{2}-\d{2}$`}

func isDate(s string) bool { return dateRE.MatchString(s) && s <= maxVersionDate }

type rawVersions struct {
	Versions map[string]string `json:"versions"`
}

type rawCisco struct {
	Source string `json:"source"`
	Series []struct {
		Series    string  `json:"series"`
		Released  *string `json:"series_release_date"`
		Bulletins []struct {
			ID         string `json:"id"`
			Milestones map[string]*struct {
				Date json.RawMessage `json:"date"`
			} `json:"milestones"`
			PIDs []string `json:"affected_pids"`
		} `json:"bulletins"`
	} `json:"series"`
}

// partRE accepts Cisco part numbers and rejects the prose that the scraped
// tables sometimes put in the part-number column.
var partRE = &lazyre.Regexp{Expr: `^[A-Z0-9][A-Z0-9+=/._-]{1,39}$`}

func (rc rawCisco) convert() (Cisco, error) {
	c := Cisco{Parts: map[string]int{}}
	// Unparseable dates are kept by the export as {"raw": ...}; they count
	// as unknown.
	date := func(m map[string]*struct {
		Date json.RawMessage `json:"date"`
	}, k string) string {
		var s string
		if v := m[k]; v != nil && json.Unmarshal(v.Date, &s) == nil && isDate(s) {
			return s
		}
		return ""
	}
	for _, s := range rc.Series {
		for _, b := range s.Bulletins {
			cb := CiscoBulletin{
				ID: b.ID, Series: s.Series, SeriesReleased: deref(s.Released),
				Announced:     date(b.Milestones, "endOfLifeAnnouncementDate"),
				EndOfSale:     date(b.Milestones, "endOfSaleDate"),
				LastShip:      date(b.Milestones, "lastShipDate"),
				EndOfSWMaint:  date(b.Milestones, "endOfSoftwareMaintenance"),
				EndOfSecurity: date(b.Milestones, "endOfVulnerabilitySecuritySupport"),
				LastSupport:   date(b.Milestones, "lastDateOfSupport"),
			}
			if !isDate(cb.SeriesReleased) {
				cb.SeriesReleased = ""
			}
			idx := len(c.Bulletins)
			c.Bulletins = append(c.Bulletins, cb)
			for _, pid := range b.PIDs {
				pid = strings.ToUpper(strings.TrimSpace(pid))
				if !partRE.MatchString(pid) {
					continue
				}
				// A part in several bulletins (amendments, bundles) keeps
				// the one with the latest support date.
				if old, ok := c.Parts[pid]; ok && c.Bulletins[old].LastSupport >= cb.LastSupport {
					continue
				}
				c.Parts[pid] = idx
			}
		}
	}
	if len(c.Parts) == 0 {
		return Cisco{}, errors.New("eolcatalog: no Cisco part numbers")
	}
	return c, nil
}

type rawSynology struct {
	Source string `json:"source"`
	Models []struct {
		Model     string `json:"model"`
		FirstDSM  string `json:"first_dsm"`
		LatestDSM string `json:"latest_dsm"`
		First     struct {
			Build int `json:"build"`
		} `json:"first"`
		Latest struct {
			Build int `json:"build"`
		} `json:"latest"`
		EOL bool `json:"eol"`
	} `json:"models"`
}

// Compress bzip2s raw (genfile.Bzip2: the bzip2 command at -9, whose output
// depends on nothing but raw): 151 kB where gzip's best was 177 kB, since
// the products' cycle lists repeat further apart than gzip's 32 KiB window.
func Compress(raw []byte) ([]byte, error) { return genfile.Bzip2(raw) }
