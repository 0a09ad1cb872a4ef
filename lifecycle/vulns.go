package lifecycle

import (
	_ "embed" // for the vulnerability catalog
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"tend/inventory"
	"tend/lifecycle/internal/vulnfile"
)

// vulnTable is the vulnerability catalog, written by internal/vulncatalog from
// the corpus in vulnfile's chunked form (each family's records deflated, as
// a VulnCatalog keeps them).
//
//go:embed vulns.chunked
var vulnTable []byte

// VulnNotice is the attribution NVD asks for, shown wherever the catalog's
// verdicts are.
const VulnNotice = vulnfile.Notice

// VulnCatalog holds known vulnerabilities (CVE version ranges per tend
// product, CISA KEV flags) and the coverage of each product family. It is
// immutable once opened and safe for concurrent use.
//
// It is kept compact (issue 19's small box): listed versions are interned
// per product and held as sorted indexes, strings the records repeat (CPEs,
// sources) are shared, and the parts only a verdict needs (range bounds
// tokenised, the "fixed in" candidates) are prepared per product on its
// first verdict.
//
// Once open, it is kept over its bytes: each product's CVE records, checked
// when the catalog was opened (the embedded one's by its tests), stay
// deflated (about 0.25 MB for all; the embedded catalog's are slices of
// the binary, written so by the generator) and are decoded into that
// compact form on a verdict's demand, into a small cache
// of recently judged products, released after each pass over the stored
// devices. Verdicts are cached per device by Current, so a product is
// decoded again only when a device's facts or the day change.
type VulnCatalog struct {
	date     time.Time
	families map[string]vulnfile.Family
	// products holds the decoded products while the catalog is opened.
	products map[string]*vulnProduct
	chunks   map[string]vulnChunk // each family's records, deflated
	cache    mru[vulnProduct]
	stats    VulnStats
}

// vulnChunk is one product's CVE records, deflated JSON, one a line.
type vulnChunk struct{ z []byte }

// release drops the decoded products.
func (c *VulnCatalog) release() { c.cache.clear() }

// product returns a product decoded from its records (or from the cache),
// or nil when the catalog has no such family.
func (c *VulnCatalog) product(key string) *vulnProduct {
	return c.cache.get(key, func() *vulnProduct {
		p, err := c.decodeProduct(key)
		if err != nil {
			return nil // cannot happen: every record was decoded when the catalog was opened (the embedded one's by TestVulnCatalogOverItsBytes)
		}
		return p
	})
}

// VulnStats says what a vulnerability catalog holds.
type VulnStats struct {
	CVEs, KEV, KEVOnly, Matches, Families int
}

// vulnCVE is what a verdict needs of one CVE record.
type vulnCVE struct {
	_             [0]func() // not comparable: no equality function linked
	id, published string
	cvss          float64
	kev           *vulnfile.KEV
}

// vulnProduct holds one product's matches and what they name.
type vulnProduct struct {
	key      string
	perModel bool
	// matches are stored grouped by CVE: each run is one CVE.
	matches []vulnMatch
	// kevOnly holds the KEV CVEs that come without version data: the
	// product may or may not be affected.
	kevOnly []*vulnCVE
	// norm maps a normalised listed version to its index, the values of
	// vulnMatch.set.
	norm map[string]uint32
	// names are the versions the catalog names (listed versions, range
	// ends, vendor fixed releases): the candidates for "fixed in".
	names []string

	once sync.Once
	// trainOf is the train of each name by the product's grammar ("" when
	// it cannot be read); filled by prepare.
	trainOf []string

	umu sync.Mutex
	// universe holds, per train, the names of that train, parsed and
	// sorted; filled for a train on its first "fixed in" question.
	universe map[string][]VulnVersion
}

// vulnMatch is one CPE match of a CVE, compact: what most matches lack
// (range bounds, wildcards, "and earlier" entries) is behind matchExtra.
type vulnMatch struct {
	*matchExtra          // noExtra when the match has none of it
	cve                  *vulnCVE
	cpe, version, update string // as the catalog writes them (interned)
	source               string
	exact                string   // normalised exact version ("" for none)
	set                  []uint32 // sorted indexes into the product's norm
	model                string   // per-model families: the folded model the CPE names
	hasBounds, listed    bool     // listed: a list of versions (possibly none usable: "11.2 none")
	namesNoVer           bool     // version "-": names no version, matches nothing
}

