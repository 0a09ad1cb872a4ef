package lifecycle

import (
	"bytes"
	"compress/gzip"
	_ "embed" // for the end-of-life catalog
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"tend/lifecycle/internal/catalogfile"
)

// catalogTable is the end-of-life catalog, written by internal/eolcatalog/generate
// from the corpus; the format is package catalogfile's File.
//
//go:embed catalog.json.gz
var catalogTable []byte

// maxCatalog bounds a decompressed catalog, so that a corrupt or hostile
// override file cannot exhaust memory; the real one is about 1 MB.
const maxCatalog = 32 << 20

// Catalog holds end-of-life facts: release cycles and their support dates
// per product, release dates of individual versions, Cisco end-of-life
// bulletins by part number and Synology's last DSM per model. It is
// immutable once opened and safe for concurrent use.
type Catalog struct {
	date     time.Time
	products map[string]*product
	cisco    catalogfile.Cisco
	synology map[string]catalogfile.SynologyModel // by normalised model name
	// newestDSM is the newest DSM any model gets, so a model whose last
	// DSM is older is known to be capped.
	newestDSM      string
	newestDSMBuild int
	stats          CatalogStats
}

// CatalogStats says what a catalog holds, for logs and the UI.
type CatalogStats struct {
	Products, Unreviewed, Cycles, Versions int
	CiscoBulletins, CiscoParts             int
	SynologyModels                         int
}

type product struct {
	catalogfile.Product
	cycles []cycle
}

type cycle struct {
	catalogfile.Cycle
	released, support, eol, extended, discontinued milestone
}

// milestone is a support milestone: a date, or ended on an unknown date.
type milestone struct {
	t     time.Time
	ended bool
}

func (m milestone) passed(now time.Time) bool {
	return m.ended || (!m.t.IsZero() && !now.Before(m.t))
}

func (m milestone) known() bool { return m.ended || !m.t.IsZero() }

func (m milestone) String() string {
	switch {
	case !m.t.IsZero():
		return m.t.Format(time.DateOnly)
	case m.ended:
		return "passed (date unknown)"
	}
	return "none announced"
}

// OpenCatalog decodes the catalog embedded in the binary. Callers open it
// once and share it.
func OpenCatalog() (*Catalog, error) {
	c, err := decodeCatalog(catalogTable)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: open embedded catalog: %w", err)
	}
	return c, nil
}

// LoadCatalog reads a catalog file, gzip-compressed or plain JSON in the
// embedded catalog's format, so a newer catalog dropped into the data
// directory can replace the one built in. On error the caller keeps the
// catalog it has; use Newer to decide whether the file is worth using.
func LoadCatalog(path string) (*Catalog, error) {
	return loadFile(path, "catalog", decodeCatalog)
}

// Newer returns the override catalog when it is dated after the embedded
// one and the embedded one otherwise, so an old file left in the data
// directory cannot roll the facts back after an upgrade.
func Newer(embedded, override *Catalog) *Catalog {
	return newer(embedded, override)
}

// Date returns the catalog's data date (its newest release date), which
// the UI shows beside every verdict: verdicts are only as fresh as it.
func (c *Catalog) Date() time.Time { return c.date }

// Stats returns what the catalog holds.
func (c *Catalog) Stats() CatalogStats { return c.stats }

func decodeCatalog(b []byte) (*Catalog, error) {
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		raw, err := io.ReadAll(io.LimitReader(zr, maxCatalog+1))
		if err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		b = raw
	}
	if len(b) > maxCatalog {
		return nil, fmt.Errorf("larger than %d bytes", maxCatalog)
	}
	var f catalogfile.File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if f.Format != catalogfile.Format {
		return nil, fmt.Errorf("format %d, want %d", f.Format, catalogfile.Format)
	}
	return newCatalog(&f)
}

// newCatalog checks every date and index so that a bad file gives an error
// rather than wrong verdicts.
func newCatalog(f *catalogfile.File) (*Catalog, error) {
	date, err := time.Parse(time.DateOnly, f.Date)
	if err != nil {
		return nil, fmt.Errorf("catalog date: %w", err)
	}
	c := &Catalog{date: date, products: make(map[string]*product, len(f.Products)),
		cisco: f.Cisco, synology: make(map[string]catalogfile.SynologyModel, len(f.Synology))}
	for _, p := range f.Products {
		if p.ID == "" || c.products[p.ID] != nil {
			return nil, fmt.Errorf("product %q: empty or repeated id", p.ID)
		}
		pp := &product{Product: p}
		for _, rc := range p.Cycles {
			cy := cycle{Cycle: rc}
			for _, m := range []struct {
				dst *milestone
				s   string
			}{{&cy.released, rc.Released}, {&cy.support, rc.Support}, {&cy.eol, rc.EOL},
				{&cy.extended, rc.Extended}, {&cy.discontinued, rc.Discontinued}} {
				if *m.dst, err = parseMilestone(m.s); err != nil {
					return nil, fmt.Errorf("%s %s: %w", p.ID, rc.Cycle, err)
				}
			}
			pp.cycles = append(pp.cycles, cy)
		}
		for v, d := range p.Versions {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return nil, fmt.Errorf("%s version %s: %w", p.ID, v, err)
			}
		}
		c.products[p.ID] = pp
		c.stats.Products++
		c.stats.Cycles += len(pp.cycles)
		c.stats.Versions += len(p.Versions)
		if p.Unreviewed {
			c.stats.Unreviewed++
		}
	}
	for pid, i := range f.Cisco.Parts {
		if i < 0 || i >= len(f.Cisco.Bulletins) {
			return nil, fmt.Errorf("cisco part %s: bulletin %d out of range", pid, i)
		}
	}
	for _, b := range f.Cisco.Bulletins {
		for _, d := range []string{b.SeriesReleased, b.EndOfSale, b.LastShip, b.EndOfSWMaint, b.EndOfSecurity, b.LastSupport} {
			if _, err := parseMilestone(d); err != nil {
				return nil, fmt.Errorf("cisco bulletin %s: %w", b.ID, err)
			}
		}
	}
	for _, m := range f.Synology {
		c.synology[normModel(m.Model)] = m
		if m.LatestBuild > c.newestDSMBuild {
			c.newestDSM, c.newestDSMBuild = m.Latest, m.LatestBuild
		}
	}
	c.stats.CiscoBulletins = len(f.Cisco.Bulletins)
	c.stats.CiscoParts = len(f.Cisco.Parts)
	c.stats.SynologyModels = len(f.Synology)
	if c.stats.Cycles == 0 {
		return nil, errors.New("no release cycles")
	}
	return c, nil
}

func parseMilestone(s string) (milestone, error) {
	switch s {
	case "":
		return milestone{}, nil
	case "true":
		return milestone{ended: true}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return milestone{}, fmt.Errorf("bad date %q", s)
	}
	return milestone{t: t}, nil
}

// normModel folds a model name for lookup: upper case, no spaces, no
// vendor prefix punctuation.
func normModel(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "", "-", "", "_", "").Replace(s)
}
