package traffic

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"
)

// The hygiene table: host-name patterns of endpoint-protection, OS-update,
// backup and remote-access services, generated from the reference corpus
// (hygiene/domains.json; every entry names its own source).
//
// The generator writes it twice: hygiene.json.gz, in the format of a newer
// table file in the data directory (tests check the two agree), and
// hygiene_builtin.go, the built-in table as static data, opened without
// decompressing or parsing JSON at start-up.
//
//go:generate go run ./internal/hygienegen -in ../../shared/corpus/hygiene/domains.json -out hygiene.json.gz -go hygiene_builtin.go

// Hygiene categories: what a matched name is evidence of.
const (
	HygieneProtection = "endpoint_protection"
	HygieneUpdate     = "os_update"
	HygieneBackup     = "backup"
	HygieneRemote     = "remote_access"
)

// HygieneEntry is one product (or one function of one) and its host-name
// patterns.
type HygieneEntry struct {
	Category string   `json:"category"`
	Product  string   `json:"product"`
	Vendor   string   `json:"vendor"`
	Patterns []string `json:"patterns"`
	// Purpose says what the traffic is: only "heartbeat" and "agent
	// heartbeat" mean an agent is alive; "update" and "download" are bursty.
	Purpose string `json:"purpose"`
	Source  string `json:"source"`
	// Ambiguous entries are shared infrastructure (CDNs, object storage):
	// never evidence alone.
	Ambiguous bool `json:"ambiguous"`
	// Specificity is "service", "vendor-wide" (also matches browsing the
	// vendor's site) or "platform" (built into the OS).
	Specificity   string `json:"specificity"`
	Confidence    string `json:"confidence"`
	SyncNotBackup bool   `json:"sync_not_backup,omitempty"`
	Transport     string `json:"transport,omitempty"`
	Checked       string `json:"checked,omitempty"`
}

// Heartbeat reports whether the entry's traffic means an agent checked in.
func (e *HygieneEntry) Heartbeat() bool {
	return e.Purpose == "heartbeat" || e.Purpose == "agent heartbeat"
}

// Evidence reports whether a match may count on its own: not shared
// infrastructure, not the vendor's whole domain.
func (e *HygieneEntry) Evidence() bool {
	return !e.Ambiguous && e.Specificity != "vendor-wide"
}

// HygieneCatalog matches host names against the table. It is read-only
// after it is made and safe for concurrent use.
type HygieneCatalog struct {
	Date    time.Time
	Entries []HygieneEntry
	// index maps a registrable domain (the last two labels; no pattern has a
	// wildcard there) to the patterns under it. It is built at the first
	// match (sync.OnceValue, patternIndex): its ~1,300 allocations were a
	// tenth of an empty capture's replay, which matches no name at all.
	index func() map[string][]hygienePattern
	// products folds entries into products (an entry is one function of
	// a product: heartbeat, update, console); product[i] is entry i's.
	products []hygieneProduct
	product  []int
	// wsus and aptCache are the entries of the local update caches
	// (localCaches), appended to every table.
	wsus, aptCache int
}

// localCaches are update caches on the LAN: an endpoint that fetches its
// updates from one shows no update traffic of its own on the wire, so a
// session to one counts as update evidence "via local cache". WSUS serves
// on TCP 8530 (HTTP) and 8531 (HTTPS) by default, apt-cacher-ng on 3142;
// both count only toward a LAN address. A DNS question for a WSUS server
// by its usual name (first label wsus, wsus01, wsus-…) counts too.
var localCaches = []HygieneEntry{
	{Category: HygieneUpdate, Product: "Windows Update via WSUS (local cache)", Vendor: "Microsoft", Purpose: "update",
		Specificity: "service", Confidence: "medium", Source: "tend: TCP 8530/8531 to a LAN host (WSUS's default ports) or a lookup of a wsus… host"},
	{Category: HygieneUpdate, Product: "apt via apt-cacher-ng (local cache)", Vendor: "apt-cacher-ng", Purpose: "update",
		Specificity: "service", Confidence: "medium", Source: "tend: TCP 3142 to a LAN host (apt-cacher-ng's port)"},
}