// matchExtra is the part of a match only some matches have.
type matchExtra struct {
	wild           []string // listed train wildcards ("8.0" for "8.0.*")
	earlierRaw     []string // "X and earlier versions" list entries: X
	siRaw, seRaw   string   // range bounds as the catalog writes them
	eiRaw, eeRaw   string
	earlier        []boundVersion // prepared from earlierRaw
	si, se, ei, ee *boundVersion  // prepared; nil when absent
}

// noExtra is shared by the matches without bounds, wildcards or "and
// earlier" entries; it is never written.
var noExtra = &matchExtra{}

// OpenVulnCatalog returns the vulnerability catalog embedded in the binary,
// opened on the first call and shared from then on: opening reads the
// header and slices each family's deflated records out of the binary (the
// tests check them: TestVulnCatalogOverItsBytes, TestEmbeddedVulnChunks),
// and once open the catalog is read only (its cache of decoded products
// has its own lock).
func OpenVulnCatalog() (*VulnCatalog, error) { return embeddedVulns() }

var embeddedVulns = sync.OnceValues(func() (*VulnCatalog, error) {
	c, err := decodeChunked(vulnTable, false)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: open embedded vulnerability catalog: %w", err)
	}
	return c, nil
})

// LoadVulnCatalog reads a vulnerability catalog file, so a newer one in the
// data directory can replace the built-in one (see Current): vulnfile's
// chunked form (as embedded) or its File as JSON, plain, gzip or bzip2.
// Every record is checked.
func LoadVulnCatalog(path string) (*VulnCatalog, error) {
	return loadFile(path, "vulnerability catalog", decodeVulnCatalog)
}

// NewerVulns returns the override when it is dated after the embedded
// catalog and the embedded one otherwise, as Newer does for end of life.
func NewerVulns(embedded, override *VulnCatalog) *VulnCatalog {
	return newer(embedded, override)
}

// Date returns the catalog's data date.
func (c *VulnCatalog) Date() time.Time { return c.date }

// Stats returns what the catalog holds.
func (c *VulnCatalog) Stats() VulnStats { return c.stats }

// Coverage returns the catalog's coverage of a product family ("deep",
// "partial", "thin", "none") and what it means; false for a product the
// catalog does not know.
func (c *VulnCatalog) Coverage(product string) (level, note string, ok bool) {
	f, ok := c.families[product]
	return f.Coverage, f.Note, ok
}

// prepare tokenises the product's range bounds and files the versions the
// catalog names under their trains, once, on the product's first verdict.
func (p *vulnProduct) prepare() {
	p.once.Do(func() {
		for i := range p.matches {
			vm := &p.matches[i]
			for _, s := range vm.earlierRaw {
				vm.earlier = append(vm.earlier, prepBound(p.key, s))
			}
			for _, b := range []struct {
				dst **boundVersion
				s   string
			}{{&vm.si, vm.siRaw}, {&vm.se, vm.seRaw}, {&vm.ei, vm.eiRaw}, {&vm.ee, vm.eeRaw}} {
				if b.s != "" {
					bv := prepBound(p.key, b.s)
					*b.dst = &bv
				}
			}
		}
		trains := map[string]string{}
		p.trainOf = make([]string, len(p.names))
		for i, s := range p.names {
			if v, ok := ParseVulnVersion(p.key, universeForm(p.key, s)); ok {
				if _, seen := trains[v.Train]; !seen {
					trains[v.Train] = v.Train
				}
				p.trainOf[i] = trains[v.Train]
			}
		}
	})
}

