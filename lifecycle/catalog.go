package lifecycle

import (
	_ "embed" // for the end-of-life catalog
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"tend/lifecycle/internal/catalogfile"
)

// catalogTable is the end-of-life catalog, written by internal/eolcatalog/generate
// from the corpus; the format is package catalogfile's File.
//
//go:embed catalog.json.bz2
var catalogTable []byte

// maxCatalog bounds a decompressed catalog, so that a corrupt or hostile
// override file cannot exhaust memory; the real one is about 1 MB.
const maxCatalog = 32 << 20

// Catalog holds end-of-life facts: release cycles and their support dates
// per product, release dates of individual versions, Cisco end-of-life
// bulletins by part number and Synology's last DSM per model. It is
// immutable once opened and safe for concurrent use.
//
// It is kept over its bytes (issue 19's small box): each product's record
// stays as its JSON text, checked when the catalog is opened and decoded
// on demand into a small cache of recently used products; Cisco's part
// numbers are one sorted string with offsets, searched by bisection.
type Catalog struct {
	date time.Time
	// raw holds every product's JSON record back to back; spans maps a
	// product id to its record.
	raw      []byte
	spans    map[string]span
	cache    mru[product]
	cisco    ciscoIndex
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
	_ [0]func() // not comparable: no equality function linked
	catalogfile.Cycle
	released, support, eol, extended, discontinued milestone
}

// milestone is a support milestone: a date, or ended on an unknown date.
type milestone struct {
	_     [0]func() // not comparable: no equality function linked
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

// LoadCatalog reads a catalog file, bzip2, gzip or plain JSON in the
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
	r, err := vulnReader(b) // bzip2 (as generated), gzip or plain JSON, by its first bytes
	if err != nil {
		return nil, err
	}
	if b, err = io.ReadAll(r); err != nil {
		return nil, fmt.Errorf("decompress: %w", err)
	}
	var f wireCatalog
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if f.Format != catalogfile.Format {
		return nil, fmt.Errorf("format %d, want %d", f.Format, catalogfile.Format)
	}
	return newCatalog(&f)
}

// wireCatalog is catalogfile.File as decoded: product records stay JSON.
type wireCatalog struct {
	Format   int                         `json:"format"`
	Date     string                      `json:"date"`
	Products []json.RawMessage           `json:"products"`
	Cisco    catalogfile.Cisco           `json:"cisco"`
	Synology []catalogfile.SynologyModel `json:"synology"`
}

// newCatalog checks every date and index so that a bad file gives an error
// rather than wrong verdicts; product records are decoded to be checked,
// then kept as their text.
func newCatalog(f *wireCatalog) (*Catalog, error) {
	date, err := time.Parse(time.DateOnly, f.Date)
	if err != nil {
		return nil, fmt.Errorf("catalog date: %w", err)
	}
	n := 0
	for _, r := range f.Products {
		n += len(r)
	}
	c := &Catalog{date: date, raw: make([]byte, 0, n), spans: make(map[string]span, len(f.Products)),
		synology: make(map[string]catalogfile.SynologyModel, len(f.Synology))}
	for _, r := range f.Products {
		p, err := decodeProduct(r)
		if err != nil {
			return nil, err
		}
		if _, dup := c.spans[p.ID]; dup {
			return nil, fmt.Errorf("product %q: repeated id", p.ID)
		}
		c.spans[p.ID] = span{uint32(len(c.raw)), uint32(len(c.raw) + len(r))}
		c.raw = append(c.raw, r...)
		c.stats.Products++
		c.stats.Cycles += len(p.cycles)
		c.stats.Versions += len(p.Versions)
		if p.Unreviewed {
			c.stats.Unreviewed++
		}
	}
	if c.cisco, err = newCiscoIndex(f.Cisco); err != nil {
		return nil, err
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

// span is a product record's place in Catalog.raw.
type span struct{ start, end uint32 }

// decodeProduct decodes and checks one product record.
func decodeProduct(r []byte) (*product, error) {
	var p catalogfile.Product
	if err := json.Unmarshal(r, &p); err != nil {
		return nil, fmt.Errorf("decode product: %w", err)
	}
	if p.ID == "" {
		return nil, errors.New("product with an empty id")
	}
	pp := &product{Product: p, cycles: make([]cycle, 0, len(p.Cycles))}
	for _, rc := range p.Cycles {
		cy := cycle{Cycle: rc}
		for _, m := range []struct {
			dst *milestone
			s   string
		}{{&cy.released, rc.Released}, {&cy.support, rc.Support}, {&cy.eol, rc.EOL},
			{&cy.extended, rc.Extended}, {&cy.discontinued, rc.Discontinued}} {
			var err error
			if *m.dst, err = parseMilestone(m.s); err != nil {
				return nil, fmt.Errorf("%s %s: %w", p.ID, rc.Cycle, err)
			}
		}
		pp.cycles = append(pp.cycles, cy)
	}
	pp.Cycles = nil // held once, in cycles
	for v, d := range p.Versions {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return nil, fmt.Errorf("%s version %s: %w", p.ID, v, err)
		}
	}
	return pp, nil
}

// product returns a product by id, decoded from its record (or from the
// cache), or nil when the catalog has none.
func (c *Catalog) product(id string) *product {
	sp, ok := c.spans[id]
	if !ok {
		return nil
	}
	return c.cache.get(id, func() *product {
		p, err := decodeProduct(c.raw[sp.start:sp.end])
		if err != nil {
			return nil // cannot happen: every record was decoded when the catalog was opened
		}
		return p
	})
}

// release drops the decoded products.
func (c *Catalog) release() { c.cache.clear() }

// ciscoIndex holds Cisco's end-of-life bulletins and the part numbers they
// cover: the parts sorted, back to back in one string, with the end offset
// and bulletin of each.
type ciscoIndex struct {
	bulletins []catalogBulletin
	parts     string
	ends      []uint32
	bulletin  []uint32
}

func newCiscoIndex(f catalogfile.Cisco) (ciscoIndex, error) {
	x := ciscoIndex{bulletins: f.Bulletins}
	for _, b := range f.Bulletins {
		for _, d := range []string{b.SeriesReleased, b.EndOfSale, b.LastShip, b.EndOfSWMaint, b.EndOfSecurity, b.LastSupport} {
			if _, err := parseMilestone(d); err != nil {
				return x, fmt.Errorf("cisco bulletin %s: %w", b.ID, err)
			}
		}
	}
	names := make([]string, 0, len(f.Parts))
	n := 0
	for pid, i := range f.Parts {
		if i < 0 || i >= len(f.Bulletins) {
			return x, fmt.Errorf("cisco part %s: bulletin %d out of range", pid, i)
		}
		names = append(names, pid)
		n += len(pid)
	}
	sort.Strings(names)
	var sb strings.Builder
	sb.Grow(n)
	x.ends, x.bulletin = make([]uint32, len(names)), make([]uint32, len(names))
	for i, pid := range names {
		sb.WriteString(pid)
		x.ends[i], x.bulletin[i] = uint32(sb.Len()), uint32(f.Parts[pid])
	}
	x.parts = sb.String()
	return x, nil
}

// find returns the bulletin covering a part number.
func (x *ciscoIndex) find(pid string) (catalogBulletin, bool) {
	part := func(i int) string {
		start := uint32(0)
		if i > 0 {
			start = x.ends[i-1]
		}
		return x.parts[start:x.ends[i]]
	}
	i, found := sort.Find(len(x.ends), func(i int) int { return strings.Compare(pid, part(i)) })
	if !found {
		return catalogBulletin{}, false
	}
	return x.bulletins[x.bulletin[i]], true
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