// hygieneProduct is one (category, product) an endpoint is credited with.
type hygieneProduct struct {
	_                      [0]func() // not comparable: no equality function linked
	category, name, vendor string
}

type hygienePattern struct {
	entry  int
	labels []string
	rank   int // higher wins when several entries match one name
}

// OpenHygieneCatalog opens the built-in table.
func OpenHygieneCatalog() (*HygieneCatalog, error) {
	return newHygieneCatalog(builtinHygieneDate, builtinHygiene[:]) // copied: the table stays as built
}

// ParseHygieneCatalog reads a table in the generated format (gzip'd JSON),
// for the embedded one or a newer file in the data directory.
func ParseHygieneCatalog(gz []byte) (*HygieneCatalog, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("hygiene table: %w", err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("hygiene table: %w", err)
	}
	var t struct {
		Date    string         `json:"date"`
		Entries []HygieneEntry `json:"entries"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("hygiene table: %w", err)
	}
	return newHygieneCatalog(t.Date, t.Entries)
}

// newHygieneCatalog checks and folds a table's entries into products; it
// keeps a copy of them, with localCaches appended. Their host-name patterns
// are indexed at the first match (index).
func newHygieneCatalog(day string, entries []HygieneEntry) (*HygieneCatalog, error) {
	date, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return nil, fmt.Errorf("hygiene table: date %q: %w", day, err)
	}
	c := &HygieneCatalog{Date: date, Entries: slices.Concat(entries, localCaches)}
	c.wsus, c.aptCache = len(entries), len(entries)+1
	c.product = make([]int, len(c.Entries))
	c.products = make([]hygieneProduct, 0, len(c.Entries))
	for i, e := range c.Entries {
		switch e.Category {
		case HygieneProtection, HygieneUpdate, HygieneBackup, HygieneRemote:
		default:
			return nil, fmt.Errorf("hygiene table: %s: unknown category %q", e.Product, e.Category)
		}
		hp := hygieneProduct{category: e.Category, name: productName(e.Product), vendor: e.Vendor}
		c.product[i] = c.productIndex(hp.category, hp.name)
		if c.product[i] < 0 {
			c.product[i] = len(c.products)
			c.products = append(c.products, hp)
		}
		for _, p := range e.Patterns {
			if _, ok := registrableDomain(p); !ok {
				return nil, fmt.Errorf("hygiene table: %s: pattern %q has a wildcard in its registrable domain", e.Product, p)
			}
		}
	}
	c.index = sync.OnceValue(func() map[string][]hygienePattern { return patternIndex(c.Entries) })
	return c, nil
}

// registrableDomain returns pattern p's last two labels, its key in the
// index; false when it has fewer or a wildcard among them.
func registrableDomain(p string) (string, bool) {
	dot := strings.LastIndexByte(p, '.')
	if dot < 0 {
		return "", false
	}
	key := p[strings.LastIndexByte(p[:dot], '.')+1:]
	return key, !strings.Contains(key, "*")
}

// patternIndex maps the registrable domain of every pattern of entries
// (checked by newHygieneCatalog) to its patterns, in the entries' order.
// The patterns and their labels share one array each, sliced per key and
// per pattern: a few allocations, not one or two per pattern.
func patternIndex(entries []HygieneEntry) map[string][]hygienePattern {
	type keyed struct {
		key string
		pat hygienePattern
	}
	var n, nl int
	for _, e := range entries {
		for _, p := range e.Patterns {
			n, nl = n+1, nl+strings.Count(p, ".")+1
		}
	}
	all := make([]keyed, 0, n)
	labels := make([]string, 0, nl)
	for i, e := range entries {
		rank := 0
		if !e.Ambiguous {
			rank += 4
		}
		if e.Specificity == "service" {
			rank += 2
		}
		for _, p := range e.Patterns {
			from := len(labels)
			for l := range strings.SplitSeq(p, ".") {
				labels = append(labels, l)
			}
			l := labels[from:len(labels):len(labels)]
			key, _ := registrableDomain(p)
			all = append(all, keyed{key, hygienePattern{entry: i, labels: l, rank: rank*256 + len(l)}})
		}
	}
	slices.SortStableFunc(all, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	pats := make([]hygienePattern, len(all))
	index := map[string][]hygienePattern{}
	for i := 0; i < len(all); {
		j := i
		for ; j < len(all) && all[j].key == all[i].key; j++ {
			pats[j] = all[j].pat
		}
		index[all[i].key] = pats[i:j:j]
		i = j
	}
	return index
}

// productIndex finds a product by category and name, or -1.
func (c *HygieneCatalog) productIndex(category, name string) int {
	for i, p := range c.products {
		if p.category == category && p.name == name {
			return i
		}
	}
	return -1
}

// Match returns the entry that name (lower-case, no trailing dot, as
// DNSQuestion and ClientHelloSNI give it) belongs to, preferring a
// product's own service names over shared infrastructure and longer
// patterns over shorter ones. It allocates nothing.
func (c *HygieneCatalog) Match(name []byte) (*HygieneEntry, bool) {
	i, ok := c.matchIndex(name)
	if !ok {
		return nil, false
	}
	return &c.Entries[i], true
}

// localCache returns the local update cache entry a client's TCP session
// to dst:port is evidence of, or -1.
func (c *HygieneCatalog) localCache(dst netip.Addr, port uint16) int {
	if port != 8530 && port != 8531 && port != 3142 || !(dst.IsPrivate() || dst.IsLinkLocalUnicast()) {
		return -1
	}
	if port == 3142 {
		return c.aptCache
	}
	return c.wsus
}

// wsusName reports whether a host name's first label is a WSUS server's
// usual name: wsus, optionally followed by digits or a hyphen and more.
func wsusName(name []byte) bool {
	if len(name) < 5 || string(name[:4]) != "wsus" {
		return false
	}
	c := name[4]
	return c == '.' || c == '-' || c >= '0' && c <= '9'
}

// matchIndex is Match returning the entry's index in Entries.
func (c *HygieneCatalog) matchIndex(name []byte) (int, bool) {
	if wsusName(name) && bytes.IndexByte(name, '.') > 0 {
		return c.wsus, true
	}
	dot := bytes.LastIndexByte(name, '.')
	if dot <= 0 {
		return -1, false
	}
	dot2 := bytes.LastIndexByte(name[:dot], '.')
	pats := c.index()[string(name[dot2+1:])] // no allocation for a map lookup
	best, bestRank := -1, -1
	for i := range pats {
		if pats[i].rank > bestRank && matchLabels(pats[i].labels, name) {
			best, bestRank = pats[i].entry, pats[i].rank
		}
	}
	return best, best >= 0
}

// matchLabels compares a pattern's labels with a name from the right: a
// leftmost "*" stands for one or more labels, any other "*" label for
// exactly one, and a "*" inside a label for zero or more [a-z0-9-] within it.
func matchLabels(pat []string, name []byte) bool {
	end := len(name)
	for i := len(pat) - 1; i >= 0; i-- {
		if end < 0 {
			return false // the name ran out of labels
		}
		if i == 0 && pat[0] == "*" {
			return end > 0
		}
		start := bytes.LastIndexByte(name[:end], '.') + 1
		if !matchLabel(pat[i], name[start:end]) {
			return false
		}
		end = start - 1
	}
	return end < 0
}

// matchLabel is a glob within one label.
func matchLabel(pat string, label []byte) bool {
	if pat == "*" {
		return len(label) > 0
	}
	star := strings.IndexByte(pat, '*')
	if star < 0 {
		return string(label) == pat
	}
	prefix, rest := pat[:star], pat[star+1:]
	if len(label) < len(prefix) || string(label[:len(prefix)]) != prefix {
		return false
	}
	label = label[len(prefix):]
	for k := 0; k <= len(label); k++ { // the star takes label[:k]
		ok := true
		for _, c := range label[:k] {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				ok = false
				break
			}
		}
		if !ok {
			return false
		}
		if matchLabel(rest, label[k:]) || rest == "" && k == len(label) {
			return true
		}
	}
	return false
}