// trainVersions returns the names of one train, parsed and sorted: the
// candidates for "fixed in". It is safe for concurrent use.
func (p *vulnProduct) trainVersions(train string) []VulnVersion {
	p.umu.Lock()
	defer p.umu.Unlock()
	if vs, ok := p.universe[train]; ok {
		return vs
	}
	var vs []VulnVersion
	for i, s := range p.names {
		if p.trainOf[i] != train {
			continue
		}
		if v, ok := ParseVulnVersion(p.key, universeForm(p.key, s)); ok && v.Train == train {
			v.Raw = "" // the candidates are never shown as reported
			vs = append(vs, v)
		}
	}
	slices.SortFunc(vs, func(a, b VulnVersion) int {
		if c := compareTokens(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	vs = slices.Clip(slices.CompactFunc(vs, func(a, b VulnVersion) bool { return a.Version == b.Version }))
	if p.universe == nil {
		p.universe = map[string][]VulnVersion{}
	}
	p.universe[train] = vs
	return vs
}

// universeForm makes a catalog version readable by the device grammar
// (IOS trains are upper case on devices).
func universeForm(product, s string) string {
	if product == string(FamilyIOS) {
		if i := strings.LastIndexByte(s, ')'); i >= 0 {
			return s[:i+1] + strings.ToUpper(s[i+1:])
		}
	}
	return s
}

// modelMatches reports whether a device's folded model is the model a
// CPE names, allowing a revision or edition after it ("DGS-1510-28X/ME
// Rev. A1" is dgs-1510-28x/me_firmware).
func modelMatches(device, cpe string) bool {
	return device == cpe || (len(cpe) >= 4 && strings.HasPrefix(device, cpe))
}

func foldModel(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matchResult is how one catalog match relates to a version.
type matchResult int

const (
	noMatch matchResult = iota
	matchUnknown
	matchAffected
)

// eval tells whether v falls in the match, and describes the range.
func (vm *vulnMatch) eval(p *vulnProduct, v VulnVersion, model string) (matchResult, string) {
	if vm.namesNoVer {
		return noMatch, ""
	}
	if vm.model != "" {
		if model != "" && !modelMatches(foldModel(model), vm.model) {
			return noMatch, ""
		}
		res, desc := vm.evalVersion(p, v)
		if model == "" && res == matchAffected {
			return matchUnknown, desc + " (model not known: the CPE names " + vm.cpe + ")"
		}
		return res, desc
	}
	return vm.evalVersion(p, v)
}

func (vm *vulnMatch) evalVersion(p *vulnProduct, v VulnVersion) (res matchResult, desc string) {
	switch {
	case vm.exact != "" && vm.update == "-" && v.Product == string(FamilyESXi):
		if v.Train == vm.exact {
			return matchUnknown, "exact: " + vm.version + " without an update (mapping the device's build to an update level needs VMware's build table)"
		}
		return noMatch, ""
	case vm.exact != "":
		switch {
		case (vm.update == "" || vm.update == "-") && v.Version == vm.exact:
			res, desc = matchAffected, "exact: "+vm.version
		case vm.update != "" && v.Version == vm.exact+normCatalogVersion(vm.update):
			res, desc = matchAffected, "exact: "+vm.version+" "+vm.update
		case vm.update != "" && v.Version == vm.exact,
			v.Product == string(FamilyESXi) && v.Train == vm.exact && vm.update != "":
			res, desc = matchUnknown, "exact: "+vm.version+" "+vm.update+" (the update level is not known from the device's version)"
		case v.Product == string(FamilyESXi) && v.Train == vm.exact:
			res, desc = matchAffected, "exact: "+vm.version+" (every update)"
		}
		return res, desc
	case vm.listed:
		key := v.Version
		if v.Product == string(FamilyESXi) {
			key = v.Train
		}
		if id, ok := p.norm[key]; ok {
			if _, found := slices.BinarySearch(vm.set, id); found {
				return matchAffected, "listed: " + key
			}
		}
		for _, w := range vm.wild {
			if v.Train == w || strings.HasPrefix(v.Version, w+".") {
				return matchAffected, "listed: " + w + ".*"
			}
		}
		for _, b := range vm.earlier {
			if !sameTrainFamily(v, b) || b.ownTrain != v.Train {
				continue
			}
			if c, ok := cmpBound(v, b); ok && c <= 0 {
				return matchAffected, "listed: " + b.raw + " and earlier"
			}
		}
		return noMatch, ""
	case vm.hasBounds:
		return vm.evalRange(v)
	}
	// "cpe:…:*" with no bound: every version in NVD's configurations; a
	// vendor or CNA record that names the product without versions does
	// not say which are affected.
	if vm.source == "nvd" || vm.source == "anchore" {
		return matchAffected, "every version"
	}
	return matchUnknown, "the " + vm.source + " record names the product without versions"
}

func (vm *vulnMatch) evalRange(v VulnVersion) (matchResult, string) {
	uncertain := false
	for _, b := range [...]struct {
		b  *boundVersion
		ok func(int) bool
	}{{vm.si, geZero}, {vm.se, gtZero}, {vm.ei, leZero}, {vm.ee, ltZero}} {
		if b.b == nil {
			continue
		}
		if !sameTrainFamily(v, *b.b) {
			return noMatch, ""
		}
		c, comparable := cmpBound(v, *b.b)
		if !comparable {
			uncertain = true
			continue
		}
		if !b.ok(c) {
			return noMatch, ""
		}
	}
	var parts []string
	for _, b := range [...]struct {
		b  *boundVersion
		op string
	}{{vm.si, ">="}, {vm.se, ">"}, {vm.ei, "<="}, {vm.ee, "<"}} {
		if b.b != nil {
			parts = append(parts, "v "+b.op+" "+b.b.raw)
		}
	}
	desc := strings.Join(parts, ", ")
	if uncertain {
		return matchUnknown, desc + " (the device reported no build to compare)"
	}
	return matchAffected, desc
}

func geZero(c int) bool { return c >= 0 }
func gtZero(c int) bool { return c > 0 }
func leZero(c int) bool { return c <= 0 }
func ltZero(c int) bool { return c < 0 }

// VulnQuery is what a vulnerability verdict is judged from: the catalog
// product key, the version string the device reported and, for families
// whose CPEs name models, the model.
type VulnQuery struct {
	Product string
	Raw     string
	Model   string
	// Field names where Raw was read ("firmware", "sysDescr"), for evidence.
	Field string
}

// JudgeVulns gives the known-vulnerability verdict on one product and
// version as of asOf: CVEs published and KEV entries added after asOf are
// left out, so a verdict for a date is reproducible. It is a pure
// function of the query, the catalog and the date.
func (c *VulnCatalog) JudgeVulns(q VulnQuery, asOf time.Time) inventory.Vulnerabilities {
	out := inventory.Vulnerabilities{CatalogDate: c.date.Format(time.DateOnly), Status: inventory.VulnUnknown,
		Product: q.Product, Raw: clip(q.Raw), KEV: []string{}, CVEs: []inventory.VulnCVE{}}
	field := q.Field
	if field == "" {
		field = "version"
	}
	ev := func(src, format string, a ...any) {
		out.Evidence = append(out.Evidence, inventory.Evidence{Source: src, Detail: fmt.Sprintf(format, a...)})
	}
	fam, known := c.families[q.Product]
	if !known || fam.Coverage == vulnfile.CoverageNone {
		out.Coverage = vulnfile.CoverageNone
		out.Reason = "no data for this family: the vulnerability catalog has no records for " + orUnknown(q.Product)
		ev("catalog", "vulnerability catalog dated %s; %s", out.CatalogDate, out.Reason)
		return out
	}
	out.Coverage = fam.Coverage + ": " + fam.Note
	v, ok := ParseVulnVersion(q.Product, q.Raw)
	if !ok {
		out.Reason = fmt.Sprintf("no %s version could be read from %q", q.Product, clip(q.Raw))
		ev(field, "%s", out.Reason)
		return out
	}
	out.Version, out.Train = v.Version, v.Train
	ev(field, "%s %s (train %s) read from %q", q.Product, v.Version, orUnknown(v.Train), clip(q.Raw))
	if v.Build != "" {
		ev(field, "build %s", v.Build)
	}
	ev("catalog", "vulnerability catalog dated %s, coverage of %s: %s (sources through %s)", out.CatalogDate, q.Product, out.Coverage, orUnknown(fam.Through))

	day := ""
	if !asOf.IsZero() {
		day = asOf.Format(time.DateOnly)
	}
	prod := c.product(q.Product)
	affected, unknown, clearing, matched := c.matchCVEs(&out, prod, q, v, day)
	sortCVEs(out.CVEs)
	for _, cv := range out.CVEs {
		switch {
		case cv.KEV && !cv.Unknown:
			out.KEV = append(out.KEV, cv.ID)
		case cv.KEV:
			out.KEVUnknown = append(out.KEVUnknown, cv.ID)
		}
		if !cv.Unknown {
			out.MaxCVSS = max(out.MaxCVSS, cv.CVSS)
		}
	}
	vulnVerdict(&out, fam, q, v, affected, unknown, matched)
	if affected > 0 {
		var kev []*vulnHit
		for _, h := range clearing {
			if h.cve.kev != nil && (day == "" || h.cve.kev.Added <= day) {
				kev = append(kev, h)
			}
		}
		if len(kev) > 0 {
			out.KEVFixedIn = prod.fixedIn(v, q.Model, kev)
		}
		out.FixedIn = prod.fixedIn(v, q.Model, clearing)
		if out.FixedIn == "" {
			ev("catalog", "no fixed release in train %s is known to the catalog", orUnknown(v.Train))
		} else {
			ev("catalog", "%s is the lowest release in train %s the catalog names that no matched CVE affects", out.FixedIn, v.Train)
		}
	}
	return out
}

// matchCVEs adds to out.CVEs every CVE published by day (YYYY-MM-DD, ""
// for any) that affects v of q's product or may: the product's version
// matches, then its known-exploited CVEs without version data. It counts
// both kinds, returns the affecting hits (what a fixed release must clear)
// and whether the product has any version matches at all.
func (c *VulnCatalog) matchCVEs(out *inventory.Vulnerabilities, prod *vulnProduct, q VulnQuery, v VulnVersion, day string) (affected, unknown int, clearing []*vulnHit, matched bool) {
	var matches []vulnMatch
	if prod != nil {
		prod.prepare()
		matches = prod.matches
	}
	// Matches are stored grouped by CVE: each run is one CVE.
	for i := 0; i < len(matches); {
		j := i + 1
		for j < len(matches) && matches[j].cve == matches[i].cve {
			j++
		}
		group := matches[i:j]
		i = j
		if !visible(group[0].cve, day) {
			continue
		}
		h := &vulnHit{cve: group[0].cve, matches: group}
		for k := range group {
			if res, rng := group[k].eval(prod, v, q.Model); res > h.res {
				h.res, h.rng, h.m = res, rng, &group[k]
			}
		}
		if h.res == noMatch {
			continue
		}
		cv := inventory.VulnCVE{ID: h.cve.id, CVSS: h.cve.cvss, Range: h.rng, CPE: h.m.cpe, Source: h.m.source, Unknown: h.res == matchUnknown}
		c.kevInto(&cv, h.cve, day)
		if h.res == matchAffected {
			affected++
			clearing = append(clearing, h)
		} else {
			unknown++
		}
		out.CVEs = append(out.CVEs, cv)
	}
	var kevOnly []*vulnCVE
	if prod != nil {
		kevOnly = prod.kevOnly
	}
	for _, cve := range kevOnly {
		if !visible(cve, day) || (day != "" && cve.kev.Added > day) {
			continue
		}
		cv := inventory.VulnCVE{ID: cve.id, CVSS: cve.cvss, Source: "kev", Unknown: true,
			Range: "known exploited; no version data for " + q.Product}
		c.kevInto(&cv, cve, day)
		out.CVEs = append(out.CVEs, cv)
		unknown++
	}
	return affected, unknown, clearing, len(matches) > 0
}

// sortCVEs puts known-exploited CVEs first, then those known to affect the
// version, then by CVSS, highest first, then newest ID.
func sortCVEs(cves []inventory.VulnCVE) {
	slices.SortStableFunc(cves, func(a, b inventory.VulnCVE) int {
		switch {
		case a.KEV != b.KEV:
			if a.KEV {
				return -1
			}
			return 1
		case a.Unknown != b.Unknown:
			if !a.Unknown {
				return -1
			}
			return 1
		case a.CVSS != b.CVSS:
			if a.CVSS > b.CVSS {
				return -1
			}
			return 1
		}
		return strings.Compare(b.ID, a.ID)
	})
}

// vulnVerdict sets out's status and the reason a person reads.
func vulnVerdict(out *inventory.Vulnerabilities, fam vulnfile.Family, q VulnQuery, v VulnVersion, affected, unknown int, matched bool) {
	switch {
	case affected > 0:
		out.Status = inventory.VulnAffected
		out.Reason = fmt.Sprintf("%d CVE(s) affect %s %s", affected, q.Product, v.Version)
		if len(out.KEV) > 0 {
			out.Reason += fmt.Sprintf(", %d of them known exploited (CISA KEV)", len(out.KEV))
		}
	case unknown > 0:
		out.Status = inventory.VulnPotentiallyAffected
		out.Reason = fmt.Sprintf("%d CVE(s) may affect %s %s; the catalog cannot tell for this version", unknown, q.Product, v.Version)
		if len(out.KEVUnknown) > 0 {
			out.Reason = fmt.Sprintf("a known-exploited CVE exists for %s; whether %s is affected is unknown", q.Product, v.Version)
		}
	case fam.PerModel && q.Model == "" && matched:
		out.Status = inventory.VulnPotentiallyAffected
		out.Reason = fmt.Sprintf("%s CVEs name models; the device's model is not known", q.Product)
	default:
		out.Status = inventory.VulnNone
		out.Reason = fmt.Sprintf("no CVE in the catalog matches %s %s (coverage %s)", q.Product, v.Version, fam.Coverage)
	}
	if fam.PerModel && q.Model == "" && out.Status != inventory.VulnNone {
		out.Reason += "; the device's model is not known and this family's CVEs name models"
	}
}

// visible reports whether a CVE was known as of asOf.
func visible(cv *vulnCVE, asOf string) bool {
	d := cv.published
	if d == "" && cv.kev != nil {
		d = cv.kev.Added
	}
	return d == "" || asOf == "" || d <= asOf
}

func (c *VulnCatalog) kevInto(cv *inventory.VulnCVE, cve *vulnCVE, asOf string) {
	if cve.kev == nil || (asOf != "" && cve.kev.Added > asOf) {
		return
	}
	cv.KEV, cv.KEVDateAdded, cv.KEVDue, cv.Ransomware = true, cve.kev.Added, cve.kev.Due, cve.kev.Ransomware
}

// vulnHit is one CVE's matches against a version.
type vulnHit struct {
	cve     *vulnCVE
	m       *vulnMatch // the match that decided res
	res     matchResult
	rng     string
	matches []vulnMatch // the CVE's matches for the product
}

// fixedIn finds the lowest version in v's train, among those the catalog
// names (listed versions, range ends, vendor fixed releases), that is newer
// than v and that none of the matched CVEs affects. Vendors that list every
// affected release (Cisco, Palo Alto, Fortinet) make that the first release
// that clears them all; elsewhere it is the best the catalog can say.
func (p *vulnProduct) fixedIn(v VulnVersion, model string, hits []*vulnHit) string {
	if v.Train == "" {
		return ""
	}
	for _, w := range p.trainVersions(v.Train) {
		if compareTokens(w.key, v.key) <= 0 {
			continue
		}
		if v.Product == string(FamilyESXi) || v.Product == string(FamilyDSM) {
			return "" // releases ordered by build: the catalog's versions do not name them
		}
		clears := true
		for i, h := range hits {
			for k := range h.matches {
				if res, _ := h.matches[k].eval(p, w, model); res != noMatch {
					clears = false
					break
				}
			}
			if !clears {
				// The CVE that blocks one candidate usually blocks the next:
				// test it first.
				copy(hits[1:i+1], hits[:i])
				hits[0] = h
				break
			}
		}
		if clears {
			return w.Version
		}
	}
	return ""
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// JudgeFactsVulns finds the device's family and version with the
// lifecycle grammars (Detect) and judges them; false when no grammar
// recognises the device, so there is nothing to judge.
func (c *VulnCatalog) JudgeFactsVulns(id Facts, asOf time.Time) (inventory.Vulnerabilities, bool) {
	d, ok := detect(id)
	if !ok || d.rel.Family == FamilyLinux {
		// A vendor the grammars do not read, or an appliance whose
		// sysDescr names only its Linux kernel (QNAP, printers).
		if p, found := vulnProductOf(id); found {
			raw, field := id.Firmware, "firmware"
			if raw == "" {
				raw, field = id.OS, "os"
			}
			return c.JudgeVulns(VulnQuery{Product: p, Raw: raw, Field: field, Model: id.Model}, asOf), true
		}
	}
	if !ok {
		return inventory.Vulnerabilities{}, false
	}
	q := VulnQuery{Product: vulnProductFor(d.rel.Family), Raw: d.field.value, Field: d.field.name, Model: id.Model}
	if q.Product == "" {
		q.Product = string(d.rel.Family)
	}
	return c.JudgeVulns(q, asOf), true
}

// AssessVulns sets the device's vulnerability verdict as of asOf, or
// clears it when no grammar recognises the device.
func (c *VulnCatalog) AssessVulns(d *inventory.Device, asOf time.Time) {
	v, ok := c.JudgeFactsVulns(FactsOf(*d), asOf)
	if !ok {
		d.Vulnerabilities = nil
		return
	}
	d.Vulnerabilities = &v
}
